//! The unusual hand of the personal-handwriting tests: every digit underlined. The shipped model
//! never saw an underline, and the shared preprocessing fits digit and bar together into the
//! 20x20 box, so the digit arrives squashed and off-centre. (A 45-degree slant, tried first,
//! was learnt less surely from 70 digits and cost MNIST more: 93-97 % and 99.01-99.03 %.)

use inkling_data::preprocess::{GrayImage, PreprocessOptions, preprocess};

/// Rows the digit moves up to make room for the bar.
const LIFT_ROWS: usize = 3;
/// The bar's rows.
const BAR_ROWS: std::ops::Range<usize> = 25..27;

/// `image` (28x28 MNIST grey levels) written in the unusual hand: moved up 3 rows, with a
/// bar 2 pixels thick under the columns its ink spans.
pub fn write(image: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; 784];
    out[..(28 - LIFT_ROWS) * 28].copy_from_slice(&image[LIFT_ROWS * 28..]);
    let inked: Vec<usize> = (0..28)
        .filter(|&x| (0..28).any(|y| out[y * 28 + x] >= 128))
        .collect();
    if let (Some(&first), Some(&last)) = (inked.first(), inked.last()) {
        for y in BAR_ROWS {
            out[y * 28 + first..=y * 28 + last].fill(255);
        }
    }
    out
}

/// What the page keeps of `image` drawn on the pad, near enough: ink where the grey level is
/// at least 128 (as the browser tests draw it), then the shared preprocessing; 784 levels,
/// ink high.
pub fn as_drawn(image: &[u8]) -> Vec<u8> {
    let inked: Vec<u8> = image
        .iter()
        .map(|&v| if v >= 128 { 255 } else { 0 })
        .collect();
    let digit = preprocess(
        &GrayImage::from_u8(28, 28, &inked),
        &PreprocessOptions::default(),
    )
    .expect("a digit has ink");
    digit
        .pixels
        .iter()
        .map(|v| (v * 255.0).round() as u8)
        .collect()
}
