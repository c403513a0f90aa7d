//! The page: it owns what the views share (the model, the latest reading, WebGPU's status and
//! errors) in one reducer, lays the views out (the drawing in [`crate::draw`], the model library
//! in [`crate::library`], training in [`crate::train`], the views in [`crate::inside`] and
//! [`crate::evaluation`]) and shows the state of the model and of
//! WebGPU below them.

mod footer;

use crate::config::UrlConfig;
use crate::draw::classifier::{Classifier, Reading};
use crate::draw::origin::Origin;
use crate::draw::pad::{Drawing, ShownDigit, rasterize};
use crate::draw::settled::use_settled_reading;
use crate::draw::{DrawView, class_names};
use crate::embed::{Embed, Handler, use_embed, use_page_events};
use crate::evaluation::EvaluationPanel;
use crate::handwriting::HandwritingPanel;
use crate::inside::InsidePanel;
use crate::lang::Language;
use crate::library::LibraryPanel;
use crate::platform::{WebGpuStatus, probe_webgpu};
use crate::tabs::{TabPanel, Tabs, View};
use crate::text::fill;
use crate::train::{RunTest, TrainPanel, TrainedWeights};
use inkling_data::Choice;
use std::rc::Rc;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Where the model is.
#[derive(Clone)]
pub enum ModelState {
    /// Being downloaded and decoded.
    Loading,
    /// Ready to classify.
    Ready(Rc<Classifier>),
    /// Could not be loaded; the message says why.
    Failed(String),
}

impl PartialEq for ModelState {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (ModelState::Loading, ModelState::Loading) => true,
            (ModelState::Ready(a), ModelState::Ready(b)) => Rc::ptr_eq(a, b),
            (ModelState::Failed(a), ModelState::Failed(b)) => a == b,
            _ => false,
        }
    }
}

/// Everything the page shows.
#[derive(Clone, PartialEq)]
pub struct AppState {
    /// The model's state.
    pub model: ModelState,
    /// Latest reading of the drawing (`None`: nothing drawn).
    pub reading: Option<Reading>,
    /// Version of the drawing that `reading` belongs to.
    pub read_version: u64,
    /// Whether WebGPU is available (for training).
    pub webgpu: WebGpuStatus,
    /// A recoverable error to show (e.g. inference failed).
    pub error: Option<String>,
}

/// Changes to [`AppState`].
pub enum Action {
    /// The model is being (re)loaded.
    ModelLoading,
    /// The model finished loading.
    ModelLoaded(Rc<Classifier>),
    /// The model could not be loaded.
    ModelFailed(String),
    /// A new reading of version `.1` of the drawing.
    Read(Option<Reading>, u64),
    /// WebGPU probe result.
    WebGpu(WebGpuStatus),
    /// Something went wrong while classifying.
    Failed(String),
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::ModelLoaded(c) => next.model = ModelState::Ready(c),
            Action::ModelLoading => next.model = ModelState::Loading,
            Action::ModelFailed(e) => next.model = ModelState::Failed(e),
            Action::Read(r, version) => {
                // Readings can finish out of order; an older one never replaces a newer one.
                if version < next.read_version {
                    return self;
                }
                next.reading = r;
                next.read_version = version;
                next.error = None;
            }
            Action::WebGpu(s) => next.webgpu = s,
            Action::Failed(e) => next.error = Some(e),
        }
        Rc::new(next)
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self {
            model: ModelState::Loading,
            reading: None,
            read_version: 0,
            webgpu: WebGpuStatus::Checking,
            error: None,
        }
    }
}

