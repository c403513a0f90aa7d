//! Offline after one visit: the service worker keeps the page, both wasm binaries, the model
//! and MNIST. With the network cut (the server stops answering, and DevTools' offline mode is
//! on), a reload draws and reads a digit and a short CPU run trains; back online, a rebuilt
//! site (a changed page and service worker) is what the next visit shows, and the old build's
//! cache is gone.

use super::*;
use inkling_data::Split;
use inkling_tests::browser::{
    Browser, digit_strokes, model_ready, serve_dir_with_switch, set_offline,
};
use inkling_tests::load;
use std::sync::atomic::Ordering;

#[tokio::test]
async fn after_one_visit_the_page_draws_and_trains_offline_and_a_rebuild_replaces_the_cache() {
    let _serial = SERIAL.lock().await;
    // A copy of the site, so that the test can "rebuild" it.
    let site = std::env::temp_dir().join(format!("inkling-offline-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&site);
    copy_dir(&dist_dir(), &site);
    let (url, network) = serve_dir_with_switch(site.clone());
    let browser = Browser::start(&[]).await;
    let result = offline(&browser.client, &url, &network, &site).await;
    browser.close().await;
    let _ = std::fs::remove_dir_all(&site);
    result.unwrap();
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// The service worker's cache: its name and the paths it holds (`null` before there is one).
async fn app_cache(c: &Client) -> Result<serde_json::Value, String> {
    c.execute_async(
        "const done = arguments[arguments.length - 1];
         (async () => {
             const name = (await caches.keys()).find(n => n.startsWith('inkling-app-'));
             if (!name) return done(null);
             const keys = await (await caches.open(name)).keys();
             done({ name, all: await caches.keys(), files: keys.map(r => new URL(r.url).pathname) });
         })().catch(e => done({ error: String(e) }));",
        vec![],
    )
    .await
    .map_err(|e| e.to_string())
}

/// The page's service workers by role (installing, waiting, active) with their script and
/// state: whether a new build's worker failed to install or waits for the old one to let go.
async fn service_workers(c: &Client) -> serde_json::Value {
    c.execute_async(
        "const done = arguments[arguments.length - 1];
         navigator.serviceWorker.getRegistration().then(r => {
             const describe = w => w && { script: new URL(w.scriptURL).pathname, state: w.state };
             done(r ? { installing: describe(r.installing), waiting: describe(r.waiting),
                        active: describe(r.active) } : null);
         }).catch(e => done({ error: String(e) }));",
        vec![],
    )
    .await
    .unwrap_or_else(|e| serde_json::Value::String(e.to_string()))
}

async fn offline(
    c: &Client,
    url: &str,
    network: &std::sync::atomic::AtomicBool,
    site: &Path,
) -> Result<(), String> {
    let err = |e: fantoccini::error::CmdError| e.to_string();
    c.goto(url).await.map_err(err)?;
    model_ready(c).await?;
    // The service worker takes over and keeps the trainer and MNIST in the background.
    let needed = [
        "/index.html",
        "/models/dsd-s-int8.inkling",
        "/inkling-worker_bg.wasm",
        "/data/mnist/train-images-idx3-ubyte.gz",
        "/data/mnist/t10k-labels-idx1-ubyte.gz",
    ];
    let started = std::time::Instant::now();
    let cache = loop {
        let cache = app_cache(c).await?;
        let files: Vec<&str> = cache["files"]
            .as_array()
            .map(|f| f.iter().filter_map(|p| p.as_str()).collect())
            .unwrap_or_default();
        if needed.iter().all(|n| files.contains(n)) {
            break cache;
        }
        if started.elapsed() > Duration::from_secs(120) {
            return Err(format!("the service worker kept only {cache}"));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    let old_cache = cache["name"].as_str().unwrap().to_string();
    println!(
        "offline: {old_cache} holds {} files after {:.1} s",
        cache["files"].as_array().unwrap().len(),
        started.elapsed().as_secs_f64()
    );

    // The network goes.
    network.store(false, Ordering::SeqCst);
    set_offline(c, true).await?;
    c.refresh().await.map_err(err)?;
    model_ready(c).await?;
    let test = load(DatasetKind::Mnist, Split::Test);
    let pad = c.find(Locator::Id("pad")).await.map_err(err)?;
    let (_, _, side, _) = pad.rectangle().await.map_err(err)?;
    c.perform_actions(digit_strokes(&pad, side, test.image(0)))
        .await
        .map_err(err)?;
    c.release_actions().await.map_err(err)?;
    let read = inkling_tests::browser::settled_prediction(c).await;
    assert_eq!(
        read,
        test.label(0).to_string(),
        "offline, the page reads the digit"
    );
    c.goto(&format!(
        "{url}?train&compute=cpu&subset=2000&epochs=1&eval_every=20&eval_size=200"
    ))
    .await
    .map_err(err)?;
    model_ready(c).await?;
    click(c, "train-start").await?;
    phase_is(c, "finished", RUN_TIMEOUT).await?;
    let validation = number(c, "train-val-acc", "data-accuracy").await;
    println!(
        "offline: drew a {read}, trained {} steps on the cached MNIST (validation {:.1} %)",
        step(c).await,
        validation * 100.0
    );
    assert_eq!(step(c).await, 2000 / 32);
    assert!(
        validation > 0.5,
        "it learned from the cached data: {validation}"
    );

    // Back online, a new build: a changed page and a service worker of another version.
    let sw = std::fs::read_to_string(site.join("sw.js")).map_err(|e| e.to_string())?;
    let version = old_cache.trim_start_matches("inkling-app-");
    std::fs::write(site.join("sw.js"), sw.replacen(version, "rebuilt", 1)).unwrap();
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    std::fs::write(
        site.join("index.html"),
        index.replacen("<title>", "<title>Rebuilt: ", 1),
    )
    .unwrap();
    set_offline(c, false).await?;
    network.store(true, Ordering::SeqCst);
    c.goto(url).await.map_err(err)?;
    model_ready(c).await?;
    let title = c.title().await.map_err(err)?;
    assert!(
        title.starts_with("Rebuilt: "),
        "the next visit shows the new build: {title}"
    );
    let started = std::time::Instant::now();
    loop {
        let cache = app_cache(c).await?;
        let all: Vec<&str> = cache["all"]
            .as_array()
            .map(|a| a.iter().filter_map(|n| n.as_str()).collect())
            .unwrap_or_default();
        if all.contains(&"inkling-app-rebuilt") && !all.contains(&old_cache.as_str()) {
            println!("offline: the rebuilt site replaced {old_cache} with inkling-app-rebuilt");
            break;
        }
        // The new worker takes over once the old one is idle; on a slower machine that once
        // took over 60 s.
        if started.elapsed() > Duration::from_secs(240) {
            return Err(format!(
                "the old cache stayed: {all:?}; service workers: {}",
                service_workers(c).await
            ));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    Ok(())
}
