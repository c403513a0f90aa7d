//! Inkling's networks and model files.
//!
//! One serialisable [`ModelConfig`] describes every network the project trains: the
//! depthwise-separable dilated net ([`DsdConfig`], the headline model), a plain CNN and an MLP
//! baseline. [`ModelConfig::init`] builds the burn module ([`Network`]) on any device, and
//! [`ModelFile`] wraps its weights with the config so that the CLI and the web app exchange
//! trained models through one checked format.
//!
//! Every network takes standardised images `[batch, 1, 28, 28]` and returns logits `[batch, 10]`.

pub mod compress;
mod config;
#[cfg(feature = "fast-cpu-training")]
pub mod cpu_training;
mod file;
pub mod frame;
pub mod inside;
mod interop;
mod network;
mod reader;

pub use config::{
    Architecture, CnnConfig, ConfigError, DsdBlockConfig, DsdConfig, MlpConfig, ModelConfig,
};
pub use file::{FORMAT_VERSION, ModelFile, ModelFileError, ModelHeader, WeightEncoding};
pub use interop::{
    BATCH_NORM_EPSILON, InteropError, WeightFormat, from_safetensors, to_safetensors,
};
pub use network::{Head, Network, images_tensor, trainable_params};
pub use reader::{DigitReader, best, ranked};

/// Side of the square input images.
pub const INPUT_SIDE: usize = 28;
/// Number of output classes.
pub const NUM_CLASSES: usize = 10;
