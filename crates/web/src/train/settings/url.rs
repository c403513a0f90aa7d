//! The form in the page's URL: the keys that preset it, reading them, and writing the settings
//! that differ from the defaults back ("Copy link").

use super::{Picked, TrainSettings};
use inkling_data::Choice;

impl TrainSettings {
    /// URL keys that preset the form, one per field, plus `augment`, which sets all three warps
    /// (read first, so that `augment=off&rotate=on` rotates only).
    pub const URL_KEYS: [&'static str; 28] = [
        "dataset",
        "arch",
        "width",
        "depth",
        "dilation",
        "bn",
        "residual",
        "optimizer",
        "lr",
        "schedule",
        "batch",
        "epochs",
        "wd",
        "dropout",
        "augment",
        "rotate",
        "shift",
        "scale",
        "subset",
        "seed",
        "eval_every",
        "eval_size",
        "patience",
        "compute",
        "finetune",
        "layers",
        "unfreeze_after",
        "base_lr_factor",
    ];

    /// The defaults, overridden by whatever the page's URL sets for [`Self::URL_KEYS`]
    /// (`?compute=cpu&subset=2000&epochs=3&lr=0.003`), so a course page can link to a prepared
    /// run. `lookup` reads one URL parameter; values are taken as text and checked like typed ones.
    pub fn from_url(lookup: impl Fn(&str) -> Option<String>) -> Self {
        Self::default().with_url(lookup)
    }

    /// These settings, overridden by whatever the URL sets (a lesson's, then the URL's own).
    pub fn with_url(self, lookup: impl Fn(&str) -> Option<String>) -> Self {
        let mut settings = self;
        for key in Self::URL_KEYS {
            if let Some(value) = lookup(key) {
                settings.set(key, value);
            }
        }
        settings
    }

    /// The URL parameters that give these settings, in [`Self::URL_KEYS`] order: only the
    /// fields that differ from the defaults ("Copy link" writes them; [`Self::from_url`] reads
    /// them back to equal settings). A name the URL gave that is no option is kept as given.
    pub fn url_pairs(&self) -> Vec<(&'static str, String)> {
        let defaults = Self::default();
        let warps = |s: &Self| [s.rotate, s.shift, s.scale];
        let all_alike = warps(self).iter().all(|&w| w == self.rotate);
        Self::URL_KEYS
            .into_iter()
            .filter_map(|key| {
                let value = match key {
                    // One `augment` when the three warps agree, else each on its own.
                    "augment" => (all_alike && warps(self) != warps(&defaults))
                        .then(|| on_off(self.rotate))?,
                    "rotate" | "shift" | "scale" if all_alike => return None,
                    _ => self.get(key)?,
                };
                (key == "augment" || Some(&value) != defaults.get(key).as_ref())
                    .then_some((key, value))
            })
            .collect()
    }

    /// The value of URL key `key` as [`Self::from_url`] reads it (`None` for `augment`, which
    /// stands for three fields, and for keys that name none).
    fn get(&self, key: &str) -> Option<String> {
        fn name<T: Choice>(choice: &Picked<T>) -> String {
            match choice {
                Ok(value) => value.name().to_string(),
                Err(refused) => refused.got.clone(),
            }
        }
        let s = self;
        Some(match key {
            "dataset" => name(&s.dataset),
            "arch" => name(&s.architecture),
            "width" => s.width.clone(),
            "depth" => s.depth.clone(),
            "dilation" => on_off(s.dilation),
            "bn" => on_off(s.batch_norm),
            "residual" => on_off(s.residual),
            "optimizer" => name(&s.optimizer),
            "lr" => s.learning_rate.clone(),
            "schedule" => name(&s.schedule),
            "batch" => s.batch_size.clone(),
            "epochs" => s.epochs.clone(),
            "wd" => s.weight_decay.clone(),
            "dropout" => s.dropout.clone(),
            "rotate" => on_off(s.rotate),
            "shift" => on_off(s.shift),
            "scale" => on_off(s.scale),
            "subset" => s.subset.clone(),
            "seed" => s.seed.clone(),
            "eval_every" => s.eval_every.clone(),
            "eval_size" => s.eval_size.clone(),
            "patience" => s.patience.clone(),
            "compute" => name(&s.compute),
            "finetune" => on_off(s.fine_tune),
            "layers" => name(&s.layers),
            "unfreeze_after" => s.unfreeze_after.clone(),
            "base_lr_factor" => s.base_lr_factor.clone(),
            _ => return None,
        })
    }

    /// Sets the field that URL key `key` names; false for a key that names none.
    pub fn set(&mut self, key: &str, value: String) -> bool {
        let on = |v: &str| !matches!(v, "0" | "off" | "false" | "no");
        let s = self;
        match key {
            "dataset" => s.dataset = value.parse(),
            "arch" => s.architecture = value.parse(),
            "width" => s.width = value,
            "depth" => s.depth = value,
            "dilation" => s.dilation = on(&value),
            "bn" => s.batch_norm = on(&value),
            "residual" => s.residual = on(&value),
            "optimizer" => s.optimizer = value.parse(),
            "lr" => s.learning_rate = value,
            "schedule" => s.schedule = value.parse(),
            "batch" => s.batch_size = value,
            "epochs" => s.epochs = value,
            "wd" => s.weight_decay = value,
            "dropout" => s.dropout = value,
            "augment" => {
                let on = on(&value);
                (s.rotate, s.shift, s.scale) = (on, on, on);
            }
            "rotate" => s.rotate = on(&value),
            "shift" => s.shift = on(&value),
            "scale" => s.scale = on(&value),
            "subset" => s.subset = value,
            "seed" => s.seed = value,
            "eval_every" => s.eval_every = value,
            "eval_size" => s.eval_size = value,
            "patience" => s.patience = value,
            "compute" => s.compute = value.parse(),
            "finetune" => s.fine_tune = on(&value),
            "layers" => s.layers = value.parse(),
            "unfreeze_after" => s.unfreeze_after = value,
            "base_lr_factor" => s.base_lr_factor = value,
            _ => return false,
        }
        true
    }
}

/// A switch as the URL writes it.
fn on_off(on: bool) -> String {
    if on { "on" } else { "off" }.to_string()
}
