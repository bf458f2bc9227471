//! The endpoint's side of the emulated network. Two kinds of request reach it:
//!
//! - `CONNECT host:port`: a tunnel, as clients ask a proxy for one. The shell's `ssh` and
//!   `curl` and `cloudlings connect` (OpenSSH's `ProxyCommand`) use it.
//! - `GET http://host/path` (the absolute form): a proxied request, as `curl -x` or a browser
//!   set to use the endpoint as its HTTP proxy send it.
//!
//! A distribution's domain name (`dXXXX.cloudfront.net`, port 80) leads to the CloudFront edge,
//! and S3's public name for a bucket (`photos.s3.ap-northeast-2.amazonaws.com`) to the
//! emulator's S3.
//! Otherwise the answer is what a real network would give: `404` when the host is not an
//! emulated instance (the client dials the real one), silence for the drop timeout and then
//! `504` when a security group drops the connection, `502` when nothing listens on the port
//! (a reset), and otherwise the instance itself.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{Method, Request, Response, StatusCode};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;

use crate::http::{BODY_TIMEOUT, BodyTimeout, HEAD_TIMEOUT, Handover, TimedBody};
use crate::net::{self, Host, Reach};
use crate::state::World;
use crate::{machine, ssh};
use cloudlings_os::{HttpReply, HttpRequest};

/// Largest body a proxied request may carry to an instance's web server.
const MAX_BODY: usize = 1024 * 1024;

/// The peer address of a connection, put in each request's extensions by the accept loop.
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub SocketAddr);

/// Whether a request is for the network rather than an AWS API: a tunnel, or a request in
/// the absolute form only proxies receive.
pub fn is_for_network<B>(request: &Request<B>) -> bool {
    request.method() == Method::CONNECT || request.uri().authority().is_some()
}

/// What a connection to a port of an instance finds there.
enum Port {
    Ssh,
    Web,
    Closed,
}

/// Answers a request for the network.
pub async fn handle(world: Arc<World>, mut request: Request<Incoming>) -> Response<s3s::Body> {
    let Some(peer) = request.extensions().get::<Peer>().map(|peer| peer.0) else {
        return answer(StatusCode::INTERNAL_SERVER_ERROR, "no peer address");
    };
    let body_timeout = request
        .extensions()
        .get::<BodyTimeout>()
        .map_or(BODY_TIMEOUT, |timeout| timeout.0);
    // A tunnel keeps its connection's place among the server's open connections.
    let handover = request.extensions_mut().remove::<Handover>();
    let Some((name, port)) = target(&request) else {
        return answer(StatusCode::BAD_REQUEST, "the request names no host");
    };
    // CloudFront's and S3's public names lead to the emulator's own edge and endpoint.
    if port == 80 {
        let service = {
            if net::is_distribution(&world, &name) {
                world.net.edge()
            } else if net::is_bucket(&world.lock(), &name) {
                world.net.endpoint()
            } else {
                None
            }
        };
        if let Some(service) = service {
            return forward(service, request, handover, body_timeout).await;
        }
    }
    let (host, source, reach, timeout) = {
        let Some(host) = net::resolve(&world, &name) else {
            return answer(StatusCode::NOT_FOUND, "not an emulated host");
        };
        let source = net::source_of(peer.ip(), net::learner_address(&world.lock()));
        let reach = net::reach(&world, &host, port, source);
        (host, source, reach, world.net.drop_timeout())
    };
    if reach == Reach::Dropped {
        // Dropped packets get no answer: the client waits, then gives up.
        tokio::time::sleep(timeout).await;
        return answer(StatusCode::GATEWAY_TIMEOUT, "Connection timed out");
    }
    let open = match port {
        22 if has_ssh(&world, &host) => Port::Ssh,
        80 if machine::serve_web(&world, &host, &probe()).is_some() => Port::Web,
        port if world.net.listener(&host.instance, port).is_some() => Port::Web,
        _ => Port::Closed,
    };
    if matches!(open, Port::Closed) {
        return answer(StatusCode::BAD_GATEWAY, "Connection refused");
    }
    let client = source.to_string();
    if request.method() != Method::CONNECT {
        return proxy(&world, &host, port, &client, request, body_timeout).await;
    }
    let link = world.net.link(&host.instance);
    let upgrade = hyper::upgrade::on(request);
    let tunnel = handover.map(Handover::tunnel);
    tokio::spawn(async move {
        let _tunnel = tunnel;
        let upgraded = match upgrade.await {
            Ok(upgraded) => upgraded,
            Err(error) => {
                tracing::debug!(%error, "tunnel not taken up");
                return;
            }
        };
        match open {
            Port::Ssh => ssh::serve(world, host, source, TokioIo::new(upgraded), link).await,
            Port::Web => {
                serve_web(world, host, port, client, upgraded, link, body_timeout).await;
            }
            Port::Closed => {}
        }
    });
    Response::new(s3s::Body::empty())
}

