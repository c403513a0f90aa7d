//! The depthwise convolution's backward pass on NCHW planes (its forward pass is flex's own).

use super::{contiguous, dot, f32_tensor, for_each_chunk, values};
use burn::backend::ops::ModuleOps;
use burn::backend::tensor::FloatTensor;
use burn::backend::{Flex, TensorMetadata};
use burn::tensor::ops::ConvOptions;

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
    /// `None` unless this is a canonical depthwise convolution (one filter per channel), which the
    /// kernels below handle; the caller then falls back to burn's generic backward.
    fn of(
        x: &FloatTensor<Flex>,
        weight: &FloatTensor<Flex>,
        output_grad: &FloatTensor<Flex>,
        options: &ConvOptions<2>,
    ) -> Option<Self> {
        let [batch, channels, h, w] = x.shape().dims();
        let [filters, per_group, kh, kw] = weight.shape().dims();
        let [_, out_channels, oh, ow] = output_grad.shape().dims();
        let depthwise = per_group == 1
            && options.groups == channels
            && filters == channels
            && out_channels == channels;
        depthwise.then_some(Self {
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

/// Gradient of the loss with respect to the input: every output gradient, scaled by the tap's
/// weight, scattered back onto the input pixel that tap read.
pub(super) fn input_grad(
    x: FloatTensor<Flex>,
    weight: FloatTensor<Flex>,
    output_grad: FloatTensor<Flex>,
    options: &ConvOptions<2>,
) -> FloatTensor<Flex> {
    let Some(g) = Geometry::of(&x, &weight, &output_grad, options) else {
        return Flex::conv2d_x_backward(x, weight, output_grad, options.clone());
    };
    let (weight, output_grad) = (contiguous(weight), contiguous(output_grad));
    let weights = values(&weight);
    let grads = values(&output_grad);
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
pub(super) fn weight_grad(
    x: FloatTensor<Flex>,
    weight: FloatTensor<Flex>,
    output_grad: FloatTensor<Flex>,
    options: &ConvOptions<2>,
) -> FloatTensor<Flex> {
    let Some(g) = Geometry::of(&x, &weight, &output_grad, options) else {
        return Flex::conv2d_weight_backward(x, weight, output_grad, options.clone());
    };
    let (x, output_grad) = (contiguous(x), contiguous(output_grad));
    let inputs = values(&x);
    let grads = values(&output_grad);
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

#[cfg(test)]
mod tests {
    use crate::cpu_training::{accelerated, depthwise_conv2d};
    use burn::tensor::module::conv2d;
    use burn::tensor::ops::ConvOptions;
    use burn::tensor::{Device, Distribution, Tensor};

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
}
