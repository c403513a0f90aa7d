//! The library's records in IndexedDB: a name, a description and the test accuracy in
//! [`MODELS`], the model file under the same key in [`MODEL_FILES`]. Each change is one
//! transaction, so a model is never listed without its file.

use crate::storage::{self, MODEL_FILES, MODELS, Record, commit};
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
pub fn clean_name(name: &str) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("a saved model needs a name".into());
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(format!("names are at most {MAX_NAME_CHARS} characters"));
    }
    Ok(name.to_string())
}

/// Every saved model, newest first.
pub async fn list() -> Result<Vec<SavedModel>, String> {
    let mut models = storage::all(MODELS, "the library")
        .await?
        .iter()
        .map(from_record)
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
    let name = clean_name(name)?;
    let database = storage::open().await?;
    let failed = |e: idb::Error| format!("“{name}” could not be saved: {e}");
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
    from_record(&record)
}

/// The file of saved model `id`.
pub async fn file(id: u32) -> Result<Vec<u8>, String> {
    let database = storage::open().await?;
    let failed = |e: idb::Error| format!("the saved model cannot be read: {e}");
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
        .ok_or("the saved model's file is missing from this browser's storage")?;
    Ok(js_sys::Uint8Array::new(&value).to_vec())
}

/// Renames saved model `id`.
pub async fn rename(id: u32, name: &str) -> Result<(), String> {
    let name = clean_name(name)?;
    storage::update(MODELS, id, "the saved model", "name", name.into()).await
}

/// Deletes saved model `id` and its file.
pub async fn delete(id: u32) -> Result<(), String> {
    storage::delete(&[MODELS, MODEL_FILES], id, "the model").await
}

fn writing(database: &Database) -> Result<Transaction, idb::Error> {
    database.transaction(&[MODELS, MODEL_FILES], TransactionMode::ReadWrite)
}

fn from_record(record: &Record) -> Result<SavedModel, String> {
    let broken = || "a saved model in this browser's storage lacks its name or key".to_string();
    Ok(SavedModel {
        id: record.number("id").ok_or_else(broken)? as u32,
        name: record.text("name").ok_or_else(broken)?,
        description: record.text("description").unwrap_or_default(),
        test_accuracy: record.number("testAccuracy"),
        saved_ms: record.number("savedMs").unwrap_or(0.0),
        size_bytes: record.number("sizeBytes").unwrap_or(0.0) as usize,
    })
}
