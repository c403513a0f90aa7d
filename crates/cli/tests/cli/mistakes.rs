//! `inkling eval --mistakes grid.png`: the misread test digits of the shipped model as one
//! labelled picture.

use super::*;
use std::collections::HashMap;

#[test]
fn the_mistakes_grid_shows_every_misread_test_digit_once() {
    let dir = tempfile::tempdir().unwrap();
    let grid = dir.path().join("grid.png");
    let model = repo_root().join("www/models/dsd-s-int8.inkling");
    let data = data_dir(DatasetKind::Mnist);
    let (model, data, grid_s) = (
        model.to_str().unwrap(),
        data.to_str().unwrap(),
        grid.to_str().unwrap(),
    );
    let report = ok(&["eval", "--model", model, "--json", "--data-dir", data]);
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    let confusion: Vec<Vec<u64>> = serde_json::from_value(report["confusion"].clone()).unwrap();
    let misread: u64 = (0..10)
        .flat_map(|a| (0..10).filter(move |&p| p != a).map(move |p| (a, p)))
        .map(|(a, p)| confusion[a][p])
        .sum();
    let out = ok(&[
        "eval",
        "--model",
        model,
        "--data-dir",
        data,
        "--mistakes",
        grid_s,
    ]);
    assert!(
        out.contains(&format!("wrote {misread} of {misread} misread digits")),
        "{out}"
    );

    // Tiles of 28x28 digits at 3x, 10 to a row, under a 14-pixel heading, 88 x 98 pixels each.
    let picture = image::open(&grid).unwrap().to_luma8();
    let rows = (misread as usize).div_ceil(10);
    assert_eq!(picture.width(), 10 * 88 + 4);
    assert_eq!(picture.height() as usize, 14 + rows * 98);
    let test = load(DatasetKind::Mnist, Split::Test);
    let by_pixels: HashMap<&[u8], usize> = (0..test.len()).map(|i| (test.image(i), i)).collect();
    let mut seen = Vec::new();
    for n in 0..misread as usize {
        let (x0, y0) = (4 + (n % 10) * 88, 14 + (n / 10) * 98);
        let tile: Vec<u8> = (0..784)
            .map(|i| {
                picture.get_pixel(
                    (x0 + (i % 28) * 3 + 1) as u32,
                    (y0 + (i / 28) * 3 + 1) as u32,
                )[0]
            })
            .collect();
        let index = by_pixels
            .get(tile.as_slice())
            .unwrap_or_else(|| panic!("tile {n} is not a test digit"));
        seen.push(*index);
    }
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), misread as usize, "a digit shown twice");
    // Each actual class appears as often as its row of the confusion matrix says it is misread.
    for class in 0..10u8 {
        let shown = seen.iter().filter(|&&i| test.label(i) == class).count() as u64;
        let row: u64 = (0..10)
            .filter(|&p| p != class as usize)
            .map(|p| confusion[class as usize][p])
            .sum();
        assert_eq!(shown, row, "class {class}");
    }
}
