//! The learned filters of a DSD net, read once per model: the stem's 3x3 kernels, each block's
//! depthwise kernels drawn with their dilation (taps `dilation` pixels apart, the skipped pixels
//! grey) and its pointwise weights as a matrix (a row per output channel, a column per input
//! channel). Positive weights orange, negative blue, one scale per canvas.

use super::layer_name;
use crate::platform::put_rgba;
use crate::text::{fill, use_texts};
use inkling_model::inside::{Filters, TAPS, max_abs};
use std::rc::Rc;
use yew::prelude::*;

/// Kernels per row of a kernel grid.
const PER_ROW: usize = 16;

/// What a cell of a filter canvas shows.
#[derive(Clone, Copy)]
enum Cell {
    /// A weight.
    Weight(f32),
    /// An input pixel a dilated kernel skips.
    Skipped,
    /// Space between kernels.
    Gap,
}

/// A filter canvas: its cells, a pixel each, row by row.
struct Grid {
    width: usize,
    height: usize,
    cells: Vec<Cell>,
}

impl Grid {
    fn new(width: usize, height: usize) -> Self {
        Self {
            width,
            height,
            cells: vec![Cell::Gap; width * height],
        }
    }

    /// `count` kernels of 3x3 `weights`, each drawn `extent` pixels wide with taps `dilation`
    /// apart, [`PER_ROW`] to a row.
    fn kernels(weights: &[f32], count: usize, dilation: usize) -> Self {
        let extent = 2 * dilation + 1;
        let columns = count.min(PER_ROW);
        let rows = count.div_ceil(PER_ROW);
        let mut grid = Self::new(columns * (extent + 1) - 1, rows * (extent + 1) - 1);
        for k in 0..count {
            let (x0, y0) = ((k % PER_ROW) * (extent + 1), (k / PER_ROW) * (extent + 1));
            for y in 0..extent {
                for x in 0..extent {
                    grid.cells[(y0 + y) * grid.width + x0 + x] = Cell::Skipped;
                }
            }
            for tap in 0..TAPS {
                let (y, x) = ((tap / 3) * dilation, (tap % 3) * dilation);
                grid.cells[(y0 + y) * grid.width + x0 + x] = Cell::Weight(weights[k * TAPS + tap]);
            }
        }
        grid
    }

    /// A `rows` x `columns` matrix of weights.
    fn matrix(weights: &[f32], rows: usize, columns: usize) -> Self {
        Self {
            width: columns,
            height: rows,
            cells: weights.iter().map(|&w| Cell::Weight(w)).collect(),
        }
    }

    fn rgba(&self, scale: f32) -> Vec<u8> {
        self.cells
            .iter()
            .flat_map(|cell| match *cell {
                Cell::Gap => [255, 255, 255, 0],
                Cell::Skipped => [226, 229, 236, 255],
                Cell::Weight(w) => {
                    let t = (w.abs() / scale.max(1e-12)).min(1.0);
                    let tint = if w >= 0.0 {
                        [234.0, 88.0, 12.0]
                    } else {
                        [37.0, 99.0, 235.0]
                    };
                    let mix = |c: f32| (255.0 * (1.0 - t) + c * t) as u8;
                    [mix(tint[0]), mix(tint[1]), mix(tint[2]), 255]
                }
            })
            .collect()
    }
}

/// Properties of [`FilterCanvas`].
#[derive(Properties, PartialEq)]
struct FilterCanvasProps {
    layer: AttrValue,
    kind: AttrValue,
    /// The weights drawn.
    weights: Rc<Vec<f32>>,
    /// Kernels (`dilation` given) or a matrix (`columns` given).
    #[prop_or_default]
    dilation: Option<usize>,
    #[prop_or_default]
    columns: Option<usize>,
    /// CSS pixels per cell.
    zoom: usize,
    caption: AttrValue,
}

#[component]
fn FilterCanvas(props: &FilterCanvasProps) -> Html {
    let canvas = use_node_ref();
    let grid = match (props.dilation, props.columns) {
        (Some(dilation), _) => Grid::kernels(&props.weights, props.weights.len() / TAPS, dilation),
        (None, Some(columns)) => Grid::matrix(
            &props.weights,
            props.weights.len() / columns.max(1),
            columns,
        ),
        (None, None) => Grid::new(1, 1),
    };
    let scale = max_abs(&props.weights);
    let (width, height) = (grid.width, grid.height);
    {
        let canvas = canvas.clone();
        use_effect_with(props.weights.clone(), move |_| {
            put_rgba(&canvas, &grid.rgba(scale), grid.width, grid.height)
        });
    }
    html! {
        <figure class="filters">
            <canvas ref={canvas} class="filters" width={width.to_string()} height={height.to_string()}
                style={format!("width: {}px", width * props.zoom)}
                data-layer={props.layer.clone()} data-kind={props.kind.clone()}
                data-extent={props.dilation.map(|d| (2 * d + 1).to_string())}
                data-max={format!("{scale:.4}")} />
            <figcaption>{ props.caption.clone() }</figcaption>
        </figure>
    }
}

/// Properties of [`FilterView`].
#[derive(Properties, PartialEq)]
pub struct FilterViewProps {
    /// The model's filters.
    pub filters: Rc<Filters>,
}

/// Every filter of the network, layer by layer.
#[component]
pub fn FilterView(props: &FilterViewProps) -> Html {
    let t = use_texts();
    let f = &props.filters;
    let stem = fill(
        t.inside.stem_filters,
        &[
            ("layer", &layer_name(t, "stem")),
            ("count", &(f.stem.len() / TAPS)),
        ],
    );
    html! {
        <details id="filters" class="filters-view">
            <summary>{ t.inside.filters_summary }</summary>
            <p class="inside-hint">{ t.inside.filters_hint }</p>
            <FilterCanvas layer="stem" kind="kernels" weights={Rc::new(f.stem.clone())} dilation={1}
                zoom={6} caption={stem} />
            { for f.blocks.iter().enumerate().map(|(i, b)| {
                let layer = format!("block {}", i + 1);
                let name = layer_name(t, &layer);
                let depthwise = fill(
                    t.inside.depthwise_filters,
                    &[
                        ("layer", &name),
                        ("count", &b.channels),
                        ("dilation", &b.dilation),
                        ("extent", &b.extent()),
                    ],
                );
                let pointwise = fill(
                    t.inside.pointwise_filters,
                    &[("layer", &name), ("out", &b.out_channels), ("in", &b.channels)],
                );
                html! {
                    <div class="filters-block">
                        <FilterCanvas layer={layer.clone()} kind="depthwise" weights={Rc::new(b.depthwise.clone())}
                            dilation={b.dilation} zoom={4}
                            caption={depthwise} />
                        <FilterCanvas layer={layer.clone()} kind="pointwise" weights={Rc::new(b.pointwise.clone())}
                            columns={b.channels} zoom={2}
                            caption={pointwise} />
                    </div>
                }
            }) }
        </details>
    }
}
