//! Every lesson's runs are valid, differ from each other, and read in both languages.

use super::*;
use crate::lang::Language;
use inkling_model::ModelConfig;

#[test]
fn every_variant_is_a_run_the_form_accepts() {
    assert!(LESSONS.len() >= 6);
    for lesson in LESSONS {
        assert!((2..=4).contains(&lesson.variants.len()), "{}", lesson.name);
        for (i, variant) in lesson.variants.iter().enumerate() {
            for (key, _) in variant.settings {
                assert!(
                    TrainSettings::URL_KEYS.contains(key),
                    "{} {i}: {key}",
                    lesson.name
                );
            }
            let plan = variant.settings().plan();
            assert!(plan.is_ok(), "{} {i}: {:?}", lesson.name, plan.err());
        }
    }
}

#[test]
fn a_lessons_runs_differ_and_nothing_else_of_the_form_is_touched() {
    for lesson in LESSONS {
        let plans: Vec<_> = lesson
            .variants
            .iter()
            .map(|v| v.settings().plan().unwrap())
            .collect();
        for (i, a) in plans.iter().enumerate() {
            for b in &plans[i + 1..] {
                assert_ne!(a.run, b.run, "{}", lesson.name);
            }
        }
        // Where to train is the reader's choice (or the URL's), never the lesson's.
        let mut settings = TrainSettings::default();
        settings.set("compute", "cpu".into());
        lesson.variants[0].apply(&mut settings);
        assert_eq!(
            settings.plan().unwrap().compute,
            inkling_train::Compute::Cpu
        );
    }
}

#[test]
fn the_model_lessons_change_what_they_teach() {
    let model = |lesson: &str, i: usize| {
        Lesson::find(lesson).unwrap().variants[i]
            .settings()
            .model()
            .unwrap()
    };
    assert_eq!(
        model("batch-norm", 0),
        ModelConfig::preset("dsd-s").unwrap()
    );
    assert_eq!(
        model("batch-norm", 1),
        ModelConfig::preset("dsd-s-nobn").unwrap()
    );
    assert_eq!(
        model("dilation", 1),
        ModelConfig::preset("dsd-s-nodil").unwrap()
    );
    let ModelConfig::Dsd(residual) = model("residual", 1) else {
        unreachable!()
    };
    assert!(residual.residual && !residual.batch_norm && residual.blocks.len() == 12);
}

#[test]
fn every_text_is_written_in_both_languages() {
    for lesson in LESSONS {
        let mut texts = vec![lesson.title, lesson.explanation, lesson.look_for];
        texts.extend(lesson.variants.iter().map(|v| v.label));
        for text in texts {
            for language in [Language::En, Language::Zh] {
                assert!(!text.get(language).trim().is_empty(), "{}", lesson.name);
            }
            assert_ne!(text.en, text.zh, "{}", lesson.name);
            assert!(
                text.zh
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{}: {}",
                lesson.name,
                text.zh
            );
        }
    }
}

#[test]
fn an_unknown_preset_names_the_lessons() {
    assert_eq!(Lesson::find(" overfitting ").unwrap().name, "overfitting");
    let message = Lesson::find("resnet").unwrap_err().to_string();
    assert!(
        message.contains("\"resnet\"") && message.contains("dilation"),
        "{message}"
    );
}
