//! Endpoint resolution in a test without a runtime: a resolver answers as soon as it is asked,
//! so its future is polled once and must be ready.

use std::future::Future;
use std::task::{Context, Poll, Waker};

/// The future's output if it is ready on its first poll, else an error saying it was not.
pub fn at_once<F: Future>(future: F) -> Result<F::Output, String> {
    let mut future = std::pin::pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    match future.as_mut().poll(&mut context) {
        Poll::Ready(output) => Ok(output),
        Poll::Pending => Err("the resolver did not answer at once".to_owned()),
    }
}
