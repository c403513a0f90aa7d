//! What the panel says about the run: the status line (with progress, notices and errors), the
//! figures (step, rate, speed, losses, accuracies, the weights the pad reads with, the frame
//! gap) and the loss and accuracy curves. The browser tests read the ids and data attributes.

use super::chart::{Chart, Series};
use super::state::{Phase, TrainState};
use crate::format::{format_duration, group_thousands};
use inkling_train::Compute;
use yew::prelude::*;

/// The status line, the progress bar, and any notice or error.
pub fn status(state: &TrainState) -> Html {
    let progress = match &state.phase {
        Phase::Loading { loaded, total, .. } if *total > 0 => Some((*loaded as f64, *total as f64)),
        _ if state.steps_total > 0 => Some((state.step as f64, state.steps_total as f64)),
        _ => None,
    };
    html! {
        <>
            <p id="train-status" class="status" data-phase={state.phase.name()}
                data-compute={state.compute.map(|c| c.label()).unwrap_or("")} aria-live="polite">
                { status_line(state) }
            </p>
            if let Some((done, total)) = progress {
                <progress id="train-progress" max={total.to_string()} value={done.to_string()} />
            }
            if let Some(notice) = &state.notice {
                <p id="train-notice" class="notice" role="status">{ notice }</p>
            }
            if let Some(resumed) = state.resumed {
                <p id="train-resumed" class="notice" role="status"
                    data-kept-moments={resumed.kept_moments.to_string()}>
                    { if resumed.kept_moments {
                        format!("Picked up at step {} with the optimiser's state (its moments), so \
                            the run goes on as if it had not been interrupted.", resumed.step)
                    } else {
                        format!("Picked up at step {}; the optimiser's state starts afresh.",
                            resumed.step)
                    } }
                </p>
            }
            if let Some(reason) = &state.storage {
                <p id="train-storage" class="notice" role="status">
                    { format!("The dataset is not kept in this browser ({}): the next run \
                        downloads it again. Drawing and training work as usual.",
                        reason.trim_end_matches('.')) }
                </p>
            }
            if let Some(stop) = state.early_stopped {
                <p id="train-early-stopped" class="notice" role="status"
                    data-step={stop.step.to_string()} data-best-step={stop.best_step.to_string()}
                    data-best-accuracy={stop.best_accuracy.to_string()}>
                    { format!("Early stopping: {} validation(s) in a row brought no better accuracy                         than {:.2} % (step {}), so the run stopped after step {} and keeps the                         weights of step {}.", stop.patience, stop.best_accuracy * 100.0,
                        stop.best_step, stop.step, stop.best_step) }
                </p>
            }
            if let Some(error) = &state.error {
                <p id="train-error" class="error" role="alert">{ error }</p>
            }
        </>
    }
}

/// The run's figures; `frame_gap` is the longest gap between animation frames, in ms.
pub fn figures(state: &TrainState, frame_gap: f64) -> Html {
    let eta = (state.ms_per_step > 0.0
        && state.steps_total > state.step
        && state.phase == Phase::Running)
        .then(|| {
            format_duration((state.steps_total - state.step) as f64 * state.ms_per_step / 1000.0)
        });
    let latest_validation = state.validation_accuracy.last().map(|p| p.1);
    let first_loss = state.loss_smooth.first().map(|p| p.1);
    let last_loss = state.loss_smooth.last().map(|p| p.1);
    html! {
        <dl class="figures">
            <dt>{ "Step" }</dt>
            <dd id="train-step-count" data-step={state.step.to_string()}>
                { format!("{} / {} (epoch {:.2})", state.step, state.steps_total, state.epoch) }
            </dd>
            <dt>{ "Learning rate" }</dt>
            <dd id="train-lr-now" data-lr={state.learning_rate.to_string()}>{ format!("{:.2e}", state.learning_rate) }</dd>
            <dt>{ "Speed" }</dt>
            <dd id="train-speed" data-ms-per-step={format!("{:.1}", state.ms_per_step)}
                data-examples-per-second={format!("{:.1}", state.examples_per_second)}>
                { format!("{:.0} ms/step · {:.0} examples/s", state.ms_per_step, state.examples_per_second) }
                if let Some(eta) = eta { { format!(" · {eta} left") } }
            </dd>
            <dt>{ "Training loss (smoothed)" }</dt>
            <dd id="train-loss" data-first={first_loss.map(|l| l.to_string()).unwrap_or_default()}
                data-last={last_loss.map(|l| l.to_string()).unwrap_or_default()}>
                { match (first_loss, last_loss) {
                    (Some(first), Some(last)) => format!("{last:.4} (started at {first:.4})"),
                    _ => "–".into(),
                } }
            </dd>
            <dt>{ "Validation accuracy" }</dt>
            <dd id="train-val-acc" data-accuracy={latest_validation.map(|a| a.to_string()).unwrap_or_default()}
                data-count={state.validation_accuracy.len().to_string()}>
                { latest_validation.map(|a| format!("{:.2} %", a * 100.0)).unwrap_or_else(|| "–".into()) }
            </dd>
            <dt>{ "Test accuracy" }</dt>
            <dd id="train-test-acc" data-accuracy={state.test.map(|t| t.accuracy.to_string()).unwrap_or_default()}>
                { state.test.map(|t| format!("{:.2} % on {} test images (step {})",
                    t.accuracy * 100.0, group_thousands(t.examples), t.step)).unwrap_or_else(|| "–".into()) }
            </dd>
            <dt>{ "Drawing pad reads with" }</dt>
            <dd id="train-snapshot" data-step={state.snapshot_step.map(|s| s.to_string()).unwrap_or_default()}>
                { state.snapshot_step.map(|s| format!("the weights of step {s}")).unwrap_or_else(|| "the pretrained model".into()) }
            </dd>
            <dt>{ "Dataset" }</dt>
            <dd id="train-data" data-cached={state.data_cached.map(|c| c.to_string()).unwrap_or_default()}>
                { match state.data_cached {
                    Some(true) => "from the browser's cache",
                    Some(false) => "downloaded (kept in the browser's cache for next time)",
                    None => "–",
                } }
            </dd>
            <dt>{ "Longest page stall" }</dt>
            <dd id="train-frame-gap" data-ms={format!("{frame_gap:.1}")}>{ format!("{frame_gap:.0} ms between frames") }</dd>
        </dl>
    }
}

