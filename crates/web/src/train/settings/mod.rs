//! The training form: what a person typed (kept as text, so a half-typed value is never lost),
//! checked field by field into a run description. A value that is not a number, or is outside
//! what makes sense, is rejected at its control with a message, and nothing starts.

mod parse;
mod url;

use crate::lang::Language;
use crate::text::{Texts, fill};
use inkling_data::{AugmentConfig, Choice, DatasetKind, UnknownChoice};
use inkling_model::{Architecture, CnnConfig, DsdConfig, MlpConfig, ModelConfig};
use inkling_train::{
    Compute, DEFAULT_BASE_LR_FACTOR, DEFAULT_UNFREEZE_AFTER, FineTune, FineTuneMode, LrRangeTest,
    OptimizerAlgorithm, OwnDigits, Recipe, RunConfig, ScheduleShape,
};
use parse::{parse_number, parse_whole, picked, shown};

/// The form's fields, as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainSettings {
    /// Dataset to train on.
    pub dataset: Picked<DatasetKind>,
    /// Kind of network.
    pub architecture: Picked<Architecture>,
    /// DSD width multiplier.
    pub width: String,
    /// DSD blocks per stage.
    pub depth: String,
    /// DSD dilation on/off.
    pub dilation: bool,
    /// DSD batch norm on/off.
    pub batch_norm: bool,
    /// DSD identity shortcuts on/off.
    pub residual: bool,
    /// Optimisation algorithm.
    pub optimizer: Picked<OptimizerAlgorithm>,
    /// Base learning rate.
    pub learning_rate: String,
    /// Shape of the learning-rate schedule.
    pub schedule: Picked<ScheduleShape>,
    /// Examples per step.
    pub batch_size: String,
    /// Passes over the training subset.
    pub epochs: String,
    /// Decoupled (AdamW) or L2 weight decay.
    pub weight_decay: String,
    /// Dropout probability (before the classifier).
    pub dropout: String,
    /// Random rotations.
    pub rotate: bool,
    /// Random shifts.
    pub shift: bool,
    /// Random size changes.
    pub scale: bool,
    /// Training examples to use (empty: all).
    pub subset: String,
    /// Seed for weights, shuffling and augmentation.
    pub seed: String,
    /// Validate (and send a snapshot to the drawing pad) every this many steps.
    pub eval_every: String,
    /// Held-out examples each validation reads (fewer: cheaper validations on a slow device).
    pub eval_size: String,
    /// Early stopping: validations without a better accuracy before the run stops (empty: off).
    pub patience: String,
    /// Where to train.
    pub compute: Picked<Compute>,
    /// Start from the pretrained model (fine-tuning) instead of fresh weights.
    pub fine_tune: bool,
    /// When fine-tuning: which layers train.
    pub layers: Picked<FineTuneMode>,
    /// When fine-tuning gradually: head-only steps before the base trains too.
    pub unfreeze_after: String,
    /// When fine-tuning gradually: the base's share of the learning rate once it trains.
    pub base_lr_factor: String,
}

/// A closed choice as picked: an option of its table, or a name from the URL that is none (kept
/// so that the form shows the refusal at its field, like a mistyped number).
pub type Picked<T> = Result<T, UnknownChoice>;

/// Identifies a form field (its element id is `train-<name>`).
pub type Field = &'static str;

/// A checked form: everything the worker needs to start.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The run.
    pub run: RunConfig,
    /// Where to train it.
    pub compute: Compute,
    /// Validate every this many steps.
    pub eval_every: usize,
    /// Examples of the held-out set to validate on.
    pub eval_size: usize,
    /// A person's digits to fine-tune on (the handwriting panel's runs).
    pub own_digits: Option<OwnDigits>,
    /// Stop after this many validations without a better accuracy, keeping the best weights.
    pub early_stop_patience: Option<usize>,
    /// A learning-rate range test instead of training ([`Plan::range_test`]).
    pub lr_range: Option<LrRangeTest>,
}

