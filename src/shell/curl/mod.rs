//! `curl` on the emulated network: the learner's first look at the web server on their
//! instance, and at their CloudFront distribution, with curl's own output and errors.
//!
//! Where a request goes:
//! - `http://` to an instance's public name or address: a tunnel to its port through the
//!   emulator (security groups decide, as for `ssh`), then HTTP/1.1;
//! - `http(s)://dXXXX.cloudfront.net/…`: the emulator's CloudFront edge on loopback, asked
//!   under the name it routes by; a distribution that does not exist does not resolve;
//! - `checkip.amazonaws.com`: answered with the learner's emulated public address, so the
//!   address a lesson tells them to allow is the one the emulated network sees;
//! - anything else: plain HTTP to the real host. There is no TLS here: `https://` to a real
//!   host is declined with a note (the learner's own curl, `!curl`, can do it).

pub mod args;

use std::io::{self, Write};
use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

use super::messages as msg;
use crate::http_client::{self, Failure, Response};
use crate::lang::Lang;
use crate::network::{self, Network, OpenError, Socket};
use crate::style::Style;
use crate::visible::visible;
use crate::workstation::Workstation;
use args::{Invocation, Url};

/// The most of a response body kept in memory.
pub const MAX_BODY: usize = 64 * 1024 * 1024;
/// How long a transfer may take without `-m`.
const DEFAULT_LIMIT: Duration = Duration::from_secs(300);

/// What the shell knows that `curl` needs.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    pub network: Network,
    /// The learner's own computer, where `-o` files go.
    pub files: &'a Workstation,
    pub lang: Lang,
    pub style: Style,
    /// The emulator's CloudFront edge.
    pub edge: Option<Edge>,
    /// The learner's emulated public address.
    pub learner: Option<Ipv4Addr>,
}

/// The edge's loopback port and the domain names of the distributions it knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub port: u16,
    pub domains: Vec<String>,
}

/// A failure reported as curl reports it: `curl: (code) message`, and curl's exit status.
struct Error {
    code: u8,
    message: String,
    /// A cloudlings hint for a beginner, after curl's line.
    hint: Option<String>,
}

impl Error {
    fn new(code: u8, message: impl Into<String>) -> Error {
        Error {
            code,
            message: message.into(),
            hint: None,
        }
    }
}

/// Runs `curl` with the words after it; curl's exit status.
pub fn run(words: &[String], context: &Context, out: &mut dyn Write) -> io::Result<i32> {
    let invocation = match args::parse(words) {
        Ok(invocation) => invocation,
        Err(refusal) => {
            for line in refusal.lines() {
                writeln!(out, "{line}")?;
            }
            return Ok(2);
        }
    };
    let start = Instant::now();
    match fetch(&invocation, context, start, out) {
        Ok(status) => Ok(status),
        // Killed by Ctrl-C, curl says nothing.
        Err(_) if crate::interrupt::requested() => Ok(crate::interrupt::STATUS),
        Err(error) => {
            if !invocation.silent || invocation.show_error {
                writeln!(out, "curl: ({}) {}", error.code, error.message)?;
                if let Some(hint) = error.hint.filter(|_| !invocation.silent) {
                    writeln!(out, "{}", context.style.dim(&hint))?;
                }
            }
            Ok(i32::from(error.code))
        }
    }
}

