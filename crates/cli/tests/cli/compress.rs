//! `inkling compress`: the shipped int8 model is what the command writes, small and as
//! accurate, and trains like any model file; pruning keeps its zeros through the fine-tune that
//! recovers it.

use super::*;

/// `inkling compress` of the shipped model with `extra` flags, its JSON report.
fn compress(out: &Path, extra: &[&str]) -> serde_json::Value {
    let shipped = repo_root().join("www/models/dsd-s.inkling");
    let data = data_dir(DatasetKind::Mnist);
    let args = [
        &[
            "compress",
            "--model",
            shipped.to_str().unwrap(),
            "--data-dir",
            data.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--json",
        ],
        extra,
    ]
    .concat();
    let printed = ok(&args);
    serde_json::from_str(&printed).unwrap_or_else(|e| panic!("{e}: {printed}"))
}

#[test]
fn the_shipped_int8_model_is_what_compress_writes_small_and_as_accurate() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("int8.inkling");
    let report = compress(&out, &["--int8"]);
    println!("{report:#}");
    assert_eq!(report["weights"], "int8");
    let gzip = report["gzip_bytes"].as_u64().unwrap();
    assert!(gzip <= 45_000, "{gzip} bytes gzip");
    let (after, before) = (
        report["test_accuracy"].as_f64().unwrap(),
        report["original_test_accuracy"].as_f64().unwrap(),
    );
    assert!(after >= before - 0.001, "int8 {after}, f32 {before}");
    assert_eq!(
        std::fs::read(&out).unwrap(),
        std::fs::read(repo_root().join("www/models/dsd-s-int8.inkling")).unwrap(),
        "www/models/dsd-s-int8.inkling is not what `inkling compress --int8` writes from \
         www/models/dsd-s.inkling: run it again (README, Compression)"
    );
    // Read back by the ordinary path, it scores what compress measured.
    let data = data_dir(DatasetKind::Mnist);
    let eval: serde_json::Value = serde_json::from_str(&ok(&[
        "eval",
        "--model",
        out.to_str().unwrap(),
        "--data-dir",
        data.to_str().unwrap(),
        "--json",
    ]))
    .unwrap();
    assert_eq!(eval["accuracy"].as_f64().unwrap(), after);
}

#[test]
fn pruned_weights_stay_zero_through_the_fine_tune_that_recovers_them() {
    let dir = tempfile::tempdir().unwrap();
    let (pruned_file, tuned_file) = (
        dir.path().join("p75.inkling"),
        dir.path().join("p75-ft.inkling"),
    );
    let pruned = compress(&pruned_file, &["--prune", "0.75", "--int8"]);
    let tuned = compress(
        &tuned_file,
        &["--prune", "0.75", "--fine-tune-steps", "40", "--int8"],
    );
    println!("pruned: {pruned:#}\nfine-tuned: {tuned:#}");
    let parameters = pruned["parameters"].as_u64().unwrap();
    let nonzero = pruned["nonzero_parameters"].as_u64().unwrap();
    assert!(
        nonzero * 100 < parameters * 27,
        "{nonzero} of {parameters} non-zero after pruning 75 % of the weights"
    );
    // Every weight the pruning zeroed is still zero after the fine-tune; others moved.
    let floats = |bytes: &[u8]| -> Vec<f32> {
        bytes
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
            .collect()
    };
    let mut moved = 0;
    for ((path, p), (_, t)) in inkling_tests::model_values(&pruned_file)
        .iter()
        .zip(inkling_tests::model_values(&tuned_file))
    {
        for (p, t) in floats(p).into_iter().zip(floats(&t)) {
            if path.ends_with(".weight") && p == 0.0 {
                assert_eq!(t, 0.0, "the fine-tune revived a pruned weight of {path}");
            }
            moved += usize::from(p != t);
        }
    }
    assert!(moved > 1000, "the fine-tune changed only {moved} values");
    let (before, after) = (
        pruned["test_accuracy"].as_f64().unwrap(),
        tuned["test_accuracy"].as_f64().unwrap(),
    );
    assert!(
        after > before + 0.2,
        "fine-tuning took the accuracy from {before} to {after}"
    );
}

#[test]
fn compress_refuses_what_it_cannot_do() {
    let shipped = repo_root().join("www/models/dsd-s.inkling");
    let shipped = shipped.to_str().unwrap();
    let err = fails(&["compress", "--model", shipped, "--prune", "1.5"]);
    assert!(err.contains("not between 0 and 0.99"), "{err}");
    let err = fails(&["compress", "--model", shipped, "--fine-tune-steps", "10"]);
    assert!(err.contains("give --prune too"), "{err}");
}

/// The page's default model, the shipped int8 file, is a starting point for training like any
/// other (its weights were once loaded untracked, and the first backward pass panicked).
#[test]
fn training_starts_from_the_shipped_int8_model() {
    let dir = tempfile::tempdir().unwrap();
    let shipped = repo_root().join("www/models/dsd-s-int8.inkling");
    let data = data_dir(DatasetKind::Mnist);
    let out = ok(&[
        "train",
        "--init",
        shipped.to_str().unwrap(),
        "--train-subset",
        "64",
        "--epochs",
        "1",
        "--batch-size",
        "32",
        "--no-epoch-eval",
        "--test-limit",
        "100",
        "--data-dir",
        data.to_str().unwrap(),
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert!(out.contains("done: test accuracy"), "{out}");
    assert!(dir.path().join("model.inkling").exists());
}
