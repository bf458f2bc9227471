//! A cloudlings server met at an endpoint (`cloudlings serve`, a classroom): an AWS-compatible
//! endpoint that also answers the emulator's own routes (`/_cloudlings/…`, SigV4-signed with
//! the learner's key like any AWS call). A shell on `--target endpoint` that meets one gets
//! what the embedded emulator gives: its account's own `clock` and `bill`, and a network that
//! reaches instances and the edge through the server's gateway.

use std::net::{Ipv4Addr, SocketAddr, TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use serde_json::Value;
use sha2::Digest;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::http_client::{self, Response};
use crate::strerror::strerror;
use crate::target::Endpoint;
use cloudlings_emulator::admin::PREFIX;
use cloudlings_emulator::billing::Bill;
use cloudlings_emulator::sigv4::{self, Scope};
use cloudlings_emulator::state::FreePlan;

/// How long a call to the server may take.
const PATIENCE: Duration = Duration::from_secs(10);

/// The largest answer read from a route (a bill, the events of a busy account).
const MAX_ANSWER: usize = 4 * 1024 * 1024;

/// A cloudlings server, and the learner's place in it.
#[derive(Debug, Clone)]
pub struct Server {
    endpoint: Endpoint,
    /// Where its endpoint listens: the gateway to its network.
    pub address: SocketAddr,
    /// The learner's account there.
    pub account: String,
    /// The address the learner's connections come from on its network: "My IP".
    pub source: Ipv4Addr,
    /// How long it holds a connection a security group dropped before saying so.
    pub drop_timeout: Duration,
    /// The account's free offer.
    pub plan: FreePlan,
}

/// The account's simulated time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    pub now: OffsetDateTime,
    /// How far ahead of the wall clock it runs.
    pub ahead: time::Duration,
}

impl Server {
    /// The server at `endpoint`, if it is one: an endpoint that is only AWS-compatible (or
    /// not there) has no `/_cloudlings/session` to answer.
    pub fn meet(endpoint: &Endpoint) -> Option<Server> {
        let (status, session) = call(endpoint, "GET", "session", "").ok()?;
        if status != 200 {
            return None;
        }
        Some(Server {
            endpoint: endpoint.clone(),
            address: address_of(endpoint).ok()?,
            account: session["Account"].as_str()?.to_string(),
            source: session["SourceIp"].as_str()?.parse().ok()?,
            drop_timeout: Duration::from_millis(session["DropTimeoutMs"].as_u64()?),
            plan: serde_json::from_value(session["Plan"].clone()).ok()?,
        })
    }

    /// The account's time now.
    pub fn clock(&self) -> Result<Reading, String> {
        reading(&self.ask("GET", "clock", "")?)
    }

    /// Moves the account's time forward by `by` (`2h`), and nobody else's.
    pub fn advance(&self, by: &str) -> Result<Reading, String> {
        let query = form_urlencoded::Serializer::new(String::new())
            .append_pair("advance", by)
            .finish();
        reading(&self.ask("POST", "clock", &query)?)
    }

    /// The account's bill this month.
    pub fn bill(&self) -> Result<Bill, String> {
        let answer = self.ask("GET", "bill", "")?;
        cloudlings_emulator::admin::bill_from_json(&answer)
            .ok_or_else(|| "the server's bill could not be read".to_string())
    }

    /// A route's answer, or the server's reason for refusing.
    fn ask(&self, method: &str, route: &str, query: &str) -> Result<Value, String> {
        match call(&self.endpoint, method, route, query)? {
            (200, answer) => Ok(answer),
            (status, answer) => Err(match answer["Error"]["Message"].as_str() {
                Some(message) => format!("{message} ({status})"),
                None => format!("the server answered {status}"),
            }),
        }
    }
}

fn reading(answer: &Value) -> Result<Reading, String> {
    let unreadable = || "the server's clock could not be read".to_string();
    let now = answer["now"].as_str().ok_or_else(unreadable)?;
    Ok(Reading {
        now: OffsetDateTime::parse(now, &Rfc3339).map_err(|_| unreadable())?,
        ahead: time::Duration::seconds(answer["offset_seconds"].as_i64().ok_or_else(unreadable)?),
    })
}

/// `host:port` of an `http://` endpoint.
fn authority(endpoint: &Endpoint) -> Result<&str, String> {
    endpoint
        .url
        .strip_prefix("http://")
        .map(|rest| rest.trim_end_matches('/'))
        .filter(|rest| !rest.is_empty() && !rest.contains('/'))
        .ok_or_else(|| "only an http:// endpoint is a cloudlings server".to_string())
}

fn address_of(endpoint: &Endpoint) -> Result<SocketAddr, String> {
    authority(endpoint)?
        .to_socket_addrs()
        .map_err(|error| strerror(&error))?
        .next()
        .ok_or_else(|| "the endpoint's name has no address".to_string())
}

/// A signed request to `/_cloudlings/<route>?<query>`: its status and JSON answer (`null`
/// when the answer is not JSON), or what went wrong in words.
pub fn call(
    endpoint: &Endpoint,
    method: &str,
    route: &str,
    query: &str,
) -> Result<(u16, Value), String> {
    let authority = authority(endpoint)?;
    let address = address_of(endpoint)?;
    let mut stream =
        TcpStream::connect_timeout(&address, PATIENCE).map_err(|error| strerror(&error))?;
    stream
        .set_write_timeout(Some(PATIENCE))
        .map_err(|error| strerror(&error))?;
    let path = format!("{PREFIX}{route}");
    let amz_date = sigv4::amz_date(OffsetDateTime::now_utc());
    let payload = hex::encode(sha2::Sha256::digest(b""));
    let mut headers = http::HeaderMap::new();
    for (name, value) in [
        ("host", authority),
        ("x-amz-date", amz_date.as_str()),
        ("x-amz-content-sha256", payload.as_str()),
    ] {
        headers.insert(
            name,
            value
                .parse()
                .map_err(|_| "a header cannot be sent".to_string())?,
        );
    }
    let request = sigv4::Request {
        method,
        path: &path,
        query,
        headers: &headers,
        body: b"",
    };
    let scope = Scope {
        access_key: endpoint.access_key.clone(),
        date: amz_date[..8].to_string(),
        region: endpoint.region.clone(),
        service: "cloudlings".into(),
    };
    let authorization = sigv4::sign(
        &request,
        &scope,
        &["host", "x-amz-content-sha256", "x-amz-date"],
        &endpoint.secret,
    );
    let target = if query.is_empty() {
        path.clone()
    } else {
        format!("{path}?{query}")
    };
    let extra = [
        format!("X-Amz-Date: {amz_date}"),
        format!("X-Amz-Content-Sha256: {payload}"),
        format!("Authorization: {authorization}"),
        "User-Agent: cloudlings".to_string(),
        "Connection: close".to_string(),
    ];
    let lines = http_client::request_lines(method, &target, authority, &extra, None);
    let start = Instant::now();
    let answer: Response = http_client::exchange(
        &mut stream,
        &lines,
        None,
        false,
        start + PATIENCE,
        MAX_ANSWER,
    )
    .map_err(|failure| failure.message(start.elapsed()))?;
    let body = serde_json::from_slice(&answer.body).unwrap_or(Value::Null);
    Ok((answer.status, body))
}
