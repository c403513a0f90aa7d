//! The playground's trainer, run as a dedicated Web Worker so that training never blocks the page.
//!
//! The page posts [`Command`](inkling_train::Command)s and receives [`Report`]s (see `inkling_train::remote` for the
//! message shapes and for how model files travel beside them). The worker owns everything heavy:
//! the dataset download and decompression ([`data`]), the WebGPU device ([`gpu`]) and the
//! training engine ([`session`]). It is a separate wasm binary, fetched only when a visitor opens
//! training, so that the drawing page stays small.
//!
//! A panic cannot be caught in wasm (the instance traps). The panic hook therefore reports the
//! message first: as [`Report::GpuFailed`] while training on WebGPU (the page restarts the run on
//! the CPU from the last snapshot), else as [`Report::Crashed`] (the page starts a fresh worker
//! from the last snapshot).

pub mod data;
pub mod gpu;
#[allow(unsafe_code)] // `GlobalAlloc` is an unsafe trait; `memory` only forwards to `System`.
pub mod memory;
pub mod messages;
pub mod session;

use inkling_train::{Compute, PanicText, Report};
use std::cell::Cell;

thread_local! {
    /// Where the current run computes, for the panic hook.
    static COMPUTING_ON: Cell<Option<Compute>> = const { Cell::new(None) };
}

/// Records where the current run computes (read by the panic hook).
pub(crate) fn set_computing_on(compute: Option<Compute>) {
    COMPUTING_ON.with(|c| c.set(compute));
}

/// Installs the panic hook, starts listening for commands and runs the trainer loop.
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let panic = PanicText::of(info);
        web_sys::console::error_1(&format!("trainer panic: {panic}").into());
        let report = match COMPUTING_ON.with(Cell::get) {
            Some(Compute::WebGpu) => Report::GpuFailed {
                reason: format!("the GPU computation failed: {}", panic.message),
            },
            _ => Report::Crashed {
                message: format!("the trainer crashed: {panic}"),
            },
        };
        messages::post(&report, None);
    }));
    messages::listen();
    messages::post(&Report::Ready, None);
    wasm_bindgen_futures::spawn_local(session::run());
}
