//! A CPU run on 2,000 examples learns, the evaluation view shows its Test, and its downloads
//! score the same in `inkling eval` and import bit for bit.

use super::*;

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
