//! Messages between a page and a trainer that runs elsewhere (a Web Worker): the page sends
//! [`Command`]s, the trainer answers with [`Report`]s. Both are plain serde types, so they cross
//! `postMessage` as JSON text and neither side needs the other's code: the page builds without
//! the training engine, the worker without the user interface.
//!
//! Model files and optimiser moments are the bulky things that travel. They never go through
//! JSON (a 150 kB file would become half a megabyte of numbers to parse on the page's thread): a
//! message is the JSON text plus, for [`Command::Start`] from weights and for
//! [`Report::Snapshot`], an [`Attachment`] of transferable buffers beside it.
//! [`Command::carries_model`] and [`Report::carries_model`] say when it belongs to the message.

use crate::lr_find::{LrRangeTest, LrSuggestion};
use crate::position::RunPosition;
use crate::predictions::Predictions;
use crate::recipe::RunConfig;
use inkling_data::UnknownChoice;
use serde::{Deserialize, Serialize};

/// Where the trainer computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Compute {
    /// The GPU through WebGPU.
    #[serde(rename = "webgpu")]
    WebGpu,
    /// burn's flex CPU backend (WebAssembly SIMD128).
    Cpu,
}

inkling_data::named_choices!(Compute, "compute", [
    Compute::WebGpu => ("webgpu", "WebGPU (GPU)"),
    Compute::Cpu => ("cpu", "CPU (WebAssembly)"),
]);

impl Compute {
    /// How the page names it.
    pub fn label(self) -> &'static str {
        match self {
            Compute::WebGpu => "WebGPU",
            Compute::Cpu => "CPU",
        }
    }
}

/// A fault the trainer injects on purpose, so that tests (and a teacher showing what happens)
/// can watch the page recover: `?fault=worker-crash@12` in the page's URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    /// What goes wrong.
    pub kind: FaultKind,
    /// After which step.
    pub at_step: usize,
}

/// What an injected [`Fault`] does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FaultKind {
    /// The worker's WebAssembly traps without a word, as when it runs out of memory.
    WorkerCrash,
    /// As [`FaultKind::WorkerCrash`], in every worker the page starts for the run: a bug that
    /// strikes at the same step each time, which the page must stop retrying.
    WorkerCrashes,
    /// The WebGPU device is destroyed under the run, as when the GPU resets.
    GpuLoss,
    /// The worker allocates memory until the browser refuses, in every worker the page starts
    /// for the run: what a person sees when a run does not fit in memory.
    OutOfMemory,
}

inkling_data::named_choices!(FaultKind, "fault", [
    FaultKind::WorkerCrash => ("worker-crash", "The trainer crashes"),
    FaultKind::WorkerCrashes => ("worker-crashes", "The trainer crashes every time"),
    FaultKind::GpuLoss => ("gpu-loss", "The GPU is lost"),
    FaultKind::OutOfMemory => ("out-of-memory", "The trainer runs out of memory"),
]);

impl FaultKind {
    /// Whether every worker of the run injects it (else only the first).
    pub fn repeats(self) -> bool {
        matches!(self, FaultKind::WorkerCrashes | FaultKind::OutOfMemory)
    }
}

impl std::str::FromStr for Fault {
    type Err = String;

    /// Parses `<kind>@<step>`, e.g. `gpu-loss@5`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (kind, step) = text
            .split_once('@')
            .ok_or_else(|| format!("a fault is written <kind>@<step>, got \"{text}\""))?;
        Ok(Fault {
            kind: kind.parse().map_err(|e: UnknownChoice| e.to_string())?,
            at_step: step.parse().map_err(|_| {
                format!("the step of a fault must be a whole number, got \"{step}\"")
            })?,
        })
    }
}

