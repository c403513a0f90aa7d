//! Reading a whole test set in the page without stalling it: the model reads a chunk of images,
//! then the page gets the thread back to draw and paint, and the chunk size follows the time a
//! chunk took so each one stays short.

use crate::draw::classifier::Classifier;
use crate::platform::{now_ms, yield_now};
use inkling_data::{Dataset, IMAGE_SIDE};
use inkling_model::NUM_CLASSES;
use inkling_train::Predictions;

/// Aim for chunks this long: well under the 50 ms a frame may wait.
const CHUNK_BUDGET_MS: f64 = 12.0;
/// Largest chunk, in images.
const MAX_CHUNK: usize = 128;

/// Reads every image of `test` with `classifier`. `progress` hears how many are done after each
/// chunk and answers whether to go on (`false`: the result is no longer wanted, `Ok(None)`).
pub async fn evaluate(
    classifier: &Classifier,
    test: &Dataset,
    mut progress: impl FnMut(usize) -> bool,
) -> Result<Option<Predictions>, String> {
    let mut predictions = Predictions::default();
    let mut chunk = 4;
    let mut start = 0;
    while start < test.len() {
        let end = (start + chunk).min(test.len());
        let pixels: Vec<f32> = (start..end)
            .flat_map(|i| test.image(i).iter().map(|&p| p as f32 / 255.0))
            .collect();
        debug_assert_eq!(pixels.len(), (end - start) * IMAGE_SIDE * IMAGE_SIDE);
        let began = now_ms();
        let probabilities = classifier.probabilities_of_many(&pixels).await?;
        let took_ms = now_ms() - began;
        for answer in probabilities.chunks(NUM_CLASSES) {
            predictions.push(answer);
        }
        start = end;
        if took_ms < CHUNK_BUDGET_MS / 2.0 {
            chunk = (chunk * 2).min(MAX_CHUNK);
        } else if took_ms > CHUNK_BUDGET_MS {
            chunk = (chunk / 2).max(1);
        }
        if !progress(start) {
            return Ok(None);
        }
        yield_now().await;
    }
    Ok(Some(predictions))
}
