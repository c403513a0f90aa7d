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
    let one_32 = alone(&url, 32).await;
    let one_16 = alone(&url, 16).await;
    let (a, b) = side_by_side(&url).await;
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

/// The page of a CPU run of dsd-s at `batch`, long enough to be read while it trains.
fn page(url: &str, batch: usize) -> String {
    format!("{url}?train&compute=cpu&subset=8192&epochs=1&batch={batch}&eval_every=500")
}

/// Milliseconds per step of one trainer alone at `batch`.
async fn alone(url: &str, batch: usize) -> f64 {
    let browser = Browser::start(&[]).await;
    let result = async {
        start(&browser.client, &page(url, batch)).await?;
        step_at_least(&browser.client, WARM_STEPS).await?;
        let mut sum_ms = 0.0;
        for _ in 0..READINGS {
            tokio::time::sleep(Duration::from_secs(2)).await;
            sum_ms += ms_per_step(&browser.client).await?;
        }
        Ok::<_, String>(sum_ms / READINGS as f64)
    }
    .await;
    browser.close().await;
    result.unwrap()
}

/// Milliseconds per step of each of two trainers at batch 16, read while both train.
async fn side_by_side(url: &str) -> (f64, f64) {
    let (one, two) = (Browser::start(&[]).await, Browser::start(&[]).await);
    let result = async {
        let page = page(url, 16);
        start(&one.client, &page).await?;
        start(&two.client, &page).await?;
        step_at_least(&one.client, WARM_STEPS).await?;
        step_at_least(&two.client, WARM_STEPS).await?;
        let (mut sum_one, mut sum_two) = (0.0, 0.0);
        for _ in 0..READINGS {
            tokio::time::sleep(Duration::from_secs(2)).await;
            sum_one += ms_per_step(&one.client).await?;
            sum_two += ms_per_step(&two.client).await?;
        }
        // Both still training: the readings were taken side by side.
        phase_is(&one.client, "running", Duration::from_secs(1)).await?;
        phase_is(&two.client, "running", Duration::from_secs(1)).await?;
        let n = READINGS as f64;
        Ok::<_, String>((sum_one / n, sum_two / n))
    }
    .await;
    one.close().await;
    two.close().await;
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