/// Steps of the page's learning-rate range test: half the CLI's 200, so that it takes about
/// 20 s on the CPU path (the curve has fewer points; the suggestion is read the same way).
pub const RANGE_TEST_STEPS: usize = 100;

impl Plan {
    /// The learning-rate range test of this plan's network and optimiser: the rate growing
    /// exponentially from 1e-6 to 10 over [`RANGE_TEST_STEPS`] steps at a constant schedule,
    /// without augmentation (the curve should show the rate, not the noise) or early stopping.
    pub fn range_test(&self) -> Plan {
        let mut plan = self.clone();
        let test = LrRangeTest {
            steps: RANGE_TEST_STEPS,
            ..LrRangeTest::default()
        };
        let recipe = &mut plan.run.recipe;
        recipe.learning_rate = test.start;
        recipe.schedule = ScheduleShape::Constant.schedule(1);
        recipe.warmup_steps = 0;
        recipe.epochs = 1;
        recipe.augment = AugmentConfig::default();
        recipe.train_subset = Some(test.steps * recipe.batch_size);
        plan.early_stop_patience = None;
        plan.lr_range = Some(test);
        plan
    }
}

/// The largest batch the page trains: a batch's activations and gradients must fit in the
/// trainer's WebAssembly memory, which ends at 4 GiB.
pub const MAX_BATCH: usize = 1024;

/// Examples held out of the training set for validation.
pub const VALIDATION_EXAMPLES: usize = 1000;

/// Learning-rate slider range, as powers of ten.
pub const LOG_LR_RANGE: (f64, f64) = (-5.0, 1.0);

impl Default for TrainSettings {
    fn default() -> Self {
        let recipe = Recipe::default();
        Self {
            dataset: Ok(DatasetKind::Mnist),
            architecture: Ok(Architecture::Dsd),
            width: "1".into(),
            depth: "2".into(),
            dilation: true,
            batch_norm: true,
            residual: false,
            optimizer: Ok(recipe.optimizer.algorithm()),
            learning_rate: "0.002".into(),
            schedule: Ok(recipe.schedule.shape()),
            batch_size: "32".into(),
            epochs: "1".into(),
            weight_decay: recipe.weight_decay.to_string(),
            dropout: "0".into(),
            rotate: true,
            shift: true,
            scale: true,
            subset: String::new(),
            seed: "42".into(),
            eval_every: "50".into(),
            eval_size: VALIDATION_EXAMPLES.to_string(),
            patience: String::new(),
            compute: Ok(Compute::WebGpu),
            fine_tune: false,
            layers: Ok(FineTuneMode::All),
            unfreeze_after: DEFAULT_UNFREEZE_AFTER.to_string(),
            base_lr_factor: DEFAULT_BASE_LR_FACTOR.to_string(),
        }
    }
}

/// How the form's lists show `option` in the page's language (its own menu label for a table
/// the form does not have).
pub fn option_label<T: Choice>(t: &Texts, option: T) -> &'static str {
    table_label(t, T::WHAT, option.name()).unwrap_or(option.menu_label())
}

/// The text of option `name` of the name table `what` ([`Choice::WHAT`]), if the texts have it.
fn table_label(t: &Texts, what: &str, name: &str) -> Option<&'static str> {
    let t = &t.train;
    Some(match (what, name) {
        ("dataset", "mnist") => t.option_mnist,
        ("dataset", "fashion-mnist") => t.option_fashion_mnist,
        ("architecture", "dsd") => t.option_dsd,
        ("architecture", "cnn") => t.option_cnn,
        ("architecture", "mlp") => t.option_mlp,
        ("optimizer", "adamw") => t.option_adamw,
        ("optimizer", "adam") => t.option_adam,
        ("optimizer", "sgd") => t.option_sgd,
        ("schedule", "one-cycle") => t.option_one_cycle,
        ("schedule", "cosine") => t.option_cosine,
        ("schedule", "constant") => t.option_constant,
        ("schedule", "step") => t.option_step,
        ("schedule", "exponential") => t.option_exponential,
        ("compute", "webgpu") => t.option_webgpu,
        ("compute", "cpu") => t.option_cpu,
        ("fine-tune mode", "all") => t.option_all_layers,
        ("fine-tune mode", "head") => t.option_head,
        ("fine-tune mode", "head-reinit") => t.option_head_reinit,
        ("fine-tune mode", "gradual") => t.option_gradual,
        _ => return None,
    })
}

