//! The form's controls: a text box, a drop-down list of a name table and a check box, each
//! bound to one field of [`TrainSettings`] and showing the plan's message for it.

use super::settings::{Field, Picked, TrainSettings, option_label};
use super::visible::VisibleControls;
use crate::text::Texts;
use inkling_data::Choice;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// What every field needs: the page's texts, the settings it edits, the plan's complaint,
/// whether a run is live. A field's element id is `train-<field>`.
pub(super) struct Fields<'a> {
    pub t: &'static Texts,
    pub settings: &'a UseStateHandle<TrainSettings>,
    pub error: Option<&'a (Field, String)>,
    pub live: bool,
    pub visible: &'a VisibleControls,
}

impl Fields<'_> {
    /// The plan's message for `field`, if it refuses that one.
    pub fn error(&self, field: &str) -> Option<String> {
        self.error
            .filter(|(f, _)| *f == field)
            .map(|(_, message)| message.clone())
    }

    /// A callback that stores a copy of the settings with `set` applied to the new value.
    pub fn edit<V: 'static>(&self, set: fn(&mut TrainSettings, V)) -> Callback<V> {
        let settings = self.settings.clone();
        Callback::from(move |value| {
            let mut next = (*settings).clone();
            set(&mut next, value);
            settings.set(next);
        })
    }

    /// A text box (typed text is kept as it is), with the plan's message below it.
    pub fn text_field(
        &self,
        id: Field,
        label: &'static str,
        value: &str,
        set: fn(&mut TrainSettings, String),
    ) -> Html {
        if !self.visible.shows(id) {
            return Html::default();
        }
        let edit = self.edit(set);
        let oninput = Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                edit.emit(input.value());
            }
        });
        let error = self.error(id);
        html! {
            <label class={classes!("field", error.is_some().then_some("invalid"))}>
                <span>{ label }</span>
                <input id={format!("train-{id}")} type="text" inputmode="decimal" value={value.to_string()}
                    oninput={oninput} disabled={self.live} aria-invalid={error.is_some().to_string()} />
                if let Some(error) = error {
                    <small id={format!("train-{id}-error")} class="field-error" role="alert">{ error }</small>
                }
            </label>
        }
    }

    /// A drop-down list of every option of `T`'s name table, with `value` selected (none when
    /// the URL named an unknown option: the plan's message then shows below).
    pub fn select_field<T: Choice>(
        &self,
        id: Field,
        label: &'static str,
        value: &Picked<T>,
        set: fn(&mut TrainSettings, Picked<T>),
    ) -> Html {
        if !self.visible.shows(id) {
            return Html::default();
        }
        let edit = self.edit(set);
        let onchange = Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                edit.emit(T::parse(&select.value()));
            }
        });
        let error = self.error(id);
        html! {
            <label class={classes!("field", error.is_some().then_some("invalid"))}>
                <span>{ label }</span>
                <select id={format!("train-{id}")} onchange={onchange} disabled={self.live}
                    aria-invalid={error.is_some().to_string()}>
                    { for T::ALL.iter().map(|option| html! {
                        <option value={option.name()} selected={value.as_ref() == Ok(option)}>
                            { option_label(self.t, *option) }
                        </option>
                    }) }
                </select>
                if let Some(error) = error {
                    <small id={format!("train-{id}-error")} class="field-error" role="alert">{ error }</small>
                }
            </label>
        }
    }

    /// A check box.
    pub fn check_field(
        &self,
        id: Field,
        label: &'static str,
        value: bool,
        set: fn(&mut TrainSettings, bool),
    ) -> Html {
        if !self.visible.shows(id) {
            return Html::default();
        }
        let edit = self.edit(set);
        let onchange = Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                edit.emit(input.checked());
            }
        });
        html! {
            <label class="check">
                <input id={format!("train-{id}")} type="checkbox" checked={value} onchange={onchange} disabled={self.live} />
                { label }
            </label>
        }
    }
}
