//! The burn modules for every [`ModelConfig`], behind one [`Network`] enum so that training,
//! evaluation, files and the web app handle all architectures alike.

use crate::config::{CnnConfig, DsdConfig, MlpConfig, ModelConfig, cnn_side};
use crate::{ConfigError, INPUT_SIDE, NUM_CLASSES};
use burn::module::{Module, ModuleMapper, ModuleVisitor, Param};
use burn::nn::PaddingConfig2d;
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::pool::{MaxPool2d, MaxPool2dConfig};
use burn::nn::{BatchNorm, BatchNormConfig, Dropout, DropoutConfig, Linear, LinearConfig};
use burn::tensor::activation::{relu, softmax};
use burn::tensor::{Device, ExecutionError, Tensor, TensorData, Transaction};

/// A 3x3 (possibly depthwise, dilated, strided) or 1x1 convolution followed by optional
/// BatchNorm; the activation is applied by the caller.
#[derive(Module, Debug)]
struct ConvNorm {
    conv: Conv2d,
    norm: Option<BatchNorm>,
}

impl ConvNorm {
    fn new(conv: Conv2dConfig, batch_norm: bool, device: &Device) -> Self {
        let out = conv.channels[1];
        // With BatchNorm right after it, a convolution bias is redundant.
        let conv = conv.with_bias(!batch_norm).init(device);
        let norm = batch_norm.then(|| BatchNormConfig::new(out).init(device));
        Self { conv, norm }
    }

