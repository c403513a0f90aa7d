//! The MNIST and Fashion-MNIST datasets: file names, published checksums, class names, input
//! normalisation, and an in-memory [`Dataset`] decoded from IDX bytes.

use crate::idx::{IdxArray, IdxError};
use crate::{IMAGE_PIXELS, IMAGE_SIDE, NUM_CLASSES};
use serde::{Deserialize, Serialize};

/// Which dataset a run trains or evaluates on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum DatasetKind {
    /// Handwritten digits 0-9.
    #[default]
    Mnist,
    /// Zalando's clothing images, a drop-in harder replacement for MNIST.
    FashionMnist,
}

/// Training or test portion of a dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Split {
    /// The 60,000 training examples.
    Train,
    /// The 10,000 test examples.
    Test,
}

/// One IDX file of a dataset and the MD5 of its decompressed bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataFile {
    /// File name as published, gzip-compressed (`train-images-idx3-ubyte.gz`).
    pub name: &'static str,
    /// MD5 (hex) of the decompressed IDX bytes; the gzip wrapper differs between mirrors and
    /// distributions, the payload does not.
    pub md5: &'static str,
}

const MNIST_FILES: [DataFile; 4] = [
    DataFile {
        name: "train-images-idx3-ubyte.gz",
        md5: "6bbc9ace898e44ae57da46a324031adb",
    },
    DataFile {
        name: "train-labels-idx1-ubyte.gz",
        md5: "a25bea736e30d166cdddb491f175f624",
    },
    DataFile {
        name: "t10k-images-idx3-ubyte.gz",
        md5: "2646ac647ad5339dbf082846283269ea",
    },
    DataFile {
        name: "t10k-labels-idx1-ubyte.gz",
        md5: "27ae3e4e09519cfbb04c329615203637",
    },
];

const FASHION_FILES: [DataFile; 4] = [
    DataFile {
        name: "train-images-idx3-ubyte.gz",
        md5: "f4a8712d7a061bf5bd6d2ca38dc4d50a",
    },
    DataFile {
        name: "train-labels-idx1-ubyte.gz",
        md5: "9018921c3c673c538a1fc5bad174d6f9",
    },
    DataFile {
        name: "t10k-images-idx3-ubyte.gz",
        md5: "8181f5470baa50b63fa0f6fddb340f0a",
    },
    DataFile {
        name: "t10k-labels-idx1-ubyte.gz",
        md5: "15d484375f8d13e6eb1aabb0c3f46965",
    },
];

/// Mean and standard deviation used to standardise pixel values in `[0, 1]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Normalization {
    /// Mean pixel value of the training set.
    pub mean: f32,
    /// Standard deviation of the training-set pixels.
    pub std: f32,
}

impl Normalization {
    /// Standardises one pixel value in `[0, 1]`.
    pub fn apply(&self, value: f32) -> f32 {
        (value - self.mean) / self.std
    }
}

crate::named_choices!(DatasetKind, "dataset", [
    DatasetKind::Mnist => ("mnist", "MNIST digits"),
    DatasetKind::FashionMnist => ("fashion-mnist", "Fashion-MNIST"),
]);

impl DatasetKind {
    /// The four IDX files: train images, train labels, test images, test labels.
    pub fn files(self) -> &'static [DataFile; 4] {
        match self {
            DatasetKind::Mnist => &MNIST_FILES,
            DatasetKind::FashionMnist => &FASHION_FILES,
        }
    }

    /// The (images, labels) files of one split.
    pub fn split_files(self, split: Split) -> (&'static DataFile, &'static DataFile) {
        let files = self.files();
        match split {
            Split::Train => (&files[0], &files[1]),
            Split::Test => (&files[2], &files[3]),
        }
    }

    /// Human-readable class names, indexed by label.
    pub fn class_names(self) -> [&'static str; NUM_CLASSES] {
        match self {
            DatasetKind::Mnist => ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
            DatasetKind::FashionMnist => [
                "T-shirt/top",
                "Trouser",
                "Pullover",
                "Dress",
                "Coat",
                "Sandal",
                "Shirt",
                "Sneaker",
                "Bag",
                "Ankle boot",
            ],
        }
    }

    /// Training-set pixel statistics (pixels scaled to `[0, 1]`).
    pub fn normalization(self) -> Normalization {
        match self {
            DatasetKind::Mnist => Normalization {
                mean: 0.1307,
                std: 0.3081,
            },
            DatasetKind::FashionMnist => Normalization {
                mean: 0.2860,
                std: 0.3530,
            },
        }
    }

    /// Public mirrors that serve the gzip files under their published names.
    pub fn mirrors(self) -> &'static [&'static str] {
        match self {
            DatasetKind::Mnist => &[
                "https://ossci-datasets.s3.amazonaws.com/mnist/",
                "https://storage.googleapis.com/cvdf-datasets/mnist/",
            ],
            DatasetKind::FashionMnist => {
                &["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"]
            }
        }
    }
}

