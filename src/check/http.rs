//! HTTP probes: a GET as the learner's browser or curl sends it, through the emulated network
//! (an instance's nginx, behind its security groups) or to a real host, rendered as JSON.
//! A refused or dropped connection is an answer, not a probe failure: "port 80 is open" is
//! exactly what such a check asks. The connection and the exchange are the shell's own
//! ([`crate::network`], [`crate::http_client`]), so a check reads what `curl` would show.

use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};
use sha2::Digest;

use super::probe_error::Beyond;
use super::{Context, ProbeError, Reach};
use crate::http_client::{self, Response};
use crate::network::{self, Emulated, Network, OpenError};
use crate::target::Target;
use crate::workstation::Workstation;

/// How long a connection, and then the exchange, may take: past the emulator's drop timeout,
/// which answers first.
const PATIENCE: Duration = Duration::from_secs(30);
/// Bodies kept whole for `text`; larger ones are hashed only.
const MAX_TEXT: usize = 64 * 1024;
/// The most of a response body read at all.
const MAX_RESPONSE: usize = 8 * 1024 * 1024;

pub fn observe(url: &str, context: &Context) -> Result<Value, ProbeError> {
    fetch(
        url,
        &network(context),
        context.patience(PATIENCE),
        &context.reach,
    )
}

/// The first picture of the page at `page`, fetched as the browser showing the page would:
/// `page` and `page_status`, the image's `src`, `url`, `host` (see [`super::page`]), then
/// the image's own answer (`status`, `headers`, `size`, `sha256`) or `error`. A page that
/// cannot be fetched, or shows no picture, says so in `error`.
pub fn observe_image(page: &str, context: &Context) -> Result<Value, ProbeError> {
    let network = network(context);
    let patience = context.patience(PATIENCE);
    let answer = fetch(page, &network, patience, &context.reach)?;
    let mut found = Map::new();
    found.insert("page".into(), Value::from(page));
    let status = answer.get("status").cloned();
    found.insert("page_status".into(), status.clone().unwrap_or(Value::Null));
    let first = answer
        .get("images")
        .and_then(Value::as_array)
        .and_then(|images| images.first());
    let (image, error) = match (answer.get("error"), status, first) {
        (Some(error), _, _) => (None, format!("the page: {}", error.as_str().unwrap_or("?"))),
        (None, Some(status), _) if status != 200 => {
            (None, format!("the page answers {status}, not 200"))
        }
        (None, _, None) => (None, "the page shows no <img> with a src".to_string()),
        (None, _, Some(image)) => (Some(image.clone()), String::new()),
    };
    let Some(Value::Object(image)) = image else {
        found.insert("error".into(), Value::from(error));
        return Ok(Value::Object(found));
    };
    found.extend(image.clone());
    let scheme = image.get("scheme").and_then(Value::as_str);
    let (Some(scheme @ ("http" | "https")), Some(url)) =
        (scheme, image.get("url").and_then(Value::as_str))
    else {
        found.insert(
            "error".into(),
            Value::from("the picture's address is not an http:// or https:// one"),
        );
        return Ok(Value::Object(found));
    };
    // No TLS here: an https:// picture is asked over plain HTTP of the same host, which the
    // emulated edge and S3 answer alike (and CloudFront does, with `allow-all`).
    let plain = match scheme {
        "https" => format!("http://{}", &url["https://".len()..]),
        _ => url.to_string(),
    };
    // A picture from a host the lesson may not reach is an answer about the page (its
    // picture is not where it should be), not a probe that could not look.
    let fetched = match fetch(&plain, &network, patience, &context.reach) {
        Err(refused @ ProbeError::OutOfReach { .. }) => {
            json!({ "error": format!("not fetched: {refused}") })
        }
        other => other?,
    };
    if let Value::Object(fetched) = fetched {
        for (key, value) in fetched {
            // The image's own address stays the one the page names.
            if key != "url" && key != "images" {
                found.insert(key, value);
            }
        }
    }
    Ok(Value::Object(found))
}

/// How the checks reach hosts: through the emulator when the target is one.
fn network(context: &Context) -> Network {
    Network {
        emulator: context
            .target
            .as_ref()
            .and_then(emulator_address)
            .map(|endpoint| Emulated {
                endpoint,
                patience: PATIENCE,
            }),
        closed: matches!(context.files, Workstation::Emulated(_)),
    }
}

