//! The lessons' texts and settings. Each lesson trains on a few thousand images (a minute or
//! two on the CPU path) so that a class can run every variant in one sitting.

use super::{Lesson, Variant};

/// Every lesson, in the order the page lists them.
pub static LESSONS: &[Lesson] = &[
    Lesson {
        name: "overfitting",
        title: |t| t.overfitting_title,
        explanation: |t| t.overfitting_explanation,
        look_for: |t| t.overfitting_look_for,
        variants: &[
            Variant {
                label: |t| t.overfitting_a,
                settings: &[
                    ("subset", "500"),
                    ("epochs", "30"),
                    ("augment", "off"),
                    ("dropout", "0"),
                    ("wd", "0"),
                    ("eval_every", "32"),
                ],
            },
            Variant {
                label: |t| t.overfitting_b,
                settings: &[
                    ("subset", "500"),
                    ("epochs", "30"),
                    ("augment", "on"),
                    ("dropout", "0.3"),
                    ("wd", "0.05"),
                    ("eval_every", "32"),
                ],
            },
        ],
    },
    Lesson {
        name: "batch-norm",
        title: |t| t.batch_norm_title,
        explanation: |t| t.batch_norm_explanation,
        look_for: |t| t.batch_norm_look_for,
        variants: &[
            Variant {
                label: |t| t.batch_norm_a,
                settings: &[("subset", "4000"), ("bn", "on")],
            },
            Variant {
                label: |t| t.batch_norm_b,
                settings: &[("subset", "4000"), ("bn", "off")],
            },
        ],
    },
    Lesson {
        name: "dilation",
        title: |t| t.dilation_title,
        explanation: |t| t.dilation_explanation,
        look_for: |t| t.dilation_look_for,
        variants: &[
            Variant {
                label: |t| t.dilation_a,
                settings: &[("subset", "4000"), ("dilation", "on")],
            },
            Variant {
                label: |t| t.dilation_b,
                settings: &[("subset", "4000"), ("dilation", "off")],
            },
        ],
    },
    Lesson {
        name: "optimizers",
        title: |t| t.optimizers_title,
        explanation: |t| t.optimizers_explanation,
        look_for: |t| t.optimizers_look_for,
        variants: &[
            Variant {
                label: |t| t.optimizers_a,
                settings: &[("subset", "4000"), ("optimizer", "sgd"), ("lr", "0.05")],
            },
            Variant {
                label: |t| t.optimizers_b,
                settings: &[("subset", "4000"), ("optimizer", "adam"), ("lr", "0.002")],
            },
            Variant {
                label: |t| t.optimizers_c,
                settings: &[
                    ("subset", "4000"),
                    ("optimizer", "adamw"),
                    ("lr", "0.002"),
                    ("wd", "0.01"),
                ],
            },
        ],
    },
    Lesson {
        name: "learning-rate",
        title: |t| t.learning_rate_title,
        explanation: |t| t.learning_rate_explanation,
        look_for: |t| t.learning_rate_look_for,
        variants: &[
            Variant {
                label: |t| t.learning_rate_a,
                settings: &[("subset", "4000"), ("schedule", "constant"), ("lr", "0.5")],
            },
            Variant {
                label: |t| t.learning_rate_b,
                settings: &[
                    ("subset", "4000"),
                    ("schedule", "constant"),
                    ("lr", "0.00002"),
                ],
            },
            Variant {
                label: |t| t.learning_rate_c,
                settings: &[
                    ("subset", "4000"),
                    ("schedule", "constant"),
                    ("lr", "0.002"),
                ],
            },
        ],
    },
    Lesson {
        name: "fine-tuning",
        title: |t| t.fine_tuning_title,
        explanation: |t| t.fine_tuning_explanation,
        look_for: |t| t.fine_tuning_look_for,
        variants: &[
            Variant {
                label: |t| t.fine_tuning_a,
                settings: &[
                    ("dataset", "fashion-mnist"),
                    ("subset", "4000"),
                    ("finetune", "on"),
                    ("layers", "head"),
                ],
            },
            Variant {
                label: |t| t.fine_tuning_b,
                settings: &[
                    ("dataset", "fashion-mnist"),
                    ("subset", "4000"),
                    ("finetune", "on"),
                    ("layers", "all"),
                ],
            },
        ],
    },
    Lesson {
        name: "residual",
        title: |t| t.residual_title,
        explanation: |t| t.residual_explanation,
        look_for: |t| t.residual_look_for,
        variants: &[
            Variant {
                label: |t| t.residual_a,
                settings: &[
                    ("subset", "4000"),
                    ("depth", "4"),
                    ("bn", "off"),
                    ("residual", "off"),
                ],
            },
            Variant {
                label: |t| t.residual_b,
                settings: &[
                    ("subset", "4000"),
                    ("depth", "4"),
                    ("bn", "off"),
                    ("residual", "on"),
                ],
            },
        ],
    },
];
