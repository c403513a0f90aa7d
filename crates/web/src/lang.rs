//! The page's language: English or Simplified Chinese, from `?lang=` or else the browser's
//! preferred languages.

/// A language the page's texts are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Language {
    /// English (the default).
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

impl Language {
    /// The language a tag like `zh`, `zh-CN` or `en-GB` names, if the page has it.
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Self::En),
            "zh" => Some(Self::Zh),
            _ => None,
        }
    }

    /// `?lang=` when it names a language the page has, else the first of the browser's
    /// preferred languages that it has, else English.
    pub fn choose(url: Option<&str>, preferred: &[String]) -> Self {
        url.and_then(Self::from_tag)
            .or_else(|| preferred.iter().find_map(|tag| Self::from_tag(tag)))
            .unwrap_or_default()
    }

    /// The browser's preferred languages, most preferred first.
    pub fn preferred() -> Vec<String> {
        let Some(window) = web_sys::window() else {
            return Vec::new();
        };
        let navigator = window.navigator();
        let listed: Vec<String> = navigator
            .languages()
            .iter()
            .filter_map(|tag| tag.as_string())
            .collect();
        if listed.is_empty() {
            navigator.language().into_iter().collect()
        } else {
            listed
        }
    }

    /// The tag for the document's `lang` attribute.
    pub fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Zh => "zh-Hans",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_wins_then_the_browsers_first_known_language() {
        let browser = ["fr-FR".to_string(), "zh-CN".into(), "en".into()];
        assert_eq!(Language::choose(Some("en"), &browser), Language::En);
        assert_eq!(Language::choose(None, &browser), Language::Zh);
        assert_eq!(Language::choose(Some("klingon"), &browser), Language::Zh);
        assert_eq!(Language::choose(Some("ZH_tw"), &[]), Language::Zh);
        assert_eq!(Language::choose(None, &["de".to_string()]), Language::En);
    }
}
