//! "Copy link": the page's address with every training setting that differs from its default,
//! so that opening it restores the same form (a lesson as a link).

use super::settings::TrainSettings;
use crate::text::use_texts;
use wasm_bindgen_futures::JsFuture;
use web_sys::UrlSearchParams;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Parameters of the current address that say how the page looks, not what the run is: kept
/// as they are. (`preset` and the settings' own keys are written afresh; `fault` is a test's.)
const KEPT: [&str; 9] = [
    "model", "brush", "lang", "controls", "hide", "origin", "view", "inside", "eval",
];

/// The link: this page with the kept parameters of `query`, `train` (the panel opens) and the
/// settings that differ from the defaults.
pub fn lesson_query(query: &str, settings: &TrainSettings) -> String {
    let Ok(current) = UrlSearchParams::new_with_str(query) else {
        return String::new();
    };
    let Ok(next) = UrlSearchParams::new() else {
        return String::new();
    };
    for key in KEPT {
        if let Some(value) = current.get(key) {
            next.append(key, &value);
        }
    }
    next.append("train", "");
    for (key, value) in settings.url_pairs() {
        next.append(key, &value);
    }
    String::from(next.to_string())
}

/// Properties of [`CopyLink`].
#[derive(Properties, PartialEq)]
pub struct CopyLinkProps {
    /// The settings to write into the link.
    pub settings: TrainSettings,
}

/// The button, and the link it copied (shown, so it can be copied by hand where the clipboard
/// is refused).
#[component]
pub fn CopyLink(props: &CopyLinkProps) -> Html {
    let t = &use_texts().train;
    let copied = use_state(|| None::<(String, bool)>);
    let onclick = {
        let (copied, settings) = (copied.clone(), props.settings.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(window) = web_sys::window() else {
                return;
            };
            let location = window.location();
            let query = location.search().unwrap_or_default();
            let link = format!(
                "{}{}?{}",
                location.origin().unwrap_or_default(),
                location.pathname().unwrap_or_default(),
                lesson_query(&query, &settings)
            );
            let clipboard = window.navigator().clipboard();
            let copied = copied.clone();
            spawn_local(async move {
                let written = JsFuture::from(clipboard.write_text(&link)).await;
                if let Err(e) = &written {
                    web_sys::console::warn_2(&"the clipboard refused the link:".into(), e);
                }
                copied.set(Some((link, written.is_ok())));
            });
        })
    };
    html! {
        <div class="copy-link">
            <button id="copy-link" type="button" onclick={onclick}>{ t.copy_link_button }</button>
            if let Some((link, written)) = &*copied {
                <p class="hint">
                    { if *written { t.link_copied } else { t.link_to_copy } }
                    <output id="copy-link-url">{ link }</output>
                </p>
            }
        </div>
    }
}
