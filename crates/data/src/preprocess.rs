//! Digit preprocessing: turns a drawn or photographed digit of any size and either polarity into
//! the 28x28 image the models were trained on, the way MNIST itself was made (ink box scaled into
//! 20x20 keeping its aspect ratio, then placed so its centre of mass sits at the image centre).
//!
//! This is the single implementation behind CLI `predict` and the web app's drawing canvas, so a
//! digit is seen the same way wherever it comes from.

use crate::{IMAGE_PIXELS, IMAGE_SIDE};
use serde::{Deserialize, Serialize};

/// Side of the box the digit's ink is scaled into, as in MNIST.
pub const DIGIT_BOX: usize = 20;

/// A grey-level image, row-major, luminance in `[0, 1]` (0 = black).
#[derive(Debug, Clone, PartialEq)]
pub struct GrayImage {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// `width * height` luminance values.
    pub pixels: Vec<f32>,
}

impl GrayImage {
    /// Converts 8-bit grey levels.
    pub fn from_u8(width: usize, height: usize, pixels: &[u8]) -> Self {
        Self {
            width,
            height,
            pixels: pixels.iter().map(|&p| p as f32 / 255.0).collect(),
        }
    }

    /// Converts RGBA bytes (as from a canvas or a decoded PNG), compositing over white so that
    /// transparent pixels count as paper.
    pub fn from_rgba(width: usize, height: usize, rgba: &[u8]) -> Self {
        let pixels = rgba
            .chunks_exact(4)
            .map(|p| {
                let luma =
                    (0.299 * p[0] as f32 + 0.587 * p[1] as f32 + 0.114 * p[2] as f32) / 255.0;
                let alpha = p[3] as f32 / 255.0;
                luma * alpha + (1.0 - alpha)
            })
            .collect();
        Self {
            width,
            height,
            pixels,
        }
    }
}

/// Whether the digit is darker or lighter than its background.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Polarity {
    /// Decide from the image: the background is whatever most pixels look like.
    #[default]
    Auto,
    /// Dark ink on light paper (a pen drawing, a photo of paper).
    DarkOnLight,
    /// Light ink on a dark background (MNIST itself, a chalkboard).
    LightOnDark,
}

/// How to separate ink from background.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PreprocessOptions {
    /// Polarity of the input.
    pub polarity: Polarity,
    /// Fraction of the ink contrast below which a pixel is background (paper texture, shadows,
    /// JPEG noise). Values above it are stretched back to `[0, 1]`, keeping anti-aliasing.
    pub threshold: f32,
}

impl Default for PreprocessOptions {
    fn default() -> Self {
        Self {
            polarity: Polarity::Auto,
            threshold: 0.2,
        }
    }
}

/// Why an image cannot be turned into a digit.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PreprocessError {
    /// Width or height is zero, or the pixel count does not match them.
    #[error("image is {width}x{height} but has {pixels} pixels")]
    BadSize {
        width: usize,
        height: usize,
        pixels: usize,
    },
    /// Nothing stands out from the background.
    #[error("no ink found: the image is blank or has no contrast")]
    NoInk,
    /// The threshold is not in `[0, 1)`.
    #[error("threshold must be in [0, 1), got {0}")]
    BadThreshold(f32),
}

/// A digit ready for a model, and where it was found.
#[derive(Debug, Clone, PartialEq)]
pub struct Preprocessed {
    /// 28x28 ink intensities in `[0, 1]` (1 = ink), MNIST convention; not yet normalised.
    pub pixels: Vec<f32>,
    /// Ink bounding box in the source image: `(x0, y0, x1, y1)`, exclusive end.
    pub ink_box: (usize, usize, usize, usize),
    /// Whether the input was treated as dark-on-light and inverted.
    pub inverted: bool,
}