/// The whole playground.
#[component]
pub fn App() -> Html {
    let config = use_memo((), |_| UrlConfig::current());
    let t = config.language.texts();
    let state = use_reducer(AppState::default);
    let view = use_state(|| config.view);
    let visited = use_state(|| config.opened);
    let embed = use_embed(config.origin.clone());
    let settled = use_settled_reading(state.reading.clone(), state.read_version);

    {
        let state = state.clone();
        let url = config.model_url.clone();
        let language = config.language;
        use_effect_with((), move |_| {
            if let Some(root) = gloo::utils::document().document_element() {
                // Screen readers pick their voice by it.
                let _ = root.set_attribute("lang", language.tag());
            }
            load_model(url, state.dispatcher());
            spawn_local(async move {
                state.dispatch(Action::WebGpu(probe_webgpu().await));
            });
        });
    }

    // The pretrained model, kept so that resetting a training run brings it back.
    let pretrained = use_mut_ref(|| None::<Rc<Classifier>>);
    if let ModelState::Ready(c) = &state.model
        && matches!(c.origin(), Origin::Pretrained { .. })
        && pretrained.borrow().is_none()
    {
        *pretrained.borrow_mut() = Some(c.clone());
    }
    // The latest Test of this page's training run, for the evaluation view.
    let run_test = use_state(|| None::<Rc<RunTest>>);
    // Snapshots of a training run replace the model the pad reads with.
    let on_weights = {
        let dispatcher = state.dispatcher();
        let pretrained = pretrained.clone();
        let run_test = run_test.clone();
        use_callback(
            (),
            move |weights: Option<TrainedWeights>, _| match weights {
                Some(TrainedWeights { file, step, run }) => {
                    match Classifier::from_bytes(file, Origin::Training { step, run }) {
                        Ok(c) => dispatcher.dispatch(Action::ModelLoaded(Rc::new(c))),
                        Err(e) => dispatcher.dispatch(Action::Failed(fill(
                            t.app.training_weights_unusable,
                            &[("error", &e)],
                        ))),
                    }
                }
                None => {
                    // The run is gone, and its Test with it.
                    run_test.set(None);
                    if let Some(c) = pretrained.borrow().clone() {
                        dispatcher.dispatch(Action::ModelLoaded(c));
                    }
                }
            },
        )
    };

    // The latest drawing, kept so that a drawing made while the model was still loading is read
    // as soon as the model arrives.
    let latest = use_mut_ref(|| None::<Drawing>);

    // Rebuilt only when the model changes, so the pad is not re-rendered with every reading.
    let on_change = {
        let dispatcher = state.dispatcher();
        let latest = latest.clone();
        use_callback(state.model.clone(), move |drawing: Drawing, model| {
            *latest.borrow_mut() = Some(drawing.clone());
            if let ModelState::Ready(classifier) = model {
                read_drawing(classifier.clone(), drawing, dispatcher.clone());
            }
        })
    };
    {
        let dispatcher = state.dispatcher();
        use_effect_with(state.model.clone(), move |model| {
            if let (ModelState::Ready(classifier), Some(drawing)) = (model, latest.borrow().clone())
            {
                read_drawing(classifier.clone(), drawing, dispatcher);
            }
        });
    }

    let dataset = match &state.model {
        ModelState::Ready(c) => c.header().dataset,
        _ => inkling_data::DatasetKind::Mnist,
    };
    // The page shows the classes in its language; an embedding page hears their English names.
    let names: Vec<String> = dataset
        .class_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    let shown_names: Vec<String> = class_names(t, dataset)
        .iter()
        .map(|s| s.to_string())
        .collect();
    // A model that failed to download can be fetched again without losing the drawing.
    let on_retry = {
        let dispatcher = state.dispatcher();
        let url = config.model_url.clone();
        Callback::from(move |_: MouseEvent| load_model(url.clone(), dispatcher.clone()))
    };
    // A model from the library or an upload replaces the one the pad reads with.
    let on_use = {
        let dispatcher = state.dispatcher();
        use_callback((), move |c: Rc<Classifier>, _| {
            dispatcher.dispatch(Action::ModelLoaded(c))
        })
    };
    // The handwriting panel clears the pad after keeping a digit.
    let clears = use_state(|| 0u64);
    let on_kept = {
        let clears = clears.clone();
        Callback::from(move |()| clears.set(*clears + 1))
    };
    // So does the host page's `clear`.
    embed.handle(Handler::Pad, {
        let clears = clears.clone();
        Callback::from(move |_| clears.set(*clears + 1))
    });
    use_page_events(
        &embed,
        matches!(state.model, ModelState::Ready(_)),
        settled.clone(),
        names,
    );
    // A test image picked in the evaluation view goes on the pad.
    let shown = use_state(|| None::<ShownDigit>);
    // Built once, like the other callbacks the views get: a new callback each render would
    // re-render those views with every reading.
    let serial = use_mut_ref(|| 0u64);
    let on_show = {
        let shown = shown.setter();
        use_callback((), move |(pixels, name): (Vec<f32>, String), _| {
            *serial.borrow_mut() += 1;
            shown.set(Some(ShownDigit {
                pixels: Rc::new(pixels),
                name,
                serial: *serial.borrow(),
            }));
        })
    };
    let on_tested = {
        let run_test = run_test.setter();
        use_callback((), move |test: RunTest, _| {
            run_test.set(Some(Rc::new(test)))
        })
    };
    let current = match &state.model {
        ModelState::Ready(c) => Some(c.clone()),
        _ => None,
    };
    let views = {
        let (view, visited) = (view.clone(), visited.clone());
        Callback::from(move |chosen: View| {
            visited.set(visited.with(chosen));
            view.set(chosen);
        })
    };
    let on_show_training = {
        let views = views.clone();
        Callback::from(move |()| views.emit(View::Train))
    };
    let active = *view;
    let opened = |v: View| visited.contains(v);
    html! {
        <ContextProvider<Language> context={config.language}>
        <ContextProvider<Embed> context={embed}>
        <main class="app" data-view={active.name()}>
            <header>
                <h1>{ "Inkling" }</h1>
                <p class="tagline">{ t.app.tagline }</p>
            </header>
            <Tabs active={active} on_select={views} />
            <div id="view-draw" class="drawing">
                <DrawView brush={config.brush} on_change={on_change} reading={state.reading.clone()}
                    version={state.read_version} names={shown_names} clears={*clears} shown={(*shown).clone()}
                    classifier={current.clone()} settled={settled.map(|(r, _)| r)} />
                if let Some(error) = &state.error {
                    <p id="error" class="error" role="alert">{ error }</p>
                }
                { footer::footer(t, &state, current.as_ref(), on_retry) }
            </div>
            <div class="views">
                <TabPanel view={View::Train} active={active}>
                    <TrainPanel on_weights={on_weights} on_tested={on_tested} pretrained_url={config.model_url.clone()}
                        pretrained={pretrained.borrow().as_ref().map(|c| c.header().model.clone())}
                        webgpu={state.webgpu.clone()} initial={config.train.clone()} open={opened(View::Train)}
                        on_show={on_show_training} fault={config.fault} lesson={config.lesson}
                        lesson_refusal={config.lesson_refusal.clone()} visible={config.visible.clone()}
                        language={config.language} />
                </TabPanel>
                <TabPanel view={View::Inside} active={active}>
                    <InsidePanel current={current.clone()} input={state.reading.as_ref().map(|r| r.input.clone())}
                        open={active == View::Inside} />
                </TabPanel>
                <TabPanel view={View::Mistakes} active={active}>
                    <EvaluationPanel current={current.clone()} run_test={(*run_test).clone()} on_show={on_show}
                        open={opened(View::Mistakes)} />
                </TabPanel>
                <TabPanel view={View::Handwriting} active={active}>
                    <HandwritingPanel current={current.clone()} reading={state.reading.clone()} on_kept={on_kept}
                        on_use={on_use.clone()} open={opened(View::Handwriting)} />
                </TabPanel>
                <TabPanel view={View::Library} active={active}>
                    <LibraryPanel current={current} on_use={on_use} />
                </TabPanel>
            </div>
        </main>
        </ContextProvider<Embed>>
        </ContextProvider<Language>>
    }
}

