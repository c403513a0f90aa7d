//! The keys of the train group.

texts! {
    /// The training form, its fields and figures.
    TrainTexts {
        // The run's buttons (`train/controls.rs`).
        /// Button that starts a run.
        start_button,
        /// Button that pauses the run.
        pause_button,
        /// Button that resumes a paused run.
        resume_button,
        /// Button that takes one step of a paused run.
        step_button,
        /// Button that stops the run.
        stop_button,
        /// Button that clears the run.
        reset_button,
        /// Button that moves a run on WebGPU to the CPU.
        move_to_cpu_button,
        /// Button that moves a run on the CPU to WebGPU.
        move_to_webgpu_button,
        /// Button that scores the weights on the whole test set.
        test_button,
        /// Button that downloads the trained weights as Inkling's model file.
        download_model_button,
        /// Button that downloads the trained weights as SafeTensors with PyTorch's names.
        download_safetensors_button,

        // The settings form (`train/form.rs`): legends and field labels.
        /// Legend of the form's network fields.
        model_legend,
        /// Legend of the form's optimiser fields.
        optimisation_legend,
        /// Legend of the form's data fields.
        data_legend,
        /// Label of the dataset list; also the figure naming where the dataset came from.
        dataset_label,
        /// Label of the architecture list.
        architecture_label,
        /// Label of the DSD net's width multiplier.
        width_label,
        /// Label of the DSD net's blocks per stage.
        depth_label,
        /// Label of the DSD net's dilation check box.
        dilation_label,
        /// Label of the DSD net's batch-norm check box.
        batch_norm_label,
        /// Label of the DSD net's residual-shortcut check box.
        residual_label,
        /// Label of the dropout field.
        dropout_label,
        /// Label of the optimiser list.
        optimizer_label,
        /// Label of the learning-rate slider (the rate follows it) and name of the figure of the
        /// latest step's rate.
        learning_rate_label,
        /// Label of the learning-rate schedule list.
        schedule_label,
        /// Label of the batch-size field.
        batch_size_label,
        /// Label of the epochs field.
        epochs_label,
        /// Label of the weight-decay field.
        weight_decay_label,
        /// Label of the rotation check box (data augmentation).
        rotate_label,
        /// Label of the shift check box (data augmentation).
        shift_label,
        /// Label of the scaling check box (data augmentation).
        scale_label,
        /// Label of the field for how many training examples to use.
        subset_label,
        /// Label of the seed field.
        seed_label,
        /// Label of the field for how many steps between validations.
        eval_every_label,
        /// Label of the field for how many examples each validation reads.
        eval_size_label,
        /// Label of the early-stopping patience field.
        patience_label,
        /// Label of the list of where to train (WebGPU or the CPU).
        compute_label,
        /// Under the compute list when WebGPU was chosen but the browser has none.
        no_webgpu_uses_cpu,
        /// Under the network fields: `{params}` the parameter count (with `,` grouping),
        /// `{trained}` what fine-tuning trains of them (empty, or a clause starting with a comma),
        /// `{field}` the receptive field in pixels.
        model_summary,

        // The options of the form's lists, one per option of each name table.
        /// Dataset option: MNIST.
        option_mnist,
        /// Dataset option: Fashion-MNIST.
        option_fashion_mnist,
        /// Architecture option: the DSD net.
        option_dsd,
        /// Architecture option: the plain CNN.
        option_cnn,
        /// Architecture option: the MLP.
        option_mlp,
        /// Optimiser option: AdamW.
        option_adamw,
        /// Optimiser option: Adam.
        option_adam,
        /// Optimiser option: SGD with Nesterov momentum.
        option_sgd,
        /// Schedule option: one-cycle.
        option_one_cycle,
        /// Schedule option: cosine.
        option_cosine,
        /// Schedule option: constant.
        option_constant,
        /// Schedule option: the rate times 0.1 at a third and at two thirds of the run.
        option_step,
        /// Schedule option: the rate times 0.8 per epoch.
        option_exponential,
        /// Compute option: WebGPU.
        option_webgpu,
        /// Compute option: the CPU (WebAssembly).
        option_cpu,
        /// Fine-tuning option: every layer trains.
        option_all_layers,
        /// Fine-tuning option: only the head trains.
        option_head,
        /// Fine-tuning option: a new head trains, alone.
        option_head_reinit,
        /// Fine-tuning option: the head first, then every layer.
        option_gradual,

        // What a field's message calls the value (`{what}` in the messages below).
        /// The dataset (an unknown name in the URL).
        what_dataset,
        /// The architecture (an unknown name in the URL).
        what_architecture,
        /// The optimiser (an unknown name in the URL).
        what_optimizer,
        /// The schedule (an unknown name in the URL).
        what_schedule,
        /// Where to train (an unknown name in the URL).
        what_compute,
        /// The fine-tuning mode (an unknown name in the URL).
        what_fine_tune_mode,
        /// The dropout field's value.
        what_dropout,
        /// The width multiplier's value.
        what_width,
        /// The blocks-per-stage value.
        what_depth,
        /// Gradual fine-tuning's head-only steps.
        what_unfreeze_after,
        /// Gradual fine-tuning's base learning-rate factor.
        what_base_lr_factor,
        /// The learning rate.
        what_learning_rate,
        /// The batch size.
        what_batch_size,
        /// The epochs.
        what_epochs,
        /// The weight decay.
        what_weight_decay,
        /// The number of training examples.
        what_subset,
        /// The seed.
        what_seed,
        /// The steps between validations.
        what_eval_every,
        /// The examples each validation reads.
        what_eval_size,
        /// The early-stopping patience.
        what_patience,

        // A field's message when its value cannot be used (shown under the field).
        /// `{what}` is not a number: `{got}` what was typed.
        not_a_number,
        /// `{what}` is outside `{min}`..`{max}`: `{got}` what was typed.
        number_out_of_range,
        /// `{what}` is not a whole number (it must be from `{min}` to `{max}`): `{got}` what was
        /// typed.
        not_a_whole_number_in_range,
        /// `{what}` is a whole number outside `{min}`..`{max}`: `{got}` the number.
        whole_number_out_of_range,
        /// `{what}` is not a whole number: `{got}` what was typed.
        not_a_whole_number,
        /// A name from the URL that is none of the options: `{what}` what is chosen, `{got}` the
        /// name, `{expected}` the names there are (as the URL writes them).
        unknown_option,

        // "Copy link" (`train/copy_link.rs`).
        /// Button that copies a link to the page with these settings.
        copy_link_button,
        /// Before the link once the clipboard took it (ends with the space before the link, if
        /// the language puts one there).
        link_copied,
        /// Before the link when the clipboard refused it (ends like `link_copied`).
        link_to_copy,

        // The run's figures (`train/figures.rs`).
        /// Figure name: the step.
        step_figure,
        /// The step figure: `{step}` of `{total}` steps, `{epoch}` epochs done (two decimals).
        step_of_total,
        /// Figure name: the speed.
        speed_figure,
        /// The speed figure: `{ms}` milliseconds per step, `{rate}` examples per second.
        speed_value,
        /// After the speed figure while a run goes: `{time}` the time left (`1 min 33 s`).
        time_left,
        /// Figure name: the smoothed training loss.
        training_loss_figure,
        /// The training-loss figure: the `{last}` loss and the `{first}` one.
        loss_since_start,
        /// Figure name: the latest validation accuracy.
        validation_accuracy_figure,
        /// Figure name: the latest test accuracy.
        test_accuracy_figure,
        /// The test-accuracy figure: `{accuracy}` percent on `{images}` test images (`,`
        /// grouping), of the weights of step `{step}`.
        test_accuracy_value,
        /// Figure name: which weights the drawing pad reads with.
        pad_weights_figure,
        /// The drawing pad reads with the weights of step `{step}` of this run.
        pad_weights_of_step,
        /// The drawing pad reads with the pretrained model.
        pad_pretrained,
        /// The dataset figure: every file came from the browser's cache.
        data_from_cache,
        /// The dataset figure: the files were downloaded.
        data_downloaded,
        /// Figure name: the longest gap between animation frames during the run.
        page_stall_figure,
        /// The page-stall figure: `{ms}` milliseconds between frames.
        frame_gap_value,

        // Notices under the status line (`train/figures.rs`).
        /// A run picked up in a new worker at step `{step}`, with the optimiser's moments.
        resumed_with_moments,
        /// A run picked up in a new worker at step `{step}`, the optimiser starting afresh.
        resumed_afresh,
        /// The browser keeps no copy of the dataset: `{reason}` the browser's reason.
        storage_not_kept,
        /// Early stopping ended the run: `{patience}` validations without a better accuracy than
        /// `{accuracy}` percent (two decimals) at step `{best_step}`; it stopped after step
        /// `{step}` and keeps the weights of step `{best_step}`.
        early_stopped,

        // The status line (`train/figures.rs`): `{on}` is one of the three texts below, or
        // empty before a run.
        /// `{on}` when the run is on the CPU.
        on_cpu,
        /// `{on}` when the run is on WebGPU and the GPU's name is unknown.
        on_gpu,
        /// `{on}` when the run is on WebGPU on the GPU `{adapter}` (the browser's name for it).
        on_adapter,
        /// The status line before any run.
        status_idle,
        /// The status line while the dataset downloads: `{file}` the file's name, `{loaded}` and
        /// `{total}` megabytes (one decimal).
        status_loading,
        /// The status line while a run on WebGPU sets up (`{on}` where).
        status_compiling,
        /// The status line while a run on the CPU sets up (`{on}` where).
        status_setting_up,
        /// The status line while the run steps (`{on}` where).
        status_training,
        /// The status line while the run is paused (`{on}` where).
        status_paused,
        /// The status line once the run is done (`{on}` where).
        status_finished,
        /// The status line after an error stopped the run.
        status_stopped,

        // The training curves (`train/figures.rs`) and every chart (`train/chart.rs`).
        /// Title of the training-loss chart.
        loss_chart,
        /// Title of the training-accuracy chart.
        accuracy_chart,
        /// The x axis of the training charts.
        step_axis,
        /// Legend: the raw training curve.
        train_series,
        /// Legend: the smoothed training curve.
        train_smoothed_series,
        /// Legend: the validation points.
        validation_series,
        /// Caption of a chart's hidden table of latest values: `{title}` the chart's title.
        chart_latest_values,
        /// Header of the chart table's column of series names.
        chart_series_column,
        /// Header of the chart table's column of point counts.
        chart_points_column,
    }
}