fn fetch(
    invocation: &Invocation,
    context: &Context,
    start: Instant,
    out: &mut dyn Write,
) -> Result<i32, Error> {
    let url = Url::parse(&invocation.url).map_err(|bad| Error::new(bad.code, bad.message))?;
    let method = invocation.method.clone().unwrap_or_else(|| {
        if invocation.head {
            "HEAD".to_string()
        } else if invocation.data.is_some() {
            "POST".to_string()
        } else {
            "GET".to_string()
        }
    });
    let head_only = method == "HEAD";
    let limit = invocation.max_time.unwrap_or(DEFAULT_LIMIT);
    let deadline = start + limit;
    let lines = http_client::request_lines(
        &method,
        &url.target,
        &url.host_header(),
        &invocation.headers,
        invocation.data.as_deref(),
    );

    if let Some(learner) = context
        .learner
        .filter(|_| url.host == "checkip.amazonaws.com")
    {
        let body = format!("{learner}\n");
        let response = Response {
            head: vec![
                "HTTP/1.1 200 OK".to_string(),
                "Content-Type: text/plain;charset=UTF-8".to_string(),
                format!("Content-Length: {}", body.len()),
            ],
            status: 200,
            headers: Vec::new(),
            body: if head_only {
                Vec::new()
            } else {
                body.into_bytes()
            },
        };
        return show(invocation, context, &url, &response, out);
    }

    let (mut socket, wire_lines) = if let Some(edge) = edge_for(&url, context) {
        let edge = edge?;
        let socket = std::net::TcpStream::connect(("127.0.0.1", edge.0))
            .map(|stream| Socket {
                stream,
                address: "127.0.0.1".to_string(),
            })
            .map_err(|_| {
                connect_failure(
                    &url,
                    start,
                    &OpenError::Refused,
                    invocation.max_time,
                    context.lang,
                )
            })?;
        // The edge routes by `<label>.cloudfront.localhost`.
        let mut wire = lines.clone();
        if let Some(host) = wire.iter_mut().find(|line| line.starts_with("Host: ")) {
            *host = format!("Host: {}", edge.1);
        }
        (socket, wire)
    } else if is_distribution(&url.host) && context.network.emulator.is_some() {
        // A server's edge, through its gateway: CloudFront's name on port 80 leads there,
        // and the edge answers https:// as it answers http://.
        let socket = network::open(&context.network, &url.host, 80, invocation.max_time).map_err(
            |failure| connect_failure(&url, start, &failure, invocation.max_time, context.lang),
        )?;
        (socket, lines.clone())
    } else if url.scheme == "https" {
        // Only the edge speaks https here; an emulated instance may still refuse or drop it.
        match network::open_emulated(&context.network, &url.host, url.port, invocation.max_time) {
            Err(failure) => {
                return Err(connect_failure(
                    &url,
                    start,
                    &failure,
                    invocation.max_time,
                    context.lang,
                ));
            }
            Ok(_) => {
                return Err(Error {
                    code: 1,
                    message: "Protocol \"https\" not supported".to_string(),
                    hint: Some(msg::curl_https_unsupported(context.lang)),
                });
            }
        }
    } else {
        let socket = network::open(&context.network, &url.host, url.port, invocation.max_time)
            .map_err(|failure| {
                connect_failure(&url, start, &failure, invocation.max_time, context.lang)
            })?;
        (socket, lines.clone())
    };
    if invocation.verbose {
        write_lines(
            out,
            &[
                format!("*   Trying {}:{}...", socket.address, url.port),
                format!(
                    "* Connected to {} ({}) port {}",
                    url.host, socket.address, url.port
                ),
            ],
        )?;
        let sent: Vec<String> = lines.iter().map(|line| format!("> {line}")).collect();
        write_lines(out, &sent)?;
        write_lines(out, &[">".to_string()])?;
    }
    let response = http_client::exchange(
        &mut socket.stream,
        &wire_lines,
        invocation.data.as_deref(),
        head_only,
        deadline,
        MAX_BODY,
    )
    .map_err(|failure| transfer_failure(&failure, start))?;
    show(invocation, context, &url, &response, out)
}

/// Writes lines to the terminal; a server's headers are its words, shown and never obeyed.
fn write_lines(out: &mut dyn Write, lines: &[String]) -> Result<(), Error> {
    for line in lines {
        writeln!(out, "{}", visible(line)).map_err(|_| write_failure())?;
    }
    Ok(())
}

fn is_distribution(host: &str) -> bool {
    host.to_ascii_lowercase().ends_with(".cloudfront.net")
}

/// The edge's port and the name it routes by, when the URL is a CloudFront domain and the
/// emulator has an edge; an error when no such distribution exists (it would not resolve).
fn edge_for(url: &Url, context: &Context) -> Option<Result<(u16, String), Error>> {
    let edge = context.edge.as_ref()?;
    let label = url.host.strip_suffix(".cloudfront.net")?;
    if !edge
        .domains
        .iter()
        .any(|domain| domain.eq_ignore_ascii_case(&url.host))
    {
        return Some(Err(Error::new(
            6,
            format!("Could not resolve host: {}", url.host),
        )));
    }
    Some(Ok((
        edge.port,
        format!(
            "{label}.{}:{}",
            cloudlings_emulator::edge::DOMAIN,
            edge.port
        ),
    )))
}

/// A connection that was not made, in curl's words, with the real elapsed time. `-m`
/// (`max_time`) running out while connecting is curl's own timeout, not the network's.
fn connect_failure(
    url: &Url,
    start: Instant,
    failure: &OpenError,
    max_time: Option<Duration>,
    lang: Lang,
) -> Error {
    let elapsed = start.elapsed().as_millis();
    let host = &url.host;
    let port = url.port;
    match failure {
        OpenError::Resolve(_) => Error::new(6, format!("Could not resolve host: {host}")),
        OpenError::TimedOut if max_time.is_some_and(|limit| start.elapsed() >= limit) => Error {
            code: 28,
            message: format!("Connection timed out after {elapsed} milliseconds"),
            hint: Some(msg::net_timed_out_hint(lang, port)),
        },
        OpenError::TimedOut => Error {
            code: 28,
            message: format!(
                "Failed to connect to {host} port {port} after {elapsed} ms: Timeout was reached"
            ),
            hint: Some(msg::net_timed_out_hint(lang, port)),
        },
        OpenError::Refused => Error {
            code: 7,
            message: format!(
                "Failed to connect to {host} port {port} after {elapsed} ms: Couldn't connect to server"
            ),
            hint: Some(msg::net_refused_hint(lang, port)),
        },
        OpenError::Other(_) | OpenError::Interrupted => Error::new(
            7,
            format!(
                "Failed to connect to {host} port {port} after {elapsed} ms: Couldn't connect to server"
            ),
        ),
    }
}

