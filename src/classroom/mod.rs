//! `cloudlings classroom`: one process that serves a room. It runs the emulator for everyone
//! and, beside it, the class's own address, where a learner joins with the class code and
//! their name and gets an account of their own: no keys to copy by hand.
//!
//! - `POST /api/join` with `{"code", "name", "lang"}` answers the learner's account, keys and
//!   the emulator's endpoint as this learner reaches it; `cloudlings join ADDRESS CODE` asks
//!   it, then runs the shell there ([`join`]).
//!
//! Joins are checked against the code in constant time, and a wrong code costs its address
//! one of a few tries a second: once they are spent, every join from there waits, a right
//! code included, so a code cannot be found by trying. A whole room behind one address (a
//! school's NAT) joins at once, as long as it types the right code. Joins are refused once the
//! room is full. The roster is kept in [`roster`].

pub mod join;
pub mod roster;

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use bytes::Bytes;
use http::{Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use serde_json::{Value, json};

use cloudlings_emulator::World;
use cloudlings_emulator::quotas::Rates;
use cloudlings_emulator::store::Part;
use roster::Roster;

/// The largest join request read: a name and a code.
const MAX_JOIN: usize = 4 * 1024;
/// The longest name a learner may give, in characters.
const MAX_NAME: usize = 40;
/// Wrong codes a second from one address (and bursts of as many).
const GUESSES_PER_SECOND: u32 = 2;

/// What the class's address needs.
#[derive(Debug)]
pub struct Class {
    pub world: Arc<World>,
    pub roster: Roster,
    /// The emulator's port, which learners reach on the host they reached the class on.
    pub endpoint_port: u16,
    /// The most learners the room takes.
    pub room: usize,
    /// Wrong codes, by address.
    guesses: Rates,
}

impl Class {
    pub fn new(world: Arc<World>, roster: Roster, endpoint_port: u16, room: usize) -> Class {
        Class {
            world,
            roster,
            endpoint_port,
            room,
            guesses: Rates::default(),
        }
    }
}

/// Serves the class's address on `listener` until the process ends, with the emulator's
/// connection limits and deadlines.
pub async fn serve(listener: tokio::net::TcpListener, class: Arc<Class>) {
    let world = class.world.clone();
    let limits = cloudlings_emulator::http::Limits::for_this_process();
    cloudlings_emulator::http::accept(
        listener,
        world,
        limits,
        std::future::pending(),
        move |request| {
            let class = class.clone();
            async move { Ok::<_, Infallible>(respond(class, request).await) }
        },
    )
    .await;
}

async fn respond(class: Arc<Class>, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let peer = request
        .extensions()
        .get::<cloudlings_emulator::gateway::Peer>()
        .map(|peer| peer.0);
    match (request.method(), request.uri().path()) {
        (&Method::POST, "/api/join") => {
            let host = request
                .headers()
                .get(http::header::HOST)
                .and_then(|host| host.to_str().ok())
                .map(str::to_string);
            let body = match Limited::new(request.into_body(), MAX_JOIN).collect().await {
                Ok(body) => body.to_bytes(),
                Err(_) => {
                    return refuse(StatusCode::PAYLOAD_TOO_LARGE, "The request is too large.");
                }
            };
            // The roster's write waits for the disk: off the runtime's threads.
            tokio::task::spawn_blocking(move || join_class(&class, peer, host.as_deref(), &body))
                .await
                .unwrap_or_else(|_| refuse(StatusCode::INTERNAL_SERVER_ERROR, "The join failed."))
        }
        _ => refuse(StatusCode::NOT_FOUND, "There is nothing at this address."),
    }
}

/// Adds a learner: checks the code, the rate of joins from `peer` and the room's size, then
/// makes the account and keeps the learner.
fn join_class(
    class: &Class,
    peer: Option<SocketAddr>,
    host: Option<&str>,
    body: &[u8],
) -> Response<Full<Bytes>> {
    let from = peer.map_or_else(|| "unknown".to_string(), |peer| peer.ip().to_string());
    if !class.guesses.has_room(&from, GUESSES_PER_SECOND) {
        return refuse(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many wrong codes from this address: wait a moment and try again.",
        );
    }
    let Ok(asked) = serde_json::from_slice::<Value>(body) else {
        return refuse(StatusCode::BAD_REQUEST, "The request is not JSON.");
    };
    if !class
        .roster
        .admits(asked["code"].as_str().unwrap_or_default())
    {
        class.guesses.admit(&from, GUESSES_PER_SECOND);
        return refuse(
            StatusCode::FORBIDDEN,
            "That is not this class's code: check it on the projector.",
        );
    }
    let name = match learner_name(asked["name"].as_str().unwrap_or_default()) {
        Ok(name) => name,
        Err(reason) => return refuse(StatusCode::BAD_REQUEST, reason),
    };
    let lang = match asked["lang"].as_str() {
        Some("ko") => "ko",
        _ => "en",
    };
    match class.roster.size() {
        Ok(size) if size >= class.room => {
            return refuse(
                StatusCode::CONFLICT,
                "The room is full: ask your teacher to make room.",
            );
        }
        Ok(_) => {}
        Err(error) => {
            tracing::error!("cannot read the class: {error:#}");
            return refuse(
                StatusCode::INTERNAL_SERVER_ERROR,
                "The class cannot be read.",
            );
        }
    }
    let keys = class.world.add_account();
    // Only the new account and its key are written: the room's other accounts go on.
    let saved = match class.world.account(&keys.account) {
        Some(held) => class
            .world
            .persist(held.lock(), &[Part::Account(&keys.account)])
            .map_err(|error| error.to_string()),
        None => Err("the new account is not there".to_string()),
    };
    if let Err(error) = saved {
        tracing::error!("cannot save the new account: {error}");
        return refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            "The account could not be saved.",
        );
    }
    let learner = match class.roster.join(&name, lang, &keys.account) {
        Ok(learner) => learner,
        Err(error) => {
            tracing::error!("cannot keep the learner: {error:#}");
            return refuse(
                StatusCode::INTERNAL_SERVER_ERROR,
                "The join could not be saved.",
            );
        }
    };
    tracing::info!(learner = learner.id, name = %learner.name, "joined");
    answer(
        StatusCode::OK,
        &json!({
            "Learner": learner.id,
            "Name": learner.name,
            "Account": keys.account,
            "AccessKeyId": keys.access_key,
            "SecretAccessKey": keys.secret,
            "Region": cloudlings_core::catalog::DEFAULT_REGION,
            "Endpoint": endpoint_url(host, peer, class.endpoint_port),
        }),
    )
}

