//! The envelope of every message between the page and the trainer worker:
//! `{ text, model?, moments? }`, the JSON text of a [`Command`](crate::Command) or
//! [`Report`](crate::Report) and, when the message carries an [`Attachment`], a model file and
//! the optimiser moments as `Uint8Array`s whose buffers are transferred (moved, not copied).
//! One implementation for both sides, so they cannot drift apart.

use crate::Attachment;

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

/// A message ready for `postMessage`, with the buffers to transfer beside it.
pub struct Packed {
    /// The message object.
    pub message: Object,
    /// The buffers it owns (empty without an attachment).
    pub transfer: Array,
}

/// Wraps `text` and, when given, copies of a `model` file and its `moments`, whose buffers are
/// then transferred.
pub fn pack(text: &str, model: Option<&[u8]>, moments: Option<&[u8]>) -> Packed {
    let message = Object::new();
    let transfer = Array::new();
    let _ = Reflect::set(&message, &"text".into(), &text.into());
    for (key, bytes) in [("model", model), ("moments", model.and(moments))] {
        if let Some(bytes) = bytes {
            let array = Uint8Array::from(bytes);
            let _ = Reflect::set(&message, &key.into(), &array);
            transfer.push(&array.buffer());
        }
    }
    Packed { message, transfer }
}

/// The text and attachment of a received message; an error says what is missing.
pub fn unpack(data: &JsValue) -> Result<(String, Option<Attachment>), String> {
    let text = Reflect::get(data, &"text".into())
        .ok()
        .and_then(|t| t.as_string())
        .ok_or("a message between the page and the trainer had no text")?;
    let bytes = |key: &str| {
        Reflect::get(data, &key.into())
            .ok()
            .filter(|m| m.is_instance_of::<Uint8Array>())
            .map(|m| m.unchecked_into::<Uint8Array>().to_vec())
    };
    let attachment = bytes("model").map(|model| Attachment {
        model,
        moments: bytes("moments"),
    });
    Ok((text, attachment))
}
