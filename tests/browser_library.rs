//! The model library in the real browser, with the real IndexedDB (issue #10, item 4):
//! - the model the pad reads with is saved under a name, and a saved model is renamed, deleted,
//!   downloaded and loaded back into the pad, which then reads with it;
//! - a model downloaded from the page and one written by `inkling train` both load through the
//!   file picker (and go into the library);
//! - a damaged file is refused with the model-file format's own error, and the pad keeps the
//!   model it had;
//! - after a reload the library still holds what was saved.

use fantoccini::{Client, Locator};
use inkling_data::{DatasetKind, Split};
use inkling_tests::browser::{
    Browser, digit_strokes, dist_dir, replace_text, serve_dir, settled_prediction, text, wait_for,
    wait_for_file,
};
use inkling_tests::{data_dir, inkling_cli, load, repo_root};
use inkling_web::config::DEFAULT_MODEL_URL;
use std::path::{Path, PathBuf};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(60);

/// A small MLP trained by `inkling train` for a few hundred steps: a model the page has never
/// seen, of another family than the pretrained DSD net, so the status line tells which one
/// the pad reads with.
fn cli_model(dir: &Path) -> PathBuf {
    let out = dir.join("cli-run");
    let output = std::process::Command::new(inkling_cli())
        .args([
            "train",
            "--model",
            "mlp",
            "--epochs",
            "1",
            "--train-subset",
            "3000",
        ])
        .args([
            "--validation-size",
            "200",
            "--test-limit",
            "500",
            "--no-epoch-eval",
        ])
        .arg("--data-dir")
        .arg(data_dir(DatasetKind::Mnist))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", inkling_cli().display()));
    assert!(
        output.status.success(),
        "inkling train failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let file = dir.join("cli-mlp.inkling");
    std::fs::copy(out.join("model.inkling"), &file).expect("copy the CLI's model");
    file
}

/// Waits for the library to say something, and returns it: `Ok` for a notice, `Err` for an
/// error.
async fn library_says(c: &Client, containing: &str) -> Result<String, String> {
    let waited = wait_for(
        c,
        &format!("the library to say “{containing}”"),
        &format!(
            "[...document.querySelectorAll('#library-notice, #library-error')].some(e => e.textContent.includes({containing:?}))"
        ),
        WAIT,
    )
    .await;
    if let Err(e) = waited {
        let (notice, error) = (
            text(c, "library-notice").await,
            text(c, "library-error").await,
        );
        panic!("{e}; the library says {notice:?} / {error:?}");
    }
    let notice = text(c, "library-notice").await;
    if notice.contains(containing) {
        Ok(notice)
    } else {
        Err(text(c, "library-error").await)
    }
}

/// Names of the saved models, as listed.
async fn saved_names(c: &Client) -> Vec<String> {
    let names = c
        .execute(
            "return [...document.querySelectorAll('.library-entry')].map(e => e.dataset.name);",
            vec![],
        )
        .await
        .expect("list the library");
    serde_json::from_value(names).expect("names are strings")
}

/// Clicks button `class` in the row of saved model `name`.
async fn row_button(c: &Client, name: &str, class: &str) -> Result<(), String> {
    let selector = format!(".library-entry[data-name={name:?}] .{class}");
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::Css(&selector))
        .await
        .map_err(|e| format!("no {selector}: {e}"))?
        .click()
        .await
        .map_err(|e| e.to_string())
}

/// Chooses `file` in the library's file picker.
async fn upload(c: &Client, file: &Path) -> Result<(), String> {
    c.find(Locator::Id("library-upload"))
        .await
        .map_err(|e| e.to_string())?
        .send_keys(&file.display().to_string())
        .await
        .map_err(|e| e.to_string())
}

async fn status(c: &Client) -> String {
    text(c, "status").await
}

