//! Presets, parameter counts, receptive fields, descriptions and validation.

use super::*;

#[test]
fn dsd_s_matches_the_reference_definition() {
    let c = DsdConfig::dsd_s();
    assert_eq!(c.stem_channels, 16);
    let blocks: Vec<(usize, usize, usize)> = c
        .blocks
        .iter()
        .map(|b| (b.out_channels, b.dilation, b.stride))
        .collect();
    assert_eq!(
        blocks,
        vec![
            (32, 1, 1),
            (32, 2, 1),
            (64, 1, 2),
            (64, 2, 1),
            (128, 1, 2),
            (128, 2, 1)
        ]
    );
    let m = ModelConfig::Dsd(c);
    assert_eq!(m.param_count(), 37_642);
    assert_eq!(m.receptive_field(), 39);
}

#[test]
fn descriptions_tell_networks_apart_and_ignore_dropout() {
    let s = ModelConfig::preset("dsd-s").unwrap();
    assert_eq!(
        s.describe(),
        "dsd-s: DSD net, stem 16, blocks 32 32 64 64 128 128 (dilation 1 2 1 2 1 2), \
         batch norm, 37642 parameters"
    );
    let nodil = ModelConfig::preset("dsd-s-nodil").unwrap();
    assert_ne!(s.describe(), nodil.describe());
    assert!(s.same_weights_as(&s.clone().with_dropout(0.3)));
    assert!(!s.same_weights_as(&nodil));
    assert_eq!(s.with_dropout(0.3).preset_name(), Some("dsd-s"));
}

#[test]
fn dilation_widens_the_receptive_field_for_free() {
    let dil = ModelConfig::preset("dsd-s").unwrap();
    let plain = ModelConfig::preset("dsd-s-nodil").unwrap();
    assert_eq!(dil.param_count(), plain.param_count());
    assert!(dil.receptive_field() > plain.receptive_field());
}

#[test]
fn shortcuts_go_where_shapes_match_and_old_files_read_as_without() {
    let ModelConfig::Dsd(res) = ModelConfig::preset("dsd-s-res").unwrap() else {
        unreachable!()
    };
    let shortcuts: Vec<usize> = (0..res.blocks.len())
        .filter(|&i| res.has_shortcut(i))
        .collect();
    // 16->32, 32->64 (stride 2) and 64->128 (stride 2) change shape; the three others keep it.
    assert_eq!(shortcuts, [1, 3, 5]);
    assert!((0..6).all(|i| !DsdConfig::dsd_s().has_shortcut(i)));
    let plain = ModelConfig::preset("dsd-s").unwrap();
    let res = ModelConfig::Dsd(res);
    assert_eq!(
        res.param_count(),
        plain.param_count(),
        "shortcuts hold no weights"
    );
    assert!(!res.same_weights_as(&plain), "but compute something else");
    assert!(res.describe().contains("residual"));
    let json = serde_json::to_string(&plain).unwrap();
    assert!(!json.contains("residual"), "{json}");
    assert_eq!(serde_json::from_str::<ModelConfig>(&json).unwrap(), plain);
    let json = serde_json::to_string(&res).unwrap();
    assert_eq!(serde_json::from_str::<ModelConfig>(&json).unwrap(), res);
    let nobn = ModelConfig::preset("dsd-s-nobn").unwrap();
    assert!(nobn.describe().contains("no batch norm"));
}

#[test]
fn presets_are_valid_and_named() {
    for name in ModelConfig::PRESETS {
        let cfg = ModelConfig::preset(name).unwrap();
        cfg.validate().unwrap();
        assert!(cfg.param_count() > 1000, "{name}");
    }
    assert!(ModelConfig::preset("resnet").is_none());
}

#[test]
fn absurd_configs_are_rejected() {
    let mut c = DsdConfig::dsd_s();
    c.blocks[0].stride = 5;
    assert!(ModelConfig::Dsd(c).validate().is_err());
    assert!(
        ModelConfig::preset("dsd-s")
            .unwrap()
            .with_dropout(f64::NAN)
            .validate()
            .is_err()
    );
    assert!(
        ModelConfig::preset("mlp")
            .unwrap()
            .with_dropout(1.0)
            .validate()
            .is_err()
    );
    let mut c = CnnConfig::baseline();
    c.channels = vec![8; 5];
    assert!(ModelConfig::Cnn(c).validate().is_err());
    let mut c = MlpConfig::baseline();
    c.hidden[0] = 1 << 30;
    assert!(ModelConfig::Mlp(c).validate().is_err());
}

#[test]
fn config_json_round_trips_with_a_readable_tag() {
    let cfg = ModelConfig::preset("dsd-s").unwrap();
    let json = serde_json::to_string(&cfg).unwrap();
    assert!(json.contains("\"kind\":\"dsd\""), "{json}");
    assert_eq!(serde_json::from_str::<ModelConfig>(&json).unwrap(), cfg);
}
