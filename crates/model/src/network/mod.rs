//! The burn modules for every [`ModelConfig`], behind one [`Network`] enum so that training,
//! evaluation, files and the web app handle all architectures alike. Every network is a base
//! (what fine-tuning may freeze) followed by a classifier head.

mod baselines;
mod dsd;
mod layers;

use crate::config::ModelConfig;
use crate::{ConfigError, INPUT_SIDE};
use baselines::{CnnNet, MlpNet};
use burn::module::{Module, ModuleMapper, ModuleVisitor, Param, ParamId};
use burn::tensor::activation::softmax;
use burn::tensor::{Device, ExecutionError, Tensor, TensorData, Transaction};
use dsd::DsdNet;

/// The classifier head of a network: the modules that train when fine-tuning freezes the base.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head(&'static [&'static str]);

impl Head {
    /// Whether the parameter at `path` (as burn's module visitors name it, the network's kind
    /// first: `Dsd.head.weight`) belongs to the head.
    pub fn contains(&self, path: &str) -> bool {
        self.0.iter().any(|module| {
            path.strip_prefix(module)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
        })
    }
}

/// Any Inkling network, built from a [`ModelConfig`].
// One `Network` exists per model and is moved rarely; boxing variants would only add indirection.
#[allow(clippy::large_enum_variant)]
#[derive(Module, Debug)]
pub enum Network {
    /// See [`DsdConfig`](crate::DsdConfig).
    Dsd(DsdNet),
    /// See [`CnnConfig`](crate::CnnConfig).
    Cnn(CnnNet),
    /// See [`MlpConfig`](crate::MlpConfig).
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
        self.classify(self.features(images))
    }

    /// What the base (every layer before the classifier head) makes of standardised images
    /// `[batch, 1, 28, 28]`: `[batch, features]`.
    pub fn features(&self, images: Tensor<4>) -> Tensor<2> {
        match self {
            Network::Dsd(net) => net.features(images),
            Network::Cnn(net) => net.features(images),
            Network::Mlp(net) => net.features(images),
        }
    }

    /// Every spatial layer's maps for standardised images `[batch, 1, 28, 28]`, one `[batch,
    /// channels, side, side]` per layer of [`ModelConfig::spatial_layers`] (none for an MLP).
    pub fn feature_maps(&self, images: Tensor<4>) -> Vec<Tensor<4>> {
        match self {
            Network::Dsd(net) => net.feature_maps(images),
            Network::Cnn(net) => net.feature_maps(images),
            Network::Mlp(_) => Vec::new(),
        }
    }

    /// The DSD net's learned filters (stem, and each block's depthwise kernels with their
    /// dilation and pointwise weights); `None` for the baselines.
    #[allow(clippy::type_complexity)]
    pub fn dsd_filters(&self) -> Option<(Tensor<4>, Vec<(Tensor<4>, usize, Tensor<4>)>)> {
        match self {
            Network::Dsd(net) => Some(net.filters()),
            _ => None,
        }
    }

    /// [`feature_maps`](Self::feature_maps) and the logits `[batch, 10]` in one forward pass:
    /// the head reads the last maps instead of the base running again.
    pub fn forward_with_maps(&self, images: Tensor<4>) -> (Vec<Tensor<4>>, Tensor<2>) {
        let maps = self.feature_maps(images.clone());
        let features = match (self, maps.last()) {
            (Network::Dsd(_), Some(last)) => dsd::pooled(last.clone()),
            (Network::Cnn(_), Some(last)) => last.clone().flatten::<2>(1, 3),
            _ => self.features(images),
        };
        (maps, self.classify(features))
    }

    /// The classifier head's logits `[batch, 10]` for the base's `[batch, features]`.
    pub fn classify(&self, features: Tensor<2>) -> Tensor<2> {
        match self {
            Network::Dsd(net) => net.classify(features),
            Network::Cnn(net) => net.classify(features),
            Network::Mlp(net) => net.classify(features),
        }
    }

    /// Logits `[batch, 10]` of a network on an autodiff device with its base frozen: the base
    /// runs in inference mode outside autodiff, so only the head gets gradients and the base's
    /// batch-norm running statistics stay as they are (fine-tuning the head).
    pub fn forward_frozen_base(&self, images: Tensor<4>) -> Tensor<2> {
        let features = self.valid().features(images.inner());
        self.classify(Tensor::from_inner(features))
    }

    /// Which parameters form the classifier head.
    pub fn head(&self) -> Head {
        Head(match self {
            Network::Dsd(_) => &["Dsd.head"],
            Network::Cnn(_) => &["Cnn.hidden", "Cnn.output"],
            Network::Mlp(_) => &["Mlp.output"],
        })
    }

    /// The same network with a freshly initialised classifier head on `device` (seed the
    /// device first for reproducible weights); the base is untouched.
    pub fn with_fresh_head(self, device: &Device) -> Network {
        match self {
            Network::Dsd(net) => Network::Dsd(net.with_fresh_head(device)),
            Network::Cnn(net) => Network::Cnn(net.with_fresh_head(device)),
            Network::Mlp(net) => Network::Mlp(net.with_fresh_head(device)),
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
        let named = self.named_values_async().await?;
        Ok(named.into_iter().map(|(_, value)| value).collect())
    }

    /// Every weight and BatchNorm statistic with its module path, the network's kind first
    /// (`Dsd.stem.conv.weight`, `Dsd.blocks.0.pointwise.norm.running_mean`, `Dsd.head.bias`), in
    /// visiting order, read with one asynchronous transaction.
    pub async fn named_values_async(&self) -> Result<Vec<(String, TensorData)>, ExecutionError> {
        #[derive(Default)]
        struct Gather {
            path: Vec<String>,
            names: Vec<String>,
            transaction: Option<Transaction>,
        }
        impl ModuleVisitor for Gather {
            fn enter_module(&mut self, name: &str, _: &str) {
                self.path.push(name.to_string());
            }
            fn exit_module(&mut self, _: &str, _: &str) {
                self.path.pop();
            }
            fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
                self.names.push(self.path.join("."));
                let transaction = self.transaction.take().unwrap_or_default();
                self.transaction = Some(transaction.register(param.val()));
            }
        }
        let mut gather = Gather::default();
        self.visit(&mut gather);
        let values = match gather.transaction {
            Some(transaction) => transaction.execute_async().await?,
            None => Vec::new(),
        };
        Ok(gather.names.into_iter().zip(values).collect())
    }
}

