//! Training in the browser, end to end on the CPU path: the release build of the playground in
//! headless Chromium, real MNIST served by the built site, the trainer in its Web Worker.
//! - a run on a 2,000-example subset learns (>= 85 % validation accuracy, falling loss, curve
//!   updates), and its downloaded model scores in `inkling eval` what the page showed;
//! - the controls do what they say (pause, single step, resume, a learning-rate change mid-run,
//!   reset), and absurd values are refused at their field;
//! - without WebGPU, a run asked for on WebGPU moves to the CPU and the page says so.
//!
//! Prints the figures the README quotes: training examples/s on the CPU path and the longest
//! gap between the page's animation frames while the worker trains.

use fantoccini::{Client, Locator};
use inkling_data::{Choice, DatasetKind};
use inkling_model::Architecture;
use inkling_tests::browser::{
    Browser, artifacts_dir, attr, click, dist_dir, number, phase_is, serve_dir, text, wait_for,
};
use inkling_tests::inkling_cli;
use inkling_train::{Compute, FineTuneMode, OptimizerAlgorithm, ScheduleShape};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// One browser run at a time, so the speed figures are not shared between two trainings.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const RUN_TIMEOUT: Duration = Duration::from_secs(600);

async fn step(c: &Client) -> usize {
    number(c, "train-step-count", "data-step").await as usize
}

async fn step_at_least(c: &Client, n: usize) -> Result<(), String> {
    wait_for(
        c,
        &format!("step {n}"),
        &format!("Number(document.getElementById('train-step-count').dataset.step) >= {n}"),
        RUN_TIMEOUT,
    )
    .await
}

