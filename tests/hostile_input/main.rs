//! Hostile input, zero panics: every decoder that reads bytes from outside the program (IDX
//! data, model files, SafeTensors imports, optimiser moments, run descriptions, worker messages,
//! the training form's URL) is fed at
//! least 10,000 seeded mutations of real files and must answer each one with a value or a typed
//! error whose message says what is wrong, never a panic (in the browser a panic kills the page
//! or the trainer).
//!
//! Mutations are structure-aware where a format would otherwise stop them at the door: headers
//! are edited field by field, checksums and lengths are recomputed after edits, JSON documents
//! get hostile numbers, other enum tags and missing or extra fields. Seeds are fixed (override
//! with `INKLING_FUZZ_SEED`, lengthen with `INKLING_FUZZ_INPUTS`), so a failure replays exactly.
//! Run with `--nocapture` to see, per decoder, how many inputs were accepted and how the others
//! were rejected.

use burn::tensor::{Device, Tensor};
use inkling_data::idx::encode_u8;
use inkling_data::{Dataset, DatasetKind, IdxArray, Split};
use inkling_model::{ModelConfig, ModelFile, ModelHeader};
use inkling_tests::mutate::{
    HOSTILE_U32, HOSTILE_U64, Mutator, Rejected, Tally, crc32, show_bytes, show_text,
};
use inkling_tests::read_data_file;
use inkling_train::{
    Command, Compute, Fault, FaultKind, Moments, OptimizerKind, Predictions, Report, RunConfig,
    RunPosition, Schedule, StartFrom, Trainer,
};
use inkling_web::train_settings::TrainSettings;
use serde_json::Value;
use std::collections::HashMap;
use std::io::Write;

/// Mutated inputs per decoder (at least; `INKLING_FUZZ_INPUTS` raises it).
const INPUTS: usize = 10_000;

fn inputs() -> usize {
    std::env::var("INKLING_FUZZ_INPUTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(INPUTS, |n: usize| n.max(INPUTS))
}

/// The mutator seed for one decoder: fixed, or derived from `INKLING_FUZZ_SEED`.
fn seed(decoder: u64) -> u64 {
    let base = std::env::var("INKLING_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x14C1_1460);
    base ^ decoder.wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).expect("in-memory write");
    encoder.finish().expect("in-memory write")
}

mod idx;
mod messages;
mod model_files;
mod moments;
mod positions;
mod runs;
mod safetensors;
mod urls;

use model_files::{MAX_PARAMS_TO_BUILD, MODEL_TAGS};
