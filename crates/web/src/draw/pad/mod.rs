//! The drawing pad: pointer input (mouse, touch, pen) into strokes, drawn on a high-DPI canvas,
//! with undo and clear. Strokes are kept in coordinates relative to the pad, so they can be
//! rasterised at any resolution for the model. The pad can also show a digit that is already
//! the model's input (a test image picked in the evaluation view); the next stroke or Clear
//! puts it away.

mod keyboard;
mod paint;

use crate::text::{fill, use_texts};
use gloo::render::{AnimationFrame, request_animation_frame};
use keyboard::{KeyPen, PenAction};
pub use paint::{RASTER_SIDE, rasterize};
use paint::{context, paint_stroke, redraw};
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::{HtmlCanvasElement, KeyboardEvent, PointerEvent};
use yew::prelude::*;

/// One continuous line, points and width relative to the pad's side (0..1).
#[derive(Debug, Clone, PartialEq)]
pub struct Stroke {
    /// Points along the line.
    pub points: Vec<(f64, f64)>,
    /// Line width as a fraction of the pad's side.
    pub width: f64,
}

/// Everything drawn so far, and a version number that grows with every change, so readers can
/// tell which drawing a result belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct Drawing {
    /// The strokes, oldest first.
    pub strokes: Rc<Vec<Stroke>>,
    /// The digit shown instead of strokes, 28x28 ink levels (ink = 1), when one was loaded.
    pub image: Option<Rc<Vec<f32>>>,
    /// Number of changes made to the drawing so far.
    pub version: u64,
}

/// A digit to show on the pad: already the model's 28x28 input (ink = 1), read as it is.
#[derive(Debug, Clone)]
pub struct ShownDigit {
    /// 784 ink levels, row by row.
    pub pixels: Rc<Vec<f32>>,
    /// What it is, for people and tests ("test image 1234").
    pub name: String,
    /// Grows with each digit shown, so showing the same digit twice shows it again.
    pub serial: u64,
}

impl PartialEq for ShownDigit {
    fn eq(&self, other: &Self) -> bool {
        self.serial == other.serial
    }
}

/// Properties of [`DrawingPad`].
#[derive(Properties, PartialEq)]
pub struct DrawingPadProps {
    /// Brush diameter in CSS pixels, relative to a 280-pixel pad.
    pub brush: f64,
    /// Called at most once per animation frame with the drawing, while drawing and after undo
    /// or clear.
    pub on_change: Callback<Drawing>,
    /// Raised by one to clear the pad from outside (the handwriting panel, after keeping a
    /// digit).
    #[prop_or_default]
    pub clears: u64,
    /// A digit to show instead of the strokes (from the evaluation view).
    #[prop_or_default]
    pub shown: Option<ShownDigit>,
}

/// Where `e` is on the pad, relative to its side.
fn point_of(canvas: &HtmlCanvasElement, e: &PointerEvent) -> (f64, f64) {
    let side = canvas.client_width().max(1) as f64;
    (
        (e.offset_x() as f64 / side).clamp(0.0, 1.0),
        (e.offset_y() as f64 / side).clamp(0.0, 1.0),
    )
}

/// Counts a change (also in `data-version` on the canvas) and emits the drawing on the next
/// animation frame, once however many points arrived.
fn notifier(
    strokes: Rc<RefCell<Vec<Stroke>>>,
    image: Rc<RefCell<Option<Rc<Vec<f32>>>>>,
    frame: Rc<RefCell<Option<AnimationFrame>>>,
    version: Rc<RefCell<u64>>,
    canvas_ref: NodeRef,
    on_change: Callback<Drawing>,
) -> Rc<dyn Fn()> {
    Rc::new(move || {
        *version.borrow_mut() += 1;
        if let Some(canvas) = canvas_ref.cast::<HtmlCanvasElement>() {
            let _ = canvas.set_attribute("data-version", &version.borrow().to_string());
        }
        if frame.borrow().is_some() {
            return;
        }
        let strokes = strokes.clone();
        let image = image.clone();
        let pending = frame.clone();
        let version = version.clone();
        let on_change = on_change.clone();
        let handle = request_animation_frame(move |_| {
            pending.borrow_mut().take();
            on_change.emit(Drawing {
                strokes: Rc::new(strokes.borrow().clone()),
                image: image.borrow().clone(),
                version: *version.borrow(),
            });
        });
        *frame.borrow_mut() = Some(handle);
    })
}