/// A request for the edge or S3, handed over: a tunnel to it, or the one request.
async fn forward(
    service: SocketAddr,
    request: Request<Incoming>,
    handover: Option<Handover>,
    body_timeout: Duration,
) -> Response<s3s::Body> {
    let stream = match tokio::net::TcpStream::connect(service).await {
        Ok(stream) => stream,
        Err(_) => return answer(StatusCode::BAD_GATEWAY, "Connection refused"),
    };
    if request.method() == Method::CONNECT {
        let upgrade = hyper::upgrade::on(request);
        let tunnel = handover.map(Handover::tunnel);
        tokio::spawn(async move {
            let _tunnel = tunnel;
            let (Ok(upgraded), mut stream) = (upgrade.await, stream) else {
                return;
            };
            let mut upgraded = TokioIo::new(upgraded);
            let _ = tokio::io::copy_bidirectional(&mut upgraded, &mut stream).await;
        });
        return Response::new(s3s::Body::empty());
    }
    let (parts, body) = request.into_parts();
    let body = match read_body(body, body_timeout).await {
        Ok(body) => body,
        Err(refused) => return refused,
    };
    let Ok((mut sender, connection)) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await
    else {
        return answer(StatusCode::BAD_GATEWAY, "Connection refused");
    };
    tokio::spawn(connection);
    let mut forwarded = Request::builder()
        .method(parts.method)
        .uri(parts.uri.path_and_query().map_or("/", |path| path.as_str()));
    // The absolute URI names the host; a `Host` header, if sent too, says the same.
    for (name, value) in parts
        .headers
        .iter()
        .filter(|(name, _)| *name != http::header::HOST)
    {
        forwarded = forwarded.header(name, value);
    }
    if let Some(authority) = parts.uri.authority() {
        forwarded = forwarded.header(http::header::HOST, authority.as_str());
    }
    let Ok(forwarded) = forwarded.body(http_body_util::Full::new(body)) else {
        return answer(StatusCode::BAD_REQUEST, "the request cannot be forwarded");
    };
    match sender.send_request(forwarded).await {
        Ok(response) => {
            let (parts, body) = response.into_parts();
            match body.collect().await {
                Ok(body) => Response::from_parts(parts, s3s::Body::from(body.to_bytes())),
                Err(_) => answer(StatusCode::BAD_GATEWAY, "the edge closed the connection"),
            }
        }
        Err(_) => answer(StatusCode::BAD_GATEWAY, "the edge closed the connection"),
    }
}

/// A proxied request's body, read as the endpoint reads one: bounded, and given up when it
/// stops arriving; the answer to send otherwise.
async fn read_body(body: Incoming, timeout: Duration) -> Result<Bytes, Response<s3s::Body>> {
    match TimedBody::new(body, timeout, MAX_BODY as u64)
        .collect()
        .await
    {
        Ok(body) => Ok(body.to_bytes()),
        Err(error) => Err(match crate::http::body_error(&*error) {
            Some(crate::http::BodyError::Stalled(_)) => answer(
                StatusCode::REQUEST_TIMEOUT,
                "the request body stopped arriving",
            ),
            _ => answer(StatusCode::PAYLOAD_TOO_LARGE, "request body too large"),
        }),
    }
}

