//! Hand-written training kernels for burn's flex CPU backend: depthwise convolution and
//! batch normalisation.
//!
//! burn 0.22's generic backward for grouped convolutions computes the weight gradient one group
//! (here: one channel) at a time and routes the input gradient through a grouped transposed
//! convolution with layout copies; its batch norm moves the channel axis to the front (a full
//! copy of the activation) for every statistic, forward and backward. In the DSD net, whose
//! blocks are depthwise convolution -> pointwise -> batch norm, those were most of a CPU training
//! step (profiled with `perf`, see the README). This module registers a burn backend extension
//! whose operations walk the NCHW planes directly, with hand-written backward passes.
//!
//! Only autodiff tensors on flex take this route ([`accelerated`]); inference and the GPU
//! backends keep burn's own operations, so modules, weights and model files are unchanged.

use burn::backend::AutodiffBackend;
use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::autodiff::{Autodiff, NodeId};
use burn::backend::ops::{FloatTensorOps, ModuleOps};
use burn::backend::tensor::FloatTensor;
use burn::backend::{Backend, Dispatch, Flex, TensorMetadata, backend_extension};
use burn::nn::BatchNorm;
use burn::tensor::ops::ConvOptions;
use burn::tensor::{DType, Device, Tensor, TensorData};

#[cfg(feature = "parallel")]
use rayon::prelude::*;

mod batch_norm;
mod depthwise;

use batch_norm::{batch_norm_backward, batch_norm_forward, channel_moments};
use depthwise::{input_grad, weight_grad};

/// The backend extension: operations with a hand-written backward pass on flex.
#[backend_extension(Autodiff, Flex)]
pub trait CpuTrainingKernels: Backend {
    /// Depthwise 2-D convolution (`groups == channels`, one filter per channel, no bias).
    /// `x`: `[batch, channels, height, width]`; `weight`: `[channels, 1, kh, kw]`.
    fn depthwise_conv2d(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        options: ConvOptions<2>,
    ) -> FloatTensor<Self>;

    /// Per-channel mean and biased variance of `x` (`[batch, channels, h, w]`), as `[2, channels]`.
    /// Not differentiated: batch norm's backward accounts for the statistics itself.
    fn channel_moments(x: FloatTensor<Self>) -> FloatTensor<Self>;

    /// Training-mode batch norm of `x` with the batch statistics `mean` and `variance` (from
    /// [`channel_moments`](Self::channel_moments) of the same `x`), differentiable in `x`,
    /// `gamma` and `beta`.
    fn batch_norm_train(
        x: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        beta: FloatTensor<Self>,
        mean: FloatTensor<Self>,
        variance: FloatTensor<Self>,
        epsilon: f64,
    ) -> FloatTensor<Self>;
}

// The extension macro routes plain flex tensors here; Inkling only calls the extension on autodiff
// tensors ([`accelerated`]), so these are the forward passes the autodiff impl wraps.
impl CpuTrainingKernels for Flex {
    fn depthwise_conv2d(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        options: ConvOptions<2>,
    ) -> FloatTensor<Self> {
        Flex::conv2d(x, weight, None, options)
    }

    fn channel_moments(x: FloatTensor<Self>) -> FloatTensor<Self> {
        channel_moments(x)
    }

    fn batch_norm_train(
        x: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        beta: FloatTensor<Self>,
        mean: FloatTensor<Self>,
        variance: FloatTensor<Self>,
        epsilon: f64,
    ) -> FloatTensor<Self> {
        batch_norm_forward(x, gamma, beta, mean, variance, epsilon)
    }
}

impl<C: CheckpointStrategy> CpuTrainingKernels for Autodiff<Flex, C> {
    fn depthwise_conv2d(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        options: ConvOptions<2>,
    ) -> FloatTensor<Self> {
        match DepthwiseBackward
            .prepare::<C>([x.node(), weight.node()])
            .compute_bound()
            .stateful()
        {
            OpsKind::Tracked(mut prep) => {
                let x_state = prep.checkpoint(&x);
                let weight_state = prep.checkpoint(&weight);
                let output = Flex::conv2d(
                    x.into_primitive(),
                    weight.into_primitive(),
                    None,
                    options.clone(),
                );
                prep.finish((x_state, weight_state, options), output)
            }
            OpsKind::UnTracked(prep) => prep.finish(Flex::conv2d(
                x.into_primitive(),
                weight.into_primitive(),
                None,
                options,
            )),
        }
    }

    fn channel_moments(x: FloatTensor<Self>) -> FloatTensor<Self> {
        Self::from_inner(channel_moments(x.into_primitive()))
    }

