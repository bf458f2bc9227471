//! The emulator's one HTTP endpoint: authenticate every request with SigV4, then route it by
//! the service named in its credential scope.
//!
//! S3 requests go to the s3s service with their bodies still streaming (objects may be
//! gigabytes); the other services' bodies are small forms or JSON documents, read whole and
//! bounded.
//!
//! [`serve`] is a function of a listener and a shutdown signal, so the shell, `cloudlings
//! serve` and the tests each bind their own `127.0.0.1:0`. [`respond`] is the whole of a
//! request's handling, synchronous and free of sockets.
//!
//! What keeps the servers up in front of a network lives beside this file, apart from the
//! protocols: [`Limits`] (timeouts, caps), `connections` (the open connections and which to
//! shed), `socket` and `answer` (how a connection learns that a head began and that a response
//! ended), `timed_body` (a body that stops arriving) and `accept_errors` (back-off when the
//! process runs out of descriptors).

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderMap, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

use super::auth::authenticate;
use super::context::Context;
use super::error::AwsError;
use super::gateway;
use super::sigv4::{Authorization, SigError};
use super::state::World;
use super::store::Part;
use super::wire::json;
use super::wire::protocol::{
    Body, CLOUDFRONT_NAMESPACE, IAM_NAMESPACE, Protocol, Reply, STS_NAMESPACE, XML,
};
use super::wire::query::{MAX_BODY, Params};
use super::{admin, cloudfront, ec2, iam, ids, pricing, rsa_pool, sts};
use cloudlings_core::catalog;

mod accept_errors;
mod answer;
mod connections;
mod limits;
mod socket;
mod timed_body;

pub use connections::{Handover, Tunnel};
pub use limits::Limits;
pub(crate) use limits::{BODY_TIMEOUT, HEAD_TIMEOUT};
pub(crate) use timed_body::{BodyError, BodyTimeout, TimedBody, body_error};

use accept_errors::AcceptErrors;
use answer::Answer;
use connections::{Admitted, Connections};
use socket::Socket;

/// S3's limit on a request's header section; larger ones get an AWS error (and beyond
/// hyper's own buffer, hyper's 431).
const MAX_HEADER_BYTES: usize = 8 * 1024;

/// S3's largest object, and so its largest PutObject or UploadPart body.
const MAX_OBJECT_BYTES: u64 = 5 * 1024 * 1024 * 1024;

/// An S3 body of unknown length may carry `aws-chunked` framing (a signature every 8 KiB at
/// least) around its [`MAX_OBJECT_BYTES`]; this leaves it room.
const MAX_S3_BODY_BYTES: u64 = MAX_OBJECT_BYTES + MAX_OBJECT_BYTES / 16;

/// What the endpoint serves: the state, and S3 on top of it.
#[derive(Debug, Clone)]
pub struct Services {
    pub world: Arc<World>,
    pub s3: s3s::service::S3Service,
}

/// Accepts connections until `shutdown` completes, with the [`Limits`] that suit this
/// process.
pub async fn serve(listener: TcpListener, services: Services, shutdown: impl Future<Output = ()>) {
    serve_with(listener, services, Limits::for_this_process(), shutdown).await;
}

/// [`serve`] with the given timeouts and caps.
pub async fn serve_with(
    listener: TcpListener,
    services: Services,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    let world = services.world.clone();
    accept(listener, world, limits, shutdown, move |request| {
        handle(services.clone(), request)
    })
    .await;
}

/// The accept loop both loopback servers (this endpoint and the edge) run: every connection
/// served by `handler` with HTTP/1.1 keep-alive, until `shutdown` completes.
///
/// Every response is dated by `world`'s simulated clock, as its `Last-Modified` headers and
/// timestamps are: hyper's own `Date` would come from the wall clock, and an object written
/// after the learner moved the clock forward would look as if it came from the future.
///
/// Connections are held to `limits`: a full table sheds the connection that has waited
/// longest for a request, and a failing `accept` backs off rather than spin.
pub async fn accept<F, Fut, B>(
    listener: TcpListener,
    world: Arc<World>,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
    handler: F,
) where
    F: Fn(Request<Incoming>) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<Response<B>, Infallible>> + Send + 'static,
    B: hyper::body::Body + Unpin + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    accept_tls(listener, None, world, limits, shutdown, handler).await;
}

