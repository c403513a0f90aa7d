//! The confusion matrix as a table of buttons: rows are the actual class, columns the class
//! read; each cell's colour grows with its count (on a log scale, so single mistakes show beside
//! a thousand right answers), right answers blue and mistakes orange. Row-normalised, a cell
//! shows the share of its row, i.e. of that class's test images.

use crate::text::{fill, use_texts};
use inkling_train::ConfusionMatrix;
use yew::prelude::*;

/// A cell of the matrix: `(actual, predicted)`.
pub type Cell = (u8, u8);

/// Properties of [`ConfusionTable`].
#[derive(Properties, PartialEq)]
pub struct ConfusionTableProps {
    /// The counts.
    pub confusion: ConfusionMatrix,
    /// Name of each class.
    pub names: Vec<String>,
    /// Show each row's shares instead of counts.
    pub normalised: bool,
    /// The cell whose images are shown.
    pub selected: Option<Cell>,
    /// A cell was picked.
    pub on_select: Callback<Cell>,
}

/// The 10x10 table.
#[component]
pub fn ConfusionTable(props: &ConfusionTableProps) -> Html {
    let t = use_texts();
    let counts = &props.confusion.counts;
    let largest = counts.iter().flatten().copied().max().unwrap_or(0).max(1);
    let cell = |actual: usize, predicted: usize| {
        let count = counts[actual][predicted];
        let row: u64 = counts[actual].iter().sum();
        let (text, strength) = if props.normalised {
            let share = if row == 0 {
                0.0
            } else {
                count as f64 / row as f64
            };
            (format!("{:.1}", share * 100.0), share.sqrt())
        } else {
            let strength = (1.0 + count as f64).ln() / (1.0 + largest as f64).ln();
            (count.to_string(), strength)
        };
        let colour = if actual == predicted {
            "37, 99, 235"
        } else {
            "234, 88, 12"
        };
        let style = format!(
            "background: rgba({colour}, {:.2}); color: {}",
            if count == 0 {
                0.0
            } else {
                0.08 + 0.85 * strength
            },
            if strength > 0.55 { "#fff" } else { "inherit" }
        );
        let (a, p) = (actual as u8, predicted as u8);
        let selected = props.selected == Some((a, p));
        let on_select = props.on_select.clone();
        let label = fill(
            t.evaluation.cell_label,
            &[
                ("count", &count),
                ("actual", &props.names[actual]),
                ("read", &props.names[predicted]),
            ],
        );
        html! {
            <td>
                <button class={classes!("cell", selected.then_some("selected"))} style={style}
                    data-actual={actual.to_string()} data-predicted={predicted.to_string()}
                    data-count={count.to_string()} aria-label={label} aria-pressed={selected.to_string()}
                    disabled={count == 0} onclick={move |_| on_select.emit((a, p))}>
                    { text }
                </button>
            </td>
        }
    };
    let n = props.names.len();
    html! {
        <table id="confusion" class="confusion">
            <caption>{ if props.normalised {
                t.evaluation.matrix_caption_percent
            } else {
                t.evaluation.matrix_caption
            } }</caption>
            <tr>
                <th scope="col" class="corner">{ t.evaluation.matrix_corner }</th>
                { for (0..n).map(|c| html! { <th scope="col">{ &props.names[c] }</th> }) }
            </tr>
            { for (0..n).map(|actual| html! {
                <tr>
                    <th scope="row">{ &props.names[actual] }</th>
                    { for (0..n).map(|predicted| cell(actual, predicted)) }
                </tr>
            }) }
        </table>
    }
}
