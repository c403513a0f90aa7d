//! Setting a session up from a start request: the training data (with a person's digits when
//! given), the held-out examples, and the weights to start from.

use super::experiments::{RangeTest, Watch};
use super::{Failure, Host, Session, StartRequest};
use crate::early_stop::EarlyStopping;
use crate::engine::{TrainError, Trainer};
use crate::lr_find::LrCurve;
use crate::remote::{OwnDigits, Report, StartFrom};
use inkling_data::{Dataset, DatasetKind, handwriting};
use inkling_model::ModelFile;

impl Session {
    /// Sets up the run `request` describes and reports [`Report::Started`]. An error is returned
    /// (not reported): the driver reports it with the errors of its own preparations.
    pub fn start(request: StartRequest<'_>, host: &mut impl Host) -> Result<Self, Failure> {
        let StartRequest {
            config,
            compute,
            adapter,
            eval_every,
            eval_size,
            start,
            attachment,
            full_train,
            own_digits,
            test,
            device,
            early_stop_patience,
            lr_range,
        } = request;
        config.validate().map_err(TrainError::InvalidConfig)?;
        if let Some(plan) = &lr_range {
            plan.validate().map_err(TrainError::InvalidConfig)?;
        }
        let (train, validation) = config.split_training_data(full_train);
        let train = match own_digits {
            Some(own) => own_training_set(own, &train)?,
            None => train,
        };
        let validation = validation.take(eval_size.min(validation.len()));
        let weights = || -> Result<_, Failure> {
            let bytes = attachment.map(|a| a.model.as_slice()).ok_or_else(|| {
                TrainError::InvalidConfig("no model file came with the command".into())
            })?;
            let invalid =
                |e: inkling_model::ModelFileError| TrainError::InvalidConfig(e.to_string());
            let file = ModelFile::decode(bytes).map_err(invalid)?;
            Ok(file
                .load_expecting(&config.model, &device.clone().autodiff())
                .map_err(invalid)?)
        };
        let moments = attachment.and_then(|a| a.moments.as_deref());
        let mut kept_moments = false;
        let trainer = match start {
            StartFrom::Seed => Trainer::new(config.clone(), train.len(), &device)?,
            StartFrom::Weights => {
                Trainer::with_network(config.clone(), weights()?, train.len(), &device)?
            }
            // The command's run description is the one in force (the page may have changed the
            // learning rate since the snapshot).
            StartFrom::Resume { position } => {
                kept_moments = moments.is_some();
                Trainer::resume(
                    config.clone(),
                    position,
                    weights()?,
                    moments,
                    train.len(),
                    &device,
                )?
            }
        };
        host.report(
            Report::Started {
                compute,
                adapter,
                kept_moments,
                step: trainer.steps_done(),
                steps_total: trainer.total_steps(),
                steps_per_epoch: trainer.steps_per_epoch(),
                train_examples: train.len(),
                validation_examples: validation.len(),
            },
            None,
        );
        Ok(Self {
            trainer,
            compute,
            train,
            validation,
            test,
            eval_every: eval_every.max(1),
            paused: false,
            single_steps: 0,
            finished: false,
            early_stop: early_stop_patience.map(|patience| Watch {
                state: EarlyStopping::new(patience),
                best: None,
            }),
            range_test: lr_range.map(|plan| RangeTest {
                plan,
                curve: LrCurve::default(),
            }),
        })
    }
}

/// A person's digits mixed with `replay` (the run's training subset, which sets the epoch's
/// size).
fn own_training_set(own: OwnDigits, replay: &Dataset) -> Result<Dataset, Failure> {
    let invalid = |e: String| Failure::Train(TrainError::InvalidConfig(e));
    let digits = Dataset::from_parts(DatasetKind::Mnist, own.images, own.labels)
        .map_err(|e| invalid(format!("your digits: {e}")))?;
    handwriting::mix_with_replay(&digits, replay, own.replay_share, replay.len())
        .map_err(|e| invalid(e.to_string()))
}
