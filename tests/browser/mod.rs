//! Serving the built site and driving headless Chromium through chromedriver.

use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

mod draw;
mod server;

pub use draw::{digit_runs, digit_strokes};
pub use server::{SLOW_DELAY, serve_dir, serve_dir_with_switch};

/// The release build of the site: `$INKLING_DIST`, else `dist/` in the repository.
pub fn dist_dir() -> PathBuf {
    let dist = std::env::var_os("INKLING_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| super::repo_root().join("dist"));
    assert!(
        dist.join("index.html").exists(),
        "no built site in {}: run `trunk build --release` (scripts/test does)",
        dist.display()
    );
    dist
}

/// Where tests leave files for people to look at (screenshots).
pub fn artifacts_dir() -> PathBuf {
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| super::repo_root().join("target"))
        .join("e2e-artifacts");
    std::fs::create_dir_all(&dir).expect("create the artifacts directory");
    dir
}

/// Headless Chromium under chromedriver; closes the browser and the driver when done.
pub struct Browser {
    /// The WebDriver session.
    pub client: Client,
    driver: Child,
    browser_pid: Option<u64>,
    profile: PathBuf,
}

impl Drop for Browser {
    /// A failed assertion skips [`Browser::close`]: never leave Chromium or the driver behind.
    fn drop(&mut self) {
        if let Some(pid) = self.browser_pid {
            let _ = Command::new("kill").arg(pid.to_string()).status();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

impl Browser {
    /// Starts chromedriver and a fresh Chromium profile with WebGPU enabled, plus `args`.
    pub async fn start(args: &[&str]) -> Browser {
        Self::start_with(true, args).await
    }

    /// Like [`Browser::start`], but without `--enable-unsafe-webgpu`: headless Chromium then
    /// offers no WebGPU adapter, as on a machine without a usable GPU.
    pub async fn start_without_webgpu() -> Browser {
        Self::start_with(false, &[]).await
    }

    /// Where files the page downloads are saved.
    pub fn downloads(&self) -> PathBuf {
        self.profile.join("downloads")
    }

    async fn start_with(webgpu: bool, args: &[&str]) -> Browser {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver is installed (Debian package chromium-driver)");
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let profile =
            std::env::temp_dir().join(format!("inkling-chromium-{}-{port}", std::process::id()));
        let mut chrome_args = vec![
            "--headless=new".to_string(),
            "--no-sandbox".to_string(),
            "--no-first-run".to_string(),
            "--disable-background-networking".to_string(),
            "--disable-component-update".to_string(),
            "--disable-sync".to_string(),
            "--disable-dev-shm-usage".to_string(),
            "--window-size=1200,900".to_string(),
            format!("--user-data-dir={}", profile.display()),
        ];
        if webgpu {
            chrome_args.push("--enable-unsafe-webgpu".to_string());
        }
        chrome_args.extend(args.iter().map(|a| a.to_string()));
        let Value::Object(caps) = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": chrome_args,
                "prefs": {
                    "download.default_directory": profile.join("downloads"),
                    "download.prompt_for_download": false
                }
            }
        }) else {
            unreachable!()
        };
        let mut builder = ClientBuilder::new(HttpConnector::new());
        builder.capabilities(caps);
        let client = builder
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a Chromium session through chromedriver");
        let browser_pid = client
            .capabilities()
            .and_then(|c| c.get("goog:processID"))
            .and_then(Value::as_u64);
        Browser {
            client,
            driver,
            browser_pid,
            profile,
        }
    }

    /// Ends the session (Chromium exits); dropping then stops chromedriver.
    pub async fn close(mut self) {
        if self.client.clone().close().await.is_ok() {
            self.browser_pid = None;
        }
    }
}

