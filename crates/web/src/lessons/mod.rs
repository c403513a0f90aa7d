//! Lessons: prepared runs for the topics Inkling teaches, each two or three variants of one
//! run that differ in the setting the lesson is about, with what to look for (their texts are
//! the `lessons` group of the text tables, [`crate::text`]). `?preset=<name>` opens the
//! training panel with a lesson's first variant; the card ([`card::LessonCard`]) sets the form
//! to any variant, and the runs table then shows the runs side by side with the difference
//! highlighted.

pub mod card;
mod table;

use crate::lang::Language;
use crate::text::{LessonsTexts, Texts, fill};
use crate::train::settings::TrainSettings;
pub use table::LESSONS;

/// One of a lesson's texts: its key in the `lessons` group of the text tables.
pub type LessonText = fn(&LessonsTexts) -> &'static str;

/// One lesson.
#[derive(Debug)]
pub struct Lesson {
    /// Its name in `?preset=`.
    pub name: &'static str,
    /// Its title.
    pub title: LessonText,
    /// What the runs show and why, in two to four sentences.
    pub explanation: LessonText,
    /// What to look at in the page.
    pub look_for: LessonText,
    /// The runs to compare, in order.
    pub variants: &'static [Variant],
}

/// Lessons are equal when they are the same lesson (each name is in the table once).
impl PartialEq for Lesson {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

/// One run of a lesson: URL parameters over the defaults.
#[derive(Debug)]
pub struct Variant {
    /// Its button's label.
    pub label: LessonText,
    /// The settings, as URL keys and values.
    pub settings: &'static [(&'static str, &'static str)],
}

/// A `?preset=` that names no lesson.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLesson(pub String);

impl UnknownLesson {
    /// What the page says under the lesson picker, in the language of `t`.
    pub fn message(&self, t: &Texts) -> String {
        let names: Vec<&str> = LESSONS.iter().map(|l| l.name).collect();
        fill(
            t.lessons.unknown_lesson,
            &[("name", &self.0), ("lessons", &names.join(", "))],
        )
    }
}

/// The message in English (for the console).
impl std::fmt::Display for UnknownLesson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Language::En.texts()))
    }
}

impl Lesson {
    /// The lesson `?preset=` names.
    pub fn find(name: &str) -> Result<&'static Lesson, UnknownLesson> {
        let name = name.trim();
        LESSONS
            .iter()
            .find(|l| l.name == name)
            .ok_or_else(|| UnknownLesson(name.chars().take(40).collect()))
    }
}

impl Variant {
    /// The default settings with this variant's on top.
    pub fn settings(&self) -> TrainSettings {
        let mut settings = TrainSettings::default();
        self.apply(&mut settings);
        settings
    }

    /// Sets this variant's fields, leaving the others (where to train, say) as they are.
    pub fn apply(&self, settings: &mut TrainSettings) {
        for &(key, value) in self.settings {
            let known = settings.set(key, value.to_string());
            debug_assert!(known, "lesson key {key}");
        }
    }
}

#[cfg(test)]
mod tests;
