//! A person's own digits: which of them are held out to measure the fine-tuned model, and the
//! training set that mixes the rest with replayed MNIST examples so the model learns the
//! person's hand without forgetting everyone else's.
//!
//! The page collects the digits (28x28, preprocessed as the pad's drawings are) and the CLI
//! reads them from the IDX pair the page exports; both build their training sets here.

use crate::dataset::{Dataset, DatasetError, DatasetKind};
use crate::{IMAGE_PIXELS, NUM_CLASSES};

/// Every this-many-th digit of each class is held out (one in five).
pub const HOLD_OUT_EVERY: usize = 5;

/// The share of replayed examples the page starts with.
pub const DEFAULT_REPLAY_SHARE: f64 = 0.5;

/// The largest share of replayed examples: some of the person's digits are always seen.
pub const MAX_REPLAY_SHARE: f64 = 0.95;

/// File names of the IDX pair a collection is exported as (gzip, the format of MNIST's files).
pub const IMAGES_FILE: &str = "handwriting-images-idx3-ubyte.gz";
/// See [`IMAGES_FILE`].
pub const LABELS_FILE: &str = "handwriting-labels-idx1-ubyte.gz";

/// Why a training set could not be mixed.
#[derive(Debug, PartialEq, thiserror::Error)]
pub enum MixError {
    /// Nothing of the person's to train on.
    #[error("there are no digits of your own to train on")]
    NoOwnDigits,
    /// The share is not a number in `[0, MAX_REPLAY_SHARE]`.
    #[error("the share of replayed examples must be between 0 and {MAX_REPLAY_SHARE}, got {0}")]
    BadShare(f64),
    /// Too few replay examples for the share asked.
    #[error("{wanted} replayed examples are needed but only {available} are there")]
    TooFewReplayed {
        /// Needed.
        wanted: usize,
        /// There.
        available: usize,
    },
    /// The parts are not a dataset.
    #[error(transparent)]
    Dataset(#[from] DatasetError),
}

/// Indices of the held-out digits: per class, the 5th, 10th, ... in collection order.
pub fn held_out_indices(labels: &[u8]) -> Vec<usize> {
    let mut seen = [0usize; NUM_CLASSES];
    labels
        .iter()
        .enumerate()
        .filter_map(|(i, &label)| {
            let count = &mut seen[usize::from(label) % NUM_CLASSES];
            *count += 1;
            count.is_multiple_of(HOLD_OUT_EVERY).then_some(i)
        })
        .collect()
}

/// Splits a collection into `(train, held_out)` by [`held_out_indices`].
pub fn split_held_out(own: &Dataset) -> (Dataset, Dataset) {
    let held = held_out_indices(own.labels());
    let train: Vec<usize> = (0..own.len()).filter(|i| !held.contains(i)).collect();
    (own.select(&train), own.select(&held))
}

/// A training set of `examples` examples: `round(examples * replay_share)` of them the first
/// examples of `replay`, the rest the person's digits `own`, repeated in order as often as it
/// takes. The batcher shuffles it each epoch, so every batch holds about that share of each.
pub fn mix_with_replay(
    own: &Dataset,
    replay: &Dataset,
    replay_share: f64,
    examples: usize,
) -> Result<Dataset, MixError> {
    if own.is_empty() {
        return Err(MixError::NoOwnDigits);
    }
    if !(0.0..=MAX_REPLAY_SHARE).contains(&replay_share) {
        return Err(MixError::BadShare(replay_share));
    }
    let replayed = replayed_examples(replay_share, examples);
    if replayed > replay.len() {
        return Err(MixError::TooFewReplayed {
            wanted: replayed,
            available: replay.len(),
        });
    }
    let mut images = Vec::with_capacity(examples * IMAGE_PIXELS);
    let mut labels = Vec::with_capacity(examples);
    for i in 0..replayed {
        images.extend_from_slice(replay.image(i));
        labels.push(replay.label(i));
    }
    for i in (0..own.len()).cycle().take(examples - replayed) {
        images.extend_from_slice(own.image(i));
        labels.push(own.label(i));
    }
    Ok(Dataset::from_parts(DatasetKind::Mnist, images, labels)?)
}

/// How many of an epoch's `examples` [`mix_with_replay`] takes from the replayed dataset.
pub fn replayed_examples(replay_share: f64, examples: usize) -> usize {
    (examples as f64 * replay_share).round() as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` digits, labels cycling 0..10, each image filled with its index (mod 251).
    fn digits(n: usize, fill: u8) -> Dataset {
        let images = (0..n)
            .flat_map(|i| std::iter::repeat_n(fill.wrapping_add(i as u8), IMAGE_PIXELS))
            .collect();
        let labels = (0..n).map(|i| (i % 10) as u8).collect();
        Dataset::from_parts(DatasetKind::Mnist, images, labels).unwrap()
    }

    #[test]
    fn one_in_five_of_each_digit_is_held_out() {
        // Eight of each digit, collected round by round: the fifth of each is held out.
        let labels: Vec<u8> = (0..80).map(|i| (i % 10) as u8).collect();
        let held = held_out_indices(&labels);
        assert_eq!(held, (40..50).collect::<Vec<_>>());
        // Collected digit by digit: the fifth of each run.
        let labels: Vec<u8> = (0..100).map(|i| (i / 10) as u8).collect();
        let held = held_out_indices(&labels);
        assert_eq!(held.len(), 20);
        assert!(held.iter().all(|i| i % 10 == 4 || i % 10 == 9));
        let (train, out) = split_held_out(&digits(80, 0));
        assert_eq!((train.len(), out.len()), (70, 10));
    }

    #[test]
    fn the_mix_has_the_share_asked_and_every_own_digit() {
        let own = digits(70, 0);
        let mnist = digits(5000, 100);
        let mixed = mix_with_replay(&own, &mnist, 0.5, 2000).unwrap();
        assert_eq!(mixed.len(), 2000);
        for i in 0..1000 {
            assert_eq!(mixed.image(i), mnist.image(i), "replayed example {i}");
        }
        for i in 1000..2000 {
            assert_eq!(
                mixed.image(i),
                own.image((i - 1000) % 70),
                "own example {i}"
            );
            assert_eq!(mixed.label(i), own.label((i - 1000) % 70));
        }
        assert_eq!(replayed_examples(0.5, 2000), 1000);
        let only_own = mix_with_replay(&own, &mnist, 0.0, 140).unwrap();
        assert_eq!(only_own.len(), 140);
    }

    #[test]
    fn bad_mixes_are_refused() {
        let own = digits(10, 0);
        let mnist = digits(100, 100);
        let empty = Dataset::from_parts(DatasetKind::Mnist, vec![], vec![]).unwrap();
        assert_eq!(
            mix_with_replay(&empty, &mnist, 0.5, 100),
            Err(MixError::NoOwnDigits)
        );
        assert_eq!(
            mix_with_replay(&own, &mnist, 0.99, 100),
            Err(MixError::BadShare(0.99))
        );
        assert!(matches!(
            mix_with_replay(&own, &mnist, f64::NAN, 100),
            Err(MixError::BadShare(_))
        ));
        assert_eq!(
            mix_with_replay(&own, &mnist, 0.9, 1000),
            Err(MixError::TooFewReplayed {
                wanted: 900,
                available: 100
            })
        );
    }
}
