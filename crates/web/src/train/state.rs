//! What the panel shows about a run, kept in one reducer: the phase, the curves, the figures.
//! The worker's reports are its main input ([`TrainAction::Report`]).

use inkling_train::{Compute, LrSuggestion, Report};
use std::rc::Rc;
use yew::prelude::*;

/// Where a run is.
#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    /// No run yet (or reset).
    Idle,
    /// Fetching the dataset.
    Loading {
        file: String,
        loaded: u64,
        total: u64,
    },
    /// Setting up the device and the network.
    Starting,
    /// Stepping.
    Running,
    /// Paused by the person.
    Paused,
    /// All epochs done or stopped.
    Finished,
    /// Stopped by an error (the message is in `error`).
    Failed,
}

impl Phase {
    /// Its name, for the status line's `data-phase`.
    pub fn name(&self) -> &'static str {
        match self {
            Phase::Idle => "idle",
            Phase::Loading { .. } => "loading",
            Phase::Starting => "starting",
            Phase::Running => "running",
            Phase::Paused => "paused",
            Phase::Finished => "finished",
            Phase::Failed => "failed",
        }
    }

    /// Whether a worker is working on a run.
    pub fn is_live(&self) -> bool {
        matches!(
            self,
            Phase::Loading { .. } | Phase::Starting | Phase::Running | Phase::Paused
        )
    }
}

/// Everything the panel shows about the run.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainState {
    /// Where the run is.
    pub phase: Phase,
    /// Where it runs (`None`: no run).
    pub compute: Option<Compute>,
    /// The GPU's name, when it runs on one.
    pub adapter: String,
    /// Steps done.
    pub step: usize,
    /// Steps the whole run takes.
    pub steps_total: usize,
    /// Epochs done (fractional).
    pub epoch: f64,
    /// Training loss per step (raw), as `(step, loss)`.
    pub loss: Vec<(f64, f64)>,
    /// Its debiased moving average.
    pub loss_smooth: Vec<(f64, f64)>,
    /// Batch accuracy, moving average.
    pub accuracy_smooth: Vec<(f64, f64)>,
    /// Loss on the held-out examples, at every validation.
    pub validation_loss: Vec<(f64, f64)>,
    /// Accuracy on the held-out examples, at every validation.
    pub validation_accuracy: Vec<(f64, f64)>,
    /// The latest score on the whole test set.
    pub test: Option<TestResult>,
    /// Moving average of the step time.
    pub ms_per_step: f64,
    /// Time spent stepping so far (the runs table's time: pauses, loading and validations
    /// left out).
    pub stepping_ms: f64,
    /// Throughput at that step time.
    pub examples_per_second: f64,
    /// The learning rate of the latest step.
    pub learning_rate: f64,
    /// Step of the weights the drawing pad uses.
    pub snapshot_step: Option<usize>,
    /// Whether the worker got every dataset file from the browser's cache (`None`: not yet).
    pub data_cached: Option<bool>,
    /// Something the person should know (e.g. the move to the CPU).
    pub notice: Option<String>,
    /// Why the browser keeps no copy of the dataset (`None`: it does, or it is not known yet).
    pub storage: Option<String>,
    /// Where the worker now running picked the run up (`None`: it started it).
    pub resumed: Option<Resumed>,
    /// Why the run stopped.
    pub error: Option<String>,
    /// Every step's learning rate and loss, as `(rate, loss)` (the range test's curve).
    pub rate_loss: Vec<(f64, f64)>,
    /// Whether this run is a learning-rate range test.
    pub range_test: bool,
    /// The range test's suggestion once it ended (inner `None`: the loss never fell).
    pub range_result: Option<Option<LrSuggestion>>,
    /// Early stopping ended the run.
    pub early_stopped: Option<EarlyStopped>,
}

/// Why early stopping ended a run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EarlyStopped {
    /// The step it stopped after.
    pub step: usize,
    /// The step whose weights are kept.
    pub best_step: usize,
    /// Their validation accuracy.
    pub best_accuracy: f64,
    /// Validations without a better accuracy it waited for.
    pub patience: usize,
}

/// A run picked up from a snapshot (in a fresh worker, or on another device).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Resumed {
    /// The snapshot's step.
    pub step: usize,
    /// Whether the optimiser's moments came along (else they start afresh).
    pub kept_moments: bool,
}

