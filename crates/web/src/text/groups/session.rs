//! The keys of the session group.

texts! {
    /// A training run as it goes: status, controls, fine-tuning, sweeps and the range test.
    SessionTexts {
    }
}
