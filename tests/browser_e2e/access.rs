//! Accessibility: a person with a keyboard alone draws a "1" (Tab to the pad, the arrows move
//! the pen, Space puts it down and lifts it) and the page reads "1" and says so once in its
//! live region; axe-core (pinned, installed by the set-up script) finds no serious or critical
//! violation in any of the page's views, in the light theme and in the dark one that follows
//! the system setting. In an iframe-sized window (600x500) each view's main control shows
//! without scrolling, and nothing scrolls sideways.

use super::*;
use fantoccini::actions::{KeyAction, KeyActions};
use inkling_tests::browser::{click, model_ready, screenshot_element, wait_for};

/// WebDriver's key codes.
const TAB: char = '\u{E004}';
pub(crate) const SPACE: char = '\u{E00D}';
pub(crate) const UP: char = '\u{E013}';
pub(crate) const DOWN: char = '\u{E015}';

/// The keys of `sequence`, each pressed and released.
pub(crate) fn keys(sequence: &[char]) -> KeyActions {
    let mut keys = KeyActions::new("keyboard".into());
    for &key in sequence {
        keys = keys
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
    }
    keys
}

async fn active_id(c: &Client) -> String {
    c.execute(
        "return document.activeElement ? document.activeElement.id : '';",
        vec![],
    )
    .await
    .unwrap()
    .as_str()
    .unwrap_or_default()
    .to_string()
}

#[tokio::test]
async fn a_keyboard_alone_draws_a_one_and_axe_finds_nothing_serious_in_either_theme() {
    let url = serve_dir(dist_dir());
    let browser = Browser::start(&[]).await;
    let result = keyboard_one(&browser.client, &url).await;
    let result = match result {
        Ok(()) => audit(&browser.client, &url, "light").await,
        e => e,
    };
    browser.close().await;
    result.unwrap();

    // The dark theme: the system's setting, which the page follows.
    let browser = Browser::start(&["--force-dark-mode"]).await;
    let result = audit(&browser.client, &url, "dark").await;
    browser.close().await;
    result.unwrap();
}

async fn keyboard_one(c: &Client, url: &str) -> Result<(), String> {
    c.goto(url).await.map_err(|e| e.to_string())?;
    model_ready(c).await?;
    // Tab from the top of the page to the pad.
    let mut tabs = 0;
    while active_id(c).await != "pad" {
        tabs += 1;
        assert!(tabs <= 10, "the pad is not among the first 10 stops of Tab");
        c.perform_actions(keys(&[TAB]))
            .await
            .map_err(|e| e.to_string())?;
    }
    let cursor_hidden = c
        .execute(
            "return document.getElementById('pad-cursor').hidden;",
            vec![],
        )
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(
        cursor_hidden, false,
        "the pen's cursor shows while the pad has the focus"
    );
    // From the centre: up 8 steps, pen down, down 16 steps, pen up.
    let mut one = vec![UP; 8];
    one.push(SPACE);
    one.extend([DOWN; 16]);
    one.push(SPACE);
    c.perform_actions(keys(&one))
        .await
        .map_err(|e| e.to_string())?;
    c.release_actions().await.map_err(|e| e.to_string())?;
    let read = settled_prediction(c).await;
    assert_eq!(read, "1", "the keyboard's stroke reads as {read}");
    wait_for(
        c,
        "the announcement",
        "document.getElementById('announce').textContent.startsWith('Reads 1,')",
        Duration::from_secs(5),
    )
    .await?;
    println!(
        "keyboard: Tab x{tabs} to the pad, a stroke of 16 arrow steps read as 1; announced {:?}",
        text(c, "announce").await
    );
    Ok(())
}

/// Runs axe-core on each of the page's views and fails on serious or critical violations,
/// printing every violation found.
async fn audit(c: &Client, url: &str, theme: &str) -> Result<(), String> {
    let axe_path = std::env::var_os("INKLING_AXE").map_or_else(
        || {
            std::path::PathBuf::from(std::env::var("HOME").unwrap_or_default())
                .join(".cache/inkling-tools/node_modules/axe-core/axe.min.js")
        },
        std::path::PathBuf::from,
    );
    let axe = std::fs::read_to_string(&axe_path).map_err(|e| {
        format!(
            "axe-core is not at {} ({e}): scripts/test installs it",
            axe_path.display()
        )
    })?;
    c.goto(&format!("{url}?preset=dilation"))
        .await
        .map_err(|e| e.to_string())?;
    wait_for(
        c,
        "the page",
        "document.getElementById('status') && document.getElementById('status').dataset.state === 'ready' && document.getElementById('lesson')",
        Duration::from_secs(60),
    )
    .await?;
    let dark = c
        .execute(
            "return matchMedia('(prefers-color-scheme: dark)').matches;",
            vec![],
        )
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(dark, theme == "dark", "the browser's theme is {theme}");
    c.execute(&format!("{axe}\nreturn true;"), vec![])
        .await
        .map_err(|e| e.to_string())?;
    let mut serious = Vec::new();
    let mut total = 0;
    for view in VIEWS {
        show_view(c, view).await?;
        let (found, bad) = run_axe(c, &format!("{theme} theme, {view} view")).await?;
        total += found;
        serious.extend(bad);
    }
    println!(
        "axe-core, {theme} theme, {} views: {total} violations, {} serious or critical",
        VIEWS.len(),
        serious.len()
    );
    if theme == "dark" {
        click(c, "tab-train").await?;
        screenshot_element(c, "main", "dark.png", 900).await?;
    }
    if serious.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "serious or critical violations:\n{}",
            serious.join("\n")
        ))
    }
}

