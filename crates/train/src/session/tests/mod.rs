//! The state machine driven natively, on real MNIST, with a host that records every report.

use super::*;
use crate::recipe::{OptimizerKind, Recipe};
use crate::schedule::Schedule;
use inkling_data::{AugmentConfig, Split};
use inkling_model::{ModelConfig, ModelFile};

/// Records the reports; its clock ticks 1 ms per reading; `lost` plays a lost GPU.
#[derive(Default)]
struct Recorder {
    reports: Vec<(Report, Option<Attachment>)>,
    clock_ms: std::cell::Cell<f64>,
    lost: Option<String>,
}

impl Host for Recorder {
    fn report(&mut self, report: Report, attachment: Option<Attachment>) {
        assert_eq!(
            report.carries_model(),
            attachment.is_some(),
            "a model file travels beside exactly the reports that carry one: {report:?}"
        );
        self.reports.push((report, attachment));
    }

    fn now_ms(&self) -> f64 {
        self.clock_ms.set(self.clock_ms.get() + 1.0);
        self.clock_ms.get()
    }

    fn device_lost(&self) -> Option<String> {
        self.lost.clone()
    }
}

impl Recorder {
    /// The reports since the last call, without the model files.
    fn take(&mut self) -> Vec<Report> {
        self.reports.drain(..).map(|(r, _)| r).collect()
    }

    /// The last snapshot's position and attachment (model file and moments).
    fn last_snapshot(&self) -> (crate::RunPosition, Attachment) {
        self.reports
            .iter()
            .rev()
            .find_map(|(r, attachment)| match r {
                Report::Snapshot { position, .. } => Some((position.clone(), attachment.clone()?)),
                _ => None,
            })
            .expect("a snapshot was sent")
    }
}

/// A small, fast run: the MLP without dropout, plain SGD (no optimiser moments, so a resumed run is
/// bit-identical), 64 examples in batches of 16 (4 steps an epoch), 2 epochs, augmentation on
/// (so the augmentation rng matters), 100 examples held out.
fn config() -> RunConfig {
    RunConfig {
        model: ModelConfig::preset("mlp").unwrap().with_dropout(0.0),
        recipe: Recipe {
            optimizer: OptimizerKind::Sgd {
                momentum: 0.0,
                nesterov: false,
            },
            learning_rate: 0.05,
            schedule: Schedule::Constant,
            warmup_steps: 0,
            batch_size: 16,
            epochs: 2,
            train_subset: Some(64),
            validation_size: 100,
            augment: AugmentConfig::digits(),
            ..Recipe::default()
        },
        seed: 3,
        ..RunConfig::default()
    }
}

struct Data {
    train: Dataset,
    test: Rc<Dataset>,
}

fn data() -> Data {
    Data {
        train: crate::test_data::mnist(Split::Train),
        test: Rc::new(crate::test_data::mnist(Split::Test).take(200)),
    }
}

fn request<'a>(data: &'a Data, config: RunConfig, eval_every: usize) -> StartRequest<'a> {
    StartRequest {
        config,
        compute: Compute::Cpu,
        adapter: "test CPU".into(),
        eval_every,
        eval_size: 50,
        start: StartFrom::Seed,
        attachment: None,
        full_train: &data.train,
        own_digits: None,
        test: data.test.clone(),
        device: Device::flex(),
        early_stop_patience: None,
        lr_range: None,
    }
}

fn step(session: &mut Session, host: &mut Recorder) {
    pollster::block_on(session.step(host));
}

fn control(session: &mut Session, command: Command, host: &mut Recorder) {
    pollster::block_on(session.control(command, host));
}

/// One field of each step reported, in order.
fn of_steps<T>(reports: &[Report], field: impl Fn(&Report) -> Option<T>) -> Vec<T> {
    reports.iter().filter_map(field).collect()
}

/// The steps reported, in order.
fn steps(reports: &[Report]) -> Vec<usize> {
    of_steps(reports, |r| match r {
        Report::Step { step, .. } => Some(*step),
        _ => None,
    })
}

/// The learning rate of each step reported, in order.
fn rates(reports: &[Report]) -> Vec<f64> {
    of_steps(reports, |r| match r {
        Report::Step { learning_rate, .. } => Some(*learning_rate),
        _ => None,
    })
}

/// The loss of each step reported, in order.
fn losses(reports: &[Report]) -> Vec<f64> {
    of_steps(reports, |r| match r {
        Report::Step { loss, .. } => Some(*loss),
        _ => None,
    })
}

