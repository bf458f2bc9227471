//! The CloudFront edge: a loopback HTTP server that serves every deployed, enabled
//! distribution, fetching from its S3 origin as CloudFront would and caching what it fetched.
//!
//! A distribution is reached by name, `http://d111111abcdef8.cloudfront.localhost:PORT/cat.png`
//! (browsers and curl send `*.localhost` to loopback), or by path for clients that cannot,
//! `http://127.0.0.1:PORT/d111111abcdef8.cloudfront.net/cat.png`. The origin request is signed
//! as CloudFront when the origin has an Origin Access Control, anonymous otherwise, and the
//! bucket policy and Block Public Access decide it exactly as they decide any S3 request.
//! Cached copies live for the cache behaviour's TTLs on the simulated clock; an invalidation
//! or a configuration change retires them.

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http::{HeaderValue, Method, Request, Response, StatusCode};
use http_body_util::Full;
use hyper::body::Incoming;
use time::OffsetDateTime;
use tokio::net::TcpListener;

use super::clock::http_date;
use super::cloudfront::distributions::DEPLOYMENT;
use super::cloudfront::{Distribution, config};
use super::console::{self, Console};
use super::http::Limits;
use super::ids;
use super::s3::access::{Requester, authorize};
use super::s3::blobs::Blobs;
use super::s3::object::Object;
use super::state::World;

/// Names under which distributions answer: `<domain label>.cloudfront.localhost`.
pub const DOMAIN: &str = "cloudfront.localhost";
/// Larger objects are served but not kept in memory.
const CACHEABLE: u64 = 8 * 1024 * 1024;
/// More cached copies than this and the cache starts over (a teaching edge, not a CDN).
const MAX_ENTRIES: usize = 4096;
/// The edge location the headers name: Seoul.
const POP: &str = "ICN57-P1";

/// What the edge serves from: the state and object bytes, and its cache.
#[derive(Debug)]
pub struct Edge {
    world: Arc<World>,
    blobs: Arc<Blobs>,
    cache: Mutex<HashMap<(String, String), Cached>>,
    /// The console, which answers at `console.localhost` on the edge's port.
    console: Arc<Console>,
}

/// A response kept at the edge.
#[derive(Debug, Clone)]
struct Cached {
    body: Bytes,
    content_type: String,
    etag: String,
    last_modified: OffsetDateTime,
    stored: OffsetDateTime,
    ttl: u64,
    /// The distribution's configuration it was fetched under; a change retires it.
    config_etag: String,
}

/// What a request resolved to while the state was locked.
enum Resolved {
    Hit(Cached, u64),
    Fetch {
        object: Box<Object>,
        key: (String, String),
        ttl: u64,
        config_etag: String,
        /// Now in the distribution's account, whose time its cache keeps.
        now: OffsetDateTime,
    },
    Refused(StatusCode, &'static str, &'static str),
}

