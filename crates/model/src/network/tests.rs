//! Every preset's shapes and counts, the head, probabilities, invalid configs.

use super::*;
use crate::NUM_CLASSES;
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
fn the_head_is_the_classifier_and_a_fresh_one_changes_nothing_else() {
    let device = Device::flex();
    for name in ModelConfig::PRESETS {
        let cfg = ModelConfig::preset(name).unwrap();
        let net = cfg.init(&device).unwrap();
        let head = net.head();
        let before = pollster::block_on(net.named_values_async()).unwrap();
        let head_values: usize = before
            .iter()
            .filter(|(path, _)| head.contains(path))
            .map(|(_, value)| value.num_elements())
            .sum();
        assert_eq!(head_values, cfg.head_param_count(), "{name}");
        let after = pollster::block_on(net.with_fresh_head(&device).named_values_async());
        for ((path, a), (_, b)) in before.iter().zip(&after.unwrap()) {
            let same = a.as_bytes() == b.as_bytes();
            assert_eq!(same, !head.contains(path), "{name} {path}");
        }
    }
    let dsd = ModelConfig::preset("dsd-s").unwrap().init(&device).unwrap();
    assert!(dsd.head().contains("Dsd.head.bias"));
    assert!(!dsd.head().contains("Dsd.heads.bias") && !dsd.head().contains("Dsd.stem.conv.weight"));
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
