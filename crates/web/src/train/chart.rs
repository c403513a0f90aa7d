//! Line charts on a canvas with labelled axes: the training curves.

use crate::text::{TrainTexts, fill, use_texts};
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};
use yew::prelude::*;

/// One line (or dot series) of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend text.
    pub label: String,
    /// CSS colour.
    pub colour: &'static str,
    /// Points `(x, y)`, x increasing.
    pub points: Vec<(f64, f64)>,
    /// Line width in CSS pixels.
    pub width: f64,
    /// Draw dots at the points as well (sparse series).
    pub dots: bool,
}

/// Properties of [`Chart`].
#[derive(Properties, PartialEq)]
pub struct ChartProps {
    /// Element id of the canvas.
    pub id: AttrValue,
    /// Title above the plot.
    pub title: AttrValue,
    /// Axis labels.
    pub x_label: AttrValue,
    /// Axis labels.
    pub y_label: AttrValue,
    /// The lines.
    pub series: Vec<Series>,
    /// Fixed y range; `None` fits the data (from 0).
    #[prop_or_default]
    pub y_range: Option<(f64, f64)>,
    /// Format of y tick labels as a percentage.
    #[prop_or_default]
    pub percent: bool,
    /// A logarithmic x axis (positive x only), ticks at powers of ten.
    #[prop_or_default]
    pub log_x: bool,
}

const W: f64 = 520.0;
const H: f64 = 220.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 26.0;
const BOTTOM: f64 = 36.0;

/// A chart, redrawn whenever its series change.
#[component]
pub fn Chart(props: &ChartProps) -> Html {
    let t = &use_texts().train;
    let canvas = use_node_ref();
    {
        let canvas = canvas.clone();
        use_effect_with(
            (
                props.series.clone(),
                props.title.clone(),
                props.y_range,
                props.percent,
                props.x_label.clone(),
                props.y_label.clone(),
                props.log_x,
            ),
            move |(series, title, y_range, percent, x_label, y_label, log_x)| {
                if let Some(canvas) = canvas.cast::<HtmlCanvasElement>() {
                    let axes = Axes {
                        title,
                        x_label,
                        y_label,
                        y_range: *y_range,
                        percent: *percent,
                        log_x: *log_x,
                    };
                    draw(&canvas, series, &axes);
                }
            },
        );
    }
    let points: usize = props.series.iter().map(|s| s.points.len()).sum();
    let table_id = format!("{}-values", props.id);
    html! {
        <>
            <canvas id={props.id.clone()} class="chart" ref={canvas}
                width={(W * 2.0).to_string()} height={(H * 2.0).to_string()}
                data-points={points.to_string()}
                role="img" aria-label={props.title.clone()} aria-describedby={table_id.clone()} />
            { latest_values(t, props, &table_id) }
        </>
    }
}

/// The chart's text alternative: each series' latest point, in a table screen readers read
/// (and a person can read by turning styles off).
fn latest_values(t: &TrainTexts, props: &ChartProps, id: &str) -> Html {
    let y = |value: f64| {
        if props.percent {
            format!("{:.2} %", value * 100.0)
        } else {
            format!("{value:.4}")
        }
    };
    let x = |value: f64| {
        if props.log_x {
            format!("{value:.2e}")
        } else {
            format!("{value}")
        }
    };
    html! {
        <table id={id.to_string()} class="visually-hidden">
            <caption>{ fill(t.chart_latest_values, &[("title", &props.title)]) }</caption>
            <tr>
                <th scope="col">{ t.chart_series_column }</th>
                <th scope="col">{ props.x_label.clone() }</th>
                <th scope="col">{
                    if props.y_label.is_empty() { props.title.clone() } else { props.y_label.clone() }
                }</th>
                <th scope="col">{ t.chart_points_column }</th>
            </tr>
            { for props.series.iter().map(|s| {
                let last = s.points.last();
                html! {
                    <tr>
                        <th scope="row">{ &s.label }</th>
                        <td>{ last.map(|p| x(p.0)).unwrap_or_else(|| "–".into()) }</td>
                        <td>{ last.map(|p| y(p.1)).unwrap_or_else(|| "–".into()) }</td>
                        <td>{ s.points.len() }</td>
                    </tr>
                }
            }) }
        </table>
    }
}

