//! Training in the page: the run's settings, its controls (start, pause, resume, single step,
//! stop, reset, a switch between WebGPU and the CPU), live curves and the trained model's
//! download.
//!
//! Training runs in a Web Worker ([`worker`]); the worker's wasm is fetched only when a run
//! starts. Every `eval_every` steps the worker validates and sends a snapshot of the weights,
//! which the drawing pad then reads with (`on_weights`). When the GPU fails the run moves to the
//! CPU and goes on from the last snapshot, and the page says so (`session`).
//!
//! [`TrainPanel`] puts together the form (`form`), the buttons (`controls`), the status line,
//! figures and curves (`figures`, drawn with [`chart`]) from the run's state (`state`, one
//! reducer), and the frame-gap meter (`frame_gap`).

pub mod chart;
mod controls;
pub mod copy_link;
mod fields;
pub(crate) mod figures;
mod fine_tune;
mod form;
pub(crate) mod frame_gap;
mod host;
mod range_test;
pub(crate) mod session;
pub mod settings;
pub(crate) mod state;
mod sweep_driver;
pub mod visible;
pub mod worker;

use crate::embed::Embed;
use crate::lang::Language;
use crate::lessons::Lesson;
use crate::lessons::card::LessonCard;
use crate::platform::WebGpuStatus;
use crate::runs::RunsView;
use crate::runs::log::{Pending, SharedPending, use_run_log};
use crate::runs::sweep::SweepForm;
use crate::text::use_texts;
use controls::Controls;
use copy_link::CopyLink;
use form::SettingsForm;
use frame_gap::use_frame_gap_meter;
use inkling_data::{Choice, DatasetKind};
use inkling_model::ModelConfig;
use inkling_train::{Fault, Predictions};
use session::{Initial, Link, Session, SharedSession};
use settings::{Plan, TrainSettings};
use state::{TrainAction, TrainState};
use std::rc::Rc;
use sweep_driver::use_sweep;
use visible::VisibleControls;
use yew::prelude::*;

/// Weights a run sent, for the drawing pad.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainedWeights {
    /// The model file.
    pub file: Rc<Vec<u8>>,
    /// The step they are from.
    pub step: usize,
    /// The run's settings in one line.
    pub run: String,
}

/// A Test of this page's run, computed in its worker: what it read in each test image.
#[derive(Debug, Clone, PartialEq)]
pub struct RunTest {
    /// The step the weights are from.
    pub step: usize,
    /// The run's dataset (whose test set was read).
    pub dataset: DatasetKind,
    /// The answer for each test image.
    pub predictions: Rc<Predictions>,
}

/// Properties of [`TrainPanel`].
#[derive(Properties, PartialEq)]
pub struct TrainPanelProps {
    /// New weights for the drawing pad (`None`: back to the pretrained model).
    pub on_weights: Callback<Option<TrainedWeights>>,
    /// A Test finished in the worker.
    #[prop_or_default]
    pub on_tested: Callback<RunTest>,
    /// The pretrained model, for fine-tuning.
    pub pretrained_url: AttrValue,
    /// The pretrained model's network, once loaded.
    #[prop_or_default]
    pub pretrained: Option<ModelConfig>,
    /// Whether WebGPU is there.
    pub webgpu: WebGpuStatus,
    /// Settings from the page's URL.
    pub initial: TrainSettings,
    /// Its tab was chosen (the panel stays open after, so a run goes on behind other tabs).
    #[prop_or_default]
    pub open: bool,
    /// Show the panel's tab (the host page asked for a run).
    #[prop_or_default]
    pub on_show: Callback<()>,
    /// A fault for the next run to inject (`?fault=` in the URL; tests and demonstrations).
    #[prop_or_default]
    pub fault: Option<Fault>,
    /// The lesson `?preset=` named.
    #[prop_or_default]
    pub lesson: Option<&'static Lesson>,
    /// Why `?preset=` named no lesson.
    #[prop_or_default]
    pub lesson_refusal: Option<String>,
    /// The controls shown (`?controls=`, `?hide=`).
    #[prop_or_default]
    pub visible: VisibleControls,
    /// The page's language.
    #[prop_or_default]
    pub language: Language,
}