/// The pad and its undo and clear buttons.
#[component]
pub fn DrawingPad(props: &DrawingPadProps) -> Html {
    let t = use_texts();
    let canvas_ref = use_node_ref();
    let strokes = use_mut_ref(Vec::<Stroke>::new);
    let active_pointer = use_mut_ref(|| None::<i32>);
    let frame = use_mut_ref(|| None::<AnimationFrame>);
    let count = use_state(|| 0usize);
    let version = use_mut_ref(|| 0u64);
    let image = use_mut_ref(|| None::<Rc<Vec<f32>>>);
    let shown_name = use_state(|| None::<String>);

    let notify = notifier(
        strokes.clone(),
        image.clone(),
        frame,
        version,
        canvas_ref.clone(),
        props.on_change.clone(),
    );

    {
        let canvas_ref = canvas_ref.clone();
        let strokes = strokes.clone();
        use_effect_with((), move |_| {
            if let Some(canvas) = canvas_ref.cast::<HtmlCanvasElement>() {
                redraw(&canvas, &strokes.borrow(), None);
            }
        });
    }
    // A digit from outside replaces whatever was drawn.
    {
        let canvas_ref = canvas_ref.clone();
        let (strokes, image, shown_name) = (strokes.clone(), image.clone(), shown_name.clone());
        let (count, notify) = (count.clone(), notify.clone());
        use_effect_with(props.shown.clone(), move |shown| {
            if let Some(shown) = shown {
                strokes.borrow_mut().clear();
                *image.borrow_mut() = Some(shown.pixels.clone());
                count.set(0);
                shown_name.set(Some(shown.name.clone()));
                if let Some(canvas) = canvas_ref.cast::<HtmlCanvasElement>() {
                    redraw(&canvas, &[], Some(&shown.pixels));
                }
                notify();
            }
        });
    }

    // Starting and extending a stroke, for the pointer and the keyboard alike.
    let begin: Rc<dyn Fn((f64, f64))> = {
        let canvas_ref = canvas_ref.clone();
        let strokes = strokes.clone();
        let notify = notify.clone();
        let count = count.clone();
        let (image, shown_name) = (image.clone(), shown_name.clone());
        let brush = props.brush;
        Rc::new(move |point| {
            let Some(canvas) = canvas_ref.cast::<HtmlCanvasElement>() else {
                return;
            };
            // Drawing starts afresh over a digit that was shown.
            if image.borrow_mut().take().is_some() {
                shown_name.set(None);
                redraw(&canvas, &strokes.borrow(), None);
            }
            let stroke = Stroke {
                points: vec![point],
                width: brush / 280.0,
            };
            if let Some(ctx) = context(&canvas) {
                paint_stroke(&ctx, &stroke, canvas.width() as f64, 0);
            }
            strokes.borrow_mut().push(stroke);
            count.set(strokes.borrow().len());
            notify();
        })
    };
    let extend: Rc<dyn Fn((f64, f64))> = {
        let canvas_ref = canvas_ref.clone();
        let strokes = strokes.clone();
        let notify = notify.clone();
        Rc::new(move |point| {
            let Some(canvas) = canvas_ref.cast::<HtmlCanvasElement>() else {
                return;
            };
            let mut all = strokes.borrow_mut();
            let Some(stroke) = all.last_mut() else {
                return;
            };
            stroke.points.push(point);
            if let Some(ctx) = context(&canvas) {
                let from = stroke.points.len() - 1;
                paint_stroke(&ctx, stroke, canvas.width() as f64, from);
            }
            drop(all);
            notify();
        })
    };

    let on_down = {
        let canvas_ref = canvas_ref.clone();
        let active = active_pointer.clone();
        let begin = begin.clone();
        Callback::from(move |e: PointerEvent| {
            let Some(canvas) = canvas_ref.cast::<HtmlCanvasElement>() else {
                return;
            };
            if e.button() > 0 {
                return; // right or middle mouse button
            }
            e.prevent_default();
            let _ = canvas.set_pointer_capture(e.pointer_id());
            *active.borrow_mut() = Some(e.pointer_id());
            begin(point_of(&canvas, &e));
        })
    };

    let on_move = {
        let canvas_ref = canvas_ref.clone();
        let active = active_pointer.clone();
        let extend = extend.clone();
        Callback::from(move |e: PointerEvent| {
            if *active.borrow() != Some(e.pointer_id()) {
                return;
            }
            let Some(canvas) = canvas_ref.cast::<HtmlCanvasElement>() else {
                return;
            };
            e.prevent_default();
            extend(point_of(&canvas, &e));
        })
    };

    // The keyboard's pen, and whether the pad has the focus (its cursor shows then).
    let pen = use_state(KeyPen::default);
    let focused = use_state(|| false);
    let on_key = {
        let pen = pen.clone();
        Callback::from(move |e: KeyboardEvent| {
            let mut next = *pen;
            let Some(action) = next.press(&e.key(), e.shift_key()) else {
                return;
            };
            e.prevent_default(); // no scrolling with the arrows, no click with Space
            match action {
                PenAction::Down(point) => begin(point),
                PenAction::Moved { to, inking: true } => extend(to),
                PenAction::Moved { .. } | PenAction::Up => {}
            }
            pen.set(next);
        })
    };
    let on_focus = {
        let focused = focused.clone();
        Callback::from(move |_: FocusEvent| focused.set(true))
    };
    let on_blur = {
        let (focused, pen) = (focused.clone(), pen.clone());
        Callback::from(move |_: FocusEvent| {
            focused.set(false);
            // Leaving the pad lifts the pen.
            pen.set(KeyPen {
                inking: false,
                ..*pen
            });
        })
    };

    let on_up = {
        let active = active_pointer.clone();
        Callback::from(move |e: PointerEvent| {
            if *active.borrow() == Some(e.pointer_id()) {
                *active.borrow_mut() = None;
            }
        })
    };

    let edit = |change: fn(&mut Vec<Stroke>)| -> Rc<dyn Fn()> {
        let canvas_ref = canvas_ref.clone();
        let strokes = strokes.clone();
        let notify = notify.clone();
        let count = count.clone();
        let (image, shown_name) = (image.clone(), shown_name.clone());
        Rc::new(move || {
            change(&mut strokes.borrow_mut());
            // Undo and clear both put a shown digit away (there are no strokes under it).
            if image.borrow_mut().take().is_some() {
                shown_name.set(None);
            }
            count.set(strokes.borrow().len());
            if let Some(canvas) = canvas_ref.cast::<HtmlCanvasElement>() {
                redraw(&canvas, &strokes.borrow(), None);
            }
            notify();
        })
    };
    let clear = edit(|s| s.clear());
    {
        let clear = clear.clone();
        use_effect_with(props.clears, move |&clears| {
            if clears > 0 {
                clear();
            }
        });
    }
    let undo = edit(|s| {
        s.pop();
    });
    let on_undo = Callback::from(move |_: MouseEvent| undo());
    let on_clear = Callback::from(move |_: MouseEvent| clear());
    let label = match &*shown_name {
        Some(name) => fill(t.draw.pad_label_shown, &[("name", name)]),
        None => t.draw.pad_label.to_string(),
    };

    html! {
        <div class="pad">
            <div class="pad-surface">
                <canvas
                    id="pad"
                    ref={canvas_ref}
                    tabindex="0"
                    data-strokes={count.to_string()}
                    data-version="0"
                    data-shown={(*shown_name).clone()}
                    aria-label={label}
                    aria-describedby="pad-keys"
                    onpointerdown={on_down}
                    onpointermove={on_move}
                    onpointerup={on_up.clone()}
                    onpointercancel={on_up}
                    onkeydown={on_key}
                    onfocus={on_focus}
                    onblur={on_blur}
                />
                <div id="pad-cursor" class={classes!("pad-cursor", pen.inking.then_some("inking"))}
                    hidden={!*focused} aria-hidden="true" data-inking={pen.inking.to_string()}
                    style={format!("left: calc(2px + {} * (100% - 4px)); top: calc(2px + {} * (100% - 4px))",
                        pen.at.0, pen.at.1)} />
            </div>
            <p id="pad-keys" class="visually-hidden">
                { t.draw.pad_keys }
            </p>
            <div class="pad-buttons">
                <button id="undo" onclick={on_undo} disabled={*count == 0}>{ t.draw.undo }</button>
                <button id="clear" onclick={on_clear} disabled={*count == 0 && shown_name.is_none()}>{ t.draw.clear }</button>
            </div>
        </div>
    }
}
