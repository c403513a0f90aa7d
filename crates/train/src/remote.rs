//! Messages between a page and a trainer that runs elsewhere (a Web Worker): the page sends
//! [`Command`]s, the trainer answers with [`Report`]s. Both are plain serde types, so they cross
//! `postMessage` as JSON text and neither side needs the other's code: the page builds without
//! the training engine, the worker without the user interface.

use crate::recipe::RunConfig;
use serde::{Deserialize, Serialize};

/// Where the trainer computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Compute {
    /// The GPU through WebGPU.
    WebGpu,
    /// burn's flex CPU backend (WebAssembly SIMD128).
    Cpu,
}

/// What the page asks of the trainer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "kebab-case")]
pub enum Command {
    /// Start `run` from fresh weights (or from `init`, a model file, to fine-tune), replacing any
    /// run in progress. Every `eval_every` steps the trainer evaluates on a fixed held-out set of
    /// `eval_size` test examples and sends a weight snapshot.
    Start {
        run: Box<RunConfig>,
        compute: Compute,
        eval_every: usize,
        eval_size: usize,
        init: Option<Vec<u8>>,
    },
    /// Stop stepping after the current step; the run stays ready to resume.
    Pause,
    /// Continue a paused run.
    Resume,
    /// Take exactly one step of a paused run.
    Step,
    /// End the run; its weights stay available for [`Command::Snapshot`].
    Stop,
    /// Change the learning rate from the next step on.
    SetLearningRate { learning_rate: f64 },
    /// Send the current weights as a model file.
    Snapshot,
}

/// What the trainer tells the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "report", rename_all = "kebab-case")]
pub enum Report {
    /// Downloading the dataset: `loaded` of `total` bytes (`total` is 0 while unknown).
    Loading { loaded: u64, total: u64 },
    /// The run is set up on `compute` and about to take its first step.
    Started {
        compute: Compute,
        steps_total: usize,
    },
    /// One optimiser step finished.
    Step {
        step: usize,
        epoch: usize,
        loss: f64,
        accuracy: f64,
        learning_rate: f64,
        milliseconds: f64,
    },
    /// Loss and accuracy on the fixed held-out set after `step`.
    Validation {
        step: usize,
        loss: f64,
        accuracy: f64,
    },
    /// The current weights as a model file, after `step`.
    Snapshot { step: usize, model: Vec<u8> },
    /// The run is paused after `step`.
    Paused { step: usize },
    /// The run finished all its epochs, or was stopped.
    Finished { step: usize },
    /// Training moved from the GPU to the CPU, keeping the last good weights; `reason` says why.
    FellBack { reason: String },
    /// The run cannot go on; the last good weights are kept. `message` is for the person.
    Failed { message: String },
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_and_reports_survive_json() {
        let commands = [
            Command::Start {
                run: Box::default(),
                compute: Compute::WebGpu,
                eval_every: 50,
                eval_size: 1000,
                init: Some(vec![1, 2, 3]),
            },
            Command::Pause,
            Command::SetLearningRate {
                learning_rate: 1e-3,
            },
        ];
        for command in commands {
            assert_eq!(Command::from_json(&command.to_json()).unwrap(), command);
        }
        let reports = [
            Report::Step {
                step: 3,
                epoch: 0,
                loss: 0.5,
                accuracy: 0.75,
                learning_rate: 2e-3,
                milliseconds: 120.5,
            },
            Report::FellBack {
                reason: "the GPU device was lost".into(),
            },
        ];
        for report in reports {
            assert_eq!(Report::from_json(&report.to_json()).unwrap(), report);
        }
    }

    #[test]
    fn malformed_messages_are_named_errors() {
        let error = Command::from_json(r#"{"command":"jump"}"#).unwrap_err();
        assert!(error.contains("not a trainer command"), "{error}");
        assert!(Report::from_json("[1, 2]").is_err());
    }
}
