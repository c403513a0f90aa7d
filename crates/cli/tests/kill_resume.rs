//! `inkling train` survives `kill -9`: a run killed at random moments, one of them while a
//! checkpoint is being written, resumes each time from its last complete checkpoint and ends
//! exactly where an uninterrupted run of the same seed ends.

use inkling_data::{DatasetKind, Rng};
use inkling_model::ModelFile;
use inkling_tests::data_dir;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Kills to survive, at least.
const KILLS: usize = 6;
/// The kill (0-based) that lands while a checkpoint is being written.
const MID_WRITE_KILL: usize = 2;
/// Pause between a checkpoint's files for that kill, so it lands inside the write.
const PAUSE_MS: u64 = 400;

/// A short run that still crosses an epoch boundary, with augmentation on so its random state
/// must be resumed too.
fn train(out: &Path, resume: bool, pause_ms: Option<u64>) -> Child {
    let data = data_dir(DatasetKind::Mnist);
    let mut command = Command::new(env!("CARGO_BIN_EXE_inkling"));
    command.args([
        "train",
        "--model",
        "dsd-s",
        "--train-subset",
        "3200",
        "--epochs",
        "2",
        "--batch-size",
        "32",
        "--no-epoch-eval",
        "--checkpoint-every",
        "8",
        "--seed",
        "7",
        "--data-dir",
        data.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    if resume {
        command.arg("--resume");
    }
    if let Some(ms) = pause_ms {
        command.env("INKLING_TEST_CHECKPOINT_PAUSE_MS", ms.to_string());
    }
    command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("inkling runs")
}

/// The step of the checkpoint the manifest names, after checking that every file of the set is
/// complete (length and CRC-32 as recorded) and that its model file decodes.
fn checked_checkpoint(out: &Path) -> Option<usize> {
    let dir = out.join("checkpoint");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("latest.json")).ok()?)
            .expect("the manifest is never half-written");
    let set = dir.join(manifest["dir"].as_str().unwrap());
    for file in manifest["files"].as_array().unwrap() {
        let name = file["name"].as_str().unwrap();
        let bytes = std::fs::read(set.join(name)).expect("the manifest names existing files");
        assert_eq!(
            bytes.len() as u64,
            file["bytes"].as_u64().unwrap(),
            "{name}"
        );
        assert_eq!(
            crc32fast::hash(&bytes) as u64,
            file["crc32"].as_u64().unwrap(),
            "{name}"
        );
        if name == "model.inkling" {
            ModelFile::decode(&bytes).expect("a checkpointed model decodes");
        }
    }
    Some(manifest["step"].as_u64().unwrap() as usize)
}

/// The step the manifest names, without reading the set (the run may be replacing it).
fn manifest_step(out: &Path) -> usize {
    std::fs::read(out.join("checkpoint/latest.json"))
        .ok()
        .and_then(|text| serde_json::from_slice::<serde_json::Value>(&text).ok())
        .and_then(|m| m["step"].as_u64())
        .map_or(0, |step| step as usize)
}

fn finish(child: Child) -> String {
    let out = child.wait_with_output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "inkling train failed:\n{text}");
    text
}

#[test]
fn a_run_killed_again_and_again_ends_as_if_it_never_was() {
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("reference");
    let started = Instant::now();
    finish(train(&reference, false, None));
    let uninterrupted_s = started.elapsed().as_secs_f64();

    let killed = dir.path().join("killed");
    let mut rng = Rng::new(2026);
    let mut last_step = 0;
    let mut kills = Vec::new();
    for attempt in 0..40 {
        if kills.len() == KILLS {
            break;
        }
        let resume = killed.join("checkpoint/latest.json").exists();
        let mid_write = kills.len() == MID_WRITE_KILL;
        let mut child = train(&killed, resume, mid_write.then_some(PAUSE_MS));
        let spawned = Instant::now();
        if mid_write {
            // Kill inside the write: after the first file of a set, before the manifest.
            let stderr = BufReader::new(child.stderr.take().unwrap());
            let mut saw_write = false;
            for line in stderr.lines() {
                if line.unwrap().starts_with("checkpoint: writing step") {
                    saw_write = true;
                    break;
                }
            }
            assert!(saw_write, "the run ended before writing a checkpoint");
            std::thread::sleep(Duration::from_millis(PAUSE_MS + PAUSE_MS / 2));
        } else {
            // A random moment after the run has got somewhere: past its next checkpoint (so a
            // loaded machine still makes progress between kills), then 0-600 ms more.
            let deadline = Instant::now() + Duration::from_secs(120);
            while manifest_step(&killed) <= last_step && Instant::now() < deadline {
                if child.try_wait().unwrap().is_some() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            std::thread::sleep(Duration::from_millis(rng.below(600) as u64));
        }
        if child.try_wait().unwrap().is_some() {
            panic!("attempt {attempt}: the run finished before it could be killed; make it longer");
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let step = checked_checkpoint(&killed).unwrap_or(0);
        assert!(
            step >= last_step,
            "the checkpoint went back from step {last_step} to {step}"
        );
        println!(
            "kill {}: after {:.2} s{}, last complete checkpoint at step {step}",
            kills.len() + 1,
            spawned.elapsed().as_secs_f64(),
            if mid_write {
                " while a checkpoint was being written"
            } else {
                ""
            }
        );
        kills.push(step);
        last_step = step;
    }
    assert_eq!(kills.len(), KILLS, "could not kill the run {KILLS} times");
    assert!(
        kills.windows(2).filter(|w| w[1] > w[0]).count() >= 3,
        "the run made too little progress between kills: {kills:?}"
    );
    let leftovers = std::fs::read_dir(killed.join("checkpoint"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".partial")
        })
        .count();
    println!("after the kills: {leftovers} interrupted set(s) on disk, ignored by --resume");
    let text = finish(train(&killed, true, None));
    assert!(text.contains("resuming"), "{text}");

    // Model files also carry parameter ids, which differ between processes: compare values.
    let read = |dir: &Path| {
        let file = ModelFile::decode(&std::fs::read(dir.join("model.inkling")).unwrap()).unwrap();
        let network = file.load(&burn::tensor::Device::flex()).unwrap();
        let values = pollster::block_on(network.values_async()).unwrap();
        (file, values)
    };
    let ((expected, expected_values), (got, got_values)) = (read(&reference), read(&killed));
    assert_eq!(
        got.header.steps, expected.header.steps,
        "step counts differ"
    );
    assert!(
        got_values == expected_values,
        "the resumed run's weights differ from the uninterrupted run's (test accuracy {:?} vs {:?})",
        got.header.test_accuracy,
        expected.header.test_accuracy
    );
    println!(
        "kill -9 x{}: resumed every time; final model bit-identical to the uninterrupted run \
         ({} steps, test accuracy {:.2} %; uninterrupted run {uninterrupted_s:.1} s)",
        kills.len(),
        got.header.steps,
        got.header.test_accuracy.unwrap_or(0.0) * 100.0
    );
}
