//! The runs table: one row per run, one column per setting, each value marked where it differs
//! from the first run's, then the results. The page renders it; the CLI prints it as text; both
//! export it as CSV.

use super::RunRecord;

/// A setting's column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingColumn {
    /// The setting's name.
    pub name: String,
    /// Whether some run's value differs from the first run's.
    pub differs: bool,
}

/// One run's row.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRow {
    /// The run's name.
    pub name: String,
    /// Its settings, in column order, each with whether it differs from the first run's.
    pub settings: Vec<(String, bool)>,
    /// Where it ran.
    pub compute: String,
    /// Steps done.
    pub steps: usize,
    /// Time spent stepping, in seconds.
    pub seconds: f64,
    /// Trainable parameters.
    pub parameters: usize,
    /// The last validation accuracy.
    pub validation_accuracy: Option<f64>,
    /// The final weights' test accuracy.
    pub test_accuracy: Option<f64>,
}

/// Runs lined up against the first.
#[derive(Debug, Clone, PartialEq)]
pub struct RunsTable {
    /// Every setting, in a fixed order.
    pub columns: Vec<SettingColumn>,
    /// The runs, in the order given.
    pub rows: Vec<RunRow>,
}

/// The results' column names, after the settings (CSV and text).
const RESULTS: [&str; 6] = [
    "device",
    "steps",
    "seconds",
    "parameters",
    "validation accuracy",
    "test accuracy",
];

impl RunsTable {
    /// The table of `records`, compared with the first of them.
    pub fn new(records: &[RunRecord]) -> Self {
        // The first run's settings name the columns (a record from another version may lack
        // one: its cell is empty).
        let first = records.first();
        let mut columns: Vec<SettingColumn> = first.map_or_else(Vec::new, |first| {
            first
                .settings
                .iter()
                .map(|s| SettingColumn {
                    name: s.name.clone(),
                    differs: false,
                })
                .collect()
        });
        let rows = records
            .iter()
            .map(|record| RunRow {
                name: record.name.clone(),
                settings: columns
                    .iter_mut()
                    .zip(first.map_or(&[][..], |f| &f.settings))
                    .map(|(column, baseline)| {
                        let value = record.setting(&column.name).unwrap_or_default();
                        let differs = value != baseline.value;
                        column.differs |= differs;
                        (value.to_string(), differs)
                    })
                    .collect(),
                compute: record.compute.clone(),
                steps: record.steps,
                seconds: record.seconds,
                parameters: record.parameters,
                validation_accuracy: record.final_validation_accuracy(),
                test_accuracy: record.test_accuracy,
            })
            .collect();
        Self { columns, rows }
    }

    /// The names of the settings some run changed.
    pub fn differing(&self) -> Vec<&str> {
        self.columns
            .iter()
            .filter(|c| c.differs)
            .map(|c| c.name.as_str())
            .collect()
    }

    /// Indices of the setting columns to show: those that differ, or all of them when asked or
    /// when none does (a single run, or repeats).
    pub fn shown_columns(&self, all: bool) -> Vec<usize> {
        let differing: Vec<usize> = (0..self.columns.len())
            .filter(|&i| self.columns[i].differs)
            .collect();
        if all || differing.is_empty() {
            (0..self.columns.len()).collect()
        } else {
            differing
        }
    }

    /// Every column, as CSV (RFC 4180: comma-separated, quoted where needed, CRLF line ends);
    /// accuracies as fractions, empty where not measured.
    pub fn to_csv(&self) -> String {
        let mut header = vec!["run".to_string()];
        header.extend(self.columns.iter().map(|c| c.name.clone()));
        header.extend(RESULTS.iter().map(|r| r.to_string()));
        let mut lines = vec![csv_line(&header)];
        for row in &self.rows {
            let mut cells = vec![row.name.clone()];
            cells.extend(row.settings.iter().map(|(v, _)| v.clone()));
            cells.extend(row.results(|a| a.to_string()));
            lines.push(csv_line(&cells));
        }
        lines.join("")
    }

