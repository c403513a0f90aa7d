//! Optimiser moments, as a snapshot or checkpoint brings them back to resume a run.

use super::positions::{RESUME_EXAMPLES, RESUME_STEPS};
use super::*;

/// Magic, version, index length, body length, CRC-32 (see `crates/train/src/moments.rs`).
const PREAMBLE: usize = 28;

/// Index JSON tags a mutation swaps in.
const MOMENTS_TAGS: [&str; 6] = ["adam", "adamw", "sgd", "params", "time", "first"];

/// A well-formed moments file around `index` and `body`: right lengths, right checksum.
fn seal(index: &[u8], body: &[u8]) -> Vec<u8> {
    let mut content = index.to_vec();
    content.extend_from_slice(body);
    let mut out = b"INKMOMS\0".to_vec();
    out.extend_from_slice(&inkling_train::MOMENTS_VERSION.to_le_bytes());
    out.extend_from_slice(&(index.len() as u32).to_le_bytes());
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(&crc32(&content).to_le_bytes());
    out.extend_from_slice(&content);
    out
}

/// Real Adam moments of dsd-s after two steps on MNIST, damaged and handed to
/// `Trainer::resume`, which decodes them and checks them against the network before it keeps
/// them. Some resumed runs step, so moments that were accepted are used for real.
#[test]
fn damaged_optimizer_moments_are_refused_when_resuming_never_a_panic() {
    let device = Device::flex();
    let mut config = RunConfig::default();
    config.recipe.optimizer = OptimizerKind::Adam {
        beta1: 0.9,
        beta2: 0.999,
    };
    let train = inkling_tests::load(DatasetKind::Mnist, Split::Test).take(RESUME_EXAMPLES);
    let mut trainer = Trainer::new(config.clone(), RESUME_EXAMPLES, &device).unwrap();
    for _ in 0..2 {
        pollster::block_on(trainer.step(&train)).unwrap();
    }
    let real = pollster::block_on(trainer.moments()).unwrap().encode();
    let (network, position) = (trainer.network().clone(), trainer.position());
    drop(trainer);
    let index_len = u32::from_le_bytes(real[12..16].try_into().unwrap()) as usize;
    let (index, body) = real[PREAMBLE..].split_at(index_len);
    assert_eq!(seal(index, body), real);
    let index_doc: Value = serde_json::from_slice(index).unwrap();

    let mut m = Mutator::new(seed(8));
    let mut tally = Tally::new("optimiser moments (resume)");
    let mut steps_left = RESUME_STEPS;
    for _ in 0..inputs() {
        let input = match m.below(10) {
            // Raw damage: the checksum or the framing catches it.
            0 | 1 => m.bytes(&real),
            // Hostile preamble fields, the rest intact.
            2 => {
                let mut out = real.clone();
                match m.below(3) {
                    0 => out[8..12].copy_from_slice(&m.pick(&HOSTILE_U32).to_le_bytes()),
                    1 => out[12..16].copy_from_slice(&m.pick(&HOSTILE_U32).to_le_bytes()),
                    _ => out[16..24].copy_from_slice(&m.pick(&HOSTILE_U64).to_le_bytes()),
                }
                out
            }
            // A damaged index (paths, times, lengths, the optimiser's name), resealed.
            3..=7 => {
                let damaged = if m.chance(0.85) {
                    m.json(&index_doc, &MOMENTS_TAGS).into_bytes()
                } else {
                    m.bytes(index)
                };
                seal(&damaged, body)
            }
            // Damaged numbers (NaN, infinities) or a cut-off body, resealed.
            _ => {
                let damaged = if m.chance(0.5) {
                    m.bytes(body)
                } else {
                    body[..m.below(body.len())].to_vec()
                };
                seal(index, &damaged)
            }
        };
        let outcome = tally.check(
            || show_bytes(&input),
            || {
                Moments::decode(&input).map_err(|e| Rejected::error(&e))?;
                let mut trainer = Trainer::resume(
                    config.clone(),
                    position.clone(),
                    network.clone(),
                    Some(&input),
                    RESUME_EXAMPLES,
                    &device,
                )
                .map_err(|e| Rejected::error(&e))?;
                if steps_left > 0 {
                    steps_left -= 1;
                    pollster::block_on(trainer.step(&train)).map_err(|e| Rejected::error(&e))?;
                    return Ok("resumed with them and stepped");
                }
                Ok("resumed with them")
            },
        );
        if let Some(what) = outcome {
            tally.note(what);
        }
    }
    let accepted = tally.accepted();
    tally.finish();
    assert!(
        accepted > inputs() / 50,
        "only {accepted} inputs got past the checksum to exercise loading"
    );
}
