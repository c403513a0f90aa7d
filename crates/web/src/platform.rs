//! What the browser offers and what the page's URL asks for.

use crate::train_settings::TrainSettings;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Settings a course page can put in the URL, e.g. `?model=models/mine.inkling&brush=14`.
#[derive(Debug, Clone, PartialEq)]
pub struct UrlConfig {
    /// Model file to load (relative to the page or absolute).
    pub model_url: String,
    /// Brush diameter in CSS pixels.
    pub brush: f64,
    /// Open the training panel at once (`?train`).
    pub train_open: bool,
    /// Initial training settings (`?train&compute=cpu&subset=2000&epochs=3`...).
    pub train: TrainSettings,
}

/// Default model shipped with the site.
pub const DEFAULT_MODEL_URL: &str = "models/dsd-s.inkling";
/// Default brush diameter in CSS pixels on a 280-pixel pad.
pub const DEFAULT_BRUSH: f64 = 18.0;

impl UrlConfig {
    /// Parses a query string (`?a=b&c=d`), ignoring unusable values.
    pub fn from_query(query: &str) -> Self {
        let mut config = Self {
            model_url: DEFAULT_MODEL_URL.to_string(),
            brush: DEFAULT_BRUSH,
            train_open: false,
            train: TrainSettings::default(),
        };
        let Ok(params) = web_sys::UrlSearchParams::new_with_str(query) else {
            return config;
        };
        config.train_open = params.has("train");
        config.train = TrainSettings::from_url(|key| params.get(key));
        if let Some(model) = params.get("model").filter(|m| !m.trim().is_empty()) {
            config.model_url = model;
        }
        if let Some(brush) = params
            .get("brush")
            .and_then(|b| b.parse::<f64>().ok())
            .filter(|b| b.is_finite() && (2.0..=60.0).contains(b))
        {
            config.brush = brush;
        }
        config
    }

    /// The configuration of the current page.
    pub fn current() -> Self {
        let query = web_sys::window()
            .and_then(|w| w.location().search().ok())
            .unwrap_or_default();
        Self::from_query(&query)
    }
}

/// Whether WebGPU can be used here (training uses it; drawing does not need it).
#[derive(Debug, Clone, PartialEq)]
pub enum WebGpuStatus {
    /// Still asking the browser.
    Checking,
    /// An adapter was granted.
    Available,
    /// Why not.
    Unavailable(String),
}

/// Asks the browser for a WebGPU adapter without creating a device.
pub async fn probe_webgpu() -> WebGpuStatus {
    match request_adapter().await {
        Ok(true) => WebGpuStatus::Available,
        Ok(false) => WebGpuStatus::Unavailable("the browser offered no WebGPU adapter".into()),
        Err(reason) => WebGpuStatus::Unavailable(reason),
    }
}

async fn request_adapter() -> Result<bool, String> {
    let window = web_sys::window().ok_or("no window")?;
    let gpu = js_sys::Reflect::get(&window.navigator(), &JsValue::from_str("gpu"))
        .map_err(|_| "navigator.gpu is unreadable".to_string())?;
    if gpu.is_undefined() || gpu.is_null() {
        return Err("this browser has no WebGPU (navigator.gpu is missing)".into());
    }
    let request = js_sys::Reflect::get(&gpu, &JsValue::from_str("requestAdapter"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or("navigator.gpu.requestAdapter is missing")?;
    let promise = request
        .call0(&gpu)
        .map_err(|e| format!("requestAdapter failed: {e:?}"))?
        .dyn_into::<js_sys::Promise>()
        .map_err(|_| "requestAdapter did not return a promise".to_string())?;
    let adapter = JsFuture::from(promise)
        .await
        .map_err(|e| format!("requestAdapter failed: {e:?}"))?;
    Ok(!adapter.is_null() && !adapter.is_undefined())
}

/// Milliseconds from the page's time origin.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Downloads `url` as bytes; errors name `what` and the URL (e.g. "the model models/x.inkling").
pub async fn fetch_bytes(url: &str, what: &str) -> Result<Vec<u8>, String> {
    let failed = |detail: String| format!("could not download {what} {url}: {detail}");
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
