//! Fine-tuning on a person's own handwriting, natively, through the trainer's state machine
//! exactly as the page's worker drives it ([`Session`] with [`OwnDigits`]): 8 digits of each
//! class in an unusual hand (MNIST digits underlined, [`hand`]), one in five held out, mixed
//! with replayed MNIST; the shipped model must read that hand badly before and well after,
//! and keep its MNIST test accuracy.

use burn::tensor::Device;
use inkling_data::handwriting::{DEFAULT_REPLAY_SHARE, split_held_out};
use inkling_data::{Dataset, DatasetKind, Split};
use inkling_model::{DigitReader, ModelFile};
use inkling_tests::{hand, load, repo_root};
use inkling_train::session::{Host, StartRequest};
use inkling_train::{
    Attachment, Compute, OwnDigits, Recipe, Report, RunConfig, Session, StartFrom,
};
use std::rc::Rc;
use std::time::Instant;

/// Records reports and keeps the latest model file.
struct Recorder {
    start: Instant,
    reports: Vec<Report>,
    model: Option<Vec<u8>>,
}

impl Host for Recorder {
    fn report(&mut self, report: Report, attachment: Option<Attachment>) {
        if let Some(attachment) = attachment {
            self.model = Some(attachment.model);
        }
        self.reports.push(report);
    }

    fn now_ms(&self) -> f64 {
        self.start.elapsed().as_secs_f64() * 1e3
    }
}

/// The first `per_class` training digits of each class, in collection order (round by round,
/// as the page asks for them), written in the unusual hand and as the pad keeps them.
fn collection(train: &Dataset, per_class: usize) -> Dataset {
    let mut by_class: Vec<Vec<usize>> = vec![Vec::new(); 10];
    for i in 0..train.len() {
        let class = &mut by_class[usize::from(train.label(i))];
        if class.len() < per_class {
            class.push(i);
        }
    }
    let mut images = Vec::new();
    let mut labels = Vec::new();
    for round in 0..per_class {
        for (label, indices) in by_class.iter().enumerate() {
            images.extend(hand::as_drawn(&hand::write(train.image(indices[round]))));
            labels.push(label as u8);
        }
    }
    Dataset::from_parts(DatasetKind::Mnist, images, labels).unwrap()
}

/// Share of `digits` (as the pad keeps them) that `file` reads correctly.
fn accuracy(file: &[u8], digits: &Dataset) -> f64 {
    let reader = DigitReader::new(ModelFile::decode(file).unwrap(), &Device::flex()).unwrap();
    let correct = (0..digits.len())
        .filter(|&i| {
            let pixels: Vec<f32> = digits
                .image(i)
                .iter()
                .map(|&v| f32::from(v) / 255.0)
                .collect();
            let p = pollster::block_on(reader.probabilities(&pixels)).unwrap();
            inkling_model::ranked(&p)[0].0 == usize::from(digits.label(i))
        })
        .count();
    correct as f64 / digits.len() as f64
}

#[test]
fn fine_tuning_on_eight_digits_of_each_class_learns_an_unusual_hand_and_keeps_mnist() {
    let shipped = std::fs::read(repo_root().join("www/models/dsd-s.inkling")).unwrap();
    let train = load(DatasetKind::Mnist, Split::Train);
    let test = Rc::new(load(DatasetKind::Mnist, Split::Test));
    // 100 test digits in the unusual hand, never trained on.
    let unseen = {
        let mut images = Vec::new();
        for i in 0..100 {
            images.extend(hand::as_drawn(&hand::write(test.image(i))));
        }
        Dataset::from_parts(DatasetKind::Mnist, images, test.labels()[..100].to_vec()).unwrap()
    };
    let before = accuracy(&shipped, &unseen);
    println!(
        "the shipped model reads {:.0} % of 100 underlined test digits",
        before * 100.0
    );
    assert!(before <= 0.85, "the hand is not unusual enough: {before}");

    let own = collection(&train, 8);
    let (own_train, held_out) = split_held_out(&own);
    assert_eq!((own_train.len(), held_out.len()), (70, 10));
    let file = ModelFile::decode(&shipped).unwrap();
    let run = RunConfig {
        model: file.header.model.clone(),
        recipe: Recipe::own_digits(),
        dataset: DatasetKind::Mnist,
        seed: 1,
    };
    let attachment = Attachment {
        model: shipped.clone(),
        moments: None,
    };
    let (images, labels) = (0..own_train.len())
        .map(|i| (own_train.image(i).to_vec(), own_train.label(i)))
        .unzip::<_, _, Vec<Vec<u8>>, Vec<u8>>();
    let mut host = Recorder {
        start: Instant::now(),
        reports: Vec::new(),
        model: None,
    };
    let request = StartRequest {
        config: run,
        compute: Compute::Cpu,
        adapter: "CPU".into(),
        eval_every: 1000,
        eval_size: 500,
        start: StartFrom::Weights,
        attachment: Some(&attachment),
        full_train: &train,
        own_digits: Some(OwnDigits {
            images: images.concat(),
            labels,
            replay_share: DEFAULT_REPLAY_SHARE,
        }),
        test: test.clone(),
        device: Device::flex(),
        early_stop_patience: None,
        lr_range: None,
    };
    let mut session = Session::start(request, &mut host).unwrap();
    while session.wants_step() {
        pollster::block_on(session.step(&mut host));
    }
    let seconds = host.start.elapsed().as_secs_f64();
    let tested = host.reports.iter().find_map(|r| match r {
        Report::Tested {
            accuracy,
            predictions,
            ..
        } => {
            // The answers the page's evaluation view shows: one per test image, agreeing with
            // the accuracy reported beside them.
            assert_eq!(predictions.len(), test.len());
            let from_answers = predictions.confusion(test.labels()).accuracy();
            assert!(
                (from_answers - accuracy).abs() < 1e-12,
                "{from_answers} vs {accuracy}"
            );
            Some(*accuracy)
        }
        _ => None,
    });
    let failed = host
        .reports
        .iter()
        .find(|r| matches!(r, Report::Failed { .. }));
    assert!(failed.is_none(), "{failed:?}");
    let mnist = tested.expect("the run tests at its end");
    let personal = host.model.expect("a final snapshot");
    let after = accuracy(&personal, &unseen);
    let held = accuracy(&personal, &held_out);
    println!(
        "fine-tuned on 70 own digits with {:.0} % replay in {seconds:.1} s: {:.0} % of the 100 unseen underlined digits, {:.0} % of the 10 held out, {:.2} % on the MNIST test set",
        DEFAULT_REPLAY_SHARE * 100.0,
        after * 100.0,
        held * 100.0,
        mnist * 100.0
    );
    assert!(
        after >= 0.95,
        "the unusual hand is still read badly: {after}"
    );
    assert!(mnist >= 0.99, "MNIST was forgotten: {mnist}");
}
