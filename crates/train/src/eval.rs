//! Evaluation of a network on a dataset: loss, confusion matrix and every prediction (the error
//! analysis of page and CLI), read back with the async API only.

use crate::engine::TrainError;
use crate::metrics::ConfusionMatrix;
use crate::predictions::{Prediction, Predictions};
use burn::module::Module;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::tensor::activation::softmax;
use burn::tensor::{Device, Int, Tensor, TensorData, Transaction};
use inkling_data::{Batch, Dataset};
use inkling_model::{Network, images_tensor};

/// Result of evaluating a network on a dataset.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// Mean cross-entropy.
    pub loss: f64,
    /// Actual vs predicted counts.
    pub confusion: ConfusionMatrix,
    /// One prediction per example, in dataset order.
    pub predictions: Predictions,
}

impl Evaluation {
    /// Fraction of correct predictions.
    pub fn accuracy(&self) -> f64 {
        self.confusion.accuracy()
    }

    /// Indices of misclassified examples, most confident mistakes first.
    pub fn mistakes(&self, dataset: &Dataset) -> Vec<usize> {
        self.predictions.mistakes(dataset.labels())
    }
}

/// A `[n]` integer tensor of class labels.
pub(crate) fn labels_tensor(labels: &[u8], device: &Device) -> Tensor<1, Int> {
    let labels: Vec<i64> = labels.iter().map(|&l| l as i64).collect();
    let n = labels.len();
    Tensor::from_data(TensorData::new(labels, [n]), device)
}

/// Evaluates `network` (in inference mode: BatchNorm running statistics, no dropout) on every
/// example of `dataset`, `batch_size` at a time.
pub async fn evaluate(
    network: &Network,
    dataset: &Dataset,
    batch_size: usize,
    device: &Device,
) -> Result<Evaluation, TrainError> {
    let network = network.valid();
    let device = device.clone().without_autodiff();
    let loss_fn = CrossEntropyLossConfig::new().init(&device);
    let mut confusion = ConfusionMatrix::default();
    let mut predictions = Predictions::default();
    let mut loss_sum = 0.0f64;
    let batch_size = batch_size.max(1);
    for start in (0..dataset.len()).step_by(batch_size) {
        let batch = Batch::range(dataset, start, start + batch_size);
        let n = batch.len();
        let labels = labels_tensor(&batch.labels, &device);
        let logits = network.forward(images_tensor(batch.images, &device));
        let loss = loss_fn.forward(logits.clone(), labels);
        let (confidence, class) = softmax(logits, 1).max_dim_with_indices(1);
        let read = Transaction::default()
            .register(loss)
            .register(confidence)
            .register(class)
            .execute_async()
            .await
            .map_err(|e| TrainError::Device(format!("reading evaluation results failed: {e}")))?;
        let [loss, confidence, class]: [TensorData; 3] = read.try_into().map_err(|_| {
            TrainError::Device("evaluation read returned the wrong number of tensors".into())
        })?;
        let loss: f64 = loss.iter::<f64>().next().unwrap_or(f64::NAN);
        loss_sum += loss * n as f64;
        for (i, (conf, cls)) in confidence
            .iter::<f32>()
            .zip(class.iter::<i64>())
            .enumerate()
        {
            confusion.add(batch.labels[i] as usize, cls as usize);
            predictions.push_prediction(Prediction {
                class: cls as u8,
                confidence: conf,
            });
        }
    }
    Ok(Evaluation {
        loss: loss_sum / dataset.len().max(1) as f64,
        confusion,
        predictions,
    })
}
