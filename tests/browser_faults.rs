//! Faults under a run, end to end in headless Chromium with the release build: what a person
//! sees when things go wrong, and that nothing they had is lost.
//! - The trainer's worker dies mid-run (its WebAssembly traps without a word, as when it runs out
//!   of memory; injected with `?fault=worker-crash@N`): the page starts a fresh worker from the
//!   last snapshot, says so, and the run reaches its last step. A worker that runs out of memory
//!   at the same step every time (`out-of-memory@N`: it allocates until the browser refuses) says
//!   how much it asked for and had, and is restarted twice, then given up on, keeping the last
//!   snapshot's weights.
//! - The browser keeps no storage (the site on plain http under a host name: no Cache Storage):
//!   the page says the dataset is not kept, a drawn digit is still read, and a CPU run trains to
//!   its end.
//! - The disk is full (the browser profile on a 16 MB tmpfs: Cache Storage refuses the dataset
//!   with a quota error): the page says so and the run trains to its end.
//!
//! The lost GPU is tested in `browser_webgpu` (it needs the slow software GPU), the failing
//! model download in `browser_e2e`.

use fantoccini::Client;
use inkling_data::{DatasetKind, Split};
use inkling_tests::browser::{
    Browser, attr, click, digit_strokes, dist_dir, number, phase_is, serve_dir, settled_prediction,
    text, wait_for,
};
use inkling_tests::load;
use std::time::Duration;

const RUN_TIMEOUT: Duration = Duration::from_secs(600);

/// One run at a time: the two tests share two cores.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

#[tokio::test]
async fn a_worker_that_dies_mid_run_is_replaced_from_the_last_snapshot() {
    let _serial = SERIAL.lock().await;
    let url = serve_dir(dist_dir());
    let browser = Browser::start(&[]).await;
    let result = worker_dies(&browser.client, &url).await;
    browser.close().await;
    result.unwrap();
}

async fn worker_dies(c: &Client, url: &str) -> Result<(), String> {
    // The MLP (it learns in a few dozen steps) on 1,000 examples in batches of 32: 31 steps an
    // epoch, 62 in all; snapshots every 10 steps; the worker dies after step 22, so the fresh one
    // goes on from step 20.
    c.goto(&format!(
        "{url}?train&compute=cpu&arch=mlp&subset=1000&batch=32&epochs=2&eval_every=10&fault=worker-crash@22"
    ))
    .await
    .map_err(|e| e.to_string())?;
    click(c, "train-start").await?;
    wait_for(
        c,
        "the page to replace the worker",
        "(document.getElementById('train-notice') || {}).textContent?.includes('A fresh one')",
        RUN_TIMEOUT,
    )
    .await?;
    let notice = text(c, "train-notice").await;
    println!("page after the worker died: {notice}");
    assert!(
        notice.starts_with("The trainer stopped: its WebAssembly stopped (")
            && notice.ends_with("A fresh one goes on from the last snapshot (step 20)."),
        "{notice}"
    );
    phase_is(c, "finished", RUN_TIMEOUT).await?;
    assert_eq!(
        attr(c, "train-resumed", "data-kept-moments").await,
        "true",
        "the fresh worker started without the optimiser's moments"
    );
    let steps = number(c, "train-step-count", "data-step").await;
    assert_eq!(steps, 62.0, "the run reached its last step");
    assert_eq!(text(c, "train-error").await, "");
    let accuracy = number(c, "train-test-acc", "data-accuracy").await;
    assert!(accuracy > 0.7, "test accuracy after the run: {accuracy}");
    // The curves hold each step once: the dead worker's steps after the snapshot were dropped.
    let points = number(c, "loss-chart", "data-points").await;
    // Raw and smoothed loss at each of the 62 steps, and 7 validations (10, 20, then 30 to 60 and
    // the last step from the fresh worker).
    assert_eq!(points, 2.0 * 62.0 + 7.0, "loss-curve points");
    println!(
        "finished after the restart: {steps} steps, test accuracy {accuracy:.3}, {points} curve points"
    );
    Ok(())
}

#[tokio::test]
async fn a_worker_that_runs_out_of_memory_every_time_says_so_and_is_given_up_on_keeping_the_weights()
 {
    let _serial = SERIAL.lock().await;
    let url = serve_dir(dist_dir());
    let browser = Browser::start(&[]).await;
    let result = worker_keeps_dying(&browser.client, &url).await;
    browser.close().await;
    result.unwrap();
}

async fn worker_keeps_dying(c: &Client, url: &str) -> Result<(), String> {
    // As above, but every worker runs out of memory after step 22: each fresh one resumes from
    // step 20 and dies before the next snapshot (step 30), so the page stops after MAX_RESTARTS
    // (2) restarts.
    c.goto(&format!(
        "{url}?train&compute=cpu&arch=mlp&subset=1000&batch=32&epochs=2&eval_every=10&fault=out-of-memory@22"
    ))
    .await
    .map_err(|e| e.to_string())?;
    click(c, "train-start").await?;
    phase_is(c, "failed", RUN_TIMEOUT).await?;
    let error = text(c, "train-error").await;
    println!("page after three refused allocations: {error}");
    assert!(
        error.starts_with("The trainer stopped: it ran out of memory: the browser refused ")
            && error.contains(" MiB more with ")
            && error.contains(" MiB already in use. ")
            && error.contains("It stopped 3 times without progress, so it is not restarted again")
            && error.ends_with("the weights of step 20 are kept (download them or start again)."),
        "{error}"
    );
    assert_eq!(
        number(c, "train-snapshot", "data-step").await,
        20.0,
        "the drawing pad reads with the last snapshot"
    );
    // Nothing steps any more.
    let step = number(c, "train-step-count", "data-step").await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(number(c, "train-step-count", "data-step").await, step);
    Ok(())
}

