//! The learning-rate range test (Smith, 2015; fastai's `lr_find`): train for a few hundred steps
//! while the rate grows exponentially from far too small to far too large, and read the loss
//! against the rate on a log axis. The loss stays flat while the rate is too small to matter,
//! falls once it is large enough, and blows up when it is too large; a good peak rate sits
//! somewhat below where it is lowest. Plain numbers, so the CLI and a page can share it.

use crate::recipe::MAX_LEARNING_RATE as MAX_RATE;
use serde::{Deserialize, Serialize};

/// Smoothing of the loss curve while it runs (an exponential moving average, bias-corrected):
/// single batches are too noisy to tell a blow-up from.
const SMOOTHING: f64 = 0.98;
/// Steps either side of a point in the centred average the suggestion reads. The running
/// average lags by about 50 steps, a decade and a half of rates over 200 steps, which would put
/// the minimum far too high; a centred one does not lag.
const CENTRED_HALF_WINDOW: usize = 10;
/// The test ends once the smoothed loss exceeds this many times its minimum.
const DIVERGED: f64 = 4.0;

/// A range test's plan.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LrRangeTest {
    /// Rate of the first step.
    pub start: f64,
    /// Rate of the last step.
    pub end: f64,
    /// Steps from `start` to `end`.
    pub steps: usize,
}

impl Default for LrRangeTest {
    /// 1e-6 to 10 over 200 steps: from far below any useful rate to far above.
    fn default() -> Self {
        Self {
            start: 1e-6,
            end: 10.0,
            steps: 200,
        }
    }
}

impl LrRangeTest {
    /// Checks the plan; the message names what is wrong.
    pub fn validate(&self) -> Result<(), String> {
        if !(self.start > 0.0 && self.start.is_finite() && self.end.is_finite()) {
            return Err(format!(
                "the rates must be positive numbers, got {} to {}",
                self.start, self.end
            ));
        }
        if self.end > MAX_RATE {
            return Err(format!(
                "the last rate must be at most {MAX_RATE} (the largest a run accepts), got {}",
                self.end
            ));
        }
        if self.end <= self.start {
            return Err(format!(
                "the last rate ({}) must be above the first ({})",
                self.end, self.start
            ));
        }
        if self.steps < 10 {
            return Err(format!(
                "a range test needs at least 10 steps, got {}",
                self.steps
            ));
        }
        Ok(())
    }

    /// The rate of step `step` (0-based): exponential from `start` to `end`.
    pub fn rate_at(&self, step: usize) -> f64 {
        let t = step as f64 / (self.steps - 1).max(1) as f64;
        self.start * (self.end / self.start).powf(t)
    }
}

/// The losses seen so far, smoothed, and whether the test should stop.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LrCurve {
    /// `(rate, raw loss, smoothed loss)` per step.
    pub points: Vec<(f64, f64, f64)>,
    average: f64,
}

/// What the curve suggests.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LrSuggestion {
    /// The suggested peak rate: a tenth of the rate where the smoothed loss was lowest.
    pub rate: f64,
    /// Where the smoothed loss (the centred average) was lowest.
    pub lowest_loss_rate: f64,
    /// The lowest smoothed loss.
    pub lowest_loss: f64,
}

impl LrCurve {
    /// Records the loss of a step at `rate`; returns whether the test should go on (false once
    /// the loss is not finite or has blown up past four times its minimum).
    pub fn record(&mut self, rate: f64, loss: f64) -> bool {
        if !loss.is_finite() {
            return false;
        }
        self.average = SMOOTHING * self.average + (1.0 - SMOOTHING) * loss;
        let n = self.points.len() as i32 + 1;
        let smoothed = self.average / (1.0 - SMOOTHING.powi(n));
        self.points.push((rate, loss, smoothed));
        let lowest = self
            .points
            .iter()
            .map(|p| p.2)
            .fold(f64::INFINITY, f64::min);
        // The first few points are too few to judge.
        !(self.points.len() > 10 && smoothed > DIVERGED * lowest)
    }

