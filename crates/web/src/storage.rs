//! The page's IndexedDB database, through the `idb` crate: one database, `inkling`, whose object
//! stores hold what a person keeps between visits: saved models ([`crate::library`]), the
//! digits of their own handwriting ([`crate::handwriting`]) and finished training runs
//! ([`crate::runs`]).
//!
//! Records are plain JavaScript objects so that they stay readable in the browser's developer
//! tools; [`Record`] reads and writes their fields.

use crate::config::page_texts;
use crate::text::fill;
use idb::{Database, DatabaseEvent, Factory, KeyPath, ObjectStoreParams, Transaction};
use wasm_bindgen::{JsCast, JsValue};

/// The database's name.
pub const DATABASE: &str = "inkling";
/// Its schema version: raise it, and create what is new in [`upgrade`], to add a store.
const VERSION: u32 = 2;

/// Saved models' names and descriptions (key path `id`, numbered by the database).
pub const MODELS: &str = "models";
/// Saved models' files, under the same key as their record in [`MODELS`], so that listing the
/// library reads no weights.
pub const MODEL_FILES: &str = "model-files";

/// Digits of a person's own handwriting (key path `id`, numbered by the database, so the order
/// of collection is the order of the keys).
pub const SAMPLES: &str = "samples";

/// Finished training runs, for the runs table (key path `id`, numbered by the database).
pub const RUNS: &str = "runs";

/// Opens the database, creating or upgrading its stores on first use. Errors, like those of
/// the functions below, are in the page's language.
pub async fn open() -> Result<Database, String> {
    let failed = |e: idb::Error| fill(page_texts().app.storage_unavailable, &[("error", &e)]);
    let factory = Factory::new().map_err(failed)?;
    let mut request = factory.open(DATABASE, Some(VERSION)).map_err(failed)?;
    request.on_upgrade_needed(|event| {
        if let Ok(database) = event.database() {
            upgrade(&database);
        }
    });
    request.await.map_err(failed)
}

/// Creates the stores a database opened at an older version lacks.
fn upgrade(database: &Database) {
    let existing = database.store_names();
    let mut numbered = ObjectStoreParams::new();
    numbered
        .auto_increment(true)
        .key_path(Some(KeyPath::new_single("id")));
    let stores = [
        (MODELS, numbered.clone()),
        (MODEL_FILES, ObjectStoreParams::new()),
        (SAMPLES, numbered.clone()),
        (RUNS, numbered),
    ];
    for (name, params) in stores {
        if !existing.iter().any(|n| n == name) {
            // A failure here aborts the upgrade, and `open` reports it.
            let _ = database.create_object_store(name, params);
        }
    }
}

/// Every record of `store`, in key order; `what` names the records in errors ("your digits").
pub async fn all(store: &str, what: &str) -> Result<Vec<Record>, String> {
    let database = open().await?;
    let failed = |e: idb::Error| {
        fill(
            page_texts().app.storage_read_failed,
            &[("what", &what), ("error", &e)],
        )
    };
    let transaction = database
        .transaction(&[store], idb::TransactionMode::ReadOnly)
        .map_err(failed)?;
    let values = transaction
        .object_store(store)
        .map_err(failed)?
        .get_all(None, None)
        .map_err(failed)?
        .await
        .map_err(failed)?;
    values
        .into_iter()
        .map(|value| Record::from_value(value, what))
        .collect()
}

/// Sets `field` of record `id` in `store` to `value`, in one transaction. `what` names the
/// record in errors ("the digit").
pub async fn update(
    store: &str,
    id: u32,
    what: &str,
    field: &str,
    value: JsValue,
) -> Result<(), String> {
    let database = open().await?;
    let failed = |e: idb::Error| {
        fill(
            page_texts().app.storage_change_failed,
            &[("what", &what), ("error", &e)],
        )
    };
    let transaction = database
        .transaction(&[store], idb::TransactionMode::ReadWrite)
        .map_err(failed)?;
    let records = transaction.object_store(store).map_err(failed)?;
    let value_before = records
        .get(JsValue::from(id))
        .map_err(failed)?
        .await
        .map_err(failed)?
        .ok_or_else(|| fill(page_texts().app.storage_gone, &[("what", &what)]))?;
    let record = Record::from_value(value_before, what)?;
    record.set(field, value);
    records
        .put(&record.0, None)
        .map_err(failed)?
        .await
        .map_err(failed)?;
    commit(transaction).await.map_err(failed)
}

/// Deletes the records under `id` in each of `stores`, in one transaction: all or none.
/// `what` names the record in the message ("the digit").
pub async fn delete(stores: &[&str], id: u32, what: &str) -> Result<(), String> {
    let database = open().await?;
    let failed = |e: idb::Error| {
        fill(
            page_texts().app.storage_delete_failed,
            &[("what", &what), ("error", &e)],
        )
    };
    let transaction = database
        .transaction(stores, idb::TransactionMode::ReadWrite)
        .map_err(failed)?;
    for store in stores {
        transaction
            .object_store(store)
            .map_err(failed)?
            .delete(JsValue::from(id))
            .map_err(failed)?
            .await
            .map_err(failed)?;
    }
    commit(transaction).await.map_err(failed)
}

/// Commits `transaction` and waits for it; an aborted transaction (a full disk, say) is an
/// error.
pub async fn commit(transaction: Transaction) -> Result<(), idb::Error> {
    let result = transaction.commit()?.await?;
    if result.is_committed() {
        Ok(())
    } else {
        Err(idb::Error::TransactionAbortError(JsValue::from_str(
            page_texts().app.storage_aborted,
        )))
    }
}

/// A JavaScript object read and written field by field.
pub struct Record(pub js_sys::Object);

impl Record {
    /// An empty record.
    pub fn new() -> Self {
        Self(js_sys::Object::new())
    }

    /// A record read from the database; `what` names it in the error.
    pub fn from_value(value: JsValue, what: &str) -> Result<Self, String> {
        value
            .dyn_into::<js_sys::Object>()
            .map(Self)
            .map_err(|_| fill(page_texts().app.storage_not_a_record, &[("what", &what)]))
    }

    /// Sets `field` to `value`.
    pub fn set(&self, field: &str, value: impl Into<JsValue>) -> &Self {
        // Setting a property on a plain object cannot fail.
        let _ = js_sys::Reflect::set(&self.0, &JsValue::from_str(field), &value.into());
        self
    }

    /// The value of `field` (`undefined` when missing).
    pub fn get(&self, field: &str) -> JsValue {
        js_sys::Reflect::get(&self.0, &JsValue::from_str(field)).unwrap_or(JsValue::UNDEFINED)
    }

    /// `field` as text, if it is text.
    pub fn text(&self, field: &str) -> Option<String> {
        self.get(field).as_string()
    }

    /// `field` as a number, if it is one.
    pub fn number(&self, field: &str) -> Option<f64> {
        self.get(field).as_f64()
    }
}

impl Default for Record {
    fn default() -> Self {
        Self::new()
    }
}
