//! Bounded fuzzing on the stable toolchain: a small seeded mutator that damages real files the
//! way downloads, disks and hostile senders do, and a [`Tally`] that feeds each variant to a
//! decoder, catches panics and checks that every refusal says what was wrong.
//!
//! Everything is driven by [`inkling_data::Rng`], so a seed replays exactly the same inputs on
//! every machine: a failure report names the seed and the input number.

mod mutator;
mod tally;

pub use mutator::*;
pub use tally::*;
