//! `inkling layers`: the layer table and one unit's receptive field, as the model crate
//! computes them.

use super::*;

#[test]
fn layers_shows_what_dilation_buys_and_one_units_pixels() {
    let table = ok(&["layers", "--preset", "dsd-s"]);
    assert!(table.contains("37642 parameters"), "{table}");
    let undilated = ok(&["layers", "--preset", "dsd-s-nodil"]);
    assert!(undilated.contains("37642 parameters"), "{undilated}");
    // Block 4's centre unit: 19x19 with dilation, 13x13 without, at no parameter cost.
    assert!(
        table.contains("block 4      64 x 14x14         2                19x19 (361)"),
        "{table}"
    );
    assert!(
        undilated.contains("block 4      64 x 14x14         1                13x13 (169)"),
        "{undilated}"
    );

    let shipped = repo_root().join("www/models/dsd-s-int8.inkling");
    let json = ok(&[
        "layers",
        "--model-file",
        shipped.to_str().unwrap(),
        "--at",
        "block 2:0,27",
        "--json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let expected = inkling_model::ModelConfig::preset("dsd-s")
        .unwrap()
        .receptive_field_of("block 2", 0, 27)
        .unwrap();
    assert_eq!(json["pixels"], expected.count());
    let field: Vec<bool> = json["field"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|row| row.as_array().unwrap().iter().map(|p| p == 1))
        .collect();
    assert_eq!(field, expected.pixels);

    let picture = ok(&["layers", "--preset", "dsd-s", "--at", "stem:0,0"]);
    assert!(
        picture.starts_with("stem (0, 0) sees 4 input pixels within 2x2:\n##....."),
        "{picture}"
    );

    let error = fails(&["layers", "--preset", "dsd-s", "--at", "block 7:1,1"]);
    assert!(error.contains("no layer called \"block 7\""), "{error}");
    let error = fails(&["layers", "--preset", "dsd-s", "--at", "block 6:7,1"]);
    assert!(error.contains("block 6 is 7x7"), "{error}");
    let error = fails(&["layers", "--preset", "dsd-s", "--at", "block 6"]);
    assert!(error.contains("--at takes LAYER:ROW,COL"), "{error}");
    let error = fails(&["layers", "--preset", "mlp"]);
    assert!(error.contains("no spatial layers"), "{error}");
}
