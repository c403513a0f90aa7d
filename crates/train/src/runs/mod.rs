//! Runs side by side: what a finished run keeps ([`RunRecord`]: its settings, its validation
//! curve, its final figures), the settings a person compares runs by ([`settings`]), and the
//! table that lines runs up and marks what changed ([`RunsTable`], also as CSV). The page keeps
//! its runs' records in IndexedDB; `inkling runs compare` builds them from run cards; both print
//! the same table.

mod settings;
mod table;

pub use settings::{Setting, settings};
pub use table::{RunRow, RunsTable, SettingColumn};

use serde::{Deserialize, Serialize};

/// One validation of a run's weights on its held-out examples.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ValidationPoint {
    /// Optimiser steps done when it was measured.
    pub step: usize,
    /// Mean loss (`None` where only the accuracy was recorded, as in run cards).
    pub loss: Option<f64>,
    /// Fraction read right.
    pub accuracy: f64,
}

/// A finished run, as the runs table shows it. It holds the run's [`settings`] rather than its
/// [`crate::RunConfig`], so that a page reading kept records back carries no code to parse run
/// descriptions (about 50 KB of its download).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// How the table names it ("run 3", a run card's directory).
    pub name: String,
    /// What was run, setting by setting.
    pub settings: Vec<Setting>,
    /// Trainable parameters of its network.
    pub parameters: usize,
    /// Where it ran ("WebGPU", "CPU", a CLI backend).
    pub compute: String,
    /// Optimiser steps done (fewer than planned when stopped early).
    pub steps: usize,
    /// Time spent stepping, in seconds.
    pub seconds: f64,
    /// Its validations, in step order.
    pub validation: Vec<ValidationPoint>,
    /// Accuracy on the test set of its final weights, when they were tested.
    pub test_accuracy: Option<f64>,
}

impl RunRecord {
    /// The last validation accuracy (that of the final weights, or nearly).
    pub fn final_validation_accuracy(&self) -> Option<f64> {
        self.validation.last().map(|p| p.accuracy)
    }

    /// The value of setting `name`, if the record has it.
    pub fn setting(&self, name: &str) -> Option<&str> {
        self.settings
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.value.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_survives_json_and_reports_its_last_validation() {
        let run = crate::RunConfig::default();
        let record = RunRecord {
            name: "run 1".into(),
            settings: settings(&run, None),
            parameters: run.model.param_count(),
            compute: "CPU".into(),
            steps: 63,
            seconds: 12.5,
            validation: vec![
                ValidationPoint {
                    step: 50,
                    loss: Some(0.9),
                    accuracy: 0.71,
                },
                ValidationPoint {
                    step: 63,
                    loss: Some(0.6),
                    accuracy: 0.8,
                },
            ],
            test_accuracy: Some(0.79),
        };
        let back: RunRecord =
            serde_json::from_str(&serde_json::to_string(&record).unwrap()).unwrap();
        assert_eq!(back, record);
        assert_eq!(back.final_validation_accuracy(), Some(0.8));
        assert_eq!(back.setting("dilation"), Some("on"));
        assert_eq!(back.setting("colour"), None);
    }
}
