//! A short run on a small subset of real MNIST must cut the loss and classify held-out digits.

use burn::module::Module;
use burn::tensor::Device;
use inkling_data::{Dataset, DatasetKind, Split};
use inkling_model::{ModelConfig, ModelFile, ModelHeader};
use inkling_train::{
    OptimizerAlgorithm, OptimizerKind, Recipe, RunConfig, Schedule, TrainError, Trainer, evaluate,
};
use std::path::PathBuf;

/// The verified MNIST directory: `$INKLING_DATA/mnist` (the data root, as everywhere in the
/// project), else `shared/data/mnist` beside the checkout.
fn mnist_dir() -> PathBuf {
    match std::env::var_os("INKLING_DATA") {
        Some(root) => PathBuf::from(root).join("mnist"),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/mnist"),
    }
}

fn load(split: Split) -> Dataset {
    let dir = mnist_dir();
    let (images, labels) = DatasetKind::Mnist.split_files(split);
    let read = |name: &str| {
        std::fs::read(dir.join(name)).unwrap_or_else(|e| {
            panic!(
                "MNIST file {name} not found in {} ({e}); set INKLING_DATA",
                dir.display()
            )
        })
    };
    Dataset::from_idx(DatasetKind::Mnist, &read(images.name), &read(labels.name)).unwrap()
}

fn small_run() -> RunConfig {
    RunConfig {
        model: ModelConfig::preset("dsd-s").unwrap(),
        recipe: Recipe {
            optimizer: OptimizerAlgorithm::Adam.defaults(),
            learning_rate: 3e-3,
            schedule: Schedule::Constant,
            warmup_steps: 10,
            weight_decay: 0.0,
            batch_size: 64,
            epochs: 3,
            train_subset: Some(3000),
            augment: Default::default(),
            ..Recipe::default()
        },
        seed: 7,
        ..RunConfig::default()
    }
}

#[test]
fn short_run_on_real_mnist_learns_and_round_trips_through_a_model_file() {
    let device = Device::flex();
    let run = small_run();
    let (train, _) = run.split_training_data(&load(Split::Train));
    assert_eq!(train.len(), 3000);
    let held_out = load(Split::Test).take(1000);

    let mut trainer = Trainer::new(run.clone(), train.len(), &device).unwrap();
    let mut losses = Vec::new();
    while !trainer.is_finished() {
        losses.push(pollster::block_on(trainer.step(&train)).unwrap().loss);
    }
    assert_eq!(losses.len(), 3 * (3000 / 64));
    let first: f64 = losses[..10].iter().sum::<f64>() / 10.0;
    let last: f64 = losses[losses.len() - 10..].iter().sum::<f64>() / 10.0;
    assert!(last < first * 0.3, "loss went from {first:.3} to {last:.3}");
    assert!(matches!(
        pollster::block_on(trainer.step(&train)),
        Err(TrainError::Finished(_))
    ));

    let eval = pollster::block_on(evaluate(trainer.network(), &held_out, 500, &device)).unwrap();
    assert!(
        eval.accuracy() > 0.90,
        "held-out accuracy {:.3} after {} steps",
        eval.accuracy(),
        losses.len()
    );
    assert_eq!(eval.predictions.len(), 1000);

    // The trained weights survive a model file and score the same.
    let header = ModelHeader::new(run.model.clone(), DatasetKind::Mnist);
    let file = pollster::block_on(ModelFile::from_network(header, trainer.network())).unwrap();
    let loaded = ModelFile::decode(&file.encode())
        .unwrap()
        .load(&device)
        .unwrap();
    let again = pollster::block_on(evaluate(&loaded, &held_out, 500, &device)).unwrap();
    assert_eq!(again.confusion, eval.confusion);
}

#[test]
fn same_seed_same_run() {
    let device = Device::flex();
    let mut run = small_run();
    run.recipe.train_subset = Some(256);
    run.recipe.epochs = 1;
    let (train, _) = run.split_training_data(&load(Split::Train));
    let losses = |run: &RunConfig| {
        let mut t = Trainer::new(run.clone(), train.len(), &device).unwrap();
        (0..3)
            .map(|_| pollster::block_on(t.step(&train)).unwrap().loss)
            .collect::<Vec<_>>()
    };
    assert_eq!(losses(&run), losses(&run));
    let mut other = run.clone();
    other.seed += 1;
    assert_ne!(losses(&run), losses(&other));
}

