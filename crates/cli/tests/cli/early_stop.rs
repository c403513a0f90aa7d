//! `inkling train --early-stop-patience`: the run stops once validation accuracy stalls and
//! keeps the weights of its best epoch, which the model file, the test accuracy and the run
//! card are then about.

use super::*;

#[test]
fn early_stopping_stops_when_validation_stalls_and_keeps_the_best_epochs_weights() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let printed = quick_train(
        &out,
        1024,
        30,
        64,
        &[
            "--early-stop-patience",
            "2",
            "--validation-size",
            "1000",
            "--test-limit",
            "500",
        ],
    );
    println!("{printed}");
    assert!(printed.contains("early stopping: no better validation accuracy for 2 epochs"));

    let card: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("run-card.json")).unwrap()).unwrap();
    let record = &card["early_stopping"];
    let stopped = record["stopped_after_epoch"].as_u64().expect("it stopped") as usize;
    let best_epoch = record["state"]["best"][1].as_u64().unwrap() as usize;
    let validation: Vec<f64> = card["epochs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["validation_accuracy"].as_f64().unwrap())
        .collect();
    println!(
        "validation accuracy by epoch: {validation:?}; best epoch {best_epoch}, stopped after {stopped}"
    );
    assert!(stopped < 30, "it ran all its epochs");
    assert_eq!(validation.len(), stopped);
    assert_eq!(stopped, best_epoch + 2, "two epochs without improvement");
    let best = validation.iter().copied().fold(f64::MIN, f64::max);
    assert!(best > 0.7, "the run learned before it stalled ({best})");
    assert_eq!(
        validation[best_epoch - 1],
        best,
        "the first best epoch is kept"
    );
    assert!(validation[best_epoch..].iter().all(|&v| v <= best));
    // The kept weights, measured again, are the best epoch's.
    assert_eq!(record["kept_validation_accuracy"].as_f64(), Some(best));

    // The model file holds them, not the weights of the epoch it stopped after...
    let model = out.join("model.inkling");
    let mut checkpoints: Vec<PathBuf> = std::fs::read_dir(out.join("checkpoint"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    checkpoints.sort();
    let last = checkpoints.last().unwrap().join("model.inkling");
    assert_ne!(
        inkling_tests::model_values(&model),
        inkling_tests::model_values(&last),
        "the model file holds the last epoch's weights"
    );
    // ...and the test accuracy recorded is theirs, as `inkling eval` measures it.
    let data = data_dir(DatasetKind::Mnist);
    let report = ok(&[
        "eval",
        "--model",
        model.to_str().unwrap(),
        "--limit",
        "500",
        "--json",
        "--data-dir",
        data.to_str().unwrap(),
    ]);
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(
        report["accuracy"].as_f64(),
        card["final_test_accuracy"].as_f64()
    );
}

#[test]
fn early_stopping_without_a_validation_set_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_dir(DatasetKind::Mnist);
    let out = fails(&[
        "train",
        "--train-subset",
        "64",
        "--epochs",
        "1",
        "--validation-size",
        "0",
        "--early-stop-patience",
        "2",
        "--data-dir",
        data.to_str().unwrap(),
        "--out",
        dir.path().join("run").to_str().unwrap(),
    ]);
    assert!(
        out.contains("early stopping watches the validation set"),
        "{out}"
    );
}
