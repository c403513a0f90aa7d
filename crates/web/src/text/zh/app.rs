use crate::text::AppTexts;

pub(super) const APP: AppTexts = AppTexts {
    tagline: "写一个数字，一个小小的神经网络会在你书写时识别它。",
    model_loading: "正在加载模型…",
};