/// Chooses the tab of `view` and gives it half a second to settle.
pub(crate) async fn show_view(c: &Client, view: &str) -> Result<(), String> {
    click(c, &format!("tab-{view}")).await?;
    wait_for(
        c,
        &format!("the {view} view"),
        &format!("document.getElementById('tab-{view}').getAttribute('aria-selected') === 'true'"),
        Duration::from_secs(10),
    )
    .await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    Ok(())
}

/// Every tab of the page.
pub(crate) const VIEWS: [&str; 6] = [
    "draw",
    "train",
    "inside",
    "mistakes",
    "handwriting",
    "library",
];

/// Runs axe-core on the page as it is: the number of violations, and those serious or
/// critical, each on a line (every one is printed).
async fn run_axe(c: &Client, context: &str) -> Result<(usize, Vec<String>), String> {
    let found = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] })
                .then(r => done(r.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
                    count: v.nodes.length }))))
                .catch(e => done([{ id: 'axe-failed', impact: 'critical', help: String(e), nodes: [], count: 0 }]));",
            vec![],
        )
        .await
        .map_err(|e| e.to_string())?;
    let violations = found.as_array().cloned().unwrap_or_default();
    let mut serious = Vec::new();
    for v in &violations {
        let line = format!(
            "{} ({}, {} elements): {} e.g. {}",
            v["id"].as_str().unwrap_or("?"),
            v["impact"].as_str().unwrap_or("?"),
            v["count"],
            v["help"].as_str().unwrap_or(""),
            v["nodes"]
        );
        println!("axe, {context}: {line}");
        if matches!(v["impact"].as_str(), Some("serious" | "critical")) {
            serious.push(format!("{context}: {line}"));
        }
    }
    Ok((violations.len(), serious))
}

/// Each view's main control, which an iframe of 600x500 must show without scrolling (the
/// mistakes view's is its matrix, which reads the whole test set first: left out).
const MAIN_CONTROLS: [(&str, &str); 5] = [
    ("draw", "pad"),
    ("train", "train-start"),
    ("inside", "field-layer"),
    ("handwriting", "collect-prompt"),
    ("library", "library-save"),
];

#[tokio::test]
async fn an_iframe_sized_window_shows_each_views_main_control_without_scrolling() {
    let url = serve_dir(dist_dir());
    let browser = Browser::start(&[]).await;
    let result = small_window(&browser.client, &url).await;
    browser.close().await;
    result.unwrap();
}

async fn small_window(c: &Client, url: &str) -> Result<(), String> {
    let err = |e: fantoccini::error::CmdError| e.to_string();
    for (view, control) in MAIN_CONTROLS {
        // The demo host page's iframe is 600x500, as a course page's would be.
        c.goto(&format!("{url}embed-demo.html?frame=view={view}"))
            .await
            .map_err(err)?;
        c.enter_frame(0).await.map_err(err)?;
        wait_for(
            c,
            &format!("#{control} in the {view} view"),
            &format!("document.getElementById('{control}')"),
            Duration::from_secs(60),
        )
        .await?;
        let fits = c
            .execute(
                &format!(
                    "const r = document.getElementById('{control}').getBoundingClientRect();
                     const d = document.documentElement;
                     return [r.top, r.bottom, innerWidth, innerHeight, d.scrollWidth, d.clientWidth];"
                ),
                vec![],
            )
            .await
            .map_err(|e| e.to_string())?;
        let v: Vec<f64> = fits
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect();
        println!(
            "{view} view at {}x{}: #{control} from {:.0} to {:.0} px; page {} px wide",
            v[2], v[3], v[0], v[1], v[4]
        );
        assert!(
            v[0] >= 0.0 && v[1] <= v[3],
            "{view}: #{control} spans {:.0}..{:.0} px of a {:.0} px window",
            v[0],
            v[1],
            v[3]
        );
        if v[4] > v[5] {
            // Name the elements that stick out, for the fix.
            let wide = c
                .execute(
                    "const w = document.documentElement.clientWidth;
                     return [...document.querySelectorAll('body *')]
                        .filter(e => e.getBoundingClientRect().right > w + 0.5)
                        .filter(e => ![...e.children].some(k => k.getBoundingClientRect().right > w + 0.5))
                        .slice(0, 6)
                        .map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right));",
                    vec![],
                )
                .await
                .map_err(err)?;
            return Err(format!(
                "{view}: the page scrolls sideways ({} > {}): {wide}",
                v[4], v[5]
            ));
        }
    }
    screenshot_element(c, "main", "embed-600x500.png", 500).await?;
    Ok(())
}
