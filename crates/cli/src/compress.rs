//! `inkling compress`: magnitude pruning, an optional short fine-tune that recovers what the
//! pruning cost (the pruned weights held at zero after every step), and int8 weight
//! quantisation stored in the model file; prints what each costs in size and accuracy.

use crate::backend::Backend;
use crate::checkpoint::write_atomic;
use crate::data::DataLocation;
use crate::eval::read_model_file;
use anyhow::{Context, Result, ensure};
use burn::module::Module;
use flate2::Compression;
use flate2::write::GzEncoder;
use inkling_data::Split;
use inkling_model::compress::{PruneMask, nonzero_params};
use inkling_model::{ModelFile, WeightEncoding, trainable_params};
use inkling_train::{Recipe, RunConfig, Trainer, evaluate};
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct CompressArgs {
    /// Model file written by `inkling train` or downloaded from the web app.
    #[arg(long, short)]
    model: PathBuf,
    /// Fraction of all weights (convolution kernels and linear matrices) to prune, the smallest
    /// by absolute value first: 0 (none) to 0.99.
    #[arg(long, default_value_t = 0.0, value_parser = fraction)]
    prune: f64,
    /// Fine-tune for this many steps of 64 after pruning, the pruned weights held at zero.
    #[arg(long, default_value_t = 0)]
    fine_tune_steps: usize,
    /// Store the weights in 8 bits, one scale per output channel.
    #[arg(long)]
    int8: bool,
    /// Seed of the fine-tune's shuffling and augmentation.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Where to write the compressed model (default: next to the input, named by what was done).
    #[arg(long, short)]
    out: Option<PathBuf>,
    /// Print the figures as JSON.
    #[arg(long)]
    json: bool,
    /// Compute backend.
    #[arg(long, value_enum, default_value = "flex")]
    backend: Backend,
    #[command(flatten)]
    data: DataLocation,
}

fn fraction(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number"))?;
    if (0.0..=0.99).contains(&value) {
        Ok(value)
    } else {
        Err(format!("{value} is not between 0 and 0.99"))
    }
}

/// What `compress` reports.
#[derive(Debug, Serialize)]
struct Report {
    file: PathBuf,
    weights: &'static str,
    pruned_fraction: f64,
    fine_tune_steps: usize,
    bytes: usize,
    gzip_bytes: usize,
    parameters: usize,
    nonzero_parameters: usize,
    test_accuracy: f64,
    original_test_accuracy: f64,
    original_bytes: usize,
    original_gzip_bytes: usize,
}

pub fn run(args: CompressArgs) -> Result<()> {
    ensure!(
        args.fine_tune_steps == 0 || args.prune > 0.0,
        "--fine-tune-steps recovers from pruning: give --prune too"
    );
    let original_bytes = std::fs::read(&args.model)
        .with_context(|| format!("cannot read {}", args.model.display()))?;
    let file = read_model_file(&args.model)?;
    let device = args.backend.device()?;
    let location = args.data.or_dataset(file.header.dataset);
    let test = location.load(Split::Test)?;
    let load = |file: &ModelFile| {
        file.load(&device)
            .with_context(|| format!("cannot load {}", args.model.display()))
    };
    let original = load(&file)?;
    let original_accuracy =
        pollster::block_on(evaluate(&original, &test, 500, &device))?.accuracy();

    let mut header = file.header.clone();
    let mut network = original;
    if args.prune > 0.0 {
        let mask = pollster::block_on(PruneMask::by_magnitude(&network, args.prune))?;
        network = mask.apply(network);
        if args.fine_tune_steps > 0 {
            let config = RunConfig {
                model: header.model.clone(),
                recipe: Recipe::recover_pruned(args.fine_tune_steps),
                dataset: header.dataset,
                seed: args.seed,
            };
            let train_device = device.clone().autodiff();
            let trainable = mask.apply(file.load(&train_device)?);
            let full = location.load(Split::Train)?;
            let (train, _) = config.split_training_data(&full);
            let mut trainer = Trainer::with_network(config, trainable, train.len(), &device)?;
            while !trainer.is_finished() {
                pollster::block_on(trainer.step(&train))?;
                trainer.map_network(|n| mask.apply(n));
            }
            header.steps += trainer.steps_done() as u64;
            network = trainer.network().valid();
        }
    }
    if args.int8 {
        header.weights = WeightEncoding::Int8;
    }
    header.producer = format!("inkling {}", env!("CARGO_PKG_VERSION"));

    // Measured on the file as it will be read: int8 weights are judged after the round trip.
    let draft = pollster::block_on(ModelFile::from_network(header.clone(), &network))?;
    let stored = ModelFile::decode(&draft.encode())?;
    let reloaded = load(&stored)?;
    let accuracy = pollster::block_on(evaluate(&reloaded, &test, 500, &device))?.accuracy();
    header.test_accuracy = Some(accuracy);
    let bytes = ModelFile::from_weight_bytes(header, stored.weight_bytes().to_vec()).encode();

    let out = args.out.clone().unwrap_or_else(|| default_out(&args));
    write_atomic(&out, &bytes)?;
    let report = Report {
        weights: if args.int8 { "int8" } else { "f32" },
        pruned_fraction: args.prune,
        fine_tune_steps: args.fine_tune_steps,
        bytes: bytes.len(),
        gzip_bytes: gzip_len(&bytes),
        parameters: trainable_params(&reloaded),
        nonzero_parameters: pollster::block_on(nonzero_params(&reloaded))?,
        test_accuracy: accuracy,
        original_test_accuracy: original_accuracy,
        original_bytes: original_bytes.len(),
        original_gzip_bytes: gzip_len(&original_bytes),
        file: out,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "wrote {}: {} weights, {:.0} % pruned, {} fine-tune steps\n\
             {} bytes ({} gzip), was {} ({} gzip)\n\
             {} of {} parameters non-zero\n\
             {} test accuracy {:.2} %, was {:.2} %",
            report.file.display(),
            report.weights,
            report.pruned_fraction * 100.0,
            report.fine_tune_steps,
            report.bytes,
            report.gzip_bytes,
            report.original_bytes,
            report.original_gzip_bytes,
            report.nonzero_parameters,
            report.parameters,
            location.kind(),
            report.test_accuracy * 100.0,
            report.original_test_accuracy * 100.0,
        );
    }
    Ok(())
}

/// `dsd-s.inkling` → `dsd-s-p50-ft300-int8.inkling`, say.
fn default_out(args: &CompressArgs) -> PathBuf {
    let stem = args
        .model
        .file_stem()
        .map_or("model".into(), |s| s.to_string_lossy().into_owned());
    let mut name = stem;
    if args.prune > 0.0 {
        name += &format!("-p{:.0}", args.prune * 100.0);
    }
    if args.fine_tune_steps > 0 {
        name += &format!("-ft{}", args.fine_tune_steps);
    }
    if args.int8 {
        name += "-int8";
    }
    if !args.int8 && args.prune == 0.0 {
        name += "-copy";
    }
    args.model.with_file_name(format!("{name}.inkling"))
}

/// The size of `bytes` compressed as a web server would (gzip, best).
fn gzip_len(bytes: &[u8]) -> usize {
    let mut gz = GzEncoder::new(Vec::new(), Compression::best());
    gz.write_all(bytes).expect("writing to memory");
    gz.finish().expect("writing to memory").len()
}
