//! The keys of the draw group.

texts! {
    /// The drawing pad, the reading, its bars and "why this digit".
    DrawTexts {
    }
}
