//! Training-mode batch normalisation on NCHW planes: batch statistics, forward and backward.

use super::{contiguous, dot, f32_tensor, for_each_chunk, nchw, squared_deviation, sum, values};
use burn::backend::tensor::FloatTensor;
use burn::backend::{Flex, TensorMetadata};

/// Two f64 sums per channel, `f(channel)`, one channel per task. f64 keeps the sums over a whole
/// batch exact enough.
fn per_channel(channels: usize, f: impl Fn(usize) -> [f64; 2] + Send + Sync) -> Vec<[f64; 2]> {
    let mut sums = vec![[0.0f64; 2]; channels];
    for_each_chunk(&mut sums, 1, |channel, out| out[0] = f(channel));
    sums
}

/// Mean and biased variance per channel (two passes over each channel's planes), as
/// `[2, channels]`.
pub(super) fn channel_moments(x: FloatTensor<Flex>) -> FloatTensor<Flex> {
    let x = contiguous(x);
    let (batch, channels, plane) = nchw(&x);
    let data = values(&x);
    let count = (batch * plane) as f64;
    let slice = |n: usize, c: usize| &data[(n * channels + c) * plane..][..plane];
    let moments = per_channel(channels, |c| {
        let mean = (0..batch).map(|n| sum(slice(n, c)) as f64).sum::<f64>() / count;
        let squares: f64 = (0..batch)
            .map(|n| squared_deviation(slice(n, c), mean as f32) as f64)
            .sum();
        [mean, squares / count]
    });
    let values = (0..2)
        .flat_map(|i| moments.iter().map(move |m| m[i] as f32))
        .collect();
    f32_tensor(values, burn::tensor::Shape::new([2, channels]))
}

/// `1 / sqrt(variance + epsilon)` per channel.
fn inverse_std(variance: &[f32], epsilon: f64) -> Vec<f32> {
    variance
        .iter()
        .map(|&v| (1.0 / (v as f64 + epsilon).sqrt()) as f32)
        .collect()
}

pub(super) fn batch_norm_forward(
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
pub(super) fn batch_norm_backward(
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
    let sums = per_channel(channels, |c| {
        (0..batch).fold([0.0, 0.0], |[sum_g, sum_gx], n| {
            let (g, v) = (&grad[at(n, c)..][..plane], &input[at(n, c)..][..plane]);
            [sum_g + sum(g) as f64, sum_gx + dot(g, v) as f64]
        })
    });
    let d_beta: Vec<f32> = sums.iter().map(|s| s[0] as f32).collect();
    // sum(g * x_hat) = inv_std * (sum(g * x) - mean * sum(g)), the difference taken in f64.
    let d_gamma: Vec<f32> = (0..channels)
        .map(|c| inv_std[c] * (sums[c][1] - mean[c] as f64 * sums[c][0]) as f32)
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

#[cfg(test)]
mod tests {
    use crate::cpu_training::{accelerated, batch_norm_train};
    use burn::tensor::{Device, Distribution, Tensor};

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
}
