//! Where the model the pad reads with came from. The page shows it under the pad, and the model
//! library uses it to name and describe a model it saves.

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
    /// A name for the model in the library, until the person picks another.
    pub fn suggested_name(&self, network: &str) -> String {
        match self {
            Origin::Pretrained { .. } => format!("pretrained {network}"),
            Origin::Training { step, .. } => format!("my {network}, step {step}"),
            Origin::Personal { .. } => "my handwriting".to_string(),
            Origin::Library { name } => name.clone(),
            Origin::Upload { file_name } => file_name
                .strip_suffix(".inkling")
                .unwrap_or(file_name)
                .to_string(),
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Pretrained { url } => write!(f, "the pretrained model ({url})"),
            Origin::Training { step, run } => {
                write!(f, "this page's training run at step {step} ({run})")
            }
            Origin::Personal { digits } => {
                write!(
                    f,
                    "the model fine-tuned on your handwriting ({digits} digits)"
                )
            }
            Origin::Library { name } => write!(f, "“{name}” from your library"),
            Origin::Upload { file_name } => write!(f, "the file {file_name}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploads_are_named_after_their_file_without_the_extension() {
        let upload = Origin::Upload {
            file_name: "my digits.inkling".into(),
        };
        assert_eq!(upload.suggested_name("dsd-s"), "my digits");
        assert_eq!(upload.to_string(), "the file my digits.inkling");
        let run = Origin::Training {
            step: 300,
            run: "dsd-s on MNIST".into(),
        };
        assert_eq!(run.suggested_name("dsd-s"), "my dsd-s, step 300");
    }
}
