//! A small hyperparameter search: the values to try of learning rate, batch size, weight decay
//! and dropout ([`SweepSpace`]), walked as a grid (every combination) or sampled at random
//! (the learning rate log-uniformly, weight decay and dropout uniformly between the smallest
//! and largest value given, the batch size among those given), each run given the same budget
//! of optimiser steps. Page and CLI plan their sweeps here, so the same space and seed give the
//! same runs.

use crate::RunConfig;
use inkling_data::Rng;

/// The values a sweep tries.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepSpace {
    /// Peak learning rates.
    pub learning_rates: Vec<f64>,
    /// Examples per step.
    pub batch_sizes: Vec<usize>,
    /// Weight decays.
    pub weight_decays: Vec<f64>,
    /// Dropout probabilities.
    pub dropouts: Vec<f64>,
}

/// One run of a sweep: the values it tries.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SweepPoint {
    /// Peak learning rate.
    pub learning_rate: f64,
    /// Examples per step.
    pub batch_size: usize,
    /// Weight decay.
    pub weight_decay: f64,
    /// Dropout probability.
    pub dropout: f64,
}

/// How a sweep walks its space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SweepMode {
    /// Every combination, in order (the learning rate varying slowest).
    Grid,
    /// This many random points, drawn from this seed.
    Random {
        /// Runs to draw.
        runs: usize,
        /// Seed of the draws.
        seed: u64,
    },
}

/// Most runs one sweep plans (a grid grows fast).
pub const MAX_SWEEP_RUNS: usize = 64;

impl SweepSpace {
    /// Checks every list is non-empty and every value usable.
    pub fn validate(&self) -> Result<(), String> {
        let empty = [
            ("learning rates", self.learning_rates.is_empty()),
            ("batch sizes", self.batch_sizes.is_empty()),
            ("weight decays", self.weight_decays.is_empty()),
            ("dropouts", self.dropouts.is_empty()),
        ];
        if let Some((what, _)) = empty.iter().find(|(_, e)| *e) {
            return Err(format!("a sweep needs at least one value of its {what}"));
        }
        if let Some(lr) = self
            .learning_rates
            .iter()
            .find(|lr| !(lr.is_finite() && **lr > 0.0 && **lr <= 10.0))
        {
            return Err(format!(
                "learning rates must be above 0 and at most 10, got {lr}"
            ));
        }
        if let Some(b) = self.batch_sizes.iter().find(|b| !(1..=4096).contains(*b)) {
            return Err(format!("batch sizes must be from 1 to 4096, got {b}"));
        }
        if let Some(w) = self
            .weight_decays
            .iter()
            .find(|w| !(w.is_finite() && (0.0..=1.0).contains(*w)))
        {
            return Err(format!("weight decays must be from 0 to 1, got {w}"));
        }
        if let Some(p) = self
            .dropouts
            .iter()
            .find(|p| !(p.is_finite() && (0.0..0.95).contains(*p)))
        {
            return Err(format!("dropouts must be from 0 to below 0.95, got {p}"));
        }
        Ok(())
    }

    /// The runs of a sweep in `mode`, after checking the space and the number of runs.
    pub fn plan(&self, mode: SweepMode) -> Result<Vec<SweepPoint>, String> {
        self.validate()?;
        let runs = match mode {
            SweepMode::Grid => {
                self.learning_rates.len()
                    * self.batch_sizes.len()
                    * self.weight_decays.len()
                    * self.dropouts.len()
            }
            SweepMode::Random { runs, .. } => runs,
        };
        if !(1..=MAX_SWEEP_RUNS).contains(&runs) {
            return Err(format!(
                "a sweep runs 1 to {MAX_SWEEP_RUNS} networks; this one would run {runs}"
            ));
        }
        Ok(match mode {
            SweepMode::Grid => self.grid(),
            SweepMode::Random { runs, seed } => self.random(runs, seed),
        })
    }

    fn grid(&self) -> Vec<SweepPoint> {
        let mut points = Vec::new();
        for &learning_rate in &self.learning_rates {
            for &batch_size in &self.batch_sizes {
                for &weight_decay in &self.weight_decays {
                    for &dropout in &self.dropouts {
                        points.push(SweepPoint {
                            learning_rate,
                            batch_size,
                            weight_decay,
                            dropout,
                        });
                    }
                }
            }
        }
        points
    }

