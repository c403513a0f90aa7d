//! The run's life outside the rendered state: the worker and what is needed to move the run to
//! another device. A [`Link`] starts, steers and replaces workers, turns their reports into
//! [`TrainAction`]s, hands snapshots to the drawing pad, and moves a run whose GPU fails (no
//! adapter, a rejected kernel, a lost device, a panic in the worker) to the CPU, where it goes on
//! from the last snapshot in a fresh worker. A worker that dies (its WebAssembly traps, the
//! browser ends it, a bug panics) is replaced the same way, up to [`MAX_RESTARTS`] times without
//! progress.

mod notices;

use super::frame_gap::SharedFrameGaps;
use super::settings::Plan;
use super::state::{TrainAction, TrainState};
use super::worker::TrainerWorker;
use super::{RunTest, TrainedWeights};
use crate::lang::Language;
use crate::platform::{self, fetch_bytes};
use crate::text::{Texts, fill};
use inkling_model::{ModelFile, WeightFormat};
use inkling_train::{Attachment, Command, Compute, Fault, Report, RunPosition, StartFrom};
use notices::{crash_gave_up, crash_restarted, gpu_failed, save_failed, summary};
use std::cell::RefCell;
use std::rc::Rc;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Fresh workers started after crashes with no new snapshot in between; one more crash ends the
/// run (a bug that strikes at the same step every time would otherwise loop).
pub const MAX_RESTARTS: u32 = 2;

/// The latest weights the worker sent.
pub struct Snapshot {
    /// The step they are from.
    pub step: usize,
    /// The run's position, to resume from.
    pub position: RunPosition,
    /// The model file.
    pub model: Rc<Vec<u8>>,
    /// The optimiser moments, so that a run moved elsewhere goes on exactly.
    pub moments: Option<Rc<Vec<u8>>>,
}

/// The weights a fine-tuning run starts from.
#[derive(Debug, Clone, PartialEq)]
pub enum Initial {
    /// The model file at this address (the pretrained model).
    Url(String),
    /// This model file (the one the pad reads with).
    File(Rc<Vec<u8>>),
}

/// What the page keeps about the run outside the rendered state.
#[derive(Default)]
pub struct Session {
    worker: Option<TrainerWorker>,
    /// Bumped for every worker, so reports of a replaced worker are ignored.
    generation: u64,
    plan: Option<Plan>,
    compute: Option<Compute>,
    /// The weights the run started from (fine-tuning).
    initial: Option<Rc<Vec<u8>>>,
    snapshot: Option<Snapshot>,
    /// Workers started after crashes since the last snapshot.
    restarts: u32,
    /// A fault for the next worker to inject (`?fault=` in the URL), sent once (to every worker
    /// when it repeats).
    fault: Option<Fault>,
    /// The page's texts, for the notices and errors the run writes (`None`: English).
    texts: Option<&'static Texts>,
}

impl Session {
    /// The texts the run's notices and errors are written with.
    fn texts(&self) -> &'static Texts {
        self.texts.unwrap_or_else(|| Language::En.texts())
    }
}

/// The session, shared by the panel and the worker's callbacks.
pub type SharedSession = Rc<RefCell<Session>>;

/// Everything a worker callback needs.
#[derive(Clone)]
pub struct Link {
    /// The run.
    pub session: SharedSession,
    /// Measures frame gaps while a worker runs.
    pub frames: SharedFrameGaps,
    /// The panel's state.
    pub state: UseReducerDispatcher<TrainState>,
    /// New weights for the drawing pad (`None`: back to the pretrained model).
    pub on_weights: Callback<Option<TrainedWeights>>,
    /// A Test finished (the evaluation view shows it).
    pub on_tested: Callback<RunTest>,
}

impl Link {
    /// Writes the run's notices and errors with `t` (the page's texts; English until set).
    pub fn set_texts(&self, t: &'static Texts) {
        self.session.borrow_mut().texts = Some(t);
    }

