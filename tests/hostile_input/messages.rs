//! Worker messages.

use super::*;

/// A real run position, as the worker sends in snapshots and the page sends back to resume.
pub(super) fn real_position() -> RunPosition {
    Trainer::new(RunConfig::default(), 59_000, &Device::flex())
        .unwrap()
        .position()
}

pub(super) const COMMAND_TAGS: [&str; 17] = [
    "start",
    "worker-crash",
    "gpu-loss",
    "pause",
    "resume",
    "step",
    "stop",
    "set-learning-rate",
    "test",
    "seed",
    "weights",
    "webgpu",
    "cpu",
    "web-gpu",
    "dsd",
    "adam-w",
    "one-cycle",
];

pub(super) const REPORT_TAGS: [&str; 17] = [
    "ready",
    "storage-unavailable",
    "crashed",
    "loading",
    "started",
    "step",
    "validation",
    "tested",
    "snapshot",
    "paused",
    "resumed",
    "learning-rate-set",
    "finished",
    "gpu-failed",
    "failed",
    "webgpu",
    "cpu",
];

#[test]
fn damaged_worker_messages_are_refused_with_a_reason_never_a_panic() {
    let position = real_position();
    let start = |run: RunConfig, compute, start| Command::Start {
        run: Box::new(run),
        compute,
        eval_every: 50,
        eval_size: 1000,
        start,
        fault: None,
        own_digits: None,
        early_stop_patience: None,
        lr_range: None,
    };
    let cnn = RunConfig {
        model: ModelConfig::preset("cnn").unwrap(),
        ..RunConfig::default()
    };
    let commands: Vec<Value> = [
        start(RunConfig::default(), Compute::WebGpu, StartFrom::Seed),
        start(cnn, Compute::Cpu, StartFrom::Weights),
        start(
            RunConfig::default(),
            Compute::Cpu,
            StartFrom::Resume {
                position: position.clone(),
            },
        ),
        Command::Start {
            run: Box::default(),
            compute: Compute::WebGpu,
            eval_every: 4,
            eval_size: 100,
            start: StartFrom::Seed,
            fault: Some(Fault {
                kind: FaultKind::GpuLoss,
                at_step: 5,
            }),
            own_digits: None,
            early_stop_patience: None,
            lr_range: None,
        },
        Command::Pause,
        Command::Resume,
        Command::Step,
        Command::Stop,
        Command::SetLearningRate {
            learning_rate: 3e-3,
        },
        Command::Test,
    ]
    .iter()
    .map(|c| serde_json::from_str(&c.to_json()).unwrap())
    .collect();
    let reports: Vec<Value> = [
        Report::Ready,
        Report::Loading {
            file: "t10k-images-idx3-ubyte.gz".into(),
            loaded: 800_000,
            total: 1_648_877,
            cached: false,
        },
        Report::Started {
            compute: Compute::WebGpu,
            adapter: "llvmpipe (LLVM 19.1.7, 256 bits)".into(),
            kept_moments: true,
            step: 0,
            steps_total: 1843,
            steps_per_epoch: 1843,
            train_examples: 59_000,
            validation_examples: 1000,
        },
        Report::Step {
            step: 17,
            epoch: 0.0092,
            loss: 1.93,
            accuracy: 0.34,
            learning_rate: 2.1e-4,
            examples: 32,
            milliseconds: 41.5,
        },
        Report::Validation {
            step: 50,
            loss: 0.61,
            accuracy: 0.82,
        },
        Report::Tested {
            step: 1843,
            loss: 0.04,
            accuracy: 0.987,
            examples: 10_000,
            predictions: Predictions {
                classes: vec![7, 2, 1],
                confidences: vec![0.99, 0.5, 0.97],
            },
        },
        Report::Snapshot {
            step: 50,
            position: position.clone(),
        },
        Report::Paused { step: 60 },
        Report::Resumed { step: 60 },
        Report::LearningRateSet {
            learning_rate: 1e-3,
        },
        Report::Finished { step: 1843 },
        Report::GpuFailed {
            reason: "the GPU device was lost".into(),
        },
        Report::Failed {
            message: "the loss became NaN at step 12".into(),
        },
        Report::StorageUnavailable {
            reason: "Cache Storage is not available on this page".into(),
        },
        Report::Crashed {
            message: "index out of bounds".into(),
        },
    ]
    .iter()
    .map(|r| serde_json::from_str(&r.to_json()).unwrap())
    .collect();

    let mut m = Mutator::new(seed(5));
    let mut tally = Tally::new("worker commands");
    for _ in 0..inputs() {
        let doc = m.pick(&commands).clone();
        let text = if m.chance(0.75) {
            m.json(&doc, &COMMAND_TAGS)
        } else {
            m.text(&doc.to_string())
        };
        let outcome = tally.check(
            || show_text(&text),
            || {
                let command = Command::from_json(&text).map_err(|e| Rejected::message("", e))?;
                let _ = command.carries_model();
                let _ = command.to_json();
                Ok(match &command {
                    Command::Start { run, start, .. } => match (run.validate(), start) {
                        (Err(_), _) => "start with an invalid run (the worker refuses it)",
                        (Ok(()), StartFrom::Resume { .. }) => "resume a valid run",
                        (Ok(()), _) => "start a valid run",
                    },
                    _ => "control command",
                })
            },
        );
        if let Some(what) = outcome {
            tally.note(what);
        }
    }
    tally.finish();

    let mut tally = Tally::new("worker reports");
    for _ in 0..inputs() {
        let doc = m.pick(&reports).clone();
        let text = if m.chance(0.75) {
            m.json(&doc, &REPORT_TAGS)
        } else {
            m.text(&doc.to_string())
        };
        tally.check(
            || show_text(&text),
            || {
                let report = Report::from_json(&text).map_err(|e| Rejected::message("", e))?;
                let _ = report.carries_model();
                let _ = report.to_json();
                Ok(())
            },
        );
    }
    tally.finish();
}