#[test]
fn a_run_steps_to_its_end_validating_and_sending_snapshots_then_tests_and_finishes() {
    let data = data();
    let mut host = Recorder::default();
    let mut session = Session::start(request(&data, config(), 3), &mut host).unwrap();
    let started = host.take();
    assert!(
        matches!(
            started.as_slice(),
            [Report::Started {
                compute: Compute::Cpu,
                step: 0,
                steps_total: 8,
                steps_per_epoch: 4,
                train_examples: 64,
                validation_examples: 50,
                ..
            }]
        ),
        "{started:?}"
    );
    while session.wants_step() {
        step(&mut session, &mut host);
    }
    let final_model = host.last_snapshot().1.model;
    let reports = host.take();
    assert_eq!(steps(&reports), (1..=8).collect::<Vec<_>>());
    let kinds: Vec<String> = reports
        .iter()
        .filter(|r| !matches!(r, Report::Step { .. }))
        .map(|r| match r {
            Report::Validation { step, .. } => format!("validation@{step}"),
            Report::Snapshot { step, .. } => format!("snapshot@{step}"),
            Report::Tested { step, examples, .. } => format!("tested@{step}/{examples}"),
            Report::Finished { step } => format!("finished@{step}"),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "validation@3",
            "snapshot@3",
            "validation@6",
            "snapshot@6",
            "validation@8",
            "tested@8/200",
            "snapshot@8",
            "finished@8"
        ]
    );
    assert!(reports.iter().all(|r| match r {
        Report::Step {
            loss, milliseconds, ..
        } => loss.is_finite() && *milliseconds > 0.0,
        _ => true,
    }));
    // The final snapshot is a model file that records the test accuracy.
    let file = ModelFile::decode(&final_model).unwrap();
    assert_eq!(file.header.steps, 8);
    let tested = reports.iter().find_map(|r| match r {
        Report::Tested { accuracy, .. } => Some(*accuracy),
        _ => None,
    });
    assert_eq!(file.header.test_accuracy, tested);
    assert!(!session.wants_step() && session.is_finished());
}

#[test]
fn pause_holds_single_steps_take_exactly_one_and_resume_goes_on() {
    let data = data();
    let mut host = Recorder::default();
    let mut session = Session::start(request(&data, config(), 100), &mut host).unwrap();
    step(&mut session, &mut host);
    host.take();

    control(&mut session, Command::Pause, &mut host);
    assert_eq!(host.take(), [Report::Paused { step: 1 }]);
    assert!(!session.wants_step());

    control(&mut session, Command::Step, &mut host);
    control(&mut session, Command::Step, &mut host);
    let mut taken = 0;
    while session.wants_step() {
        step(&mut session, &mut host);
        taken += 1;
    }
    assert_eq!(taken, 2, "two single steps asked for, two taken");
    assert_eq!(steps(&host.take()), [2, 3]);

    // Pausing again drops single steps not yet taken.
    control(&mut session, Command::Step, &mut host);
    control(&mut session, Command::Pause, &mut host);
    assert!(!session.wants_step());
    assert_eq!(host.take(), [Report::Paused { step: 3 }]);

    control(&mut session, Command::Resume, &mut host);
    assert_eq!(host.take(), [Report::Resumed { step: 3 }]);
    assert!(session.wants_step());
}

#[test]
fn stop_tests_sends_a_final_snapshot_and_finishes_once() {
    let data = data();
    let mut host = Recorder::default();
    let mut session = Session::start(request(&data, config(), 100), &mut host).unwrap();
    step(&mut session, &mut host);
    step(&mut session, &mut host);
    host.take();
    control(&mut session, Command::Stop, &mut host);
    let reports = host.take();
    assert!(
        matches!(
            reports.as_slice(),
            [
                Report::Validation { step: 2, .. },
                Report::Tested {
                    step: 2,
                    examples: 200,
                    ..
                },
                Report::Snapshot { step: 2, .. },
                Report::Finished { step: 2 }
            ]
        ),
        "{reports:?}"
    );
    assert!(!session.wants_step());
    control(&mut session, Command::Stop, &mut host);
    assert_eq!(host.take(), [], "a second stop does nothing");
    // A finished run can still be tested (the page's "test now" button).
    control(&mut session, Command::Test, &mut host);
    assert!(matches!(
        host.take().as_slice(),
        [Report::Tested { step: 2, .. }]
    ));
}

