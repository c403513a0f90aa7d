//! The run's buttons: start, pause, resume, single step, stop, reset, the move between WebGPU and
//! the CPU, the test set, and the downloads (Inkling's model file, or SafeTensors for PyTorch).
//! Each is offered only when the phase allows it.

use super::state::Phase;
use crate::text::use_texts;
use inkling_model::WeightFormat;
use inkling_train::{Command, Compute};
use yew::prelude::*;

/// Properties of [`Controls`].
#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    /// Where the run is.
    pub phase: Phase,
    /// Where it runs (`None`: no run).
    pub compute: Option<Compute>,
    /// Whether WebGPU is there.
    pub gpu_ok: bool,
    /// A run can start (none is live and the form is valid).
    pub can_start: bool,
    /// There are weights to download.
    pub can_download: bool,
    /// Start pressed.
    pub on_start: Callback<MouseEvent>,
    /// A command for the worker.
    pub on_command: Callback<Command>,
    /// Reset pressed.
    pub on_reset: Callback<MouseEvent>,
    /// Move the run to this device.
    pub on_switch: Callback<Compute>,
    /// A download button pressed: the weights in this format.
    pub on_download: Callback<WeightFormat>,
}

/// The toolbar.
#[component]
pub fn Controls(props: &ControlsProps) -> Html {
    let t = &use_texts().train;
    let command = |command: Command| {
        let on_command = props.on_command.clone();
        Callback::from(move |_: MouseEvent| on_command.emit(command.clone()))
    };
    let phase = &props.phase;
    let stepping = matches!(phase, Phase::Running | Phase::Paused);
    let target = match props.compute {
        Some(Compute::WebGpu) => Compute::Cpu,
        _ => Compute::WebGpu,
    };
    let on_switch = props.on_switch.reform(move |_: MouseEvent| target);
    let download = |format: WeightFormat| props.on_download.reform(move |_: MouseEvent| format);
    html! {
        <div class="controls" role="toolbar">
            <button id="train-start" onclick={props.on_start.clone()} disabled={!props.can_start}>{ t.start_button }</button>
            <button id="train-pause" onclick={command(Command::Pause)} disabled={*phase != Phase::Running}>{ t.pause_button }</button>
            <button id="train-resume" onclick={command(Command::Resume)} disabled={*phase != Phase::Paused}>{ t.resume_button }</button>
            <button id="train-step" onclick={command(Command::Step)} disabled={*phase != Phase::Paused}>{ t.step_button }</button>
            <button id="train-stop" onclick={command(Command::Stop)} disabled={!stepping}>{ t.stop_button }</button>
            <button id="train-reset" onclick={props.on_reset.clone()} disabled={*phase == Phase::Idle}>{ t.reset_button }</button>
            <button id="train-switch" onclick={on_switch} disabled={!stepping || (!props.gpu_ok && props.compute == Some(Compute::Cpu))}>
                { match target { Compute::Cpu => t.move_to_cpu_button, Compute::WebGpu => t.move_to_webgpu_button } }
            </button>
            <button id="train-test" onclick={command(Command::Test)} disabled={!matches!(phase, Phase::Paused | Phase::Finished)}>{ t.test_button }</button>
            <button id="train-download" onclick={download(WeightFormat::Inkling)} disabled={!props.can_download}>{ t.download_model_button }</button>
            <button id="train-download-safetensors" onclick={download(WeightFormat::SafeTensors)} disabled={!props.can_download}>
                { t.download_safetensors_button }
            </button>
        </div>
    }
}
