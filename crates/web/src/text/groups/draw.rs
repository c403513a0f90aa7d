//! The keys of the draw group.

texts! {
    /// The drawing pad, the reading, its bars and "why this digit".
    DrawTexts {
        /// Beside the prediction: how sure the model is; `{percent}`: a whole number.
        confidence,
        /// Beside the prediction (a dash) while nothing is drawn.
        draw_prompt,
        /// Announced by the live region once the drawing settles; `{class}`: the class read,
        /// `{percent}`: how sure, a whole number.
        announcement,
        /// The probability bars' accessible name (`aria-label`).
        class_probabilities,
        /// Under the 28x28 preview: what it is.
        preview_caption,
        /// Under the 28x28 preview while "why this digit" colours it.
        preview_why,
        /// The checkbox that shows why the model reads the digit as it does.
        why_toggle,
        /// What the colours of "why this digit" mean; `{class}`: the class read, `{points}`:
        /// the largest change of its probability, in percentage points (a whole number).
        why_legend,
        /// The pad's accessible name (`aria-label`).
        pad_label,
        /// The pad's accessible name while it shows a test image; `{name}`: which ("test image
        /// 1234").
        pad_label_shown,
        /// Read by screen readers with the pad: how to draw with the keyboard.
        pad_keys,
        /// The button that takes the last stroke away.
        undo,
        /// The button that clears the pad.
        clear,
        /// Error under the pad: no canvas could be made to rasterise the drawing.
        canvas_create_failed,
        /// Error under the pad: the element made to rasterise the drawing is not a canvas.
        canvas_wrong_element,
        /// Error under the pad: the browser cannot draw in 2D.
        no_2d_canvas,
        /// Error under the pad: the rasterised drawing cannot be read back.
        canvas_unreadable,
        /// `{what}` of `app.download_failed` for the model file.
        the_model,
        /// The footer when the model file was downloaded but cannot be used; `{url}`: its
        /// address, `{error}`: the model file's own message.
        model_unusable,
        /// Running the network failed; `{error}`: burn's message.
        inference_failed,
        /// Reading the network's filters failed; `{error}`: burn's message.
        filters_failed,
        /// Computing the inside view failed; `{error}`: burn's message.
        inside_failed,
        /// Suggested library name of the pretrained model; `{network}`: its preset (`dsd-s`).
        name_pretrained,
        /// Suggested library name of a training run's snapshot; `{network}`: its preset,
        /// `{step}`: the step.
        name_training,
        /// Suggested library name of the model fine-tuned on the person's handwriting.
        name_personal,
        /// Where the model came from (the footer's `{origin}`): the page's pretrained model;
        /// `{url}`: its address.
        origin_pretrained,
        /// Where the model came from: this page's training run; `{step}`: the step, `{run}`:
        /// the run's settings in one line.
        origin_training,
        /// Where the model came from: fine-tuned on the person's handwriting; `{digits}`: how
        /// many of their digits.
        origin_personal,
        /// Where the model came from: the library; `{name}`: its name there.
        origin_library,
        /// Where the model came from: an uploaded file; `{file_name}`: the file's name.
        origin_upload,
        /// Fashion-MNIST class 0, shown as the reading and on its bar.
        class_tshirt,
        /// Fashion-MNIST class 1.
        class_trouser,
        /// Fashion-MNIST class 2.
        class_pullover,
        /// Fashion-MNIST class 3.
        class_dress,
        /// Fashion-MNIST class 4.
        class_coat,
        /// Fashion-MNIST class 5.
        class_sandal,
        /// Fashion-MNIST class 6.
        class_shirt,
        /// Fashion-MNIST class 7.
        class_sneaker,
        /// Fashion-MNIST class 8.
        class_bag,
        /// Fashion-MNIST class 9.
        class_ankle_boot,
    }
}
