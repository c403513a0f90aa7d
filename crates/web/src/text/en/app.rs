use crate::text::AppTexts;

pub(super) const APP: AppTexts = AppTexts {
    tagline: "Draw a digit. A tiny neural network reads it as you draw.",
    model_loading: "Loading the model…",
};
