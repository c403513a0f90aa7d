//! What the panel says about the run: the status line (with progress, notices and errors), the
//! figures (step, rate, speed, losses, accuracies, the weights the pad reads with, the frame
//! gap) and the loss and accuracy curves. The browser tests read the ids and data attributes.

use super::chart::{Chart, Series};
use super::state::{Phase, TrainState};
use crate::format::{format_duration, group_thousands};
use crate::text::{Texts, fill};
use inkling_train::Compute;
use yew::prelude::*;

/// The status line, the progress bar, and any notice or error, written with `t`.
pub fn status(t: &Texts, state: &TrainState) -> Html {
    let w = &t.train;
    let progress = match &state.phase {
        Phase::Loading { loaded, total, .. } if *total > 0 => Some((*loaded as f64, *total as f64)),
        _ if state.steps_total > 0 => Some((state.step as f64, state.steps_total as f64)),
        _ => None,
    };
    html! {
        <>
            <p id="train-status" class="status" data-phase={state.phase.name()}
                data-compute={state.compute.map(|c| c.label()).unwrap_or("")} aria-live="polite">
                { status_line(t, state) }
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
                    { fill(if resumed.kept_moments { w.resumed_with_moments } else { w.resumed_afresh },
                        &[("step", &resumed.step)]) }
                </p>
            }
            if let Some(reason) = &state.storage {
                <p id="train-storage" class="notice" role="status">
                    { fill(w.storage_not_kept, &[("reason", &reason.trim_end_matches('.'))]) }
                </p>
            }
            if let Some(stop) = state.early_stopped {
                <p id="train-early-stopped" class="notice" role="status"
                    data-step={stop.step.to_string()} data-best-step={stop.best_step.to_string()}
                    data-best-accuracy={stop.best_accuracy.to_string()}>
                    { fill(w.early_stopped, &[
                        ("patience", &stop.patience),
                        ("accuracy", &format!("{:.2}", stop.best_accuracy * 100.0)),
                        ("best_step", &stop.best_step),
                        ("step", &stop.step),
                    ]) }
                </p>
            }
            if let Some(error) = &state.error {
                <p id="train-error" class="error" role="alert">{ error }</p>
            }
        </>
    }
}

/// The run's figures, written with `t`; `frame_gap` is the longest gap between animation frames,
/// in ms.
pub fn figures(t: &Texts, state: &TrainState, frame_gap: f64) -> Html {
    let w = &t.train;
    let eta = (state.ms_per_step > 0.0
        && state.steps_total > state.step
        && state.phase == Phase::Running)
        .then(|| {
            format_duration(
                t,
                (state.steps_total - state.step) as f64 * state.ms_per_step / 1000.0,
            )
        });
    let latest_validation = state.validation_accuracy.last().map(|p| p.1);
    let first_loss = state.loss_smooth.first().map(|p| p.1);
    let last_loss = state.loss_smooth.last().map(|p| p.1);
    html! {
        <dl class="figures">
            <dt>{ w.step_figure }</dt>
            <dd id="train-step-count" data-step={state.step.to_string()}>
                { fill(w.step_of_total, &[
                    ("step", &state.step),
                    ("total", &state.steps_total),
                    ("epoch", &format!("{:.2}", state.epoch)),
                ]) }
            </dd>
            <dt>{ w.learning_rate_label }</dt>
            <dd id="train-lr-now" data-lr={state.learning_rate.to_string()}>{ format!("{:.2e}", state.learning_rate) }</dd>
            <dt>{ w.speed_figure }</dt>
            <dd id="train-speed" data-ms-per-step={format!("{:.1}", state.ms_per_step)}
                data-examples-per-second={format!("{:.1}", state.examples_per_second)}>
                { fill(w.speed_value, &[
                    ("ms", &format!("{:.0}", state.ms_per_step)),
                    ("rate", &format!("{:.0}", state.examples_per_second)),
                ]) }
                if let Some(eta) = eta { { fill(w.time_left, &[("time", &eta)]) } }
            </dd>
            <dt>{ w.training_loss_figure }</dt>
            <dd id="train-loss" data-first={first_loss.map(|l| l.to_string()).unwrap_or_default()}
                data-last={last_loss.map(|l| l.to_string()).unwrap_or_default()}>
                { match (first_loss, last_loss) {
                    (Some(first), Some(last)) => fill(w.loss_since_start, &[
                        ("last", &format!("{last:.4}")),
                        ("first", &format!("{first:.4}")),
                    ]),
                    _ => "–".into(),
                } }
            </dd>
            <dt>{ w.validation_accuracy_figure }</dt>
            <dd id="train-val-acc" data-accuracy={latest_validation.map(|a| a.to_string()).unwrap_or_default()}
                data-count={state.validation_accuracy.len().to_string()}>
                { latest_validation.map(|a| format!("{:.2} %", a * 100.0)).unwrap_or_else(|| "–".into()) }
            </dd>
            <dt>{ w.test_accuracy_figure }</dt>
            <dd id="train-test-acc" data-accuracy={state.test.map(|t| t.accuracy.to_string()).unwrap_or_default()}>
                { state.test.map(|test| fill(w.test_accuracy_value, &[
                    ("accuracy", &format!("{:.2}", test.accuracy * 100.0)),
                    ("images", &group_thousands(test.examples)),
                    ("step", &test.step),
                ])).unwrap_or_else(|| "–".into()) }
            </dd>
            <dt>{ w.pad_weights_figure }</dt>
            <dd id="train-snapshot" data-step={state.snapshot_step.map(|s| s.to_string()).unwrap_or_default()}>
                { state.snapshot_step.map(|s| fill(w.pad_weights_of_step, &[("step", &s)]))
                    .unwrap_or_else(|| w.pad_pretrained.into()) }
            </dd>
            <dt>{ w.dataset_label }</dt>
            <dd id="train-data" data-cached={state.data_cached.map(|c| c.to_string()).unwrap_or_default()}>
                { match state.data_cached {
                    Some(true) => w.data_from_cache,
                    Some(false) => w.data_downloaded,
                    None => "–",
                } }
            </dd>
            <dt>{ w.page_stall_figure }</dt>
            <dd id="train-frame-gap" data-ms={format!("{frame_gap:.1}")}>
                { fill(w.frame_gap_value, &[("ms", &format!("{frame_gap:.0}"))]) }
            </dd>
        </dl>
    }
}

