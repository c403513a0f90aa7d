//! Which layers a run trains when it starts from a trained network: the lesson of fine-tuning.
//! Freeze the convolutional base and train the classifier head (optionally a fresh one), then
//! perhaps unfreeze the base with a smaller learning rate.
//!
//! A frozen base runs in inference mode outside autodiff, so its weights and its batch-norm
//! running statistics stay exactly as loaded, and a step costs only the head's backward pass.

use serde::{Deserialize, Serialize};

/// Which parameters train, and from which step.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "kebab-case")]
pub enum FineTune {
    /// Every layer trains (what a run from scratch does too).
    #[default]
    All,
    /// Only the classifier head trains; the base is frozen in inference mode.
    Head,
    /// As [`FineTune::Head`], after replacing the head by freshly initialised weights (drawn
    /// from the run's seed): what one does when the new task has other classes.
    HeadReinit,
    /// As [`FineTune::Head`] for `unfreeze_after` steps, then every layer, the base at
    /// `base_lr_factor` times the learning rate (gradual unfreezing).
    Gradual {
        unfreeze_after: usize,
        base_lr_factor: f64,
    },
}

/// The fine-tuning mode without its numbers: what a person picks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FineTuneMode {
    /// See [`FineTune::All`].
    All,
    /// See [`FineTune::Head`].
    Head,
    /// See [`FineTune::HeadReinit`].
    HeadReinit,
    /// See [`FineTune::Gradual`].
    Gradual,
}

inkling_data::named_choices!(FineTuneMode, "fine-tune mode", [
    FineTuneMode::All => ("all", "All layers"),
    FineTuneMode::Head => ("head", "Head only (base frozen)"),
    FineTuneMode::HeadReinit => ("head-reinit", "A new head only (base frozen)"),
    FineTuneMode::Gradual => ("gradual", "Head first, then all layers"),
]);

/// Steps of head-only training before `gradual` unfreezes the base, unless told otherwise.
pub const DEFAULT_UNFREEZE_AFTER: usize = 100;
/// The base's share of the learning rate once `gradual` unfreezes it, unless told otherwise.
pub const DEFAULT_BASE_LR_FACTOR: f64 = 0.1;

impl FineTuneMode {
    /// The mode with its numbers (used by `gradual` only).
    pub fn with(self, unfreeze_after: usize, base_lr_factor: f64) -> FineTune {
        match self {
            FineTuneMode::All => FineTune::All,
            FineTuneMode::Head => FineTune::Head,
            FineTuneMode::HeadReinit => FineTune::HeadReinit,
            FineTuneMode::Gradual => FineTune::Gradual {
                unfreeze_after,
                base_lr_factor,
            },
        }
    }
}

impl FineTune {
    /// Which mode this is.
    pub fn mode(&self) -> FineTuneMode {
        match self {
            FineTune::All => FineTuneMode::All,
            FineTune::Head => FineTuneMode::Head,
            FineTune::HeadReinit => FineTuneMode::HeadReinit,
            FineTune::Gradual { .. } => FineTuneMode::Gradual,
        }
    }

    /// The base's learning-rate factor for the step after `steps_done` steps, or `None` while
    /// the base is frozen.
    pub fn base_rate(&self, steps_done: usize) -> Option<f64> {
        match *self {
            FineTune::All => Some(1.0),
            FineTune::Head | FineTune::HeadReinit => None,
            FineTune::Gradual {
                unfreeze_after,
                base_lr_factor,
            } => (steps_done >= unfreeze_after).then_some(base_lr_factor),
        }
    }

    /// Whether the run starts by replacing the head.
    pub fn reinitialises_head(&self) -> bool {
        matches!(self, FineTune::HeadReinit)
    }