/// Waits for the browser to finish saving a file with `extension` and returns its path.
async fn downloaded(dir: &Path, extension: &str) -> Result<PathBuf, String> {
    for _ in 0..120 {
        if let Ok(entries) = std::fs::read_dir(dir) {
            for entry in entries.flatten() {
                let path = entry.path();
                if path.extension().is_some_and(|e| e == extension) {
                    return Ok(path);
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    Err(format!(
        "no .{extension} file was downloaded into {}",
        dir.display()
    ))
}

#[tokio::test]
async fn a_cpu_run_learns_and_its_download_scores_the_same_in_inkling_eval() {
    let _serial = SERIAL.lock().await;
    let url = serve_dir(dist_dir());
    let browser = Browser::start(&[]).await;
    let result = learns(&browser, &url).await;
    browser.close().await;
    result.unwrap();
}

async fn learns(browser: &Browser, url: &str) -> Result<(), String> {
    let c = &browser.client;
    c.goto(&format!(
        "{url}?train&compute=cpu&subset=2000&epochs=3&eval_every=20&eval"
    ))
    .await
    .map_err(|e| e.to_string())?;
    // The evaluation view reads the test set with the pretrained model first; the run starts
    // after it, so the speed figures are the trainer's alone.
    wait_for(
        c,
        "the pretrained model's evaluation",
        "document.querySelector(\"#eval[data-state='ready']\")",
        Duration::from_secs(240),
    )
    .await?;
    click(c, "train-start").await?;
    phase_is(c, "finished", RUN_TIMEOUT).await?;
    let shot = c.screenshot().await.map_err(|e| e.to_string())?;
    let path = artifacts_dir().join("training.png");
    std::fs::write(&path, shot).map_err(|e| e.to_string())?;
    println!("screenshot: {}", path.display());
    let steps = step(c).await;
    let validations = number(c, "train-val-acc", "data-count").await as usize;
    let accuracy = number(c, "train-val-acc", "data-accuracy").await;
    let first_loss = number(c, "train-loss", "data-first").await;
    let last_loss = number(c, "train-loss", "data-last").await;
    let test_accuracy = number(c, "train-test-acc", "data-accuracy").await;
    let examples_per_second = number(c, "train-speed", "data-examples-per-second").await;
    let ms_per_step = number(c, "train-speed", "data-ms-per-step").await;
    let frame_gap = number(c, "train-frame-gap", "data-ms").await;
    println!(
        "browser CPU training (dsd-s, batch 32, WebAssembly SIMD in a Web Worker): {examples_per_second:.0} examples/s ({ms_per_step:.0} ms/step)"
    );
    println!("longest main-thread frame gap while training: {frame_gap:.0} ms");
    println!(
        "{steps} steps: smoothed training loss {first_loss:.3} -> {last_loss:.3}, {validations} validations, last {:.2} %; test set {:.2} %",
        accuracy * 100.0,
        test_accuracy * 100.0
    );
    assert_eq!(attr(c, "train-status", "data-compute").await, "CPU");
    assert!(validations >= 3, "only {validations} validation points");
    assert!(
        accuracy >= 0.85,
        "validation accuracy {:.2} % is under 85 %",
        accuracy * 100.0
    );
    assert!(
        last_loss < first_loss * 0.5,
        "the training loss did not fall: {first_loss} -> {last_loss}"
    );
    let points = number(c, "loss-chart", "data-points").await as usize;
    assert!(points >= 2 * steps, "the loss chart has {points} points");

    // The evaluation view now shows the run's final Test, as the worker computed it.
    wait_for(
        c,
        "the run's Test in the evaluation view",
        &format!(
            "document.querySelector(\"#eval[data-state='ready']\") \
             && document.getElementById('eval-source').textContent.includes('at step {steps} ')"
        ),
        Duration::from_secs(30),
    )
    .await?;
    let correct = number(c, "eval-accuracy", "data-correct").await;
    let total = number(c, "eval-accuracy", "data-total").await;
    println!("evaluation view after the run: {correct} of {total} (the worker's Test)");
    assert_eq!(total, 10_000.0);
    assert!(
        (correct / total - test_accuracy).abs() < 1e-6,
        "the view says {correct} of {total}, the run's test accuracy is {test_accuracy}"
    );

    // The download is a model file the CLI reads, scoring what the page showed.
    click(c, "train-download").await?;
    let file = downloaded(&browser.downloads(), "inkling").await?;
    let data = inkling_tests::data_dir(DatasetKind::Mnist);
    let output = std::process::Command::new(inkling_cli())
        .args(["eval", "--json", "--model"])
        .arg(&file)
        .arg("--data-dir")
        .arg(&data)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", inkling_cli().display()))?;
    if !output.status.success() {
        return Err(format!(
            "inkling eval failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).map_err(|e| e.to_string())?;
    let cli_accuracy = report["accuracy"].as_f64().ok_or("no accuracy in eval")?;
    println!(
        "downloaded model: page {:.2} %, inkling eval {:.2} % on the {} MNIST test images",
        test_accuracy * 100.0,
        cli_accuracy * 100.0,
        report["examples"]
    );
    assert!(
        (cli_accuracy - test_accuracy).abs() <= 0.001,
        "page {test_accuracy} and CLI {cli_accuracy} differ by more than 0.1 points"
    );

    // The SafeTensors download, imported by the CLI, is the same model bit for bit.
    click(c, "train-download-safetensors").await?;
    let exported = downloaded(&browser.downloads(), "safetensors").await?;
    let imported = exported.with_extension("imported.inkling");
    let output = std::process::Command::new(inkling_cli())
        .arg("import")
        .arg(&exported)
        .arg("--out")
        .arg(&imported)
        .output()
        .map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(format!(
            "inkling import failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    println!("{}", String::from_utf8_lossy(&output.stdout).trim());
    assert!(
        inkling_tests::model_values(&imported) == inkling_tests::model_values(&file),
        "the SafeTensors download imports as another model"
    );
    Ok(())
}

#[tokio::test]
async fn pause_step_resume_learning_rate_device_switch_and_reset_work_and_bad_values_are_refused() {
    let _serial = SERIAL.lock().await;
    let url = serve_dir(dist_dir());
    let browser = Browser::start(&[]).await;
    let result = controls(&browser.client, &url).await;
    browser.close().await;
    result.unwrap();
}

async fn type_into(c: &Client, id: &str, value: &str) -> Result<(), String> {
    let field = c.find(Locator::Id(id)).await.map_err(|e| e.to_string())?;
    field.clear().await.map_err(|e| e.to_string())?;
    field.send_keys(value).await.map_err(|e| e.to_string())
}

async fn controls(c: &Client, url: &str) -> Result<(), String> {
    c.goto(&format!(
        "{url}?train&compute=cpu&subset=1000&epochs=20&schedule=constant&eval_every=5"
    ))
    .await
    .map_err(|e| e.to_string())?;
    wait_for(
        c,
        "the training form",
        "document.getElementById('train-batch')",
        Duration::from_secs(60),
    )
    .await?;

    // Each select offers exactly the names of its shared table (the CLI's --help lists the same).
    for (id, names) in [
        ("train-dataset", DatasetKind::names()),
        ("train-architecture", Architecture::names()),
        ("train-optimizer", OptimizerAlgorithm::names()),
        ("train-schedule", ScheduleShape::names()),
        ("train-compute", Compute::names()),
    ] {
        let script =
            format!("return [...document.getElementById('{id}').options].map(o => o.value)");
        let offered = c
            .execute(&script, vec![])
            .await
            .map_err(|e| e.to_string())?;
        let offered: Vec<String> = serde_json::from_value(offered).map_err(|e| e.to_string())?;
        assert_eq!(offered, names, "the options of #{id}");
    }

    // NaN and absurd values are refused at their field, and nothing can start.
    for (field, value, good) in [
        ("train-batch", "NaN", "32"),
        ("train-epochs", "100000", "20"),
    ] {
        type_into(c, field, value).await?;
        wait_for(
            c,
            &format!("{field} refused"),
            &format!("document.getElementById('{field}-error')"),
            Duration::from_secs(5),
        )
        .await?;
        println!(
            "{field}={value}: {}",
            text(c, &format!("{field}-error")).await
        );
        assert_eq!(
            attr(c, "train-start", "disabled").await,
            "disabled",
            "Start stayed enabled with {field}={value}"
        );
        type_into(c, field, good).await?;
    }

    assert_eq!(
        attr(c, "train-start", "disabled").await,
        "",
        "Start disabled by good values"
    );
    click(c, "train-start").await?;
    step_at_least(c, 3).await?;

    // Pause stops the step counter.
    click(c, "train-pause").await?;
    phase_is(c, "paused", Duration::from_secs(30)).await?;
    let paused_at = step(c).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(step(c).await, paused_at, "steps went on while paused");

    // A single step takes exactly one.
    click(c, "train-step").await?;
    step_at_least(c, paused_at + 1).await?;
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(step(c).await, paused_at + 1, "Step took more than one step");
    assert_eq!(attr(c, "train-status", "data-phase").await, "paused");

    // Resume restarts the counter.
    click(c, "train-resume").await?;
    step_at_least(c, paused_at + 4).await?;

    // A learning-rate change mid-run takes effect (constant schedule: the step uses it as is).
    let before = number(c, "train-lr-now", "data-lr").await;
    assert!((before - 0.002).abs() < 1e-9, "started at {before}");
    c.execute(
        "const s = document.getElementById('train-lr'); s.value = '-2';
         s.dispatchEvent(new Event('input', { bubbles: true }));",
        vec![],
    )
    .await
    .map_err(|e| e.to_string())?;
    wait_for(
        c,
        "steps at the new learning rate",
        "Math.abs(Number(document.getElementById('train-lr-now').dataset.lr) - 0.01) < 1e-9",
        Duration::from_secs(60),
    )
    .await?;
    println!(
        "learning rate {before} -> {}",
        text(c, "train-lr-value").await
    );

    // Moving the run to WebGPU continues it from the last snapshot, at the new learning rate.
    wait_for(
        c,
        "a snapshot",
        "document.getElementById('train-snapshot').dataset.step !== ''",
        Duration::from_secs(60),
    )
    .await?;
    click(c, "train-switch").await?;
    let from = number(c, "train-snapshot", "data-step").await as usize;
    wait_for(
        c,
        "steps on WebGPU",
        &format!(
            "document.getElementById('train-status').dataset.compute === 'WebGPU'
             && document.getElementById('train-status').dataset.phase === 'running'
             && Number(document.getElementById('train-step-count').dataset.step) > {from}"
        ),
        RUN_TIMEOUT,
    )
    .await?;
    let lr = number(c, "train-lr-now", "data-lr").await;
    assert!(
        (lr - 0.01).abs() < 1e-9,
        "WebGPU resumed at learning rate {lr}"
    );
    println!("moved to WebGPU: {}", text(c, "train-notice").await);
    assert_eq!(
        attr(c, "train-resumed", "data-kept-moments").await,
        "true",
        "the move to WebGPU lost the optimiser's moments: {}",
        text(c, "train-resumed").await
    );

    // Reset ends the run and gives the drawing pad its pretrained model back.
    click(c, "train-reset").await?;
    phase_is(c, "idle", Duration::from_secs(10)).await?;
    let after_reset = step(c).await;
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(after_reset, 0);
    assert_eq!(step(c).await, 0, "a reset run kept stepping");
    assert_eq!(text(c, "train-snapshot").await, "the pretrained model");
    Ok(())
}

#[tokio::test]
async fn without_webgpu_a_run_moves_to_the_cpu_and_says_so() {
    let _serial = SERIAL.lock().await;
    let url = serve_dir(dist_dir());
    let browser = Browser::start_without_webgpu().await;
    let result = falls_back(&browser.client, &url).await;
    browser.close().await;
    result.unwrap();
}

async fn falls_back(c: &Client, url: &str) -> Result<(), String> {
    c.goto(&format!(
        "{url}?train&compute=webgpu&subset=500&batch=50&epochs=1&eval_every=5"
    ))
    .await
    .map_err(|e| e.to_string())?;
    click(c, "train-start").await?;
    phase_is(c, "finished", RUN_TIMEOUT).await?;
    let notice = text(c, "train-notice").await;
    println!("page notice: {notice}");
    assert!(
        notice.contains("WebGPU could not be used"),
        "no fallback notice: {notice:?}"
    );
    assert_eq!(attr(c, "train-status", "data-compute").await, "CPU");
    assert_eq!(step(c).await, 10);
    assert!(number(c, "train-val-acc", "data-count").await >= 2.0);
    assert_eq!(text(c, "train-error").await, "");
    // The second worker found the dataset in the browser's cache.
    assert_eq!(attr(c, "train-data", "data-cached").await, "true");
    Ok(())
}

#[tokio::test]
async fn fine_tuning_starts_from_the_pretrained_model_and_a_diverging_run_keeps_good_weights() {
    let _serial = SERIAL.lock().await;
    let url = serve_dir(dist_dir());
    let browser = Browser::start(&[]).await;
    let result = fine_tunes_and_diverges(&browser.client, &url).await;
    browser.close().await;
    result.unwrap();
}

async fn fine_tunes_and_diverges(c: &Client, url: &str) -> Result<(), String> {
    // A form describing another network than the pretrained file: both are described, Start
    // waits, and one click adopts the file's network.
    c.goto(&format!("{url}?train&compute=cpu&finetune&width=0.5"))
        .await
        .map_err(|e| e.to_string())?;
    wait_for(
        c,
        "the mismatch notice",
        "document.getElementById('train-mismatch')",
        Duration::from_secs(60),
    )
    .await?;
    let notice = text(c, "train-mismatch").await;
    println!("{notice}");
    assert!(
        notice.contains("The pretrained model is dsd-s: DSD net, stem 16")
            && notice.contains("The form describes dsd-xs: DSD net, stem 8"),
        "{notice}"
    );
    assert_eq!(attr(c, "train-start", "disabled").await, "disabled");
    click(c, "train-adopt").await?;
    wait_for(
        c,
        "the adopted network",
        "!document.getElementById('train-mismatch')
         && document.getElementById('train-width').value === '1'
         && !document.getElementById('train-start').disabled",
        Duration::from_secs(5),
    )
    .await?;

    // Only the head trains from the pretrained weights: the first validation is already far
    // above a fresh net's.
    c.goto(&format!(
        "{url}?train&compute=cpu&finetune&layers=head&subset=500&batch=50&epochs=1&eval_every=5&lr=0.0001"
    ))
    .await
    .map_err(|e| e.to_string())?;
    wait_for(
        c,
        "the layers select",
        "document.getElementById('train-layers')",
        Duration::from_secs(60),
    )
    .await?;
    let offered = c
        .execute(
            "return [...document.getElementById('train-layers').options].map(o => o.value)",
            vec![],
        )
        .await
        .map_err(|e| e.to_string())?;
    let offered: Vec<String> = serde_json::from_value(offered).map_err(|e| e.to_string())?;
    assert_eq!(
        offered,
        FineTuneMode::names(),
        "the options of #train-layers"
    );
    let summary = text(c, "train-model-summary").await;
    assert!(
        summary.contains("37,642 parameters, 1,290 of them train (the head)"),
        "{summary}"
    );
    click(c, "train-start").await?;
    phase_is(c, "finished", RUN_TIMEOUT).await?;
    let accuracy = number(c, "train-val-acc", "data-accuracy").await;
    println!(
        "fine-tuned for 10 steps: validation {:.2} %",
        accuracy * 100.0
    );
    assert!(
        accuracy >= 0.97,
        "fine-tuning did not start from the pretrained model: {accuracy}"
    );

    // Plain SGD at learning rate 10 diverges: the run stops, says why, and keeps good weights.
    c.goto(&format!(
        "{url}?train&compute=cpu&arch=mlp&dropout=0&optimizer=sgd&lr=10&schedule=constant&subset=512&epochs=5&eval_every=1000"
    ))
    .await
    .map_err(|e| e.to_string())?;
    click(c, "train-start").await?;
    phase_is(c, "failed", RUN_TIMEOUT).await?;
    let error = text(c, "train-error").await;
    println!("diverging run: {error}");
    assert!(
        error.contains("diverged") && error.contains("last good weights"),
        "{error}"
    );
    wait_for(
        c,
        "the last good weights",
        "document.getElementById('train-snapshot').dataset.step !== ''
         && !document.getElementById('train-download').disabled",
        Duration::from_secs(30),
    )
    .await?;
    Ok(())
}
