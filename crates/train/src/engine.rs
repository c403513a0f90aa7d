//! The step-wise training engine.

use crate::eval::labels_tensor;
use crate::moments::Moments;
use crate::optimizer::Optimizer;
use crate::position::RunPosition;
use crate::recipe::RunConfig;
use burn::module::{Module, ModuleVisitor, Param};
use burn::nn::loss::{CrossEntropyLoss, CrossEntropyLossConfig};
use burn::optim::GradientsParams;
use burn::tensor::{Device, Tensor, TensorData, Transaction};
use inkling_data::{Batch, Dataset, Rng, ShuffledBatches};
use inkling_model::{ModelFile, ModelHeader, Network, images_tensor};
use serde::{Deserialize, Serialize};

/// Why training cannot go on.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TrainError {
    /// The run description is invalid; the message names the field.
    #[error("invalid run configuration: {0}")]
    InvalidConfig(String),
    /// There is nothing to train on.
    #[error("the training set is empty")]
    EmptyDataset,
    /// The training set is not the size the trainer was created for.
    #[error("the training set has {found} examples but this run was set up for {expected}")]
    DatasetChanged { expected: usize, found: usize },
    /// The loss became NaN or infinite: the run diverged. The weights from before the step that
    /// produced it are kept.
    #[error(
        "training diverged at step {step}: the loss became {value}. The last good weights were kept; \
         try a lower learning rate, gradient clipping or a warm-up"
    )]
    NonFiniteLoss { step: usize, value: f64 },
    /// All planned steps are done.
    #[error("the run is finished ({0} steps)")]
    Finished(usize),
    /// The device failed (e.g. a lost GPU).
    #[error("device error: {0}")]
    Device(String),
    /// Saved optimiser state could not be restored.
    #[error("cannot restore the optimiser state: {0}")]
    Checkpoint(String),
}

/// What one optimiser step measured.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StepMetrics {
    /// Steps completed, this one included.
    pub step: usize,
    /// Fractional epochs completed.
    pub epoch: f64,
    /// Training loss of the batch (before the update).
    pub loss: f64,
    /// Fraction of the batch classified correctly (before the update).
    pub batch_accuracy: f64,
    /// Learning rate used for the update.
    pub learning_rate: f64,
    /// Examples in the batch.
    pub examples: usize,
}

/// Trains one network, one optimiser step per [`Trainer::step`] call.
pub struct Trainer {
    config: RunConfig,
    device: Device,
    model: Network,
    last_good: Network,
    optimizer: Optimizer,
    loss_fn: CrossEntropyLoss,
    batches: ShuffledBatches,
    augment_rng: Rng,
    step: usize,
    train_len: usize,
}

/// Materialises lazily initialised parameters in a fixed order, so the seed alone decides them.
struct ForceInit;

impl ModuleVisitor for ForceInit {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let _ = param.val();
    }
}

/// Held while a device is seeded and weights are drawn from it: the device's generator is
/// shared by everything on it, so two threads initialising at once (parallel tests, several
/// runs in one process) would take each other's numbers and the seed would no longer decide
/// the weights.
static SEEDED_INIT: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// `init`'s network, with every weight drawn from `device` seeded with `seed` and nothing else
/// drawing in between.
pub(crate) fn seeded_init(device: &Device, seed: u64, init: impl FnOnce() -> Network) -> Network {
    let _only_us = SEEDED_INIT
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    device.seed(seed);
    let network = init();
    network.visit(&mut ForceInit);
    network
}

impl Trainer {
    /// A fresh run: initialises the network from the seed on `device` (autodiff is enabled on it).
    pub fn new(config: RunConfig, train_len: usize, device: &Device) -> Result<Self, TrainError> {
        config.validate().map_err(TrainError::InvalidConfig)?;
        let device = device.clone().autodiff();
        // Validated above, so building it cannot fail.
        let model = seeded_init(&device, config.seed, || {
            config.model.init(&device).expect("a validated model")
        });
        Self::assemble(config, model, train_len, &device)
    }

    /// Continues training `network` (fine-tuning), which must match `config.model` and live on
    /// `device.autodiff()` (load the model file onto that device). The recipe's
    /// [`FineTune`](crate::FineTune) mode says which layers train; `head-reinit` replaces the
    /// head here, with weights drawn from the run's seed.
    pub fn with_network(
        config: RunConfig,
        network: Network,
        train_len: usize,
        device: &Device,
    ) -> Result<Self, TrainError> {
        let network = if config.recipe.fine_tune.reinitialises_head() {
            let device = device.clone().autodiff();
            seeded_init(&device, config.seed, || network.with_fresh_head(&device))
        } else {
            network
        };
        Self::assemble(config, network, train_len, device)
    }

