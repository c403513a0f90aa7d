//! The form's fine-tuning section: start from the pretrained model, choose which layers train
//! (the shared [`FineTuneMode`] table), and, when the form describes another network than the
//! pretrained file, both networks described and an offer to adopt the file's.

use super::fields::Fields;
use super::settings::TrainSettings;
use crate::format::group_thousands;
use inkling_model::ModelConfig;
use inkling_train::{FineTune, FineTuneMode};
use yew::prelude::*;

/// Why the form cannot fine-tune `pretrained`: the network it describes differs (both
/// described); `None` when it can, or when it is not fine-tuning.
pub fn mismatch(settings: &TrainSettings, pretrained: Option<&ModelConfig>) -> Option<String> {
    let (pretrained, form) = (pretrained?, settings.model().ok()?);
    (settings.fine_tune && !pretrained.same_weights_as(&form)).then(|| {
        format!(
            "The pretrained model is {}. The form describes {}. Fine-tuning needs the same network.",
            pretrained.describe(),
            form.describe()
        )
    })
}

/// What the model summary adds about the parameters that train.
pub fn trained_summary(settings: &TrainSettings, model: &ModelConfig) -> String {
    let head = group_thousands(model.head_param_count());
    match settings.fine_tune_mode() {
        Ok(FineTune::Head | FineTune::HeadReinit) => format!(", {head} of them train (the head)"),
        Ok(FineTune::Gradual { unfreeze_after, .. }) => {
            format!(", {head} train for {unfreeze_after} steps, then all")
        }
        _ => String::new(),
    }
}

/// The fine-tuning controls.
pub fn fine_tune_fields(f: &Fields<'_>, pretrained: Option<&ModelConfig>) -> Html {
    let s = &**f.settings;
    let conflict = mismatch(s, pretrained);
    let adopt = pretrained.filter(|_| conflict.is_some()).and_then(|model| {
        let mut adopted = s.clone();
        adopted.adopt(model).then(|| {
            let settings = f.settings.clone();
            Callback::from(move |_: MouseEvent| settings.set(adopted.clone()))
        })
    });
    html! {
        <>
            { f.check_field("finetune", "Start from the pretrained model (fine-tune)", s.fine_tune, |s, v| s.fine_tune = v) }
            if s.fine_tune {
                { f.select_field("layers", "Layers that train", &s.layers, |s, v| s.layers = v) }
                if s.layers == Ok(FineTuneMode::Gradual) {
                    { f.text_field("unfreeze_after", "Head-only steps", &s.unfreeze_after, |s, v| s.unfreeze_after = v) }
                    { f.text_field("base_lr_factor", "Base learning-rate factor", &s.base_lr_factor, |s, v| s.base_lr_factor = v) }
                }
            }
            if let Some(conflict) = conflict {
                <div id="train-mismatch" class="notice" role="status">
                    <p>{ conflict }</p>
                    if let Some(adopt) = adopt {
                        <button id="train-adopt" type="button" onclick={adopt} disabled={f.live}>
                            { "Use the pretrained model's network" }
                        </button>
                    }
                </div>
            }
        </>
    }
}