/// A score on the whole test set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TestResult {
    /// Step of the weights that were tested.
    pub step: usize,
    /// Fraction of the test images read right.
    pub accuracy: f64,
    /// Mean loss over the test images.
    pub loss: f64,
    /// Number of test images.
    pub examples: usize,
}

impl Default for TrainState {
    fn default() -> Self {
        Self {
            phase: Phase::Idle,
            compute: None,
            adapter: String::new(),
            step: 0,
            steps_total: 0,
            epoch: 0.0,
            loss: Vec::new(),
            loss_smooth: Vec::new(),
            accuracy_smooth: Vec::new(),
            validation_loss: Vec::new(),
            validation_accuracy: Vec::new(),
            test: None,
            ms_per_step: 0.0,
            stepping_ms: 0.0,
            examples_per_second: 0.0,
            learning_rate: 0.0,
            snapshot_step: None,
            data_cached: None,
            notice: None,
            storage: None,
            resumed: None,
            error: None,
            rate_loss: Vec::new(),
            range_test: false,
            range_result: None,
            early_stopped: None,
        }
    }
}

/// Changes to [`TrainState`].
pub enum TrainAction {
    /// A new run on `compute` (curves cleared).
    Began(Compute),
    /// The run just begun is a learning-rate range test.
    RangeTest,
    /// The run continues on `compute` from the weights of step `from` (later points dropped).
    Moved { compute: Compute, from: usize },
    /// A report from the worker.
    Report(Report),
    /// A message for the person.
    Notice(String),
    /// The run stopped because of this.
    Error(String),
    /// Back to no run.
    Reset,
}

/// Smoothing of the loss curve and of the timing figures.
const SMOOTHING: f64 = 0.9;

/// Debiased exponential moving average of `values` at the new point.
fn smoothed(previous: &[(f64, f64)], raw: &[(f64, f64)], value: f64) -> f64 {
    // TensorBoard-style: average with weights SMOOTHING^k, normalised over the points seen.
    let n = raw.len() as i32;
    let last = previous.last().map_or(0.0, |p| p.1);
    let bias = 1.0 - SMOOTHING.powi(n - 1);
    let biased_last = last * bias;
    let biased = SMOOTHING * biased_last + (1.0 - SMOOTHING) * value;
    biased / (1.0 - SMOOTHING.powi(n))
}

impl Reducible for TrainState {
    type Action = TrainAction;

