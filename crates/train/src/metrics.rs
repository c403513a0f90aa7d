//! Classification metrics: confusion matrix, accuracy and per-class precision, recall and F1.

use inkling_model::NUM_CLASSES;
use serde::{Deserialize, Serialize};

/// Counts of (actual class, predicted class) pairs.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ConfusionMatrix {
    /// `counts[actual][predicted]`.
    pub counts: [[u64; NUM_CLASSES]; NUM_CLASSES],
}

/// Precision, recall and F1 of one class.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ClassScores {
    /// Of the examples predicted as this class, the fraction that are.
    pub precision: f64,
    /// Of the examples of this class, the fraction predicted as it.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// Number of examples of this class.
    pub support: u64,
}

impl ConfusionMatrix {
    /// Records one prediction.
    pub fn add(&mut self, actual: usize, predicted: usize) {
        self.counts[actual][predicted] += 1;
    }

    /// Number of predictions recorded.
    pub fn total(&self) -> u64 {
        self.counts.iter().flatten().sum()
    }

    /// Number of correct predictions.
    pub fn correct(&self) -> u64 {
        (0..NUM_CLASSES).map(|i| self.counts[i][i]).sum()
    }

    /// Fraction of correct predictions (0 when empty).
    pub fn accuracy(&self) -> f64 {
        let total = self.total();
        if total == 0 {
            0.0
        } else {
            self.correct() as f64 / total as f64
        }
    }

    /// Scores for every class. A class never predicted has precision 0, one never present has
    /// recall 0 (and F1 0), rather than NaN.
    pub fn class_scores(&self) -> Vec<ClassScores> {
        (0..NUM_CLASSES)
            .map(|c| {
                let tp = self.counts[c][c] as f64;
                let predicted: u64 = (0..NUM_CLASSES).map(|a| self.counts[a][c]).sum();
                let support: u64 = self.counts[c].iter().sum();
                let ratio = |n: f64, d: u64| if d == 0 { 0.0 } else { n / d as f64 };
                let precision = ratio(tp, predicted);
                let recall = ratio(tp, support);
                let f1 = if precision + recall == 0.0 {
                    0.0
                } else {
                    2.0 * precision * recall / (precision + recall)
                };
                ClassScores {
                    precision,
                    recall,
                    f1,
                    support,
                }
            })
            .collect()
    }

    /// Unweighted mean F1 over classes.
    pub fn macro_f1(&self) -> f64 {
        self.class_scores().iter().map(|s| s.f1).sum::<f64>() / NUM_CLASSES as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_match_hand_computation() {
        let mut m = ConfusionMatrix::default();
        // class 0: 8 right, 2 called 1; class 1: 5 right, 5 called 0
        for _ in 0..8 {
            m.add(0, 0);
        }
        for _ in 0..2 {
            m.add(0, 1);
        }
        for _ in 0..5 {
            m.add(1, 1);
            m.add(1, 0);
        }
        assert_eq!(m.total(), 20);
        assert!((m.accuracy() - 13.0 / 20.0).abs() < 1e-12);
        let s = m.class_scores();
        assert!((s[0].precision - 8.0 / 13.0).abs() < 1e-12);
        assert!((s[0].recall - 0.8).abs() < 1e-12);
        assert!((s[1].precision - 5.0 / 7.0).abs() < 1e-12);
        assert!((s[1].recall - 0.5).abs() < 1e-12);
        let f1 = 2.0 * (5.0 / 7.0) * 0.5 / (5.0 / 7.0 + 0.5);
        assert!((s[1].f1 - f1).abs() < 1e-12);
        assert_eq!(s[2].f1, 0.0);
        assert_eq!(s[2].support, 0);
    }
}
