//! SafeTensors export and import with PyTorch's names and layouts, so a network trained in
//! Inkling loads into a PyTorch module (`load_state_dict`), NumPy or any reader of the format,
//! and comes back bit for bit.
//!
//! The mapping, tensor by tensor (Inkling's module path on the left):
//!
//! | Inkling (burn)                       | SafeTensors (PyTorch)                   | layout                         |
//! |--------------------------------------|-----------------------------------------|--------------------------------|
//! | `<conv>.weight`                      | `<conv>.weight`                         | `[out, in / groups, kh, kw]` in both |
//! | `<linear>.weight` `[in, out]`        | `<linear>.weight` `[out, in]`           | transposed                     |
//! | `<layer>.bias`                       | `<layer>.bias`                          | as is                          |
//! | `<norm>.gamma`, `<norm>.beta`        | `<norm>.weight`, `<norm>.bias`          | as is                          |
//! | `<norm>.running_mean`, `running_var` | the same names                          | as is                          |
//! | (none)                               | `<norm>.num_batches_tracked` (int64)    | the model's step count; ignored on import |
//!
//! The metadata holds what a reader needs besides the tensors: `format` (`pt`),
//! `inkling.header` (the model file's header as JSON: architecture, dataset, steps, test
//! accuracy), `inkling.input_mean` and `inkling.input_std` (pixels in [0, 1] are standardised
//! as `(x - mean) / std`) and `inkling.batch_norm_epsilon`. Padding follows from the architecture:
//! every 3x3 convolution is padded by its dilation. `scripts/numpy_forward.py` is a reader in
//! NumPy alone.

use crate::{ModelFile, ModelFileError, ModelHeader, Network};
use burn::tensor::Device;
use safetensors::tensor::TensorView;
use safetensors::{Dtype, SafeTensors};
use std::collections::BTreeSet;

/// The files a model can be saved as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WeightFormat {
    /// Inkling's own model file (`crates/model/src/file.rs`).
    Inkling,
    /// SafeTensors with PyTorch's names and layouts (this module).
    SafeTensors,
}

inkling_data::named_choices!(WeightFormat, "model format", [
    WeightFormat::Inkling => ("inkling", "Inkling model file"),
    WeightFormat::SafeTensors => ("safetensors", "SafeTensors with PyTorch's names"),
]);

impl WeightFormat {
    /// The file name extension (the format's name).
    pub fn extension(self) -> &'static str {
        inkling_data::Choice::name(self)
    }

    /// `file` in this format. The SafeTensors copy builds the network on the CPU to read its
    /// weights.
    pub async fn write(self, file: &ModelFile) -> Result<Vec<u8>, InteropError> {
        match self {
            WeightFormat::Inkling => Ok(file.encode()),
            WeightFormat::SafeTensors => {
                let network = file.load(&Device::flex())?;
                to_safetensors(&file.header, &network).await
            }
        }
    }
}

/// What burn's batch norm adds to the variance (`BatchNormConfig`'s default, which Inkling uses).
pub const BATCH_NORM_EPSILON: f64 = 1e-5;

const HEADER_KEY: &str = "inkling.header";

/// Why a SafeTensors file could not be written or read as an Inkling network.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InteropError {
    /// The bytes are not a SafeTensors file (the format's own reader says why).
    #[error("not a SafeTensors file: {0}")]
    Format(String),
    /// The file's metadata has no Inkling header (the architecture is unknown).
    #[error(
        "the SafeTensors file has no \"{HEADER_KEY}\" metadata, so its architecture is unknown \
         (export it with `inkling export`)"
    )]
    NoHeader,
    /// The Inkling header in the metadata is not valid.
    #[error("the file's \"{HEADER_KEY}\" metadata is not a valid model header: {0}")]
    BadHeader(String),
    /// The header's architecture cannot be built.
    #[error(transparent)]
    Model(#[from] ModelFileError),
    /// The file holds fewer values than the architecture's parameters.
    #[error("the file holds {held} values, but its architecture has {needed} parameters")]
    TooFewValues { held: usize, needed: usize },
    /// A tensor the architecture needs is absent.
    #[error("tensor {0} is missing")]
    Missing(String),
    /// A tensor has the wrong element type or shape.
    #[error("tensor {name} is {found}, but the architecture needs {expected}")]
    WrongTensor {
        name: String,
        expected: String,
        found: String,
    },
    /// The file holds tensors the architecture does not have.
    #[error("tensors the architecture does not have: {0}")]
    Unexpected(String),
    /// Reading the weights from the device failed.
    #[error("reading the weights failed: {0}")]
    Device(String),
}

