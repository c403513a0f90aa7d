//! One layer's feature maps as a grid of small maps, one per channel, on one canvas with one
//! colour scale (white at zero, dark blue at the layer's largest activation). Hovering or
//! tapping a map names that unit to the receptive-field explorer, and the unit the explorer
//! shows is marked in orange on every map of its layer (one position, every channel).

use super::{Unit, layer_name};
use crate::platform::put_rgba;
use crate::text::{fill, use_texts};
use inkling_model::inside::{Inside, LayerMaps as Maps};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

/// Maps per row of the grid.
const COLUMNS: usize = 16;
/// Side of each map on the canvas, in canvas pixels (maps are scaled up by whole pixels).
const TILE: usize = 28;

/// Properties of [`LayerMaps`].
#[derive(Properties, PartialEq)]
pub struct LayerMapsProps {
    /// Index of the layer in the network's spatial layers.
    pub index: usize,
    /// Its name (`block 2`).
    pub name: String,
    /// Dilation of its kernel.
    pub dilation: usize,
    /// What the network computed for the current drawing; this layer's maps are
    /// `inside.layers[index]`.
    pub inside: Rc<Inside>,
    /// A unit was hovered or tapped.
    pub on_unit: Callback<Unit>,
    /// The explorer's unit (row, column), when it is in this layer.
    #[prop_or_default]
    pub selected: Option<(usize, usize)>,
}

/// Where a layer's maps sit on its canvas.
struct Grid {
    scale: usize,
    columns: usize,
    rows: usize,
}

impl Grid {
    fn new(maps: &Maps) -> Self {
        let columns = maps.channels.min(COLUMNS);
        Self {
            scale: (TILE / maps.side).max(1),
            columns,
            rows: maps.channels.div_ceil(columns),
        }
    }

    /// One map's side plus the one-pixel gap between maps.
    fn pitch(&self, maps: &Maps) -> usize {
        maps.side * self.scale + 1
    }

    fn size(&self, maps: &Maps) -> (usize, usize) {
        let pitch = self.pitch(maps);
        (self.columns * pitch - 1, self.rows * pitch - 1)
    }

    /// The channel, row and column under canvas pixel (`x`, `y`), unless it is a gap.
    fn unit_at(&self, maps: &Maps, x: usize, y: usize) -> Option<(usize, usize, usize)> {
        let pitch = self.pitch(maps);
        let (tile_x, tile_y) = (x % pitch, y % pitch);
        let channel = (y / pitch) * self.columns + x / pitch;
        let inside = tile_x < pitch - 1 && tile_y < pitch - 1 && channel < maps.channels;
        inside.then(|| (channel, tile_y / self.scale, tile_x / self.scale))
    }
}

/// The marker's colour: the explorer's orange.
const MARK: [u8; 4] = [245, 130, 0, 255];

/// Paints every map of the layer, with the unit at `selected` marked on each: its cell's border
/// (its only pixel on maps shown at one pixel per unit).
fn paint(canvas: &NodeRef, maps: &Maps, selected: Option<(usize, usize)>) {
    let grid = Grid::new(maps);
    let (width, height) = grid.size(maps);
    // The gaps stay light grey.
    let mut rgba = [0xd6u8, 0xda, 0xe3, 0xff].repeat(width * height);
    let top = maps.max().max(f32::MIN_POSITIVE);
    let pitch = grid.pitch(maps);
    for channel in 0..maps.channels {
        let (x0, y0) = (
            (channel % grid.columns) * pitch,
            (channel / grid.columns) * pitch,
        );
        for (i, &v) in maps.channel(channel).iter().enumerate() {
            let t = (v / top).clamp(0.0, 1.0);
            let colour = [
                (255.0 - t * 230.0) as u8,
                (255.0 - t * 190.0) as u8,
                (255.0 - t * 100.0) as u8,
                255,
            ];
            let (row, col) = (i / maps.side, i % maps.side);
            for dy in 0..grid.scale {
                let y = y0 + row * grid.scale + dy;
                let x = x0 + col * grid.scale;
                let start = (y * width + x) * 4;
                for px in rgba[start..start + grid.scale * 4].chunks_exact_mut(4) {
                    px.copy_from_slice(&colour);
                }
            }
        }
        if let Some((row, col)) = selected.filter(|&(r, c)| r < maps.side && c < maps.side) {
            let (top, left) = (y0 + row * grid.scale, x0 + col * grid.scale);
            for dy in 0..grid.scale {
                for dx in 0..grid.scale {
                    let border = grid.scale < 3
                        || dy == 0
                        || dx == 0
                        || dy == grid.scale - 1
                        || dx == grid.scale - 1;
                    if border {
                        let start = ((top + dy) * width + left + dx) * 4;
                        rgba[start..start + 4].copy_from_slice(&MARK);
                    }
                }
            }
        }
    }
    put_rgba(canvas, &rgba, width, height);
}

/// A layer's maps, with their name, count and size.
#[component]
pub fn LayerMaps(props: &LayerMapsProps) -> Html {
    let t = use_texts();
    let canvas = use_node_ref();
    {
        let canvas = canvas.clone();
        let index = props.index;
        use_effect_with(
            (props.inside.clone(), props.selected),
            move |(inside, selected)| paint(&canvas, &inside.layers[index], *selected),
        );
    }
    let maps = &props.inside.layers[props.index];
    let (width, height) = Grid::new(maps).size(maps);
    let pick = {
        let (inside, on_unit, layer) = (props.inside.clone(), props.on_unit.clone(), props.index);
        Callback::from(move |e: PointerEvent| {
            let Some(canvas) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlCanvasElement>().ok())
            else {
                return;
            };
            // The canvas may be drawn smaller than its pixels (narrow screens).
            let ratio = f64::from(canvas.width()) / f64::from(canvas.client_width().max(1));
            let x = (f64::from(e.offset_x()) * ratio) as usize;
            let y = (f64::from(e.offset_y()) * ratio) as usize;
            let maps = &inside.layers[layer];
            if let Some((_, row, col)) = Grid::new(maps).unit_at(maps, x, y) {
                on_unit.emit(Unit { layer, row, col });
            }
        })
    };
    let name = layer_name(t, &props.name);
    let caption = fill(
        if props.dilation > 1 {
            t.inside.maps_caption_dilated
        } else {
            t.inside.maps_caption
        },
        &[
            ("layer", &name),
            ("count", &maps.channels),
            ("side", &maps.side),
            ("dilation", &props.dilation),
        ],
    );
    html! {
        <figure class="layer-maps">
            <figcaption>{ caption }</figcaption>
            <canvas ref={canvas} class="maps" data-layer={props.name.clone()}
                data-selected={props.selected.map(|(r, c)| format!("{r},{c}"))} width={width.to_string()} height={height.to_string()}
                style={format!("width: {width}px")} onpointermove={pick.clone()} onpointerdown={pick}
                role="img" aria-label={fill(t.inside.maps_image_label, &[("count", &maps.channels), ("layer", &name)])} />
        </figure>
    }
}
