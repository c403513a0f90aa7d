//! Finished runs in IndexedDB ([`RUNS`]): each record holds its key and the run's
//! [`RunRecord`] as JSON, one transaction per change.

use crate::storage::{self, RUNS, Record, commit};
use idb::TransactionMode;
use inkling_train::runs::RunRecord;

/// A run kept in this browser.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRun {
    /// Its key (the table names it `run <id>`).
    pub id: u32,
    /// What it was and what it measured.
    pub record: RunRecord,
}

/// Every run kept, oldest first, and how many records could not be read (kept as they are: a
/// newer version of the page may read them).
pub async fn list() -> Result<(Vec<StoredRun>, usize), String> {
    let mut runs = Vec::new();
    let mut unreadable = 0;
    for record in storage::all(RUNS, "the runs").await? {
        let id = record.number("id");
        let parsed = record
            .text("run")
            .and_then(|json| serde_json::from_str::<RunRecord>(&json).ok());
        match (id, parsed) {
            (Some(id), Some(mut record)) => {
                record.name = name(id as u32);
                runs.push(StoredRun {
                    id: id as u32,
                    record,
                });
            }
            _ => unreadable += 1,
        }
    }
    Ok((runs, unreadable))
}

/// Keeps `record` as a new run; returns it with its key and name.
pub async fn add(mut record: RunRecord) -> Result<StoredRun, String> {
    let database = storage::open().await?;
    let failed = |e: idb::Error| format!("the run could not be kept: {e}");
    let json = serde_json::to_string(&record).map_err(|e| e.to_string())?;
    let transaction = database
        .transaction(&[RUNS], TransactionMode::ReadWrite)
        .map_err(failed)?;
    let key = transaction
        .object_store(RUNS)
        .map_err(failed)?
        .add(&Record::new().set("run", json).0, None)
        .map_err(failed)?
        .await
        .map_err(failed)?;
    commit(transaction).await.map_err(failed)?;
    let id = key.as_f64().ok_or("the browser numbered the run oddly")? as u32;
    record.name = name(id);
    Ok(StoredRun { id, record })
}

/// Writes `run`'s record again (its test accuracy arrived later).
pub async fn update(run: &StoredRun) -> Result<(), String> {
    let json = serde_json::to_string(&run.record).map_err(|e| e.to_string())?;
    storage::update(RUNS, run.id, "the run", "run", json.into()).await
}

/// Forgets run `id`.
pub async fn delete(id: u32) -> Result<(), String> {
    storage::delete(&[RUNS], id, "the run").await
}

/// Forgets every run.
pub async fn clear() -> Result<(), String> {
    let database = storage::open().await?;
    let failed = |e: idb::Error| format!("the runs could not be deleted: {e}");
    let transaction = database
        .transaction(&[RUNS], TransactionMode::ReadWrite)
        .map_err(failed)?;
    transaction
        .object_store(RUNS)
        .map_err(failed)?
        .clear()
        .map_err(failed)?
        .await
        .map_err(failed)?;
    commit(transaction).await.map_err(failed)
}

/// How the table names run `id`.
fn name(id: u32) -> String {
    format!("run {id}")
}
