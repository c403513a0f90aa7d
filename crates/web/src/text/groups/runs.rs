//! The keys of the runs group.

texts! {
    /// The runs table and its overlay chart.
    RunsTexts {
        /// The runs section's heading, also its `aria-label`.
        heading,
        /// Under the heading while no run is kept.
        empty_hint,
        /// The checkbox that shows every setting column (a space is put before it).
        all_settings,
        /// The button that downloads the table as CSV.
        export_csv,
        /// The button that forgets every kept run.
        forget_all,
        /// Notice when the CSV download failed; `{error}`: the browser's error.
        export_failed,
        /// Notice when kept runs could not be read; `{count}`: how many.
        unreadable,
        /// Names the kept runs in storage errors (`{what} cannot be read: …`).
        stored_runs,
        /// Names one kept run in storage errors (`{what} could not be deleted: …`).
        stored_run,
        /// Notice when a finished run could not be stored; `{error}`: the storage's error.
        keep_failed,
        /// Notice when the browser gave a stored run a key that is not a number.
        numbered_oddly,
        /// Notice when the runs could not be deleted; `{error}`: the storage's error.
        clear_failed,
        /// A run's name in the table and the charts' legend; `{id}`: its number.
        run_name,
        /// `aria-label` of a row's checkbox; `{run}`: the run's name.
        show_on_charts,
        /// `aria-label` of a row's × button; `{run}`: the run's name.
        forget_run,
        /// Hidden header of the checkbox column.
        on_the_charts_column,
        /// Header of the runs' names column.
        run_column,
        /// Header of the column of where a run trained (CPU, WebGPU).
        device_column,
        /// Header of the steps column.
        steps_column,
        /// Header of the training time column.
        time_column,
        /// Header of the parameter count column.
        parameters_column,
        /// Header of the last validation accuracy column.
        validation_column,
        /// Header of the test accuracy column.
        test_column,
        /// Hidden header of the × buttons' column.
        forget_column,
        /// Setting column: the dataset.
        setting_dataset,
        /// Setting column: the network's shape.
        setting_network,
        /// Setting column: dilation on or off.
        setting_dilation,
        /// Setting column: batch normalisation on or off.
        setting_batch_norm,
        /// Setting column: residual connections on or off.
        setting_residual,
        /// Setting column: the dropout probability.
        setting_dropout,
        /// Setting column: fresh or pretrained weights.
        setting_start,
        /// Setting column: the optimiser.
        setting_optimiser,
        /// Setting column: the learning rate.
        setting_learning_rate,
        /// Setting column: the learning-rate schedule.
        setting_schedule,
        /// Setting column: the weight decay.
        setting_weight_decay,
        /// Setting column: the batch size.
        setting_batch_size,
        /// Setting column: the number of epochs.
        setting_epochs,
        /// Setting column: how many training images were used.
        setting_training_images,
        /// Setting column: the data augmentation.
        setting_augmentation,
        /// Setting column: the label smoothing.
        setting_label_smoothing,
        /// Setting column: the gradient clipping norm.
        setting_gradient_clip,
        /// Setting column: the random seed.
        setting_seed,
        /// A setting's value: turned on.
        value_on,
        /// A setting's value: turned off.
        value_off,
        /// A setting's value: the network has no such part.
        value_none,
        /// Training images value: the whole training set.
        value_all,
        /// Start value: trained from freshly initialised weights.
        value_fresh_weights,
        /// Start value: fine-tuned from the trained model; `{mode}`: the fine-tuning mode.
        value_pretrained,
        /// Network value of a DSD net; `{stem}`: the stem's channels, `{blocks}`: each block's.
        value_network_dsd,
        /// Network value of a CNN; `{convolutions}`: each convolution's channels, `{hidden}`:
        /// the hidden layer's width.
        value_network_cnn,
        /// Network value of an MLP; `{hidden}`: each hidden layer's width.
        value_network_mlp,
        /// Schedule value with warm-up; `{schedule}`: the schedule's shape, `{steps}`: the
        /// warm-up steps.
        value_warmup,
        /// Schedule shape: one-cycle.
        schedule_one_cycle,
        /// Schedule shape: cosine.
        schedule_cosine,
        /// Schedule shape: constant.
        schedule_constant,
        /// Schedule shape: step decay.
        schedule_step,
        /// Schedule shape: exponential decay.
        schedule_exponential,
        /// Augmentation value: random rotation.
        augment_rotate,
        /// Augmentation value: random shift.
        augment_shift,
        /// Augmentation value: random scaling.
        augment_scale,
        /// Title of the validation accuracy overlay chart.
        accuracy_chart,
        /// Title of the validation loss overlay chart.
        loss_chart,
        /// The overlay charts' horizontal axis.
        step_axis,
        /// The sweep form's `<summary>`.
        sweep_summary,
        /// Under the sweep form's summary.
        sweep_hint,
        /// Sweep field: the learning rates to try.
        sweep_learning_rates,
        /// Sweep field: the batch sizes to try.
        sweep_batch_sizes,
        /// Sweep field: the weight decays to try.
        sweep_weight_decays,
        /// Sweep field: the dropouts to try.
        sweep_dropouts,
        /// Sweep field: the steps each run gets.
        sweep_steps,
        /// Sweep checkbox: random search instead of the grid (a space is put before it).
        sweep_random,
        /// Sweep field: how many random runs to draw.
        sweep_runs,
        /// The button that starts a sweep.
        sweep_start,
        /// The sweep's progress; `{done}` and `{total}`: runs.
        sweep_progress,
        /// The button that stops a sweep after the run in progress.
        sweep_stop,
        /// Sweep error: a list holds something else than numbers; `{what}`: the list (as
        /// named below), `{value}`: what was typed.
        sweep_not_a_number,
        /// Names the learning rates in `sweep_not_a_number`.
        sweep_list_learning_rates,
        /// Names the batch sizes in `sweep_not_a_number`.
        sweep_list_batch_sizes,
        /// Names the weight decays in `sweep_not_a_number`.
        sweep_list_weight_decays,
        /// Names the dropouts in `sweep_not_a_number`.
        sweep_list_dropouts,
        /// Sweep error: a batch size is over the page's limit; `{max}`: the limit, `{value}`:
        /// the batch size asked for.
        sweep_batch_too_large,
        /// Sweep error: the steps per run are out of range.
        sweep_steps_invalid,
        /// Sweep error: random search without the number of runs.
        sweep_runs_missing,
    }
}
