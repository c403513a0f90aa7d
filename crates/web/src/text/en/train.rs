use crate::text::TrainTexts;

pub(super) const TRAIN: TrainTexts = TrainTexts {};
