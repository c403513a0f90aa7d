//! Fine-tuning on the collection: the model the pad reads with trains in the trainer worker (on
//! the CPU: a short run of small steps, where WebGPU would spend longer compiling kernels) on
//! the person's digits, minus the held-out fifth, mixed with replayed MNIST at the share the
//! slider sets. Then, before and after: the held-out digits per class, and the MNIST test set
//! (forgetting). "Use this model" makes the pad read with the personal model.

use super::outcome::{Outcome, OutcomeAction, results};
use super::samples::Sample;
use super::scores::score;
use crate::draw::classifier::Classifier;
use crate::draw::origin::Origin;
use crate::text::{fill, use_texts};
use crate::train::TrainedWeights;
use crate::train::figures::status_line;
use crate::train::frame_gap::use_frame_gap_meter;
use crate::train::session::{Initial, Link, Session, SharedSession};
use crate::train::settings::Plan;
use crate::train::state::{Phase, TrainState};
use inkling_data::DatasetKind;
use inkling_data::handwriting::{
    DEFAULT_REPLAY_SHARE, MAX_REPLAY_SHARE, held_out_indices, replayed_examples,
};
use inkling_train::{Compute, OwnDigits, Recipe, RunConfig};
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Fewest digits of one's own to fine-tune on.
pub const MIN_DIGITS: usize = 10;

/// Properties of [`TuneView`].
#[derive(Properties, PartialEq)]
pub struct TuneViewProps {
    /// The collection.
    pub samples: Rc<Vec<Sample>>,
    /// The model the pad reads with: the run starts from it.
    pub current: Option<Rc<Classifier>>,
    /// Make the pad read with the personal model.
    pub on_use: Callback<Rc<Classifier>>,
}

