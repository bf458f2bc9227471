//! HTTP/1.1 on a connected stream: one request written, one response read, framed by
//! `Content-Length`, chunked encoding or the end of the connection, as curl frames it.
//! What is buffered is bounded: a response head by [`MAX_HEAD`], a body by the caller's limit.
//!
//! It is the only HTTP client of the application: the shell's `curl` and the checks' HTTP and
//! emulator probes all read answers here, so a page a learner sees with `curl` is the page a
//! check reads, chunks and time limits included.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// The longest response head accepted.
pub const MAX_HEAD: usize = 64 * 1024;

/// The request curl would send, as lines without their `\r\n` (for `-v`).
pub fn request_lines(
    method: &str,
    target: &str,
    host: &str,
    headers: &[String],
    body: Option<&str>,
) -> Vec<String> {
    let mut lines = vec![format!("{method} {target} HTTP/1.1")];
    // curl's own headers, each replaced by a custom header of the same name, or removed by
    // `Name:` with nothing after it.
    let custom = |name: &str| {
        headers.iter().find_map(|header| {
            let (key, value) = header.split_once(':')?;
            key.trim()
                .eq_ignore_ascii_case(name)
                .then(|| value.trim().to_string())
        })
    };
    let mut defaults = vec![
        ("Host", host.to_string()),
        ("User-Agent", "curl/8.5.0".to_string()),
        ("Accept", "*/*".to_string()),
    ];
    if let Some(body) = body {
        defaults.push(("Content-Length", body.len().to_string()));
        defaults.push((
            "Content-Type",
            "application/x-www-form-urlencoded".to_string(),
        ));
    }
    for (name, value) in &defaults {
        match custom(name) {
            Some(value) if value.is_empty() => {}
            Some(value) => lines.push(format!("{name}: {value}")),
            None => lines.push(format!("{name}: {value}")),
        }
    }
    for header in headers {
        let Some((key, value)) = header.split_once(':') else {
            continue;
        };
        let replaced = defaults
            .iter()
            .any(|(name, _)| key.trim().eq_ignore_ascii_case(name));
        if !replaced && !value.trim().is_empty() {
            lines.push(format!("{}: {}", key.trim(), value.trim()));
        }
    }
    lines
}

/// A response as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The status line and header lines, without their `\r\n`.
    pub head: Vec<String>,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// Why a response could not be read, with curl's code and words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// (28) The deadline passed: `-m`, or the checks' patience.
    TimedOut { received: usize },
    /// (52) The server closed without answering.
    Empty,
    /// (8) Not HTTP.
    Weird,
    /// (18) The connection closed before the announced length.
    Partial { remaining: usize },
    /// (63) More than this shell keeps in memory.
    TooLarge,
    /// (56) The connection broke.
    Receive(String),
}

impl Failure {
    pub fn code(&self) -> u8 {
        match self {
            Failure::TimedOut { .. } => 28,
            Failure::Empty => 52,
            Failure::Weird => 8,
            Failure::Partial { .. } => 18,
            Failure::TooLarge => 63,
            Failure::Receive(_) => 56,
        }
    }

    /// curl's message, given how long the transfer has taken.
    pub fn message(&self, elapsed: Duration) -> String {
        match self {
            Failure::TimedOut { received } => format!(
                "Operation timed out after {} milliseconds with {received} bytes received",
                elapsed.as_millis()
            ),
            Failure::Empty => "Empty reply from server".to_string(),
            Failure::Weird => "Weird server reply".to_string(),
            Failure::Partial { remaining } => {
                format!("transfer closed with {remaining} bytes remaining to read")
            }
            Failure::TooLarge => "Maximum file size exceeded".to_string(),
            Failure::Receive(reason) => format!("Recv failure: {reason}"),
        }
    }
}

/// A connection whose reads can be given a deadline: TCP, or TLS over it.
pub trait Socket: Read + Write {
    /// The TCP connection underneath, whose timeouts bound each read.
    fn tcp(&self) -> &TcpStream;
}

impl Socket for TcpStream {
    fn tcp(&self) -> &TcpStream {
        self
    }
}

/// Sends `request` (lines, then `body`) and reads the response; `head_only` for `HEAD`.
pub fn exchange<S: Socket>(
    stream: &mut S,
    request: &[String],
    body: Option<&str>,
    head_only: bool,
    deadline: Instant,
    limit: usize,
) -> Result<Response, Failure> {
    let mut bytes = request.join("\r\n").into_bytes();
    bytes.extend_from_slice(b"\r\n\r\n");
    if let Some(body) = body {
        bytes.extend_from_slice(body.as_bytes());
    }
    stream
        .write_all(&bytes)
        .and_then(|()| stream.flush())
        .map_err(|error| Failure::Receive(crate::strerror::strerror(&error)))?;
    read_response(
        &mut Deadline {
            stream,
            deadline,
            received: 0,
        },
        head_only,
        limit,
    )
}

