//! The training panel: the run's settings, its controls (start, pause, resume, single step, stop,
//! reset, a switch between WebGPU and the CPU), live curves and the trained model's download.
//!
//! Training runs in a Web Worker ([`crate::trainer`]); the worker's wasm is fetched only when a
//! run starts. Every `eval_every` steps the worker validates and sends a snapshot of the weights,
//! which the drawing pad then reads with (`on_weights`). When the GPU fails (no adapter, a
//! rejected kernel, a lost device, a panic in the worker) the run moves to the CPU and goes on
//! from the last snapshot, and the page says so.

use crate::chart::{Chart, Series};
use crate::platform::{WebGpuStatus, fetch_bytes, now_ms};
use crate::train_settings::{LOG_LR_RANGE, Plan, TrainSettings};
use crate::trainer::TrainerWorker;
use inkling_train::{Command, Compute, Report, StartFrom};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::platform::spawn_local;
use yew::prelude::*;

/// Where a run is.
#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    /// No run yet (or reset).
    Idle,
    /// Fetching the dataset.
    Loading {
        file: String,
        loaded: u64,
        total: u64,
    },
    /// Setting up the device and the network.
    Starting,
    /// Stepping.
    Running,
    /// Paused by the person.
    Paused,
    /// All epochs done or stopped.
    Finished,
    /// Stopped by an error (the message is in `error`).
    Failed,
}

impl Phase {
    fn name(&self) -> &'static str {
        match self {
            Phase::Idle => "idle",
            Phase::Loading { .. } => "loading",
            Phase::Starting => "starting",
            Phase::Running => "running",
            Phase::Paused => "paused",
            Phase::Finished => "finished",
            Phase::Failed => "failed",
        }
    }

    /// Whether a worker is working on a run.
    fn is_live(&self) -> bool {
        matches!(
            self,
            Phase::Loading { .. } | Phase::Starting | Phase::Running | Phase::Paused
        )
    }
}

/// Everything the panel shows about the run.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainState {
    phase: Phase,
    compute: Option<Compute>,
    adapter: String,
    step: usize,
    steps_total: usize,
    epoch: f64,
    /// Training loss per step (raw) and its debiased moving average.
    loss: Vec<(f64, f64)>,
    loss_smooth: Vec<(f64, f64)>,
    /// Batch accuracy, moving average.
    accuracy_smooth: Vec<(f64, f64)>,
    validation_loss: Vec<(f64, f64)>,
    validation_accuracy: Vec<(f64, f64)>,
    /// Whole test set: (step, accuracy, loss, examples).
    test: Option<(usize, f64, f64, usize)>,
    /// Moving averages of the step time and throughput.
    ms_per_step: f64,
    examples_per_second: f64,
    learning_rate: f64,
    /// Step of the weights the drawing pad uses.
    snapshot_step: Option<usize>,
    /// Whether the worker got every dataset file from the browser's cache (`None`: not yet).
    data_cached: Option<bool>,
    /// Something the person should know (e.g. the move to the CPU).
    notice: Option<String>,
    /// Why the run stopped.
    error: Option<String>,
}

impl Default for TrainState {
    fn default() -> Self {
        Self {
            phase: Phase::Idle,
            compute: None,
            adapter: String::new(),
            step: 0,
            steps_total: 0,
            epoch: 0.0,
            loss: Vec::new(),
            loss_smooth: Vec::new(),
            accuracy_smooth: Vec::new(),
            validation_loss: Vec::new(),
            validation_accuracy: Vec::new(),
            test: None,
            ms_per_step: 0.0,
            examples_per_second: 0.0,
            learning_rate: 0.0,
            snapshot_step: None,
            data_cached: None,
            notice: None,
            error: None,
        }
    }
}

/// Changes to [`TrainState`].
pub enum TrainAction {
    /// A new run on `compute` (curves cleared).
    Began(Compute),
    /// The run continues on `compute` from the weights of step `from` (later points dropped).
    Moved { compute: Compute, from: usize },
    /// A report from the worker.
    Report(Report),
    /// A message for the person.
    Notice(String),
    /// The run stopped because of this.
    Error(String),
    /// Back to no run.
    Reset,
}

/// Smoothing of the loss curve and of the timing figures.
const SMOOTHING: f64 = 0.9;

/// Debiased exponential moving average of `values` at the new point.
fn smoothed(previous: &[(f64, f64)], raw: &[(f64, f64)], value: f64) -> f64 {
    // TensorBoard-style: average with weights SMOOTHING^k, normalised over the points seen.
    let n = raw.len() as i32;
    let last = previous.last().map_or(0.0, |p| p.1);
    let bias = 1.0 - SMOOTHING.powi(n - 1);
    let biased_last = last * bias;
    let biased = SMOOTHING * biased_last + (1.0 - SMOOTHING) * value;
    biased / (1.0 - SMOOTHING.powi(n))
}