#[test]
fn a_learning_rate_change_applies_from_the_next_step_and_a_bad_one_is_refused() {
    let data = data();
    let mut host = Recorder::default();
    let mut session = Session::start(request(&data, config(), 100), &mut host).unwrap();
    step(&mut session, &mut host);
    control(
        &mut session,
        Command::SetLearningRate {
            learning_rate: 0.01,
        },
        &mut host,
    );
    step(&mut session, &mut host);
    let reports = host.take();
    let rates = rates(&reports);
    assert_eq!(rates, [0.05, 0.01]);
    assert!(reports.contains(&Report::LearningRateSet {
        learning_rate: 0.01
    }));

    control(
        &mut session,
        Command::SetLearningRate {
            learning_rate: f64::NAN,
        },
        &mut host,
    );
    let refused = host.take();
    assert!(
        matches!(refused.as_slice(), [Report::Failed { message }] if message.contains("learning rate")),
        "{refused:?}"
    );
    assert!(
        session.wants_step(),
        "a refused change does not end the run"
    );
    step(&mut session, &mut host);
    let Report::Step { learning_rate, .. } = host.take()[0] else {
        panic!("a step")
    };
    assert_eq!(learning_rate, 0.01, "the rate in force is kept");
}

#[test]
fn a_diverging_run_sends_its_last_good_weights_then_says_why() {
    let data = data();
    let mut config = config();
    config.recipe.learning_rate = 10.0; // the largest accepted rate, far too high for plain SGD
    config.recipe.train_subset = Some(512);
    config.recipe.epochs = 10;
    let mut host = Recorder::default();
    let mut session = Session::start(request(&data, config, 1000), &mut host).unwrap();
    while session.wants_step() {
        step(&mut session, &mut host);
    }
    let model = host.last_snapshot().1.model;
    let reports = host.take();
    let last_step = *steps(&reports).last().expect("some steps were taken");
    assert!(last_step < 320, "diverged before the end");
    let tail = &reports[reports.len() - 2..];
    assert!(
        matches!(tail, [Report::Snapshot { step, .. }, Report::Failed { message }]
            if *step == last_step && message.contains("diverged")),
        "{tail:?}"
    );
    // The weights sent are the last good ones: every value finite. (How far they still are from
    // overflowing on other images depends on the CPU's rounding; see learns_mnist.rs.)
    let file = ModelFile::decode(&model).unwrap();
    let network = file.load(&Device::flex()).unwrap();
    let values = pollster::block_on(network.values_async()).unwrap();
    let finite = values
        .iter()
        .all(|t| t.iter::<f32>().all(|v| v.is_finite()));
    assert!(finite, "the weights sent hold NaN or infinities");
}

#[test]
fn a_lost_gpu_ends_the_run_with_gpu_failed_so_the_page_moves_it() {
    let data = data();
    let mut host = Recorder::default();
    let mut on_gpu = request(&data, config(), 100);
    // The state machine only asks the host whether the device was lost; the flex device stands
    // in for the GPU.
    on_gpu.compute = Compute::WebGpu;
    let mut session = Session::start(on_gpu, &mut host).unwrap();
    step(&mut session, &mut host);
    host.lost = Some("the GPU process crashed".into());
    step(&mut session, &mut host);
    let reports = host.take();
    assert!(
        matches!(&reports[..], [Report::Started { .. }, Report::Step { step: 1, .. }, Report::GpuFailed { reason }]
            if reason == "the GPU process crashed"),
        "{reports:?}"
    );
    assert!(!session.wants_step());
}

mod experiments;
mod resume;

#[test]
fn own_digits_are_mixed_into_the_epoch_and_damaged_ones_are_refused() {
    let data = data();
    let own = |labels: Vec<u8>| OwnDigits {
        images: data.train.image(0).repeat(3),
        labels,
        replay_share: 0.5,
    };
    let mut host = Recorder::default();
    let mut good = request(&data, config(), 100);
    good.own_digits = Some(own(vec![1, 2, 3]));
    let mut session = Session::start(good, &mut host).unwrap();
    // The epoch keeps the subset's size: 32 replayed examples and 32 of the three own digits.
    assert!(
        matches!(
            host.take()[..],
            [Report::Started {
                train_examples: 64,
                steps_per_epoch: 4,
                ..
            }]
        ),
        "{:?}",
        host.reports
    );
    step(&mut session, &mut host);
    assert!(matches!(host.take()[..], [Report::Step { step: 1, .. }]));

    let mut damaged = request(&data, config(), 100);
    damaged.own_digits = Some(own(vec![1, 2]));
    let error = Session::start(damaged, &mut host).err().expect("refused");
    assert!(error.to_string().contains("your digits"), "{error}");
    let mut too_much = request(&data, config(), 100);
    too_much.own_digits = Some(OwnDigits {
        replay_share: 1.0,
        ..own(vec![1, 2, 3])
    });
    let error = Session::start(too_much, &mut host).err().expect("refused");
    assert!(error.to_string().contains("share"), "{error}");
}
