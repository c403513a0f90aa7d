use crate::text::LibraryTexts;

pub(super) const LIBRARY: LibraryTexts = LibraryTexts {};
