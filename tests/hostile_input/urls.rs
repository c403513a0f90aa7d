//! URL settings of the training form.

use super::*;

/// Values a course page could sensibly put in the URL, per key, including the limits.
pub(super) fn sensible_values(key: &str) -> &'static [&'static str] {
    match key {
        "dataset" => &["mnist", "fashion-mnist"],
        "arch" => &["dsd", "cnn", "mlp"],
        "width" => &["0.25", "0.5", "1", "1.5", "4", " 2 "],
        "depth" => &["1", "2", "4"],
        "dilation" | "augment" | "finetune" => &["on", "off", "0", "false", "no", ""],
        "optimizer" => &["adamw", "adam", "sgd"],
        "lr" => &["0.000001", "0.002", "1e-3", "10"],
        "schedule" => &["one-cycle", "cosine", "constant", "step", "exponential"],
        "batch" => &["1", "32", "1024"],
        "epochs" => &["1", "3", "100"],
        "wd" => &["0", "0.01", "0.5"],
        "dropout" => &["0", "0.25", "0.9"],
        "subset" => &["", "100", "2000", "60000"],
        "seed" => &["0", "42", "18446744073709551615"],
        "eval_every" => &["1", "50", "10000"],
        "eval_size" => &["10", "100", "1000"],
        "compute" => &["cpu", "webgpu"],
        _ => &[""],
    }
}

/// Values just outside each key's limits.
pub(super) fn near_misses(key: &str) -> &'static [&'static str] {
    match key {
        "width" => &["0.2499", "4.0001", "0"],
        "depth" => &["0", "5", "2.0", "-1"],
        "lr" => &["0.0000009", "10.0001", "0"],
        "batch" => &["0", "1025", "32.5"],
        "epochs" => &["0", "101"],
        "wd" => &["-0.01", "0.51"],
        "dropout" => &["-0", "0.91", "1"],
        "subset" => &["99", "60001", "0"],
        "seed" => &["-1", "18446744073709551616"],
        "eval_every" => &["0", "10001"],
        "eval_size" => &["9", "1001"],
        "dataset" => &["MNIST", "kmnist"],
        "arch" => &["DSD", "resnet"],
        "optimizer" => &["AdamW", "lbfgs"],
        "schedule" => &["onecycle", "linear"],
        "compute" => &["gpu", "CPU", "web-gpu"],
        _ => &["maybe"],
    }
}

/// Whether a refusal names a control of the form the URL can set: the fields are named by
/// their URL keys, except the architecture (`arch`).
pub(super) fn is_form_field(field: &str) -> bool {
    field == "architecture" || TrainSettings::URL_KEYS.contains(&field)
}

#[test]
fn hostile_training_urls_are_refused_at_a_named_field_never_a_panic() {
    let device = Device::flex();
    let mut m = Mutator::new(seed(6));
    let mut tally = Tally::new("training form URL settings");
    let mut builds_left = 30;
    for _ in 0..inputs() {
        let mut url: HashMap<&str, String> = HashMap::new();
        for _ in 0..1 + m.below(8) {
            let key = *m.pick(&TrainSettings::URL_KEYS);
            let value = match m.below(20) {
                0..=8 => m.hostile_text(),
                9..=16 => m.pick(sensible_values(key)).to_string(),
                _ => m.pick(near_misses(key)).to_string(),
            };
            url.insert(key, value);
        }
        let outcome = tally.check(
            || show_text(&format!("{url:?}")),
            || {
                let settings = TrainSettings::from_url(|key| url.get(key).cloned());
                let plan = settings.plan().map_err(|(field, message)| Rejected {
                    kind: field.to_string(),
                    message,
                })?;
                plan.run.validate().expect("a checked form is a valid run");
                assert!(plan.eval_every >= 1);
                assert!((10..=1000).contains(&plan.eval_size));
                let params = plan.run.model.param_count();
                let field = plan.run.model.receptive_field();
                assert!(
                    params > 0 && field >= 3,
                    "{params} parameters, field {field}"
                );
                let mut built = false;
                if builds_left > 0 && params <= MAX_PARAMS_TO_BUILD {
                    builds_left -= 1;
                    plan.run.model.init(&device).expect("a checked form builds");
                    built = true;
                }
                Ok(built)
            },
        );
        if outcome == Some(true) {
            tally.note("network built");
        }
    }
    let stray: Vec<String> = tally
        .rejection_kinds()
        .filter(|field| !is_form_field(field))
        .map(String::from)
        .collect();
    tally.finish();
    assert!(stray.is_empty(), "refusals name no form field: {stray:?}");
}

/// `?fault=` (an injected fault for tests and demonstrations) is read from any URL: a value
/// that is not `<kind>@<step>` must be refused with a reason (the page then ignores it).
#[test]
fn hostile_fault_values_are_refused_with_a_reason_never_a_panic() {
    let seeds = [
        "worker-crash@12",
        "worker-crashes@3",
        "gpu-loss@4",
        "gpu-loss@0",
    ];
    let mut m = Mutator::new(seed(8));
    let mut tally = Tally::new("fault URL values");
    for _ in 0..inputs() {
        let text = if m.chance(0.3) {
            m.hostile_text()
        } else {
            let seed = *m.pick(&seeds);
            m.text(seed)
        };
        tally.check(
            || show_text(&text),
            || {
                text.parse::<Fault>()
                    .map_err(|e| Rejected::message("fault: ", e))
            },
        );
    }
    tally.finish();
}
