//! The worker's side of `postMessage`: commands in (queued for the trainer loop), reports out.
//! A message is `{ text, model? }`: the JSON of a command or report and, when it carries one, a
//! model file as a transferred `ArrayBuffer`-backed `Uint8Array`.

use inkling_train::{Command, Report};
use js_sys::{Array, Object, Reflect, Uint8Array};
use std::cell::RefCell;
use std::collections::VecDeque;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// A command and the model file that came with it.
pub struct Incoming {
    /// What the page asked.
    pub command: Command,
    /// The model file beside it, when [`Command::carries_model`].
    pub model: Option<Vec<u8>>,
}

thread_local! {
    static INBOX: RefCell<VecDeque<Incoming>> = const { RefCell::new(VecDeque::new()) };
}

/// The worker's global scope.
pub fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Starts queueing the page's commands.
pub fn listen() {
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
        match decode(&event.data()) {
            Ok(incoming) => INBOX.with(|inbox| inbox.borrow_mut().push_back(incoming)),
            Err(message) => post(&Report::Failed { message }, None),
        }
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
}

/// The oldest command not yet handled.
pub fn next_command() -> Option<Incoming> {
    INBOX.with(|inbox| inbox.borrow_mut().pop_front())
}

fn decode(data: &JsValue) -> Result<Incoming, String> {
    let text = Reflect::get(data, &"text".into())
        .ok()
        .and_then(|t| t.as_string())
        .ok_or("a message to the trainer had no text")?;
    let command = Command::from_json(&text)?;
    let model = match Reflect::get(data, &"model".into()) {
        Ok(bytes) if bytes.is_instance_of::<Uint8Array>() => {
            Some(bytes.unchecked_into::<Uint8Array>().to_vec())
        }
        _ => None,
    };
    if command.carries_model() && model.is_none() {
        return Err("the page asked to start from a model file but sent none".into());
    }
    Ok(Incoming { command, model })
}

/// Sends `report` (and a model file, moved rather than copied) to the page.
pub fn post(report: &Report, model: Option<&[u8]>) {
    let message = Object::new();
    let _ = Reflect::set(&message, &"text".into(), &report.to_json().into());
    let result = match model {
        Some(bytes) => {
            let array = Uint8Array::from(bytes);
            let _ = Reflect::set(&message, &"model".into(), &array);
            scope().post_message_with_transfer(&message, &Array::of1(&array.buffer()))
        }
        None => scope().post_message(&message),
    };
    if let Err(e) = result {
        web_sys::console::error_2(&"the trainer could not post a report".into(), &e);
    }
}