/// Where a run's weights come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "from", rename_all = "kebab-case")]
pub enum StartFrom {
    /// Fresh weights from the run's seed.
    Seed,
    /// The model file beside the message (fine-tuning a trained model).
    Weights,
    /// The model file beside the message, continuing the run at `position` (as sent in
    /// [`Report::Snapshot`]) with the command's run description, and with the optimiser moments
    /// when they travel beside it too (else they start afresh).
    Resume { position: RunPosition },
}

/// The bytes beside a message rather than in its JSON: a model file and, beside a snapshot (and
/// a start that resumes from one), the run's optimiser moments, encoded ([`crate::Moments`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Attachment {
    /// The model file.
    pub model: Vec<u8>,
    /// The optimiser moments, when the run has them.
    pub moments: Option<Vec<u8>>,
}

/// A person's own digits to fine-tune on (the page's collection without its held-out fifth),
/// mixed with replayed examples of the run's dataset so the model does not forget it
/// ([`inkling_data::handwriting::mix_with_replay`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwnDigits {
    /// 784 grey levels per digit, ink high, as the pad's preprocessing gives them.
    pub images: Vec<u8>,
    /// The class of each digit.
    pub labels: Vec<u8>,
    /// Share of each epoch's examples replayed from the dataset (0 to 0.95).
    pub replay_share: f64,
}

/// What the page asks of the trainer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "kebab-case")]
pub enum Command {
    /// Start `run` on `compute`, replacing any run in progress. Every `eval_every` steps the
    /// trainer evaluates on the run's fixed held-out validation set (at most `eval_size`
    /// examples of it) and sends a weight snapshot.
    Start {
        run: Box<RunConfig>,
        compute: Compute,
        eval_every: usize,
        eval_size: usize,
        start: StartFrom,
        /// A fault to inject (tests and demonstrations only).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fault: Option<Fault>,
        /// Fine-tune on a person's own digits, with replay (the run's training subset sets how
        /// many examples an epoch has).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        own_digits: Option<Box<OwnDigits>>,
        /// Stop once this many validations in a row brought no better validation accuracy,
        /// and keep the weights of the best one ([`Report::EarlyStopped`]).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        early_stop_patience: Option<usize>,
        /// Instead of training, a learning-rate range test: the run's base rate is set to the
        /// test's rate before every step (the run should have a constant schedule), with no
        /// validations, snapshots or Test, until the loss blows up or the steps are done
        /// ([`Report::LrRangeDone`]).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lr_range: Option<Box<LrRangeTest>>,
    },
    /// Stop stepping after the current step; the run stays ready to resume.
    Pause,
    /// Continue a paused run.
    Resume,
    /// Take exactly one step of a paused run.
    Step,
    /// End the run; it evaluates on the test set and sends its final snapshot.
    Stop,
    /// Change the learning rate from the next step on.
    SetLearningRate { learning_rate: f64 },
    /// Evaluate the current weights on the whole test set of the run's dataset.
    Test,
}

