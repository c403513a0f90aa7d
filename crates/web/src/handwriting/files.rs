//! A collection as files: the gzip IDX pair MNIST ships in ([`IMAGES_FILE`], [`LABELS_FILE`]),
//! which `inkling train --own-digits` reads too. Compression is the browser's own
//! ([`gzip`]), so no gzip code is in the page's download.

use super::samples::Sample;
use crate::text::{Texts, fill};
use crate::{gzip, platform};
use inkling_data::handwriting::{IMAGES_FILE, LABELS_FILE};
use inkling_data::idx::{encode_u8, is_gzip};
use inkling_data::{Dataset, DatasetKind, IMAGE_SIDE};
use wasm_bindgen_futures::JsFuture;

/// Which of the pair a download is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The images, `[n, 28, 28]`.
    Images,
    /// The labels, `[n]`.
    Labels,
}

/// Offers one file of the collection's IDX pair as a download; errors are written in `t`'s
/// language.
pub async fn export(t: &'static Texts, samples: &[Sample], part: Part) -> Result<String, String> {
    let n = samples.len();
    let (bytes, name) = match part {
        Part::Images => {
            let pixels: Vec<u8> = samples
                .iter()
                .flat_map(|s| s.pixels.iter().copied())
                .collect();
            (
                encode_u8(&[n, IMAGE_SIDE, IMAGE_SIDE], &pixels),
                IMAGES_FILE,
            )
        }
        Part::Labels => {
            let labels: Vec<u8> = samples.iter().map(|s| s.label).collect();
            (encode_u8(&[n], &labels), LABELS_FILE)
        }
    };
    let gzip = gzip::compress(&bytes).await?;
    platform::download(&gzip, name).map_err(|e| {
        fill(
            t.handwriting.download_failed,
            &[("error", &format!("{e:?}"))],
        )
    })?;
    Ok(name.to_string())
}

/// Reads an IDX pair (gzip or not, in either order) chosen by the person: `(label, pixels)` of
/// each digit, or the format's own error (in a sentence in `t`'s language).
pub async fn import(
    t: &'static Texts,
    files: [web_sys::File; 2],
) -> Result<Vec<(u8, Vec<u8>)>, String> {
    let mut contents = Vec::new();
    for file in files {
        let name = file.name();
        let buffer = JsFuture::from(file.array_buffer()).await.map_err(|e| {
            fill(
                t.handwriting.file_unreadable,
                &[("file", &name), ("error", &format!("{e:?}"))],
            )
        })?;
        let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
        let bytes = if is_gzip(&bytes) {
            gzip::decompress(&bytes)
                .await
                .map_err(|e| fill(t.handwriting.not_gzip, &[("file", &name), ("error", &e)]))?
        } else {
            bytes
        };
        contents.push((name, bytes));
    }
    // The images are the file of rank 3; which is which does not depend on the names.
    let rank = |bytes: &[u8]| bytes.get(3).copied();
    if rank(&contents[0].1) != Some(3) {
        contents.swap(0, 1);
    }
    let ((images_name, images), (labels_name, labels)) = (&contents[0], &contents[1]);
    let set = Dataset::from_raw_idx(DatasetKind::Mnist, images, labels).map_err(|e| {
        fill(
            t.handwriting.not_idx_pair,
            &[
                ("images", images_name),
                ("labels", labels_name),
                ("error", &e),
            ],
        )
    })?;
    Ok((0..set.len())
        .map(|i| (set.label(i), set.image(i).to_vec()))
        .collect())
}
