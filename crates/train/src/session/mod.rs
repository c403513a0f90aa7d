//! A run steered by [`Command`]s and told through [`Report`]s: the trainer's state machine
//! (pause, single steps, resume, stop, learning-rate changes, validations, snapshots, divergence,
//! a lost GPU), apart from where it runs. The browser's Web Worker drives it with `postMessage`
//! behind its [`Host`]; tests drive it natively with a host that records the reports.
//!
//! The driver owns the loop: it hands each non-start command to [`Session::control`] and calls
//! [`Session::step`] while [`Session::wants_step`]. Loading the data and creating the device stay
//! with the driver, because how they are done depends on where it runs.

use crate::engine::{TrainError, Trainer};
use crate::eval::{Evaluation, evaluate};
use crate::lr_find::LrRangeTest;
use crate::recipe::RunConfig;
use crate::remote::{Attachment, Command, Compute, OwnDigits, Report, StartFrom};
use burn::tensor::Device;
use experiments::{RangeTest, Watch};
use inkling_data::Dataset;
use std::rc::Rc;

/// Examples per forward pass when evaluating.
const EVAL_BATCH: usize = 250;

/// What a session needs from where it runs.
pub trait Host {
    /// Delivers `report`, with the attachment beside it when [`Report::carries_model`].
    fn report(&mut self, report: Report, attachment: Option<Attachment>);

    /// Milliseconds from a fixed origin, to time the steps (the shared crates keep no clock).
    fn now_ms(&self) -> f64;

    /// Why the GPU device was lost, once it has been. Checked after every step on WebGPU, since a
    /// lost device may make reads return zeros rather than fail.
    fn device_lost(&self) -> Option<String> {
        None
    }
}

/// Why a run cannot go on.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Failure {
    /// Training cannot continue with these settings or on this device.
    #[error(transparent)]
    Train(#[from] TrainError),
    /// The GPU path failed (no adapter, a rejected kernel, a lost device): the page moves the
    /// run to the CPU.
    #[error("the GPU computation failed: {0}")]
    Gpu(String),
}

impl Failure {
    /// Tells the page: [`Report::GpuFailed`] or [`Report::Failed`].
    pub fn report(self, host: &mut impl Host) {
        let report = match self {
            Failure::Gpu(reason) => Report::GpuFailed { reason },
            Failure::Train(error) => Report::Failed {
                message: error.to_string(),
            },
        };
        host.report(report, None);
    }
}

/// What a [`Command::Start`] asks for, with the data and device the driver prepared.
pub struct StartRequest<'a> {
    /// The run.
    pub config: RunConfig,
    /// Where it computes (`device` must be of this kind).
    pub compute: Compute,
    /// The device's description for the page (the GPU's name).
    pub adapter: String,
    /// Validate and send a snapshot every this many steps.
    pub eval_every: usize,
    /// Examples of the held-out set to validate on, at most.
    pub eval_size: usize,
    /// Where the weights come from.
    pub start: StartFrom,
    /// The model file (and moments) that came with the command (fine-tuning, resuming).
    pub attachment: Option<&'a Attachment>,
    /// The dataset's whole training split (the run takes its subset and validation set).
    pub full_train: &'a Dataset,
    /// A person's digits to fine-tune on, mixed with the run's training subset.
    pub own_digits: Option<OwnDigits>,
    /// The dataset's test split.
    pub test: Rc<Dataset>,
    /// The device to train on (autodiff is enabled on it).
    pub device: Device,
    /// Stop after this many validations without a better accuracy, keeping the best weights.
    pub early_stop_patience: Option<usize>,
    /// Run a learning-rate range test instead of training.
    pub lr_range: Option<LrRangeTest>,
}

/// A run in progress.
pub struct Session {
    trainer: Trainer,
    compute: Compute,
    train: Dataset,
    validation: Dataset,
    test: Rc<Dataset>,
    eval_every: usize,
    paused: bool,
    /// Steps still to take while paused (single stepping).
    single_steps: usize,
    finished: bool,
    early_stop: Option<Watch>,
    range_test: Option<RangeTest>,
}

impl Session {
    /// Whether the driver should call [`Session::step`]: running, or paused with single steps
    /// asked for, and not finished.
    pub fn wants_step(&self) -> bool {
        !self.finished && (!self.paused || self.single_steps > 0)
    }

    /// Whether the run is over (all steps done, stopped, or failed).
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// The trainer (its network, position and step count).
    pub fn trainer(&self) -> &Trainer {
        &self.trainer
    }

    /// Handles every command but [`Command::Start`] (which replaces the session and is the
    /// driver's), reporting what it did.
    pub async fn control(&mut self, command: Command, host: &mut impl Host) {
        let step = self.trainer.steps_done();
        match command {
            Command::Pause => {
                self.paused = true;
                self.single_steps = 0;
                host.report(Report::Paused { step }, None);
            }
            Command::Resume => {
                self.paused = false;
                host.report(Report::Resumed { step }, None);
            }
            Command::Step => {
                self.paused = true;
                self.single_steps += 1;
            }
            Command::Stop if self.finished => {}
            Command::Stop if self.range_test.is_some() => self.end_range_test(host),
            Command::Stop => self.finish(host).await,
            Command::SetLearningRate { learning_rate } => {
                match self.trainer.set_learning_rate(learning_rate) {
                    Ok(()) => host.report(Report::LearningRateSet { learning_rate }, None),
                    Err(e) => Failure::from(e).report(host),
                }
            }
            Command::Test => {
                if let Err(failure) = self.test(host).await {
                    self.fail(failure, host).await;
                }
            }
            Command::Start { .. } => host.report(
                Report::Failed {
                    message: "a start command reached a running session (the driver starts runs)"
                        .into(),
                },
                None,
            ),
        }
    }

