use crate::text::RunsTexts;

pub(super) const RUNS: RunsTexts = RunsTexts {};