/// Turns a digit image into the model's 28x28 input. See the module docs for the steps.
pub fn preprocess(
    image: &GrayImage,
    options: &PreprocessOptions,
) -> Result<Preprocessed, PreprocessError> {
    let (w, h) = (image.width, image.height);
    if w == 0 || h == 0 || image.pixels.len() != w * h {
        return Err(PreprocessError::BadSize {
            width: w,
            height: h,
            pixels: image.pixels.len(),
        });
    }
    if !(0.0..1.0).contains(&options.threshold) {
        return Err(PreprocessError::BadThreshold(options.threshold));
    }

    let median = median(&image.pixels);
    let inverted = match options.polarity {
        Polarity::DarkOnLight => true,
        Polarity::LightOnDark => false,
        Polarity::Auto => median > 0.5,
    };
    let mut ink: Vec<f32> = image
        .pixels
        .iter()
        .map(|&v| {
            let v = if v.is_finite() {
                v.clamp(0.0, 1.0)
            } else {
                0.0
            };
            if inverted { 1.0 - v } else { v }
        })
        .collect();

    // Stretch contrast between the background level and the strongest ink, then cut the noise.
    let background = if inverted { 1.0 - median } else { median };
    let peak = ink.iter().copied().fold(0.0f32, f32::max);
    if peak - background < 0.1 {
        return Err(PreprocessError::NoInk);
    }
    let t = options.threshold;
    for v in &mut ink {
        let stretched = ((*v - background) / (peak - background)).clamp(0.0, 1.0);
        *v = ((stretched - t) / (1.0 - t)).max(0.0);
    }

    let (x0, y0, x1, y1) = ink_box(&ink, w, h).ok_or(PreprocessError::NoInk)?;
    let (bw, bh) = (x1 - x0, y1 - y0);
    let crop: Vec<f32> = (y0..y1)
        .flat_map(|y| ink[y * w + x0..y * w + x1].iter().copied())
        .collect();

    let scale = DIGIT_BOX as f32 / bw.max(bh) as f32;
    let tw = ((bw as f32 * scale).round() as usize).clamp(1, DIGIT_BOX);
    let th = ((bh as f32 * scale).round() as usize).clamp(1, DIGIT_BOX);
    let mut patch = resample_area(&crop, bw, bh, tw, th);
    let patch_peak = patch.iter().copied().fold(0.0f32, f32::max);
    if patch_peak > 0.0 {
        patch.iter_mut().for_each(|v| *v /= patch_peak);
    }

    // Place the patch so its centre of mass (pixel centres at +0.5) lands on (14, 14).
    let (cx, cy) = centre_of_mass(&patch, tw);
    let centre = IMAGE_SIDE as f32 / 2.0;
    let ox = (centre - cx).round() as isize;
    let oy = (centre - cy).round() as isize;
    let mut pixels = vec![0.0f32; IMAGE_PIXELS];
    for py in 0..th {
        for px in 0..tw {
            let x = px as isize + ox;
            let y = py as isize + oy;
            if (0..IMAGE_SIDE as isize).contains(&x) && (0..IMAGE_SIDE as isize).contains(&y) {
                pixels[y as usize * IMAGE_SIDE + x as usize] = patch[py * tw + px];
            }
        }
    }
    Ok(Preprocessed {
        pixels,
        ink_box: (x0, y0, x1, y1),
        inverted,
    })
}

/// Centre of mass `(x, y)` of a `width`-wide image, pixel centres at `i + 0.5`.
pub fn centre_of_mass(image: &[f32], width: usize) -> (f32, f32) {
    let (mut mass, mut sx, mut sy) = (0.0f64, 0.0f64, 0.0f64);
    for (i, &v) in image.iter().enumerate() {
        let v = v as f64;
        mass += v;
        sx += v * ((i % width) as f64 + 0.5);
        sy += v * ((i / width) as f64 + 0.5);
    }
    if mass == 0.0 {
        let height = image.len() / width.max(1);
        return (width as f32 / 2.0, height as f32 / 2.0);
    }
    ((sx / mass) as f32, (sy / mass) as f32)
}

