//! `inkling lr-find`: the learning-rate range test ([`LrRangeTest`]) for a preset with the
//! default recipe's optimiser, batch size and data: the loss against an exponentially growing
//! rate, printed as a log-axis chart, with the suggested peak rate beside the recipe's own.

use crate::backend::Backend;
use crate::data::DataLocation;
use anyhow::{Context, Result};
use inkling_data::Split;
use inkling_model::ModelConfig;
use inkling_train::{LrCurve, LrRangeTest, Recipe, RunConfig, ScheduleShape, TrainError, Trainer};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct LrFindArgs {
    /// Model preset.
    #[arg(long, default_value = "dsd-s",
        value_parser = clap::builder::PossibleValuesParser::new(ModelConfig::PRESETS))]
    model: String,
    /// Rate of the first step.
    #[arg(long, default_value_t = LrRangeTest::default().start)]
    start: f64,
    /// Rate of the last step.
    #[arg(long, default_value_t = LrRangeTest::default().end)]
    end: f64,
    /// Steps from the first rate to the last (the test ends early once the loss blows up).
    #[arg(long, default_value_t = LrRangeTest::default().steps)]
    steps: usize,
    /// Seed of the initial weights and the order of the examples.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Also write every step (rate, loss, smoothed loss) to this CSV file.
    #[arg(long)]
    csv: Option<PathBuf>,
    /// Print the curve and the suggestion as JSON.
    #[arg(long)]
    json: bool,
    /// Compute backend.
    #[arg(long, value_enum, default_value = "flex")]
    backend: Backend,
    #[command(flatten)]
    data: DataLocation,
}

pub fn run(args: LrFindArgs) -> Result<()> {
    let plan = LrRangeTest {
        start: args.start,
        end: args.end,
        steps: args.steps,
    };
    plan.validate().map_err(anyhow::Error::msg)?;
    let model = ModelConfig::preset(&args.model).context("unknown preset")?;
    let recipe = Recipe::default();
    let peak = recipe.learning_rate;
    // The default recipe at a constant rate that this test sets before every step, over just
    // enough distinct examples (no augmentation: the curve should show the rate, not the noise).
    let run = RunConfig {
        model,
        recipe: Recipe {
            learning_rate: plan.start,
            schedule: ScheduleShape::Constant.schedule(1),
            warmup_steps: 0,
            epochs: 1,
            augment: Default::default(),
            train_subset: Some(plan.steps * recipe.batch_size),
            ..recipe
        },
        dataset: args.data.kind(),
        seed: args.seed,
    };
    let device = args.backend.device()?.autodiff();
    let full = args.data.load(Split::Train)?;
    let (train, _) = run.split_training_data(&full);
    let mut trainer = Trainer::new(run, train.len(), &device)?;
    let mut curve = LrCurve::default();
    for step in 0..plan.steps {
        let rate = plan.rate_at(step);
        trainer.set_learning_rate(rate)?;
        let loss = match pollster::block_on(trainer.step(&train)) {
            Ok(m) => m.loss,
            Err(TrainError::NonFiniteLoss { value, .. }) => value,
            Err(e) => return Err(e.into()),
        };
        if !curve.record(rate, loss) {
            break;
        }
    }
    if let Some(path) = &args.csv {
        let mut text = String::from("step,learning_rate,loss,smoothed_loss\n");
        for (i, ((rate, loss, _), smoothed)) in curve.points.iter().zip(curve.centred()).enumerate()
        {
            text.push_str(&format!("{},{rate:e},{loss},{smoothed}\n", i + 1));
        }
        std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let suggestion = curve.suggestion();
    if args.json {
        let report = serde_json::json!({
            "model": args.model,
            "plan": plan,
            "steps_run": curve.points.len(),
            "points": curve.points,
            "suggestion": suggestion,
            "default_recipe_peak": peak,
        });
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    print_chart(&curve);
    match suggestion {
        Some(s) => println!(
            "lowest smoothed loss {:.3} at rate {:.1e}; suggested peak rate {:.1e} (a tenth of \
             it); the default recipe's one-cycle peak is {peak:.1e}",
            s.lowest_loss, s.lowest_loss_rate, s.rate
        ),
        None => println!(
            "the loss never fell: try a wider range (--start, --end) or more steps (--steps)"
        ),
    }
    Ok(())
}

/// The smoothed loss (the centred average) against the rate, about 25 lines, as a bar chart.
fn print_chart(curve: &LrCurve) {
    let centred = curve.centred();
    let Some(highest) = centred.iter().copied().reduce(f64::max) else {
        return;
    };
    println!("{:>9}  {:>6}", "rate", "loss");
    let every = (curve.points.len() / 24).max(1);
    for (point, smoothed) in curve.points.iter().zip(&centred).step_by(every) {
        let bar = "#".repeat((smoothed / highest * 50.0).round() as usize);
        println!("{:>9.1e}  {smoothed:>6.3}  {bar}", point.0);
    }
}
