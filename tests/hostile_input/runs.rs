//! Run descriptions.

use super::*;

/// Enum tags of a run description (and near misses).
pub(super) const RUN_TAGS: [&str; 16] = [
    "dsd",
    "cnn",
    "mlp",
    "adam-w",
    "adamw",
    "adam",
    "sgd",
    "one-cycle",
    "cosine",
    "constant",
    "step",
    "exponential",
    "mnist",
    "fashion-mnist",
    "kmnist",
    "Sgd",
];

/// Run descriptions to mutate: the default, the shipped model's run card, and the default with
/// each model preset, optimiser and schedule, so every variant's fields are in reach.
pub(super) fn run_seeds() -> Vec<Value> {
    let card_path = inkling_tests::repo_root().join("www/models/dsd-s.run-card.json");
    let card: Value = serde_json::from_slice(
        &std::fs::read(&card_path).unwrap_or_else(|e| panic!("{}: {e}", card_path.display())),
    )
    .expect("the shipped run card is JSON");
    let mut seeds = vec![
        serde_json::from_str(&serde_json::to_string(&RunConfig::default()).unwrap()).unwrap(),
        card["run"].clone(),
    ];
    for name in ModelConfig::PRESETS {
        let run = RunConfig {
            model: ModelConfig::preset(name).unwrap(),
            ..RunConfig::default()
        };
        seeds.push(serde_json::to_value(run).unwrap());
    }
    for optimizer in [
        OptimizerKind::Sgd {
            momentum: 0.9,
            nesterov: true,
        },
        OptimizerKind::Adam {
            beta1: 0.9,
            beta2: 0.999,
        },
    ] {
        let mut run = RunConfig::default();
        run.recipe.optimizer = optimizer;
        run.recipe.grad_clip_norm = Some(1.0);
        run.recipe.train_subset = Some(2000);
        seeds.push(serde_json::to_value(run).unwrap());
    }
    for schedule in [
        Schedule::Constant,
        Schedule::Step {
            every_epochs: 1.0,
            gamma: 0.5,
        },
        Schedule::Exponential { gamma: 0.8 },
        Schedule::Cosine { min_factor: 0.0 },
    ] {
        let mut run = RunConfig::default();
        run.recipe.schedule = schedule;
        run.recipe.warmup_steps = 100;
        seeds.push(serde_json::to_value(run).unwrap());
    }
    seeds
}

/// What an accepted run description gave.
#[derive(Default)]
pub(super) struct Usable {
    built: bool,
    infinite_rate: bool,
}

#[test]
fn damaged_run_descriptions_are_refused_with_a_reason_and_accepted_ones_are_usable() {
    let seeds = run_seeds();
    let texts: Vec<String> = seeds.iter().map(Value::to_string).collect();
    let device = Device::flex();
    let mut m = Mutator::new(seed(4));
    let mut tally = Tally::new("run descriptions");
    let mut builds_left = 40;
    for _ in 0..inputs() {
        let i = m.below(seeds.len());
        let text = if m.chance(0.75) {
            m.json(&seeds[i], &RUN_TAGS)
        } else {
            m.text(&texts[i])
        };
        let outcome = tally.check(
            || show_text(&text),
            || {
                let run: RunConfig = serde_json::from_str(&text)
                    .map_err(|e| Rejected::message("json: ", e.to_string()))?;
                run.validate()
                    .map_err(|e| Rejected::message("invalid: ", e))?;
                let mut usable = Usable::default();
                let params = run.model.param_count();
                let field = run.model.receptive_field();
                assert!(
                    params > 0 && field >= 3,
                    "{params} parameters, field {field}"
                );
                let recipe = &run.recipe;
                let examples = recipe.train_subset.unwrap_or(60_000).min(60_000);
                let per_epoch = (examples / recipe.batch_size).max(1);
                let total = per_epoch * recipe.epochs;
                for step in [0, 1, total / 2, total.saturating_sub(1), total] {
                    let rate = recipe.schedule.learning_rate(
                        recipe.learning_rate,
                        step,
                        total,
                        per_epoch,
                        recipe.warmup_steps,
                    );
                    usable.infinite_rate |= !rate.is_finite();
                }
                let _ = serde_json::to_string(&run).expect("an accepted run serialises");
                if builds_left > 0 && params <= MAX_PARAMS_TO_BUILD {
                    builds_left -= 1;
                    run.model.init(&device).expect("a validated model builds");
                    usable.built = true;
                }
                Ok(usable)
            },
        );
        if let Some(usable) = outcome {
            if usable.built {
                tally.note("network built");
            }
            if usable.infinite_rate {
                tally.note("accepted, but the schedule reaches a non-finite learning rate");
            }
        }
    }
    tally.finish();
}
