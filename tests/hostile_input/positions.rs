//! Run positions sent back to resume a run.

use super::*;

/// Examples in the tiny training set resumed runs step on.
pub(super) const RESUME_EXAMPLES: usize = 64;

/// Positions that get stepped for real (a step costs milliseconds; the rest check the
/// bookkeeping the worker reports right after resuming).
pub(super) const RESUME_STEPS: usize = 20;

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
