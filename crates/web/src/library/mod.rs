//! The model library: models a person keeps in this browser (IndexedDB, [`store`]) under names
//! of their choosing, each with how it was made and its test accuracy. The model the pad reads
//! with (pretrained, trained in the page, personal, uploaded) can be saved; a saved one can be
//! loaded into the pad, renamed, deleted and downloaded; an `.inkling` file can be uploaded by
//! the file picker or dropped on the panel (`upload`). A file that cannot be used is refused
//! with the file format's own error, and the pad keeps its model.

mod actions;
mod row;
pub mod store;
mod upload;

use crate::draw::classifier::Classifier;
use crate::text::use_texts;
use actions::Library;
use row::SavedModelRow;
use std::rc::Rc;
use store::SavedModel;
use upload::UploadButton;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Properties of [`LibraryPanel`].
#[derive(Properties, PartialEq)]
pub struct LibraryPanelProps {
    /// The model the pad reads with, once there is one.
    pub current: Option<Rc<Classifier>>,
    /// Make the pad read with this model.
    pub on_use: Callback<Rc<Classifier>>,
}

/// What the panel says besides the list.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Message {
    /// Nothing to say.
    #[default]
    None,
    /// Something worked ("Saved “x”.").
    Notice(String),
    /// Something failed; nothing was lost.
    Error(String),
}

/// The library's panel.
#[component]
pub fn LibraryPanel(props: &LibraryPanelProps) -> Html {
    let t = use_texts();
    let models = use_state(|| None::<Vec<SavedModel>>);
    let message = use_state(Message::default);
    let name = use_state(String::new);
    let dragging = use_state(|| false);
    let library = Library {
        models: models.clone(),
        message: message.clone(),
        on_use: props.on_use.clone(),
        t,
    };
    {
        let library = library.clone();
        use_effect_with((), move |_| library.refresh());
    }

    let suggestion = props
        .current
        .as_ref()
        .map(|c| c.origin().suggested_name(c.network_name()))
        .unwrap_or_default();
    let on_name = {
        let name = name.clone();
        Callback::from(move |e: InputEvent| {
            name.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_save = {
        let (library, current, name) = (library.clone(), props.current.clone(), name.clone());
        let suggestion = suggestion.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(current) = current.clone() else {
                return;
            };
            let chosen = if name.trim().is_empty() {
                suggestion.clone()
            } else {
                (*name).clone()
            };
            library.save(current, chosen);
            name.set(String::new());
        })
    };
    let on_file = {
        let (library, current) = (library.clone(), props.current.clone());
        Callback::from(move |file| library.upload(file, current.clone()))
    };
    let drop_zone = upload::drop_zone(dragging.clone(), on_file.clone());

    let list = match &*models {
        None => html! { <p class="library-empty">{ t.library.reading }</p> },
        Some(list) if list.is_empty() => html! {
            <p class="library-empty">{ t.library.empty }</p>
        },
        Some(list) => html! {
            <ul id="library-list" class="library-list">
                { for list.iter().map(|model| html! {
                    <SavedModelRow key={model.id} model={model.clone()} library={library.clone()} />
                }) }
            </ul>
        },
    };
    html! {
        <section id="library" class={classes!("library", dragging.then_some("dragging"))}
            aria-label={t.library.your_models} ondragover={drop_zone.over} ondragleave={drop_zone.leave} ondrop={drop_zone.drop}>
            <h2>{ t.library.your_models }</h2>
            <form class="library-save" onsubmit={on_save}>
                <label for="library-name">{ t.library.save_label }</label>
                <input id="library-name" type="text" maxlength={store::MAX_NAME_CHARS.to_string()}
                    placeholder={suggestion} value={(*name).clone()} oninput={on_name} />
                <button id="library-save" type="submit" disabled={props.current.is_none()}>{ t.library.save_button }</button>
            </form>
            <UploadButton on_file={on_file} />
            { match &*message {
                Message::None => html! {},
                Message::Notice(text) => html! { <p id="library-notice" class="notice" role="status">{ text }</p> },
                Message::Error(text) => html! { <p id="library-error" class="error" role="alert">{ text }</p> },
            } }
            { list }
        </section>
    }
}
