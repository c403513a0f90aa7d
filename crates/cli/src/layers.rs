//! `inkling layers`: a network's spatial layers (maps, side, dilation, receptive field) and,
//! with `--at`, exactly which input pixels one unit sees: the same function as the page's
//! receptive-field explorer.

use crate::eval::read_model_file;
use anyhow::{Context, Result, bail};
use inkling_model::ModelConfig;
use inkling_model::inside::ReceptiveField;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct LayersArgs {
    /// Model preset.
    #[arg(
        long,
        value_parser = clap::builder::PossibleValuesParser::new(ModelConfig::PRESETS),
        required_unless_present = "model_file",
        conflicts_with = "model_file"
    )]
    preset: Option<String>,
    /// A model file, for its network.
    #[arg(long = "model-file")]
    model_file: Option<PathBuf>,
    /// One unit, as `LAYER:ROW,COL` (`"block 6:3,3"`): print the input pixels it can see.
    #[arg(long)]
    at: Option<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// A unit named on the command line.
struct Unit {
    layer: String,
    row: usize,
    col: usize,
}

impl std::str::FromStr for Unit {
    type Err = anyhow::Error;
    fn from_str(s: &str) -> Result<Self> {
        let usage = || format!("--at takes LAYER:ROW,COL (like \"block 6:3,3\"), got {s:?}");
        let (layer, position) = s.rsplit_once(':').with_context(usage)?;
        let (row, col) = position.split_once(',').with_context(usage)?;
        Ok(Self {
            layer: layer.trim().to_string(),
            row: row.trim().parse().with_context(usage)?,
            col: col.trim().parse().with_context(usage)?,
        })
    }
}

pub fn run(args: LayersArgs) -> Result<()> {
    let config = match (&args.preset, &args.model_file) {
        (Some(name), _) => ModelConfig::preset(name).context("a listed preset")?,
        (None, Some(path)) => read_model_file(path)?.header.model,
        (None, None) => bail!("give --preset or --model-file"),
    };
    let layers = config.spatial_layers();
    if layers.is_empty() {
        bail!(
            "{} has no spatial layers: each unit sees the whole image",
            config.describe()
        );
    }
    if let Some(at) = &args.at {
        let unit: Unit = at.parse()?;
        let field = config.receptive_field_of(&unit.layer, unit.row, unit.col)?;
        if args.json {
            let json = serde_json::json!({
                "layer": unit.layer,
                "row": unit.row,
                "col": unit.col,
                "pixels": field.count(),
                "extent": field.extent(),
                "field": field.pixels.chunks(28)
                    .map(|row| row.iter().map(|&p| u8::from(p)).collect::<Vec<_>>())
                    .collect::<Vec<_>>(),
            });
            println!("{}", serde_json::to_string_pretty(&json)?);
        } else {
            let (height, width) = field.extent();
            println!(
                "{} ({}, {}) sees {} input pixels within {height}x{width}:",
                unit.layer,
                unit.row,
                unit.col,
                field.count()
            );
            print!("{}", picture(&field));
        }
        return Ok(());
    }
    let rows: Vec<_> = layers
        .iter()
        .map(|layer| {
            let centre = layer.side / 2;
            let field = config
                .receptive_field_of(&layer.name, centre, centre)
                .expect("the centre is in the layer");
            (layer, field)
        })
        .collect();
    if args.json {
        let json: Vec<_> = rows
            .iter()
            .map(|(layer, field)| {
                serde_json::json!({
                    "layer": layer.name,
                    "channels": layer.channels,
                    "side": layer.side,
                    "dilation": layer.dilation,
                    "centre_pixels": field.count(),
                    "centre_extent": field.extent(),
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&json)?);
        return Ok(());
    }
    println!("{}", config.describe());
    println!(
        "{:<9} {:>13} {:>9} {:>26}",
        "layer", "maps", "dilation", "centre unit sees (pixels)"
    );
    for (layer, field) in rows {
        let (height, width) = field.extent();
        println!(
            "{:<9} {:>13} {:>9} {:>26}",
            layer.name,
            format!("{} x {}x{}", layer.channels, layer.side, layer.side),
            layer.dilation,
            format!("{height}x{width} ({})", field.count())
        );
    }
    Ok(())
}

/// The 28x28 input, `#` where a pixel reaches the unit and `.` elsewhere.
fn picture(field: &ReceptiveField) -> String {
    field
        .pixels
        .chunks(28)
        .map(|row| {
            let mut line: String = row.iter().map(|&p| if p { '#' } else { '.' }).collect();
            line.push('\n');
            line
        })
        .collect()
}
