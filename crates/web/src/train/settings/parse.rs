//! Typed text into values, or a message for the field that holds it (in the page's language).

use super::{Field, Picked};
use crate::text::{Texts, fill};
use inkling_data::Choice;

/// The option picked for `field`, or the refusal of the name the URL gave.
pub(super) fn picked<T: Choice>(
    t: &Texts,
    field: Field,
    choice: &Picked<T>,
) -> Result<T, (Field, String)> {
    choice.clone().map_err(|e| {
        let what = choice_what(t, e.what).unwrap_or(e.what);
        let message = fill(
            t.train.unknown_option,
            &[("what", &what), ("got", &e.got), ("expected", &e.expected)],
        );
        (field, message)
    })
}

/// What a message calls the value of a name table (`what` is the table's [`Choice::WHAT`]);
/// `None` for a table the form does not have.
pub(super) fn choice_what(t: &Texts, what: &str) -> Option<&'static str> {
    let t = &t.train;
    Some(match what {
        "dataset" => t.what_dataset,
        "architecture" => t.what_architecture,
        "optimizer" => t.what_optimizer,
        "schedule" => t.what_schedule,
        "compute" => t.what_compute,
        "fine-tune mode" => t.what_fine_tune_mode,
        _ => return None,
    })
}

/// A typed value as a message quotes it: trimmed, and cut after 40 characters (a URL can hold
/// megabytes).
pub(super) fn shown(text: &str) -> String {
    let text = text.trim();
    match text.char_indices().nth(40) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

pub(super) fn parse_number(
    t: &Texts,
    field: Field,
    text: &str,
    what: &str,
    range: (f64, f64),
) -> Result<f64, (Field, String)> {
    let value: f64 = text.trim().parse().map_err(|_| {
        let message = fill(
            t.train.not_a_number,
            &[("what", &what), ("got", &shown(text))],
        );
        (field, message)
    })?;
    if !value.is_finite() || value < range.0 || value > range.1 {
        let message = fill(
            t.train.number_out_of_range,
            &[
                ("what", &what),
                ("min", &range.0),
                ("max", &range.1),
                ("got", &shown(text)),
            ],
        );
        return Err((field, message));
    }
    Ok(value)
}

pub(super) fn parse_whole(
    t: &Texts,
    field: Field,
    text: &str,
    what: &str,
    range: (usize, usize),
) -> Result<usize, (Field, String)> {
    let value: usize = text.trim().parse().map_err(|_| {
        let message = fill(
            t.train.not_a_whole_number_in_range,
            &[
                ("what", &what),
                ("min", &range.0),
                ("max", &range.1),
                ("got", &shown(text)),
            ],
        );
        (field, message)
    })?;
    if !(range.0..=range.1).contains(&value) {
        let message = fill(
            t.train.whole_number_out_of_range,
            &[
                ("what", &what),
                ("min", &range.0),
                ("max", &range.1),
                ("got", &value),
            ],
        );
        return Err((field, message));
    }
    Ok(value)
}
