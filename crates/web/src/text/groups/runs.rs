//! The keys of the runs group.

texts! {
    /// The runs table and its overlay chart.
    RunsTexts {
    }
}