    /// Takes one optimiser step and reports it; validates and sends a snapshot every
    /// `eval_every` steps, and finishes the run after its last step. A failure ends the run and
    /// is reported.
    pub async fn step(&mut self, host: &mut impl Host) {
        if let Err(failure) = self.try_step(host).await {
            self.fail(failure, host).await;
        }
    }

    async fn try_step(&mut self, host: &mut impl Host) -> Result<(), Failure> {
        self.set_range_rate()?;
        let started_ms = host.now_ms();
        let metrics = self.trainer.step(&self.train).await;
        if self.compute == Compute::WebGpu
            && let Some(reason) = host.device_lost()
        {
            return Err(Failure::Gpu(reason));
        }
        let metrics = match metrics {
            // A range test ends where the loss blows up: that is its result, not a failure.
            Err(TrainError::NonFiniteLoss { .. }) if self.range_test.is_some() => {
                self.end_range_test(host);
                return Ok(());
            }
            other => other.map_err(|e| match e {
                TrainError::Device(message) => self.device_failure(message),
                e => Failure::Train(e),
            })?,
        };
        self.single_steps = self.single_steps.saturating_sub(1);
        host.report(
            Report::Step {
                step: metrics.step,
                epoch: metrics.epoch,
                loss: metrics.loss,
                accuracy: metrics.batch_accuracy,
                learning_rate: metrics.learning_rate,
                examples: metrics.examples,
                milliseconds: host.now_ms() - started_ms,
            },
            None,
        );
        if self.range_test.is_some() {
            self.range_stepped(&metrics, host);
        } else if self.trainer.is_finished() {
            self.finish(host).await;
        } else if metrics.step.is_multiple_of(self.eval_every) {
            let accuracy = self.validate(host).await?;
            let file = self.snapshot(None, host).await?;
            if let (Some(accuracy), Some(file)) = (accuracy, file) {
                self.watch(metrics.step, accuracy, file, host).await?;
            }
        }
        Ok(())
    }

    /// Validates on the held-out set and reports it; returns the accuracy (`None`: no
    /// held-out set).
    async fn validate(&mut self, host: &mut impl Host) -> Result<Option<f64>, Failure> {
        if self.validation.is_empty() {
            return Ok(None);
        }
        let evaluation = self.evaluate(&self.validation).await?;
        host.report(
            Report::Validation {
                step: self.trainer.steps_done(),
                loss: evaluation.loss,
                accuracy: evaluation.accuracy(),
            },
            None,
        );
        Ok(Some(evaluation.accuracy()))
    }

    /// The current weights' loss and accuracy on `dataset`.
    async fn evaluate(&self, dataset: &Dataset) -> Result<Evaluation, Failure> {
        evaluate(
            self.trainer.network(),
            dataset,
            EVAL_BATCH,
            self.trainer.device(),
        )
        .await
        .map_err(|e| self.device_failure(e.to_string()))
    }

    async fn test(&mut self, host: &mut impl Host) -> Result<f64, Failure> {
        let evaluation = self.evaluate(&self.test).await?;
        let accuracy = evaluation.accuracy();
        host.report(
            Report::Tested {
                step: self.trainer.steps_done(),
                loss: evaluation.loss,
                accuracy,
                examples: self.test.len(),
                predictions: evaluation.predictions,
            },
            None,
        );
        Ok(accuracy)
    }

    /// Sends the current weights as a model file (recording the test accuracy when known), the
    /// optimiser moments, and the position to resume from them. Returns a copy of the model
    /// file when early stopping may need to restore it.
    async fn snapshot(
        &mut self,
        test_accuracy: Option<f64>,
        host: &mut impl Host,
    ) -> Result<Option<Vec<u8>>, Failure> {
        let file = self
            .trainer
            .model_file(test_accuracy)
            .await
            .map_err(|e| self.device_failure(e.to_string()))?;
        let moments = self
            .trainer
            .moments()
            .await
            .map_err(|e| self.device_failure(e.to_string()))?;
        let model = file.encode();
        let kept = self.early_stop.as_ref().map(|_| model.clone());
        host.report(
            Report::Snapshot {
                step: self.trainer.steps_done(),
                position: self.trainer.position(),
            },
            Some(Attachment {
                model,
                moments: Some(moments.encode()),
            }),
        );
        Ok(kept)
    }

    /// Ends the run: validation, the whole test set, a final snapshot that records the test
    /// accuracy, then [`Report::Finished`].
    async fn finish(&mut self, host: &mut impl Host) {
        self.finished = true;
        let outcome = async {
            self.validate(host).await?;
            let accuracy = self.test(host).await?;
            self.snapshot(Some(accuracy), host).await.map(|_| ())
        }
        .await;
        match outcome {
            Ok(()) => host.report(
                Report::Finished {
                    step: self.trainer.steps_done(),
                },
                None,
            ),
            Err(failure) => self.fail(failure, host).await,
        }
    }

    /// Ends the run and says why. A diverged run sends the last good weights first, so the page
    /// keeps them.
    async fn fail(&mut self, failure: Failure, host: &mut impl Host) {
        self.finished = true;
        if matches!(failure, Failure::Train(TrainError::NonFiniteLoss { .. })) {
            let _ = self.snapshot(None, host).await;
        }
        failure.report(host);
    }

    fn device_failure(&self, message: String) -> Failure {
        match self.compute {
            Compute::WebGpu => Failure::Gpu(message),
            Compute::Cpu => Failure::Train(TrainError::Device(message)),
        }
    }
}

mod experiments;
mod start;
#[cfg(test)]
mod tests;
