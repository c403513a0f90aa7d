//! The model file shared by the CLI and the web app: a small checked header (format version,
//! model config, dataset) followed by the weights, in the [frame](crate::frame) of Inkling's
//! binary files: magic `INKLING\0`, version, lengths, CRC-32, the header as JSON
//! ([`ModelHeader`]) as its index and the weights as its body. The header's
//! [`WeightEncoding`] says how the body holds them: burn `ModuleRecord` bytes ("burnpack", f32)
//! or int8 per output channel (see [`crate::compress`]).
//!
//! Version 2 added the weight encoding; a version-1 file (no encoding in its header) is f32 and
//! still loads.
//!
//! Every way a file can be wrong — another kind of file, a newer format, a cut-off download,
//! flipped bits, weights that belong to another architecture — is a distinct [`ModelFileError`].

use crate::compress::{decode_int8, encode_int8};
use crate::frame::{FrameError, FrameKind};
use crate::{ConfigError, ModelConfig, Network};
use burn::module::Module;
use burn::module::ParamId;
use burn::tensor::{Bytes, DType, Device};
use inkling_data::DatasetKind;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Version of the layout above; bumped on any incompatible change.
pub const FORMAT_VERSION: u32 = 2;
/// Headers larger than a megabyte are refused: a real one is a few hundred bytes.
const FRAME: FrameKind = FrameKind {
    magic: b"INKLING\0",
    version: FORMAT_VERSION,
    oldest: 1,
    max_index: 1 << 20,
};

/// How a model file's body holds the weights.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WeightEncoding {
    /// 32-bit floats, as burn records them.
    #[default]
    F32,
    /// Convolution and linear weights in 8 bits with one scale per output channel, the rest in
    /// f32: a quarter of the size, rebuilt in f32 when loaded ([`crate::compress`]).
    Int8,
}

impl WeightEncoding {
    /// How the encoding is named to people ("f32", "int8").
    pub fn label(self) -> &'static str {
        match self {
            WeightEncoding::F32 => "f32",
            WeightEncoding::Int8 => "int8",
        }
    }
}

/// What a model file says about its weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelHeader {
    /// The architecture the weights belong to.
    pub model: ModelConfig,
    /// The dataset the model was trained on; decides input normalisation and class names.
    pub dataset: DatasetKind,
    /// Optimiser steps the weights have seen.
    #[serde(default)]
    pub steps: u64,
    /// Test-set accuracy measured when the file was written, if any.
    #[serde(default)]
    pub test_accuracy: Option<f64>,
    /// Program and version that wrote the file.
    #[serde(default)]
    pub producer: String,
    /// How the body holds the weights (absent before version 2: f32).
    #[serde(default)]
    pub weights: WeightEncoding,
}

impl ModelHeader {
    /// A header for freshly trained weights of `model` on `dataset`.
    pub fn new(model: ModelConfig, dataset: DatasetKind) -> Self {
        Self {
            model,
            dataset,
            steps: 0,
            test_accuracy: None,
            producer: format!("inkling {}", env!("CARGO_PKG_VERSION")),
            weights: WeightEncoding::F32,
        }
    }
}

/// Why a model file could not be read or used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ModelFileError {
    /// The bytes do not start with the Inkling magic.
    #[error("not an Inkling model file (wrong magic bytes)")]
    NotAModelFile,
    /// Written by a newer (or unknown) version of the format.
    #[error(
        "model file format version {found} is not supported (this build reads versions 1 to {FORMAT_VERSION})"
    )]
    UnsupportedVersion { found: u32 },
    /// Fewer bytes than the header promises: an interrupted download or copy.
    #[error("model file is truncated: expected {expected} bytes, found {found}")]
    Truncated { expected: u64, found: u64 },
    /// More bytes than the header promises.
    #[error("model file has {0} unexpected trailing bytes")]
    TrailingBytes(u64),
    /// The checksum does not match: the file was damaged.
    #[error("model file is corrupt (checksum mismatch)")]
    Corrupt,
    /// The JSON header cannot be parsed.
    #[error("model file header is unreadable: {0}")]
    BadHeader(String),
    /// The header describes a model that cannot be built.
    #[error(transparent)]
    InvalidConfig(#[from] ConfigError),
    /// The weights do not fit the architecture in the header.
    #[error("the weights do not fit the {family} architecture in the file header: {detail}")]
    WrongArchitecture { family: String, detail: String },
    /// The caller needs a different architecture than the file holds.
    #[error("the model file holds {found}; expected {expected}")]
    UnexpectedModel { expected: String, found: String },
    /// The weights could not be serialised.
    #[error("could not encode the weights: {0}")]
    Encode(String),
}

