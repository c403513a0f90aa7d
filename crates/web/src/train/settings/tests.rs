//! URL values, refusals at their field, and every name table's names taken from the URL.

use super::*;
use crate::lang::Language;
use inkling_data::Choice;

fn with(pairs: &[(&'static str, &str)]) -> TrainSettings {
    TrainSettings::from_url(|key| {
        pairs
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.to_string())
    })
}

#[test]
fn defaults_describe_the_reference_net_and_recipe() {
    let plan = TrainSettings::default().plan().unwrap();
    assert_eq!(plan.run.model, ModelConfig::preset("dsd-s").unwrap());
    assert_eq!(
        plan.run.recipe.learning_rate,
        Recipe::default().learning_rate
    );
    assert_eq!(plan.run.recipe.validation_size, VALIDATION_EXAMPLES);
}

#[test]
fn url_values_shape_the_run() {
    let plan = with(&[
        ("subset", "2000"),
        ("epochs", "3"),
        ("width", "0.5"),
        ("dilation", "off"),
        ("augment", "off"),
        ("compute", "cpu"),
        ("eval_size", "200"),
    ]);
    let plan = plan.plan().unwrap();
    assert_eq!(plan.compute, Compute::Cpu);
    assert_eq!(plan.eval_size, 200);
    assert_eq!(
        plan.run.recipe.validation_size, VALIDATION_EXAMPLES,
        "the split stays"
    );
    assert_eq!(plan.run.recipe.train_subset, Some(2000));
    assert_eq!(plan.run.recipe.epochs, 3);
    assert!(!plan.run.recipe.augment.is_enabled());
    let expected = DsdConfig::dsd_s().with_width(0.5).without_dilation();
    assert_eq!(plan.run.model, ModelConfig::Dsd(expected));
}

#[test]
fn every_url_key_names_a_field() {
    for key in TrainSettings::URL_KEYS {
        assert!(TrainSettings::default().set(key, "1".into()), "{key}");
    }
    assert!(!TrainSettings::default().set("brush", "1".into()));
}

#[test]
fn nan_and_absurd_values_are_rejected_at_their_field() {
    for (field, value) in [
        ("lr", "NaN"),
        ("lr", "50"),
        ("batch", "0"),
        ("batch", "1e9"),
        ("eval_size", "5000"),
        ("epochs", "-1"),
        ("wd", "inf"),
        ("dropout", "0.99"),
        ("width", "abc"),
        ("subset", "5"),
        ("seed", "-3"),
        ("unfreeze_after", "-1"),
        ("base_lr_factor", "2"),
    ] {
        let with_gradual = [(field, value), ("finetune", "on"), ("layers", "gradual")];
        let (at, message) = with(&with_gradual).plan().unwrap_err();
        assert_eq!(at, field, "{field}={value}: {message}");
        assert!(message.contains("must be"), "{message}");
    }
}

#[test]
fn a_huge_value_is_quoted_cut_short_in_its_message() {
    let huge = "9".repeat(100_000) + "x";
    let (at, message) = with(&[("batch", huge.as_str())]).plan().unwrap_err();
    assert_eq!(at, "batch");
    assert!(message.len() < 200, "{} bytes", message.len());
    assert!(
        message.contains("\"9999999999999999999999999999999999999999…\""),
        "{message}"
    );
}

#[test]
fn unknown_choice_names_from_the_url_are_refused_at_their_field() {
    for (key, field) in [
        ("dataset", "dataset"),
        ("arch", "architecture"),
        ("optimizer", "optimizer"),
        ("schedule", "schedule"),
        ("compute", "compute"),
        ("layers", "layers"),
    ] {
        let (at, message) = with(&[(key, "nonsense"), ("finetune", "on")])
            .plan()
            .unwrap_err();
        assert_eq!(at, field, "{message}");
        assert!(message.contains("\"nonsense\"") && message.contains("expected one of"));
    }
}

#[test]
fn every_choice_name_from_the_url_is_taken() {
    let names = |names: Vec<&'static str>| names.into_iter().map(String::from);
    for name in names(ScheduleShape::names()) {
        let plan = with(&[("schedule", name.as_str())]).plan().unwrap();
        assert_eq!(plan.run.recipe.schedule.shape().name(), name);
    }
    for name in names(OptimizerAlgorithm::names()) {
        let plan = with(&[("optimizer", name.as_str())]).plan().unwrap();
        assert_eq!(plan.run.recipe.optimizer.algorithm().name(), name);
    }
    for name in names(FineTuneMode::names()) {
        let plan = with(&[("finetune", "on"), ("layers", name.as_str())]);
        assert_eq!(
            plan.plan().unwrap().run.recipe.fine_tune.mode().name(),
            name
        );
        let from_scratch = with(&[("layers", name.as_str())]).plan().unwrap();
        assert_eq!(from_scratch.run.recipe.fine_tune, FineTune::All);
    }
    let gradual = [
        ("finetune", "on"),
        ("layers", "gradual"),
        ("unfreeze_after", "30"),
        ("base_lr_factor", "0.2"),
    ];
    assert_eq!(
        with(&gradual).plan().unwrap().run.recipe.fine_tune,
        FineTuneMode::Gradual.with(30, 0.2)
    );
    for name in names(Architecture::names()) {
        let plan = with(&[("arch", name.as_str())]).plan().unwrap();
        assert_eq!(plan.run.model.architecture().name(), name);
    }
}

#[test]
fn a_pretrained_network_the_form_can_describe_is_adopted() {
    let mut settings = with(&[("arch", "mlp"), ("finetune", "on")]);
    for preset in ModelConfig::PRESETS {
        let model = ModelConfig::preset(preset).unwrap();
        assert!(settings.adopt(&model), "{preset}");
        assert!(
            settings.model().unwrap().same_weights_as(&model),
            "{preset}"
        );
    }
    let mut odd = DsdConfig::dsd_s();
    odd.stem_channels = 10;
    let before = settings.clone();
    assert!(!settings.adopt(&ModelConfig::Dsd(odd)));
    assert_eq!(settings, before, "nothing changed");
}

/// A value other than the default for every URL key.
const OTHER_VALUES: [(&str, &str); 28] = [
    ("dataset", "fashion-mnist"),
    ("arch", "mlp"),
    ("width", "0.5"),
    ("depth", "3"),
    ("dilation", "off"),
    ("bn", "off"),
    ("residual", "on"),
    ("optimizer", "sgd"),
    ("lr", "0.01"),
    ("schedule", "cosine"),
    ("batch", "64"),
    ("epochs", "3"),
    ("wd", "0.1"),
    ("dropout", "0.2"),
    ("augment", "off"),
    ("rotate", "off"),
    ("shift", "off"),
    ("scale", "off"),
    ("subset", "500"),
    ("seed", "7"),
    ("eval_every", "10"),
    ("eval_size", "200"),
    ("patience", "3"),
    ("compute", "cpu"),
    ("finetune", "on"),
    ("layers", "head"),
    ("unfreeze_after", "10"),
    ("base_lr_factor", "0.5"),
];

/// Settings through "Copy link"'s parameters and back.
fn round_trip(settings: &TrainSettings) -> TrainSettings {
    let pairs = settings.url_pairs();
    TrainSettings::from_url(|key| {
        pairs
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.clone())
    })
}