impl TrainSettings {
    /// The default settings with `pairs` (URL key, value) set, each required to be taken.
    #[cfg(test)]
    pub(crate) fn with_pairs(pairs: &[(&str, &str)]) -> Self {
        let mut settings = Self::default();
        for (key, value) in pairs {
            assert!(settings.set(key, value.to_string()), "{key}={value}");
        }
        settings
    }
    /// The network the form describes (a refusal's message in English: [`Self::model_in`]
    /// writes it in the page's language).
    pub fn model(&self) -> Result<ModelConfig, (Field, String)> {
        self.model_in(Language::En.texts())
    }

    /// The network the form describes, a refusal's message written with `t`.
    pub fn model_in(&self, t: &Texts) -> Result<ModelConfig, (Field, String)> {
        let w = &t.train;
        let dropout = parse_number(t, "dropout", &self.dropout, w.what_dropout, (0.0, 0.9))?;
        let model = match picked(t, "architecture", &self.architecture)? {
            Architecture::Dsd => {
                let width = parse_number(t, "width", &self.width, w.what_width, (0.25, 4.0))?;
                let depth = parse_whole(t, "depth", &self.depth, w.what_depth, (1, 4))?;
                ModelConfig::Dsd(
                    DsdConfig::staged(16, &[32, 64, 128], depth, self.dilation)
                        .with_width(width)
                        .with_batch_norm(self.batch_norm)
                        .with_residual(self.residual),
                )
            }
            Architecture::Cnn => ModelConfig::Cnn(CnnConfig::baseline()),
            Architecture::Mlp => ModelConfig::Mlp(MlpConfig::baseline()),
        };
        let model = model.with_dropout(dropout);
        model
            .validate()
            .map_err(|e| ("architecture", e.to_string()))?;
        Ok(model)
    }

    /// Sets the network fields to describe `model` (a pretrained file's), keeping everything
    /// else; false, with nothing changed, when the form cannot describe it.
    pub fn adopt(&mut self, model: &ModelConfig) -> bool {
        let mut next = self.clone();
        next.architecture = Ok(model.architecture());
        if let ModelConfig::Dsd(c) = model {
            next.width = (c.stem_channels as f64 / 16.0).to_string();
            next.depth = (c.blocks.len() / 3).to_string();
            next.dilation = c.blocks.iter().any(|b| b.dilation > 1);
            next.batch_norm = c.batch_norm;
            next.residual = c.residual;
        }
        next.dropout = model.dropout().to_string();
        let fits = next.model().is_ok_and(|m| m.same_weights_as(model));
        if fits {
            *self = next;
        }
        fits
    }

    /// Which layers train: all of them from scratch; as the form says when fine-tuning (a
    /// refusal's message in English: [`Self::fine_tune_mode_in`] writes it in the page's
    /// language).
    pub fn fine_tune_mode(&self) -> Result<FineTune, (Field, String)> {
        self.fine_tune_mode_in(Language::En.texts())
    }

