//! Model files.

use super::*;

/// The parts of a model file (see `crates/model/src/file.rs` for the layout).
pub(super) struct ModelParts {
    /// The format version the file was written in (the shipped model predates version 2).
    version: u32,
    header: Vec<u8>,
    weights: Vec<u8>,
}

pub(super) const MODEL_MAGIC: &[u8; 8] = b"INKLING\0";

impl ModelParts {
    fn split(file: &[u8]) -> Self {
        let header_len = u32::from_le_bytes(file[12..16].try_into().unwrap()) as usize;
        Self {
            version: u32::from_le_bytes(file[8..12].try_into().unwrap()),
            header: file[28..28 + header_len].to_vec(),
            weights: file[28 + header_len..].to_vec(),
        }
    }

    /// A well-formed file of this one's version around `header` and `weights`: right lengths,
    /// right checksum.
    fn seal(&self, header: &[u8], weights: &[u8]) -> Vec<u8> {
        let mut body = header.to_vec();
        body.extend_from_slice(weights);
        let mut out = MODEL_MAGIC.to_vec();
        out.extend_from_slice(&self.version.to_le_bytes());
        out.extend_from_slice(&(header.len() as u32).to_le_bytes());
        out.extend_from_slice(&(weights.len() as u64).to_le_bytes());
        out.extend_from_slice(&crc32(&body).to_le_bytes());
        out.extend_from_slice(&body);
        out
    }
}

/// Where the burnpack metadata (tensor names, dtypes, shapes, offsets) ends in `weights`.
pub(super) fn burnpack_metadata_end(weights: &[u8]) -> usize {
    let len = u32::from_le_bytes(weights[6..10].try_into().unwrap()) as usize;
    (10 + len).min(weights.len())
}

/// Offsets of every occurrence of `needle` in `haystack`.
pub(super) fn find_all(haystack: &[u8], needle: &[u8]) -> Vec<usize> {
    haystack
        .windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect()
}

/// Model JSON and enum tags a header mutation swaps in.
pub(super) const MODEL_TAGS: [&str; 8] = [
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
pub(super) const OTHER_DTYPES: [&[u8]; 6] = [b"F16", b"F64", b"I32", b"I64", b"U8 ", b"\0\0\0"];

/// Networks larger than this are decoded and validated but not built: a valid header may ask
/// for up to 32 layers of 4096 channels, which is slow to build, not wrong.
pub(super) const MAX_PARAMS_TO_BUILD: usize = 1_000_000;

#[test]
fn damaged_model_files_are_refused_with_a_reason_and_never_panic_when_loaded() {
    let path = inkling_tests::repo_root().join("www/models/dsd-s.inkling");
    let real = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let parts = ModelParts::split(&real);
    assert_eq!(parts.seal(&parts.header, &parts.weights), real);
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
    // Other architectures, as headers over the real weights, as weights under the real header
    // and as whole files: shapes that disagree.
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

    // The int8 encoding (format version 2): claimed over the f32 weights, and int8 weights of
    // another width under a dsd-s header.
    let mut int8_header = header.clone();
    int8_header["weights"] = "int8".into();
    let mut others = others;
    others.push((int8_header.clone(), parts.weights.clone()));
    {
        let config = ModelConfig::preset("dsd-xs").unwrap();
        let network = config.init(&device).unwrap();
        let mut xs = ModelHeader::new(config, DatasetKind::Mnist);
        xs.weights = inkling_model::WeightEncoding::Int8;
        let file = pollster::block_on(ModelFile::from_network(xs, &network)).unwrap();
        others.push((int8_header, file.weight_bytes().to_vec()));
    }

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
                parts.seal(&damaged, &parts.weights)
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
                parts.seal(&parts.header, &weights)
            }
            // Damaged tensor data (NaN, infinities) or cut-off weights, resealed.
            14 | 15 => {
                let weights = if m.chance(0.5) {
                    m.bytes_within(&parts.weights, meta_end..parts.weights.len())
                } else {
                    parts.weights[..m.below(parts.weights.len())].to_vec()
                };
                parts.seal(&parts.header, &weights)
            }
            // Header and weights of different architectures.
            _ => {
                let (other_header, other_weights) = m.pick(&others);
                match m.below(3) {
                    0 => parts.seal(other_header.to_string().as_bytes(), &parts.weights),
                    1 => parts.seal(&parts.header, other_weights),
                    _ => parts.seal(other_header.to_string().as_bytes(), other_weights),
                }
            }
        };
        let outcome = tally.check(
            || show_bytes(&input),
            || {
                let file = ModelFile::decode(&input).map_err(|e| Rejected::error(&e))?;
                let model = &file.header.model;
                // Only dropout, which holds no weights, may differ from what is expected.
                if !model.same_weights_as(&expected) {
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