#[test]
fn every_url_key_round_trips_through_a_copied_link() {
    assert_eq!(
        OTHER_VALUES.map(|(key, _)| key),
        TrainSettings::URL_KEYS,
        "a value for every key, in order"
    );
    assert!(
        TrainSettings::default().url_pairs().is_empty(),
        "defaults need no parameters"
    );
    for (key, value) in OTHER_VALUES {
        let settings = with(&[(key, value)]);
        assert_ne!(
            settings,
            TrainSettings::default(),
            "{key}={value} changes something"
        );
        assert_eq!(round_trip(&settings), settings, "{key}={value}");
        let pairs = settings.url_pairs();
        assert_eq!(pairs.len(), 1, "{key}={value} is one parameter: {pairs:?}");
    }
    let everything = with(&OTHER_VALUES);
    assert_eq!(round_trip(&everything), everything);
    // One warp off is written as itself; a refused name is kept as given.
    let odd = with(&[("shift", "off"), ("arch", "resnet"), ("lr", "fast")]);
    assert_eq!(
        odd.url_pairs(),
        [
            ("arch", "resnet".to_string()),
            ("lr", "fast".into()),
            ("shift", "off".into())
        ]
    );
    assert_eq!(round_trip(&odd), odd);
}

#[test]
fn batch_norm_and_shortcuts_reach_the_network() {
    let plan = with(&[("bn", "off"), ("residual", "on")]).plan().unwrap();
    let expected = DsdConfig::dsd_s()
        .with_batch_norm(false)
        .with_residual(true);
    assert_eq!(plan.run.model, ModelConfig::Dsd(expected));
    let mut settings = TrainSettings::default();
    for preset in ["dsd-s-res", "dsd-s-nobn"] {
        let model = ModelConfig::preset(preset).unwrap();
        assert!(settings.adopt(&model), "{preset}");
        assert_eq!(settings.model().unwrap(), model, "{preset}");
    }
}