impl Reducible for TrainState {
    type Action = TrainAction;

    fn reduce(self: Rc<Self>, action: TrainAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            TrainAction::Began(compute) => {
                next = TrainState {
                    phase: Phase::Starting,
                    compute: Some(compute),
                    ..TrainState::default()
                };
            }
            TrainAction::Moved { compute, from } => {
                next.compute = Some(compute);
                next.phase = Phase::Starting;
                let keep = |points: &mut Vec<(f64, f64)>| points.retain(|p| p.0 <= from as f64);
                keep(&mut next.loss);
                keep(&mut next.loss_smooth);
                keep(&mut next.accuracy_smooth);
                keep(&mut next.validation_loss);
                keep(&mut next.validation_accuracy);
                next.step = from;
                next.data_cached = None;
                next.ms_per_step = 0.0;
                next.examples_per_second = 0.0;
                next.error = None;
            }
            TrainAction::Notice(text) => next.notice = Some(text),
            TrainAction::Error(text) => {
                next.error = Some(text);
                next.phase = Phase::Failed;
            }
            TrainAction::Reset => next = TrainState::default(),
            TrainAction::Report(report) => match report {
                Report::Loading {
                    file,
                    loaded,
                    total,
                    cached,
                } => {
                    next.phase = Phase::Loading {
                        file,
                        loaded,
                        total,
                    };
                    next.data_cached = Some(next.data_cached.unwrap_or(true) && cached);
                }
                Report::Started {
                    compute,
                    adapter,
                    step,
                    steps_total,
                    ..
                } => {
                    next.phase = Phase::Running;
                    next.compute = Some(compute);
                    next.adapter = adapter;
                    next.step = step;
                    next.steps_total = steps_total;
                }
                Report::Step {
                    step,
                    epoch,
                    loss,
                    accuracy,
                    learning_rate,
                    examples,
                    milliseconds,
                } => {
                    let x = step as f64;
                    next.step = step;
                    next.epoch = epoch;
                    next.learning_rate = learning_rate;
                    next.loss.push((x, loss));
                    let s = smoothed(&self.loss_smooth, &next.loss, loss);
                    next.loss_smooth.push((x, s));
                    let a = smoothed(&self.accuracy_smooth, &next.loss, accuracy);
                    next.accuracy_smooth.push((x, a));
                    // The first step includes set-up (kernel compilation on a GPU): it is not averaged in.
                    // The average restarts at the second step of a run.
                    next.ms_per_step = if next.ms_per_step == 0.0 || next.loss.len() == 2 {
                        milliseconds
                    } else {
                        SMOOTHING * next.ms_per_step + (1.0 - SMOOTHING) * milliseconds
                    };
                    next.examples_per_second = examples as f64 / (next.ms_per_step / 1000.0);
                }
                Report::Validation {
                    step,
                    loss,
                    accuracy,
                } => {
                    next.validation_loss.push((step as f64, loss));
                    next.validation_accuracy.push((step as f64, accuracy));
                }
                Report::Tested {
                    step,
                    loss,
                    accuracy,
                    examples,
                } => next.test = Some((step, accuracy, loss, examples)),
                Report::Snapshot { step, .. } => next.snapshot_step = Some(step),
                Report::Paused { .. } => next.phase = Phase::Paused,
                Report::Resumed { .. } => next.phase = Phase::Running,
                Report::LearningRateSet { .. } | Report::Ready => {}
                Report::Finished { .. } => next.phase = Phase::Finished,
                Report::GpuFailed { reason } => next.notice = Some(reason),
                Report::Failed { message } => {
                    next.error = Some(message);
                    next.phase = Phase::Failed;
                }
            },
        }
        Rc::new(next)
    }
}

/// What the page keeps about the run outside the rendered state: the worker and what is needed
/// to move the run to another device.
#[derive(Default)]
struct Session {
    worker: Option<TrainerWorker>,
    /// Bumped for every worker, so reports of a replaced worker are ignored.
    generation: u64,
    plan: Option<Plan>,
    compute: Option<Compute>,
    /// The weights the run started from (fine-tuning).
    initial: Option<Rc<Vec<u8>>>,
    /// Latest weights: step, run position and model file.
    snapshot: Option<(usize, serde_json::Value, Rc<Vec<u8>>)>,
    /// Whether the page is measuring frame gaps (a run is live).
    measuring: bool,
    last_frame: Option<f64>,
    /// Longest gap between two animation frames while a run was live, in ms.
    longest_frame_gap: f64,
}

