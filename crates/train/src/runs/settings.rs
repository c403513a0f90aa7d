//! The settings runs are compared by, each one idea a person changes on its own: the network's
//! shape apart from its dilation (so that turning dilation off changes "dilation" alone), the
//! dilation, batch norm, dropout, and the recipe's knobs.

use crate::RunConfig;
use inkling_data::Choice;
use inkling_model::ModelConfig;
use serde::{Deserialize, Serialize};

/// One setting of a run, named and written as the table shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Setting {
    /// Column name, e.g. `dilation`.
    pub name: String,
    /// Its value, e.g. `on`.
    pub value: String,
}

/// The settings of `run`, always the same names in the same order; `fine_tuned` is the
/// fine-tuning mode when it started from a trained model.
pub fn settings(run: &RunConfig, fine_tuned: Option<&str>) -> Vec<Setting> {
    let recipe = &run.recipe;
    let model = &run.model;
    let on_off = |on: bool| if on { "on" } else { "off" }.to_string();
    let list =
        |v: &mut dyn Iterator<Item = usize>| v.map(|x| x.to_string()).collect::<Vec<_>>().join(" ");
    let (network, dilation, batch_norm, residual) = match model {
        ModelConfig::Dsd(c) => (
            format!(
                "DSD net, stem {}, blocks {}",
                c.stem_channels,
                list(&mut c.blocks.iter().map(|b| b.out_channels))
            ),
            on_off(c.blocks.iter().any(|b| b.dilation > 1)),
            on_off(c.batch_norm),
            on_off(c.residual),
        ),
        ModelConfig::Cnn(c) => (
            format!(
                "CNN, convolutions {}, hidden {}",
                list(&mut c.channels.iter().copied()),
                c.hidden
            ),
            "none".into(),
            on_off(c.batch_norm),
            "none".into(),
        ),
        ModelConfig::Mlp(c) => (
            format!("MLP, hidden {}", list(&mut c.hidden.iter().copied())),
            "none".into(),
            "none".into(),
            "none".into(),
        ),
    };
    let augment = &recipe.augment;
    let warps: Vec<&str> = [
        (augment.rotation_deg, "rotate"),
        (augment.translation_px, "shift"),
        (augment.scale, "scale"),
    ]
    .into_iter()
    .filter(|(amount, _)| amount.is_some_and(|a| a > 0.0))
    .map(|(_, name)| name)
    .collect();
    let mut schedule = recipe.schedule.shape().name().to_string();
    if recipe.warmup_steps > 0 {
        schedule += &format!(" + {} warm-up steps", recipe.warmup_steps);
    }
    let pairs: [(&'static str, String); 18] = [
        ("dataset", run.dataset.name().into()),
        ("network", network),
        ("dilation", dilation),
        ("batch norm", batch_norm),
        ("residual", residual),
        ("dropout", model.dropout().to_string()),
        (
            "start",
            match fine_tuned {
                None => "fresh weights".into(),
                Some(mode) => format!("pretrained ({mode})"),
            },
        ),
        ("optimiser", recipe.optimizer.algorithm().name().into()),
        ("learning rate", recipe.learning_rate.to_string()),
        ("schedule", schedule),
        ("weight decay", recipe.weight_decay.to_string()),
        ("batch size", recipe.batch_size.to_string()),
        ("epochs", recipe.epochs.to_string()),
        (
            "training images",
            recipe
                .train_subset
                .map_or_else(|| "all".into(), |n| n.to_string()),
        ),
        (
            "augmentation",
            if warps.is_empty() {
                "off".into()
            } else {
                warps.join(" ")
            },
        ),
        ("label smoothing", recipe.label_smoothing.to_string()),
        (
            "gradient clip",
            recipe
                .grad_clip_norm
                .map_or_else(|| "off".into(), |n| n.to_string()),
        ),
        ("seed", run.seed.to_string()),
    ];
    pairs
        .into_iter()
        .map(|(name, value)| Setting {
            name: name.into(),
            value,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(model: &str) -> Vec<Setting> {
        let run = RunConfig {
            model: ModelConfig::preset(model).unwrap(),
            ..RunConfig::default()
        };
        settings(&run, None)
    }

    /// The names of the settings that differ between two presets.
    fn changed(a: &str, b: &str) -> Vec<String> {
        of(a)
            .into_iter()
            .zip(of(b))
            .filter(|(a, b)| a.value != b.value)
            .map(|(a, _)| a.name)
            .collect()
    }

    #[test]
    fn each_teaching_variant_of_dsd_s_changes_its_own_setting_alone() {
        assert_eq!(changed("dsd-s", "dsd-s-nodil"), ["dilation"]);
        assert_eq!(changed("dsd-s", "dsd-s-nobn"), ["batch norm"]);
        assert_eq!(changed("dsd-s", "dsd-s-res"), ["residual"]);
        let (on, off) = (of("dsd-s"), of("dsd-s-nodil"));
        assert_eq!(on[2].value, "on");
        assert_eq!(off[2].value, "off");
    }

    #[test]
    fn every_run_has_the_same_setting_names() {
        let names = |m: &str| -> Vec<String> { of(m).into_iter().map(|s| s.name).collect() };
        assert_eq!(names("mlp"), names("dsd-s"));
        assert_eq!(names("cnn"), names("dsd-s"));
        let tuned = settings(&RunConfig::default(), Some("head"));
        let start = tuned.iter().find(|s| s.name == "start").unwrap();
        assert_eq!(start.value, "pretrained (head)");
    }
}
