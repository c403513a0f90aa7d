//! The optimisers (SGD with momentum, Adam, AdamW), applied parameter by parameter, with their
//! moments kept where Inkling can read them.
//!
//! burn's `ModuleOptimizer` computes the same updates, but it hands its state out only through
//! a synchronous read, which the browser's WebGPU device cannot do: a run that moved from the
//! GPU to the CPU lost its moments. Here the moments are plain tensors keyed by parameter path,
//! read with one asynchronous transaction ([`Optimizer::moments`]) and restored on any device
//! ([`Optimizer::load`]). The arithmetic follows burn 0.22's `Sgd`, `Adam` and `AdamW`
//! operation for operation, so the results are the same to the bit (tested below).

use crate::engine::TrainError;
use crate::moments::{Moments, ParamMoments};
use crate::recipe::{OptimizerKind, Recipe};
use burn::grad_clipping::{GradientClipping, GradientClippingConfig};
use burn::module::{Module, ModuleMapper, ModuleVisitor, Param};
use burn::optim::GradientsParams;
use burn::tensor::{Device, Tensor, TensorData, Transaction};
use inkling_data::Choice;
use inkling_model::{Head, Network};
use std::collections::BTreeMap;

/// burn's default, and what Inkling's SGD uses: no dampening.
const DAMPENING: f64 = 0.0;
/// Added to Adam's denominator.
const EPSILON: f32 = 1e-8;

/// One parameter's moments, flattened (reshaped to the parameter for each update).
#[derive(Clone)]
struct State {
    time: u64,
    first: Option<Tensor<1>>,
    second: Option<Tensor<1>>,
}

/// Updates a network's parameters from their gradients and keeps the moments.
#[derive(Clone)]
pub struct Optimizer {
    kind: OptimizerKind,
    weight_decay: f32,
    clip: Option<GradientClipping>,
    states: BTreeMap<String, State>,
}

impl Optimizer {
    /// The recipe's optimiser, with no moments yet.
    pub fn new(recipe: &Recipe) -> Self {
        Self {
            kind: recipe.optimizer,
            weight_decay: recipe.weight_decay as f32,
            clip: recipe
                .grad_clip_norm
                .map(|c| GradientClippingConfig::Norm(c as f32).init()),
            states: BTreeMap::new(),
        }
    }

    /// One update of every parameter of `network` that has a gradient in `grads`; parameters
    /// outside the classifier head use `base_factor` times the learning rate (gradual
    /// unfreezing when fine-tuning; 1 otherwise).
    pub fn step(
        &mut self,
        learning_rate: f64,
        base_factor: f64,
        network: Network,
        mut grads: GradientsParams,
    ) -> Network {
        let head = network.head();
        network.map(&mut Apply {
            optimizer: self,
            grads: &mut grads,
            learning_rate,
            base_factor,
            head,
            path: Vec::new(),
        })
    }

    /// The moments, read from the device in one asynchronous transaction (works on WebGPU).
    pub async fn moments(&self) -> Result<Moments, TrainError> {
        let mut transaction = Transaction::default();
        for state in self.states.values() {
            for tensor in [&state.first, &state.second].into_iter().flatten() {
                transaction = transaction.register(tensor.clone());
            }
        }
        let mut read = transaction
            .execute_async()
            .await
            .map_err(|e| TrainError::Device(format!("reading the optimiser state failed: {e}")))?
            .into_iter();
        let mut next = |present: bool| -> Result<Vec<f32>, TrainError> {
            if !present {
                return Ok(Vec::new());
            }
            read.next()
                .ok_or_else(|| {
                    TrainError::Device("the optimiser state read came back short".into())
                })?
                .try_to_vec::<f32>()
                .map_err(|e| TrainError::Device(format!("optimiser state: {e:?}")))
        };
        let mut params = Vec::with_capacity(self.states.len());
        for (path, state) in &self.states {
            params.push(ParamMoments {
                path: path.clone(),
                time: state.time,
                first: next(state.first.is_some())?,
                second: next(state.second.is_some())?,
            });
        }
        Ok(Moments {
            optimizer: self.kind.algorithm().name().to_string(),
            params,
        })
    }

