//! The receptive-field explorer: the unit named by hovering a map (or by this form) and the
//! input pixels that can influence it, highlighted over the 28x28 image the model read. The
//! pixels come from the model crate's one function, which `inkling layers --at` prints and a
//! test checks against gradients. A toggle shows the same unit with every dilation set to 1:
//! same parameters, smaller field.

use super::{Unit, layer_name};
use crate::platform::put_rgba;
use crate::text::{fill, use_texts};
use inkling_model::ModelConfig;
use inkling_model::inside::ReceptiveField;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Properties of [`FieldView`].
#[derive(Properties, PartialEq)]
pub struct FieldViewProps {
    /// The network's description.
    pub config: ModelConfig,
    /// The unit to explain.
    pub unit: Unit,
    /// The form named another unit.
    pub on_unit: Callback<Unit>,
    /// The 28x28 image the model last read.
    pub input: Option<Vec<f32>>,
}

/// Paints the input in grey and the field in orange over it.
fn paint(canvas: &NodeRef, field: &ReceptiveField, input: Option<&[f32]>) {
    let mut rgba = vec![255u8; 28 * 28 * 4];
    for (i, px) in rgba.chunks_exact_mut(4).enumerate() {
        let ink = input.map_or(0.0, |pixels| pixels[i].clamp(0.0, 1.0));
        let grey = 255.0 * (1.0 - 0.8 * ink);
        let rgb = if field.pixels[i] {
            [
                grey * 0.55 + 0.45 * 245.0,
                grey * 0.55 + 0.45 * 130.0,
                grey * 0.55,
            ]
        } else {
            [grey, grey, grey]
        };
        for (channel, value) in px.iter_mut().zip(rgb) {
            *channel = value as u8;
        }
    }
    put_rgba(canvas, &rgba, 28, 28);
}

/// The explorer.
#[component]
pub fn FieldView(props: &FieldViewProps) -> Html {
    let t = use_texts();
    let undilated = use_state(|| false);
    let canvas = use_node_ref();
    let layers = props.config.spatial_layers();
    let dilated = layers.iter().any(|l| l.dilation > 1);
    let Some(layer) = layers.get(props.unit.layer).or(layers.first()) else {
        return html! {};
    };
    // A unit named for a larger layer is moved inside this one.
    let (row, col) = (
        props.unit.row.min(layer.side - 1),
        props.unit.col.min(layer.side - 1),
    );
    let config = match &props.config {
        ModelConfig::Dsd(c) if *undilated && dilated => {
            ModelConfig::Dsd(c.clone().without_dilation())
        }
        other => other.clone(),
    };
    let field = config
        .receptive_field_of(&layer.name, row, col)
        .expect("a layer of this network, a position inside it");
    {
        let (canvas, field, input) = (canvas.clone(), field.clone(), props.input.clone());
        use_effect_with((field, input), move |(field, input)| {
            paint(&canvas, field, input.as_deref())
        });
    }

    let index = props.unit.layer.min(layers.len() - 1);
    let emit = |f: fn(Unit, usize) -> Unit| {
        let (on_unit, unit) = (
            props.on_unit.clone(),
            Unit {
                layer: index,
                row,
                col,
            },
        );
        move |value: usize| on_unit.emit(f(unit, value))
    };
    let on_layer = {
        let set = emit(|u, layer| Unit { layer, ..u });
        Callback::from(move |e: Event| {
            if let Ok(i) = e
                .target_unchecked_into::<HtmlSelectElement>()
                .value()
                .parse()
            {
                set(i);
            }
        })
    };
    let number = |f: fn(Unit, usize) -> Unit| {
        let set = emit(f);
        Callback::from(move |e: InputEvent| {
            if let Ok(v) = e
                .target_unchecked_into::<HtmlInputElement>()
                .value()
                .parse()
            {
                set(v);
            }
        })
    };
    let on_row = number(|u, row| Unit { row, ..u });
    let on_col = number(|u, col| Unit { col, ..u });
    let on_toggle = {
        let undilated = undilated.clone();
        Callback::from(move |_: Event| undilated.set(!*undilated))
    };
    let (height, width) = field.extent();
    let max = (layer.side - 1).to_string();
    html! {
        <div class="field">
            <canvas id="field" ref={canvas} width="28" height="28" data-layer={layer.name.clone()}
                data-row={row.to_string()} data-col={col.to_string()}
                data-pixels={field.count().to_string()} data-undilated={(*undilated && dilated).to_string()}
                role="img" aria-label={t.inside.field_image_label} />
            <div class="field-controls">
                <p id="field-text" aria-live="polite">{ fill(
                    if *undilated && dilated {
                        t.inside.field_text_undilated
                    } else {
                        t.inside.field_text
                    },
                    &[
                        ("layer", &layer_name(t, &layer.name)),
                        ("row", &row),
                        ("col", &col),
                        ("pixels", &field.count()),
                        ("height", &height),
                        ("width", &width),
                    ],
                ) }</p>
                <label>{ format!("{} ", t.inside.layer_label) }
                    <select id="field-layer" onchange={on_layer}>
                        { for layers.iter().enumerate().map(|(i, l)| html! {
                            <option value={i.to_string()} selected={i == index}>{ layer_name(t, &l.name) }</option>
                        }) }
                    </select>
                </label>
                <label>{ format!(" {} ", t.inside.row_label) }<input id="field-row" type="number" min="0" max={max.clone()}
                    value={row.to_string()} oninput={on_row} /></label>
                <label>{ format!(" {} ", t.inside.column_label) }<input id="field-col" type="number" min="0" max={max}
                    value={col.to_string()} oninput={on_col} /></label>
                if dilated {
                    <label class="field-toggle"><input id="field-undilated" type="checkbox"
                        checked={*undilated} onchange={on_toggle} />{ format!(" {}", t.inside.undilated_toggle) }</label>
                }
                <p class="inside-hint">{ t.inside.pick_hint }</p>
            </div>
        </div>
    }
}
