//! Serialisable descriptions of every network, with their parameter counts and receptive fields
//! computed from the description alone (the web app shows both live while the user edits a model,
//! before anything is built).

use crate::{INPUT_SIDE, NUM_CLASSES};
use serde::{Deserialize, Serialize};

/// Largest accepted channel count or hidden width; keeps a typo from allocating gigabytes.
const MAX_WIDTH: usize = 4096;
/// Largest accepted number of DSD blocks, CNN stages or MLP layers.
const MAX_DEPTH: usize = 32;

/// Any network Inkling can train.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ModelConfig {
    /// Depthwise-separable dilated convolutional network.
    Dsd(DsdConfig),
    /// Plain convolutional network (conv + max-pool stages, dense head).
    Cnn(CnnConfig),
    /// Multi-layer perceptron on the flattened image.
    Mlp(MlpConfig),
}

/// One depthwise-separable block: depthwise 3x3 (dilated, strided) -> pointwise 1x1 -> BN -> ReLU.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DsdBlockConfig {
    /// Output channels of the pointwise convolution.
    pub out_channels: usize,
    /// Dilation of the depthwise 3x3 kernel (its padding equals the dilation).
    pub dilation: usize,
    /// Stride of the depthwise convolution.
    pub stride: usize,
}

/// The depthwise-separable dilated (DSD) network: a 3x3 stem, a list of DSD blocks, global
/// average pooling and a linear head. Dilation grows the receptive field without parameters;
/// depthwise separation keeps the parameter count near a tenth of a plain CNN's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DsdConfig {
    /// Channels of the 3x3 stem convolution.
    pub stem_channels: usize,
    /// The blocks, in order.
    pub blocks: Vec<DsdBlockConfig>,
    /// Batch normalisation after the stem and each block (otherwise convolutions get biases).
    pub batch_norm: bool,
    /// Identity shortcuts: a block whose output has its input's shape (stride 1, as many
    /// channels) adds its input before the ReLU, so it learns a correction to what it is given
    /// and gradients reach the early layers undiminished. Holds no weights; absent from files
    /// written before it existed, and left out of the JSON when off so those files stay as they
    /// are.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub residual: bool,
    /// Dropout probability before the linear head.
    pub dropout: f64,
}

/// A plain CNN: per stage, 3x3 conv (+BN) + ReLU + 2x2 max-pool; then a dense hidden layer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CnnConfig {
    /// Output channels of each stage.
    pub channels: Vec<usize>,
    /// Width of the dense hidden layer.
    pub hidden: usize,
    /// Batch normalisation after each convolution.
    pub batch_norm: bool,
    /// Dropout probability before the output layer.
    pub dropout: f64,
}

/// A multi-layer perceptron on the 784 flattened pixels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MlpConfig {
    /// Width of each hidden layer.
    pub hidden: Vec<usize>,
    /// Dropout probability after each hidden layer.
    pub dropout: f64,
}

/// A configuration that cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid model configuration: {0}")]
pub struct ConfigError(pub String);

impl DsdConfig {
    /// The reference net **dsd-s** (about 37.6k parameters): stem 16, then
    /// 16->32 d1 s1, 32->32 d2 s1, 32->64 d1 s2, 64->64 d2 s1, 64->128 d1 s2, 128->128 d2 s1.
    pub fn dsd_s() -> Self {
        Self::staged(16, &[32, 64, 128], 2, true)
    }

    /// A DSD net built from stages: each stage starts with an undilated block (stride 2 after the
    /// first stage) and continues with `blocks_per_stage - 1` blocks at dilation 2 (or 1 when
    /// `dilated` is off).
    pub fn staged(
        stem: usize,
        stage_widths: &[usize],
        blocks_per_stage: usize,
        dilated: bool,
    ) -> Self {
        let mut blocks = Vec::new();
        for (stage, &width) in stage_widths.iter().enumerate() {
            for i in 0..blocks_per_stage {
                blocks.push(DsdBlockConfig {
                    out_channels: width,
                    dilation: if i > 0 && dilated { 2 } else { 1 },
                    stride: if i == 0 && stage > 0 { 2 } else { 1 },
                });
            }
        }
        Self {
            stem_channels: stem,
            blocks,
            batch_norm: true,
            residual: false,
            dropout: 0.0,
        }
    }

