//! `inkling predict`: classifies photos or drawings of single digits through the shared
//! preprocessing (the same code the web app's canvas uses).

use crate::backend::Backend;
use crate::eval::read_model_file;
use anyhow::{Context, Result, bail};
use image::{ImageFormat, ImageReader};
use inkling_data::preprocess::{GrayImage, Polarity, PreprocessOptions, Preprocessed, preprocess};
use inkling_data::{IMAGE_PIXELS, IMAGE_SIDE};
use inkling_model::{DigitReader, ranked};
use std::io::{BufRead, BufReader, Seek, SeekFrom};
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug)]
pub struct PredictArgs {
    /// Model file.
    #[arg(long, short)]
    model: PathBuf,
    /// PNG or JPEG images, one digit each.
    #[arg(required = true)]
    images: Vec<PathBuf>,
    /// How many of the most likely classes to print.
    #[arg(long, default_value_t = 3)]
    top: usize,
    /// Ink polarity of the images.
    #[arg(long, value_enum, default_value = "auto")]
    polarity: PolarityArg,
    /// Fraction of the ink contrast below which a pixel counts as background.
    #[arg(long, default_value_t = 0.2)]
    threshold: f32,
    /// Print the 28x28 image the model saw.
    #[arg(long)]
    show_input: bool,
    /// Compute backend.
    #[arg(long, value_enum, default_value = "flex")]
    backend: Backend,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum PolarityArg {
    Auto,
    DarkOnLight,
    LightOnDark,
}

/// Widest or tallest image `predict` decodes. A photo of one digit is far smaller; a forged
/// header claiming more would make the decoder allocate gigabytes before finding out.
const MAX_SIDE: u32 = 10_000;
/// Most pixels `predict` decodes (40 megapixels, 160 MB once expanded to RGBA).
const MAX_PIXELS: u64 = 40_000_000;

/// An image too large to be a photo of one digit, refused from its header.
#[derive(Debug)]
struct TooLarge {
    width: u32,
    height: u32,
}

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "image is {}x{} pixels, over the limit of {MAX_SIDE} pixels a side and {} \
             megapixels; scale it down first",
            self.width,
            self.height,
            MAX_PIXELS / 1_000_000
        )
    }
}

impl std::error::Error for TooLarge {}

/// Refuses sizes no digit photo has, from the header alone, before any pixel is decoded.
fn check_dimensions(width: u32, height: u32) -> Result<(), TooLarge> {
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(TooLarge { width, height });
    }
    Ok(())
}

/// A reader for an image in `source`: the format from its first bytes, else from `hint` (the
/// file extension).
fn image_reader<R: BufRead + Seek>(source: R, hint: Option<ImageFormat>) -> Result<ImageReader<R>> {
    let mut reader = ImageReader::new(source);
    if let Some(format) = hint {
        reader.set_format(format);
    }
    Ok(reader.with_guessed_format()?)
}

/// Decodes an image to grey levels, refusing absurd dimensions before reading any pixel.
fn decode_gray<R: BufRead + Seek>(mut source: R, hint: Option<ImageFormat>) -> Result<GrayImage> {
    let start = source.stream_position()?;
    let (width, height) = image_reader(&mut source, hint)?.into_dimensions()?;
    check_dimensions(width, height)?;
    source.seek(SeekFrom::Start(start))?;
    let mut reader = image_reader(&mut source, hint)?;
    // The decoder enforces the same sides, should a file disagree with its own header.
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    reader.limits(limits);
    let rgba = reader.decode()?.to_rgba8();
    Ok(GrayImage::from_rgba(
        rgba.width() as usize,
        rgba.height() as usize,
        rgba.as_raw(),
    ))
}

/// The model input for the digit in an image: decode, then the shared preprocessing.
fn read_digit<R: BufRead + Seek>(
    source: R,
    hint: Option<ImageFormat>,
    options: &PreprocessOptions,
) -> Result<Preprocessed> {
    let gray = decode_gray(source, hint).context("cannot decode the image")?;
    Ok(preprocess(&gray, options)?)
}

