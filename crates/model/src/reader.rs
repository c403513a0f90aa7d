//! Reading one digit with a model file: what the page does for every drawing and `inkling
//! predict` for every image, in one place, so both standardise the input as the model's dataset
//! was and read the result the same (asynchronous) way.

use crate::file::{ModelFile, ModelFileError, ModelHeader};
use crate::inside::{Filters, Inside, Saliency, occlusions, read_filters, read_inside};
use crate::network::{Network, images_tensor};
use crate::{INPUT_SIDE, NUM_CLASSES};
use burn::tensor::{Device, ExecutionError};

/// A loaded model that reads one preprocessed digit at a time.
pub struct DigitReader {
    network: Network,
    device: Device,
    /// What the model file says about itself (its dataset decides the standardisation).
    pub header: ModelHeader,
}

impl DigitReader {
    /// Loads `file`'s network onto `device`.
    pub fn new(file: ModelFile, device: &Device) -> Result<Self, ModelFileError> {
        let network = file.load(device)?;
        Ok(Self {
            network,
            device: device.clone(),
            header: file.header,
        })
    }

    /// The class probabilities for a 28x28 digit, `pixels` row by row with ink = 1 (the
    /// output of `inkling_data::preprocess`). Read asynchronously, so it works in the browser;
    /// native callers block on it.
    ///
    /// # Panics
    /// When `pixels` is not 784 values long (a caller's bug, not bad input).
    pub async fn probabilities(&self, pixels: &[f32]) -> Result<Vec<f32>, ExecutionError> {
        let input = self.standardised(one_digit(pixels));
        let data = self
            .network
            .probabilities(images_tensor(input, &self.device))
            .into_data_async()
            .await?;
        Ok(data.iter::<f32>().take(NUM_CLASSES).collect())
    }

    /// The class probabilities of many digits at once (as for
    /// [`probabilities`](Self::probabilities), `pixels` one 784-value digit after another), ten
    /// per digit: a whole test set read in chunks.
    ///
    /// # Panics
    /// When `pixels` is not a whole number of digits.
    pub async fn probabilities_of_many(&self, pixels: &[f32]) -> Result<Vec<f32>, ExecutionError> {
        let input = self.standardised(pixels);
        let data = self
            .network
            .probabilities(images_tensor(input, &self.device))
            .into_data_async()
            .await?;
        Ok(data.iter::<f32>().collect())
    }

    /// The network's learned filters (`None` unless it is a DSD net).
    pub async fn filters(&self) -> Result<Option<Filters>, ExecutionError> {
        read_filters(&self.network).await
    }

    /// Why the digit reads as it does: its occlusion sensitivity ([`Saliency`]), the digit and
    /// each of its occluded copies read in one batch.
    ///
    /// # Panics
    /// When `pixels` is not 784 values long.
    pub async fn why(&self, pixels: &[f32]) -> Result<Saliency, ExecutionError> {
        let copies = occlusions(one_digit(pixels));
        let mut batch = pixels.to_vec();
        batch.extend_from_slice(&copies.inputs);
        let all = self.probabilities_of_many(&batch).await?;
        let (whole, occluded) = all.split_at(NUM_CLASSES);
        Ok(Saliency::from_readings(whole, &copies, occluded))
    }

    /// Every spatial layer's maps and the logits for a 28x28 digit (as for
    /// [`probabilities`](Self::probabilities)), read in one transaction.
    ///
    /// # Panics
    /// When `pixels` is not 784 values long.
    pub async fn look_inside(&self, pixels: &[f32]) -> Result<Inside, ExecutionError> {
        let images = images_tensor(self.standardised(one_digit(pixels)), &self.device);
        let (maps, logits) = self.network.forward_with_maps(images);
        read_inside(maps, logits).await
    }

    /// The network's input for digits: their pixels standardised as the model's dataset was.
    fn standardised(&self, pixels: &[f32]) -> Vec<f32> {
        assert!(
            !pixels.is_empty() && pixels.len().is_multiple_of(INPUT_SIDE * INPUT_SIDE),
            "a digit is 28x28 pixels"
        );
        let norm = self.header.dataset.normalization();
        pixels.iter().map(|&v| norm.apply(v)).collect()
    }
}

/// `pixels`, checked to be one 28x28 digit.
fn one_digit(pixels: &[f32]) -> &[f32] {
    assert_eq!(
        pixels.len(),
        INPUT_SIDE * INPUT_SIDE,
        "a digit is 28x28 pixels"
    );
    pixels
}

/// The most likely class and its probability; the first of equal maxima wins, as burn's
/// `argmax` (`(0, -inf)` for no classes).
pub fn best(probabilities: &[f32]) -> (usize, f32) {
    probabilities
        .iter()
        .copied()
        .enumerate()
        .fold(
            (0, f32::NEG_INFINITY),
            |top, (c, p)| if p > top.1 { (c, p) } else { top },
        )
}

/// Classes by falling probability, as `(class, probability)`.
pub fn ranked(probabilities: &[f32]) -> Vec<(usize, f32)> {
    let mut ranked: Vec<(usize, f32)> = probabilities.iter().copied().enumerate().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ModelConfig;
    use inkling_data::DatasetKind;

    #[test]
    fn a_reading_is_ten_probabilities_that_sum_to_one_ranked_best_first() {
        let device = Device::flex();
        let config = ModelConfig::preset("mlp").unwrap();
        let network = config.init(&device).unwrap();
        let header = ModelHeader::new(config, DatasetKind::Mnist);
        let file = pollster::block_on(ModelFile::from_network(header, &network)).unwrap();
        let reader = DigitReader::new(file, &device).unwrap();
        let mut pixels = vec![0.0f32; 784];
        for row in 4..24 {
            pixels[row * 28 + 14] = 1.0; // a "1"
        }
        let probabilities = pollster::block_on(reader.probabilities(&pixels)).unwrap();
        assert_eq!(probabilities.len(), 10);
        let sum: f32 = probabilities.iter().sum();
        assert!((sum - 1.0).abs() < 1e-4, "sum {sum}");
        let order = ranked(&probabilities);
        assert!(order.windows(2).all(|w| w[0].1 >= w[1].1));
        assert_eq!(order.len(), 10);
    }

    #[test]
    fn many_digits_read_at_once_read_as_each_alone() {
        let device = Device::flex();
        let config = ModelConfig::preset("dsd-xs").unwrap();
        let network = config.init(&device).unwrap();
        let header = ModelHeader::new(config, DatasetKind::Mnist);
        let file = pollster::block_on(ModelFile::from_network(header, &network)).unwrap();
        let reader = DigitReader::new(file, &device).unwrap();
        let digits: Vec<Vec<f32>> = (0..3)
            .map(|d| {
                (0..784)
                    .map(|i| ((i * (d + 3)) % 17) as f32 / 16.0)
                    .collect()
            })
            .collect();
        let all = pollster::block_on(reader.probabilities_of_many(&digits.concat())).unwrap();
        assert_eq!(all.len(), 30);
        for (d, digit) in digits.iter().enumerate() {
            let alone = pollster::block_on(reader.probabilities(digit)).unwrap();
            for (a, b) in alone.iter().zip(&all[d * 10..d * 10 + 10]) {
                assert!(
                    (a - b).abs() < 1e-5,
                    "digit {d}: {a} alone, {b} with others"
                );
            }
        }
    }
}
