//! The chosen runs' validation curves on two shared charts (accuracy and loss against steps),
//! one colour per run.

use super::store::StoredRun;
use crate::text::{Texts, fill};
use crate::train::chart::{Chart, Series};
use yew::prelude::*;

/// Colours told apart also by people with the common colour-vision deficiencies (Okabe-Ito).
const PALETTE: [&str; 8] = [
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#f0e442",
];

/// The charts of the runs in `shown` (keys), in the table's order, labelled with `t`.
pub fn overlay(t: &Texts, runs: &[StoredRun], shown: &[u32]) -> Html {
    let picked: Vec<&StoredRun> = runs.iter().filter(|r| shown.contains(&r.id)).collect();
    let series = |value: fn(&inkling_train::runs::ValidationPoint) -> Option<f64>| -> Vec<Series> {
        picked
            .iter()
            .enumerate()
            .map(|(i, run)| Series {
                label: fill(t.runs.run_name, &[("id", &run.id)]),
                colour: PALETTE[i % PALETTE.len()],
                points: run
                    .record
                    .validation
                    .iter()
                    .filter_map(|p| value(p).map(|v| (p.step as f64, v)))
                    .collect(),
                width: 2.0,
                dots: true,
            })
            .collect()
    };
    html! {
        <div class="charts" id="runs-charts" data-series={picked.len().to_string()}>
            <Chart id="runs-accuracy" title={t.runs.accuracy_chart} x_label={t.runs.step_axis}
                y_label="" percent={true} y_range={Some((0.0, 1.0))}
                series={series(|p| Some(p.accuracy))} />
            <Chart id="runs-loss" title={t.runs.loss_chart} x_label={t.runs.step_axis}
                y_label="" series={series(|p| p.loss)} />
        </div>
    }
}
