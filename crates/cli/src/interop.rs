//! `inkling export` and `inkling import`: a model file to SafeTensors with PyTorch's names and
//! layouts (see `inkling_model::to_safetensors` for the mapping), and back, bit for bit.

use crate::checkpoint::write_atomic;
use crate::eval::read_model_file;
use anyhow::{Context, Result};
use burn::tensor::Device;
use inkling_data::Choice;
use inkling_model::{ModelFile, WeightFormat, from_safetensors};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// Model file written by `inkling train` or downloaded from the web app.
    #[arg(long, short)]
    model: PathBuf,
    /// Format of the copy: safetensors (PyTorch's names and layouts, the architecture in the
    /// metadata), or inkling (a copy of the model file).
    #[arg(long, default_value = "safetensors", value_parser = crate::choice::parser::<WeightFormat>())]
    format: WeightFormat,
    /// Where to write it (default: the model file's name with the format's extension).
    #[arg(long, short)]
    out: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// A SafeTensors file written by `inkling export` (or following its mapping).
    file: PathBuf,
    /// The model file to write (default: the file's name with `.inkling`).
    #[arg(long, short)]
    out: Option<PathBuf>,
}

pub fn export(args: ExportArgs) -> Result<()> {
    let file = read_model_file(&args.model)?;
    let bytes = pollster::block_on(args.format.write(&file))
        .with_context(|| format!("cannot export {}", args.model.display()))?;
    let out = args
        .out
        .unwrap_or_else(|| args.model.with_extension(args.format.extension()));
    write_atomic(&out, &bytes)?;
    println!(
        "wrote {} ({} bytes, {}): {}",
        out.display(),
        bytes.len(),
        args.format.menu_label(),
        file.header.model.describe()
    );
    Ok(())
}

pub fn import(args: ImportArgs) -> Result<()> {
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let (header, network) = from_safetensors(&bytes, &Device::flex())
        .with_context(|| format!("{} is not an importable model", args.file.display()))?;
    let file = pollster::block_on(ModelFile::from_network(header, &network))?;
    let out = args
        .out
        .unwrap_or_else(|| args.file.with_extension("inkling"));
    write_atomic(&out, &file.encode())?;
    println!("wrote {}: {}", out.display(), file.header.model.describe());
    Ok(())
}