impl Edge {
    pub fn new(world: Arc<World>, blobs: Arc<Blobs>) -> Edge {
        Edge {
            console: Arc::new(Console::new(world.clone(), blobs.clone())),
            world,
            blobs,
            cache: Mutex::new(HashMap::new()),
        }
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, HashMap<(String, String), Cached>> {
        self.cache
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Serves the edge until `shutdown` completes, with the limits that suit this process.
pub async fn serve(listener: TcpListener, edge: Arc<Edge>, shutdown: impl Future<Output = ()>) {
    serve_with(listener, edge, Limits::for_this_process(), shutdown).await;
}

/// [`serve`] with the given timeouts and caps.
pub async fn serve_with(
    listener: TcpListener,
    edge: Arc<Edge>,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    let world = edge.world.clone();
    super::http::accept(listener, world, limits, shutdown, move |request| {
        let edge = edge.clone();
        async move {
            let host = request
                .headers()
                .get(http::header::HOST)
                .and_then(|host| host.to_str().ok())
                .unwrap_or_default();
            if console::is_console_host(host) {
                return Ok::<_, Infallible>(console::serve(edge.console.clone(), request).await);
            }
            Ok::<_, Infallible>(handle(&edge, &request).await)
        }
    })
    .await;
}

async fn handle(edge: &Edge, request: &Request<Incoming>) -> Response<Full<Bytes>> {
    let head = request.method() == Method::HEAD;
    if request.method() != Method::GET && !head {
        return refused(
            StatusCode::FORBIDDEN,
            "MethodNotAllowed",
            "This distribution is not configured to allow the HTTP request method that was used for this request.",
        );
    }
    let host = request
        .headers()
        .get(http::header::HOST)
        .and_then(|host| host.to_str().ok())
        .unwrap_or_default();
    let Some((name, path)) = target(host, request.uri().path()) else {
        return refused(
            StatusCode::NOT_FOUND,
            "NoSuchDistribution",
            "No distribution answers at this address. Open http://<domain name>.cloudfront.localhost:PORT/ with a distribution's domain name.",
        );
    };
    let resolved = resolve(edge, &name, &path);
    let (cached, outcome, age) = match resolved {
        Resolved::Refused(status, code, message) => return refused(status, code, message),
        Resolved::Hit(cached, age) => (cached, "Hit from cloudfront", Some(age)),
        Resolved::Fetch {
            object,
            key,
            ttl,
            config_etag,
            now,
        } => {
            let body = match read(&edge.blobs, &object).await {
                Ok(body) => body,
                Err(error) => {
                    tracing::warn!(%error, "edge could not read an object");
                    return refused(
                        StatusCode::BAD_GATEWAY,
                        "OriginError",
                        "The origin could not be read.",
                    );
                }
            };
            let cached = Cached {
                body,
                content_type: object
                    .headers
                    .content_type
                    .clone()
                    .unwrap_or_else(|| "binary/octet-stream".into()),
                etag: object.etag.clone(),
                last_modified: object.last_modified,
                stored: now,
                ttl,
                config_etag,
            };
            if ttl > 0 && object.size <= CACHEABLE {
                let mut cache = edge.cache();
                if cache.len() >= MAX_ENTRIES {
                    cache.clear();
                }
                cache.insert(key, cached.clone());
            }
            (cached, "Miss from cloudfront", None)
        }
    };
    let mut response = Response::new(Full::new(if head {
        Bytes::new()
    } else {
        cached.body.clone()
    }));
    let headers = response.headers_mut();
    let mut set = |name: &'static str, value: String| {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    };
    set("content-type", cached.content_type.clone());
    set("content-length", cached.body.len().to_string());
    set("etag", format!("\"{}\"", cached.etag));
    set("last-modified", http_date(cached.last_modified));
    set("x-cache", outcome.to_string());
    if let Some(age) = age {
        set("age", age.to_string());
    }
    decorate(&mut set);
    response
}

/// The distribution name and the object path of a request, from its host or its path.
fn target(host: &str, path: &str) -> Option<(String, String)> {
    let name = host.rsplit_once(':').map_or(host, |(name, _port)| name);
    if let Some(label) = name
        .strip_suffix(DOMAIN)
        .and_then(|rest| rest.strip_suffix('.'))
    {
        return Some((label.to_ascii_lowercase(), path.to_string()));
    }
    // The real name, as a request through the emulated network carries it.
    if let Some(label) = name.to_ascii_lowercase().strip_suffix(".cloudfront.net") {
        return Some((label.to_string(), path.to_string()));
    }
    let rest = path.strip_prefix('/')?;
    let (first, remainder) = rest.split_once('/').unwrap_or((rest, ""));
    let label = first.strip_suffix(".cloudfront.net")?;
    Some((label.to_ascii_lowercase(), format!("/{remainder}")))
}

/// A distribution found by its name, with what the edge needs of its account.
struct Found {
    account: String,
    distribution: Distribution,
    /// Whether each of the account's origin access controls signs requests, by id.
    signing: HashMap<String, bool>,
}

/// Finds the distribution, looking into one account at a time, and decides the request with
/// the buckets locked.
fn resolve(edge: &Edge, name: &str, path: &str) -> Resolved {
    let found = edge.world.find_in_accounts(|account| {
        let distribution = account
            .cloudfront
            .distributions
            .values()
            .find(|distribution| {
                distribution.domain_name.strip_suffix(".cloudfront.net") == Some(name)
                    || distribution.id.eq_ignore_ascii_case(name)
            })?;
        Some(Found {
            account: account.id.clone(),
            distribution: distribution.clone(),
            signing: account
                .cloudfront
                .access_controls
                .iter()
                .map(|(id, control)| (id.clone(), control.signs()))
                .collect(),
        })
    });
    let Some(Found {
        account,
        distribution,
        signing,
    }) = found
    else {
        return Resolved::Refused(
            StatusCode::NOT_FOUND,
            "NoSuchDistribution",
            "The distribution does not exist.",
        );
    };
    let distribution = &distribution;
    let state = edge.world.lock();
    // The distribution deploys and its cache ages in its account's time.
    let now = state.clock.now_for(&account);
    // A disabled distribution, or one whose creation has not reached the edge, serves nothing.
    if !config::enabled(&distribution.config) || !served(distribution, now) {
        return Resolved::Refused(
            StatusCode::FORBIDDEN,
            "DistributionNotServing",
            "The distribution is disabled or not yet deployed.",
        );
    }
    let path = match (path, distribution.config.text_at(&["DefaultRootObject"])) {
        ("/" | "", Some(root)) if !root.is_empty() => format!("/{root}"),
        _ => path.to_string(),
    };
    let key = (distribution.id.clone(), path.clone());
    if let Some(cached) = edge.cache().get(&key)
        && let Some(age) = fresh(cached, distribution, &path, now)
    {
        return Resolved::Hit(cached.clone(), age);
    }
    let Some(behavior) = config::behavior_for(&distribution.config, &path) else {
        return Resolved::Refused(
            StatusCode::BAD_GATEWAY,
            "OriginError",
            "The distribution has no cache behaviour.",
        );
    };
    let origin = config::origin_of(&distribution.config, behavior);
    let Some(bucket_name) = origin.as_ref().and_then(|origin| origin.bucket()) else {
        return Resolved::Refused(
            StatusCode::BAD_GATEWAY,
            "OriginError",
            "This edge serves S3 origins only.",
        );
    };
    let Some(bucket) = state.s3.buckets.get(bucket_name) else {
        return Resolved::Refused(
            StatusCode::NOT_FOUND,
            "NoSuchBucket",
            "The specified bucket does not exist",
        );
    };
    let signs = origin
        .as_ref()
        .and_then(|origin| origin.access_control.as_ref())
        .and_then(|id| signing.get(id))
        .is_some_and(|signs| *signs);
    let who = if signs {
        Requester::Service {
            name: "cloudfront.amazonaws.com".into(),
            source_arn: distribution.arn(&account),
            source_account: account.clone(),
        }
    } else {
        Requester::Anonymous
    };
    let key_name = percent_encoding::percent_decode_str(path.trim_start_matches('/'))
        .decode_utf8_lossy()
        .into_owned();
    let decision = match bucket.objects.get(&key_name) {
        Some(object) => {
            authorize(bucket, &who, "s3:GetObject", Some(&key_name)).map(|()| object.clone())
        }
        None => authorize(bucket, &who, "s3:ListBucket", None)
            .and_then(|()| Err(s3s::s3_error!(NoSuchKey))),
    };
    match decision {
        Ok(object) => {
            let max_age = object.headers.cache_control.as_deref().and_then(max_age);
            Resolved::Fetch {
                object: Box::new(object),
                key,
                ttl: config::ttls(behavior).for_response(max_age),
                config_etag: distribution.etag.clone(),
                now,
            }
        }
        Err(error) if error.code().as_str() == "NoSuchKey" => Resolved::Refused(
            StatusCode::NOT_FOUND,
            "NoSuchKey",
            "The specified key does not exist.",
        ),
        Err(_) => Resolved::Refused(StatusCode::FORBIDDEN, "AccessDenied", "Access Denied"),
    }
}

/// Whether the distribution's creation has reached the edge. Later changes apply at once
/// (on AWS the previous configuration serves until they deploy).
fn served(distribution: &Distribution, now: OffsetDateTime) -> bool {
    now >= distribution.created + DEPLOYMENT
}

/// The age of a cached copy still good to serve, or `None` when it must be fetched again.
fn fresh(
    cached: &Cached,
    distribution: &Distribution,
    path: &str,
    now: OffsetDateTime,
) -> Option<u64> {
    if cached.config_etag != distribution.etag {
        return None;
    }
    let age = (now - cached.stored).whole_seconds().max(0) as u64;
    if age >= cached.ttl {
        return None;
    }
    let invalidated = distribution
        .invalidations
        .values()
        .any(|invalidation| invalidation.created >= cached.stored && invalidation.covers(path));
    (!invalidated).then_some(age)
}

async fn read(blobs: &Blobs, object: &Object) -> std::io::Result<Bytes> {
    use futures_util::StreamExt;
    let mut stream = std::pin::pin!(blobs.read(&object.blob, 0..object.size).await?);
    let mut body = Vec::with_capacity(object.size.min(CACHEABLE) as usize);
    while let Some(chunk) = stream.next().await {
        body.extend_from_slice(&chunk?);
    }
    Ok(Bytes::from(body))
}

/// `max-age=N` (or `s-maxage=N`, which wins for shared caches) of a Cache-Control header.
fn max_age(cache_control: &str) -> Option<u64> {
    let directives: Vec<(&str, &str)> = cache_control
        .split(',')
        .filter_map(|directive| directive.trim().split_once('='))
        .collect();
    let find = |name: &str| {
        directives
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .and_then(|(_, value)| value.trim().parse().ok())
    };
    find("s-maxage").or_else(|| find("max-age"))
}

/// The error document S3 (through CloudFront) answers with.
fn refused(status: StatusCode, code: &str, message: &str) -> Response<Full<Bytes>> {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message><RequestId>{}</RequestId></Error>",
        ids::request_id()
    );
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    let mut set = |name: &'static str, value: String| {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    };
    set("content-type", "application/xml".into());
    set("x-cache", "Error from cloudfront".into());
    decorate(&mut set);
    response
}

/// The headers every CloudFront response carries.
fn decorate(set: &mut impl FnMut(&'static str, String)) {
    let id: [u8; 8] = rand::random();
    set(
        "via",
        format!("1.1 {}.cloudfront.net (CloudFront)", hex::encode(id)),
    );
    set("x-amz-cf-pop", POP.into());
    set("x-amz-cf-id", cf_id());
    set("server", "AmazonS3".into());
}

/// A request id as CloudFront shows it: 56 URL-safe base64 characters.
fn cf_id() -> String {
    use base64::Engine as _;
    let bytes: [u8; 42] = rand::random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_name_their_distribution_by_host_or_by_path() {
        assert_eq!(
            target("d111111abcdef8.cloudfront.net", "/img/cat.png"),
            Some(("d111111abcdef8".into(), "/img/cat.png".into()))
        );
        assert_eq!(
            target("d111111abcdef8.cloudfront.localhost:8081", "/img/cat.png"),
            Some(("d111111abcdef8".into(), "/img/cat.png".into()))
        );
        assert_eq!(
            target(
                "127.0.0.1:8081",
                "/d111111abcdef8.cloudfront.net/img/cat.png"
            ),
            Some(("d111111abcdef8".into(), "/img/cat.png".into()))
        );
        assert_eq!(target("127.0.0.1:8081", "/img/cat.png"), None);
    }

    #[test]
    fn cache_control_sets_the_age_cloudfront_keeps() {
        assert_eq!(max_age("public, max-age=60"), Some(60));
        assert_eq!(max_age("max-age=60, s-maxage=600"), Some(600));
        assert_eq!(max_age("no-store"), None);
        assert_eq!(
            http_date(time::macros::datetime!(2026-12-01 10:00 UTC)),
            "Tue, 01 Dec 2026 10:00:00 GMT"
        );
    }
}
