use crate::text::EvaluationTexts;

pub(super) const EVALUATION: EvaluationTexts = EvaluationTexts {};