    /// Checks the numbers; the message names the offending field.
    pub fn validate(&self) -> Result<(), String> {
        if let FineTune::Gradual { base_lr_factor, .. } = *self
            && !(base_lr_factor.is_finite() && base_lr_factor > 0.0 && base_lr_factor <= 1.0)
        {
            return Err(format!(
                "base learning-rate factor must be in (0, 1], got {base_lr_factor}"
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use inkling_data::Choice;

    #[test]
    fn gradual_freezes_the_base_for_the_steps_given_then_scales_its_rate() {
        let gradual = FineTuneMode::Gradual.with(3, 0.25);
        let rates: Vec<_> = (0..5).map(|s| gradual.base_rate(s)).collect();
        assert_eq!(rates, [None, None, None, Some(0.25), Some(0.25)]);
        assert_eq!(FineTune::Head.base_rate(1000), None);
        assert_eq!(FineTune::All.base_rate(0), Some(1.0));
    }

    #[test]
    fn names_round_trip_and_bad_factors_are_refused() {
        for mode in FineTuneMode::ALL {
            assert_eq!(mode.name().parse::<FineTuneMode>().unwrap(), *mode);
            assert_eq!(mode.with(5, 0.5).mode(), *mode);
        }
        for bad in [0.0, -1.0, 1.5, f64::NAN] {
            let err = FineTuneMode::Gradual.with(5, bad).validate().unwrap_err();
            assert!(err.contains("base learning-rate factor"), "{err}");
        }
        let json = serde_json::to_string(&FineTuneMode::Gradual.with(7, 0.1)).unwrap();
        assert_eq!(
            json,
            r#"{"mode":"gradual","unfreeze_after":7,"base_lr_factor":0.1}"#
        );
    }
}

/// Each mode driven through the [`Trainer`](crate::Trainer) on real MNIST, starting from the
/// shipped pretrained dsd-s (batch norm in every layer of its base).
#[cfg(all(test, feature = "engine"))]
mod training_tests {
    use super::*;
    use crate::test_data::{mnist, pretrained};
    use crate::{OptimizerAlgorithm, Recipe, RunConfig, Schedule, Trainer};
    use burn::module::Module;
    use burn::tensor::{Device, TensorData};
    use inkling_data::{AugmentConfig, Dataset, Split};
    use inkling_model::Head;

    type Values = Vec<(String, TensorData)>;

    fn config(fine_tune: FineTune) -> RunConfig {
        RunConfig {
            recipe: Recipe {
                optimizer: OptimizerAlgorithm::AdamW.defaults(),
                learning_rate: 1e-2,
                schedule: Schedule::Constant,
                batch_size: 16,
                epochs: 1,
                augment: AugmentConfig::default(),
                train_subset: Some(96),
                fine_tune,
                ..Recipe::default()
            },
            seed: 5,
            ..RunConfig::default()
        }
    }

    fn values(trainer: &Trainer) -> Values {
        pollster::block_on(trainer.network().valid().named_values_async()).unwrap()
    }

    /// A trainer for `fine_tune` on the pretrained network, the network's values before, and
    /// which parameters form its head.
    fn start(fine_tune: FineTune, train: &Dataset) -> (Trainer, Values, Head) {
        let device = Device::flex().autodiff();
        let network = pretrained(&device);
        let before = pollster::block_on(network.valid().named_values_async()).unwrap();
        let head = network.head();
        let trainer =
            Trainer::with_network(config(fine_tune), network, train.len(), &device).unwrap();
        (trainer, before, head)
    }

    fn train() -> Dataset {
        mnist(Split::Train).take(96)
    }

    /// The paths whose values differ between `a` and `b` (bit for bit), split into the head's
    /// and the base's.
    fn changed(a: &Values, b: &Values, head: Head) -> (Vec<String>, Vec<String>) {
        assert_eq!(a.len(), b.len());
        let moved = a.iter().zip(b).filter(|((path, x), (other, y))| {
            assert_eq!(path, other);
            x.as_bytes() != y.as_bytes()
        });
        moved
            .map(|((path, _), _)| path.clone())
            .partition(|path| head.contains(path))
    }

    fn steps(trainer: &mut Trainer, train: &Dataset, n: usize) {
        for _ in 0..n {
            pollster::block_on(trainer.step(train)).unwrap();
        }
    }

    #[test]
    fn head_changes_the_head_and_leaves_every_base_weight_and_statistic_bit_identical() {
        let train = train();
        let (mut trainer, before, head) = start(FineTune::Head, &train);
        let base: Vec<_> = before.iter().filter(|(p, _)| !head.contains(p)).collect();
        assert!(
            base.iter()
                .filter(|(p, _)| p.ends_with("running_mean"))
                .count()
                >= 5,
            "the base has batch-norm statistics to keep: {:?}",
            base.iter().map(|(p, _)| p).collect::<Vec<_>>()
        );
        steps(&mut trainer, &train, 6);
        let (head_moved, base_moved) = changed(&before, &values(&trainer), head);
        assert_eq!(head_moved, ["Dsd.head.weight", "Dsd.head.bias"]);
        assert!(base_moved.is_empty(), "base changed: {base_moved:?}");

        // The same steps training every layer move the base and its statistics: the check above
        // can fail.
        let (mut all, before, head) = start(FineTune::All, &train);
        steps(&mut all, &train, 6);
        let (_, base_moved) = changed(&before, &values(&all), head);
        assert!(base_moved.iter().any(|p| p.ends_with("running_var")));
        assert!(base_moved.iter().any(|p| p.ends_with("depthwise.weight")));
    }

    #[test]
    fn head_reinit_draws_a_new_head_from_the_seed_and_keeps_the_base() {
        let train = train();
        let (trainer, before, head) = start(FineTune::HeadReinit, &train);
        let fresh = values(&trainer);
        let (head_moved, base_moved) = changed(&before, &fresh, head);
        assert_eq!(
            head_moved,
            ["Dsd.head.weight", "Dsd.head.bias"],
            "a new head at step 0"
        );
        assert!(base_moved.is_empty(), "base changed: {base_moved:?}");
        let (again, _, _) = start(FineTune::HeadReinit, &train);
        assert!(
            changed(&fresh, &values(&again), head).0.is_empty(),
            "the same seed draws the same head"
        );
    }

    #[test]
    fn gradual_trains_the_head_until_the_step_given_then_the_base_too() {
        let train = train();
        let gradual = FineTuneMode::Gradual.with(2, 0.1);
        let (mut trainer, before, head) = start(gradual, &train);
        steps(&mut trainer, &train, 2);
        let (head_moved, base_moved) = changed(&before, &values(&trainer), head);
        assert_eq!(head_moved.len(), 2);
        assert!(base_moved.is_empty(), "frozen for 2 steps: {base_moved:?}");
        steps(&mut trainer, &train, 1);
        let (_, base_moved) = changed(&before, &values(&trainer), head);
        assert!(
            base_moved.iter().any(|p| p == "Dsd.stem.conv.weight"),
            "step 3 trains the base: {base_moved:?}"
        );
    }
}
