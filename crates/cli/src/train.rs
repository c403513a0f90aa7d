//! `inkling train`: runs a [`RunConfig`] to completion, with a progress bar, per-epoch test
//! metrics (reported, never used to pick a model), crash-safe checkpoints every
//! `--checkpoint-every` steps and at every epoch's end, `--resume`, and a run card that records
//! everything needed to reproduce and judge the run.

use crate::backend::Backend;
use crate::checkpoint::{Checkpoints, write_atomic};
use crate::data::{DataLocation, content_md5};
use crate::eval::read_model_file;
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use inkling_data::Split;
use inkling_model::{ModelConfig, ModelFile};
use inkling_train::{
    DEFAULT_BASE_LR_FACTOR, DEFAULT_UNFREEZE_AFTER, FineTuneMode, OptimizerAlgorithm, RunConfig,
    RunPosition, ScheduleShape, Trainer, evaluate,
};
use serde::{Deserialize, Serialize};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

#[derive(clap::Args, Debug)]
pub struct TrainArgs {
    /// Model preset (ignored with --config).
    #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(ModelConfig::PRESETS))]
    model: Option<String>,
    /// Run description file (JSON, as written in a run card's "run" field). Flags override it.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Output directory for the model file, run card and checkpoint.
    #[arg(long, short)]
    out: Option<PathBuf>,
    /// Continue the run checkpointed in --out, exactly where its last checkpoint left it.
    #[arg(long)]
    resume: bool,
    /// Save a checkpoint every this many steps (and at the end of every epoch), so a killed
    /// run loses at most this many steps.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u64).range(1..))]
    checkpoint_every: u64,
    /// Start from the weights in this model file (fine-tuning) instead of a fresh init; the run
    /// takes the file's architecture unless --model or --config names one.
    #[arg(long)]
    init: Option<PathBuf>,
    /// With --init, which layers train: all; head (the base frozen in inference mode); head-reinit
    /// (a new head, the base frozen); gradual (the head for --unfreeze-after steps, then all
    /// layers, the base at --base-lr-factor times the learning rate).
    #[arg(long, requires = "init", value_parser = crate::choice::parser::<FineTuneMode>())]
    finetune: Option<FineTuneMode>,
    /// With --finetune gradual: steps of head-only training before the base trains too
    /// [default: 100].
    #[arg(long)]
    unfreeze_after: Option<usize>,
    /// With --finetune gradual: the base's share of the learning rate once it trains
    /// [default: 0.1].
    #[arg(long)]
    base_lr_factor: Option<f64>,
    /// Seed for initialisation, shuffling and augmentation.
    #[arg(long)]
    seed: Option<u64>,
    #[arg(long)]
    epochs: Option<usize>,
    #[arg(long)]
    batch_size: Option<usize>,
    /// Base (peak) learning rate.
    #[arg(long)]
    lr: Option<f64>,
    /// Optimisation algorithm, with its usual hyperparameters.
    #[arg(long, value_parser = crate::choice::parser::<OptimizerAlgorithm>())]
    optimizer: Option<OptimizerAlgorithm>,
    /// Learning-rate schedule: one-cycle (20 % warm-up), cosine (to zero), constant, step
    /// (x0.1 at a third and two thirds of the run), exponential (x0.8 per epoch).
    #[arg(long, value_parser = crate::choice::parser::<ScheduleShape>())]
    schedule: Option<ScheduleShape>,
    #[arg(long)]
    warmup_steps: Option<usize>,
    #[arg(long)]
    weight_decay: Option<f64>,
    /// Clip each parameter's gradient to this L2 norm.
    #[arg(long)]
    grad_clip: Option<f64>,
    #[arg(long)]
    label_smoothing: Option<f64>,
    /// Dropout probability of the model.
    #[arg(long)]
    dropout: Option<f64>,
    /// Turn random-affine augmentation off.
    #[arg(long)]
    no_augment: bool,
    /// Train on only the first N training examples.
    #[arg(long)]
    train_subset: Option<usize>,
    /// Hold out the last N training examples for validation.
    #[arg(long)]
    validation_size: Option<usize>,
    /// Skip the test-set evaluation after each epoch (the final one always runs).
    #[arg(long)]
    no_epoch_eval: bool,
    /// Evaluate on only the first N test examples (a quick check on a slow device); the run
    /// card records how many.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    test_limit: Option<u64>,
    /// Compute backend.
    #[arg(long, value_enum, default_value = "flex")]
    backend: Backend,
    #[command(flatten)]
    data: DataLocation,
}

