//! "Why this digit?": ticked, the preview shows the reading's occlusion saliency, for the class
//! the page read, with red over the strokes that drove it.

use super::read_test_digits;
use fantoccini::{Client, Locator};
use inkling_data::{DatasetKind, Split};
use inkling_tests::browser::{
    attr, digit_strokes, screenshot_element, settled_prediction, wait_for,
};
use inkling_tests::load;
use std::time::{Duration, Instant};

fn js_error(e: impl std::fmt::Display) -> String {
    e.to_string()
}

pub async fn why_view(c: &Client, url: &str) -> Result<(), String> {
    c.goto(url).await.map_err(js_error)?;
    wait_for(
        c,
        "the model",
        "document.querySelector(\"#status[data-state='ready']\")",
        Duration::from_secs(30),
    )
    .await?;
    c.find(Locator::Id("why"))
        .await
        .map_err(js_error)?
        .click()
        .await
        .map_err(js_error)?;
    let pad = c.find(Locator::Id("pad")).await.map_err(js_error)?;
    let (_, _, side, _) = pad.rectangle().await.map_err(js_error)?;
    let test = load(DatasetKind::Mnist, Split::Test);

    // Drawing stays live with it ticked (the saliency follows each reading).
    println!("with \"why this digit\" ticked:");
    read_test_digits(c, &pad, side, &test, None).await?;

    c.find(Locator::Id("clear"))
        .await
        .map_err(js_error)?
        .click()
        .await
        .map_err(js_error)?;
    c.perform_actions(digit_strokes(&pad, side, test.image(0)))
        .await
        .map_err(js_error)?;
    c.release_actions().await.map_err(js_error)?;
    let read = settled_prediction(c).await;
    let read_at = Instant::now();
    wait_for(
        c,
        "the saliency of the reading",
        &format!(
            "document.getElementById('preview').dataset.whyClass === '{read}' \
             && document.getElementById('why-legend')"
        ),
        Duration::from_secs(20),
    )
    .await?;
    println!(
        "why this {read}: shown at most {:.0} ms after the reading (polled every 250 ms), \
         largest fall {} of probability",
        read_at.elapsed().as_secs_f64() * 1e3,
        attr(c, "preview", "data-why-max").await
    );
    // Red lies over the digit: the reddest pixels of the preview are ink the model saw.
    let red = c
        .execute(
            "const d = document.getElementById('preview').getContext('2d').getImageData(0, 0, 28, 28).data;
             let red = 0;
             for (let i = 0; i < d.length; i += 4) if (d[i] > 150 && d[i] - d[i + 2] > 80) red++;
             return red;",
            vec![],
        )
        .await
        .map_err(js_error)?;
    let red = red.as_u64().unwrap_or(0);
    println!("red pixels in the preview: {red}");
    assert!(red >= 10, "the saliency is not painted ({red} red pixels)");
    screenshot_element(c, "section.result", "why.png", 0).await?;
    Ok(())
}