fn median(values: &[f32]) -> f32 {
    let mut sorted: Vec<f32> = values
        .iter()
        .map(|v| if v.is_finite() { *v } else { 0.0 })
        .collect();
    let mid = sorted.len() / 2;
    *sorted.select_nth_unstable_by(mid, f32::total_cmp).1
}

fn ink_box(ink: &[f32], w: usize, h: usize) -> Option<(usize, usize, usize, usize)> {
    let (mut x0, mut y0, mut x1, mut y1) = (w, h, 0, 0);
    for y in 0..h {
        for x in 0..w {
            if ink[y * w + x] > 0.0 {
                x0 = x0.min(x);
                y0 = y0.min(y);
                x1 = x1.max(x + 1);
                y1 = y1.max(y + 1);
            }
        }
    }
    (x1 > x0).then_some((x0, y0, x1, y1))
}

/// Resamples by exact area coverage: every output pixel is the mean of the source area it
/// covers. Shrinking this way keeps thin strokes instead of skipping them.
fn resample_area(src: &[f32], sw: usize, sh: usize, dw: usize, dh: usize) -> Vec<f32> {
    let fx = sw as f32 / dw as f32;
    let fy = sh as f32 / dh as f32;
    let mut out = vec![0.0f32; dw * dh];
    for oy in 0..dh {
        let (ya, yb) = (oy as f32 * fy, (oy + 1) as f32 * fy);
        for ox in 0..dw {
            let (xa, xb) = (ox as f32 * fx, (ox + 1) as f32 * fx);
            let mut sum = 0.0;
            let mut y = ya.floor() as usize;
            while (y as f32) < yb && y < sh {
                let cover_y = (yb.min(y as f32 + 1.0) - ya.max(y as f32)).max(0.0);
                let mut x = xa.floor() as usize;
                while (x as f32) < xb && x < sw {
                    let cover_x = (xb.min(x as f32 + 1.0) - xa.max(x as f32)).max(0.0);
                    sum += src[y * sw + x] * cover_x * cover_y;
                    x += 1;
                }
                y += 1;
            }
            out[oy * dw + ox] = sum / (fx * fy);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A "7"-like shape of dark strokes on white paper, drawn at `(left, top)` in a big image.
    fn paper_seven(width: usize, height: usize, left: usize, top: usize, size: usize) -> GrayImage {
        let mut pixels = vec![0.95f32; width * height];
        let stroke = (size / 8).max(2);
        for y in top..top + size {
            for x in left..left + size {
                let on_bar = y < top + stroke;
                // the diagonal from the top right corner to the bottom middle
                let t = (y - top) as f32 / size as f32;
                let diag_x = left as f32 + size as f32 * (1.0 - 0.5 * t);
                let on_diag = (x as f32 - diag_x).abs() < stroke as f32;
                if on_bar || on_diag {
                    pixels[y * width + x] = 0.1;
                }
            }
        }
        GrayImage {
            width,
            height,
            pixels,
        }
    }

    fn ink_extent(pixels: &[f32]) -> (usize, usize) {
        let (x0, y0, x1, y1) = ink_box(pixels, IMAGE_SIDE, IMAGE_SIDE).unwrap();
        (x1 - x0, y1 - y0)
    }

    #[test]
    fn shifted_digit_comes_back_centred_and_boxed() {
        for (left, top) in [(5, 5), (200, 10), (20, 140), (120, 80)] {
            let img = paper_seven(300, 220, left, top, 70);
            let out = preprocess(&img, &PreprocessOptions::default()).unwrap();
            assert!(out.inverted, "dark-on-light should be detected");
            let (cx, cy) = centre_of_mass(&out.pixels, IMAGE_SIDE);
            assert!(
                (cx - 14.0).abs() <= 1.0 && (cy - 14.0).abs() <= 1.0,
                "centre of mass ({cx}, {cy}) for a digit at ({left}, {top})"
            );
            let (bw, bh) = ink_extent(&out.pixels);
            assert!(bw <= DIGIT_BOX && bh <= DIGIT_BOX, "box {bw}x{bh}");
            assert!(
                bw == DIGIT_BOX || bh == DIGIT_BOX,
                "box {bw}x{bh} not scaled to fill"
            );
            assert!(out.pixels.iter().all(|v| (0.0..=1.0).contains(v)));
        }
    }

    #[test]
    fn same_digit_same_result_whatever_the_position_and_polarity() {
        let a = preprocess(
            &paper_seven(300, 220, 5, 5, 70),
            &PreprocessOptions::default(),
        )
        .unwrap();
        let b = preprocess(
            &paper_seven(300, 220, 150, 100, 70),
            &PreprocessOptions::default(),
        )
        .unwrap();
        let moved: f32 = a
            .pixels
            .iter()
            .zip(&b.pixels)
            .map(|(x, y)| (x - y).abs())
            .sum();
        assert!(moved < 1.0, "position changed the result by {moved}");
        let mut dark = paper_seven(300, 220, 40, 40, 70);
        dark.pixels.iter_mut().for_each(|v| *v = 1.0 - *v);
        let c = preprocess(&dark, &PreprocessOptions::default()).unwrap();
        assert!(!c.inverted);
        let diff: f32 = a
            .pixels
            .iter()
            .zip(&c.pixels)
            .map(|(x, y)| (x - y).abs())
            .sum();
        assert!(diff < 1.0, "polarity changed the result by {diff}");
    }

    #[test]
    fn aspect_ratio_is_kept() {
        // A tall thin bar, like a "1": 10 wide, 100 tall.
        let mut img = GrayImage {
            width: 200,
            height: 200,
            pixels: vec![0.0; 200 * 200],
        };
        for y in 50..150 {
            for x in 95..105 {
                img.pixels[y * 200 + x] = 1.0;
            }
        }
        let out = preprocess(&img, &PreprocessOptions::default()).unwrap();
        let (bw, bh) = ink_extent(&out.pixels);
        assert_eq!(bh, 20);
        assert!(bw <= 3, "a 1:10 bar became {bw} wide");
    }

    #[test]
    fn blank_and_flat_images_have_no_ink() {
        for value in [0.0, 0.5, 1.0] {
            let img = GrayImage {
                width: 50,
                height: 40,
                pixels: vec![value; 2000],
            };
            assert_eq!(
                preprocess(&img, &PreprocessOptions::default()),
                Err(PreprocessError::NoInk)
            );
        }
    }

    #[test]
    fn bad_sizes_and_thresholds_are_errors() {
        let img = GrayImage {
            width: 3,
            height: 3,
            pixels: vec![0.0; 8],
        };
        assert!(matches!(
            preprocess(&img, &PreprocessOptions::default()),
            Err(PreprocessError::BadSize { .. })
        ));
        let img = paper_seven(100, 100, 10, 10, 50);
        let opts = PreprocessOptions {
            threshold: f32::NAN,
            ..Default::default()
        };
        assert!(matches!(
            preprocess(&img, &opts),
            Err(PreprocessError::BadThreshold(_))
        ));
    }

    #[test]
    fn rgba_transparent_is_paper() {
        let rgba = [0, 0, 0, 0, 0, 0, 0, 255];
        let img = GrayImage::from_rgba(2, 1, &rgba);
        assert_eq!(img.pixels, vec![1.0, 0.0]);
    }

    #[test]
    fn area_resampling_preserves_mean() {
        let src: Vec<f32> = (0..100).map(|i| (i % 7) as f32 / 7.0).collect();
        let out = resample_area(&src, 10, 10, 4, 4);
        let mean_in: f32 = src.iter().sum::<f32>() / 100.0;
        let mean_out: f32 = out.iter().sum::<f32>() / 16.0;
        assert!((mean_in - mean_out).abs() < 1e-4);
    }
}
