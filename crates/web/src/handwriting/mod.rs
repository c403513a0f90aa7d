//! "Teach it my handwriting": a guided collection of the person's own digits (`collect`),
//! kept in IndexedDB ([`samples`]) and shown as the 28x28 thumbnails the model sees, each of
//! which can be relabelled or deleted (`thumbnails`); exported and imported as a gzip IDX
//! pair (`files`); and a fine-tuning run on them in the trainer worker with MNIST replayed
//! beside them, measured before and after on the held-out fifth (`tune`).

mod collect;
mod files;
mod outcome;
pub mod samples;
mod scores;
mod thumbnails;
mod tune;

use crate::draw::classifier::{Classifier, Reading};
use crate::library::Message;
use crate::text::{fill, use_texts};
use collect::{Collect, DEFAULT_PER_DIGIT, MAX_PER_DIGIT};
use files::Part;
use samples::Sample;
use std::future::Future;
use std::rc::Rc;
use thumbnails::Thumbnails;
use tune::TuneView;
use web_sys::HtmlInputElement;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Properties of [`HandwritingPanel`].
#[derive(Properties, PartialEq)]
pub struct HandwritingPanelProps {
    /// The model the pad reads with (fine-tuning starts from it).
    pub current: Option<Rc<Classifier>>,
    /// The pad's latest reading: its input is what a kept digit stores.
    pub reading: Option<Reading>,
    /// A digit was kept: clear the pad for the next.
    pub on_kept: Callback<()>,
    /// Make the pad read with the personal model.
    pub on_use: Callback<Rc<Classifier>>,
    /// Its tab was chosen: the collection is read from the browser's storage.
    #[prop_or_default]
    pub open: bool,
}

/// The panel; it reads the collection once its tab was chosen.
#[component]
pub fn HandwritingPanel(props: &HandwritingPanelProps) -> Html {
    let t = use_texts();
    let open = props.open;
    let samples = use_state(|| Rc::new(Vec::<Sample>::new()));
    let message = use_state(Message::default);
    let per_digit = use_state(|| DEFAULT_PER_DIGIT);
    // Runs a change to the collection, then lists it again and says how it went.
    let change = {
        let (samples, message) = (samples.clone(), message.clone());
        Rc::new(
            move |work: std::pin::Pin<Box<dyn Future<Output = Result<String, String>>>>| {
                let (samples, message) = (samples.clone(), message.clone());
                spawn_local(async move {
                    let result = work.await;
                    match samples::list(t).await {
                        Ok(list) => samples.set(Rc::new(list)),
                        Err(e) => return message.set(Message::Error(e)),
                    }
                    message.set(match result {
                        Ok(notice) if notice.is_empty() => Message::None,
                        Ok(notice) => Message::Notice(notice),
                        Err(e) => Message::Error(e),
                    });
                });
            },
        )
    };
    {
        let change = change.clone();
        use_effect_with(open, move |&open| {
            if open {
                change(Box::pin(async { Ok(String::new()) }));
            }
        });
    }
    if !open {
        return html! {};
    }

    let on_keep = {
        let (change, on_kept) = (change.clone(), props.on_kept.clone());
        Callback::from(move |(label, pixels): (u8, Vec<u8>)| {
            on_kept.emit(());
            change(Box::pin(async move {
                samples::add(t, &[(label, pixels)])
                    .await
                    .map(|()| String::new())
            }));
        })
    };
    let on_relabel = {
        let change = change.clone();
        Callback::from(move |(id, label): (u32, u8)| {
            change(Box::pin(async move {
                samples::relabel(t, id, label)
                    .await
                    .map(|()| fill(t.handwriting.relabelled, &[("digit", &label)]))
            }));
        })
    };
    let on_delete = {
        let change = change.clone();
        Callback::from(move |id: u32| {
            change(Box::pin(async move {
                samples::delete(t, id)
                    .await
                    .map(|()| t.handwriting.deleted.to_string())
            }));
        })
    };
    let export = |part: Part| {
        let (change, samples) = (change.clone(), samples.clone());
        Callback::from(move |_: MouseEvent| {
            let samples = (*samples).clone();
            change(Box::pin(async move {
                files::export(t, &samples, part)
                    .await
                    .map(|name| fill(t.handwriting.downloading, &[("file", &name)]))
            }));
        })
    };
    let on_import = {
        let (change, message) = (change.clone(), message.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let chosen = input.files().map(|list| {
                (0..list.length())
                    .filter_map(|i| list.get(i))
                    .collect::<Vec<_>>()
            });
            input.set_value("");
            match chosen.and_then(|files| <[web_sys::File; 2]>::try_from(files).ok()) {
                Some(pair) => change(Box::pin(async move {
                    let digits = files::import(t, pair).await?;
                    samples::add(t, &digits).await?;
                    Ok(fill(
                        t.handwriting.added_digits,
                        &[("count", &digits.len())],
                    ))
                })),
                None => message.set(Message::Error(t.handwriting.choose_pair.into())),
            }
        })
    };
    let on_per_digit = {
        let per_digit = per_digit.clone();
        Callback::from(move |e: InputEvent| {
            if let Ok(n) = e
                .target_unchecked_into::<HtmlInputElement>()
                .value()
                .parse::<usize>()
            {
                per_digit.set(n.clamp(1, MAX_PER_DIGIT));
            }
        })
    };
    html! {
        <section id="handwriting" class="handwriting open" aria-label={t.handwriting.panel_label}>
            <h2>{ t.handwriting.heading }</h2>
            <p class="field">
                <label for="collect-per-digit">{ t.handwriting.per_digit_label }</label>
                <input id="collect-per-digit" type="number" min="1" max={MAX_PER_DIGIT.to_string()}
                    value={per_digit.to_string()} oninput={on_per_digit} />
            </p>
            <Collect samples={(*samples).clone()} per_digit={*per_digit} reading={props.reading.clone()} on_keep={on_keep} />
            <Thumbnails samples={(*samples).clone()} on_relabel={on_relabel} on_delete={on_delete} />
            <p class="collection-files">
                { fill(t.handwriting.kept_count, &[("count", &samples.len())]) }
                <button id="collection-export-images" onclick={export(Part::Images)} disabled={samples.is_empty()}>{ t.handwriting.export_images }</button>
                <button id="collection-export-labels" onclick={export(Part::Labels)} disabled={samples.is_empty()}>{ t.handwriting.export_labels }</button>
                <label for="collection-import">{ t.handwriting.import_label }</label>
                <input id="collection-import" type="file" multiple=true onchange={on_import} />
            </p>
            { match &*message {
                Message::None => html! {},
                Message::Notice(text) => html! { <p id="handwriting-notice" class="notice" role="status">{ text }</p> },
                Message::Error(text) => html! { <p id="handwriting-message-error" class="error" role="alert">{ text }</p> },
            } }
            <TuneView samples={(*samples).clone()} current={props.current.clone()} on_use={props.on_use.clone()} />
        </section>
    }
}