/// A GET of `url`, rendered; a connection that was refused or dropped is an answer. Silence
/// that outlasts a `patience` shorter than the probe's own is no answer yet.
fn fetch(
    url: &str,
    network: &Network,
    patience: Duration,
    reach: &Reach,
) -> Result<Value, ProbeError> {
    let unreachable = |error: String| ProbeError::Unreachable {
        target: url.to_string(),
        error,
    };
    let not_yet = || ProbeError::NotYet {
        target: url.to_string(),
        patience,
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
    let answer = |error: &str| Ok(json!({ "url": url, "error": error }));
    let started = Instant::now();
    let mut socket = match connect(network, host, port, patience, reach)? {
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
    let mut rendered = render(&response, url);
    rendered.insert("url".into(), Value::from(url));
    Ok(Value::Object(rendered))
}

/// A connection for a probe, if the lesson may reach `host`: on the emulator, one of its own
/// hosts (instances, CloudFront, S3), never the real network; on a real account, a name or
/// address of AWS's public world that leads to the public internet. A declared host may be
/// reached either way.
fn connect(
    network: &Network,
    host: &str,
    port: u16,
    patience: Duration,
    reach: &Reach,
) -> Result<Result<network::Socket, OpenError>, ProbeError> {
    let declared = reach.declares_host(host);
    if network.emulator.is_some() {
        return match network::open_emulated(network, host, port, Some(patience)) {
            Ok(Some(socket)) => Ok(Ok(socket)),
            Ok(None) if declared && !network.closed => {
                Ok(network::open_direct(host, port, Some(patience)))
            }
            Ok(None) => Err(ProbeError::OutOfReach {
                what: host.to_string(),
                beyond: Beyond::Emulated,
            }),
            Err(error) => Ok(Err(error)),
        };
    }
    if network.closed {
        return Err(ProbeError::OutOfReach {
            what: host.to_string(),
            beyond: Beyond::Emulated,
        });
    }
    super::reach::public_host(host, reach)?;
    let opened = network::open_direct(host, port, Some(patience));
    if let Ok(socket) = &opened
        && !declared
        && socket
            .address
            .parse::<std::net::IpAddr>()
            .is_ok_and(|address| !super::reach::is_public(address))
    {
        return Err(ProbeError::OutOfReach {
            what: host.to_string(),
            beyond: Beyond::Private {
                address: socket.address.clone(),
            },
        });
    }
    Ok(opened)
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

/// Sends a GET, with `extra` headers, and reads the answer by `deadline`; a failure in curl's
/// words.
fn get(
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
/// `sha256`, `text` when the body is short UTF-8, and for an HTML page `images`: its `<img>`
/// sources resolved against `url` ([`super::page::Image::to_json`]).
fn render(response: &Response, url: &str) -> Map<String, Value> {
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
        if answer["headers"]
            .get("content-type")
            .and_then(Value::as_str)
            .is_some_and(|kind| kind.contains("html"))
        {
            let images = super::page::images(text, url);
            let images: Vec<Value> = images.iter().map(super::page::Image::to_json).collect();
            answer.insert("images".into(), Value::from(images));
        }
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
        let rendered = render(&response, "http://example.com/");
        assert_eq!(rendered["status"], 200);
        assert_eq!(rendered["headers"]["server"], "nginx");
        assert_eq!(rendered["text"], "Wikipedia");
        assert_eq!(rendered["size"], 9);
        assert!(rendered.get("images").is_none(), "not a page");
    }

    #[test]
    fn a_page_lists_its_pictures() {
        let response = http_client::read_response(
            &mut &b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 59\r\n\r\n<h1>Me</h1><img src=/me.svg><img src=//d1.cloudfront.net/x>"[..],
            false,
            MAX_RESPONSE,
        )
        .expect("response");
        let rendered = render(&response, "http://3.35.1.2/index.html");
        assert_eq!(rendered["images"][0]["url"], "http://3.35.1.2/me.svg");
        assert_eq!(rendered["images"][1]["host"], "d1.cloudfront.net");
    }

    /// A web server on loopback answering each path with its `(content type, body)`.
    fn serve(pages: Vec<(&'static str, &'static str, &'static [u8])>) -> u16 {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("address").port();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let mut request = [0u8; 2048];
                let read = stream.read(&mut request).unwrap_or(0);
                let request = String::from_utf8_lossy(&request[..read]).to_string();
                let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
                let found = pages.iter().find(|(at, _, _)| *at == path);
                let (status, kind, body): (&str, &str, &[u8]) = match found {
                    Some((_, kind, body)) => ("200 OK", kind, body),
                    None => ("404 Not Found", "text/plain", b"no"),
                };
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(body);
            }
        });
        port
    }

    #[test]
    fn the_first_picture_of_a_page_is_followed_and_hashed() {
        let page: &'static str = Box::leak(
            "<html><img src=\"/cat.svg\" alt=cat><img src=/dog.svg></html>"
                .to_string()
                .into_boxed_str(),
        );
        let port = serve(vec![
            ("/", "text/html; charset=utf-8", page.as_bytes()),
            ("/cat.svg", "image/svg+xml", b"<svg/>"),
        ]);
        let mut context = Context::new(std::env::temp_dir());
        // A test's server on this machine, which a lesson would have to declare.
        context.reach.hosts.push("127.0.0.1".into());
        let base = format!("http://127.0.0.1:{port}/");
        let image = observe_image(&base, &context).expect("observed");
        assert_eq!(image["page_status"], 200);
        assert_eq!(image["src"], "/cat.svg");
        assert_eq!(image["url"], format!("http://127.0.0.1:{port}/cat.svg"));
        assert_eq!(image["host"], "127.0.0.1");
        assert_eq!(image["status"], 200);
        assert_eq!(image["headers"]["content-type"], "image/svg+xml");
        assert_eq!(
            image["sha256"],
            hex::encode(sha2::Sha256::digest(b"<svg/>")),
            "the bytes the browser gets"
        );
    }

    #[test]
    fn a_page_without_pictures_or_without_an_answer_says_so() {
        let port = serve(vec![("/", "text/html", b"<h1>no pictures</h1>")]);
        let mut context = Context::new(std::env::temp_dir());
        // A test's server on this machine, which a lesson would have to declare.
        context.reach.hosts.push("127.0.0.1".into());
        let none = observe_image(&format!("http://127.0.0.1:{port}/"), &context).expect("none");
        assert_eq!(none["error"], "the page shows no <img> with a src");
        assert!(none.get("sha256").is_none());
        let missing =
            observe_image(&format!("http://127.0.0.1:{port}/gone"), &context).expect("404");
        assert_eq!(missing["page_status"], 404);
        assert_eq!(missing["error"], "the page answers 404, not 200");
    }
}
