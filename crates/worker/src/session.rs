//! The trainer loop: handles the page's commands between optimiser steps and reports every
//! step, validation, snapshot and failure.

use crate::messages::{Incoming, next_command, post, scope};
use crate::{data, gpu, set_computing_on};
use burn::tensor::Device;
use inkling_data::{Dataset, DatasetKind, Split};
use inkling_model::ModelFile;
use inkling_train::{
    Command, Compute, Evaluation, Report, RunConfig, StartFrom, TrainError, Trainer, evaluate,
};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Examples per forward pass when evaluating.
const EVAL_BATCH: usize = 250;

/// A run in progress.
struct Run {
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
}

/// Data and devices kept between runs of this worker.
#[derive(Default)]
struct Loaded {
    datasets: Option<(DatasetKind, Rc<Dataset>, Rc<Dataset>)>,
    webgpu: Option<(Device, String)>,
}

/// Runs until the page terminates the worker.
pub async fn run() {
    let mut loaded = Loaded::default();
    let mut current: Option<Run> = None;
    loop {
        while let Some(incoming) = next_command() {
            handle(incoming, &mut current, &mut loaded).await;
        }
        match current.as_mut() {
            Some(run) if run.wants_step() => {
                if let Err(failure) = run.step().await {
                    report_failure(run, failure).await;
                }
                // Let the page's next command in before the next step.
                sleep(0).await;
            }
            _ => sleep(15).await,
        }
    }
}

/// How a step went wrong.
enum Failure {
    /// Training cannot continue on this device or with these settings.
    Train(TrainError),
    /// The GPU was lost or failed.
    Gpu(String),
}

async fn handle(incoming: Incoming, current: &mut Option<Run>, loaded: &mut Loaded) {
    let Incoming { command, model } = incoming;
    match command {
        Command::Start {
            run,
            compute,
            eval_every,
            eval_size,
            start,
        } => {
            *current = None;
            set_computing_on(None);
            match start_run(
                *run,
                compute,
                eval_every,
                eval_size,
                start,
                model.as_deref(),
                loaded,
            )
            .await
            {
                Ok(run) => *current = Some(run),
                Err(Failure::Gpu(reason)) => post(&Report::GpuFailed { reason }, None),
                Err(Failure::Train(e)) => post(
                    &Report::Failed {
                        message: e.to_string(),
                    },
                    None,
                ),
            }
        }
        command => {
            let Some(run) = current.as_mut() else {
                post(
                    &Report::Failed {
                        message: "there is no run to control: start one first".into(),
                    },
                    None,
                );
                return;
            };
            run.control(command).await;
        }
    }
}

async fn start_run(
    config: RunConfig,
    compute: Compute,
    eval_every: usize,
    eval_size: usize,
    start: StartFrom,
    model: Option<&[u8]>,
    loaded: &mut Loaded,
) -> Result<Run, Failure> {
    config
        .validate()
        .map_err(|e| Failure::Train(TrainError::InvalidConfig(e)))?;
    let (full_train, test) = match &loaded.datasets {
        Some((kind, train, test)) if *kind == config.dataset => (train.clone(), test.clone()),
        _ => {
            let load = |split| data::load(config.dataset, split);
            let train = Rc::new(load(Split::Train).await.map_err(device_error)?);
            let test = Rc::new(load(Split::Test).await.map_err(device_error)?);
            loaded.datasets = Some((config.dataset, train.clone(), test.clone()));
            (train, test)
        }
    };
    let (train, validation) = config.split_training_data(&full_train);
    let validation = validation.take(eval_size.min(validation.len()));
    let (device, adapter) = match compute {
        Compute::Cpu => (Device::flex(), "WebAssembly SIMD".to_string()),
        Compute::WebGpu => {
            set_computing_on(Some(Compute::WebGpu));
            if loaded.webgpu.is_none() {
                loaded.webgpu = Some(gpu::init().await.map_err(Failure::Gpu)?);
            }
            loaded.webgpu.clone().expect("initialised above")
        }
    };
    set_computing_on(Some(compute));
    let expected = config.model.clone();
    let weights = || -> Result<_, Failure> {
        let bytes =
            model.ok_or_else(|| device_error("no model file came with the command".into()))?;
        let file = ModelFile::decode(bytes)
            .map_err(|e| Failure::Train(TrainError::InvalidConfig(e.to_string())))?;
        file.load_expecting(&expected, &device.clone().autodiff())
            .map_err(|e| Failure::Train(TrainError::InvalidConfig(e.to_string())))
    };
    let trainer = match start {
        StartFrom::Seed => Trainer::new(config, train.len(), &device).map_err(Failure::Train)?,
        StartFrom::Weights => {
            let network = weights()?;
            Trainer::with_network(config, network, train.len(), &device).map_err(Failure::Train)?
        }
        StartFrom::Resume { position } => {
            // The command's run description is the one in force (the page may have changed the
            // learning rate since the snapshot).
            Trainer::resume(config, position, weights()?, None, train.len(), &device)
                .map_err(Failure::Train)?
        }
    };
    post(
        &Report::Started {
            compute,
            adapter,
            step: trainer.steps_done(),
            steps_total: trainer.total_steps(),
            steps_per_epoch: trainer.steps_per_epoch(),
            train_examples: train.len(),
            validation_examples: validation.len(),
        },
        None,
    );
    Ok(Run {
        trainer,
        compute,
        train,
        validation,
        test,
        eval_every: eval_every.max(1),
        paused: false,
        single_steps: 0,
        finished: false,
    })
}

