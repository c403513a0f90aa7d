//! The datasets, as the site serves them: gzip IDX files under `data/<dataset>/` (trunk copies
//! them there at build time from the verified data directory). Downloads report their progress,
//! and every file is kept in the browser's Cache Storage so that a reload does not fetch again.
//! A file that does not decode (corrupt or truncated) is dropped from the cache, so the next try
//! downloads it afresh. When the browser keeps nothing (no Cache Storage on an insecure origin,
//! or a `put` refused, e.g. over quota), the page is told once per load ([`Report::StorageUnavailable`]) and
//! the files are simply downloaded.

use crate::messages::{post, scope};
use inkling_data::{Dataset, DatasetKind, Split};
use inkling_train::Report;
use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Cache, ReadableStreamDefaultReader, Response};

/// Name of the Cache Storage bucket; bump it when the served files change.
pub const CACHE_NAME: &str = "inkling-data-v1";

/// Download progress is reported at most once per this many bytes.
const PROGRESS_EVERY: u64 = 256 * 1024;

/// Loads the training and test splits of `kind` from the site (or the browser's cache), opening
/// the cache once.
pub async fn load(kind: DatasetKind) -> Result<(Dataset, Dataset), String> {
    let cache = match open_cache().await {
        Ok(cache) => Some(cache),
        Err(reason) => {
            post(&Report::StorageUnavailable { reason }, None);
            None
        }
    };
    let train = load_split(kind, Split::Train, cache.as_ref()).await?;
    let test = load_split(kind, Split::Test, cache.as_ref()).await?;
    Ok((train, test))
}

/// Loads one split; unusable files are dropped from `cache`.
async fn load_split(
    kind: DatasetKind,
    split: Split,
    cache: Option<&Cache>,
) -> Result<Dataset, String> {
    let (images, labels) = kind.split_files(split);
    let images_url = format!("data/{kind}/{}", images.name);
    let labels_url = format!("data/{kind}/{}", labels.name);
    let image_bytes = fetch(&images_url, cache).await?;
    let label_bytes = fetch(&labels_url, cache).await?;
    Dataset::from_idx(kind, &image_bytes, &label_bytes).map_err(|e| {
        if let Some(cache) = cache {
            let _ = cache.delete_with_str(&images_url);
            let _ = cache.delete_with_str(&labels_url);
        }
        format!(
            "the {kind} {split:?} files from this site are unusable ({e}); they were dropped from \
             the browser's cache, so trying again downloads them afresh"
        )
    })
}

/// The dataset cache, or why there is none.
async fn open_cache() -> Result<Cache, String> {
    // Cache Storage is missing on insecure origins (plain http other than localhost).
    let storage = Reflect::get(&scope(), &"caches".into()).unwrap_or(JsValue::UNDEFINED);
    if storage.is_undefined() || storage.is_null() {
        return Err(
            "this page is not served over https, so the browser offers no Cache Storage".into(),
        );
    }
    let storage: web_sys::CacheStorage = storage.unchecked_into();
    JsFuture::from(storage.open(CACHE_NAME))
        .await
        .map(JsCast::unchecked_into)
        .map_err(|e| js_error("the browser refused to open its Cache Storage", e))
}

fn js_error(context: &str, error: JsValue) -> String {
    let detail = Reflect::get(&error, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| format!("{error:?}"));
    format!("{context}: {detail}")
}

/// The bytes at `url`: from `cache` when it has them, else downloaded (with progress reports)
/// and then stored in `cache`. A full storage quota only costs the caching.
async fn fetch(url: &str, cache: Option<&Cache>) -> Result<Vec<u8>, String> {
    let file = url.rsplit('/').next().unwrap_or(url).to_string();
    if let Some(cache) = cache
        && let Ok(hit) = JsFuture::from(cache.match_with_str(url)).await
        && let Ok(response) = hit.dyn_into::<Response>()
    {
        let buffer = JsFuture::from(
            response
                .array_buffer()
                .map_err(|e| js_error("reading the cached data failed", e))?,
        )
        .await
        .map_err(|e| js_error("reading the cached data failed", e))?;
        let bytes = Uint8Array::new(&buffer).to_vec();
        let size = bytes.len() as u64;
        post(
            &Report::Loading {
                file,
                loaded: size,
                total: size,
                cached: true,
            },
            None,
        );
        return Ok(bytes);
    }
    let failed = |e| js_error(&format!("downloading {url} failed"), e);
    let response: Response = JsFuture::from(scope().fetch_with_str(url))
        .await
        .map_err(failed)?
        .unchecked_into();
    if !response.ok() {
        return Err(format!(
            "downloading {url} failed: HTTP {} {}",
            response.status(),
            response.status_text()
        ));
    }
    let total: u64 = response
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let body = response
        .body()
        .ok_or_else(|| format!("downloading {url} failed: the response has no body"))?;
    let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut bytes = Vec::with_capacity(total as usize);
    let mut reported = 0u64;
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(failed)?;
        if Reflect::get(&chunk, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true)
        {
            break;
        }
        let value: Uint8Array = Reflect::get(&chunk, &"value".into())
            .map_err(failed)?
            .unchecked_into();
        bytes.extend_from_slice(&value.to_vec());
        let loaded = bytes.len() as u64;
        if loaded - reported >= PROGRESS_EVERY {
            reported = loaded;
            post(
                &Report::Loading {
                    file: file.clone(),
                    loaded,
                    total,
                    cached: false,
                },
                None,
            );
        }
    }
    let loaded = bytes.len() as u64;
    post(
        &Report::Loading {
            file,
            loaded,
            total: total.max(loaded),
            cached: false,
        },
        None,
    );
    if let Some(cache) = cache {
        store(cache, url, &bytes).await;
    }
    Ok(bytes)
}

async fn store(cache: &Cache, url: &str, bytes: &[u8]) {
    let body = Uint8Array::from(bytes);
    let stored = match Response::new_with_opt_buffer_source(Some(&body)) {
        Ok(response) => JsFuture::from(cache.put_with_str(url, &response))
            .await
            .map(drop),
        Err(e) => Err(e),
    };
    if let Err(e) = stored {
        // Most often the storage quota is used up (QuotaExceededError).
        let reason = js_error(&format!("the browser could not store {url}"), e);
        post(&Report::StorageUnavailable { reason }, None);
    }
}
