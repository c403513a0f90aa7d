//! The training form: what a person typed (kept as text, so a half-typed value is never lost),
//! checked field by field into a run description. A value that is not a number, or is outside
//! what makes sense, is rejected at its control with a message, and nothing starts.

use inkling_data::{AugmentConfig, Choice, DatasetKind, UnknownChoice};
use inkling_model::{Architecture, CnnConfig, DsdConfig, MlpConfig, ModelConfig};
use inkling_train::{Compute, OptimizerAlgorithm, Recipe, RunConfig, ScheduleShape};

/// The form's fields, as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainSettings {
    /// Dataset to train on.
    pub dataset: Picked<DatasetKind>,
    /// Kind of network.
    pub architecture: Picked<Architecture>,
    /// DSD width multiplier.
    pub width: String,
    /// DSD blocks per stage.
    pub depth: String,
    /// DSD dilation on/off.
    pub dilation: bool,
    /// Optimisation algorithm.
    pub optimizer: Picked<OptimizerAlgorithm>,
    /// Base learning rate.
    pub learning_rate: String,
    /// Shape of the learning-rate schedule.
    pub schedule: Picked<ScheduleShape>,
    /// Examples per step.
    pub batch_size: String,
    /// Passes over the training subset.
    pub epochs: String,
    /// Decoupled (AdamW) or L2 weight decay.
    pub weight_decay: String,
    /// Dropout probability (before the classifier).
    pub dropout: String,
    /// Random rotations.
    pub rotate: bool,
    /// Random shifts.
    pub shift: bool,
    /// Random size changes.
    pub scale: bool,
    /// Training examples to use (empty: all).
    pub subset: String,
    /// Seed for weights, shuffling and augmentation.
    pub seed: String,
    /// Validate (and send a snapshot to the drawing pad) every this many steps.
    pub eval_every: String,
    /// Held-out examples each validation reads (fewer: cheaper validations on a slow device).
    pub eval_size: String,
    /// Where to train.
    pub compute: Picked<Compute>,
    /// Start from the pretrained model (fine-tuning) instead of fresh weights.
    pub fine_tune: bool,
}

/// A closed choice as picked: an option of its table, or a name from the URL that is none (kept
/// so that the form shows the refusal at its field, like a mistyped number).
pub type Picked<T> = Result<T, UnknownChoice>;

/// Identifies a form field (its element id is `train-<name>`).
pub type Field = &'static str;

/// A checked form: everything the worker needs to start.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The run.
    pub run: RunConfig,
    /// Where to train it.
    pub compute: Compute,
    /// Validate every this many steps.
    pub eval_every: usize,
    /// Examples of the held-out set to validate on.
    pub eval_size: usize,
}

/// Examples held out of the training set for validation.
pub const VALIDATION_EXAMPLES: usize = 1000;

/// Learning-rate slider range, as powers of ten.
pub const LOG_LR_RANGE: (f64, f64) = (-5.0, 1.0);

impl Default for TrainSettings {
    fn default() -> Self {
        let recipe = Recipe::default();
        Self {
            dataset: Ok(DatasetKind::Mnist),
            architecture: Ok(Architecture::Dsd),
            width: "1".into(),
            depth: "2".into(),
            dilation: true,
            optimizer: Ok(recipe.optimizer.algorithm()),
            learning_rate: "0.002".into(),
            schedule: Ok(recipe.schedule.shape()),
            batch_size: "32".into(),
            epochs: "1".into(),
            weight_decay: recipe.weight_decay.to_string(),
            dropout: "0".into(),
            rotate: true,
            shift: true,
            scale: true,
            subset: String::new(),
            seed: "42".into(),
            eval_every: "50".into(),
            eval_size: VALIDATION_EXAMPLES.to_string(),
            compute: Ok(Compute::WebGpu),
            fine_tune: false,
        }
    }
}

/// The option picked for `field`, or the refusal of the name the URL gave.
fn picked<T: Choice>(field: Field, choice: &Picked<T>) -> Result<T, (Field, String)> {
    choice.clone().map_err(|e| (field, e.to_string()))
}

