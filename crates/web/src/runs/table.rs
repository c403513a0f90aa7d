//! The runs table: one row per run, the settings that differ from the first run's highlighted
//! (or every setting, when asked), the final figures, a checkbox that puts the run on the
//! overlay charts and a button that forgets it.

use super::store::StoredRun;
use crate::format::group_thousands;
use inkling_train::runs::RunsTable;
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`RunsTableView`].
#[derive(Properties, PartialEq)]
pub struct RunsTableProps {
    /// The runs, oldest first.
    pub runs: Rc<Vec<StoredRun>>,
    /// Keys of the runs on the charts.
    pub shown: Rc<Vec<u32>>,
    /// Every setting, not only those that differ.
    pub all_settings: bool,
    /// A run's checkbox changed.
    pub on_toggle: Callback<u32>,
    /// Forget a run.
    pub on_delete: Callback<u32>,
}

/// The table.
#[component]
pub fn RunsTableView(props: &RunsTableProps) -> Html {
    let records: Vec<_> = props.runs.iter().map(|r| r.record.clone()).collect();
    let table = RunsTable::new(&records);
    let columns = table.shown_columns(props.all_settings);
    let percent = |a: Option<f64>| a.map_or("—".to_string(), |a| format!("{:.2} %", a * 100.0));
    let head = columns.iter().map(|&i| {
        let column = &table.columns[i];
        html! {
            <th scope="col" class={classes!(column.differs.then_some("differs"))}
                data-setting={column.name.clone()}>{ column.name.clone() }</th>
        }
    });
    let rows = table.rows.iter().zip(props.runs.iter()).map(|(row, run)| {
        let id = run.id;
        let toggle = props.on_toggle.reform(move |_: Event| id);
        let delete = props.on_delete.reform(move |_: MouseEvent| id);
        let cells = columns.iter().map(|&i| {
            let (value, differs) = &row.settings[i];
            html! {
                <td class={classes!(differs.then_some("differs"))}
                    data-setting={table.columns[i].name.clone()}>{ value }</td>
            }
        });
        html! {
            <tr data-run={id.to_string()}>
                <td>
                    <input type="checkbox" class="overlay" checked={props.shown.contains(&id)}
                        onchange={toggle} aria-label={format!("Show {} on the charts", row.name)} />
                </td>
                <th scope="row">{ &row.name }</th>
                { for cells }
                <td>{ row.compute.clone() }</td>
                <td>{ group_thousands(row.steps) }</td>
                <td>{ format!("{:.1} s", row.seconds) }</td>
                <td>{ group_thousands(row.parameters) }</td>
                <td class="validation" data-accuracy={row.validation_accuracy.map(|a| a.to_string()).unwrap_or_default()}>
                    { percent(row.validation_accuracy) }
                </td>
                <td class="test" data-accuracy={row.test_accuracy.map(|a| a.to_string()).unwrap_or_default()}>
                    { percent(row.test_accuracy) }
                </td>
                <td>
                    <button class="delete" onclick={delete}
                        aria-label={format!("Forget {}", row.name)}>{ "×" }</button>
                </td>
            </tr>
        }
    });
    html! {
        <div class="table-scroll">
            <table id="runs-table" data-runs={table.rows.len().to_string()}
                data-differing={table.differing().join(",")}>
                <thead>
                    <tr>
                        <th scope="col"><span class="visually-hidden">{ "On the charts" }</span></th>
                        <th scope="col">{ "Run" }</th>
                        { for head }
                        <th scope="col">{ "Device" }</th>
                        <th scope="col">{ "Steps" }</th>
                        <th scope="col">{ "Time" }</th>
                        <th scope="col">{ "Parameters" }</th>
                        <th scope="col">{ "Validation" }</th>
                        <th scope="col">{ "Test" }</th>
                        <th scope="col"><span class="visually-hidden">{ "Forget" }</span></th>
                    </tr>
                </thead>
                <tbody>{ for rows }</tbody>
            </table>
        </div>
    }
}
