//! What a start may ask for besides training: early stopping (the best validation's weights
//! kept, and restored when the accuracy has stalled for `patience` validations) and a
//! learning-rate range test instead of training (the rate raised before every step, the test
//! ended at the blow-up or its last step, with its suggestion).

use super::{Failure, Host, Session};
use crate::early_stop::{EarlyStopping, Verdict};
use crate::engine::{StepMetrics, TrainError};
use crate::lr_find::{LrCurve, LrRangeTest};
use crate::remote::Report;
use inkling_model::ModelFile;

/// Early stopping while it watches a run: its decisions and the best weights so far.
pub(super) struct Watch {
    pub(super) state: EarlyStopping,
    /// The model file of the best validation's weights.
    pub(super) best: Option<Vec<u8>>,
}

/// A learning-rate range test in progress.
pub(super) struct RangeTest {
    pub(super) plan: LrRangeTest,
    pub(super) curve: LrCurve,
}

impl Session {
    /// Before a range test's step: sets the rate the test has reached.
    pub(super) fn set_range_rate(&mut self) -> Result<(), Failure> {
        if let Some(test) = &self.range_test {
            let rate = test.plan.rate_at(self.trainer.steps_done());
            self.trainer.set_learning_rate(rate)?;
        }
        Ok(())
    }

    /// After a range test's step: records its loss, and ends the test once the loss has blown
    /// up or the last step is taken.
    pub(super) fn range_stepped(&mut self, metrics: &StepMetrics, host: &mut impl Host) {
        let Some(test) = &mut self.range_test else {
            return;
        };
        let goes_on = test.curve.record(metrics.learning_rate, metrics.loss);
        if !goes_on || metrics.step >= test.plan.steps || self.trainer.is_finished() {
            self.end_range_test(host);
        }
    }

    /// Early stopping's decision after a validation (`file`: the weights validated).
    pub(super) async fn watch(
        &mut self,
        step: usize,
        accuracy: f64,
        file: Vec<u8>,
        host: &mut impl Host,
    ) -> Result<(), Failure> {
        let Some(watch) = &mut self.early_stop else {
            return Ok(());
        };
        match watch.state.observe(step, accuracy) {
            Verdict::Improved => watch.best = Some(file),
            Verdict::Waiting { .. } => {}
            Verdict::Stop { best_epoch } => {
                let (best_accuracy, _) = watch.state.best.unwrap_or((accuracy, step));
                let patience = watch.state.patience;
                if let Some(best) = watch.best.take() {
                    let device = self.trainer.device().clone().autodiff();
                    let invalid =
                        |e: inkling_model::ModelFileError| TrainError::Device(e.to_string());
                    let network = ModelFile::decode(&best)
                        .map_err(invalid)?
                        .load_expecting(&self.trainer.config().model, &device)
                        .map_err(invalid)?;
                    self.trainer.map_network(|_| network);
                }
                host.report(
                    Report::EarlyStopped {
                        step,
                        best_step: best_epoch,
                        best_accuracy,
                        patience,
                    },
                    None,
                );
                self.finish(host).await;
            }
        }
        Ok(())
    }

    /// Ends a range test: its suggestion, then [`Report::Finished`] (no Test: the weights of a
    /// range test are not a model anyone keeps).
    pub(super) fn end_range_test(&mut self, host: &mut impl Host) {
        self.finished = true;
        let suggestion = self.range_test.as_ref().and_then(|t| t.curve.suggestion());
        let step = self.trainer.steps_done();
        host.report(Report::LrRangeDone { step, suggestion }, None);
        host.report(Report::Finished { step }, None);
    }
}