type SharedSession = Rc<RefCell<Session>>;

/// Everything a worker callback needs.
#[derive(Clone)]
struct Link {
    session: SharedSession,
    state: UseReducerDispatcher<TrainState>,
    on_weights: Callback<Option<Rc<Vec<u8>>>>,
}

impl Link {
    /// Replaces any worker with a fresh one that starts the session's plan on `compute`, from the
    /// latest snapshot when there is one.
    fn launch(&self, compute: Compute) {
        let (generation, command, model) = {
            let mut session = self.session.borrow_mut();
            session.worker = None;
            session.generation += 1;
            session.compute = Some(compute);
            session.measuring = true;
            session.last_frame = None;
            let Some(plan) = session.plan.clone() else {
                return;
            };
            let (start, model) = match (&session.snapshot, &session.initial) {
                (Some((_, state, bytes)), _) => (
                    StartFrom::Resume {
                        state: state.clone(),
                    },
                    Some(bytes.clone()),
                ),
                (None, Some(bytes)) => (StartFrom::Weights, Some(bytes.clone())),
                (None, None) => (StartFrom::Seed, None),
            };
            let command = Command::Start {
                run: Box::new(plan.run),
                compute,
                eval_every: plan.eval_every,
                eval_size: plan.eval_size,
                start,
            };
            (session.generation, command, model)
        };
        let on_report = {
            let link = self.clone();
            move |report, model| link.report(generation, report, model)
        };
        let on_crash = {
            let link = self.clone();
            move |message| link.crashed(generation, message)
        };
        match TrainerWorker::spawn(on_report, on_crash) {
            Ok(worker) => {
                if let Err(e) = worker.send(&command, model.as_deref().map(|b| b.as_slice())) {
                    self.state.dispatch(TrainAction::Error(e));
                }
                self.session.borrow_mut().worker = Some(worker);
            }
            Err(e) => self.state.dispatch(TrainAction::Error(e)),
        }
    }

    fn current(&self, generation: u64) -> bool {
        self.session.borrow().generation == generation
    }

    fn report(&self, generation: u64, report: Report, model: Option<Vec<u8>>) {
        if !self.current(generation) {
            return;
        }
        match &report {
            Report::Snapshot { step, state } => {
                if let Some(bytes) = model {
                    let bytes = Rc::new(bytes);
                    self.session.borrow_mut().snapshot =
                        Some((*step, state.clone(), bytes.clone()));
                    self.on_weights.emit(Some(bytes));
                }
            }
            Report::GpuFailed { reason } => {
                self.move_to_cpu(reason);
                return;
            }
            Report::Finished { .. } | Report::Failed { .. } => {
                self.session.borrow_mut().measuring = false;
            }
            _ => {}
        }
        self.state.dispatch(TrainAction::Report(report));
    }

    fn crashed(&self, generation: u64, message: String) {
        if !self.current(generation) {
            return;
        }
        if self.session.borrow().compute == Some(Compute::WebGpu) {
            self.move_to_cpu(&message);
            return;
        }
        let kept = match &self.session.borrow().snapshot {
            Some((step, ..)) => {
                format!("the weights of step {step} are kept (download them or start again)")
            }
            None => "no weights were saved yet".into(),
        };
        let mut session = self.session.borrow_mut();
        session.worker = None;
        session.measuring = false;
        drop(session);
        self.state.dispatch(TrainAction::Error(format!(
            "The trainer stopped: {message}. {kept}."
        )));
    }

    /// The GPU path failed: go on on the CPU from the last good weights, and say so.
    fn move_to_cpu(&self, reason: &str) {
        let from = self.session.borrow().snapshot.as_ref().map_or(0, |s| s.0);
        let resumed = if from > 0 {
            format!("from the last good weights (step {from})")
        } else {
            "from the start".into()
        };
        self.state.dispatch(TrainAction::Notice(format!(
            "WebGPU could not be used: {reason}. Training continues on the CPU {resumed}."
        )));
        self.state.dispatch(TrainAction::Moved {
            compute: Compute::Cpu,
            from,
        });
        // Not from inside the failed worker's own message handler: start the new one afterwards.
        let link = self.clone();
        spawn_local(async move { link.launch(Compute::Cpu) });
    }

    fn send(&self, command: Command) {
        let sent = match &self.session.borrow().worker {
            Some(worker) => worker.send(&command, None),
            None => return,
        };
        if let Err(e) = sent {
            self.state.dispatch(TrainAction::Error(e));
        }
    }
}

