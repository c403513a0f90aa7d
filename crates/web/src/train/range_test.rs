//! The learning-rate range test in the page: the form's network and optimiser trained for
//! [`RANGE_TEST_STEPS`] steps while the rate grows exponentially from 1e-6 to 10 (in the
//! worker, as `inkling lr-find` does natively), the loss against the rate on a log axis, and
//! the suggested peak rate, which one click puts in the form.

use super::chart::{Chart, Series};
use super::settings::RANGE_TEST_STEPS;
use super::state::TrainState;
use crate::text::{Texts, fill};
use inkling_train::LrCurve;
use yew::prelude::*;

/// The range test's button, curve and suggestion.
pub fn range_test(
    t: &Texts,
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
                { fill(t.session.range_test_button, &[("steps", &RANGE_TEST_STEPS)]) }
            </button>
            <p class="hint">{ t.session.range_test_hint }</p>
            if state.range_test && !raw.is_empty() {
                <div class="charts"><Chart id="lr-find-chart" title={t.session.range_test_chart_title}
                    x_label={t.session.range_test_x_label}
                    y_label="" log_x={true} y_range={Some((0.0, top))}
                    series={vec![
                        Series { label: t.session.range_test_loss.into(), colour: "#c9c9e8", points: raw, width: 1.0, dots: true },
                        Series { label: t.session.range_test_smoothed.into(), colour: "#3b3bb3", points: smooth, width: 2.0, dots: false },
                    ]} /></div>
            }
            if let (true, Some(result)) = (state.range_test, state.range_result) {
                { suggestion(t, result, on_use) }
            }
        </div>
    }
}

fn suggestion(
    t: &Texts,
    result: Option<inkling_train::LrSuggestion>,
    on_use: Callback<f64>,
) -> Html {
    let Some(s) = result else {
        return html! {
            <p id="lr-find-result" class="status">{ t.session.range_test_no_fall }</p>
        };
    };
    // Two significant digits, as a person would type it.
    let rate: f64 = format!("{:.1e}", s.rate).parse().unwrap_or(s.rate);
    html! {
        <p id="lr-find-result" class="status" data-suggestion={rate.to_string()}
            data-lowest-rate={s.lowest_loss_rate.to_string()}>
            { result_line(t, &s, rate) }
            <button id="lr-find-use" onclick={on_use.reform(move |_| rate)}>
                { fill(t.session.range_test_use, &[("rate", &format!("{rate:.1e}"))]) }
            </button>
        </p>
    }
}

/// The range test's result: the lowest smoothed loss, its rate, and the suggested `rate`.
fn result_line(t: &Texts, s: &inkling_train::LrSuggestion, rate: f64) -> String {
    fill(
        t.session.range_test_result,
        &[
            ("loss", &format!("{:.3}", s.lowest_loss)),
            ("lowest_rate", &format!("{:.1e}", s.lowest_loss_rate)),
            ("rate", &format!("{rate:.1e}")),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;

    #[test]
    fn the_english_texts_are_the_ones_the_page_wrote() {
        let en = Language::En.texts();
        let s = inkling_train::LrSuggestion {
            rate: 0.0032,
            lowest_loss_rate: 0.0316,
            lowest_loss: 0.41234,
        };
        assert_eq!(
            result_line(en, &s, 3.2e-3),
            format!(
                "Lowest smoothed loss {:.3} at rate {:.1e}: suggested peak rate {:.1e}. ",
                s.lowest_loss, s.lowest_loss_rate, 3.2e-3
            )
        );
        assert_eq!(
            fill(
                en.session.range_test_button,
                &[("steps", &RANGE_TEST_STEPS)]
            ),
            format!("Find a learning rate (range test, {RANGE_TEST_STEPS} steps)")
        );
        let zh = result_line(Language::Zh.texts(), &s, 3.2e-3);
        assert!(zh.contains("3.2e-3") && !zh.contains('{'), "{zh}");
    }
}
