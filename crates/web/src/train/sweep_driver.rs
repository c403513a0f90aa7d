//! Runs a sweep from the training panel: the form's settings with each point of the sweep,
//! one run after the other, the next started as soon as the runs table has kept the last.

use super::settings::{Plan, TrainSettings};
use crate::runs::sweep::SweepRequest;
use crate::text::use_texts;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use yew::prelude::*;

/// The sweep in progress.
#[derive(Default)]
struct Queue {
    /// Runs not started yet.
    plans: VecDeque<Plan>,
    /// Runs finished.
    done: usize,
    /// Runs planned (less after "run no more").
    total: usize,
}

/// What the panel needs of a sweep.
pub struct SweepDriver {
    /// Runs done and planned (`None`: no sweep yet).
    pub progress: Option<(usize, usize)>,
    /// Start a sweep.
    pub on_request: Callback<SweepRequest>,
    /// Start no more runs of it; `true` when the run in progress goes on (and is kept), `false`
    /// when it was dropped.
    pub on_stop: Callback<bool>,
    /// The runs table kept a finished run.
    pub on_kept: Callback<()>,
}

/// A sweep of `settings`' runs, each started with `start`; `on_error` says why a sweep
/// cannot start (the form has a bad value).
#[hook]
pub fn use_sweep(
    settings: UseStateHandle<TrainSettings>,
    start: Callback<Plan>,
    on_error: Callback<String>,
) -> SweepDriver {
    let t = use_texts();
    let queue: Rc<RefCell<Queue>> = use_mut_ref(Queue::default);
    let progress = use_state(|| None::<(usize, usize)>);
    let show = {
        let (queue, progress) = (queue.clone(), progress.clone());
        move || {
            let q = queue.borrow();
            progress.set(Some((q.done, q.total)));
        }
    };
    let on_request = {
        let (queue, show, start) = (queue.clone(), show.clone(), start.clone());
        Callback::from(move |request: SweepRequest| {
            let base = match settings.plan_in(t) {
                Ok(plan) => plan,
                Err((_, message)) => return on_error.emit(message),
            };
            let points = match request.space.plan(request.mode) {
                Ok(points) => points,
                Err(message) => return on_error.emit(message),
            };
            let mut plans: VecDeque<Plan> = points
                .iter()
                .map(|point| Plan {
                    run: point.run(&base.run, request.steps),
                    ..base.clone()
                })
                .collect();
            let first = plans.pop_front();
            *queue.borrow_mut() = Queue {
                total: points.len(),
                plans,
                done: 0,
            };
            show();
            if let Some(plan) = first {
                start.emit(plan);
            }
        })
    };
    let on_stop = {
        let (queue, show) = (queue.clone(), show.clone());
        Callback::from(move |current_goes_on: bool| {
            {
                let mut q = queue.borrow_mut();
                if q.total == 0 {
                    return;
                }
                q.plans.clear();
                q.total = (q.done + usize::from(current_goes_on)).min(q.total);
            }
            show();
        })
    };
    let on_kept = {
        let start_next = queue.clone();
        Callback::from(move |()| {
            let next = {
                let mut q = start_next.borrow_mut();
                if q.total == 0 || q.done >= q.total {
                    return;
                }
                q.done += 1;
                q.plans.pop_front()
            };
            show();
            if let Some(plan) = next {
                start.emit(plan);
            }
        })
    };
    SweepDriver {
        progress: *progress,
        on_request,
        on_stop,
        on_kept,
    }
}