fn device_error(message: String) -> Failure {
    Failure::Train(TrainError::Device(message))
}

impl Run {
    fn wants_step(&self) -> bool {
        !self.finished && (!self.paused || self.single_steps > 0)
    }

    async fn control(&mut self, command: Command) {
        let step = self.trainer.steps_done();
        match command {
            Command::Pause => {
                self.paused = true;
                self.single_steps = 0;
                post(&Report::Paused { step }, None);
            }
            Command::Resume => {
                self.paused = false;
                post(&Report::Resumed { step }, None);
            }
            Command::Step => {
                self.paused = true;
                self.single_steps += 1;
            }
            Command::Stop => {
                if !self.finished {
                    self.finish().await;
                }
            }
            Command::SetLearningRate { learning_rate } => {
                match self.trainer.set_learning_rate(learning_rate) {
                    Ok(()) => post(&Report::LearningRateSet { learning_rate }, None),
                    Err(e) => post(
                        &Report::Failed {
                            message: e.to_string(),
                        },
                        None,
                    ),
                }
            }
            Command::Test => {
                if let Err(failure) = self.test().await {
                    report_failure(self, failure).await;
                }
            }
            Command::Start { .. } => unreachable!("handled by the loop"),
        }
    }

    async fn step(&mut self) -> Result<(), Failure> {
        let started = now_ms();
        let metrics = self.trainer.step(&self.train).await;
        if let Some(reason) = (self.compute == Compute::WebGpu)
            .then(gpu::lost_reason)
            .flatten()
        {
            return Err(Failure::Gpu(reason));
        }
        let metrics = match metrics {
            Ok(metrics) => metrics,
            Err(TrainError::Device(e)) if self.compute == Compute::WebGpu => {
                return Err(Failure::Gpu(e));
            }
            Err(e) => return Err(Failure::Train(e)),
        };
        self.single_steps = self.single_steps.saturating_sub(1);
        post(
            &Report::Step {
                step: metrics.step,
                epoch: metrics.epoch,
                loss: metrics.loss,
                accuracy: metrics.batch_accuracy,
                learning_rate: metrics.learning_rate,
                examples: metrics.examples,
                milliseconds: now_ms() - started,
            },
            None,
        );
        if self.trainer.is_finished() {
            self.finish().await;
        } else if metrics.step.is_multiple_of(self.eval_every) {
            self.validate().await?;
            self.snapshot().await?;
        }
        Ok(())
    }

    async fn validate(&mut self) -> Result<(), Failure> {
        if self.validation.is_empty() {
            return Ok(());
        }
        let evaluation = self.evaluate(&self.validation).await?;
        post(
            &Report::Validation {
                step: self.trainer.steps_done(),
                loss: evaluation.loss,
                accuracy: evaluation.accuracy(),
            },
            None,
        );
        Ok(())
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

    async fn test(&mut self) -> Result<f64, Failure> {
        let evaluation = self.evaluate(&self.test).await?;
        post(
            &Report::Tested {
                step: self.trainer.steps_done(),
                loss: evaluation.loss,
                accuracy: evaluation.accuracy(),
                examples: self.test.len(),
            },
            None,
        );
        Ok(evaluation.accuracy())
    }

    /// Sends the current weights as a model file (with the test accuracy when known).
    async fn snapshot_with(&mut self, test_accuracy: Option<f64>) -> Result<(), Failure> {
        let file = self
            .trainer
            .model_file(test_accuracy)
            .await
            .map_err(|e| self.device_failure(e.to_string()))?;
        post(
            &Report::Snapshot {
                step: self.trainer.steps_done(),
                position: self.trainer.position(),
            },
            Some(&file.encode()),
        );
        Ok(())
    }

    async fn snapshot(&mut self) -> Result<(), Failure> {
        self.snapshot_with(None).await
    }

    /// Ends the run: validation, the whole test set, a final snapshot that records the test
    /// accuracy, then `Finished`.
    async fn finish(&mut self) {
        self.finished = true;
        let outcome = async {
            self.validate().await?;
            let accuracy = self.test().await?;
            self.snapshot_with(Some(accuracy)).await
        }
        .await;
        match outcome {
            Ok(()) => post(
                &Report::Finished {
                    step: self.trainer.steps_done(),
                },
                None,
            ),
            Err(failure) => report_failure(self, failure).await,
        }
    }

    fn device_failure(&self, message: String) -> Failure {
        match self.compute {
            Compute::WebGpu => Failure::Gpu(message),
            Compute::Cpu => Failure::Train(TrainError::Device(message)),
        }
    }
}

/// Tells the page why the run stopped. A diverged run sends the last good weights first, so the
/// page keeps them.
async fn report_failure(run: &mut Run, failure: Failure) {
    run.finished = true;
    match failure {
        Failure::Gpu(reason) => post(&Report::GpuFailed { reason }, None),
        Failure::Train(error) => {
            if matches!(error, TrainError::NonFiniteLoss { .. }) {
                let _ = run.snapshot().await;
            }
            post(
                &Report::Failed {
                    message: error.to_string(),
                },
                None,
            );
        }
    }
}

/// Milliseconds from the worker's time origin.
fn now_ms() -> f64 {
    scope().performance().map_or(0.0, |p| p.now())
}

/// Resolves after `ms` milliseconds, letting queued messages run.
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = scope()
            .set_timeout_with_callback_and_timeout_and_arguments_0(resolve.unchecked_ref(), ms);
    });
    let _ = JsFuture::from(promise).await;
}