/// Round tick spacing for a span: 1, 2 or 5 times a power of ten.
pub fn tick_step(span: f64, ticks: f64) -> f64 {
    if !(span.is_finite() && span > 0.0) {
        return 1.0;
    }
    let raw = span / ticks;
    let power = 10f64.powf(raw.log10().floor());
    let m = raw / power;
    power
        * if m <= 1.0 {
            1.0
        } else if m <= 2.0 {
            2.0
        } else if m <= 5.0 {
            5.0
        } else {
            10.0
        }
}

fn label(value: f64, step: f64, percent: bool) -> String {
    if percent {
        return format!("{:.0} %", value * 100.0);
    }
    let decimals = (-step.log10().floor()).clamp(0.0, 6.0) as usize;
    format!("{value:.decimals$}")
}

/// About how wide `text` is in the chart's 12 px font: 7 px a byte (as for Latin letters), but
/// 12 px for a wide (CJK) character, whose three bytes would overstate it.
fn legend_width(text: &str) -> f64 {
    text.chars()
        .map(|c| {
            if ('\u{2e80}'..='\u{9fff}').contains(&c) || ('\u{ff00}'..='\u{ff60}').contains(&c) {
                12.0
            } else {
                7.0 * c.len_utf8() as f64
            }
        })
        .sum()
}

/// How a chart's axes are labelled and scaled.
struct Axes<'a> {
    title: &'a str,
    x_label: &'a str,
    y_label: &'a str,
    y_range: Option<(f64, f64)>,
    percent: bool,
    log_x: bool,
}