    /// Which layers train, a refusal's message written with `t`.
    pub fn fine_tune_mode_in(&self, t: &Texts) -> Result<FineTune, (Field, String)> {
        if !self.fine_tune {
            return Ok(FineTune::All);
        }
        let mode = picked(t, "layers", &self.layers)?;
        if mode != FineTuneMode::Gradual {
            return Ok(mode.with(DEFAULT_UNFREEZE_AFTER, DEFAULT_BASE_LR_FACTOR));
        }
        let unfreeze_after = parse_whole(
            t,
            "unfreeze_after",
            &self.unfreeze_after,
            t.train.what_unfreeze_after,
            (0, 1_000_000),
        )?;
        let factor = parse_number(
            t,
            "base_lr_factor",
            &self.base_lr_factor,
            t.train.what_base_lr_factor,
            (0.001, 1.0),
        )?;
        Ok(mode.with(unfreeze_after, factor))
    }

    /// Checks every field; the error names the first offending one (its message in English:
    /// [`Self::plan_in`] writes it in the page's language).
    pub fn plan(&self) -> Result<Plan, (Field, String)> {
        self.plan_in(Language::En.texts())
    }

    /// Checks every field; the error names the first offending one, its message written with `t`.
    pub fn plan_in(&self, t: &Texts) -> Result<Plan, (Field, String)> {
        let w = &t.train;
        let dataset = picked(t, "dataset", &self.dataset)?;
        let model = self.model_in(t)?;
        let optimizer = picked(t, "optimizer", &self.optimizer)?.defaults();
        let learning_rate = parse_number(
            t,
            "lr",
            &self.learning_rate,
            w.what_learning_rate,
            (1e-6, 10.0),
        )?;
        let shape = picked(t, "schedule", &self.schedule)?;
        let batch_size = parse_whole(
            t,
            "batch",
            &self.batch_size,
            w.what_batch_size,
            (1, MAX_BATCH),
        )?;
        let epochs = parse_whole(t, "epochs", &self.epochs, w.what_epochs, (1, 100))?;
        let schedule = shape.schedule(epochs);
        let compute = picked(t, "compute", &self.compute)?;
        let weight_decay =
            parse_number(t, "wd", &self.weight_decay, w.what_weight_decay, (0.0, 0.5))?;
        let train_subset = match self.subset.trim() {
            "" => None,
            text => Some(parse_whole(
                t,
                "subset",
                text,
                w.what_subset,
                (100, 60_000),
            )?),
        };
        let seed = self.seed.trim().parse::<u64>().map_err(|_| {
            let message = fill(
                w.not_a_whole_number,
                &[("what", &w.what_seed), ("got", &shown(&self.seed))],
            );
            ("seed", message)
        })?;
        let eval_every = parse_whole(
            t,
            "eval_every",
            &self.eval_every,
            w.what_eval_every,
            (1, 10_000),
        )?;
        let eval_size = parse_whole(
            t,
            "eval_size",
            &self.eval_size,
            w.what_eval_size,
            (10, VALIDATION_EXAMPLES),
        )?;
        let early_stop_patience = match self.patience.trim() {
            "" => None,
            text => Some(parse_whole(t, "patience", text, w.what_patience, (1, 100))?),
        };
        let fine_tune = self.fine_tune_mode_in(t)?;
        let digits = AugmentConfig::digits();
        let recipe = Recipe {
            optimizer,
            learning_rate,
            schedule,
            weight_decay,
            batch_size,
            epochs,
            augment: AugmentConfig {
                rotation_deg: digits.rotation_deg.filter(|_| self.rotate),
                translation_px: digits.translation_px.filter(|_| self.shift),
                scale: digits.scale.filter(|_| self.scale),
            },
            train_subset,
            validation_size: VALIDATION_EXAMPLES,
            fine_tune,
            ..Recipe::default()
        };
        let run = RunConfig {
            model,
            recipe,
            dataset,
            seed,
        };
        run.validate().map_err(|e| ("architecture", e))?;
        Ok(Plan {
            run,
            compute,
            eval_every,
            eval_size,
            own_digits: None,
            early_stop_patience,
            lr_range: None,
        })
    }
}

#[cfg(test)]
mod tests;
