//! The baselines the DSD net is compared with: a plain CNN and an MLP.

use super::layers::{ConvNorm, conv3x3, fresh_linear};
use crate::config::{CnnConfig, MlpConfig, cnn_side};
use crate::{INPUT_SIDE, NUM_CLASSES};
use burn::module::Module;
use burn::nn::pool::{MaxPool2d, MaxPool2dConfig};
use burn::nn::{Dropout, DropoutConfig, Linear, LinearConfig};
use burn::tensor::activation::relu;
use burn::tensor::{Device, Tensor};

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
    pub(super) fn new(c: &CnnConfig, device: &Device) -> Self {
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

    /// The base: convolution stages, flattened, `[n, 1, 28, 28]` -> `[n, c * side * side]`.
    pub(super) fn features(&self, x: Tensor<4>) -> Tensor<2> {
        let mut x = x;
        for stage in &self.stages {
            x = self.pool.forward(relu(stage.forward(x)));
        }
        x.flatten::<2>(1, 3)
    }

    /// Every stage's maps (after its pooling), `[n, 1, 28, 28]` -> one `[n, channels, side,
    /// side]` per stage.
    pub(super) fn feature_maps(&self, x: Tensor<4>) -> Vec<Tensor<4>> {
        let mut maps: Vec<Tensor<4>> = Vec::new();
        let mut x = x;
        for stage in &self.stages {
            x = self.pool.forward(relu(stage.forward(x)));
            maps.push(x.clone());
        }
        maps
    }

    /// The head: the two dense layers, `[n, c * side * side]` -> `[n, 10]`.
    pub(super) fn classify(&self, features: Tensor<2>) -> Tensor<2> {
        let x = relu(self.hidden.forward(features));
        self.output.forward(self.dropout.forward(x))
    }

    /// The same network with new dense layers (its classifier head).
    pub(super) fn with_fresh_head(mut self, device: &Device) -> Self {
        self.hidden = fresh_linear(&self.hidden, device);
        self.output = fresh_linear(&self.output, device);
        self
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
    pub(super) fn new(c: &MlpConfig, device: &Device) -> Self {
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

    /// The base: the hidden layers, `[n, 1, 28, 28]` -> `[n, last hidden width]`.
    pub(super) fn features(&self, x: Tensor<4>) -> Tensor<2> {
        let mut x = x.flatten::<2>(1, 3);
        for layer in &self.layers {
            x = self.dropout.forward(relu(layer.forward(x)));
        }
        x
    }

    /// The head: the output layer, `[n, last hidden width]` -> `[n, 10]`.
    pub(super) fn classify(&self, features: Tensor<2>) -> Tensor<2> {
        self.output.forward(features)
    }

    /// The same network with a new output layer (its classifier head).
    pub(super) fn with_fresh_head(mut self, device: &Device) -> Self {
        self.output = fresh_linear(&self.output, device);
        self
    }
}
