//! What a model answered for every example of a test set, the material of error analysis: the
//! confusion matrix, the examples behind each of its cells and the most confident mistakes.
//! Kept apart from the engine (plain numbers, serde), so the trainer can send them to the page
//! and the page can compute them itself with the reader it draws with.

use crate::metrics::ConfusionMatrix;
use inkling_model::NUM_CLASSES;
use serde::{Deserialize, Serialize};

/// The model's answer for one example.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prediction {
    /// Predicted class.
    pub class: u8,
    /// Probability the model gave that class.
    pub confidence: f32,
}

/// One prediction per example, in dataset order, as two columns (compact in JSON).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Predictions {
    /// Predicted class of each example.
    pub classes: Vec<u8>,
    /// Probability the model gave that class.
    pub confidences: Vec<f32>,
}

impl Predictions {
    /// Records the answer for the next example from its class probabilities (the first of
    /// equal maxima wins, as burn's `argmax`).
    pub fn push(&mut self, probabilities: &[f32]) {
        let (class, confidence) = inkling_model::best(probabilities);
        self.push_prediction(Prediction {
            class: class as u8,
            confidence,
        });
    }

    /// Records the answer for the next example.
    pub fn push_prediction(&mut self, prediction: Prediction) {
        self.classes.push(prediction.class);
        self.confidences.push(prediction.confidence);
    }

    /// Number of examples answered.
    pub fn len(&self) -> usize {
        self.classes.len()
    }

    /// Whether nothing was answered yet.
    pub fn is_empty(&self) -> bool {
        self.classes.is_empty()
    }

    /// The answer for example `index`.
    pub fn get(&self, index: usize) -> Prediction {
        Prediction {
            class: self.classes[index],
            confidence: self.confidences[index],
        }
    }

    /// Actual against predicted counts, given the examples' `labels` (the first `len()` count).
    pub fn confusion(&self, labels: &[u8]) -> ConfusionMatrix {
        let mut confusion = ConfusionMatrix::default();
        for (&actual, &predicted) in labels.iter().zip(&self.classes) {
            confusion.add(actual as usize, predicted as usize);
        }
        confusion
    }

    /// The examples of class `actual` read as `predicted`, most confident first.
    pub fn cell(&self, labels: &[u8], actual: u8, predicted: u8) -> Vec<usize> {
        self.most_confident_first(labels, |label, class| label == actual && class == predicted)
    }

    /// Every misread example, most confident first: the mistakes most worth a look.
    pub fn mistakes(&self, labels: &[u8]) -> Vec<usize> {
        self.most_confident_first(labels, |label, class| label != class)
    }

    fn most_confident_first(&self, labels: &[u8], keep: impl Fn(u8, u8) -> bool) -> Vec<usize> {
        let mut kept: Vec<usize> = (0..self.len().min(labels.len()))
            .filter(|&i| keep(labels[i], self.classes[i]))
            .collect();
        // Ties keep dataset order, so the page and the CLI list the same examples.
        kept.sort_by(|&a, &b| self.confidences[b].total_cmp(&self.confidences[a]));
        kept
    }

    /// Whether every class is a class and every confidence a probability (for answers that
    /// arrive from elsewhere).
    pub fn is_valid(&self) -> bool {
        self.classes.len() == self.confidences.len()
            && self.classes.iter().all(|&c| (c as usize) < NUM_CLASSES)
            && self.confidences.iter().all(|p| (0.0..=1.0).contains(p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_hot(class: usize, p: f32) -> Vec<f32> {
        let rest = (1.0 - p) / 9.0;
        (0..NUM_CLASSES)
            .map(|c| if c == class { p } else { rest })
            .collect()
    }

    fn sample() -> (Predictions, Vec<u8>) {
        let mut predictions = Predictions::default();
        // (label, predicted, confidence)
        let answers = [
            (4, 4, 0.99),
            (4, 9, 0.60),
            (4, 9, 0.95),
            (7, 2, 0.80),
            (7, 7, 0.90),
            (9, 4, 0.95),
        ];
        let mut labels = Vec::new();
        for (label, class, p) in answers {
            predictions.push(&one_hot(class, p));
            labels.push(label);
        }
        (predictions, labels)
    }

    #[test]
    fn the_confusion_matrix_counts_label_against_answer() {
        let (predictions, labels) = sample();
        let confusion = predictions.confusion(&labels);
        assert_eq!(confusion.total(), 6);
        assert_eq!(confusion.counts[4][9], 2);
        assert_eq!(confusion.counts[4][4], 1);
        assert_eq!(confusion.counts[9][4], 1);
        assert_eq!(confusion.correct(), 2);
    }

    #[test]
    fn a_cell_lists_its_examples_most_confident_first() {
        let (predictions, labels) = sample();
        assert_eq!(predictions.cell(&labels, 4, 9), vec![2, 1]);
        assert_eq!(predictions.cell(&labels, 7, 7), vec![4]);
        assert!(predictions.cell(&labels, 0, 0).is_empty());
        assert_eq!(predictions.get(2).class, 9);
        assert!((predictions.get(2).confidence - 0.95).abs() < 1e-6);
    }

    #[test]
    fn mistakes_come_most_confident_first_with_ties_in_dataset_order() {
        let (predictions, labels) = sample();
        assert_eq!(predictions.mistakes(&labels), vec![2, 5, 3, 1]);
    }

    #[test]
    fn the_first_of_equal_maxima_is_the_answer() {
        let mut predictions = Predictions::default();
        let mut tie = vec![0.0; NUM_CLASSES];
        tie[3] = 0.5;
        tie[6] = 0.5;
        predictions.push(&tie);
        assert_eq!(predictions.get(0).class, 3);
    }

    #[test]
    fn answers_from_elsewhere_are_checked() {
        let (mut predictions, _) = sample();
        assert!(predictions.is_valid());
        predictions.classes[0] = 10;
        assert!(!predictions.is_valid());
        let (mut predictions, _) = sample();
        predictions.confidences.pop();
        assert!(!predictions.is_valid());
        let (mut predictions, _) = sample();
        predictions.confidences[1] = f32::NAN;
        assert!(!predictions.is_valid());
    }
}
