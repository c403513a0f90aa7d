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

use bars::ProbabilityBars;
use classifier::Classifier;
use classifier::Reading;
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
    let (prediction, confidence) = match &props.reading {
        Some(r) => {
            let (class, p) = r.best();
            (
                props.names[class].clone(),
                format!("{:.0} % sure", p * 100.0),
            )
        }
        None => ("–".to_string(), "draw a digit".to_string()),
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
                    { announcement(props.settled.as_ref(), &props.names) }
                </p>
            </section>
        </>
    }
}

/// What the live region says about a settled reading: read once, when the drawing stops
/// changing, not at every frame while the pen moves.
fn announcement(settled: Option<&Reading>, names: &[String]) -> String {
    match settled {
        Some(reading) => {
            let (class, p) = reading.best();
            format!("Reads {}, {:.0} % sure", names[class], p * 100.0)
        }
        None => String::new(),
    }
}