    fn reduce(self: Rc<Self>, action: TrainAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            TrainAction::Began(compute) => {
                next = TrainState {
                    phase: Phase::Starting,
                    compute: Some(compute),
                    ..TrainState::default()
                };
            }
            TrainAction::Moved { compute, from } => {
                next.compute = Some(compute);
                next.phase = Phase::Starting;
                let keep = |points: &mut Vec<(f64, f64)>| points.retain(|p| p.0 <= from as f64);
                keep(&mut next.loss);
                next.rate_loss.truncate(from);
                keep(&mut next.loss_smooth);
                keep(&mut next.accuracy_smooth);
                keep(&mut next.validation_loss);
                keep(&mut next.validation_accuracy);
                next.step = from;
                next.data_cached = None;
                next.ms_per_step = 0.0;
                next.examples_per_second = 0.0;
                next.error = None;
            }
            TrainAction::RangeTest => next.range_test = true,
            TrainAction::Notice(text) => next.notice = Some(text),
            TrainAction::Error(text) => {
                next.error = Some(text);
                next.phase = Phase::Failed;
            }
            TrainAction::Reset => next = TrainState::default(),
            TrainAction::Report(report) => match report {
                Report::Loading {
                    file,
                    loaded,
                    total,
                    cached,
                } => {
                    next.phase = Phase::Loading {
                        file,
                        loaded,
                        total,
                    };
                    next.data_cached = Some(next.data_cached.unwrap_or(true) && cached);
                }
                Report::Started {
                    compute,
                    adapter,
                    kept_moments,
                    step,
                    steps_total,
                    ..
                } => {
                    next.resumed = (step > 0).then_some(Resumed { step, kept_moments });
                    next.phase = Phase::Running;
                    next.compute = Some(compute);
                    next.adapter = adapter;
                    next.step = step;
                    next.steps_total = steps_total;
                }
                Report::Step {
                    step,
                    epoch,
                    loss,
                    accuracy,
                    learning_rate,
                    examples,
                    milliseconds,
                } => {
                    let x = step as f64;
                    next.step = step;
                    next.epoch = epoch;
                    next.learning_rate = learning_rate;
                    next.stepping_ms += milliseconds;
                    next.rate_loss.push((learning_rate, loss));
                    next.loss.push((x, loss));
                    let s = smoothed(&self.loss_smooth, &next.loss, loss);
                    next.loss_smooth.push((x, s));
                    let a = smoothed(&self.accuracy_smooth, &next.loss, accuracy);
                    next.accuracy_smooth.push((x, a));
                    // The first step includes set-up (kernel compilation on a GPU): it is not averaged in.
                    // The average restarts at the second step of a run.
                    next.ms_per_step = if next.ms_per_step == 0.0 || next.loss.len() == 2 {
                        milliseconds
                    } else {
                        SMOOTHING * next.ms_per_step + (1.0 - SMOOTHING) * milliseconds
                    };
                    next.examples_per_second = examples as f64 / (next.ms_per_step / 1000.0);
                }
                Report::Validation {
                    step,
                    loss,
                    accuracy,
                } => {
                    next.validation_loss.push((step as f64, loss));
                    next.validation_accuracy.push((step as f64, accuracy));
                }
                Report::Tested {
                    step,
                    loss,
                    accuracy,
                    examples,
                    ..
                } => {
                    next.test = Some(TestResult {
                        step,
                        accuracy,
                        loss,
                        examples,
                    })
                }
                Report::Snapshot { step, .. } => next.snapshot_step = Some(step),
                Report::Paused { .. } => next.phase = Phase::Paused,
                Report::Resumed { .. } => next.phase = Phase::Running,
                Report::StorageUnavailable { reason } => next.storage = Some(reason),
                // The session handles a crash (a fresh worker) and says so with a notice.
                Report::LearningRateSet { .. } | Report::Ready | Report::Crashed { .. } => {}
                Report::Finished { .. } => next.phase = Phase::Finished,
                Report::EarlyStopped {
                    step,
                    best_step,
                    best_accuracy,
                    patience,
                } => {
                    next.early_stopped = Some(EarlyStopped {
                        step,
                        best_step,
                        best_accuracy,
                        patience,
                    })
                }
                Report::LrRangeDone { suggestion, .. } => next.range_result = Some(suggestion),
                Report::GpuFailed { reason } => next.notice = Some(reason),
                Report::Failed { message } => {
                    next.error = Some(message);
                    next.phase = Phase::Failed;
                }
            },
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(step: usize) -> TrainAction {
        TrainAction::Report(Report::Step {
            step,
            epoch: 0.1,
            loss: 1.0,
            accuracy: 0.5,
            learning_rate: 1e-3,
            examples: 32,
            milliseconds: 100.0,
        })
    }

    #[test]
    fn the_smoothed_curve_starts_at_the_first_value_and_follows_the_trend() {
        let mut raw = Vec::new();
        let mut smooth: Vec<(f64, f64)> = Vec::new();
        for (i, v) in [2.0, 1.0, 1.0, 1.0].into_iter().enumerate() {
            raw.push((i as f64, v));
            let s = smoothed(&smooth, &raw, v);
            smooth.push((i as f64, s));
        }
        assert!((smooth[0].1 - 2.0).abs() < 1e-12);
        assert!(smooth[3].1 < smooth[1].1 && smooth[3].1 > 1.0);
    }

    #[test]
    fn moving_to_the_cpu_drops_points_after_the_snapshot() {
        let mut state = Rc::new(TrainState::default());
        for n in 1..=5 {
            state = state.reduce(step(n));
        }
        let state = state.reduce(TrainAction::Moved {
            compute: Compute::Cpu,
            from: 3,
        });
        assert_eq!(state.loss.len(), 3);
        assert_eq!(state.step, 3);
        assert_eq!(state.compute, Some(Compute::Cpu));
    }

    #[test]
    fn a_test_report_is_kept_by_name() {
        let state = Rc::new(TrainState::default()).reduce(TrainAction::Report(Report::Tested {
            step: 120,
            loss: 0.25,
            accuracy: 0.9,
            examples: 10_000,
            predictions: Default::default(),
        }));
        assert_eq!(
            state.test,
            Some(TestResult {
                step: 120,
                accuracy: 0.9,
                loss: 0.25,
                examples: 10_000,
            })
        );
    }
}