/// Properties of [`TrainPanel`].
#[derive(Properties, PartialEq)]
pub struct TrainPanelProps {
    /// New weights for the drawing pad (`None`: back to the pretrained model).
    pub on_weights: Callback<Option<Rc<Vec<u8>>>>,
    /// The pretrained model, for fine-tuning.
    pub pretrained_url: AttrValue,
    /// Whether WebGPU is there.
    pub webgpu: WebGpuStatus,
    /// Settings from the page's URL.
    pub initial: TrainSettings,
    /// Open from the start (`?train` in the URL).
    #[prop_or_default]
    pub open: bool,
}

/// The training panel.
#[component]
pub fn TrainPanel(props: &TrainPanelProps) -> Html {
    let open = use_state(|| props.open);
    let settings = use_state(|| props.initial.clone());
    let state = use_reducer(TrainState::default);
    let session: SharedSession = use_mut_ref(Session::default);
    let link = Link {
        session: session.clone(),
        state: state.dispatcher(),
        on_weights: props.on_weights.clone(),
    };
    use_frame_gap_meter(session.clone());

    if !*open {
        let open = open.clone();
        return html! {
            <section class="train closed">
                <button id="train-open" onclick={move |_| open.set(true)}>
                    { "Train your own network in the browser…" }
                </button>
            </section>
        };
    }

    let plan = settings.plan();
    let field_error = |field: &str| match &plan {
        Err((f, message)) if *f == field => Some(message.clone()),
        _ => None,
    };
    let live = state.phase.is_live();
    let gpu_ok = props.webgpu != WebGpuStatus::Checking
        && !matches!(props.webgpu, WebGpuStatus::Unavailable(_));

    let on_start = {
        let link = link.clone();
        let settings = settings.clone();
        let url = props.pretrained_url.to_string();
        Callback::from(move |_| {
            let Ok(plan) = settings.plan() else { return };
            // WebGPU is tried even when the page's probe found no adapter: the worker then fails
            // to set it up and the run moves to the CPU through the one fallback path there is.
            let compute = settings.compute;
            {
                let mut session = link.session.borrow_mut();
                session.plan = Some(plan);
                session.snapshot = None;
                session.initial = None;
                session.longest_frame_gap = 0.0;
            }
            link.state.dispatch(TrainAction::Began(compute));
            if settings.fine_tune {
                let link = link.clone();
                let url = url.clone();
                spawn_local(async move {
                    match fetch_bytes(&url, "the pretrained model").await {
                        Ok(bytes) => {
                            link.session.borrow_mut().initial = Some(Rc::new(bytes));
                            link.launch(compute);
                        }
                        Err(e) => link.state.dispatch(TrainAction::Error(e)),
                    }
                });
            } else {
                link.launch(compute);
            }
        })
    };
    let command = |command: Command| {
        let link = link.clone();
        Callback::from(move |_: MouseEvent| link.send(command.clone()))
    };
    let on_reset = {
        let link = link.clone();
        Callback::from(move |_| {
            // Dropping the worker terminates it; the new generation ignores anything in flight.
            let generation = link.session.borrow().generation + 1;
            *link.session.borrow_mut() = Session {
                generation,
                ..Session::default()
            };
            link.state.dispatch(TrainAction::Reset);
            link.on_weights.emit(None);
        })
    };
    let on_switch = {
        let link = link.clone();
        let target = match state.compute {
            Some(Compute::WebGpu) => Compute::Cpu,
            _ => Compute::WebGpu,
        };
        Callback::from(move |_| {
            let from = link.session.borrow().snapshot.as_ref().map_or(0, |s| s.0);
            link.state.dispatch(TrainAction::Notice(format!(
                "Moved to {} by request, from the weights of step {from}.",
                target.label()
            )));
            link.state.dispatch(TrainAction::Moved {
                compute: target,
                from,
            });
            link.launch(target);
        })
    };
    let on_download = {
        let session = session.clone();
        let settings = settings.clone();
        Callback::from(move |_| {
            if let Some((step, _, bytes)) = &session.borrow().snapshot {
                let name = format!(
                    "inkling-{}-{}-step{step}.inkling",
                    settings.architecture, settings.dataset
                );
                if let Err(e) = download(bytes, &name) {
                    web_sys::console::error_1(&e);
                }
            }
        })
    };
    // The learning rate: a log slider, sent to the worker as soon as it moves during a run.
    let on_lr = {
        let settings = settings.clone();
        let link = link.clone();
        Callback::from(move |e: InputEvent| {
            let Some(input) = e.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            let Ok(exponent) = input.value().parse::<f64>() else {
                return;
            };
            let rate = round_rate(10f64.powf(exponent));
            let mut next = (*settings).clone();
            next.learning_rate = rate.to_string();
            settings.set(next);
            if live {
                // A run moved to another device later resumes with the new rate too.
                if let Some(plan) = link.session.borrow_mut().plan.as_mut() {
                    plan.run.recipe.learning_rate = rate;
                }
                link.send(Command::SetLearningRate {
                    learning_rate: rate,
                });
            }
        })
    };

    let text_field = |id: &'static str,
                      label: &'static str,
                      value: &String,
                      set: fn(&mut TrainSettings, String)| {
        let settings = settings.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                let mut next = (*settings).clone();
                set(&mut next, input.value());
                settings.set(next);
            }
        });
        let error = field_error(id);
        html! {
            <label class={classes!("field", error.is_some().then_some("invalid"))}>
                <span>{ label }</span>
                <input id={format!("train-{id}")} type="text" inputmode="decimal" value={value.clone()}
                    oninput={oninput} disabled={live} aria-invalid={error.is_some().to_string()} />
                if let Some(error) = error {
                    <small id={format!("train-{id}-error")} class="field-error" role="alert">{ error }</small>
                }
            </label>
        }
    };
    let select_field = |id: &'static str,
                        label: &'static str,
                        value: &String,
                        options: &[(&'static str, &'static str)],
                        set: fn(&mut TrainSettings, String)| {
        let settings = settings.clone();
        let onchange = Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                let mut next = (*settings).clone();
                set(&mut next, select.value());
                settings.set(next);
            }
        });
        html! {
            <label class="field">
                <span>{ label }</span>
                <select id={format!("train-{id}")} onchange={onchange} disabled={live}>
                    { for options.iter().map(|(v, text)| html! {
                        <option value={*v} selected={value == v}>{ *text }</option>
                    }) }
                </select>
            </label>
        }
    };
    let check_field = |id: &'static str,
                       label: &'static str,
                       value: bool,
                       set: fn(&mut TrainSettings, bool)| {
        let settings = settings.clone();
        let onchange = Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                let mut next = (*settings).clone();
                set(&mut next, input.checked());
                settings.set(next);
            }
        });
        html! {
            <label class="check">
                <input id={format!("train-{id}")} type="checkbox" checked={value} onchange={onchange} disabled={live} />
                { label }
            </label>
        }
    };

    let model_summary = match settings.model() {
        Ok(model) => format!(
            "{} parameters · receptive field {} px",
            crate::app::group_thousands(model.param_count()),
            model.receptive_field()
        ),
        Err((_, e)) => e,
    };
    let lr_value = settings
        .learning_rate
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v > 0.0);
    let lr_slider = lr_value
        .map_or(-3.0, f64::log10)
        .clamp(LOG_LR_RANGE.0, LOG_LR_RANGE.1);
    let s = &*settings;
    let status = status_line(&state);
    let progress = match &state.phase {
        Phase::Loading { loaded, total, .. } if *total > 0 => Some((*loaded as f64, *total as f64)),
        _ if state.steps_total > 0 => Some((state.step as f64, state.steps_total as f64)),
        _ => None,
    };
    let eta = (state.ms_per_step > 0.0
        && state.steps_total > state.step
        && state.phase == Phase::Running)
        .then(|| {
            format_duration((state.steps_total - state.step) as f64 * state.ms_per_step / 1000.0)
        });
    let frame_gap = session.borrow().longest_frame_gap;
    let latest_validation = state.validation_accuracy.last().map(|p| p.1);
    let first_loss = state.loss_smooth.first().map(|p| p.1);
    let last_loss = state.loss_smooth.last().map(|p| p.1);
    let can_download = state.snapshot_step.is_some();

    html! {
        <section class="train open" aria-label="Training">
            <h2>{ "Train a network in your browser" }</h2>
            <form class="settings" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <fieldset>
                    <legend>{ "Model" }</legend>
                    { select_field("dataset", "Dataset", &s.dataset, &[("mnist", "MNIST digits"), ("fashion-mnist", "Fashion-MNIST")], |s, v| s.dataset = v) }
                    { select_field("architecture", "Architecture", &s.architecture, &[("dsd", "DSD net (depthwise-separable, dilated)"), ("cnn", "Plain CNN"), ("mlp", "MLP")], |s, v| s.architecture = v) }
                    if s.architecture == "dsd" {
                        { text_field("width", "Width multiplier", &s.width, |s, v| s.width = v) }
                        { text_field("depth", "Blocks per stage", &s.depth, |s, v| s.depth = v) }
                        { check_field("dilation", "Dilation", s.dilation, |s, v| s.dilation = v) }
                    }
                    { text_field("dropout", "Dropout", &s.dropout, |s, v| s.dropout = v) }
                    <p id="train-model-summary" class="summary">{ model_summary }</p>
                    { check_field("finetune", "Start from the pretrained model (fine-tune)", s.fine_tune, |s, v| s.fine_tune = v) }
                </fieldset>
                <fieldset>
                    <legend>{ "Optimisation" }</legend>
                    { select_field("optimizer", "Optimiser", &s.optimizer, &[("adamw", "AdamW"), ("adam", "Adam"), ("sgd", "SGD + Nesterov momentum")], |s, v| s.optimizer = v) }
                    <label class={classes!("field", field_error("lr").is_some().then_some("invalid"))}>
                        <span>{ "Learning rate " }<output id="train-lr-value">{ &s.learning_rate }</output></span>
                        <input id="train-lr" type="range" min={LOG_LR_RANGE.0.to_string()} max={LOG_LR_RANGE.1.to_string()}
                            step="0.05" value={lr_slider.to_string()} oninput={on_lr} />
                        if let Some(error) = field_error("lr") {
                            <small id="train-lr-error" class="field-error" role="alert">{ error }</small>
                        }
                    </label>
                    { select_field("schedule", "Schedule", &s.schedule, &[("one-cycle", "One-cycle"), ("cosine", "Cosine"), ("constant", "Constant"), ("step", "Halve every epoch"), ("exponential", "Exponential (x0.8 per epoch)")], |s, v| s.schedule = v) }
                    { text_field("batch", "Batch size", &s.batch_size, |s, v| s.batch_size = v) }
                    { text_field("epochs", "Epochs", &s.epochs, |s, v| s.epochs = v) }
                    { text_field("wd", "Weight decay", &s.weight_decay, |s, v| s.weight_decay = v) }
                </fieldset>
                <fieldset>
                    <legend>{ "Data" }</legend>
                    { check_field("rotate", "Rotate", s.rotate, |s, v| s.rotate = v) }
                    { check_field("shift", "Shift", s.shift, |s, v| s.shift = v) }
                    { check_field("scale", "Scale", s.scale, |s, v| s.scale = v) }
                    { text_field("subset", "Training examples (empty: all)", &s.subset, |s, v| s.subset = v) }
                    { text_field("seed", "Seed", &s.seed, |s, v| s.seed = v) }
                    { text_field("eval_every", "Validate every (steps)", &s.eval_every, |s, v| s.eval_every = v) }
                    { select_field("compute", "Compute", &match s.compute { Compute::WebGpu => "webgpu".to_string(), Compute::Cpu => "cpu".to_string() },
                        &[("webgpu", "WebGPU (GPU)"), ("cpu", "CPU (WebAssembly)")],
                        |s, v| s.compute = if v == "cpu" { Compute::Cpu } else { Compute::WebGpu }) }
                    if !gpu_ok && s.compute == Compute::WebGpu {
                        <p class="summary">{ "WebGPU is not available here: the run will use the CPU." }</p>
                    }
                </fieldset>
            </form>
            <div class="controls" role="toolbar">
                <button id="train-start" onclick={on_start} disabled={live || plan.is_err()}>{ "Start" }</button>
                <button id="train-pause" onclick={command(Command::Pause)} disabled={state.phase != Phase::Running}>{ "Pause" }</button>
                <button id="train-resume" onclick={command(Command::Resume)} disabled={state.phase != Phase::Paused}>{ "Resume" }</button>
                <button id="train-step" onclick={command(Command::Step)} disabled={state.phase != Phase::Paused}>{ "Step" }</button>
                <button id="train-stop" onclick={command(Command::Stop)} disabled={!matches!(state.phase, Phase::Running | Phase::Paused)}>{ "Stop" }</button>
                <button id="train-reset" onclick={on_reset} disabled={state.phase == Phase::Idle}>{ "Reset" }</button>
                <button id="train-switch" onclick={on_switch} disabled={!matches!(state.phase, Phase::Running | Phase::Paused) || (!gpu_ok && state.compute == Some(Compute::Cpu))}>
                    { match state.compute { Some(Compute::WebGpu) => "Move to the CPU", _ => "Move to WebGPU" } }
                </button>
                <button id="train-test" onclick={command(Command::Test)} disabled={!matches!(state.phase, Phase::Paused | Phase::Finished)}>{ "Test" }</button>
                <button id="train-download" onclick={on_download} disabled={!can_download}>{ "Download model" }</button>
            </div>
            <p id="train-status" class="status" data-phase={state.phase.name()}
                data-compute={state.compute.map(|c| c.label()).unwrap_or("")} aria-live="polite">
                { status }
            </p>
            if let Some((done, total)) = progress {
                <progress id="train-progress" max={total.to_string()} value={done.to_string()} />
            }
            if let Some(notice) = &state.notice {
                <p id="train-notice" class="notice" role="status">{ notice }</p>
            }
            if let Some(error) = &state.error {
                <p id="train-error" class="error" role="alert">{ error }</p>
            }
            <dl class="figures">
                <dt>{ "Step" }</dt>
                <dd id="train-step-count" data-step={state.step.to_string()}>
                    { format!("{} / {} (epoch {:.2})", state.step, state.steps_total, state.epoch) }
                </dd>
                <dt>{ "Learning rate" }</dt>
                <dd id="train-lr-now" data-lr={state.learning_rate.to_string()}>{ format!("{:.2e}", state.learning_rate) }</dd>
                <dt>{ "Speed" }</dt>
                <dd id="train-speed" data-ms-per-step={format!("{:.1}", state.ms_per_step)}
                    data-examples-per-second={format!("{:.1}", state.examples_per_second)}>
                    { format!("{:.0} ms/step · {:.0} examples/s", state.ms_per_step, state.examples_per_second) }
                    if let Some(eta) = eta { { format!(" · {eta} left") } }
                </dd>
                <dt>{ "Training loss (smoothed)" }</dt>
                <dd id="train-loss" data-first={first_loss.map(|l| l.to_string()).unwrap_or_default()}
                    data-last={last_loss.map(|l| l.to_string()).unwrap_or_default()}>
                    { match (first_loss, last_loss) {
                        (Some(first), Some(last)) => format!("{last:.4} (started at {first:.4})"),
                        _ => "–".into(),
                    } }
                </dd>
                <dt>{ "Validation accuracy" }</dt>
                <dd id="train-val-acc" data-accuracy={latest_validation.map(|a| a.to_string()).unwrap_or_default()}
                    data-count={state.validation_accuracy.len().to_string()}>
                    { latest_validation.map(|a| format!("{:.2} %", a * 100.0)).unwrap_or_else(|| "–".into()) }
                </dd>
                <dt>{ "Test accuracy" }</dt>
                <dd id="train-test-acc" data-accuracy={state.test.map(|t| t.1.to_string()).unwrap_or_default()}>
                    { state.test.map(|(step, a, _, n)| format!("{:.2} % on {} test images (step {step})", a * 100.0, crate::app::group_thousands(n))).unwrap_or_else(|| "–".into()) }
                </dd>
                <dt>{ "Drawing pad reads with" }</dt>
                <dd id="train-snapshot" data-step={state.snapshot_step.map(|s| s.to_string()).unwrap_or_default()}>
                    { state.snapshot_step.map(|s| format!("the weights of step {s}")).unwrap_or_else(|| "the pretrained model".into()) }
                </dd>
                <dt>{ "Dataset" }</dt>
                <dd id="train-data" data-cached={state.data_cached.map(|c| c.to_string()).unwrap_or_default()}>
                    { match state.data_cached {
                        Some(true) => "from the browser's cache",
                        Some(false) => "downloaded (kept in the browser's cache for next time)",
                        None => "–",
                    } }
                </dd>
                <dt>{ "Longest page stall" }</dt>
                <dd id="train-frame-gap" data-ms={format!("{frame_gap:.1}")}>{ format!("{frame_gap:.0} ms between frames") }</dd>
            </dl>
            <div class="charts">
                <Chart id="loss-chart" title="Loss" x_label="step" y_label=""
                    series={vec![
                        Series { label: "train", colour: "#c9c9e8", points: state.loss.clone(), width: 1.0, dots: false },
                        Series { label: "train (smoothed)", colour: "#3b3bb3", points: state.loss_smooth.clone(), width: 2.0, dots: false },
                        Series { label: "validation", colour: "#d9480f", points: state.validation_loss.clone(), width: 2.0, dots: true },
                    ]} />
                <Chart id="accuracy-chart" title="Accuracy" x_label="step" y_label="" percent=true y_range={Some((0.0, 1.0))}
                    series={vec![
                        Series { label: "train (smoothed)", colour: "#3b3bb3", points: state.accuracy_smooth.clone(), width: 2.0, dots: false },
                        Series { label: "validation", colour: "#d9480f", points: state.validation_accuracy.clone(), width: 2.0, dots: true },
                    ]} />
            </div>
        </section>
    }
}

