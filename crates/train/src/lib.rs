//! Inkling's training engine.
//!
//! A [`RunConfig`] (model + [`Recipe`] + seed + dataset) describes a run completely and is the one
//! type the CLI and the web app exchange. A [`Trainer`] executes it one optimiser step per call,
//! so an async browser loop can interleave steps with rendering and the CLI can drive the same
//! engine in a plain loop. Reads of tensor values go through burn's `*_async` API only (a blocking
//! read panics in the browser); on the CPU backend those futures are ready at once, so native
//! callers simply block on them.

mod early_stop;
#[cfg(feature = "engine")]
mod engine;
#[cfg(feature = "envelope")]
pub mod envelope;
#[cfg(feature = "engine")]
mod eval;
mod fine_tune;
mod lr_find;
mod metrics;
mod moments;
#[cfg(feature = "engine")]
mod optimizer;
mod position;
mod predictions;
mod recipe;
mod remote;
pub mod runs;
mod schedule;
#[cfg(feature = "engine")]
pub mod session;
mod sweep;
#[cfg(all(test, feature = "engine"))]
mod test_data;

pub use early_stop::{EarlyStopping, Verdict};
#[cfg(feature = "engine")]
pub use engine::{StepMetrics, TrainError, Trainer};
#[cfg(feature = "engine")]
pub use eval::{Evaluation, evaluate};
pub use fine_tune::{DEFAULT_BASE_LR_FACTOR, DEFAULT_UNFREEZE_AFTER, FineTune, FineTuneMode};
pub use lr_find::{LrCurve, LrRangeTest, LrSuggestion};
pub use metrics::{ClassScores, ConfusionMatrix};
pub use moments::{MOMENTS_VERSION, Moments, MomentsError, ParamMoments};
pub use position::RunPosition;
pub use predictions::{Prediction, Predictions};
pub use recipe::{OptimizerAlgorithm, OptimizerKind, Recipe, RecipePreset, RunConfig};
pub use remote::{
    Attachment, Command, Compute, Fault, FaultKind, OwnDigits, PanicText, Report, StartFrom,
};
pub use schedule::{Schedule, ScheduleShape};
#[cfg(feature = "engine")]
pub use session::Session;
pub use sweep::{MAX_SWEEP_RUNS, SweepMode, SweepPoint, SweepSpace};