/// A typed value as a message quotes it: trimmed, and cut after 40 characters (a URL can hold
/// megabytes).
fn shown(text: &str) -> String {
    let text = text.trim();
    match text.char_indices().nth(40) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

fn parse_number(
    field: Field,
    text: &str,
    what: &str,
    range: (f64, f64),
) -> Result<f64, (Field, String)> {
    let value: f64 = text.trim().parse().map_err(|_| {
        (
            field,
            format!("{what} must be a number, got \"{}\"", shown(text)),
        )
    })?;
    if !value.is_finite() || value < range.0 || value > range.1 {
        return Err((
            field,
            format!(
                "{what} must be between {} and {}, got {}",
                range.0,
                range.1,
                shown(text)
            ),
        ));
    }
    Ok(value)
}

fn parse_whole(
    field: Field,
    text: &str,
    what: &str,
    range: (usize, usize),
) -> Result<usize, (Field, String)> {
    let value: usize = text.trim().parse().map_err(|_| {
        (
            field,
            format!(
                "{what} must be a whole number from {} to {}, got \"{}\"",
                range.0,
                range.1,
                shown(text)
            ),
        )
    })?;
    if !(range.0..=range.1).contains(&value) {
        return Err((
            field,
            format!(
                "{what} must be a whole number from {} to {}, got {value}",
                range.0, range.1
            ),
        ));
    }
    Ok(value)
}

impl TrainSettings {
    /// URL keys that preset the form, one per field (`augment` sets all three warps).
    pub const URL_KEYS: [&'static str; 19] = [
        "dataset",
        "arch",
        "width",
        "depth",
        "dilation",
        "optimizer",
        "lr",
        "schedule",
        "batch",
        "epochs",
        "wd",
        "dropout",
        "augment",
        "subset",
        "seed",
        "eval_every",
        "eval_size",
        "compute",
        "finetune",
    ];

    /// The defaults, overridden by whatever the page's URL sets for [`Self::URL_KEYS`]
    /// (`?compute=cpu&subset=2000&epochs=3&lr=0.003`), so a course page can link to a prepared
    /// run. `lookup` reads one URL parameter; values are taken as text and checked like typed ones.
    pub fn from_url(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let mut settings = Self::default();
        for key in Self::URL_KEYS {
            if let Some(value) = lookup(key) {
                settings.set(key, value);
            }
        }
        settings
    }

    /// Sets the field that URL key `key` names; false for a key that names none.
    fn set(&mut self, key: &str, value: String) -> bool {
        let on = |v: &str| !matches!(v, "0" | "off" | "false" | "no");
        let s = self;
        match key {
            "dataset" => s.dataset = value.parse(),
            "arch" => s.architecture = value.parse(),
            "width" => s.width = value,
            "depth" => s.depth = value,
            "dilation" => s.dilation = on(&value),
            "optimizer" => s.optimizer = value.parse(),
            "lr" => s.learning_rate = value,
            "schedule" => s.schedule = value.parse(),
            "batch" => s.batch_size = value,
            "epochs" => s.epochs = value,
            "wd" => s.weight_decay = value,
            "dropout" => s.dropout = value,
            "augment" => {
                let on = on(&value);
                (s.rotate, s.shift, s.scale) = (on, on, on);
            }
            "subset" => s.subset = value,
            "seed" => s.seed = value,
            "eval_every" => s.eval_every = value,
            "eval_size" => s.eval_size = value,
            "compute" => s.compute = value.parse(),
            "finetune" => s.fine_tune = on(&value),
            _ => return false,
        }
        true
    }

    /// The network the form describes.
    pub fn model(&self) -> Result<ModelConfig, (Field, String)> {
        let dropout = parse_number("dropout", &self.dropout, "dropout", (0.0, 0.9))?;
        let model = match picked("architecture", &self.architecture)? {
            Architecture::Dsd => {
                let width = parse_number("width", &self.width, "width multiplier", (0.25, 4.0))?;
                let depth = parse_whole("depth", &self.depth, "blocks per stage", (1, 4))?;
                ModelConfig::Dsd(
                    DsdConfig::staged(16, &[32, 64, 128], depth, self.dilation).with_width(width),
                )
            }
            Architecture::Cnn => ModelConfig::Cnn(CnnConfig::baseline()),
            Architecture::Mlp => ModelConfig::Mlp(MlpConfig::baseline()),
        };
        let model = model.with_dropout(dropout);
        model
            .validate()
            .map_err(|e| ("architecture", e.to_string()))?;
        Ok(model)
    }

    /// Checks every field; the error names the first offending one.
    pub fn plan(&self) -> Result<Plan, (Field, String)> {
        let dataset = picked("dataset", &self.dataset)?;
        let model = self.model()?;
        let optimizer = picked("optimizer", &self.optimizer)?.defaults();
        let learning_rate = parse_number("lr", &self.learning_rate, "learning rate", (1e-6, 10.0))?;
        let shape = picked("schedule", &self.schedule)?;
        let batch_size = parse_whole("batch", &self.batch_size, "batch size", (1, 1024))?;
        let epochs = parse_whole("epochs", &self.epochs, "epochs", (1, 100))?;
        let schedule = shape.schedule(epochs);
        let compute = picked("compute", &self.compute)?;
        let weight_decay = parse_number("wd", &self.weight_decay, "weight decay", (0.0, 0.5))?;
        let train_subset = match self.subset.trim() {
            "" => None,
            text => Some(parse_whole(
                "subset",
                text,
                "training examples",
                (100, 60_000),
            )?),
        };
        let seed = self.seed.trim().parse::<u64>().map_err(|_| {
            (
                "seed",
                format!("seed must be a whole number, got \"{}\"", shown(&self.seed)),
            )
        })?;
        let eval_every = parse_whole(
            "eval_every",
            &self.eval_every,
            "validation interval",
            (1, 10_000),
        )?;
        let eval_size = parse_whole(
            "eval_size",
            &self.eval_size,
            "validation examples",
            (10, VALIDATION_EXAMPLES),
        )?;
        let digits = AugmentConfig::digits();
        let recipe = Recipe {
            optimizer,
            learning_rate,
            schedule,
            weight_decay,
            batch_size,
            epochs,
            augment: AugmentConfig {
                rotation_deg: digits.rotation_deg.filter(|_| self.rotate),
                translation_px: digits.translation_px.filter(|_| self.shift),
                scale: digits.scale.filter(|_| self.scale),
            },
            train_subset,
            validation_size: VALIDATION_EXAMPLES,
            ..Recipe::default()
        };
        let run = RunConfig {
            model,
            recipe,
            dataset,
            seed,
        };
        run.validate().map_err(|e| ("architecture", e))?;
        Ok(Plan {
            run,
            compute,
            eval_every,
            eval_size,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        ] {
            let (at, message) = with(&[(field, value)]).plan().unwrap_err();
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
        ] {
            let (at, message) = with(&[(key, "nonsense")]).plan().unwrap_err();
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
        for name in names(Architecture::names()) {
            let plan = with(&[("arch", name.as_str())]).plan().unwrap();
            assert_eq!(plan.run.model.architecture().name(), name);
        }
    }
}
