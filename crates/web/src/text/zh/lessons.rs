use crate::text::LessonsTexts;

pub(super) const LESSONS: LessonsTexts = LessonsTexts {};
