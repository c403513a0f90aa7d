//! Entry point of the playground's wasm binary (built by trunk).

fn main() {
    inkling_web::start();
}