    /// A trainer at step 0 for `network` as it is.
    fn assemble(
        config: RunConfig,
        network: Network,
        train_len: usize,
        device: &Device,
    ) -> Result<Self, TrainError> {
        config.validate().map_err(TrainError::InvalidConfig)?;
        if train_len == 0 {
            return Err(TrainError::EmptyDataset);
        }
        let device = device.clone().autodiff();
        let recipe = &config.recipe;
        let loss_fn = CrossEntropyLossConfig::new()
            .with_smoothing((recipe.label_smoothing > 0.0).then_some(recipe.label_smoothing as f32))
            .init(&device);
        Ok(Self {
            batches: ShuffledBatches::new(train_len, recipe.batch_size, config.seed),
            augment_rng: Rng::new(config.seed ^ 0xA5A5_5A5A_DEAD_BEEF),
            optimizer: Optimizer::new(recipe),
            last_good: network.clone(),
            model: network,
            loss_fn,
            device,
            step: 0,
            train_len,
            config,
        })
    }

    /// Continues `config` at `position` with `network`'s weights and (optionally) the
    /// optimiser moments saved by [`Trainer::moments`] (encoded); without them the moments start
    /// afresh. `train_len` is the size of the training set at hand: a position that does not
    /// fit it (or the run's batch size) is refused before anything is allocated.
    pub fn resume(
        config: RunConfig,
        position: RunPosition,
        network: Network,
        optimizer_state: Option<&[u8]>,
        train_len: usize,
        device: &Device,
    ) -> Result<Self, TrainError> {
        if position.train_len != train_len {
            return Err(TrainError::DatasetChanged {
                expected: position.train_len,
                found: train_len,
            });
        }
        position
            .batches
            .check(train_len, config.recipe.batch_size)
            .map_err(|e| TrainError::Checkpoint(format!("unusable run position: {e}")))?;
        let mut trainer = Self::assemble(config, network, train_len, device)?;
        if let Some(bytes) = optimizer_state {
            let moments =
                Moments::decode(bytes).map_err(|e| TrainError::Checkpoint(e.to_string()))?;
            let inner = trainer.device.clone().inner();
            trainer.optimizer.load(&moments, &trainer.model, &inner)?;
        }
        trainer.step = position.step;
        trainer.batches = position.batches;
        trainer.augment_rng = position.augment_rng;
        Ok(trainer)
    }

    /// The resumable position of the run.
    pub fn position(&self) -> RunPosition {
        RunPosition {
            step: self.step,
            batches: self.batches.clone(),
            augment_rng: self.augment_rng.clone(),
            train_len: self.train_len,
        }
    }

    /// The optimiser moments, for checkpoints and for moving the run to another device. Reads
    /// them asynchronously, so it works on every device.
    pub async fn moments(&self) -> Result<Moments, TrainError> {
        self.optimizer.moments().await
    }

    /// The current weights as a model file (the format the CLI and the page read), recording
    /// the run's model, dataset and steps, and `test_accuracy` when it was measured. Reads the
    /// weights asynchronously, so it works on every device.
    pub async fn model_file(&self, test_accuracy: Option<f64>) -> Result<ModelFile, TrainError> {
        let mut header = ModelHeader::new(self.config.model.clone(), self.config.dataset);
        header.steps = self.step as u64;
        header.test_accuracy = test_accuracy;
        ModelFile::from_network(header, &self.model)
            .await
            .map_err(|e| TrainError::Device(format!("reading the weights failed: {e}")))
    }

    /// The run being executed.
    pub fn config(&self) -> &RunConfig {
        &self.config
    }

    /// The device the run trains on (with autodiff).
    pub fn device(&self) -> &Device {
        &self.device
    }

    /// The network being trained (autodiff tensors; call `.valid()` for inference).
    pub fn network(&self) -> &Network {
        &self.model
    }

    /// Steps completed.
    pub fn steps_done(&self) -> usize {
        self.step
    }

    /// Optimiser steps in one epoch.
    pub fn steps_per_epoch(&self) -> usize {
        self.batches.steps_per_epoch()
    }

