//! Training on WebGPU in the browser, end to end: the release build in headless Chromium with
//! `--enable-unsafe-webgpu` (SwiftShader, a software GPU: correct, very slow), the trainer in its
//! Web Worker with burn's WebGPU backend. A few dsd-s steps at a small batch must run on WebGPU,
//! the loss must come back finite and reach the curve, the page must say WebGPU, and nothing may
//! panic or fall back to the CPU. Prints the ms per step (a SwiftShader figure, not a GPU one).

use inkling_tests::browser::{Browser, attr, click, dist_dir, number, serve_dir, text, wait_for};
use std::time::Duration;

/// SwiftShader compiles every kernel on the first step: minutes on two cores.
const FIRST_STEPS_TIMEOUT: Duration = Duration::from_secs(900);
const STEPS: usize = 3;

#[tokio::test]
async fn a_few_steps_run_on_webgpu_in_the_worker() {
    let url = serve_dir(dist_dir());
    let browser = Browser::start(&[]).await;
    let result = run(&browser.client, &url).await;
    browser.close().await;
    result.unwrap();
}

async fn run(c: &fantoccini::Client, url: &str) -> Result<(), String> {
    c.goto(&format!(
        "{url}?train&compute=webgpu&subset=100&batch=8&epochs=1&eval_every=10000&augment=off"
    ))
    .await
    .map_err(|e| e.to_string())?;
    click(c, "train-start").await?;
    let started = std::time::Instant::now();
    wait_for(
        c,
        &format!("{STEPS} WebGPU steps"),
        &format!(
            "Number(document.getElementById('train-step-count').dataset.step) >= {STEPS}
             || document.getElementById('train-notice') || document.getElementById('train-error')"
        ),
        FIRST_STEPS_TIMEOUT,
    )
    .await?;
    let elapsed = started.elapsed().as_secs_f64();
    let notice = text(c, "train-notice").await;
    let error = text(c, "train-error").await;
    assert_eq!(notice, "", "the run left WebGPU");
    assert_eq!(error, "", "the run failed");
    let status = text(c, "train-status").await;
    println!("page: {status}");
    assert_eq!(attr(c, "train-status", "data-compute").await, "WebGPU");
    assert!(
        status.contains("WebGPU"),
        "the page does not say WebGPU: {status}"
    );
    let loss = number(c, "train-loss", "data-last").await;
    assert!(loss.is_finite() && loss > 0.0, "loss read back: {loss}");
    let points = number(c, "loss-chart", "data-points").await as usize;
    assert!(points >= 2 * STEPS, "the loss curve has {points} points");
    println!(
        "WebGPU (SwiftShader) in a Web Worker, dsd-s batch 8: first {STEPS} steps in {elapsed:.0} s (kernel compilation included), then {:.0} ms/step",
        number(c, "train-speed", "data-ms-per-step").await
    );
    click(c, "train-reset").await?;
    Ok(())
}