/// A stream whose reads fail with `TimedOut` once the deadline passes.
struct Deadline<'a, S> {
    stream: &'a mut S,
    deadline: Instant,
    received: usize,
}

/// How long one read waits before looking whether the learner pressed Ctrl-C.
const READ_SLICE: Duration = Duration::from_millis(100);

impl<S: Socket> Read for Deadline<'_, S> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        loop {
            let left = self.deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(io::ErrorKind::TimedOut.into());
            }
            if crate::interrupt::requested() {
                return Err(io::Error::other(crate::interrupt::Interrupted));
            }
            self.stream
                .tcp()
                .set_read_timeout(Some(left.min(READ_SLICE)))?;
            match self.stream.read(buffer) {
                Ok(n) => {
                    self.received += n;
                    return Ok(n);
                }
                Err(error)
                    if matches!(
                        error.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) => {}
                Err(error) => return Err(error),
            }
        }
    }
}

/// A reader with a buffer, for lines and counted reads.
struct Buffered<R> {
    inner: R,
    buffer: Vec<u8>,
    at: usize,
    total: usize,
}

impl<R: Read> Buffered<R> {
    /// Reads more into the buffer; false at the end of the stream.
    fn fill(&mut self) -> Result<bool, Failure> {
        if self.at > 0 && self.at == self.buffer.len() {
            self.buffer.clear();
            self.at = 0;
        }
        let mut chunk = [0u8; 16 * 1024];
        match self.inner.read(&mut chunk) {
            Ok(0) => Ok(false),
            Ok(n) => {
                self.total += n;
                self.buffer.extend_from_slice(&chunk[..n]);
                Ok(true)
            }
            Err(error) if error.kind() == io::ErrorKind::TimedOut => Err(Failure::TimedOut {
                received: self.total,
            }),
            Err(error) => Err(Failure::Receive(crate::strerror::strerror(&error))),
        }
    }

    /// One line without its line ending; `None` at the end of the stream.
    fn line(&mut self, max: usize) -> Result<Option<String>, Failure> {
        loop {
            if let Some(end) = self.buffer[self.at..].iter().position(|&b| b == b'\n') {
                let line = &self.buffer[self.at..self.at + end];
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                let text = String::from_utf8_lossy(line).into_owned();
                self.at += end + 1;
                return Ok(Some(text));
            }
            if self.buffer.len() - self.at > max {
                return Err(Failure::Weird);
            }
            if !self.fill()? {
                return Ok(None);
            }
        }
    }

    /// Up to `n` bytes into `out`; how many were missing when the stream ended.
    fn take(&mut self, mut n: usize, out: &mut Vec<u8>, limit: usize) -> Result<usize, Failure> {
        while n > 0 {
            if self.at == self.buffer.len() && !self.fill()? {
                return Ok(n);
            }
            let available = (self.buffer.len() - self.at).min(n);
            if out.len() + available > limit {
                return Err(Failure::TooLarge);
            }
            out.extend_from_slice(&self.buffer[self.at..self.at + available]);
            self.at += available;
            n -= available;
        }
        Ok(0)
    }

    fn rest(&mut self, out: &mut Vec<u8>, limit: usize) -> Result<(), Failure> {
        loop {
            let available = self.buffer.len() - self.at;
            if out.len() + available > limit {
                return Err(Failure::TooLarge);
            }
            out.extend_from_slice(&self.buffer[self.at..]);
            self.at = self.buffer.len();
            if !self.fill()? {
                return Ok(());
            }
        }
    }
}

