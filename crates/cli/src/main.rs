//! `inkling`: train, evaluate, run and benchmark Inkling's models natively, on the same model,
//! data and training crates as the web app.

mod backend;
mod bench;
mod checkpoint;
mod choice;
mod compress;
mod data;
mod eval;
mod interop;
mod layers;
mod lr_find;
mod mistakes;
mod npy;
mod predict;
mod runs;
mod train;

use clap::{Parser, Subcommand};

/// burn's CPU backend allocates and frees large activation buffers on every operation; glibc
/// returns them to the OS each time (page faults and TLB shootdowns across threads cost about a
/// third of a training step). mimalloc keeps them (see [`keep_freed_memory`]).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Tells mimalloc never to hand freed pages back to the OS: training reuses the same buffer
/// sizes every step, and re-faulting zeroed pages cost ~15 % of a step in profiles.
#[allow(unsafe_code)] // The one FFI call of the project.
fn keep_freed_memory() {
    /// `mi_option_purge_delay` in mimalloc 3's `mi_option_e`.
    const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: called once at start-up, before any other thread exists.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "inkling",
    version,
    about = "Handwritten-digit recognition: train, evaluate, predict, benchmark"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

// Parsed once per process; boxing the large variant would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// Train a model and write its model file, run card and checkpoints.
    Train(train::TrainArgs),
    /// Accuracy, per-class precision/recall/F1 and confusion matrix on a test set.
    Eval(eval::EvalArgs),
    /// Classify images of single digits (PNG or JPEG, any size, either polarity).
    Predict(predict::PredictArgs),
    /// Measure training throughput and single-image inference latency.
    Bench(bench::BenchArgs),
    /// Verify (default) or download a dataset directory.
    Data(data::DataArgs),
    /// Write a model file as SafeTensors with PyTorch's names and layouts.
    Export(interop::ExportArgs),
    /// Read a SafeTensors file written by `export` back into a model file.
    Import(interop::ImportArgs),
    /// Prune, fine-tune and quantise a model to int8; print what each costs.
    Compress(compress::CompressArgs),
    /// A network's layers and receptive fields; with --at, the input pixels one unit sees.
    Layers(layers::LayersArgs),
    /// The learning-rate range test: loss against an exponentially growing rate, and a
    /// suggested peak rate.
    LrFind(lr_find::LrFindArgs),
    /// Compare runs side by side from their run cards.
    Runs(runs::RunsArgs),
    /// A small hyperparameter search (grid or random) on a budget of steps per run, judged on
    /// the validation set.
    Sweep(train::SweepArgs),
}

fn main() -> ExitCode {
    keep_freed_memory();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Train(args) => train::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Predict(args) => predict::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Data(args) => data::run(args),
        Command::Export(args) => interop::export(args),
        Command::Import(args) => interop::import(args),
        Command::Compress(args) => compress::run(args),
        Command::Layers(args) => layers::run(args),
        Command::LrFind(args) => lr_find::run(args),
        Command::Runs(args) => runs::run(args),
        Command::Sweep(args) => train::sweep(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
