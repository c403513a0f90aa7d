//! The keys of the lessons group.

texts! {
    /// The lessons: their frame and each lesson's texts.
    LessonsTexts {
    }
}
