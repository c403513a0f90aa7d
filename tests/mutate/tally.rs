//! Feeding inputs to a decoder: panics caught, refusals grouped and checked for a message.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Instant;

/// How a decoder refused an input: `kind` groups refusals in the summary (an error variant, a
/// form field), `message` is what a person would read.
#[derive(Debug, Clone)]
pub struct Rejected {
    /// Group for the summary.
    pub kind: String,
    /// The error's Display text.
    pub message: String,
}

impl Rejected {
    /// From a typed error: grouped by its variant (`Images(Truncated)`), with its message.
    pub fn error<E: std::fmt::Debug + std::fmt::Display>(error: &E) -> Self {
        Self {
            kind: variant_name(&format!("{error:?}")),
            message: error.to_string(),
        }
    }

    /// From an error that is only a message: grouped by the words before its details.
    pub fn message(prefix: &str, message: String) -> Self {
        Self {
            kind: format!("{prefix}{}", message_kind(&message)),
            message,
        }
    }
}

/// The variant names at the start of a Debug rendering: `Images(Truncated { .. })` gives
/// `Images(Truncated)`.
pub fn variant_name(debug: &str) -> String {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let outer = ident(debug);
    let rest = &debug[outer.len()..];
    match rest.strip_prefix('(').map(ident) {
        Some(inner) if inner.starts_with(|c: char| c.is_uppercase()) => {
            format!("{outer}({inner})")
        }
        _ => outer,
    }
}

/// The generic head of a message, without the values in it: `learning rate must be a number
/// in (0, 10], got NaN` gives `learning rate must be a number in`, and `not a trainer command:
/// invalid type: map, expected f64 at line 1` gives `not a trainer command: invalid type`.
pub fn message_kind(message: &str) -> String {
    let mut head = message;
    for end in [", got", ", expected", " at line"] {
        head = head.split(end).next().unwrap_or(head);
    }
    if let Some(cut) = head.find(|c: char| c.is_ascii_digit() || "`\"'([".contains(c)) {
        head = &head[..cut];
    }
    if let Some((second_colon, _)) = head.match_indices(':').nth(1) {
        head = &head[..second_colon];
    }
    let head = head.trim_end_matches(|c: char| !c.is_alphanumeric());
    let kind: String = head.chars().take(60).collect();
    if kind.is_empty() {
        "(no words)".into()
    } else {
        kind
    }
}

thread_local! {
    static CATCHING: Cell<bool> = const { Cell::new(false) };
    static CAUGHT: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Routes panics raised inside [`Tally::check`] to the tally (with their location) instead of
/// stderr; every other panic, such as a failing assertion, still reaches the default hook.
fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if CATCHING.with(Cell::get) {
                CAUGHT.with(|c| *c.borrow_mut() = Some(info.to_string()));
            } else {
                previous(info);
            }
        }));
    });
}

/// One decoder's answers: how many inputs it accepted, how it rejected the rest, and the first
/// inputs it panicked on or refused without saying why.
pub struct Tally {
    name: String,
    tried: usize,
    accepted: usize,
    rejected: BTreeMap<String, (usize, String)>,
    notes: BTreeMap<String, usize>,
    failures: usize,
    shown: Vec<String>,
    started: Instant,
}

/// How many failing inputs a summary describes in full.
const SHOW_FAILURES: usize = 8;

impl Tally {
    /// An empty tally for the decoder called `name`.
    pub fn new(name: &str) -> Self {
        install_panic_hook();
        Self {
            name: name.to_string(),
            tried: 0,
            accepted: 0,
            rejected: BTreeMap::new(),
            notes: BTreeMap::new(),
            failures: 0,
            shown: Vec::new(),
            started: Instant::now(),
        }
    }

    /// Inputs fed so far.
    pub fn tried(&self) -> usize {
        self.tried
    }

    /// Inputs accepted so far.
    pub fn accepted(&self) -> usize {
        self.accepted
    }

    /// The groups of rejections seen so far.
    pub fn rejection_kinds(&self) -> impl Iterator<Item = &str> {
        self.rejected.keys().map(String::as_str)
    }

    /// Counts something worth reporting beside accepted/rejected (e.g. "network built").
    pub fn note(&mut self, what: &str) {
        *self.notes.entry(what.to_string()).or_default() += 1;
    }

    /// Feeds one input to `decode`, catching any panic. `show` renders the input, and is only
    /// called when the input fails. Returns the accepted value.
    pub fn check<T>(
        &mut self,
        show: impl FnOnce() -> String,
        decode: impl FnOnce() -> Result<T, Rejected>,
    ) -> Option<T> {
        let index = self.tried;
        self.tried += 1;
        CATCHING.with(|c| c.set(true));
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(decode));
        CATCHING.with(|c| c.set(false));
        let caught = CAUGHT.with(|c| c.borrow_mut().take());
        match outcome {
            Ok(Ok(value)) => {
                self.accepted += 1;
                Some(value)
            }
            Ok(Err(rejected)) if !rejected.message.trim().is_empty() => {
                let group = self
                    .rejected
                    .entry(rejected.kind)
                    .or_insert_with(|| (0, rejected.message));
                group.0 += 1;
                None
            }
            Ok(Err(rejected)) => {
                self.fail(
                    index,
                    show,
                    &format!("rejected ({}) with an empty message", rejected.kind),
                );
                None
            }
            Err(payload) => {
                let message = caught
                    .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "a panic with no message".into());
                self.fail(index, show, &format!("PANICKED: {message}"));
                None
            }
        }
    }

    fn fail(&mut self, index: usize, show: impl FnOnce() -> String, why: &str) {
        self.failures += 1;
        if self.shown.len() < SHOW_FAILURES {
            self.shown
                .push(format!("input #{index}: {why}\n      input: {}", show()));
        }
    }

    /// Prints the counts (visible with `--nocapture`) and fails, listing the first offending
    /// inputs, if any input panicked or was refused without a message.
    pub fn finish(self) {
        let mut out = String::new();
        let rejected: usize = self.rejected.values().map(|(n, _)| n).sum();
        let _ = writeln!(
            out,
            "{}: {} inputs in {:.1} s: {} accepted, {} rejected, {} failed",
            self.name,
            self.tried,
            self.started.elapsed().as_secs_f64(),
            self.accepted,
            rejected,
            self.failures
        );
        for (kind, (n, example)) in &self.rejected {
            let example: String = example.chars().take(90).collect();
            let _ = writeln!(out, "    rejected {n:>6}  {kind}  (e.g. {example:?})");
        }
        for (what, n) in &self.notes {
            let _ = writeln!(out, "    note     {n:>6}  {what}");
        }
        println!("{out}");
        assert!(
            self.failures == 0,
            "{}: {} of {} inputs panicked or were refused without a message; the first:\n  {}",
            self.name,
            self.failures,
            self.tried,
            self.shown.join("\n  ")
        );
    }
}

/// A short rendering of bytes for failure reports: length and the first 64 bytes in hex.
pub fn show_bytes(bytes: &[u8]) -> String {
    let head: Vec<String> = bytes.iter().take(64).map(|b| format!("{b:02x}")).collect();
    format!(
        "{} bytes: {}{}",
        bytes.len(),
        head.join(" "),
        if bytes.len() > 64 { " …" } else { "" }
    )
}

/// A short rendering of text for failure reports.
pub fn show_text(text: &str) -> String {
    let head: String = text.chars().take(400).collect();
    format!(
        "{} chars: {head:?}{}",
        text.chars().count(),
        if head.len() < text.len() { " …" } else { "" }
    )
}
