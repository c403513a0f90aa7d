//! Browser-only pieces, run in headless Chromium by wasm-bindgen-test: strokes to the model's
//! input, loading model files from bytes, and errors shown in the page.

#![cfg(target_family = "wasm")]

use inkling_data::preprocess::centre_of_mass;
use inkling_web::config::{DEFAULT_BRUSH, DEFAULT_MODEL_URL, UrlConfig};
use inkling_web::draw::classifier::Classifier;
use inkling_web::draw::origin::Origin;
use inkling_web::draw::pad::{RASTER_SIDE, Stroke, rasterize};
use inkling_web::panic::{FATAL_ELEMENT_ID, show_fatal};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The pretrained model the site ships.
const SHIPPED: &[u8] = include_bytes!("../../../www/models/dsd-s.inkling");

/// Decodes `bytes` as the page does an uploaded file.
fn decode(bytes: &[u8]) -> Result<Classifier, String> {
    let origin = Origin::Upload {
        file_name: "test.inkling".into(),
    };
    Classifier::from_bytes(std::rc::Rc::new(bytes.to_vec()), origin)
}

fn line(points: &[(f64, f64)]) -> Stroke {
    Stroke {
        points: points.to_vec(),
        width: DEFAULT_BRUSH / 280.0,
    }
}

#[wasm_bindgen_test]
fn strokes_rasterise_to_dark_ink_on_paper() {
    let image = rasterize(&[line(&[(0.5, 0.2), (0.5, 0.8)])]).unwrap();
    assert_eq!(
        (image.width, image.height),
        (RASTER_SIDE as usize, RASTER_SIDE as usize)
    );
    let side = RASTER_SIDE as usize;
    let at = |x: f64, y: f64| {
        image.pixels[(y * side as f64) as usize * side + (x * side as f64) as usize]
    };
    assert!(at(0.5, 0.5) < 0.2, "the stroke is not dark");
    assert!(at(0.1, 0.5) > 0.9, "the paper is not light");
    assert!(rasterize(&[]).unwrap().pixels.iter().all(|&v| v > 0.99));
}

#[wasm_bindgen_test]
async fn a_drawn_one_is_read_as_one_and_centred() {
    let classifier = decode(SHIPPED).unwrap();
    // A slightly slanted vertical bar, drawn off-centre.
    let image = rasterize(&[line(&[(0.30, 0.15), (0.27, 0.45), (0.25, 0.75)])]).unwrap();
    let reading = classifier
        .classify(&image)
        .await
        .unwrap()
        .expect("ink was drawn");
    let (class, p) = reading.best();
    assert_eq!(class, 1, "probabilities {:?}", reading.probabilities);
    assert!(p > 0.5);
    let sum: f32 = reading.probabilities.iter().sum();
    assert!((sum - 1.0).abs() < 1e-3);
    let (cx, cy) = centre_of_mass(&reading.input, 28);
    assert!(
        (cx - 14.0).abs() <= 1.0 && (cy - 14.0).abs() <= 1.0,
        "({cx}, {cy})"
    );
}

#[wasm_bindgen_test]
async fn an_empty_pad_gives_no_reading() {
    let classifier = decode(SHIPPED).unwrap();
    let blank = rasterize(&[]).unwrap();
    assert_eq!(classifier.classify(&blank).await.unwrap(), None);
}

#[wasm_bindgen_test]
fn damaged_model_files_give_clear_errors() {
    let truncated = decode(&SHIPPED[..SHIPPED.len() / 2]).err().unwrap();
    assert!(truncated.contains("truncated"), "{truncated}");
    let foreign = decode(b"<!DOCTYPE html><html>404</html>").err().unwrap();
    assert!(foreign.contains("not an Inkling model file"), "{foreign}");
    let mut flipped = SHIPPED.to_vec();
    let last = flipped.len() - 10;
    flipped[last] ^= 1;
    let corrupt = decode(&flipped).err().unwrap();
    assert!(corrupt.contains("corrupt"), "{corrupt}");
}

#[wasm_bindgen_test]
async fn a_missing_model_url_is_reported_with_the_url() {
    let err = Classifier::fetch("/no-such-model.inkling")
        .await
        .err()
        .unwrap();
    assert!(err.contains("/no-such-model.inkling"), "{err}");
}

#[wasm_bindgen_test]
fn fatal_errors_are_shown_in_the_page() {
    let document = gloo::utils::document();
    let element = document.create_element("pre").unwrap();
    element.set_id(FATAL_ELEMENT_ID);
    element.set_attribute("hidden", "").unwrap();
    document.body().unwrap().append_child(&element).unwrap();
    show_fatal("the GPU went away");
    let element = document.get_element_by_id(FATAL_ELEMENT_ID).unwrap();
    assert!(!element.has_attribute("hidden"));
    let text = element.text_content().unwrap();
    assert!(
        text.contains("the GPU went away") && text.contains("Reload"),
        "{text}"
    );
}

#[wasm_bindgen_test]
fn url_settings_are_parsed_and_bad_values_ignored() {
    let c = UrlConfig::from_query("?model=models%2Fmine.inkling&brush=12");
    assert_eq!(c.model_url, "models/mine.inkling");
    assert_eq!(c.brush, 12.0);
    let c = UrlConfig::from_query("?brush=NaN&model=");
    assert_eq!(c.model_url, DEFAULT_MODEL_URL);
    assert_eq!(c.brush, DEFAULT_BRUSH);
    assert_eq!(UrlConfig::from_query("?brush=5000").brush, DEFAULT_BRUSH);
}

#[wasm_bindgen_test]
async fn the_library_keeps_renames_and_deletes_model_files_in_indexeddb() {
    use inkling_web::library::store;
    let before = store::list().await.unwrap().len();
    let saved = store::save("  shipped  ", "dsd-s on MNIST", Some(0.9931), SHIPPED)
        .await
        .unwrap();
    assert_eq!(saved.name, "shipped", "names are trimmed");
    assert_eq!(saved.size_bytes, SHIPPED.len());
    let listed = store::list().await.unwrap();
    assert_eq!(listed.len(), before + 1);
    assert_eq!(listed[0], saved, "newest first, as saved");
    assert_eq!(store::file(saved.id).await.unwrap(), SHIPPED, "bit for bit");

    store::rename(saved.id, "renamed").await.unwrap();
    let renamed = store::list().await.unwrap();
    assert_eq!(renamed[0].name, "renamed");
    assert_eq!(renamed[0].test_accuracy, Some(0.9931));
    let empty = store::rename(saved.id, "   ").await.unwrap_err();
    assert!(empty.contains("needs a name"), "{empty}");
    let long = store::save(&"x".repeat(81), "", None, SHIPPED)
        .await
        .unwrap_err();
    assert!(long.contains("at most 80"), "{long}");

    store::delete(saved.id).await.unwrap();
    assert_eq!(store::list().await.unwrap().len(), before);
    let gone = store::file(saved.id).await.unwrap_err();
    assert!(gone.contains("missing"), "{gone}");
}
