//! Painting the pad: strokes and shown digits on a high-DPI canvas, and the raster the model
//! reads.

use super::Stroke;
use crate::config::page_texts;
use inkling_data::preprocess::GrayImage;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// Side, in pixels, of the raster the model reads (the preprocessing scales it down to 20x20).
pub const RASTER_SIDE: u32 = 140;

/// Colour of the ink on the pad and in the raster the model reads.
const INK: &str = "#111111";

/// Paints `strokes` as dark ink on white paper onto a `side` x `side` context.
pub(super) fn paint(ctx: &CanvasRenderingContext2d, strokes: &[Stroke], side: f64) {
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, side, side);
    for stroke in strokes {
        paint_stroke(ctx, stroke, side, 0);
    }
}

/// Paints a 28x28 digit (ink = 1) as dark squares on white paper over a `side` x `side` context.
fn paint_digit(ctx: &CanvasRenderingContext2d, pixels: &[f32], side: f64) {
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, side, side);
    let cell = side / 28.0;
    for (i, &ink) in pixels.iter().enumerate() {
        if ink > 0.0 {
            let grey = (255.0 * (1.0 - ink.clamp(0.0, 1.0))).round() as u8;
            ctx.set_fill_style_str(&format!("rgb({grey},{grey},{grey})"));
            let (row, col) = ((i / 28) as f64, (i % 28) as f64);
            // A hair wider than a cell, so no seams show between neighbours.
            ctx.fill_rect(col * cell, row * cell, cell + 0.5, cell + 0.5);
        }
    }
}

/// Paints `stroke` from point `from` on (used to extend the line being drawn).
pub(super) fn paint_stroke(
    ctx: &CanvasRenderingContext2d,
    stroke: &Stroke,
    side: f64,
    from: usize,
) {
    // Resizing a canvas resets its context, so the ink is set here rather than once.
    ctx.set_stroke_style_str(INK);
    ctx.set_fill_style_str(INK);
    ctx.set_line_cap("round");
    ctx.set_line_join("round");
    let width = stroke.width * side;
    let points = &stroke.points;
    if points.len() == 1 {
        ctx.begin_path();
        let (x, y) = points[0];
        let _ = ctx.arc(x * side, y * side, width / 2.0, 0.0, std::f64::consts::TAU);
        ctx.fill();
        return;
    }
    ctx.set_line_width(width);
    ctx.begin_path();
    let start = from.saturating_sub(1);
    for (i, &(x, y)) in points.iter().enumerate().skip(start) {
        if i == start {
            ctx.move_to(x * side, y * side);
        } else {
            ctx.line_to(x * side, y * side);
        }
    }
    ctx.stroke();
}

pub(super) fn context(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into().ok())
}

/// Rasterises strokes into the grey image the shared preprocessing reads (errors in the
/// page's language).
pub fn rasterize(strokes: &[Stroke]) -> Result<GrayImage, String> {
    let t = &page_texts().draw;
    let document = gloo::utils::document();
    let canvas: HtmlCanvasElement = document
        .create_element("canvas")
        .map_err(|_| t.canvas_create_failed)?
        .dyn_into()
        .map_err(|_| t.canvas_wrong_element)?;
    canvas.set_width(RASTER_SIDE);
    canvas.set_height(RASTER_SIDE);
    let ctx = context(&canvas).ok_or(t.no_2d_canvas)?;
    paint(&ctx, strokes, RASTER_SIDE as f64);
    let data = ctx
        .get_image_data(0.0, 0.0, RASTER_SIDE as f64, RASTER_SIDE as f64)
        .map_err(|_| t.canvas_unreadable)?
        .data();
    Ok(GrayImage::from_rgba(
        RASTER_SIDE as usize,
        RASTER_SIDE as usize,
        &data,
    ))
}

/// Sizes the canvas backing store to its CSS size times the device pixel ratio and repaints
/// the strokes, or the digit shown.
pub(super) fn redraw(canvas: &HtmlCanvasElement, strokes: &[Stroke], image: Option<&[f32]>) {
    let ratio = gloo::utils::window().device_pixel_ratio().max(1.0);
    let side = canvas.client_width().max(1) as f64;
    let backing = (side * ratio).round() as u32;
    if canvas.width() != backing {
        canvas.set_width(backing);
        canvas.set_height(backing);
    }
    if let Some(ctx) = context(canvas) {
        match image {
            Some(pixels) => paint_digit(&ctx, pixels, backing as f64),
            None => paint(&ctx, strokes, backing as f64),
        }
    }
}
