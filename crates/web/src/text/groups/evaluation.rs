//! The keys of the evaluation group.

texts! {
    /// The evaluation view: confusion matrix, scores and mistakes.
    EvaluationTexts {
    }
}
