//! Inside the network, for the current drawing: every spatial layer's feature maps (one small
//! map per channel, one colour scale per layer, `maps`), the logits, and which input pixels a
//! unit can see (`field`, the receptive-field explorer: hover or tap a unit, or name it with
//! the form), and the network's learned filters (`filters`). Computed only while the view is open, and at most one computation at a time: a
//! drawing that changes meanwhile is looked at once the current one is done, so drawing stays
//! live.

mod field;
mod filters;
mod maps;

use crate::draw::classifier::Classifier;
use crate::latest::{self, Latest, Queue};
use crate::text::{Texts, fill, use_texts};
use field::FieldView;
use filters::FilterView;
use inkling_model::inside::Filters;
use inkling_model::inside::Inside;
use maps::LayerMaps;
use std::rc::Rc;
use yew::platform::spawn_local;
use yew::prelude::*;

/// A unit of a spatial layer: its layer's index and its position in the layer's maps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unit {
    /// Index into the network's spatial layers.
    pub layer: usize,
    /// Row in the layer's maps.
    pub row: usize,
    /// Column in the layer's maps.
    pub col: usize,
}

/// Properties of [`InsidePanel`].
#[derive(Properties, PartialEq)]
pub struct InsidePanelProps {
    /// The model the pad reads with.
    pub current: Option<Rc<Classifier>>,
    /// The 28x28 image the model last read (`None`: nothing drawn).
    pub input: Option<Vec<f32>>,
    /// Its tab was chosen: compute (only then).
    #[prop_or_default]
    pub open: bool,
}

/// The name the page shows for the spatial layer `name` (`stem`, `block 2`, `stage 1`, as the
/// model crate names them and `data-layer` keeps them), in the language of `t`.
fn layer_name(t: &Texts, name: &str) -> String {
    let numbered = |prefix: &str, template: &str| {
        let n: usize = name.strip_prefix(prefix)?.parse().ok()?;
        Some(fill(template, &[("n", &n)]))
    };
    match name {
        "stem" => Some(t.inside.layer_stem.to_string()),
        _ => numbered("block ", t.inside.layer_block)
            .or_else(|| numbered("stage ", t.inside.layer_stage)),
    }
    .unwrap_or_else(|| name.to_string())
}

/// Looks inside a classifier for an input, one look at a time behind the latest drawing.
fn request(
    queue: Queue<(Rc<Classifier>, Vec<f32>)>,
    job: (Rc<Classifier>, Vec<f32>),
    shown: UseStateHandle<Option<Rc<Inside>>>,
    error: UseStateHandle<Option<String>>,
) {
    latest::request(queue, job, move |(classifier, input)| {
        let (shown, error) = (shown.clone(), error.clone());
        async move {
            match classifier.look_inside(&input).await {
                Ok(inside) => {
                    shown.set(Some(Rc::new(inside)));
                    error.set(None);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
}

/// The inside view; it computes only while its tab is shown.
#[component]
pub fn InsidePanel(props: &InsidePanelProps) -> Html {
    let t = use_texts();
    let open = props.open;
    let inside = use_state(|| None::<Rc<Inside>>);
    let error = use_state(|| None::<String>);
    let unit = use_state(|| Unit {
        layer: 0,
        row: 14,
        col: 14,
    });
    let queue = use_mut_ref(Latest::default);
    // The filters depend only on the model: read once per model while open.
    let filters = use_state(|| None::<Rc<Filters>>);
    {
        let (filters, error) = (filters.clone(), error.clone());
        use_effect_with((open, props.current.clone()), move |(open, current)| {
            filters.set(None);
            if let (true, Some(classifier)) = (*open, current.clone()) {
                spawn_local(async move {
                    match classifier.filters().await {
                        Ok(f) => filters.set(f.map(Rc::new)),
                        Err(e) => error.set(Some(e)),
                    }
                });
            }
        });
    }
    {
        let (inside, error) = (inside.clone(), error.clone());
        use_effect_with(
            (open, props.current.clone(), props.input.clone()),
            move |(open, current, input)| match (open, current, input) {
                (true, Some(classifier), Some(input)) => {
                    request(queue, (classifier.clone(), input.clone()), inside, error)
                }
                (_, _, None) => inside.set(None),
                _ => {}
            },
        );
    }

    if !open {
        return html! {};
    }
    let Some(classifier) = &props.current else {
        return html! { <section id="inside" class="inside"><p>{ t.app.model_loading }</p></section> };
    };
    let config = classifier.header().model.clone();
    let layers = config.spatial_layers();
    let on_unit = {
        let unit = unit.clone();
        Callback::from(move |u: Unit| unit.set(u))
    };
    let state = if props.input.is_none() {
        "empty"
    } else if inside.is_some() {
        "ready"
    } else {
        "computing"
    };
    html! {
        <section id="inside" class="inside" aria-label={t.inside.heading} data-state={state}>
            <h2>{ t.inside.heading }</h2>
            if let Some(e) = &*error {
                <p class="error" role="alert">{ e }</p>
            }
            if layers.is_empty() {
                <p>{ fill(t.inside.no_spatial_layers, &[("network", &crate::format::network_family(t, &config))]) }</p>
            } else {
                <FieldView config={config.clone()} unit={*unit} on_unit={on_unit.clone()}
                    input={props.input.clone()} />
            }
            if props.input.is_none() {
                <p class="inside-hint">{ t.inside.draw_hint }</p>
            }
            if let Some(inside) = &*inside {
                <div class="inside-layers">
                    // Zipped: a look from the previous model may still be shown for a moment.
                    { for layers.iter().zip(&inside.layers).enumerate().map(|(index, (layer, _))| html! {
                        <LayerMaps index={index} name={layer.name.clone()} dilation={layer.dilation}
                            inside={inside.clone()} on_unit={on_unit.clone()}
                            // As the explorer does, a position past this layer's side is moved inside it.
                            selected={(unit.layer == index).then_some((
                                unit.row.min(layer.side - 1),
                                unit.col.min(layer.side - 1),
                            ))} />
                    }) }
                </div>
                { logits(t, &inside.logits) }
            }
            if let Some(filters) = &*filters {
                <FilterView filters={filters.clone()} />
            }
        </section>
    }
}

/// The ten scores before the softmax, as a table captioned in the language of `t`.
fn logits(t: &Texts, values: &[f32]) -> Html {
    html! {
        <table id="logits" class="logits">
            <caption>{ t.inside.logits_caption }</caption>
            <tr>{ for (0..values.len()).map(|c| html! { <th scope="col">{ c }</th> }) }</tr>
            <tr>{ for values.iter().map(|v| html! { <td>{ format!("{v:.1}") }</td> }) }</tr>
        </table>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;

    #[test]
    fn layers_keep_the_model_crate_names_in_english_and_are_translated_in_chinese() {
        let (en, zh) = (Language::En.texts(), Language::Zh.texts());
        for name in ["stem", "block 1", "block 12", "stage 3"] {
            assert_eq!(layer_name(en, name), name);
        }
        assert_eq!(layer_name(zh, "stem"), zh.inside.layer_stem);
        assert_eq!(layer_name(zh, "block 12"), "第 12 块");
        assert_eq!(layer_name(zh, "stage 3"), "第 3 阶段");
        assert_eq!(layer_name(zh, "head"), "head");
    }
}