#[tokio::test]
async fn without_storage_the_page_says_so_and_still_reads_digits_and_trains() {
    let _serial = SERIAL.lock().await;
    // The same server under a host name: plain http off localhost is not a secure context, so
    // the browser offers no Cache Storage (nor WebGPU), as on a course site without https.
    let local = serve_dir(dist_dir());
    let port = local
        .trim_end_matches('/')
        .rsplit(':')
        .next()
        .expect("a port");
    let url = format!("http://inkling.test:{port}/");
    let browser = Browser::start(&["--host-resolver-rules=MAP inkling.test 127.0.0.1"]).await;
    let result = no_storage(&browser.client, &url).await;
    browser.close().await;
    result.unwrap();
}

async fn no_storage(c: &Client, url: &str) -> Result<(), String> {
    c.goto(&format!(
        "{url}?train&compute=cpu&subset=200&batch=32&epochs=1&eval_every=5"
    ))
    .await
    .map_err(|e| e.to_string())?;
    let secure = c
        .execute("return window.isSecureContext;", vec![])
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(
        secure,
        serde_json::Value::Bool(false),
        "the test needs an insecure origin"
    );

    // Drawing works as anywhere.
    wait_for(
        c,
        "the model",
        "document.querySelector(\"#status[data-state='ready']\")",
        Duration::from_secs(60),
    )
    .await?;
    let pad = c
        .find(fantoccini::Locator::Id("pad"))
        .await
        .map_err(|e| e.to_string())?;
    let (_, _, side, _) = pad.rectangle().await.map_err(|e| e.to_string())?;
    let test = load(DatasetKind::Mnist, Split::Test);
    c.perform_actions(digit_strokes(&pad, side, test.image(0)))
        .await
        .map_err(|e| e.to_string())?;
    c.release_actions().await.map_err(|e| e.to_string())?;
    let read = settled_prediction(c).await;
    assert_eq!(read, test.label(0).to_string(), "the drawn digit is read");

    // Training says the dataset is not kept, and trains to the end.
    click(c, "train-start").await?;
    phase_is(c, "finished", RUN_TIMEOUT).await?;
    let storage = text(c, "train-storage").await;
    println!("page without storage: {storage}");
    assert!(
        storage.contains("not kept in this browser") && storage.contains("https"),
        "{storage}"
    );
    assert_eq!(text(c, "train-error").await, "");
    let steps = number(c, "train-step-count", "data-step").await;
    assert_eq!(steps, 6.0, "200 examples in batches of 32");
    Ok(())
}

/// Size of the small disk the browser profile lives on: room for Chromium's own files, not for
/// the 10 MB training images (Chromium grants an origin a share of the disk).
const FULL_DISK_MB: usize = 16;

#[tokio::test]
async fn on_a_full_disk_the_page_says_the_dataset_is_not_kept_and_still_trains() {
    let _serial = SERIAL.lock().await;
    let disk = SmallDisk::mount(FULL_DISK_MB);
    let profile = disk.path.join("profile");
    let url = serve_dir(dist_dir());
    let browser = Browser::start(&[&format!("--user-data-dir={}", profile.display())]).await;
    let result = full_disk(&browser.client, &url).await;
    browser.close().await;
    drop(disk);
    result.unwrap();
}

async fn full_disk(c: &Client, url: &str) -> Result<(), String> {
    c.goto(&format!(
        "{url}?train&compute=cpu&subset=200&batch=32&epochs=1&eval_every=5"
    ))
    .await
    .map_err(|e| e.to_string())?;
    click(c, "train-start").await?;
    phase_is(c, "finished", RUN_TIMEOUT).await?;
    let storage = text(c, "train-storage").await;
    println!("page on a {FULL_DISK_MB} MB disk: {storage}");
    assert!(
        storage.contains("not kept in this browser") && storage.contains("could not store"),
        "{storage}"
    );
    assert_eq!(text(c, "train-error").await, "");
    let steps = number(c, "train-step-count", "data-step").await;
    assert_eq!(steps, 6.0, "200 examples in batches of 32");
    Ok(())
}

/// A tmpfs of a few megabytes, unmounted when dropped (needs root, as the CI machine has).
struct SmallDisk {
    path: std::path::PathBuf,
}

impl SmallDisk {
    fn mount(megabytes: usize) -> Self {
        let path = std::env::temp_dir().join(format!("inkling-small-disk-{}", std::process::id()));
        std::fs::create_dir_all(&path).unwrap();
        let status = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(&path)
            .status()
            .expect("mount(8) runs");
        assert!(
            status.success(),
            "mounting a {megabytes} MB tmpfs needs root"
        );
        Self { path }
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg(&self.path)
            .status();
        let _ = std::fs::remove_dir(&self.path);
    }
}
