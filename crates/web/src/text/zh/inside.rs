use crate::text::InsideTexts;

pub(super) const INSIDE: InsideTexts = InsideTexts {};
