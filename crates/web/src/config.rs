//! What the page's URL asks for: the model to read with, the brush, and a prepared training run;
//! and the page's language for texts made away from its components ([`page_texts`]).

use crate::lang::Language;
use crate::lessons::Lesson;
use crate::tabs::{View, Visited};
use crate::text::Texts;
use crate::train::settings::TrainSettings;
use crate::train::visible::VisibleControls;
use inkling_train::Fault;
use std::cell::Cell;

/// Settings a course page can put in the URL, e.g. `?model=models/mine.inkling&brush=14`.
#[derive(Debug, Clone, PartialEq)]
pub struct UrlConfig {
    /// Model file to load (relative to the page or absolute).
    pub model_url: String,
    /// Brush diameter in CSS pixels.
    pub brush: f64,
    /// The view shown first: `?view=`, else the first of `?train` (or `?preset=`), `?inside`
    /// and `?eval`, else the drawing alone.
    pub view: View,
    /// The views open from the start: the first, and every one of `?train`, `?inside` and
    /// `?eval` (a test may watch a run's Test reach the mistakes view).
    pub opened: Visited,
    /// Initial training settings (`?train&compute=cpu&subset=2000&epochs=3`...).
    pub train: TrainSettings,
    /// A fault for the run to inject (`?fault=worker-crash@12`, `?fault=gpu-loss@5`), to watch
    /// the page recover; for tests and demonstrations.
    pub fault: Option<Fault>,
    /// The lesson `?preset=` names; its first run is the form's starting point.
    pub lesson: Option<&'static Lesson>,
    /// Why `?preset=` named no lesson.
    pub lesson_refusal: Option<String>,
    /// The training controls shown (`?controls=`, `?hide=`).
    pub visible: VisibleControls,
    /// The page's language (`?lang=`, else the browser's).
    pub language: Language,
    /// The one origin an embedding page may have (`?origin=`): events go only there, and only
    /// its messages are obeyed.
    pub origin: Option<String>,
}

/// Default model shipped with the site.
pub const DEFAULT_MODEL_URL: &str = "models/dsd-s-int8.inkling";
/// Default brush diameter in CSS pixels on a 280-pixel pad.
pub const DEFAULT_BRUSH: f64 = 18.0;

impl UrlConfig {
    /// Parses a query string (`?a=b&c=d`), ignoring unusable values.
    pub fn from_query(query: &str) -> Self {
        let mut config = Self {
            model_url: DEFAULT_MODEL_URL.to_string(),
            brush: DEFAULT_BRUSH,
            view: View::Draw,
            opened: Visited::of(&[View::Draw]),
            train: TrainSettings::default(),
            fault: None,
            lesson: None,
            lesson_refusal: None,
            visible: VisibleControls::All,
            language: Language::En,
            origin: None,
        };
        let params = web_sys::UrlSearchParams::new_with_str(query).ok();
        let lang = params.as_ref().and_then(|p| p.get("lang"));
        config.language = Language::choose(lang.as_deref(), &Language::preferred());
        let Some(params) = params else {
            return config;
        };
        let flagged: Vec<View> = [
            (params.has("train") || params.has("preset"), View::Train),
            (params.has("inside"), View::Inside),
            (params.has("eval"), View::Mistakes),
        ]
        .into_iter()
        .filter_map(|(on, view)| on.then_some(view))
        .collect();
        config.view = match params.get("view").map(|name| name.parse::<View>()) {
            Some(Ok(view)) => view,
            Some(Err(refused)) => {
                web_sys::console::warn_1(&format!("?view ignored: {refused}").into());
                flagged.first().copied().unwrap_or(View::Draw)
            }
            None => flagged.first().copied().unwrap_or(View::Draw),
        };
        config.opened = flagged
            .iter()
            .fold(Visited::of(&[config.view]), |v, &view| v.with(view));
        match params.get("preset").map(|name| Lesson::find(&name)) {
            Some(Ok(lesson)) => config.lesson = Some(lesson),
            Some(Err(refused)) => {
                web_sys::console::warn_1(&format!("?preset ignored: {refused}").into());
                config.lesson_refusal = Some(refused.message(config.language.texts()));
            }
            None => {}
        }
        let base = config
            .lesson
            .map_or_else(TrainSettings::default, |l| l.variants[0].settings());
        config.train = base.with_url(|key| params.get(key));
        let (visible, unknown) = VisibleControls::from_url(
            params.get("controls").as_deref(),
            params.get("hide").as_deref(),
        );
        if !unknown.is_empty() {
            web_sys::console::warn_1(
                &format!("?controls / ?hide: no control named {}", unknown.join(", ")).into(),
            );
        }
        config.visible = visible;
        config.origin = params.get("origin");
        config.fault = params.get("fault").and_then(|f| match f.parse() {
            Ok(fault) => Some(fault),
            Err(e) => {
                web_sys::console::warn_1(&format!("?fault ignored: {e}").into());
                None
            }
        });
        if let Some(model) = params.get("model").filter(|m| !m.trim().is_empty()) {
            config.model_url = model;
        }
        if let Some(brush) = params
            .get("brush")
            .and_then(|b| b.parse::<f64>().ok())
            .filter(|b| b.is_finite() && (2.0..=60.0).contains(b))
        {
            config.brush = brush;
        }
        config
    }

    /// The configuration of the current page.
    pub fn current() -> Self {
        let query = web_sys::window()
            .and_then(|w| w.location().search().ok())
            .unwrap_or_default();
        Self::from_query(&query)
    }
}

thread_local! {
    /// The page's language once [`page_language`] has chosen it.
    static PAGE_LANGUAGE: Cell<Option<Language>> = const { Cell::new(None) };
}

/// The page's language, chosen as [`UrlConfig::current`] chooses it (`?lang=`, else the
/// browser's) and kept: it does not change while the page is open. For texts made far from
/// any component (a failed download, storage errors, a panic) by functions whose callers do
/// not pass the page's texts; components read theirs with [`crate::text::use_texts`].
pub fn page_language() -> Language {
    PAGE_LANGUAGE.with(|kept| {
        kept.get().unwrap_or_else(|| {
            let language = current_language();
            kept.set(Some(language));
            language
        })
    })
}

/// The texts of [`page_language`].
pub fn page_texts() -> &'static Texts {
    page_language().texts()
}

/// `?lang=` of the page's address, else the browser's preferred languages.
#[cfg(target_family = "wasm")]
fn current_language() -> Language {
    let query = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let lang = web_sys::UrlSearchParams::new_with_str(&query)
        .ok()
        .and_then(|p| p.get("lang"));
    Language::choose(lang.as_deref(), &Language::preferred())
}

/// English outside the browser (unit tests have no page).
#[cfg(not(target_family = "wasm"))]
fn current_language() -> Language {
    Language::default()
}