/// What the trainer tells the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Report {
    /// The worker is listening. A dedicated worker drops messages that arrive before its
    /// handler is installed (while its wasm still loads), so the page holds commands until this.
    Ready,
    /// Getting the dataset: `loaded` of `total` bytes of `file` (`total` is 0 while unknown);
    /// `cached` when it came from the browser's cache.
    Loading {
        file: String,
        loaded: u64,
        total: u64,
        cached: bool,
    },
    /// The run is set up on `compute` (`adapter` describes the GPU) and about to step;
    /// `kept_moments` when it resumed with the optimiser moments of its snapshot.
    Started {
        compute: Compute,
        adapter: String,
        #[serde(default)]
        kept_moments: bool,
        step: usize,
        steps_total: usize,
        steps_per_epoch: usize,
        train_examples: usize,
        validation_examples: usize,
    },
    /// One optimiser step finished.
    Step {
        step: usize,
        epoch: f64,
        loss: f64,
        accuracy: f64,
        learning_rate: f64,
        examples: usize,
        milliseconds: f64,
    },
    /// Loss and accuracy on the fixed held-out set after `step`.
    Validation {
        step: usize,
        loss: f64,
        accuracy: f64,
    },
    /// Loss and accuracy on the whole test set (`examples` images) after `step`, and the answer
    /// for each test image (the page's error analysis).
    Tested {
        step: usize,
        loss: f64,
        accuracy: f64,
        examples: usize,
        #[serde(default)]
        predictions: Predictions,
    },
    /// The current weights and optimiser moments (the [`Attachment`] beside the message) after
    /// `step`, and the run's position to resume from them.
    Snapshot { step: usize, position: RunPosition },
    /// The run is paused after `step`.
    Paused { step: usize },
    /// The run is stepping again.
    Resumed { step: usize },
    /// The learning rate now in force (base rate; the schedule still shapes it).
    LearningRateSet { learning_rate: f64 },
    /// Early stopping ends the run after `step`: `patience` validations brought no better
    /// accuracy than `best_accuracy`, measured after `best_step`, whose weights are restored
    /// (the final validation, Test and snapshot are theirs).
    EarlyStopped {
        step: usize,
        best_step: usize,
        best_accuracy: f64,
        patience: usize,
    },
    /// The learning-rate range test ended after `step` (the loss blew up, or every step was
    /// taken); `suggestion` is `None` when the loss never fell.
    LrRangeDone {
        step: usize,
        suggestion: Option<LrSuggestion>,
    },
    /// The run finished all its epochs, or was stopped.
    Finished { step: usize },
    /// The browser keeps no copy of the dataset (Cache Storage is missing or full), so the next
    /// run downloads it again; `reason` says why. Training goes on.
    StorageUnavailable { reason: String },
    /// The trainer hit a bug (`message`) and is about to stop working; the page starts a fresh
    /// one from the last snapshot.
    Crashed { message: String },
    /// The GPU path failed; `reason` says why. The page restarts the run on the CPU from the last
    /// snapshot.
    GpuFailed { reason: String },
    /// The run cannot go on; the last good weights (last snapshot) are kept. `message` is for the
    /// person.
    Failed { message: String },
}

/// A panic's message and where it happened. In wasm a panic ends the instance, so the page's
/// and the worker's panic hooks say it (in the page, or as a [`Report`]) before it dies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanicText {
    /// What the panic said.
    pub message: String,
    /// ` (file:line)`, or empty when unknown.
    pub location: String,
}

impl PanicText {
    /// Reads the hook's `info`.
    pub fn of(info: &std::panic::PanicHookInfo<'_>) -> Self {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "an unexpected error".to_string());
        let location = info
            .location()
            .map(|l| format!(" ({}:{})", l.file(), l.line()))
            .unwrap_or_default();
        Self { message, location }
    }
}

impl std::fmt::Display for PanicText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", self.message, self.location)
    }
}

impl Command {
    /// The JSON text that crosses `postMessage`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("commands always serialise")
    }

    /// Parses a command, with a message that names what was wrong.
    pub fn from_json(text: &str) -> Result<Self, String> {
        serde_json::from_str(text).map_err(|e| format!("not a trainer command: {e}"))
    }

    /// Whether a model file travels beside this command.
    pub fn carries_model(&self) -> bool {
        matches!(
            self,
            Command::Start {
                start: StartFrom::Weights | StartFrom::Resume { .. },
                ..
            }
        )
    }
}

