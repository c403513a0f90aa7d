//! Drawing with the keyboard: the arrow keys move a pen over the pad, Space or Enter puts it
//! down or lifts it, so a digit can be drawn without a pointer. While the pen is down every
//! move draws.

/// How far one arrow press moves the pen, as a fraction of the pad's side (about one MNIST
/// pixel's worth of the digit, which fills 20 of 28); Shift moves four times as far.
pub const STEP: f64 = 0.04;

/// The keyboard's pen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KeyPen {
    /// Where it is, relative to the pad's side.
    pub at: (f64, f64),
    /// Whether it is down (drawing).
    pub inking: bool,
}

/// What a key press does to the drawing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PenAction {
    /// The pen went down here: a new stroke starts.
    Down((f64, f64)),
    /// The pen moved here; `inking`: the stroke goes on to this point.
    Moved { to: (f64, f64), inking: bool },
    /// The pen was lifted.
    Up,
}

impl Default for KeyPen {
    fn default() -> Self {
        Self {
            at: (0.5, 0.5),
            inking: false,
        }
    }
}

impl KeyPen {
    /// What the key named `key` (a `KeyboardEvent.key`) does; `None` for keys the pad leaves
    /// alone (Tab must still leave the pad).
    pub fn press(&mut self, key: &str, shift: bool) -> Option<PenAction> {
        let step = if shift { 4.0 * STEP } else { STEP };
        let (dx, dy) = match key {
            "ArrowLeft" => (-step, 0.0),
            "ArrowRight" => (step, 0.0),
            "ArrowUp" => (0.0, -step),
            "ArrowDown" => (0.0, step),
            " " | "Enter" => {
                self.inking = !self.inking;
                return Some(if self.inking {
                    PenAction::Down(self.at)
                } else {
                    PenAction::Up
                });
            }
            "Escape" if self.inking => {
                self.inking = false;
                return Some(PenAction::Up);
            }
            _ => return None,
        };
        // Rounded, so that steps of 0.04 add up to the points a test expects (0.34, not
        // 0.33999999999999997).
        let on_pad = |v: f64| ((v.clamp(0.0, 1.0)) * 1e6).round() / 1e6;
        self.at = (on_pad(self.at.0 + dx), on_pad(self.at.1 + dy));
        Some(PenAction::Moved {
            to: self.at,
            inking: self.inking,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrows_move_space_toggles_and_every_inked_move_draws() {
        let mut pen = KeyPen::default();
        assert_eq!(
            pen.press("ArrowUp", true),
            Some(PenAction::Moved {
                to: (0.5, 0.34),
                inking: false
            })
        );
        assert_eq!(pen.press(" ", false), Some(PenAction::Down((0.5, 0.34))));
        assert_eq!(
            pen.press("ArrowDown", false),
            Some(PenAction::Moved {
                to: (0.5, 0.38),
                inking: true
            })
        );
        assert_eq!(pen.press("Enter", false), Some(PenAction::Up));
        assert_eq!(pen.press("Tab", false), None, "Tab leaves the pad");
        assert_eq!(pen.press("Escape", false), None, "nothing to lift");
    }

    #[test]
    fn the_pen_stays_on_the_pad() {
        let mut pen = KeyPen::default();
        for _ in 0..100 {
            pen.press("ArrowLeft", true);
            pen.press("ArrowDown", true);
        }
        assert_eq!(pen.at, (0.0, 1.0));
    }
}