    fn batch_norm_train(
        x: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        beta: FloatTensor<Self>,
        mean: FloatTensor<Self>,
        variance: FloatTensor<Self>,
        epsilon: f64,
    ) -> FloatTensor<Self> {
        let (mean, variance) = (mean.into_primitive(), variance.into_primitive());
        match BatchNormBackward
            .prepare::<C>([x.node(), gamma.node(), beta.node()])
            .compute_bound()
            .stateful()
        {
            OpsKind::Tracked(mut prep) => {
                let x_state = prep.checkpoint(&x);
                let gamma_state = prep.checkpoint(&gamma);
                let output = batch_norm_forward(
                    x.into_primitive(),
                    gamma.into_primitive(),
                    beta.into_primitive(),
                    mean.clone(),
                    variance.clone(),
                    epsilon,
                );
                let state = (x_state, gamma_state, mean, variance, epsilon);
                prep.finish(state, output)
            }
            OpsKind::UnTracked(prep) => prep.finish(batch_norm_forward(
                x.into_primitive(),
                gamma.into_primitive(),
                beta.into_primitive(),
                mean,
                variance,
                epsilon,
            )),
        }
    }
}

/// The backward step registered for each batch norm in the autodiff graph.
#[derive(Debug)]
struct BatchNormBackward;

impl Backward<Flex, 3> for BatchNormBackward {
    type State = (NodeId, NodeId, FloatTensor<Flex>, FloatTensor<Flex>, f64);

    fn backward(
        self,
        ops: Ops<Self::State, 3>,
        grads: &mut Gradients,
        checkpointer: &mut Checkpointer,
    ) {
        let [node_x, node_gamma, node_beta] = ops.parents;
        let output_grad = grads.consume::<Flex>(&ops.node);
        let (x_state, gamma_state, mean, variance, epsilon) = ops.state;
        let x = checkpointer.retrieve_node_output::<FloatTensor<Flex>>(x_state);
        let gamma = checkpointer.retrieve_node_output::<FloatTensor<Flex>>(gamma_state);

        let (x_grad, gamma_grad, beta_grad) =
            batch_norm_backward(x, gamma, mean, variance, epsilon, output_grad);
        for (node, grad) in [
            (node_x, x_grad),
            (node_gamma, gamma_grad),
            (node_beta, beta_grad),
        ] {
            if let Some(node) = node {
                grads.register::<Flex>(node.id, grad);
            }
        }
    }
}

/// The backward step registered for each depthwise convolution in the autodiff graph.
#[derive(Debug)]
struct DepthwiseBackward;

impl Backward<Flex, 2> for DepthwiseBackward {
    type State = (NodeId, NodeId, ConvOptions<2>);

    fn backward(
        self,
        ops: Ops<Self::State, 2>,
        grads: &mut Gradients,
        checkpointer: &mut Checkpointer,
    ) {
        let [node_x, node_weight] = ops.parents;
        let output_grad = grads.consume::<Flex>(&ops.node);
        let (x_state, weight_state, options) = ops.state;
        let x = checkpointer.retrieve_node_output::<FloatTensor<Flex>>(x_state);
        let weight = checkpointer.retrieve_node_output::<FloatTensor<Flex>>(weight_state);

        if let Some(node) = node_x {
            let grad = input_grad(x.clone(), weight.clone(), output_grad.clone(), &options);
            grads.register::<Flex>(node.id, grad);
        }
        if let Some(node) = node_weight {
            let grad = weight_grad(x, weight, output_grad, &options);
            grads.register::<Flex>(node.id, grad);
        }
    }
}

/// Whether the functions of this module take `x`: an f32 tensor on autodiff-on-flex. Everything
/// else is better served by burn's own operations.
pub fn accelerated(x: &Tensor<4>) -> bool {
    let device = x.device();
    x.dtype() == DType::F32 && device.is_autodiff() && device.without_autodiff() == Device::flex()
}

/// Depthwise convolution of `x` (`[batch, channels, h, w]`) with `weight`
/// (`[channels, 1, kh, kw]`) through the backend extension. Call it only where [`accelerated`]
/// holds; other backends have no implementation of the extension.
pub fn depthwise_conv2d(x: Tensor<4>, weight: Tensor<4>, options: ConvOptions<2>) -> Tensor<4> {
    Tensor::from_dispatch(<Dispatch as CpuTrainingKernels>::depthwise_conv2d(
        x.into_dispatch(),
        weight.into_dispatch(),
        options,
    ))
}

