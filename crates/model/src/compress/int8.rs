//! Post-training int8 weight quantisation, symmetric, one scale per output channel: a weight
//! `w` of channel `c` is stored as `q = round(w / s_c)` in `[-127, 127]` with
//! `s_c = max |w| of channel c / 127`, and read back as `q * s_c`. One scale per channel rather
//! than per tensor because channels differ in range by an order of magnitude (batch norm
//! follows and rescales each), and a shared scale would spend most of the 8 bits on the widest.
//! A pruned (zero) weight stays exactly zero.
//!
//! The model file's body for [`WeightEncoding::Int8`](crate::WeightEncoding::Int8) holds every
//! tensor in the network's visiting order, its shape given by the architecture in the header:
//! a weight as its output channels' scales (f16) then its values (int8), any other tensor
//! (biases, batch norm) as f16. f16 keeps 11 significant bits, a relative error of 0.05 %
//! against the int8 step of 0.8 % of a channel's range, and halves the fifth of the file these
//! small tensors would take in f32. No names: the frame's checksum guards the bytes and the
//! length must match the architecture exactly, so the reader stays a few hundred bytes of wasm.
//! The network is rebuilt in f32 when the file is loaded (the model is tiny; the saving is in
//! the download).

use super::{channel_of_each, is_weight, output_axis};
use crate::{ModelConfig, ModelFileError, Network};
use burn::tensor::Device;
use half::f16;

/// The largest magnitude stored: symmetric, so -128 is never used.
const LEVELS: f32 = 127.0;

/// `values` (row-major, `shape`) as int8 with one scale per output channel (see the module).
pub fn quantize_channels(values: &[f32], shape: &[usize]) -> (Vec<i8>, Vec<f32>) {
    let channels = shape[output_axis(shape.len())];
    let mut largest = vec![0.0f32; channels];
    for (v, c) in values.iter().zip(channel_of_each(shape)) {
        largest[c] = largest[c].max(v.abs());
    }
    let scales: Vec<f32> = largest.iter().map(|m| m / LEVELS).collect();
    let quantized = values
        .iter()
        .zip(channel_of_each(shape))
        .map(|(v, c)| match scales[c] {
            0.0 => 0,
            s => (v / s).round().clamp(-LEVELS, LEVELS) as i8,
        })
        .collect();
    (quantized, scales)
}

/// The f32 values that `quantize_channels` stored as `quantized` and `scales`.
pub fn dequantize_channels(quantized: &[i8], scales: &[f32], shape: &[usize]) -> Vec<f32> {
    quantized
        .iter()
        .zip(channel_of_each(shape))
        .map(|(&q, c)| f32::from(q) * scales[c])
        .collect()
}

/// The network's values as the int8 body of a model file.
pub(crate) async fn encode_int8(network: &Network) -> Result<Vec<u8>, ModelFileError> {
    let values = network
        .named_values_async()
        .await
        .map_err(|e| ModelFileError::Encode(format!("reading the weights failed: {e}")))?;
    let mut body = Vec::new();
    for (path, data) in values {
        let shape = data.shape().to_vec();
        let floats: Vec<f32> = data.iter::<f32>().collect();
        if is_weight(&path, shape.len()) {
            let (quantized, scales) = quantize_channels(&floats, &shape);
            push_halves(&mut body, &scales);
            body.extend(quantized.iter().map(|&q| q as u8));
        } else {
            push_halves(&mut body, &floats);
        }
    }
    Ok(body)
}

fn push_halves(body: &mut Vec<u8>, values: &[f32]) {
    for &v in values {
        body.extend_from_slice(&f16::from_f32(v).to_le_bytes());
    }
}

/// Builds `model` on `device` with the values of an int8 body, which must hold exactly the
/// architecture's tensors.
pub(crate) fn decode_int8(
    bytes: &[u8],
    model: &ModelConfig,
    device: &Device,
) -> Result<Network, ModelFileError> {
    let wrong = |detail: String| ModelFileError::WrongArchitecture {
        family: model.family().to_string(),
        detail,
    };
    let mut body = Body { rest: bytes };
    let network = model
        .init(device)?
        .filled(device, |path, shape| body.values(path, shape))
        .map_err(wrong)?;
    match body.rest.len() {
        0 => Ok(network),
        extra => Err(wrong(format!(
            "{extra} bytes are left after the last tensor"
        ))),
    }
}

/// What is left of an int8 body, read tensor by tensor.
struct Body<'a> {
    rest: &'a [u8],
}

