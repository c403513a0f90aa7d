//! Helpers shared by the workspace-level tests: where the repository and the verified datasets
//! are, and loading them.

use inkling_data::{Dataset, DatasetKind, Split};
use std::path::PathBuf;

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the repository root")
        .to_path_buf()
}

/// Directory of a dataset: `$INKLING_DATA/<name>`, else `shared/data/<name>` beside the checkout.
pub fn data_dir(kind: DatasetKind) -> PathBuf {
    let root = std::env::var_os("INKLING_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/data"));
    root.join(kind.name())
}

/// Loads one split of a dataset, panicking with the path when it is missing.
pub fn load(kind: DatasetKind, split: Split) -> Dataset {
    let dir = data_dir(kind);
    let (images, labels) = kind.split_files(split);
    let read = |name: &str| {
        let path = dir.join(name);
        std::fs::read(&path).unwrap_or_else(|e| {
            panic!(
                "cannot read {} ({e}); set INKLING_DATA to the data root",
                path.display()
            )
        })
    };
    Dataset::from_idx(kind, &read(images.name), &read(labels.name)).expect("verified data")
}
