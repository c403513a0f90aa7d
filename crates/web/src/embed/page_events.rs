//! The events about the page itself: `ready` once the model is loaded, `prediction` at every
//! settled reading.

use super::Embed;
use super::schema::PageEvent;
use crate::draw::classifier::Reading;
use yew::prelude::*;

/// Posts `ready` the first time `ready` is true, and `prediction` for each new settled reading
/// (`names` names the classes).
#[hook]
pub fn use_page_events(
    embed: &Embed,
    ready: bool,
    settled: Option<(Reading, u64)>,
    names: Vec<String>,
) {
    let told_ready = use_mut_ref(|| false);
    {
        let embed = embed.clone();
        use_effect_with(ready, move |&ready| {
            if ready && !*told_ready.borrow() {
                *told_ready.borrow_mut() = true;
                embed.post(&PageEvent::Ready);
            }
        });
    }
    let version = settled.as_ref().map(|(_, v)| *v);
    let embed = embed.clone();
    use_effect_with(version, move |_| {
        if let Some((reading, _)) = settled {
            let (digit, _) = reading.best();
            embed.post(&PageEvent::Prediction {
                digit,
                label: names.get(digit).cloned().unwrap_or_default(),
                probabilities: reading.probabilities,
            });
        }
    });
}
