//! HTTP probes: a GET as the learner's browser or curl sends it, through the emulated network
//! (an instance's nginx, behind its security groups) or to a real host, rendered as JSON.
//! A refused or dropped connection is an answer, not a probe failure: "port 80 is open" is
//! exactly what such a check asks. The connection and the exchange are the shell's own
//! ([`crate::network`], [`crate::http_client`]), so a check reads what `curl` would show.

use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};
use sha2::Digest;

use super::{Context, ProbeError};
use crate::http_client::{self, Response};
use crate::network::{self, Emulated, Network, OpenError};
use crate::target::Target;

/// How long a connection, and then the exchange, may take: past the emulator's drop timeout,
/// which answers first.
const PATIENCE: Duration = Duration::from_secs(30);
/// Bodies kept whole for `text`; larger ones are hashed only.
const MAX_TEXT: usize = 64 * 1024;
/// The most of a response body read at all.
const MAX_RESPONSE: usize = 8 * 1024 * 1024;

pub fn observe(url: &str, context: &Context) -> Result<Value, ProbeError> {
    let unreachable = |error: String| ProbeError::Unreachable {
        target: url.to_string(),
        error,
    };
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| unreachable("only http:// addresses can be probed".into()))?;
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let path = if path.is_empty() { "/" } else { path };
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (
            host,
            port.parse::<u16>()
                .map_err(|_| unreachable(format!("`{port}` is not a port")))?,
        ),
        None => (authority, 80),
    };
    let network = Network {
        emulator: context
            .target
            .as_ref()
            .and_then(emulator_address)
            .map(|endpoint| Emulated {
                endpoint,
                patience: PATIENCE,
            }),
    };
    let patience = context.patience(PATIENCE);
    let not_yet = || ProbeError::NotYet {
        target: url.to_string(),
        patience,
    };
    let answer = |error: &str| Ok(json!({ "url": url, "error": error }));
    let started = Instant::now();
    let mut socket = match network::open(&network, host, port, Some(patience)) {
        Ok(socket) => socket,
        Err(OpenError::Resolve(_)) => return answer("Could not resolve host"),
        Err(OpenError::Refused) => return answer("Connection refused"),
        // Silence until a short patience of the check's own ran out is no answer yet: only
        // the network's own timeout (the emulator's drop timeout, or the full patience) is.
        Err(OpenError::TimedOut) if patience < PATIENCE && started.elapsed() >= patience => {
            return Err(not_yet());
        }
        Err(OpenError::TimedOut) => return answer("Connection timed out"),
        // The probe could not ask at all.
        Err(OpenError::Other(error)) => return Err(unreachable(error)),
        Err(OpenError::Interrupted) => return Err(unreachable("interrupted".to_string())),
    };
    let deadline = started + patience;
    let response = get(&mut socket.stream, host, path, &[], deadline).map_err(|error| {
        if patience < PATIENCE && Instant::now() >= deadline {
            not_yet()
        } else {
            unreachable(error)
        }
    })?;
    let mut rendered = render(&response);
    rendered.insert("url".into(), Value::from(url));
    Ok(Value::Object(rendered))
}

/// The emulator's loopback address, when the target is one.
fn emulator_address(target: &Target) -> Option<SocketAddr> {
    let Target::Emulator(endpoint) = target else {
        return None;
    };
    endpoint
        .url
        .strip_prefix("http://")?
        .trim_end_matches('/')
        .parse()
        .ok()
}

/// How long the emulator's own routes may take to answer a probe.
pub(super) fn deadline() -> Instant {
    Instant::now() + PATIENCE
}

/// Sends a GET, with `extra` headers, and reads the answer by `deadline`; a failure in curl's
/// words.
pub(super) fn get(
    stream: &mut TcpStream,
    host: &str,
    path: &str,
    extra: &[(&str, String)],
    deadline: Instant,
) -> Result<Response, String> {
    let start = Instant::now();
    // Custom headers replace the client's own (curl's User-Agent) in place.
    let headers: Vec<String> = std::iter::once("User-Agent: cloudlings-check".to_string())
        .chain(extra.iter().map(|(name, value)| format!("{name}: {value}")))
        .chain(std::iter::once("Connection: close".to_string()))
        .collect();
    let request = http_client::request_lines("GET", path, host, &headers, None);
    http_client::exchange(stream, &request, None, false, deadline, MAX_RESPONSE)
        .map_err(|failure| failure.message(start.elapsed()))
}

/// The answer as a check queries it: `status`, `headers` (names in lower case), `size`,
/// `sha256`, and `text` when the body is short UTF-8.
fn render(response: &Response) -> Map<String, Value> {
    let mut headers = Map::new();
    for (name, value) in &response.headers {
        headers.insert(name.to_ascii_lowercase(), Value::from(value.as_str()));
    }
    let body = &response.body;
    let mut answer = Map::new();
    answer.insert("status".into(), Value::from(response.status));
    answer.insert("headers".into(), Value::Object(headers));
    answer.insert("size".into(), Value::from(body.len()));
    answer.insert(
        "sha256".into(),
        Value::from(hex::encode(sha2::Sha256::digest(body))),
    );
    if body.len() <= MAX_TEXT
        && let Ok(text) = std::str::from_utf8(body)
    {
        answer.insert("text".into(), Value::from(text));
    }
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_answers_are_rendered_decoded() {
        let response = http_client::read_response(
            &mut &b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nServer: nginx\r\n\r\n4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n"[..],
            false,
            MAX_RESPONSE,
        )
        .expect("response");
        let rendered = render(&response);
        assert_eq!(rendered["status"], 200);
        assert_eq!(rendered["headers"]["server"], "nginx");
        assert_eq!(rendered["text"], "Wikipedia");
        assert_eq!(rendered["size"], 9);
    }
}
