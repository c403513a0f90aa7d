//! The DSD net's learned filters as plain numbers, for drawing: the stem's 3x3 kernels, each
//! block's depthwise 3x3 kernels (drawn with their dilation as spaced taps) and its pointwise
//! weights (a matrix from the block's input channels to its output channels). They depend only
//! on the model, so the page reads them once per model, in one transaction.

use crate::Network;
use burn::tensor::{ExecutionError, Transaction};

/// Taps of a 3x3 kernel.
pub const TAPS: usize = 9;

/// One block's filters.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockFilters {
    /// Input channels: one depthwise kernel each.
    pub channels: usize,
    /// Spacing of the depthwise taps (1: dense).
    pub dilation: usize,
    /// The depthwise kernels, `channels x 9` values, each row by row.
    pub depthwise: Vec<f32>,
    /// Output channels of the pointwise step.
    pub out_channels: usize,
    /// The pointwise weights, `out_channels x channels` values, row by row.
    pub pointwise: Vec<f32>,
}

impl BlockFilters {
    /// Side of a depthwise kernel drawn with its gaps: `2 * dilation + 1` input pixels.
    pub fn extent(&self) -> usize {
        2 * self.dilation + 1
    }
}

/// Every learned filter of a DSD net.
#[derive(Debug, Clone, PartialEq)]
pub struct Filters {
    /// The stem's kernels, `stem x 9` values.
    pub stem: Vec<f32>,
    /// Each block's.
    pub blocks: Vec<BlockFilters>,
}

/// Largest magnitude among `values` (one colour scale per layer).
pub fn max_abs(values: &[f32]) -> f32 {
    values.iter().fold(0.0, |m, v| m.max(v.abs()))
}

/// Reads `network`'s filters; `None` for a network that is not a DSD net.
pub async fn read_filters(network: &Network) -> Result<Option<Filters>, ExecutionError> {
    let Some((stem, blocks)) = network.dsd_filters() else {
        return Ok(None);
    };
    let shapes: Vec<(usize, usize, usize)> = blocks
        .iter()
        .map(|(depthwise, dilation, pointwise)| {
            (depthwise.dims()[0], *dilation, pointwise.dims()[0])
        })
        .collect();
    let transaction = blocks.into_iter().fold(
        Transaction::default().register(stem),
        |t, (depthwise, _, pointwise)| t.register(depthwise).register(pointwise),
    );
    let mut values = transaction.execute_async().await?.into_iter();
    let mut next = || -> Vec<f32> {
        values
            .next()
            .expect("one value per registered tensor")
            .iter::<f32>()
            .collect()
    };
    let stem = next();
    let blocks = shapes
        .into_iter()
        .map(|(channels, dilation, out_channels)| BlockFilters {
            channels,
            dilation,
            depthwise: next(),
            out_channels,
            pointwise: next(),
        })
        .collect();
    Ok(Some(Filters { stem, blocks }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ModelConfig;
    use burn::tensor::Device;

    #[test]
    fn a_dsd_nets_filters_have_its_shapes_dilations_and_weights() {
        let device = Device::flex();
        let config = ModelConfig::preset("dsd-s").unwrap();
        let network = config.init(&device).unwrap();
        let filters = pollster::block_on(read_filters(&network)).unwrap().unwrap();
        assert_eq!(filters.stem.len(), 16 * TAPS);
        let shape: Vec<(usize, usize, usize)> = filters
            .blocks
            .iter()
            .map(|b| (b.channels, b.dilation, b.out_channels))
            .collect();
        assert_eq!(
            shape,
            [
                (16, 1, 32),
                (32, 2, 32),
                (32, 1, 64),
                (64, 2, 64),
                (64, 1, 128),
                (128, 2, 128)
            ]
        );
        for b in &filters.blocks {
            assert_eq!(b.depthwise.len(), b.channels * TAPS);
            assert_eq!(b.pointwise.len(), b.out_channels * b.channels);
            assert_eq!(b.extent(), 2 * b.dilation + 1);
        }
        // The values are the network's own, in burn's [out, in, k, k] order.
        let (stem, blocks) = network.dsd_filters().unwrap();
        let stem: Vec<f32> = stem.into_data().iter::<f32>().collect();
        assert_eq!(filters.stem, stem);
        let pointwise: Vec<f32> = blocks[5].2.clone().into_data().iter::<f32>().collect();
        assert_eq!(filters.blocks[5].pointwise, pointwise);
        assert!(max_abs(&filters.stem) > 0.0);
    }

    #[test]
    fn the_baselines_have_no_dsd_filters() {
        let device = Device::flex();
        for preset in ["cnn", "mlp"] {
            let network = ModelConfig::preset(preset).unwrap().init(&device).unwrap();
            assert!(
                pollster::block_on(read_filters(&network))
                    .unwrap()
                    .is_none()
            );
        }
    }
}
