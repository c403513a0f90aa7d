//! Training in the browser, end to end on the CPU path: the release build of the playground in
//! headless Chromium, real MNIST served by the built site, the trainer in its Web Worker.
//! - a run on a 2,000-example subset learns (>= 85 % validation accuracy, falling loss, curve
//!   updates), and its downloaded model scores in `inkling eval` what the page showed;
//! - the controls do what they say (pause, single step, resume, a learning-rate change mid-run,
//!   reset), and absurd values are refused at their field;
//! - without WebGPU, a run asked for on WebGPU moves to the CPU and the page says so;
//! - finished runs line up in the runs table (kept across a reload, exported as CSV), and a
//!   sweep's runs land there too;
//! - early stopping keeps the best validation's weights, and the range test suggests a rate;
//! - a host page embedding the playground hears its events and is obeyed only from its origin;
//! - after one visit the page draws and trains offline, and a rebuilt site replaces the cache;
//! - every lesson opens from its `?preset=` link and starts, a copied link restores the form,
//!   and `?controls=` / `?hide=` show what a lesson needs.
//!
//! Prints the figures the README quotes: training examples/s on the CPU path, the longest gap
//! between the page's animation frames while the worker trains, and what a second CPU trainer
//! computing half of each batch would give (two trainers side by side against one).

use fantoccini::{Client, Locator};
use inkling_data::{Choice, DatasetKind};
use inkling_model::Architecture;
use inkling_tests::browser::{
    Browser, artifacts_dir, attr, click, dist_dir, number, phase_is, replace_text,
    screenshot_element, serve_dir, text, wait_for,
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

/// Replaces the text of input `id` with `value`, as typed.
async fn type_into(c: &Client, id: &str, value: &str) -> Result<(), String> {
    let field = c.find(Locator::Id(id)).await.map_err(|e| e.to_string())?;
    replace_text(&field, value).await
}

/// The value of the JavaScript expression `script`.
async fn js(c: &Client, script: &str) -> Result<serde_json::Value, String> {
    c.execute(&format!("return {script};"), vec![])
        .await
        .map_err(|e| e.to_string())
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

mod controls;
mod embed;
mod experiments;
mod fallback;
mod learns;
mod lessons;
mod offline;
mod runs;
mod two_trainers;