impl Report {
    /// The JSON text that crosses `postMessage`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("reports always serialise")
    }

    /// Parses a report, with a message that names what was wrong.
    pub fn from_json(text: &str) -> Result<Self, String> {
        serde_json::from_str(text).map_err(|e| format!("not a trainer report: {e}"))
    }

    /// Whether a model file travels beside this report.
    pub fn carries_model(&self) -> bool {
        matches!(self, Report::Snapshot { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use inkling_data::{Rng, ShuffledBatches};

    fn position(step: usize) -> RunPosition {
        RunPosition {
            step,
            batches: ShuffledBatches::new(100, 10, 1),
            augment_rng: Rng::new(2),
            train_len: 100,
        }
    }

    #[test]
    fn commands_and_reports_survive_json() {
        let commands = [
            Command::Start {
                run: Box::default(),
                compute: Compute::WebGpu,
                eval_every: 50,
                eval_size: 1000,
                start: StartFrom::Resume {
                    position: position(3),
                },
                fault: Some(Fault {
                    kind: FaultKind::GpuLoss,
                    at_step: 5,
                }),
                own_digits: Some(Box::new(OwnDigits {
                    images: vec![255; 784],
                    labels: vec![3],
                    replay_share: 0.5,
                })),
                early_stop_patience: Some(3),
                lr_range: Some(Box::default()),
            },
            Command::Pause,
            Command::SetLearningRate {
                learning_rate: 1e-3,
            },
        ];
        // Compared as JSON: a position's shuffled order is derived state, not sent.
        for command in commands {
            let json = command.to_json();
            assert_eq!(Command::from_json(&json).unwrap().to_json(), json);
        }
        let reports = [
            Report::EarlyStopped {
                step: 40,
                best_step: 20,
                best_accuracy: 0.9,
                patience: 2,
            },
            Report::LrRangeDone {
                step: 120,
                suggestion: Some(LrSuggestion {
                    rate: 3e-3,
                    lowest_loss_rate: 3e-2,
                    lowest_loss: 0.4,
                }),
            },
            Report::Step {
                step: 3,
                epoch: 0.25,
                loss: 0.5,
                accuracy: 0.75,
                learning_rate: 2e-3,
                examples: 32,
                milliseconds: 120.5,
            },
            Report::GpuFailed {
                reason: "the GPU device was lost".into(),
            },
        ];
        for report in reports {
            assert_eq!(Report::from_json(&report.to_json()).unwrap(), report);
        }
    }

    #[test]
    fn only_messages_with_weights_carry_a_model_file() {
        let start = |start| Command::Start {
            run: Box::default(),
            compute: Compute::Cpu,
            eval_every: 10,
            eval_size: 100,
            start,
            fault: None,
            own_digits: None,
            early_stop_patience: None,
            lr_range: None,
        };
        assert!(!start(StartFrom::Seed).carries_model());
        assert!(start(StartFrom::Weights).carries_model());
        assert!(!Command::Pause.carries_model());
        let snapshot = Report::Snapshot {
            step: 1,
            position: position(1),
        };
        assert!(snapshot.carries_model());
        assert!(!Report::Finished { step: 1 }.carries_model());
    }

    #[test]
    fn a_fault_is_written_kind_at_step_and_a_start_without_one_reads_as_none() {
        let fault: Fault = "worker-crash@12".parse().unwrap();
        assert_eq!(
            fault,
            Fault {
                kind: FaultKind::WorkerCrash,
                at_step: 12
            }
        );
        for (bad, says) in [
            ("worker-crash", "<kind>@<step>"),
            (
                "meteor@3",
                "unknown fault \"meteor\" (expected one of: worker-crash, worker-crashes, gpu-loss, out-of-memory)",
            ),
            ("gpu-loss@soon", "whole number"),
        ] {
            let error = bad.parse::<Fault>().unwrap_err();
            assert!(error.contains(says), "{bad}: {error}");
        }
        let json = r#"{"command":"start","run":RUN,"compute":"cpu","eval_every":5,"eval_size":10,"start":{"from":"seed"}}"#
            .replace("RUN", &serde_json::to_string(&RunConfig::default()).unwrap());
        assert!(matches!(
            Command::from_json(&json).unwrap(),
            Command::Start { fault: None, .. }
        ));
    }

    #[test]
    fn malformed_messages_are_named_errors() {
        let error = Command::from_json(r#"{"command":"jump"}"#).unwrap_err();
        assert!(error.contains("not a trainer command"), "{error}");
        assert!(Report::from_json("[1, 2]").is_err());
    }
}
