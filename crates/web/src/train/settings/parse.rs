//! Typed text into values, or a message for the field that holds it.

use super::{Field, Picked};
use inkling_data::Choice;

/// The option picked for `field`, or the refusal of the name the URL gave.
pub(super) fn picked<T: Choice>(field: Field, choice: &Picked<T>) -> Result<T, (Field, String)> {
    choice.clone().map_err(|e| (field, e.to_string()))
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
    field: Field,
    text: &str,
    what: &str,
    range: (f64, f64),
) -> Result<f64, (Field, String)> {
    let value: f64 = text.trim().parse().map_err(|_| {
        (
            field,
            format!("{what} must be a number, got \"{}\"", shown(text)),
        )
    })?;
    if !value.is_finite() || value < range.0 || value > range.1 {
        return Err((
            field,
            format!(
                "{what} must be between {} and {}, got {}",
                range.0,
                range.1,
                shown(text)
            ),
        ));
    }
    Ok(value)
}

pub(super) fn parse_whole(
    field: Field,
    text: &str,
    what: &str,
    range: (usize, usize),
) -> Result<usize, (Field, String)> {
    let value: usize = text.trim().parse().map_err(|_| {
        (
            field,
            format!(
                "{what} must be a whole number from {} to {}, got \"{}\"",
                range.0,
                range.1,
                shown(text)
            ),
        )
    })?;
    if !(range.0..=range.1).contains(&value) {
        return Err((
            field,
            format!(
                "{what} must be a whole number from {} to {}, got {value}",
                range.0, range.1
            ),
        ));
    }
    Ok(value)
}
