//! The keys of the train group.

texts! {
    /// The training form, its fields and figures.
    TrainTexts {
    }
}