impl Body<'_> {
    /// The next `n` bytes, for the tensor at `path`.
    fn take(&mut self, n: usize, path: &str) -> Result<&[u8], String> {
        if self.rest.len() < n {
            return Err(format!("the int8 weights end before {path}"));
        }
        let (taken, rest) = self.rest.split_at(n);
        self.rest = rest;
        Ok(taken)
    }

    fn halves(&mut self, n: usize, path: &str) -> Result<Vec<f32>, String> {
        Ok(self
            .take(2 * n, path)?
            .chunks_exact(2)
            .map(|b| f16::from_le_bytes([b[0], b[1]]).to_f32())
            .collect())
    }

    /// The values of the tensor at `path` with `shape`.
    fn values(&mut self, path: &str, shape: &[usize]) -> Result<Vec<f32>, String> {
        let len: usize = shape.iter().product();
        if !is_weight(path, shape.len()) {
            return self.halves(len, path);
        }
        let scales = self.halves(shape[output_axis(shape.len())], path)?;
        let quantized: Vec<i8> = self.take(len, path)?.iter().map(|&b| b as i8).collect();
        Ok(dequantize_channels(&quantized, &scales, shape))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_output_channel_gets_its_own_scale() {
        // A linear layer [in 2, out 3]: channel c is column c.
        let values = [0.5, -10.0, 0.0, -0.25, 5.0, 0.0];
        let (q, scales) = quantize_channels(&values, &[2, 3]);
        assert_eq!(scales, vec![0.5 / 127.0, 10.0 / 127.0, 0.0]);
        assert_eq!(q, vec![127, -127, 0, -64, 64, 0]);
        let back = dequantize_channels(&q, &scales, &[2, 3]);
        for (b, v) in back.iter().zip(values) {
            assert!((b - v).abs() <= 0.5 * 10.0 / 127.0, "{b} vs {v}");
        }
        // A convolution [out 2, in 1, 1, 2]: channel c is the first index.
        let (q, scales) = quantize_channels(&[1.0, -0.5, 0.02, 0.015], &[2, 1, 1, 2]);
        assert_eq!(scales, vec![1.0 / 127.0, 0.02 / 127.0]);
        assert_eq!(q, vec![127, -64, 127, 95]);
    }

    #[test]
    fn the_error_is_at_most_half_a_step_and_zeros_stay_zero() {
        let shape = [8, 4, 3, 3];
        let values: Vec<f32> = (0..288)
            .map(|i| {
                if i % 5 == 0 {
                    0.0
                } else {
                    ((i * 37 % 101) as f32 - 50.0) / 7.0
                }
            })
            .collect();
        let (q, scales) = quantize_channels(&values, &shape);
        let back = dequantize_channels(&q, &scales, &shape);
        for ((b, v), c) in back.iter().zip(&values).zip(channel_of_each(&shape)) {
            assert!((b - v).abs() <= scales[c] / 2.0 + 1e-6, "{b} vs {v}");
            if *v == 0.0 {
                assert_eq!(*b, 0.0);
            }
        }
    }
}

/// Fine-tuning starts from the int8 file the page reads with: loaded on an autodiff device, its
/// weights must be tracked like freshly initialised ones (a regression: they were not).
#[cfg(all(test, feature = "fast-cpu-training"))]
mod training_tests {
    use crate::{ModelConfig, ModelFile, ModelHeader, WeightEncoding};
    use burn::module::Module;
    use burn::tensor::{Device, Distribution, Tensor};

    #[test]
    fn an_int8_file_loaded_for_training_gets_gradients() {
        let device = Device::flex();
        let config = ModelConfig::preset("dsd-xs").unwrap();
        let network = config.init(&device).unwrap();
        let mut header = ModelHeader::new(config, inkling_data::DatasetKind::Mnist);
        header.weights = WeightEncoding::Int8;
        let file = pollster::block_on(ModelFile::from_network(header, &network)).unwrap();
        let file = ModelFile::decode(&file.encode()).unwrap();
        let training = Device::flex().autodiff();
        let network = file.load(&training).unwrap();
        let images = Tensor::<4>::random([2, 1, 28, 28], Distribution::Normal(0.0, 1.0), &training);
        let grads = network.forward(images).sum().backward();
        let mut tracked = 0;
        network.visit(&mut GradCount(&grads, &mut tracked));
        assert!(tracked > 0, "no weight of the int8 network got a gradient");
    }

    struct GradCount<'a>(&'a burn::tensor::Gradients, &'a mut usize);
    impl burn::module::ModuleVisitor for GradCount<'_> {
        fn visit_float<const D: usize>(&mut self, param: &burn::module::Param<Tensor<D>>) {
            if param.val().grad(self.0).is_some() {
                *self.1 += 1;
            }
        }
    }
}
