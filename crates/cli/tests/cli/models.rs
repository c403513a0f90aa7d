//! Fine-tuning the shipped model, and exporting it for PyTorch and NumPy.

use super::*;

#[test]
fn fine_tuning_the_head_of_the_shipped_model_keeps_its_base_bit_for_bit() {
    let dir = tempfile::tempdir().unwrap();
    let shipped = repo_root().join("www/models/dsd-s.inkling");
    let data = data_dir(DatasetKind::Mnist);
    let (shipped_arg, data_arg, out_arg) = (
        shipped.to_str().unwrap(),
        data.to_str().unwrap(),
        dir.path().to_str().unwrap(),
    );
    let common = [
        "train",
        "--init",
        shipped_arg,
        "--train-subset",
        "256",
        "--epochs",
        "1",
        "--batch-size",
        "32",
        "--lr",
        "0.003",
        "--no-augment",
        "--no-epoch-eval",
        "--test-limit",
        "500",
        "--data-dir",
        data_arg,
        "--out",
        out_arg,
    ];
    // No --model: the run takes the file's architecture.
    let out = ok(&[&common[..], &["--finetune", "head"]].concat());
    assert!(
        out.contains("37642 parameters, 1290 of them trained (head)"),
        "{out}"
    );
    let before = inkling_tests::model_values(&shipped);
    let after = inkling_tests::model_values(&dir.path().join("model.inkling"));
    let changed: Vec<&str> = before
        .iter()
        .zip(&after)
        .filter(|(a, b)| a != b)
        .map(|((path, _), _)| path.as_str())
        .collect();
    assert_eq!(changed, ["Dsd.head.weight", "Dsd.head.bias"]);

    let wrong = fails(
        &[
            &common[..],
            &["--finetune", "head", "--unfreeze-after", "5"],
        ]
        .concat(),
    );
    assert!(
        wrong.contains("apply to --finetune gradual, not head"),
        "{wrong}"
    );
    let no_init = fails(&["train", "--finetune", "head"]);
    assert!(no_init.contains("--init"), "{no_init}");
    let other = fails(&[&common[..], &["--model", "dsd-xs"]].concat());
    assert!(
        other.contains("holds dsd-s: DSD net, stem 16") && other.contains("expected dsd-xs"),
        "{other}"
    );
}

#[test]
fn export_import_round_trip_is_bit_exact_and_numpy_alone_reproduces_the_logits() {
    let dir = tempfile::tempdir().unwrap();
    let shipped = repo_root().join("www/models/dsd-s.inkling");
    let data = data_dir(DatasetKind::Mnist);
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let (model, exported, back, logits) = (
        shipped.to_str().unwrap(),
        path("dsd-s.safetensors"),
        path("back.inkling"),
        path("logits.npy"),
    );
    let data_arg = data.to_str().unwrap();
    let out = ok(&["export", "--model", model, "--out", &exported]);
    assert!(out.contains("dsd-s: DSD net"), "{out}");
    ok(&["import", &exported, "--out", &back]);
    assert_eq!(
        inkling_tests::model_values(Path::new(&back)),
        inkling_tests::model_values(&shipped)
    );
    let header = |p: &Path| {
        inkling_model::ModelFile::decode(&std::fs::read(p).unwrap())
            .unwrap()
            .header
    };
    assert_eq!(header(Path::new(&back)), header(&shipped));

    // The logits of 100 test images, and the accuracy on all 10,000, from Inkling...
    ok(&[
        "eval",
        "--model",
        model,
        "--limit",
        "100",
        "--logits",
        &logits,
        "--data-dir",
        data_arg,
    ]);
    let report = ok(&["eval", "--model", model, "--json", "--data-dir", data_arg]);
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    let correct = (report["accuracy"].as_f64().unwrap() * 10_000.0).round() as usize;
    // ...and from NumPy reading only the exported file.
    let script = repo_root().join("scripts/numpy_forward.py");
    // The system's interpreter, which has the system's NumPy (scripts/test installs it).
    let numpy = Command::new("/usr/bin/python3")
        .args([
            script.to_str().unwrap(),
            exported.as_str(),
            "--data-dir",
            data_arg,
            "--logits",
            logits.as_str(),
        ])
        .output()
        .expect("python3 runs");
    let printed = text(&numpy);
    println!("{printed}");
    assert!(numpy.status.success(), "{printed}");
    assert!(
        printed.contains(&format!(
            "numpy forward: {correct} of 10000 test images correct"
        )),
        "inkling reads {correct} of 10000 correctly:\n{printed}"
    );

    std::fs::write(&exported, &std::fs::read(&exported).unwrap()[..5000]).unwrap();
    let refused = fails(&["import", &exported, "--out", &back]);
    assert!(refused.contains("not a SafeTensors file"), "{refused}");
    assert_eq!(
        inkling_tests::model_values(Path::new(&back)),
        inkling_tests::model_values(&shipped),
        "kept"
    );
}

#[test]
fn own_digits_exported_as_an_idx_pair_fine_tune_the_shipped_model_with_replay() {
    use inkling_data::handwriting::{IMAGES_FILE, LABELS_FILE};
    use inkling_data::idx::encode_u8;
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    // Eight of each digit in an underlined hand, as the page exports a collection.
    let train = load(DatasetKind::Mnist, Split::Train);
    let (mut images, mut labels) = (Vec::new(), Vec::new());
    let mut next = [0usize; 10];
    for _round in 0..8 {
        for digit in 0..10u8 {
            let i = (next[usize::from(digit)]..train.len())
                .find(|&i| train.label(i) == digit)
                .unwrap();
            next[usize::from(digit)] = i + 1;
            images.extend(inkling_tests::hand::write(train.image(i)));
            labels.push(digit);
        }
    }
    let gzip = |bytes: Vec<u8>| {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(&bytes).unwrap();
        e.finish().unwrap()
    };
    let own = dir.path().join("mine");
    std::fs::create_dir(&own).unwrap();
    std::fs::write(
        own.join(IMAGES_FILE),
        gzip(encode_u8(&[80, 28, 28], &images)),
    )
    .unwrap();
    std::fs::write(own.join(LABELS_FILE), gzip(encode_u8(&[80], &labels))).unwrap();

    let shipped = repo_root().join("www/models/dsd-s.inkling");
    let data = data_dir(DatasetKind::Mnist);
    let out = dir.path().join("run");
    let args = |own: &Path| {
        [
            "train",
            "--init",
            shipped.to_str().unwrap(),
            "--own-digits",
            own.to_str().unwrap(),
            "--train-subset",
            "400",
            "--epochs",
            "1",
            "--test-limit",
            "500",
            "--data-dir",
            data.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]
        .map(str::to_string)
    };
    let run = args(&own);
    let printed = ok(&run.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(
        printed.contains("your digits: 70 to train on, 10 held out"),
        "{printed}"
    );
    assert!(printed.contains("on 400 mnist examples"), "{printed}");
    assert!(
        printed.contains("your held-out digits read correctly after"),
        "{printed}"
    );
    assert!(out.join("model.inkling").exists());

    let missing = args(&dir.path().join("nowhere"));
    let error = fails(&missing.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(error.contains(IMAGES_FILE), "{error}");
    let error = fails(&["train", "--own-digits", own.to_str().unwrap()]);
    assert!(error.contains("--init"), "{error}");
}
