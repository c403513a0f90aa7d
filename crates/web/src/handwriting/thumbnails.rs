//! The collection as 28x28 thumbnails of what the model sees, each labelled. A thumbnail is a
//! button: focus it (click or Tab) and type a digit to relabel it, or press Delete to remove
//! it; the buttons beside the grid do the same for the one selected.

use super::samples::Sample;
use crate::draw::preview::paint;
use crate::text::{fill, use_texts};
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`Thumbnails`].
#[derive(Properties, PartialEq)]
pub struct ThumbnailsProps {
    /// The collection.
    pub samples: Rc<Vec<Sample>>,
    /// Give digit `.0` the label `.1`.
    pub on_relabel: Callback<(u32, u8)>,
    /// Delete digit `.0`.
    pub on_delete: Callback<u32>,
}

/// The grid.
#[component]
pub fn Thumbnails(props: &ThumbnailsProps) -> Html {
    let t = use_texts();
    let selected = use_state(|| None::<u32>);
    let on_key = {
        let (on_relabel, on_delete, selected) = (
            props.on_relabel.clone(),
            props.on_delete.clone(),
            selected.clone(),
        );
        Callback::from(move |(id, e): (u32, KeyboardEvent)| {
            let key = e.key();
            if let Some(digit) = key.parse::<u8>().ok().filter(|d| *d <= 9) {
                e.prevent_default();
                on_relabel.emit((id, digit));
            } else if key == "Delete" || key == "Backspace" {
                e.prevent_default();
                on_delete.emit(id);
                selected.set(None);
            }
        })
    };
    let chosen = selected.and_then(|id| props.samples.iter().find(|s| s.id == id));
    html! {
        <div class="thumbnails">
            <ul id="collection" class="collection" aria-label={t.handwriting.collection_label}>
                { for props.samples.iter().map(|sample| {
                    let id = sample.id;
                    let on_select = { let selected = selected.clone(); Callback::from(move |()| selected.set(Some(id))) };
                    let on_key = on_key.reform(move |e: KeyboardEvent| (id, e));
                    html! {
                        <li key={id}>
                            <Thumb sample={sample.clone()} selected={*selected == Some(id)} on_select={on_select} on_key={on_key} />
                        </li>
                    }
                }) }
            </ul>
            if let Some(sample) = chosen {
                <p class="selected-sample">
                    { fill(t.handwriting.selected, &[("digit", &sample.label)]) }
                    <button id="sample-delete" onclick={props.on_delete.reform({ let id = sample.id; let selected = selected.clone(); move |_: MouseEvent| { selected.set(None); id } })}>
                        { t.handwriting.delete_it }
                    </button>
                </p>
            }
        </div>
    }
}

/// Properties of [`Thumb`].
#[derive(Properties, PartialEq)]
struct ThumbProps {
    sample: Sample,
    selected: bool,
    on_select: Callback<()>,
    on_key: Callback<KeyboardEvent>,
}

/// One digit: its picture and its label.
#[component]
fn Thumb(props: &ThumbProps) -> Html {
    let t = use_texts();
    let canvas = use_node_ref();
    {
        let canvas = canvas.clone();
        use_effect_with(props.sample.pixels.clone(), move |levels| {
            let pixels: Vec<f32> = levels.iter().map(|&v| f32::from(v) / 255.0).collect();
            paint(&canvas, Some(&pixels));
        });
    }
    let sample = &props.sample;
    html! {
        <button class={classes!("sample", props.selected.then_some("selected"))}
            data-id={sample.id.to_string()} data-label={sample.label.to_string()}
            aria-label={fill(t.handwriting.thumb_label, &[("digit", &sample.label)])} aria-pressed={props.selected.to_string()}
            onclick={props.on_select.reform(|_: MouseEvent| ())} onfocus={props.on_select.reform(|_: FocusEvent| ())}
            onkeydown={props.on_key.clone()}>
            <canvas ref={canvas} width="28" height="28" />
            <span class="sample-label">{ sample.label }</span>
        </button>
    }
}
