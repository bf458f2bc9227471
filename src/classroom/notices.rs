//! What the instructor tells learners at their own terminal (`cloudlings join`): a message,
//! or a line to run in their shell (a reset). Their shell listens on `/api/notices` with the
//! session its join gave it, a stream that stays open (server-sent events) and tells the
//! learner online while it is.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use bytes::Bytes;
use http::{Method, Request, Response, StatusCode};
use hyper::body::{Frame, Incoming};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

use super::dashboard::Dashboard;
use super::teacher::{Body, event_stream, full};
use super::{Class, blocking, refuse};

/// How often a quiet stream says it is alive, so that a dropped network shows.
const KEEPALIVE: Duration = Duration::from_secs(15);
/// Notices a listener may fall behind by before it misses some.
const BEHIND: usize = 64;

/// One thing the instructor tells a learner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Notice {
    /// Shown above the prompt, as text.
    Note(String),
    /// Run in the learner's shell, shown as it runs.
    Run(String),
}

/// The streams open now, by learner.
#[derive(Debug, Default)]
pub struct Listeners {
    open: Mutex<HashMap<i64, (broadcast::Sender<Notice>, usize)>>,
}

impl Listeners {
    fn lock(&self) -> MutexGuard<'_, HashMap<i64, (broadcast::Sender<Notice>, usize)>> {
        self.open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Whether a shell of the learner's listens now.
    pub fn online(&self, learner: i64) -> bool {
        self.lock()
            .get(&learner)
            .is_some_and(|(_, count)| *count > 0)
    }

    /// Hands `notices` to every shell of the learner that listens; whether one did.
    pub fn tell(&self, learner: i64, notices: &[Notice]) -> bool {
        let open = self.lock();
        let Some((sender, _)) = open.get(&learner) else {
            return false;
        };
        notices
            .iter()
            .all(|notice| sender.send(notice.clone()).is_ok())
    }

    /// A new listener for the learner, counted until it is dropped.
    fn listen(self: &Arc<Self>, learner: i64, table: Arc<Dashboard>) -> Listener {
        let receiver = {
            let mut open = self.lock();
            let (sender, count) = open
                .entry(learner)
                .or_insert_with(|| (broadcast::channel(BEHIND).0, 0));
            *count += 1;
            sender.subscribe()
        };
        table.touch();
        Listener {
            receiver,
            learner,
            listeners: self.clone(),
            table,
        }
    }
}

/// A stream's hold on its learner's notices: online while it lasts.
struct Listener {
    receiver: broadcast::Receiver<Notice>,
    learner: i64,
    listeners: Arc<Listeners>,
    table: Arc<Dashboard>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        let mut open = self.listeners.lock();
        if let Some((_, count)) = open.get_mut(&self.learner) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.learner);
            }
        }
        drop(open);
        self.table.touch();
    }
}

/// Answers `GET /api/notices`; hands back any other request.
pub async fn route(
    class: &Arc<Class>,
    request: Request<Incoming>,
) -> Result<Response<Body>, Request<Incoming>> {
    if request.uri().path() != "/api/notices" {
        return Err(request);
    }
    if request.method() != Method::GET {
        return Ok(full(refuse(
            StatusCode::METHOD_NOT_ALLOWED,
            "Listen with GET.",
        )));
    }
    let token = super::bearer(request.headers());
    let learner = blocking(class, move |class| {
        Ok(token.and_then(|token| class.roster.session(&token).ok().flatten()))
    })
    .await;
    let Ok(Some(learner)) = learner else {
        return Ok(full(refuse(
            StatusCode::UNAUTHORIZED,
            "Join the class first.",
        )));
    };
    let listener = class.listeners.listen(learner.id, class.dashboard.clone());
    Ok(stream(listener))
}

fn stream(listener: Listener) -> Response<Body> {
    let stream = futures_util::stream::unfold(listener, |mut listener| async move {
        let frame = tokio::select! {
            heard = listener.receiver.recv() => match heard {
                Ok(notice) => {
                    let json = serde_json::to_string(&notice).unwrap_or_default();
                    Frame::data(Bytes::from(format!("data: {json}\n\n")))
                }
                // Fell behind: what was missed is gone, the stream goes on.
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    Frame::data(Bytes::from_static(b": behind\n\n"))
                }
                Err(broadcast::error::RecvError::Closed) => return None,
            },
            () = tokio::time::sleep(KEEPALIVE) => Frame::data(Bytes::from_static(b": alive\n\n")),
        };
        Some((Ok::<_, Infallible>(frame), listener))
    });
    event_stream(stream)
}
