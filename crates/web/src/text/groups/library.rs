//! The keys of the library group.

texts! {
    /// The model library.
    LibraryTexts {
        /// The panel's heading, and its `aria-label`.
        your_models,
        /// In place of the list while it is read.
        reading,
        /// In place of the list when the library is empty.
        empty,
        /// Label of the name field of the save form.
        save_label,
        /// The save form's button.
        save_button,
        /// Label of the file picker (the panel is also a drop target).
        upload_label,
        /// A saved model's button: make the pad read with it.
        use_button,
        /// A saved model's button: download its file.
        download_button,
        /// A saved model's button: edit its name; also the button that keeps the new name.
        rename_button,
        /// A saved model's button: delete it; also the button that confirms.
        delete_button,
        /// `aria-label` of the field where a saved model's new name is typed.
        new_name_label,
        /// Button that leaves renaming or deleting.
        cancel_button,
        /// Button that keeps a model instead of deleting it.
        keep_button,
        /// Asked in the row before deleting saved model `{name}`.
        confirm_delete,
        /// A saved model's facts without accuracy: `{size}` in KB, `{saved}` date and time.
        facts,
        /// A saved model's facts: test `{accuracy}` (a number, `%` follows), `{size}` in KB,
        /// `{saved}` date and time.
        facts_with_accuracy,
        /// Notice after the pad's model was saved as `{name}`.
        saved,
        /// Error when saved model `{name}` cannot be loaded; `{error}` is the file format's.
        unusable,
        /// Notice after saved model `{name}` was loaded into the pad.
        now_reads,
        /// Notice after a saved model was renamed to `{name}`.
        renamed,
        /// Notice after saved model `{name}` was deleted.
        deleted,
        /// Error when a download fails; `{error}` is the browser's.
        download_failed,
        /// Notice while `{file}` downloads.
        downloading,
        /// Error when uploaded file `{file}` cannot be read; `{error}` is the browser's.
        file_unreadable,
        /// Error when uploaded file `{file}` is no usable model (before any model is loaded);
        /// `{error}` is the file format's.
        upload_unusable,
        /// Error when uploaded file `{file}` is no usable model; `{error}` is the file
        /// format's, and the pad still reads with `{model}` (how the draw view names a model).
        upload_unusable_kept,
        /// Error when uploaded `{file}` is in the pad but could not be saved; `{error}` is why.
        upload_not_saved,
        /// Notice after uploaded `{file}` went into the pad and the library as `{name}`.
        uploaded,
        /// A saved model's description: `{network}` trained on `{dataset}` for `{steps}` steps.
        describe_what,
        /// Description of a pretrained model: `{what}` (the line above), from `{url}`.
        describe_pretrained,
        /// Description of a model trained in the page: `{what}`, run `{run}`.
        describe_trained,
        /// Description of an uploaded model: `{what}`, from file `{file}`.
        describe_uploaded,
        /// Description of a personal model: `{what}`, fine-tuned on `{digits}` digits.
        describe_personal,
        /// Error when a name to save or rename to is empty.
        name_needed,
        /// Error when a name is longer than `{max}` characters.
        name_too_long,
        /// The library, as errors about reading the browser's storage name it.
        what_library,
        /// Error when model `{name}` cannot be saved; `{error}` is the storage's.
        not_saved,
        /// Error when a saved model's file cannot be read; `{error}` is the storage's.
        model_unreadable,
        /// Error when a saved model's file is gone from the storage.
        file_missing,
        /// A saved model, as errors about renaming it name it.
        what_saved_model,
        /// A saved model, as errors about deleting it name it.
        what_model,
        /// Error when a stored model record cannot be read back.
        broken_record,
    }
}