#[test]
fn a_diverging_run_stops_with_an_explanation_and_keeps_good_weights() {
    let device = Device::flex();
    let mut run = small_run();
    run.model = ModelConfig::preset("mlp").unwrap().with_dropout(0.0);
    run.recipe.optimizer = OptimizerKind::Sgd {
        momentum: 0.0,
        nesterov: false,
    };
    run.recipe.learning_rate = 10.0; // the largest accepted rate, far too high for plain SGD
    run.recipe.warmup_steps = 0;
    run.recipe.train_subset = Some(512);
    let (train, _) = run.split_training_data(&load(Split::Train));
    let held_out = load(Split::Test).take(200);
    let mut trainer = Trainer::new(run, train.len(), &device).unwrap();
    let weights = |t: &Trainer| pollster::block_on(t.network().valid().values_async()).unwrap();
    // The weights the last step with a finite loss started from: what the run must keep.
    let mut last_good = weights(&trainer);
    let err = loop {
        let before = weights(&trainer);
        match pollster::block_on(trainer.step(&train)) {
            Ok(metrics) => {
                assert!(metrics.loss.is_finite());
                last_good = before;
            }
            Err(e) => break e,
        }
    };
    assert!(matches!(err, TrainError::NonFiniteLoss { .. }), "{err}");
    assert!(err.to_string().contains("learning rate"));
    let kept = weights(&trainer);
    assert!(
        kept == last_good,
        "the kept weights are not the last good ones"
    );
    let finite = kept.iter().all(|t| t.iter::<f32>().all(|v| v.is_finite()));
    assert!(finite, "the kept weights hold NaN or infinities");
    // Weights this far into a divergence may still overflow on other images (how far depends on
    // the CPU's rounding): the held-out loss is reported, not required.
    let eval = pollster::block_on(evaluate(trainer.network(), &held_out, 200, &device)).unwrap();
    println!(
        "diverged at {err}; held-out loss of the kept weights {}",
        eval.loss
    );
}

#[test]
fn learning_rate_changes_mid_run_are_validated() {
    let device = Device::flex();
    let mut trainer = Trainer::new(small_run(), 1000, &device).unwrap();
    trainer.set_learning_rate(1e-4).unwrap();
    assert!(trainer.next_learning_rate() <= 1e-4);
    assert!(trainer.set_learning_rate(f64::NAN).is_err());
    assert_eq!(trainer.config().recipe.learning_rate, 1e-4);
}

#[test]
fn a_resumed_run_with_its_optimiser_moments_continues_exactly() {
    let device = Device::flex();
    let mut run = small_run();
    run.recipe.train_subset = Some(320);
    run.recipe.augment = inkling_data::AugmentConfig::digits();
    let (train, _) = run.split_training_data(&load(Split::Train));
    let weights = |t: &Trainer| pollster::block_on(t.network().valid().values_async()).unwrap();
    let mut straight = Trainer::new(run.clone(), train.len(), &device).unwrap();
    for _ in 0..4 {
        pollster::block_on(straight.step(&train)).unwrap();
    }
    // What a checkpoint or a move to another device carries.
    let position = straight.position();
    let moments = pollster::block_on(straight.moments()).unwrap().encode();
    let file = pollster::block_on(straight.model_file(None)).unwrap();
    let resumed = |moments: Option<&[u8]>| {
        let network = file.load(&device.clone().autodiff()).unwrap();
        let mut t = Trainer::resume(
            run.clone(),
            position.clone(),
            network,
            moments,
            train.len(),
            &device,
        )
        .unwrap();
        for _ in 0..3 {
            pollster::block_on(t.step(&train)).unwrap();
        }
        weights(&t)
    };
    for _ in 0..3 {
        pollster::block_on(straight.step(&train)).unwrap();
    }
    assert!(
        resumed(Some(&moments)) == weights(&straight),
        "resumed weights differ"
    );
    // Without the moments Adam starts afresh and takes other steps.
    assert!(resumed(None) != weights(&straight));
}

/// The two teaching variants of dsd-s, identity shortcuts and no batch norm, are networks the
/// lessons train: each must cut the loss on real digits in one short epoch.
#[test]
fn residual_and_batch_norm_free_dsd_nets_learn() {
    let device = Device::flex();
    for name in ["dsd-s-res", "dsd-s-nobn"] {
        let mut run = small_run();
        run.model = ModelConfig::preset(name).unwrap();
        run.recipe.epochs = 1;
        run.recipe.train_subset = Some(3840);
        let (train, _) = run.split_training_data(&load(Split::Train));
        let mut trainer = Trainer::new(run, train.len(), &device).unwrap();
        let mut losses = Vec::new();
        while !trainer.is_finished() {
            losses.push(pollster::block_on(trainer.step(&train)).unwrap().loss);
        }
        let first: f64 = losses[..5].iter().sum::<f64>() / 5.0;
        let last: f64 = losses[losses.len() - 5..].iter().sum::<f64>() / 5.0;
        println!(
            "{name}: loss {first:.3} -> {last:.3} in {} steps",
            losses.len()
        );
        assert!(
            last < first * 0.5,
            "{name}: loss went from {first:.3} to {last:.3}"
        );
    }
}
