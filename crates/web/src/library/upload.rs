//! Uploading a model file: a file picker, and the whole panel as a drop target.

use crate::text::use_texts;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Properties of [`UploadButton`].
#[derive(Properties, PartialEq)]
pub struct UploadButtonProps {
    /// A file was chosen.
    pub on_file: Callback<web_sys::File>,
}

/// A labelled file picker for `.inkling` files.
#[component]
pub fn UploadButton(props: &UploadButtonProps) -> Html {
    let t = use_texts();
    let on_change = {
        let on_file = props.on_file.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                on_file.emit(file);
            }
            // The same file chosen again is a new upload.
            input.set_value("");
        })
    };
    html! {
        <p class="library-upload">
            <label for="library-upload">{ t.library.upload_label }</label>
            <input id="library-upload" type="file" accept=".inkling,application/octet-stream" onchange={on_change} />
        </p>
    }
}

/// The drag-and-drop handlers of the panel.
pub struct DropZone {
    /// Something is dragged over: accept it.
    pub over: Callback<DragEvent>,
    /// It left.
    pub leave: Callback<DragEvent>,
    /// It was dropped: its first file is uploaded.
    pub drop: Callback<DragEvent>,
}

/// Handlers that upload the first file dropped, with `dragging` true while one is over the panel.
pub fn drop_zone(dragging: UseStateHandle<bool>, on_file: Callback<web_sys::File>) -> DropZone {
    let over = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            // Without this the browser opens the file instead of dropping it here.
            e.prevent_default();
            dragging.set(true);
        })
    };
    let leave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let drop = Callback::from(move |e: DragEvent| {
        e.prevent_default();
        dragging.set(false);
        if let Some(file) = e
            .data_transfer()
            .and_then(|t| t.files())
            .and_then(|files| files.get(0))
        {
            on_file.emit(file);
        }
    });
    DropZone { over, leave, drop }
}
