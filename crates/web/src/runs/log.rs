//! The session's runs: the list kept in IndexedDB (one reducer), and the hook that records each
//! run of the training panel once it finishes, with its test accuracy when a Test of its final
//! weights comes later.

use super::store::{self, StoredRun};
use crate::text::{Texts, fill, use_texts};
use crate::train::settings::Plan;
use crate::train::state::{Phase, TrainState};
use inkling_train::runs::{RunRecord, ValidationPoint, settings};
use std::cell::RefCell;
use std::rc::Rc;
use yew::platform::spawn_local;
use yew::prelude::*;

/// The runs kept, as the table shows them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunList {
    /// Oldest first.
    pub runs: Rc<Vec<StoredRun>>,
    /// Whether the stored runs were read.
    pub loaded: bool,
    /// Something the person should know (storage failed, records unreadable).
    pub notice: Option<RunNotice>,
}

/// Something the person should know about the kept runs.
#[derive(Debug, Clone, PartialEq)]
pub enum RunNotice {
    /// This many kept runs could not be read by this version of the page.
    Unreadable(usize),
    /// Storage failed: what went wrong, in words.
    Failed(String),
}

impl RunNotice {
    /// The notice in the language of `t`.
    pub fn message(&self, t: &Texts) -> String {
        match self {
            RunNotice::Unreadable(count) => fill(t.runs.unreadable, &[("count", count)]),
            RunNotice::Failed(message) => message.clone(),
        }
    }
}

/// Changes to [`RunList`].
pub enum RunAction {
    /// The runs in storage, and how many could not be read.
    Loaded(Vec<StoredRun>, usize),
    /// A run was kept.
    Added(StoredRun),
    /// A run's record changed.
    Updated(StoredRun),
    /// A run was forgotten.
    Deleted(u32),
    /// Every run was forgotten.
    Cleared,
    /// Storage failed.
    Failed(String),
}

impl Reducible for RunList {
    type Action = RunAction;

    fn reduce(self: Rc<Self>, action: RunAction) -> Rc<Self> {
        let mut next = (*self).clone();
        let mut runs = (*self.runs).clone();
        match action {
            RunAction::Loaded(loaded, unreadable) => {
                // Runs that finished while the list was loading are in both.
                runs.retain(|r| !loaded.iter().any(|l| l.id == r.id));
                runs.splice(0..0, loaded);
                next.loaded = true;
                if unreadable > 0 {
                    next.notice = Some(RunNotice::Unreadable(unreadable));
                }
            }
            RunAction::Added(run) => runs.push(run),
            RunAction::Updated(run) => {
                if let Some(slot) = runs.iter_mut().find(|r| r.id == run.id) {
                    *slot = run;
                }
            }
            RunAction::Deleted(id) => runs.retain(|r| r.id != id),
            RunAction::Cleared => runs.clear(),
            RunAction::Failed(message) => next.notice = Some(RunNotice::Failed(message)),
        }
        next.runs = Rc::new(runs);
        Rc::new(next)
    }
}

/// The run the panel is training, until it is kept.
#[derive(Debug, Clone)]
pub enum Pending {
    /// Training: its plan, and the fine-tuning mode when it started from a trained model.
    Training {
        plan: Box<Plan>,
        fine_tuned: Option<String>,
    },
    /// Finished; being written.
    Saving,
    /// Kept under this key.
    Kept(u32),
}

/// The pending run, shared by the panel (which begins it) and the recorder.
pub type SharedPending = Rc<RefCell<Option<Pending>>>;

/// Reads the kept runs once `open`, and records the panel's runs as they finish: the pending
/// run becomes a record when `state` reaches [`Phase::Finished`], then `on_kept` is called
/// (a sweep starts its next run then). Returns the list.
#[hook]
pub fn use_run_log(
    open: bool,
    state: UseReducerHandle<TrainState>,
    pending: SharedPending,
    on_kept: Callback<()>,
) -> UseReducerHandle<RunList> {
    let t = use_texts();
    let list = use_reducer(RunList::default);
    {
        let dispatch = list.dispatcher();
        use_effect_with(open, move |&open| {
            if open {
                spawn_local(async move {
                    match store::list(t).await {
                        Ok((runs, unreadable)) => {
                            dispatch.dispatch(RunAction::Loaded(runs, unreadable))
                        }
                        Err(e) => dispatch.dispatch(RunAction::Failed(e)),
                    }
                });
            }
        });
    }
    let finished = state.phase == Phase::Finished;
    let test = state.test.filter(|t| t.step == state.step && finished);
    let (dispatch, runs) = (list.dispatcher(), list.runs.clone());
    use_effect_with((finished, test), move |&(finished, test)| {
        if !finished {
            return;
        }
        let current = pending.borrow().clone();
        match current {
            Some(Pending::Training { plan, fine_tuned }) => {
                *pending.borrow_mut() = Some(Pending::Saving);
                let record = record_of(&plan, fine_tuned, &state);
                spawn_local(async move {
                    match store::add(record, t).await {
                        Ok(run) => {
                            *pending.borrow_mut() = Some(Pending::Kept(run.id));
                            dispatch.dispatch(RunAction::Added(run));
                        }
                        Err(e) => {
                            *pending.borrow_mut() = None;
                            dispatch.dispatch(RunAction::Failed(e));
                        }
                    }
                    on_kept.emit(());
                });
            }
            Some(Pending::Kept(id)) => {
                let Some(test) = test else { return };
                let Some(mut run) = runs.iter().find(|r| r.id == id).cloned() else {
                    return;
                };
                if run.record.test_accuracy == Some(test.accuracy) {
                    return;
                }
                run.record.test_accuracy = Some(test.accuracy);
                spawn_local(async move {
                    match store::update(&run, t).await {
                        Ok(()) => dispatch.dispatch(RunAction::Updated(run)),
                        Err(e) => dispatch.dispatch(RunAction::Failed(e)),
                    }
                });
            }
            Some(Pending::Saving) | None => {}
        }
    });
    list
}

/// What the runs table keeps of the run `plan` described, from the panel's `state`.
fn record_of(plan: &Plan, fine_tuned: Option<String>, state: &TrainState) -> RunRecord {
    RunRecord {
        name: String::new(),
        settings: settings(&plan.run, fine_tuned.as_deref()),
        parameters: plan.run.model.param_count(),
        compute: state.compute.map_or("", |c| c.label()).to_string(),
        steps: state.step,
        seconds: state.stepping_ms / 1000.0,
        validation: state
            .validation_accuracy
            .iter()
            .zip(&state.validation_loss)
            .map(|(&(step, accuracy), &(_, loss))| ValidationPoint {
                step: step as usize,
                loss: Some(loss),
                accuracy,
            })
            .collect(),
        test_accuracy: state
            .test
            .filter(|t| t.step == state.step)
            .map(|t| t.accuracy),
    }
}