/// Why a pair of IDX files does not form a dataset.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DatasetError {
    /// The image file is not valid IDX of shape `[n, 28, 28]`.
    #[error("image file: {0}")]
    Images(IdxError),
    /// The label file is not valid IDX of shape `[n]`.
    #[error("label file: {0}")]
    Labels(IdxError),
    /// Image and label counts differ.
    #[error("{images} images but {labels} labels")]
    CountMismatch { images: usize, labels: usize },
    /// A label outside `0..10`.
    #[error("label {label} at index {index} is not a class in 0..10")]
    LabelOutOfRange { index: usize, label: u8 },
}

/// Images and labels held in memory as bytes: 28x28 grey levels, 0 = background.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dataset {
    /// The dataset these examples come from (decides normalisation and class names).
    pub kind: DatasetKind,
    images: Vec<u8>,
    labels: Vec<u8>,
}

impl Dataset {
    /// Decodes a dataset from IDX bytes (raw or gzip) of images `[n, 28, 28]` and labels `[n]`.
    pub fn from_idx(
        kind: DatasetKind,
        image_bytes: &[u8],
        label_bytes: &[u8],
    ) -> Result<Self, DatasetError> {
        let images =
            IdxArray::parse_with_shape(image_bytes, &[None, Some(IMAGE_SIDE), Some(IMAGE_SIDE)])
                .map_err(DatasetError::Images)?;
        let labels =
            IdxArray::parse_with_shape(label_bytes, &[None]).map_err(DatasetError::Labels)?;
        Self::from_parts(kind, images.data, labels.data)
    }

    /// As [`Dataset::from_idx`], for IDX bytes already decompressed (the page's imports, which
    /// the browser decompresses).
    pub fn from_raw_idx(
        kind: DatasetKind,
        image_bytes: &[u8],
        label_bytes: &[u8],
    ) -> Result<Self, DatasetError> {
        let images = IdxArray::parse_raw_with_shape(
            image_bytes,
            &[None, Some(IMAGE_SIDE), Some(IMAGE_SIDE)],
        )
        .map_err(DatasetError::Images)?;
        let labels =
            IdxArray::parse_raw_with_shape(label_bytes, &[None]).map_err(DatasetError::Labels)?;
        Self::from_parts(kind, images.data, labels.data)
    }

    /// Builds a dataset from flat image bytes (`n * 784`) and labels, validating both.
    pub fn from_parts(
        kind: DatasetKind,
        images: Vec<u8>,
        labels: Vec<u8>,
    ) -> Result<Self, DatasetError> {
        let n_images = images.len() / IMAGE_PIXELS;
        if !images.len().is_multiple_of(IMAGE_PIXELS) || n_images != labels.len() {
            return Err(DatasetError::CountMismatch {
                images: n_images,
                labels: labels.len(),
            });
        }
        if let Some((index, &label)) = labels
            .iter()
            .enumerate()
            .find(|(_, l)| **l as usize >= NUM_CLASSES)
        {
            return Err(DatasetError::LabelOutOfRange { index, label });
        }
        Ok(Self {
            kind,
            images,
            labels,
        })
    }

    /// Number of examples.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether the dataset holds no examples.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The 784 grey levels of example `index`.
    pub fn image(&self, index: usize) -> &[u8] {
        &self.images[index * IMAGE_PIXELS..(index + 1) * IMAGE_PIXELS]
    }