/// The loss and accuracy curves.
pub fn curves(state: &TrainState) -> Html {
    html! {
        <div class="charts">
            <Chart id="loss-chart" title="Loss" x_label="step" y_label=""
                series={vec![
                    Series { label: "train".into(), colour: "#c9c9e8", points: state.loss.clone(), width: 1.0, dots: false },
                    Series { label: "train (smoothed)".into(), colour: "#3b3bb3", points: state.loss_smooth.clone(), width: 2.0, dots: false },
                    Series { label: "validation".into(), colour: "#d9480f", points: state.validation_loss.clone(), width: 2.0, dots: true },
                ]} />
            <Chart id="accuracy-chart" title="Accuracy" x_label="step" y_label="" percent=true y_range={Some((0.0, 1.0))}
                series={vec![
                    Series { label: "train (smoothed)".into(), colour: "#3b3bb3", points: state.accuracy_smooth.clone(), width: 2.0, dots: false },
                    Series { label: "validation".into(), colour: "#d9480f", points: state.validation_accuracy.clone(), width: 2.0, dots: true },
                ]} />
        </div>
    }
}

/// One line about where the run is.
pub(crate) fn status_line(state: &TrainState) -> String {
    let on = match state.compute {
        None => String::new(),
        Some(Compute::Cpu) => " on the CPU".into(),
        Some(Compute::WebGpu) if state.adapter.is_empty() => " on the GPU (WebGPU)".into(),
        Some(Compute::WebGpu) => format!(" on WebGPU ({})", state.adapter),
    };
    match &state.phase {
        Phase::Idle => "Set up a run and press Start.".into(),
        Phase::Loading {
            file,
            loaded,
            total,
        } => format!(
            "Loading the dataset: {file} {:.1} of {:.1} MB…",
            *loaded as f64 / 1e6,
            *total as f64 / 1e6
        ),
        Phase::Starting if state.compute == Some(Compute::WebGpu) => {
            format!("Setting up{on}… (the first GPU steps compile kernels and can take a while)")
        }
        Phase::Starting => format!("Setting up{on}…"),
        Phase::Running => format!("Training{on}"),
        Phase::Paused => format!("Paused{on}"),
        Phase::Finished => format!("Finished{on}"),
        Phase::Failed => "Stopped".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_line_names_phase_and_device() {
        let mut state = TrainState::default();
        assert_eq!(status_line(&state), "Set up a run and press Start.");
        state.phase = Phase::Running;
        state.compute = Some(Compute::Cpu);
        assert_eq!(status_line(&state), "Training on the CPU");
        state.compute = Some(Compute::WebGpu);
        assert_eq!(status_line(&state), "Training on the GPU (WebGPU)");
        state.compute = Some(Compute::WebGpu);
        state.adapter = "SwiftShader".into();
        state.phase = Phase::Paused;
        assert_eq!(status_line(&state), "Paused on WebGPU (SwiftShader)");
    }
}
