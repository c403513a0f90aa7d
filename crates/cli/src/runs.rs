//! `inkling runs compare`: runs side by side, from their run cards, as the page's runs table
//! shows them (the settings that differ from the first run marked, the final figures).

use crate::train::RunCard;
use anyhow::{Context, Result};
use clap::Subcommand;
use inkling_data::Choice;
use inkling_train::runs::{RunRecord, RunsTable, ValidationPoint, settings};
use std::path::{Path, PathBuf};

/// The file `inkling train` writes a run's card to, in its output directory.
pub const CARD_FILE: &str = "run-card.json";

#[derive(clap::Args, Debug)]
pub struct RunsArgs {
    #[command(subcommand)]
    command: RunsCommand,
}

#[derive(Subcommand, Debug)]
enum RunsCommand {
    /// Print runs as one table, each setting that differs from the first run's marked with *.
    Compare(CompareArgs),
}

#[derive(clap::Args, Debug)]
struct CompareArgs {
    /// Run cards (or the run directories holding them), the first being the one compared with.
    #[arg(required = true)]
    cards: Vec<PathBuf>,
    /// Show every setting, not only those that differ.
    #[arg(long)]
    all: bool,
    /// Also write every column to this CSV file (as the page's export).
    #[arg(long)]
    csv: Option<PathBuf>,
}

pub fn run(args: RunsArgs) -> Result<()> {
    let RunsCommand::Compare(args) = args.command;
    let records = args
        .cards
        .iter()
        .map(|path| read_record(path))
        .collect::<Result<Vec<_>>>()?;
    let table = RunsTable::new(&records);
    print!("{}", table.to_text(args.all));
    if let Some(path) = &args.csv {
        std::fs::write(path, table.to_csv())
            .with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("wrote {} runs to {}", records.len(), path.display());
    }
    Ok(())
}

/// The run card at `path` (a file, or a directory holding [`CARD_FILE`]) as a runs-table
/// record named after its directory.
pub fn read_record(path: &Path) -> Result<RunRecord> {
    let file = if path.is_dir() {
        path.join(CARD_FILE)
    } else {
        path.to_path_buf()
    };
    let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
    let card: RunCard = serde_json::from_slice(&bytes)
        .with_context(|| format!("{} is not a run card", file.display()))?;
    // `runs/a/run-card.json` is run "a"; `models/dsd-s.run-card.json` is run "dsd-s".
    let file_name = file.file_name().map(|n| n.to_string_lossy().into_owned());
    let name = match file_name.as_deref() {
        Some(CARD_FILE) | None => file
            .parent()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned()),
        Some(other) => Some(
            other
                .trim_end_matches(".json")
                .trim_end_matches(".run-card")
                .to_string(),
        ),
    }
    .unwrap_or_else(|| file.display().to_string());
    Ok(record(&card, name))
}

/// What the runs table shows of `card`.
pub fn record(card: &RunCard, name: String) -> RunRecord {
    RunRecord {
        name,
        settings: settings(
            &card.run,
            card.fine_tuned_from
                .as_ref()
                .map(|_| card.run.recipe.fine_tune.mode().name()),
        ),
        parameters: card.parameters,
        compute: card.backend.clone(),
        steps: card.epochs.last().map_or(0, |e| e.steps),
        seconds: card.total_seconds,
        validation: card
            .epochs
            .iter()
            .filter_map(|e| {
                e.validation_accuracy.map(|accuracy| ValidationPoint {
                    step: e.steps,
                    loss: None,
                    accuracy,
                })
            })
            .collect(),
        test_accuracy: card.final_test_accuracy,
    }
}
