//! `inkling lr-find`: the range test on dsd-s with the default recipe's optimiser suggests a
//! peak rate near the one the default recipe uses, and writes its curve.

use super::*;

#[test]
fn the_range_test_on_dsd_s_suggests_a_rate_near_the_default_recipes_peak() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("lr.csv");
    let data = data_dir(DatasetKind::Mnist);
    let report = ok(&[
        "lr-find",
        "--model",
        "dsd-s",
        "--json",
        "--csv",
        csv.to_str().unwrap(),
        "--data-dir",
        data.to_str().unwrap(),
    ]);
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    let suggested = report["suggestion"]["rate"].as_f64().expect("a suggestion");
    let peak = report["default_recipe_peak"].as_f64().unwrap();
    let steps = report["steps_run"].as_u64().unwrap();
    println!(
        "lr-find on dsd-s: suggested {suggested:.2e} (lowest loss at {:.2e}) after {steps} steps; \
         the default recipe peaks at {peak:.1e}",
        report["suggestion"]["lowest_loss_rate"].as_f64().unwrap()
    );
    assert!(
        suggested > peak / 3.0 && suggested < peak * 3.0,
        "suggested {suggested:e}, not within a factor of 3 of {peak:e}"
    );
    // The loss turned up again after its minimum, and the curve is in the CSV.
    let last = report["points"][steps as usize - 1][1].as_f64().unwrap();
    let lowest = report["suggestion"]["lowest_loss"].as_f64().unwrap();
    assert!(
        last > 1.5 * lowest,
        "the loss never rose again ({last} vs {lowest})"
    );
    let lines = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(lines.lines().count() as u64, steps + 1);
    assert!(lines.starts_with("step,learning_rate,loss,smoothed_loss\n"));
}

#[test]
fn a_backwards_range_is_refused() {
    let out = fails(&["lr-find", "--start", "1e-2", "--end", "1e-4"]);
    assert!(out.contains("must be above the first"), "{out}");
}
