//! Embedding: when the page runs in an iframe it tells the page around it (the host) what
//! happens ([`schema::PageEvent`]) and obeys what the host asks ([`schema::HostMessage`]).
//! `?origin=` names the one origin events go to and messages are taken from; without it events
//! go to any host and messages from the parent window are taken whatever its origin. A message
//! from elsewhere or of a bad shape is ignored, and the console says why.
//!
//! [`Embed`] is shared through a yew context: views post events with it, and register the
//! handlers of the messages they obey ([`Embed::handle`]).

mod page_events;
pub mod schema;

pub use page_events::use_page_events;

use schema::{HostMessage, PageEvent};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{MessageEvent, Window};
use yew::prelude::*;

/// Who handles a kind of host message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handler {
    /// The drawing pad (`clear`).
    Pad,
    /// The training panel (`set-settings`, `start`, `pause`).
    Training,
}

/// The link to the host page, if there is one.
#[derive(Clone)]
pub struct Embed(Rc<Inner>);

struct Inner {
    /// The window around the page (`None`: not in a frame).
    parent: Option<Window>,
    /// `?origin=`: where events go and whose messages count (`None`: any).
    origin: Option<String>,
    /// Each handler's latest callback (views re-register theirs as they render).
    handlers: RefCell<Vec<(Handler, Callback<HostMessage>)>>,
}

impl PartialEq for Embed {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Embed {
    /// The link for this page; `origin` is `?origin=`.
    pub fn new(origin: Option<String>) -> Self {
        let parent = web_sys::window().and_then(|window| {
            let parent = window.parent().ok().flatten()?;
            // A page that is not in a frame is its own parent.
            (!js_sys::Object::is(&parent, &window)).then_some(parent)
        });
        Self(Rc::new(Inner {
            parent,
            origin: origin.filter(|o| !o.trim().is_empty()),
            handlers: RefCell::default(),
        }))
    }

    /// Whether the page is in a frame (and so has someone to tell).
    pub fn is_embedded(&self) -> bool {
        self.0.parent.is_some()
    }

    /// Tells the host about `event` (nothing when not embedded).
    pub fn post(&self, event: &PageEvent) {
        let Some(parent) = &self.0.parent else {
            return;
        };
        let Ok(message) = js_sys::JSON::parse(&event.to_json()) else {
            return;
        };
        let target = self.0.origin.as_deref().unwrap_or("*");
        if let Err(e) = parent.post_message(&message, target) {
            web_sys::console::warn_2(&"could not post to the host page:".into(), &e);
        }
    }

    /// Makes `callback` the handler of `handler`'s messages (replacing the previous one).
    pub fn handle(&self, handler: Handler, callback: Callback<HostMessage>) {
        let mut handlers = self.0.handlers.borrow_mut();
        handlers.retain(|(h, _)| *h != handler);
        handlers.push((handler, callback));
    }

    /// Checks a `message` event and passes the message to its handler, or says in the console
    /// why it is ignored.
    pub fn receive(&self, event: &MessageEvent) {
        let Some(parent) = &self.0.parent else {
            return;
        };
        let from_parent = event
            .source()
            .is_some_and(|source| js_sys::Object::is(&source, parent));
        if !from_parent {
            return ignored("it does not come from the page around this one");
        }
        if let Some(origin) = &self.0.origin
            && event.origin() != *origin
        {
            return ignored(&format!(
                "it comes from {}, and ?origin= allows {origin} only",
                event.origin()
            ));
        }
        let data = event.data();
        let json = match data.as_string() {
            Some(text) => text,
            None => js_sys::JSON::stringify(&data)
                .ok()
                .and_then(|s| s.as_string())
                .unwrap_or_default(),
        };
        let message = match HostMessage::parse(&json) {
            Ok(message) => message,
            Err(why) => return ignored(&why.to_string()),
        };
        let handler = match message {
            HostMessage::Clear => Handler::Pad,
            _ => Handler::Training,
        };
        let callback = self
            .0
            .handlers
            .borrow()
            .iter()
            .find(|(h, _)| *h == handler)
            .map(|(_, c)| c.clone());
        match callback {
            Some(callback) => callback.emit(message),
            None => ignored("nothing on the page handles it yet"),
        }
    }
}

/// Says in the console why a host message was ignored.
pub fn ignored(why: &str) {
    web_sys::console::warn_1(&JsValue::from_str(&format!(
        "Inkling ignored a message from the host page: {why}"
    )));
}

/// The page's [`Embed`], listening to the host from the first render on.
#[hook]
pub fn use_embed(origin: Option<String>) -> Embed {
    let embed = use_memo((), move |_| Embed::new(origin));
    {
        let embed = (*embed).clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window()
                .filter(|_| embed.is_embedded())
                .map(|window| {
                    gloo::events::EventListener::new(&window, "message", move |event| {
                        if let Some(event) = event.dyn_ref::<MessageEvent>() {
                            embed.receive(event);
                        }
                    })
                });
            move || drop(listener)
        });
    }
    (*embed).clone()
}
