//! Real data for the unit tests: MNIST from `INKLING_DATA` (else the copy beside the checkout)
//! and the shipped pretrained model.

use burn::tensor::Device;
use inkling_data::{Dataset, DatasetKind, Split};
use inkling_model::{ModelFile, Network};
use std::path::PathBuf;

/// One split of MNIST.
pub(crate) fn mnist(split: Split) -> Dataset {
    let dir = match std::env::var_os("INKLING_DATA") {
        Some(root) => PathBuf::from(root).join("mnist"),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/mnist"),
    };
    let (images, labels) = DatasetKind::Mnist.split_files(split);
    let read = |name: &str| {
        std::fs::read(dir.join(name))
            .unwrap_or_else(|e| panic!("MNIST {name} in {} ({e}); set INKLING_DATA", dir.display()))
    };
    Dataset::from_idx(DatasetKind::Mnist, &read(images.name), &read(labels.name)).unwrap()
}

/// The pretrained dsd-s the page ships (`www/models/dsd-s.inkling`), loaded on `device`.
pub(crate) fn pretrained(device: &Device) -> Network {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../www/models/dsd-s.inkling");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{} ({e})", path.display()));
    ModelFile::decode(&bytes).unwrap().load(device).unwrap()
}
