//! Languages: a browser whose first language is Chinese gets the page in Simplified Chinese
//! without asking, `?lang=en` turns it back to English, and no view shows a text that is not in
//! the page's language. Every text node, option, label and accessible name (`aria-label`,
//! `title`, `placeholder`, `alt`) of every view, after a digit is drawn, is checked: in Chinese,
//! a Latin word that is not a name, unit or file name (MNIST, Adam, ms, `models/`...) is a
//! string that is not in the tables; in English, a Chinese character is one in the wrong table.

use super::access::{DOWN, SPACE, UP, VIEWS, keys, show_view};
use super::*;
use inkling_tests::browser::{click, model_ready, phase_is, screenshot_element, wait_for};
use serde_json::json;

#[tokio::test]
async fn a_chinese_browser_gets_every_view_in_chinese_and_lang_en_gets_english() {
    // It trains: not beside the timed test.
    let _timed = TIMED.lock().await;
    let url = serve_dir(dist_dir());
    // Chromium's Accept-Language, and so `navigator.languages`.
    let browser = Browser::start(&["--accept-lang=zh-CN,zh"]).await;
    let result = check_both(&browser.client, &url).await;
    browser.close().await;
    result.unwrap();
}

async fn check_both(c: &Client, url: &str) -> Result<(), String> {
    let languages = c
        .execute("return navigator.languages.join(',');", vec![])
        .await
        .map_err(|e| e.to_string())?;
    assert!(
        languages.as_str().unwrap_or_default().starts_with("zh"),
        "the browser's languages are {languages}"
    );
    let mut zh = foreign_texts(c, url, "zh-Hans").await?;
    zh.extend(after_a_run(c, url).await?);
    let en = foreign_texts(c, &format!("{url}?lang=en"), "en").await?;
    let report = |found: &[String], what: &str| {
        format!(
            "{} {what}:\n{}",
            found.len(),
            found
                .iter()
                .take(60)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        )
    };
    let mut failures = Vec::new();
    if !zh.is_empty() {
        failures.push(report(
            &zh,
            "texts in English on the Chinese page (not in the tables)",
        ));
    }
    if !en.is_empty() {
        failures.push(report(&en, "texts with Chinese on the English page"));
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n\n"))
    }
}

/// Opens `url`, checks the document's language, draws a "1" with the keyboard and visits every
/// view; returns each text not in `lang` (as "text  <- where"), each once.
async fn foreign_texts(c: &Client, url: &str, lang: &str) -> Result<Vec<String>, String> {
    c.goto(url).await.map_err(|e| e.to_string())?;
    model_ready(c).await?;
    let document_lang = c
        .execute("return document.documentElement.lang;", vec![])
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(document_lang, lang, "the document's language at {url}");
    // A drawn digit fills the reading, its bars, "why" and the live region.
    c.execute("document.getElementById('pad').focus();", vec![])
        .await
        .map_err(|e| e.to_string())?;
    let mut stroke = vec![UP; 8];
    stroke.push(SPACE);
    stroke.extend([DOWN; 16]);
    stroke.push(SPACE);
    c.perform_actions(keys(&stroke))
        .await
        .map_err(|e| e.to_string())?;
    c.release_actions().await.map_err(|e| e.to_string())?;
    settled_prediction(c).await;
    tokio::time::sleep(Duration::from_millis(600)).await;

    let mut found = Vec::new();
    for view in VIEWS {
        show_view(c, view).await?;
        let texts = c
            .execute(COLLECT_FOREIGN, vec![json!(lang)])
            .await
            .map_err(|e| e.to_string())?;
        for text in texts.as_array().into_iter().flatten() {
            let text = text.as_str().unwrap_or_default().to_string();
            if !found.contains(&text) {
                found.push(text);
            }
        }
    }
    println!(
        "{url}: {} views checked in {lang}, {} texts not in {lang}",
        VIEWS.len(),
        found.len()
    );
    Ok(found)
}