    /// The same net with every channel count multiplied by `factor` (at least 4 channels).
    pub fn with_width(mut self, factor: f64) -> Self {
        let scale = |c: usize| ((c as f64 * factor).round() as usize).max(4);
        self.stem_channels = scale(self.stem_channels);
        for block in &mut self.blocks {
            block.out_channels = scale(block.out_channels);
        }
        self
    }

    /// The same net with identity shortcuts around every block that keeps its input's shape.
    pub fn with_residual(mut self, residual: bool) -> Self {
        self.residual = residual;
        self
    }

    /// The same net with or without batch normalisation (without, convolutions get biases).
    pub fn with_batch_norm(mut self, batch_norm: bool) -> Self {
        self.batch_norm = batch_norm;
        self
    }

    /// Whether block `index` adds its input to its output: only with [`DsdConfig::residual`]
    /// on, and only where the shapes match (stride 1, as many channels in as out).
    pub fn has_shortcut(&self, index: usize) -> bool {
        let Some(block) = self.blocks.get(index) else {
            return false;
        };
        let channels_in = match index {
            0 => self.stem_channels,
            i => self.blocks[i - 1].out_channels,
        };
        self.residual && block.stride == 1 && block.out_channels == channels_in
    }

    /// The same net with every dilation set to 1 (for comparing what dilation buys).
    pub fn without_dilation(mut self) -> Self {
        for block in &mut self.blocks {
            block.dilation = 1;
        }
        self
    }
}

impl Default for DsdConfig {
    fn default() -> Self {
        Self::dsd_s()
    }
}

impl CnnConfig {
    /// The baseline CNN: stages of 32 and 64 channels, hidden layer of 128.
    pub fn baseline() -> Self {
        Self {
            channels: vec![32, 64],
            hidden: 128,
            batch_norm: true,
            dropout: 0.25,
        }
    }
}

impl MlpConfig {
    /// The baseline MLP: 784 -> 256 -> 128 -> 10.
    pub fn baseline() -> Self {
        Self {
            hidden: vec![256, 128],
            dropout: 0.1,
        }
    }
}

/// The kind of network, as chosen in the page's form and the URL (`arch=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Architecture {
    /// The depthwise-separable dilated net.
    Dsd,
    /// A plain convolutional net.
    Cnn,
    /// A multi-layer perceptron.
    Mlp,
}

inkling_data::named_choices!(Architecture, "architecture", [
    Architecture::Dsd => ("dsd", "DSD net (depthwise-separable, dilated)"),
    Architecture::Cnn => ("cnn", "Plain CNN"),
    Architecture::Mlp => ("mlp", "MLP"),
]);

impl ModelConfig {
    /// Names accepted by [`ModelConfig::preset`].
    pub const PRESETS: [&'static str; 8] = [
        "dsd-s",
        "dsd-xs",
        "dsd-m",
        "dsd-s-nodil",
        "dsd-s-res",
        "dsd-s-nobn",
        "cnn",
        "mlp",
    ];

    /// A named configuration: `dsd-s` (the reference net), `dsd-xs` / `dsd-m` (half / 1.5x
    /// width), `dsd-s-nodil` (dsd-s without dilation), `dsd-s-res` (with identity shortcuts),
    /// `dsd-s-nobn` (without batch norm), `cnn`, `mlp`.
    pub fn preset(name: &str) -> Option<Self> {
        Some(match name {
            "dsd-s" => ModelConfig::Dsd(DsdConfig::dsd_s()),
            "dsd-s-res" => ModelConfig::Dsd(DsdConfig::dsd_s().with_residual(true)),
            "dsd-s-nobn" => ModelConfig::Dsd(DsdConfig::dsd_s().with_batch_norm(false)),
            "dsd-xs" => ModelConfig::Dsd(DsdConfig::dsd_s().with_width(0.5)),
            "dsd-m" => ModelConfig::Dsd(DsdConfig::dsd_s().with_width(1.5)),
            "dsd-s-nodil" => ModelConfig::Dsd(DsdConfig::dsd_s().without_dilation()),
            "cnn" => ModelConfig::Cnn(CnnConfig::baseline()),
            "mlp" => ModelConfig::Mlp(MlpConfig::baseline()),
            _ => return None,
        })
    }

    /// Which kind of network this is.
    pub fn architecture(&self) -> Architecture {
        match self {
            ModelConfig::Dsd(_) => Architecture::Dsd,
            ModelConfig::Cnn(_) => Architecture::Cnn,
            ModelConfig::Mlp(_) => Architecture::Mlp,
        }
    }

