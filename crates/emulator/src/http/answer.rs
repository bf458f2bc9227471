//! A response body that keeps its connection [`Busy`] until it has been sent (or dropped), so
//! that a connection is never shed or timed out in the middle of an answer.

use std::pin::Pin;
use std::task::{Context, Poll};

use hyper::body::{Body, Frame, SizeHint};

use super::connections::Busy;

/// A response body and the request it answers.
#[derive(Debug)]
pub struct Answer<B> {
    body: B,
    _busy: Busy,
}

impl<B> Answer<B> {
    pub fn new(body: B, busy: Busy) -> Answer<B> {
        Answer { body, _busy: busy }
    }
}

impl<B: Body + Unpin> Body for Answer<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}
