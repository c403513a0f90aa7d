//! The frame-gap meter: the longest gap between two animation frames while a run is live. The
//! page must stay responsive while the worker trains; the panel shows the figure.

use crate::platform::now_ms;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

/// What the meter has seen.
#[derive(Debug, Default)]
pub struct FrameGaps {
    /// Whether frames are being measured (a run is live).
    measuring: bool,
    /// Time of the previous frame while measuring, in ms.
    last_frame: Option<f64>,
    /// Longest gap between two frames while measuring, in ms.
    longest: f64,
}

/// The meter, shared by the animation-frame callback and the run's session.
pub type SharedFrameGaps = Rc<RefCell<FrameGaps>>;

impl FrameGaps {
    /// Starts measuring (a worker starts); the time before the next frame does not count.
    pub fn start(&mut self) {
        self.measuring = true;
        self.last_frame = None;
    }

    /// Stops measuring (the run ended); the longest gap is kept.
    pub fn stop(&mut self) {
        self.measuring = false;
    }

    /// Forgets the longest gap (a new run).
    pub fn clear_longest(&mut self) {
        self.longest = 0.0;
    }

    /// Longest gap between two animation frames while a run was live, in ms.
    pub fn longest(&self) -> f64 {
        self.longest
    }

    /// An animation frame at `now` ms.
    fn frame(&mut self, now: f64) {
        if self.measuring {
            if let Some(last) = self.last_frame {
                self.longest = self.longest.max(now - last);
            }
            self.last_frame = Some(now);
        } else {
            self.last_frame = None;
        }
    }
}

/// The animation-frame callback, kept so that it can schedule itself again.
type FrameCallback = Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>>;

/// A meter that sees every animation frame for as long as the component lives.
#[hook]
pub fn use_frame_gap_meter() -> SharedFrameGaps {
    let gaps: SharedFrameGaps = use_mut_ref(FrameGaps::default);
    {
        let gaps = gaps.clone();
        use_effect_with((), move |_| {
            let handle: FrameCallback = Rc::new(RefCell::new(None));
            let again = handle.clone();
            let stopped = Rc::new(Cell::new(false));
            let stop = stopped.clone();
            *handle.borrow_mut() = Some(Closure::new(move |_time: f64| {
                if stopped.get() {
                    return;
                }
                gaps.borrow_mut().frame(now_ms());
                if let (Some(window), Some(callback)) = (web_sys::window(), again.borrow().as_ref())
                {
                    let _ = window.request_animation_frame(callback.as_ref().unchecked_ref());
                }
            }));
            if let (Some(window), Some(callback)) = (web_sys::window(), handle.borrow().as_ref()) {
                let _ = window.request_animation_frame(callback.as_ref().unchecked_ref());
            }
            move || {
                stop.set(true);
                drop(handle);
            }
        });
    }
    gaps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_gaps_while_measuring_count() {
        let mut gaps = FrameGaps::default();
        gaps.frame(0.0);
        gaps.frame(500.0);
        assert_eq!(gaps.longest(), 0.0);
        gaps.start();
        gaps.frame(1000.0);
        gaps.frame(1016.0);
        gaps.frame(1066.0);
        assert_eq!(gaps.longest(), 50.0);
        gaps.stop();
        gaps.frame(2000.0);
        gaps.start();
        gaps.frame(3000.0);
        gaps.frame(3020.0);
        assert_eq!(gaps.longest(), 50.0, "the time between runs does not count");
        gaps.clear_longest();
        assert_eq!(gaps.longest(), 0.0);
    }
}