/// As [`accept`], each connection in TLS first when `tls` is given: a handshake that does not
/// finish within the head timeout is given up, as a request head that does not come is.
pub async fn accept_tls<F, Fut, B>(
    listener: TcpListener,
    tls: Option<tokio_rustls::TlsAcceptor>,
    world: Arc<World>,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
    handler: F,
) where
    F: Fn(Request<Incoming>) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<Response<B>, Infallible>> + Send + 'static,
    B: hyper::body::Body + Unpin + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let connections = Connections::new(limits);
    let mut errors = AcceptErrors::default();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    let wait = errors.failed(&error);
                    // Out of descriptors: an idle connection's is the quickest to free.
                    // Once it is closed, the next accept may well succeed.
                    let wait = if accept_errors::is_shortage(&error) && connections.shed_one() {
                        std::time::Duration::from_millis(1)
                    } else {
                        wait
                    };
                    tokio::select! {
                        () = tokio::time::sleep(wait) => continue,
                        () = &mut shutdown => return,
                    }
                }
            },
            () = &mut shutdown => return,
        };
        errors.accepted();
        let Some(admitted) = connections.admit(peer.ip()) else {
            refuse(&stream);
            continue;
        };
        // Responses go out as headers then body; without this, Nagle's algorithm holds the
        // body back for the client's delayed ACK (40 ms per small S3 GET).
        let _ = stream.set_nodelay(true);
        let handler = handler.clone();
        let world = world.clone();
        let tls = tls.clone();
        tokio::spawn(async move {
            let slot = admitted.slot().clone();
            let socket = Socket::new(stream, slot, limits.send_timeout);
            match tls {
                None => connection(socket, peer, admitted, limits, world, handler).await,
                Some(tls) => {
                    match tokio::time::timeout(limits.head_timeout, tls.accept(socket)).await {
                        Ok(Ok(secured)) => {
                            connection(secured, peer, admitted, limits, world, handler).await;
                        }
                        Ok(Err(error)) => tracing::debug!(%peer, %error, "TLS handshake failed"),
                        Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
                    }
                }
            }
        });
    }
}

/// Serves one connection until it closes, outstays its deadline, or is shed.
async fn connection<F, Fut, B, S>(
    stream: S,
    peer: std::net::SocketAddr,
    admitted: Admitted,
    limits: Limits,
    world: Arc<World>,
    handler: F,
) where
    F: Fn(Request<Incoming>) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<Response<B>, Infallible>> + Send + 'static,
    B: hyper::body::Body + Unpin + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let slot = admitted.slot().clone();
    let requests = slot.clone();
    let admitted = Arc::new(admitted);
    // Each request knows its peer: the network needs the source of a connection.
    let service = service_fn(move |mut request: Request<Incoming>| {
        let busy = requests.request();
        request.extensions_mut().insert(gateway::Peer(peer));
        request
            .extensions_mut()
            .insert(BodyTimeout(limits.body_timeout));
        // A tunnel or a WebSocket outlives its request: it keeps the connection's place.
        if request.method() == Method::CONNECT
            || request.headers().contains_key(hyper::header::UPGRADE)
        {
            request
                .extensions_mut()
                .insert(Handover::new(admitted.clone()));
        }
        let response = handler(request);
        let world = world.clone();
        async move {
            let mut response = response.await?;
            date(&world, response.headers_mut());
            Ok::<_, Infallible>(response.map(|body| Answer::new(body, busy)))
        }
    });
    let connection = hyper::server::conn::http1::Builder::new()
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), service)
        .with_upgrades();
    tokio::pin!(connection);
    loop {
        let deadline = slot.deadline(&limits);
        tokio::select! {
            result = &mut connection => {
                if let Err(error) = result {
                    tracing::debug!(%error, "connection closed");
                }
                return;
            }
            () = slot.changed() => {
                if slot.is_shed() {
                    tracing::debug!(%peer, "connection shed to make room");
                    return;
                }
            }
            () = until(deadline) => {
                if deadline.is_some_and(|deadline| deadline <= std::time::Instant::now()) {
                    tracing::debug!(%peer, "connection timed out waiting for a request");
                    return;
                }
            }
        }
    }
}