/// The SafeTensors name and layout of the burn parameter at `path` with `shape`: the name, the
/// shape in the file, and whether the values are transposed (linear weights). burn's paths start
/// with the network's kind (`Dsd.head.weight`), which the file's names leave out (the header
/// says it).
fn torch_tensor(path: &str, shape: &[usize]) -> (String, Vec<usize>, bool) {
    let path = path.split_once('.').map_or(path, |(_, inside)| inside);
    let renamed = match path.rsplit_once('.') {
        Some((layer, "gamma")) => format!("{layer}.weight"),
        Some((layer, "beta")) => format!("{layer}.bias"),
        _ => path.to_string(),
    };
    match shape {
        [input, output] if path.ends_with(".weight") => (renamed, vec![*output, *input], true),
        _ => (renamed, shape.to_vec(), false),
    }
}

/// `values` (row-major `[rows, cols]`) transposed.
fn transpose(values: &[f32], rows: usize, cols: usize) -> Vec<f32> {
    let mut out = vec![0.0; values.len()];
    for r in 0..rows {
        for c in 0..cols {
            out[c * rows + r] = values[r * cols + c];
        }
    }
    out
}

/// The network's weights and statistics as a SafeTensors file with PyTorch's names and layouts
/// and `header` in the metadata. Reads the weights asynchronously (works on every device).
pub async fn to_safetensors(
    header: &ModelHeader,
    network: &Network,
) -> Result<Vec<u8>, InteropError> {
    let values = network
        .named_values_async()
        .await
        .map_err(|e| InteropError::Device(e.to_string()))?;
    let mut tensors: Vec<(String, Dtype, Vec<usize>, Vec<u8>)> = Vec::new();
    for (path, data) in values {
        let shape = data.shape().to_vec();
        let floats = data
            .try_to_vec::<f32>()
            .map_err(|e| InteropError::Device(format!("{path}: {e:?}")))?;
        let (name, torch_shape, transposed) = torch_tensor(&path, &shape);
        let floats = if transposed {
            transpose(&floats, shape[0], shape[1])
        } else {
            floats
        };
        if let Some(layer) = name.strip_suffix(".running_var") {
            let steps = i64::try_from(header.steps).unwrap_or(i64::MAX);
            let tracked = format!("{layer}.num_batches_tracked");
            tensors.push((
                tracked,
                Dtype::I64,
                Vec::new(),
                steps.to_le_bytes().to_vec(),
            ));
        }
        let bytes = floats.iter().flat_map(|v| v.to_le_bytes()).collect();
        tensors.push((name, Dtype::F32, torch_shape, bytes));
    }
    let views = tensors
        .iter()
        .map(|(name, dtype, shape, bytes)| {
            TensorView::new(*dtype, shape.clone(), bytes).map(|view| (name.as_str(), view))
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| InteropError::Format(e.to_string()))?;
    let norm = header.dataset.normalization();
    let metadata = [
        ("format", "pt".to_string()),
        (
            HEADER_KEY,
            serde_json::to_string(header).map_err(|e| InteropError::BadHeader(e.to_string()))?,
        ),
        ("inkling.input_mean", norm.mean.to_string()),
        ("inkling.input_std", norm.std.to_string()),
        ("inkling.batch_norm_epsilon", BATCH_NORM_EPSILON.to_string()),
    ];
    let metadata = metadata
        .into_iter()
        .map(|(key, value)| (key.to_string(), value))
        .collect();
    safetensors::serialize(views, Some(metadata)).map_err(|e| InteropError::Format(e.to_string()))
}

/// Reads a SafeTensors file written by [`to_safetensors`] (or by anyone who follows its
/// mapping): the header from the metadata, and the network built on `device` with the file's
/// values. Every tensor must be present with its exact type and shape, and no other tensor may
/// be there (as PyTorch's strict `load_state_dict`).
pub fn from_safetensors(
    bytes: &[u8],
    device: &Device,
) -> Result<(ModelHeader, Network), InteropError> {
    let file = SafeTensors::deserialize(bytes).map_err(|e| InteropError::Format(e.to_string()))?;
    let (_, metadata) =
        SafeTensors::read_metadata(bytes).map_err(|e| InteropError::Format(e.to_string()))?;
    let header_json = metadata
        .metadata()
        .as_ref()
        .and_then(|m| m.get(HEADER_KEY))
        .ok_or(InteropError::NoHeader)?;
    let header: ModelHeader =
        serde_json::from_str(header_json).map_err(|e| InteropError::BadHeader(e.to_string()))?;
    // The file's values must cover the architecture before anything is allocated for it: a
    // header may describe a network of gigabytes.
    header
        .model
        .validate()
        .map_err(|e| InteropError::Model(e.into()))?;
    let held: usize = file
        .tensors()
        .iter()
        .filter(|(_, view)| view.dtype() == Dtype::F32)
        .map(|(_, view)| view.shape().iter().product::<usize>())
        .sum();
    let needed = header.model.param_count();
    if held < needed {
        return Err(InteropError::TooFewValues { held, needed });
    }
    let network = header
        .model
        .init(device)
        .map_err(|e| InteropError::Model(e.into()))?;
    let mut used = BTreeSet::new();
    let network = network.filled(device, |path, shape| {
        tensor_values(&file, &mut used, path, shape)
    })?;
    let unexpected: Vec<String> = file
        .names()
        .into_iter()
        .filter(|name| !used.contains(*name) && !name.ends_with(".num_batches_tracked"))
        .map(str::to_string)
        .collect();
    if !unexpected.is_empty() {
        return Err(InteropError::Unexpected(unexpected.join(", ")));
    }
    Ok((header, network))
}

/// The values of the file's tensor for the burn parameter at `path` with `shape` (its mapped
/// name, type, shape and layout checked), noted in `used`.
fn tensor_values(
    file: &SafeTensors<'_>,
    used: &mut BTreeSet<String>,
    path: &str,
    shape: &[usize],
) -> Result<Vec<f32>, InteropError> {
    let (name, torch_shape, transposed) = torch_tensor(path, shape);
    let view = file
        .tensor(&name)
        .map_err(|_| InteropError::Missing(name.clone()))?;
    if view.dtype() != Dtype::F32 || view.shape() != torch_shape.as_slice() {
        return Err(InteropError::WrongTensor {
            expected: format!("F32 {torch_shape:?}"),
            found: format!("{:?} {:?}", view.dtype(), view.shape()),
            name,
        });
    }
    let floats: Vec<f32> = view
        .data()
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    used.insert(name);
    Ok(if transposed {
        transpose(&floats, torch_shape[0], torch_shape[1])
    } else {
        floats
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ModelConfig;
    use inkling_data::DatasetKind;

    fn exported(preset: &str) -> (ModelHeader, Network, Vec<u8>) {
        let device = Device::flex();
        device.seed(7);
        let header = ModelHeader::new(ModelConfig::preset(preset).unwrap(), DatasetKind::Mnist);
        let network = header.model.init(&device).unwrap();
        let bytes = pollster::block_on(to_safetensors(&header, &network)).unwrap();
        (header, network, bytes)
    }

    fn values(network: &Network) -> Vec<(String, Vec<u8>)> {
        pollster::block_on(network.named_values_async())
            .unwrap()
            .into_iter()
            .map(|(path, data)| (path, data.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn every_preset_round_trips_bit_for_bit_with_pytorch_names_and_layouts() {
        for preset in ModelConfig::PRESETS {
            let (header, network, bytes) = exported(preset);
            let (back_header, back) = from_safetensors(&bytes, &Device::flex()).unwrap();
            assert_eq!(back_header, header, "{preset}");
            assert_eq!(values(&back), values(&network), "{preset}");
        }
        let (_, network, bytes) = exported("dsd-s");
        let file = SafeTensors::deserialize(&bytes).unwrap();
        let head = file.tensor("head.weight").unwrap();
        assert_eq!(head.shape(), [10, 128], "linear weights are [out, in]");
        let burn_head = &values(&network)
            .into_iter()
            .find(|(p, _)| p == "Dsd.head.weight")
            .unwrap()
            .1;
        // burn's [in, out] element (1, 0) is PyTorch's [out, in] element (0, 1).
        assert_eq!(head.data()[4..8], burn_head[10 * 4..10 * 4 + 4]);
        let stem = file.tensor("stem.conv.weight").unwrap();
        assert_eq!(stem.shape(), [16, 1, 3, 3]);
        assert_eq!(
            file.tensor("blocks.0.depthwise.weight").unwrap().shape(),
            [16, 1, 3, 3]
        );
        for name in ["weight", "bias", "running_mean", "running_var"] {
            let norm = file.tensor(&format!("stem.norm.{name}")).unwrap();
            assert_eq!(norm.shape(), [16], "{name}");
        }
        let tracked = file.tensor("stem.norm.num_batches_tracked").unwrap();
        assert_eq!((tracked.dtype(), tracked.shape()), (Dtype::I64, &[][..]));
    }

    #[test]
    fn files_that_do_not_fit_are_refused_with_the_tensor_named() {
        let (header, _, bytes) = exported("dsd-xs");
        let err = |bytes: &[u8]| from_safetensors(bytes, &Device::flex()).unwrap_err();
        assert!(matches!(err(b"not a file"), InteropError::Format(_)));

        // The tensors of dsd-xs under dsd-s's header.
        let mut other = header.clone();
        other.model = ModelConfig::preset("dsd-s").unwrap();
        let values = SafeTensors::deserialize(&bytes).unwrap();
        let mut views: Vec<(String, TensorView<'_>)> = values.tensors();
        let metadata = |header: &ModelHeader| {
            Some(
                [(
                    HEADER_KEY.to_string(),
                    serde_json::to_string(header).unwrap(),
                )]
                .into_iter()
                .collect(),
            )
        };
        let rewrite = |views: Vec<(String, TensorView<'_>)>, header: &ModelHeader| {
            safetensors::serialize(views, metadata(header)).unwrap()
        };
        // A header asking for more than the file holds is refused before anything is built.
        assert_eq!(
            err(&rewrite(views.clone(), &other)),
            InteropError::TooFewValues {
                held: 11_226,
                needed: 37_642
            }
        );
        // The head's weights with their rows and columns swapped (burn's layout, not PyTorch's).
        let head = values.tensor("head.weight").unwrap();
        let swapped = TensorView::new(Dtype::F32, vec![64, 10], head.data()).unwrap();
        let mut wrong = views.clone();
        wrong.retain(|(name, _)| name != "head.weight");
        wrong.push(("head.weight".into(), swapped));
        match err(&rewrite(wrong, &header)) {
            InteropError::WrongTensor {
                name,
                expected,
                found,
            } => assert_eq!(
                (name.as_str(), expected.as_str(), found.as_str()),
                ("head.weight", "F32 [10, 64]", "F32 [64, 10]")
            ),
            e => panic!("{e}"),
        }
        views.retain(|(name, _)| name != "head.bias");
        match err(&rewrite(views.clone(), &header)) {
            InteropError::Missing(name) => assert_eq!(name, "head.bias"),
            e => panic!("{e}"),
        }
        let extra = values.tensor("head.bias").unwrap();
        views.push(("head.bias".into(), extra.clone()));
        views.push(("classifier.bias".into(), extra));
        match err(&rewrite(views.clone(), &header)) {
            InteropError::Unexpected(names) => assert_eq!(names, "classifier.bias"),
            e => panic!("{e}"),
        }
        let no_header = safetensors::serialize(views, None).unwrap();
        assert_eq!(err(&no_header), InteropError::NoHeader);
    }
}
