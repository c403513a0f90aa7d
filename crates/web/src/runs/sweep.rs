//! The sweep form: the values of learning rate, batch size, weight decay and dropout to try,
//! grid or random, and the steps each run gets. The panel runs the sweep's runs one after the
//! other with the rest of its form's settings; each lands in the runs table.

use crate::text::{Texts, fill, use_texts};
use crate::train::settings::MAX_BATCH;
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

/// The values of a list typed as `0.001, 0.003`; `what` names the list in the error, written
/// with `t`.
fn list<T: FromStr>(t: &Texts, text: &str, what: &str) -> Result<Vec<T>, String> {
    text.split([',', ' '])
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse()
                .map_err(|_| fill(t.runs.sweep_not_a_number, &[("what", &what), ("value", &s)]))
        })
        .collect()
}

/// The sweep the form's `fields` ask for (learning rates, batch sizes, weight decays,
/// dropouts, steps per run, random runs), or what is wrong with them, written with `t`.
fn parse_request(
    t: &Texts,
    fields: &[String; 6],
    random: bool,
    seed: u64,
) -> Result<SweepRequest, String> {
    let space = SweepSpace {
        learning_rates: list(t, &fields[0], t.runs.sweep_list_learning_rates)?,
        batch_sizes: list(t, &fields[1], t.runs.sweep_list_batch_sizes)?,
        weight_decays: list(t, &fields[2], t.runs.sweep_list_weight_decays)?,
        dropouts: list(t, &fields[3], t.runs.sweep_list_dropouts)?,
    };
    // The shared sweep allows the CLI's larger batches; the page's trainer has 4 GiB.
    if let Some(batch) = space.batch_sizes.iter().find(|b| **b > MAX_BATCH) {
        return Err(fill(
            t.runs.sweep_batch_too_large,
            &[("max", &MAX_BATCH), ("value", batch)],
        ));
    }
    let steps: usize = fields[4]
        .trim()
        .parse()
        .ok()
        .filter(|s| (1..=100_000).contains(s))
        .ok_or(t.runs.sweep_steps_invalid)?;
    let mode = if random {
        let runs = fields[5]
            .trim()
            .parse()
            .map_err(|_| t.runs.sweep_runs_missing.to_string())?;
        SweepMode::Random { runs, seed }
    } else {
        SweepMode::Grid
    };
    space.plan(mode)?;
    Ok(SweepRequest { space, mode, steps })
}

/// The form, closed in a `<details>` until asked for.
#[component]
pub fn SweepForm(props: &SweepFormProps) -> Html {
    let t = use_texts();
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
        move || parse_request(t, &fields, random, seed)
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
            <summary>{ t.runs.sweep_summary }</summary>
            <p class="hint">{ t.runs.sweep_hint }</p>
            <div class="sweep-fields">
                { input(0, "sweep-lr", t.runs.sweep_learning_rates) }
                { input(1, "sweep-batch", t.runs.sweep_batch_sizes) }
                { input(2, "sweep-decay", t.runs.sweep_weight_decays) }
                { input(3, "sweep-dropout", t.runs.sweep_dropouts) }
                { input(4, "sweep-steps", t.runs.sweep_steps) }
                <label>
                    <input id="sweep-random" type="checkbox" checked={*random} onchange={toggle_random} />
                    { format!(" {}", t.runs.sweep_random) }
                </label>
                { input(5, "sweep-runs", t.runs.sweep_runs) }
            </div>
            if let Some(e) = &*error {
                <p id="sweep-error" class="error" role="alert">{ e }</p>
            }
            <button id="sweep-start" onclick={on_start} disabled={props.live}>{ t.runs.sweep_start }</button>
            if let Some((done, total)) = props.progress {
                <p id="sweep-status" class="status" aria-live="polite"
                    data-done={done.to_string()} data-total={total.to_string()}>
                    { format!("{} ", fill(t.runs.sweep_progress, &[("done", &done), ("total", &total)])) }
                    if done < total {
                        <button id="sweep-stop" onclick={props.on_stop.reform(|_| true)}>
                            { t.runs.sweep_stop }
                        </button>
                    }
                </p>
            }
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;

    fn fields(lr: &str, batch: &str, steps: &str) -> [String; 6] {
        [lr, batch, "0.01", "0", steps, ""].map(String::from)
    }

    #[test]
    fn a_grid_of_two_rates_by_two_batches_is_four_runs() {
        let t = Language::En.texts();
        let request = parse_request(t, &fields("0.001, 0.004", "16, 32", "15"), false, 1).unwrap();
        assert_eq!(request.space.batch_sizes, [16, 32]);
        assert_eq!(request.steps, 15);
        assert_eq!(request.space.plan(request.mode).unwrap().len(), 4);
    }

    #[test]
    fn a_batch_over_the_pages_limit_is_refused_before_any_run() {
        // 3216: "16" typed after a "32" left in the field. Its activations do not fit in the
        // trainer's 4 GiB of WebAssembly memory, and the worker would die three times over.
        for language in [Language::En, Language::Zh] {
            let t = language.texts();
            let error = parse_request(t, &fields("0.001", "3216, 32", "15"), false, 1).unwrap_err();
            assert!(error.contains("1024") && error.contains("3216"), "{error}");
        }
    }
}
