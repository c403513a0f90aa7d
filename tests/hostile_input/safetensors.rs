//! SafeTensors files, as `inkling import` (and a page's upload) reads them.

use super::*;
use inkling_model::{from_safetensors, to_safetensors};

/// JSON keys and values a mutation swaps into the SafeTensors header.
const SAFETENSORS_TAGS: [&str; 8] = [
    "F32",
    "I64",
    "dtype",
    "shape",
    "data_offsets",
    "__metadata__",
    "head.weight",
    "dsd",
];

/// A SafeTensors file around `header` (JSON) and `data`: the length prefix recomputed.
fn seal(header: &[u8], data: &[u8]) -> Vec<u8> {
    let mut out = (header.len() as u64).to_le_bytes().to_vec();
    out.extend_from_slice(header);
    out.extend_from_slice(data);
    out
}

/// The shipped dsd-s exported, then damaged: raw bytes, the length prefix, the header's tensor
/// entries (types, shapes, offsets), the Inkling header inside the metadata (architectures of
/// any size), cut-off data. Accepted files are run on an image.
#[test]
fn damaged_safetensors_files_are_refused_with_a_reason_and_never_panic() {
    let device = Device::flex();
    let path = inkling_tests::repo_root().join("www/models/dsd-s.inkling");
    let file = ModelFile::decode(&std::fs::read(&path).unwrap()).unwrap();
    let network = file.load(&device).unwrap();
    let real = pollster::block_on(to_safetensors(&file.header, &network)).unwrap();
    let header_len = u64::from_le_bytes(real[..8].try_into().unwrap()) as usize;
    let (header, data) = real[8..].split_at(header_len);
    assert_eq!(seal(header, data), real);
    let doc: Value = serde_json::from_slice(header).unwrap();
    let inkling_header: Value =
        serde_json::from_str(doc["__metadata__"]["inkling.header"].as_str().unwrap()).unwrap();
    let zeros = Tensor::<4>::zeros([1, 1, 28, 28], &device);

    let mut m = Mutator::new(seed(9));
    let mut tally = Tally::new("SafeTensors files (import)");
    for _ in 0..inputs() {
        let input = match m.below(10) {
            0 | 1 => m.bytes(&real),
            2 => {
                let mut out = real.clone();
                out[..8].copy_from_slice(&m.pick(&HOSTILE_U64).to_le_bytes());
                out
            }
            3..=5 => seal(m.json(&doc, &SAFETENSORS_TAGS).as_bytes(), data),
            6..=8 => {
                let mut damaged = doc.clone();
                let model = m.json(&inkling_header, &MODEL_TAGS);
                damaged["__metadata__"]["inkling.header"] = Value::String(model);
                seal(damaged.to_string().as_bytes(), data)
            }
            _ => seal(header, &data[..m.below(data.len())]),
        };
        let outcome = tally.check(
            || show_bytes(&input),
            || {
                let (_, network) =
                    from_safetensors(&input, &device).map_err(|e| Rejected::error(&e))?;
                let logits = network.forward(zeros.clone()).into_data();
                assert_eq!(logits.num_elements(), 10);
                Ok("imported and run")
            },
        );
        if let Some(what) = outcome {
            tally.note(what);
        }
    }
    let accepted = tally.accepted();
    tally.finish();
    assert!(
        accepted > 0,
        "no damaged file was importable: the mutations are too blunt"
    );
}
