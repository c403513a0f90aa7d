//! The form's fine-tuning section: start from the pretrained model, choose which layers train
//! (the shared [`FineTuneMode`] table), and, when the form describes another network than the
//! pretrained file, both networks described and an offer to adopt the file's.

use super::fields::Fields;
use super::settings::TrainSettings;
use crate::format::group_thousands;
use crate::text::{Texts, fill};
use inkling_model::ModelConfig;
use inkling_train::{FineTune, FineTuneMode};
use yew::prelude::*;

/// Why the form cannot fine-tune `pretrained`, written with `t`: the network it describes
/// differs (both described); `None` when it can, or when it is not fine-tuning.
pub fn mismatch(
    t: &Texts,
    settings: &TrainSettings,
    pretrained: Option<&ModelConfig>,
) -> Option<String> {
    let (pretrained, form) = (pretrained?, settings.model().ok()?);
    (settings.fine_tune && !pretrained.same_weights_as(&form)).then(|| {
        fill(
            t.session.mismatch,
            &[
                ("pretrained", &pretrained.describe()),
                ("form", &form.describe()),
            ],
        )
    })
}

/// What the model summary adds about the parameters that train, written with `t`.
pub fn trained_summary(t: &Texts, settings: &TrainSettings, model: &ModelConfig) -> String {
    let head = group_thousands(model.head_param_count());
    match settings.fine_tune_mode() {
        Ok(FineTune::Head | FineTune::HeadReinit) => {
            fill(t.session.trained_head, &[("head", &head)])
        }
        Ok(FineTune::Gradual { unfreeze_after, .. }) => fill(
            t.session.trained_gradual,
            &[("head", &head), ("steps", &unfreeze_after)],
        ),
        _ => String::new(),
    }
}

/// The fine-tuning controls, written with `t`.
pub fn fine_tune_fields(f: &Fields<'_>, pretrained: Option<&ModelConfig>) -> Html {
    let t = f.t;
    let s = &**f.settings;
    let conflict = mismatch(t, s, pretrained);
    let adopt = pretrained.filter(|_| conflict.is_some()).and_then(|model| {
        let mut adopted = s.clone();
        adopted.adopt(model).then(|| {
            let settings = f.settings.clone();
            Callback::from(move |_: MouseEvent| settings.set(adopted.clone()))
        })
    });
    html! {
        <>
            { f.check_field("finetune", t.session.fine_tune_label, s.fine_tune, |s, v| s.fine_tune = v) }
            if s.fine_tune {
                { f.select_field("layers", t.session.layers_label, &s.layers, |s, v| s.layers = v) }
                if s.layers == Ok(FineTuneMode::Gradual) {
                    { f.text_field("unfreeze_after", t.session.unfreeze_after_label, &s.unfreeze_after, |s, v| s.unfreeze_after = v) }
                    { f.text_field("base_lr_factor", t.session.base_lr_factor_label, &s.base_lr_factor, |s, v| s.base_lr_factor = v) }
                }
            }
            if let Some(conflict) = conflict {
                <div id="train-mismatch" class="notice" role="status">
                    <p>{ conflict }</p>
                    if let Some(adopt) = adopt {
                        <button id="train-adopt" type="button" onclick={adopt} disabled={f.live}>
                            { t.session.adopt_network }
                        </button>
                    }
                </div>
            }
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;

    fn settings(pairs: &[(&str, &str)]) -> TrainSettings {
        TrainSettings::with_pairs(pairs)
    }

    #[test]
    fn the_english_texts_are_the_ones_the_page_wrote() {
        let model = ModelConfig::preset("dsd-s").unwrap();
        let head = group_thousands(model.head_param_count());
        let head_only = settings(&[("finetune", "1"), ("layers", "head")]);
        assert_eq!(
            trained_summary(Language::En.texts(), &head_only, &model),
            format!(", {head} of them train (the head)")
        );
        let gradual = settings(&[
            ("finetune", "1"),
            ("layers", "gradual"),
            ("unfreeze_after", "30"),
        ]);
        assert_eq!(
            trained_summary(Language::En.texts(), &gradual, &model),
            format!(", {head} train for 30 steps, then all")
        );
        assert_eq!(
            trained_summary(Language::En.texts(), &settings(&[]), &model),
            ""
        );

        let other = settings(&[("finetune", "1"), ("arch", "mlp")]);
        let form = other.model().unwrap();
        assert_eq!(
            mismatch(Language::En.texts(), &other, Some(&model)),
            Some(format!(
                "The pretrained model is {}. The form describes {}. Fine-tuning needs the same \
                 network.",
                model.describe(),
                form.describe()
            ))
        );
        let zh = mismatch(Language::Zh.texts(), &other, Some(&model)).unwrap();
        assert!(zh.contains("微调") && !zh.contains('{'), "{zh}");
        assert_eq!(
            mismatch(Language::En.texts(), &head_only, Some(&model)),
            None
        );
    }
}