/// Completes at `deadline`, or never.
async fn until(deadline: Option<std::time::Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline.into()).await,
        None => std::future::pending().await,
    }
}

/// Turns a connection away when every open one is busy: a 503 in the shape of AWS's errors
/// if the socket takes it at once (an SDK retries it), then the connection is closed.
fn refuse(stream: &tokio::net::TcpStream) {
    const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\n\
        Content-Type: application/xml\r\nContent-Length: 135\r\nConnection: close\r\n\r\n\
        <?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code>\
        <Message>Too many connections are busy; try again.</Message></Error>";
    let _ = stream.try_write(BUSY);
    tracing::debug!("connection refused: every open connection is busy");
}

/// Dates a response by the simulated clock, unless it carries a date of its own (a page an
/// instance's web server sent through the network).
fn date(world: &World, headers: &mut HeaderMap) {
    if headers.contains_key(http::header::DATE) {
        return;
    }
    let now = world.lock().clock.now();
    if let Ok(value) = http::HeaderValue::from_str(&super::clock::http_date(now)) {
        headers.insert(http::header::DATE, value);
    }
}

async fn handle(
    services: Services,
    request: Request<Incoming>,
) -> Result<Response<s3s::Body>, Infallible> {
    if gateway::is_for_network(&request) {
        return Ok(gateway::handle(services.world, request).await);
    }
    let header_bytes: usize = request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    if header_bytes > MAX_HEADER_BYTES {
        let error = AwsError::client(
            "RequestHeaderSectionTooLarge",
            format!(
                "Your request header section exceeds the maximum allowed size of {MAX_HEADER_BYTES} bytes."
            ),
        );
        let request_id = ids::request_id();
        let reply = if is_for_s3(request.method(), request.uri(), request.headers()) {
            Protocol::RestXml.error(&error, &request_id)
        } else {
            let auth = Authorization::parse(request.headers());
            error_reply(&service_of(&auth, request.headers()), &error, &request_id)
        };
        return Ok(to_http(reply));
    }
    // Every body is read with a timeout between reads, and bounded as its protocol bounds it.
    let for_s3 = is_for_s3(request.method(), request.uri(), request.headers());
    if for_s3 && let Some(error) = over_s3_object_size(request.headers()) {
        return Ok(to_http(Protocol::RestXml.error(&error, &ids::request_id())));
    }
    let body_timeout = request
        .extensions()
        .get::<BodyTimeout>()
        .map_or(limits::BODY_TIMEOUT, |timeout| timeout.0);
    let most = if for_s3 {
        MAX_S3_BODY_BYTES
    } else {
        MAX_BODY as u64
    };
    let request = request.map(|body| TimedBody::new(body, body_timeout, most));
    if for_s3 {
        let reads = matches!(*request.method(), Method::GET | Method::HEAD);
        let request = request.map(s3s::Body::from);
        let response = match services.s3.call(request).await {
            Ok(response) => response,
            Err(error) => {
                tracing::warn!(?error, "S3 request failed inside the emulator");
                let error = AwsError::internal("The S3 request could not be handled.");
                return Ok(to_http(Protocol::RestXml.error(&error, &ids::request_id())));
            }
        };
        // S3's handlers queue their changes without waiting: a request that may have made
        // one is answered once everything queued until now is on disk.
        if !reads && let Err(error) = services.world.flushed().durable().await {
            let error = AwsError::internal(error.to_string());
            return Ok(to_http(Protocol::RestXml.error(&error, &ids::request_id())));
        }
        return Ok(response);
    }
    let world = services.world;
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(error) => {
            let error = match timed_body::body_error(&*error) {
                Some(BodyError::Stalled(_)) => AwsError::client(
                    "RequestTimeout",
                    "Your socket connection to the server was not read from or written to within the timeout period.",
                ),
                _ => AwsError::new(
                    413,
                    "RequestEntityTooLarge",
                    "The request body is too large.",
                ),
            };
            let service = service_of(&Authorization::parse(&parts.headers), &parts.headers);
            return Ok(to_http(error_reply(&service, &error, &ids::request_id())));
        }
    };
    // Off the runtime's two threads: a change waits there for its write to reach the disk,
    // and many requests waiting together is what lets one write carry all their changes.
    let peer = parts
        .extensions
        .get::<gateway::Peer>()
        .map(|peer| peer.0.ip());
    let reply = tokio::task::spawn_blocking(move || {
        respond_from(
            &world,
            peer,
            &parts.method,
            &parts.uri,
            &parts.headers,
            &body,
        )
    })
    .await
    .unwrap_or_else(|_| {
        let error = AwsError::internal("The request could not be handled.");
        Protocol::Ec2.error(&error, &ids::request_id())
    });
    Ok(to_http(reply))
}

