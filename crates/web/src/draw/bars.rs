//! Bars for the ten class probabilities.

use crate::text::use_texts;
use yew::prelude::*;

/// Properties of [`ProbabilityBars`].
#[derive(Properties, PartialEq)]
pub struct ProbabilityBarsProps {
    /// One probability per class, or `None` when nothing is drawn.
    pub probabilities: Option<Vec<f32>>,
    /// Label of each class.
    pub names: Vec<String>,
}

/// Ten labelled bars; the most likely class is highlighted.
#[component]
pub fn ProbabilityBars(props: &ProbabilityBarsProps) -> Html {
    let t = use_texts();
    let best = props.probabilities.as_ref().and_then(|p| {
        p.iter()
            .copied()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(i, _)| i)
    });
    html! {
        <ol class="bars" aria-label={t.draw.class_probabilities}>
            { for props.names.iter().enumerate().map(|(class, name)| {
                let p = props.probabilities.as_ref().and_then(|p| p.get(class).copied()).unwrap_or(0.0);
                let width = format!("width: {:.1}%", p * 100.0);
                let class_names = classes!("bar", (best == Some(class)).then_some("best"));
                html! {
                    <li class={class_names} data-class={class.to_string()} data-probability={format!("{p:.4}")}>
                        <span class="bar-label">{ name }</span>
                        <span class="bar-track"><span class="bar-fill" style={width} /></span>
                        <span class="bar-value">{ format!("{:.0} %", p * 100.0) }</span>
                    </li>
                }
            }) }
        </ol>
    }
}
