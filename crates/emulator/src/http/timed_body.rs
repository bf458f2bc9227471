//! A request body read with an inactivity timeout and a size cap.
//!
//! A body that stops arriving (a client that sent its headers and then went quiet, or one
//! trickling forever) would otherwise hold its connection, and a handler, for good. The
//! timeout runs between two reads, not over the whole body, so an upload of gigabytes at a
//! steady speed always completes; the cap is the protocol's own bound on a body's size.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use hyper::body::{Body, Frame, Incoming, SizeHint};
use tokio::time::{Instant, Sleep};

/// How long a body may go without a byte arriving; put in each request's extensions by the
/// accept loop, for the handler that reads the body.
#[derive(Debug, Clone, Copy)]
pub struct BodyTimeout(pub Duration);

/// Why a body could not be read to its end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyError {
    /// No byte arrived for this long.
    Stalled(Duration),
    /// More bytes than this arrived.
    TooLarge(u64),
}

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BodyError::Stalled(timeout) => write!(
                f,
                "no byte of the request body arrived for {} s",
                timeout.as_secs()
            ),
            BodyError::TooLarge(cap) => write!(f, "the request body is over {cap} bytes"),
        }
    }
}

impl std::error::Error for BodyError {}

/// A request body with a timeout between reads and a cap on its size.
#[derive(Debug)]
pub struct TimedBody {
    body: Incoming,
    timeout: Duration,
    sleep: Pin<Box<Sleep>>,
    cap: u64,
    received: u64,
    /// Whether the body has been read from yet: the timeout starts with the first read, not
    /// while the handler was still looking at the head.
    reading: bool,
}

impl TimedBody {
    pub fn new(body: Incoming, timeout: Duration, cap: u64) -> TimedBody {
        TimedBody {
            body,
            timeout,
            sleep: Box::pin(tokio::time::sleep(timeout)),
            cap,
            received: 0,
            reading: false,
        }
    }
}

impl Body for TimedBody {
    type Data = Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = &mut *self;
        if !this.reading {
            this.reading = true;
            let deadline = Instant::now() + this.timeout;
            this.sleep.as_mut().reset(deadline);
        }
        match Pin::new(&mut this.body).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    this.received += data.len() as u64;
                    if this.received > this.cap {
                        return Poll::Ready(Some(Err(BodyError::TooLarge(this.cap).into())));
                    }
                }
                let deadline = Instant::now() + this.timeout;
                this.sleep.as_mut().reset(deadline);
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(other) => Poll::Ready(other.map(|result| result.map_err(Into::into))),
            Poll::Pending => match this.sleep.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Some(Err(BodyError::Stalled(this.timeout).into()))),
                Poll::Pending => Poll::Pending,
            },
        }
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

impl From<TimedBody> for s3s::Body {
    fn from(body: TimedBody) -> s3s::Body {
        s3s::Body::http_body(body)
    }
}

/// Whether `error`, from reading a body, is a [`BodyError`], and which.
pub fn body_error<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a BodyError> {
    let mut source = Some(error);
    while let Some(error) = source {
        if let Some(found) = error.downcast_ref::<BodyError>() {
            return Some(found);
        }
        source = error.source();
    }
    None
}
