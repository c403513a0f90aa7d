//! The depthwise-separable dilated network, Inkling's headline model.

use super::layers::{ConvNorm, conv3x3, fresh_linear, unnormalised_init};
use crate::NUM_CLASSES;
use crate::config::DsdConfig;
use burn::module::Module;
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::{Dropout, DropoutConfig, Linear, LinearConfig};
use burn::tensor::activation::relu;
use burn::tensor::{Device, Tensor};

/// Depthwise 3x3 (dilated, strided, no bias) -> pointwise 1x1 -> BN -> (+ input) -> ReLU.
#[derive(Module, Debug)]
struct DsdBlock {
    depthwise: Conv2d,
    pointwise: ConvNorm,
    /// Adds the block's input before the ReLU (see [`DsdConfig::residual`]); holds no weights.
    shortcut: bool,
}

impl DsdBlock {
    /// `[n, in, side, side]` -> `[n, out, side / stride, side / stride]`, after the ReLU.
    fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        let shortcut = self.shortcut.then(|| x.clone());
        let y = self
            .pointwise
            .forward(depthwise_forward(&self.depthwise, x));
        relu(match shortcut {
            Some(x) => y + x,
            None => y,
        })
    }
}

/// Global average pooling, `[n, c, h, w]` -> `[n, c]`: the last block's maps become the
/// head's features.
pub(super) fn pooled(x: Tensor<4>) -> Tensor<2> {
    let [n, c, h, w] = x.dims();
    x.reshape([n, c, h * w]).mean_dim(2).reshape([n, c])
}

/// A depthwise convolution's forward pass. When training on the CPU (autodiff on flex) with the
/// `fast-cpu-training` feature, it goes through [`crate::cpu_training`], whose hand-written backward
/// pass is several times faster than burn's generic one; everywhere else it is burn's `conv2d`.
fn depthwise_forward(conv: &Conv2d, x: Tensor<4>) -> Tensor<4> {
    #[cfg(feature = "fast-cpu-training")]
    if let burn::nn::PaddingConfig2d::Explicit(top, left, bottom, right) = conv.padding
        && crate::cpu_training::accelerated(&x)
    {
        let options = burn::tensor::ops::ConvOptions::new_with_padding(
            conv.stride,
            [(top, bottom), (left, right)],
            conv.dilation,
            conv.groups,
        );
        return crate::cpu_training::depthwise_conv2d(x, conv.weight.val(), options);
    }
    conv.forward(x)
}

/// The depthwise-separable dilated network; see [`DsdConfig`].
#[derive(Module, Debug)]
pub struct DsdNet {
    stem: ConvNorm,
    blocks: Vec<DsdBlock>,
    dropout: Dropout,
    head: Linear,
}

impl DsdNet {
    pub(super) fn new(c: &DsdConfig, device: &Device) -> Self {
        let stem = ConvNorm::new(conv3x3(1, c.stem_channels, 1, 1, 1), c.batch_norm, device);
        let mut channels = c.stem_channels;
        let blocks = c
            .blocks
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let depthwise =
                    conv3x3(channels, channels, b.dilation, b.stride, channels).with_bias(false);
                // The pointwise convolution follows without a ReLU between: gain 1.
                let depthwise = match c.batch_norm {
                    true => depthwise,
                    false => depthwise.with_initializer(unnormalised_init(1.0)),
                }
                .init(device);
                let pointwise = ConvNorm::new(
                    Conv2dConfig::new([channels, b.out_channels], [1, 1]),
                    c.batch_norm,
                    device,
                );
                channels = b.out_channels;
                DsdBlock {
                    depthwise,
                    pointwise,
                    shortcut: c.has_shortcut(i),
                }
            })
            .collect();
        Self {
            stem,
            blocks,
            dropout: DropoutConfig::new(c.dropout).init(),
            head: LinearConfig::new(channels, NUM_CLASSES).init(device),
        }
    }

    /// The base: stem, blocks and global average pooling, `[n, 1, 28, 28]` -> `[n, channels]`.
    pub(super) fn features(&self, x: Tensor<4>) -> Tensor<2> {
        let mut x = relu(self.stem.forward(x));
        for block in &self.blocks {
            x = block.forward(x);
        }
        pooled(x)
    }

    /// The stem's and every block's maps, `[n, 1, 28, 28]` -> one `[n, channels, side, side]`
    /// per layer.
    pub(super) fn feature_maps(&self, x: Tensor<4>) -> Vec<Tensor<4>> {
        let mut maps = vec![relu(self.stem.forward(x))];
        for block in &self.blocks {
            let last = maps.last().expect("the stem's maps").clone();
            maps.push(block.forward(last));
        }
        maps
    }

    /// The learned filters: the stem's `[stem, 1, 3, 3]` weights, then each block's depthwise
    /// `[channels, 1, 3, 3]` weights with its dilation and its pointwise `[out, channels, 1, 1]`.
    pub(super) fn filters(&self) -> (Tensor<4>, Vec<(Tensor<4>, usize, Tensor<4>)>) {
        let blocks = self
            .blocks
            .iter()
            .map(|b| {
                (
                    b.depthwise.weight.val(),
                    b.depthwise.dilation[0],
                    b.pointwise.weight(),
                )
            })
            .collect();
        (self.stem.weight(), blocks)
    }

    /// The head: dropout and the linear classifier, `[n, channels]` -> `[n, 10]`.
    pub(super) fn classify(&self, features: Tensor<2>) -> Tensor<2> {
        self.head.forward(self.dropout.forward(features))
    }

    /// The same network with a new classifier head.
    pub(super) fn with_fresh_head(mut self, device: &Device) -> Self {
        self.head = fresh_linear(&self.head, device);
        self
    }
}
