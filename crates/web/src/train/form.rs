//! The run's settings form: a control per field of [`TrainSettings`], each showing the message
//! [`TrainSettings::plan`] has for it, locked while a run is live. The learning-rate slider stays
//! free: moving it during a run changes the run's rate.

use super::fields::Fields;
use super::fine_tune::{fine_tune_fields, trained_summary};
use super::settings::{Field, LOG_LR_RANGE, TrainSettings};
use super::visible::VisibleControls;
use crate::format::{group_thousands, round_rate};
use crate::text::{fill, use_texts};
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
    let t = use_texts();
    // The refusal is the plan's, written again in the page's language (the same settings give
    // the same field).
    let error = props
        .error
        .as_ref()
        .map(|(field, message)| match props.settings.plan_in(t) {
            Err((at, translated)) if at == *field => (at, translated),
            _ => (*field, message.clone()),
        });
    let fields = Fields {
        t,
        settings: &props.settings,
        error: error.as_ref(),
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
    let (s, t) = (&**f.settings, &f.t.train);
    let summary = match s.model_in(f.t) {
        Ok(model) => fill(
            t.model_summary,
            &[
                ("params", &group_thousands(model.param_count())),
                ("trained", &trained_summary(f.t, s, &model)),
                ("field", &model.receptive_field()),
            ],
        ),
        Err((_, e)) => e,
    };
    html! {
        <fieldset>
            <legend>{ t.model_legend }</legend>
            { f.select_field("dataset", t.dataset_label, &s.dataset, |s, v| s.dataset = v) }
            { f.select_field("architecture", t.architecture_label, &s.architecture, |s, v| s.architecture = v) }
            if s.architecture == Ok(Architecture::Dsd) {
                { f.text_field("width", t.width_label, &s.width, |s, v| s.width = v) }
                { f.text_field("depth", t.depth_label, &s.depth, |s, v| s.depth = v) }
                { f.check_field("dilation", t.dilation_label, s.dilation, |s, v| s.dilation = v) }
                { f.check_field("bn", t.batch_norm_label, s.batch_norm, |s, v| s.batch_norm = v) }
                { f.check_field("residual", t.residual_label, s.residual, |s, v| s.residual = v) }
            }
            { f.text_field("dropout", t.dropout_label, &s.dropout, |s, v| s.dropout = v) }
            <p id="train-model-summary" class="summary">{ summary }</p>
            { fine_tune_fields(f, pretrained) }
        </fieldset>
    }
}

fn optimisation_fields(f: &Fields<'_>, on_learning_rate: &Callback<f64>) -> Html {
    let (s, t) = (&**f.settings, &f.t.train);
    html! {
        <fieldset>
            <legend>{ t.optimisation_legend }</legend>
            { f.select_field("optimizer", t.optimizer_label, &s.optimizer, |s, v| s.optimizer = v) }
            { learning_rate_field(f, on_learning_rate) }
            { f.select_field("schedule", t.schedule_label, &s.schedule, |s, v| s.schedule = v) }
            { f.text_field("batch", t.batch_size_label, &s.batch_size, |s, v| s.batch_size = v) }
            { f.text_field("epochs", t.epochs_label, &s.epochs, |s, v| s.epochs = v) }
            { f.text_field("wd", t.weight_decay_label, &s.weight_decay, |s, v| s.weight_decay = v) }
        </fieldset>
    }
}

fn data_fields(f: &Fields<'_>, gpu_ok: bool) -> Html {
    let (s, t) = (&**f.settings, &f.t.train);
    html! {
        <fieldset>
            <legend>{ t.data_legend }</legend>
            { f.check_field("rotate", t.rotate_label, s.rotate, |s, v| s.rotate = v) }
            { f.check_field("shift", t.shift_label, s.shift, |s, v| s.shift = v) }
            { f.check_field("scale", t.scale_label, s.scale, |s, v| s.scale = v) }
            { f.text_field("subset", t.subset_label, &s.subset, |s, v| s.subset = v) }
            { f.text_field("seed", t.seed_label, &s.seed, |s, v| s.seed = v) }
            { f.text_field("eval_every", t.eval_every_label, &s.eval_every, |s, v| s.eval_every = v) }
            { f.text_field("eval_size", t.eval_size_label, &s.eval_size, |s, v| s.eval_size = v) }
            { f.text_field("patience", t.patience_label, &s.patience, |s, v| s.patience = v) }
            { f.select_field("compute", t.compute_label, &s.compute, |s, v| s.compute = v) }
            if !gpu_ok && s.compute == Ok(Compute::WebGpu) {
                <p class="summary">{ t.no_webgpu_uses_cpu }</p>
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
            <span>{ format!("{} ", f.t.train.learning_rate_label) }<output id="train-lr-value">{ &s.learning_rate }</output></span>
            <input id="train-lr" type="range" min={LOG_LR_RANGE.0.to_string()} max={LOG_LR_RANGE.1.to_string()}
                step="0.05" value={slider.to_string()} oninput={oninput} />
            if let Some(error) = error {
                <small id="train-lr-error" class="field-error" role="alert">{ error }</small>
            }
        </label>
    }
}
