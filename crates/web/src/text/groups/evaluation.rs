//! The keys of the evaluation group.

texts! {
    /// The evaluation view: confusion matrix, scores and mistakes.
    EvaluationTexts {
        /// The view's heading.
        heading,
        /// The view's `aria-label`.
        section_label,
        /// While the test set downloads.
        getting_test_set,
        /// While the page reads the test set; `{done}` and `{total}`: images.
        reading_test_set,
        /// When the pad reads with a training run's weights that were not tested yet ("Test"
        /// is the training panel's button).
        waiting_for_test,
        /// What was evaluated; `{source}`: the model, as `source_training_run` or the model's
        /// origin.
        model_source,
        /// The evaluated model when it is this page's training run; `{step}`: its step.
        source_training_run,
        /// Error: the answers do not match the test set; `{answers}` and `{images}`: counts.
        answers_mismatch,
        /// Names the test set in download errors (`could not download {what} {url}: …`).
        test_set_what,
        /// Error: the test set's files do not parse; `{dataset}`: the dataset's name,
        /// `{error}`: the details.
        test_files_unusable,
        /// Error: a test set file is cut short; `{url}`: the file, `{error}`: the details.
        not_gzip,
        /// The name of a test image put on the pad; `{index}`: its index in the test set.
        test_image_name,
        /// The checkbox that shows the matrix's rows as percentages (a space is put before it).
        show_percentages,
        /// When no cell of the matrix is picked.
        cell_hint,
        /// Heading of the most confident mistakes.
        mistakes_heading,
        /// Heading of a cell's images; `{count}`: how many, `{actual}` and `{read}`: classes.
        cell_heading,
        /// As `cell_heading` when only the first `{shown}` are shown.
        cell_heading_cut,
        /// Caption of the confusion matrix showing counts.
        matrix_caption,
        /// Caption of the confusion matrix showing each row's percentages.
        matrix_caption_percent,
        /// The matrix's corner: rows actual, columns read.
        matrix_corner,
        /// `aria-label` of a matrix cell; `{count}`: images, `{actual}` and `{read}`: classes.
        cell_label,
        /// `aria-label` of a test image's thumbnail; `{index}`: its index, `{actual}` and
        /// `{read}`: classes, `{confidence}`: the model's confidence (`97 %`).
        thumb_label,
        /// `title` of a test image's thumbnail; `{actual}` and `{read}`: classes.
        thumb_title,
        /// The accuracy line; `{accuracy}`: percent with 2 decimals, `{correct}` and `{total}`:
        /// images, `{f1}`: the macro F1.
        accuracy_line,
        /// Caption of the per-class scores.
        scores_caption,
        /// Scores column: the class.
        class_column,
        /// Scores column: precision.
        precision_column,
        /// Scores column: recall.
        recall_column,
        /// Scores column: F1.
        f1_column,
        /// Scores column: the class's number of test images.
        images_column,
    }
}
