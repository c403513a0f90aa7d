//! The learning-rate range test in the page: the form's network and optimiser trained for
//! [`RANGE_TEST_STEPS`] steps while the rate grows exponentially from 1e-6 to 10 (in the
//! worker, as `inkling lr-find` does natively), the loss against the rate on a log axis, and
//! the suggested peak rate, which one click puts in the form.

use super::chart::{Chart, Series};
use super::settings::RANGE_TEST_STEPS;
use super::state::TrainState;
use inkling_train::LrCurve;
use yew::prelude::*;

/// The range test's button, curve and suggestion.
pub fn range_test(
    state: &TrainState,
    can_start: bool,
    on_start: Callback<MouseEvent>,
    on_use: Callback<f64>,
) -> Html {
    let mut curve = LrCurve::default();
    if state.range_test {
        for &(rate, loss) in &state.rate_loss {
            curve.record(rate, loss);
        }
    }
    let centred = curve.centred();
    // The loss blows up at the end: the plot stops at half again its starting level.
    let top = centred.first().map_or(3.0, |first| first * 1.5);
    let raw: Vec<(f64, f64)> = curve.points.iter().map(|p| (p.0, p.1)).collect();
    let smooth: Vec<(f64, f64)> = curve
        .points
        .iter()
        .zip(&centred)
        .map(|(p, s)| (p.0, *s))
        .collect();
    html! {
        <div id="lr-find" class="range-test">
            <button id="lr-find-start" onclick={on_start} disabled={!can_start}>
                { format!("Find a learning rate (range test, {RANGE_TEST_STEPS} steps)") }
            </button>
            <p class="hint">{ "Trains the network above while the rate grows from 1e-6 to 10; \
                a good peak rate is about a tenth of where the loss is lowest." }</p>
            if state.range_test && !raw.is_empty() {
                <div class="charts"><Chart id="lr-find-chart" title="Loss against the learning rate" x_label="learning rate"
                    y_label="" log_x={true} y_range={Some((0.0, top))}
                    series={vec![
                        Series { label: "loss".into(), colour: "#c9c9e8", points: raw, width: 1.0, dots: true },
                        Series { label: "smoothed".into(), colour: "#3b3bb3", points: smooth, width: 2.0, dots: false },
                    ]} /></div>
            }
            if let (true, Some(result)) = (state.range_test, state.range_result) {
                { suggestion(result, on_use) }
            }
        </div>
    }
}

fn suggestion(result: Option<inkling_train::LrSuggestion>, on_use: Callback<f64>) -> Html {
    let Some(s) = result else {
        return html! {
            <p id="lr-find-result" class="status">{ "The loss never fell: the network did not \
                learn at any rate tried. Check the other settings (a huge weight decay?)." }</p>
        };
    };
    // Two significant digits, as a person would type it.
    let rate: f64 = format!("{:.1e}", s.rate).parse().unwrap_or(s.rate);
    html! {
        <p id="lr-find-result" class="status" data-suggestion={rate.to_string()}
            data-lowest-rate={s.lowest_loss_rate.to_string()}>
            { format!("Lowest smoothed loss {:.3} at rate {:.1e}: suggested peak rate {rate:.1e}. ",
                s.lowest_loss, s.lowest_loss_rate) }
            <button id="lr-find-use" onclick={on_use.reform(move |_| rate)}>
                { format!("Use {rate:.1e}") }
            </button>
        </p>
    }
}
