//! Seeded shuffling into mini-batches, one batch per call, so that an async browser loop and the
//! CLI drive training the same way and a run replays exactly from its seed.

use crate::IMAGE_PIXELS;
use crate::augment::AugmentConfig;
use crate::dataset::Dataset;
use crate::rng::Rng;
use serde::{Deserialize, Serialize};

/// Walks a dataset in a fresh random order every epoch, yielding index batches.
///
/// The order of epoch `e` depends only on `(seed, e)`, so the whole position is three numbers
/// and a checkpointed run resumes on exactly the batch it would have seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShuffledBatches {
    len: usize,
    batch_size: usize,
    seed: u64,
    epoch: usize,
    cursor: usize,
    #[serde(skip)]
    order: Vec<usize>,
}

impl ShuffledBatches {
    /// Batches over `len` examples. A final partial batch is dropped each epoch (the dropped
    /// examples differ per epoch); if `len < batch_size` the one batch is the whole set.
    pub fn new(len: usize, batch_size: usize, seed: u64) -> Self {
        assert!(
            len > 0 && batch_size > 0,
            "empty dataset or zero batch size"
        );
        let mut batches = Self {
            len,
            batch_size: batch_size.min(len),
            seed,
            epoch: 0,
            cursor: 0,
            order: Vec::new(),
        };
        batches.shuffle();
        batches
    }

    /// Checks a position that came from outside (a checkpoint, a page): it must walk `len`
    /// examples in batches of `batch_size` (as [`ShuffledBatches::new`] would have made them)
    /// and stand inside its epoch.
    pub fn check(&self, len: usize, batch_size: usize) -> Result<(), String> {
        if self.len != len || len == 0 {
            return Err(format!(
                "the position walks {} examples, the training set has {len}",
                self.len
            ));
        }
        if self.batch_size != batch_size.min(len) || self.batch_size == 0 {
            return Err(format!(
                "the position takes batches of {}, the run {}",
                self.batch_size,
                batch_size.min(len)
            ));
        }
        if self.cursor > self.len {
            return Err(format!(
                "the position stands at example {} of {}",
                self.cursor, self.len
            ));
        }
        Ok(())
    }

    /// Optimiser steps in one epoch.
    pub fn steps_per_epoch(&self) -> usize {
        self.len / self.batch_size
    }

    /// Completed epochs.
    pub fn epoch(&self) -> usize {
        self.epoch
    }

    /// Batches already taken in the current epoch.
    pub fn step_in_epoch(&self) -> usize {
        self.cursor / self.batch_size
    }

    /// The indices of the next batch, moving to a reshuffled epoch when this one is used up.
    pub fn next_indices(&mut self) -> Vec<usize> {
        if self.order.len() != self.len {
            self.shuffle(); // after deserialisation
        }
        if self.cursor + self.batch_size > self.len {
            self.epoch += 1;
            self.cursor = 0;
            self.shuffle();
        }
        let batch = self.order[self.cursor..self.cursor + self.batch_size].to_vec();
        self.cursor += self.batch_size;
        batch
    }

    fn shuffle(&mut self) {
        self.order = (0..self.len).collect();
        Rng::new(self.seed ^ (self.epoch as u64).wrapping_mul(0xA076_1D64_78BD_642F))
            .shuffle(&mut self.order);
    }
}

/// A mini-batch on the host: normalised pixels `[n, 1, 28, 28]` flattened, and labels.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    /// Standardised pixels, `n * 784` values.
    pub images: Vec<f32>,
    /// Class of each example.
    pub labels: Vec<u8>,
}

impl Batch {
    /// Gathers `indices` from `dataset`, warping each image with `augment` (if given) before
    /// normalising it with the dataset's statistics.
    pub fn gather(
        dataset: &Dataset,
        indices: &[usize],
        augment: Option<(&AugmentConfig, &mut Rng)>,
    ) -> Self {
        let norm = dataset.kind.normalization();
        let mut images = Vec::with_capacity(indices.len() * IMAGE_PIXELS);
        let mut labels = Vec::with_capacity(indices.len());
        let mut scratch = vec![0.0f32; IMAGE_PIXELS];
        let mut augment = augment.filter(|(cfg, _)| cfg.is_enabled());
        for &i in indices {
            for (s, &p) in scratch.iter_mut().zip(dataset.image(i)) {
                *s = p as f32 / 255.0;
            }
            if let Some((cfg, rng)) = augment.as_mut() {
                cfg.apply(&mut scratch, rng);
            }
            images.extend(scratch.iter().map(|&v| norm.apply(v)));
            labels.push(dataset.label(i));
        }
        Self { images, labels }
    }

    /// Examples `start..end` in order, without augmentation (evaluation).
    pub fn range(dataset: &Dataset, start: usize, end: usize) -> Self {
        let indices: Vec<usize> = (start..end.min(dataset.len())).collect();
        Self::gather(dataset, &indices, None)
    }

    /// Number of examples.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether the batch is empty.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::DatasetKind;

    #[test]
    fn every_example_once_per_epoch_and_reshuffled() {
        let mut b = ShuffledBatches::new(10, 3, 42);
        assert_eq!(b.steps_per_epoch(), 3);
        let first: Vec<usize> = (0..3).flat_map(|_| b.next_indices()).collect();
        let mut sorted = first.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 9, "a batch repeated an example");
        assert_eq!(b.epoch(), 0);
        let second: Vec<usize> = (0..3).flat_map(|_| b.next_indices()).collect();
        assert_eq!(b.epoch(), 1);
        assert_ne!(first, second);
    }

    #[test]
    fn same_seed_same_batches_and_resumes_after_serde() {
        let mut a = ShuffledBatches::new(100, 8, 1);
        let mut b = ShuffledBatches::new(100, 8, 1);
        for _ in 0..30 {
            assert_eq!(a.next_indices(), b.next_indices());
        }
        let json = serde_json::to_string(&a).unwrap();
        assert!(
            json.len() < 200,
            "checkpoint state should be a few numbers: {json}"
        );
        let mut resumed: ShuffledBatches = serde_json::from_str(&json).unwrap();
        for _ in 0..30 {
            assert_eq!(a.next_indices(), resumed.next_indices());
        }
        let mut c = ShuffledBatches::new(100, 8, 2);
        assert_ne!(
            ShuffledBatches::new(100, 8, 1).next_indices(),
            c.next_indices()
        );
    }

    #[test]
    fn small_dataset_is_one_batch() {
        let mut b = ShuffledBatches::new(5, 64, 0);
        assert_eq!(b.steps_per_epoch(), 1);
        assert_eq!(b.next_indices().len(), 5);
    }

    #[test]
    fn gather_normalises_and_keeps_labels() {
        let mut images = vec![0u8; 2 * IMAGE_PIXELS];
        images[IMAGE_PIXELS] = 255;
        let ds = Dataset::from_parts(DatasetKind::Mnist, images, vec![3, 7]).unwrap();
        let batch = Batch::gather(&ds, &[1, 0], None);
        assert_eq!(batch.labels, vec![7, 3]);
        let norm = DatasetKind::Mnist.normalization();
        assert!((batch.images[0] - (1.0 - norm.mean) / norm.std).abs() < 1e-6);
        assert!((batch.images[1] + norm.mean / norm.std).abs() < 1e-6);
    }
}