/// A short CPU run in Chinese, looked at while it trains (the status, the time left) and after
/// a Test (the figures, charts and the runs table).
async fn after_a_run(c: &Client, url: &str) -> Result<Vec<String>, String> {
    c.goto(&format!(
        "{url}?view=train&subset=1000&epochs=1&eval_size=50&compute=cpu"
    ))
    .await
    .map_err(|e| e.to_string())?;
    model_ready(c).await?;
    click(c, "train-start").await?;
    phase_is(c, "running", Duration::from_secs(120)).await?;
    wait_for(
        c,
        "a few steps",
        "parseInt(document.getElementById('train-step-count').textContent) >= 3",
        Duration::from_secs(60),
    )
    .await?;
    let mut found = collect(c).await?;
    println!(
        "while a CPU run trains in zh-Hans: {} texts not in zh-Hans",
        found.len()
    );
    phase_is(c, "finished", Duration::from_secs(180)).await?;
    click(c, "train-test").await?;
    wait_for(
        c,
        "the test accuracy",
        "document.getElementById('train-test-acc').dataset.accuracy !== ''",
        Duration::from_secs(120),
    )
    .await?;
    let after = collect(c).await?;
    println!(
        "after the run and Test in zh-Hans: {} texts not in zh-Hans",
        after.len()
    );
    found.extend(after);
    screenshot_element(c, "main", "chinese.png", 900).await?;
    Ok(found)
}

/// The texts of the page as it is now that are not in Chinese.
async fn collect(c: &Client) -> Result<Vec<String>, String> {
    let texts = c
        .execute(COLLECT_FOREIGN, vec![json!("zh-Hans")])
        .await
        .map_err(|e| e.to_string())?;
    Ok(texts
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t.as_str().map(str::to_string))
        .collect())
}

/// Returns the page's texts (text nodes, the document's title and the attributes a person
/// sees or hears) that are not in the language `arguments[0]`, each with where it is. Hidden
/// texts count: a hidden hint or status shows later. Names, units, file names and numbers are
/// the same in both languages.
const COLLECT_FOREIGN: &str = r##"
const lang = arguments[0];
// Names (of things, formats, keys, browsers and people) and units, in any case: the same in
// both languages. A word in capitals only (CNN, IDX, SIMD) is an abbreviation, a name too.
const names = new Set(["inkling", "mnist", "fashion-mnist", "sgd", "adam", "adamw", "webgpu",
    "webassembly", "safetensors", "pytorch", "relu", "softmax", "logits", "dropout", "nesterov",
    "one-cycle", "ms", "px", "kb", "mb", "tab", "space", "enter", "shift", "delete", "esc",
    "chrome", "edge", "firefox", "safari"]);
// File names, paths and addresses are names too.
const english = (text) => text.split(/[\s()（）,，:：;；"“”]+/)
    .filter((chunk) => !/\/|\.[a-z]{2,}$/.test(chunk))
    .flatMap((chunk) => chunk.split(/[^A-Za-z0-9\-]+/))
    .some((word) => /[A-Za-z]{2,}/.test(word) && !/\d/.test(word) && !/^dsd-/.test(word)
        && !/^[A-Z]+$/.test(word) && !names.has(word.toLowerCase()));
const chinese = (text) => /[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]/.test(text);
const foreign = lang === "en" ? chinese : english;
const where = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 3; e = e.parentElement) {
        parts.unshift(e.id ? "#" + e.id : e.tagName.toLowerCase());
        if (e.id) break;
    }
    return parts.join(" > ");
};
const out = [];
const add = (text, el, what) => {
    text = (text || "").trim();
    if (text && foreign(text)) out.push(`${JSON.stringify(text)}  <- ${where(el)}${what}`);
};
add(document.title, document.head, " title");
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!el || el.closest("script, style, noscript")) continue;
    add(node.textContent, el, "");
}
for (const attr of ["aria-label", "title", "placeholder", "alt", "aria-valuetext", "aria-roledescription"]) {
    for (const el of document.body.querySelectorAll(`[${attr}]`)) add(el.getAttribute(attr), el, ` [${attr}]`);
}
return out;
"##;
