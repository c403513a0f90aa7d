//! What the browser offers: WebGPU (probed without creating a device), the clock, downloads
//! from the site and files offered to the person, and pixels painted on a canvas.

use crate::config::page_texts;
use crate::text::{Texts, fill};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Whether WebGPU can be used here (training uses it; drawing does not need it).
#[derive(Debug, Clone, PartialEq)]
pub enum WebGpuStatus {
    /// Still asking the browser.
    Checking,
    /// An adapter was granted.
    Available,
    /// Why not.
    Unavailable(NoWebGpu),
}

/// Why WebGPU cannot be used here.
#[derive(Debug, Clone, PartialEq)]
pub enum NoWebGpu {
    /// The browser granted no adapter.
    NoAdapter,
    /// The page has no `window`.
    NoWindow,
    /// `navigator.gpu` cannot be read.
    Unreadable,
    /// The browser has no `navigator.gpu`.
    Missing,
    /// `navigator.gpu.requestAdapter` is missing.
    NoRequestAdapter,
    /// Asking for an adapter failed, with the browser's error.
    RequestFailed(String),
    /// `requestAdapter` returned no promise.
    NoPromise,
}

impl NoWebGpu {
    /// The reason in the words of `t`.
    pub fn message(&self, t: &Texts) -> String {
        let t = &t.app;
        match self {
            NoWebGpu::NoAdapter => t.webgpu_no_adapter.to_string(),
            NoWebGpu::NoWindow => t.webgpu_no_window.to_string(),
            NoWebGpu::Unreadable => t.webgpu_unreadable.to_string(),
            NoWebGpu::Missing => t.webgpu_missing.to_string(),
            NoWebGpu::NoRequestAdapter => t.webgpu_no_request_adapter.to_string(),
            NoWebGpu::RequestFailed(error) => fill(t.webgpu_request_failed, &[("error", error)]),
            NoWebGpu::NoPromise => t.webgpu_no_promise.to_string(),
        }
    }
}

/// Paints `rgba` (`width` x `height` pixels, 4 bytes each) on the canvas at `canvas`, at its
/// top left; nothing when the canvas is not mounted.
pub fn put_rgba(canvas: &yew::NodeRef, rgba: &[u8], width: usize, height: usize) {
    let ctx = canvas
        .cast::<web_sys::HtmlCanvasElement>()
        .and_then(|c| c.get_context("2d").ok().flatten())
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok());
    let image = web_sys::ImageData::new_with_u8_clamped_array_and_sh(
        wasm_bindgen::Clamped(rgba),
        width as u32,
        height as u32,
    );
    if let (Some(ctx), Ok(image)) = (ctx, image) {
        let _ = ctx.put_image_data(&image, 0.0, 0.0);
    }
}

/// Asks the browser for a WebGPU adapter without creating a device.
pub async fn probe_webgpu() -> WebGpuStatus {
    match request_adapter().await {
        Ok(true) => WebGpuStatus::Available,
        Ok(false) => WebGpuStatus::Unavailable(NoWebGpu::NoAdapter),
        Err(reason) => WebGpuStatus::Unavailable(reason),
    }
}

async fn request_adapter() -> Result<bool, NoWebGpu> {
    let window = web_sys::window().ok_or(NoWebGpu::NoWindow)?;
    let gpu = js_sys::Reflect::get(&window.navigator(), &JsValue::from_str("gpu"))
        .map_err(|_| NoWebGpu::Unreadable)?;
    if gpu.is_undefined() || gpu.is_null() {
        return Err(NoWebGpu::Missing);
    }
    let request = js_sys::Reflect::get(&gpu, &JsValue::from_str("requestAdapter"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or(NoWebGpu::NoRequestAdapter)?;
    let promise = request
        .call0(&gpu)
        .map_err(|e| NoWebGpu::RequestFailed(format!("{e:?}")))?
        .dyn_into::<js_sys::Promise>()
        .map_err(|_| NoWebGpu::NoPromise)?;
    let adapter = JsFuture::from(promise)
        .await
        .map_err(|e| NoWebGpu::RequestFailed(format!("{e:?}")))?;
    Ok(!adapter.is_null() && !adapter.is_undefined())
}

/// Milliseconds from the page's time origin.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Lets the browser handle input and paint before the caller goes on (a zero timeout): long
/// work in the page runs in short slices with this between them.
pub async fn yield_now() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback(&resolve);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Downloads `url` as bytes; errors, in the page's language, name `what` and the URL (e.g.
/// "the model models/x.inkling").
pub async fn fetch_bytes(url: &str, what: &str) -> Result<Vec<u8>, String> {
    let failed = |detail: String| {
        fill(
            page_texts().app.download_failed,
            &[("what", &what), ("url", &url), ("detail", &detail)],
        )
    };
    let response = gloo_net::http::Request::get(url)
        .send()
        .await
        .map_err(|e| failed(e.to_string()))?;
    if !response.ok() {
        return Err(failed(format!(
            "HTTP {} {}",
            response.status(),
            response.status_text()
        )));
    }
    response.binary().await.map_err(|e| failed(e.to_string()))
}

/// Offers `bytes` as a file download named `name`.
pub fn download(bytes: &[u8], name: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/octet-stream");
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let document = gloo::utils::document();
    let anchor: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    web_sys::Url::revoke_object_url(&url)
}
