//! Without WebGPU a run moves to the CPU; fine-tuning starts from the pretrained model, and a
//! diverging run keeps its last good weights.

use super::*;

#[tokio::test]
async fn without_webgpu_a_run_moves_to_the_cpu_and_says_so() {
    let _serial = SERIAL.lock().await;
    let url = serve_dir(dist_dir());
    let browser = Browser::start_without_webgpu().await;
    let result = falls_back(&browser.client, &url).await;
    browser.close().await;
    result.unwrap();
}

async fn falls_back(c: &Client, url: &str) -> Result<(), String> {
    c.goto(&format!(
        "{url}?train&compute=webgpu&subset=500&batch=50&epochs=1&eval_every=5"
    ))
    .await
    .map_err(|e| e.to_string())?;
    click(c, "train-start").await?;
    phase_is(c, "finished", RUN_TIMEOUT).await?;
    let notice = text(c, "train-notice").await;
    println!("page notice: {notice}");
    assert!(
        notice.contains("WebGPU could not be used"),
        "no fallback notice: {notice:?}"
    );
    assert_eq!(attr(c, "train-status", "data-compute").await, "CPU");
    assert_eq!(step(c).await, 10);
    assert!(number(c, "train-val-acc", "data-count").await >= 2.0);
    assert_eq!(text(c, "train-error").await, "");
    // The second worker found the dataset in the browser's cache.
    assert_eq!(attr(c, "train-data", "data-cached").await, "true");
    Ok(())
}

#[tokio::test]
async fn fine_tuning_starts_from_the_pretrained_model_and_a_diverging_run_keeps_good_weights() {
    let _serial = SERIAL.lock().await;
    let url = serve_dir(dist_dir());
    let browser = Browser::start(&[]).await;
    let result = fine_tunes_and_diverges(&browser.client, &url).await;
    browser.close().await;
    result.unwrap();
}

async fn fine_tunes_and_diverges(c: &Client, url: &str) -> Result<(), String> {
    // A form describing another network than the pretrained file: both are described, Start
    // waits, and one click adopts the file's network.
    c.goto(&format!("{url}?train&compute=cpu&finetune&width=0.5"))
        .await
        .map_err(|e| e.to_string())?;
    wait_for(
        c,
        "the mismatch notice",
        "document.getElementById('train-mismatch')",
        Duration::from_secs(60),
    )
    .await?;
    let notice = text(c, "train-mismatch").await;
    println!("{notice}");
    assert!(
        notice.contains("The pretrained model is dsd-s: DSD net, stem 16")
            && notice.contains("The form describes dsd-xs: DSD net, stem 8"),
        "{notice}"
    );
    assert_eq!(attr(c, "train-start", "disabled").await, "disabled");
    click(c, "train-adopt").await?;
    wait_for(
        c,
        "the adopted network",
        "!document.getElementById('train-mismatch')
         && document.getElementById('train-width').value === '1'
         && !document.getElementById('train-start').disabled",
        Duration::from_secs(5),
    )
    .await?;

    // Only the head trains from the pretrained weights: the first validation is already far
    // above a fresh net's.
    c.goto(&format!(
        "{url}?train&compute=cpu&finetune&layers=head&subset=500&batch=50&epochs=1&eval_every=5&lr=0.0001"
    ))
    .await
    .map_err(|e| e.to_string())?;
    wait_for(
        c,
        "the layers select",
        "document.getElementById('train-layers')",
        Duration::from_secs(60),
    )
    .await?;
    let offered = c
        .execute(
            "return [...document.getElementById('train-layers').options].map(o => o.value)",
            vec![],
        )
        .await
        .map_err(|e| e.to_string())?;
    let offered: Vec<String> = serde_json::from_value(offered).map_err(|e| e.to_string())?;
    assert_eq!(
        offered,
        FineTuneMode::names(),
        "the options of #train-layers"
    );
    let summary = text(c, "train-model-summary").await;
    assert!(
        summary.contains("37,642 parameters, 1,290 of them train (the head)"),
        "{summary}"
    );
    click(c, "train-start").await?;
    phase_is(c, "finished", RUN_TIMEOUT).await?;
    let accuracy = number(c, "train-val-acc", "data-accuracy").await;
    println!(
        "fine-tuned for 10 steps: validation {:.2} %",
        accuracy * 100.0
    );
    assert!(
        accuracy >= 0.97,
        "fine-tuning did not start from the pretrained model: {accuracy}"
    );

    // Plain SGD at learning rate 10 diverges: the run stops, says why, and keeps good weights.
    c.goto(&format!(
        "{url}?train&compute=cpu&arch=mlp&dropout=0&optimizer=sgd&lr=10&schedule=constant&subset=512&epochs=5&eval_every=1000"
    ))
    .await
    .map_err(|e| e.to_string())?;
    click(c, "train-start").await?;
    phase_is(c, "failed", RUN_TIMEOUT).await?;
    let error = text(c, "train-error").await;
    println!("diverging run: {error}");
    assert!(
        error.contains("diverged") && error.contains("last good weights"),
        "{error}"
    );
    wait_for(
        c,
        "the last good weights",
        "document.getElementById('train-snapshot').dataset.step !== ''
         && !document.getElementById('train-download').disabled",
        Duration::from_secs(30),
    )
    .await?;
    Ok(())
}
