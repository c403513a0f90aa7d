//! `inkling predict`: classifies photos or drawings of single digits through the shared
//! preprocessing (the same code the web app's canvas uses).

use crate::backend::Backend;
use crate::eval::read_model_file;
use anyhow::{Context, Result, bail};
use inkling_data::preprocess::{GrayImage, Polarity, PreprocessOptions, preprocess};
use inkling_data::{IMAGE_PIXELS, IMAGE_SIDE};
use inkling_model::images_tensor;
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

fn load_gray(path: &Path) -> Result<GrayImage> {
    let image = image::open(path).with_context(|| format!("cannot decode {}", path.display()))?;
    let rgba = image.to_rgba8();
    Ok(GrayImage::from_rgba(
        rgba.width() as usize,
        rgba.height() as usize,
        rgba.as_raw(),
    ))
}

pub fn run(args: PredictArgs) -> Result<()> {
    let file = read_model_file(&args.model)?;
    let device = args.backend.device()?;
    let network = file.load(&device)?;
    let names = file.header.dataset.class_names();
    let norm = file.header.dataset.normalization();
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
        let result = load_gray(path).and_then(|gray| {
            preprocess(&gray, &options).with_context(|| format!("{}", path.display()))
        });
        let digit = match result {
            Ok(d) => d,
            Err(e) => {
                eprintln!("{}: {e:#}", path.display());
                failures += 1;
                continue;
            }
        };
        let input: Vec<f32> = digit.pixels.iter().map(|&v| norm.apply(v)).collect();
        let probs = network.probabilities(images_tensor(input, &device));
        let probs: Vec<f32> = pollster::block_on(probs.into_data_async())?
            .iter::<f32>()
            .collect();
        let mut ranked: Vec<(usize, f32)> = probs.into_iter().enumerate().collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        let top: Vec<String> = ranked
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