/// Metrics of one finished epoch, as recorded in the run card.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EpochRecord {
    pub epoch: usize,
    pub steps: usize,
    pub train_loss: f64,
    pub train_accuracy: f64,
    pub validation_accuracy: Option<f64>,
    pub test_loss: Option<f64>,
    pub test_accuracy: Option<f64>,
    pub seconds: f64,
    pub examples_per_second: f64,
}

/// Everything about a run: what was run, on which data, what it measured, how long it took.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunCard {
    pub inkling_version: String,
    pub run: RunConfig,
    pub parameters: usize,
    pub receptive_field: usize,
    pub backend: String,
    pub threads: usize,
    pub data_dir: String,
    /// MD5 of the decompressed contents of each data file.
    pub data_md5: Vec<(String, String)>,
    pub fine_tuned_from: Option<String>,
    pub epochs: Vec<EpochRecord>,
    pub final_test_accuracy: Option<f64>,
    /// Test examples the accuracies were measured on (all of them unless `--test-limit`).
    #[serde(default)]
    pub test_examples: usize,
    pub total_seconds: f64,
}

/// What a checkpoint holds besides the weights and optimiser state.
#[derive(Serialize, Deserialize)]
struct CheckpointState {
    run: RunConfig,
    position: RunPosition,
    card: RunCard,
    epoch: EpochProgress,
}

/// Sums over the steps of the epoch in progress, so an epoch interrupted by a crash is
/// recorded as if it had not been.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
struct EpochProgress {
    loss_sum: f64,
    correct_sum: f64,
    examples: usize,
    seconds: f64,
}

/// The files of one checkpoint.
const MODEL_FILE: &str = "model.inkling";
const OPTIMIZER_FILE: &str = "optimizer.bin";
const STATE_FILE: &str = "state.json";

