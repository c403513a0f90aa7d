//! The collected digits in IndexedDB ([`SAMPLES`]): each a label and the 784 grey levels the
//! model saw when it was drawn (ink high), kept in the order they were collected.

use crate::storage::{self, Record, SAMPLES, commit};
use crate::text::{Texts, fill};
use idb::TransactionMode;
use inkling_data::IMAGE_PIXELS;
use std::rc::Rc;

/// One collected digit.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// Its key; collection order.
    pub id: u32,
    /// The digit it is.
    pub label: u8,
    /// 28x28 grey levels, ink high.
    pub pixels: Rc<Vec<u8>>,
}

/// The grey levels of a reading's input (`[0, 1]`, ink 1).
pub fn levels(input: &[f32]) -> Vec<u8> {
    input
        .iter()
        .map(|v| (v.clamp(0.0, 1.0) * 255.0).round() as u8)
        .collect()
}

/// Every collected digit, in collection order. Here and below, errors are written in `t`'s
/// language.
pub async fn list(t: &'static Texts) -> Result<Vec<Sample>, String> {
    storage::all(SAMPLES, t.handwriting.what_digits)
        .await?
        .iter()
        .map(|record| from_record(t, record))
        .collect()
}

/// Adds digits `(label, pixels)` after those collected already.
pub async fn add(t: &'static Texts, digits: &[(u8, Vec<u8>)]) -> Result<(), String> {
    if let Some((label, _)) = digits
        .iter()
        .find(|(label, p)| *label > 9 || p.len() != IMAGE_PIXELS)
    {
        return Err(fill(t.handwriting.not_a_digit, &[("label", label)]));
    }
    let database = storage::open().await?;
    let failed = |e: idb::Error| fill(t.handwriting.not_kept, &[("error", &e)]);
    let transaction = database
        .transaction(&[SAMPLES], TransactionMode::ReadWrite)
        .map_err(failed)?;
    let store = transaction.object_store(SAMPLES).map_err(failed)?;
    for (label, pixels) in digits {
        let record = Record::new();
        record
            .set("label", u32::from(*label))
            .set("pixels", js_sys::Uint8Array::from(pixels.as_slice()));
        store
            .add(&record.0, None)
            .map_err(failed)?
            .await
            .map_err(failed)?;
    }
    commit(transaction).await.map_err(failed)
}

/// Gives digit `id` the label `label`.
pub async fn relabel(t: &'static Texts, id: u32, label: u8) -> Result<(), String> {
    let what = t.handwriting.what_digit;
    storage::update(SAMPLES, id, what, "label", u32::from(label).into()).await
}

/// Deletes digit `id`.
pub async fn delete(t: &'static Texts, id: u32) -> Result<(), String> {
    storage::delete(&[SAMPLES], id, t.handwriting.what_digit).await
}

fn from_record(t: &'static Texts, record: &Record) -> Result<Sample, String> {
    let broken = || t.handwriting.damaged.to_string();
    let pixels = js_sys::Uint8Array::new(&record.get("pixels")).to_vec();
    let label = record.number("label").ok_or_else(broken)?;
    if pixels.len() != IMAGE_PIXELS || !(0.0..=9.0).contains(&label) {
        return Err(broken());
    }
    Ok(Sample {
        id: record.number("id").ok_or_else(broken)? as u32,
        label: label as u8,
        pixels: Rc::new(pixels),
    })
}