    /// Restores `moments` on `device` for `network`, after checking that they belong to this
    /// optimiser and fit the network's parameters (by path and size).
    pub fn load(
        &mut self,
        moments: &Moments,
        network: &Network,
        device: &Device,
    ) -> Result<(), TrainError> {
        let refuse = |why: String| TrainError::Checkpoint(format!("optimiser moments {why}"));
        let mine = self.kind.algorithm().name();
        if moments.optimizer != mine {
            return Err(refuse(format!(
                "are {}'s, but this run uses {mine}",
                moments.optimizer
            )));
        }
        let sizes = ParamSizes::of(network);
        let (first_needed, second_needed) = match self.kind {
            OptimizerKind::Sgd { momentum, .. } => (momentum > 0.0, false),
            OptimizerKind::Adam { .. } | OptimizerKind::AdamW { .. } => (true, true),
        };
        let mut states = BTreeMap::new();
        for p in &moments.params {
            let size = *sizes
                .get(&p.path)
                .ok_or_else(|| refuse(format!("name {}, which this network lacks", p.path)))?;
            let slot = |values: &[f32], needed: bool, which: &str| match (needed, values.len()) {
                (false, 0) => Ok(None),
                (true, n) if n == size => Ok(Some(Tensor::<1>::from_data(
                    TensorData::new(values.to_vec(), [n]),
                    device,
                ))),
                (_, n) => Err(refuse(format!(
                    "hold {n} {which} values for {} ({size} parameters)",
                    p.path
                ))),
            };
            if p.time == 0 {
                return Err(refuse(format!("count no update of {}", p.path)));
            }
            let state = State {
                time: p.time,
                first: slot(&p.first, first_needed, "first-moment")?,
                second: slot(&p.second, second_needed, "second-moment")?,
            };
            states.insert(p.path.clone(), state);
        }
        self.states = states;
        Ok(())
    }

    /// The update of one parameter `param` (rank `D`) with gradient `grad`, as burn computes it.
    fn update<const D: usize>(
        &self,
        learning_rate: f64,
        param: Tensor<D>,
        grad: Tensor<D>,
        state: Option<State>,
    ) -> (Tensor<D>, Option<State>) {
        let shape = param.shape();
        let size = shape.num_elements();
        let unflat = |t: Option<Tensor<1>>| t.map(|t| t.inner().reshape(shape.clone()));
        let flat = |t: Tensor<D>| t.reshape([size]);
        let grad = match &self.clip {
            Some(clip) => clip.clip_gradient(grad),
            None => grad,
        };
        let (time, first, second) = match state {
            Some(s) => (s.time, unflat(s.first), unflat(s.second)),
            None => (0, None, None),
        };
        match self.kind {
            OptimizerKind::Sgd { momentum, nesterov } => {
                let mut grad = self.l2(grad, &param);
                let mut state = None;
                if momentum > 0.0 {
                    let momentum = momentum as f32;
                    let velocity = match first {
                        Some(v) => grad
                            .clone()
                            .mul_scalar(1.0 - DAMPENING)
                            .add(v.mul_scalar(momentum)),
                        None => grad.clone(),
                    };
                    grad = if nesterov {
                        velocity.clone().mul_scalar(momentum).add(grad)
                    } else {
                        velocity.clone()
                    };
                    state = Some(State {
                        time: time.saturating_add(1),
                        first: Some(flat(velocity)),
                        second: None,
                    });
                }
                (param - grad.mul_scalar(learning_rate), state)
            }
            OptimizerKind::Adam { beta1, beta2 } => {
                let grad = self.l2(grad, &param);
                let (time, m1, m2) = adaptive_moments(grad, first, second, time, beta1, beta2);
                let t = time as i32;
                let bias_correction2_sqrt = (1.0 - beta2.powi(t)).sqrt();
                let combined_factor = bias_correction2_sqrt / (1.0 - beta1.powi(t));
                let step = m1.clone().mul_scalar(combined_factor).div(
                    m2.clone()
                        .sqrt()
                        .add_scalar(EPSILON * bias_correction2_sqrt),
                );
                let updated = param - step.mul_scalar(learning_rate);
                (updated, Some(moments_state(time, m1, m2, flat)))
            }
            OptimizerKind::AdamW { beta1, beta2 } => {
                let (time, m1, m2) = adaptive_moments(grad, first, second, time, beta1, beta2);
                let t = time as i32;
                let m1_corrected = m1.clone().div_scalar(1f32 - beta1.powi(t));
                let m2_corrected = m2.clone().div_scalar(1f32 - beta2.powi(t));
                let step = m1_corrected.div(m2_corrected.sqrt().add_scalar(EPSILON));
                let decay_rate = learning_rate * (self.weight_decay as f64);
                let decayed = if decay_rate == 0.0 {
                    param
                } else {
                    param.mul_scalar(1.0 - decay_rate)
                };
                let updated = decayed - step.mul_scalar(learning_rate);
                (updated, Some(moments_state(time, m1, m2, flat)))
            }
        }
    }

