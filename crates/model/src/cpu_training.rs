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

/// Sizes of one depthwise convolution, in NCHW.
#[derive(Debug, Clone, Copy)]
struct Geometry {
    batch: usize,
    channels: usize,
    in_size: [usize; 2],
    out_size: [usize; 2],
    kernel: [usize; 2],
    stride: [usize; 2],
    dilation: [usize; 2],
    pad: [usize; 2],
}

impl Geometry {
    /// `None` unless this is a canonical depthwise convolution in f32 that the kernels below
    /// handle; the caller then falls back to burn's generic backward.
    fn of(
        x: &FloatTensor<Flex>,
        weight: &FloatTensor<Flex>,
        output_grad: &FloatTensor<Flex>,
        options: &ConvOptions<2>,
    ) -> Option<Self> {
        let [batch, channels, h, w] = x.shape().dims();
        let [filters, per_group, kh, kw] = weight.shape().dims();
        let [_, out_channels, oh, ow] = output_grad.shape().dims();
        let f32_only = [x.dtype(), weight.dtype(), output_grad.dtype()]
            .iter()
            .all(|&d| d == DType::F32);
        let depthwise = per_group == 1
            && options.groups == channels
            && filters == channels
            && out_channels == channels;
        (f32_only && depthwise).then_some(Self {
            batch,
            channels,
            in_size: [h, w],
            out_size: [oh, ow],
            kernel: [kh, kw],
            stride: options.stride,
            dilation: options.dilation,
            pad: [options.padding[0].0, options.padding[1].0],
        })
    }

    /// The output positions `o` along `axis` whose input index `o * stride + k * dilation - pad`
    /// for kernel tap `k` lies inside the input, as a half-open range.
    fn valid_outputs(&self, axis: usize, k: usize) -> (usize, usize) {
        let offset = k * self.dilation[axis];
        let (pad, stride) = (self.pad[axis], self.stride[axis]);
        let start = if offset >= pad {
            0
        } else {
            (pad - offset).div_ceil(stride)
        };
        let limit = self.in_size[axis] + pad;
        let end = if offset >= limit {
            0
        } else {
            (limit - offset).div_ceil(stride)
        }
        .min(self.out_size[axis]);
        (start.min(end), end)
    }

    /// Input index for output position `o` and kernel tap `k` (only for valid pairs).
    fn input_index(&self, axis: usize, o: usize, k: usize) -> usize {
        o * self.stride[axis] + k * self.dilation[axis] - self.pad[axis]
    }

    fn in_plane(&self) -> usize {
        self.in_size[0] * self.in_size[1]
    }

    fn out_plane(&self) -> usize {
        self.out_size[0] * self.out_size[1]
    }