    fn random(&self, runs: usize, seed: u64) -> Vec<SweepPoint> {
        let mut rng = Rng::new(seed);
        let range = |v: &[f64]| {
            let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            (lo, hi)
        };
        let (lr_lo, lr_hi) = range(&self.learning_rates);
        let (wd_lo, wd_hi) = range(&self.weight_decays);
        let (p_lo, p_hi) = range(&self.dropouts);
        // Three significant digits: a rate a person can type back into the form.
        let round = |x: f64| {
            if x == 0.0 {
                return 0.0;
            }
            let scale = 10f64.powi(2 - x.abs().log10().floor() as i32);
            (x * scale).round() / scale
        };
        (0..runs)
            .map(|_| {
                let mut uniform = |lo: f64, hi: f64| lo + (hi - lo) * f64::from(rng.next_f32());
                let learning_rate = round(uniform(lr_lo.ln(), lr_hi.ln()).exp());
                let weight_decay = round(uniform(wd_lo, wd_hi));
                let dropout = round(uniform(p_lo, p_hi));
                let batch_size = self.batch_sizes[rng.below(self.batch_sizes.len())];
                SweepPoint {
                    learning_rate,
                    batch_size,
                    weight_decay,
                    dropout,
                }
            })
            .collect()
    }
}

impl SweepPoint {
    /// `base` with this point's values, trained for `steps` optimiser steps: one epoch over the
    /// first `steps x batch size` training images, the base's schedule shape fitted to it.
    pub fn run(&self, base: &RunConfig, steps: usize) -> RunConfig {
        let mut run = base.clone();
        run.model = run.model.with_dropout(self.dropout);
        let recipe = &mut run.recipe;
        recipe.learning_rate = self.learning_rate;
        recipe.batch_size = self.batch_size;
        recipe.weight_decay = self.weight_decay;
        recipe.epochs = 1;
        recipe.schedule = recipe.schedule.shape().schedule(1);
        recipe.train_subset = Some(steps * self.batch_size);
        run
    }

    /// The point in one line, e.g. `lr 0.003, batch 64, weight decay 0.01, dropout 0`.
    pub fn label(&self) -> String {
        format!(
            "lr {}, batch {}, weight decay {}, dropout {}",
            self.learning_rate, self.batch_size, self.weight_decay, self.dropout
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn space() -> SweepSpace {
        SweepSpace {
            learning_rates: vec![1e-3, 1e-2],
            batch_sizes: vec![32, 64],
            weight_decays: vec![0.0],
            dropouts: vec![0.0, 0.2],
        }
    }

    #[test]
    fn a_grid_tries_every_combination_once() {
        let points = space().plan(SweepMode::Grid).unwrap();
        assert_eq!(points.len(), 8);
        for (i, a) in points.iter().enumerate() {
            assert!(points[i + 1..].iter().all(|b| b != a));
        }
        assert_eq!(points[0].learning_rate, 1e-3);
        assert_eq!(points[7].learning_rate, 1e-2);
    }

    #[test]
    fn random_points_stay_in_the_ranges_and_repeat_with_the_seed() {
        let mode = SweepMode::Random { runs: 20, seed: 7 };
        let points = space().plan(mode).unwrap();
        assert_eq!(points, space().plan(mode).unwrap());
        assert_ne!(
            points,
            space()
                .plan(SweepMode::Random { runs: 20, seed: 8 })
                .unwrap()
        );
        for p in &points {
            assert!((1e-3..=1e-2).contains(&p.learning_rate), "{p:?}");
            assert!([32, 64].contains(&p.batch_size));
            assert!((0.0..=0.2).contains(&p.dropout));
            assert_eq!(p.weight_decay, 0.0);
        }
        // Log-uniform: about as many rates below the geometric mean (3.2e-3) as above.
        let below = points.iter().filter(|p| p.learning_rate < 3.16e-3).count();
        assert!((4..=16).contains(&below), "{below} of 20 below");
    }

    #[test]
    fn a_point_sets_its_values_and_the_step_budget() {
        let point = SweepPoint {
            learning_rate: 0.004,
            batch_size: 64,
            weight_decay: 0.001,
            dropout: 0.1,
        };
        let run = point.run(&RunConfig::default(), 300);
        assert_eq!(run.recipe.learning_rate, 0.004);
        assert_eq!(run.recipe.batch_size, 64);
        assert_eq!(run.recipe.epochs, 1);
        assert_eq!(run.recipe.train_subset, Some(19_200));
        assert_eq!(run.model.dropout(), 0.1);
        run.validate().unwrap();
    }

    #[test]
    fn bad_spaces_are_refused_with_the_reason() {
        let mut bad = space();
        bad.batch_sizes.clear();
        assert!(
            bad.plan(SweepMode::Grid)
                .unwrap_err()
                .contains("batch sizes")
        );
        let mut bad = space();
        bad.learning_rates.push(-1.0);
        assert!(bad.plan(SweepMode::Grid).unwrap_err().contains("-1"));
        let too_many = SweepMode::Random { runs: 65, seed: 1 };
        assert!(space().plan(too_many).unwrap_err().contains("65"));
    }
}
