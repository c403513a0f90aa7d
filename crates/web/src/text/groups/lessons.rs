//! The keys of the lessons group.

texts! {
    /// The lessons: the lesson card's frame, and each lesson's title, explanation, what to
    /// look for and the labels of its runs (keys named after the lesson's `?preset=` name).
    LessonsTexts {
        /// The lesson picker's label.
        lesson_label,
        /// The lesson picker's first option, for no lesson.
        no_lesson,
        /// In bold before a lesson's `look_for` text (ends with a space in English).
        look_for_label,
        /// Above a lesson's run buttons.
        set_up_hint,
        /// Under the lesson picker when `?preset=` names no lesson: `{name}` is what the URL
        /// gave, `{lessons}` the lessons' names (as the URL writes them) joined by ", ".
        unknown_lesson,
        /// The "overfitting" lesson's title (its picker option and the card's heading).
        overfitting_title,
        /// The "overfitting" lesson: what its runs show and why, under the heading.
        overfitting_explanation,
        /// The "overfitting" lesson: what to look at in the page, after "Look for: ".
        overfitting_look_for,
        /// The "overfitting" lesson's run A: its button's label.
        overfitting_a,
        /// The "overfitting" lesson's run B: its button's label.
        overfitting_b,
        /// The "batch-norm" lesson's title (its picker option and the card's heading).
        batch_norm_title,
        /// The "batch-norm" lesson: what its runs show and why, under the heading.
        batch_norm_explanation,
        /// The "batch-norm" lesson: what to look at in the page, after "Look for: ".
        batch_norm_look_for,
        /// The "batch-norm" lesson's run A: its button's label.
        batch_norm_a,
        /// The "batch-norm" lesson's run B: its button's label.
        batch_norm_b,
        /// The "dilation" lesson's title (its picker option and the card's heading).
        dilation_title,
        /// The "dilation" lesson: what its runs show and why, under the heading.
        dilation_explanation,
        /// The "dilation" lesson: what to look at in the page, after "Look for: ".
        dilation_look_for,
        /// The "dilation" lesson's run A: its button's label.
        dilation_a,
        /// The "dilation" lesson's run B: its button's label.
        dilation_b,
        /// The "optimizers" lesson's title (its picker option and the card's heading).
        optimizers_title,
        /// The "optimizers" lesson: what its runs show and why, under the heading.
        optimizers_explanation,
        /// The "optimizers" lesson: what to look at in the page, after "Look for: ".
        optimizers_look_for,
        /// The "optimizers" lesson's run A: its button's label.
        optimizers_a,
        /// The "optimizers" lesson's run B: its button's label.
        optimizers_b,
        /// The "optimizers" lesson's run C: its button's label.
        optimizers_c,
        /// The "learning-rate" lesson's title (its picker option and the card's heading).
        learning_rate_title,
        /// The "learning-rate" lesson: what its runs show and why, under the heading.
        learning_rate_explanation,
        /// The "learning-rate" lesson: what to look at in the page, after "Look for: ".
        learning_rate_look_for,
        /// The "learning-rate" lesson's run A: its button's label.
        learning_rate_a,
        /// The "learning-rate" lesson's run B: its button's label.
        learning_rate_b,
        /// The "learning-rate" lesson's run C: its button's label.
        learning_rate_c,
        /// The "fine-tuning" lesson's title (its picker option and the card's heading).
        fine_tuning_title,
        /// The "fine-tuning" lesson: what its runs show and why, under the heading.
        fine_tuning_explanation,
        /// The "fine-tuning" lesson: what to look at in the page, after "Look for: ".
        fine_tuning_look_for,
        /// The "fine-tuning" lesson's run A: its button's label.
        fine_tuning_a,
        /// The "fine-tuning" lesson's run B: its button's label.
        fine_tuning_b,
        /// The "residual" lesson's title (its picker option and the card's heading).
        residual_title,
        /// The "residual" lesson: what its runs show and why, under the heading.
        residual_explanation,
        /// The "residual" lesson: what to look at in the page, after "Look for: ".
        residual_look_for,
        /// The "residual" lesson's run A: its button's label.
        residual_a,
        /// The "residual" lesson's run B: its button's label.
        residual_b,
    }
}