/// The training panel, drawn once its tab was chosen.
#[component]
pub fn TrainPanel(props: &TrainPanelProps) -> Html {
    let t = use_texts();
    let open = props.open;
    let settings = use_state(|| props.initial.clone());
    let state = use_reducer(TrainState::default);
    let session: SharedSession = use_mut_ref(Session::default);
    let frames = use_frame_gap_meter();
    let link = Link {
        session,
        frames: frames.clone(),
        state: state.dispatcher(),
        on_weights: props.on_weights.clone(),
        on_tested: props.on_tested.clone(),
    };
    link.set_texts(t);

    let embed = use_context::<Embed>();
    let pending: SharedPending = use_mut_ref(|| None);
    // Every run starts here (the form's, and each of a sweep's), so the runs table records it.
    let start = {
        let (link, settings, pending) = (link.clone(), settings.clone(), pending.clone());
        let url = props.pretrained_url.to_string();
        let fault = props.fault;
        let state = state.dispatcher();
        let embed = embed.clone();
        Callback::from(move |plan: Plan| {
            let fine_tuned = settings
                .fine_tune
                .then(|| plan.run.recipe.fine_tune.mode().name().to_string());
            let range_test = plan.lr_range.is_some();
            if let Some(embed) = &embed {
                embed.post(&host::run_started(&plan, fine_tuned.as_deref()));
            }
            // A range test's weights are not a model: it is not kept among the runs.
            *pending.borrow_mut() = (!range_test).then(|| Pending::Training {
                plan: Box::new(plan.clone()),
                fine_tuned,
            });
            // WebGPU is tried even when the page's probe found no adapter: the worker then fails
            // to set it up and the run moves to the CPU through the one fallback path there is.
            let compute = plan.compute;
            link.start(
                plan,
                compute,
                settings.fine_tune.then(|| Initial::Url(url.clone())),
                fault,
            );
            if range_test {
                state.dispatch(TrainAction::RangeTest);
            }
        })
    };
    let sweep = use_sweep(
        settings.clone(),
        start.clone(),
        Callback::from({
            let dispatch = state.dispatcher();
            move |message| dispatch.dispatch(TrainAction::Error(message))
        }),
    );
    let runs = use_run_log(open, state.clone(), pending.clone(), sweep.on_kept.clone());
    // Only whether there is one counts here (and the host's console warning stays English); the
    // form shows it in the page's language.
    let conflict = fine_tune::mismatch(Language::En.texts(), &settings, props.pretrained.as_ref());
    host::use_host(
        embed,
        host::Panel {
            settings: settings.clone(),
            state: state.clone(),
            start: start.clone(),
            link: link.clone(),
            show: props.on_show.clone(),
            blocked: conflict.clone(),
        },
    );

    if !open {
        return html! {};
    }

    let plan = settings.plan();
    let live = state.phase.is_live();
    let gpu_ok = props.webgpu != WebGpuStatus::Checking
        && !matches!(props.webgpu, WebGpuStatus::Unavailable(_));

    let on_start = {
        let (start, settings) = (start.clone(), settings.clone());
        Callback::from(move |_: MouseEvent| {
            if let Ok(plan) = settings.plan() {
                start.emit(plan);
            }
        })
    };
    let on_range_test = {
        let (start, settings) = (start.clone(), settings.clone());
        Callback::from(move |_: MouseEvent| {
            if let Ok(plan) = settings.plan() {
                start.emit(plan.range_test());
            }
        })
    };
    let on_use_rate = {
        let settings = settings.clone();
        Callback::from(move |rate: f64| {
            let mut next = (*settings).clone();
            next.learning_rate = rate.to_string();
            settings.set(next);
        })
    };
    let on_command = {
        let link = link.clone();
        Callback::from(move |command| link.send(command))
    };
    let on_reset = {
        let (link, pending, stop_sweep) = (link.clone(), pending.clone(), sweep.on_stop.clone());
        Callback::from(move |_: MouseEvent| {
            *pending.borrow_mut() = None;
            stop_sweep.emit(false);
            link.reset();
        })
    };
    let on_switch = {
        let link = link.clone();
        Callback::from(move |target| link.switch_to(target))
    };
    let on_download = {
        let (link, settings) = (link.clone(), settings.clone());
        Callback::from(move |format| {
            let stem = format!(
                "inkling-{}-{}",
                settings
                    .architecture
                    .as_ref()
                    .map_or("custom", |a| a.name()),
                settings.dataset.as_ref().map_or("custom", |d| d.name())
            );
            link.download(&stem, format);
        })
    };
    // The learning rate goes to the worker as soon as the slider moves during a run.
    let on_learning_rate = Callback::from(move |rate| {
        if live {
            link.set_learning_rate(rate);
        }
    });

    let shows = |part: &str| props.visible.shows(part);
    html! {
        <section class="train open" aria-label={t.session.panel_label}>
            <h2>{ t.session.heading }</h2>
            if shows("lesson") {
                <LessonCard settings={settings.clone()} initial={props.lesson}
                    refusal={props.lesson_refusal.clone()} language={props.language} live={live} />
            }
            // The buttons and the run's figures first (an embed shows them without scrolling),
            // then the settings they act on.
            <Controls phase={state.phase.clone()} compute={state.compute} gpu_ok={gpu_ok}
                can_start={!live && plan.is_ok() && conflict.is_none()} can_download={state.snapshot_step.is_some()}
                on_start={on_start} on_command={on_command} on_reset={on_reset}
                on_switch={on_switch} on_download={on_download} />
            { figures::status(t, &state) }
            { figures::figures(t, &state, frames.borrow().longest()) }
            { figures::curves(t, &state) }
            <SettingsForm settings={settings.clone()} error={plan.as_ref().err().cloned()}
                live={live} gpu_ok={gpu_ok} on_learning_rate={on_learning_rate}
                pretrained={props.pretrained.clone()} visible={props.visible.clone()} />
            <CopyLink settings={(*settings).clone()} />
            if shows("range-test") {
                { range_test::range_test(t, &state, !live && plan.is_ok() && conflict.is_none(),
                    on_range_test, on_use_rate) }
            }
            if shows("sweep") {
                <SweepForm live={live} progress={sweep.progress} seed={settings.seed.trim().parse().unwrap_or(42)}
                    on_start={sweep.on_request} on_stop={sweep.on_stop} />
            }
            if shows("runs") {
                <RunsView list={runs} />
            }
        </section>
    }
}