/// Reads one response from `reader`.
pub fn read_response(
    reader: &mut impl Read,
    head_only: bool,
    limit: usize,
) -> Result<Response, Failure> {
    let mut input = Buffered {
        inner: reader,
        buffer: Vec::new(),
        at: 0,
        total: 0,
    };
    let mut head = Vec::new();
    let mut size = 0;
    loop {
        let Some(line) = input.line(MAX_HEAD)? else {
            return Err(if head.is_empty() && input.total == 0 {
                Failure::Empty
            } else {
                Failure::Weird
            });
        };
        size += line.len() + 2;
        if size > MAX_HEAD {
            return Err(Failure::Weird);
        }
        if line.is_empty() {
            break;
        }
        head.push(line);
    }
    let status = head
        .first()
        .and_then(|line| {
            let mut parts = line.splitn(3, ' ');
            let version = parts.next()?;
            let status = parts.next()?.parse::<u16>().ok()?;
            version.starts_with("HTTP/").then_some(status)
        })
        .ok_or(Failure::Weird)?;
    let headers: Vec<(String, String)> = head[1..]
        .iter()
        .filter_map(|line| {
            let (name, value) = line.split_once(':')?;
            Some((name.trim().to_string(), value.trim().to_string()))
        })
        .collect();
    let mut response = Response {
        head,
        status,
        headers,
        body: Vec::new(),
    };
    if head_only || status / 100 == 1 || status == 204 || status == 304 {
        return Ok(response);
    }
    let chunked = response
        .header("Transfer-Encoding")
        .is_some_and(|value| value.to_ascii_lowercase().contains("chunked"));
    let length = response
        .header("Content-Length")
        .and_then(|value| value.parse::<usize>().ok());
    let mut body = Vec::new();
    if chunked {
        loop {
            let line = input.line(1024)?.ok_or(Failure::Partial { remaining: 0 })?;
            let size = usize::from_str_radix(line.split(';').next().unwrap_or("").trim(), 16)
                .map_err(|_| Failure::Weird)?;
            if size == 0 {
                // Trailers, up to the blank line.
                while let Some(line) = input.line(MAX_HEAD)? {
                    if line.is_empty() {
                        break;
                    }
                }
                break;
            }
            let missing = input.take(size, &mut body, limit)?;
            if missing > 0 {
                return Err(Failure::Partial { remaining: missing });
            }
            input.line(2)?;
        }
    } else if let Some(length) = length {
        if length > limit {
            return Err(Failure::TooLarge);
        }
        let missing = input.take(length, &mut body, limit)?;
        if missing > 0 {
            return Err(Failure::Partial { remaining: missing });
        }
    } else {
        input.rest(&mut body, limit)?;
    }
    response.body = body;
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> Result<Response, Failure> {
        read_response(&mut &bytes[..], false, 1024)
    }

    #[test]
    fn requests_carry_curl_s_headers_and_the_learner_s() {
        assert_eq!(
            request_lines(
                "GET",
                "/",
                "3.35.1.2",
                &[
                    "Accept: text/html".into(),
                    "X-Test: 1".into(),
                    "User-Agent:".into()
                ],
                None
            ),
            [
                "GET / HTTP/1.1",
                "Host: 3.35.1.2",
                "Accept: text/html",
                "X-Test: 1"
            ]
        );
        let post = request_lines("POST", "/form", "h", &[], Some("a=1"));
        assert!(post.contains(&"Content-Length: 3".to_string()));
    }

    #[test]
    fn framed_by_length_chunks_or_close() {
        let sized =
            read(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nServer: nginx\r\n\r\nhello extra")
                .expect("response");
        assert_eq!((sized.status, sized.body.as_slice()), (200, &b"hello"[..]));
        assert_eq!(sized.header("server"), Some("nginx"));
        assert_eq!(sized.head[0], "HTTP/1.1 200 OK");

        let chunked = read(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n5;x=y\r\npedia\r\n0\r\n\r\n",
        )
        .expect("response");
        assert_eq!(chunked.body, b"Wikipedia");

        let closed = read(b"HTTP/1.0 404 Not Found\r\n\r\nnope").expect("response");
        assert_eq!((closed.status, closed.body.as_slice()), (404, &b"nope"[..]));

        let head = read_response(
            &mut &b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"[..],
            true,
            10,
        )
        .expect("head");
        assert!(head.body.is_empty());
    }

    #[test]
    fn failures_are_curl_s() {
        assert_eq!(read(b""), Err(Failure::Empty));
        assert_eq!(read(b"SSH-2.0-OpenSSH\r\n\r\n"), Err(Failure::Weird));
        assert_eq!(
            read(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"),
            Err(Failure::Partial { remaining: 7 })
        );
        assert_eq!(
            read(b"HTTP/1.1 200 OK\r\nContent-Length: 4096\r\n\r\n"),
            Err(Failure::TooLarge)
        );
        assert_eq!(Failure::Empty.code(), 52);
        assert_eq!(
            Failure::TimedOut { received: 0 }.message(Duration::from_millis(2001)),
            "Operation timed out after 2001 milliseconds with 0 bytes received"
        );
    }
}
