//! gzip through the browser's own `CompressionStream` and `DecompressionStream`, so no gzip code
//! is in the page's download (the handwriting files, the test set of the evaluation view).

use crate::config::page_texts;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// The browser's gzip (de)compressor: a `{ readable, writable }` pair. web-sys still marks
    /// these unstable; every current browser has them.
    #[wasm_bindgen(js_name = CompressionStream)]
    type GzipStream;
    #[wasm_bindgen(constructor, js_class = "CompressionStream", catch)]
    fn compress(format: &str) -> Result<GzipStream, JsValue>;
    #[wasm_bindgen(constructor, js_class = "DecompressionStream", catch)]
    fn decompress(format: &str) -> Result<GzipStream, JsValue>;
}

/// Compresses `bytes` to a gzip file.
pub async fn compress(bytes: &[u8]) -> Result<Vec<u8>, String> {
    through(bytes, GzipStream::compress("gzip")).await
}

/// Decompresses a whole gzip file.
pub async fn decompress(bytes: &[u8]) -> Result<Vec<u8>, String> {
    through(bytes, GzipStream::decompress("gzip")).await
}

/// Streams `bytes` through a gzip compressor or decompressor.
async fn through(bytes: &[u8], stream: Result<GzipStream, JsValue>) -> Result<Vec<u8>, String> {
    let failed = |e: JsValue| e.as_string().unwrap_or_else(|| format!("{e:?}"));
    let stream = stream.map_err(|_| page_texts().app.no_compression_stream.to_string())?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).map_err(failed)?;
    let piped = blob
        .stream()
        .pipe_through(stream.unchecked_ref::<web_sys::ReadableWritablePair>());
    let response = web_sys::Response::new_with_opt_readable_stream(Some(&piped)).map_err(failed)?;
    let buffer = JsFuture::from(response.array_buffer().map_err(failed)?)
        .await
        .map_err(failed)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
