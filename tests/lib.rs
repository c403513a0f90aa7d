//! Helpers shared by the workspace-level tests: where the repository and the verified datasets
//! are, and loading them.

use inkling_data::{Dataset, DatasetKind, Split};
use std::path::{Path, PathBuf};

pub mod mutate;

/// The repository root: the nearest directory above the working directory (cargo runs tests in
/// their package's directory) whose Cargo.toml declares the workspace.
///
/// Found at run time on purpose: cargo reuses this library's build across checkouts at other
/// paths that share a build cache, so a path compiled in with `env!` can name another checkout.
pub fn repo_root() -> PathBuf {
    let is_root = |dir: &Path| {
        std::fs::read_to_string(dir.join("Cargo.toml")).is_ok_and(|t| t.contains("[workspace]"))
    };
    std::env::current_dir()
        .ok()
        .and_then(|cwd| cwd.ancestors().find(|d| is_root(d)).map(PathBuf::from))
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .parent()
                .expect("tests/ sits in the repository root")
                .to_path_buf()
        })
}

/// Directory of a dataset: `$INKLING_DATA/<name>`, else `shared/data/<name>` beside the checkout.
pub fn data_dir(kind: DatasetKind) -> PathBuf {
    let root = std::env::var_os("INKLING_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/data"));
    root.join(kind.to_string())
}

/// The bytes of dataset file `name` (as stored: gzip), panicking with the path when it is
/// missing.
pub fn read_data_file(kind: DatasetKind, name: &str) -> Vec<u8> {
    let path = data_dir(kind).join(name);
    std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {} ({e}); set INKLING_DATA to the data root",
            path.display()
        )
    })
}

/// Loads one split of a dataset, panicking with the path when it is missing.
pub fn load(kind: DatasetKind, split: Split) -> Dataset {
    let (images, labels) = kind.split_files(split);
    let read = |name: &str| read_data_file(kind, name);
    Dataset::from_idx(kind, &read(images.name), &read(labels.name)).expect("verified data")
}

/// The `inkling` CLI built beside the running test (`cargo test --workspace` builds it).
pub fn inkling_cli() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("tests run from target/<profile>/deps");
    dir.join(format!("inkling{}", std::env::consts::EXE_SUFFIX))
}

/// Compressed size of `bytes` at gzip's default level (what a web server would send).
pub fn gzip_len(bytes: &[u8]) -> u64 {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("in-memory write");
    encoder.finish().expect("in-memory write").len() as u64
}

pub mod hand;

pub mod browser;

/// Every weight and batch-norm statistic of the model file at `path`, by module path, as bytes:
/// two files hold the same model exactly when these are equal (the files also carry burn's
/// per-process parameter ids, which differ).
pub fn model_values(path: &Path) -> Vec<(String, Vec<u8>)> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file = inkling_model::ModelFile::decode(&bytes).unwrap();
    let network = file.load(&burn::tensor::Device::flex()).unwrap();
    pollster::block_on(network.named_values_async())
        .unwrap()
        .into_iter()
        .map(|(path, value)| (path, value.as_bytes().to_vec()))
        .collect()
}
