//! The page's side of the trainer worker (the `inkling-worker` crate): spawning it (its wasm is
//! downloaded only now), sending [`Command`]s and receiving [`Report`]s. See
//! `inkling_train::remote` for how model files travel beside the JSON text.

use inkling_train::{Command, Report};
use js_sys::{Array, Object, Reflect, Uint8Array};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker};

/// The loader trunk writes for the worker binary (`data-loader-shim`), beside `index.html`.
pub const WORKER_SCRIPT: &str = "inkling-worker_loader.js";

/// A command waiting for the worker to be ready.
type Pending = Vec<(Command, Option<Vec<u8>>)>;

/// A running trainer worker; dropping it terminates the worker.
pub struct TrainerWorker {
    worker: Worker,
    /// Commands sent before the worker said [`Report::Ready`] (`None` once it has).
    pending: Rc<RefCell<Option<Pending>>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

impl TrainerWorker {
    /// Starts a worker. `on_report` gets every report (with its model file, if any); `on_crash`
    /// gets a message when the worker dies or cannot start (script missing, wasm trap).
    pub fn spawn(
        on_report: impl Fn(Report, Option<Vec<u8>>) + 'static,
        on_crash: impl Fn(String) + 'static,
    ) -> Result<Self, String> {
        let worker = Worker::new(WORKER_SCRIPT)
            .map_err(|e| format!("the browser refused to start the trainer: {e:?}"))?;
        let pending: Rc<RefCell<Option<Pending>>> = Rc::new(RefCell::new(Some(Vec::new())));
        let flush = (worker.clone(), pending.clone());
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let data = event.data();
            let text = Reflect::get(&data, &"text".into())
                .ok()
                .and_then(|t| t.as_string())
                .unwrap_or_default();
            match Report::from_json(&text) {
                Ok(Report::Ready) => {
                    let (worker, pending) = &flush;
                    let waiting = pending.borrow_mut().take().unwrap_or_default();
                    for (command, model) in waiting {
                        if let Err(e) = post(worker, &command, model.as_deref()) {
                            on_report(Report::Failed { message: e }, None);
                        }
                    }
                }
                Ok(report) => {
                    let model = Reflect::get(&data, &"model".into())
                        .ok()
                        .filter(|m| m.is_instance_of::<Uint8Array>())
                        .map(|m| m.unchecked_into::<Uint8Array>().to_vec());
                    on_report(report, model)
                }
                Err(e) => web_sys::console::error_1(&e.into()),
            }
        });
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
            event.prevent_default();
            let message = event.message();
            on_crash(if message.is_empty() {
                "the trainer could not be loaded (is the site complete?)".into()
            } else {
                message
            });
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Self {
            worker,
            pending,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Sends `command`, with `model` (moved, not copied) when the command carries one. Commands
    /// sent before the worker is ready wait for it, in order.
    pub fn send(&self, command: &Command, model: Option<&[u8]>) -> Result<(), String> {
        if let Some(waiting) = self.pending.borrow_mut().as_mut() {
            waiting.push((command.clone(), model.map(<[u8]>::to_vec)));
            return Ok(());
        }
        post(&self.worker, command, model)
    }
}

fn post(worker: &Worker, command: &Command, model: Option<&[u8]>) -> Result<(), String> {
    let message = Object::new();
    let _ = Reflect::set(&message, &"text".into(), &command.to_json().into());
    let sent = match model {
        Some(bytes) => {
            let array = Uint8Array::from(bytes);
            let _ = Reflect::set(&message, &"model".into(), &array);
            worker.post_message_with_transfer(&message, &Array::of1(&array.buffer()))
        }
        None => worker.post_message(&message),
    };
    sent.map_err(|e| format!("could not reach the trainer: {e:?}"))
}

impl Drop for TrainerWorker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}