#[tokio::test]
async fn models_are_kept_uploaded_and_refused_with_the_format_error() {
    let dir = std::env::temp_dir().join(format!("inkling-library-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cli_file = cli_model(&dir);
    let url = serve_dir(dist_dir());
    let browser = Browser::start(&[]).await;
    let result = library(&browser, &url, &dir, &cli_file).await;
    browser.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    result.unwrap();
}

async fn library(browser: &Browser, url: &str, dir: &Path, cli_file: &Path) -> Result<(), String> {
    let c = &browser.client;
    // The library's tab beside the pad.
    c.goto(&format!("{url}?view=library"))
        .await
        .map_err(|e| e.to_string())?;
    wait_for(
        c,
        "the model",
        "document.querySelector(\"#status[data-state='ready']\")",
        WAIT,
    )
    .await?;
    let pretrained_status = status(c).await;
    assert!(pretrained_status.contains("DSD net"), "{pretrained_status}");

    // A digit on the pad, read with whichever model is loaded.
    let pad = c
        .find(Locator::Id("pad"))
        .await
        .map_err(|e| e.to_string())?;
    let (_, _, side, _) = pad.rectangle().await.map_err(|e| e.to_string())?;
    let test = load(DatasetKind::Mnist, Split::Test);
    c.perform_actions(digit_strokes(&pad, side, test.image(0)))
        .await
        .map_err(|e| e.to_string())?;
    c.release_actions().await.map_err(|e| e.to_string())?;
    let first = settled_prediction(c).await;
    println!("digit 0 (a {}) read as {first}", test.label(0));

    // Save the pretrained model under a name of our choosing.
    c.find(Locator::Id("library-name"))
        .await
        .map_err(|e| e.to_string())?
        .send_keys("shipped dsd-s")
        .await
        .map_err(|e| e.to_string())?;
    c.find(Locator::Id("library-save"))
        .await
        .map_err(|e| e.to_string())?
        .click()
        .await
        .map_err(|e| e.to_string())?;
    library_says(c, "Saved “shipped dsd-s”").await?;
    assert_eq!(saved_names(c).await, ["shipped dsd-s"]);

    // Downloaded from the page: the same bytes as the shipped file.
    row_button(c, "shipped dsd-s", "library-download").await?;
    let downloaded = browser.downloads().join("shipped dsd-s.inkling");
    wait_for_file(&downloaded).await?;
    let shipped = std::fs::read(repo_root().join("www").join(DEFAULT_MODEL_URL)).unwrap();
    assert_eq!(
        std::fs::read(&downloaded).unwrap(),
        shipped,
        "the download is the model"
    );

    // A model written by `inkling train` loads through the file picker.
    upload(c, cli_file).await?;
    library_says(c, "The pad now reads with cli-mlp.inkling").await?;
    wait_for(
        c,
        "the MLP in the status",
        "document.getElementById('status').textContent.includes('MLP')",
        WAIT,
    )
    .await?;
    let origin = text(c, "model-origin").await;
    assert!(origin.contains("the file cli-mlp.inkling"), "{origin}");
    println!("after the CLI's model: {} / {origin}", status(c).await);

    // A damaged file: refused with the format's own words, the MLP kept.
    let mut damaged = std::fs::read(cli_file).unwrap();
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0x40;
    let damaged_file = dir.join("damaged.inkling");
    std::fs::write(&damaged_file, &damaged).unwrap();
    upload(c, &damaged_file).await?;
    let error = library_says(c, "damaged.inkling cannot be used")
        .await
        .expect_err("a damaged file is an error");
    println!("damaged file: {error}");
    assert!(
        error.contains("corrupt") && error.contains("still reads with the file cli-mlp.inkling"),
        "{error}"
    );
    assert!(status(c).await.contains("MLP"), "the pad lost its model");
    let html = dir.join("not-a-model.inkling");
    std::fs::write(&html, b"<!DOCTYPE html><html>404</html>").unwrap();
    upload(c, &html).await?;
    let error = library_says(c, "not-a-model.inkling cannot be used")
        .await
        .expect_err("an HTML page is an error");
    assert!(error.contains("not an Inkling model file"), "{error}");
    assert!(status(c).await.contains("MLP"), "the pad lost its model");

    // The page's own download, uploaded again, makes the pad read with the DSD net again.
    upload(c, &downloaded).await?;
    library_says(
        c,
        "The pad now reads with shipped dsd-s.inkling, saved as “shipped dsd-s (2)”",
    )
    .await?;
    wait_for(
        c,
        "the DSD net in the status",
        "document.getElementById('status').textContent.includes('DSD net')",
        WAIT,
    )
    .await?;
    let again = settled_prediction(c).await;
    assert_eq!(
        again, first,
        "the same model reads the same digit the same way"
    );

    // Rename, delete, and everything still there after a reload.
    let mut names = saved_names(c).await;
    names.sort();
    assert_eq!(
        names,
        ["cli-mlp", "shipped dsd-s", "shipped dsd-s (2)"],
        "uploads are kept, names unique"
    );
    row_button(c, "cli-mlp", "library-rename").await?;
    let input = c
        .find(Locator::Css(
            ".library-entry[data-name='cli-mlp'] .library-rename-input",
        ))
        .await
        .map_err(|e| e.to_string())?;
    replace_text(&input, "tiny MLP from the CLI").await?;
    input
        .send_keys("\u{E007}")
        .await
        .map_err(|e| e.to_string())?;
    library_says(c, "Renamed to “tiny MLP from the CLI”").await?;
    row_button(c, "shipped dsd-s (2)", "library-delete").await?;
    row_button(c, "shipped dsd-s (2)", "library-delete-confirm").await?;
    library_says(c, "Deleted “shipped dsd-s (2)”").await?;
    c.refresh().await.map_err(|e| e.to_string())?;
    wait_for(
        c,
        "the library after a reload",
        "document.querySelectorAll('.library-entry').length === 2",
        WAIT,
    )
    .await?;
    let mut names = saved_names(c).await;
    names.sort();
    assert_eq!(names, ["shipped dsd-s", "tiny MLP from the CLI"]);

    // A saved model goes back into the pad.
    row_button(c, "tiny MLP from the CLI", "library-load").await?;
    library_says(c, "The pad now reads with “tiny MLP from the CLI”").await?;
    wait_for(
        c,
        "the MLP in the status",
        "document.getElementById('status').textContent.includes('MLP')",
        WAIT,
    )
    .await?;
    let origin = text(c, "model-origin").await;
    assert!(
        origin.contains("“tiny MLP from the CLI” from your library"),
        "{origin}"
    );
    Ok(())
}
