//! End-to-end tests of the `inkling` binary on real MNIST: train a tiny model, evaluate it,
//! predict a PNG rendered from a test digit, the error paths a user can hit, and `--help`'s
//! names; datasets (`data`), the wgpu backend (`gpu`), fine-tuning and export (`models`).

use inkling_data::{Dataset, DatasetKind, Split};
use inkling_tests::{data_dir, load, repo_root};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn inkling(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_inkling"))
        .args(args)
        .output()
        .expect("inkling runs")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn ok(args: &[&str]) -> String {
    let out = inkling(args);
    assert!(
        out.status.success(),
        "inkling {args:?} failed:\n{}",
        text(&out)
    );
    text(&out)
}

fn fails(args: &[&str]) -> String {
    let out = inkling(args);
    assert!(
        !out.status.success(),
        "inkling {args:?} should fail:\n{}",
        text(&out)
    );
    text(&out)
}

/// `inkling train` of dsd-s on the first `subset` real MNIST examples with a quick recipe (Adam
/// 3e-3, cosine, no augmentation, no per-epoch evaluation), written to `out`; `extra` flags
/// (e.g. the backend) are appended. Returns the output.
fn quick_train(out: &Path, subset: usize, epochs: usize, batch: usize, extra: &[&str]) -> String {
    let data = data_dir(DatasetKind::Mnist);
    let numbers = [subset, epochs, batch].map(|n| n.to_string());
    let mut args = vec![
        "train",
        "--model",
        "dsd-s",
        "--train-subset",
        &numbers[0],
        "--epochs",
        &numbers[1],
        "--batch-size",
        &numbers[2],
        "--optimizer",
        "adam",
        "--lr",
        "0.003",
        "--schedule",
        "cosine",
        "--no-augment",
        "--no-epoch-eval",
        "--data-dir",
        data.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    ok(&args)
}

/// Example `index` of `test` as a dark-on-light PNG scaled up 8x, like a scan of paper.
fn digit_png(test: &Dataset, index: usize, path: &Path) -> u8 {
    let pixels = test.image(index);
    let scale = 8;
    let img = image::GrayImage::from_fn(28 * scale, 28 * scale, |x, y| {
        let v = pixels[(y / scale) as usize * 28 + (x / scale) as usize];
        image::Luma([255 - v])
    });
    img.save(path).unwrap();
    test.label(index)
}

#[test]
fn train_eval_predict_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_dir(DatasetKind::Mnist);
    let data = data.to_str().unwrap();
    let run = dir.path().join("run");
    let run_s = run.to_str().unwrap();
    let out = quick_train(&run, 4000, 3, 64, &[]);
    assert!(out.contains("epoch   3"), "{out}");
    let model = run.join("model.inkling");
    let model_s = model.to_str().unwrap();
    assert!(model.exists());
    let card: serde_json::Value =
        serde_json::from_slice(&std::fs::read(run.join("run-card.json")).unwrap()).unwrap();
    assert_eq!(card["epochs"].as_array().unwrap().len(), 3);
    assert_eq!(card["data_md5"][0][1], "6bbc9ace898e44ae57da46a324031adb");
    let card_accuracy = card["final_test_accuracy"].as_f64().unwrap();

    let report = ok(&["eval", "--model", model_s, "--data-dir", data, "--json"]);
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    let accuracy = report["accuracy"].as_f64().unwrap();
    assert!(accuracy > 0.93, "tiny model scored {accuracy}");
    assert!(
        (accuracy - card_accuracy).abs() < 1e-9,
        "eval disagrees with the run card"
    );
    assert_eq!(report["examples"], 10_000);

    let table = ok(&[
        "eval",
        "--model",
        model_s,
        "--data-dir",
        data,
        "--limit",
        "500",
    ]);
    assert!(
        table.contains("precision") && table.contains("confusion matrix"),
        "{table}"
    );

    // Predict digits rendered as dark-on-light PNGs at 224x224.
    let test = load(DatasetKind::Mnist, Split::Test);
    let mut right = 0;
    for index in 0..10 {
        let png = dir.path().join(format!("digit{index}.png"));
        let label = digit_png(&test, index, &png);
        let out = ok(&["predict", "--model", model_s, png.to_str().unwrap()]);
        let first = out.split(": ").nth(1).unwrap().chars().next().unwrap();
        if first.to_digit(10) == Some(label as u32) {
            right += 1;
        }
    }
    assert!(right >= 8, "only {right} of 10 rendered digits recognised");
    let png = dir.path().join("digit0.png");
    let shown = ok(&[
        "predict",
        "--model",
        model_s,
        "--show-input",
        png.to_str().unwrap(),
    ]);
    assert_eq!(shown.lines().count(), 1 + 28, "{shown}");

    // Resume: a finished run continues to nothing new but loads its checkpoint.
    let resumed = ok(&[
        "train",
        "--resume",
        "--data-dir",
        data,
        "--out",
        run_s,
        "--no-epoch-eval",
    ]);
    assert!(resumed.contains("resuming"), "{resumed}");
}

#[test]
fn data_verify_accepts_real_mnist_and_names_a_damaged_file() {
    let data = data_dir(DatasetKind::Mnist);
    let out = ok(&["data", "--data-dir", data.to_str().unwrap()]);
    assert!(out.contains("all 4 files verified"), "{out}");

    let dir = tempfile::tempdir().unwrap();
    for f in std::fs::read_dir(&data).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, dir.path().join(f.file_name().unwrap())).unwrap();
    }
    let labels = dir.path().join("t10k-labels-idx1-ubyte.gz");
    let bytes = std::fs::read(&labels).unwrap();
    std::fs::write(&labels, &bytes[..bytes.len() / 2]).unwrap();
    let out = fails(&["data", "verify", "--data-dir", dir.path().to_str().unwrap()]);
    assert!(
        out.contains("t10k-labels-idx1-ubyte.gz") && out.contains("UNREADABLE"),
        "{out}"
    );

    // Evaluating on it fails with the directory and the damaged file named, not a panic.
    let model = repo_root().join("www/models/dsd-s.inkling");
    let out = fails(&[
        "eval",
        "--model",
        model.to_str().unwrap(),
        "--data-dir",
        dir.path().to_str().unwrap(),
    ]);
    assert!(
        out.contains("is damaged") && out.contains("label file") && out.contains("gzip"),
        "{out}"
    );
    // So does a model file that is not there.
    let out = fails(&["eval", "--model", "/nonexistent.inkling"]);
    assert!(out.contains("cannot read /nonexistent.inkling"), "{out}");
}

