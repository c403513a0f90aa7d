//! Test images as thumbnails, each with what the model read and how sure it was; picking one
//! shows it on the pad, where the page reads it.

use crate::platform::put_rgba;
use crate::text::{fill, use_texts};
use inkling_data::{Dataset, IMAGE_SIDE};
use inkling_train::Predictions;
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`Gallery`].
#[derive(Properties, PartialEq)]
pub struct GalleryProps {
    /// `id` of the list.
    pub id: AttrValue,
    /// The test set.
    pub test: Rc<Dataset>,
    /// What the model read in each image.
    pub predictions: Rc<Predictions>,
    /// The images to show, in order.
    pub indices: Rc<Vec<usize>>,
    /// Name of each class.
    pub names: Rc<Vec<String>>,
    /// An image was picked (its index in the test set).
    pub on_pick: Callback<usize>,
}

/// The thumbnails, in the order given.
#[component]
pub fn Gallery(props: &GalleryProps) -> Html {
    html! {
        <ol id={props.id.clone()} class="gallery">
            { for props.indices.iter().map(|&index| html! {
                <li key={index}>
                    <Thumb index={index} test={props.test.clone()} predictions={props.predictions.clone()}
                        names={props.names.clone()} on_pick={props.on_pick.clone()} />
                </li>
            }) }
        </ol>
    }
}

/// Properties of [`Thumb`].
#[derive(Properties, PartialEq)]
struct ThumbProps {
    index: usize,
    test: Rc<Dataset>,
    predictions: Rc<Predictions>,
    names: Rc<Vec<String>>,
    on_pick: Callback<usize>,
}

/// One test image, painted white on black as the dataset has it.
#[component]
fn Thumb(props: &ThumbProps) -> Html {
    let t = use_texts();
    let canvas = use_node_ref();
    {
        let canvas = canvas.clone();
        let (test, index) = (props.test.clone(), props.index);
        use_effect_with(index, move |_| {
            let rgba: Vec<u8> = test
                .image(index)
                .iter()
                .flat_map(|&v| [v, v, v, 255])
                .collect();
            put_rgba(&canvas, &rgba, IMAGE_SIDE, IMAGE_SIDE);
        });
    }
    let answer = props.predictions.get(props.index);
    let label = props.test.label(props.index);
    let percent = format!("{:.0} %", answer.confidence * 100.0);
    let (actual, read) = (
        &props.names[label as usize],
        &props.names[answer.class as usize],
    );
    let description = fill(
        t.evaluation.thumb_label,
        &[
            ("index", &props.index),
            ("actual", actual),
            ("read", read),
            ("confidence", &percent),
        ],
    );
    let title = fill(
        t.evaluation.thumb_title,
        &[("actual", actual), ("read", read)],
    );
    let (on_pick, index) = (props.on_pick.clone(), props.index);
    html! {
        <button class="thumb" data-index={index.to_string()} data-label={label.to_string()}
            data-class={answer.class.to_string()} data-confidence={answer.confidence.to_string()}
            aria-label={description} title={title}
            onclick={move |_| on_pick.emit(index)}>
            <canvas ref={canvas} width="28" height="28" />
            <span>
                if answer.class != label {
                    { format!("{actual}→{read} ") }
                }
                { percent }
            </span>
        </button>
    }
}