/// One line about where the run is.
fn status_line(state: &TrainState) -> String {
    let on = state
        .compute
        .map(|c| match c {
            Compute::WebGpu if !state.adapter.is_empty() => {
                format!(" on WebGPU ({})", state.adapter)
            }
            c => format!(
                " on the {}",
                if c == Compute::Cpu {
                    "CPU"
                } else {
                    "GPU (WebGPU)"
                }
            ),
        })
        .unwrap_or_default();
    match &state.phase {
        Phase::Idle => "Set up a run and press Start.".into(),
        Phase::Loading {
            file,
            loaded,
            total,
        } => format!(
            "Loading the dataset: {file} {:.1} of {:.1} MB…",
            *loaded as f64 / 1e6,
            *total as f64 / 1e6
        ),
        Phase::Starting if state.compute == Some(Compute::WebGpu) => {
            format!("Setting up{on}… (the first GPU steps compile kernels and can take a while)")
        }
        Phase::Starting => format!("Setting up{on}…"),
        Phase::Running => format!("Training{on}"),
        Phase::Paused => format!("Paused{on}"),
        Phase::Finished => format!("Finished{on}"),
        Phase::Failed => "Stopped".into(),
    }
}

/// Rounds to two significant digits, so the slider shows rates like 0.0032.
fn round_rate(rate: f64) -> f64 {
    let power = 10f64.powf(rate.log10().floor() - 1.0);
    (rate / power).round() * power
}

