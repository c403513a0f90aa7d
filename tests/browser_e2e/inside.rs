//! The inside view: with it open, drawn digits are still read live (p95 printed and bounded),
//! every layer's maps and the logits follow the drawing, and the receptive-field explorer
//! highlights exactly the pixels the model crate's function gives, for a unit picked on a map
//! with the pointer, with dilation off, and for a unit named with the keyboard.

use super::{DIGITS, read_test_digits};
use burn::tensor::Device;
use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
use fantoccini::{Client, Locator};
use inkling_data::{DatasetKind, Split};
use inkling_model::inside::max_abs;
use inkling_model::{DigitReader, ModelConfig, ModelFile};
use inkling_tests::browser::{
    artifacts_dir, attr, click, digit_strokes, dist_dir, screenshot_element, settled_prediction,
    wait_for,
};
use inkling_tests::load;
use inkling_web::config::DEFAULT_MODEL_URL;
use std::time::Duration;

/// The most a reading may take at the 95th percentile with the inside view open (issue #11).
const OPEN_P95_MS: f64 = 15.0;
const WAIT: Duration = Duration::from_secs(30);

/// What `#field` says about the unit it explains: layer, row, column, pixel count.
async fn field(c: &Client) -> (String, usize, usize, usize) {
    let number = |s: String| s.parse::<usize>().unwrap_or(usize::MAX);
    (
        attr(c, "field", "data-layer").await,
        number(attr(c, "field", "data-row").await),
        number(attr(c, "field", "data-col").await),
        number(attr(c, "field", "data-pixels").await),
    )
}

/// The pixel count the model crate computes for a unit of `preset`.
fn pixels(preset: &str, layer: &str, row: usize, col: usize) -> usize {
    ModelConfig::preset(preset)
        .unwrap()
        .receptive_field_of(layer, row, col)
        .unwrap()
        .count()
}

