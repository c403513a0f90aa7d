//! Learning-rate schedules with linear warm-up, as pure functions of the step number so that a
//! resumed or replayed run sees exactly the same rates.

use serde::{Deserialize, Serialize};
use std::f64::consts::PI;

/// How the learning rate evolves after warm-up. Rates are multiples of the recipe's base rate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Schedule {
    /// The base rate throughout.
    Constant,
    /// Multiply by `gamma` every `every_epochs` epochs.
    Step { every_epochs: f64, gamma: f64 },
    /// Multiply by `gamma` every epoch, continuously.
    Exponential { gamma: f64 },
    /// Cosine decay from the base rate to `min_factor` times it at the end of the run.
    Cosine { min_factor: f64 },
    /// One-cycle: cosine rise from `base / div_factor` to the base rate over the first
    /// `pct_start` of the run, then cosine decay to `base / final_div_factor`.
    OneCycle {
        pct_start: f64,
        div_factor: f64,
        final_div_factor: f64,
    },
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule::Cosine { min_factor: 0.0 }
    }
}

/// The shape of a schedule without its parameters: what a person picks. Each shape has one
/// meaning everywhere (CLI, page, URL): [`ScheduleShape::schedule`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScheduleShape {
    /// See [`Schedule::OneCycle`].
    OneCycle,
    /// See [`Schedule::Cosine`].
    Cosine,
    /// See [`Schedule::Constant`].
    Constant,
    /// See [`Schedule::Step`].
    Step,
    /// See [`Schedule::Exponential`].
    Exponential,
}

inkling_data::named_choices!(ScheduleShape, "schedule", [
    ScheduleShape::OneCycle => ("one-cycle", "One-cycle"),
    ScheduleShape::Cosine => ("cosine", "Cosine"),
    ScheduleShape::Constant => ("constant", "Constant"),
    ScheduleShape::Step => ("step", "Step (x0.1 at 1/3 and 2/3 of the run)"),
    ScheduleShape::Exponential => ("exponential", "Exponential (x0.8 per epoch)"),
]);

impl ScheduleShape {
    /// The schedule this shape stands for in a run of `epochs` epochs: one-cycle with a 20 %
    /// warm-up from a tenth of the rate down to a hundredth, cosine to zero, the rate divided by
    /// ten at a third and at two thirds of the run, or x0.8 per epoch.
    pub fn schedule(self, epochs: usize) -> Schedule {
        match self {
            ScheduleShape::OneCycle => Schedule::OneCycle {
                pct_start: 0.2,
                div_factor: 10.0,
                final_div_factor: 100.0,
            },
            ScheduleShape::Cosine => Schedule::Cosine { min_factor: 0.0 },
            ScheduleShape::Constant => Schedule::Constant,
            ScheduleShape::Step => Schedule::Step {
                every_epochs: epochs.max(1) as f64 / 3.0,
                gamma: 0.1,
            },
            ScheduleShape::Exponential => Schedule::Exponential { gamma: 0.8 },
        }
    }
}

impl Schedule {
    /// Which shape this is.
    pub fn shape(&self) -> ScheduleShape {
        match self {
            Schedule::Constant => ScheduleShape::Constant,
            Schedule::Step { .. } => ScheduleShape::Step,
            Schedule::Exponential { .. } => ScheduleShape::Exponential,
            Schedule::Cosine { .. } => ScheduleShape::Cosine,
            Schedule::OneCycle { .. } => ScheduleShape::OneCycle,
        }
    }

    /// Rejects parameters that are not finite or make no sense.
    pub fn validate(&self) -> Result<(), String> {
        let finite_pos = |name: &str, v: f64| {
            if v.is_finite() && v > 0.0 {
                Ok(())
            } else {
                Err(format!(
                    "schedule {name} must be a positive number, got {v}"
                ))
            }
        };
        match *self {
            Schedule::Constant => Ok(()),
            Schedule::Step {
                every_epochs,
                gamma,
            } => {
                finite_pos("step length (epochs)", every_epochs)?;
                finite_pos("gamma", gamma)
            }
            Schedule::Exponential { gamma } => finite_pos("gamma", gamma),
            Schedule::Cosine { min_factor } => {
                if (0.0..=1.0).contains(&min_factor) {
                    Ok(())
                } else {
                    Err(format!(
                        "cosine min factor must be in [0, 1], got {min_factor}"
                    ))
                }
            }
            Schedule::OneCycle {
                pct_start,
                div_factor,
                final_div_factor,
            } => {
                if !(pct_start > 0.0 && pct_start < 1.0) {
                    return Err(format!(
                        "one-cycle pct_start must be in (0, 1), got {pct_start}"
                    ));
                }
                finite_pos("div factor", div_factor)?;
                finite_pos("final div factor", final_div_factor)
            }
        }
    }

