//! The keys of the inside group.

texts! {
    /// Inside the network: maps, filters, logits and receptive fields.
    InsideTexts {
    }
}