    /// The raw losses averaged over 10 steps either side (fewer at the
    /// ends), one per point.
    pub fn centred(&self) -> Vec<f64> {
        let n = self.points.len();
        (0..n)
            .map(|i| {
                let window = &self.points
                    [i.saturating_sub(CENTRED_HALF_WINDOW)..(i + CENTRED_HALF_WINDOW + 1).min(n)];
                window.iter().map(|p| p.1).sum::<f64>() / window.len() as f64
            })
            .collect()
    }

    /// A tenth of the rate at the lowest centred average (fastai's "minimum / 10": at the
    /// minimum the loss is already about to turn, so training should peak well below it);
    /// `None` before the loss has fallen at all.
    pub fn suggestion(&self) -> Option<LrSuggestion> {
        let centred = self.centred();
        let (index, &lowest_loss) = centred
            .iter()
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(b.1))?;
        let lowest_loss_rate = self.points[index].0;
        (lowest_loss < centred[0]).then_some(LrSuggestion {
            rate: lowest_loss_rate / 10.0,
            lowest_loss_rate,
            lowest_loss,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_grows_exponentially_from_start_to_end() {
        let test = LrRangeTest {
            start: 1e-5,
            end: 1e-1,
            steps: 5,
        };
        let rates: Vec<f64> = (0..5).map(|s| test.rate_at(s)).collect();
        for (got, want) in rates.iter().zip([1e-5, 1e-4, 1e-3, 1e-2, 1e-1]) {
            assert!((got / want - 1.0).abs() < 1e-9, "{rates:?}");
        }
    }

    #[test]
    fn bad_plans_are_refused_by_name() {
        let ok = LrRangeTest::default();
        assert!(ok.validate().is_ok());
        let bad = [
            (LrRangeTest { start: 0.0, ..ok }, "positive"),
            (LrRangeTest { end: 1e-7, ..ok }, "above"),
            (LrRangeTest { steps: 3, ..ok }, "10 steps"),
            (
                LrRangeTest {
                    end: f64::NAN,
                    ..ok
                },
                "positive",
            ),
        ];
        for (plan, words) in bad {
            let e = plan.validate().unwrap_err();
            assert!(e.contains(words), "{e}");
        }
    }

    /// A loss shaped like a real range test: flat, then falling to a minimum at 1e-2, then
    /// blowing up.
    fn loss_at(rate: f64) -> f64 {
        let x = rate.log10() + 2.0; // 0 at 1e-2
        if x < -3.0 {
            2.3
        } else {
            0.3 + 2.0 * (x / 3.0).powi(2) + if x > 0.0 { 30.0 * x * x } else { 0.0 }
        }
    }

    #[test]
    fn it_suggests_a_tenth_of_the_rate_at_the_lowest_smoothed_loss_and_stops_when_it_blows_up() {
        let plan = LrRangeTest::default();
        let mut curve = LrCurve::default();
        let mut stopped_at = None;
        for step in 0..plan.steps {
            let rate = plan.rate_at(step);
            if !curve.record(rate, loss_at(rate)) {
                stopped_at = Some(rate);
                break;
            }
        }
        let stopped_at = stopped_at.expect("the blow-up ends the test");
        assert!(
            stopped_at > 1e-2 && stopped_at < 1.0,
            "stopped at {stopped_at}"
        );
        let s = curve.suggestion().unwrap();
        // The centred average does not lag: its minimum is near the raw curve's, 1e-2 (the
        // steep rise on the right pulls it a little left).
        assert!(
            s.lowest_loss_rate > 4e-3 && s.lowest_loss_rate < 2.5e-2,
            "{s:?}"
        );
        assert!((s.rate - s.lowest_loss_rate / 10.0).abs() < 1e-15);
    }

    #[test]
    fn a_loss_that_never_falls_suggests_nothing_and_nan_ends_the_test() {
        let mut curve = LrCurve::default();
        for step in 0..20 {
            assert!(curve.record(1e-6 * (step + 1) as f64, 2.3 + step as f64 * 0.01));
        }
        assert_eq!(curve.suggestion(), None);
        assert!(!curve.record(1.0, f64::NAN));
    }
}
