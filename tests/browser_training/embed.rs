//! Inkling in a course page: the demo host page embeds the playground and logs its events. It
//! hears `ready`, a `prediction` after a digit is drawn in the frame, and `run-started`,
//! `validation` and `run-finished` from a short CPU run its `set-settings` and `start`
//! messages begin; its `clear` empties the pad. With `?origin=` naming another origin, the
//! host's messages are ignored and it hears nothing.

use super::*;
use inkling_data::Split;
use inkling_tests::browser::digit_runs;
use inkling_tests::load;

#[tokio::test]
async fn a_host_page_hears_the_events_and_is_obeyed_only_from_its_origin() {
    let _serial = SERIAL.lock().await;
    let url = serve_dir(dist_dir());
    let browser = Browser::start(&[]).await;
    let result = embed(&browser.client, &url).await;
    browser.close().await;
    result.unwrap();
}

/// The events the host logged, as JSON objects, oldest first.
async fn events(c: &Client) -> Result<Vec<serde_json::Value>, String> {
    let texts = js(
        c,
        "[...document.querySelectorAll('#events li')].map(li => li.textContent)",
    )
    .await?;
    Ok(texts
        .as_array()
        .map(|texts| {
            texts
                .iter()
                .filter_map(|t| serde_json::from_str(t.as_str()?).ok())
                .collect()
        })
        .unwrap_or_default())
}

/// Waits until the host has logged an event of type `kind`, and returns the latest such.
async fn heard(c: &Client, kind: &str, timeout: Duration) -> Result<serde_json::Value, String> {
    wait_for(
        c,
        &format!("the host hears {kind}"),
        &format!("document.querySelector('#events li[data-type=\"{kind}\"]')"),
        timeout,
    )
    .await?;
    Ok(events(c)
        .await?
        .into_iter()
        .rev()
        .find(|e| e["type"] == kind)
        .expect("logged"))
}