/// [`read_digit`] for an image file.
fn load_digit(path: &Path, options: &PreprocessOptions) -> Result<Preprocessed> {
    let file = std::fs::File::open(path).context("cannot open the image")?;
    read_digit(
        BufReader::new(file),
        ImageFormat::from_path(path).ok(),
        options,
    )
}

pub fn run(args: PredictArgs) -> Result<()> {
    let file = read_model_file(&args.model)?;
    let device = args.backend.device()?;
    let names = file.header.dataset.class_names();
    let reader = DigitReader::new(file, &device)?;
    let options = PreprocessOptions {
        polarity: match args.polarity {
            PolarityArg::Auto => Polarity::Auto,
            PolarityArg::DarkOnLight => Polarity::DarkOnLight,
            PolarityArg::LightOnDark => Polarity::LightOnDark,
        },
        threshold: args.threshold,
    };
    let mut failures = 0;
    for path in &args.images {
        let digit = match load_digit(path, &options) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("{}: {e:#}", path.display());
                failures += 1;
                continue;
            }
        };
        let probabilities = pollster::block_on(reader.probabilities(&digit.pixels))?;
        let top: Vec<String> = ranked(&probabilities)
            .iter()
            .take(args.top.max(1))
            .map(|(c, p)| format!("{} ({:.1} %)", names[*c], p * 100.0))
            .collect();
        println!("{}: {}", path.display(), top.join(", "));
        if args.show_input {
            print!("{}", ascii_art(&digit.pixels));
        }
    }
    if failures > 0 {
        bail!(
            "{failures} of {} images could not be classified",
            args.images.len()
        );
    }
    Ok(())
}

