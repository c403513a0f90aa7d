//! The lines under the pad: the model's state (with a retry after a failed download), which
//! weights the pad reads with, WebGPU's availability and the last reading's time.

use super::{AppState, ModelState};
use crate::draw::classifier::Classifier;
use crate::format::{dataset_name, format_bytes, group_thousands, network_family};
use crate::platform::WebGpuStatus;
use crate::text::{Texts, fill};
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
        ModelState::Ready(c) => ("ready", model_line(t, c)),
        ModelState::Failed(e) => ("error", e.clone()),
    };
    let timing = state
        .reading
        .as_ref()
        .map(|r| fill(t.app.read_time, &[("ms", &format!("{:.1}", r.millis))]))
        .unwrap_or_default();
    html! {
        <footer>
            <p id="status" class={classes!("status", status_kind)} data-state={status_kind}>
                { status_text }
                if matches!(state.model, ModelState::Failed(_)) {
                    { " " }<button id="model-retry" onclick={on_retry}>{ t.app.retry }</button>
                }
            </p>
            if let Some(c) = current {
                <p id="model-origin" class="origin">{ fill(t.app.reading_with, &[
                    ("origin", &c.origin().describe(t)),
                    ("weights", &c.header().weights.label()),
                    ("size", &format_bytes(t, c.bytes().len())),
                ]) }</p>
            }
            <p id="webgpu" class="webgpu">{ webgpu_line(t, &state.webgpu) }</p>
            <p id="timing" class="timing">{ timing }</p>
        </footer>
    }
}

/// The ready model: its network, parameters and, when its file has it, its test accuracy.
fn model_line(t: &Texts, c: &Classifier) -> String {
    let header = c.header();
    let network = network_family(t, &header.model);
    let parameters = group_thousands(header.model.param_count());
    match header.test_accuracy {
        Some(accuracy) => fill(
            t.app.model_ready_tested,
            &[
                ("network", &network),
                ("parameters", &parameters),
                ("accuracy", &format!("{:.2}", accuracy * 100.0)),
                ("dataset", &dataset_name(header.dataset)),
            ],
        ),
        None => fill(
            t.app.model_ready,
            &[("network", &network), ("parameters", &parameters)],
        ),
    }
}

/// Whether WebGPU can train here.
fn webgpu_line(t: &Texts, status: &WebGpuStatus) -> String {
    match status {
        WebGpuStatus::Checking => t.app.webgpu_checking.to_string(),
        WebGpuStatus::Available => t.app.webgpu_available.to_string(),
        WebGpuStatus::Unavailable(why) => {
            fill(t.app.webgpu_unavailable, &[("reason", &why.message(t))])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;
    use crate::platform::NoWebGpu;

    #[test]
    fn the_webgpu_line_reads_as_before_in_english() {
        let en = Language::En.texts();
        assert_eq!(
            webgpu_line(en, &WebGpuStatus::Unavailable(NoWebGpu::Missing)),
            "WebGPU: not available (this browser has no WebGPU (navigator.gpu is missing)); \
             training will use the CPU"
        );
        assert_eq!(
            webgpu_line(
                en,
                &WebGpuStatus::Unavailable(NoWebGpu::RequestFailed("JsValue(x)".into()))
            ),
            "WebGPU: not available (requestAdapter failed: JsValue(x)); training will use the CPU"
        );
        assert_eq!(
            webgpu_line(Language::Zh.texts(), &WebGpuStatus::Available),
            "WebGPU：可用于训练"
        );
    }
}