/// The host and port a request is for: `CONNECT`'s authority, or the absolute URI's.
fn target<B>(request: &Request<B>) -> Option<(String, u16)> {
    let authority = request.uri().authority()?;
    let host = authority
        .host()
        .trim_start_matches('[')
        .trim_end_matches(']');
    let default = if request.uri().scheme_str() == Some("https") {
        443
    } else {
        80
    };
    Some((host.to_string(), authority.port_u16().unwrap_or(default)))
}

fn has_ssh(world: &World, host: &Host) -> bool {
    net::with_instance(world, host, |instance, _| {
        machine::login_user(instance, &host.region).is_some()
    })
    .unwrap_or(false)
}

/// A request that asks only whether a web server runs.
fn probe() -> HttpRequest {
    HttpRequest {
        method: "HEAD".into(),
        host: "localhost".into(),
        port: 80,
        path: "/".into(),
        headers: Vec::new(),
        body: Vec::new(),
    }
}

/// Serves HTTP from the instance's web server on a tunnel, until the client leaves or the
/// instance goes down.
async fn serve_web<S>(
    world: Arc<World>,
    host: Host,
    port: u16,
    client: String,
    stream: S,
    link: tokio_util::sync::CancellationToken,
    body_timeout: Duration,
) where
    S: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |request: Request<Incoming>| {
        let world = world.clone();
        let host = host.clone();
        let client = client.clone();
        async move {
            let answer = proxy(&world, &host, port, &client, request, body_timeout).await;
            Ok::<_, std::convert::Infallible>(answer)
        }
    });
    // nginx writes `Server:` and `Content-Type:`, not hyper's lower case. A head must come
    // whole within the endpoint's head timeout, as nginx's `client_header_timeout` asks, so
    // that a tunnel cannot be held open by a head that never ends.
    let connection = hyper::server::conn::http1::Builder::new()
        .title_case_headers(true)
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(HEAD_TIMEOUT)
        .serve_connection(stream, service);
    tokio::select! {
        served = connection => {
            if let Err(error) = served {
                tracing::debug!(%error, "web connection to an instance closed");
            }
        }
        () = link.cancelled() => {}
    }
}

/// Hands one request to what serves the port: nginx, or a guest's `http.server`.
async fn proxy(
    world: &World,
    host: &Host,
    port: u16,
    client: &str,
    request: Request<Incoming>,
    body_timeout: Duration,
) -> Response<s3s::Body> {
    let (parts, body) = request.into_parts();
    let body = match read_body(body, body_timeout).await {
        Ok(body) => body,
        Err(refused) => return refused,
    };
    let headers = parts
        .headers
        .iter()
        .filter_map(|(name, value)| Some((name.to_string(), value.to_str().ok()?.to_string())))
        .collect();
    let request = HttpRequest {
        method: parts.method.to_string(),
        host: parts
            .uri
            .host()
            .map(str::to_string)
            .or_else(|| {
                parts
                    .headers
                    .get(http::header::HOST)
                    .and_then(|host| host.to_str().ok())
                    .map(str::to_string)
            })
            .unwrap_or_default(),
        port,
        path: parts
            .uri
            .path_and_query()
            .map_or_else(|| "/".to_string(), |path| path.to_string()),
        headers,
        body: body.to_vec(),
    };
    match machine::serve_port(world, host, port, &request, client) {
        Some(reply) => to_response(reply),
        None => answer(StatusCode::BAD_GATEWAY, "Connection refused"),
    }
}

fn to_response(reply: HttpReply) -> Response<s3s::Body> {
    let mut response = Response::new(s3s::Body::from(Bytes::from(reply.body)));
    *response.status_mut() = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::OK);
    for (name, value) in reply.headers {
        if let (Ok(name), Ok(value)) = (
            http::HeaderName::from_bytes(name.as_bytes()),
            http::HeaderValue::from_str(&value),
        ) {
            response.headers_mut().append(name, value);
        }
    }
    response
}

/// The network's own answer: a status and a short reason, for the client to turn into the
/// message its tool prints.
fn answer(status: StatusCode, reason: &str) -> Response<s3s::Body> {
    let mut response = Response::new(s3s::Body::from(format!("{reason}\n")));
    *response.status_mut() = status;
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}
