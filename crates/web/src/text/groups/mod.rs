//! The keys of each group of texts, with what each text is for.

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

pub use app::AppTexts;
pub use draw::DrawTexts;
pub use evaluation::EvaluationTexts;
pub use handwriting::HandwritingTexts;
pub use inside::InsideTexts;
pub use lessons::LessonsTexts;
pub use library::LibraryTexts;
pub use runs::RunsTexts;
pub use session::SessionTexts;
pub use train::TrainTexts;
