//! The worker's allocator: the system one, except that an allocation the browser refuses is
//! reported to the page before the worker stops. Without it, running out of memory traps with
//! only "unreachable" (Rust's allocation-failure handler aborts and runs no panic hook), and
//! nobody learns how much was asked for or how much was already in use. A refusal that the
//! caller would have survived (a fallible `try_reserve`) is reported too: when the browser
//! refuses memory, a fresh worker from the last snapshot is the safer way on.

use inkling_train::Report;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// The system allocator, reporting a refused allocation.
pub struct ReportingAlloc;

thread_local! {
    /// Set while a refusal is reported: the report allocates too, and a refusal inside it must
    /// not report again.
    static REPORTING: Cell<bool> = const { Cell::new(false) };
}

// SAFETY: every call is passed unchanged to `System`; only a null result is acted on.
unsafe impl GlobalAlloc for ReportingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `alloc`'s contract, which `System.alloc` shares.
        refused_if_null(unsafe { System.alloc(layout) }, layout.size())
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        refused_if_null(unsafe { System.alloc_zeroed(layout) }, layout.size())
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller upholds `realloc`'s contract, which `System.realloc` shares.
        refused_if_null(unsafe { System.realloc(ptr, layout, new_size) }, new_size)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System` (every allocation above does), with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// Reports a refused allocation of `bytes` (when `ptr` is null) and returns `ptr` unchanged:
/// Rust then stops the worker as it would without this allocator.
fn refused_if_null(ptr: *mut u8, bytes: usize) -> *mut u8 {
    if ptr.is_null() && !REPORTING.with(|r| r.replace(true)) {
        let message = format!(
            "it ran out of memory: the browser refused {} more with {} already in use",
            mebibytes(bytes),
            mebibytes(memory_in_use_bytes()),
        );
        web_sys::console::error_1(&message.as_str().into());
        crate::messages::post(&Report::Crashed { message }, None);
    }
    ptr
}

/// The size of the worker's WebAssembly memory (it only grows).
fn memory_in_use_bytes() -> usize {
    #[cfg(target_arch = "wasm32")]
    {
        core::arch::wasm32::memory_size::<0>() * 65_536
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0
    }
}

/// `bytes` in MiB, one decimal.
fn mebibytes(bytes: usize) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}
