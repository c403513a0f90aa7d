//! The experiments the material asks for, in the page: early stopping ends a run once the
//! validation accuracy stalls and keeps the best validation's weights; the learning-rate range
//! test suggests a peak rate that one click puts in the form. Neither touches the test set to
//! decide, and the range test is not kept among the runs.

use super::*;

#[tokio::test]
async fn early_stopping_keeps_the_best_weights_and_the_range_test_suggests_a_rate() {
    let _serial = SERIAL.lock().await;
    let url = serve_dir(dist_dir());
    let browser = Browser::start(&[]).await;
    let result = experiments(&browser.client, &url).await;
    browser.close().await;
    result.unwrap();
}

async fn experiments(c: &Client, url: &str) -> Result<(), String> {
    // 30 epochs of 2,000 images at a constant rate, validated every 10 steps: the validation
    // accuracy stalls long before the end.
    c.goto(&format!(
        "{url}?train&compute=cpu&subset=2000&epochs=30&eval_every=10&schedule=constant&patience=3"
    ))
    .await
    .map_err(|e| e.to_string())?;
    click(c, "train-start").await?;
    phase_is(c, "finished", RUN_TIMEOUT).await?;
    let stopped_at = number(c, "train-early-stopped", "data-step").await as usize;
    let best_step = number(c, "train-early-stopped", "data-best-step").await as usize;
    let best = number(c, "train-early-stopped", "data-best-accuracy").await;
    let total = text(c, "train-step-count").await;
    let final_validation = number(c, "train-val-acc", "data-accuracy").await;
    let test = number(c, "train-test-acc", "data-accuracy").await;
    println!(
        "early stopping (patience 3, every 10 steps): stopped after step {stopped_at} of 1,890, \
         kept step {best_step} ({:.2} % validation); final validation {:.2} %, test {:.2} %",
        best * 100.0,
        final_validation * 100.0,
        test * 100.0
    );
    assert!(stopped_at < 1890, "it ran to the end: {total}");
    assert_eq!(step(c).await, stopped_at);
    assert_eq!(
        stopped_at,
        best_step + 30,
        "three validations without a better one"
    );
    assert!(best > 0.85, "it learned before it stalled ({best})");
    // The final validation is of the restored weights: exactly the best one.
    assert_eq!(final_validation, best, "the best weights are restored");
    assert!(test > 0.85);

    // The range test: 100 steps from 1e-6 to 10, then a suggestion the form takes.
    click(c, "lr-find-start").await?;
    phase_is(c, "finished", RUN_TIMEOUT).await?;
    wait_for(
        c,
        "the suggestion",
        "document.querySelector('#lr-find-result[data-suggestion]')",
        Duration::from_secs(30),
    )
    .await?;
    let suggestion = number(c, "lr-find-result", "data-suggestion").await;
    let lowest = number(c, "lr-find-result", "data-lowest-rate").await;
    let points = number(c, "lr-find-chart", "data-points").await;
    let steps = step(c).await;
    println!(
        "range test in the page: {steps} steps, lowest smoothed loss at {lowest:.1e}, \
         suggested peak rate {suggestion:.1e} (the default recipe's peak is 2e-3)"
    );
    assert!(
        (2e-3 / 3.0..=2e-3 * 3.0).contains(&suggestion),
        "the suggestion {suggestion} is not within a factor of 3 of the default peak"
    );
    assert!(
        points >= 2.0 * steps as f64 - 2.0,
        "the chart has {points} points"
    );
    screenshot_element(c, "#lr-find", "lr-find.png", 900).await?;
    click(c, "lr-find-use").await?;
    wait_for(
        c,
        "the suggested rate in the form",
        &format!("document.getElementById('train-lr-value').textContent === '{suggestion}'"),
        Duration::from_secs(10),
    )
    .await?;
    // The runs table keeps the early-stopped run, not the range test.
    assert_eq!(attr(c, "runs-table", "data-runs").await, "1");
    Ok(())
}
