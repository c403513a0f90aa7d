use crate::text::HandwritingTexts;

pub(super) const HANDWRITING: HandwritingTexts = HandwritingTexts {};
