//! What the library's buttons do, each in the background: read or change the store, then say
//! how it went and list the library again.

use super::Message;
use super::store::{self, SavedModel};
use crate::draw::classifier::Classifier;
use crate::draw::origin::Origin;
use crate::format::group_thousands;
use crate::platform;
use inkling_data::Choice;
use std::rc::Rc;
use wasm_bindgen_futures::JsFuture;
use yew::platform::spawn_local;
use yew::prelude::*;

/// The panel's state and the pad's callback, for the buttons.
#[derive(Clone, PartialEq)]
pub struct Library {
    /// The saved models (`None`: still reading).
    pub models: UseStateHandle<Option<Vec<SavedModel>>>,
    /// What the panel says.
    pub message: UseStateHandle<Message>,
    /// Make the pad read with a model.
    pub on_use: Callback<Rc<Classifier>>,
}

impl Library {
    /// Lists the library again.
    pub fn refresh(&self) {
        let this = self.clone();
        spawn_local(async move {
            match store::list().await {
                Ok(list) => this.models.set(Some(list)),
                Err(e) => {
                    this.models.set(Some(Vec::new()));
                    this.message.set(Message::Error(e));
                }
            }
        });
    }

    fn done(&self, result: Result<String, String>) {
        self.message.set(match result {
            Ok(notice) => Message::Notice(notice),
            Err(e) => Message::Error(e),
        });
        self.refresh();
    }

    /// `name`, or `name (2)`, `name (3)`, ... when the library already has it.
    fn unique(&self, name: &str) -> String {
        let name = name.trim();
        let taken = |candidate: &str| {
            self.models
                .as_ref()
                .is_some_and(|models| models.iter().any(|m| m.name == candidate))
        };
        (1..)
            .map(|n| match n {
                1 => name.to_string(),
                n => format!("{name} ({n})"),
            })
            .find(|candidate| !taken(candidate))
            .expect("some number is free")
    }

    /// Saves the model the pad reads with under `name` (made unique).
    pub fn save(&self, current: Rc<Classifier>, name: String) {
        let this = self.clone();
        let name = self.unique(&name);
        spawn_local(async move {
            let result = store::save(
                &name,
                &describe(&current),
                current.header().test_accuracy,
                current.bytes(),
            )
            .await
            .map(|saved| format!("Saved “{}”.", saved.name));
            this.done(result);
        });
    }

    /// Loads saved model `model` into the pad.
    pub fn load(&self, model: SavedModel) {
        let this = self.clone();
        spawn_local(async move {
            let result = async {
                let bytes = store::file(model.id).await?;
                let origin = Origin::Library {
                    name: model.name.clone(),
                };
                let classifier = Classifier::from_bytes(Rc::new(bytes), origin)
                    .map_err(|e| format!("“{}” cannot be used: {e}", model.name))?;
                this.on_use.emit(Rc::new(classifier));
                Ok(format!("The pad now reads with “{}”.", model.name))
            }
            .await;
            this.done(result);
        });
    }

    /// Renames saved model `id`.
    pub fn rename(&self, id: u32, name: String) {
        let this = self.clone();
        spawn_local(async move {
            let result = store::rename(id, &name)
                .await
                .map(|()| format!("Renamed to “{}”.", name.trim()));
            this.done(result);
        });
    }

    /// Deletes saved model `model`.
    pub fn delete(&self, model: SavedModel) {
        let this = self.clone();
        spawn_local(async move {
            let result = store::delete(model.id)
                .await
                .map(|()| format!("Deleted “{}”.", model.name));
            this.done(result);
        });
    }

    /// Offers saved model `model` as a file download.
    pub fn download(&self, model: SavedModel) {
        let this = self.clone();
        spawn_local(async move {
            let result = async {
                let bytes = store::file(model.id).await?;
                let file_name = format!("{}.inkling", file_stem(&model.name));
                platform::download(&bytes, &file_name)
                    .map_err(|e| format!("the download failed: {e:?}"))?;
                Ok(format!("Downloading {file_name}."))
            }
            .await;
            // A download changes nothing in the library: no need to list it again.
            this.message.set(match result {
                Ok(notice) => Message::Notice(notice),
                Err(e) => Message::Error(e),
            });
        });
    }

    /// Reads an uploaded file: a usable model goes into the library and the pad; any other file
    /// is refused with the format's own error, and the pad keeps `current`.
    pub fn upload(&self, file: web_sys::File, current: Option<Rc<Classifier>>) {
        let this = self.clone();
        let file_name = file.name();
        let origin = Origin::Upload {
            file_name: file_name.clone(),
        };
        let name = self.unique(&origin.suggested_name(""));
        spawn_local(async move {
            let result = async {
                let buffer = JsFuture::from(file.array_buffer())
                    .await
                    .map_err(|e| format!("{file_name} could not be read: {e:?}"))?;
                let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                let classifier = Classifier::from_bytes(Rc::new(bytes), origin).map_err(|e| {
                    let kept = current
                        .as_ref()
                        .map(|c| format!(" The pad still reads with {}.", c.origin()))
                        .unwrap_or_default();
                    format!("{file_name} cannot be used: {e}.{kept}")
                })?;
                let classifier = Rc::new(classifier);
                this.on_use.emit(classifier.clone());
                let saved = store::save(
                    &name,
                    &describe(&classifier),
                    classifier.header().test_accuracy,
                    classifier.bytes(),
                )
                .await
                .map_err(|e| format!("The pad reads with {file_name}, but {e}"))?;
                Ok(format!(
                    "The pad now reads with {file_name}, saved as “{}”.",
                    saved.name
                ))
            }
            .await;
            this.done(result);
        });
    }
}

/// How a model was made, in one line: its network, data and steps, and where it came from.
pub fn describe(classifier: &Classifier) -> String {
    let header = classifier.header();
    let what = format!(
        "{} on {}, {} steps",
        classifier.network_name(),
        header.dataset.menu_label(),
        group_thousands(header.steps as usize)
    );
    match classifier.origin() {
        Origin::Pretrained { url } => format!("{what}; pretrained ({url})"),
        Origin::Training { run, .. } => format!("{what}; trained in this page: {run}"),
        Origin::Upload { file_name } => format!("{what}; uploaded from {file_name}"),
        Origin::Personal { digits } => {
            format!("{what}; fine-tuned on {digits} digits of your handwriting")
        }
        Origin::Library { .. } => what,
    }
}

/// `my model: v2?` -> `my model- v2-`: a name safe as a file name everywhere.
fn file_stem(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '-',
            c if c.is_control() => '-',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn file_stems_keep_letters_and_replace_path_characters() {
        assert_eq!(super::file_stem("my model: v2?"), "my model- v2-");
        assert_eq!(super::file_stem("数字 3"), "数字 3");
    }
}