/// The loss and accuracy curves, labelled with `t`.
pub fn curves(t: &Texts, state: &TrainState) -> Html {
    let w = &t.train;
    html! {
        <div class="charts">
            <Chart id="loss-chart" title={w.loss_chart} x_label={w.step_axis} y_label=""
                series={vec![
                    Series { label: w.train_series.into(), colour: "#c9c9e8", points: state.loss.clone(), width: 1.0, dots: false },
                    Series { label: w.train_smoothed_series.into(), colour: "#3b3bb3", points: state.loss_smooth.clone(), width: 2.0, dots: false },
                    Series { label: w.validation_series.into(), colour: "#d9480f", points: state.validation_loss.clone(), width: 2.0, dots: true },
                ]} />
            <Chart id="accuracy-chart" title={w.accuracy_chart} x_label={w.step_axis} y_label="" percent=true y_range={Some((0.0, 1.0))}
                series={vec![
                    Series { label: w.train_smoothed_series.into(), colour: "#3b3bb3", points: state.accuracy_smooth.clone(), width: 2.0, dots: false },
                    Series { label: w.validation_series.into(), colour: "#d9480f", points: state.validation_accuracy.clone(), width: 2.0, dots: true },
                ]} />
        </div>
    }
}

/// One line about where the run is, written with `t`.
pub(crate) fn status_line(t: &Texts, state: &TrainState) -> String {
    let w = &t.train;
    let on = match state.compute {
        None => String::new(),
        Some(Compute::Cpu) => w.on_cpu.into(),
        Some(Compute::WebGpu) if state.adapter.is_empty() => w.on_gpu.into(),
        Some(Compute::WebGpu) => fill(w.on_adapter, &[("adapter", &state.adapter)]),
    };
    let with_on = |template: &str| fill(template, &[("on", &on)]);
    match &state.phase {
        Phase::Idle => w.status_idle.into(),
        Phase::Loading {
            file,
            loaded,
            total,
        } => fill(
            w.status_loading,
            &[
                ("file", file),
                ("loaded", &format!("{:.1}", *loaded as f64 / 1e6)),
                ("total", &format!("{:.1}", *total as f64 / 1e6)),
            ],
        ),
        Phase::Starting if state.compute == Some(Compute::WebGpu) => with_on(w.status_compiling),
        Phase::Starting => with_on(w.status_setting_up),
        Phase::Running => with_on(w.status_training),
        Phase::Paused => with_on(w.status_paused),
        Phase::Finished => with_on(w.status_finished),
        Phase::Failed => w.status_stopped.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;

    #[test]
    fn the_status_line_names_phase_and_device() {
        let t = Language::En.texts();
        let mut state = TrainState::default();
        assert_eq!(status_line(t, &state), "Set up a run and press Start.");
        state.phase = Phase::Running;
        state.compute = Some(Compute::Cpu);
        assert_eq!(status_line(t, &state), "Training on the CPU");
        state.compute = Some(Compute::WebGpu);
        assert_eq!(status_line(t, &state), "Training on the GPU (WebGPU)");
        state.compute = Some(Compute::WebGpu);
        state.adapter = "SwiftShader".into();
        state.phase = Phase::Paused;
        assert_eq!(status_line(t, &state), "Paused on WebGPU (SwiftShader)");
    }

    #[test]
    fn the_status_line_reads_the_same_as_before_in_english() {
        let t = Language::En.texts();
        let mut state = TrainState {
            phase: Phase::Loading {
                file: "train-images.gz".into(),
                loaded: 1_300_000,
                total: 9_912_422,
            },
            ..TrainState::default()
        };
        assert_eq!(
            status_line(t, &state),
            "Loading the dataset: train-images.gz 1.3 of 9.9 MB…"
        );
        state.phase = Phase::Starting;
        state.compute = Some(Compute::WebGpu);
        assert_eq!(
            status_line(t, &state),
            "Setting up on the GPU (WebGPU)… (the first GPU steps compile kernels and can take a while)"
        );
        state.compute = Some(Compute::Cpu);
        assert_eq!(status_line(t, &state), "Setting up on the CPU…");
        state.phase = Phase::Failed;
        assert_eq!(status_line(t, &state), "Stopped");
        state.phase = Phase::Finished;
        assert_eq!(status_line(Language::Zh.texts(), &state), "已完成（CPU）");
    }
}
