//! One computation at a time, behind the latest request: while one runs, a new request replaces
//! any that waits, so a view that follows the drawing never falls behind it (the inside view,
//! "why this digit").

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;
use yew::platform::spawn_local;

/// Whether a computation runs, and the request waiting behind it.
pub struct Latest<J> {
    running: bool,
    next: Option<J>,
}

impl<J> Default for Latest<J> {
    fn default() -> Self {
        Self {
            running: false,
            next: None,
        }
    }
}

/// A view's queue, shared with the computation it runs.
pub type Queue<J> = Rc<RefCell<Latest<J>>>;

/// Runs `work(job)` now, or after the computation running now (replacing any waiting job).
pub fn request<J: 'static, F, Fut>(queue: Queue<J>, job: J, work: F)
where
    F: Fn(J) -> Fut + 'static,
    Fut: Future<Output = ()>,
{
    let mut q = queue.borrow_mut();
    q.next = Some(job);
    if q.running {
        return;
    }
    q.running = true;
    drop(q);
    spawn_local(async move {
        loop {
            let Some(job) = queue.borrow_mut().next.take() else {
                queue.borrow_mut().running = false;
                return;
            };
            work(job).await;
        }
    });
}
