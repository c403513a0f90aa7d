//! Lessons as links: every `?preset=` opens its lesson with the form set to its first run and
//! starts on the CPU; a variant's button sets the form to that run; "Copy link" writes a link
//! that opens the same form; `?controls=` and `?hide=` show what a lesson needs; `?lang=zh`
//! gives the lesson in Chinese; a preset that names no lesson says so.

use super::*;
use inkling_web::lessons::LESSONS;

#[tokio::test]
async fn every_lesson_opens_from_its_link_and_a_copied_link_restores_the_form() {
    let _serial = SERIAL.lock().await;
    let url = serve_dir(dist_dir());
    let browser = Browser::start(&[]).await;
    let result = lessons(&browser.client, &url).await;
    browser.close().await;
    result.unwrap();
}

async fn goto(c: &Client, url: &str) -> Result<(), String> {
    c.goto(url).await.map_err(|e| e.to_string())
}

async fn exists(c: &Client, id: &str) -> Result<bool, String> {
    Ok(js(c, &format!("document.getElementById('{id}') !== null")).await? == true)
}

async fn checked(c: &Client, id: &str) -> Result<bool, String> {
    Ok(js(c, &format!("document.getElementById('{id}').checked")).await? == true)
}

async fn value(c: &Client, id: &str) -> Result<String, String> {
    Ok(js(c, &format!("document.getElementById('{id}').value"))
        .await?
        .as_str()
        .unwrap_or_default()
        .to_string())
}

async fn lessons(c: &Client, url: &str) -> Result<(), String> {
    for name in LESSONS.iter().map(|l| l.name) {
        let started = std::time::Instant::now();
        goto(c, &format!("{url}?preset={name}&compute=cpu&eval_size=50")).await?;
        wait_for(
            c,
            &format!("lesson {name}"),
            &format!("document.querySelector('#lesson[data-lesson=\"{name}\"]')"),
            Duration::from_secs(30),
        )
        .await?;
        assert_eq!(
            attr(c, "lesson-variant-0", "aria-pressed").await,
            "true",
            "{name}: the form is the lesson's first run"
        );
        click(c, "train-start").await?;
        step_at_least(c, 1).await?;
        println!(
            "lesson {name}: opened and stepped in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        click(c, "train-stop").await?;
    }

    // A variant's button sets the form; a copied link opens the same form.
    goto(c, &format!("{url}?preset=batch-norm&compute=cpu")).await?;
    click(c, "lesson-variant-1").await?;
    wait_for(
        c,
        "variant B pressed",
        "document.getElementById('lesson-variant-1').getAttribute('aria-pressed') === 'true'",
        Duration::from_secs(10),
    )
    .await?;
    assert!(!checked(c, "train-bn").await?, "B has no batch norm");
    assert_eq!(attr(c, "lesson-variant-0", "aria-pressed").await, "false");
    type_into(c, "train-epochs", "2").await?;
    assert_eq!(
        attr(c, "lesson-variant-1", "aria-pressed").await,
        "false",
        "an edit releases the variant"
    );
    screenshot_element(c, "#lesson", "lesson.png", 900).await?;
    click(c, "copy-link").await?;
    wait_for(
        c,
        "the copied link",
        "document.getElementById('copy-link-url')",
        Duration::from_secs(10),
    )
    .await?;
    let link = text(c, "copy-link-url").await;
    println!("copied link: {link}");
    for part in ["bn=off", "epochs=2", "subset=4000", "compute=cpu", "train="] {
        assert!(link.contains(part), "{part} is missing from {link}");
    }
    assert!(!link.contains("preset"), "{link}");
    goto(c, &link).await?;
    wait_for(
        c,
        "the form",
        "document.getElementById('train-bn')",
        Duration::from_secs(30),
    )
    .await?;
    assert!(!checked(c, "train-bn").await?);
    assert_eq!(value(c, "train-epochs").await?, "2");
    assert_eq!(value(c, "train-subset").await?, "4000");
    assert_eq!(value(c, "train-compute").await?, "cpu");

    // Only the named controls, or all but the hidden ones.
    goto(c, &format!("{url}?train&controls=lr,batch,sweep")).await?;
    wait_for(
        c,
        "the form",
        "document.getElementById('train-lr')",
        Duration::from_secs(30),
    )
    .await?;
    for (id, shown) in [
        ("train-lr", true),
        ("train-batch", true),
        ("sweep", true),
        ("train-epochs", false),
        ("train-architecture", false),
        ("lesson", false),
        ("runs-table", false),
    ] {
        assert_eq!(
            exists(c, id).await?,
            shown,
            "?controls=lr,batch,sweep: #{id}"
        );
    }
    goto(c, &format!("{url}?train&hide=lesson,augment")).await?;
    wait_for(
        c,
        "the form",
        "document.getElementById('train-lr')",
        Duration::from_secs(30),
    )
    .await?;
    assert!(!exists(c, "lesson").await? && !exists(c, "train-rotate").await?);
    assert!(exists(c, "train-epochs").await? && exists(c, "sweep").await?);

    // In Chinese; and a preset that names no lesson.
    goto(c, &format!("{url}?preset=dilation&lang=zh")).await?;
    wait_for(
        c,
        "the lesson",
        "document.getElementById('lesson-title')",
        Duration::from_secs(30),
    )
    .await?;
    assert_eq!(text(c, "lesson-title").await, "空洞卷积：免费扩大感受野");
    assert_eq!(
        js(c, "document.documentElement.lang").await?,
        "zh-Hans",
        "the page says its language"
    );
    screenshot_element(c, "#lesson", "lesson-zh.png", 900).await?;
    goto(c, &format!("{url}?preset=resnet")).await?;
    wait_for(
        c,
        "the refusal",
        "document.getElementById('lesson-error')",
        Duration::from_secs(30),
    )
    .await?;
    let refusal = text(c, "lesson-error").await;
    assert!(
        refusal.contains("resnet") && refusal.contains("overfitting"),
        "{refusal}"
    );
    Ok(())
}
