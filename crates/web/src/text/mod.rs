//! Every text the page shows, in one table per language: [`en`] (English) and [`zh`]
//! (Simplified Chinese), each a folder with one file per view. The keys are the fields of
//! [`Texts`] and of its groups, so a table that lacks a key does not compile; the tests below
//! check what the compiler cannot (no empty text, the same `{placeholders}` in both languages,
//! the Chinese written in Chinese).
//!
//! A component reads its texts with [`use_texts`]; code outside components takes a
//! `&'static Texts` from whoever knows the page's language. Texts with values in them are
//! templates with named `{placeholders}`, filled by [`fill`] so that a translation can put the
//! values in its own order. Numbers are formatted before they are filled in.

pub mod en;
pub mod zh;

use crate::lang::Language;
use std::fmt::Display;
use yew::prelude::*;

/// Declares a group of texts: a struct of `&'static str` fields, one per key, whose doc comments
/// say where the text appears and which placeholders it has.
macro_rules! texts {
    ($(#[$meta:meta])* $name:ident { $($(#[$field_meta:meta])* $field:ident,)* }) => {
        $(#[$meta])*
        #[derive(Debug)]
        pub struct $name {
            $($(#[$field_meta])* pub $field: &'static str,)*
        }

        impl $name {
            /// Every key with its text, for the tests that compare the tables.
            #[cfg(test)]
            pub fn entries(&self) -> Vec<(&'static str, &'static str)> {
                vec![$((stringify!($field), self.$field)),*]
            }
        }
    };
}

mod groups;
pub use groups::*;

/// The page's texts in one language: one group per view.
#[derive(Debug)]
pub struct Texts {
    /// The page around the views: header, tabs, footer, errors.
    pub app: AppTexts,
    /// The drawing pad, the reading and "why this digit".
    pub draw: DrawTexts,
    /// The training form and its figures.
    pub train: TrainTexts,
    /// A training run as it goes: status, controls, fine-tuning, sweeps and the range test.
    pub session: SessionTexts,
    /// The runs table.
    pub runs: RunsTexts,
    /// The evaluation view (mistakes).
    pub evaluation: EvaluationTexts,
    /// Inside the network.
    pub inside: InsideTexts,
    /// Your handwriting.
    pub handwriting: HandwritingTexts,
    /// The model library.
    pub library: LibraryTexts,
    /// The lessons: the card's frame and each lesson's texts.
    pub lessons: LessonsTexts,
}

impl Texts {
    /// Every key (`group.key`) with its text.
    #[cfg(test)]
    pub fn entries(&self) -> Vec<(String, &'static str)> {
        let groups: [(&str, Vec<(&'static str, &'static str)>); 10] = [
            ("app", self.app.entries()),
            ("draw", self.draw.entries()),
            ("train", self.train.entries()),
            ("session", self.session.entries()),
            ("runs", self.runs.entries()),
            ("evaluation", self.evaluation.entries()),
            ("inside", self.inside.entries()),
            ("handwriting", self.handwriting.entries()),
            ("library", self.library.entries()),
            ("lessons", self.lessons.entries()),
        ];
        groups
            .into_iter()
            .flat_map(|(group, entries)| {
                entries
                    .into_iter()
                    .map(move |(key, text)| (format!("{group}.{key}"), text))
            })
            .collect()
    }
}

impl Language {
    /// The page's texts in this language.
    pub fn texts(self) -> &'static Texts {
        match self {
            Language::En => &en::EN,
            Language::Zh => &zh::ZH,
        }
    }
}

/// The texts of the page's language, which the app provides as a context (English where no
/// context is, as in a component's unit test).
#[hook]
pub fn use_texts() -> &'static Texts {
    use_context::<Language>().unwrap_or_default().texts()
}

/// `template` with each `{name}` replaced by its value: `fill("{n} images", &[("n", &12)])`.
/// A placeholder without a value is left as it is, so a mistake shows in the page instead of
/// vanishing (the tests check that both languages have the same placeholders).
pub fn fill(template: &str, values: &[(&str, &dyn Display)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (value, close))
        });
        match value {
            Some((value, close)) => {
                out.push_str(&value.to_string());
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The `{placeholders}` of a template, sorted.
#[cfg(test)]
fn placeholders(template: &str) -> Vec<&str> {
    let mut names: Vec<&str> = template
        .split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name))
        .collect();
    names.sort_unstable();
    names
}

/// `template` without its `{placeholders}`.
#[cfg(test)]
fn without_placeholders(template: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some((before, after)) = rest.split_once('{') {
        out.push_str(before);
        rest = after.split_once('}').map_or("", |(_, after)| after);
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_puts_each_value_in_its_place_in_any_order() {
        assert_eq!(
            fill("{n} of {total}", &[("total", &62), ("n", &3)]),
            "3 of 62"
        );
        assert_eq!(
            fill("第 {n} 步，共 {total} 步", &[("n", &3), ("total", &62)]),
            "第 3 步，共 62 步"
        );
        assert_eq!(fill("{missing} stays", &[]), "{missing} stays");
        assert_eq!(fill("no braces", &[("n", &1)]), "no braces");
        assert_eq!(fill("{a}{a}", &[("a", &"x")]), "xx");
    }

    #[test]
    fn both_tables_have_every_key_with_a_text_and_the_same_placeholders() {
        let en = Language::En.texts().entries();
        let zh = Language::Zh.texts().entries();
        assert_eq!(en.len(), zh.len());
        for ((key, en), (_, zh)) in en.iter().zip(&zh) {
            assert!(!en.trim().is_empty(), "{key} is empty in English");
            assert!(!zh.trim().is_empty(), "{key} is empty in Chinese");
            assert_eq!(
                placeholders(en),
                placeholders(zh),
                "{key} has other placeholders in English ({en:?}) than in Chinese ({zh:?})"
            );
        }
    }

    /// Names and units that Chinese pages write as they are (a text made only of them, or of
    /// abbreviations in capitals like CNN, needs no translation).
    const SAME_IN_BOTH: &[&str] = &[
        "Inkling",
        "MNIST",
        "Fashion-MNIST",
        "SGD",
        "Adam",
        "AdamW",
        "CPU",
        "GPU",
        "WebGPU",
        "CSV",
        "JSON",
        "PNG",
        "SafeTensors",
        "PyTorch",
        "ReLU",
        "int8",
        "f32",
        "dsd-s",
        "ms",
        "px",
        "kB",
        "MB",
        "s",
        "×",
        "%",
    ];

    #[test]
    fn the_chinese_table_is_written_in_chinese() {
        let untranslated: Vec<String> = Language::Zh
            .texts()
            .entries()
            .into_iter()
            .filter(|(_, zh)| {
                let has_chinese = zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
                let only_names = without_placeholders(zh)
                    .split(|c: char| !(c.is_alphanumeric() || "-×%".contains(c)))
                    .filter(|word| word.chars().any(char::is_alphabetic))
                    .all(|word| {
                        SAME_IN_BOTH.contains(&word) || word.chars().all(|c| c.is_ascii_uppercase())
                    });
                !has_chinese && !only_names
            })
            .map(|(key, zh)| format!("{key}: {zh:?}"))
            .collect();
        assert!(
            untranslated.is_empty(),
            "Chinese texts without Chinese:\n{}",
            untranslated.join("\n")
        );
    }
}
