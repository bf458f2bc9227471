//! A page's terminal over a WebSocket (RFC 6455), carried by tokio-tungstenite on the
//! connection hyper hands over.
//!
//! The page sends keys as binary messages and its size as a text message (`{"columns": 100}`);
//! the server sends the screen as binary messages, the scrollback first. A page that falls
//! behind is closed with [`BEHIND`] and, as after any drop, opens again and is sent the screen
//! anew. A page that stops answering pings is closed: its place among the learner's pages is
//! given back.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::{SinkExt as _, StreamExt as _};
use http::{Request, Response, StatusCode, header};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::sync::broadcast::error::RecvError;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, Role, WebSocketConfig};
use tokio_tungstenite::tungstenite::{self, Message, Utf8Bytes};

use super::terminals::{Input, Page, Shown, Terminal};
use cloudlings_emulator::http::Handover;

/// The largest message a page may send: a pasted block of a few pages.
const MAX_MESSAGE: usize = 64 * 1024;
/// How often a quiet page is pinged, and how long it has to answer something.
const PING_EVERY: Duration = Duration::from_secs(20);
const SILENT_FOR: Duration = Duration::from_secs(60);
/// The close code of a page that fell behind the screen: it opens again.
pub const BEHIND: u16 = 4000;
/// The close code of a shell the learner quit.
pub const ENDED: u16 = 4001;
/// The close code of a message over [`MAX_MESSAGE`] (RFC 6455's "message too big").
const TOO_BIG: u16 = 1009;
/// How long a closing socket waits for the page's last bytes.
const LINGER: Duration = Duration::from_secs(2);
/// The close code of a page beyond the learner's pages: a page cannot read an upgrade's
/// refusal, but it can read this.
pub const TOO_MANY_PAGES: u16 = 4002;

/// Whether the request asks for a WebSocket.
pub fn is_upgrade(request: &Request<Incoming>) -> bool {
    let has = |name: header::HeaderName, word: &str| {
        request
            .headers()
            .get_all(name)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .any(|token| token.trim().eq_ignore_ascii_case(word))
    };
    has(header::CONNECTION, "upgrade") && has(header::UPGRADE, "websocket")
}

/// Who is on the other end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    /// The learner: their keys go to the shell.
    Learner,
    /// The instructor, who watches and cannot type.
    Watcher,
}

