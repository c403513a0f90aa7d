use super::notices::*;
use super::*;
use crate::train::settings::TrainSettings;
use inkling_data::Choice;

/// The summary as the page wrote it before its texts moved to the tables.
fn english_summary(plan: &Plan, from_pretrained: bool) -> String {
    let run = &plan.run;
    let recipe = &run.recipe;
    let epochs = match recipe.epochs {
        1 => "1 epoch".to_string(),
        n => format!("{n} epochs"),
    };
    let mut text = format!(
        "{} on {}, {}, learning rate {}, batch {}, {epochs}",
        run.model.preset_name().unwrap_or(run.model.family()),
        run.dataset.menu_label(),
        recipe.optimizer.algorithm().menu_label(),
        recipe.learning_rate,
        recipe.batch_size,
    );
    if let Some(n) = recipe.train_subset {
        text += &format!(" on {n} images");
    }
    if from_pretrained {
        text += &format!(
            ", from the pretrained model ({})",
            recipe.fine_tune.mode().name()
        );
    }
    text
}

fn settings(pairs: &[(&str, &str)]) -> TrainSettings {
    TrainSettings::with_pairs(pairs)
}

#[test]
fn the_english_summary_is_the_one_the_page_wrote() {
    let en = Language::En.texts();
    let cases = [
        settings(&[]),
        settings(&[("epochs", "1"), ("optimizer", "sgd"), ("subset", "2000")]),
        settings(&[
            ("dataset", "fashion-mnist"),
            ("optimizer", "adam"),
            ("arch", "mlp"),
        ]),
        settings(&[("finetune", "1"), ("layers", "head")]),
        settings(&[("finetune", "1"), ("layers", "head-reinit")]),
        settings(&[("finetune", "1"), ("layers", "gradual")]),
        settings(&[("finetune", "1"), ("layers", "all"), ("epochs", "2")]),
    ];
    for settings in cases {
        let plan = settings.plan().unwrap();
        for from_pretrained in [false, true] {
            assert_eq!(
                summary(en, &plan, from_pretrained),
                english_summary(&plan, from_pretrained)
            );
            let zh = summary(Language::Zh.texts(), &plan, from_pretrained);
            assert!(!zh.contains('{'), "{zh}");
        }
    }
}

#[test]
fn the_english_notices_are_the_ones_the_page_wrote() {
    let en = Language::En.texts();
    assert_eq!(
        crash_restarted(en, "it trapped.", 0),
        "The trainer stopped: it trapped. A fresh one goes on from the start."
    );
    assert_eq!(
        crash_restarted(en, "it trapped", 40),
        "The trainer stopped: it trapped. A fresh one goes on from the last snapshot \
         (step 40)."
    );
    assert_eq!(
        crash_gave_up(en, "it trapped", 3, 0),
        "The trainer stopped: it trapped. It stopped 3 times without progress, so it is not \
         restarted again; no weights were saved yet."
    );
    assert_eq!(
        crash_gave_up(en, "it trapped", 3, 20),
        "The trainer stopped: it trapped. It stopped 3 times without progress, so it is not \
         restarted again; the weights of step 20 are kept (download them or start again)."
    );
    assert_eq!(
        gpu_failed(en, "the device was lost.", 0),
        "WebGPU could not be used: the device was lost. Training continues on the CPU from \
         the start."
    );
    assert_eq!(
        gpu_failed(en, "the device was lost", 60),
        "WebGPU could not be used: the device was lost. Training continues on the CPU from \
         the last good weights (step 60)."
    );
    for format in [WeightFormat::Inkling, WeightFormat::SafeTensors] {
        assert_eq!(
            save_failed(en, format, "no space"),
            format!("the {} could not be saved: no space", format.menu_label())
        );
    }
    assert_eq!(
        fill(
            en.session.moved_by_request,
            &[("device", &Compute::Cpu.label()), ("step", &12)]
        ),
        "Moved to CPU by request, from the weights of step 12."
    );
}

#[test]
fn the_chinese_notices_fill_every_placeholder() {
    let zh = Language::Zh.texts();
    let texts = [
        crash_restarted(zh, "it trapped.", 40),
        crash_gave_up(zh, "it trapped", 3, 20),
        gpu_failed(zh, "the device was lost.", 0),
        save_failed(zh, WeightFormat::SafeTensors, "no space"),
    ];
    for text in texts {
        assert!(!text.contains('{'), "{text}");
        assert!(!text.contains("trapped.。"), "{text}");
    }
}
