//! The run's settings form: a control per field of [`TrainSettings`], each showing the message
//! [`TrainSettings::plan`] has for it, locked while a run is live. The learning-rate slider stays
//! free: moving it during a run changes the run's rate.

use super::fields::Fields;
use super::fine_tune::{fine_tune_fields, trained_summary};
use super::settings::{Field, LOG_LR_RANGE, TrainSettings};
use super::visible::VisibleControls;
use crate::format::{group_thousands, round_rate};
use inkling_model::{Architecture, ModelConfig};
use inkling_train::Compute;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Properties of [`SettingsForm`].
#[derive(Properties, PartialEq)]
pub struct SettingsFormProps {
    /// The settings, as typed.
    pub settings: UseStateHandle<TrainSettings>,
    /// The first field the plan refuses, and why.
    pub error: Option<(Field, String)>,
    /// A run is live: every field but the learning rate is locked.
    pub live: bool,
    /// Whether WebGPU is there.
    pub gpu_ok: bool,
    /// The learning-rate slider moved to this rate.
    pub on_learning_rate: Callback<f64>,
    /// The pretrained model's network, once loaded (fine-tuning starts from it).
    pub pretrained: Option<ModelConfig>,
    /// The controls shown (`?controls=`, `?hide=`).
    pub visible: VisibleControls,
}

/// The settings form.
#[component]
pub fn SettingsForm(props: &SettingsFormProps) -> Html {
    let fields = Fields {
        settings: &props.settings,
        error: props.error.as_ref(),
        live: props.live,
        visible: &props.visible,
    };
    html! {
        <form class="settings" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            { model_fields(&fields, props.pretrained.as_ref()) }
            { optimisation_fields(&fields, &props.on_learning_rate) }
            { data_fields(&fields, props.gpu_ok) }
        </form>
    }
}

fn model_fields(f: &Fields<'_>, pretrained: Option<&ModelConfig>) -> Html {
    let s = &**f.settings;
    let summary = match s.model() {
        Ok(model) => format!(
            "{} parameters{} · receptive field {} px",
            group_thousands(model.param_count()),
            trained_summary(s, &model),
            model.receptive_field()
        ),
        Err((_, e)) => e,
    };
    html! {
        <fieldset>
            <legend>{ "Model" }</legend>
            { f.select_field("dataset", "Dataset", &s.dataset, |s, v| s.dataset = v) }
            { f.select_field("architecture", "Architecture", &s.architecture, |s, v| s.architecture = v) }
            if s.architecture == Ok(Architecture::Dsd) {
                { f.text_field("width", "Width multiplier", &s.width, |s, v| s.width = v) }
                { f.text_field("depth", "Blocks per stage", &s.depth, |s, v| s.depth = v) }
                { f.check_field("dilation", "Dilation", s.dilation, |s, v| s.dilation = v) }
                { f.check_field("bn", "Batch norm", s.batch_norm, |s, v| s.batch_norm = v) }
                { f.check_field("residual", "Residual shortcuts", s.residual, |s, v| s.residual = v) }
            }
            { f.text_field("dropout", "Dropout", &s.dropout, |s, v| s.dropout = v) }
            <p id="train-model-summary" class="summary">{ summary }</p>
            { fine_tune_fields(f, pretrained) }
        </fieldset>
    }
}

fn optimisation_fields(f: &Fields<'_>, on_learning_rate: &Callback<f64>) -> Html {
    let s = &**f.settings;
    html! {
        <fieldset>
            <legend>{ "Optimisation" }</legend>
            { f.select_field("optimizer", "Optimiser", &s.optimizer, |s, v| s.optimizer = v) }
            { learning_rate_field(f, on_learning_rate) }
            { f.select_field("schedule", "Schedule", &s.schedule, |s, v| s.schedule = v) }
            { f.text_field("batch", "Batch size", &s.batch_size, |s, v| s.batch_size = v) }
            { f.text_field("epochs", "Epochs", &s.epochs, |s, v| s.epochs = v) }
            { f.text_field("wd", "Weight decay", &s.weight_decay, |s, v| s.weight_decay = v) }
        </fieldset>
    }
}

fn data_fields(f: &Fields<'_>, gpu_ok: bool) -> Html {
    let s = &**f.settings;
    html! {
        <fieldset>
            <legend>{ "Data" }</legend>
            { f.check_field("rotate", "Rotate", s.rotate, |s, v| s.rotate = v) }
            { f.check_field("shift", "Shift", s.shift, |s, v| s.shift = v) }
            { f.check_field("scale", "Scale", s.scale, |s, v| s.scale = v) }
            { f.text_field("subset", "Training examples (empty: all)", &s.subset, |s, v| s.subset = v) }
            { f.text_field("seed", "Seed", &s.seed, |s, v| s.seed = v) }
            { f.text_field("eval_every", "Validate every (steps)", &s.eval_every, |s, v| s.eval_every = v) }
            { f.text_field("eval_size", "Validate on (examples)", &s.eval_size, |s, v| s.eval_size = v) }
            { f.text_field("patience", "Early-stopping patience (validations; empty: off)", &s.patience, |s, v| s.patience = v) }
            { f.select_field("compute", "Compute", &s.compute, |s, v| s.compute = v) }
            if !gpu_ok && s.compute == Ok(Compute::WebGpu) {
                <p class="summary">{ "WebGPU is not available here: the run will use the CPU." }</p>
            }
        </fieldset>
    }
}

/// The learning rate: a log slider, free during a run (the panel then sends the new rate on).
fn learning_rate_field(f: &Fields<'_>, on_learning_rate: &Callback<f64>) -> Html {
    if !f.visible.shows("lr") {
        return Html::default();
    }
    let s = &**f.settings;
    let slider = s
        .learning_rate
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v > 0.0)
        .map_or(-3.0, f64::log10)
        .clamp(LOG_LR_RANGE.0, LOG_LR_RANGE.1);
    let oninput = {
        let settings = f.settings.clone();
        let on_learning_rate = on_learning_rate.clone();
        Callback::from(move |e: InputEvent| {
            let Some(input) = e.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            let Ok(exponent) = input.value().parse::<f64>() else {
                return;
            };
            let rate = round_rate(10f64.powf(exponent));
            let mut next = (*settings).clone();
            next.learning_rate = rate.to_string();
            settings.set(next);
            on_learning_rate.emit(rate);
        })
    };
    let error = f.error("lr");
    html! {
        <label class={classes!("field", error.is_some().then_some("invalid"))}>
            <span>{ "Learning rate " }<output id="train-lr-value">{ &s.learning_rate }</output></span>
            <input id="train-lr" type="range" min={LOG_LR_RANGE.0.to_string()} max={LOG_LR_RANGE.1.to_string()}
                step="0.05" value={slider.to_string()} oninput={oninput} />
            if let Some(error) = error {
                <small id="train-lr-error" class="field-error" role="alert">{ error }</small>
            }
        </label>
    }
}
