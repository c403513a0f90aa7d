//! The lesson card at the top of the training panel: pick a lesson, read what it shows, set
//! the form to one of its runs. The pressed button is the variant the form now equals, so an
//! edit after picking one releases it.

use super::{LESSONS, Lesson, Variant};
use crate::lang::Language;
use crate::text::{Texts, use_texts};
use crate::train::settings::TrainSettings;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// Properties of [`LessonCard`].
#[derive(Properties, PartialEq)]
pub struct LessonCardProps {
    /// The form's settings, which a variant's button sets.
    pub settings: UseStateHandle<TrainSettings>,
    /// The lesson `?preset=` named.
    pub initial: Option<&'static Lesson>,
    /// Why `?preset=` named none.
    #[prop_or_default]
    pub refusal: Option<String>,
    /// The page's language (the lesson's `lang`; its texts come from [`use_texts`]).
    pub language: Language,
    /// A run is live: the form is locked, so are the buttons.
    pub live: bool,
}

/// A variant's settings as the form would hold them: where to train and how much to validate
/// on stay as the reader set them (they are about the device, not the lesson).
fn variant_settings(variant: &Variant, current: &TrainSettings) -> TrainSettings {
    let mut next = TrainSettings {
        compute: current.compute.clone(),
        eval_size: current.eval_size.clone(),
        ..TrainSettings::default()
    };
    variant.apply(&mut next);
    next
}

/// The lesson picker and the chosen lesson's text and runs.
#[component]
pub fn LessonCard(props: &LessonCardProps) -> Html {
    let t = use_texts();
    let lesson = use_state(|| props.initial);
    let on_pick = {
        let lesson = lesson.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                lesson.set(Lesson::find(&select.value()).ok());
            }
        })
    };
    let chosen = *lesson;
    html! {
        <section id="lesson" class="lesson" data-lesson={chosen.map(|l| l.name)}>
            <label class="field">
                <span>{ t.lessons.lesson_label }</span>
                <select id="lesson-select" onchange={on_pick} disabled={props.live}>
                    <option value="" selected={chosen.is_none()}>{ t.lessons.no_lesson }</option>
                    { for LESSONS.iter().map(|l| html! {
                        <option value={l.name} selected={chosen == Some(l)}>{ (l.title)(&t.lessons) }</option>
                    }) }
                </select>
            </label>
            if let Some(refusal) = &props.refusal {
                <p id="lesson-error" class="field-error" role="alert">{ refusal }</p>
            }
            if let Some(lesson) = chosen {
                { lesson_text(lesson, props, t) }
            }
        </section>
    }
}

fn lesson_text(lesson: &'static Lesson, props: &LessonCardProps, t: &'static Texts) -> Html {
    let texts = &t.lessons;
    let buttons = lesson.variants.iter().enumerate().map(|(i, variant)| {
        let target = variant_settings(variant, &props.settings);
        let pressed = *props.settings == target;
        let settings = props.settings.clone();
        let onclick = Callback::from(move |_: MouseEvent| settings.set(target.clone()));
        html! {
            <button id={format!("lesson-variant-{i}")} type="button" aria-pressed={pressed.to_string()}
                onclick={onclick} disabled={props.live}>
                { (variant.label)(texts) }
            </button>
        }
    });
    html! {
        <div class="lesson-text" lang={props.language.tag()}>
            <h3 id="lesson-title">{ (lesson.title)(texts) }</h3>
            <p>{ (lesson.explanation)(texts) }</p>
            <p><strong>{ texts.look_for_label }</strong>{ (lesson.look_for)(texts) }</p>
            <p class="hint">{ texts.set_up_hint }</p>
            <div class="lesson-variants">{ for buttons }</div>
        </div>
    }
}