    /// The class of example `index`.
    pub fn label(&self, index: usize) -> u8 {
        self.labels[index]
    }

    /// All labels in order.
    pub fn labels(&self) -> &[u8] {
        &self.labels
    }

    /// A new dataset with the examples at `indices`, in that order.
    pub fn select(&self, indices: &[usize]) -> Dataset {
        let mut images = Vec::with_capacity(indices.len() * IMAGE_PIXELS);
        let mut labels = Vec::with_capacity(indices.len());
        for &i in indices {
            images.extend_from_slice(self.image(i));
            labels.push(self.label(i));
        }
        Dataset {
            kind: self.kind,
            images,
            labels,
        }
    }

    /// The first `n` examples (or all, if there are fewer).
    pub fn take(&self, n: usize) -> Dataset {
        let indices: Vec<usize> = (0..n.min(self.len())).collect();
        self.select(&indices)
    }

    /// Splits off the last `n` examples as a held-out set: `(rest, held_out)`.
    pub fn split_tail(&self, n: usize) -> (Dataset, Dataset) {
        let n = n.min(self.len());
        let cut = self.len() - n;
        let head: Vec<usize> = (0..cut).collect();
        let tail: Vec<usize> = (cut..self.len()).collect();
        (self.select(&head), self.select(&tail))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Choice;
    use crate::idx::encode_u8;

    fn tiny(n: usize) -> (Vec<u8>, Vec<u8>) {
        let images: Vec<u8> = (0..n * IMAGE_PIXELS).map(|i| (i % 251) as u8).collect();
        let labels: Vec<u8> = (0..n).map(|i| (i % 10) as u8).collect();
        (encode_u8(&[n, 28, 28], &images), encode_u8(&[n], &labels))
    }

    #[test]
    fn decodes_matching_files() {
        let (img, lbl) = tiny(5);
        let ds = Dataset::from_idx(DatasetKind::Mnist, &img, &lbl).unwrap();
        assert_eq!(ds.len(), 5);
        assert_eq!(ds.label(3), 3);
        assert_eq!(ds.image(1)[0], (IMAGE_PIXELS % 251) as u8);
    }

    #[test]
    fn rejects_count_mismatch_and_bad_labels() {
        let (img, _) = tiny(5);
        let lbl = encode_u8(&[4], &[0, 1, 2, 3]);
        assert_eq!(
            Dataset::from_idx(DatasetKind::Mnist, &img, &lbl),
            Err(DatasetError::CountMismatch {
                images: 5,
                labels: 4
            })
        );
        let lbl = encode_u8(&[5], &[0, 1, 12, 3, 4]);
        assert_eq!(
            Dataset::from_idx(DatasetKind::Mnist, &img, &lbl),
            Err(DatasetError::LabelOutOfRange {
                index: 2,
                label: 12
            })
        );
    }

    #[test]
    fn rejects_images_that_are_not_28_by_28() {
        let img = encode_u8(&[2, 32, 32], &[0; 2 * 32 * 32]);
        let lbl = encode_u8(&[2], &[0, 1]);
        assert!(matches!(
            Dataset::from_idx(DatasetKind::Mnist, &img, &lbl),
            Err(DatasetError::Images(IdxError::WrongDimension {
                axis: 1,
                ..
            }))
        ));
        // Swapped files: labels where images belong.
        assert!(matches!(
            Dataset::from_idx(DatasetKind::Mnist, &lbl, &img),
            Err(DatasetError::Images(IdxError::WrongRank { .. }))
        ));
    }

    #[test]
    fn split_tail_keeps_every_example_once() {
        let (img, lbl) = tiny(10);
        let ds = Dataset::from_idx(DatasetKind::Mnist, &img, &lbl).unwrap();
        let (rest, held) = ds.split_tail(3);
        assert_eq!(rest.len(), 7);
        assert_eq!(held.labels(), &[7, 8, 9]);
        assert_eq!(held.image(0), ds.image(7));
    }

    #[test]
    fn names_round_trip() {
        for kind in DatasetKind::ALL {
            assert_eq!(kind.name().parse::<DatasetKind>().unwrap(), *kind);
        }
        assert!("cifar".parse::<DatasetKind>().is_err());
    }
}
