//! The Inkling playground in the browser. Each feature is a folder of views: [`draw`] (the
//! drawing pad and live recognition with the shared model and preprocessing crates), [`train`]
//! (training a network in the page), [`library`] (the models a person keeps) and [`handwriting`]
//! (teaching the model the person's own hand), [`inside`] (what each layer of the network
//! computes and sees) and [`evaluation`] (where the model goes wrong on the test set). [`app`] is the
//! page that holds what they share and lays them out. Beside them: [`config`] (what the page's
//! URL asks for), [`platform`] (what the browser offers), [`gzip`] (the browser's own
//! compression), [`latest`] (one computation at a time behind the latest request), [`storage`] (the page's IndexedDB
//! database), [`format`](mod@format) (numbers as the page shows them) and [`panic`](mod@panic)
//! (errors shown in the page).
//!
//! The pretrained model is fetched at start-up (not compiled into the wasm), decoded with the
//! same [`inkling_model::ModelFile`] the CLI writes, and run on burn's CPU backend (SIMD128).
//! Training lives in a separate wasm binary (the `inkling-worker` crate) that runs in a Web
//! Worker and is downloaded only when a run starts; [`train`] drives it.

pub mod app;
pub mod config;
pub mod draw;
pub mod embed;
pub mod evaluation;
pub mod format;
pub mod gzip;
pub mod handwriting;
pub mod inside;
pub mod lang;
pub mod latest;
pub mod lessons;
pub mod library;
pub mod panic;
pub mod platform;
pub mod runs;
pub mod storage;
pub mod tabs;
pub mod text;
pub mod train;

/// The training form's settings, also at the path they had before `train` was a folder.
pub use train::settings as train_settings;

/// Id of the element in `index.html` the app is mounted into; the fatal-error box stays outside
/// it so that yew never removes it.
pub const ROOT_ELEMENT_ID: &str = "app";

/// Installs the panic hook and mounts the app.
pub fn start() {
    panic::install_hook();
    match gloo::utils::document().get_element_by_id(ROOT_ELEMENT_ID) {
        Some(root) => {
            yew::Renderer::<app::App>::with_root(root).render();
        }
        None => panic::show_fatal(&format!(
            "the page has no element #{ROOT_ELEMENT_ID} to show the playground in"
        )),
    }
}
