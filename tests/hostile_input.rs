//! Hostile input, zero panics: every decoder that reads bytes from outside the program (IDX
//! data, model files, run descriptions, worker messages, the training form's URL) is fed at
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
use inkling_tests::data_dir;
use inkling_tests::mutate::{
    HOSTILE_U32, HOSTILE_U64, Mutator, Rejected, Tally, crc32, show_bytes, show_text,
};
use inkling_train::{
    Command, Compute, OptimizerKind, Report, RunConfig, RunPosition, Schedule, StartFrom, Trainer,
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

// ---------------------------------------------------------------------------------------------
// IDX files

/// Images and labels in the seeds: enough for every code path, small enough to parse 10,000
/// times in a second.
const IDX_EXAMPLES: usize = 32;

/// One damaged IDX file: header fields (type, rank, a dimension, with the payload resized to
/// agree half the time, so the damage reaches the dataset checks), truncation and appended
/// bytes, or generic byte damage.
fn damage_idx(m: &mut Mutator, seed: &[u8]) -> Vec<u8> {
    let mut out = seed.to_vec();
    match m.below(10) {
        0..=3 => match m.below(4) {
            0 => out[2] = *m.pick(&[0x00, 0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E, 0xff]),
            1 => out[3] = m.below(256) as u8,
            2 => {
                let rank = out[3] as usize;
                let axis = m.below(rank);
                let mut values = HOSTILE_U32.to_vec();
                let n = IDX_EXAMPLES as u32;
                values.extend([27, 28, 29, n - 1, n + 1, 10_000, 60_000]);
                let at = 4 + 4 * axis;
                out[at..at + 4].copy_from_slice(&m.pick(&values).to_be_bytes());
                if m.chance(0.5) {
                    let header = 4 + 4 * rank;
                    let elements = out[4..header].chunks_exact(4).try_fold(1usize, |acc, c| {
                        acc.checked_mul(u32::from_be_bytes(c.try_into().unwrap()) as usize)
                    });
                    if let Some(n) = elements.filter(|&n| n <= 1 << 20) {
                        out.resize(header + n, 0x80);
                    }
                }
            }
            _ => {
                let i = m.below(2);
                out[i] = m.below(256) as u8;
            }
        },
        4 | 5 => {
            if m.chance(0.5) {
                out.truncate(m.below(seed.len()));
            } else {
                let n = 1 + m.below(2 * 784);
                let extra = m.random_bytes(n);
                out.extend_from_slice(&extra);
            }
        }
        _ => out = m.bytes(seed),
    }
    out
}

/// Parses `input` as both files of a dataset in turn (the other file intact) and touches every
/// example of an accepted one.
fn decode_idx(input: &[u8], is_images: bool, seeds: &[Vec<u8>; 2]) -> Result<(), Rejected> {
    let _ = IdxArray::parse(input);
    let (images, labels) = if is_images {
        (input, &seeds[1][..])
    } else {
        (&seeds[0][..], input)
    };
    let dataset =
        Dataset::from_idx(DatasetKind::Mnist, images, labels).map_err(|e| Rejected::error(&e))?;
    for i in 0..dataset.len() {
        assert_eq!(dataset.image(i).len(), inkling_data::IMAGE_PIXELS);
        assert!(dataset.label(i) < 10);
    }
    Ok(())
}

#[test]
fn damaged_idx_files_raw_or_gzip_are_refused_with_a_reason_never_a_panic() {
    let dir = data_dir(DatasetKind::Mnist);
    let (images_file, labels_file) = DatasetKind::Mnist.split_files(Split::Test);
    let read = |name: &str| {
        let path = dir.join(name);
        std::fs::read(&path).unwrap_or_else(|e| {
            panic!(
                "cannot read {} ({e}); set INKLING_DATA to the data root",
                path.display()
            )
        })
    };
    let images_gz = read(images_file.name);
    let labels_gz = read(labels_file.name);
    let images = IdxArray::parse(&images_gz).expect("verified data");
    let labels = IdxArray::parse(&labels_gz).expect("verified data");
    // The first images and labels of the real test set, re-encoded with a correct header so
    // that damage reaches every check behind it.
    let seeds = [
        encode_u8(
            &[IDX_EXAMPLES, 28, 28],
            &images.data[..IDX_EXAMPLES * inkling_data::IMAGE_PIXELS],
        ),
        encode_u8(&[IDX_EXAMPLES], &labels.data[..IDX_EXAMPLES]),
    ];
    let gz_seeds = [gzip(&seeds[0]), gzip(&seeds[1])];
    let n = inputs();

    let mut m = Mutator::new(seed(1));
    let mut raw = Tally::new("IDX, raw");
    for i in 0..n {
        let is_images = i % 2 == 0;
        let input = damage_idx(&mut m, &seeds[usize::from(!is_images)]);
        raw.check(
            || show_bytes(&input),
            || decode_idx(&input, is_images, &seeds),
        );
    }
    raw.finish();

    let mut m = Mutator::new(seed(2));
    let mut gz = Tally::new("IDX, gzip");
    for i in 0..n {
        let is_images = i % 2 == 0;
        let which = usize::from(!is_images);
        let input = match m.below(10) {
            // Damaged IDX inside an intact gzip stream.
            0..=3 => gzip(&damage_idx(&mut m, &seeds[which])),
            // Damaged gzip framing: header flags and fields, the CRC-32 and size trailer.
            4 | 5 => {
                let len = gz_seeds[which].len();
                let region = if m.chance(0.5) { 0..10 } else { len - 8..len };
                m.bytes_within(&gz_seeds[which], region)
            }
            // Now and then the whole real file, cut short or damaged near its start.
            6 if i % 1000 == 6 => {
                let real = if is_images { &images_gz } else { &labels_gz };
                if m.chance(0.5) {
                    real[..m.below(real.len())].to_vec()
                } else {
                    m.bytes_within(real, 0..4096)
                }
            }
            _ => m.bytes(&gz_seeds[which]),
        };
        gz.check(
            || show_bytes(&input),
            || decode_idx(&input, is_images, &seeds),
        );
    }
    // A gzip bomb: a few hundred kilobytes that would inflate past the 256 MiB limit.
    let bomb = {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..=(inkling_data::idx::MAX_DECOMPRESSED_BYTES >> 20) {
            encoder.write_all(&zeros).expect("in-memory write");
        }
        encoder.finish().expect("in-memory write")
    };
    gz.check(
        || show_bytes(&bomb),
        || match IdxArray::parse(&bomb) {
            Err(e @ inkling_data::IdxError::TooLarge) => Err::<(), _>(Rejected::error(&e)),
            other => panic!("a gzip bomb must be refused as too large, got {other:?}"),
        },
    );
    gz.finish();
}

// ---------------------------------------------------------------------------------------------
// Model files

/// The parts of a model file (see `crates/model/src/file.rs` for the layout).
struct ModelParts {
    header: Vec<u8>,
    weights: Vec<u8>,
}

const MODEL_MAGIC: &[u8; 8] = b"INKLING\0";

impl ModelParts {
    fn split(file: &[u8]) -> Self {
        let header_len = u32::from_le_bytes(file[12..16].try_into().unwrap()) as usize;
        Self {
            header: file[28..28 + header_len].to_vec(),
            weights: file[28 + header_len..].to_vec(),
        }
    }

    /// A well-formed file around `header` and `weights`: right lengths, right checksum.
    fn seal(header: &[u8], weights: &[u8]) -> Vec<u8> {
        let mut body = header.to_vec();
        body.extend_from_slice(weights);
        let mut out = MODEL_MAGIC.to_vec();
        out.extend_from_slice(&inkling_model::FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&(header.len() as u32).to_le_bytes());
        out.extend_from_slice(&(weights.len() as u64).to_le_bytes());
        out.extend_from_slice(&crc32(&body).to_le_bytes());
        out.extend_from_slice(&body);
        out
    }
}

/// Where the burnpack metadata (tensor names, dtypes, shapes, offsets) ends in `weights`.
fn burnpack_metadata_end(weights: &[u8]) -> usize {
    let len = u32::from_le_bytes(weights[6..10].try_into().unwrap()) as usize;
    (10 + len).min(weights.len())
}

/// Offsets of every occurrence of `needle` in `haystack`.
fn find_all(haystack: &[u8], needle: &[u8]) -> Vec<usize> {
    haystack
        .windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect()
}

/// Model JSON and enum tags a header mutation swaps in.
const MODEL_TAGS: [&str; 8] = [
    "dsd",
    "cnn",
    "mlp",
    "mnist",
    "fashion-mnist",
    "kmnist",
    "Dsd",
    "inkling 0.1.0",
];

/// Three-letter dtype names (and garbage) swapped for `F32` in the burnpack metadata.
const OTHER_DTYPES: [&[u8]; 6] = [b"F16", b"F64", b"I32", b"I64", b"U8 ", b"\0\0\0"];

/// Networks larger than this are decoded and validated but not built: a valid header may ask
/// for up to 32 layers of 4096 channels, which is slow to build, not wrong.
const MAX_PARAMS_TO_BUILD: usize = 1_000_000;

#[test]
fn damaged_model_files_are_refused_with_a_reason_and_never_panic_when_loaded() {
    let path = inkling_tests::repo_root().join("www/models/dsd-s.inkling");
    let real = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let parts = ModelParts::split(&real);
    assert_eq!(ModelParts::seal(&parts.header, &parts.weights), real);
    let header: Value = serde_json::from_slice(&parts.header).expect("the shipped header");
    let meta_end = burnpack_metadata_end(&parts.weights);
    let names: [&[u8]; 3] = [b"shape", b"data_offsets", b"dtype"];
    let fields: Vec<usize> = names
        .iter()
        .flat_map(|n| find_all(&parts.weights[..meta_end], n))
        .collect();
    let dtypes = find_all(&parts.weights[..meta_end], b"F32");
    let device = Device::flex();
    let expected = ModelConfig::preset("dsd-s").unwrap();
    // Other architectures, as headers over the real weights and as weights under the real
    // header: shapes that disagree.
    let others: Vec<(Value, Vec<u8>)> = ["dsd-xs", "dsd-s-nodil", "cnn", "mlp"]
        .iter()
        .map(|name| {
            let config = ModelConfig::preset(name).unwrap();
            let network = config.init(&device).unwrap();
            let file = pollster::block_on(ModelFile::from_network(
                ModelHeader::new(config.clone(), DatasetKind::Mnist),
                &network,
            ))
            .unwrap();
            let mut h = header.clone();
            h["model"] = serde_json::to_value(&config).unwrap();
            (h, file.weight_bytes().to_vec())
        })
        .collect();

    let mut m = Mutator::new(seed(3));
    let mut tally = Tally::new("model files");
    let zeros = Tensor::<4>::zeros([1, 1, 28, 28], &device);
    for _ in 0..inputs() {
        let input = match m.below(20) {
            // Raw damage: the checksum or the framing catches it.
            0..=2 => m.bytes(&real),
            // Hostile preamble fields, the rest intact.
            3 | 4 => {
                let mut out = real.clone();
                match m.below(4) {
                    0 => out[8..12].copy_from_slice(&m.pick(&HOSTILE_U32).to_le_bytes()),
                    1 => out[12..16].copy_from_slice(&m.pick(&HOSTILE_U32).to_le_bytes()),
                    2 => out[16..24].copy_from_slice(&m.pick(&HOSTILE_U64).to_le_bytes()),
                    _ => out[24..28].copy_from_slice(&m.pick(&HOSTILE_U32).to_le_bytes()),
                }
                out
            }
            // A damaged JSON header, resealed.
            5..=9 => {
                let damaged = if m.chance(0.8) {
                    m.json(&header, &MODEL_TAGS).into_bytes()
                } else {
                    m.bytes(&parts.header)
                };
                ModelParts::seal(&damaged, &parts.weights)
            }
            // Damaged burnpack metadata (names, dtypes, shapes, offsets), resealed.
            10..=13 => {
                let weights = match m.below(4) {
                    0 => m.bytes_within(&parts.weights, 0..meta_end),
                    1 => {
                        let at = *m.pick(&fields);
                        m.bytes_within(&parts.weights, at..at + 24)
                    }
                    2 => {
                        let mut w = parts.weights.clone();
                        let at = *m.pick(&dtypes);
                        let dtype = *m.pick(&OTHER_DTYPES);
                        w[at..at + 3].copy_from_slice(dtype);
                        w
                    }
                    _ => m.bytes_within(&parts.weights, 0..10),
                };
                ModelParts::seal(&parts.header, &weights)
            }
            // Damaged tensor data (NaN, infinities) or cut-off weights, resealed.
            14 | 15 => {
                let weights = if m.chance(0.5) {
                    m.bytes_within(&parts.weights, meta_end..parts.weights.len())
                } else {
                    parts.weights[..m.below(parts.weights.len())].to_vec()
                };
                ModelParts::seal(&parts.header, &weights)
            }
            // Header and weights of different architectures.
            _ => {
                let (other_header, other_weights) = m.pick(&others);
                if m.chance(0.5) {
                    ModelParts::seal(other_header.to_string().as_bytes(), &parts.weights)
                } else {
                    ModelParts::seal(&parts.header, other_weights)
                }
            }
        };
        let outcome = tally.check(
            || show_bytes(&input),
            || {
                let file = ModelFile::decode(&input).map_err(|e| Rejected::error(&e))?;
                let model = &file.header.model;
                if model != &expected {
                    match file.load_expecting(&expected, &device) {
                        Ok(_) => panic!("a file holding another model was loaded as dsd-s"),
                        Err(e) => assert!(!e.to_string().is_empty()),
                    }
                }
                if model.validate().is_ok() && model.param_count() > MAX_PARAMS_TO_BUILD {
                    return Ok("decoded; not built (over a million parameters)");
                }
                let network = file.load(&device).map_err(|e| Rejected {
                    kind: format!(
                        "load: {}",
                        inkling_tests::mutate::variant_name(&format!("{e:?}"))
                    ),
                    message: e.to_string(),
                })?;
                let logits = network.forward(zeros.clone()).into_data();
                let logits = logits.try_to_vec::<f32>().expect("f32 logits");
                assert_eq!(logits.len(), 10, "one row of logits");
                Ok("loaded and ran")
            },
        );
        if let Some(what) = outcome {
            tally.note(what);
        }
    }
    let accepted = tally.accepted();
    tally.finish();
    assert!(
        accepted > inputs() / 20,
        "only {accepted} inputs got past the checksum to exercise loading"
    );
}

// ---------------------------------------------------------------------------------------------
// Run descriptions

/// Enum tags of a run description (and near misses).
const RUN_TAGS: [&str; 16] = [
    "dsd",
    "cnn",
    "mlp",
    "adam-w",
    "adamw",
    "adam",
    "sgd",
    "one-cycle",
    "cosine",
    "constant",
    "step",
    "exponential",
    "mnist",
    "fashion-mnist",
    "kmnist",
    "Sgd",
];

/// Run descriptions to mutate: the default, the shipped model's run card, and the default with
/// each model preset, optimiser and schedule, so every variant's fields are in reach.
fn run_seeds() -> Vec<Value> {
    let card_path = inkling_tests::repo_root().join("www/models/dsd-s.run-card.json");
    let card: Value = serde_json::from_slice(
        &std::fs::read(&card_path).unwrap_or_else(|e| panic!("{}: {e}", card_path.display())),
    )
    .expect("the shipped run card is JSON");
    let mut seeds = vec![
        serde_json::from_str(&serde_json::to_string(&RunConfig::default()).unwrap()).unwrap(),
        card["run"].clone(),
    ];
    for name in ModelConfig::PRESETS {
        let run = RunConfig {
            model: ModelConfig::preset(name).unwrap(),
            ..RunConfig::default()
        };
        seeds.push(serde_json::to_value(run).unwrap());
    }
    for optimizer in [
        OptimizerKind::Sgd {
            momentum: 0.9,
            nesterov: true,
        },
        OptimizerKind::Adam {
            beta1: 0.9,
            beta2: 0.999,
        },
    ] {
        let mut run = RunConfig::default();
        run.recipe.optimizer = optimizer;
        run.recipe.grad_clip_norm = Some(1.0);
        run.recipe.train_subset = Some(2000);
        seeds.push(serde_json::to_value(run).unwrap());
    }
    for schedule in [
        Schedule::Constant,
        Schedule::Step {
            every_epochs: 1.0,
            gamma: 0.5,
        },
        Schedule::Exponential { gamma: 0.8 },
        Schedule::Cosine { min_factor: 0.0 },
    ] {
        let mut run = RunConfig::default();
        run.recipe.schedule = schedule;
        run.recipe.warmup_steps = 100;
        seeds.push(serde_json::to_value(run).unwrap());
    }
    seeds
}

/// What an accepted run description gave.
#[derive(Default)]
struct Usable {
    built: bool,
    infinite_rate: bool,
}

#[test]
fn damaged_run_descriptions_are_refused_with_a_reason_and_accepted_ones_are_usable() {
    let seeds = run_seeds();
    let texts: Vec<String> = seeds.iter().map(Value::to_string).collect();
    let device = Device::flex();
    let mut m = Mutator::new(seed(4));
    let mut tally = Tally::new("run descriptions");
    let mut builds_left = 40;
    for _ in 0..inputs() {
        let i = m.below(seeds.len());
        let text = if m.chance(0.75) {
            m.json(&seeds[i], &RUN_TAGS)
        } else {
            m.text(&texts[i])
        };
        let outcome = tally.check(
            || show_text(&text),
            || {
                let run: RunConfig = serde_json::from_str(&text)
                    .map_err(|e| Rejected::message("json: ", e.to_string()))?;
                run.validate()
                    .map_err(|e| Rejected::message("invalid: ", e))?;
                let mut usable = Usable::default();
                let params = run.model.param_count();
                let field = run.model.receptive_field();
                assert!(
                    params > 0 && field >= 3,
                    "{params} parameters, field {field}"
                );
                let recipe = &run.recipe;
                let examples = recipe.train_subset.unwrap_or(60_000).min(60_000);
                let per_epoch = (examples / recipe.batch_size).max(1);
                let total = per_epoch * recipe.epochs;
                for step in [0, 1, total / 2, total.saturating_sub(1), total] {
                    let rate = recipe.schedule.learning_rate(
                        recipe.learning_rate,
                        step,
                        total,
                        per_epoch,
                        recipe.warmup_steps,
                    );
                    usable.infinite_rate |= !rate.is_finite();
                }
                let _ = serde_json::to_string(&run).expect("an accepted run serialises");
                if builds_left > 0 && params <= MAX_PARAMS_TO_BUILD {
                    builds_left -= 1;
                    run.model.init(&device).expect("a validated model builds");
                    usable.built = true;
                }
                Ok(usable)
            },
        );
        if let Some(usable) = outcome {
            if usable.built {
                tally.note("network built");
            }
            if usable.infinite_rate {
                tally.note("accepted, but the schedule reaches a non-finite learning rate");
            }
        }
    }
    tally.finish();
}

// ---------------------------------------------------------------------------------------------
// Worker messages

/// A real run position, as the worker sends in snapshots and the page sends back to resume.
fn real_position() -> RunPosition {
    Trainer::new(RunConfig::default(), 59_000, &Device::flex())
        .unwrap()
        .position()
}

const COMMAND_TAGS: [&str; 15] = [
    "start",
    "pause",
    "resume",
    "step",
    "stop",
    "set-learning-rate",
    "test",
    "seed",
    "weights",
    "webgpu",
    "cpu",
    "web-gpu",
    "dsd",
    "adam-w",
    "one-cycle",
];

const REPORT_TAGS: [&str; 15] = [
    "ready",
    "loading",
    "started",
    "step",
    "validation",
    "tested",
    "snapshot",
    "paused",
    "resumed",
    "learning-rate-set",
    "finished",
    "gpu-failed",
    "failed",
    "webgpu",
    "cpu",
];

#[test]
fn damaged_worker_messages_are_refused_with_a_reason_never_a_panic() {
    let position = real_position();
    let start = |run: RunConfig, compute, start| Command::Start {
        run: Box::new(run),
        compute,
        eval_every: 50,
        eval_size: 1000,
        start,
    };
    let cnn = RunConfig {
        model: ModelConfig::preset("cnn").unwrap(),
        ..RunConfig::default()
    };
    let commands: Vec<Value> = [
        start(RunConfig::default(), Compute::WebGpu, StartFrom::Seed),
        start(cnn, Compute::Cpu, StartFrom::Weights),
        start(
            RunConfig::default(),
            Compute::Cpu,
            StartFrom::Resume {
                position: position.clone(),
            },
        ),
        Command::Pause,
        Command::Resume,
        Command::Step,
        Command::Stop,
        Command::SetLearningRate {
            learning_rate: 3e-3,
        },
        Command::Test,
    ]
    .iter()
    .map(|c| serde_json::from_str(&c.to_json()).unwrap())
    .collect();
    let reports: Vec<Value> = [
        Report::Ready,
        Report::Loading {
            file: "t10k-images-idx3-ubyte.gz".into(),
            loaded: 800_000,
            total: 1_648_877,
            cached: false,
        },
        Report::Started {
            compute: Compute::WebGpu,
            adapter: "llvmpipe (LLVM 19.1.7, 256 bits)".into(),
            step: 0,
            steps_total: 1843,
            steps_per_epoch: 1843,
            train_examples: 59_000,
            validation_examples: 1000,
        },
        Report::Step {
            step: 17,
            epoch: 0.0092,
            loss: 1.93,
            accuracy: 0.34,
            learning_rate: 2.1e-4,
            examples: 32,
            milliseconds: 41.5,
        },
        Report::Validation {
            step: 50,
            loss: 0.61,
            accuracy: 0.82,
        },
        Report::Tested {
            step: 1843,
            loss: 0.04,
            accuracy: 0.987,
            examples: 10_000,
        },
        Report::Snapshot {
            step: 50,
            position: position.clone(),
        },
        Report::Paused { step: 60 },
        Report::Resumed { step: 60 },
        Report::LearningRateSet {
            learning_rate: 1e-3,
        },
        Report::Finished { step: 1843 },
        Report::GpuFailed {
            reason: "the GPU device was lost".into(),
        },
        Report::Failed {
            message: "the loss became NaN at step 12".into(),
        },
    ]
    .iter()
    .map(|r| serde_json::from_str(&r.to_json()).unwrap())
    .collect();

    let mut m = Mutator::new(seed(5));
    let mut tally = Tally::new("worker commands");
    for _ in 0..inputs() {
        let doc = m.pick(&commands).clone();
        let text = if m.chance(0.75) {
            m.json(&doc, &COMMAND_TAGS)
        } else {
            m.text(&doc.to_string())
        };
        let outcome = tally.check(
            || show_text(&text),
            || {
                let command = Command::from_json(&text).map_err(|e| Rejected::message("", e))?;
                let _ = command.carries_model();
                let _ = command.to_json();
                Ok(match &command {
                    Command::Start { run, start, .. } => match (run.validate(), start) {
                        (Err(_), _) => "start with an invalid run (the worker refuses it)",
                        (Ok(()), StartFrom::Resume { .. }) => "resume a valid run",
                        (Ok(()), _) => "start a valid run",
                    },
                    _ => "control command",
                })
            },
        );
        if let Some(what) = outcome {
            tally.note(what);
        }
    }
    tally.finish();

    let mut tally = Tally::new("worker reports");
    for _ in 0..inputs() {
        let doc = m.pick(&reports).clone();
        let text = if m.chance(0.75) {
            m.json(&doc, &REPORT_TAGS)
        } else {
            m.text(&doc.to_string())
        };
        tally.check(
            || show_text(&text),
            || {
                let report = Report::from_json(&text).map_err(|e| Rejected::message("", e))?;
                let _ = report.carries_model();
                let _ = report.to_json();
                Ok(())
            },
        );
    }
    tally.finish();
}

// ---------------------------------------------------------------------------------------------
// URL settings of the training form

/// Values a course page could sensibly put in the URL, per key, including the limits.
fn sensible_values(key: &str) -> &'static [&'static str] {
    match key {
        "dataset" => &["mnist", "fashion-mnist"],
        "arch" => &["dsd", "cnn", "mlp"],
        "width" => &["0.25", "0.5", "1", "1.5", "4", " 2 "],
        "depth" => &["1", "2", "4"],
        "dilation" | "augment" | "finetune" => &["on", "off", "0", "false", "no", ""],
        "optimizer" => &["adamw", "adam", "sgd"],
        "lr" => &["0.000001", "0.002", "1e-3", "10"],
        "schedule" => &["one-cycle", "cosine", "constant", "step", "exponential"],
        "batch" => &["1", "32", "1024"],
        "epochs" => &["1", "3", "100"],
        "wd" => &["0", "0.01", "0.5"],
        "dropout" => &["0", "0.25", "0.9"],
        "subset" => &["", "100", "2000", "60000"],
        "seed" => &["0", "42", "18446744073709551615"],
        "eval_every" => &["1", "50", "10000"],
        "compute" => &["cpu", "webgpu"],
        _ => &[""],
    }
}

