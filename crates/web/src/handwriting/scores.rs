//! Before and after: how many of the held-out digits of each class a model reads correctly.

use super::samples::Sample;
use crate::draw::classifier::Classifier;
use crate::text::{Texts, fill};
use inkling_data::NUM_CLASSES;

/// Correct readings and digits, per class.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Scores {
    /// Read correctly, per class.
    pub correct: [usize; NUM_CLASSES],
    /// Held out, per class.
    pub total: [usize; NUM_CLASSES],
}

impl Scores {
    /// Counts one reading of a digit of class `label`.
    pub fn add(&mut self, label: u8, read: usize) {
        let class = usize::from(label) % NUM_CLASSES;
        self.total[class] += 1;
        self.correct[class] += usize::from(read == class);
    }

    /// Share read correctly over all classes (`None` without digits).
    pub fn accuracy(&self) -> Option<f64> {
        let total: usize = self.total.iter().sum();
        (total > 0).then(|| self.correct.iter().sum::<usize>() as f64 / total as f64)
    }

    /// `3 of 4` for class `class` (in `t`'s language), `–` without digits.
    pub fn of(&self, t: &'static Texts, class: usize) -> String {
        match self.total[class] {
            0 => "–".to_string(),
            n => fill(
                t.handwriting.score_of,
                &[("correct", &self.correct[class]), ("total", &n)],
            ),
        }
    }
}

/// Reads every digit of `held_out` with `classifier`.
pub async fn score(classifier: &Classifier, held_out: &[Sample]) -> Result<Scores, String> {
    let mut scores = Scores::default();
    for sample in held_out {
        let pixels: Vec<f32> = sample
            .pixels
            .iter()
            .map(|&v| f32::from(v) / 255.0)
            .collect();
        scores.add(sample.label, classifier.read_digit(&pixels).await?);
    }
    Ok(scores)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;

    #[test]
    fn scores_count_per_class() {
        let mut s = Scores::default();
        assert_eq!(s.accuracy(), None);
        s.add(3, 3);
        s.add(3, 5);
        s.add(7, 7);
        let t = Language::En.texts();
        assert_eq!(s.of(t, 3), "1 of 2");
        assert_eq!(s.of(t, 0), "–");
        assert_eq!(s.accuracy(), Some(2.0 / 3.0));
    }
}
