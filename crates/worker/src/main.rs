//! Entry point of the trainer's wasm binary (built by trunk as a Web Worker).

fn main() {
    inkling_worker::start();
}
