//! The page's texts in Simplified Chinese, one file per group.

mod app;
mod draw;
mod evaluation;
mod handwriting;
mod inside;
mod lessons;
mod library;
mod runs;
mod session;
mod train;

use crate::text::Texts;

/// Every text of the page in Simplified Chinese.
pub static ZH: Texts = Texts {
    app: app::APP,
    draw: draw::DRAW,
    train: train::TRAIN,
    session: session::SESSION,
    runs: runs::RUNS,
    evaluation: evaluation::EVALUATION,
    inside: inside::INSIDE,
    handwriting: handwriting::HANDWRITING,
    library: library::LIBRARY,
    lessons: lessons::LESSONS,
};