/// Training-mode forward pass of `norm` on `x` (`[batch, channels, h, w]`): normalise with the
/// batch statistics and fold them into the running statistics exactly as burn's `BatchNorm`
/// does. Call it only where [`accelerated`] holds.
pub fn batch_norm_train(norm: &BatchNorm, x: Tensor<4>) -> Tensor<4> {
    let [_, channels, _, _] = x.dims();
    let moments: Tensor<2> = Tensor::from_dispatch(
        <Dispatch as CpuTrainingKernels>::channel_moments(x.clone().detach().into_dispatch()),
    );
    let mean = moments.clone().narrow(0, 0, 1).reshape([channels]);
    let variance = moments.narrow(0, 1, 1).reshape([channels]);

    let device = x.device();
    let momentum = norm.momentum;
    let running_mean = norm.running_mean.value_sync().to_device(&device);
    let running_var = norm.running_var.value_sync().to_device(&device);
    norm.running_mean.update(
        (running_mean.mul_scalar(1.0 - momentum) + mean.clone().mul_scalar(momentum)).detach(),
    );
    norm.running_var.update(
        (running_var.mul_scalar(1.0 - momentum) + variance.clone().mul_scalar(momentum)).detach(),
    );

    Tensor::from_dispatch(<Dispatch as CpuTrainingKernels>::batch_norm_train(
        x.into_dispatch(),
        norm.gamma.val().into_dispatch(),
        norm.beta.val().into_dispatch(),
        mean.into_dispatch(),
        variance.into_dispatch(),
        norm.epsilon,
    ))
}

/// A contiguous f32 copy-free view where possible.
fn contiguous(tensor: FloatTensor<Flex>) -> FloatTensor<Flex> {
    if tensor.as_slice::<f32>().is_some() {
        tensor
    } else {
        tensor.to_contiguous()
    }
}

fn f32_tensor(values: Vec<f32>, shape: burn::tensor::Shape) -> FloatTensor<Flex> {
    Flex::float_from_data(TensorData::new(values, shape), &Default::default())
}

/// Calls `f(index, chunk)` for each `size`-long chunk of `data`, on all cores with the `parallel`
/// feature.
fn for_each_chunk<T: Send>(data: &mut [T], size: usize, f: impl Fn(usize, &mut [T]) + Send + Sync) {
    #[cfg(feature = "parallel")]
    data.par_chunks_mut(size)
        .enumerate()
        .for_each(|(i, chunk)| f(i, chunk));
    #[cfg(not(feature = "parallel"))]
    data.chunks_mut(size)
        .enumerate()
        .for_each(|(i, chunk)| f(i, chunk));
}

/// Batch, channels and elements per channel plane of an NCHW tensor.
fn nchw(x: &FloatTensor<Flex>) -> (usize, usize, usize) {
    let [batch, channels, h, w] = x.shape().dims();
    (batch, channels, h * w)
}

/// The f32 values of a contiguous tensor. Callers route only f32 tensors here ([`accelerated`]).
fn values(tensor: &FloatTensor<Flex>) -> &[f32] {
    tensor
        .as_slice::<f32>()
        .expect("the CPU training kernels take contiguous f32 tensors")
}

/// Sum with eight independent accumulators (see [`dot`]).
fn sum(a: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let chunks = a.chunks_exact(8);
    let tail: f32 = chunks.remainder().iter().sum();
    for chunk in chunks {
        for i in 0..8 {
            lanes[i] += chunk[i];
        }
    }
    lanes.iter().sum::<f32>() + tail
}

/// Sum of `(a - mean)^2` with eight independent accumulators (see [`dot`]).
fn squared_deviation(a: &[f32], mean: f32) -> f32 {
    let mut lanes = [0.0f32; 8];
    let chunks = a.chunks_exact(8);
    let tail: f32 = chunks
        .remainder()
        .iter()
        .map(|v| (v - mean) * (v - mean))
        .sum();
    for chunk in chunks {
        for i in 0..8 {
            let d = chunk[i] - mean;
            lanes[i] += d * d;
        }
    }
    lanes.iter().sum::<f32>() + tail
}

/// Dot product with eight independent accumulators, so the compiler can vectorise it (a single
/// f32 accumulator forbids reordering the additions).
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let (a_chunks, b_chunks) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = a_chunks
        .remainder()
        .iter()
        .zip(b_chunks.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (ca, cb) in a_chunks.zip(b_chunks) {
        for i in 0..8 {
            lanes[i] += ca[i] * cb[i];
        }
    }
    lanes.iter().sum::<f32>() + tail
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_autodiff_on_flex_is_accelerated() {
        let on = |device: &Device| Tensor::<4>::zeros([1, 1, 2, 2], device);
        assert!(!accelerated(&on(&Device::flex())));
        assert!(accelerated(&on(&Device::flex().autodiff())));
    }
}
