//! Every lesson's runs are valid, differ from each other, and read in both languages.

use super::*;
use crate::lang::Language;
use crate::text::Texts;
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

/// Every text of `lesson` (title, explanation, what to look for, each run's label) in the
/// language of `t`.
fn texts_of(lesson: &Lesson, t: &'static Texts) -> Vec<&'static str> {
    let mut texts = vec![
        (lesson.title)(&t.lessons),
        (lesson.explanation)(&t.lessons),
        (lesson.look_for)(&t.lessons),
    ];
    texts.extend(lesson.variants.iter().map(|v| (v.label)(&t.lessons)));
    texts
}

#[test]
fn every_text_is_written_in_both_languages() {
    for lesson in LESSONS {
        let en = texts_of(lesson, Language::En.texts());
        let zh = texts_of(lesson, Language::Zh.texts());
        for (en, zh) in en.iter().zip(&zh) {
            assert!(!en.trim().is_empty(), "{}", lesson.name);
            assert!(!zh.trim().is_empty(), "{}", lesson.name);
            assert_ne!(en, zh, "{}", lesson.name);
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{}: {zh}",
                lesson.name
            );
        }
    }
}

#[test]
fn each_lesson_has_texts_of_its_own_and_its_runs_differ() {
    for t in [Language::En.texts(), Language::Zh.texts()] {
        let mut all: Vec<&str> = LESSONS.iter().flat_map(|l| texts_of(l, t)).collect();
        let count = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), count, "two lesson texts are the same");
        for lesson in LESSONS {
            let labels: Vec<&str> = lesson
                .variants
                .iter()
                .map(|v| (v.label)(&t.lessons))
                .collect();
            for (i, label) in labels.iter().enumerate() {
                let letter = ["A", "B", "C", "D"][i];
                assert!(label.starts_with(letter), "{}: {label}", lesson.name);
            }
        }
    }
}

#[test]
fn an_unknown_preset_names_the_lessons() {
    assert_eq!(Lesson::find(" overfitting ").unwrap().name, "overfitting");
    let refused = Lesson::find("resnet").unwrap_err();
    let message = refused.to_string();
    assert!(
        message.starts_with("there is no lesson \"resnet\"; the lessons are overfitting, ")
            && message.contains("dilation"),
        "{message}"
    );
    assert_eq!(refused.message(Language::En.texts()), message);
    let zh = refused.message(Language::Zh.texts());
    assert!(
        zh.contains("“resnet”") && zh.contains("batch-norm, dilation"),
        "{zh}"
    );
}
