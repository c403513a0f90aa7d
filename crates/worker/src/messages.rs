//! The worker's side of `postMessage`: commands in (queued for the trainer loop), reports out,
//! in the envelope both sides share (`inkling_train::envelope`).

use inkling_train::{Attachment, Command, Report, envelope};
use std::cell::RefCell;
use std::collections::VecDeque;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// A command and the model file (and moments) that came with it.
pub struct Incoming {
    /// What the page asked.
    pub command: Command,
    /// The attachment beside it, when [`Command::carries_model`].
    pub attachment: Option<Attachment>,
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
    let (text, attachment) = envelope::unpack(data)?;
    let command = Command::from_json(&text)?;
    if command.carries_model() && attachment.is_none() {
        return Err("the page asked to start from a model file but sent none".into());
    }
    Ok(Incoming {
        command,
        attachment,
    })
}

/// Sends `report` (and its attachment, moved rather than copied) to the page.
pub fn post(report: &Report, attachment: Option<&Attachment>) {
    let model = attachment.map(|a| a.model.as_slice());
    let moments = attachment.and_then(|a| a.moments.as_deref());
    let packed = envelope::pack(&report.to_json(), model, moments);
    if let Err(e) = scope().post_message_with_transfer(&packed.message, &packed.transfer) {
        web_sys::console::error_2(&"the trainer could not post a report".into(), &e);
    }
}