    /// The table as aligned text, `*` after each value that differs from the first run's, with
    /// the setting columns of [`Self::shown_columns`].
    pub fn to_text(&self, all: bool) -> String {
        let shown = self.shown_columns(all);
        let mut header = vec!["run".to_string()];
        header.extend(shown.iter().map(|&i| self.columns[i].name.clone()));
        header.extend(RESULTS.iter().map(|r| r.to_string()));
        let mut grid = vec![header];
        for row in &self.rows {
            let mut cells = vec![row.name.clone()];
            cells.extend(shown.iter().map(|&i| {
                let (value, differs) = &row.settings[i];
                if *differs {
                    format!("{value}*")
                } else {
                    value.clone()
                }
            }));
            cells.extend(row.results(|a| format!("{:.2} %", a * 100.0)));
            grid.push(cells);
        }
        let widths: Vec<usize> = (0..grid[0].len())
            .map(|c| grid.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
            .collect();
        let mut text = String::new();
        for row in &grid {
            let line: Vec<String> = row
                .iter()
                .zip(&widths)
                .map(|(cell, &w)| format!("{cell:<w$}"))
                .collect();
            text += line.join("  ").trim_end();
            text.push('\n');
        }
        if self.columns.iter().any(|c| c.differs) {
            text += "* differs from the first run\n";
        }
        text
    }
}

impl RunRow {
    /// The results' cells, accuracies written by `accuracy`.
    fn results(&self, accuracy: impl Fn(f64) -> String) -> [String; 6] {
        [
            self.compute.clone(),
            self.steps.to_string(),
            format!("{:.1}", self.seconds),
            self.parameters.to_string(),
            self.validation_accuracy.map(&accuracy).unwrap_or_default(),
            self.test_accuracy.map(&accuracy).unwrap_or_default(),
        ]
    }
}

/// One CSV record with its CRLF.
fn csv_line(cells: &[String]) -> String {
    let quoted: Vec<String> = cells
        .iter()
        .map(|cell| {
            if cell.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", cell.replace('"', "\"\""))
            } else {
                cell.clone()
            }
        })
        .collect();
    quoted.join(",") + "\r\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RunConfig;
    use crate::runs::{ValidationPoint, settings};
    use inkling_model::ModelConfig;

    fn record(name: &str, model: &str, learning_rate: f64) -> RunRecord {
        let mut run = RunConfig {
            model: ModelConfig::preset(model).unwrap(),
            ..RunConfig::default()
        };
        run.recipe.learning_rate = learning_rate;
        RunRecord {
            name: name.into(),
            settings: settings(&run, None),
            parameters: run.model.param_count(),
            compute: "CPU".into(),
            steps: 63,
            seconds: 20.25,
            validation: vec![ValidationPoint {
                step: 63,
                loss: Some(0.5),
                accuracy: 0.875,
            }],
            test_accuracy: None,
        }
    }

    #[test]
    fn the_changed_settings_are_marked_against_the_first_run() {
        let table = RunsTable::new(&[
            record("run 1", "dsd-s", 0.002),
            record("run 2", "dsd-s-nodil", 0.002),
            record("run 3", "dsd-s", 0.01),
        ]);
        assert_eq!(table.differing(), ["dilation", "learning rate"]);
        let dilation = table
            .columns
            .iter()
            .position(|c| c.name == "dilation")
            .unwrap();
        let marks: Vec<bool> = table.rows.iter().map(|r| r.settings[dilation].1).collect();
        assert_eq!(marks, [false, true, false]);
        assert_eq!(table.shown_columns(false).len(), 2);
        assert_eq!(table.shown_columns(true).len(), table.columns.len());
        let text = table.to_text(false);
        assert!(text.lines().nth(2).unwrap().contains("off*"), "{text}");
        assert!(text.contains("87.50 %"), "{text}");
        assert!(text.ends_with("* differs from the first run\n"), "{text}");
    }

    #[test]
    fn one_run_shows_every_setting_and_marks_nothing() {
        let table = RunsTable::new(&[record("only", "dsd-s", 0.002)]);
        assert!(table.differing().is_empty());
        assert_eq!(table.shown_columns(false).len(), table.columns.len());
        assert!(!table.to_text(false).contains('*'));
        assert!(RunsTable::new(&[]).rows.is_empty());
    }

    #[test]
    fn csv_has_every_column_and_quotes_what_needs_it() {
        let table = RunsTable::new(&[record("a, \"b\"", "dsd-s", 0.002)]);
        let csv = table.to_csv();
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines.len(), 3, "two records and the empty rest: {csv:?}");
        assert_eq!(
            lines[0].split(',').count(),
            1 + table.columns.len() + RESULTS.len()
        );
        assert!(lines[1].starts_with("\"a, \"\"b\"\"\","), "{csv}");
        assert!(lines[1].ends_with(",37642,0.875,"), "{csv}");
        // The network's description has commas: quoted.
        assert!(lines[1].contains("\"DSD net, stem 16, blocks 32 32 64 64 128 128\""));
    }
}
