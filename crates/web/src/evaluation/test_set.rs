//! The test set the evaluation view reads: the gzip IDX pair the site serves under
//! `data/<dataset>/` (as the trainer's worker fetches it), decompressed by the browser, kept
//! for the page's life once loaded.

use crate::text::{Texts, fill};
use crate::{gzip, platform};
use inkling_data::idx::is_gzip;
use inkling_data::{Dataset, DatasetKind, Split};
use std::cell::RefCell;
use std::rc::Rc;

thread_local! {
    /// The test sets loaded so far (one per dataset; 7.9 MB for MNIST's).
    static LOADED: RefCell<Vec<Rc<Dataset>>> = const { RefCell::new(Vec::new()) };
}

/// The test set of `kind`, downloaded the first time it is asked for; errors are written with
/// `t`.
pub async fn load(kind: DatasetKind, t: &Texts) -> Result<Rc<Dataset>, String> {
    if let Some(set) = LOADED.with(|l| l.borrow().iter().find(|d| d.kind == kind).cloned()) {
        return Ok(set);
    }
    let (images, labels) = kind.split_files(Split::Test);
    let images = fetch(kind, images.name, t).await?;
    let labels = fetch(kind, labels.name, t).await?;
    let set = Dataset::from_raw_idx(kind, &images, &labels).map_err(|e| {
        fill(
            t.evaluation.test_files_unusable,
            &[("dataset", &kind), ("error", &e)],
        )
    })?;
    let set = Rc::new(set);
    LOADED.with(|l| l.borrow_mut().push(set.clone()));
    Ok(set)
}

/// One file of the pair, decompressed.
async fn fetch(kind: DatasetKind, name: &str, t: &Texts) -> Result<Vec<u8>, String> {
    let url = format!("data/{kind}/{name}");
    let bytes = platform::fetch_bytes(&url, t.evaluation.test_set_what).await?;
    if !is_gzip(&bytes) {
        return Ok(bytes);
    }
    gzip::decompress(&bytes)
        .await
        .map_err(|e| fill(t.evaluation.not_gzip, &[("url", &url), ("error", &e)]))
}
