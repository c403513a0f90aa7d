//! The model in the page: fetched at start-up, decoded from the shared model-file format, and run
//! on burn's CPU backend for each drawn digit (through [`DigitReader`], as `inkling predict`).

use super::origin::Origin;
use crate::config::page_texts;
use crate::platform::{fetch_bytes, now_ms, yield_now};
use crate::text::fill;
use burn::tensor::Device;
use inkling_data::preprocess::{GrayImage, PreprocessError, PreprocessOptions, preprocess};
use inkling_model::inside::{Filters, Inside, Saliency, occlusions};
use inkling_model::{DigitReader, ModelFile, ModelHeader, ranked};
use inkling_model::{INPUT_SIDE, NUM_CLASSES};
use std::rc::Rc;

/// Occluded copies read at a time for "why this digit".
const WHY_CHUNK: usize = 8;

/// `template` (of the page's draw texts) around burn's `error`.
fn failed(template: fn(&crate::text::DrawTexts) -> &'static str, error: impl ToString) -> String {
    fill(
        template(&page_texts().draw),
        &[("error", &error.to_string())],
    )
}

/// A loaded model ready to classify drawings, with its file (to save or download it as it came)
/// and where it came from.
pub struct Classifier {
    reader: DigitReader,
    bytes: Rc<Vec<u8>>,
    origin: Origin,
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

/// Two classifiers are the same when they read with the same file, from the same place (the
/// page's views compare their properties to decide what to redraw).
impl PartialEq for Classifier {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.bytes, &other.bytes) && self.origin == other.origin
    }
}

impl Classifier {
    /// Decodes a model file, with the file format's own error messages.
    pub fn from_bytes(bytes: Rc<Vec<u8>>, origin: Origin) -> Result<Self, String> {
        let file = ModelFile::decode(&bytes).map_err(|e| e.to_string())?;
        let reader = DigitReader::new(file, &Device::flex()).map_err(|e| e.to_string())?;
        Ok(Self {
            reader,
            bytes,
            origin,
        })
    }

    /// What the model file says about itself.
    pub fn header(&self) -> &ModelHeader {
        &self.reader.header
    }

    /// The model file, as it came.
    pub fn bytes(&self) -> &Rc<Vec<u8>> {
        &self.bytes
    }

    /// Where the model came from.
    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    /// The network's preset name (`dsd-s`), else its family (`DSD net`).
    pub fn network_name(&self) -> &'static str {
        let model = &self.header().model;
        model.preset_name().unwrap_or(model.family())
    }

    /// Downloads and decodes the model file at `url`. Errors of this and the methods below
    /// are in the page's language around the model's and burn's own messages.
    pub async fn fetch(url: &str) -> Result<Self, String> {
        let bytes = fetch_bytes(url, page_texts().draw.the_model).await?;
        let origin = Origin::Pretrained {
            url: url.to_string(),
        };
        Self::from_bytes(Rc::new(bytes), origin).map_err(|e| {
            fill(
                page_texts().draw.model_unusable,
                &[("url", &url), ("error", &e)],
            )
        })
    }

    /// The class the model reads in a digit already preprocessed (784 ink levels in `[0, 1]`).
    pub async fn read_digit(&self, pixels: &[f32]) -> Result<usize, String> {
        let probabilities = self
            .reader
            .probabilities(pixels)
            .await
            .map_err(|e| failed(|t| t.inference_failed, e))?;
        Ok(ranked(&probabilities)
            .first()
            .map_or(0, |&(class, _)| class))
    }

    /// The class probabilities of many digits already preprocessed, ten per digit (`pixels`
    /// 784 ink levels per digit): a test set read in chunks.
    pub async fn probabilities_of_many(&self, pixels: &[f32]) -> Result<Vec<f32>, String> {
        self.reader
            .probabilities_of_many(pixels)
            .await
            .map_err(|e| failed(|t| t.inference_failed, e))
    }

    /// Reads a digit that is already the model's input (a test image shown on the pad), so it
    /// is read exactly as the evaluation read it.
    pub async fn read_input(&self, pixels: &[f32]) -> Result<Reading, String> {
        let start = now_ms();
        let probabilities = self
            .reader
            .probabilities(pixels)
            .await
            .map_err(|e| failed(|t| t.inference_failed, e))?;
        Ok(Reading {
            probabilities,
            input: pixels.to_vec(),
            millis: now_ms() - start,
        })
    }

    /// The network's learned filters (`None` unless it is a DSD net).
    pub async fn filters(&self) -> Result<Option<Filters>, String> {
        self.reader
            .filters()
            .await
            .map_err(|e| failed(|t| t.filters_failed, e))
    }

    /// Why a digit already preprocessed reads as it does (occlusion saliency). The occluded
    /// copies are read a few at a time with the thread handed back between, which in the
    /// browser is both faster than one big batch and keeps the page live.
    pub async fn why(&self, pixels: &[f32]) -> Result<Saliency, String> {
        let copies = occlusions(pixels);
        let whole = self.probabilities_of_many(pixels).await?;
        let mut occluded = Vec::with_capacity(copies.patches.len() * NUM_CLASSES);
        for chunk in copies.inputs.chunks(WHY_CHUNK * INPUT_SIDE * INPUT_SIDE) {
            occluded.extend(self.probabilities_of_many(chunk).await?);
            yield_now().await;
        }
        Ok(Saliency::from_readings(&whole, &copies, &occluded))
    }

    /// Every spatial layer's maps and the logits for a digit already preprocessed (784 ink
    /// levels in `[0, 1]`): what the inside view shows.
    pub async fn look_inside(&self, pixels: &[f32]) -> Result<Inside, String> {
        self.reader
            .look_inside(pixels)
            .await
            .map_err(|e| failed(|t| t.inside_failed, e))
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
            .map_err(|e| failed(|t| t.inference_failed, e))?;
        Ok(Some(Reading {
            probabilities,
            input: digit.pixels,
            millis: now_ms() - start,
        }))
    }
}
