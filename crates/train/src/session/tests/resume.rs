//! Resuming: a snapshot picked up in a new session (moments included), and starts that cannot
//! be honoured.

use super::*;

/// Adam with momentum, so that the optimiser's moments matter.
fn adam_config() -> RunConfig {
    let mut config = config();
    config.recipe.optimizer = OptimizerKind::Adam {
        beta1: 0.9,
        beta2: 0.999,
    };
    config.recipe.learning_rate = 0.003;
    config
}

#[test]
fn a_snapshot_resumed_in_a_new_session_continues_the_run_exactly_moments_included() {
    let data = data();
    let mut host = Recorder::default();
    let mut whole = Session::start(request(&data, adam_config(), 4), &mut host).unwrap();
    while whole.wants_step() {
        step(&mut whole, &mut host);
    }
    let uninterrupted = losses(&host.take());

    let mut first = Session::start(request(&data, adam_config(), 4), &mut host).unwrap();
    for _ in 0..5 {
        step(&mut first, &mut host);
    }
    let (position, attachment) = host.last_snapshot();
    assert_eq!(position.step, 4);
    let moments = crate::Moments::decode(attachment.moments.as_deref().unwrap()).unwrap();
    assert!(
        moments
            .params
            .iter()
            .all(|p| p.time == 4 && !p.second.is_empty()),
        "Adam's moments after 4 steps travel with the snapshot"
    );
    drop(first); // the worker died after step 5; step 5 is lost with it
    host.take();

    let resume = |attachment: &Attachment, host: &mut Recorder| {
        let mut resumed = request(&data, adam_config(), 4);
        resumed.start = StartFrom::Resume {
            position: position.clone(),
        };
        resumed.attachment = Some(attachment);
        let mut second = Session::start(resumed, host).unwrap();
        let started = host.take();
        while second.wants_step() {
            step(&mut second, host);
        }
        (started, host.take())
    };
    let (started, reports) = resume(&attachment, &mut host);
    assert!(
        matches!(
            started[..],
            [Report::Started {
                step: 4,
                kept_moments: true,
                ..
            }]
        ),
        "{started:?}"
    );
    assert_eq!(steps(&reports), [5, 6, 7, 8]);
    // Same weights, moments, batches and augmentation give the same losses, to the bit.
    assert_eq!(losses(&reports), uninterrupted[4..]);

    // Without the moments (the page before they travelled) the run goes on, but differently.
    let weights_only = Attachment {
        moments: None,
        ..attachment
    };
    let (started, reports) = resume(&weights_only, &mut host);
    assert!(matches!(
        started[..],
        [Report::Started {
            kept_moments: false,
            ..
        }]
    ));
    assert_eq!(
        losses(&reports)[0],
        uninterrupted[4],
        "the first step's loss precedes the update"
    );
    assert_ne!(losses(&reports)[1..], uninterrupted[5..]);
}

#[test]
fn a_start_that_cannot_be_honoured_is_refused_with_a_typed_error_and_reports_nothing() {
    let data = data();
    let mut host = Recorder::default();
    let position = {
        let session = Session::start(request(&data, config(), 100), &mut host).unwrap();
        session.trainer().position()
    };
    host.take();

    let mut no_file = request(&data, config(), 100);
    no_file.start = StartFrom::Weights;
    let refused = Session::start(no_file, &mut host).err().unwrap();
    assert!(refused.to_string().contains("no model file"), "{refused}");

    let mut garbage = request(&data, config(), 100);
    garbage.start = StartFrom::Resume {
        position: position.clone(),
    };
    let garbage_file = Attachment {
        model: b"not a model file".to_vec(),
        moments: None,
    };
    garbage.attachment = Some(&garbage_file);
    let refused = Session::start(garbage, &mut host).err().unwrap();
    assert!(
        matches!(refused, Failure::Train(TrainError::InvalidConfig(_))),
        "{refused}"
    );

    // Good weights with damaged moments: refused, naming the moments.
    let good = {
        let session = Session::start(request(&data, config(), 100), &mut host).unwrap();
        pollster::block_on(session.trainer().model_file(None))
            .unwrap()
            .encode()
    };
    host.take();
    let damaged_moments = Attachment {
        model: good,
        moments: Some(b"INKMOMS\0 but cut short".to_vec()),
    };
    let mut damaged = request(&data, config(), 100);
    damaged.start = StartFrom::Resume {
        position: position.clone(),
    };
    damaged.attachment = Some(&damaged_moments);
    let refused = Session::start(damaged, &mut host).err().unwrap();
    assert!(
        matches!(&refused, Failure::Train(TrainError::Checkpoint(m)) if m.contains("optimiser moments")),
        "{refused}"
    );

    let mut bigger = config();
    bigger.recipe.train_subset = Some(128);
    let model = {
        let session = Session::start(request(&data, bigger.clone(), 100), &mut host).unwrap();
        pollster::block_on(session.trainer().model_file(None))
            .unwrap()
            .encode()
    };
    host.take();
    let mut elsewhere = request(&data, bigger, 100);
    elsewhere.start = StartFrom::Resume { position };
    let elsewhere_file = Attachment {
        model,
        moments: None,
    };
    elsewhere.attachment = Some(&elsewhere_file);
    let refused = Session::start(elsewhere, &mut host).err().unwrap();
    assert_eq!(
        refused,
        Failure::Train(TrainError::DatasetChanged {
            expected: 64,
            found: 128
        })
    );

    let mut invalid = config();
    invalid.recipe.batch_size = 0;
    let refused = Session::start(request(&data, invalid, 100), &mut host)
        .err()
        .unwrap();
    assert!(refused.to_string().contains("batch size"), "{refused}");
    assert_eq!(host.take(), [], "a refused start reports nothing itself");
}
