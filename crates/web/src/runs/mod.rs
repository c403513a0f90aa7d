//! Runs side by side: every finished run of the training panel (its settings, validation curve
//! and final figures) kept in IndexedDB across reloads (`store`, recorded by `log`), shown
//! as a table that highlights what differs from the first run (`table`), with the chosen
//! runs' curves overlaid (`overlay`), exported as CSV; and the sweep form (`sweep`) whose
//! runs land in the same table.

pub mod log;
mod overlay;
pub mod store;
pub mod sweep;
mod table;

use crate::platform;
use crate::text::{fill, use_texts};
use inkling_train::runs::RunsTable;
use log::{RunAction, RunList};
use table::RunsTableView;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Properties of [`RunsView`].
#[derive(Properties, PartialEq)]
pub struct RunsViewProps {
    /// The kept runs.
    pub list: UseReducerHandle<RunList>,
}

/// The runs table, its charts and its buttons (nothing until a run has finished).
#[component]
pub fn RunsView(props: &RunsViewProps) -> Html {
    let t = use_texts();
    let hidden = use_state(Vec::<u32>::new);
    let all_settings = use_state(|| false);
    let list = &props.list;
    let runs = list.runs.clone();
    let shown: Vec<u32> = runs
        .iter()
        .map(|r| r.id)
        .filter(|id| !hidden.contains(id))
        .collect();
    let on_toggle = {
        let hidden = hidden.clone();
        Callback::from(move |id: u32| {
            let mut next = (*hidden).clone();
            match next.iter().position(|&h| h == id) {
                Some(i) => _ = next.remove(i),
                None => next.push(id),
            }
            hidden.set(next);
        })
    };
    let dispatch = list.dispatcher();
    let on_delete = {
        let dispatch = dispatch.clone();
        Callback::from(move |id: u32| {
            let dispatch = dispatch.clone();
            spawn_local(async move {
                match store::delete(id, t).await {
                    Ok(()) => dispatch.dispatch(RunAction::Deleted(id)),
                    Err(e) => dispatch.dispatch(RunAction::Failed(e)),
                }
            });
        })
    };
    let on_clear = Callback::from(move |_: MouseEvent| {
        let dispatch = dispatch.clone();
        spawn_local(async move {
            match store::clear(t).await {
                Ok(()) => dispatch.dispatch(RunAction::Cleared),
                Err(e) => dispatch.dispatch(RunAction::Failed(e)),
            }
        });
    });
    let on_export = {
        let (runs, dispatch) = (runs.clone(), list.dispatcher());
        Callback::from(move |_: MouseEvent| {
            let records: Vec<_> = runs.iter().map(|r| r.record.clone()).collect();
            let csv = RunsTable::new(&records).to_csv();
            if let Err(e) = platform::download(csv.as_bytes(), "inkling-runs.csv") {
                dispatch.dispatch(RunAction::Failed(fill(
                    t.runs.export_failed,
                    &[("error", &format!("{e:?}"))],
                )));
            }
        })
    };
    let toggle_all = {
        let all_settings = all_settings.clone();
        Callback::from(move |_: Event| all_settings.set(!*all_settings))
    };
    html! {
        <section id="runs" class="runs" aria-label={t.runs.heading}
            data-loaded={list.loaded.to_string()}>
            <h3>{ t.runs.heading }</h3>
            if let Some(notice) = &list.notice {
                <p id="runs-notice" class="notice" role="status">{ notice.message(t) }</p>
            }
            if runs.is_empty() {
                <p class="hint">{ t.runs.empty_hint }</p>
            } else {
                <label>
                    <input id="runs-all-settings" type="checkbox" checked={*all_settings}
                        onchange={toggle_all} />
                    { format!(" {}", t.runs.all_settings) }
                </label>
                <RunsTableView runs={runs.clone()} shown={std::rc::Rc::new(shown.clone())}
                    all_settings={*all_settings} on_toggle={on_toggle} on_delete={on_delete} />
                { overlay::overlay(t, &runs, &shown) }
                <button id="runs-export" onclick={on_export}>{ t.runs.export_csv }</button>
                <button id="runs-clear" onclick={on_clear}>{ t.runs.forget_all }</button>
            }
        </section>
    }
}
