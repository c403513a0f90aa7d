//! `inkling train`'s flags, and how they override a run description.

use crate::backend::Backend;
use crate::data::DataLocation;
use anyhow::{Context, Result};
use inkling_model::ModelConfig;
use inkling_train::{
    DEFAULT_BASE_LR_FACTOR, DEFAULT_UNFREEZE_AFTER, FineTuneMode, OptimizerAlgorithm, RecipePreset,
    RunConfig, ScheduleShape,
};
use std::path::PathBuf;

/// Training examples held out for validation when early stopping is asked for without a size.
pub(super) const EARLY_STOP_VALIDATION: usize = 5000;

#[derive(clap::Args, Debug)]
pub struct TrainArgs {
    /// Model preset (ignored with --config).
    #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(ModelConfig::PRESETS))]
    pub(super) model: Option<String>,
    /// Run description file (JSON, as written in a run card's "run" field). Flags override it.
    #[arg(long)]
    pub(super) config: Option<PathBuf>,
    /// Named recipe to start from: default (15 epochs, 99.5 %) or fast (half an epoch, 99 % in
    /// under 40 s on 2 cores). Flags override its fields.
    #[arg(
        long,
        conflicts_with_all = ["config", "own_digits"],
        value_parser = crate::choice::parser::<RecipePreset>()
    )]
    pub(super) recipe: Option<RecipePreset>,
    /// Output directory for the model file, run card and checkpoint.
    #[arg(long, short)]
    pub(super) out: Option<PathBuf>,
    /// Continue the run checkpointed in --out, exactly where its last checkpoint left it.
    #[arg(long)]
    pub(super) resume: bool,
    /// Save a checkpoint every this many steps (and at the end of every epoch), so a killed
    /// run loses at most this many steps.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u64).range(1..))]
    pub(super) checkpoint_every: u64,
    /// Start from the weights in this model file (fine-tuning) instead of a fresh init; the run
    /// takes the file's architecture unless --model or --config names one.
    #[arg(long)]
    pub(super) init: Option<PathBuf>,
    /// With --init, which layers train: all; head (the base frozen in inference mode); head-reinit
    /// (a new head, the base frozen); gradual (the head for --unfreeze-after steps, then all
    /// layers, the base at --base-lr-factor times the learning rate).
    #[arg(long, requires = "init", value_parser = crate::choice::parser::<FineTuneMode>())]
    pub(super) finetune: Option<FineTuneMode>,
    /// With --finetune gradual: steps of head-only training before the base trains too
    /// [default: 100].
    #[arg(long)]
    pub(super) unfreeze_after: Option<usize>,
    /// With --finetune gradual: the base's share of the learning rate once it trains
    /// [default: 0.1].
    #[arg(long)]
    pub(super) base_lr_factor: Option<f64>,
    /// With --init, fine-tune on your own handwriting: the directory holding the IDX pair the
    /// page exports (handwriting-images-idx3-ubyte.gz, handwriting-labels-idx1-ubyte.gz). One
    /// in five of each digit is held out and scored before and after; the rest is mixed with
    /// MNIST replay. The recipe defaults to the page's for this (one epoch of 4,000 examples).
    #[arg(long, requires = "init", conflicts_with = "resume")]
    pub(super) own_digits: Option<PathBuf>,
    /// With --own-digits: the share of each epoch replayed from MNIST (0 to 0.95).
    #[arg(long, requires = "own_digits", default_value_t = inkling_data::handwriting::DEFAULT_REPLAY_SHARE)]
    pub(super) replay_share: f64,
    /// Seed for initialisation, shuffling and augmentation.
    #[arg(long)]
    pub(super) seed: Option<u64>,
    #[arg(long)]
    pub(super) epochs: Option<usize>,
    #[arg(long)]
    pub(super) batch_size: Option<usize>,
    /// Base (peak) learning rate.
    #[arg(long)]
    pub(super) lr: Option<f64>,
    /// Optimisation algorithm, with its usual hyperparameters.
    #[arg(long, value_parser = crate::choice::parser::<OptimizerAlgorithm>())]
    pub(super) optimizer: Option<OptimizerAlgorithm>,
    /// Learning-rate schedule: one-cycle (20 % warm-up), cosine (to zero), constant, step
    /// (x0.1 at a third and two thirds of the run), exponential (x0.8 per epoch).
    #[arg(long, value_parser = crate::choice::parser::<ScheduleShape>())]
    pub(super) schedule: Option<ScheduleShape>,
    #[arg(long)]
    pub(super) warmup_steps: Option<usize>,
    #[arg(long)]
    pub(super) weight_decay: Option<f64>,
    /// Clip each parameter's gradient to this L2 norm.
    #[arg(long)]
    pub(super) grad_clip: Option<f64>,
    #[arg(long)]
    pub(super) label_smoothing: Option<f64>,
    /// Dropout probability of the model.
    #[arg(long)]
    pub(super) dropout: Option<f64>,
    /// Turn random-affine augmentation off.
    #[arg(long)]
    pub(super) no_augment: bool,
    /// Train on only the first N training examples.
    #[arg(long)]
    pub(super) train_subset: Option<usize>,
    /// Stop once the validation accuracy has not improved for N epochs, and keep the weights of
    /// the best epoch (never judged on the test set). Holds out 5,000 training examples for
    /// validation unless `--validation-size` says otherwise.
    #[arg(long, value_name = "EPOCHS")]
    pub(super) early_stop_patience: Option<usize>,
    /// Hold out the last N training examples for validation.
    #[arg(long)]
    pub(super) validation_size: Option<usize>,
    /// Skip the test-set evaluation after each epoch (the final one always runs).
    #[arg(long)]
    pub(super) no_epoch_eval: bool,
    /// Evaluate on only the first N test examples (a quick check on a slow device); the run
    /// card records how many.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    pub(super) test_limit: Option<u64>,
    /// Compute backend.
    #[arg(long, value_enum, default_value = "flex")]
    pub(super) backend: Backend,
    #[command(flatten)]
    pub(super) data: DataLocation,
}