/// Every option of `T` has a text in both languages, its menu label in English, and so has what
/// a message calls `T`.
fn every_option_has_a_text<T: Choice>() {
    let (en, zh) = (Language::En.texts(), Language::Zh.texts());
    assert_eq!(parse::choice_what(en, T::WHAT), Some(T::WHAT));
    assert!(parse::choice_what(zh, T::WHAT).is_some(), "{}", T::WHAT);
    for &option in T::ALL {
        let name = option.name();
        assert_eq!(table_label(en, T::WHAT, name), Some(option.menu_label()));
        assert!(
            table_label(zh, T::WHAT, name).is_some(),
            "{} {name}",
            T::WHAT
        );
    }
}

#[test]
fn every_option_of_the_form_has_a_text_and_it_is_its_menu_label_in_english() {
    every_option_has_a_text::<DatasetKind>();
    every_option_has_a_text::<Architecture>();
    every_option_has_a_text::<OptimizerAlgorithm>();
    every_option_has_a_text::<ScheduleShape>();
    every_option_has_a_text::<Compute>();
    every_option_has_a_text::<FineTuneMode>();
    assert_eq!(
        option_label(Language::Zh.texts(), ScheduleShape::Cosine),
        "余弦"
    );
}

/// URL values, and the refusal they get in English and in Chinese.
type Refusal = (
    &'static [(&'static str, &'static str)],
    &'static str,
    &'static str,
);

#[test]
fn refusals_read_as_before_in_english_and_in_the_pages_language() {
    let refusal = |pairs: &[(&'static str, &str)], language: Language| {
        with(pairs).plan_in(language.texts()).unwrap_err()
    };
    let cases: [Refusal; 7] = [
        (
            &[("lr", "fast")],
            "learning rate must be a number, got \"fast\"",
            "学习率必须是数字，当前为“fast”",
        ),
        (
            &[("lr", "50")],
            "learning rate must be between 0.000001 and 10, got 50",
            "学习率必须在 0.000001 到 10 之间，当前为 50",
        ),
        (
            &[("batch", "x")],
            "batch size must be a whole number from 1 to 1024, got \"x\"",
            "批大小必须是 1 到 1024 之间的整数，当前为“x”",
        ),
        (
            &[("batch", "0")],
            "batch size must be a whole number from 1 to 1024, got 0",
            "批大小必须是 1 到 1024 之间的整数，当前为 0",
        ),
        (
            &[("seed", "-3")],
            "seed must be a whole number, got \"-3\"",
            "随机种子必须是整数，当前为“-3”",
        ),
        (
            &[("schedule", "warm")],
            "unknown schedule \"warm\" (expected one of: one-cycle, cosine, constant, step, exponential)",
            "未知的学习率调度“warm”（应为以下之一：one-cycle, cosine, constant, step, exponential）",
        ),
        (
            &[("finetune", "on"), ("layers", "some")],
            "unknown fine-tune mode \"some\" (expected one of: all, head, head-reinit, gradual)",
            "未知的微调方式“some”（应为以下之一：all, head, head-reinit, gradual）",
        ),
    ];
    for (pairs, en, zh) in cases {
        let (field, message) = refusal(pairs, Language::En);
        assert_eq!(message, en);
        assert_eq!(with(pairs).plan().unwrap_err(), (field, message));
        assert_eq!(refusal(pairs, Language::Zh), (field, zh.to_string()));
    }
    // The English refusal of a choice is the name table's own.
    let unknown = "warm".parse::<ScheduleShape>().unwrap_err();
    assert_eq!(
        refusal(&[("schedule", "warm")], Language::En).1,
        unknown.to_string()
    );
}
