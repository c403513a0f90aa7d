//! Drawing a 28x28 digit on the pad as pointer actions.

use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
use fantoccini::elements::Element;

/// Draws a 28x28 MNIST digit: every pixel with ink becomes a short stroke at its place on the
/// pad (about 11 CSS pixels per MNIST pixel on the 320-pixel pad).
pub fn digit_strokes(pad: &Element, side: f64, pixels: &[u8]) -> MouseActions {
    let cell = side / 28.0;
    let mut mouse = MouseActions::new("mouse".into());
    for (i, &v) in pixels.iter().enumerate() {
        if v < 128 {
            continue;
        }
        let x = (i % 28) as f64 * cell + cell / 2.0 - side / 2.0;
        let y = (i / 28) as f64 * cell + cell / 2.0 - side / 2.0;
        mouse = mouse
            .then(PointerAction::MoveToElement {
                element: pad.clone(),
                duration: None,
                x,
                y,
            })
            .then(PointerAction::Down {
                button: MOUSE_BUTTON_LEFT,
            })
            .then(PointerAction::MoveToElement {
                element: pad.clone(),
                duration: None,
                x: x + cell / 3.0,
                y,
            })
            .then(PointerAction::Up {
                button: MOUSE_BUTTON_LEFT,
            });
    }
    mouse
}

/// Draws a 28x28 digit faster than [`digit_strokes`]: each horizontal run of pixels with ink
/// (grey level at least 128) becomes one stroke along it, so a digit is a few dozen pointer
/// actions instead of hundreds.
pub fn digit_runs(pad: &Element, side: f64, pixels: &[u8]) -> MouseActions {
    let cell = side / 28.0;
    let at = |i: usize| i as f64 * cell + cell / 2.0 - side / 2.0;
    let mut mouse = MouseActions::new("mouse".into());
    for row in 0..28 {
        let inked = |x: usize| pixels[row * 28 + x] >= 128;
        let mut x = 0;
        while x < 28 {
            if !inked(x) {
                x += 1;
                continue;
            }
            let start = x;
            while x < 28 && inked(x) {
                x += 1;
            }
            let (x0, x1, y) = (at(start), at(x - 1) + cell / 3.0, at(row));
            let to = |x| PointerAction::MoveToElement {
                element: pad.clone(),
                duration: None,
                x,
                y,
            };
            mouse = mouse
                .then(to(x0))
                .then(PointerAction::Down {
                    button: MOUSE_BUTTON_LEFT,
                })
                .then(to(x1))
                .then(PointerAction::Up {
                    button: MOUSE_BUTTON_LEFT,
                });
        }
    }
    mouse
}
