//! `inkling train`: runs a [`RunConfig`] to completion, with a progress bar, per-epoch test
//! metrics (reported, never used to pick a model), crash-safe checkpoints every
//! `--checkpoint-every` steps and at every epoch's end, `--resume`, and a run card that records
//! everything needed to reproduce and judge the run.

mod args;
mod card;
mod sweep;

pub use args::TrainArgs;
pub use card::{EarlyStopRecord, EpochRecord, RunCard};
pub use sweep::{SweepArgs, run as sweep};

use crate::checkpoint::{Checkpoints, write_atomic};
use crate::eval::read_model_file;
use anyhow::{Context, Result};
use args::apply_overrides;
use card::{
    BEST_FILE, CheckpointState, EpochProgress, MODEL_FILE, OPTIMIZER_FILE, STATE_FILE,
    data_checksums, save_checkpoint,
};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use inkling_data::handwriting::{IMAGES_FILE, LABELS_FILE, mix_with_replay, split_held_out};
use inkling_data::{Dataset, DatasetKind, Split};
use inkling_model::ModelFile;
use inkling_train::{EarlyStopping, Recipe, RunConfig, Trainer, Verdict, evaluate};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

pub fn run(args: TrainArgs) -> Result<()> {
    let device = args.backend.device()?.autodiff();
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("runs").join(args.model.as_deref().unwrap_or("dsd-s")));
    let checkpoints = Checkpoints::new(out.join("checkpoint"))?;
    let full_train = args.data.load(Split::Train)?;

    // With early stopping, the model file of the best epoch so far.
    let mut best: Option<Vec<u8>> = None;
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
        best = file(BEST_FILE).ok().map(<[u8]>::to_vec);
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
            None if args.own_digits.is_some() => RunConfig {
                recipe: Recipe::own_digits(),
                ..RunConfig::default()
            },
            None => RunConfig {
                recipe: args.recipe.unwrap_or_default().recipe(),
                ..RunConfig::default()
            },
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
            early_stopping: args.early_stop_patience.map(|patience| EarlyStopRecord {
                state: EarlyStopping::new(patience),
                stopped_after_epoch: None,
                kept_validation_accuracy: None,
            }),
        };
        (trainer, card, EpochProgress::default())
    };

    let run = trainer.config().clone();
    let (train, validation) = run.split_training_data(&full_train);
    drop(full_train);
    if card.early_stopping.is_some() && validation.is_empty() {
        anyhow::bail!(
            "early stopping watches the validation set, and this run holds none out \
             (--validation-size 0); leave the size out for 5000, or give another"
        );
    }
    // Your own digits: four fifths mixed with the MNIST subset (the epoch keeps its size), one
    // fifth held out and scored before and after.
    let own = match &args.own_digits {
        Some(dir) => {
            let (own_train, held_out) = split_held_out(&read_own_digits(dir)?);
            let before = pollster::block_on(evaluate(trainer.network(), &held_out, 500, &device))?;
            println!(
                "your digits: {} to train on, {} held out; read correctly before: {:.1} %",
                own_train.len(),
                held_out.len(),
                before.accuracy() * 100.0
            );
            Some((own_train, held_out))
        }
        None => None,
    };
    let train = match &own {
        Some((own_train, _)) => mix_with_replay(own_train, &train, args.replay_share, train.len())?,
        None => train,
    };
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
    let mut stopped = card
        .early_stopping
        .as_ref()
        .is_some_and(|r| r.stopped_after_epoch.is_some());
    while !trainer.is_finished() && !stopped {
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
                save_checkpoint(&checkpoints, &trainer, &card, sums, best.as_deref())?;
            }
            continue;
        }
        let seconds = progress_sums.seconds + epoch_start.elapsed().as_secs_f64();
        let epoch = m.step / trainer.steps_per_epoch();
        let validation_accuracy = if validation.is_empty() {
            None
        } else {
            Some(
                pollster::block_on(evaluate(trainer.network(), &validation, 500, &device))?
                    .accuracy(),
            )
        };
        if let (Some(record), Some(accuracy)) = (card.early_stopping.as_mut(), validation_accuracy)
        {
            match record.state.observe(epoch, accuracy) {
                Verdict::Improved => {
                    best = Some(pollster::block_on(trainer.model_file(None))?.encode());
                }
                Verdict::Waiting { .. } => {}
                Verdict::Stop { best_epoch } => {
                    record.stopped_after_epoch = Some(epoch);
                    stopped = true;
                    progress.suspend(|| {
                        println!(
                            "early stopping: no better validation accuracy for {} epochs; \
                             keeping the weights of epoch {best_epoch}",
                            record.state.patience
                        )
                    });
                }
            }
        }
        let last = trainer.is_finished() || stopped;
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
        save_checkpoint(
            &checkpoints,
            &trainer,
            &card,
            progress_sums,
            best.as_deref(),
        )?;
        epoch_start = Instant::now();
    }
    progress.finish_and_clear();

    // Early stopping keeps the best epoch's weights: restored here, so the test accuracy, the
    // model file and the run card are all about them.
    if let (Some(record), Some(best)) = (card.early_stopping.as_mut(), &best) {
        let last_epoch = card.epochs.last().map(|e| e.epoch);
        if record.state.best_epoch() != last_epoch {
            let network = ModelFile::decode(best)?.load(&device)?;
            trainer.map_network(|_| network);
            final_eval = None;
        }
        record.kept_validation_accuracy = Some(
            pollster::block_on(evaluate(trainer.network(), &validation, 500, &device))?.accuracy(),
        );
    }

    // The last epoch already evaluated the final weights, unless a finished run was resumed.
    let final_eval = match final_eval {
        Some(eval) => eval,
        None => pollster::block_on(evaluate(trainer.network(), &test, 500, &device))?,
    };
    card.final_test_accuracy = Some(final_eval.accuracy());
    if let Some((_, held_out)) = &own {
        let after = pollster::block_on(evaluate(trainer.network(), held_out, 500, &device))?;
        println!(
            "your held-out digits read correctly after: {:.1} %",
            after.accuracy() * 100.0
        );
    }
    let file = pollster::block_on(trainer.model_file(Some(final_eval.accuracy())))?;
    write_atomic(&out.join("model.inkling"), &file.encode())?;
    write_atomic(
        &out.join(crate::runs::CARD_FILE),
        &serde_json::to_vec_pretty(&card)?,
    )?;
    println!(
        "done: test accuracy {:.2} % after {} steps in {:.0} s; wrote {} and {}",
        final_eval.accuracy() * 100.0,
        trainer.steps_done(),
        card.total_seconds,
        out.join("model.inkling").display(),
        out.join(crate::runs::CARD_FILE).display()
    );
    Ok(())
}

/// The IDX pair of a person's digits in `dir`, as the page exports it.
fn read_own_digits(dir: &std::path::Path) -> Result<Dataset> {
    let read = |name: &str| {
        let path = dir.join(name);
        std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))
    };
    Dataset::from_idx(DatasetKind::Mnist, &read(IMAGES_FILE)?, &read(LABELS_FILE)?)
        .with_context(|| format!("{} does not hold a pair of digit files", dir.display()))
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
