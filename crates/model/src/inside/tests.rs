//! The layers' names and shapes, the maps a network computes, and receptive fields: known
//! cases, sizes against [`ModelConfig::receptive_field`], and (with autodiff) exactly the
//! pixels whose gradient reaches a unit.

use super::*;
use crate::config::{DsdBlockConfig, DsdConfig};
use burn::tensor::{Device, Distribution, Tensor};

fn dsd(stem: usize, blocks: &[(usize, usize, usize)]) -> ModelConfig {
    ModelConfig::Dsd(DsdConfig {
        stem_channels: stem,
        blocks: blocks
            .iter()
            .map(|&(out_channels, dilation, stride)| DsdBlockConfig {
                out_channels,
                dilation,
                stride,
            })
            .collect(),
        batch_norm: true,
        residual: false,
        dropout: 0.0,
    })
}

#[test]
fn dsd_s_has_a_stem_and_six_blocks_halving_twice() {
    let layers = ModelConfig::preset("dsd-s").unwrap().spatial_layers();
    let summary: Vec<(&str, usize, usize, usize)> = layers
        .iter()
        .map(|l| (l.name.as_str(), l.channels, l.side, l.dilation))
        .collect();
    assert_eq!(
        summary,
        [
            ("stem", 16, 28, 1),
            ("block 1", 32, 28, 1),
            ("block 2", 32, 28, 2),
            ("block 3", 64, 14, 1),
            ("block 4", 64, 14, 2),
            ("block 5", 128, 7, 1),
            ("block 6", 128, 7, 2),
        ]
    );
    let cnn = ModelConfig::preset("cnn").unwrap().spatial_layers();
    assert_eq!(cnn.last().unwrap().side, cnn_side(cnn.len()));
    assert!(
        ModelConfig::preset("mlp")
            .unwrap()
            .spatial_layers()
            .is_empty()
    );
}

#[test]
fn every_preset_computes_one_map_stack_per_spatial_layer() {
    let device = Device::flex();
    for name in ModelConfig::PRESETS {
        let config = ModelConfig::preset(name).unwrap();
        let network = config.init(&device).unwrap();
        let images = Tensor::<4>::random([2, 1, 28, 28], Distribution::Normal(0.0, 1.0), &device);
        let shapes: Vec<[usize; 4]> = network
            .feature_maps(images)
            .iter()
            .map(|m| m.dims())
            .collect();
        let expected: Vec<[usize; 4]> = config
            .spatial_layers()
            .iter()
            .map(|l| [2, l.channels, l.side, l.side])
            .collect();
        assert_eq!(shapes, expected, "{name}");
    }
}

#[test]
fn the_logits_read_from_the_maps_are_the_networks_logits() {
    let device = Device::flex();
    for name in ModelConfig::PRESETS {
        let network = ModelConfig::preset(name).unwrap().init(&device).unwrap();
        let images = Tensor::<4>::random([2, 1, 28, 28], Distribution::Normal(0.0, 1.0), &device);
        let (_, logits) = network.forward_with_maps(images.clone());
        logits.into_data().assert_approx_eq::<f32>(
            &network.forward(images).into_data(),
            burn::tensor::Tolerance::absolute(1e-5),
        );
    }
}

#[test]
fn the_reader_sees_inside_what_it_reads() {
    let device = Device::flex();
    let config = ModelConfig::preset("dsd-xs").unwrap();
    let network = config.init(&device).unwrap();
    let header = crate::ModelHeader::new(config.clone(), inkling_data::DatasetKind::Mnist);
    let file = pollster::block_on(crate::ModelFile::from_network(header, &network)).unwrap();
    let reader = crate::DigitReader::new(file, &device).unwrap();
    let mut pixels = vec![0.0f32; 784];
    for row in 4..24 {
        pixels[row * 28 + 14] = 1.0;
    }
    let inside = pollster::block_on(reader.look_inside(&pixels)).unwrap();
    let probabilities = pollster::block_on(reader.probabilities(&pixels)).unwrap();
    // The softmax of the logits is the reading.
    let top = inside.logits.iter().copied().fold(f32::MIN, f32::max);
    let exp: Vec<f32> = inside.logits.iter().map(|l| (l - top).exp()).collect();
    let sum: f32 = exp.iter().sum();
    for (e, p) in exp.iter().zip(&probabilities) {
        assert!((e / sum - p).abs() < 1e-5, "{} vs {p}", e / sum);
    }
    for (maps, layer) in inside.layers.iter().zip(config.spatial_layers()) {
        assert_eq!((maps.channels, maps.side), (layer.channels, layer.side));
        assert_eq!(maps.values.len(), maps.channels * maps.side * maps.side);
        assert!(maps.values.iter().all(|&v| v >= 0.0), "after a ReLU");
        assert_eq!(maps.channel(maps.channels - 1).len(), maps.side * maps.side);
    }
}

#[test]
fn a_stem_unit_sees_three_by_three_pixels_and_fewer_at_the_border() {
    let config = ModelConfig::preset("dsd-s").unwrap();
    let field = config.receptive_field_of("stem", 10, 20).unwrap();
    assert_eq!((field.count(), field.extent()), (9, (3, 3)));
    assert!(field.contains(9, 19) && field.contains(11, 21) && !field.contains(12, 20));
    let corner = config.receptive_field_of("stem", 0, 0).unwrap();
    assert_eq!((corner.count(), corner.extent()), (4, (2, 2)));
}

