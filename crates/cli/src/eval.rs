//! `inkling eval`: accuracy, per-class precision/recall/F1 and the confusion matrix of a model
//! file on a test set.

use crate::backend::Backend;
use crate::data::DataLocation;
use anyhow::{Context, Result};
use burn::tensor::Device;
use inkling_data::{Batch, Dataset, DatasetKind, Split};
use inkling_model::{ModelFile, NUM_CLASSES, Network, images_tensor};
use inkling_train::{Evaluation, evaluate};
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug)]
pub struct EvalArgs {
    /// Model file written by `inkling train` or downloaded from the web app.
    #[arg(long, short)]
    model: PathBuf,
    /// Evaluate on only the first N test examples.
    #[arg(long)]
    limit: Option<usize>,
    /// Print the results as JSON instead of tables.
    #[arg(long)]
    json: bool,
    /// Also write the logits of every evaluated example to this NumPy file (`[n, 10]`, f32).
    #[arg(long)]
    logits: Option<PathBuf>,
    /// Also write the misread test digits to this PNG file as a labelled grid ("actual>read
    /// confidence" under each), most confident mistakes first.
    #[arg(long, value_name = "PNG")]
    mistakes: Option<PathBuf>,
    /// Compute backend.
    #[arg(long, value_enum, default_value = "flex")]
    backend: Backend,
    #[command(flatten)]
    data: DataLocation,
}

/// Reads and decodes a model file, naming the file in every error.
pub fn read_model_file(path: &Path) -> Result<ModelFile> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    ModelFile::decode(&bytes)
        .with_context(|| format!("{} is not a usable model file", path.display()))
}

pub fn run(args: EvalArgs) -> Result<()> {
    let file = read_model_file(&args.model)?;
    let device = args.backend.device()?;
    let network = file
        .load(&device)
        .with_context(|| format!("cannot load {}", args.model.display()))?;
    let location = args.data.or_dataset(file.header.dataset);
    let mut test = location.load(Split::Test)?;
    if let Some(n) = args.limit {
        test = test.take(n);
    }
    let eval = pollster::block_on(evaluate(&network, &test, 500, &device))?;
    if let Some(path) = &args.logits {
        let values = pollster::block_on(logits(&network, &test, &device))?;
        let bytes = crate::npy::f32_array(&[test.len(), NUM_CLASSES], &values);
        std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let Some(path) = &args.mistakes {
        let grid = crate::mistakes::write(path, &test, &eval.predictions)?;
        // On stderr, so that `--json` output stays one JSON document.
        eprintln!(
            "wrote {} of {} misread digits to {}",
            grid.shown,
            grid.mistakes,
            path.display()
        );
    }
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json_report(&eval, test.len()))?
        );
    } else {
        print_report(&eval, location.kind(), &file, test.len());
    }
    Ok(())
}

/// The network's logits for every example of `test`, row by row.
async fn logits(network: &Network, test: &Dataset, device: &Device) -> Result<Vec<f32>> {
    let mut values = Vec::with_capacity(test.len() * NUM_CLASSES);
    for start in (0..test.len()).step_by(500) {
        let batch = Batch::range(test, start, start + 500);
        let out = network.forward(images_tensor(batch.images, device));
        let data = out.into_data_async().await.context("reading the logits")?;
        values.extend(data.iter::<f32>());
    }
    Ok(values)
}

fn json_report(eval: &Evaluation, examples: usize) -> serde_json::Value {
    serde_json::json!({
        "examples": examples,
        "accuracy": eval.accuracy(),
        "loss": eval.loss,
        "macro_f1": eval.confusion.macro_f1(),
        "classes": eval.confusion.class_scores(),
        "confusion": eval.confusion.counts,
    })
}

fn print_report(eval: &Evaluation, kind: DatasetKind, file: &ModelFile, examples: usize) {
    let names = kind.class_names();
    println!(
        "{} ({} parameters) on {} {} test examples",
        file.header.model.family(),
        file.header.model.param_count(),
        examples,
        kind
    );
    println!(
        "accuracy {:.2} % ({} of {} correct), loss {:.4}, macro F1 {:.4}\n",
        eval.accuracy() * 100.0,
        eval.confusion.correct(),
        eval.confusion.total(),
        eval.loss,
        eval.confusion.macro_f1()
    );
    println!(
        "{:<12} {:>9} {:>9} {:>9} {:>8}",
        "class", "precision", "recall", "F1", "support"
    );
    for (name, s) in names.iter().zip(eval.confusion.class_scores()) {
        println!(
            "{:<12} {:>9.4} {:>9.4} {:>9.4} {:>8}",
            name, s.precision, s.recall, s.f1, s.support
        );
    }
    println!("\nconfusion matrix (rows: actual, columns: predicted)");
    print!("{:>6}", "");
    for c in 0..names.len() {
        print!("{c:>6}");
    }
    println!();
    for (actual, row) in eval.confusion.counts.iter().enumerate() {
        print!("{actual:>6}");
        for count in row {
            print!("{count:>6}");
        }
        println!();
    }
}
