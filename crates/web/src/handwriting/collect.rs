//! The guided collection: the panel asks for each digit in turn ("Draw a 3"), round by round,
//! until it has `per_digit` of each; the digit on the pad is kept as the model sees it.

use super::samples::Sample;
use crate::draw::classifier::Reading;
use crate::text::{fill, use_texts};
use inkling_data::NUM_CLASSES;
use std::rc::Rc;
use yew::prelude::*;

/// Most examples of each digit the panel asks for.
pub const MAX_PER_DIGIT: usize = 20;
/// Examples of each digit it asks for unless told otherwise.
pub const DEFAULT_PER_DIGIT: usize = 5;

/// How many digits of each class `samples` holds.
pub fn counts(samples: &[Sample]) -> [usize; NUM_CLASSES] {
    let mut counts = [0; NUM_CLASSES];
    for sample in samples {
        counts[usize::from(sample.label) % NUM_CLASSES] += 1;
    }
    counts
}

/// The digit to ask for next: the one with the fewest examples (the smallest on ties), so the
/// panel goes 0 to 9 round by round and asks again for a digit deleted; `None` when every
/// digit has `per_digit`.
pub fn next_digit(counts: &[usize; NUM_CLASSES], per_digit: usize) -> Option<u8> {
    let (digit, &fewest) = counts.iter().enumerate().min_by_key(|&(_, n)| *n)?;
    (fewest < per_digit).then_some(digit as u8)
}

/// Properties of [`Collect`].
#[derive(Properties, PartialEq)]
pub struct CollectProps {
    /// The digits kept so far.
    pub samples: Rc<Vec<Sample>>,
    /// Examples of each digit to collect.
    pub per_digit: usize,
    /// The pad's latest reading (what would be kept).
    pub reading: Option<Reading>,
    /// Keep the pad's digit as this label.
    pub on_keep: Callback<(u8, Vec<u8>)>,
}

/// The prompt and its button.
#[component]
pub fn Collect(props: &CollectProps) -> Html {
    let t = use_texts();
    let counts = counts(&props.samples);
    let Some(digit) = next_digit(&counts, props.per_digit) else {
        return html! {
            <p id="collect-prompt" class="collect-prompt done" data-digit="">
                { fill(t.handwriting.collect_done, &[("per_digit", &props.per_digit)]) }
            </p>
        };
    };
    let round = counts[usize::from(digit)] + 1;
    let on_keep = {
        let (on_keep, reading) = (props.on_keep.clone(), props.reading.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(reading) = &reading {
                on_keep.emit((digit, super::samples::levels(&reading.input)));
            }
        })
    };
    html! {
        <div class="collect">
            <p id="collect-prompt" class="collect-prompt" data-digit={digit.to_string()} aria-live="polite">
                { fill(t.handwriting.collect_prompt, &[("digit", &digit), ("round", &round), ("per_digit", &props.per_digit)]) }
            </p>
            <button id="collect-keep" onclick={on_keep} disabled={props.reading.is_none()}>
                { fill(t.handwriting.collect_keep, &[("digit", &digit)]) }
            </button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_asked_for_round_by_round_and_a_deleted_one_again() {
        let mut counts = [0; NUM_CLASSES];
        let mut asked = Vec::new();
        while let Some(d) = next_digit(&counts, 2) {
            asked.push(d);
            counts[usize::from(d)] += 1;
        }
        assert_eq!(
            asked,
            [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
        );
        counts[7] -= 1;
        assert_eq!(next_digit(&counts, 2), Some(7));
        assert_eq!(next_digit(&[5; NUM_CLASSES], 5), None);
    }
}
