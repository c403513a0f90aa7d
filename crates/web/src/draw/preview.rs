//! The 28x28 image the model actually sees, from the shared preprocessing.

use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};
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
    let ctx = canvas
        .cast::<HtmlCanvasElement>()
        .and_then(|c| c.get_context("2d").ok().flatten())
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok());
    let Some(ctx) = ctx else { return };
    let mut rgba = vec![255u8; 28 * 28 * 4];
    for (px, &v) in rgba.chunks_exact_mut(4).zip(pixels.unwrap_or_default()) {
        let level = (255.0 * (1.0 - v.clamp(0.0, 1.0))) as u8;
        px[..3].fill(level);
    }
    if let Ok(image) = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&rgba), 28, 28) {
        let _ = ctx.put_image_data(&image, 0.0, 0.0);
    }
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
