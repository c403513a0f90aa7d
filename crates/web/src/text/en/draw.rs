use crate::text::DrawTexts;

pub(super) const DRAW: DrawTexts = DrawTexts {};
