//! Where the model the pad reads with came from. The page shows it under the pad, and the model
//! library uses it to name and describe a model it saves.

use crate::config::page_texts;
use crate::text::{Texts, fill};
use std::fmt;

/// Where a model came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    /// The model the page downloads at start-up (`?model=`).
    Pretrained {
        /// Its address.
        url: String,
    },
    /// A snapshot of this page's training run.
    Training {
        /// The step the weights are from.
        step: usize,
        /// The run's settings in one line.
        run: String,
    },
    /// A run of the handwriting panel: fine-tuned on the person's own digits.
    Personal {
        /// How many of their digits it trained on.
        digits: usize,
    },
    /// A model saved in the library.
    Library {
        /// Its name there.
        name: String,
    },
    /// A file the person uploaded.
    Upload {
        /// The file's name.
        file_name: String,
    },
}

impl Origin {
    /// A name for the model in the library, until the person picks another, in the page's
    /// language.
    pub fn suggested_name(&self, network: &str) -> String {
        self.suggested_name_in(page_texts(), network)
    }

    /// [`Origin::suggested_name`] in the words of `t`.
    pub fn suggested_name_in(&self, t: &Texts, network: &str) -> String {
        let t = &t.draw;
        match self {
            Origin::Pretrained { .. } => fill(t.name_pretrained, &[("network", &network)]),
            Origin::Training { step, .. } => {
                fill(t.name_training, &[("network", &network), ("step", step)])
            }
            Origin::Personal { .. } => t.name_personal.to_string(),
            Origin::Library { name } => name.clone(),
            Origin::Upload { file_name } => file_name
                .strip_suffix(".inkling")
                .unwrap_or(file_name)
                .to_string(),
        }
    }

    /// Where the model came from, in the words of `t` ("the file my digits.inkling").
    pub fn describe(&self, t: &Texts) -> String {
        let t = &t.draw;
        match self {
            Origin::Pretrained { url } => fill(t.origin_pretrained, &[("url", url)]),
            Origin::Training { step, run } => {
                fill(t.origin_training, &[("step", step), ("run", run)])
            }
            Origin::Personal { digits } => fill(t.origin_personal, &[("digits", digits)]),
            Origin::Library { name } => fill(t.origin_library, &[("name", name)]),
            Origin::Upload { file_name } => fill(t.origin_upload, &[("file_name", file_name)]),
        }
    }
}

/// [`Origin::describe`] in the page's language.
impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe(page_texts()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;

    #[test]
    fn uploads_are_named_after_their_file_without_the_extension() {
        let en = Language::En.texts();
        let upload = Origin::Upload {
            file_name: "my digits.inkling".into(),
        };
        assert_eq!(upload.suggested_name_in(en, "dsd-s"), "my digits");
        assert_eq!(upload.describe(en), "the file my digits.inkling");
        let run = Origin::Training {
            step: 300,
            run: "dsd-s on MNIST".into(),
        };
        assert_eq!(run.suggested_name_in(en, "dsd-s"), "my dsd-s, step 300");
        assert_eq!(
            run.describe(en),
            "this page's training run at step 300 (dsd-s on MNIST)"
        );
        let zh = Language::Zh.texts();
        assert_eq!(run.suggested_name_in(zh, "dsd-s"), "我的 dsd-s，第 300 步");
    }

    #[test]
    fn the_english_descriptions_read_as_before() {
        let en = Language::En.texts();
        let described = |origin: Origin| origin.describe(en);
        assert_eq!(
            described(Origin::Pretrained {
                url: "models/dsd-s-int8.inkling".into()
            }),
            "the pretrained model (models/dsd-s-int8.inkling)"
        );
        assert_eq!(
            described(Origin::Personal { digits: 40 }),
            "the model fine-tuned on your handwriting (40 digits)"
        );
        assert_eq!(
            described(Origin::Library {
                name: "mine".into()
            }),
            "“mine” from your library"
        );
        let pretrained = Origin::Pretrained { url: String::new() };
        assert_eq!(
            pretrained.suggested_name_in(en, "dsd-s"),
            "pretrained dsd-s"
        );
        assert_eq!(
            Origin::Personal { digits: 1 }.suggested_name_in(en, "dsd-s"),
            "my handwriting"
        );
    }
}
