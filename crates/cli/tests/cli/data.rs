//! `inkling data`: verifying and fetching datasets, from local mirrors and Debian's package.

use super::*;

/// Serves `dir` over HTTP on 127.0.0.1 for `requests` requests, optionally damaging every body.
fn serve(dir: PathBuf, requests: usize, damage: bool) -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let mut stream = stream.unwrap();
            let mut line = String::new();
            BufReader::new(&stream).read_line(&mut line).unwrap();
            let name = line
                .split_whitespace()
                .nth(1)
                .unwrap_or("/")
                .trim_start_matches('/');
            match std::fs::read(dir.join(name)) {
                Ok(mut body) => {
                    if damage {
                        let mid = body.len() / 2;
                        body[mid] ^= 0xff;
                    }
                    let head = format!(
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = stream.write_all(head.as_bytes());
                    let _ = stream.write_all(&body);
                }
                Err(_) => {
                    let _ = stream.write_all(
                        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    );
                }
            }
        }
    });
    format!("http://{addr}/")
}

#[test]
fn fetch_downloads_and_verifies_from_a_mirror() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("mnist");
    let mirror = serve(data_dir(DatasetKind::Mnist), 4, false);
    let out = ok(&[
        "data",
        "fetch",
        "--mirror",
        &mirror,
        "--data-dir",
        target.to_str().unwrap(),
    ]);
    assert_eq!(out.matches("downloaded and verified").count(), 4, "{out}");
    ok(&["data", "verify", "--data-dir", target.to_str().unwrap()]);
    // A second fetch finds everything in place and downloads nothing.
    let again = ok(&[
        "data",
        "fetch",
        "--mirror",
        "http://127.0.0.1:9/",
        "--data-dir",
        target.to_str().unwrap(),
    ]);
    assert_eq!(again.matches("already present").count(), 4, "{again}");
}

#[test]
fn fetch_rejects_damaged_downloads_and_unreachable_mirrors() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("mnist");
    let damaged = serve(data_dir(DatasetKind::Mnist), 1, true);
    // Port 9 (discard) is closed here: the second mirror refuses the connection.
    let out = fails(&[
        "data",
        "fetch",
        "--mirror",
        &damaged,
        "--mirror",
        "http://127.0.0.1:9/",
        "--data-dir",
        target.to_str().unwrap(),
    ]);
    assert!(
        out.contains("could not download train-images-idx3-ubyte.gz"),
        "{out}"
    );
    assert!(out.contains("127.0.0.1:9"), "{out}");
    // The damaged download was fetched and rejected, not just missed.
    let rejected = format!("{damaged}train-images-idx3-ubyte.gz: ");
    let line = out
        .lines()
        .find(|l| l.contains(&rejected))
        .unwrap_or_default();
    assert!(line.contains("checksum") || line.contains("gzip"), "{out}");
    let leftovers: Vec<_> = std::fs::read_dir(&target).unwrap().collect();
    assert!(
        leftovers.is_empty(),
        "fetch kept a file that failed verification"
    );
}

#[test]
fn fashion_mnist_from_the_debian_package_verifies_and_loads() {
    let dir = "/usr/share/datasets/fashion-mnist";
    let out = ok(&[
        "data",
        "verify",
        "--dataset",
        "fashion-mnist",
        "--data-dir",
        dir,
    ]);
    assert!(
        out.contains("fashion-mnist in /usr/share/datasets/fashion-mnist: all 4 files verified"),
        "{out}"
    );
    // The MNIST checksums must not accept Fashion-MNIST files.
    let out = fails(&["data", "verify", "--dataset", "mnist", "--data-dir", dir]);
    assert!(out.contains("MISMATCH"), "{out}");
}