pub async fn inside_view(c: &Client, url: &str) -> Result<(), String> {
    c.goto(&format!("{url}?inside"))
        .await
        .map_err(|e| e.to_string())?;
    wait_for(
        c,
        "the model",
        "document.querySelector(\"#status[data-state='ready']\")",
        WAIT,
    )
    .await?;
    wait_for(
        c,
        "the inside view",
        "document.getElementById('inside')",
        WAIT,
    )
    .await?;
    let pad = c
        .find(Locator::Id("pad"))
        .await
        .map_err(|e| e.to_string())?;
    let (_, _, side, _) = pad.rectangle().await.map_err(|e| e.to_string())?;
    let test = load(DatasetKind::Mnist, Split::Test);

    println!("with the inside view open, {DIGITS} digits:");
    let p95_ms = read_test_digits(c, &pad, side, &test, None).await?;
    if p95_ms > OPEN_P95_MS {
        return Err(format!(
            "reading p95 {p95_ms:.2} ms with the inside view open, over {OPEN_P95_MS} ms"
        ));
    }

    // A 7 on the pad: seven layers of maps and ten logits, the largest the page's reading.
    c.perform_actions(digit_strokes(&pad, side, test.image(0)))
        .await
        .map_err(|e| e.to_string())?;
    c.release_actions().await.map_err(|e| e.to_string())?;
    let read = settled_prediction(c).await;
    wait_for(
        c,
        "the maps",
        "document.querySelector(\"#inside[data-state='ready']\")",
        WAIT,
    )
    .await?;
    let layers = c
        .execute(
            "return [...document.querySelectorAll('canvas.maps')].map(m => m.dataset.layer)",
            vec![],
        )
        .await
        .map_err(|e| e.to_string())?;
    let expected: Vec<String> = ModelConfig::preset("dsd-s")
        .unwrap()
        .spatial_layers()
        .into_iter()
        .map(|l| l.name)
        .collect();
    assert_eq!(
        layers,
        serde_json::json!(expected),
        "one map grid per layer"
    );
    // Every grid is painted: its strongest activations are dark.
    let painted = c
        .execute(
            "return [...document.querySelectorAll('canvas.maps')].map(m => {
               const d = m.getContext('2d').getImageData(0, 0, m.width, m.height).data;
               let dark = 0;
               for (let i = 0; i < d.length; i += 4) if (d[i] < 128) dark++;
               return dark;
             })",
            vec![],
        )
        .await
        .map_err(|e| e.to_string())?;
    println!("dark pixels of each layer's maps: {painted}");
    let painted: Vec<u64> = serde_json::from_value(painted).map_err(|e| e.to_string())?;
    assert!(
        painted.iter().all(|&n| n > 0),
        "a layer's maps are blank: {painted:?}"
    );
    let best = c
        .execute(
            "const v = [...document.querySelectorAll('#logits td')].map(t => Number(t.textContent));
             return v.length === 10 ? v.indexOf(Math.max(...v)) : -1;",
            vec![],
        )
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(best.to_string(), read, "the largest logit is the reading");

    // Tap the unit at row 3, column 25 of block 2's first map. The grid is 16 maps of 28x28
    // per row with one-pixel gaps (463x57). WebDriver moves to whole CSS pixels and the canvas
    // may sit at a fraction of one, so the point is the first whole pixel inside the unit.
    let block2 = c
        .find(Locator::Css("canvas.maps[data-layer='block 2']"))
        .await
        .map_err(|e| e.to_string())?;
    let (_, _, width, height) = block2.rectangle().await.map_err(|e| e.to_string())?;
    assert_eq!((width, height), (463.0, 57.0), "block 2's grid of maps");
    let (row, col) = (3, 25);
    let corner = c
        .execute(
            "const e = document.querySelector(\"canvas.maps[data-layer='block 2']\");
             e.scrollIntoView({ block: 'center' });
             const r = e.getBoundingClientRect();
             return [r.left, r.top];",
            vec![],
        )
        .await
        .map_err(|e| e.to_string())?;
    let (left, top) = (corner[0].as_f64().unwrap(), corner[1].as_f64().unwrap());
    let at = PointerAction::MoveTo {
        duration: None,
        x: (left + col as f64).ceil(),
        y: (top + row as f64).ceil(),
    };
    let tap = MouseActions::new("mouse".into())
        .then(at)
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    c.perform_actions(tap).await.map_err(|e| e.to_string())?;
    c.release_actions().await.map_err(|e| e.to_string())?;
    let want = pixels("dsd-s", "block 2", row, col);
    let named = wait_for(
        c,
        "the tapped unit",
        &format!("document.getElementById('field').dataset.pixels === '{want}'"),
        WAIT,
    )
    .await;
    let seen = field(c).await;
    println!("tapped block 2 ({row}, {col}): {seen:?}, the model crate says {want} pixels");
    named?;
    assert_eq!(seen, ("block 2".to_string(), row, col, want));
    // The unit is marked on every map of its layer, and on no other layer.
    assert_eq!(
        marked(c).await?,
        [("block 2".to_string(), "3,25".to_string(), 32)]
    );
    let shot = c.screenshot().await.map_err(|e| e.to_string())?;
    let path = artifacts_dir().join("inside.png");
    std::fs::write(&path, shot).unwrap();
    println!("screenshot: {}", path.display());

    // The same unit with dilation off: the undilated network's field, smaller.
    click(c, "field-undilated").await?;
    let undilated = pixels("dsd-s-nodil", "block 2", row, col);
    assert!(undilated < want);
    wait_for(
        c,
        "the undilated field",
        &format!("document.getElementById('field').dataset.pixels === '{undilated}'"),
        WAIT,
    )
    .await?;
    println!("with dilation off: {undilated} pixels");

    // A unit named with the keyboard: block 6, where a unit sees almost all of the digit.
    click(c, "field-undilated").await?;
    c.find(Locator::Id("field-layer"))
        .await
        .map_err(|e| e.to_string())?
        .select_by_value("6")
        .await
        .map_err(|e| e.to_string())?;
    // The row and column stay (3, 25) but block 6 is 7x7: the column moves inside it.
    let want = pixels("dsd-s", "block 6", 3, 6);
    wait_for(
        c,
        "block 6's unit",
        &format!(
            "document.getElementById('field').dataset.layer === 'block 6' \
             && document.getElementById('field').dataset.pixels === '{want}'"
        ),
        WAIT,
    )
    .await?;
    assert_eq!(field(c).await, ("block 6".to_string(), 3, 6, want));
    assert_eq!(
        marked(c).await?,
        [("block 6".to_string(), "3,6".to_string(), 128)]
    );
    println!("block 6 (3, 6) by keyboard: {want} pixels, marked on its 128 maps");
    learned_filters(c).await
}