#[test]
fn dilation_leaves_gaps_until_the_layers_below_fill_them() {
    // A dilation-4 kernel right after the 3x3 stem: three 3x3 patches four pixels apart, with
    // a one-pixel gap between them along each axis.
    let config = dsd(4, &[(4, 4, 1)]);
    let field = config.receptive_field_of("block 1", 14, 14).unwrap();
    assert_eq!(field.extent(), (11, 11));
    assert_eq!(field.count(), 81);
    assert!(field.contains(14, 14) && !field.contains(14, 16) && !field.contains(16, 16));
    assert!(field.contains(14, 17) && field.contains(9, 19));
    // dsd-s's dilation 2 follows a 5x5 field, which fills the gaps: 9x9, dense. Without
    // dilation the same block sees 7x7, for the same parameters.
    let dsd_s = ModelConfig::preset("dsd-s").unwrap();
    let field = dsd_s.receptive_field_of("block 2", 14, 14).unwrap();
    assert_eq!((field.count(), field.extent()), (81, (9, 9)));
    let undilated = ModelConfig::preset("dsd-s-nodil").unwrap();
    let field = undilated.receptive_field_of("block 2", 14, 14).unwrap();
    assert_eq!((field.count(), field.extent()), (49, (7, 7)));
    assert_eq!(dsd_s.param_count(), undilated.param_count());
}

#[test]
fn a_central_units_extent_is_the_configs_receptive_field_clipped_to_the_image() {
    let ModelConfig::Dsd(full) = ModelConfig::preset("dsd-s").unwrap() else {
        unreachable!()
    };
    for depth in 0..=full.blocks.len() {
        let config = ModelConfig::Dsd(DsdConfig {
            blocks: full.blocks[..depth].to_vec(),
            ..full.clone()
        });
        let size = config.receptive_field();
        let last = config.spatial_layers().pop().unwrap();
        let field = config
            .receptive_field_of(&last.name, last.side / 2, last.side / 2)
            .unwrap();
        if size < 28 {
            assert_eq!(field.extent(), (size, size), "{}", last.name);
        } else {
            // Wider than the image: it sees all of it.
            assert_eq!(field.extent(), (28, 28), "{}", last.name);
        }
    }
}

#[test]
fn units_outside_the_network_are_clear_errors() {
    let config = ModelConfig::preset("dsd-s").unwrap();
    let error = config.receptive_field_of("block 9", 0, 0).unwrap_err();
    assert!(error.to_string().contains("stem, block 1"), "{error}");
    let error = config.receptive_field_of("block 6", 7, 0).unwrap_err();
    assert_eq!(
        error.to_string(),
        "block 6 is 7x7: row and column must be below 7, got (7, 0)"
    );
    assert!(matches!(
        ModelConfig::preset("mlp")
            .unwrap()
            .receptive_field_of("stem", 0, 0),
        Err(UnitError::NoLayer { .. })
    ));
}

/// Ground truth: the input pixels whose gradient with respect to a unit is non-zero on random
/// inputs are exactly the unit's receptive field, for random units of every layer of dsd-s
/// and of dsd-s without dilation. Batch norm runs with its running statistics (`freeze`), as
/// when reading a digit; with batch statistics every pixel would reach every unit.
#[cfg(feature = "fast-cpu-training")]
#[test]
fn every_layers_receptive_field_is_exactly_the_pixels_with_a_gradient() {
    use burn::module::Module;
    let device = Device::flex().autodiff();
    device.seed(11);
    let mut rng = inkling_data::rng::Rng::new(5);
    for name in ["dsd-s", "dsd-s-nodil", "dsd-s-res"] {
        let config = ModelConfig::preset(name).unwrap();
        let network = config.init(&device).unwrap().freeze();
        for (index, layer) in config.spatial_layers().iter().enumerate() {
            // A corner, and two units anywhere.
            let mut units = vec![(0, layer.side - 1)];
            units.extend((0..2).map(|_| (rng.below(layer.side), rng.below(layer.side))));
            for (row, col) in units {
                let images =
                    Tensor::<4>::random([4, 1, 28, 28], Distribution::Normal(0.0, 1.0), &device)
                        .require_grad();
                let maps = network.feature_maps(images.clone());
                // Every channel of the unit, summed: one dead ReLU cannot hide a pixel.
                let unit = maps[index]
                    .clone()
                    .slice([0..4, 0..layer.channels, row..row + 1, col..col + 1])
                    .sum();
                let gradient = images.grad(&unit.backward()).unwrap().into_data();
                let gradient: Vec<f32> = gradient.iter::<f32>().collect();
                let reached: Vec<bool> = (0..784)
                    .map(|p| (0..4).any(|n| gradient[n * 784 + p] != 0.0))
                    .collect();
                let field = config.receptive_field_of(&layer.name, row, col).unwrap();
                assert_eq!(
                    field.pixels,
                    reached,
                    "{name} {} ({row}, {col}): {} pixels computed, {} with a gradient",
                    layer.name,
                    field.count(),
                    reached.iter().filter(|&&r| r).count()
                );
            }
        }
    }
}