fn transfer_failure(failure: &Failure, start: Instant) -> Error {
    Error::new(failure.code(), failure.message(start.elapsed()))
}

fn write_failure() -> Error {
    Error::new(23, "Failure writing output to destination")
}

/// Writes the response as the options ask; curl's exit status.
fn show(
    invocation: &Invocation,
    context: &Context,
    url: &Url,
    response: &Response,
    out: &mut dyn Write,
) -> Result<i32, Error> {
    if invocation.fail && response.status >= 400 {
        return Err(Error::new(
            22,
            format!("The requested URL returned error: {}", response.status),
        ));
    }
    if invocation.verbose {
        let received: Vec<String> = response
            .head
            .iter()
            .map(|line| format!("< {line}"))
            .collect();
        write_lines(out, &received)?;
        write_lines(out, &["<".to_string()])?;
    }
    if (invocation.include || invocation.head) && !invocation.verbose {
        write_lines(out, &response.head)?;
        write_lines(out, &[String::new()])?;
    }
    let body = &response.body;
    match invocation.output.as_deref() {
        Some(file) if file != "-" => {
            // Created as curl creates it: mode 0666 less the umask.
            let mode = 0o666 & !context.files.umask();
            context
                .files
                .write(file, body, mode)
                .map_err(|_| write_failure())?;
        }
        _ if body.is_empty() => {}
        _ => {
            if body.contains(&0) {
                write_lines(out, &[
                    "Warning: Binary output can mess up your terminal. Use \"--output -\" to tell ".to_string(),
                    "Warning: curl to output it to your terminal anyway, or consider \"--output ".to_string(),
                    "Warning: <FILE>\" to save to a file.".to_string(),
                ])?;
                return Err(Error::new(23, "Failure writing output to destination"));
            }
            // A page is shown, not obeyed: an escape sequence in it would clear the screen or
            // retitle the learner's window. Bytes that are not UTF-8 show as the terminal
            // would show them, as replacement characters.
            let text = String::from_utf8_lossy(body);
            out.write_all(visible(&text).as_bytes())
                .map_err(|_| write_failure())?;
            // The shell's next prompt starts on a line of its own.
            if !body.ends_with(b"\n") {
                out.write_all(b"\n").map_err(|_| write_failure())?;
            }
        }
    }
    if invocation.verbose {
        write_lines(
            out,
            &[format!("* Connection #0 to host {} left intact", url.host)],
        )?;
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context(files: &Workstation) -> Context<'_> {
        Context {
            network: Network::default(),
            files,
            lang: Lang::En,
            style: Style::plain(),
            edge: Some(Edge {
                port: 1,
                domains: vec!["d111.cloudfront.net".into()],
            }),
            learner: Some(Ipv4Addr::new(203, 0, 113, 7)),
        }
    }

    fn curl(line: &str) -> (i32, String) {
        let dir = tempfile::tempdir().expect("dir");
        let words = crate::words::split(line).expect("balanced");
        let mut out = Vec::new();
        let files = Workstation::host(dir.path());
        let status = run(&words, &context(&files), &mut out).expect("run");
        (status, String::from_utf8_lossy(&out).into_owned())
    }

    #[test]
    fn checkip_answers_the_learner_s_address() {
        assert_eq!(
            curl("curl https://checkip.amazonaws.com").1,
            "203.0.113.7\n"
        );
        let (status, text) = curl("-i checkip.amazonaws.com");
        assert_eq!(status, 0);
        assert!(text.starts_with("HTTP/1.1 200 OK\n"), "{text}");
        assert!(text.ends_with("\n\n203.0.113.7\n"), "{text}");
    }

    #[test]
    fn errors_are_curl_s_and_silence_hides_them() {
        assert_eq!(
            curl("http://nowhere.d111.cloudfront.net/"),
            (
                6,
                "curl: (6) Could not resolve host: nowhere.d111.cloudfront.net\n".to_string()
            )
        );
        assert_eq!(
            curl("-s http://unknown.cloudfront.net/"),
            (6, String::new())
        );
        assert_eq!(
            curl("-sS http://unknown.cloudfront.net/").1,
            "curl: (6) Could not resolve host: unknown.cloudfront.net\n"
        );
        assert_eq!(
            curl("ftp://x/"),
            (1, "curl: (1) Protocol \"ftp\" not supported\n".to_string())
        );
        assert_eq!(curl("-Q x").0, 2);
    }

    #[test]
    fn connection_failures_name_the_real_elapsed_time() {
        let url = Url::parse("http://3.35.1.2/").expect("url");
        let start = Instant::now() - Duration::from_millis(1500);
        let timed_out = connect_failure(&url, start, &OpenError::TimedOut, None, Lang::En);
        assert_eq!(timed_out.code, 28);
        let message = timed_out.message;
        assert!(
            message.starts_with("Failed to connect to 3.35.1.2 port 80 after 15")
                && message.ends_with(" ms: Timeout was reached"),
            "{message}"
        );
        let refused = connect_failure(&url, start, &OpenError::Refused, None, Lang::En);
        assert_eq!(refused.code, 7);
        assert!(refused.message.ends_with("ms: Couldn't connect to server"));
    }
}