fn apply_overrides(args: &TrainArgs, mut run: RunConfig) -> Result<RunConfig> {
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

fn data_checksums(location: &DataLocation) -> Vec<(String, String)> {
    let dir = location.dir();
    location
        .kind()
        .files()
        .iter()
        .map(|f| {
            let md5 = std::fs::read(dir.join(f.name))
                .map_err(anyhow::Error::from)
                .and_then(|b| content_md5(&b))
                .unwrap_or_else(|e| format!("unreadable: {e}"));
            (f.name.to_string(), md5)
        })
        .collect()
}

pub fn run(args: TrainArgs) -> Result<()> {
    let device = args.backend.device()?.autodiff();
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("runs").join(args.model.as_deref().unwrap_or("dsd-s")));
    let checkpoints = Checkpoints::new(out.join("checkpoint"))?;
    let full_train = args.data.load(Split::Train)?;

    let (mut trainer, mut card, mut progress_sums) = if args.resume {
        let (step, files) = checkpoints.load()?.with_context(|| {
            format!(
                "no checkpoint to resume in {} (run without --resume to start)",
                out.join("checkpoint").display()
            )
        })?;
        let file = |name: &str| {
            files
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, bytes)| bytes.as_slice())
                .with_context(|| format!("the checkpoint of step {step} has no {name}"))
        };
        let state: CheckpointState = serde_json::from_slice(file(STATE_FILE)?)
            .context("the checkpoint's run position is unreadable")?;
        let model = ModelFile::decode(file(MODEL_FILE)?)?.load(&device)?;
        let optimizer = file(OPTIMIZER_FILE)?;
        let train_len = state.run.split_training_data(&full_train).0.len();
        let trainer = Trainer::resume(
            state.run,
            state.position,
            model,
            Some(optimizer),
            train_len,
            &device,
        )?;
        println!(
            "resuming {} at step {} of {}",
            out.display(),
            trainer.steps_done(),
            trainer.total_steps()
        );
        (trainer, state.card, state.epoch)
    } else {
        let mut base: RunConfig = match &args.config {
            Some(path) => serde_json::from_slice(
                &std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?,
            )
            .with_context(|| format!("{} is not a valid run description", path.display()))?,
            None => RunConfig::default(),
        };
        let init = args.init.as_deref().map(read_model_file).transpose()?;
        if let Some(file) = &init
            && args.model.is_none()
            && args.config.is_none()
        {
            base.model = file.header.model.clone();
        }
        let run = apply_overrides(&args, base)?;
        let train_len = run.split_training_data(&full_train).0.len();
        let trainer = match init {
            Some(file) => {
                let network = file.load_expecting(&run.model, &device)?;
                Trainer::with_network(run.clone(), network, train_len, &device)?
            }
            None => Trainer::new(run.clone(), train_len, &device)?,
        };
        let card = RunCard {
            inkling_version: env!("CARGO_PKG_VERSION").to_string(),
            parameters: run.model.param_count(),
            receptive_field: run.model.receptive_field(),
            run,
            backend: format!("{:?}", args.backend).to_lowercase(),
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            data_dir: args.data.dir().display().to_string(),
            data_md5: data_checksums(&args.data),
            fine_tuned_from: args.init.as_ref().map(|p| p.display().to_string()),
            epochs: Vec::new(),
            final_test_accuracy: None,
            test_examples: 0,
            total_seconds: 0.0,
        };
        (trainer, card, EpochProgress::default())
    };

    let run = trainer.config().clone();
    let (train, validation) = run.split_training_data(&full_train);
    drop(full_train);
    let mut test = args.data.load(Split::Test)?;
    if let Some(n) = args.test_limit {
        test = test.take(usize::try_from(n).unwrap_or(usize::MAX));
    }
    card.test_examples = test.len();
    let fine_tune = run.recipe.fine_tune;
    let trains = match fine_tune.base_rate(0) {
        Some(_) => String::new(),
        None => format!(
            ", {} of them trained ({fine_tune_mode})",
            run.model.head_param_count(),
            fine_tune_mode = fine_tune.mode()
        ),
    };
    println!(
        "training {} ({} parameters{trains}, receptive field {}) on {} {} examples, {} epochs of {} steps, batch {}, seed {}",
        run.model.family(),
        card.parameters,
        card.receptive_field,
        train.len(),
        run.dataset,
        run.recipe.epochs,
        trainer.steps_per_epoch(),
        run.recipe.batch_size,
        run.seed
    );

    let batch = run.recipe.batch_size.min(train.len()) as u64;
    let progress = progress_bar(trainer.total_steps() as u64 * batch);
    progress.set_position(trainer.steps_done() as u64 * batch);
    let mut epoch_start = Instant::now();
    let mut final_eval = None;
    while !trainer.is_finished() {
        let m = pollster::block_on(trainer.step(&train))?;
        progress_sums.loss_sum += m.loss * m.examples as f64;
        progress_sums.correct_sum += m.batch_accuracy * m.examples as f64;
        progress_sums.examples += m.examples;
        progress.inc(m.examples as u64);
        progress.set_message(format!(
            "epoch {:.2} loss {:.4} acc {:.3} lr {:.2e}",
            m.epoch, m.loss, m.batch_accuracy, m.learning_rate
        ));
        if m.step % trainer.steps_per_epoch() != 0 {
            if (m.step as u64).is_multiple_of(args.checkpoint_every) {
                let mut sums = progress_sums;
                sums.seconds += epoch_start.elapsed().as_secs_f64();
                save_checkpoint(&checkpoints, &trainer, &card, sums)?;
            }
            continue;
        }
        let seconds = progress_sums.seconds + epoch_start.elapsed().as_secs_f64();
        let epoch = m.step / trainer.steps_per_epoch();
        let last = trainer.is_finished();
        let test_eval = if last || !args.no_epoch_eval {
            Some(pollster::block_on(evaluate(
                trainer.network(),
                &test,
                500,
                &device,
            ))?)
        } else {
            None
        };
        let validation_accuracy = if validation.is_empty() {
            None
        } else {
            Some(
                pollster::block_on(evaluate(trainer.network(), &validation, 500, &device))?
                    .accuracy(),
            )
        };
        let seen = progress_sums.examples.max(1) as f64;
        let record = EpochRecord {
            epoch,
            steps: m.step,
            train_loss: progress_sums.loss_sum / seen,
            train_accuracy: progress_sums.correct_sum / seen,
            validation_accuracy,
            test_loss: test_eval.as_ref().map(|e| e.loss),
            test_accuracy: test_eval.as_ref().map(|e| e.accuracy()),
            seconds,
            examples_per_second: progress_sums.examples as f64 / seconds,
        };
        progress.suspend(|| print_epoch(&record));
        if last {
            final_eval = test_eval;
        }
        card.total_seconds += seconds;
        card.epochs.push(record);
        progress_sums = EpochProgress::default();
        save_checkpoint(&checkpoints, &trainer, &card, progress_sums)?;
        epoch_start = Instant::now();
    }
    progress.finish_and_clear();

    // The last epoch already evaluated the final weights, unless a finished run was resumed.
    let final_eval = match final_eval {
        Some(eval) => eval,
        None => pollster::block_on(evaluate(trainer.network(), &test, 500, &device))?,
    };
    card.final_test_accuracy = Some(final_eval.accuracy());
    let file = pollster::block_on(trainer.model_file(Some(final_eval.accuracy())))?;
    write_atomic(&out.join("model.inkling"), &file.encode())?;
    write_atomic(
        &out.join("run-card.json"),
        &serde_json::to_vec_pretty(&card)?,
    )?;
    println!(
        "done: test accuracy {:.2} % after {} steps in {:.0} s; wrote {} and {}",
        final_eval.accuracy() * 100.0,
        trainer.steps_done(),
        card.total_seconds,
        out.join("model.inkling").display(),
        out.join("run-card.json").display()
    );
    Ok(())
}

