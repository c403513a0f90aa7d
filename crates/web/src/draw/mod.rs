//! Drawing and reading: the pad a digit is drawn on ([`pad`]), the model that reads it
//! ([`classifier`]), the class probabilities ([`bars`]) and the 28x28 image the model saw
//! ([`preview`]). [`DrawView`] lays them out; the page ([`crate::app`]) owns the model and the
//! latest reading.

pub mod bars;
pub mod classifier;
pub mod origin;
pub mod pad;
pub mod preview;
pub mod settled;
pub mod why;

use crate::text::{Texts, fill, use_texts};
use bars::ProbabilityBars;
use classifier::Classifier;
use classifier::Reading;
use inkling_data::DatasetKind;
use inkling_model::NUM_CLASSES;
use pad::{Drawing, DrawingPad, ShownDigit};
use preview::Preview;
use std::rc::Rc;
use why::{WhyToggle, use_why};
use yew::prelude::*;

/// Properties of [`DrawView`].
#[derive(Properties, PartialEq)]
pub struct DrawViewProps {
    /// Brush diameter in CSS pixels.
    pub brush: f64,
    /// The drawing changed.
    pub on_change: Callback<Drawing>,
    /// Latest reading of the drawing (`None`: nothing drawn).
    pub reading: Option<Reading>,
    /// Version of the drawing that `reading` belongs to.
    pub version: u64,
    /// Name of each class.
    pub names: Vec<String>,
    /// Raised by one to clear the pad.
    #[prop_or_default]
    pub clears: u64,
    /// The model the pad reads with ("why this digit" asks it).
    #[prop_or_default]
    pub classifier: Option<Rc<Classifier>>,
    /// A digit to show on the pad instead of the strokes.
    #[prop_or_default]
    pub shown: Option<ShownDigit>,
    /// The reading the person stopped drawing for (the one announced).
    #[prop_or_default]
    pub settled: Option<Reading>,
}

/// The pad, the prediction with its confidence, what the model sees, and the probabilities.
#[component]
pub fn DrawView(props: &DrawViewProps) -> Html {
    let t = use_texts();
    let (prediction, confidence) = match &props.reading {
        Some(r) => {
            let (class, p) = r.best();
            (
                props.names[class].clone(),
                fill(t.draw.confidence, &[("percent", &percent(p))]),
            )
        }
        None => ("–".to_string(), t.draw.draw_prompt.to_string()),
    };
    let why_on = use_state(|| false);
    let input = props.reading.as_ref().map(|r| r.input.clone());
    let (saliency, why_error) = use_why(props.classifier.clone(), input.clone(), *why_on);
    let on_why = {
        let why_on = why_on.clone();
        Callback::from(move |on: bool| why_on.set(on))
    };
    html! {
        <>
            <section class="draw">
                <DrawingPad brush={props.brush} on_change={props.on_change.clone()} clears={props.clears}
                    shown={props.shown.clone()} />
            </section>
            <section class="result">
                <div class="prediction-row">
                    <div id="prediction" class="prediction" data-version={props.version.to_string()}>
                        { prediction }
                    </div>
                    <div class="side">
                        <div id="confidence" class="confidence">{ confidence }</div>
                        <Preview pixels={input} saliency={saliency.clone()} />
                    </div>
                </div>
                <WhyToggle on={*why_on} on_toggle={on_why} saliency={saliency} error={why_error}
                    names={props.names.clone()} />
                <ProbabilityBars
                    probabilities={props.reading.as_ref().map(|r| r.probabilities.clone())}
                    names={props.names.clone()}
                />
                <p id="announce" class="visually-hidden" aria-live="polite" aria-atomic="true">
                    { announcement(t, props.settled.as_ref(), &props.names) }
                </p>
            </section>
        </>
    }
}

/// What the live region says about a settled reading: read once, when the drawing stops
/// changing, not at every frame while the pen moves.
fn announcement(t: &Texts, settled: Option<&Reading>, names: &[String]) -> String {
    match settled {
        Some(reading) => {
            let (class, p) = reading.best();
            fill(
                t.draw.announcement,
                &[("class", &names[class]), ("percent", &percent(p))],
            )
        }
        None => String::new(),
    }
}

/// A probability as a whole percentage, without the unit (`0.876` -> `88`).
fn percent(p: f32) -> String {
    format!("{:.0}", p * 100.0)
}

/// The names of `dataset`'s classes in the words of `t`: the digits, or Fashion-MNIST's
/// garments (in English, those of [`DatasetKind::class_names`]).
pub fn class_names(t: &Texts, dataset: DatasetKind) -> [&'static str; NUM_CLASSES] {
    let t = &t.draw;
    match dataset {
        DatasetKind::Mnist => dataset.class_names(),
        DatasetKind::FashionMnist => [
            t.class_tshirt,
            t.class_trouser,
            t.class_pullover,
            t.class_dress,
            t.class_coat,
            t.class_sandal,
            t.class_shirt,
            t.class_sneaker,
            t.class_bag,
            t.class_ankle_boot,
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;

    fn reading(best: f32) -> Reading {
        let mut probabilities = vec![(1.0 - best) / 9.0; 10];
        probabilities[7] = best;
        Reading {
            probabilities,
            input: Vec::new(),
            millis: 1.0,
        }
    }

    #[test]
    fn the_announcement_names_the_class_and_how_sure() {
        let names: Vec<String> = (0..10).map(|d| d.to_string()).collect();
        let en = Language::En.texts();
        assert_eq!(
            announcement(en, Some(&reading(0.876)), &names),
            "Reads 7, 88 % sure"
        );
        assert_eq!(announcement(en, None, &names), "");
        assert_eq!(
            announcement(Language::Zh.texts(), Some(&reading(0.876)), &names),
            "识别为 7，置信度 88 %"
        );
    }

    #[test]
    fn the_english_texts_read_as_they_did_before_the_tables() {
        let en = &Language::En.texts().draw;
        assert_eq!(
            fill(en.why_legend, &[("class", &"7"), ("points", &"42")]),
            "Red: hiding that part lowers the 7's probability (by up to 42 points); blue: \
             hiding it raises it. Each 4x4 patch is hidden in turn."
        );
        assert_eq!(
            en.pad_keys,
            "With the keyboard: the arrow keys move the pen (with Shift, further), Space or Enter puts it down or lifts it."
        );
        assert_eq!(
            fill(en.confidence, &[("percent", &percent(0.5))]),
            "50 % sure"
        );
    }

    #[test]
    fn the_english_class_names_are_the_datasets() {
        let en = Language::En.texts();
        for dataset in [DatasetKind::Mnist, DatasetKind::FashionMnist] {
            assert_eq!(class_names(en, dataset), dataset.class_names());
        }
        assert_eq!(
            class_names(Language::Zh.texts(), DatasetKind::FashionMnist)[9],
            "短靴"
        );
    }
}