pub(super) fn apply_overrides(args: &TrainArgs, mut run: RunConfig) -> Result<RunConfig> {
    if let Some(name) = &args.model
        && args.config.is_none()
    {
        run.model = ModelConfig::preset(name).with_context(|| {
            format!(
                "unknown model '{name}'; presets: {}",
                ModelConfig::PRESETS.join(", ")
            )
        })?;
    }
    let r = &mut run.recipe;
    if let Some(v) = args.epochs {
        r.epochs = v;
    }
    if let Some(v) = args.batch_size {
        r.batch_size = v;
    }
    if let Some(v) = args.lr {
        r.learning_rate = v;
    }
    if let Some(algorithm) = args.optimizer {
        r.optimizer = algorithm.defaults();
    }
    if let Some(shape) = args.schedule {
        r.schedule = shape.schedule(r.epochs);
    }
    if let Some(v) = args.warmup_steps {
        r.warmup_steps = v;
    }
    if let Some(v) = args.weight_decay {
        r.weight_decay = v;
    }
    if let Some(v) = args.grad_clip {
        r.grad_clip_norm = Some(v);
    }
    if let Some(v) = args.label_smoothing {
        r.label_smoothing = v;
    }
    if args.no_augment {
        r.augment = Default::default();
    }
    if let Some(v) = args.train_subset {
        r.train_subset = Some(v);
    }
    if let Some(v) = args.validation_size {
        r.validation_size = v;
    } else if args.early_stop_patience.is_some() && r.validation_size == 0 {
        // Early stopping needs a validation set; the default recipe holds none out.
        r.validation_size = EARLY_STOP_VALIDATION;
    }
    if let Some(p) = args.dropout {
        run.model = run.model.with_dropout(p);
    }
    if let Some(seed) = args.seed {
        run.seed = seed;
    }
    let gradual_numbers = args.unfreeze_after.is_some() || args.base_lr_factor.is_some();
    match args.finetune {
        Some(mode) => {
            if gradual_numbers && mode != FineTuneMode::Gradual {
                anyhow::bail!(
                    "--unfreeze-after and --base-lr-factor apply to --finetune gradual, not {mode}"
                );
            }
            run.recipe.fine_tune = mode.with(
                args.unfreeze_after.unwrap_or(DEFAULT_UNFREEZE_AFTER),
                args.base_lr_factor.unwrap_or(DEFAULT_BASE_LR_FACTOR),
            );
        }
        None if gradual_numbers => {
            anyhow::bail!("--unfreeze-after and --base-lr-factor need --finetune gradual")
        }
        None => {}
    }
    run.dataset = args.data.kind();
    run.validate().map_err(anyhow::Error::msg)?;
    Ok(run)
}