/// S3's refusal of an upload that declares more bytes than an object may hold, before any of
/// them is read.
fn over_s3_object_size(headers: &HeaderMap) -> Option<AwsError> {
    let declared = |name: &str| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.parse::<u64>().ok())
    };
    // With `aws-chunked`, Content-Length counts the framing; the object is the decoded length.
    let size = declared("x-amz-decoded-content-length")
        .or_else(|| declared(http::header::CONTENT_LENGTH.as_str()))?;
    (size > MAX_OBJECT_BYTES).then(|| {
        AwsError::client(
            "EntityTooLarge",
            "Your proposed upload exceeds the maximum allowed size",
        )
    })
}

/// Whether a request is for S3: signed for it, addressed to it by name, or unsigned and not
/// a form posted to `/` (how every query-protocol call arrives).
fn is_for_s3(method: &Method, uri: &http::Uri, headers: &HeaderMap) -> bool {
    if let Some(authorization) = headers.get(http::header::AUTHORIZATION) {
        return match Authorization::parse(headers) {
            Ok(authorization) => authorization.scope.service == "s3",
            // Signature version 2 (`AWS key:signature`) is S3's alone.
            Err(_) => authorization.as_bytes().starts_with(b"AWS "),
        };
    }
    // A presigned URL carries its scope in the query: `key/date/region/service/aws4_request`.
    let presigned = form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
        .find(|(name, _)| name == "X-Amz-Credential")
        .map(|(_, credential)| credential.split('/').nth(3) == Some("s3"));
    if let Some(for_s3) = presigned {
        return for_s3;
    }
    let host = headers
        .get(http::header::HOST)
        .and_then(|host| host.to_str().ok())
        .unwrap_or_default();
    if super::s3::is_s3_host(host) {
        return true;
    }
    if uri.path().starts_with(admin::PREFIX) {
        return false;
    }
    !(*method == Method::POST && uri.path() == "/")
}

fn to_http(reply: Reply) -> Response<s3s::Body> {
    let mut response = Response::new(s3s::Body::from(Bytes::from(reply.body)));
    *response.status_mut() =
        StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static(reply.content_type),
    );
    for (name, value) in reply.headers {
        if let Ok(value) = http::HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    response
}

/// The service a request is for: from its credential scope, else the Price List API's
/// `X-Amz-Target` (its unsigned requests then get its JSON errors), else its host name.
fn service_of(auth: &Result<Authorization, SigError>, headers: &HeaderMap) -> String {
    if let Ok(auth) = auth {
        return auth.scope.service.clone();
    }
    if json::target(headers, pricing::TARGET_PREFIX).is_some() {
        return "pricing".to_string();
    }
    let host = headers
        .get(http::header::HOST)
        .and_then(|host| host.to_str().ok())
        .unwrap_or_default();
    host.split('.').next().unwrap_or_default().to_string()
}