#[test]
fn bad_input_gets_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_dir(DatasetKind::Mnist);
    let data = data.to_str().unwrap();

    let out = fails(&[
        "train",
        "--lr",
        "NaN",
        "--data-dir",
        data,
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert!(out.contains("learning rate"), "{out}");
    let out = fails(&["train", "--model", "resnet", "--data-dir", data]);
    assert!(
        out.contains("invalid value 'resnet'") && out.contains("dsd-s"),
        "{out}"
    );

    let junk = dir.path().join("junk.inkling");
    std::fs::write(&junk, b"definitely not a model").unwrap();
    let out = fails(&[
        "eval",
        "--model",
        junk.to_str().unwrap(),
        "--data-dir",
        data,
    ]);
    assert!(out.contains("not an Inkling model file"), "{out}");

    let blank = dir.path().join("blank.png");
    image::GrayImage::from_pixel(64, 64, image::Luma([255]))
        .save(&blank)
        .unwrap();
    let model = dir.path().join("m.inkling");
    // Any valid model will do to reach the image error.
    let cfg = inkling_model::ModelConfig::preset("mlp").unwrap();
    let net = cfg.init(&burn::tensor::Device::flex()).unwrap();
    let header = inkling_model::ModelHeader::new(cfg, DatasetKind::Mnist);
    let file = pollster::block_on(inkling_model::ModelFile::from_network(header, &net)).unwrap();
    std::fs::write(&model, file.encode()).unwrap();
    let out = fails(&[
        "predict",
        "--model",
        model.to_str().unwrap(),
        blank.to_str().unwrap(),
    ]);
    assert!(out.contains("no ink found"), "{out}");
}

/// The names `inkling train --help` offers for each closed choice: the `[possible values: ...]`
/// list of the flag `flag`.
fn possible_values(help: &str, flag: &str) -> Vec<String> {
    let start = help
        .find(&format!("--{flag} <"))
        .unwrap_or_else(|| panic!("--{flag} missing from:\n{help}"));
    let rest = &help[start..];
    let list = &rest[rest.find("[possible values: ").expect("a list of names") + 18..];
    list[..list.find(']').unwrap()]
        .split(", ")
        .map(str::to_string)
        .collect()
}

#[test]
fn help_lists_exactly_the_names_of_the_shared_choice_tables() {
    use inkling_data::Choice;
    use inkling_train::{FineTuneMode, OptimizerAlgorithm, RecipePreset, ScheduleShape};
    let help = ok(&["train", "--help"]);
    assert_eq!(possible_values(&help, "recipe"), RecipePreset::names());
    assert_eq!(possible_values(&help, "finetune"), FineTuneMode::names());
    assert_eq!(
        possible_values(&help, "optimizer"),
        OptimizerAlgorithm::names()
    );
    assert_eq!(possible_values(&help, "schedule"), ScheduleShape::names());
    assert_eq!(possible_values(&help, "dataset"), DatasetKind::names());
    assert_eq!(
        possible_values(&help, "model"),
        inkling_model::ModelConfig::PRESETS
    );
    let refused = fails(&["train", "--schedule", "halve"]);
    assert!(
        refused.contains("halve") && refused.contains("one-cycle"),
        "{refused}"
    );
}

/// `--recipe fast` starts from the fast recipe and flags still override it (its 40-second,
/// 99 % runs are timed by `scripts/fast-recipe`, not here).
#[test]
fn the_fast_recipe_is_what_the_run_card_records() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_dir(DatasetKind::Mnist);
    ok(&[
        "train",
        "--recipe",
        "fast",
        "--train-subset",
        "320",
        "--test-limit",
        "200",
        "--seed",
        "3",
        "--data-dir",
        data.to_str().unwrap(),
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    let card: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("run-card.json")).unwrap()).unwrap();
    let mut expected = inkling_train::Recipe::fast();
    expected.train_subset = Some(320);
    let recorded: inkling_train::Recipe =
        serde_json::from_value(card["run"]["recipe"].clone()).unwrap();
    assert_eq!(recorded, expected);
    assert_eq!(card["epochs"][0]["steps"], 10);
    let err = fails(&["train", "--recipe", "fast", "--config", "run.json"]);
    assert!(err.contains("cannot be used with"), "{err}");
}

mod compress;
mod data;
mod early_stop;
#[cfg(feature = "wgpu")]
mod gpu;
mod layers;
mod lr_find;
mod mistakes;
mod models;
mod sweep;
