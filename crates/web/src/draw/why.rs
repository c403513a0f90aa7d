//! "Why this digit?": while it is ticked, each reading is followed by its occlusion saliency
//! (`inkling_model::inside::Saliency`, a hundred or so occluded copies read in one batch, one
//! computation at a time behind the latest drawing), which the preview shows over the digit.

use super::classifier::Classifier;
use crate::latest::{self, Latest};
use crate::text::{fill, use_texts};
use inkling_model::inside::Saliency;
use std::rc::Rc;
use yew::prelude::*;

/// Keeps the saliency of the latest `input` while `on`, computed with `classifier`.
#[hook]
pub fn use_why(
    classifier: Option<Rc<Classifier>>,
    input: Option<Vec<f32>>,
    on: bool,
) -> (Option<Rc<Saliency>>, Option<String>) {
    let saliency = use_state(|| None::<Rc<Saliency>>);
    let error = use_state(|| None::<String>);
    let queue = use_mut_ref(Latest::<(Rc<Classifier>, Vec<f32>)>::default);
    {
        let (saliency, error) = (saliency.clone(), error.clone());
        use_effect_with(
            (on, classifier, input),
            move |(on, classifier, input)| match (on, classifier, input) {
                (true, Some(classifier), Some(input)) => latest::request(
                    queue,
                    (classifier.clone(), input.clone()),
                    move |(c, input)| {
                        let (saliency, error) = (saliency.clone(), error.clone());
                        async move {
                            match c.why(&input).await {
                                Ok(s) => {
                                    saliency.set(Some(Rc::new(s)));
                                    error.set(None);
                                }
                                Err(e) => error.set(Some(e)),
                            }
                        }
                    },
                ),
                _ => saliency.set(None),
            },
        );
    }
    ((*saliency).clone(), (*error).clone())
}

/// Properties of [`WhyToggle`].
#[derive(Properties, PartialEq)]
pub struct WhyToggleProps {
    /// Ticked.
    pub on: bool,
    /// Ticked or unticked.
    pub on_toggle: Callback<bool>,
    /// The saliency shown, if any.
    pub saliency: Option<Rc<Saliency>>,
    /// Why it could not be computed.
    pub error: Option<String>,
    /// Name of each class.
    pub names: Vec<String>,
}

/// The checkbox and what the colours mean.
#[component]
pub fn WhyToggle(props: &WhyToggleProps) -> Html {
    let t = use_texts();
    let on_change = {
        let (on, on_toggle) = (props.on, props.on_toggle.clone());
        Callback::from(move |_: Event| on_toggle.emit(!on))
    };
    let legend = props.saliency.as_ref().map(|s| {
        fill(
            t.draw.why_legend,
            &[
                ("class", &props.names[s.class]),
                ("points", &format!("{:.0}", s.max_abs() * 100.0)),
            ],
        )
    });
    html! {
        <div class="why">
            <label><input id="why" type="checkbox" checked={props.on} onchange={on_change} />
                { format!(" {}", t.draw.why_toggle) }</label>
            if props.on {
                if let Some(e) = &props.error {
                    <p class="error" role="alert">{ e }</p>
                } else if let Some(legend) = legend {
                    <p id="why-legend" class="why-legend">{ legend }</p>
                }
            }
        </div>
    }
}
