//! Early stopping on the validation set: a run ends once its validation accuracy has not
//! improved for `patience` evaluations in a row, and the weights to keep are those of its best
//! evaluation. Never the test set, which must stay an unbiased estimate of the kept model. The
//! decision is plain numbers, so the CLI and a page can share it.

use serde::{Deserialize, Serialize};

/// The state of early stopping, kept with a run (and its checkpoints).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EarlyStopping {
    /// Evaluations without improvement to wait before stopping.
    pub patience: usize,
    /// The best validation accuracy so far and when it was measured: the epoch (the CLI
    /// validates once an epoch) or the step (the page's trainer validates every few steps).
    pub best: Option<(f64, usize)>,
    /// Evaluations since the best.
    pub since_best: usize,
}

/// What one validation says.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Verdict {
    /// A new best: keep these weights.
    Improved,
    /// No better than the best; `left` more evaluations like this stop the run.
    Waiting { left: usize },
    /// Stop now and restore the weights of `best_epoch`.
    Stop { best_epoch: usize },
}

impl EarlyStopping {
    /// Stops after `patience` evaluations (at least one) without a better validation accuracy.
    pub fn new(patience: usize) -> Self {
        Self {
            patience: patience.max(1),
            best: None,
            since_best: 0,
        }
    }

    /// Records the validation accuracy measured after `epoch` (or step, see [`Self::best`]). Only a strictly better accuracy
    /// counts as an improvement (ties keep the earlier, shorter-trained weights).
    pub fn observe(&mut self, epoch: usize, accuracy: f64) -> Verdict {
        match self.best {
            Some((best, _)) if accuracy <= best || accuracy.is_nan() => {
                self.since_best += 1;
                if self.since_best >= self.patience {
                    Verdict::Stop {
                        best_epoch: self.best_epoch().unwrap_or(epoch),
                    }
                } else {
                    Verdict::Waiting {
                        left: self.patience - self.since_best,
                    }
                }
            }
            _ => {
                self.best = Some((accuracy, epoch));
                self.since_best = 0;
                Verdict::Improved
            }
        }
    }

    /// The epoch whose weights are the best so far.
    pub fn best_epoch(&self) -> Option<usize> {
        self.best.map(|(_, epoch)| epoch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_stops_after_patience_evaluations_without_a_better_one_and_names_the_best() {
        let mut stop = EarlyStopping::new(2);
        assert_eq!(stop.observe(1, 0.90), Verdict::Improved);
        assert_eq!(stop.observe(2, 0.95), Verdict::Improved);
        assert_eq!(stop.observe(3, 0.95), Verdict::Waiting { left: 1 });
        assert_eq!(stop.observe(4, 0.97), Verdict::Improved);
        assert_eq!(stop.observe(5, 0.96), Verdict::Waiting { left: 1 });
        assert_eq!(stop.observe(6, 0.93), Verdict::Stop { best_epoch: 4 });
        assert_eq!(stop.best, Some((0.97, 4)));
    }

    #[test]
    fn a_patience_of_zero_means_one_and_nan_is_never_better() {
        let mut stop = EarlyStopping::new(0);
        assert_eq!(stop.patience, 1);
        assert_eq!(stop.observe(1, 0.5), Verdict::Improved);
        assert_eq!(stop.observe(2, f64::NAN), Verdict::Stop { best_epoch: 1 });
    }

    #[test]
    fn the_state_survives_a_checkpoint() {
        let mut stop = EarlyStopping::new(3);
        stop.observe(1, 0.8);
        stop.observe(2, 0.7);
        let back: EarlyStopping =
            serde_json::from_str(&serde_json::to_string(&stop).unwrap()).unwrap();
        assert_eq!(back, stop);
    }
}
