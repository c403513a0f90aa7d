//! Runs side by side: two runs (3 epochs of 2,000 images) that differ in dilation alone are listed with "dilation" the
//! one highlighted difference, overlaid on the charts, exported as CSV and still listed after a
//! reload; a 4-run sweep adds four more.

use super::*;

#[tokio::test]
async fn runs_are_compared_kept_across_a_reload_exported_and_filled_by_a_sweep() {
    let _serial = SERIAL.lock().await;
    let url = serve_dir(dist_dir());
    let browser = Browser::start(&[]).await;
    let result = runs(&browser, &url).await;
    browser.close().await;
    result.unwrap();
}

/// The cells of a CSV record (quoted cells may hold commas and doubled quotes).
fn cells(line: &str) -> Vec<String> {
    let (mut cells, mut cell, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = line.chars().peekable();
    while let Some(ch) = chars.next() {
        match (ch, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => cells.push(std::mem::take(&mut cell)),
            _ => cell.push(ch),
        }
    }
    cells.push(cell);
    cells
}

async fn listed(c: &Client, runs: usize) -> Result<(), String> {
    wait_for(
        c,
        &format!("{runs} runs in the table"),
        &format!("document.querySelector(\"#runs-table[data-runs='{runs}']\")"),
        RUN_TIMEOUT,
    )
    .await
}

async fn runs(browser: &Browser, url: &str) -> Result<(), String> {
    let c = &browser.client;
    let page = format!("{url}?train&compute=cpu&subset=2000&epochs=3&eval_every=20");
    c.goto(&page).await.map_err(|e| e.to_string())?;
    wait_for(
        c,
        "the runs list read from IndexedDB",
        "document.querySelector(\"#runs[data-loaded='true']\")",
        Duration::from_secs(60),
    )
    .await?;

    // Two runs on 2,000 images: dsd-s with dilation, then without.
    click(c, "train-start").await?;
    phase_is(c, "finished", RUN_TIMEOUT).await?;
    listed(c, 1).await?;
    println!("run 1 kept");
    // The wide table scrolls inside its box: the page itself does not scroll sideways.
    let overflow = js(
        c,
        "document.documentElement.scrollWidth - document.documentElement.clientWidth",
    )
    .await?;
    let wide = js(c, "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).slice(0, 12).map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().width))").await?;
    assert_eq!(overflow, 0, "the runs table widens the page: {wide}");
    click(c, "train-dilation").await?;
    click(c, "train-start").await?;
    phase_is(c, "finished", RUN_TIMEOUT).await?;
    listed(c, 2).await?;
    println!("run 2 kept");

    let differing = js(c, "document.getElementById('runs-table').dataset.differing").await?;
    assert_eq!(differing, "dilation", "the settings that differ");
    let highlighted = js(
        c,
        "[...document.querySelectorAll('#runs-table .differs')].map(e => e.dataset.setting + '=' + e.textContent)",
    )
    .await?;
    assert_eq!(
        highlighted,
        serde_json::json!(["dilation=dilation", "dilation=off"]),
        "the column and run 2's cell are highlighted"
    );
    let figures = js(
        c,
        "[...document.querySelectorAll('#runs-table tbody tr')].map(r => [\
            Number(r.querySelector('.validation').dataset.accuracy), \
            Number(r.querySelector('.test').dataset.accuracy)])",
    )
    .await?;
    println!("runs table (validation, test accuracy): {figures}");
    for run in figures.as_array().ok_or("no rows")? {
        let validation = run[0].as_f64().unwrap_or(0.0);
        let test = run[1].as_f64().unwrap_or(0.0);
        assert!(validation > 0.7 && test > 0.7, "a run did not learn: {run}");
    }
    assert_eq!(attr(c, "runs-charts", "data-series").await, "2");
    let points = number(c, "runs-accuracy", "data-points").await;
    assert!(
        points >= 6.0,
        "the overlay shows {points} validation points"
    );
    screenshot_element(c, "#runs", "runs.png", 1400).await?;

    // Unticking a run takes it off the charts.
    c.find(Locator::Css(
        "#runs-table tbody tr:first-child input.overlay",
    ))
    .await
    .map_err(|e| e.to_string())?
    .click()
    .await
    .map_err(|e| e.to_string())?;
    wait_for(
        c,
        "one series",
        "document.querySelector(\"#runs-charts[data-series='1']\")",
        Duration::from_secs(10),
    )
    .await?;

    // The CSV export has both runs and every setting.
    click(c, "runs-export").await?;
    let csv = downloaded(&browser.downloads(), "csv").await?;
    let csv = std::fs::read_to_string(csv).map_err(|e| e.to_string())?;
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "{csv}");
    let header = cells(lines[0]);
    let dilation = header
        .iter()
        .position(|h| h == "dilation")
        .ok_or("no dilation column")?;
    assert!(
        header.iter().any(|h| h == "learning rate") && header.iter().any(|h| h == "test accuracy")
    );
    assert_eq!(cells(lines[1])[dilation], "on", "{csv}");
    assert_eq!(cells(lines[2])[dilation], "off", "{csv}");
    assert_eq!(cells(lines[2]).len(), header.len(), "{csv}");

    // After a reload the runs are still listed.
    c.goto(&page).await.map_err(|e| e.to_string())?;
    listed(c, 2).await?;

    // A 4-run grid sweep: two learning rates by two batch sizes, 15 steps each.
    c.find(Locator::Css("#sweep summary"))
        .await
        .map_err(|e| e.to_string())?
        .click()
        .await
        .map_err(|e| e.to_string())?;
    type_into(c, "sweep-lr", "0.001, 0.004").await?;
    // A batch the trainer's 4 GiB cannot hold is refused at the form, before any run (a sweep
    // at batch 3216 used to kill three trainers in a row for lack of memory).
    type_into(c, "sweep-batch", "16, 3216").await?;
    click(c, "sweep-start").await?;
    wait_for(
        c,
        "the oversized batch refused",
        "document.getElementById('sweep-error')?.textContent.includes('1024')",
        Duration::from_secs(10),
    )
    .await?;
    println!("sweep at batch 3216: {}", text(c, "sweep-error").await);
    type_into(c, "sweep-batch", "16, 32").await?;
    type_into(c, "sweep-steps", "15").await?;
    click(c, "sweep-start").await?;
    wait_for(
        c,
        "the sweep's four runs",
        "document.querySelector(\"#sweep-status[data-done='4'][data-total='4']\")",
        RUN_TIMEOUT,
    )
    .await?;
    listed(c, 6).await?;
    let differing = js(c, "document.getElementById('runs-table').dataset.differing").await?;
    println!("after the sweep, settings that differ from run 1: {differing}");
    let differing = differing.as_str().unwrap_or_default();
    for setting in ["learning rate", "batch size", "training images"] {
        assert!(
            differing.contains(setting),
            "{setting} not marked: {differing}"
        );
    }
    let steps = js(
        c,
        "[...document.querySelectorAll('#runs-table tbody tr')].slice(2).map(r => r.children[r.children.length - 6].textContent)",
    )
    .await?;
    assert_eq!(
        steps,
        serde_json::json!(["15", "15", "15", "15"]),
        "each sweep run's steps"
    );

    // Forgetting all runs empties the table, also after a reload.
    click(c, "runs-clear").await?;
    wait_for(
        c,
        "no table",
        "!document.getElementById('runs-table')",
        Duration::from_secs(10),
    )
    .await?;
    c.goto(&page).await.map_err(|e| e.to_string())?;
    wait_for(
        c,
        "the runs list read again",
        "document.querySelector(\"#runs[data-loaded='true']\") && !document.getElementById('runs-table')",
        Duration::from_secs(60),
    )
    .await
}
