//! Error analysis of the model the pad reads with, on the whole test set: the confusion matrix
//! (`matrix`), each class's precision, recall and F1 (`scores`), the test images behind any cell
//! and the most confident mistakes (`gallery`), any of which can be put on the pad to be read
//! again. The page reads the test set itself (`test_set`, `compute`: in short chunks between
//! frames, so drawing stays live) for a model it holds; for a training run it shows the
//! trainer's own Test, computed in the worker. Only while the view is open.

mod compute;
mod gallery;
mod matrix;
mod scores;
mod test_set;

use crate::draw::classifier::Classifier;
use crate::draw::origin::Origin;
use crate::format::group_thousands;
use crate::text::{Texts, fill, use_texts};
use crate::train::RunTest;
use gallery::Gallery;
use inkling_data::Dataset;
use inkling_train::{ConfusionMatrix, Predictions};
use matrix::{Cell, ConfusionTable};
use scores::ClassScores;
use std::rc::Rc;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Most thumbnails shown for one cell (the most confident ones).
const CELL_MAX: usize = 120;
/// Mistakes listed.
const MISTAKES_MAX: usize = 24;
/// The progress shown is updated once per this many images.
const PROGRESS_EVERY: usize = 500;

/// What was evaluated.
#[derive(PartialEq)]
enum Source {
    /// This page's training run, tested by the trainer at this step.
    TrainingRun { step: usize },
    /// A model the page holds, named by its origin.
    Model(String),
}

impl Source {
    /// What was evaluated, in the language of `t`.
    fn describe(&self, t: &Texts) -> String {
        match self {
            Source::TrainingRun { step } => {
                fill(t.evaluation.source_training_run, &[("step", step)])
            }
            Source::Model(origin) => origin.clone(),
        }
    }
}

/// An evaluation ready to show.
#[derive(PartialEq)]
pub struct Results {
    /// What was evaluated.
    source: Source,
    test: Rc<Dataset>,
    predictions: Rc<Predictions>,
    confusion: ConfusionMatrix,
    /// The most confident mistakes, worked out once rather than at every render.
    mistakes: Rc<Vec<usize>>,
}

/// Where the view is.
#[derive(Clone, PartialEq)]
enum Phase {
    /// Nothing to evaluate yet.
    Idle,
    /// Getting the test set.
    Loading,
    /// `done` of `total` images read.
    Computing {
        done: usize,
        total: usize,
    },
    /// A training run's weights: its Test is awaited.
    Waiting,
    Ready(Rc<Results>),
    Failed(String),
}

impl Phase {
    fn name(&self) -> &'static str {
        match self {
            Phase::Idle => "idle",
            Phase::Loading => "loading",
            Phase::Computing { .. } => "computing",
            Phase::Waiting => "waiting",
            Phase::Ready(_) => "ready",
            Phase::Failed(_) => "failed",
        }
    }
}

/// Properties of [`EvaluationPanel`].
#[derive(Properties, PartialEq)]
pub struct EvaluationPanelProps {
    /// The model the pad reads with.
    pub current: Option<Rc<Classifier>>,
    /// The latest Test of this page's training run (computed in its worker).
    pub run_test: Option<Rc<RunTest>>,
    /// A test image was picked: show it on the pad (its 784 ink levels and its name).
    pub on_show: Callback<(Vec<f32>, String)>,
    /// Its tab was chosen: read the test set (once per model).
    #[prop_or_default]
    pub open: bool,
}

/// Starts the evaluation the props call for, unless the view is closed; `generation` tells
/// a computation that a newer one replaced it. Errors are written with `t`.
fn evaluate(
    props: (&Option<Rc<Classifier>>, &Option<Rc<RunTest>>),
    phase: UseStateHandle<Phase>,
    generation: Rc<std::cell::Cell<u64>>,
    t: &'static Texts,
) {
    generation.set(generation.get() + 1);
    let mine = generation.get();
    let live = move || generation.get() == mine;
    match props {
        (None, _) => phase.set(Phase::Idle),
        (Some(c), test) if matches!(c.origin(), Origin::Training { .. }) => {
            let Some(test) = test.clone() else {
                return phase.set(Phase::Waiting);
            };
            phase.set(Phase::Loading);
            spawn_local(async move {
                let result = test_set::load(test.dataset, t).await.and_then(|set| {
                    results(
                        t,
                        Source::TrainingRun { step: test.step },
                        set,
                        test.predictions.clone(),
                    )
                });
                if live() {
                    phase.set(result.map(Phase::Ready).unwrap_or_else(Phase::Failed));
                }
            });
        }
        (Some(classifier), _) => {
            let classifier = classifier.clone();
            phase.set(Phase::Loading);
            spawn_local(async move {
                let result = async {
                    let set = test_set::load(classifier.header().dataset, t).await?;
                    let total = set.len();
                    let mut told = 0;
                    let progress = |done: usize| {
                        if live() && (told == 0 || done - told >= PROGRESS_EVERY) {
                            told = done;
                            phase.set(Phase::Computing { done, total });
                        }
                        live()
                    };
                    match compute::evaluate(&classifier, &set, progress).await? {
                        Some(p) => results(
                            t,
                            Source::Model(classifier.origin().to_string()),
                            set,
                            Rc::new(p),
                        )
                        .map(Some),
                        None => Ok(None),
                    }
                }
                .await;
                match result {
                    Ok(Some(r)) if live() => phase.set(Phase::Ready(r)),
                    Err(e) if live() => phase.set(Phase::Failed(e)),
                    _ => {}
                }
            });
        }
    }
}