    fn taps(&self) -> usize {
        self.kernel[0] * self.kernel[1]
    }
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

/// Gradient of the loss with respect to the input: every output gradient, scaled by the tap's
/// weight, scattered back onto the input pixel that tap read.
fn input_grad(
    x: FloatTensor<Flex>,
    weight: FloatTensor<Flex>,
    output_grad: FloatTensor<Flex>,
    options: &ConvOptions<2>,
) -> FloatTensor<Flex> {
    let Some(g) = Geometry::of(&x, &weight, &output_grad, options) else {
        return Flex::conv2d_x_backward(x, weight, output_grad, options.clone());
    };
    let (weight, output_grad) = (contiguous(weight), contiguous(output_grad));
    let weights = weight.as_slice::<f32>().expect("contiguous f32");
    let grads = output_grad.as_slice::<f32>().expect("contiguous f32");
    let mut result = vec![0.0f32; g.batch * g.channels * g.in_plane()];

    for_each_chunk(&mut result, g.in_plane(), |index, input| {
        let output = &grads[index * g.out_plane()..][..g.out_plane()];
        let filter = &weights[(index % g.channels) * g.taps()..][..g.taps()];
        let [in_w, out_w] = [g.in_size[1], g.out_size[1]];
        for ky in 0..g.kernel[0] {
            let (oy0, oy1) = g.valid_outputs(0, ky);
            for kx in 0..g.kernel[1] {
                let (ox0, ox1) = g.valid_outputs(1, kx);
                if ox0 >= ox1 {
                    continue;
                }
                let tap = filter[ky * g.kernel[1] + kx];
                let ix0 = g.input_index(1, ox0, kx);
                for oy in oy0..oy1 {
                    let row = &output[oy * out_w + ox0..oy * out_w + ox1];
                    let start = g.input_index(0, oy, ky) * in_w + ix0;
                    if g.stride[1] == 1 {
                        let target = &mut input[start..start + row.len()];
                        for (t, &o) in target.iter_mut().zip(row) {
                            *t += tap * o;
                        }
                    } else {
                        for (j, &o) in row.iter().enumerate() {
                            input[start + j * g.stride[1]] += tap * o;
                        }
                    }
                }
            }
        }
    });

    f32_tensor(result, x.shape())
}

/// Gradient of the loss with respect to the filters: for each channel and tap, the sum over the
/// batch and all output positions of output gradient times the input pixel the tap read.
fn weight_grad(
    x: FloatTensor<Flex>,
    weight: FloatTensor<Flex>,
    output_grad: FloatTensor<Flex>,
    options: &ConvOptions<2>,
) -> FloatTensor<Flex> {
    let Some(g) = Geometry::of(&x, &weight, &output_grad, options) else {
        return Flex::conv2d_weight_backward(x, weight, output_grad, options.clone());
    };
    let (x, output_grad) = (contiguous(x), contiguous(output_grad));
    let inputs = x.as_slice::<f32>().expect("contiguous f32");
    let grads = output_grad.as_slice::<f32>().expect("contiguous f32");
    let mut result = vec![0.0f32; g.channels * g.taps()];

    for_each_chunk(&mut result, g.taps(), |channel, filter| {
        let [in_w, out_w] = [g.in_size[1], g.out_size[1]];
        for n in 0..g.batch {
            let plane = n * g.channels + channel;
            let input = &inputs[plane * g.in_plane()..][..g.in_plane()];
            let output = &grads[plane * g.out_plane()..][..g.out_plane()];
            for ky in 0..g.kernel[0] {
                let (oy0, oy1) = g.valid_outputs(0, ky);
                for kx in 0..g.kernel[1] {
                    let (ox0, ox1) = g.valid_outputs(1, kx);
                    if ox0 >= ox1 {
                        continue;
                    }
                    let ix0 = g.input_index(1, ox0, kx);
                    let mut sum = 0.0f32;
                    for oy in oy0..oy1 {
                        let row = &output[oy * out_w + ox0..oy * out_w + ox1];
                        let start = g.input_index(0, oy, ky) * in_w + ix0;
                        sum += if g.stride[1] == 1 {
                            dot(row, &input[start..start + row.len()])
                        } else {
                            row.iter()
                                .enumerate()
                                .map(|(j, &o)| o * input[start + j * g.stride[1]])
                                .sum()
                        };
                    }
                    filter[ky * g.kernel[1] + kx] += sum;
                }
            }
        }
    });

    f32_tensor(result, weight.shape())
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

/// Per-channel statistics, in f64 to keep the sums of a large batch exact enough.
fn per_channel(
    batch: usize,
    channels: usize,
    f: impl Fn(usize, usize) -> [f64; 2] + Send + Sync,
) -> Vec<[f64; 2]> {
    let mut sums = vec![[0.0f64; 2]; channels];
    for_each_chunk(&mut sums, 1, |channel, out| {
        out[0] = (0..batch).fold([0.0, 0.0], |acc, n| {
            let [a, b] = f(n, channel);
            [acc[0] + a, acc[1] + b]
        });
    });
    sums
}

fn channel_moments(x: FloatTensor<Flex>) -> FloatTensor<Flex> {
    let x = contiguous(x);
    let (batch, channels, plane) = nchw(&x);
    let data = values(&x);
    let count = (batch * plane) as f64;
    let slice = |n: usize, c: usize| &data[(n * channels + c) * plane..][..plane];
    let sums = per_channel(batch, channels, |n, c| [sum(slice(n, c)) as f64, 0.0]);
    let means: Vec<f64> = sums.iter().map(|s| s[0] / count).collect();
    let squares = per_channel(batch, channels, |n, c| {
        [squared_deviation(slice(n, c), means[c] as f32) as f64, 0.0]
    });
    let moments = means
        .iter()
        .map(|&m| m as f32)
        .chain(squares.iter().map(|s| (s[0] / count) as f32))
        .collect();
    f32_tensor(moments, burn::tensor::Shape::new([2, channels]))
}

/// `1 / sqrt(variance + epsilon)` per channel.
fn inverse_std(variance: &[f32], epsilon: f64) -> Vec<f32> {
    variance
        .iter()
        .map(|&v| (1.0 / (v as f64 + epsilon).sqrt()) as f32)
        .collect()
}

fn batch_norm_forward(
    x: FloatTensor<Flex>,
    gamma: FloatTensor<Flex>,
    beta: FloatTensor<Flex>,
    mean: FloatTensor<Flex>,
    variance: FloatTensor<Flex>,
    epsilon: f64,
) -> FloatTensor<Flex> {
    let [x, gamma, beta, mean, variance] = [x, gamma, beta, mean, variance].map(contiguous);
    let (_, channels, plane) = nchw(&x);
    let inv_std = inverse_std(values(&variance), epsilon);
    // y = gamma * (x - mean) * inv_std + beta = x * scale + shift
    let (gamma, beta, mean) = (values(&gamma), values(&beta), values(&mean));
    let scale: Vec<f32> = (0..channels).map(|c| gamma[c] * inv_std[c]).collect();
    let shift: Vec<f32> = (0..channels)
        .map(|c| beta[c] - mean[c] * scale[c])
        .collect();
    let input = values(&x);
    let mut output = vec![0.0f32; input.len()];
    for_each_chunk(&mut output, plane, |i, out| {
        let (a, b) = (scale[i % channels], shift[i % channels]);
        for (o, &v) in out.iter_mut().zip(&input[i * plane..][..plane]) {
            *o = v * a + b;
        }
    });
    f32_tensor(output, x.shape())
}

/// Gradients of training-mode batch norm for `x`, `gamma` and `beta`, the batch statistics
/// depending on `x`: with `M` values per channel, `x_hat = (x - mean) * inv_std`,
/// `d_beta = sum(g)`, `d_gamma = sum(g * x_hat)` and
/// `d_x = gamma * inv_std / M * (M * g - d_beta - x_hat * d_gamma)`.
fn batch_norm_backward(
    x: FloatTensor<Flex>,
    gamma: FloatTensor<Flex>,
    mean: FloatTensor<Flex>,
    variance: FloatTensor<Flex>,
    epsilon: f64,
    output_grad: FloatTensor<Flex>,
) -> (FloatTensor<Flex>, FloatTensor<Flex>, FloatTensor<Flex>) {
    let [x, gamma, mean, variance, output_grad] =
        [x, gamma, mean, variance, output_grad].map(contiguous);
    let (batch, channels, plane) = nchw(&x);
    let count = (batch * plane) as f32;
    let inv_std = inverse_std(values(&variance), epsilon);
    let (gamma_values, mean) = (values(&gamma), values(&mean));
    let (input, grad) = (values(&x), values(&output_grad));
    let at = |n: usize, c: usize| (n * channels + c) * plane;

    // sum(g) and sum(g * x) per channel.
    let sums = per_channel(batch, channels, |n, c| {
        let (g, v) = (&grad[at(n, c)..][..plane], &input[at(n, c)..][..plane]);
        [sum(g) as f64, dot(g, v) as f64]
    });
    let d_beta: Vec<f32> = sums.iter().map(|s| s[0] as f32).collect();
    let d_gamma: Vec<f32> = (0..channels)
        .map(|c| inv_std[c] * (sums[c][1] as f32 - mean[c] * d_beta[c]))
        .collect();

    // d_x = k1 * g + k2 * x + k3, per channel.
    let coefficients: Vec<[f32; 3]> = (0..channels)
        .map(|c| {
            let k1 = gamma_values[c] * inv_std[c];
            let k2 = -k1 * inv_std[c] * d_gamma[c] / count;
            [k1, k2, -k1 * d_beta[c] / count - k2 * mean[c]]
        })
        .collect();
    let mut x_grad = vec![0.0f32; input.len()];
    for_each_chunk(&mut x_grad, plane, |i, out| {
        let [k1, k2, k3] = coefficients[i % channels];
        let (g, v) = (&grad[i * plane..][..plane], &input[i * plane..][..plane]);
        for ((o, &g), &v) in out.iter_mut().zip(g).zip(v) {
            *o = k1 * g + k2 * v + k3;
        }
    });
    let per_channel_shape = gamma.shape();
    (
        f32_tensor(x_grad, x.shape()),
        f32_tensor(d_gamma, per_channel_shape.clone()),
        f32_tensor(d_beta, per_channel_shape),
    )
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
    use burn::tensor::Distribution;
    use burn::tensor::module::conv2d;

    /// Gradients through the extension equal burn's generic grouped-convolution gradients.
    fn assert_matches_burn(
        shape: [usize; 4],
        kernel: usize,
        stride: usize,
        dilation: usize,
        pad: usize,
    ) {
        let device = Device::flex().autodiff();
        assert!(accelerated(&Tensor::zeros([1, 1, 1, 1], &device)));
        let [_, channels, _, _] = shape;
        let x = Tensor::<4>::random(shape, Distribution::Normal(0.0, 1.0), &device);
        let weight = Tensor::<4>::random(
            [channels, 1, kernel, kernel],
            Distribution::Normal(0.0, 1.0),
            &device,
        );
        let options = ConvOptions::new([stride; 2], [pad; 2], [dilation; 2], channels);

        // A non-uniform upstream gradient, so every output position counts differently.
        let out_dims = conv2d(x.clone(), weight.clone(), None, options.clone()).dims();
        let probe = Tensor::<4>::random(out_dims, Distribution::Normal(0.0, 1.0), &device);

        let run = |custom: bool| {
            let x = x.clone().detach().require_grad();
            let weight = weight.clone().detach().require_grad();
            let out = if custom {
                depthwise_conv2d(x.clone(), weight.clone(), options.clone())
            } else {
                conv2d(x.clone(), weight.clone(), None, options.clone())
            };
            let grads = (out.clone() * probe.clone()).sum().backward();
            (
                out.inner(),
                x.grad(&grads).unwrap(),
                weight.grad(&grads).unwrap(),
            )
        };
        let (out_a, gx_a, gw_a) = run(true);
        let (out_b, gx_b, gw_b) = run(false);

        let tolerance = burn::tensor::Tolerance::<f32>::absolute(1e-3);
        out_a
            .into_data()
            .assert_approx_eq(&out_b.into_data(), tolerance);
        gx_a.into_data()
            .assert_approx_eq(&gx_b.into_data(), tolerance);
        gw_a.into_data()
            .assert_approx_eq(&gw_b.into_data(), tolerance);
    }

    /// Training-mode batch norm through the extension equals burn's `BatchNorm`: output,
    /// running statistics and the gradients of input, scale and shift.
    #[test]
    fn batch_norm_matches_burn() {
        use burn::module::Param;
        use burn::nn::BatchNormConfig;

        let device = Device::flex().autodiff();
        let shape = [4, 3, 5, 6];
        let x = Tensor::<4>::random(shape, Distribution::Normal(1.5, 2.0), &device);
        let gamma = Tensor::<1>::random([3], Distribution::Normal(1.0, 0.5), &device);
        let beta = Tensor::<1>::random([3], Distribution::Normal(0.0, 0.5), &device);
        let probe = Tensor::<4>::random(shape, Distribution::Normal(0.0, 1.0), &device);
        assert!(accelerated(&x));

        let run = |custom: bool| {
            let mut norm = BatchNormConfig::new(3).init(&device);
            norm.gamma = Param::from_tensor(gamma.clone().detach());
            norm.beta = Param::from_tensor(beta.clone().detach());
            let x = x.clone().detach().require_grad();
            let out = if custom {
                batch_norm_train(&norm, x.clone())
            } else {
                norm.forward(x.clone())
            };
            let grads = (out.clone() * probe.clone()).sum().backward();
            [
                out.inner().into_data(),
                x.grad(&grads).unwrap().into_data(),
                norm.gamma.val().grad(&grads).unwrap().into_data(),
                norm.beta.val().grad(&grads).unwrap().into_data(),
                norm.running_mean.value().into_data(),
                norm.running_var.value().into_data(),
            ]
        };
        let tolerance = burn::tensor::Tolerance::<f32>::absolute(1e-4);
        for (custom, burn) in run(true).iter().zip(run(false)) {
            custom.assert_approx_eq(&burn, tolerance);
        }
    }

    #[test]
    fn gradients_match_burn_at_stride_1() {
        assert_matches_burn([3, 4, 9, 11], 3, 1, 1, 1);
    }

    #[test]
    fn gradients_match_burn_when_dilated() {
        assert_matches_burn([2, 5, 12, 10], 3, 1, 2, 2);
    }

    #[test]
    fn gradients_match_burn_at_stride_2_on_odd_and_even_sizes() {
        assert_matches_burn([2, 3, 14, 14], 3, 2, 1, 1);
        assert_matches_burn([2, 3, 7, 9], 3, 2, 1, 1);
    }

    #[test]
    fn gradients_match_burn_with_less_padding_than_the_kernel_reach() {
        assert_matches_burn([2, 3, 10, 10], 3, 1, 2, 1);
    }

    #[test]
    fn only_autodiff_on_flex_is_accelerated() {
        let on = |device: &Device| Tensor::<4>::zeros([1, 1, 2, 2], device);
        assert!(!accelerated(&on(&Device::flex())));
        assert!(accelerated(&on(&Device::flex().autodiff())));
    }
}