    fn forward(&self, x: Tensor<4>) -> Tensor<4> {
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
fn conv3x3(
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

/// Depthwise 3x3 (dilated, strided, no bias) -> pointwise 1x1 -> BN -> ReLU.
#[derive(Module, Debug)]
struct DsdBlock {
    depthwise: Conv2d,
    pointwise: ConvNorm,
}

/// A depthwise convolution's forward pass. When training on the CPU (autodiff on flex) with the
/// `fast-cpu-training` feature, it goes through [`crate::cpu_training`], whose hand-written backward
/// pass is several times faster than burn's generic one; everywhere else it is burn's `conv2d`.
fn depthwise_forward(conv: &Conv2d, x: Tensor<4>) -> Tensor<4> {
    #[cfg(feature = "fast-cpu-training")]
    if let PaddingConfig2d::Explicit(top, left, bottom, right) = conv.padding
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
    fn new(c: &DsdConfig, device: &Device) -> Self {
        let stem = ConvNorm::new(conv3x3(1, c.stem_channels, 1, 1, 1), c.batch_norm, device);
        let mut channels = c.stem_channels;
        let blocks = c
            .blocks
            .iter()
            .map(|b| {
                let depthwise = conv3x3(channels, channels, b.dilation, b.stride, channels)
                    .with_bias(false)
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

    fn forward(&self, x: Tensor<4>) -> Tensor<2> {
        let mut x = relu(self.stem.forward(x));
        for block in &self.blocks {
            x = relu(
                block
                    .pointwise
                    .forward(depthwise_forward(&block.depthwise, x)),
            );
        }
        let [n, c, h, w] = x.dims();
        let pooled = x.reshape([n, c, h * w]).mean_dim(2).reshape([n, c]);
        self.head.forward(self.dropout.forward(pooled))
    }
}

/// The plain CNN baseline; see [`CnnConfig`].
#[derive(Module, Debug)]
pub struct CnnNet {
    stages: Vec<ConvNorm>,
    pool: MaxPool2d,
    hidden: Linear,
    dropout: Dropout,
    output: Linear,
}

impl CnnNet {
    fn new(c: &CnnConfig, device: &Device) -> Self {
        let mut channels = 1;
        let stages = c
            .channels
            .iter()
            .map(|&out| {
                let stage = ConvNorm::new(conv3x3(channels, out, 1, 1, 1), c.batch_norm, device);
                channels = out;
                stage
            })
            .collect();
        let flat = channels * cnn_side(c.channels.len()).pow(2);
        Self {
            stages,
            pool: MaxPool2dConfig::new([2, 2]).with_strides([2, 2]).init(),
            hidden: LinearConfig::new(flat, c.hidden).init(device),
            dropout: DropoutConfig::new(c.dropout).init(),
            output: LinearConfig::new(c.hidden, NUM_CLASSES).init(device),
        }
    }

    fn forward(&self, x: Tensor<4>) -> Tensor<2> {
        let mut x = x;
        for stage in &self.stages {
            x = self.pool.forward(relu(stage.forward(x)));
        }
        let x = x.flatten::<2>(1, 3);
        let x = relu(self.hidden.forward(x));
        self.output.forward(self.dropout.forward(x))
    }
}

/// The MLP baseline; see [`MlpConfig`].
#[derive(Module, Debug)]
pub struct MlpNet {
    layers: Vec<Linear>,
    dropout: Dropout,
    output: Linear,
}

impl MlpNet {
    fn new(c: &MlpConfig, device: &Device) -> Self {
        let mut width = INPUT_SIDE * INPUT_SIDE;
        let layers = c
            .hidden
            .iter()
            .map(|&h| {
                let layer = LinearConfig::new(width, h).init(device);
                width = h;
                layer
            })
            .collect();
        Self {
            layers,
            dropout: DropoutConfig::new(c.dropout).init(),
            output: LinearConfig::new(width, NUM_CLASSES).init(device),
        }
    }

    fn forward(&self, x: Tensor<4>) -> Tensor<2> {
        let mut x = x.flatten::<2>(1, 3);
        for layer in &self.layers {
            x = self.dropout.forward(relu(layer.forward(x)));
        }
        self.output.forward(x)
    }
}

/// Any Inkling network, built from a [`ModelConfig`].
// One `Network` exists per model and is moved rarely; boxing variants would only add indirection.
#[allow(clippy::large_enum_variant)]
#[derive(Module, Debug)]
pub enum Network {
    /// See [`DsdConfig`].
    Dsd(DsdNet),
    /// See [`CnnConfig`].
    Cnn(CnnNet),
    /// See [`MlpConfig`].
    Mlp(MlpNet),
}

impl ModelConfig {
    /// Builds the network with freshly initialised weights on `device`. Seed the device
    /// (`device.seed(..)`) first for reproducible weights.
    pub fn init(&self, device: &Device) -> Result<Network, ConfigError> {
        self.validate()?;
        Ok(match self {
            ModelConfig::Dsd(c) => Network::Dsd(DsdNet::new(c, device)),
            ModelConfig::Cnn(c) => Network::Cnn(CnnNet::new(c, device)),
            ModelConfig::Mlp(c) => Network::Mlp(MlpNet::new(c, device)),
        })
    }
}

impl Network {
    /// Logits `[batch, 10]` for standardised images `[batch, 1, 28, 28]`.
    pub fn forward(&self, images: Tensor<4>) -> Tensor<2> {
        match self {
            Network::Dsd(net) => net.forward(images),
            Network::Cnn(net) => net.forward(images),
            Network::Mlp(net) => net.forward(images),
        }
    }

    /// Class probabilities `[batch, 10]`.
    pub fn probabilities(&self, images: Tensor<4>) -> Tensor<2> {
        softmax(self.forward(images), 1)
    }

    /// A copy of this network's weights and BatchNorm statistics on `device` (without autodiff),
    /// read with one asynchronous transaction. The browser's WebGPU device allows no other kind
    /// of read, so this is how a network trained there reaches the CPU (to be saved or drawn
    /// with); elsewhere it is simply a copy.
    pub async fn copy_to_async(&self, device: &Device) -> Result<Network, ExecutionError> {
        struct Place<'a> {
            values: std::vec::IntoIter<TensorData>,
            device: &'a Device,
        }
        impl ModuleMapper for Place<'_> {
            fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
                let (id, _, mapper) = param.consume();
                let data = self.values.next().expect("one value per visited tensor");
                Param::from_mapped_value(id, Tensor::from_data(data, self.device), mapper)
            }
        }

        // `valid()` drops autodiff and folds pending BatchNorm running-stat updates in.
        let network = self.valid();
        let values = network.values_async().await?;
        Ok(network.map(&mut Place {
            values: values.into_iter(),
            device,
        }))
    }

    /// Every weight and BatchNorm statistic, in the module's visiting order, read with one
    /// asynchronous transaction. Two networks compute the same function exactly when these are
    /// equal (their model files also carry parameter ids, which differ between runs).
    pub async fn values_async(&self) -> Result<Vec<TensorData>, ExecutionError> {
        struct Gather(Option<Transaction>);
        impl ModuleVisitor for Gather {
            fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
                let transaction = self.0.take().unwrap_or_default();
                self.0 = Some(transaction.register(param.val()));
            }
        }
        let mut gather = Gather(None);
        self.visit(&mut gather);
        match gather.0 {
            Some(transaction) => transaction.execute_async().await,
            None => Ok(Vec::new()),
        }
    }
}

/// A `[n, 1, 28, 28]` tensor from `n * 784` standardised pixels, the input of every network.
pub fn images_tensor(pixels: Vec<f32>, device: &Device) -> Tensor<4> {
    let n = pixels.len() / (INPUT_SIDE * INPUT_SIDE);
    Tensor::from_data(
        TensorData::new(pixels, [n, 1, INPUT_SIDE, INPUT_SIDE]),
        device,
    )
}

/// Counts trainable parameters, leaving out BatchNorm running statistics (which burn's
/// `num_params` includes).
pub fn trainable_params<M: Module>(module: &M) -> usize {
    #[derive(Default)]
    struct Count {
        path: Vec<String>,
        total: usize,
    }
    impl ModuleVisitor for Count {
        fn enter_module(&mut self, name: &str, _: &str) {
            self.path.push(name.to_string());
        }
        fn exit_module(&mut self, _: &str, _: &str) {
            self.path.pop();
        }
        fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
            let running = self
                .path
                .last()
                .is_some_and(|name| name.starts_with("running_"));
            if !running {
                self.total += param.lazy_shape().num_elements();
            }
        }
    }
    let mut count = Count::default();
    module.visit(&mut count);
    count.total
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::{Distribution, Tensor};

    #[test]
    fn every_preset_outputs_ten_logits_and_counts_its_parameters() {
        let device = Device::flex();
        for name in ModelConfig::PRESETS {
            let cfg = ModelConfig::preset(name).unwrap();
            let net = cfg.init(&device).unwrap();
            let x = Tensor::<4>::random([3, 1, 28, 28], Distribution::Normal(0.0, 1.0), &device);
            assert_eq!(net.forward(x).dims(), [3, NUM_CLASSES], "{name}");
            assert_eq!(trainable_params(&net), cfg.param_count(), "{name}");
        }
    }

    #[test]
    fn dsd_s_has_about_37_6k_parameters() {
        let net = ModelConfig::preset("dsd-s")
            .unwrap()
            .init(&Device::flex())
            .unwrap();
        assert_eq!(trainable_params(&net), 37_642);
    }

    #[test]
    fn probabilities_sum_to_one() {
        let device = Device::flex();
        let net = ModelConfig::preset("dsd-xs")
            .unwrap()
            .init(&device)
            .unwrap();
        let x = Tensor::<4>::random([2, 1, 28, 28], Distribution::Normal(0.0, 1.0), &device);
        let sums: Vec<f32> = net
            .probabilities(x)
            .sum_dim(1)
            .into_data()
            .try_to_vec::<f32>()
            .unwrap();
        for s in sums {
            assert!((s - 1.0).abs() < 1e-5);
        }
    }

    #[test]
    fn invalid_config_is_an_error_not_a_panic() {
        let cfg = ModelConfig::preset("dsd-s").unwrap().with_dropout(2.0);
        assert!(cfg.init(&Device::flex()).is_err());
    }
}
