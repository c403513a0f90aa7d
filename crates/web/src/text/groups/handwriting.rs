//! The keys of the handwriting group.

texts! {
    /// Your handwriting: collecting, scoring and fine-tuning on it.
    HandwritingTexts {
    }
}