/// Values just outside each key's limits.
fn near_misses(key: &str) -> &'static [&'static str] {
    match key {
        "width" => &["0.2499", "4.0001", "0"],
        "depth" => &["0", "5", "2.0", "-1"],
        "lr" => &["0.0000009", "10.0001", "0"],
        "batch" => &["0", "1025", "32.5"],
        "epochs" => &["0", "101"],
        "wd" => &["-0.01", "0.51"],
        "dropout" => &["-0", "0.91", "1"],
        "subset" => &["99", "60001", "0"],
        "seed" => &["-1", "18446744073709551616"],
        "eval_every" => &["0", "10001"],
        "dataset" => &["MNIST", "kmnist"],
        "arch" => &["DSD", "resnet"],
        "optimizer" => &["AdamW", "lbfgs"],
        "schedule" => &["onecycle", "linear"],
        "compute" => &["gpu", "CPU", "web-gpu"],
        _ => &["maybe"],
    }
}

/// Whether a refusal names a control of the form the URL can set: the fields are named by
/// their URL keys, except the architecture (`arch`).
fn is_form_field(field: &str) -> bool {
    field == "architecture" || TrainSettings::URL_KEYS.contains(&field)
}

#[test]
fn hostile_training_urls_are_refused_at_a_named_field_never_a_panic() {
    let device = Device::flex();
    let mut m = Mutator::new(seed(6));
    let mut tally = Tally::new("training form URL settings");
    let mut builds_left = 30;
    for _ in 0..inputs() {
        let mut url: HashMap<&str, String> = HashMap::new();
        for _ in 0..1 + m.below(8) {
            let key = *m.pick(&TrainSettings::URL_KEYS);
            let value = match m.below(20) {
                0..=8 => m.hostile_text(),
                9..=16 => m.pick(sensible_values(key)).to_string(),
                _ => m.pick(near_misses(key)).to_string(),
            };
            url.insert(key, value);
        }
        let outcome = tally.check(
            || show_text(&format!("{url:?}")),
            || {
                let settings = TrainSettings::from_url(|key| url.get(key).cloned());
                let plan = settings.plan().map_err(|(field, message)| Rejected {
                    kind: field.to_string(),
                    message,
                })?;
                plan.run.validate().expect("a checked form is a valid run");
                assert!(plan.eval_every >= 1);
                let params = plan.run.model.param_count();
                let field = plan.run.model.receptive_field();
                assert!(
                    params > 0 && field >= 3,
                    "{params} parameters, field {field}"
                );
                let mut built = false;
                if builds_left > 0 && params <= MAX_PARAMS_TO_BUILD {
                    builds_left -= 1;
                    plan.run.model.init(&device).expect("a checked form builds");
                    built = true;
                }
                Ok(built)
            },
        );
        if outcome == Some(true) {
            tally.note("network built");
        }
    }
    let stray: Vec<String> = tally
        .rejection_kinds()
        .filter(|field| !is_form_field(field))
        .map(String::from)
        .collect();
    tally.finish();
    assert!(stray.is_empty(), "refusals name no form field: {stray:?}");
}