/// The run's controls, status and before / after table.
#[component]
pub fn TuneView(props: &TuneViewProps) -> Html {
    let t = use_texts();
    let state = use_reducer(TrainState::default);
    let session: SharedSession = use_mut_ref(Session::default);
    let frames = use_frame_gap_meter();
    let latest = use_mut_ref(|| None::<TrainedWeights>);
    let outcome = use_reducer(Outcome::default);
    let replay_percent = use_state(|| (DEFAULT_REPLAY_SHARE * 100.0).round() as u32);
    let on_weights = {
        let latest = latest.clone();
        Callback::from(move |weights| *latest.borrow_mut() = weights)
    };
    let link = Link {
        session,
        frames,
        state: state.dispatcher(),
        on_weights,
        // The held-out fifth measures this run; the evaluation view does not show it.
        on_tested: Callback::noop(),
    };
    link.set_texts(t);

    // When the run ends, its last snapshot (which records the MNIST test accuracy) is read on
    // the held-out digits.
    {
        let (latest, outcome) = (latest.clone(), outcome.clone());
        let finished = state.phase == Phase::Finished;
        use_effect_with((finished, state.snapshot_step), move |&(finished, _)| {
            let weights = latest.borrow().clone();
            if let (true, Some(weights)) = (finished, weights) {
                spawn_local(async move {
                    let origin = Origin::Personal {
                        digits: outcome.trained_on,
                    };
                    let result = async {
                        let personal = Rc::new(Classifier::from_bytes(weights.file, origin)?);
                        Ok::<_, String>((score(&personal, &outcome.held_out).await?, personal))
                    }
                    .await;
                    outcome.dispatch(match result {
                        Ok((scores, personal)) => OutcomeAction::After(scores, personal),
                        Err(e) => OutcomeAction::Failed(e),
                    });
                });
            }
        });
    }

    let live = state.phase.is_live();
    let share = f64::from(*replay_percent) / 100.0;
    let enough = props.samples.len() >= MIN_DIGITS;
    let on_start = {
        let (link, outcome, samples, current) = (
            link.clone(),
            outcome.clone(),
            props.samples.clone(),
            props.current.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let Some(current) = current.clone() else {
                return;
            };
            let labels: Vec<u8> = samples.iter().map(|s| s.label).collect();
            let held = held_out_indices(&labels);
            let (mut held_out, mut train) = (Vec::new(), Vec::new());
            for (i, sample) in samples.iter().enumerate() {
                if held.contains(&i) {
                    &mut held_out
                } else {
                    &mut train
                }
                .push(sample.clone());
            }
            let held_out = Rc::new(held_out);
            outcome.dispatch(OutcomeAction::Started(Box::new(Outcome {
                held_out: held_out.clone(),
                trained_on: train.len(),
                mnist_before: current.header().test_accuracy,
                ..Outcome::default()
            })));
            {
                let (outcome, current, held_out) =
                    (outcome.clone(), current.clone(), held_out.clone());
                spawn_local(async move {
                    outcome.dispatch(match score(&current, &held_out).await {
                        Ok(scores) => OutcomeAction::Before(scores),
                        Err(e) => OutcomeAction::Failed(e),
                    });
                });
            }
            let plan = Plan {
                run: RunConfig {
                    model: current.header().model.clone(),
                    recipe: Recipe::own_digits(),
                    dataset: DatasetKind::Mnist,
                    seed: 1,
                },
                compute: Compute::Cpu,
                eval_every: 50,
                eval_size: 500,
                own_digits: Some(OwnDigits {
                    images: train
                        .iter()
                        .flat_map(|s| s.pixels.iter().copied())
                        .collect(),
                    labels: train.iter().map(|s| s.label).collect(),
                    replay_share: share,
                }),
                early_stop_patience: None,
                lr_range: None,
            };
            link.start(
                plan,
                Compute::Cpu,
                Some(Initial::File(current.bytes().clone())),
                None,
            );
        })
    };
    let on_replay = {
        let replay_percent = replay_percent.clone();
        Callback::from(move |e: InputEvent| {
            if let Ok(v) = e
                .target_unchecked_into::<HtmlInputElement>()
                .value()
                .parse()
            {
                replay_percent.set(v);
            }
        })
    };
    let on_use = {
        let (on_use, personal) = (props.on_use.clone(), outcome.personal.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(personal) = &personal {
                on_use.emit(personal.clone());
            }
        })
    };
    let examples = Recipe::own_digits().train_subset.unwrap_or_default();
    let replayed = replayed_examples(share, examples);
    html! {
        <div class="tune">
            <h3>{ t.handwriting.tune_heading }</h3>
            <p class="field">
                <label for="handwriting-replay">{ fill(t.handwriting.replay_label, &[("percent", &*replay_percent), ("replayed", &replayed), ("examples", &examples)]) }</label>
                <input id="handwriting-replay" type="range" min="0" max={((MAX_REPLAY_SHARE * 100.0) as u32).to_string()} step="5"
                    value={replay_percent.to_string()} oninput={on_replay} disabled={live} />
            </p>
            <button id="handwriting-train" onclick={on_start} disabled={live || !enough || props.current.is_none()}>
                { if enough { t.handwriting.tune_start.to_string() } else { fill(t.handwriting.tune_need_more, &[("min", &MIN_DIGITS)]) } }
            </button>
            <p id="handwriting-status" class="status" data-phase={state.phase.name()} data-step={state.step.to_string()}>
                { if state.phase == Phase::Idle { t.handwriting.tune_idle.to_string() } else { fill(t.handwriting.tune_progress, &[("status", &status_line(t, &state)), ("step", &state.step), ("total", &state.steps_total)]) } }
            </p>
            if let Some(error) = state.error.as_ref().or(outcome.error.as_ref()) {
                <p id="handwriting-error" class="error" role="alert">{ error }</p>
            }
            { results(t, &outcome, state.test.as_ref().map(|test| test.accuracy)) }
            <button id="handwriting-use" onclick={on_use} disabled={outcome.personal.is_none()}>{ t.handwriting.use_model }</button>
        </div>
    }
}
