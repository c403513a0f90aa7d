//! The sweep form: the values of learning rate, batch size, weight decay and dropout to try,
//! grid or random, and the steps each run gets. The panel runs the sweep's runs one after the
//! other with the rest of its form's settings; each lands in the runs table.

use inkling_train::{SweepMode, SweepSpace};
use std::str::FromStr;
use yew::prelude::*;

/// A sweep as asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepRequest {
    /// The values to try.
    pub space: SweepSpace,
    /// Grid or random.
    pub mode: SweepMode,
    /// Optimiser steps each run gets.
    pub steps: usize,
}

/// Properties of [`SweepForm`].
#[derive(Properties, PartialEq)]
pub struct SweepFormProps {
    /// A run is in progress (a sweep cannot start).
    pub live: bool,
    /// Runs of the sweep in progress done and planned (`None`: no sweep).
    pub progress: Option<(usize, usize)>,
    /// Seed of random draws (the form's seed).
    pub seed: u64,
    /// Start a sweep.
    pub on_start: Callback<SweepRequest>,
    /// Run no more of the sweep's runs (the one in progress goes on).
    pub on_stop: Callback<bool>,
}

/// The values of a list typed as `0.001, 0.003`.
fn list<T: FromStr>(text: &str, what: &str) -> Result<Vec<T>, String> {
    text.split([',', ' '])
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse()
                .map_err(|_| format!("{what}: \"{s}\" is not a number"))
        })
        .collect()
}

/// The form, closed in a `<details>` until asked for.
#[component]
pub fn SweepForm(props: &SweepFormProps) -> Html {
    let fields = use_state(|| {
        ["0.001, 0.002, 0.004, 0.008", "32", "0.01", "0", "100", ""].map(String::from)
    });
    let random = use_state(|| false);
    let error = use_state(|| None::<String>);
    let input = |index: usize, id: &'static str, label: &'static str| {
        let value = fields[index].clone();
        let fields = fields.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            let mut next = (*fields).clone();
            next[index] = e
                .target_unchecked_into::<web_sys::HtmlInputElement>()
                .value();
            fields.set(next);
        });
        html! {
            <label>{ label }
                <input id={id} type="text" value={value} oninput={oninput} />
            </label>
        }
    };
    let request = {
        let (fields, random, seed) = (fields.clone(), *random, props.seed);
        move || -> Result<SweepRequest, String> {
            let space = SweepSpace {
                learning_rates: list(&fields[0], "learning rates")?,
                batch_sizes: list(&fields[1], "batch sizes")?,
                weight_decays: list(&fields[2], "weight decays")?,
                dropouts: list(&fields[3], "dropouts")?,
            };
            let steps: usize = fields[4]
                .trim()
                .parse()
                .ok()
                .filter(|s| (1..=100_000).contains(s))
                .ok_or("steps per run must be a whole number from 1 to 100000")?;
            let mode = if random {
                let runs = fields[5]
                    .trim()
                    .parse()
                    .map_err(|_| "random search needs the number of runs to draw".to_string())?;
                SweepMode::Random { runs, seed }
            } else {
                SweepMode::Grid
            };
            space.plan(mode)?;
            Ok(SweepRequest { space, mode, steps })
        }
    };
    let on_start = {
        let (error, on_start) = (error.clone(), props.on_start.clone());
        Callback::from(move |_: MouseEvent| match request() {
            Ok(sweep) => {
                error.set(None);
                on_start.emit(sweep);
            }
            Err(e) => error.set(Some(e)),
        })
    };
    let toggle_random = {
        let random = random.clone();
        Callback::from(move |_: Event| random.set(!*random))
    };
    html! {
        <details id="sweep" class="sweep">
            <summary>{ "Search hyperparameters (a sweep)…" }</summary>
            <p class="hint">{ "Each run trains the network above for the same number of steps \
                with one combination of these values; the runs land in the table below, judged \
                on the validation set." }</p>
            <div class="sweep-fields">
                { input(0, "sweep-lr", "Learning rates") }
                { input(1, "sweep-batch", "Batch sizes") }
                { input(2, "sweep-decay", "Weight decays") }
                { input(3, "sweep-dropout", "Dropouts") }
                { input(4, "sweep-steps", "Steps per run") }
                <label>
                    <input id="sweep-random" type="checkbox" checked={*random} onchange={toggle_random} />
                    { " Random search (else every combination)" }
                </label>
                { input(5, "sweep-runs", "Runs to draw") }
            </div>
            if let Some(e) = &*error {
                <p id="sweep-error" class="error" role="alert">{ e }</p>
            }
            <button id="sweep-start" onclick={on_start} disabled={props.live}>{ "Run sweep" }</button>
            if let Some((done, total)) = props.progress {
                <p id="sweep-status" class="status" aria-live="polite"
                    data-done={done.to_string()} data-total={total.to_string()}>
                    { format!("Sweep: {done} of {total} runs done. ") }
                    if done < total {
                        <button id="sweep-stop" onclick={props.on_stop.reform(|_| true)}>
                            { "Run no more" }
                        </button>
                    }
                </p>
            }
        </details>
    }
}
