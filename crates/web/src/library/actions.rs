//! What the library's buttons do, each in the background: read or change the store, then say
//! how it went and list the library again.

use super::Message;
use super::store::{self, SavedModel};
use crate::draw::classifier::Classifier;
use crate::draw::origin::Origin;
use crate::format::group_thousands;
use crate::platform;
use crate::text::{Texts, fill};
use inkling_data::Choice;
use std::rc::Rc;
use wasm_bindgen_futures::JsFuture;
use yew::platform::spawn_local;
use yew::prelude::*;

/// The panel's state and the pad's callback, for the buttons.
#[derive(Clone)]
pub struct Library {
    /// The saved models (`None`: still reading).
    pub models: UseStateHandle<Option<Vec<SavedModel>>>,
    /// What the panel says.
    pub message: UseStateHandle<Message>,
    /// Make the pad read with a model.
    pub on_use: Callback<Rc<Classifier>>,
    /// The page's texts, for what the panel says.
    pub t: &'static Texts,
}

impl PartialEq for Library {
    fn eq(&self, other: &Self) -> bool {
        self.models == other.models
            && self.message == other.message
            && self.on_use == other.on_use
            && std::ptr::eq(self.t, other.t)
    }
}

impl Library {
    /// Lists the library again.
    pub fn refresh(&self) {
        let this = self.clone();
        spawn_local(async move {
            match store::list_in(this.t).await {
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
        let t = self.t;
        spawn_local(async move {
            let result = store::save_in(
                t,
                &name,
                &describe(t, &current),
                current.header().test_accuracy,
                current.bytes(),
            )
            .await
            .map(|saved| fill(t.library.saved, &[("name", &saved.name)]));
            this.done(result);
        });
    }

    /// Loads saved model `model` into the pad.
    pub fn load(&self, model: SavedModel) {
        let this = self.clone();
        let t = self.t;
        spawn_local(async move {
            let result = async {
                let bytes = store::file_in(t, model.id).await?;
                let origin = Origin::Library {
                    name: model.name.clone(),
                };
                let classifier = Classifier::from_bytes(Rc::new(bytes), origin).map_err(|e| {
                    fill(t.library.unusable, &[("name", &model.name), ("error", &e)])
                })?;
                this.on_use.emit(Rc::new(classifier));
                Ok(fill(t.library.now_reads, &[("name", &model.name)]))
            }
            .await;
            this.done(result);
        });
    }

    /// Renames saved model `id`.
    pub fn rename(&self, id: u32, name: String) {
        let this = self.clone();
        let t = self.t;
        spawn_local(async move {
            let result = store::rename_in(t, id, &name)
                .await
                .map(|()| fill(t.library.renamed, &[("name", &name.trim())]));
            this.done(result);
        });
    }

    /// Deletes saved model `model`.
    pub fn delete(&self, model: SavedModel) {
        let this = self.clone();
        let t = self.t;
        spawn_local(async move {
            let result = store::delete_in(t, model.id)
                .await
                .map(|()| fill(t.library.deleted, &[("name", &model.name)]));
            this.done(result);
        });
    }

    /// Offers saved model `model` as a file download.
    pub fn download(&self, model: SavedModel) {
        let this = self.clone();
        let t = self.t;
        spawn_local(async move {
            let result = async {
                let bytes = store::file_in(t, model.id).await?;
                let file_name = format!("{}.inkling", file_stem(&model.name));
                platform::download(&bytes, &file_name).map_err(|e| {
                    fill(t.library.download_failed, &[("error", &format!("{e:?}"))])
                })?;
                Ok(fill(t.library.downloading, &[("file", &file_name)]))
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
        let t = self.t;
        spawn_local(async move {
            let result = async {
                let buffer = JsFuture::from(file.array_buffer()).await.map_err(|e| {
                    fill(
                        t.library.file_unreadable,
                        &[("file", &file_name), ("error", &format!("{e:?}"))],
                    )
                })?;
                let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                let classifier =
                    Classifier::from_bytes(Rc::new(bytes), origin).map_err(|e| match &current {
                        Some(c) => fill(
                            t.library.upload_unusable_kept,
                            &[("file", &file_name), ("error", &e), ("model", c.origin())],
                        ),
                        None => fill(
                            t.library.upload_unusable,
                            &[("file", &file_name), ("error", &e)],
                        ),
                    })?;
                let classifier = Rc::new(classifier);
                this.on_use.emit(classifier.clone());
                let saved = store::save_in(
                    t,
                    &name,
                    &describe(t, &classifier),
                    classifier.header().test_accuracy,
                    classifier.bytes(),
                )
                .await
                .map_err(|e| {
                    fill(
                        t.library.upload_not_saved,
                        &[("file", &file_name), ("error", &e)],
                    )
                })?;
                Ok(fill(
                    t.library.uploaded,
                    &[("file", &file_name), ("name", &saved.name)],
                ))
            }
            .await;
            this.done(result);
        });
    }
}

/// How a model was made, in one line of `t`'s language: its network, data and steps, and
/// where it came from. The library keeps the line as it was written when the model was saved.
pub fn describe(t: &'static Texts, classifier: &Classifier) -> String {
    let header = classifier.header();
    let what = fill(
        t.library.describe_what,
        &[
            ("network", &classifier.network_name()),
            ("dataset", &header.dataset.menu_label()),
            ("steps", &group_thousands(header.steps as usize)),
        ],
    );
    match classifier.origin() {
        Origin::Pretrained { url } => fill(
            t.library.describe_pretrained,
            &[("what", &what), ("url", url)],
        ),
        Origin::Training { run, .. } => {
            fill(t.library.describe_trained, &[("what", &what), ("run", run)])
        }
        Origin::Upload { file_name } => fill(
            t.library.describe_uploaded,
            &[("what", &what), ("file", file_name)],
        ),
        Origin::Personal { digits } => fill(
            t.library.describe_personal,
            &[("what", &what), ("digits", digits)],
        ),
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
