//! The training panel and an embedding page: the host's `set-settings`, `start` and `pause`,
//! and the run's `run-started`, `validation` and `run-finished` events.

use super::session::Link;
use super::settings::{Plan, TrainSettings};
use super::state::{Phase, TrainState};
use crate::embed::schema::{HostMessage, PageEvent, setting_text};
use crate::embed::{Embed, Handler, ignored};
use inkling_data::Choice;
use inkling_train::Command;
use inkling_train::runs::settings;
use yew::prelude::*;

/// What the host's messages act on.
pub(super) struct Panel {
    pub settings: UseStateHandle<TrainSettings>,
    pub state: UseReducerHandle<TrainState>,
    pub start: Callback<Plan>,
    pub link: Link,
    /// Shows the training tab.
    pub show: Callback<()>,
    /// Why the form's run cannot start now, if it cannot (a fine-tuning mismatch).
    pub blocked: Option<String>,
}

/// The event a run's start is: what it trains, as the runs table names its settings.
pub(super) fn run_started(plan: &Plan, fine_tuned: Option<&str>) -> PageEvent {
    PageEvent::RunStarted {
        settings: settings(&plan.run, fine_tuned)
            .into_iter()
            .map(|s| (s.name, s.value))
            .collect(),
        compute: plan.compute.name().to_string(),
    }
}

/// Obeys the host's training messages, and tells it of validations and finished runs.
#[hook]
pub(super) fn use_host(embed: Option<Embed>, panel: Panel) {
    let state = panel.state.clone();
    if let Some(embed) = &embed {
        embed.handle(Handler::Training, Callback::from(move |m| obey(&panel, m)));
    }
    let validations = state.validation_accuracy.len();
    // Only a new validation is told (a run moving to the CPU drops later ones).
    let told = use_mut_ref(|| 0usize);
    {
        let (embed, state) = (embed.clone(), state.clone());
        use_effect_with(validations, move |&n| {
            let new = n > *told.borrow();
            *told.borrow_mut() = n;
            if let (true, Some(embed), Some(&(step, accuracy)), Some(&(_, loss))) = (
                new,
                embed,
                state.validation_accuracy.get(n.wrapping_sub(1)),
                state.validation_loss.get(n.wrapping_sub(1)),
            ) {
                embed.post(&PageEvent::Validation {
                    step: step as usize,
                    accuracy,
                    loss,
                });
            }
        });
    }
    let finished = state.phase == Phase::Finished && !state.range_test;
    use_effect_with(finished, move |&finished| {
        if let (true, Some(embed)) = (finished, embed) {
            embed.post(&PageEvent::RunFinished {
                test_accuracy: state
                    .test
                    .filter(|t| t.step == state.step)
                    .map(|t| t.accuracy),
                steps: state.step,
                seconds: state.stepping_ms / 1000.0,
            });
        }
    });
}

fn obey(panel: &Panel, message: HostMessage) {
    let live = panel.state.phase.is_live();
    match message {
        HostMessage::SetSettings { settings } => {
            if live {
                return ignored("set-settings during a run (the form is locked until it ends)");
            }
            let mut next = (*panel.settings).clone();
            for (key, value) in &settings {
                let known = setting_text(value).is_some_and(|text| next.set(key, text));
                if !known {
                    ignored(&format!("no setting \"{key}\" takes the value {value}"));
                }
            }
            panel.settings.set(next);
            panel.show.emit(());
        }
        HostMessage::Start => {
            panel.show.emit(());
            if live {
                return ignored("start during a run");
            }
            if let Some(why) = &panel.blocked {
                return ignored(&format!("start: {why}"));
            }
            match panel.settings.plan() {
                Ok(plan) => panel.start.emit(plan),
                Err((field, why)) => ignored(&format!("start: the {field} setting: {why}")),
            }
        }
        HostMessage::Pause => {
            if panel.state.phase != Phase::Running {
                return ignored("pause with no run running");
            }
            panel.link.send(Command::Pause);
        }
        HostMessage::Clear => {}
    }
}
