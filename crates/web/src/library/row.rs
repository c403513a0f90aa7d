//! One saved model in the list: its name, how it was made, its accuracy and size, and its
//! buttons. Renaming edits the name in place (Enter keeps it, Escape cancels); deleting asks
//! once more in the row.

use super::actions::Library;
use super::store::{MAX_NAME_CHARS, SavedModel};
use crate::format::group_thousands;
use crate::lang::Language;
use crate::text::{fill, use_texts};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Properties of [`SavedModelRow`].
#[derive(Properties, PartialEq)]
pub struct SavedModelRowProps {
    /// The model.
    pub model: SavedModel,
    /// What the buttons do.
    pub library: Library,
}

/// What the row is doing.
#[derive(Clone, PartialEq)]
enum Mode {
    Showing,
    Renaming(String),
    ConfirmingDelete,
}

/// A saved model with its buttons.
#[component]
pub fn SavedModelRow(props: &SavedModelRowProps) -> Html {
    let t = use_texts();
    // The browser's own date format when it speaks the page's language, else the page's.
    let language = use_context::<Language>().unwrap_or_default();
    let date_locale = match Language::preferred()
        .first()
        .and_then(|tag| Language::from_tag(tag))
    {
        Some(browser) if browser == language => "default",
        _ => language.tag(),
    };
    let mode = use_state(|| Mode::Showing);
    let model = &props.model;
    let act = |f: fn(&Library, SavedModel)| {
        let (library, model) = (props.library.clone(), model.clone());
        Callback::from(move |_: MouseEvent| f(&library, model.clone()))
    };
    let set_mode = |next: Mode| {
        let mode = mode.clone();
        Callback::from(move |_: MouseEvent| mode.set(next.clone()))
    };
    let saved = js_sys::Date::new(&model.saved_ms.into())
        .to_locale_string(date_locale, &wasm_bindgen::JsValue::UNDEFINED);
    let size = group_thousands(model.size_bytes.div_ceil(1024));
    let facts = match model.test_accuracy {
        Some(a) => fill(
            t.library.facts_with_accuracy,
            &[
                ("accuracy", &format!("{:.2}", a * 100.0)),
                ("size", &size),
                ("saved", &saved),
            ],
        ),
        None => fill(t.library.facts, &[("size", &size), ("saved", &saved)]),
    };

    let controls = match &*mode {
        Mode::Showing => html! {
            <>
                <button class="library-load" onclick={act(Library::load)}>{ t.library.use_button }</button>
                <button class="library-download" onclick={act(Library::download)}>{ t.library.download_button }</button>
                <button class="library-rename" onclick={set_mode(Mode::Renaming(model.name.clone()))}>{ t.library.rename_button }</button>
                <button class="library-delete" onclick={set_mode(Mode::ConfirmingDelete)}>{ t.library.delete_button }</button>
            </>
        },
        Mode::Renaming(name) => {
            let on_input = {
                let mode = mode.clone();
                Callback::from(move |e: InputEvent| {
                    mode.set(Mode::Renaming(
                        e.target_unchecked_into::<HtmlInputElement>().value(),
                    ))
                })
            };
            let keep = {
                let (mode, library, id, name) =
                    (mode.clone(), props.library.clone(), model.id, name.clone());
                move || {
                    library.rename(id, name.clone());
                    mode.set(Mode::Showing);
                }
            };
            let on_key = {
                let (mode, keep) = (mode.clone(), keep.clone());
                Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
                    "Enter" => keep(),
                    "Escape" => mode.set(Mode::Showing),
                    _ => {}
                })
            };
            html! {
                <>
                    <input class="library-rename-input" type="text" aria-label={t.library.new_name_label} value={name.clone()}
                        maxlength={MAX_NAME_CHARS.to_string()} oninput={on_input} onkeydown={on_key} />
                    <button class="library-rename-ok" onclick={move |_| keep()}>{ t.library.rename_button }</button>
                    <button class="library-cancel" onclick={set_mode(Mode::Showing)}>{ t.library.cancel_button }</button>
                </>
            }
        }
        Mode::ConfirmingDelete => html! {
            <>
                <span class="library-confirm">{ fill(t.library.confirm_delete, &[("name", &model.name)]) }</span>
                <button class="library-delete-confirm" onclick={act(Library::delete)}>{ t.library.delete_button }</button>
                <button class="library-cancel" onclick={set_mode(Mode::Showing)}>{ t.library.keep_button }</button>
            </>
        },
    };
    html! {
        <li class="library-entry" data-id={model.id.to_string()} data-name={model.name.clone()}>
            <span class="library-entry-name">{ &model.name }</span>
            <span class="library-entry-description">{ &model.description }</span>
            <span class="library-entry-facts">
                { facts }
            </span>
            <span class="library-entry-controls">{ controls }</span>
        </li>
    }
}