/// `93` -> `1 min 33 s`.
fn format_duration(seconds: f64) -> String {
    let s = seconds.round() as u64;
    if s >= 60 {
        format!("{} min {} s", s / 60, s % 60)
    } else {
        format!("{s} s")
    }
}

/// The animation-frame callback, kept so that it can schedule itself again.
type FrameCallback = Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>>;

/// Measures the longest gap between animation frames while a run is live: the page must stay
/// responsive while the worker trains.
#[hook]
fn use_frame_gap_meter(session: SharedSession) {
    use_effect_with((), move |_| {
        let handle: FrameCallback = Rc::new(RefCell::new(None));
        let again = handle.clone();
        let stopped = Rc::new(std::cell::Cell::new(false));
        let stop = stopped.clone();
        *handle.borrow_mut() = Some(Closure::new(move |_time: f64| {
            if stopped.get() {
                return;
            }
            let now = now_ms();
            {
                let mut s = session.borrow_mut();
                if s.measuring {
                    if let Some(last) = s.last_frame {
                        s.longest_frame_gap = s.longest_frame_gap.max(now - last);
                    }
                    s.last_frame = Some(now);
                } else {
                    s.last_frame = None;
                }
            }
            if let (Some(window), Some(callback)) = (web_sys::window(), again.borrow().as_ref()) {
                let _ = window.request_animation_frame(callback.as_ref().unchecked_ref());
            }
        }));
        if let (Some(window), Some(callback)) = (web_sys::window(), handle.borrow().as_ref()) {
            let _ = window.request_animation_frame(callback.as_ref().unchecked_ref());
        }
        move || {
            stop.set(true);
            drop(handle);
        }
    });
}