    /// Steps the whole run takes.
    pub fn total_steps(&self) -> usize {
        self.steps_per_epoch() * self.config.recipe.epochs
    }

    /// Whether every planned step is done.
    pub fn is_finished(&self) -> bool {
        self.step >= self.total_steps()
    }

    /// Learning rate the next step will use.
    pub fn next_learning_rate(&self) -> f64 {
        let r = &self.config.recipe;
        r.schedule.learning_rate(
            r.learning_rate,
            self.step,
            self.total_steps(),
            self.steps_per_epoch(),
            r.warmup_steps,
        )
    }

    /// Changes the base learning rate mid-run; the schedule keeps shaping it.
    pub fn set_learning_rate(&mut self, learning_rate: f64) -> Result<(), TrainError> {
        let mut recipe = self.config.recipe.clone();
        recipe.learning_rate = learning_rate;
        recipe.validate().map_err(TrainError::InvalidConfig)?;
        self.config.recipe = recipe;
        Ok(())
    }

    /// Replaces the network by `f(network)` between steps, keeping the optimiser's state: how a
    /// constraint is held during training (a pruned network's zeros, after every step).
    pub fn map_network(&mut self, f: impl FnOnce(Network) -> Network) {
        self.model = f(self.model.clone());
    }

    /// Runs one optimiser step on the next batch of `train` (the dataset the trainer was created
    /// for). The batch loss is read back (asynchronously) before the update: a non-finite loss
    /// stops the run and restores the weights from before the previous update.
    pub async fn step(&mut self, train: &Dataset) -> Result<StepMetrics, TrainError> {
        if train.len() != self.train_len {
            return Err(TrainError::DatasetChanged {
                expected: self.train_len,
                found: train.len(),
            });
        }
        if self.is_finished() {
            return Err(TrainError::Finished(self.total_steps()));
        }
        let learning_rate = self.next_learning_rate();
        let indices = self.batches.next_indices();
        let augment = self.config.recipe.augment;
        let batch = Batch::gather(train, &indices, Some((&augment, &mut self.augment_rng)));
        let examples = batch.len();
        let labels = labels_tensor(&batch.labels, &self.device);
        let images = images_tensor(batch.images, &self.device);
        let base_rate = self.config.recipe.fine_tune.base_rate(self.step);
        let logits = match base_rate {
            Some(_) => self.model.forward(images),
            None => self.model.forward_frozen_base(images),
        };
        let loss = self.loss_fn.forward(logits.clone(), labels.clone());
        let correct = logits
            .argmax(1)
            .squeeze_dim::<1>(1)
            .equal(labels)
            .int()
            .sum();
        let read = Transaction::default()
            .register(loss.clone())
            .register(correct)
            .execute_async()
            .await
            .map_err(|e| TrainError::Device(e.to_string()))?;
        let [loss_value, correct]: [TensorData; 2] = read
            .try_into()
            .map_err(|_| TrainError::Device("step read returned the wrong tensors".into()))?;
        let loss_value = loss_value.iter::<f64>().next().unwrap_or(f64::NAN);
        let correct = correct.iter::<i64>().next().unwrap_or(0);
        if !loss_value.is_finite() {
            self.model = self.last_good.clone();
            return Err(TrainError::NonFiniteLoss {
                step: self.step + 1,
                value: loss_value,
            });
        }
        let grads = GradientsParams::from_grads(loss.backward(), &self.model);
        self.last_good = self.model.clone();
        self.model = self.optimizer.step(
            learning_rate,
            base_rate.unwrap_or(1.0),
            self.model.clone(),
            grads,
        );
        self.step += 1;
        Ok(StepMetrics {
            step: self.step,
            epoch: self.step as f64 / self.steps_per_epoch() as f64,
            loss: loss_value,
            batch_accuracy: correct as f64 / examples as f64,
            learning_rate,
            examples,
        })
    }
}

impl RunConfig {
    /// Splits a full training set by the recipe: the last `validation_size` examples are held
    /// out for validation, and the first `train_subset` of the rest are trained on.
    pub fn split_training_data(&self, full: &Dataset) -> (Dataset, Dataset) {
        let (rest, validation) = full.split_tail(self.recipe.validation_size);
        let train = match self.recipe.train_subset {
            Some(n) if n < rest.len() => rest.take(n),
            _ => rest,
        };
        (train, validation)
    }
}
