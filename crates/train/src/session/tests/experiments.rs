//! Early stopping and the learning-rate range test, as a start asks for them.

use super::*;
use crate::early_stop::{EarlyStopping, Verdict};

/// The weights of a model file, whatever its header says (steps, test accuracy).
fn weights_of(model: &[u8]) -> Vec<u8> {
    let mut file = ModelFile::decode(model).unwrap();
    file.header.steps = 0;
    file.header.test_accuracy = None;
    file.encode()
}

#[test]
fn early_stopping_ends_the_run_when_validation_stalls_and_restores_the_best_weights() {
    let data = data();
    let mut host = Recorder::default();
    let request = StartRequest {
        early_stop_patience: Some(1),
        ..request(&data, config(), 1)
    };
    let mut session = Session::start(request, &mut host).unwrap();
    while session.wants_step() {
        step(&mut session, &mut host);
    }
    let snapshots: Vec<(usize, Vec<u8>)> = host
        .reports
        .iter()
        .filter_map(|(r, a)| match (r, a) {
            (Report::Snapshot { step, .. }, Some(a)) => Some((*step, a.model.clone())),
            _ => None,
        })
        .collect();
    let reports = host.take();
    let validations: Vec<(usize, f64)> = reports
        .iter()
        .filter_map(|r| match r {
            Report::Validation { step, accuracy, .. } => Some((*step, *accuracy)),
            _ => None,
        })
        .collect();
    // The shared rule, replayed over the validations, says where it had to stop.
    let mut rule = EarlyStopping::new(1);
    let (stop_step, best_step) = validations
        .iter()
        .find_map(|&(step, accuracy)| match rule.observe(step, accuracy) {
            Verdict::Stop { best_epoch } => Some((step, best_epoch)),
            _ => None,
        })
        .expect("validation accuracy on 50 examples stalls within 8 steps");
    let (best, _) = rule.best.unwrap();
    assert!(
        reports.contains(&Report::EarlyStopped {
            step: stop_step,
            best_step,
            best_accuracy: best,
            patience: 1,
        }),
        "{reports:?}"
    );
    assert_eq!(steps(&reports), (1..=stop_step).collect::<Vec<_>>());
    assert!(matches!(reports.last(), Some(Report::Finished { step }) if *step == stop_step));
    // The final validation and snapshot are those of the best step's weights.
    assert_eq!(validations.last(), Some(&(stop_step, best)));
    let at = |step: usize| {
        snapshots
            .iter()
            .find(|(s, _)| *s == step)
            .map(|(_, m)| weights_of(m))
            .unwrap()
    };
    let last = weights_of(&snapshots.last().unwrap().1);
    assert_eq!(last, at(best_step), "the best step's weights are restored");
    assert_ne!(at(best_step), at(stop_step), "training changed the weights");
    println!("validations {validations:?}: stopped at {stop_step}, kept {best_step} ({best})");
}

#[test]
fn a_range_test_raises_the_rate_every_step_and_ends_with_its_suggestion_without_testing() {
    let data = data();
    let mut host = Recorder::default();
    let mut run = config();
    run.recipe.epochs = 4;
    let plan = LrRangeTest {
        start: 1e-4,
        end: 10.0,
        steps: 16,
    };
    let request = StartRequest {
        lr_range: Some(plan),
        ..request(&data, run, 1)
    };
    let mut session = Session::start(request, &mut host).unwrap();
    while session.wants_step() {
        step(&mut session, &mut host);
    }
    let reports = host.take();
    let rates = rates(&reports);
    println!("rates {rates:?}; losses {:?}", losses(&reports));
    assert!(rates.len() >= 8, "only {} steps", rates.len());
    for (i, rate) in rates.iter().enumerate() {
        assert!(
            (rate / plan.rate_at(i) - 1.0).abs() < 1e-9,
            "step {i}: {rate}"
        );
    }
    assert!(!reports.iter().any(|r| matches!(
        r,
        Report::Validation { .. } | Report::Snapshot { .. } | Report::Tested { .. }
    )));
    let n = reports.len();
    assert!(
        matches!(
            &reports[n - 2..],
            [Report::LrRangeDone { .. }, Report::Finished { .. }]
        ),
        "{:?}",
        &reports[n - 2..]
    );
    assert!(session.is_finished());
}