/// What an upgraded socket is for.
#[derive(Debug)]
pub enum Use {
    /// Carries the terminal until either side closes; the learner's page's place (if it is
    /// theirs) is held as long as the socket is open.
    Terminal {
        terminal: Arc<Terminal>,
        viewer: Viewer,
        page: Option<Page>,
    },
    /// Is closed at once with this code.
    TurnAway(u16, &'static str),
}

/// Answers the upgrade and, once the page has it, puts the socket to its use.
pub fn upgrade(mut request: Request<Incoming>, purpose: Use) -> Response<Full<Bytes>> {
    let key = request.headers().get(header::SEC_WEBSOCKET_KEY).cloned();
    let version = request.headers().get(header::SEC_WEBSOCKET_VERSION);
    let (Some(key), true) = (key, version.is_some_and(|version| version == "13")) else {
        return super::refuse(
            StatusCode::BAD_REQUEST,
            "A WebSocket of version 13 is needed.",
        );
    };
    let handover = request.extensions_mut().remove::<Handover>();
    let upgrade = hyper::upgrade::on(request);
    tokio::spawn(async move {
        // The socket keeps its connection's place among the server's connections.
        let _tunnel = handover.map(Handover::tunnel);
        let Ok(upgraded) = upgrade.await else {
            return;
        };
        let config = WebSocketConfig::default()
            .max_message_size(Some(MAX_MESSAGE))
            .max_frame_size(Some(MAX_MESSAGE));
        let mut socket =
            WebSocketStream::from_raw_socket(TokioIo::new(upgraded), Role::Server, Some(config))
                .await;
        match purpose {
            Use::Terminal {
                terminal,
                viewer,
                page,
            } => {
                carry(socket, &terminal, viewer).await;
                drop(page);
            }
            Use::TurnAway(code, reason) => {
                let _ = socket.send(close(code, reason)).await;
            }
        }
    });
    let mut response = Response::new(Full::new(Bytes::new()));
    *response.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
    let headers = response.headers_mut();
    headers.insert(
        header::CONNECTION,
        header::HeaderValue::from_static("Upgrade"),
    );
    headers.insert(
        header::UPGRADE,
        header::HeaderValue::from_static("websocket"),
    );
    if let Ok(accept) = header::HeaderValue::from_str(&derive_accept_key(key.as_bytes())) {
        headers.insert(header::SEC_WEBSOCKET_ACCEPT, accept);
    }
    response
}

/// Moves keys to the shell and the screen to the page.
async fn carry<S>(socket: WebSocketStream<S>, terminal: &Terminal, viewer: Viewer)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let (mut to_page, mut from_page) = socket.split();
    let (kept, mut shown) = terminal.watch();
    if to_page.send(Message::binary(kept)).await.is_err() {
        return;
    }
    let mut ping = tokio::time::interval(PING_EVERY);
    ping.reset();
    let mut heard = tokio::time::Instant::now();
    let closing = loop {
        tokio::select! {
            message = from_page.next() => {
                heard = tokio::time::Instant::now();
                let input = match message {
                    Some(Ok(Message::Binary(keys))) => Input::Keys(keys.to_vec()),
                    Some(Ok(Message::Text(text))) => match columns(&text) {
                        Some(columns) => Input::Columns(columns),
                        None => continue,
                    },
                    Some(Ok(Message::Close(_))) | None => return,
                    Some(Ok(_)) => continue,
                    // A message over the limit is refused with its close code; the rest of
                    // it is still on its way, and is drained below.
                    Some(Err(tungstenite::Error::Capacity(_))) => break close(TOO_BIG, "too big"),
                    Some(Err(error)) => {
                        tracing::debug!(%error, "a page's socket failed");
                        return;
                    }
                };
                if viewer == Viewer::Watcher {
                    continue;
                }
                if terminal.send(input).await.is_err() {
                    break close(ENDED, "ended");
                }
            }
            screen = shown.recv() => match screen {
                Ok(Shown::Output(first)) => {
                    // What the shell printed meanwhile goes in one message.
                    let mut bytes = first.to_vec();
                    let mut ended = false;
                    loop {
                        match shown.try_recv() {
                            Ok(Shown::Output(more)) => bytes.extend_from_slice(&more),
                            Ok(Shown::Ended) => {
                                ended = true;
                                break;
                            }
                            // Nothing more now; a page behind hears of it at the next `recv`.
                            Err(_) => break,
                        }
                    }
                    if to_page.send(Message::binary(bytes)).await.is_err() {
                        return;
                    }
                    if ended {
                        break close(ENDED, "ended");
                    }
                }
                Ok(Shown::Ended) | Err(RecvError::Closed) => break close(ENDED, "ended"),
                Err(RecvError::Lagged(_)) => break close(BEHIND, "behind"),
            },
            _ = ping.tick() => {
                if heard.elapsed() > SILENT_FOR {
                    return;
                }
                if to_page.send(Message::Ping(Bytes::new())).await.is_err() {
                    return;
                }
            }
        }
    };
    if to_page.send(closing).await.is_err() {
        return;
    }
    // Closing with bytes unread would reset the connection, and the page would lose the close
    // frame: what the page still sends is read and dropped until it closes, for a moment.
    if let Ok(socket) = to_page.reunite(from_page) {
        let (mut raw, mut nowhere) = (socket.into_inner(), tokio::io::sink());
        let drained = tokio::io::copy(&mut raw, &mut nowhere);
        let _ = tokio::time::timeout(LINGER, drained).await;
    }
}

fn close(code: u16, reason: &'static str) -> Message {
    Message::Close(Some(CloseFrame {
        code: CloseCode::from(code),
        reason: Utf8Bytes::from_static(reason),
    }))
}

/// The columns of a page's `{"columns": N}`, within what a terminal may be.
fn columns(text: &str) -> Option<usize> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    let columns = usize::try_from(value["columns"].as_u64()?).ok()?;
    (10..=1000).contains(&columns).then_some(columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_s_size_is_read_within_bounds() {
        assert_eq!(columns(r#"{"columns": 100}"#), Some(100));
        assert_eq!(columns(r#"{"columns": 3}"#), None);
        assert_eq!(columns(r#"{"columns": 99999999999}"#), None);
        assert_eq!(columns("not json"), None);
    }
}