    /// The texts the run's notices and errors are written with.
    fn texts(&self) -> &'static Texts {
        self.session.borrow().texts()
    }

    /// Starts a new run of `plan` on `compute`, from `initial` weights when given (fine-tuning),
    /// else from fresh weights. Its first worker (every one, for a fault that repeats) injects
    /// `fault`, if any.
    pub fn start(
        &self,
        plan: Plan,
        compute: Compute,
        initial: Option<Initial>,
        fault: Option<Fault>,
    ) {
        {
            let mut session = self.session.borrow_mut();
            session.plan = Some(plan);
            session.snapshot = None;
            session.initial = None;
            session.restarts = 0;
            session.fault = fault;
        }
        self.frames.borrow_mut().clear_longest();
        self.state.dispatch(TrainAction::Began(compute));
        let url = match initial {
            None => return self.launch(compute),
            Some(Initial::File(bytes)) => {
                self.session.borrow_mut().initial = Some(bytes);
                return self.launch(compute);
            }
            Some(Initial::Url(url)) => url,
        };
        let link = self.clone();
        let what = self.texts().session.pretrained_model;
        spawn_local(async move {
            match fetch_bytes(&url, what).await {
                Ok(bytes) => {
                    link.session.borrow_mut().initial = Some(Rc::new(bytes));
                    link.launch(compute);
                }
                Err(e) => link.state.dispatch(TrainAction::Error(e)),
            }
        });
    }

    /// Ends any run and gives the drawing pad back the pretrained model.
    pub fn reset(&self) {
        // Dropping the worker terminates it; the new generation ignores anything in flight.
        let (generation, texts) = {
            let session = self.session.borrow();
            (session.generation + 1, session.texts)
        };
        *self.session.borrow_mut() = Session {
            generation,
            texts,
            ..Session::default()
        };
        *self.frames.borrow_mut() = Default::default();
        self.state.dispatch(TrainAction::Reset);
        self.on_weights.emit(None);
    }

    /// Moves the run to `target` at the person's request, from the latest snapshot.
    pub fn switch_to(&self, target: Compute) {
        let from = self.snapshot_step();
        self.state.dispatch(TrainAction::Notice(fill(
            self.texts().session.moved_by_request,
            &[("device", &target.label()), ("step", &from)],
        )));
        self.state.dispatch(TrainAction::Moved {
            compute: target,
            from,
        });
        self.launch(target);
    }

    /// Changes the learning rate of the live run.
    pub fn set_learning_rate(&self, learning_rate: f64) {
        // A run moved to another device later resumes with the new rate too.
        if let Some(plan) = self.session.borrow_mut().plan.as_mut() {
            plan.run.recipe.learning_rate = learning_rate;
        }
        self.send(Command::SetLearningRate { learning_rate });
    }

    /// Offers the latest snapshot as `<stem>-step<step>.inkling`.
    pub fn download(&self, stem: &str, format: WeightFormat) {
        let Some((model, step)) = self
            .session
            .borrow()
            .snapshot
            .as_ref()
            .map(|s| (s.model.clone(), s.step))
        else {
            return;
        };
        let name = format!("{stem}-step{step}.{}", format.extension());
        let state = self.state.clone();
        let t = self.texts();
        spawn_local(async move {
            // The snapshot already is a model file; only SafeTensors needs a conversion.
            let bytes = match format {
                WeightFormat::Inkling => Ok(model.as_ref().clone()),
                WeightFormat::SafeTensors => match ModelFile::decode(&model) {
                    Ok(file) => format.write(&file).await,
                    Err(e) => Err(e.into()),
                },
            };
            let saved = bytes
                .map_err(|e| e.to_string())
                .and_then(|bytes| platform::download(&bytes, &name).map_err(|e| format!("{e:?}")));
            if let Err(e) = saved {
                state.dispatch(TrainAction::Error(save_failed(t, format, &e)));
            }
        });
    }

    /// Sends `command` to the worker, if there is one.
    pub fn send(&self, command: Command) {
        let sent = match &self.session.borrow().worker {
            Some(worker) => worker.send(&command, None, None),
            None => return,
        };
        if let Err(e) = sent {
            self.state.dispatch(TrainAction::Error(e));
        }
    }

    /// Step of the latest snapshot (0: none yet).
    fn snapshot_step(&self) -> usize {
        self.session
            .borrow()
            .snapshot
            .as_ref()
            .map_or(0, |s| s.step)
    }

    /// Replaces any worker with a fresh one that starts the session's plan on `compute`, from the
    /// latest snapshot when there is one.
    fn launch(&self, compute: Compute) {
        let (generation, command, model, moments) = {
            let mut session = self.session.borrow_mut();
            session.worker = None;
            session.generation += 1;
            session.compute = Some(compute);
            self.frames.borrow_mut().start();
            let Some(plan) = session.plan.clone() else {
                return;
            };
            let (start, model, moments) = match (&session.snapshot, &session.initial) {
                (Some(snapshot), _) => (
                    StartFrom::Resume {
                        position: snapshot.position.clone(),
                    },
                    Some(snapshot.model.clone()),
                    snapshot.moments.clone(),
                ),
                (None, Some(bytes)) => (StartFrom::Weights, Some(bytes.clone()), None),
                (None, None) => (StartFrom::Seed, None, None),
            };
            let command = Command::Start {
                run: Box::new(plan.run),
                compute,
                eval_every: plan.eval_every,
                eval_size: plan.eval_size,
                start,
                fault: match session.fault {
                    Some(fault) if fault.kind.repeats() => Some(fault),
                    _ => session.fault.take(),
                },
                own_digits: plan.own_digits.map(Box::new),
                early_stop_patience: plan.early_stop_patience,
                lr_range: plan.lr_range.map(Box::new),
            };
            (session.generation, command, model, moments)
        };
        let on_report = {
            let link = self.clone();
            move |report, attachment| link.report(generation, report, attachment)
        };
        let on_crash = {
            let link = self.clone();
            move |message| link.crashed(generation, message)
        };
        match TrainerWorker::spawn(self.texts(), on_report, on_crash) {
            Ok(worker) => {
                let model = model.as_deref().map(Vec::as_slice);
                let moments = moments.as_deref().map(Vec::as_slice);
                if let Err(e) = worker.send(&command, model, moments) {
                    self.state.dispatch(TrainAction::Error(e));
                }
                self.session.borrow_mut().worker = Some(worker);
            }
            Err(e) => self.state.dispatch(TrainAction::Error(e)),
        }
    }

    /// Whether `generation` is the current worker's.
    fn current(&self, generation: u64) -> bool {
        self.session.borrow().generation == generation
    }

    fn report(&self, generation: u64, report: Report, attachment: Option<Attachment>) {
        if !self.current(generation) {
            return;
        }
        match &report {
            Report::Snapshot { step, position } => {
                if let Some(Attachment { model, moments }) = attachment {
                    let bytes = Rc::new(model);
                    let mut session = self.session.borrow_mut();
                    session.snapshot = Some(Snapshot {
                        step: *step,
                        position: position.clone(),
                        model: bytes.clone(),
                        moments: moments.map(Rc::new),
                    });
                    session.restarts = 0;
                    let run = session
                        .plan
                        .as_ref()
                        .map(|plan| summary(session.texts(), plan, session.initial.is_some()))
                        .unwrap_or_default();
                    drop(session);
                    self.on_weights.emit(Some(TrainedWeights {
                        file: bytes,
                        step: *step,
                        run,
                    }));
                }
            }
            Report::Tested {
                step, predictions, ..
            } if !predictions.is_empty() => {
                let dataset = self.session.borrow().plan.as_ref().map(|p| p.run.dataset);
                if let Some(dataset) = dataset {
                    self.on_tested.emit(RunTest {
                        step: *step,
                        dataset,
                        predictions: Rc::new(predictions.clone()),
                    });
                }
            }
            Report::GpuFailed { reason } => {
                self.move_to_cpu(reason);
                return;
            }
            Report::Crashed { message } => {
                self.crashed(generation, message.clone());
                return;
            }
            Report::Finished { .. } | Report::Failed { .. } => self.frames.borrow_mut().stop(),
            _ => {}
        }
        self.state.dispatch(TrainAction::Report(report));
    }

    /// The worker died: on WebGPU the run moves to the CPU; on the CPU a fresh worker goes on
    /// from the last snapshot, unless crashes keep coming without progress.
    fn crashed(&self, generation: u64, message: String) {
        if !self.current(generation) {
            return;
        }
        if self.session.borrow().compute == Some(Compute::WebGpu) {
            self.move_to_cpu(&message);
            return;
        }
        self.retire_worker();
        let restarts = {
            let mut session = self.session.borrow_mut();
            session.restarts += 1;
            session.restarts
        };
        let from = self.snapshot_step();
        let t = self.texts();
        if restarts > MAX_RESTARTS {
            self.frames.borrow_mut().stop();
            let session = self.session.clone();
            spawn_local(async move { session.borrow_mut().worker = None });
            self.state.dispatch(TrainAction::Error(crash_gave_up(
                t, &message, restarts, from,
            )));
            return;
        }
        self.state
            .dispatch(TrainAction::Notice(crash_restarted(t, &message, from)));
        self.state.dispatch(TrainAction::Moved {
            compute: Compute::Cpu,
            from,
        });
        // Not from inside the dead worker's own event handler: start the new one afterwards.
        let link = self.clone();
        spawn_local(async move { link.launch(Compute::Cpu) });
    }

    /// Ignores whatever the current worker still sends (a panicking worker posts its message,
    /// then traps, which fires its error event too). The worker itself is dropped (terminated)
    /// later, never from inside its own event handler.
    fn retire_worker(&self) {
        self.session.borrow_mut().generation += 1;
    }

    /// The GPU path failed: go on on the CPU from the last good weights, and say so.
    fn move_to_cpu(&self, reason: &str) {
        self.retire_worker();
        let from = self.snapshot_step();
        self.state
            .dispatch(TrainAction::Notice(gpu_failed(self.texts(), reason, from)));
        self.state.dispatch(TrainAction::Moved {
            compute: Compute::Cpu,
            from,
        });
        // Not from inside the failed worker's own message handler: start the new one afterwards.
        let link = self.clone();
        spawn_local(async move { link.launch(Compute::Cpu) });
    }
}

#[cfg(test)]
mod tests;
