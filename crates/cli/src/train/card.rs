//! What a run records: the run card (per-epoch metrics, timings, data checksums) and the
//! checkpoint that lets a killed run resume exactly.

use crate::checkpoint::Checkpoints;
use crate::data::{DataLocation, content_md5};
use anyhow::Result;
use inkling_train::{EarlyStopping, RunConfig, RunPosition, Trainer};
use serde::{Deserialize, Serialize};

/// Metrics of one finished epoch, as recorded in the run card.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EpochRecord {
    pub epoch: usize,
    pub steps: usize,
    pub train_loss: f64,
    pub train_accuracy: f64,
    pub validation_accuracy: Option<f64>,
    pub test_loss: Option<f64>,
    pub test_accuracy: Option<f64>,
    pub seconds: f64,
    pub examples_per_second: f64,
}

/// Everything about a run: what was run, on which data, what it measured, how long it took.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunCard {
    pub inkling_version: String,
    pub run: RunConfig,
    pub parameters: usize,
    pub receptive_field: usize,
    pub backend: String,
    pub threads: usize,
    pub data_dir: String,
    /// MD5 of the decompressed contents of each data file.
    pub data_md5: Vec<(String, String)>,
    pub fine_tuned_from: Option<String>,
    pub epochs: Vec<EpochRecord>,
    pub final_test_accuracy: Option<f64>,
    /// Test examples the accuracies were measured on (all of them unless `--test-limit`).
    #[serde(default)]
    pub test_examples: usize,
    pub total_seconds: f64,
    /// Early stopping, when asked for (`--early-stop-patience`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub early_stopping: Option<EarlyStopRecord>,
}

/// What early stopping decided.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EarlyStopRecord {
    /// Its state: patience, best validation accuracy and epoch, epochs since.
    pub state: EarlyStopping,
    /// The epoch after which it stopped the run (`None`: the run used all its epochs).
    pub stopped_after_epoch: Option<usize>,
    /// Validation accuracy of the weights kept (those of the best epoch), measured again.
    pub kept_validation_accuracy: Option<f64>,
}

/// What a checkpoint holds besides the weights and optimiser state.
#[derive(Serialize, Deserialize)]
pub(super) struct CheckpointState {
    pub(super) run: RunConfig,
    pub(super) position: RunPosition,
    pub(super) card: RunCard,
    pub(super) epoch: EpochProgress,
}

/// Sums over the steps of the epoch in progress, so an epoch interrupted by a crash is
/// recorded as if it had not been.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
pub(super) struct EpochProgress {
    pub(super) loss_sum: f64,
    pub(super) correct_sum: f64,
    pub(super) examples: usize,
    pub(super) seconds: f64,
}

/// The files of one checkpoint.
pub(super) const MODEL_FILE: &str = "model.inkling";
pub(super) const OPTIMIZER_FILE: &str = "optimizer.bin";
pub(super) const STATE_FILE: &str = "state.json";
/// The best epoch's weights, with early stopping.
pub(super) const BEST_FILE: &str = "best.inkling";

pub(super) fn data_checksums(location: &DataLocation) -> Vec<(String, String)> {
    let dir = location.dir();
    location
        .kind()
        .files()
        .iter()
        .map(|f| {
            let md5 = std::fs::read(dir.join(f.name))
                .map_err(anyhow::Error::from)
                .and_then(|b| content_md5(&b))
                .unwrap_or_else(|e| format!("unreadable: {e}"));
            (f.name.to_string(), md5)
        })
        .collect()
}

/// Saves the weights, the optimiser state and the run position as one checkpoint.
pub(super) fn save_checkpoint(
    checkpoints: &Checkpoints,
    trainer: &Trainer,
    card: &RunCard,
    epoch: EpochProgress,
    best: Option<&[u8]>,
) -> Result<()> {
    let model = pollster::block_on(trainer.model_file(None))?.encode();
    let optimizer = pollster::block_on(trainer.moments())?.encode();
    let state = serde_json::to_vec_pretty(&CheckpointState {
        run: trainer.config().clone(),
        position: trainer.position(),
        card: card.clone(),
        epoch,
    })?;
    let mut files: Vec<(&str, &[u8])> = vec![
        (MODEL_FILE, &model),
        (OPTIMIZER_FILE, &optimizer),
        (STATE_FILE, &state),
    ];
    if let Some(best) = best {
        files.push((BEST_FILE, best));
    }
    checkpoints.save(trainer.steps_done(), &files)
}
