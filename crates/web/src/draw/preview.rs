//! The 28x28 image the model actually sees, from the shared preprocessing.

use crate::platform::put_rgba;
use yew::prelude::*;

/// Properties of [`Preview`].
#[derive(Properties, PartialEq)]
pub struct PreviewProps {
    /// 784 ink intensities in `[0, 1]`, or `None` for an empty preview.
    pub pixels: Option<Vec<f32>>,
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

/// Paints the model input.
#[component]
pub fn Preview(props: &PreviewProps) -> Html {
    let canvas_ref = use_node_ref();
    {
        let canvas_ref = canvas_ref.clone();
        use_effect_with(props.pixels.clone(), move |pixels| {
            paint(&canvas_ref, pixels.as_deref())
        });
    }
    html! {
        <figure class="preview">
            <canvas id="preview" ref={canvas_ref} width="28" height="28" />
            <figcaption>{ "What the model sees (28x28)" }</figcaption>
        </figure>
    }
}
