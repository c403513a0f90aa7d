//! What a run says in the page when it cannot save, when its worker or its GPU fails, and the
//! one-line summary of its settings.

use crate::format::network_family;
use crate::text::{Texts, fill};
use crate::train::settings::{Plan, option_label};
use inkling_model::WeightFormat;
use inkling_train::FineTuneMode;

/// The error when the trained model could not be saved as `format`.
pub(super) fn save_failed(t: &Texts, format: WeightFormat, error: &str) -> String {
    let format = match format {
        WeightFormat::Inkling => t.session.format_inkling,
        WeightFormat::SafeTensors => t.session.format_safetensors,
    };
    fill(
        t.session.save_failed,
        &[("format", &format), ("error", &error)],
    )
}

/// The error when the trainer stopped `restarts` times without progress and is not restarted;
/// `from` is the step of the kept weights (0: none).
pub(super) fn crash_gave_up(t: &Texts, message: &str, restarts: u32, from: usize) -> String {
    let kept = match from {
        0 => t.session.crash_nothing_kept.to_string(),
        step => fill(t.session.crash_weights_kept, &[("step", &step)]),
    };
    fill(
        t.session.crash_gave_up,
        &[("message", &message), ("count", &restarts), ("kept", &kept)],
    )
}

/// The notice when a fresh trainer goes on from the snapshot of step `from` (0: the start).
pub(super) fn crash_restarted(t: &Texts, message: &str, from: usize) -> String {
    let from = resumed_from(t, t.session.from_last_snapshot, from);
    fill(
        t.session.crash_restarted,
        &[
            ("message", &message.trim_end_matches('.')),
            ("resumed", &from),
        ],
    )
}

/// The notice when the run moves from a failed GPU to the CPU, from the snapshot of step `from`
/// (0: the start).
pub(super) fn gpu_failed(t: &Texts, reason: &str, from: usize) -> String {
    let from = resumed_from(t, t.session.from_last_good_weights, from);
    fill(
        t.session.gpu_failed,
        &[
            ("reason", &reason.trim_end_matches('.')),
            ("resumed", &from),
        ],
    )
}

/// Where a run goes on from: the start (`from` 0), else the snapshot of step `from` as
/// `from_step` says it.
fn resumed_from(t: &Texts, from_step: &str, from: usize) -> String {
    match from {
        0 => t.session.from_start.to_string(),
        step => fill(from_step, &[("step", &step)]),
    }
}

/// A run's settings in one line, e.g. `dsd-s on MNIST digits, AdamW, learning rate 0.002, batch
/// 32, 1 epoch, from the pretrained model (head)`.
pub(super) fn summary(t: &Texts, plan: &Plan, from_pretrained: bool) -> String {
    let run = &plan.run;
    let recipe = &run.recipe;
    let epochs = match recipe.epochs {
        1 => t.session.summary_one_epoch.to_string(),
        n => fill(t.session.summary_epochs, &[("n", &n)]),
    };
    let dataset = option_label(t, run.dataset);
    let optimizer = option_label(t, recipe.optimizer.algorithm());
    let mut text = fill(
        t.session.summary,
        &[
            (
                "model",
                &run.model
                    .preset_name()
                    .unwrap_or(network_family(t, &run.model)),
            ),
            ("dataset", &dataset),
            ("optimizer", &optimizer),
            ("rate", &recipe.learning_rate),
            ("batch", &recipe.batch_size),
            ("epochs", &epochs),
        ],
    );
    if let Some(n) = recipe.train_subset {
        text += &fill(t.session.summary_subset, &[("n", &n)]);
    }
    if from_pretrained {
        let mode = match recipe.fine_tune.mode() {
            FineTuneMode::All => t.session.mode_all,
            FineTuneMode::Head => t.session.mode_head,
            FineTuneMode::HeadReinit => t.session.mode_head_reinit,
            FineTuneMode::Gradual => t.session.mode_gradual,
        };
        text += &fill(t.session.summary_from_pretrained, &[("mode", &mode)]);
    }
    text
}
