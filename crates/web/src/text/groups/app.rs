//! The keys of the app group.

texts! {
    /// The page around the views: header, tabs, footer, model state and errors.
    AppTexts {
        /// Under the page's title.
        tagline,
        /// The footer while the model loads.
        model_loading,
    }
}
