//! The 28x28 image the model actually sees, from the shared preprocessing, with "why this
//! digit" over it when asked for.

use crate::platform::put_rgba;
use crate::text::use_texts;
use inkling_model::inside::Saliency;
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`Preview`].
#[derive(Properties, PartialEq)]
pub struct PreviewProps {
    /// 784 ink intensities in `[0, 1]`, or `None` for an empty preview.
    pub pixels: Option<Vec<f32>>,
    /// What drove the reading, shown over the digit.
    #[prop_or_default]
    pub saliency: Option<Rc<Saliency>>,
}

/// Paints 784 ink intensities in `[0, 1]` (none: blank paper) on the 28x28 canvas at `canvas`,
/// ink dark on light like the pad. Also paints the handwriting panel's thumbnails.
pub fn paint(canvas: &NodeRef, pixels: Option<&[f32]>) {
    let mut rgba = vec![255u8; 28 * 28 * 4];
    for (px, &v) in rgba.chunks_exact_mut(4).zip(pixels.unwrap_or_default()) {
        let level = (255.0 * (1.0 - v.clamp(0.0, 1.0))) as u8;
        px[..3].fill(level);
    }
    put_rgba(canvas, &rgba, 28, 28);
}

/// Paints the digit lighter, red where hiding it lowers the class's probability and blue
/// where it raises it, each as strong as the score against the largest.
fn paint_saliency(canvas: &NodeRef, pixels: &[f32], saliency: &Saliency) {
    let scale = saliency.max_abs().max(1e-6);
    let mut rgba = vec![255u8; 28 * 28 * 4];
    for ((px, &ink), &score) in rgba.chunks_exact_mut(4).zip(pixels).zip(&saliency.map) {
        let paper = 255.0 - 110.0 * ink.clamp(0.0, 1.0);
        let tint = if score >= 0.0 {
            [220.0, 38.0, 38.0]
        } else {
            [37.0, 99.0, 235.0]
        };
        let alpha = (score.abs() / scale).min(1.0) * 0.9;
        for (c, t) in px[..3].iter_mut().zip(tint) {
            *c = (paper * (1.0 - alpha) + t * alpha) as u8;
        }
    }
    put_rgba(canvas, &rgba, 28, 28);
}

/// Paints the model input.
#[component]
pub fn Preview(props: &PreviewProps) -> Html {
    let t = use_texts();
    let canvas_ref = use_node_ref();
    {
        let canvas_ref = canvas_ref.clone();
        use_effect_with(
            (props.pixels.clone(), props.saliency.clone()),
            move |(pixels, saliency)| match (pixels, saliency) {
                (Some(pixels), Some(saliency)) => paint_saliency(&canvas_ref, pixels, saliency),
                _ => paint(&canvas_ref, pixels.as_deref()),
            },
        );
    }
    let why = props.saliency.as_ref();
    html! {
        <figure class="preview">
            <canvas id="preview" ref={canvas_ref} width="28" height="28"
                data-why-class={why.map(|s| s.class.to_string())}
                data-why-max={why.map(|s| format!("{:.4}", s.max_abs()))} />
            <figcaption>{ if why.is_some() {
                t.draw.preview_why
            } else {
                t.draw.preview_caption
            } }</figcaption>
        </figure>
    }
}