    /// Learning rate at `step` (0-based) of a run of `total_steps` steps with
    /// `steps_per_epoch` steps per epoch, `warmup_steps` of linear warm-up and base rate `base`.
    pub fn learning_rate(
        &self,
        base: f64,
        step: usize,
        total_steps: usize,
        steps_per_epoch: usize,
        warmup_steps: usize,
    ) -> f64 {
        let warm = if warmup_steps > 0 && step < warmup_steps {
            (step + 1) as f64 / warmup_steps as f64
        } else {
            1.0
        };
        let progress = if total_steps <= 1 {
            0.0
        } else {
            (step as f64 / (total_steps - 1) as f64).clamp(0.0, 1.0)
        };
        let epoch = step as f64 / steps_per_epoch.max(1) as f64;
        let cosine = |from: f64, to: f64, t: f64| to + (from - to) * 0.5 * (1.0 + (PI * t).cos());
        let factor = match *self {
            Schedule::Constant => 1.0,
            Schedule::Step {
                every_epochs,
                gamma,
            } => gamma.powf((epoch / every_epochs).floor()),
            Schedule::Exponential { gamma } => gamma.powf(epoch),
            Schedule::Cosine { min_factor } => cosine(1.0, min_factor, progress),
            Schedule::OneCycle {
                pct_start,
                div_factor,
                final_div_factor,
            } => {
                if progress < pct_start {
                    cosine(1.0 / div_factor, 1.0, progress / pct_start)
                } else {
                    cosine(
                        1.0,
                        1.0 / final_div_factor,
                        (progress - pct_start) / (1.0 - pct_start),
                    )
                }
            }
        };
        base * factor * warm
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use inkling_data::Choice;

    #[test]
    fn every_shape_has_one_valid_schedule_that_names_it() {
        for shape in ScheduleShape::ALL {
            let schedule = shape.schedule(15);
            schedule.validate().unwrap();
            assert_eq!(schedule.shape(), *shape);
        }
    }

    #[test]
    fn step_divides_the_rate_by_ten_at_each_third_of_the_run() {
        // 3 epochs of 100 steps: 0.1 until step 100, 0.01 until 200, then 0.001.
        let s = ScheduleShape::Step.schedule(3);
        let rate = |step| s.learning_rate(0.1, step, 300, 100, 0);
        assert!((rate(99) - 0.1).abs() < 1e-12);
        assert!((rate(150) - 0.01).abs() < 1e-12);
        assert!((rate(250) - 0.001).abs() < 1e-12);
    }

    fn lr(s: Schedule, step: usize) -> f64 {
        s.learning_rate(0.1, step, 1000, 100, 0)
    }

    #[test]
    fn constant_and_warmup() {
        assert_eq!(lr(Schedule::Constant, 500), 0.1);
        let s = Schedule::Constant;
        assert!((s.learning_rate(0.1, 0, 1000, 100, 10) - 0.01).abs() < 1e-12);
        assert!((s.learning_rate(0.1, 9, 1000, 100, 10) - 0.1).abs() < 1e-12);
    }

    #[test]
    fn step_and_exponential_decay_per_epoch() {
        let s = Schedule::Step {
            every_epochs: 3.0,
            gamma: 0.5,
        };
        assert_eq!(lr(s, 299), 0.1);
        assert_eq!(lr(s, 300), 0.05);
        let e = Schedule::Exponential { gamma: 0.9 };
        assert!((lr(e, 200) - 0.1 * 0.81).abs() < 1e-12);
    }

    #[test]
    fn cosine_ends_at_min() {
        let s = Schedule::Cosine { min_factor: 0.1 };
        assert!((lr(s, 0) - 0.1).abs() < 1e-12);
        assert!((lr(s, 999) - 0.01).abs() < 1e-12);
        assert!(lr(s, 400) > lr(s, 600));
    }

    #[test]
    fn one_cycle_rises_then_falls() {
        let s = Schedule::OneCycle {
            pct_start: 0.3,
            div_factor: 25.0,
            final_div_factor: 1e4,
        };
        assert!((lr(s, 0) - 0.1 / 25.0).abs() < 1e-9);
        let peak = (0..1000).map(|i| lr(s, i)).fold(0.0, f64::max);
        assert!((peak - 0.1).abs() < 1e-3);
        assert!(lr(s, 999) < 1e-4);
    }

    #[test]
    fn nonsense_parameters_are_rejected() {
        assert!(
            Schedule::Exponential { gamma: f64::NAN }
                .validate()
                .is_err()
        );
        assert!(Schedule::Cosine { min_factor: 2.0 }.validate().is_err());
        assert!(
            Schedule::OneCycle {
                pct_start: 1.5,
                div_factor: 25.0,
                final_div_factor: 1e4
            }
            .validate()
            .is_err()
        );
    }
}