/// Offers `bytes` as a file download named `name`.
fn download(bytes: &[u8], name: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/octet-stream");
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let document = gloo::utils::document();
    let anchor: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    web_sys::Url::revoke_object_url(&url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slider_rates_are_rounded_to_two_digits() {
        assert!((round_rate(0.0031622) - 0.0032).abs() < 1e-12);
        assert!((round_rate(0.1) - 0.1).abs() < 1e-12);
    }

    #[test]
    fn the_smoothed_curve_starts_at_the_first_value_and_follows_the_trend() {
        let mut raw = Vec::new();
        let mut smooth: Vec<(f64, f64)> = Vec::new();
        for (i, v) in [2.0, 1.0, 1.0, 1.0].into_iter().enumerate() {
            raw.push((i as f64, v));
            let s = smoothed(&smooth, &raw, v);
            smooth.push((i as f64, s));
        }
        assert!((smooth[0].1 - 2.0).abs() < 1e-12);
        assert!(smooth[3].1 < smooth[1].1 && smooth[3].1 > 1.0);
    }

    #[test]
    fn moving_to_the_cpu_drops_points_after_the_snapshot() {
        let mut state = Rc::new(TrainState::default());
        for step in 1..=5 {
            state = state.reduce(TrainAction::Report(Report::Step {
                step,
                epoch: 0.1,
                loss: 1.0,
                accuracy: 0.5,
                learning_rate: 1e-3,
                examples: 32,
                milliseconds: 100.0,
            }));
        }
        let state = state.reduce(TrainAction::Moved {
            compute: Compute::Cpu,
            from: 3,
        });
        assert_eq!(state.loss.len(), 3);
        assert_eq!(state.step, 3);
        assert_eq!(state.compute, Some(Compute::Cpu));
    }
}