/// A decoded model file: header plus weight bytes, not yet turned into a network.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelFile {
    /// Architecture and provenance.
    pub header: ModelHeader,
    weights: Vec<u8>,
}

impl ModelFile {
    /// Captures `network`'s weights (including BatchNorm statistics) from any device, encoded
    /// as `header.weights` says. The tensors are read asynchronously (see
    /// [`Network::copy_to_async`]) and serialised from a CPU copy, so this works on the
    /// browser's WebGPU device too.
    pub async fn from_network(
        header: ModelHeader,
        network: &Network,
    ) -> Result<Self, ModelFileError> {
        if header.weights == WeightEncoding::Int8 {
            let weights = encode_int8(&network.valid()).await?;
            return Ok(Self { header, weights });
        }
        let cpu = network
            .copy_to_async(&Device::flex())
            .await
            .map_err(|e| ModelFileError::Encode(format!("reading the weights failed: {e}")))?;
        let weights = cpu
            .into_record()
            .into_bytes()
            .map_err(|e| ModelFileError::Encode(e.to_string()))?
            .to_vec();
        Ok(Self { header, weights })
    }

    /// Wraps weight bytes that were already serialised as `header.weights` says.
    pub fn from_weight_bytes(header: ModelHeader, weights: Vec<u8>) -> Self {
        Self { header, weights }
    }

    /// Serialises the file.
    pub fn encode(&self) -> Vec<u8> {
        let header = serde_json::to_vec(&self.header).expect("a header always serialises");
        FRAME.seal(&header, &self.weights)
    }

    /// Parses and checks a file: magic, version, lengths, checksum and header.
    pub fn decode(bytes: &[u8]) -> Result<Self, ModelFileError> {
        let (header_bytes, weights) = FRAME.open(bytes).map_err(|e| match e {
            FrameError::WrongMagic => ModelFileError::NotAModelFile,
            FrameError::UnsupportedVersion { found } => {
                ModelFileError::UnsupportedVersion { found }
            }
            FrameError::Truncated { expected, found } => {
                ModelFileError::Truncated { expected, found }
            }
            FrameError::TrailingBytes(n) => ModelFileError::TrailingBytes(n),
            FrameError::Corrupt => ModelFileError::Corrupt,
            FrameError::IndexTooLong(n) => {
                ModelFileError::BadHeader(format!("header claims {n} bytes"))
            }
        })?;
        let header: ModelHeader = serde_json::from_slice(header_bytes)
            .map_err(|e| ModelFileError::BadHeader(e.to_string()))?;
        Ok(Self {
            header,
            weights: weights.to_vec(),
        })
    }

    /// The serialised weights.
    pub fn weight_bytes(&self) -> &[u8] {
        &self.weights
    }

    /// Builds the network described by the header on `device` and loads the weights into it.
    pub fn load(&self, device: &Device) -> Result<Network, ModelFileError> {
        self.load_as(&self.header.model, device)
    }