/// The results for `predictions` of `test`, checked to belong together (the error written
/// with `t`).
fn results(
    t: &Texts,
    source: Source,
    test: Rc<Dataset>,
    predictions: Rc<Predictions>,
) -> Result<Rc<Results>, String> {
    if predictions.len() != test.len() || !predictions.is_valid() {
        return Err(fill(
            t.evaluation.answers_mismatch,
            &[("answers", &predictions.len()), ("images", &test.len())],
        ));
    }
    let confusion = predictions.confusion(test.labels());
    let mistakes = Rc::new(
        predictions
            .mistakes(test.labels())
            .into_iter()
            .take(MISTAKES_MAX)
            .collect(),
    );
    Ok(Rc::new(Results {
        source,
        test,
        predictions,
        confusion,
        mistakes,
    }))
}

/// The evaluation view; it reads the test set once its tab was chosen.
#[component]
pub fn EvaluationPanel(props: &EvaluationPanelProps) -> Html {
    let t = use_texts();
    let open = props.open;
    let phase = use_state(|| Phase::Idle);
    let selected = use_state(|| None::<Cell>);
    let normalised = use_state(|| false);
    let generation = use_memo((), |_| std::cell::Cell::new(0u64));
    {
        let phase = phase.clone();
        use_effect_with(
            (open, props.current.clone(), props.run_test.clone()),
            move |(open, current, run_test)| {
                if *open {
                    evaluate((current, run_test), phase, generation, t);
                }
            },
        );
    }
    if !open {
        return html! {};
    }
    let body = match &*phase {
        Phase::Idle => html! { <p>{ t.app.model_loading }</p> },
        Phase::Loading => html! { <p>{ t.evaluation.getting_test_set }</p> },
        Phase::Computing { done, total } => html! {
            <p>{ fill(
                    t.evaluation.reading_test_set,
                    &[("done", &group_thousands(*done)), ("total", &group_thousands(*total))],
                ) }
                <progress max={total.to_string()} value={done.to_string()} /></p>
        },
        Phase::Waiting => html! {
            <p>{ t.evaluation.waiting_for_test }</p>
        },
        Phase::Failed(e) => html! { <p class="error" role="alert">{ e }</p> },
        Phase::Ready(results) => ready(t, results, props, &selected, &normalised),
    };
    html! {
        <section id="eval" class="evaluation" aria-label={t.evaluation.section_label}
            data-state={phase.name()}>
            <h2>{ t.evaluation.heading }</h2>
            { body }
        </section>
    }
}

/// The matrix, the scores, the chosen cell's images and the most confident mistakes, in the
/// language of `t`.
fn ready(
    t: &'static Texts,
    results: &Rc<Results>,
    props: &EvaluationPanelProps,
    selected: &UseStateHandle<Option<Cell>>,
    normalised: &UseStateHandle<bool>,
) -> Html {
    let names: Rc<Vec<String>> = Rc::new(
        crate::draw::class_names(t, results.test.kind)
            .iter()
            .map(|s| s.to_string())
            .collect(),
    );
    let labels = results.test.labels();
    let on_pick = {
        let (test, on_show) = (results.test.clone(), props.on_show.clone());
        Callback::from(move |index: usize| {
            let pixels = test
                .image(index)
                .iter()
                .map(|&p| p as f32 / 255.0)
                .collect();
            on_show.emit((
                pixels,
                fill(t.evaluation.test_image_name, &[("index", &index)]),
            ));
        })
    };
    let on_select = {
        let selected = selected.clone();
        Callback::from(move |cell: Cell| selected.set(Some(cell)))
    };
    let on_normalised = {
        let normalised = normalised.clone();
        Callback::from(move |_: Event| normalised.set(!*normalised))
    };
    let gallery = selected.map(|(actual, predicted)| {
        let all = results.predictions.cell(labels, actual, predicted);
        let shown: Rc<Vec<usize>> = Rc::new(all.iter().copied().take(CELL_MAX).collect());
        let template = if all.len() > shown.len() {
            t.evaluation.cell_heading_cut
        } else {
            t.evaluation.cell_heading
        };
        let heading = fill(
            template,
            &[
                ("count", &group_thousands(all.len())),
                ("actual", &names[actual as usize]),
                ("read", &names[predicted as usize]),
                ("shown", &shown.len()),
            ],
        );
        html! {
            <div class="eval-cell" data-actual={actual.to_string()} data-predicted={predicted.to_string()}
                data-count={all.len().to_string()}>
                <h3 id="gallery-heading">{ heading }</h3>
                <Gallery id="gallery" test={results.test.clone()} predictions={results.predictions.clone()}
                    indices={shown} names={names.clone()} on_pick={on_pick.clone()} />
            </div>
        }
    });
    html! {
        <>
            <p id="eval-source" class="eval-source">{ fill(t.evaluation.model_source, &[("source", &results.source.describe(t))]) }</p>
            <div class="eval-figures">
                <div>
                    <ConfusionTable confusion={results.confusion.clone()} names={(*names).clone()}
                        normalised={**normalised} selected={**selected} on_select={on_select} />
                    <label class="eval-toggle">
                        <input id="confusion-normalised" type="checkbox" checked={**normalised}
                            onchange={on_normalised} />
                        { format!(" {}", t.evaluation.show_percentages) }
                    </label>
                </div>
                <ClassScores confusion={results.confusion.clone()} names={(*names).clone()} />
            </div>
            if let Some(gallery) = gallery {
                { gallery }
            } else {
                <p class="eval-hint">{ t.evaluation.cell_hint }</p>
            }
            <h3>{ t.evaluation.mistakes_heading }</h3>
            <Gallery id="mistakes" test={results.test.clone()} predictions={results.predictions.clone()}
                indices={results.mistakes.clone()} names={names} on_pick={on_pick} />
        </>
    }
}