impl Network {
    /// This network with every weight and batch norm statistic replaced by `values(path,
    /// shape)`, in visiting order, on `device`: how a network is built from a file's values.
    /// `path` is burn's module path, the network's kind first (`Dsd.head.weight`). The first
    /// error stops the filling and is returned.
    pub(crate) fn filled<E>(
        self,
        device: &Device,
        mut values: impl FnMut(&str, &[usize]) -> Result<Vec<f32>, E>,
    ) -> Result<Network, E> {
        self.filled_with_ids(device, |path, shape| Ok((values(path, shape)?, None)))
    }

    /// Like [`Network::filled`], where `values` may also give the parameter's id to keep (a
    /// file's, so that optimiser state saved beside it still finds its parameters).
    pub(crate) fn filled_with_ids<E>(
        self,
        device: &Device,
        values: impl FnMut(&str, &[usize]) -> Result<(Vec<f32>, Option<ParamId>), E>,
    ) -> Result<Network, E> {
        /// Remembers the first error, since a mapper cannot return one.
        struct Fill<'a, F, E> {
            values: F,
            device: &'a Device,
            path: Vec<String>,
            error: Option<E>,
        }
        impl<F, E> ModuleMapper for Fill<'_, F, E>
        where
            F: FnMut(&str, &[usize]) -> Result<(Vec<f32>, Option<ParamId>), E>,
        {
            fn enter_module(&mut self, name: &str, _: &str) {
                self.path.push(name.to_string());
            }
            fn exit_module(&mut self, _: &str, _: &str) {
                self.path.pop();
            }
            fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
                if self.error.is_some() {
                    return param;
                }
                let shape = param.shape().to_vec();
                match (self.values)(&self.path.join("."), &shape) {
                    Ok((values, kept_id)) => {
                        let (fresh_id, old, mapper) = param.consume();
                        let id = kept_id.unwrap_or(fresh_id);
                        let data = TensorData::new(values, shape);
                        // A fresh tensor is untracked: keep training what trained (on an
                        // autodiff device, fine-tuning from an int8 file needs gradients).
                        let value = Tensor::from_data(data, self.device);
                        let value = if old.is_require_grad() {
                            value.require_grad()
                        } else {
                            value
                        };
                        Param::from_mapped_value(id, value, mapper)
                    }
                    Err(error) => {
                        self.error = Some(error);
                        param
                    }
                }
            }
        }
        let mut fill = Fill {
            values,
            device,
            path: Vec::new(),
            error: None,
        };
        let network = self.map(&mut fill);
        match fill.error {
            Some(error) => Err(error),
            None => Ok(network),
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
mod tests;
