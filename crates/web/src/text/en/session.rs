use crate::text::SessionTexts;

pub(super) const SESSION: SessionTexts = SessionTexts {
    panel_label: "Training",
    heading: "Train a network in your browser",

    pretrained_model: "the pretrained model",
    moved_by_request: "Moved to {device} by request, from the weights of step {step}.",
    save_failed: "the {format} could not be saved: {error}",
    format_inkling: "Inkling model file",
    format_safetensors: "SafeTensors with PyTorch's names",

    crash_gave_up: "The trainer stopped: {message}. It stopped {count} times without progress, \
        so it is not restarted again; {kept}.",
    crash_nothing_kept: "no weights were saved yet",
    crash_weights_kept: "the weights of step {step} are kept (download them or start again)",
    crash_restarted: "The trainer stopped: {message}. A fresh one goes on {resumed}.",
    gpu_failed: "WebGPU could not be used: {reason}. Training continues on the CPU {resumed}.",
    from_start: "from the start",
    from_last_snapshot: "from the last snapshot (step {step})",
    from_last_good_weights: "from the last good weights (step {step})",

    worker_refused: "the browser refused to start the trainer: {error}",
    worker_not_loaded: "the trainer could not be loaded (is the site complete?)",
    worker_trapped: "its WebAssembly stopped ({message}), perhaps for lack of memory",
    worker_unreachable: "could not reach the trainer: {error}",

    summary: "{model} on {dataset}, {optimizer}, learning rate {rate}, batch {batch}, {epochs}",
    summary_one_epoch: "1 epoch",
    summary_epochs: "{n} epochs",
    summary_subset: " on {n} images",
    summary_from_pretrained: ", from the pretrained model ({mode})",
    mode_all: "all",
    mode_head: "head",
    mode_head_reinit: "head-reinit",
    mode_gradual: "gradual",

    range_test_button: "Find a learning rate (range test, {steps} steps)",
    range_test_hint: "Trains the network above while the rate grows from 1e-6 to 10; a good \
        peak rate is about a tenth of where the loss is lowest.",
    range_test_chart_title: "Loss against the learning rate",
    range_test_x_label: "learning rate",
    range_test_loss: "loss",
    range_test_smoothed: "smoothed",
    range_test_no_fall: "The loss never fell: the network did not learn at any rate tried. \
        Check the other settings (a huge weight decay?).",
    range_test_result: "Lowest smoothed loss {loss} at rate {lowest_rate}: suggested peak rate \
        {rate}. ",
    range_test_use: "Use {rate}",

    mismatch: "The pretrained model is {pretrained}. The form describes {form}. Fine-tuning \
        needs the same network.",
    trained_head: ", {head} of them train (the head)",
    trained_gradual: ", {head} train for {steps} steps, then all",
    fine_tune_label: "Start from the pretrained model (fine-tune)",
    layers_label: "Layers that train",
    unfreeze_after_label: "Head-only steps",
    base_lr_factor_label: "Base learning-rate factor",
    adopt_network: "Use the pretrained model's network",
};