/// A learner's name as the class shows it: trimmed, not empty, short, and plain text.
fn learner_name(typed: &str) -> Result<String, &'static str> {
    let name = typed.trim();
    if name.is_empty() {
        return Err("Give your name, as the class should see it.");
    }
    if name.chars().count() > MAX_NAME {
        return Err("That name is too long: 40 characters at most.");
    }
    if name.chars().any(char::is_control) {
        return Err("A name is plain text, without control characters.");
    }
    Ok(name.to_string())
}

/// The emulator's endpoint as the learner reaches it: the host they reached the class on,
/// with the emulator's port.
fn endpoint_url(host: Option<&str>, peer: Option<SocketAddr>, port: u16) -> String {
    let name = host
        .map(|host| match host.strip_prefix('[') {
            // `[::1]:8080`: the address is what the brackets hold.
            Some(rest) => format!("[{}]", rest.split(']').next().unwrap_or_default()),
            None => host.split(':').next().unwrap_or_default().to_string(),
        })
        .filter(|name| !name.is_empty() && name != "[]")
        .unwrap_or_else(|| match peer.map(|peer| peer.ip()) {
            Some(IpAddr::V6(_)) => "[::1]".to_string(),
            _ => "127.0.0.1".to_string(),
        });
    format!("http://{name}:{port}")
}

fn answer(status: StatusCode, body: &Value) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() = status;
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    response.headers_mut().insert(
        http::header::CACHE_CONTROL,
        http::HeaderValue::from_static("no-store"),
    );
    response
}

fn refuse(status: StatusCode, message: &str) -> Response<Full<Bytes>> {
    answer(status, &json!({ "Error": message }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_plain_short_text() {
        assert_eq!(learner_name("  김지민 ").as_deref(), Ok("김지민"));
        assert!(learner_name("").is_err());
        assert!(learner_name(" \t ").is_err());
        assert!(learner_name(&"a".repeat(41)).is_err());
        assert!(learner_name("evil\u{1b}[2J").is_err());
    }

    #[test]
    fn the_endpoint_is_on_the_host_the_learner_used() {
        assert_eq!(
            endpoint_url(Some("192.168.0.7:8080"), None, 4566),
            "http://192.168.0.7:4566"
        );
        assert_eq!(
            endpoint_url(Some("room.local"), None, 4566),
            "http://room.local:4566"
        );
        assert_eq!(endpoint_url(None, None, 4566), "http://127.0.0.1:4566");
        assert_eq!(
            endpoint_url(Some("[::1]:80"), None, 4566),
            "http://[::1]:4566"
        );
    }
}