    /// Builds `model` (the header's, or one with the same weights) and loads the weights.
    fn load_as(&self, model: &ModelConfig, device: &Device) -> Result<Network, ModelFileError> {
        if self.header.weights == WeightEncoding::Int8 {
            return decode_int8(&self.weights, model, device);
        }
        let fresh = model.init(device)?;
        let wrong_arch = |detail: String| ModelFileError::WrongArchitecture {
            family: self.header.model.family().to_string(),
            detail,
        };
        // The burnpack container read directly, its tensors put in place by module path: burn's
        // own record loading works for any dtype and kind of parameter, and that generality
        // cost the draw page 7.5 KB gzip of code it never ran (README, "The web build").
        let pack = burn_pack::Reader::from_bytes(Bytes::from_bytes_vec(self.weights.clone()))
            .and_then(burn_pack::Reader::into_tensors)
            .map_err(|e| wrong_arch(e.to_string()))?;
        let mut tensors: HashMap<String, burn_pack::Tensor> = pack
            .into_iter()
            .map(|tensor| (tensor.name.clone(), tensor))
            .collect();
        let network = fresh
            .filled_with_ids(device, |path, shape| {
                let tensor = tensors
                    .remove(path)
                    .ok_or_else(|| format!("{path}: not in the file"))?;
                if tensor.dtype != DType::F32 {
                    return Err(format!("{path}: stored as {:?}, not f32", tensor.dtype));
                }
                if tensor.shape.as_slice() != shape {
                    return Err(format!(
                        "{path}: shape mismatch, expected {shape:?} but the file has {:?}",
                        tensor.shape.as_slice()
                    ));
                }
                let bytes = tensor.to_bytes().map_err(|e| format!("{path}: {e}"))?;
                let values = bytes
                    .chunks_exact(4)
                    .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                    .collect();
                Ok((values, tensor.param_id.map(ParamId::from)))
            })
            .map_err(wrong_arch)?;
        match tensors.keys().min() {
            None => Ok(network),
            Some(unused) => Err(wrong_arch(format!(
                "{unused}: in the file but not in the network"
            ))),
        }
    }