/// The layers whose maps mark a unit: name, the unit (`row,col`), and on how many maps the
/// unit's cell holds the marker's orange (read from the canvas's pixels).
async fn marked(c: &Client) -> Result<Vec<(String, String, u64)>, String> {
    let found = c
        .execute(
            "return [...document.querySelectorAll('canvas.maps[data-selected]')].map(k => {
               const [row, col] = k.dataset.selected.split(',').map(Number);
               const d = k.getContext('2d').getImageData(0, 0, k.width, k.height).data;
               // The caption says `block 2: 32 maps of 28x28`; 16 maps per row, each scaled to
               // about 28 pixels, one-pixel gaps.
               const caption = k.previousElementSibling.textContent;
               const maps = Number(caption.match(/: (\\d+) maps/)[1]);
               const side = Number(caption.match(/of (\\d+)x/)[1]);
               const scale = Math.max(1, Math.floor(28 / side)), pitch = side * scale + 1;
               const columns = Math.min(maps, 16);
               let orange = 0;
               for (let m = 0; m < maps; m++) {
                 const x = (m % columns) * pitch + col * scale, y = Math.floor(m / columns) * pitch + row * scale;
                 const i = (y * k.width + x) * 4;
                 if (d[i] === 245 && d[i + 1] === 130 && d[i + 2] === 0) orange++;
               }
               return [k.dataset.layer, k.dataset.selected, orange];
             })",
            vec![],
        )
        .await
        .map_err(|e| e.to_string())?;
    serde_json::from_value(found).map_err(|e| e.to_string())
}

/// The learned filters: a canvas for the stem and two per block, the depthwise kernels as wide
/// as their dilation spreads them, each on the scale of the model file's own weights.
async fn learned_filters(c: &Client) -> Result<(), String> {
    let expected = shipped_filters();
    c.find(Locator::Css("#filters summary"))
        .await
        .map_err(|e| e.to_string())?
        .click()
        .await
        .map_err(|e| e.to_string())?;
    let canvases = c
        .execute(
            "return [...document.querySelectorAll('canvas.filters')].map(k => {
               const d = k.getContext('2d').getImageData(0, 0, k.width, k.height).data;
               let coloured = 0;
               for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && Math.abs(d[i] - d[i + 2]) > 40) coloured++;
               return [k.dataset.layer, k.dataset.kind, k.dataset.extent || '', k.dataset.max, coloured];
             })",
            vec![],
        )
        .await
        .map_err(|e| e.to_string())?;
    let canvases: Vec<(String, String, String, String, u64)> =
        serde_json::from_value(canvases).map_err(|e| e.to_string())?;
    let seen: Vec<(String, String, String, String)> = canvases
        .iter()
        .map(|(l, k, e, m, _)| (l.clone(), k.clone(), e.clone(), m.clone()))
        .collect();
    assert_eq!(seen, expected, "the filter canvases");
    assert!(
        canvases.iter().all(|c| c.4 > 0),
        "a filter canvas is blank: {canvases:?}"
    );
    println!(
        "learned filters: {} canvases; block 2's depthwise kernels span {} pixels",
        canvases.len(),
        canvases[3].2
    );
    // Tall enough for every filter canvas.
    screenshot_element(c, "#filters", "filters.png", 2400).await?;
    Ok(())
}

/// `(layer, kind, extent, max)` of each filter canvas, from the model file the page reads with.
fn shipped_filters() -> Vec<(String, String, String, String)> {
    let bytes = std::fs::read(dist_dir().join(DEFAULT_MODEL_URL)).unwrap();
    let reader = DigitReader::new(ModelFile::decode(&bytes).unwrap(), &Device::flex()).unwrap();
    let filters = pollster::block_on(reader.filters()).unwrap().unwrap();
    let max = |v: &[f32]| format!("{:.4}", max_abs(v));
    let mut out = vec![(
        "stem".into(),
        "kernels".into(),
        "3".into(),
        max(&filters.stem),
    )];
    for (i, b) in filters.blocks.iter().enumerate() {
        let layer = format!("block {}", i + 1);
        out.push((
            layer.clone(),
            "depthwise".into(),
            b.extent().to_string(),
            max(&b.depthwise),
        ));
        out.push((layer, "pointwise".into(), String::new(), max(&b.pointwise)));
    }
    out
}
