//! The keys of the session group.

texts! {
    /// A training run as it goes: status, controls, fine-tuning, sweeps and the range test.
    SessionTexts {
        /// The training panel's `aria-label`.
        panel_label,
        /// The training panel's heading.
        heading,

        /// What a fine-tuning run downloads first, named in the page's "could not download
        /// {what} {url}: …" error.
        pretrained_model,
        /// Notice after the person moved the run to another device (Controls' switch);
        /// `{device}` is WebGPU or CPU, `{step}` the step of the weights it goes on from.
        moved_by_request,
        /// Error when the trained model could not be downloaded; `{format}` is one of the
        /// `format_*` texts, `{error}` the browser's or the converter's detail.
        save_failed,
        /// `{format}` of `save_failed`: Inkling's own model file.
        format_inkling,
        /// `{format}` of `save_failed`: SafeTensors with PyTorch's names.
        format_safetensors,

        /// Error when the trainer worker keeps crashing and is not restarted; `{message}` is the
        /// crash's detail, `{count}` how many times it stopped, `{kept}` is `crash_nothing_kept`
        /// or `crash_weights_kept`.
        crash_gave_up,
        /// `{kept}` of `crash_gave_up` when no snapshot was saved yet.
        crash_nothing_kept,
        /// `{kept}` of `crash_gave_up`: the snapshot of step `{step}` is kept.
        crash_weights_kept,
        /// Notice when the trainer worker crashed and a fresh one takes over; `{message}` is the
        /// crash's detail, `{resumed}` is `from_start` or `from_last_snapshot`.
        crash_restarted,
        /// Notice when WebGPU failed and the run moves to the CPU; `{reason}` is the GPU's
        /// detail, `{resumed}` is `from_start` or `from_last_good_weights`.
        gpu_failed,
        /// `{resumed}` of `crash_restarted` and `gpu_failed`: the run starts over.
        from_start,
        /// `{resumed}` of `crash_restarted`: from the snapshot of step `{step}`.
        from_last_snapshot,
        /// `{resumed}` of `gpu_failed`: from the snapshot of step `{step}`.
        from_last_good_weights,

        /// Error when the browser cannot start the trainer worker; `{error}` is the browser's
        /// detail.
        worker_refused,
        /// Crash detail when the trainer worker's script cannot be loaded.
        worker_not_loaded,
        /// Crash detail when the trainer's WebAssembly trapped; `{message}` is the browser's
        /// detail.
        worker_trapped,
        /// Error when a command cannot be posted to the trainer worker; `{error}` is the
        /// browser's detail.
        worker_unreachable,

        /// The run's settings in one line (the model the drawing pad reads with names its run
        /// with it): `{model}` is the network's preset or family name, `{dataset}` and
        /// `{optimizer}` as the form's lists name them (`train.option_*`), `{rate}` the
        /// learning rate, `{batch}` the batch size, `{epochs}` is `summary_one_epoch` or
        /// `summary_epochs`.
        summary,
        /// `{epochs}` of `summary` for a single epoch.
        summary_one_epoch,
        /// `{epochs}` of `summary`: `{n}` epochs.
        summary_epochs,
        /// Added to `summary` when the run trains on the first `{n}` images only.
        summary_subset,
        /// Added to `summary` for a fine-tuning run; `{mode}` is a `mode_*` text.
        summary_from_pretrained,
        /// `{mode}` of `summary_from_pretrained`: every layer trains.
        mode_all,
        /// `{mode}` of `summary_from_pretrained`: only the head trains.
        mode_head,
        /// `{mode}` of `summary_from_pretrained`: only a freshly initialised head trains.
        mode_head_reinit,
        /// `{mode}` of `summary_from_pretrained`: the head first, then every layer.
        mode_gradual,

        /// The range test's button; `{steps}` is how many steps it trains.
        range_test_button,
        /// The hint under the range test's button.
        range_test_hint,
        /// The range test chart's title.
        range_test_chart_title,
        /// The range test chart's x axis.
        range_test_x_label,
        /// The range test chart's legend: the raw loss.
        range_test_loss,
        /// The range test chart's legend: the smoothed loss.
        range_test_smoothed,
        /// The range test's result when the loss never fell.
        range_test_no_fall,
        /// The range test's result, before its button; `{loss}` is the lowest smoothed loss,
        /// `{lowest_rate}` the rate where it was, `{rate}` the suggested peak rate.
        range_test_result,
        /// The button that puts the suggested rate in the form; `{rate}` is that rate.
        range_test_use,

        /// The form's notice when fine-tuning a network the form does not describe;
        /// `{pretrained}` and `{form}` are the two networks described (in English, by the
        /// model crate).
        mismatch,
        /// The model summary's addition when only the head trains; `{head}` is its parameter
        /// count.
        trained_head,
        /// The model summary's addition for gradual unfreezing; `{head}` is the head's parameter
        /// count, `{steps}` the head-only steps.
        trained_gradual,
        /// The fine-tuning check box's label.
        fine_tune_label,
        /// The label of the list of fine-tuning modes.
        layers_label,
        /// The label of the head-only steps (gradual unfreezing).
        unfreeze_after_label,
        /// The label of the base's learning-rate factor (gradual unfreezing).
        base_lr_factor_label,
        /// The button that makes the form describe the pretrained model's network.
        adopt_network,
    }
}
