//! Closed choices by name. Every setting with a fixed set of options (dataset, architecture,
//! optimiser, schedule, compute device, fine-tuning mode) has one table, written once next to
//! its type with [`named_choices!`](crate::named_choices): the CLI's flag values, the page's
//! select options and the URL keys all read their names from it, so they cannot disagree.

/// A closed set of options, each with a name (flags, URLs, JSON) and a label (menus).
pub trait Choice: Copy + PartialEq + Sized + 'static {
    /// What is being chosen, for messages ("schedule").
    const WHAT: &'static str;
    /// Every option, in menu order.
    const ALL: &'static [Self];

    /// The name typed on the command line and in URLs.
    fn name(self) -> &'static str;

    /// How a menu shows the option.
    fn menu_label(self) -> &'static str;

    /// Every name, in menu order.
    fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|c| c.name()).collect()
    }

    /// The option called `name` (exact match).
    fn parse(name: &str) -> Result<Self, UnknownChoice> {
        Self::ALL
            .iter()
            .copied()
            .find(|c| c.name() == name)
            .ok_or_else(|| UnknownChoice {
                what: Self::WHAT,
                got: name.chars().take(40).collect(),
                expected: Self::names().join(", "),
            })
    }
}

/// A name that is not in a choice's table.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} \"{got}\" (expected one of: {expected})")]
pub struct UnknownChoice {
    /// What was being chosen.
    pub what: &'static str,
    /// The name given (at most 40 characters of it).
    pub got: String,
    /// The names that exist.
    pub expected: String,
}

/// Writes the name table of a fieldless enum: implements [`Choice`], `FromStr` and `Display`
/// (which print and parse the name).
///
/// ```
/// #[derive(Debug, Clone, Copy, PartialEq)]
/// enum Fruit { Apple, Pear }
/// inkling_data::named_choices!(Fruit, "fruit", [
///     Fruit::Apple => ("apple", "An apple"),
///     Fruit::Pear => ("pear", "A pear"),
/// ]);
/// assert_eq!("pear".parse::<Fruit>().unwrap(), Fruit::Pear);
/// assert_eq!(Fruit::Apple.to_string(), "apple");
/// ```
#[macro_export]
macro_rules! named_choices {
    ($ty:ty, $what:literal, [$($variant:path => ($name:literal, $label:literal)),+ $(,)?]) => {
        impl $crate::Choice for $ty {
            const WHAT: &'static str = $what;
            const ALL: &'static [Self] = &[$($variant),+];
            fn name(self) -> &'static str {
                match self { $($variant => $name),+ }
            }
            fn menu_label(self) -> &'static str {
                match self { $($variant => $label),+ }
            }
        }
        impl ::std::str::FromStr for $ty {
            type Err = $crate::UnknownChoice;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                <$ty as $crate::Choice>::parse(s)
            }
        }
        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str($crate::Choice::name(*self))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Colour {
        Red,
        DeepBlue,
    }
    crate::named_choices!(Colour, "colour", [
        Colour::Red => ("red", "Red"),
        Colour::DeepBlue => ("deep-blue", "Deep blue"),
    ]);

    #[test]
    fn every_name_parses_back_to_its_option() {
        for c in Colour::ALL {
            assert_eq!(c.to_string().parse::<Colour>().unwrap(), *c);
        }
        assert_eq!(Colour::names(), ["red", "deep-blue"]);
    }

    #[test]
    fn an_unknown_name_is_refused_with_the_names_that_exist() {
        let e = "Red".parse::<Colour>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown colour \"Red\" (expected one of: red, deep-blue)"
        );
        let long = "x".repeat(10_000);
        assert_eq!(long.parse::<Colour>().unwrap_err().got.len(), 40);
    }
}
