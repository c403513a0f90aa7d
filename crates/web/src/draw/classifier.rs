//! The model in the page: fetched at start-up, decoded from the shared model-file format, and run
//! on burn's CPU backend for each drawn digit.

use crate::platform::{fetch_bytes, now_ms};
use burn::tensor::Device;
use inkling_data::preprocess::{GrayImage, PreprocessError, PreprocessOptions, preprocess};
use inkling_model::{ModelFile, ModelHeader, Network, images_tensor};

/// A loaded model ready to classify drawings.
pub struct Classifier {
    network: Network,
    device: Device,
    /// What the model file says about itself.
    pub header: ModelHeader,
}

/// One reading of a drawing.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// Probability of each class.
    pub probabilities: Vec<f32>,
    /// The 28x28 image the model saw (ink = 1).
    pub input: Vec<f32>,
    /// Preprocessing plus inference time.
    pub millis: f64,
}

impl Reading {
    /// The most likely class and its probability.
    pub fn best(&self) -> (usize, f32) {
        self.probabilities
            .iter()
            .copied()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap_or((0, 0.0))
    }
}

impl Classifier {
    /// Decodes a model file, with the file format's own error messages.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        let file = ModelFile::decode(bytes).map_err(|e| e.to_string())?;
        let device = Device::flex();
        let network = file.load(&device).map_err(|e| e.to_string())?;
        Ok(Self {
            network,
            device,
            header: file.header,
        })
    }

    /// Downloads and decodes the model file at `url`.
    pub async fn fetch(url: &str) -> Result<Self, String> {
        let bytes = fetch_bytes(url, "the model").await?;
        Self::from_bytes(&bytes).map_err(|e| format!("the model {url} cannot be used: {e}"))
    }

    /// Classifies a drawing; `Ok(None)` when there is nothing drawn.
    pub async fn classify(&self, image: &GrayImage) -> Result<Option<Reading>, String> {
        let start = now_ms();
        let digit = match preprocess(image, &PreprocessOptions::default()) {
            Ok(digit) => digit,
            Err(PreprocessError::NoInk) => return Ok(None),
            Err(e) => return Err(e.to_string()),
        };
        let norm = self.header.dataset.normalization();
        let input: Vec<f32> = digit.pixels.iter().map(|&v| norm.apply(v)).collect();
        let probabilities = self
            .network
            .probabilities(images_tensor(input, &self.device))
            .into_data_async()
            .await
            .map_err(|e| format!("inference failed: {e}"))?
            .iter::<f32>()
            .collect();
        Ok(Some(Reading {
            probabilities,
            input: digit.pixels,
            millis: now_ms() - start,
        }))
    }
}