/// Downloads and decodes the model at `url` in the background and reports how that went.
fn load_model(url: String, dispatcher: UseReducerDispatcher<AppState>) {
    dispatcher.dispatch(Action::ModelLoading);
    spawn_local(async move {
        match Classifier::fetch(&url).await {
            Ok(c) => dispatcher.dispatch(Action::ModelLoaded(Rc::new(c))),
            Err(e) => dispatcher.dispatch(Action::ModelFailed(e)),
        }
    });
}

/// Reads `drawing` with `classifier` in the background and reports the result, tagged with the
/// drawing's version (an empty pad reads as nothing).
fn read_drawing(
    classifier: Rc<Classifier>,
    drawing: Drawing,
    dispatcher: UseReducerDispatcher<AppState>,
) {
    spawn_local(async move {
        let version = drawing.version;
        let result = match (&drawing.image, drawing.strokes.is_empty()) {
            // A digit shown on the pad is the model's input already.
            (Some(pixels), true) => classifier.read_input(pixels).await.map(Some),
            (None, true) => Ok(None),
            (_, false) => match rasterize(&drawing.strokes) {
                Ok(image) => classifier.classify(&image).await,
                Err(e) => Err(e),
            },
        };
        match result {
            Ok(reading) => dispatcher.dispatch(Action::Read(reading, version)),
            Err(e) => dispatcher.dispatch(Action::Failed(e)),
        }
    });
}
