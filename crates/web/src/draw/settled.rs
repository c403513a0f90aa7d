//! The settled reading: the one a person stopped drawing for. The live region announces it and
//! an embedding page hears of it, instead of every frame's reading while the pen moves.

use super::classifier::Reading;
use gloo::timers::callback::Timeout;
use yew::prelude::*;

/// How long the drawing must stay unchanged for its reading to count as settled: long enough
/// to outlast the pauses within a stroke, short enough to feel immediate once the pen lifts.
pub const SETTLE_MS: u32 = 400;

/// The reading of version `version` once no newer version came for [`SETTLE_MS`], with its
/// version (`None`: nothing drawn, or not settled yet since the page opened).
#[hook]
pub fn use_settled_reading(reading: Option<Reading>, version: u64) -> Option<(Reading, u64)> {
    let settled = use_state(|| None::<(Reading, u64)>);
    {
        let settled = settled.clone();
        use_effect_with(version, move |&version| {
            let timeout = Timeout::new(SETTLE_MS, move || {
                settled.set(reading.map(|r| (r, version)));
            });
            move || drop(timeout)
        });
    }
    (*settled).clone()
}
