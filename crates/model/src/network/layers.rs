//! The layers the networks share: a convolution with optional batch norm, the 3x3 convolution
//! that keeps its size at any dilation, and a fresh copy of a linear layer.

use burn::module::Module;
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::{BatchNorm, BatchNormConfig, Initializer, Linear, LinearConfig, PaddingConfig2d};
use burn::tensor::{Device, Tensor};

/// A 3x3 (possibly depthwise, dilated, strided) or 1x1 convolution followed by optional
/// BatchNorm; the activation is applied by the caller.
#[derive(Module, Debug)]
pub(super) struct ConvNorm {
    conv: Conv2d,
    norm: Option<BatchNorm>,
}

impl ConvNorm {
    pub(super) fn new(conv: Conv2dConfig, batch_norm: bool, device: &Device) -> Self {
        let out = conv.channels[1];
        // With BatchNorm right after it, a convolution bias is redundant. Without it nothing
        // rescales the signal, so the weights start at He's scale for a ReLU that follows.
        let conv = match batch_norm {
            true => conv.with_bias(false),
            false => conv.with_initializer(unnormalised_init(2f64.sqrt())),
        };
        let conv = conv.init(device);
        let norm = batch_norm.then(|| BatchNormConfig::new(out).init(device));
        Self { conv, norm }
    }

    /// The convolution's weights, `[out, in / groups, k, k]`.
    pub(super) fn weight(&self) -> Tensor<4> {
        self.conv.weight.val()
    }

    pub(super) fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        let x = if self.conv.kernel_size == [1, 1] {
            pointwise_forward(&self.conv, x)
        } else {
            self.conv.forward(x)
        };
        match &self.norm {
            Some(norm) => batch_norm_forward(norm, x),
            None => x,
        }
    }
}

/// He (Kaiming) normal initialisation, `std = gain / sqrt(fan_in)`, for layers with no batch
/// norm after them: burn's default (PyTorch's) scale shrinks the signal by about 2.4 at every
/// ReLU layer, so without batch norm dsd-s's thirteen convolutions start with almost no signal
/// and do not learn in a lesson's few hundred steps. Gain `sqrt(2)` before a ReLU, 1 before a
/// linear layer keeps each layer's output variance equal to its input's.
pub(super) fn unnormalised_init(gain: f64) -> Initializer {
    Initializer::KaimingNormal {
        gain,
        fan_out_only: false,
    }
}

/// Batch norm; in training on the CPU with the `fast-cpu-training` feature through
/// [`crate::cpu_training`], which skips the layout copies of burn's generic batch norm.
fn batch_norm_forward(norm: &BatchNorm, x: Tensor<4>) -> Tensor<4> {
    #[cfg(feature = "fast-cpu-training")]
    if norm.training.is_enabled() && crate::cpu_training::accelerated(&x) {
        return crate::cpu_training::batch_norm_train(norm, x);
    }
    norm.forward(x)
}

/// A 1x1 convolution (stride 1, no groups) as one batched matrix product over the pixels:
/// `[out, in] x [batch, in, h*w]`. Same weights and result as `Conv2d::forward`, but on the CPU
/// its backward pass is plain matrix products instead of layout changes and a transposed
/// convolution.
fn pointwise_forward(conv: &Conv2d, x: Tensor<4>) -> Tensor<4> {
    let [n, c_in, h, w] = x.dims();
    let [c_out, ..] = conv.weight.dims();
    let weight = conv.weight.val().reshape([1, c_out, c_in]);
    let y = weight.matmul(x.reshape([n, c_in, h * w]));
    let y = match &conv.bias {
        Some(bias) => y + bias.val().reshape([1, c_out, 1]),
        None => y,
    };
    y.reshape([n, c_out, h, w])
}

/// 3x3 convolution padded to keep (or, with stride 2, halve) the spatial size at any dilation.
/// burn's `PaddingConfig2d::Same` ignores dilation, so padding is explicit.
pub(super) fn conv3x3(
    input: usize,
    output: usize,
    dilation: usize,
    stride: usize,
    groups: usize,
) -> Conv2dConfig {
    Conv2dConfig::new([input, output], [3, 3])
        .with_dilation([dilation, dilation])
        .with_stride([stride, stride])
        .with_groups(groups)
        .with_padding(PaddingConfig2d::Explicit(
            dilation, dilation, dilation, dilation,
        ))
}

/// A linear layer of `layer`'s shape with freshly initialised weights (a new classifier head).
pub(super) fn fresh_linear(layer: &Linear, device: &Device) -> Linear {
    let [input, output] = layer.weight.dims();
    LinearConfig::new(input, output).init(device)
}
