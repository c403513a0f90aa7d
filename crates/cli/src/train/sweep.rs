//! `inkling sweep`: a small hyperparameter search. Each run is an ordinary `inkling train` run
//! in its own directory (its run description written there first, so any run can be repeated
//! with `inkling train --config`), all on the same budget of steps, judged on the validation
//! set (never the test set), then lined up with `inkling runs compare`'s table.

use super::{TrainArgs, run as train};
use crate::backend::Backend;
use crate::checkpoint::write_atomic;
use crate::data::DataLocation;
use crate::runs::read_record;
use anyhow::{Context, Result};
use clap::Parser;
use inkling_model::ModelConfig;
use inkling_train::runs::RunsTable;
use inkling_train::{Recipe, RunConfig, SweepMode, SweepSpace};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct SweepArgs {
    /// Model preset every run trains.
    #[arg(long, default_value = "dsd-s",
        value_parser = clap::builder::PossibleValuesParser::new(ModelConfig::PRESETS))]
    model: String,
    /// Peak learning rates to try, comma-separated (random search: the range, log-uniform).
    #[arg(long, value_delimiter = ',', default_value = "0.001,0.002,0.004")]
    lr: Vec<f64>,
    /// Batch sizes to try.
    #[arg(long, value_delimiter = ',', default_value = "32")]
    batch_size: Vec<usize>,
    /// Weight decays to try (random search: the range).
    #[arg(long, value_delimiter = ',', default_value = "0.01")]
    weight_decay: Vec<f64>,
    /// Dropout probabilities to try (random search: the range).
    #[arg(long, value_delimiter = ',', default_value = "0")]
    dropout: Vec<f64>,
    /// Draw this many random points instead of walking the whole grid.
    #[arg(long, value_name = "RUNS")]
    random: Option<usize>,
    /// Optimiser steps each run gets (one epoch over steps x batch size images).
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    steps: u64,
    /// Training examples held out to judge the runs by.
    #[arg(long, default_value_t = 5000)]
    validation_size: usize,
    /// Seed of every run (weights, order, augmentation) and of the random draws.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Directory of the sweep: one sub-directory per run, and sweep.csv.
    #[arg(long, short, default_value = "runs/sweep")]
    out: PathBuf,
    /// Compute backend.
    #[arg(long, value_enum, default_value = "flex")]
    backend: Backend,
    #[command(flatten)]
    data: DataLocation,
}

/// `inkling train` with no flags: the defaults each run's flags start from.
#[derive(Parser)]
struct DefaultTrainArgs {
    #[command(flatten)]
    args: TrainArgs,
}

pub fn run(args: SweepArgs) -> Result<()> {
    let space = SweepSpace {
        learning_rates: args.lr.clone(),
        batch_sizes: args.batch_size.clone(),
        weight_decays: args.weight_decay.clone(),
        dropouts: args.dropout.clone(),
    };
    let mode = match args.random {
        Some(runs) => SweepMode::Random {
            runs,
            seed: args.seed,
        },
        None => SweepMode::Grid,
    };
    let points = space.plan(mode).map_err(anyhow::Error::msg)?;
    let base = RunConfig {
        model: ModelConfig::preset(&args.model).context("unknown preset")?,
        recipe: Recipe {
            validation_size: args.validation_size,
            ..Recipe::default()
        },
        dataset: args.data.kind(),
        seed: args.seed,
    };
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let mut dirs = Vec::new();
    for (i, point) in points.iter().enumerate() {
        let dir = args.out.join(format!("run-{:02}", i + 1));
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        let config = dir.join("run.json");
        let run = point.run(&base, args.steps as usize);
        run.validate().map_err(anyhow::Error::msg)?;
        write_atomic(&config, &serde_json::to_vec_pretty(&run)?)?;
        println!(
            "sweep run {} of {}: {} ({} steps)",
            i + 1,
            points.len(),
            point.label(),
            args.steps
        );
        let mut train_args = DefaultTrainArgs::try_parse_from(["inkling-train"])?.args;
        train_args.config = Some(config);
        train_args.out = Some(dir.clone());
        train_args.no_epoch_eval = true;
        train_args.backend = args.backend;
        train_args.data = args.data.clone();
        train(train_args).with_context(|| format!("sweep run {} failed", i + 1))?;
        dirs.push(dir);
    }
    let records = dirs
        .iter()
        .map(|dir| read_record(dir))
        .collect::<Result<Vec<_>>>()?;
    let table = RunsTable::new(&records);
    println!("\n{}", table.to_text(false));
    let csv = args.out.join("sweep.csv");
    write_atomic(&csv, table.to_csv().as_bytes())?;
    let best = records
        .iter()
        .zip(&points)
        .filter_map(|(r, p)| r.final_validation_accuracy().map(|a| (a, r, p)))
        .max_by(|a, b| a.0.total_cmp(&b.0));
    if let Some((accuracy, record, point)) = best {
        println!(
            "best on the validation set: {} ({}) at {:.2} %; wrote {}",
            record.name,
            point.label(),
            accuracy * 100.0,
            csv.display()
        );
    }
    Ok(())
}