    /// Short human-readable family name.
    pub fn family(&self) -> &'static str {
        match self.architecture() {
            Architecture::Dsd => "DSD net",
            Architecture::Cnn => "CNN",
            Architecture::Mlp => "MLP",
        }
    }

    /// Checks every size, probability and stride before anything is allocated.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let err = |m: String| Err(ConfigError(m));
        let width = |name: &str, w: usize| {
            if w == 0 || w > MAX_WIDTH {
                Err(ConfigError(format!(
                    "{name} must be between 1 and {MAX_WIDTH}, got {w}"
                )))
            } else {
                Ok(())
            }
        };
        let dropout = |p: f64| {
            if !(0.0..1.0).contains(&p) {
                Err(ConfigError(format!("dropout must be in [0, 1), got {p}")))
            } else {
                Ok(())
            }
        };
        match self {
            ModelConfig::Dsd(c) => {
                width("stem channels", c.stem_channels)?;
                dropout(c.dropout)?;
                if c.blocks.len() > MAX_DEPTH {
                    return err(format!(
                        "at most {MAX_DEPTH} blocks, got {}",
                        c.blocks.len()
                    ));
                }
                let mut side = INPUT_SIDE;
                for (i, b) in c.blocks.iter().enumerate() {
                    width(&format!("block {i} channels"), b.out_channels)?;
                    if !(1..=8).contains(&b.dilation) || !(1..=2).contains(&b.stride) {
                        return err(format!(
                            "block {i}: dilation must be 1..=8 and stride 1 or 2, got d{} s{}",
                            b.dilation, b.stride
                        ));
                    }
                    side = (side - 1) / b.stride + 1;
                }
                debug_assert!(side >= 1);
                Ok(())
            }
            ModelConfig::Cnn(c) => {
                if c.channels.is_empty() || c.channels.len() > 4 {
                    return err(format!(
                        "a CNN needs 1 to 4 stages (each halves the 28x28 image), got {}",
                        c.channels.len()
                    ));
                }
                for (i, &ch) in c.channels.iter().enumerate() {
                    width(&format!("stage {i} channels"), ch)?;
                }
                width("hidden width", c.hidden)?;
                dropout(c.dropout)
            }
            ModelConfig::Mlp(c) => {
                if c.hidden.len() > MAX_DEPTH {
                    return err(format!("at most {MAX_DEPTH} hidden layers"));
                }
                for (i, &h) in c.hidden.iter().enumerate() {
                    width(&format!("hidden layer {i} width"), h)?;
                }
                dropout(c.dropout)
            }
        }
    }

    /// Trainable parameters (BatchNorm running statistics are not counted).
    pub fn param_count(&self) -> usize {
        let bn = |on: bool, c: usize| if on { 2 * c } else { 0 };
        let bias = |on: bool, c: usize| if on { 0 } else { c };
        match self {
            ModelConfig::Dsd(c) => {
                let mut n = 9 * c.stem_channels
                    + bn(c.batch_norm, c.stem_channels)
                    + bias(c.batch_norm, c.stem_channels);
                let mut ch = c.stem_channels;
                for b in &c.blocks {
                    n += 9 * ch + ch * b.out_channels;
                    n += bn(c.batch_norm, b.out_channels) + bias(c.batch_norm, b.out_channels);
                    ch = b.out_channels;
                }
                n + ch * NUM_CLASSES + NUM_CLASSES
            }
            ModelConfig::Cnn(c) => {
                let mut n = 0;
                let mut ch = 1;
                for &out in &c.channels {
                    n += 9 * ch * out + bn(c.batch_norm, out) + bias(c.batch_norm, out);
                    ch = out;
                }
                let flat = ch * cnn_side(c.channels.len()).pow(2);
                n + flat * c.hidden + c.hidden + c.hidden * NUM_CLASSES + NUM_CLASSES
            }
            ModelConfig::Mlp(c) => {
                let mut n = 0;
                let mut width = INPUT_SIDE * INPUT_SIDE;
                for &h in &c.hidden {
                    n += width * h + h;
                    width = h;
                }
                n + width * NUM_CLASSES + NUM_CLASSES
            }
        }
    }

    /// The preset with these weights (dropout aside), if any.
    pub fn preset_name(&self) -> Option<&'static str> {
        Self::PRESETS
            .iter()
            .copied()
            .find(|name| Self::preset(name).is_some_and(|p| p.same_weights_as(self)))
    }

    /// One line that tells two networks apart: the preset's name if it is one, the layers and
    /// the parameter count, e.g. `dsd-s: DSD net, stem 16, blocks 32 32 64 64 128 128 (dilation
    /// 1 2 1 2 1 2), batch norm, 37642 parameters`.
    pub fn describe(&self) -> String {
        let list = |v: &mut dyn Iterator<Item = usize>| {
            v.map(|x| x.to_string()).collect::<Vec<_>>().join(" ")
        };
        let norm = |on: bool| if on { "batch norm" } else { "no batch norm" };
        let layers = match self {
            ModelConfig::Dsd(c) => format!(
                "stem {}, blocks {} (dilation {}), {}{}",
                c.stem_channels,
                list(&mut c.blocks.iter().map(|b| b.out_channels)),
                list(&mut c.blocks.iter().map(|b| b.dilation)),
                norm(c.batch_norm),
                if c.residual { ", residual" } else { "" }
            ),
            ModelConfig::Cnn(c) => format!(
                "convolutions {}, hidden {}, {}",
                list(&mut c.channels.iter().copied()),
                c.hidden,
                norm(c.batch_norm)
            ),
            ModelConfig::Mlp(c) => format!("hidden {}", list(&mut c.hidden.iter().copied())),
        };
        let name = self
            .preset_name()
            .map(|n| format!("{n}: "))
            .unwrap_or_default();
        format!(
            "{name}{}, {layers}, {} parameters",
            self.family(),
            self.param_count()
        )
    }

    /// Whether weights of one fit the other: the same network apart from dropout, which holds
    /// no weights (fine-tuning a file with another dropout is fine).
    pub fn same_weights_as(&self, other: &ModelConfig) -> bool {
        self.clone().with_dropout(0.0) == other.clone().with_dropout(0.0)
    }

    /// Trainable parameters of the classifier head, the part that trains when fine-tuning
    /// freezes the base: the DSD net's linear layer, the CNN's two dense layers, the MLP's
    /// output layer.
    pub fn head_param_count(&self) -> usize {
        match self {
            ModelConfig::Dsd(c) => {
                let last = c.blocks.last().map_or(c.stem_channels, |b| b.out_channels);
                last * NUM_CLASSES + NUM_CLASSES
            }
            ModelConfig::Cnn(c) => {
                let flat =
                    c.channels.last().copied().unwrap_or(1) * cnn_side(c.channels.len()).pow(2);
                flat * c.hidden + c.hidden + c.hidden * NUM_CLASSES + NUM_CLASSES
            }
            ModelConfig::Mlp(c) => {
                let width = c.hidden.last().copied().unwrap_or(INPUT_SIDE * INPUT_SIDE);
                width * NUM_CLASSES + NUM_CLASSES
            }
        }
    }

    /// Receptive field in input pixels of one unit of the last spatial feature map (before
    /// pooling or the dense layers). An MLP sees the whole 28x28 image at once.
    pub fn receptive_field(&self) -> usize {
        match self {
            ModelConfig::Dsd(c) => {
                let (mut rf, mut jump) = (3, 1);
                for b in &c.blocks {
                    rf += 2 * b.dilation * jump;
                    jump *= b.stride;
                }
                rf
            }
            ModelConfig::Cnn(c) => {
                let (mut rf, mut jump) = (1, 1);
                for _ in &c.channels {
                    rf += 2 * jump; // 3x3 conv
                    rf += jump; // 2x2 pool
                    jump *= 2;
                }
                rf
            }
            ModelConfig::Mlp(_) => INPUT_SIDE,
        }
    }

    /// Dropout probability of the configuration.
    pub fn dropout(&self) -> f64 {
        match self {
            ModelConfig::Dsd(c) => c.dropout,
            ModelConfig::Cnn(c) => c.dropout,
            ModelConfig::Mlp(c) => c.dropout,
        }
    }

    /// The same configuration with another dropout probability.
    pub fn with_dropout(mut self, p: f64) -> Self {
        match &mut self {
            ModelConfig::Dsd(c) => c.dropout = p,
            ModelConfig::Cnn(c) => c.dropout = p,
            ModelConfig::Mlp(c) => c.dropout = p,
        }
        self
    }
}

/// Side of the feature map after `stages` 2x2 max-pools of a 28x28 input.
pub(crate) fn cnn_side(stages: usize) -> usize {
    (0..stages).fold(INPUT_SIDE, |side, _| side / 2)
}

#[cfg(test)]
mod tests;
