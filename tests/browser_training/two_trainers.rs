//! What a second CPU trainer would give (#14): one worker training dsd-s at batch 32 alone,
//! against two workers training batch 16 each at the same time (in two browsers, so neither
//! shares a page with the other), as two workers splitting each batch of 32 would. Their summed
//! examples/s bound what splitting a batch's gradients over two workers can reach on this
//! machine, before the gradients are exchanged and averaged each step. Prints the figures; fails
//! only when a trainer does not train.

use super::*;

/// Steps each trainer takes before its speed is read (past the JIT's warm-up).
const WARM_STEPS: usize = 40;

/// Readings of the smoothed step time, two seconds apart, averaged.
const READINGS: usize = 3;

#[tokio::test]
async fn a_second_cpu_trainer_is_measured_beside_one() {
    let _serial = SERIAL.lock().await;
    let url = serve_dir(dist_dir());
    let one_32 = trainers(&url, 32, 1).await[0];
    let one_16 = trainers(&url, 16, 1).await[0];
    let pair = trainers(&url, 16, 2).await;
    let (a, b) = (pair[0], pair[1]);
    let rate = |batch: usize, ms: f64| batch as f64 * 1000.0 / ms;
    let together = rate(16, a) + rate(16, b);
    println!(
        "browser CPU trainers (dsd-s, WebAssembly SIMD, {} cores): one at batch 32 {one_32:.0} \
         ms/step, {:.0} examples/s; one at batch 16 {one_16:.0} ms/step, {:.0} examples/s; two \
         at once at batch 16 each {a:.0} and {b:.0} ms/step, {together:.0} examples/s together: \
         {:.2}x one trainer at batch 32, before exchanging gradients",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        rate(32, one_32),
        rate(16, one_16),
        together / rate(32, one_32),
    );
}

/// Mean milliseconds per step of each of `count` trainers at `batch`, each in its own browser,
/// all training at once while they are read.
async fn trainers(url: &str, batch: usize, count: usize) -> Vec<f64> {
    let mut browsers = Vec::new();
    for _ in 0..count {
        browsers.push(Browser::start(&[]).await);
    }
    let result = async {
        let page =
            format!("{url}?train&compute=cpu&subset=8192&epochs=1&batch={batch}&eval_every=500");
        for browser in &browsers {
            start(&browser.client, &page).await?;
        }
        for browser in &browsers {
            step_at_least(&browser.client, WARM_STEPS).await?;
        }
        let mut sums_ms = vec![0.0; count];
        for _ in 0..READINGS {
            tokio::time::sleep(Duration::from_secs(2)).await;
            for (sum, browser) in sums_ms.iter_mut().zip(&browsers) {
                *sum += ms_per_step(&browser.client).await?;
            }
        }
        // Every one still training: the readings were taken side by side.
        for browser in &browsers {
            phase_is(&browser.client, "running", Duration::from_secs(1)).await?;
        }
        Ok::<_, String>(sums_ms.iter().map(|s| s / READINGS as f64).collect())
    }
    .await;
    for browser in browsers {
        browser.close().await;
    }
    result.unwrap()
}
/// Opens `page` and starts its run.
async fn start(c: &Client, page: &str) -> Result<(), String> {
    c.goto(page).await.map_err(|e| e.to_string())?;
    click(c, "train-start").await
}

/// The page's smoothed time per step (the worker's own measure of each step).
async fn ms_per_step(c: &Client) -> Result<f64, String> {
    let ms = number(c, "train-speed", "data-ms-per-step").await;
    if ms.is_finite() && ms > 0.0 {
        Ok(ms)
    } else {
        Err(format!("no step time shown: {ms}"))
    }
}
