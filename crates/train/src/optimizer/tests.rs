//! The optimisers against burn's own on a real DSD net (dsd-xs, BatchNorm included), and their
//! moments carried from one optimiser to another.

use super::*;
use crate::eval::labels_tensor;
use crate::recipe::OptimizerAlgorithm;
use burn::module::Module;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::optim::decay::WeightDecayConfig;
use burn::optim::momentum::MomentumConfig;
use burn::optim::{AdamConfig, AdamWConfig, ModuleOptimizer, SgdConfig};
use inkling_data::Rng;
use inkling_model::{ModelConfig, images_tensor};

fn device() -> Device {
    Device::flex().autodiff()
}

fn network() -> Network {
    let device = device();
    crate::engine::seeded_init(&device, 11, || {
        ModelConfig::preset("dsd-xs")
            .unwrap()
            .init(&device)
            .unwrap()
    })
}

/// Gradients of the cross-entropy of a fixed pseudo-random batch `round` (8 images).
fn gradients(network: &Network, round: u64) -> GradientsParams {
    let device = device();
    let mut rng = Rng::new(100 + round);
    let pixels = (0..8 * 28 * 28).map(|_| rng.next_f32()).collect();
    let labels: Vec<u8> = (0..8).map(|i| ((i + round as usize) % 10) as u8).collect();
    let logits = network.forward(images_tensor(pixels, &device));
    let loss = CrossEntropyLossConfig::new()
        .init(&device)
        .forward(logits, labels_tensor(&labels, &device));
    GradientsParams::from_grads(loss.backward(), network)
}

/// Every float parameter's values, in visiting order.
fn weights(network: &Network) -> Vec<Vec<f32>> {
    struct Collect(Vec<Vec<f32>>);
    impl ModuleVisitor for Collect {
        fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
            self.0
                .push(param.val().into_data().try_to_vec::<f32>().unwrap());
        }
    }
    let mut collect = Collect(Vec::new());
    network.visit(&mut collect);
    collect.0
}

fn recipe(optimizer: OptimizerKind, weight_decay: f64, clip: Option<f64>) -> Recipe {
    Recipe {
        optimizer,
        weight_decay,
        grad_clip_norm: clip,
        ..Recipe::default()
    }
}

/// burn's optimiser configured as `crate::engine` configured it before this module existed.
fn burns(recipe: &Recipe) -> ModuleOptimizer {
    let clip = recipe
        .grad_clip_norm
        .map(|c| GradientClippingConfig::Norm(c as f32));
    let l2 =
        (recipe.weight_decay > 0.0).then(|| WeightDecayConfig::new(recipe.weight_decay as f32));
    match recipe.optimizer {
        OptimizerKind::Sgd { momentum, nesterov } => SgdConfig::new()
            .with_momentum((momentum > 0.0).then(|| {
                MomentumConfig::new()
                    .with_momentum(momentum)
                    .with_dampening(0.0)
                    .with_nesterov(nesterov)
            }))
            .with_weight_decay(l2)
            .with_gradient_clipping(clip)
            .init(),
        OptimizerKind::Adam { beta1, beta2 } => AdamConfig::new()
            .with_beta_1(beta1)
            .with_beta_2(beta2)
            .with_epsilon(EPSILON)
            .with_weight_decay(l2)
            .with_grad_clipping(clip)
            .init(),
        OptimizerKind::AdamW { beta1, beta2 } => AdamWConfig::new()
            .with_beta_1(beta1)
            .with_beta_2(beta2)
            .with_epsilon(EPSILON)
            .with_weight_decay(recipe.weight_decay as f32)
            .with_grad_clipping(clip)
            .init(),
    }
}

fn kinds() -> [(OptimizerKind, f64, Option<f64>); 4] {
    [
        (
            OptimizerKind::Sgd {
                momentum: 0.9,
                nesterov: true,
            },
            5e-4,
            Some(1.0),
        ),
        (
            OptimizerKind::Sgd {
                momentum: 0.0,
                nesterov: false,
            },
            0.0,
            None,
        ),
        (
            OptimizerKind::Adam {
                beta1: 0.8,
                beta2: 0.99,
            },
            1e-3,
            Some(0.5),
        ),
        (
            OptimizerKind::AdamW {
                beta1: 0.9,
                beta2: 0.999,
            },
            0.05,
            None,
        ),
    ]
}

