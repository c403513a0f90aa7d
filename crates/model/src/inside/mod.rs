//! Looking inside a network: its spatial layers (the stem and each block of a DSD net, each
//! stage of a CNN), what they compute for one digit ([`Network::feature_maps`](crate::Network::feature_maps),
//! [`DigitReader::look_inside`](crate::DigitReader::look_inside)) and which input pixels each of
//! their units can see ([`ModelConfig::receptive_field_of`]). The page's "inside" view and `inkling layers`
//! both use these, so they show the same layers under the same names. [`Saliency`] is why a
//! digit was read as it was ([`DigitReader::why`](crate::DigitReader::why), by occlusion).

mod filters;
mod receptive_field;
mod saliency;

pub use filters::{BlockFilters, Filters, TAPS, max_abs, read_filters};
pub use receptive_field::{ReceptiveField, UnitError};
pub use saliency::{OCCLUSION_PATCH, OCCLUSION_STRIDE, Occlusions, Saliency, occlusions};

use crate::config::{ModelConfig, cnn_side};
use crate::{INPUT_SIDE, NUM_CLASSES};
use burn::tensor::ExecutionError;

/// A sliding window from one feature map to the next: a convolution or pooling's geometry
/// along either axis (all of Inkling's windows are square).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Taps along one axis.
    pub kernel: usize,
    /// Step between neighbouring outputs, in input pixels.
    pub stride: usize,
    /// Zero rows (and columns) added before the first input pixel.
    pub padding: usize,
    /// Gap between taps: 1 is dense, 2 skips every other pixel.
    pub dilation: usize,
}

impl Window {
    /// A `kernel`x`kernel` convolution with `dilation` and `stride`, padded by `padding`.
    const fn conv(kernel: usize, stride: usize, padding: usize, dilation: usize) -> Self {
        Self {
            kernel,
            stride,
            padding,
            dilation,
        }
    }

    /// Output side for an input side.
    pub fn output_side(&self, input: usize) -> usize {
        (input + 2 * self.padding - self.dilation * (self.kernel - 1) - 1) / self.stride + 1
    }
}

/// One spatial layer of a network: a stack of `channels` square feature maps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpatialLayer {
    /// Its name on the page and in the CLI: `stem`, `block 3`, `stage 2`.
    pub name: String,
    /// Feature maps (channels) it outputs.
    pub channels: usize,
    /// Side of each map.
    pub side: usize,
    /// The windows from the previous layer's maps (or the input) to these, in order.
    pub windows: Vec<Window>,
    /// Dilation of the layer's 3x3 kernel (1 when undilated).
    pub dilation: usize,
}

impl ModelConfig {
    /// The network's spatial layers from the input up, each map taken after its activation;
    /// empty for an MLP, which has none.
    pub fn spatial_layers(&self) -> Vec<SpatialLayer> {
        let mut layers = Vec::new();
        let mut side = INPUT_SIDE;
        let mut push = |name: String, channels: usize, windows: Vec<Window>, dilation: usize| {
            side = windows.iter().fold(side, |s, w| w.output_side(s));
            layers.push(SpatialLayer {
                name,
                channels,
                side,
                windows,
                dilation,
            });
        };
        match self {
            ModelConfig::Dsd(c) => {
                push(
                    "stem".into(),
                    c.stem_channels,
                    vec![Window::conv(3, 1, 1, 1)],
                    1,
                );
                for (i, b) in c.blocks.iter().enumerate() {
                    // The pointwise 1x1 convolution after the depthwise one changes no geometry.
                    let depthwise = Window::conv(3, b.stride, b.dilation, b.dilation);
                    push(
                        format!("block {}", i + 1),
                        b.out_channels,
                        vec![depthwise],
                        b.dilation,
                    );
                }
            }
            ModelConfig::Cnn(c) => {
                for (i, &channels) in c.channels.iter().enumerate() {
                    let windows = vec![Window::conv(3, 1, 1, 1), Window::conv(2, 2, 0, 1)];
                    push(format!("stage {}", i + 1), channels, windows, 1);
                }
                debug_assert_eq!(side, cnn_side(c.channels.len()));
            }
            ModelConfig::Mlp(_) => {}
        }
        layers
    }

    /// The spatial layer called `name` (`stem`, `block 3`), with its index.
    pub fn spatial_layer(&self, name: &str) -> Option<(usize, SpatialLayer)> {
        self.spatial_layers()
            .into_iter()
            .enumerate()
            .find(|(_, layer)| layer.name == name)
    }
}

/// One layer's feature maps for one digit: `channels` maps of `side`x`side`, channel by
/// channel, row by row.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerMaps {
    /// Maps in the layer.
    pub channels: usize,
    /// Side of each map.
    pub side: usize,
    /// `channels * side * side` activations.
    pub values: Vec<f32>,
}

impl LayerMaps {
    /// Channel `c`'s map, row by row.
    pub fn channel(&self, c: usize) -> &[f32] {
        let size = self.side * self.side;
        &self.values[c * size..(c + 1) * size]
    }

    /// The largest activation in the layer (activations follow a ReLU, so the smallest is at
    /// least 0): one colour scale for all of a layer's maps.
    pub fn max(&self) -> f32 {
        self.values.iter().copied().fold(0.0, f32::max)
    }
}

/// What a network computes for one digit, layer by layer.
#[derive(Debug, Clone, PartialEq)]
pub struct Inside {
    /// Each spatial layer's maps, in [`ModelConfig::spatial_layers`] order.
    pub layers: Vec<LayerMaps>,
    /// The ten logits (scores before the softmax).
    pub logits: [f32; NUM_CLASSES],
}

/// Reads the maps and logits of one image in one transaction (the browser's WebGPU allows no
/// other read); the tensors are `[1, c, side, side]` and `[1, 10]`.
pub(crate) async fn read_inside(
    maps: Vec<burn::tensor::Tensor<4>>,
    logits: burn::tensor::Tensor<2>,
) -> Result<Inside, ExecutionError> {
    let shapes: Vec<[usize; 4]> = maps.iter().map(|m| m.dims()).collect();
    let transaction = maps
        .into_iter()
        .fold(burn::tensor::Transaction::default(), |t, m| t.register(m))
        .register(logits);
    let mut values = transaction.execute_async().await?;
    let logits = values.pop().expect("the logits were registered last");
    let mut scores = [0.0; NUM_CLASSES];
    for (score, value) in scores.iter_mut().zip(logits.iter::<f32>()) {
        *score = value;
    }
    let layers = shapes
        .into_iter()
        .zip(values)
        .map(|([_, channels, side, _], data)| LayerMaps {
            channels,
            side,
            values: data.iter::<f32>().collect(),
        })
        .collect();
    Ok(Inside {
        layers,
        logits: scores,
    })
}

#[cfg(test)]
mod tests;
