//! Emulator probes: what only a teaching cloud can tell, read from the emulator's own routes
//! (`/_cloudlings/…`, signed with the learner's key like any AWS call): the account's bill,
//! and the SSH logins and commands seen on its instances.

use std::net::TcpStream;
use std::time::Duration;

use serde_json::Value;
use sha2::Digest;

use super::{Context, ProbeError};
use crate::http_client::Response;
use crate::strerror::strerror;
use crate::target::{Endpoint, Target};
use cloudlings_emulator::admin::PREFIX;
use cloudlings_emulator::sigv4::{self, Scope};

/// What an emulator probe reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// This month's bill: `Lines[].{Usage, InstanceType, Hours, GBMonths, Cost}`,
    /// `TotalCents`, …
    Bill,
    /// `Events[]`: `Type` (`login`, `command`), `InstanceId`, `User`, `Source`, `Command`,
    /// `ExitStatus`, `Time`.
    Events,
}

impl Route {
    pub fn parse(name: &str) -> Option<Route> {
        match name.trim() {
            "bill" => Some(Route::Bill),
            "events" => Some(Route::Events),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Route::Bill => "bill",
            Route::Events => "events",
        }
    }
}

pub fn observe(route: Route, context: &Context) -> Result<Value, ProbeError> {
    let target = context.target.as_ref().ok_or(ProbeError::NoTarget)?;
    let unreachable = |error: String| ProbeError::Unreachable {
        target: target.describe(),
        error,
    };
    let endpoint = match target {
        Target::Emulator(endpoint) | Target::Endpoint(endpoint) => endpoint,
        // Lessons skip these checks on AWS (`Check::runs_on`); a probe asked anyway says why.
        Target::Aws(_) => {
            return Err(unreachable(format!(
                "only the emulator keeps a {}",
                route.name()
            )));
        }
    };
    let answer = ask(endpoint, route).map_err(unreachable)?;
    let status = answer.status;
    let body: Value = serde_json::from_slice(&answer.body).unwrap_or(Value::Null);
    match status {
        200 => Ok(body),
        // Another AWS-compatible endpoint has no such route: it is not an emulator.
        _ => Err(unreachable(match body["Error"]["Message"].as_str() {
            Some(message) => format!("{} ({status})", message),
            None => format!("it has no {} to read ({status})", route.name()),
        })),
    }
}

/// A signed `GET /_cloudlings/<route>`; what went wrong, in words, if it could not be read.
fn ask(endpoint: &Endpoint, route: Route) -> Result<Response, String> {
    let authority = endpoint
        .url
        .strip_prefix("http://")
        .map(|rest| rest.trim_end_matches('/'))
        .ok_or_else(|| "only an http:// endpoint is an emulator".to_string())?;
    let mut stream = TcpStream::connect(authority).map_err(|error| strerror(&error))?;
    stream
        .set_write_timeout(Some(Duration::from_secs(10)))
        .map_err(|error| strerror(&error))?;
    let path = format!("{PREFIX}{}", route.name());
    let now = time::OffsetDateTime::now_utc();
    let amz_date = now
        .format(time::macros::format_description!(
            "[year][month][day]T[hour][minute][second]Z"
        ))
        .map_err(|error| error.to_string())?;
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
        method: "GET",
        path: &path,
        query: "",
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
    super::http::get(
        &mut stream,
        authority,
        &path,
        &[
            ("X-Amz-Date", amz_date.clone()),
            ("X-Amz-Content-Sha256", payload),
            ("Authorization", authorization),
        ],
        super::http::deadline(),
    )
}
