use crate::text::SessionTexts;

pub(super) const SESSION: SessionTexts = SessionTexts {};
