//! The model in the page: fetched at start-up, decoded from the shared model-file format, and run
//! on burn's CPU backend for each drawn digit (through [`DigitReader`], as `inkling predict`).

use crate::platform::{fetch_bytes, now_ms};
use burn::tensor::Device;
use inkling_data::preprocess::{GrayImage, PreprocessError, PreprocessOptions, preprocess};
use inkling_model::{DigitReader, ModelFile, ModelHeader, ranked};

/// A loaded model ready to classify drawings.
pub struct Classifier {
    reader: DigitReader,
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
        ranked(&self.probabilities)
            .first()
            .copied()
            .unwrap_or((0, 0.0))
    }
}

impl Classifier {
    /// Decodes a model file, with the file format's own error messages.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        let file = ModelFile::decode(bytes).map_err(|e| e.to_string())?;
        let reader = DigitReader::new(file, &Device::flex()).map_err(|e| e.to_string())?;
        Ok(Self { reader })
    }

    /// What the model file says about itself.
    pub fn header(&self) -> &ModelHeader {
        &self.reader.header
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
        let probabilities = self
            .reader
            .probabilities(&digit.pixels)
            .await
            .map_err(|e| format!("inference failed: {e}"))?;
        Ok(Some(Reading {
            probabilities,
            input: digit.pixels,
            millis: now_ms() - start,
        }))
    }
}
