//! Closed choices on the command line: flag values come from the shared name tables
//! ([`inkling_data::Choice`]), so `--help` lists exactly the names the page and URLs use.

use clap::builder::{PossibleValuesParser, TypedValueParser};
use inkling_data::Choice;

/// A clap value parser for `T`: lists `T`'s names in `--help` and refuses any other.
pub fn parser<T: Choice + Send + Sync>() -> impl TypedValueParser<Value = T> {
    PossibleValuesParser::new(T::names())
        .map(|name| T::parse(&name).expect("clap accepts only names from the table"))
}
