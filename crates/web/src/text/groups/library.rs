//! The keys of the library group.

texts! {
    /// The model library.
    LibraryTexts {
    }
}
