//! The lines under the pad: the model's state (with a retry after a failed download), which
//! weights the pad reads with, WebGPU's availability and the last reading's time.

use super::{AppState, ModelState};
use crate::draw::classifier::Classifier;
use crate::format::{format_bytes, group_thousands};
use crate::platform::WebGpuStatus;
use crate::text::Texts;
use std::rc::Rc;
use yew::prelude::*;

/// The footer for `state`; `on_retry` fetches the model again.
pub fn footer(
    t: &'static Texts,
    state: &AppState,
    current: Option<&Rc<Classifier>>,
    on_retry: Callback<MouseEvent>,
) -> Html {
    let (status_kind, status_text) = match &state.model {
        ModelState::Loading => ("loading", t.app.model_loading.to_string()),
        ModelState::Ready(c) => (
            "ready",
            format!(
                "{} · {} parameters{}",
                c.header().model.family(),
                group_thousands(c.header().model.param_count()),
                c.header()
                    .test_accuracy
                    .map(|a| format!(
                        " · {:.2} % on the {} test set",
                        a * 100.0,
                        c.header().dataset
                    ))
                    .unwrap_or_default()
            ),
        ),
        ModelState::Failed(e) => ("error", e.clone()),
    };
    let webgpu = match &state.webgpu {
        WebGpuStatus::Checking => "WebGPU: checking…".to_string(),
        WebGpuStatus::Available => "WebGPU: available for training".to_string(),
        WebGpuStatus::Unavailable(why) => {
            format!("WebGPU: not available ({why}); training will use the CPU")
        }
    };
    let timing = state
        .reading
        .as_ref()
        .map(|r| format!("read in {:.1} ms", r.millis))
        .unwrap_or_default();
    html! {
        <footer>
            <p id="status" class={classes!("status", status_kind)} data-state={status_kind}>
                { status_text }
                if matches!(state.model, ModelState::Failed(_)) {
                    { " " }<button id="model-retry" onclick={on_retry}>{ "Try again" }</button>
                }
            </p>
            if let Some(c) = current {
                <p id="model-origin" class="origin">{ format!(
                    "Reading with {} · {} weights, {}.",
                    c.origin(),
                    c.header().weights.label(),
                    format_bytes(c.bytes().len())
                ) }</p>
            }
            <p id="webgpu" class="webgpu">{ webgpu }</p>
            <p id="timing" class="timing">{ timing }</p>
        </footer>
    }
}
