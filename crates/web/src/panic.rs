//! Shows a panic in the page instead of only in the console: in wasm a panic ends the program,
//! and a silently frozen page is the worst thing a visitor can see.

use crate::config::page_texts;
use crate::text::fill;
use wasm_bindgen::JsCast;

/// Id of the element (in `index.html`, outside the app) that shows fatal errors.
pub const FATAL_ELEMENT_ID: &str = "fatal";

/// Puts `message` in the fatal-error box, in a sentence in the page's language, and reveals
/// it. Safe to call at any time.
pub fn show_fatal(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(element) = document.get_element_by_id(FATAL_ELEMENT_ID) else {
        return;
    };
    let text = fill(page_texts().app.fatal, &[("message", &message)]);
    element.set_text_content(Some(&text));
    if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
        element.set_hidden(false);
    }
}

/// Reports every panic in the page and in the console. Goes through yew, whose renderer would
/// otherwise replace a plain `std::panic::set_hook`.
pub fn install_hook() {
    yew::set_custom_panic_hook(Box::new(|info| {
        let panic = inkling_train::PanicText::of(info);
        web_sys::console::error_1(&format!("panic: {panic}").into());
        show_fatal(&panic.to_string());
    }));
}

#[cfg(test)]
mod tests {
    use crate::lang::Language;
    use crate::text::fill;

    #[test]
    fn the_english_fatal_text_reads_as_before() {
        assert_eq!(
            fill(Language::En.texts().app.fatal, &[("message", &"boom")]),
            "Inkling stopped: boom\n\nReload the page to start again. If this keeps happening, \
             please report it with the message above."
        );
    }
}
