//! Where a run is, apart from its weights: what resuming needs to continue it exactly.

use inkling_data::{Rng, ShuffledBatches};
use serde::{Deserialize, Serialize};

/// The resumable position of a run: steps done, the place in the shuffled epochs, the
/// augmentation random state and the training-set size it was set up for. Together with the
/// run's [`RunConfig`](crate::RunConfig), its weights and (optionally) its optimiser moments, it
/// continues a run exactly where it stopped.
///
/// It holds no burn types, so a page can keep and send it without the training engine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunPosition {
    /// Steps completed.
    pub step: usize,
    /// Position in the shuffled epochs.
    pub batches: ShuffledBatches,
    /// Augmentation random state.
    pub augment_rng: Rng,
    /// Number of training examples the run was set up for.
    pub train_len: usize,
}
