//! A static file server for the built site on 127.0.0.1, with a slow and a flaky path for the
//! tests of what the page does while a file is late or fails.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("json") => "application/json",
        Some("png") => "image/png",
        Some("gz") => "application/gzip",
        _ => "application/octet-stream",
    }
}

/// How long [`serve_dir`] holds back files requested under `slow/`.
pub const SLOW_DELAY: Duration = Duration::from_secs(3);

/// Serves `dir` over HTTP on 127.0.0.1 (a fresh port) for the rest of the test process and
/// returns the base URL. Files requested under `slow/` arrive after [`SLOW_DELAY`]; the
/// first request of each file under `flaky/` fails with 503, later ones succeed.
pub fn serve_dir(dir: PathBuf) -> String {
    serve_dir_with_switch(dir).0
}

/// Like [`serve_dir`], with a switch: while it is off, every connection is closed unanswered,
/// as when the network is down.
pub fn serve_dir_with_switch(dir: PathBuf) -> (String, Arc<AtomicBool>) {
    let on = Arc::new(AtomicBool::new(true));
    let url = serve(dir, on.clone());
    (url, on)
}

fn serve(dir: PathBuf, on: Arc<AtomicBool>) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let failed_once = Arc::new(std::sync::Mutex::new(
        std::collections::HashSet::<String>::new(),
    ));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            if !on.load(Ordering::SeqCst) {
                drop(stream);
                continue;
            }
            let dir = dir.clone();
            let failed_once = failed_once.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().expect("clone stream"));
                let mut request = String::new();
                if reader.read_line(&mut request).is_err() {
                    return;
                }
                // Drain the headers.
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let target = request.split_whitespace().nth(1).unwrap_or("/");
                let path = target
                    .split('?')
                    .next()
                    .unwrap_or("/")
                    .trim_start_matches('/');
                let path = if path.is_empty() { "index.html" } else { path };
                // `slow/<path>` serves `<path>` after a delay: a slow network, for tests of
                // what a page does while a file is still on its way.
                let path = match path.strip_prefix("slow/") {
                    Some(rest) => {
                        std::thread::sleep(SLOW_DELAY);
                        rest
                    }
                    None => path,
                };
                // `flaky/<path>`: a network that drops the first try.
                let path = match path.strip_prefix("flaky/") {
                    Some(rest) => {
                        let first = failed_once
                            .lock()
                            .expect("no panics while locked")
                            .insert(rest.to_string());
                        if first {
                            let _ = stream.write_all(
                                b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                            );
                            return;
                        }
                        rest
                    }
                    None => path,
                };
                let file = dir.join(path);
                let inside = !path.split('/').any(|part| part == "..");
                let response = match std::fs::read(&file) {
                    Ok(body) if inside => {
                        let head = format!(
                            "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                            content_type(&file),
                            body.len()
                        );
                        [head.into_bytes(), body].concat()
                    }
                    _ => {
                        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .to_vec()
                    }
                };
                let _ = stream.write_all(&response);
            });
        }
    });
    url
}
