//! The library's records in IndexedDB: a name, a description and the test accuracy in
//! [`MODELS`], the model file under the same key in [`MODEL_FILES`]. Each change is one
//! transaction, so a model is never listed without its file.
//!
//! Each function has a twin ending in `_in` that writes its errors in the language of the texts
//! it is given, for the panel; the plain ones write them in English.

use crate::lang::Language;
use crate::storage::{self, MODEL_FILES, MODELS, Record, commit};
use crate::text::{Texts, fill};
use idb::{Database, Transaction, TransactionMode};
use wasm_bindgen::JsValue;

/// Longest name kept, in characters.
pub const MAX_NAME_CHARS: usize = 80;

/// A model in the library, without its file.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedModel {
    /// Its key in both stores.
    pub id: u32,
    /// The name the person gave it.
    pub name: String,
    /// How it was made: the network, the data, the run.
    pub description: String,
    /// Test-set accuracy the file records, if any.
    pub test_accuracy: Option<f64>,
    /// When it was saved, in milliseconds since 1970.
    pub saved_ms: f64,
    /// The file's size.
    pub size_bytes: usize,
}

/// Checks a name typed by the person; returns it trimmed.
pub fn clean_name(t: &'static Texts, name: &str) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(t.library.name_needed.into());
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(fill(t.library.name_too_long, &[("max", &MAX_NAME_CHARS)]));
    }
    Ok(name.to_string())
}

/// Every saved model, newest first.
pub async fn list() -> Result<Vec<SavedModel>, String> {
    list_in(Language::En.texts()).await
}

/// [`list`], with errors in `t`'s language.
pub async fn list_in(t: &'static Texts) -> Result<Vec<SavedModel>, String> {
    let mut models = storage::all(MODELS, t.library.what_library)
        .await?
        .iter()
        .map(|record| from_record(t, record))
        .collect::<Result<Vec<_>, _>>()?;
    models.sort_by(|a, b| b.saved_ms.total_cmp(&a.saved_ms));
    Ok(models)
}

/// Saves a model file under `name`; returns what the library now lists for it.
pub async fn save(
    name: &str,
    description: &str,
    test_accuracy: Option<f64>,
    file: &[u8],
) -> Result<SavedModel, String> {
    save_in(Language::En.texts(), name, description, test_accuracy, file).await
}

/// [`save`], with errors in `t`'s language.
pub async fn save_in(
    t: &'static Texts,
    name: &str,
    description: &str,
    test_accuracy: Option<f64>,
    file: &[u8],
) -> Result<SavedModel, String> {
    let name = clean_name(t, name)?;
    let database = storage::open().await?;
    let failed = |e: idb::Error| fill(t.library.not_saved, &[("name", &name), ("error", &e)]);
    let record = Record::new();
    record
        .set("name", name.as_str())
        .set("description", description)
        .set("savedMs", js_sys::Date::now())
        .set("sizeBytes", file.len() as f64);
    if let Some(accuracy) = test_accuracy {
        record.set("testAccuracy", accuracy);
    }
    let transaction = writing(&database).map_err(failed)?;
    let key = transaction
        .object_store(MODELS)
        .map_err(failed)?
        .add(&record.0, None)
        .map_err(failed)?
        .await
        .map_err(failed)?;
    transaction
        .object_store(MODEL_FILES)
        .map_err(failed)?
        .put(&js_sys::Uint8Array::from(file).into(), Some(&key))
        .map_err(failed)?
        .await
        .map_err(failed)?;
    commit(transaction).await.map_err(failed)?;
    record.set("id", key);
    from_record(t, &record)
}

/// The file of saved model `id`.
pub async fn file(id: u32) -> Result<Vec<u8>, String> {
    file_in(Language::En.texts(), id).await
}

/// [`file()`], with errors in `t`'s language.
pub async fn file_in(t: &'static Texts, id: u32) -> Result<Vec<u8>, String> {
    let database = storage::open().await?;
    let failed = |e: idb::Error| fill(t.library.model_unreadable, &[("error", &e)]);
    let transaction = database
        .transaction(&[MODEL_FILES], TransactionMode::ReadOnly)
        .map_err(failed)?;
    let value = transaction
        .object_store(MODEL_FILES)
        .map_err(failed)?
        .get(JsValue::from(id))
        .map_err(failed)?
        .await
        .map_err(failed)?
        .ok_or(t.library.file_missing)?;
    Ok(js_sys::Uint8Array::new(&value).to_vec())
}

/// Renames saved model `id`.
pub async fn rename(id: u32, name: &str) -> Result<(), String> {
    rename_in(Language::En.texts(), id, name).await
}

/// [`rename`], with errors in `t`'s language.
pub async fn rename_in(t: &'static Texts, id: u32, name: &str) -> Result<(), String> {
    let name = clean_name(t, name)?;
    let what = t.library.what_saved_model;
    storage::update(MODELS, id, what, "name", name.into()).await
}

/// Deletes saved model `id` and its file.
pub async fn delete(id: u32) -> Result<(), String> {
    delete_in(Language::En.texts(), id).await
}

/// [`delete`], with errors in `t`'s language.
pub async fn delete_in(t: &'static Texts, id: u32) -> Result<(), String> {
    storage::delete(&[MODELS, MODEL_FILES], id, t.library.what_model).await
}

fn writing(database: &Database) -> Result<Transaction, idb::Error> {
    database.transaction(&[MODELS, MODEL_FILES], TransactionMode::ReadWrite)
}

fn from_record(t: &'static Texts, record: &Record) -> Result<SavedModel, String> {
    let broken = || t.library.broken_record.to_string();
    Ok(SavedModel {
        id: record.number("id").ok_or_else(broken)? as u32,
        name: record.text("name").ok_or_else(broken)?,
        description: record.text("description").unwrap_or_default(),
        test_accuracy: record.number("testAccuracy"),
        saved_ms: record.number("savedMs").unwrap_or(0.0),
        size_bytes: record.number("sizeBytes").unwrap_or(0.0) as usize,
    })
}
