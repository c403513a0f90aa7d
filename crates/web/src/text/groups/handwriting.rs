//! The keys of the handwriting group.

texts! {
    /// Your handwriting: collecting, scoring and fine-tuning on it.
    HandwritingTexts {
        /// The panel's `aria-label`.
        panel_label,
        /// The panel's heading.
        heading,
        /// Label of the number field: how many examples of each digit to collect.
        per_digit_label,
        /// The collection prompt (live region): `{digit}` to draw, `{round}` of `{per_digit}`.
        collect_prompt,
        /// The prompt once every digit has `{per_digit}` examples.
        collect_done,
        /// Button that keeps the pad's drawing as digit `{digit}`.
        collect_keep,
        /// Notice after a thumbnail was given the label `{digit}`.
        relabelled,
        /// Notice after a thumbnail was deleted.
        deleted,
        /// Notice while file `{file}` of the IDX pair downloads.
        downloading,
        /// Notice after `{count}` digits were imported from an IDX pair.
        added_digits,
        /// Error when the file picker got other than two files.
        choose_pair,
        /// Before the download buttons: `{count}` digits in the collection; ends with a space
        /// before the first button.
        kept_count,
        /// Button: download the collection's images as an IDX file.
        export_images,
        /// Button: download the collection's labels as an IDX file.
        export_labels,
        /// Label of the file picker that imports an IDX pair (after the download buttons; starts
        /// with a space).
        import_label,
        /// `aria-label` of the grid of thumbnails, saying how to relabel and delete.
        collection_label,
        /// Under the grid, before the Delete button: thumbnail of digit `{digit}` is selected;
        /// ends with a space before the button.
        selected,
        /// Button that deletes the selected thumbnail.
        delete_it,
        /// `aria-label` of a thumbnail of digit `{digit}`.
        thumb_label,
        /// Heading of the fine-tuning part.
        tune_heading,
        /// Label of the replay slider: `{percent}` (a number, `%` follows), `{replayed}` of
        /// `{examples}` examples per epoch.
        replay_label,
        /// Button that starts fine-tuning.
        tune_start,
        /// The start button while fewer than `{min}` digits are collected.
        tune_need_more,
        /// Status line before a run.
        tune_idle,
        /// Status line during a run: the run's `{status}` (from the training view), `{step}`
        /// of `{total}`.
        tune_progress,
        /// Button that makes the pad read with the fine-tuned model.
        use_model,
        /// Caption of the before / after table: `{count}` held-out digits.
        results_caption,
        /// Column header of the table: the model before fine-tuning.
        before,
        /// Column header of the table: the model after fine-tuning.
        after,
        /// Row header: accuracy on all the held-out digits.
        own_row,
        /// Row header of one class: `{digit}`.
        digit_row,
        /// Row header: the MNIST test set, where forgetting shows.
        mnist_row,
        /// A cell of a class's row: `{correct}` of `{total}` held-out digits read correctly.
        score_of,
        /// Error when a download of the IDX pair fails; `{error}` is the browser's.
        download_failed,
        /// Error when chosen file `{file}` cannot be read; `{error}` is the browser's.
        file_unreadable,
        /// Error when `{file}` looks like gzip but is cut short; `{error}` is the browser's.
        not_gzip,
        /// Error when files `{images}` and `{labels}` are not an IDX pair; `{error}` is the
        /// format's own.
        not_idx_pair,
        /// The collection, as errors about reading the browser's storage name it.
        what_digits,
        /// One collected digit, as errors about changing or deleting it name it.
        what_digit,
        /// Error when a digit to add has a label `{label}` above 9 or the wrong size.
        not_a_digit,
        /// Error when the browser's storage refuses a digit; `{error}` is the storage's.
        not_kept,
        /// Error when a stored digit cannot be read back.
        damaged,
    }
}
