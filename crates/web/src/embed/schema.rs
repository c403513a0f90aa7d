//! The messages between the page and a page that embeds it (its host), version 1. The page
//! posts [`PageEvent`]s as objects `{"source": "inkling", "version": 1, "type": ..., ...}`; the
//! host sends [`HostMessage`]s `{"type": ..., ...}` (with `"version": 1` or none). The schema
//! is documented for hosts in `docs/embedding.md`.

use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// The schema's version; a host message naming another is ignored.
pub const SCHEMA_VERSION: u32 = 1;

/// What the page tells its host. (Written to JSON by hand rather than derived: serde's tagged
/// and flattened forms cost the draw page's download more than these few lines.)
#[derive(Debug, Clone, PartialEq)]
pub enum PageEvent {
    /// The model is loaded: the page reads drawings and obeys messages.
    Ready,
    /// A reading the person stopped drawing for.
    Prediction {
        /// The most likely class (the digit, on MNIST).
        digit: usize,
        /// Its name.
        label: String,
        /// Every class's probability, in class order.
        probabilities: Vec<f32>,
    },
    /// A training run started.
    RunStarted {
        /// Every training setting, as URL keys and values.
        settings: BTreeMap<String, String>,
        /// Where it trains: `webgpu` or `cpu`.
        compute: String,
    },
    /// A validation of the running run.
    Validation {
        /// The step validated after.
        step: usize,
        /// Accuracy on the held-out examples, 0 to 1.
        accuracy: f64,
        /// Mean loss on them.
        loss: f64,
    },
    /// A run finished (all its epochs, early stopping or Stop).
    RunFinished {
        /// Accuracy of its final weights on the test set, 0 to 1, when they were tested.
        test_accuracy: Option<f64>,
        /// Steps done.
        steps: usize,
        /// Time spent stepping.
        seconds: f64,
    },
}

impl PageEvent {
    /// The JSON text posted for this event.
    pub fn to_json(&self) -> String {
        let (kind, fields) = match self {
            PageEvent::Ready => ("ready", json!({})),
            PageEvent::Prediction {
                digit,
                label,
                probabilities,
            } => (
                "prediction",
                json!({ "digit": digit, "label": label, "probabilities": probabilities }),
            ),
            PageEvent::RunStarted { settings, compute } => (
                "run-started",
                json!({ "settings": settings, "compute": compute }),
            ),
            PageEvent::Validation {
                step,
                accuracy,
                loss,
            } => (
                "validation",
                json!({ "step": step, "accuracy": accuracy, "loss": loss }),
            ),
            PageEvent::RunFinished {
                test_accuracy,
                steps,
                seconds,
            } => (
                "run-finished",
                json!({ "test_accuracy": test_accuracy, "steps": steps, "seconds": seconds }),
            ),
        };
        let mut message = Map::new();
        message.insert("source".into(), "inkling".into());
        message.insert("version".into(), SCHEMA_VERSION.into());
        message.insert("type".into(), kind.into());
        if let Value::Object(fields) = fields {
            message.extend(fields);
        }
        Value::Object(message).to_string()
    }
}

/// What a host may ask of the page.
#[derive(Debug, Clone, PartialEq)]
pub enum HostMessage {
    /// Set training settings, by URL key (`{"lr": "0.003", "epochs": 2}`); the others stay.
    SetSettings {
        /// The settings.
        settings: BTreeMap<String, Value>,
    },
    /// Start a run with the form's settings.
    Start,
    /// Pause the running run.
    Pause,
    /// Clear the drawing pad.
    Clear,
}

/// Why a host message was ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadMessage(pub String);

impl std::fmt::Display for BadMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl HostMessage {
    /// The message in `json`, checked for its version and shape.
    pub fn parse(json: &str) -> Result<Self, BadMessage> {
        let value: Value =
            serde_json::from_str(json).map_err(|e| BadMessage(format!("not JSON: {e}")))?;
        match value.get("version") {
            None => {}
            Some(v) if v.as_u64() == Some(u64::from(SCHEMA_VERSION)) => {}
            Some(v) => {
                return Err(BadMessage(format!(
                    "version {v}, but this page speaks version {SCHEMA_VERSION}"
                )));
            }
        }
        let bad = |why: &str| Err(BadMessage(format!("bad shape: {why}")));
        match value.get("type").and_then(Value::as_str) {
            Some("start") => Ok(Self::Start),
            Some("pause") => Ok(Self::Pause),
            Some("clear") => Ok(Self::Clear),
            Some("set-settings") => match value.get("settings") {
                Some(Value::Object(settings)) => Ok(Self::SetSettings {
                    settings: settings.clone().into_iter().collect(),
                }),
                _ => bad("set-settings needs a \"settings\" object"),
            },
            Some(other) => bad(&format!(
                "unknown type \"{}\" (set-settings, start, pause, clear)",
                other.chars().take(40).collect::<String>()
            )),
            None => bad("no \"type\""),
        }
    }
}

/// A setting's value as the form takes it: strings as they are, numbers and switches written
/// out (`true` is `on`).
pub fn setting_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(if *b { "on" } else { "off" }.into()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_carry_the_source_version_and_kebab_case_type() {
        let json = PageEvent::Validation {
            step: 50,
            accuracy: 0.9,
            loss: 0.3,
        }
        .to_json();
        let value: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["source"], "inkling");
        assert_eq!(value["version"], 1);
        assert_eq!(value["type"], "validation");
        assert_eq!(value["step"], 50);
        let ready: Value = serde_json::from_str(&PageEvent::Ready.to_json()).unwrap();
        assert_eq!(ready["type"], "ready");
        let finished = PageEvent::RunFinished {
            test_accuracy: None,
            steps: 3,
            seconds: 1.5,
        };
        assert!(finished.to_json().contains("\"type\":\"run-finished\""));
    }

    #[test]
    fn host_messages_are_read_and_bad_ones_refused_with_a_reason() {
        assert_eq!(
            HostMessage::parse(r#"{"type":"start"}"#),
            Ok(HostMessage::Start)
        );
        assert_eq!(
            HostMessage::parse(r#"{"type":"clear","version":1}"#),
            Ok(HostMessage::Clear)
        );
        let Ok(HostMessage::SetSettings { settings }) =
            HostMessage::parse(r#"{"type":"set-settings","settings":{"lr":0.003,"bn":false}}"#)
        else {
            panic!("set-settings")
        };
        assert_eq!(setting_text(&settings["lr"]).unwrap(), "0.003");
        assert_eq!(setting_text(&settings["bn"]).unwrap(), "off");
        for (bad, why) in [
            ("start", "not JSON"),
            (r#"{"type":"explode"}"#, "bad shape"),
            (r#"{"kind":"start"}"#, "bad shape"),
            (r#"{"type":"set-settings"}"#, "bad shape"),
            (r#"{"type":"start","version":2}"#, "version 2"),
        ] {
            let error = HostMessage::parse(bad).unwrap_err().0;
            assert!(error.contains(why), "{bad}: {error}");
        }
    }
}