    /// Like [`ModelFile::load`], but first insists that the file holds the weights of
    /// `expected` (e.g. fine-tuning a configured architecture from a pretrained file), and
    /// builds `expected` (its dropout may differ from the file's).
    pub fn load_expecting(
        &self,
        expected: &ModelConfig,
        device: &Device,
    ) -> Result<Network, ModelFileError> {
        if !self.header.model.same_weights_as(expected) {
            return Err(ModelFileError::UnexpectedModel {
                expected: expected.describe(),
                found: self.header.model.describe(),
            });
        }
        self.load_as(expected, device)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::{Distribution, Tensor};

    fn sample_file(preset: &str) -> (ModelFile, Network) {
        let device = Device::flex();
        let cfg = ModelConfig::preset(preset).unwrap();
        let net = cfg.init(&device).unwrap();
        let header = ModelHeader::new(cfg, DatasetKind::Mnist);
        let file = pollster::block_on(ModelFile::from_network(header, &net)).unwrap();
        (file, net)
    }

    #[test]
    fn round_trip_gives_identical_outputs() {
        let device = Device::flex();
        let (file, net) = sample_file("dsd-s");
        let bytes = file.encode();
        let decoded = ModelFile::decode(&bytes).unwrap();
        assert_eq!(decoded.header, file.header);
        let loaded = decoded.load(&device).unwrap();
        let x = Tensor::<4>::random([4, 1, 28, 28], Distribution::Normal(0.0, 1.0), &device);
        let a: Vec<f32> = net
            .forward(x.clone())
            .into_data()
            .try_to_vec::<f32>()
            .unwrap();
        let b: Vec<f32> = loaded.forward(x).into_data().try_to_vec::<f32>().unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn an_int8_file_is_a_third_of_the_size_and_computes_nearly_the_same() {
        let device = Device::flex();
        let (f32_file, net) = sample_file("dsd-s");
        let mut header = f32_file.header.clone();
        header.weights = WeightEncoding::Int8;
        let int8 = pollster::block_on(ModelFile::from_network(header, &net)).unwrap();
        let bytes = int8.encode();
        assert!(
            bytes.len() * 3 < f32_file.encode().len(),
            "{} bytes against {}",
            bytes.len(),
            f32_file.encode().len()
        );
        let loaded = ModelFile::decode(&bytes).unwrap().load(&device).unwrap();
        let x = Tensor::<4>::random([8, 1, 28, 28], Distribution::Normal(0.0, 1.0), &device);
        let a: Vec<f32> = net.forward(x.clone()).into_data().try_to_vec().unwrap();
        let b: Vec<f32> = loaded.forward(x).into_data().try_to_vec().unwrap();
        let range = a.iter().fold(0.0f32, |m, v| m.max(v.abs()));
        for (a, b) in a.iter().zip(&b) {
            assert!(
                (a - b).abs() < 0.05 * range,
                "{a} vs {b} (logits up to {range})"
            );
        }
        // The weights of another network in int8 are refused like f32 ones.
        let (xs, xs_net) = sample_file("dsd-xs");
        let mut xs_header = xs.header.clone();
        xs_header.weights = WeightEncoding::Int8;
        let xs_int8 = pollster::block_on(ModelFile::from_network(xs_header, &xs_net)).unwrap();
        let forged =
            ModelFile::from_weight_bytes(int8.header.clone(), xs_int8.weight_bytes().to_vec());
        let err = forged.load(&device).unwrap_err();
        assert!(
            matches!(err, ModelFileError::WrongArchitecture { .. }),
            "{err}"
        );
    }

    #[test]
    fn a_version_1_file_still_loads_as_f32() {
        let (file, net) = sample_file("dsd-xs");
        // What version 1 wrote: no weight encoding in the header, version 1 in the frame.
        let mut header = serde_json::to_value(&file.header).unwrap();
        header.as_object_mut().unwrap().remove("weights");
        let mut bytes = FRAME.seal(&serde_json::to_vec(&header).unwrap(), file.weight_bytes());
        bytes[8..12].copy_from_slice(&1u32.to_le_bytes());
        let decoded = ModelFile::decode(&bytes).unwrap();
        assert_eq!(decoded.header.weights, WeightEncoding::F32);
        let x = Tensor::<4>::ones([1, 1, 28, 28], &Device::flex());
        let a: Vec<f32> = net.forward(x.clone()).into_data().try_to_vec().unwrap();
        let loaded = decoded.load(&Device::flex()).unwrap();
        assert_eq!(
            a,
            loaded.forward(x).into_data().try_to_vec::<f32>().unwrap()
        );
    }

    #[test]
    fn weights_of_another_architecture_are_a_clear_error() {
        let (dsd, _) = sample_file("dsd-s");
        let (cnn, _) = sample_file("cnn");
        // A header that claims dsd-s over CNN weights.
        let forged = ModelFile::from_weight_bytes(dsd.header.clone(), cnn.weight_bytes().to_vec());
        let decoded = ModelFile::decode(&forged.encode()).unwrap();
        let err = decoded.load(&Device::flex()).unwrap_err();
        assert!(
            matches!(err, ModelFileError::WrongArchitecture { .. }),
            "{err}"
        );
        // Same family, other widths.
        let (xs, _) = sample_file("dsd-xs");
        let forged = ModelFile::from_weight_bytes(dsd.header.clone(), xs.weight_bytes().to_vec());
        let err = forged.load(&Device::flex()).unwrap_err();
        assert!(
            matches!(err, ModelFileError::WrongArchitecture { .. }),
            "{err}"
        );
        // A caller that insists on dsd-s gets told what the file holds.
        let err = cnn
            .load_expecting(&ModelConfig::preset("dsd-s").unwrap(), &Device::flex())
            .unwrap_err();
        assert!(err.to_string().contains("CNN"), "{err}");
    }

    #[test]
    fn corrupt_truncated_and_foreign_files_are_rejected() {
        let (file, _) = sample_file("dsd-xs");
        let bytes = file.encode();
        for cut in [0, 5, 20, 100, bytes.len() / 2, bytes.len() - 1] {
            let err = ModelFile::decode(&bytes[..cut]).unwrap_err();
            assert!(
                matches!(
                    err,
                    ModelFileError::Truncated { .. } | ModelFileError::NotAModelFile
                ),
                "cut at {cut}: {err}"
            );
        }
        let mut flipped = bytes.clone();
        let last = flipped.len() - 3;
        flipped[last] ^= 0x40;
        assert_eq!(ModelFile::decode(&flipped), Err(ModelFileError::Corrupt));
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(
            ModelFile::decode(&longer),
            Err(ModelFileError::TrailingBytes(1))
        );
        assert_eq!(
            ModelFile::decode(b"\x89PNG\r\n\x1a\nrest of a png"),
            Err(ModelFileError::NotAModelFile)
        );
        let mut newer = bytes;
        newer[8] = 9;
        assert_eq!(
            ModelFile::decode(&newer),
            Err(ModelFileError::UnsupportedVersion { found: 9 })
        );
    }

    #[test]
    fn garbage_weights_with_a_valid_checksum_are_an_error() {
        let (file, _) = sample_file("dsd-xs");
        let garbage = ModelFile::from_weight_bytes(file.header, vec![7u8; 300]);
        let decoded = ModelFile::decode(&garbage.encode()).unwrap();
        assert!(matches!(
            decoded.load(&Device::flex()),
            Err(ModelFileError::WrongArchitecture { .. })
        ));
    }
}
