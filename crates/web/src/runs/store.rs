//! Finished runs in IndexedDB ([`RUNS`]): each record holds its key and the run's
//! [`RunRecord`] as JSON, one transaction per change.

use crate::storage::{self, RUNS, Record, commit};
use crate::text::{Texts, fill};
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
/// newer version of the page may read them). Errors are written with `t`.
pub async fn list(t: &Texts) -> Result<(Vec<StoredRun>, usize), String> {
    let mut runs = Vec::new();
    let mut unreadable = 0;
    for record in storage::all(RUNS, t.runs.stored_runs).await? {
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
pub async fn add(mut record: RunRecord, t: &Texts) -> Result<StoredRun, String> {
    let database = storage::open().await?;
    let failed = |e: idb::Error| fill(t.runs.keep_failed, &[("error", &e)]);
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
    let id = key.as_f64().ok_or(t.runs.numbered_oddly)? as u32;
    record.name = name(id);
    Ok(StoredRun { id, record })
}

/// Writes `run`'s record again (its test accuracy arrived later).
pub async fn update(run: &StoredRun, t: &Texts) -> Result<(), String> {
    let json = serde_json::to_string(&run.record).map_err(|e| e.to_string())?;
    storage::update(RUNS, run.id, t.runs.stored_run, "run", json.into()).await
}

/// Forgets run `id`.
pub async fn delete(id: u32, t: &Texts) -> Result<(), String> {
    storage::delete(&[RUNS], id, t.runs.stored_run).await
}

/// Forgets every run.
pub async fn clear(t: &Texts) -> Result<(), String> {
    let database = storage::open().await?;
    let failed = |e: idb::Error| fill(t.runs.clear_failed, &[("error", &e)]);
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

/// The name run `id` is kept and exported under (the page shows it in its language with
/// [`RunsTexts::run_name`](crate::text::RunsTexts)).
fn name(id: u32) -> String {
    format!("run {id}")
}
