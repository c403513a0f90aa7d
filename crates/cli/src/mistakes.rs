//! `inkling eval --mistakes grid.png`: the misread test digits as one labelled picture, most
//! confident mistakes first, each tile captioned "actual>read confidence" so a person sees at a
//! glance which confusions the model is sure of.

use anyhow::{Context, Result};
use font8x8::legacy::BASIC_LEGACY;
use image::{GrayImage, Luma};
use inkling_data::{Dataset, IMAGE_SIDE};
use inkling_train::Predictions;
use std::path::Path;

/// Digits per row of the grid.
const COLUMNS: usize = 10;
/// Each digit pixel becomes this many picture pixels a side.
const SCALE: usize = 3;
/// Side of a digit in the picture.
const DIGIT_PX: usize = IMAGE_SIDE * SCALE;
/// A caption line: 8-pixel glyphs with a pixel above and below.
const CAPTION_PX: usize = 10;
/// Space around each tile.
const GAP_PX: usize = 4;
/// Width and height of one tile (digit, caption and gap).
const TILE_W_PX: usize = DIGIT_PX + GAP_PX;
const TILE_H_PX: usize = DIGIT_PX + CAPTION_PX + GAP_PX;
/// Most tiles in one picture (the rest are counted in the heading).
pub const MAX_TILES: usize = 400;

/// What was drawn.
pub struct GridSummary {
    /// Mistakes in the test set.
    pub mistakes: usize,
    /// Tiles in the picture.
    pub shown: usize,
}

/// Writes the grid of `test`'s misread digits to `path` (PNG).
pub fn write(path: &Path, test: &Dataset, predictions: &Predictions) -> Result<GridSummary> {
    let mistakes = predictions.mistakes(test.labels());
    let shown = mistakes.len().min(MAX_TILES);
    let picture = grid(test, predictions, &mistakes[..shown], mistakes.len());
    picture
        .save_with_format(path, image::ImageFormat::Png)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(GridSummary {
        mistakes: mistakes.len(),
        shown,
    })
}

/// The picture: a heading line, then the tiles row by row (white ink on black, as MNIST).
fn grid(test: &Dataset, predictions: &Predictions, shown: &[usize], total: usize) -> GrayImage {
    let rows = shown.len().div_ceil(COLUMNS).max(1);
    let width = COLUMNS * TILE_W_PX + GAP_PX;
    let height = CAPTION_PX + GAP_PX + rows * TILE_H_PX;
    let mut picture = GrayImage::from_pixel(width as u32, height as u32, Luma([32]));
    let heading = if shown.len() < total {
        format!("{total} misread, {} most confident shown", shown.len())
    } else {
        format!("{total} misread: actual>read confidence")
    };
    text(&mut picture, GAP_PX, 1, &heading);
    for (n, &index) in shown.iter().enumerate() {
        let x0 = GAP_PX + (n % COLUMNS) * TILE_W_PX;
        let y0 = CAPTION_PX + GAP_PX + (n / COLUMNS) * TILE_H_PX;
        for (i, &value) in test.image(index).iter().enumerate() {
            let (row, col) = (i / IMAGE_SIDE, i % IMAGE_SIDE);
            for dy in 0..SCALE {
                for dx in 0..SCALE {
                    let (x, y) = (x0 + col * SCALE + dx, y0 + row * SCALE + dy);
                    picture.put_pixel(x as u32, y as u32, Luma([value]));
                }
            }
        }
        let answer = predictions.get(index);
        let caption = format!(
            "{}>{} {:.0}%",
            test.label(index),
            answer.class,
            answer.confidence * 100.0
        );
        text(&mut picture, x0, y0 + DIGIT_PX + 1, &caption);
    }
    picture
}

/// Writes ASCII `s` with the public-domain 8x8 font, clipped to the picture.
fn text(picture: &mut GrayImage, x0: usize, y0: usize, s: &str) {
    for (n, ch) in s.chars().enumerate() {
        let glyph = BASIC_LEGACY[(ch as usize).min(127)];
        for (dy, bits) in glyph.iter().enumerate() {
            for dx in 0..8 {
                let (x, y) = ((x0 + n * 8 + dx) as u32, (y0 + dy) as u32);
                if bits & (1 << dx) != 0 && x < picture.width() && y < picture.height() {
                    picture.put_pixel(x, y, Luma([255]));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use inkling_data::DatasetKind;

    fn answer(class: usize, p: f32) -> Vec<f32> {
        (0..10)
            .map(|c| if c == class { p } else { (1.0 - p) / 9.0 })
            .collect()
    }

    #[test]
    fn the_grid_has_a_tile_per_mistake_with_its_digit_and_caption() {
        // Three digits, each a different grey; the second and third are misread.
        let images: Vec<u8> = [50u8, 150, 250]
            .iter()
            .flat_map(|&v| std::iter::repeat_n(v, 784))
            .collect();
        let test = Dataset::from_parts(DatasetKind::Mnist, images, vec![1, 2, 3]).unwrap();
        let mut predictions = Predictions::default();
        predictions.push(&answer(1, 0.9));
        predictions.push(&answer(7, 0.6));
        predictions.push(&answer(8, 0.95));
        let picture = grid(&test, &predictions, &predictions.mistakes(test.labels()), 2);
        assert_eq!(picture.width() as usize, COLUMNS * TILE_W_PX + GAP_PX);
        assert_eq!(picture.height() as usize, CAPTION_PX + GAP_PX + TILE_H_PX);
        let centre = |n: usize| {
            let x = GAP_PX + n * TILE_W_PX + DIGIT_PX / 2;
            let y = CAPTION_PX + GAP_PX + DIGIT_PX / 2;
            picture.get_pixel(x as u32, y as u32)[0]
        };
        // Most confident mistake first: the third digit (95 %), then the second.
        assert_eq!(centre(0), 250);
        assert_eq!(centre(1), 150);
        // A third tile would be empty background.
        assert_eq!(centre(2), 32);
        // Each caption has ink.
        let caption_ink = |n: usize| {
            let y = CAPTION_PX + GAP_PX + DIGIT_PX + 1;
            (0..DIGIT_PX).any(|dx| {
                (0..8).any(|dy| {
                    let x = GAP_PX + n * TILE_W_PX + dx;
                    picture.get_pixel(x as u32, (y + dy) as u32)[0] == 255
                })
            })
        };
        assert!(caption_ink(0) && caption_ink(1) && !caption_ink(2));
    }
}