/// Waits until the page has read the latest version of the drawing, then returns the text of
/// `#prediction`.
pub async fn settled_prediction(c: &Client) -> String {
    for _ in 0..200 {
        let settled = c
            .execute(
                "return document.querySelector('#pad').dataset.version
                     === document.querySelector('#prediction').dataset.version;",
                vec![],
            )
            .await
            .unwrap();
        if settled == Value::Bool(true) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    c.find(Locator::Id("prediction"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// The value of attribute `name` of the element with id `id` ("" when either is missing).
pub async fn attr(c: &Client, id: &str, name: &str) -> String {
    let script = format!(
        "const e = document.getElementById('{id}'); return e ? (e.getAttribute('{name}') || '') : '';"
    );
    c.execute(&script, vec![])
        .await
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The text of the element with id `id` ("" when missing).
pub async fn text(c: &Client, id: &str) -> String {
    let script =
        format!("const e = document.getElementById('{id}'); return e ? e.textContent : '';");
    c.execute(&script, vec![])
        .await
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// A numeric attribute (NaN when missing or not a number).
pub async fn number(c: &Client, id: &str, name: &str) -> f64 {
    attr(c, id, name).await.parse().unwrap_or(f64::NAN)
}

/// Replaces the text of `field` as a person does: select all, delete, type. WebDriver's own
/// `clear` fires no `input` event, so a page that re-renders before the first keystroke puts
/// the old value back and the typing lands after it ("32" + "16" = "3216"). The field must
/// then hold exactly `value`.
pub async fn replace_text(field: &Element, value: &str) -> Result<(), String> {
    let err = |e: fantoccini::error::CmdError| e.to_string();
    let select_all_delete = format!("{}a{}{}", Key::Control, Key::Null, Key::Backspace);
    field
        .send_keys(&format!("{select_all_delete}{value}"))
        .await
        .map_err(err)?;
    let typed = field.prop("value").await.map_err(err)?.unwrap_or_default();
    if typed == value {
        Ok(())
    } else {
        Err(format!(
            "typed {value:?} into a field, which holds {typed:?}"
        ))
    }
}

/// Polls the JavaScript expression `condition` until it is true. Fails after `timeout`, or at
/// once when the page shows a fatal error, with what the page says.
pub async fn wait_for(
    c: &Client,
    what: &str,
    condition: &str,
    timeout: Duration,
) -> Result<(), String> {
    let script = format!("return Boolean({condition});");
    let start = std::time::Instant::now();
    loop {
        if c.execute(&script, vec![])
            .await
            .map_err(|e| e.to_string())?
            == Value::Bool(true)
        {
            return Ok(());
        }
        let fatal = c
            .execute(
                "const f = document.getElementById('fatal'); return f && !f.hidden ? f.textContent : '';",
                vec![],
            )
            .await
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        if !fatal.is_empty() || start.elapsed() > timeout {
            return Err(format!(
                "{what}: {} after {:.0} s; status: {:?}; notice: {:?}; error: {:?}; fatal: {fatal:?}",
                if fatal.is_empty() {
                    "timed out"
                } else {
                    "the page failed"
                },
                start.elapsed().as_secs_f64(),
                text(c, "train-status").await,
                text(c, "train-notice").await,
                text(c, "train-error").await,
            ));
        }
        if std::env::var_os("INKLING_E2E_TRACE").is_some() {
            eprintln!(
                "[{:.0} s] waiting for {what}; status: {:?}; data: {:?}",
                start.elapsed().as_secs_f64(),
                text(c, "train-status").await,
                text(c, "train-data").await
            );
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// Waits until the page has loaded its model (the status line says ready).
pub async fn model_ready(c: &Client) -> Result<(), String> {
    wait_for(
        c,
        "the model",
        "document.querySelector(\"#status[data-state='ready']\")",
        Duration::from_secs(60),
    )
    .await
}

/// Waits until the training panel's run is in `phase` (`finished`, `paused`, ...).
pub async fn phase_is(c: &Client, phase: &str, timeout: Duration) -> Result<(), String> {
    wait_for(
        c,
        &format!("run {phase}"),
        &format!(
            "document.getElementById('train-status') && document.getElementById('train-status').dataset.phase === '{phase}'"
        ),
        timeout,
    )
    .await
}

/// Waits until the browser has finished writing `path` (a download).
pub async fn wait_for_file(path: &Path) -> Result<(), String> {
    for _ in 0..120 {
        if path.exists() {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    Err(format!("{} was never downloaded", path.display()))
}

/// Clicks the element with id `id` once it is enabled.
pub async fn click(c: &Client, id: &str) -> Result<(), String> {
    wait_for(
        c,
        &format!("#{id} enabled"),
        &format!("document.getElementById('{id}') && !document.getElementById('{id}').disabled"),
        Duration::from_secs(30),
    )
    .await?;
    c.find(Locator::Id(id))
        .await
        .map_err(|e| e.to_string())?
        .click()
        .await
        .map_err(|e| e.to_string())
}

/// Saves a screenshot of the element matching `css` as `name` among the artifacts, with the
/// window at least `height` pixels tall while it is taken (a tall view fits whole), the element
/// scrolled into view.
pub async fn screenshot_element(
    c: &Client,
    css: &str,
    name: &str,
    height: u32,
) -> Result<(), String> {
    let (width, old_height) = c.get_window_size().await.map_err(|e| e.to_string())?;
    c.set_window_size(width.max(1100) as u32, height.max(old_height as u32))
        .await
        .map_err(|e| e.to_string())?;
    let element = c.find(Locator::Css(css)).await.map_err(|e| e.to_string())?;
    c.execute(
        "arguments[0].scrollIntoView();",
        vec![serde_json::to_value(&element).map_err(|e| e.to_string())?],
    )
    .await
    .map_err(|e| e.to_string())?;
    let shot = element.screenshot().await.map_err(|e| e.to_string())?;
    let path = artifacts_dir().join(name);
    std::fs::write(&path, shot).map_err(|e| e.to_string())?;
    println!("screenshot: {}", path.display());
    c.set_window_size(width as u32, old_height as u32)
        .await
        .map_err(|e| e.to_string())
}

/// chromedriver's network-conditions command: DevTools' offline mode for the page.
#[derive(Debug)]
struct NetworkConditions {
    offline: bool,
}

impl fantoccini::wd::WebDriverCompatibleCommand for NetworkConditions {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/chromium/network_conditions",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "network_conditions": {
            "offline": self.offline, "latency": 0,
            "download_throughput": -1, "upload_throughput": -1 } });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// Cuts the browser's network (or brings it back) through the DevTools protocol, as DevTools'
/// "Offline" does.
pub async fn set_offline(c: &Client, offline: bool) -> Result<(), String> {
    c.issue_cmd(NetworkConditions { offline })
        .await
        .map(|_| ())
        .map_err(|e| format!("chromedriver's network conditions: {e}"))
}

/// Waits until the service worker has kept its offline copy (the trainer and MNIST, fetched in
/// the background after a first visit), so that a measurement does not share the machine
/// with that download.
pub async fn offline_copy_kept(c: &Client) -> Result<(), String> {
    wait_for(
        c,
        "the service worker's offline copy",
        "(() => {
            if (!window.__inklingChecking) {
                window.__inklingChecking = true;
                caches.keys().then(async names => {
                    for (const name of names) {
                        if (name.startsWith('inkling-app-')
                            && await (await caches.open(name)).match('data/mnist/train-labels-idx1-ubyte.gz')) {
                            window.__inklingKept = true;
                        }
                    }
                }).finally(() => { window.__inklingChecking = false; });
            }
            return window.__inklingKept === true;
        })()",
        Duration::from_secs(120),
    )
    .await
}
