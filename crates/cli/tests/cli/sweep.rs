//! `inkling sweep` and `inkling runs compare`: a grid of real training runs on one budget of
//! steps, each an ordinary run directory, lined up in one table that marks what changed and
//! names the best run on the validation set.

use super::*;

#[test]
fn a_grid_sweep_trains_every_point_and_compare_marks_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sweep");
    let data = data_dir(DatasetKind::Mnist);
    let printed = ok(&[
        "sweep",
        "--lr",
        "0.0003,0.01",
        "--batch-size",
        "32,64",
        "--steps",
        "40",
        "--validation-size",
        "1000",
        "--out",
        out.to_str().unwrap(),
        "--data-dir",
        data.to_str().unwrap(),
    ]);
    println!("{printed}");

    // Four runs, each a run directory whose card holds the run description written for it.
    let mut validation = Vec::new();
    for (i, (lr, batch)) in [(0.0003, 32), (0.0003, 64), (0.01, 32), (0.01, 64)]
        .into_iter()
        .enumerate()
    {
        let run = out.join(format!("run-{:02}", i + 1));
        let card: serde_json::Value =
            serde_json::from_slice(&std::fs::read(run.join("run-card.json")).unwrap()).unwrap();
        let config: serde_json::Value =
            serde_json::from_slice(&std::fs::read(run.join("run.json")).unwrap()).unwrap();
        assert_eq!(card["run"], config);
        assert_eq!(config["recipe"]["learning_rate"].as_f64(), Some(lr));
        assert_eq!(config["recipe"]["batch_size"].as_u64(), Some(batch));
        assert_eq!(
            card["epochs"][0]["steps"].as_u64(),
            Some(40),
            "the step budget"
        );
        validation.push(card["epochs"][0]["validation_accuracy"].as_f64().unwrap());
        assert!(run.join("model.inkling").is_file());
    }
    println!("validation accuracies: {validation:?}");
    // 40 steps at 3e-4 barely move; at 1e-2 the network learns.
    assert!(validation[3] > validation[0] + 0.2, "{validation:?}");

    // The table lists the four runs; the changed settings are marked; the best run is named.
    let table = printed
        .lines()
        .skip_while(|l| !l.starts_with("run "))
        .collect::<Vec<_>>();
    assert!(table[0].contains("learning rate") && table[0].contains("batch size"));
    assert!(
        !table[0].contains("dilation"),
        "only what differs: {}",
        table[0]
    );
    assert!(table[1].starts_with("run-01") && !table[1].contains('*'));
    assert!(table[4].starts_with("run-04") && table[4].contains("0.01*"));
    let best = (0..4)
        .max_by(|&a, &b| validation[a].total_cmp(&validation[b]))
        .unwrap();
    let named = format!("best on the validation set: run-{:02}", best + 1);
    assert!(printed.contains(&named), "expected '{named}'");
    let csv = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    assert_eq!(csv.lines().count(), 5);

    // `runs compare` prints the same comparison from the cards, dilation included when asked.
    let compare = ok(&[
        "runs",
        "compare",
        out.join("run-01").to_str().unwrap(),
        out.join("run-04/run-card.json").to_str().unwrap(),
        "--all",
    ]);
    println!("{compare}");
    let rows: Vec<&str> = compare.lines().collect();
    assert!(rows[0].contains("dilation") && rows[0].contains("learning rate"));
    assert!(rows[2].starts_with("run-04") && rows[2].contains("0.01*"));
    assert!(rows[3] == "* differs from the first run");

    // A file that is not a run card is refused by name.
    let not_a_card = dir.path().join("model.json");
    std::fs::write(&not_a_card, "{}").unwrap();
    let refused = fails(&["runs", "compare", not_a_card.to_str().unwrap()]);
    assert!(refused.contains("is not a run card"), "{refused}");
}
