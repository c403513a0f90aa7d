//! Training on WebGPU in the browser, end to end: the release build in headless Chromium with
//! `--enable-unsafe-webgpu` (SwiftShader, a software GPU: correct, very slow), the trainer in its
//! Web Worker with burn's WebGPU backend. A few dsd-s steps at a small batch must run on WebGPU,
//! the loss must come back finite and reach the curve, the page must say WebGPU, and nothing may
//! panic or fall back to the CPU. Prints the ms per step (a SwiftShader figure, not a GPU one).
//!
//! Then the GPU is lost under the run (`?fault=gpu-loss@4`: the worker destroys its WebGPU device
//! after step 4, as a GPU reset would): the run must go on on the CPU from the snapshot of step 4
//! (weights and optimiser moments, both read back from WebGPU), say so, and finish.

use inkling_tests::browser::{
    Browser, attr, click, dist_dir, number, phase_is, serve_dir, text, wait_for,
};
use std::time::Duration;

/// SwiftShader compiles every kernel on the first step: minutes on two cores.
const FIRST_STEPS_TIMEOUT: Duration = Duration::from_secs(900);
const STEPS: usize = 3;
/// The device is destroyed after this step, right after its snapshot (SwiftShader takes seconds
/// a step: time enough to read the page at step 3 first).
const LOST_AFTER: usize = 4;
/// 100 examples in batches of 8.
const RUN_STEPS: usize = 12;

#[tokio::test]
async fn a_few_steps_run_on_webgpu_in_the_worker_and_a_lost_gpu_moves_the_run_to_the_cpu() {
    let url = serve_dir(dist_dir());
    let browser = Browser::start(&[]).await;
    let result = run(&browser.client, &url).await;
    browser.close().await;
    result.unwrap();
}

async fn run(c: &fantoccini::Client, url: &str) -> Result<(), String> {
    c.goto(&format!(
        "{url}?train&compute=webgpu&subset=100&batch=8&epochs=1&eval_every={LOST_AFTER}&eval_size=50&augment=off&fault=gpu-loss@{LOST_AFTER}"
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

    // The GPU is lost: the run goes on on the CPU from the snapshot of step 4, moments included,
    // and ends.
    phase_is(c, "finished", FIRST_STEPS_TIMEOUT).await?;
    let notice = text(c, "train-notice").await;
    println!("page after the GPU was lost: {notice}");
    assert!(
        notice.starts_with("WebGPU could not be used: ")
            && notice.ends_with(&format!(
                "Training continues on the CPU from the last good weights (step {LOST_AFTER})."
            )),
        "{notice}"
    );
    let resumed = text(c, "train-resumed").await;
    println!("{resumed}");
    assert_eq!(
        attr(c, "train-resumed", "data-kept-moments").await,
        "true",
        "the optimiser's moments were lost on the way to the CPU: {resumed}"
    );
    assert_eq!(attr(c, "train-status", "data-compute").await, "CPU");
    assert_eq!(text(c, "train-error").await, "");
    let steps = number(c, "train-step-count", "data-step").await as usize;
    assert_eq!(steps, RUN_STEPS, "the run reached its last step on the CPU");
    click(c, "train-reset").await?;
    Ok(())
}
