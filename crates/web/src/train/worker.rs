//! The page's side of the trainer worker (the `inkling-worker` crate): spawning it (its wasm is
//! downloaded only now), sending [`Command`]s and receiving [`Report`]s in the envelope both
//! sides share (`inkling_train::envelope`).

use crate::text::{Texts, fill};
use gloo::timers::callback::Timeout;
use inkling_train::{Attachment, Command, Report, envelope};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker};

/// The loader trunk writes for the worker binary (`data-loader-shim`), beside `index.html`.
pub const WORKER_SCRIPT: &str = "inkling-worker_loader.js";

/// How long a trap waits for the report its worker posted just before it (a panic's message).
const REPORT_GRACE_MS: u32 = 250;

/// A command waiting for the worker to be ready.
type Pending = Vec<(Command, Option<Attachment>)>;

/// A running trainer worker; dropping it terminates the worker.
pub struct TrainerWorker {
    worker: Worker,
    /// The page's texts, for the errors it reports.
    texts: &'static Texts,
    /// Commands sent before the worker said [`Report::Ready`] (`None` once it has).
    pending: Rc<RefCell<Option<Pending>>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

impl TrainerWorker {
    /// Starts a worker. `on_report` gets every report (with its attachment, if any); `on_crash`
    /// gets a message when the worker dies or cannot start (script missing, wasm trap). Its
    /// errors are written with `t`.
    pub fn spawn(
        t: &'static Texts,
        on_report: impl Fn(Report, Option<Attachment>) + 'static,
        on_crash: impl Fn(String) + 'static,
    ) -> Result<Self, String> {
        let worker = Worker::new(WORKER_SCRIPT)
            .map_err(|e| fill(t.session.worker_refused, &[("error", &format!("{e:?}"))]))?;
        let pending: Rc<RefCell<Option<Pending>>> = Rc::new(RefCell::new(Some(Vec::new())));
        let flush = (worker.clone(), pending.clone());
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let (text, attachment) = match envelope::unpack(&event.data()) {
                Ok(unpacked) => unpacked,
                Err(e) => return web_sys::console::error_1(&e.into()),
            };
            match Report::from_json(&text) {
                Ok(Report::Ready) => {
                    let (worker, pending) = &flush;
                    let waiting = pending.borrow_mut().take().unwrap_or_default();
                    for (command, attachment) in waiting {
                        let model = attachment.as_ref().map(|a| a.model.as_slice());
                        let moments = attachment.as_ref().and_then(|a| a.moments.as_deref());
                        if let Err(e) = post(worker, t, &command, model, moments) {
                            on_report(Report::Failed { message: e }, None);
                        }
                    }
                }
                Ok(report) => on_report(report, attachment),
                Err(e) => web_sys::console::error_1(&e.into()),
            }
        });
        let on_crash = Rc::new(on_crash);
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
            event.prevent_default();
            let message = event.message();
            let message = if message.is_empty() {
                t.session.worker_not_loaded.into()
            } else if message.contains("RuntimeError") {
                // A trap: a bug that aborted, or a panic or refused allocation whose report
                // (posted just before) may still be on its way.
                fill(t.session.worker_trapped, &[("message", &message)])
            } else {
                message
            };
            // The browser may deliver the trap before the report posted just ahead of it (they
            // travel in different task queues): give the report time to arrive and be handled
            // first; the session then ignores this worker's later crash.
            let on_crash = on_crash.clone();
            Timeout::new(REPORT_GRACE_MS, move || on_crash(message)).forget();
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Self {
            worker,
            texts: t,
            pending,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Sends `command`, with a `model` file and its optimiser `moments` when the command carries
    /// them. Commands sent before the worker is ready wait for it, in order.
    pub fn send(
        &self,
        command: &Command,
        model: Option<&[u8]>,
        moments: Option<&[u8]>,
    ) -> Result<(), String> {
        if let Some(waiting) = self.pending.borrow_mut().as_mut() {
            let attachment = model.map(|model| Attachment {
                model: model.to_vec(),
                moments: moments.map(<[u8]>::to_vec),
            });
            waiting.push((command.clone(), attachment));
            return Ok(());
        }
        post(&self.worker, self.texts, command, model, moments)
    }
}

fn post(
    worker: &Worker,
    t: &Texts,
    command: &Command,
    model: Option<&[u8]>,
    moments: Option<&[u8]>,
) -> Result<(), String> {
    let packed = envelope::pack(&command.to_json(), model, moments);
    worker
        .post_message_with_transfer(&packed.message, &packed.transfer)
        .map_err(|e| {
            fill(
                t.session.worker_unreachable,
                &[("error", &format!("{e:?}"))],
            )
        })
}

impl Drop for TrainerWorker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}