fn draw(canvas: &HtmlCanvasElement, series: &[Series], axes: &Axes<'_>) {
    let Axes {
        title,
        x_label,
        y_label,
        y_range,
        percent,
        log_x,
    } = *axes;
    let Some(ctx) = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    let _ = ctx.set_transform(2.0, 0.0, 0.0, 2.0, 0.0, 0.0);
    ctx.clear_rect(0.0, 0.0, W, H);
    // On a log axis the positions are decades (log10 x); only positive x can be shown.
    let x_of = |x: f64| if log_x { x.log10() } else { x };
    let finite = |&(x, y): &(f64, f64)| x_of(x).is_finite() && y.is_finite();
    let all = || {
        series
            .iter()
            .flat_map(|s| s.points.iter().filter(|p| finite(p)))
    };
    let (x_min, x_max) = if log_x {
        let lo = all().map(|p| x_of(p.0)).fold(f64::INFINITY, f64::min);
        let hi = all().map(|p| x_of(p.0)).fold(f64::NEG_INFINITY, f64::max);
        if lo.is_finite() && hi.is_finite() {
            (lo.floor(), hi.ceil().max(lo.floor() + 1.0))
        } else {
            (0.0, 1.0)
        }
    } else {
        (0.0, all().map(|p| p.0).fold(1.0, f64::max))
    };
    let (y_min, y_max) = y_range.unwrap_or_else(|| {
        let max = all().map(|p| p.1).fold(0.0, f64::max);
        (0.0, if max > 0.0 { max * 1.05 } else { 1.0 })
    });
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let px = |x: f64| LEFT + (x_of(x) - x_min) / (x_max - x_min) * plot_w;
    let py = |y: f64| TOP + plot_h - (y.clamp(y_min, y_max) - y_min) / (y_max - y_min) * plot_h;

    ctx.set_font("12px system-ui, sans-serif");
    ctx.set_fill_style_str("#222");
    let _ = ctx.fill_text(title, LEFT, 16.0);
    // Axes and grid with round ticks.
    ctx.set_stroke_style_str("#ddd");
    ctx.set_line_width(1.0);
    ctx.set_fill_style_str("#555");
    let y_step = tick_step(y_max - y_min, 4.0);
    let mut y = (y_min / y_step).ceil() * y_step;
    while y <= y_max + 1e-12 {
        ctx.begin_path();
        ctx.move_to(LEFT, py(y));
        ctx.line_to(W - RIGHT, py(y));
        ctx.stroke();
        let text = label(y, y_step, percent);
        let _ = ctx.fill_text(&text, 4.0, py(y) + 4.0);
        y += y_step;
    }
    // Ticks: round steps, or every power of ten (every other one past eight decades).
    let x_step = if log_x {
        if x_max - x_min > 8.0 { 2.0 } else { 1.0 }
    } else {
        tick_step(x_max, 5.0).max(1.0)
    };
    let mut x = x_min;
    while x <= x_max + 1e-9 {
        let (at, text) = if log_x {
            (10f64.powf(x), format!("1e{x:.0}"))
        } else {
            (x, format!("{x:.0}"))
        };
        ctx.begin_path();
        ctx.move_to(px(at), TOP);
        ctx.line_to(px(at), TOP + plot_h);
        ctx.stroke();
        // The last label stays inside the canvas.
        let _ = ctx.fill_text(&text, (px(at) - 8.0).min(W - 22.0), TOP + plot_h + 14.0);
        x += x_step;
    }
    let _ = ctx.fill_text(x_label, LEFT + plot_w / 2.0 - 12.0, H - 4.0);
    let _ = ctx.fill_text(y_label, LEFT + 90.0, 16.0);
    ctx.set_stroke_style_str("#888");
    ctx.begin_path();
    ctx.move_to(LEFT, TOP);
    ctx.line_to(LEFT, TOP + plot_h);
    ctx.line_to(W - RIGHT, TOP + plot_h);
    ctx.stroke();
    // The series, with a legend on the right of the title.
    let mut legend_x = W - RIGHT;
    for s in series.iter().rev() {
        legend_x -= 14.0 + legend_width(&s.label);
        ctx.set_fill_style_str(s.colour);
        ctx.fill_rect(legend_x, 8.0, 10.0, 10.0);
        ctx.set_fill_style_str("#222");
        let _ = ctx.fill_text(&s.label, legend_x + 13.0, 17.0);
    }
    for s in series {
        ctx.set_stroke_style_str(s.colour);
        ctx.set_fill_style_str(s.colour);
        ctx.set_line_width(s.width);
        ctx.begin_path();
        let mut first = true;
        for &(x, y) in s.points.iter().filter(|p| finite(p)) {
            if first {
                ctx.move_to(px(x), py(y));
                first = false;
            } else {
                ctx.line_to(px(x), py(y));
            }
        }
        ctx.stroke();
        if s.dots {
            for &(x, y) in s.points.iter().filter(|p| finite(p)) {
                ctx.begin_path();
                let _ = ctx.arc(px(x), py(y), 3.0, 0.0, std::f64::consts::TAU);
                ctx.fill();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{legend_width, tick_step};

    #[test]
    fn legends_are_as_wide_as_before_in_latin_letters_and_narrower_in_chinese() {
        let label = "train (smoothed)";
        assert_eq!(legend_width(label), 7.0 * label.len() as f64);
        assert_eq!(legend_width("训练（平滑）"), 72.0);
    }

    #[test]
    fn ticks_are_round_numbers() {
        let close = |a: f64, b: f64| (a - b).abs() < 1e-12 * b.abs().max(1.0);
        assert!(close(tick_step(2.3, 4.0), 1.0));
        assert!(close(tick_step(100.0, 5.0), 20.0));
        assert!(close(tick_step(0.07, 4.0), 0.02));
        assert!(close(tick_step(f64::NAN, 4.0), 1.0));
    }
}
