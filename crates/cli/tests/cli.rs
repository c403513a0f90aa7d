//! End-to-end tests of the `inkling` binary on real MNIST: train a tiny model, evaluate it,
//! predict a PNG rendered from a test digit, and the error paths a user can hit.

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

/// Serves `dir` over HTTP on 127.0.0.1 for `requests` requests, optionally damaging every body.
fn serve(dir: PathBuf, requests: usize, damage: bool) -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let mut stream = stream.unwrap();
            let mut line = String::new();
            BufReader::new(&stream).read_line(&mut line).unwrap();
            let name = line
                .split_whitespace()
                .nth(1)
                .unwrap_or("/")
                .trim_start_matches('/');
            match std::fs::read(dir.join(name)) {
                Ok(mut body) => {
                    if damage {
                        let mid = body.len() / 2;
                        body[mid] ^= 0xff;
                    }
                    let head = format!(
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = stream.write_all(head.as_bytes());
                    let _ = stream.write_all(&body);
                }
                Err(_) => {
                    let _ = stream.write_all(
                        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    );
                }
            }
        }
    });
    format!("http://{addr}/")
}

#[test]
fn fetch_downloads_and_verifies_from_a_mirror() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("mnist");
    let mirror = serve(data_dir(DatasetKind::Mnist), 4, false);
    let out = ok(&[
        "data",
        "fetch",
        "--mirror",
        &mirror,
        "--data-dir",
        target.to_str().unwrap(),
    ]);
    assert_eq!(out.matches("downloaded and verified").count(), 4, "{out}");
    ok(&["data", "verify", "--data-dir", target.to_str().unwrap()]);
    // A second fetch finds everything in place and downloads nothing.
    let again = ok(&[
        "data",
        "fetch",
        "--mirror",
        "http://127.0.0.1:9/",
        "--data-dir",
        target.to_str().unwrap(),
    ]);
    assert_eq!(again.matches("already present").count(), 4, "{again}");
}

#[test]
fn fetch_rejects_damaged_downloads_and_unreachable_mirrors() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("mnist");
    let damaged = serve(data_dir(DatasetKind::Mnist), 1, true);
    // Port 9 (discard) is closed here: the second mirror refuses the connection.
    let out = fails(&[
        "data",
        "fetch",
        "--mirror",
        &damaged,
        "--mirror",
        "http://127.0.0.1:9/",
        "--data-dir",
        target.to_str().unwrap(),
    ]);
    assert!(
        out.contains("could not download train-images-idx3-ubyte.gz"),
        "{out}"
    );
    assert!(out.contains("127.0.0.1:9"), "{out}");
    // The damaged download was fetched and rejected, not just missed.
    let rejected = format!("{damaged}train-images-idx3-ubyte.gz: ");
    let line = out
        .lines()
        .find(|l| l.contains(&rejected))
        .unwrap_or_default();
    assert!(line.contains("checksum") || line.contains("gzip"), "{out}");
    let leftovers: Vec<_> = std::fs::read_dir(&target).unwrap().collect();
    assert!(
        leftovers.is_empty(),
        "fetch kept a file that failed verification"
    );
}

#[test]
fn fashion_mnist_from_the_debian_package_verifies_and_loads() {
    let dir = "/usr/share/datasets/fashion-mnist";
    let out = ok(&[
        "data",
        "verify",
        "--dataset",
        "fashion-mnist",
        "--data-dir",
        dir,
    ]);
    assert!(
        out.contains("fashion-mnist in /usr/share/datasets/fashion-mnist: all 4 files verified"),
        "{out}"
    );
    // The MNIST checksums must not accept Fashion-MNIST files.
    let out = fails(&["data", "verify", "--dataset", "mnist", "--data-dir", dir]);
    assert!(out.contains("MISMATCH"), "{out}");
}

/// The native GPU path: the same short run (20 steps of 20 images) on wgpu (Mesa's lavapipe
/// Vulkan rasteriser in CI: about 6 images a second, so the run is tiny and evaluates on 500
/// test images) and on the CPU. The GPU run must learn like the CPU run of the same seed, and the
/// CPU must read the GPU-trained weights exactly as the GPU did.
#[cfg(feature = "wgpu")]
#[test]
fn wgpu_backend_trains_like_the_cpu_and_the_cpu_reads_its_model_the_same() {
    const TEST_IMAGES: &str = "500";
    let dir = tempfile::tempdir().unwrap();
    let data = data_dir(DatasetKind::Mnist);
    let data = data.to_str().unwrap();
    let card = |run: &Path| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(run.join("run-card.json")).unwrap()).unwrap()
    };
    let (gpu_run, cpu_run) = (dir.path().join("gpu"), dir.path().join("cpu"));
    let started = std::time::Instant::now();
    quick_train(
        &gpu_run,
        400,
        1,
        20,
        &["--backend", "wgpu", "--test-limit", TEST_IMAGES],
    );
    let gpu_seconds = started.elapsed().as_secs_f64();
    quick_train(&cpu_run, 400, 1, 20, &["--test-limit", TEST_IMAGES]);
    let (gpu, cpu) = (card(&gpu_run), card(&cpu_run));
    assert_eq!(gpu["backend"], "wgpu");
    assert_eq!(gpu["test_examples"], 500);
    let loss = |card: &serde_json::Value| card["epochs"][0]["train_loss"].as_f64().unwrap();
    let accuracy = |card: &serde_json::Value| card["final_test_accuracy"].as_f64().unwrap();
    println!(
        "wgpu vs CPU, 20 steps of dsd-s: mean training loss {:.4} vs {:.4}, test accuracy {:.3} \
         vs {:.3} on {TEST_IMAGES} images; the wgpu run took {gpu_seconds:.0} s",
        loss(&gpu),
        loss(&cpu),
        accuracy(&gpu),
        accuracy(&cpu)
    );
    assert!(
        (loss(&gpu) - loss(&cpu)).abs() <= 0.02 * loss(&cpu),
        "the GPU run learned differently from the CPU run of the same seed"
    );
    // The first batches score ln 10 = 2.30 (chance); 20 steps bring the mean well below it.
    // (Test accuracy says little this early: BatchNorm's running statistics still lag.)
    assert!(loss(&gpu) < 2.2, "the GPU run did not learn");

    let report = ok(&[
        "eval",
        "--model",
        gpu_run.join("model.inkling").to_str().unwrap(),
        "--data-dir",
        data,
        "--limit",
        TEST_IMAGES,
        "--json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    let (cpu_accuracy, cpu_loss) = (
        report["accuracy"].as_f64().unwrap(),
        report["loss"].as_f64().unwrap(),
    );
    let gpu_test_loss = gpu["epochs"][0]["test_loss"].as_f64().unwrap();
    assert!(
        (cpu_accuracy - accuracy(&gpu)).abs() <= 0.002
            && (cpu_loss - gpu_test_loss).abs() <= 1e-3 * gpu_test_loss,
        "the CPU reads the GPU-trained model differently: accuracy {cpu_accuracy} vs {}, loss {cpu_loss} vs {gpu_test_loss}",
        accuracy(&gpu)
    );
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
    use inkling_train::{FineTuneMode, OptimizerAlgorithm, ScheduleShape};
    let help = ok(&["train", "--help"]);
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