fn protocol_of(service: &str) -> Protocol {
    match service {
        "iam" => Protocol::AwsQuery {
            namespace: IAM_NAMESPACE,
        },
        "sts" => Protocol::AwsQuery {
            namespace: STS_NAMESPACE,
        },
        "cloudfront" => Protocol::CloudFront,
        _ => Protocol::Ec2,
    }
}

/// An error in the protocol of `service`: JSON for the Price List API, XML for the others.
fn error_reply(service: &str, error: &AwsError, request_id: &str) -> Reply {
    match service {
        "pricing" => json::error(error, request_id),
        other => protocol_of(other).error(error, request_id),
    }
}

/// Handles one request completely, as if it came from this machine.
pub fn respond(
    world: &World,
    method: &Method,
    uri: &http::Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Reply {
    respond_from(world, None, method, uri, headers, body)
}

/// Handles one request from `peer` (`None`: this machine) completely.
pub fn respond_from(
    world: &World,
    peer: Option<std::net::IpAddr>,
    method: &Method,
    uri: &http::Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Reply {
    let request_id = ids::request_id();
    if let Some(route) = uri.path().strip_prefix(admin::PREFIX) {
        let request = admin::Request {
            route,
            peer,
            method,
            uri,
            headers,
            body,
        };
        return admin::respond(world, &request, &request_id);
    }
    // The header is read once: it names the service (and so the protocol of any error) before
    // it is checked.
    let auth = Authorization::parse(headers);
    let service = service_of(&auth, headers);
    if service == "cloudfront" {
        return respond_cloudfront(world, &auth, method, uri, headers, body, &request_id);
    }
    if service == "pricing" {
        return respond_pricing(world, &auth, method, uri, headers, body, &request_id);
    }
    let protocol = protocol_of(&service);
    match authenticate_and_run(world, &service, &auth, method, uri, headers, body) {
        Ok((action, body)) => protocol.success(&action, &request_id, body),
        Err(error) => {
            tracing::debug!(%service, %error, "request refused");
            protocol.error(&error, &request_id)
        }
    }
}

fn authenticate_and_run(
    world: &World,
    service: &str,
    auth: &Result<Authorization, SigError>,
    method: &Method,
    uri: &http::Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(String, Body), AwsError> {
    let params = if *method == Method::GET {
        Params::parse(uri.query().unwrap_or_default().as_bytes())
    } else {
        Params::parse(body)
    };
    let caller = authenticate(world, service, auth, method, uri, headers, body)?;
    // A new RSA key is taken (or made) with nothing locked, not while others wait; and only
    // for a signed request, so that nobody without a key can spend the server's keys or its
    // CPU.
    if let Ok(params) = &params
        && service == "ec2"
        && params.get("Action") == Some("CreateKeyPair")
        && !params
            .get("KeyType")
            .is_some_and(|kind| kind.eq_ignore_ascii_case("ed25519"))
    {
        rsa_pool::prepare(world.keys_ahead.as_ref());
    }
    let params = params?;
    let action = params
        .get("Action")
        .filter(|action| !action.is_empty())
        .ok_or_else(|| {
            AwsError::client(
                "MissingAction",
                "The request must contain the parameter Action",
            )
        })?
        .to_string();
    let region = caller.region.clone();
    if service == "ec2" && catalog::region(&region).is_none() {
        return Err(AwsError::new(
            401,
            "AuthFailure",
            format!("The region '{region}' is not served by this emulator"),
        ));
    }
    let held = world
        .account(&caller.account)
        .ok_or_else(|| AwsError::internal(format!("account {} has no state", caller.account)))?;
    let mut account = held.lock();
    let now = world.now_for(&caller.account);
    let mut cx = Context {
        world,
        account: &mut account,
        caller,
        region,
        now,
        changed: false,
        cut: Vec::new(),
    };
    let body = match service {
        "ec2" => ec2::handle(&mut cx, &action, &params),
        "sts" => sts::handle(&mut cx, &action, &params),
        "iam" => iam::handle(&mut cx, &action, &params),
        other => Err(AwsError::client(
            "UnsupportedService",
            format!("The service '{other}' is not served by the cloudlings emulator."),
        )),
    }?;
    let (changed, cut) = (cx.changed, std::mem::take(&mut cx.cut));
    if changed {
        let id = cx.caller.account.clone();
        world
            .persist(account, &[Part::Account(&id)])
            .map_err(|error| AwsError::internal(error.to_string()))?;
    }
    for instance in &cut {
        world.net.cut(instance);
    }
    Ok((action, body))
}

/// The Price List API's `awsJson1_1` calls: the operation is the `X-Amz-Target`, the input and
/// the answer JSON. Prices are the same for every account and region, so the state is only
/// read to check who signed.
fn respond_pricing(
    world: &World,
    auth: &Result<Authorization, SigError>,
    method: &Method,
    uri: &http::Uri,
    headers: &HeaderMap,
    body: &[u8],
    request_id: &str,
) -> Reply {
    let run = || -> Result<pricing::Answer, AwsError> {
        authenticate(world, "pricing", auth, method, uri, headers, body)?;
        let action = json::target(headers, pricing::TARGET_PREFIX)
            .filter(|_| *method == Method::POST)
            .ok_or_else(|| match headers.get("x-amz-target") {
                Some(target) => {
                    pricing::unknown_operation(&String::from_utf8_lossy(target.as_bytes()))
                }
                None => AwsError::client(
                    "UnknownOperationException",
                    "The request names no operation: a POST with an X-Amz-Target header does.",
                ),
            })?;
        pricing::handle(action, body)
    };
    match run() {
        Ok(answer) => json::success(&answer, request_id),
        Err(error) => {
            tracing::debug!(%error, "Price List request refused");
            json::error(&error, request_id)
        }
    }
}

/// CloudFront's REST-XML calls: the route is the path, the answer a document with an ETag.
fn respond_cloudfront(
    world: &World,
    auth: &Result<Authorization, SigError>,
    method: &Method,
    uri: &http::Uri,
    headers: &HeaderMap,
    body: &[u8],
    request_id: &str,
) -> Reply {
    let run = || -> Result<cloudfront::Answer, AwsError> {
        let caller = authenticate(world, "cloudfront", auth, method, uri, headers, body)?;
        let held = world.account(&caller.account).ok_or_else(|| {
            AwsError::internal(format!("account {} has no state", caller.account))
        })?;
        let mut account = held.lock();
        let now = world.now_for(&caller.account);
        let region = caller.region.clone();
        let mut cx = Context {
            world,
            account: &mut account,
            caller,
            region,
            now,
            changed: false,
            cut: Vec::new(),
        };
        let call = cloudfront::Call {
            method,
            path: uri.path(),
            query: uri.query().unwrap_or_default(),
            if_match: headers
                .get(http::header::IF_MATCH)
                .and_then(|v| v.to_str().ok()),
            body,
        };
        let answer = cloudfront::handle(&mut cx, &call)?;
        let id = cx.caller.account.clone();
        if cx.changed {
            world
                .persist(account, &[Part::Account(&id)])
                .map_err(|error| AwsError::internal(error.to_string()))?;
        }
        Ok(answer)
    };
    match run() {
        Ok(answer) => {
            let mut reply = match &answer.document {
                Some(document) => Protocol::CloudFront.success("", request_id, |x| {
                    x.element_with(&document.name, &[("xmlns", CLOUDFRONT_NAMESPACE)], |x| {
                        document.write_children(x)
                    });
                }),
                None => Reply {
                    status: 0,
                    body: String::new(),
                    content_type: XML,
                    headers: Vec::new(),
                },
            };
            reply.status = answer.status;
            reply
                .headers
                .push(("x-amz-request-id", request_id.to_string()));
            if let Some(etag) = answer.etag {
                reply.headers.push(("etag", etag));
            }
            if let Some(location) = answer.location {
                reply.headers.push(("location", location));
            }
            reply
        }
        Err(error) => {
            tracing::debug!(%error, "CloudFront request refused");
            Protocol::CloudFront.error(&error, request_id)
        }
    }
}
