//! Dataset directories: where they are, loading them, verifying them against the published
//! checksums, and downloading them for users who have internet.

use anyhow::{Context, Result, bail};
use inkling_data::dataset::DataFile;
use inkling_data::{Dataset, DatasetKind, Split, idx};
use md5::{Digest, Md5};
use std::path::{Path, PathBuf};

/// Debian's `dataset-fashion-mnist` package installs the files here.
const DEBIAN_FASHION_DIR: &str = "/usr/share/datasets/fashion-mnist";

/// Where to find a dataset; shared by every subcommand.
#[derive(clap::Args, Debug, Clone)]
pub struct DataLocation {
    /// Dataset to use (default: mnist, or the model file's dataset).
    #[arg(long, global = true, value_parser = crate::choice::parser::<DatasetKind>())]
    pub dataset: Option<DatasetKind>,
    /// Directory holding the four `*-ubyte.gz` files of the dataset. Default:
    /// `$INKLING_DATA/<dataset>`, else `~/.local/share/inkling/<dataset>` (for Fashion-MNIST
    /// also Debian's /usr/share/datasets/fashion-mnist).
    #[arg(long, global = true)]
    pub data_dir: Option<PathBuf>,
}

impl DataLocation {
    /// The dataset chosen on the command line, else MNIST.
    pub fn kind(&self) -> DatasetKind {
        self.dataset.unwrap_or_default()
    }

    /// This location with `kind` filled in when the command line named no dataset.
    pub fn or_dataset(&self, kind: DatasetKind) -> DataLocation {
        DataLocation {
            dataset: Some(self.dataset.unwrap_or(kind)),
            data_dir: self.data_dir.clone(),
        }
    }

    /// The directory to read, following the documented defaults.
    pub fn dir(&self) -> PathBuf {
        if let Some(dir) = &self.data_dir {
            return dir.clone();
        }
        let root = std::env::var_os("INKLING_DATA")
            .map(PathBuf::from)
            .or_else(|| {
                std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share/inkling"))
            })
            .unwrap_or_else(|| PathBuf::from("data"));
        let dir = root.join(self.kind().to_string());
        if self.kind() == DatasetKind::FashionMnist
            && !dir.exists()
            && Path::new(DEBIAN_FASHION_DIR).exists()
        {
            return PathBuf::from(DEBIAN_FASHION_DIR);
        }
        dir
    }

    /// Loads one split, with errors that name the file and what is wrong with it.
    pub fn load(&self, split: Split) -> Result<Dataset> {
        let dir = self.dir();
        let kind = self.kind();
        let (images, labels) = kind.split_files(split);
        let read = |f: &DataFile| {
            let path = dir.join(f.name);
            std::fs::read(&path).with_context(|| {
                format!(
                    "cannot read {} (run `inkling data fetch --dataset {}` or pass --data-dir)",
                    path.display(),
                    kind
                )
            })
        };
        Dataset::from_idx(kind, &read(images)?, &read(labels)?)
            .with_context(|| format!("{kind} data in {} is damaged", dir.display()))
    }
}

#[derive(clap::Args, Debug)]
pub struct DataArgs {
    #[command(subcommand)]
    action: Option<DataAction>,
    #[command(flatten)]
    location: DataLocation,
}

#[derive(clap::Subcommand, Debug)]
enum DataAction {
    /// Check every file against the published MD5 of its contents (the default).
    Verify,
    /// Download the dataset from its public mirrors, verifying each file before keeping it.
    Fetch {
        /// Base URL to download from instead of the public mirrors (repeatable).
        #[arg(long)]
        mirror: Vec<String>,
    },
}

pub fn run(args: DataArgs) -> Result<()> {
    match args.action.unwrap_or(DataAction::Verify) {
        DataAction::Verify => verify(&args.location),
        DataAction::Fetch { mirror } => fetch(&args.location, &mirror),
    }
}

/// MD5 (hex) of the decompressed contents of an IDX file, gzip or raw.
pub fn content_md5(bytes: &[u8]) -> Result<String> {
    let raw = if idx::is_gzip(bytes) {
        idx::gunzip(bytes)?
    } else {
        bytes.to_vec()
    };
    Ok(format!("{:x}", Md5::digest(&raw)))
}

fn verify(location: &DataLocation) -> Result<()> {
    let dir = location.dir();
    let mut bad = 0;
    for file in location.kind().files() {
        let path = dir.join(file.name);
        let status = match std::fs::read(&path) {
            Err(e) => format!("MISSING ({e})"),
            Ok(bytes) => match content_md5(&bytes) {
                Ok(md5) if md5 == file.md5 => "ok".to_string(),
                Ok(md5) => format!("MISMATCH (md5 {md5}, expected {})", file.md5),
                Err(e) => format!("UNREADABLE ({e})"),
            },
        };
        if status != "ok" {
            bad += 1;
        }
        println!("{:<28} {status}", file.name);
    }
    if bad > 0 {
        bail!(
            "{bad} of 4 {} files in {} failed verification",
            location.kind(),
            dir.display()
        );
    }
    println!(
        "{} in {}: all 4 files verified",
        location.kind(),
        dir.display()
    );
    Ok(())
}

fn fetch(location: &DataLocation, mirrors: &[String]) -> Result<()> {
    let mirrors: Vec<String> = if mirrors.is_empty() {
        location
            .kind()
            .mirrors()
            .iter()
            .map(|m| m.to_string())
            .collect()
    } else {
        mirrors
            .iter()
            .map(|m| {
                if m.ends_with('/') {
                    m.clone()
                } else {
                    format!("{m}/")
                }
            })
            .collect()
    };
    let dir = location.dir();
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let agent = ureq::AgentBuilder::new()
        .timeout_connect(std::time::Duration::from_secs(15))
        .timeout_read(std::time::Duration::from_secs(60))
        .build();
    for file in location.kind().files() {
        let target = dir.join(file.name);
        if let Ok(existing) = std::fs::read(&target)
            && content_md5(&existing).ok().as_deref() == Some(file.md5)
        {
            println!("{:<28} already present and verified", file.name);
            continue;
        }
        let mut errors = Vec::new();
        let mut fetched = None;
        for mirror in &mirrors {
            let url = format!("{mirror}{}", file.name);
            match download(&agent, &url) {
                Ok(bytes) => match content_md5(&bytes) {
                    Ok(md5) if md5 == file.md5 => {
                        fetched = Some(bytes);
                        break;
                    }
                    Ok(md5) => errors.push(format!("{url}: checksum {md5} != {}", file.md5)),
                    Err(e) => errors.push(format!("{url}: {e}")),
                },
                Err(e) => errors.push(format!("{url}: {e}")),
            }
        }
        let Some(bytes) = fetched else {
            bail!(
                "could not download {} from any mirror:\n  {}",
                file.name,
                errors.join("\n  ")
            );
        };
        // Write to a temporary name first so an interruption never leaves a half file behind.
        let partial = target.with_extension("gz.part");
        std::fs::write(&partial, &bytes)?;
        std::fs::rename(&partial, &target)?;
        println!("{:<28} downloaded and verified", file.name);
    }
    Ok(())
}

fn download(agent: &ureq::Agent, url: &str) -> Result<Vec<u8>> {
    let response = agent.get(url).call()?;
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(response.into_reader(), 256 * 1024 * 1024),
        &mut bytes,
    )?;
    Ok(bytes)
}