fn print_epoch(r: &EpochRecord) {
    let pct = |v: Option<f64>| v.map_or("-".to_string(), |a| format!("{:.2} %", a * 100.0));
    println!(
        "epoch {:>3}: train loss {:.4} acc {:.2} % | validation {} | test loss {} acc {} | {:.0} s, {:.0} examples/s",
        r.epoch,
        r.train_loss,
        r.train_accuracy * 100.0,
        pct(r.validation_accuracy),
        r.test_loss.map_or("-".to_string(), |l| format!("{l:.4}")),
        pct(r.test_accuracy),
        r.seconds,
        r.examples_per_second
    );
}

/// Saves the weights, the optimiser state and the run position as one checkpoint.
fn save_checkpoint(
    checkpoints: &Checkpoints,
    trainer: &Trainer,
    card: &RunCard,
    epoch: EpochProgress,
) -> Result<()> {
    let model = pollster::block_on(trainer.model_file(None))?.encode();
    let optimizer = pollster::block_on(trainer.moments())?.encode();
    let state = serde_json::to_vec_pretty(&CheckpointState {
        run: trainer.config().clone(),
        position: trainer.position(),
        card: card.clone(),
        epoch,
    })?;
    checkpoints.save(
        trainer.steps_done(),
        &[
            (MODEL_FILE, &model),
            (OPTIMIZER_FILE, &optimizer),
            (STATE_FILE, &state),
        ],
    )
}

fn progress_bar(total: u64) -> ProgressBar {
    let bar = ProgressBar::new(total);
    if std::io::stderr().is_terminal() {
        bar.set_style(
            ProgressStyle::with_template(
                "{bar:30} {human_pos}/{human_len} examples, {per_sec}, eta {eta} | {msg}",
            )
            .expect("valid template"),
        );
    } else {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar
}