// ---------------------------------------------------------------------------------------------
// Run positions sent back to resume a run

/// Examples in the tiny training set resumed runs step on.
const RESUME_EXAMPLES: usize = 64;

/// Positions that get stepped for real (a step costs milliseconds; the rest check the
/// bookkeeping the worker reports right after resuming).
const RESUME_STEPS: usize = 20;

/// `Trainer::resume` checks the position against the training set at hand before it
/// allocates anything (it once divided by zero on a batch size of 0, sliced out of range when
/// `batches.len` and `train_len` disagreed, and aborted on a huge `train_len`).
#[test]
fn hostile_run_positions_are_refused_when_resuming_never_a_panic() {
    let device = Device::flex();
    let mut config = RunConfig::default();
    config.recipe.epochs = 2;
    let train = inkling_tests::load(DatasetKind::Mnist, Split::Test).take(RESUME_EXAMPLES);
    let trainer = Trainer::new(config.clone(), RESUME_EXAMPLES, &device).unwrap();
    let network = trainer.network().clone();
    let seed_doc = serde_json::to_value(trainer.position()).unwrap();
    let seed_text = seed_doc.to_string();
    drop(trainer);

    let mut m = Mutator::new(seed(7));
    let mut tally = Tally::new("run positions (resume)");
    let mut steps_left = RESUME_STEPS;
    for _ in 0..inputs() {
        let text = if m.chance(0.8) {
            m.json(&seed_doc, &[])
        } else {
            m.text(&seed_text)
        };
        let outcome = tally.check(
            || show_text(&text),
            || {
                let position: RunPosition = serde_json::from_str(&text)
                    .map_err(|e| Rejected::message("json: ", e.to_string()))?;
                let mut trainer = Trainer::resume(
                    config.clone(),
                    position,
                    network.clone(),
                    None,
                    RESUME_EXAMPLES,
                    &device,
                )
                .map_err(|e| Rejected::error(&e))?;
                // What the worker reports right after resuming.
                let _ = trainer.steps_done();
                let _ = trainer.steps_per_epoch();
                let _ = trainer.total_steps();
                let _ = trainer.is_finished();
                let _ = trainer.next_learning_rate();
                if steps_left > 0 {
                    steps_left -= 1;
                    pollster::block_on(trainer.step(&train)).map_err(|e| Rejected::error(&e))?;
                    return Ok("resumed and stepped");
                }
                Ok("resumed")
            },
        );
        if let Some(what) = outcome {
            tally.note(what);
        }
    }
    tally.finish();
}