#[test]
fn updates_are_burns_to_the_bit() {
    for (kind, weight_decay, clip) in kinds() {
        let recipe = recipe(kind, weight_decay, clip);
        let mut ours = Optimizer::new(&recipe);
        let mut theirs = burns(&recipe);
        let (mut a, mut b) = (network(), network());
        assert_eq!(weights(&a), weights(&b), "the two networks start equal");
        for round in 0..4 {
            let learning_rate = 0.01 * (round + 1) as f64;
            let grads = gradients(&a, round);
            a = ours.step(learning_rate, 1.0, a, grads);
            let grads = gradients(&b, round);
            b = theirs.step(learning_rate, b, grads);
        }
        assert_eq!(weights(&a), weights(&b), "{kind:?} differs from burn's");
        assert_ne!(weights(&a), weights(&network()), "{kind:?} changed nothing");
    }
}

#[test]
fn moments_carried_to_a_fresh_optimizer_continue_the_run_exactly() {
    for (kind, weight_decay, clip) in kinds() {
        let recipe = recipe(kind, weight_decay, clip);
        let mut first = Optimizer::new(&recipe);
        let mut a = network();
        for round in 0..3 {
            let grads = gradients(&a, round);
            a = first.step(0.02, 1.0, a, grads);
        }
        let moments = pollster::block_on(first.moments()).unwrap();
        let carried = Moments::decode(&moments.encode()).unwrap();
        assert_eq!(carried, moments);

        let mut second = Optimizer::new(&recipe);
        second.load(&carried, &a, &Device::flex()).unwrap();
        let mut fresh = Optimizer::new(&recipe);
        let (mut b, mut c) = (a.clone(), a.clone());
        for round in 3..5 {
            let grads = gradients(&a, round);
            a = first.step(0.02, 1.0, a, grads);
            let grads = gradients(&b, round);
            b = second.step(0.02, 1.0, b, grads);
            let grads = gradients(&c, round);
            c = fresh.step(0.02, 1.0, c, grads);
        }
        assert_eq!(
            weights(&a),
            weights(&b),
            "{kind:?}: moments lost on the way"
        );
        let has_moments = !matches!(kind, OptimizerKind::Sgd { momentum, .. } if momentum == 0.0);
        assert_eq!(moments.is_empty(), !has_moments, "{kind:?}");
        if has_moments {
            assert_ne!(
                weights(&a),
                weights(&c),
                "{kind:?}: moments made no difference"
            );
        }
    }
}

#[test]
fn moments_are_named_by_parameter_path() {
    let recipe = recipe(OptimizerAlgorithm::Adam.defaults(), 0.0, None);
    let mut optimizer = Optimizer::new(&recipe);
    let a = network();
    let grads = gradients(&a, 0);
    let a = optimizer.step(0.01, 1.0, a, grads);
    let moments = pollster::block_on(optimizer.moments()).unwrap();
    let paths: Vec<&str> = moments.params.iter().map(|p| p.path.as_str()).collect();
    let sizes = ParamSizes::of(&a);
    // Every trained parameter, and nothing else (BatchNorm's running statistics are not trained).
    assert_eq!(paths.len(), 29, "{paths:?}");
    assert!(paths.iter().all(|p| sizes.contains_key(*p)), "{paths:?}");
    assert!(!paths.iter().any(|p| p.contains("running")), "{paths:?}");
    assert!(
        paths.iter().any(|p| p.ends_with(".weight")),
        "paths name the parameter too: {paths:?}"
    );
    assert!(moments.params.iter().all(|p| p.time == 1));
}

#[test]
fn moments_that_do_not_fit_are_refused_by_name() {
    let adam = recipe(OptimizerAlgorithm::Adam.defaults(), 0.0, None);
    let mut optimizer = Optimizer::new(&adam);
    let a = network();
    let grads = gradients(&a, 0);
    let a = optimizer.step(0.01, 1.0, a, grads);
    let moments = pollster::block_on(optimizer.moments()).unwrap();
    let refused = |moments: &Moments, recipe: &Recipe| {
        Optimizer::new(recipe)
            .load(moments, &a, &Device::flex())
            .unwrap_err()
            .to_string()
    };

    let sgd = recipe(OptimizerAlgorithm::Sgd.defaults(), 0.0, None);
    assert!(refused(&moments, &sgd).contains("are adam's, but this run uses sgd"));

    let mut unknown = moments.clone();
    unknown.params[0].path = "nowhere.weight".into();
    assert!(refused(&unknown, &adam).contains("name nowhere.weight, which this network lacks"));

    let mut short = moments.clone();
    short.params[1].second.pop();
    let message = refused(&short, &adam);
    assert!(message.contains("second-moment values for"), "{message}");

    let mut timeless = moments;
    timeless.params[0].time = 0;
    assert!(refused(&timeless, &adam).contains("count no update of"));
}
