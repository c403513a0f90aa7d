//! The envelope of every message between the page and the trainer worker: `{ text, model? }`,
//! the JSON text of a [`Command`](crate::Command) or [`Report`](crate::Report) and, when the
//! message carries one, a model file as a `Uint8Array` whose buffer is transferred (moved, not
//! copied). One implementation for both sides, so they cannot drift apart.

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

/// A message ready for `postMessage`, with the buffers to transfer beside it.
pub struct Packed {
    /// The message object.
    pub message: Object,
    /// The buffers it owns (empty without a model file).
    pub transfer: Array,
}

/// Wraps `text` and, when given, a copy of `model` whose buffer is then transferred.
pub fn pack(text: &str, model: Option<&[u8]>) -> Packed {
    let message = Object::new();
    let transfer = Array::new();
    let _ = Reflect::set(&message, &"text".into(), &text.into());
    if let Some(bytes) = model {
        let array = Uint8Array::from(bytes);
        let _ = Reflect::set(&message, &"model".into(), &array);
        transfer.push(&array.buffer());
    }
    Packed { message, transfer }
}

/// The text and model file of a received message; an error says what is missing.
pub fn unpack(data: &JsValue) -> Result<(String, Option<Vec<u8>>), String> {
    let text = Reflect::get(data, &"text".into())
        .ok()
        .and_then(|t| t.as_string())
        .ok_or("a message between the page and the trainer had no text")?;
    let model = Reflect::get(data, &"model".into())
        .ok()
        .filter(|m| m.is_instance_of::<Uint8Array>())
        .map(|m| m.unchecked_into::<Uint8Array>().to_vec());
    Ok((text, model))
}
