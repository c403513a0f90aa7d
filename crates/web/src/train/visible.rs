//! Which of the training panel's controls a lesson shows: `?controls=lr,batch` shows only those,
//! `?hide=sweep,runs` all but those. A hidden field keeps its value (from the defaults, a lesson
//! or the URL), so a teacher can fix a setting and take it out of sight.

use super::settings::TrainSettings;

/// Parts of the panel beyond the form's fields that can be shown or hidden.
pub const PARTS: [&str; 4] = ["lesson", "range-test", "sweep", "runs"];

/// The controls shown.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum VisibleControls {
    /// Every control (no `?controls=` or `?hide=`).
    #[default]
    All,
    /// Only these (`?controls=`).
    Only(Vec<&'static str>),
    /// All but these (`?hide=`).
    Except(Vec<&'static str>),
}

impl VisibleControls {
    /// The controls `?controls=` (first) or `?hide=` ask for, and the names in them that name no
    /// control (ignored, for a console warning).
    pub fn from_url(controls: Option<&str>, hide: Option<&str>) -> (Self, Vec<String>) {
        let mut unknown = Vec::new();
        let mut names = |list: &str| -> Vec<&'static str> {
            list.split(',')
                .map(str::trim)
                .filter(|name| !name.is_empty())
                .flat_map(|name| match fields_named(name) {
                    Some(fields) => fields,
                    None => {
                        unknown.push(name.chars().take(40).collect());
                        Vec::new()
                    }
                })
                .collect()
        };
        let visible = match (controls, hide) {
            (Some(list), _) => Self::Only(names(list)),
            (None, Some(list)) => Self::Except(names(list)),
            (None, None) => Self::All,
        };
        (visible, unknown)
    }

    /// Whether the control `name` (a form field, as its element id `train-<name>` says, or one
    /// of [`PARTS`]) is shown.
    pub fn shows(&self, name: &str) -> bool {
        match self {
            Self::All => true,
            Self::Only(names) => names.contains(&name),
            Self::Except(names) => !names.contains(&name),
        }
    }
}

/// The controls a name in the list stands for: a URL key (`arch` is the architecture field,
/// `augment` the three warps), a field's own name, or a part of the panel.
fn fields_named(name: &str) -> Option<Vec<&'static str>> {
    match name {
        "arch" | "architecture" => Some(vec!["architecture"]),
        "augment" => Some(vec!["rotate", "shift", "scale"]),
        _ => TrainSettings::URL_KEYS
            .iter()
            .chain(&PARTS)
            .find(|&&known| known == name)
            .map(|&known| vec![known]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_lists_what_shows_and_hide_what_does_not() {
        let (only, unknown) = VisibleControls::from_url(Some("lr, batch,augment,brush"), None);
        assert_eq!(unknown, ["brush"]);
        assert!(only.shows("lr") && only.shows("batch") && only.shows("shift"));
        assert!(!only.shows("epochs") && !only.shows("sweep"));
        let (except, unknown) = VisibleControls::from_url(None, Some("sweep,runs,arch"));
        assert!(unknown.is_empty());
        assert!(except.shows("lr") && except.shows("lesson"));
        assert!(!except.shows("sweep") && !except.shows("runs") && !except.shows("architecture"));
        assert_eq!(
            VisibleControls::from_url(None, None).0,
            VisibleControls::All
        );
    }

    #[test]
    fn every_url_key_is_a_control_name() {
        for key in TrainSettings::URL_KEYS {
            assert!(fields_named(key).is_some(), "{key}");
        }
    }
}