async fn embed(c: &Client, url: &str) -> Result<(), String> {
    let err = |e: fantoccini::error::CmdError| e.to_string();
    goto_demo(c, url, "compute=cpu").await?;
    let ready = heard(c, "ready", Duration::from_secs(60)).await?;
    assert_eq!(ready["source"], "inkling");
    assert_eq!(ready["version"], 1);

    // Draw a test digit inside the frame.
    let test = load(DatasetKind::Mnist, Split::Test);
    let (image, label) = (test.image(0), test.label(0) as u64);
    c.enter_frame(0).await.map_err(err)?;
    let pad = c.find(Locator::Id("pad")).await.map_err(err)?;
    let (_, _, side, _) = pad.rectangle().await.map_err(err)?;
    c.perform_actions(digit_runs(&pad, side, image))
        .await
        .map_err(err)?;
    c.release_actions().await.map_err(err)?;
    let strokes = js(c, "Number(document.getElementById('pad').dataset.strokes)")
        .await?
        .as_u64()
        .unwrap_or(0);
    c.enter_parent_frame().await.map_err(err)?;
    // A loaded machine may pause mid-drawing for longer than the settle time, so a reading of
    // part of the digit may be posted first; the reading of the whole drawing comes last.
    let last_reads_label = format!(
        "(() => {{ const p = [...document.querySelectorAll('#events li[data-type=\"prediction\"]')].pop(); \
         return p !== undefined && JSON.parse(p.textContent).digit === {label}; }})()"
    );
    let read = wait_for(
        c,
        &format!("the host hears the drawn {label} read"),
        &last_reads_label,
        Duration::from_secs(30),
    )
    .await;
    let predictions: Vec<_> = events(c)
        .await?
        .into_iter()
        .filter(|e| e["type"] == "prediction")
        .collect();
    let digits: Vec<_> = predictions.iter().map(|p| p["digit"].clone()).collect();
    read.map_err(|e| format!("{e}; the digits the host heard: {digits:?}"))?;
    let probabilities = predictions.last().expect("heard")["probabilities"]
        .as_array()
        .unwrap()
        .clone();
    let total: f64 = probabilities.iter().filter_map(|p| p.as_f64()).sum();
    assert_eq!(probabilities.len(), 10);
    assert!((total - 1.0).abs() < 1e-3, "probabilities sum to {total}");
    assert!(
        predictions.len() * 2 <= strokes as usize,
        "{} predictions for one drawing of {strokes} strokes: one per settled drawing, not one \
         per stroke or frame",
        predictions.len()
    );

    // The host's clear empties the pad.
    click(c, "send-clear").await?;
    c.enter_frame(0).await.map_err(err)?;
    wait_for(
        c,
        "an empty pad",
        "document.getElementById('pad').dataset.strokes === '0'",
        Duration::from_secs(10),
    )
    .await?;
    c.enter_parent_frame().await.map_err(err)?;

    // The host sets a short run up and starts it.
    type_into(
        c,
        "settings",
        r#"{"subset": 2000, "epochs": 1, "eval_every": 20, "eval_size": 200, "compute": "cpu"}"#,
    )
    .await?;
    click(c, "send-settings").await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    click(c, "send-start").await?;
    let started = heard(c, "run-started", Duration::from_secs(30)).await?;
    assert_eq!(started["compute"], "cpu");
    assert_eq!(started["settings"]["training images"], "2000");
    let validation = heard(c, "validation", RUN_TIMEOUT).await?;
    assert!(validation["step"].as_u64().unwrap() >= 20);
    let finished = heard(c, "run-finished", RUN_TIMEOUT).await?;
    let steps = finished["steps"].as_u64().unwrap();
    assert_eq!(
        steps,
        2000 / 32,
        "one epoch of 2,000 images in batches of 32"
    );
    assert!(finished["seconds"].as_f64().unwrap() > 0.0);
    let test_accuracy = finished["test_accuracy"].as_f64().unwrap_or(f64::NAN);
    let validations = events(c)
        .await?
        .iter()
        .filter(|e| e["type"] == "validation")
        .count();
    println!(
        "embedded: ready, prediction {} ({label} drawn, {} settled readings of {strokes} \
         strokes), run of {steps} steps with {validations} validations, test accuracy {:.2} %",
        digits.last().expect("heard"),
        digits.len(),
        test_accuracy * 100.0
    );
    assert!(validations >= 3, "{validations} validation events");
    // The accuracy chart's text alternative says the last validation's accuracy.
    c.enter_frame(0).await.map_err(err)?;
    let said = js(
        c,
        "[...document.querySelectorAll('#accuracy-chart-values tr')]
            .find(r => r.querySelector('th').textContent === 'validation')
            .querySelectorAll('td')[1].textContent",
    )
    .await?;
    c.enter_parent_frame().await.map_err(err)?;
    let last = events(c)
        .await?
        .into_iter()
        .rev()
        .find(|e| e["type"] == "validation")
        .unwrap();
    assert_eq!(
        said,
        format!("{:.2} %", last["accuracy"].as_f64().unwrap() * 100.0),
        "the chart's table says the latest validation"
    );
    assert!(test_accuracy > 0.5, "the run learned: {finished}");
    screenshot_element(c, "body", "embed-demo.png", 900).await?;

    // With ?origin= naming another origin, the host's start is ignored and nothing is heard.
    let port = url.rsplit(':').next().unwrap().trim_end_matches('/');
    goto_demo(
        c,
        url,
        &format!("compute=cpu%26subset=500%26origin=http://localhost:{port}"),
    )
    .await?;
    c.enter_frame(0).await.map_err(err)?;
    wait_for(
        c,
        "the model in the frame",
        "document.getElementById('status') && document.getElementById('status').dataset.state === 'ready'",
        Duration::from_secs(60),
    )
    .await?;
    c.enter_parent_frame().await.map_err(err)?;
    click(c, "send-start").await?;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(events(c).await?.len(), 0, "nothing goes to another origin");
    c.enter_frame(0).await.map_err(err)?;
    let phase = js(
        c,
        "document.getElementById('train-status') ? document.getElementById('train-status').dataset.phase : 'closed'",
    )
    .await?;
    c.enter_parent_frame().await.map_err(err)?;
    assert!(
        phase == "closed" || phase == "idle",
        "a start from another origin was obeyed: {phase}"
    );
    Ok(())
}

async fn goto_demo(c: &Client, url: &str, frame: &str) -> Result<(), String> {
    c.goto(&format!("{url}embed-demo.html?frame={frame}"))
        .await
        .map_err(|e| e.to_string())
}
