//! The Inkling playground in the browser: a drawing pad, live recognition with the shared model
//! and preprocessing crates, and error reporting in the page.
//!
//! The pretrained model is fetched at start-up (not compiled into the wasm), decoded with the
//! same [`inkling_model::ModelFile`] the CLI writes, and run on burn's CPU backend (SIMD128).

pub mod app;
pub mod bars;
pub mod classifier;
pub mod pad;
pub mod panic;
pub mod platform;
pub mod preview;

/// Installs the panic hook and mounts the app on `<body>`.
pub fn start() {
    panic::install_hook();
    yew::Renderer::<app::App>::new().render();
}
