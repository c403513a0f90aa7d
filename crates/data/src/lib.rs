//! Data for Inkling: the IDX file reader, the MNIST and Fashion-MNIST datasets, input
//! normalisation, a seeded shuffling batcher, random-affine augmentation, and the digit
//! preprocessing that turns a drawn or photographed digit into the 28x28 input the models expect.
//!
//! Everything here works on bytes and plain vectors (no filesystem, threads or clocks), so the
//! same code runs in the native CLI and in the browser (`wasm32-unknown-unknown`).

pub mod augment;
pub mod batcher;
pub mod choice;
pub mod dataset;
pub mod handwriting;
pub mod idx;
pub mod preprocess;
pub mod rng;

pub use augment::AugmentConfig;
pub use batcher::{Batch, ShuffledBatches};
pub use choice::{Choice, UnknownChoice};
pub use dataset::{Dataset, DatasetError, DatasetKind, Normalization, Split};
pub use idx::{IdxArray, IdxError};
pub use preprocess::{GrayImage, Polarity, PreprocessError, PreprocessOptions, Preprocessed};
pub use rng::Rng;

/// Side length of the square images every model consumes.
pub const IMAGE_SIDE: usize = 28;
/// Pixels in one model input image.
pub const IMAGE_PIXELS: usize = IMAGE_SIDE * IMAGE_SIDE;
/// Number of classes in MNIST and Fashion-MNIST.
pub const NUM_CLASSES: usize = 10;
