//! Entry point of the trainer's wasm binary (built by trunk as a Web Worker).

/// Reports an allocation the browser refuses before the worker stops (see `memory`).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: inkling_worker::memory::ReportingAlloc = inkling_worker::memory::ReportingAlloc;

fn main() {
    inkling_worker::start();
}