    /// The gradient with the L2 penalty of SGD and Adam added (AdamW decays the weights instead).
    fn l2<const D: usize>(&self, grad: Tensor<D>, param: &Tensor<D>) -> Tensor<D> {
        if self.weight_decay > 0.0 {
            param.clone().mul_scalar(self.weight_decay).add(grad)
        } else {
            grad
        }
    }
}

/// Adam's moment updates: `(time, first, second)` after this gradient.
fn adaptive_moments<const D: usize>(
    grad: Tensor<D>,
    first: Option<Tensor<D>>,
    second: Option<Tensor<D>>,
    time: u64,
    beta1: f32,
    beta2: f32,
) -> (u64, Tensor<D>, Tensor<D>) {
    let factor1 = 1.0 - beta1;
    let factor2 = 1.0 - beta2;
    match (first, second) {
        (Some(m1), Some(m2)) => (
            time.saturating_add(1),
            m1.mul_scalar(beta1).add(grad.clone().mul_scalar(factor1)),
            m2.mul_scalar(beta2).add(grad.square().mul_scalar(factor2)),
        ),
        _ => (
            1,
            grad.clone().mul_scalar(factor1),
            grad.square().mul_scalar(factor2),
        ),
    }
}

fn moments_state<const D: usize>(
    time: u64,
    m1: Tensor<D>,
    m2: Tensor<D>,
    flat: impl Fn(Tensor<D>) -> Tensor<1>,
) -> State {
    State {
        time,
        first: Some(flat(m1)),
        second: Some(flat(m2)),
    }
}

/// Walks the network, updating each parameter that has a gradient.
struct Apply<'a> {
    optimizer: &'a mut Optimizer,
    grads: &'a mut GradientsParams,
    learning_rate: f64,
    base_factor: f64,
    head: Head,
    path: Vec<String>,
}

impl ModuleMapper for Apply<'_> {
    fn enter_module(&mut self, name: &str, _container_type: &str) {
        self.path.push(name.to_string());
    }

    fn exit_module(&mut self, _name: &str, _container_type: &str) {
        self.path.pop();
    }

    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let (id, tensor, mapper) = param.consume();
        let Some(grad) = self.grads.remove::<D>(id) else {
            return Param::from_mapped_value(id, tensor, mapper);
        };
        let path = self.path.join(".");
        let require_grad = tensor.is_require_grad();
        let state = self.optimizer.states.remove(&path);
        let learning_rate = if self.base_factor == 1.0 || self.head.contains(&path) {
            self.learning_rate
        } else {
            self.learning_rate * self.base_factor
        };
        let (updated, state) =
            self.optimizer
                .update(learning_rate, tensor.inner(), grad.inner(), state);
        if let Some(state) = state {
            self.optimizer.states.insert(path, state);
        }
        let mut updated = Tensor::from_inner(updated);
        if require_grad {
            updated = updated.require_grad();
        }
        Param::from_mapped_value(id, updated, mapper)
    }
}

/// The number of values of each float parameter, by path.
struct ParamSizes {
    path: Vec<String>,
    sizes: BTreeMap<String, usize>,
}

impl ParamSizes {
    fn of(network: &Network) -> BTreeMap<String, usize> {
        let mut visitor = ParamSizes {
            path: Vec::new(),
            sizes: BTreeMap::new(),
        };
        network.visit(&mut visitor);
        visitor.sizes
    }
}

impl ModuleVisitor for ParamSizes {
    fn enter_module(&mut self, name: &str, _container_type: &str) {
        self.path.push(name.to_string());
    }

    fn exit_module(&mut self, _name: &str, _container_type: &str) {
        self.path.pop();
    }

    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        self.sizes
            .insert(self.path.join("."), param.shape().num_elements());
    }
}

#[cfg(test)]
mod tests;
