//! What a handwriting run found: the held-out digits it was measured on, the scores before and
//! after, and the personal model; shown as one table.

use super::samples::Sample;
use super::scores::Scores;
use crate::draw::classifier::Classifier;
use crate::text::{Texts, fill};
use inkling_data::NUM_CLASSES;
use std::rc::Rc;
use yew::prelude::*;

/// What a run found.
#[derive(Clone, Default)]
pub struct Outcome {
    /// The held-out fifth of the collection.
    pub held_out: Rc<Vec<Sample>>,
    /// How many digits the run trained on.
    pub trained_on: usize,
    /// The starting model's MNIST test accuracy, as its file records it.
    pub mnist_before: Option<f64>,
    /// The starting model on the held-out digits.
    pub before: Option<Scores>,
    /// The personal model on the held-out digits.
    pub after: Option<Scores>,
    /// The personal model, once the run has ended.
    pub personal: Option<Rc<Classifier>>,
    /// Scoring failed.
    pub error: Option<String>,
}

/// Changes to an [`Outcome`].
pub enum OutcomeAction {
    /// A run started: everything else is forgotten.
    Started(Box<Outcome>),
    /// The starting model was scored.
    Before(Scores),
    /// The personal model was scored.
    After(Scores, Rc<Classifier>),
    /// Scoring failed.
    Failed(String),
}

impl Reducible for Outcome {
    type Action = OutcomeAction;
    fn reduce(self: Rc<Self>, action: OutcomeAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            OutcomeAction::Started(fresh) => next = *fresh,
            OutcomeAction::Before(s) => next.before = Some(s),
            OutcomeAction::After(s, c) => (next.after, next.personal) = (Some(s), Some(c)),
            OutcomeAction::Failed(e) => next.error = Some(e),
        }
        Rc::new(next)
    }
}

/// The before / after table, in `t`'s language.
pub fn results(t: &'static Texts, outcome: &Outcome, mnist_after: Option<f64>) -> Html {
    let Some(before) = outcome.before else {
        return html! {};
    };
    let percent = |a: Option<f64>| a.map_or("…".to_string(), |a| format!("{:.1} %", a * 100.0));
    let after = outcome.after.unwrap_or_default();
    html! {
        <table id="handwriting-results" class="results">
            <caption>{ fill(t.handwriting.results_caption, &[("count", &outcome.held_out.len())]) }</caption>
            <thead><tr><th scope="col">{ "" }</th><th scope="col">{ t.handwriting.before }</th><th scope="col">{ t.handwriting.after }</th></tr></thead>
            <tbody>
                <tr id="handwriting-own">
                    <th scope="row">{ t.handwriting.own_row }</th>
                    <td data-accuracy={before.accuracy().unwrap_or(f64::NAN).to_string()}>{ percent(before.accuracy()) }</td>
                    <td data-accuracy={outcome.after.and_then(|a| a.accuracy()).unwrap_or(f64::NAN).to_string()}>{ percent(outcome.after.and_then(|a| a.accuracy())) }</td>
                </tr>
                { for (0..NUM_CLASSES).map(|class| html! {
                    <tr class="per-digit"><th scope="row">{ fill(t.handwriting.digit_row, &[("digit", &class)]) }</th><td>{ before.of(t, class) }</td><td>{ if outcome.after.is_some() { after.of(t, class) } else { "…".into() } }</td></tr>
                }) }
                <tr id="handwriting-mnist">
                    <th scope="row">{ t.handwriting.mnist_row }</th>
                    <td>{ percent(outcome.mnist_before) }</td>
                    <td id="handwriting-mnist-after" data-accuracy={mnist_after.unwrap_or(f64::NAN).to_string()}>{ percent(mnist_after) }</td>
                </tr>
            </tbody>
        </table>
    }
}
