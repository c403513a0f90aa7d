//! `inkling bench`: training throughput and single-image inference latency. Prints figures and
//! asserts nothing about time.

use crate::backend::Backend;
use anyhow::{Context, Result};
use burn::module::Module;
use burn::tensor::{Device, Distribution, Tensor};
use inkling_data::{Dataset, DatasetKind, IMAGE_PIXELS, Rng};
use inkling_model::ModelConfig;
use inkling_model::images_tensor;
use inkling_train::{Recipe, RunConfig, Trainer};
use std::time::{Duration, Instant};

#[derive(clap::Args, Debug)]
pub struct BenchArgs {
    /// Model preset (dsd-s, dsd-xs, dsd-m, dsd-s-nodil, dsd-s-res, dsd-s-nobn, cnn, mlp).
    #[arg(long, default_value = "dsd-s")]
    model: String,
    /// Examples per training step.
    #[arg(long, default_value_t = 128)]
    batch_size: usize,
    /// Compute backend.
    #[arg(long, value_enum, default_value = "flex")]
    backend: Backend,
    /// Timed training steps (after the warm-up).
    #[arg(long, default_value_t = 20)]
    steps: usize,
    /// Untimed warm-up steps.
    #[arg(long, default_value_t = 3)]
    warmup: usize,
    /// Timed single-image inferences.
    #[arg(long, default_value_t = 200)]
    latency_runs: usize,
    /// Also time the forward and backward passes separately.
    #[arg(long)]
    breakdown: bool,
}

pub fn run(args: BenchArgs) -> Result<()> {
    let model = ModelConfig::preset(&args.model)
        .with_context(|| format!("unknown model '{}'", args.model))?;
    let device = args.backend.device()?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "model {} ({} parameters), backend {:?}, batch {}, {} CPU threads",
        args.model,
        model.param_count(),
        args.backend,
        args.batch_size,
        threads
    );

    // Synthetic digits: throughput does not depend on pixel values, and the bench then needs no
    // dataset on disk. Augmentation is on, as in the default recipe.
    let mut rng = Rng::new(1);
    let n = (args.batch_size * 8).max(1024);
    let images: Vec<u8> = (0..n * IMAGE_PIXELS)
        .map(|_| (rng.next_u64() & 0xff) as u8)
        .collect();
    let labels: Vec<u8> = (0..n).map(|_| rng.below(10) as u8).collect();
    let data = Dataset::from_parts(DatasetKind::Mnist, images, labels)?;
    let run = RunConfig {
        model: model.clone(),
        recipe: Recipe {
            batch_size: args.batch_size,
            epochs: 1000,
            ..Recipe::default()
        },
        ..RunConfig::default()
    };
    let mut trainer = Trainer::new(run, data.len(), &device)?;
    for _ in 0..args.warmup {
        pollster::block_on(trainer.step(&data))?;
    }
    let mut step_times = Vec::with_capacity(args.steps);
    for _ in 0..args.steps {
        let start = Instant::now();
        pollster::block_on(trainer.step(&data))?;
        step_times.push(start.elapsed());
    }
    let total: Duration = step_times.iter().sum();
    let per_step = total / args.steps.max(1) as u32;
    println!(
        "training: {:.1} ms/step, {:.0} examples/s (median step {:.1} ms)",
        per_step.as_secs_f64() * 1e3,
        (args.steps * args.batch_size) as f64 / total.as_secs_f64(),
        percentile(&mut step_times, 50.0).as_secs_f64() * 1e3
    );

    if args.breakdown {
        breakdown(&trainer, &device, args.batch_size, args.steps)?;
    }

    let inference = trainer.network().valid();
    let plain = device.clone().without_autodiff();
    let mut latencies = Vec::with_capacity(args.latency_runs);
    for i in 0..args.latency_runs + 10 {
        let pixels: Vec<f32> = data
            .image(i % data.len())
            .iter()
            .map(|&p| p as f32 / 255.0)
            .collect();
        let start = Instant::now();
        let probs = inference.probabilities(images_tensor(pixels, &plain));
        let values = pollster::block_on(probs.into_data_async())?;
        let _ = values.iter::<f32>().count();
        if i >= 10 {
            latencies.push(start.elapsed());
        }
    }
    println!(
        "inference, batch 1: p50 {:.2} ms, p95 {:.2} ms ({} runs)",
        percentile(&mut latencies, 50.0).as_secs_f64() * 1e3,
        percentile(&mut latencies, 95.0).as_secs_f64() * 1e3,
        args.latency_runs
    );
    Ok(())
}

/// Times the forward pass alone and forward + backward, on random inputs.
fn breakdown(trainer: &Trainer, device: &Device, batch: usize, steps: usize) -> Result<()> {
    let ad = device.clone().autodiff();
    let net = trainer.network();
    let input = || Tensor::<4>::random([batch, 1, 28, 28], Distribution::Normal(0.0, 1.0), &ad);
    let mut forward = Duration::ZERO;
    let mut backward = Duration::ZERO;
    for _ in 0..steps {
        let x = input();
        let start = Instant::now();
        let loss = net.forward(x).mean();
        let _ = pollster::block_on(loss.to_data_async())?;
        forward += start.elapsed();
        let start = Instant::now();
        let grads = loss.backward();
        drop(grads);
        backward += start.elapsed();
    }
    let ms = |d: Duration| d.as_secs_f64() * 1e3 / steps as f64;
    println!(
        "breakdown: forward {:.1} ms, backward {:.1} ms per step",
        ms(forward),
        ms(backward)
    );
    Ok(())
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    if samples.is_empty() {
        return Duration::ZERO;
    }
    samples.sort_unstable();
    let rank = ((p / 100.0) * (samples.len() - 1) as f64).round() as usize;
    samples[rank]
}
