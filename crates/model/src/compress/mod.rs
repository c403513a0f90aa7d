//! Compression, one of the topics Inkling teaches: magnitude pruning ([`PruneMask`]) and int8
//! weight quantisation ([`quantize_channels`], the model file's [`WeightEncoding::Int8`]).
//!
//! Both act on the *weights*: convolution kernels and linear matrices, 97 % of a DSD net's
//! parameters. Biases, batch norm's scale and shift and its running statistics stay f32: a few
//! hundred values that set every activation's offset and scale, where an error costs most.
//!
//! [`WeightEncoding::Int8`]: crate::WeightEncoding::Int8

mod int8;
mod prune;

pub(crate) use int8::{decode_int8, encode_int8};
pub use int8::{dequantize_channels, quantize_channels};
pub use prune::{PruneMask, nonzero_params};

/// Whether the tensor at `path` (burn's module path) with `rank` dimensions is a weight that
/// pruning and quantisation act on: a convolution kernel or a linear matrix.
fn is_weight(path: &str, rank: usize) -> bool {
    rank >= 2 && path.ends_with(".weight")
}

/// The axis of a weight's output channels: 0 for a convolution's `[out, in / groups, kh, kw]`,
/// 1 for burn's linear `[in, out]`.
fn output_axis(rank: usize) -> usize {
    if rank == 2 { 1 } else { 0 }
}

/// The output channel of each element of a row-major tensor of `shape`, in order.
fn channel_of_each(shape: &[usize]) -> impl Iterator<Item = usize> + '_ {
    let axis = output_axis(shape.len());
    let stride: usize = shape[axis + 1..].iter().product();
    let channels = shape[axis];
    let len: usize = shape.iter().product();
    (0..len).map(move |i| (i / stride) % channels)
}
