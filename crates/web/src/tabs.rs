//! The page's views as tabs: drawing alone, or beside one of training, inside the network, the
//! test set's mistakes, your handwriting and the model library. A view's panel opens the first
//! time its tab is chosen and stays mounted after, so switching keeps its state (a run trains
//! on while another tab is shown). `?view=` picks the first tab.

use crate::text::{Texts, use_texts};
use inkling_data::Choice;
use web_sys::KeyboardEvent;
use yew::prelude::*;

/// One of the page's views.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum View {
    /// The pad and the reading alone.
    Draw,
    /// Training a network.
    Train,
    /// Inside the network.
    Inside,
    /// Where the model goes wrong on the test set.
    Mistakes,
    /// Teaching the model your handwriting.
    Handwriting,
    /// The models kept in the browser.
    Library,
}

inkling_data::named_choices!(View, "view", [
    View::Draw => ("draw", "Draw"),
    View::Train => ("train", "Train"),
    View::Inside => ("inside", "Inside"),
    View::Mistakes => ("mistakes", "Mistakes"),
    View::Handwriting => ("handwriting", "Your handwriting"),
    View::Library => ("library", "Library"),
]);

impl View {
    /// The view's tab label in the words of `t` (its `menu_label` is the English one).
    pub fn label(self, t: &Texts) -> &'static str {
        let t = &t.app;
        match self {
            View::Draw => t.tab_draw,
            View::Train => t.tab_train,
            View::Inside => t.tab_inside,
            View::Mistakes => t.tab_mistakes,
            View::Handwriting => t.tab_handwriting,
            View::Library => t.tab_library,
        }
    }
}

/// The views opened so far (a panel opens the first time its tab is chosen).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Visited(u8);

impl Visited {
    /// These views visited.
    pub fn of(views: &[View]) -> Self {
        Self(views.iter().fold(0, |bits, &v| bits | Self::bit(v)))
    }

    fn bit(view: View) -> u8 {
        1 << View::ALL.iter().position(|&v| v == view).unwrap_or(0)
    }

    /// With `view` visited too.
    pub fn with(self, view: View) -> Self {
        Self(self.0 | Self::bit(view))
    }

    /// Whether `view` was visited.
    pub fn contains(self, view: View) -> bool {
        self.0 & Self::bit(view) != 0
    }
}

/// Properties of [`Tabs`].
#[derive(Properties, PartialEq)]
pub struct TabsProps {
    /// The view shown.
    pub active: View,
    /// A tab was chosen.
    pub on_select: Callback<View>,
}

/// The tab list. Following the ARIA tabs pattern, Tab reaches the chosen tab only and the
/// arrow keys (Home, End) choose among them.
#[component]
pub fn Tabs(props: &TabsProps) -> Html {
    let t = use_texts();
    let onkeydown = {
        let (active, on_select) = (props.active, props.on_select.clone());
        Callback::from(move |e: KeyboardEvent| {
            let all = View::ALL;
            let at = all.iter().position(|&v| v == active).unwrap_or(0);
            let next = match e.key().as_str() {
                "ArrowRight" => (at + 1) % all.len(),
                "ArrowLeft" => (at + all.len() - 1) % all.len(),
                "Home" => 0,
                "End" => all.len() - 1,
                _ => return,
            };
            e.prevent_default();
            on_select.emit(all[next]);
            if let Some(tab) = gloo::utils::document().get_element_by_id(&tab_id(all[next]))
                && let Ok(tab) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(tab)
            {
                let _ = tab.focus();
            }
        })
    };
    html! {
        <nav class="tabs" role="tablist" aria-label={t.app.tabs_label} onkeydown={onkeydown}>
            { for View::ALL.iter().map(|&view| {
                let selected = view == props.active;
                let on_select = props.on_select.clone();
                html! {
                    <button id={tab_id(view)} type="button" role="tab" aria-selected={selected.to_string()}
                        aria-controls={panel_id(view)} tabindex={if selected { "0" } else { "-1" }}
                        onclick={move |_| on_select.emit(view)}>
                        { view.label(t) }
                    </button>
                }
            }) }
        </nav>
    }
}

/// The element id of `view`'s tab.
pub fn tab_id(view: View) -> String {
    format!("tab-{}", view.name())
}

/// The element id of `view`'s panel.
pub fn panel_id(view: View) -> String {
    format!("view-{}", view.name())
}

/// Properties of [`TabPanel`].
#[derive(Properties, PartialEq)]
pub struct TabPanelProps {
    /// Its view.
    pub view: View,
    /// The view shown.
    pub active: View,
    /// The panel.
    pub children: Html,
}

/// A view's panel, hidden while another tab is chosen (and kept mounted).
#[component]
pub fn TabPanel(props: &TabPanelProps) -> Html {
    html! {
        <div id={panel_id(props.view)} class="view" role="tabpanel" aria-labelledby={tab_id(props.view)}
            hidden={props.view != props.active}>
            { props.children.clone() }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_are_named_for_the_url_and_visits_are_remembered() {
        assert_eq!("inside".parse::<View>(), Ok(View::Inside));
        assert!("settings".parse::<View>().is_err());
        let visited = Visited::of(&[View::Draw]).with(View::Train);
        assert!(visited.contains(View::Train) && visited.contains(View::Draw));
        assert!(!visited.contains(View::Library));
    }

    #[test]
    fn the_english_tab_labels_are_the_views_menu_labels() {
        let en = crate::lang::Language::En.texts();
        for &view in View::ALL {
            assert_eq!(view.label(en), view.menu_label());
        }
    }
}
