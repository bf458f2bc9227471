//! HTTP probes: a GET as the learner's browser or curl sends it, through the emulated network
//! (an instance's nginx, behind its security groups) or to a real host, rendered as JSON.
//! A refused or dropped connection is an answer, not a probe failure: "port 80 is open" is
//! exactly what such a check asks.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

use serde_json::{Map, Value, json};
use sha2::Digest;

use super::probe::{Context, ProbeError};
use crate::target::Target;
use cloudlings_emulator::net::dial::{DialError, dial};

/// How long a connection may take: past the emulator's drop timeout, which answers first.
const PATIENCE: Duration = Duration::from_secs(30);
/// Bodies kept whole for `text`; larger ones are hashed only.
const MAX_TEXT: usize = 64 * 1024;
/// The most of a response read at all.
const MAX_RESPONSE: u64 = 8 * 1024 * 1024;

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
    let stream = match connect(context.target.as_ref(), host, port) {
        Ok(stream) => stream,
        Err(Connect::Answer(error)) => return Ok(json!({ "url": url, "error": error })),
        Err(Connect::Broken(error)) => return Err(unreachable(error)),
    };
    get(stream, host, path, &[])
        .map(|mut answer| {
            answer.insert("url".into(), Value::from(url));
            Value::Object(answer)
        })
        .map_err(|error| unreachable(error.to_string()))
}

enum Connect {
    /// What the network said: refused, timed out.
    Answer(&'static str),
    /// The probe could not ask at all.
    Broken(String),
}

/// A connection to `host:port`: through the emulator when it knows the host, else directly.
fn connect(target: Option<&Target>, host: &str, port: u16) -> Result<TcpStream, Connect> {
    if let Some(endpoint) = target.and_then(emulator_address) {
        match dial(endpoint, host, port, PATIENCE) {
            Ok(stream) => return Ok(stream),
            Err(DialError::NotEmulated) => {}
            Err(DialError::Refused) => return Err(Connect::Answer("Connection refused")),
            Err(DialError::TimedOut) => return Err(Connect::Answer("Connection timed out")),
            Err(DialError::Io(error)) => return Err(Connect::Broken(error.to_string())),
        }
    }
    let addrs = (host, port)
        .to_socket_addrs()
        .map_err(|_| Connect::Answer("Could not resolve host"))?;
    let mut last = Connect::Answer("Could not resolve host");
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, PATIENCE) {
            Ok(stream) => return Ok(stream),
            Err(error) if error.kind() == std::io::ErrorKind::ConnectionRefused => {
                last = Connect::Answer("Connection refused");
            }
            Err(_) => last = Connect::Answer("Connection timed out"),
        }
    }
    Err(last)
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

/// Sends the GET, with `extra` headers, and reads the whole answer (the request asks the
/// server to close).
pub(super) fn get(
    mut stream: TcpStream,
    host: &str,
    path: &str,
    extra: &[(&str, String)],
) -> std::io::Result<Map<String, Value>> {
    stream.set_read_timeout(Some(PATIENCE))?;
    let extra: String = extra
        .iter()
        .map(|(name, value)| format!("{name}: {value}\r\n"))
        .collect();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: cloudlings-check\r\nAccept: */*\r\n{extra}Connection: close\r\n\r\n"
    )?;
    let mut response = Vec::new();
    stream.take(MAX_RESPONSE).read_to_end(&mut response)?;
    let end = response
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("the answer is not HTTP"))?;
    let head = String::from_utf8_lossy(&response[..end]);
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse::<u16>().ok())
        .ok_or_else(|| std::io::Error::other("the answer has no status"))?;
    let mut headers = Map::new();
    for (name, value) in lines.filter_map(|line| line.split_once(':')) {
        headers.insert(name.trim().to_ascii_lowercase(), Value::from(value.trim()));
    }
    let body = &response[end + 4..];
    let mut answer = Map::new();
    answer.insert("status".into(), Value::from(status));
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
    Ok(answer)
}