/// The 28x28 input as text, darkest to brightest ink.
fn ascii_art(pixels: &[f32]) -> String {
    const RAMP: &[u8] = b" .:-=+*#%@";
    debug_assert_eq!(pixels.len(), IMAGE_PIXELS);
    let mut out = String::new();
    for row in pixels.chunks(IMAGE_SIDE) {
        for &v in row {
            let i = ((v.clamp(0.0, 1.0) * (RAMP.len() - 1) as f32).round()) as usize;
            let c = RAMP[i] as char;
            out.push(c);
            out.push(c);
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use inkling_data::{DatasetKind, PreprocessError, Split};
    use inkling_tests::mutate::{
        HOSTILE_U32, Mutator, Rejected, Tally, fix_png_crcs, message_kind, show_bytes, variant_name,
    };
    use std::io::Cursor;
    use std::time::{Duration, Instant};

    /// Mutated inputs per image format.
    const INPUTS: usize = 10_000;

    /// A real MNIST test digit as an image file: scaled up `scale` times, as dark ink on white
    /// paper when `paper`, in colour (RGB, or RGBA with transparent paper for PNG) when `colour`.
    fn render(digit: &[u8], scale: u32, paper: bool, colour: bool, format: ImageFormat) -> Vec<u8> {
        let side = 28 * scale;
        let ink = |x: u32, y: u32| {
            let v = digit[(y / scale * 28 + x / scale) as usize];
            if paper { 255 - v } else { v }
        };
        let image = match (colour, format) {
            (false, _) => {
                image::DynamicImage::ImageLuma8(image::ImageBuffer::from_fn(side, side, |x, y| {
                    image::Luma([ink(x, y)])
                }))
            }
            (true, ImageFormat::Png) => {
                image::DynamicImage::ImageRgba8(image::ImageBuffer::from_fn(side, side, |x, y| {
                    image::Rgba([20, 30, 200, 255 - ink(x, y)])
                }))
            }
            (true, _) => {
                image::DynamicImage::ImageRgb8(image::ImageBuffer::from_fn(side, side, |x, y| {
                    let v = ink(x, y);
                    image::Rgb([v, v / 2, 255 - v / 3])
                }))
            }
        };
        let mut out = Cursor::new(Vec::new());
        image.write_to(&mut out, format).expect("in-memory encode");
        out.into_inner()
    }

    /// A refusal grouped by what refused it: the image decoder (by error kind), our size check
    /// or the preprocessing.
    fn rejected(error: &anyhow::Error) -> Rejected {
        let kind = if error.downcast_ref::<TooLarge>().is_some() {
            "too large (refused from the header)".to_string()
        } else if let Some(e) = error.downcast_ref::<image::ImageError>() {
            format!("image: {}", variant_name(&format!("{e:?}")))
        } else if let Some(e) = error.downcast_ref::<PreprocessError>() {
            format!("preprocess: {}", variant_name(&format!("{e:?}")))
        } else if let Some(e) = error.downcast_ref::<std::io::Error>() {
            format!("io: {:?}", e.kind())
        } else {
            message_kind(&error.root_cause().to_string())
        };
        Rejected {
            kind,
            message: format!("{error:#}"),
        }
    }

    /// Feeds `input` through the path `inkling predict` takes, checking what it accepts.
    fn feed(tally: &mut Tally, input: &[u8], hint: Option<ImageFormat>) {
        tally.check(
            || show_bytes(input),
            || {
                let digit = read_digit(Cursor::new(input), hint, &PreprocessOptions::default())
                    .map_err(|e| rejected(&e))?;
                assert_eq!(digit.pixels.len(), IMAGE_PIXELS);
                assert!(digit.pixels.iter().all(|v| (0.0..=1.0).contains(v)));
                Ok(())
            },
        );
    }

    /// Offsets of the chunks of `png` called `name` (the start of their length field).
    fn png_chunks(png: &[u8], name: &[u8; 4]) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        let mut at = 8;
        while at + 12 <= png.len() {
            let len = u32::from_be_bytes(png[at..at + 4].try_into().unwrap()) as usize;
            if &png[at + 4..at + 8] == name {
                found.push((at, len));
            }
            at += 12 + len;
        }
        found
    }

    /// Sides around the limits and hostile integers, for headers.
    fn hostile_sides() -> Vec<u32> {
        let mut sides = HOSTILE_U32.to_vec();
        sides.extend([28, 6324, 6325, 9_999, 10_000, 10_001, 65_535, 100_000]);
        sides
    }

    fn mnist_digits() -> Vec<Vec<u8>> {
        let test = inkling_tests::load(DatasetKind::Mnist, Split::Test);
        (0..4).map(|i| test.image(i).to_vec()).collect()
    }

    #[test]
    fn damaged_png_images_are_refused_with_a_reason_never_a_panic() {
        let digits = mnist_digits();
        let seeds = [
            render(&digits[0], 1, false, false, ImageFormat::Png),
            render(&digits[1], 2, true, true, ImageFormat::Png),
            render(&digits[2], 3, true, false, ImageFormat::Png),
        ];
        let sides = hostile_sides();
        let mut m = Mutator::new(0x0050_4E47);
        let mut tally = Tally::new("predict: PNG images");
        for i in 0..INPUTS {
            let seed = m.pick(&seeds);
            let input = match m.below(10) {
                // Raw damage: the chunk checksums catch most of it.
                0 | 1 => m.bytes(seed),
                // Header fields: sides, bit depth, colour type, compression, filter, interlace.
                2..=4 => {
                    let mut png = seed.clone();
                    match m.below(3) {
                        0 => {
                            let at = 16 + 4 * m.below(2);
                            png[at..at + 4].copy_from_slice(&m.pick(&sides).to_be_bytes());
                        }
                        1 => {
                            let side = m.pick(&sides).to_be_bytes();
                            png[16..20].copy_from_slice(&side);
                            png[20..24].copy_from_slice(&side);
                        }
                        _ => {
                            let at = 24 + m.below(5);
                            png[at] = m.below(256) as u8;
                        }
                    }
                    fix_png_crcs(&mut png);
                    png
                }
                // Damaged compressed pixels, checksums resealed.
                5..=7 => {
                    let (at, len) = png_chunks(seed, b"IDAT")[0];
                    let mut png = m.bytes_within(seed, at + 8..at + 8 + len);
                    fix_png_crcs(&mut png);
                    png
                }
                // Anything, resealed.
                _ => {
                    let mut png = m.bytes(seed);
                    fix_png_crcs(&mut png);
                    png
                }
            };
            let hint = [Some(ImageFormat::Png), None, Some(ImageFormat::Jpeg)][i % 3];
            feed(&mut tally, &input, hint);
        }
        tally.finish();
    }

    #[test]
    fn damaged_jpeg_images_are_refused_with_a_reason_never_a_panic() {
        let digits = mnist_digits();
        let seeds = [
            render(&digits[0], 1, false, false, ImageFormat::Jpeg),
            render(&digits[3], 2, true, true, ImageFormat::Jpeg),
        ];
        // The frame header (SOF0): precision, height, width, components.
        let frames: Vec<usize> = seeds
            .iter()
            .map(|jpeg| {
                jpeg.windows(2)
                    .position(|w| w == [0xFF, 0xC0])
                    .expect("a baseline JPEG")
            })
            .collect();
        let sides = hostile_sides();
        let mut m = Mutator::new(0x4A50_4547);
        let mut tally = Tally::new("predict: JPEG images");
        for i in 0..INPUTS {
            let which = m.below(seeds.len());
            let seed = &seeds[which];
            let input = match m.below(10) {
                0..=3 => {
                    let mut jpeg = seed.clone();
                    let sof = frames[which];
                    match m.below(3) {
                        0 => {
                            let at = sof + 5 + 2 * m.below(2);
                            let side = (*m.pick(&sides)).min(u16::MAX.into()) as u16;
                            jpeg[at..at + 2].copy_from_slice(&side.to_be_bytes());
                        }
                        1 => jpeg[sof + 4] = *m.pick(&[0, 1, 8, 12, 16, 255]),
                        _ => jpeg[sof + 9] = m.below(8) as u8,
                    }
                    jpeg
                }
                4 | 5 => {
                    let len = seed.len();
                    m.bytes_within(seed, frames[which]..len)
                }
                _ => m.bytes(seed),
            };
            let hint = [Some(ImageFormat::Jpeg), None, Some(ImageFormat::Png)][i % 3];
            feed(&mut tally, &input, hint);
        }
        tally.finish();
    }

    #[test]
    fn a_png_claiming_100000x100000_pixels_is_refused_before_decoding() {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut chunk = |name: &[u8; 4], data: &[u8]| {
            png.extend_from_slice(&(data.len() as u32).to_be_bytes());
            png.extend_from_slice(name);
            png.extend_from_slice(data);
            png.extend_from_slice(&[0; 4]);
        };
        let mut header = Vec::new();
        header.extend_from_slice(&100_000u32.to_be_bytes());
        header.extend_from_slice(&100_000u32.to_be_bytes());
        header.extend_from_slice(&[8, 0, 0, 0, 0]);
        chunk(b"IHDR", &header);
        chunk(b"IDAT", &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        chunk(b"IEND", &[]);
        fix_png_crcs(&mut png);

        let start = Instant::now();
        let error = read_digit(Cursor::new(&png), None, &PreprocessOptions::default())
            .expect_err("10 gigapixels must be refused");
        let elapsed = start.elapsed();
        let message = format!("{error:#}");
        assert!(
            message.contains("100000x100000") && message.contains("10000 pixels a side"),
            "the message names the size and the limit: {message}"
        );
        assert!(
            elapsed < Duration::from_millis(200),
            "refused after {elapsed:?}"
        );
    }
}
