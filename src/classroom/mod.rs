//! `cloudlings classroom`: one process that serves a room. It runs the emulator for everyone
//! and, beside it, the class's own address, where a learner joins with the class code and
//! their name and gets an account of their own: no keys to copy by hand.
//!
//! - `GET /` is the join page; a learner who joined goes on to `GET /terminal`, their own
//!   cloudlings shell in the page, over a WebSocket at `/api/terminal` ([`socket`]). The shell
//!   runs on the server ([`terminals`]) on the learner's account, and their "own computer" is
//!   an emulated workstation kept for them: nothing a page sends runs on the server's machine.
//! - `POST /api/join` with `{"code", "name", "lang"}` answers the learner's account, keys and
//!   the emulator's endpoint as this learner reaches it, and sets the browser's session
//!   cookie; `cloudlings join ADDRESS CODE` asks it, then runs the shell there ([`join`]).
//!
//! Joins are checked against the code in constant time, and a wrong code costs its address
//! one of a few tries a second: once they are spent, every join from there waits, a right
//! code included, so a code cannot be found by trying. A whole room behind one address (a
//! school's NAT) joins at once, as long as it types the right code. Joins are refused once the
//! room is full. The roster is kept in [`roster`]; the pages and their headers in [`web`].

pub mod backup;
pub mod dashboard;
pub mod dial;
pub mod join;
pub mod notices;
pub mod roster;
pub mod socket;
pub mod teacher;
pub mod terminals;
pub mod tls;
pub mod web;

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context as _;
use bytes::Bytes;
use http::{Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use serde_json::{Value, json};

use crate::check;
use crate::lang::Lang;
use crate::lesson::Course;
use crate::progress::Store;
use crate::shell::{Report, Reporter, Session};
use crate::style::Style;
use crate::target::Target;
use crate::workstation::{Emulated, Workstation};
use cloudlings_emulator::World;
use cloudlings_emulator::console::Console;
use cloudlings_emulator::quotas::Rates;
use cloudlings_emulator::s3::blobs::Blobs;
use cloudlings_emulator::store::Part;
use dashboard::{Dashboard, Presence};
use roster::{Learner, Roster};
use socket::Viewer;
use terminals::Terminals;

/// The largest join request read: a name and a code.
const MAX_JOIN: usize = 4 * 1024;
/// The longest name a learner may give, in characters.
const MAX_NAME: usize = 40;
/// Wrong codes a second from one address (and bursts of as many).
const GUESSES_PER_SECOND: u32 = 2;

/// The largest report a learner's shell sends.
const MAX_REPORT: usize = 16 * 1024;
/// The most pages of one learner's terminal open at once (tabs, a second device).
const PAGES_PER_LEARNER: usize = 3;

/// Where the class's emulator listens, and what its learners' shells teach.
#[derive(Debug)]
pub struct Setup {
    pub world: Arc<World>,
    /// The emulator's object store, where an emptied account's objects go from.
    pub blobs: Arc<Blobs>,
    pub roster: Roster,
    pub course: Course,
    /// The emulator's address (its port is the one learners reach on the class's host).
    pub emulator: SocketAddr,
    /// The port of the emulator's CloudFront edge.
    pub edge_port: u16,
    /// The class's state folder: each browser learner's progress and workstation are kept in
    /// `learners/ID` there.
    pub state: PathBuf,
    /// The most learners the room takes.
    pub room: usize,
    /// Whether the class is served over TLS: its cookies are then sent over TLS only.
    pub secure: bool,
}

/// What the class's address needs.
#[derive(Debug)]
pub struct Class {
    pub world: Arc<World>,
    blobs: Arc<Blobs>,
    pub roster: Arc<Roster>,
    pub room: usize,
    dashboard: Arc<Dashboard>,
    course: Course,
    emulator: SocketAddr,
    edge_port: u16,
    state: PathBuf,
    secure: bool,
    terminals: Terminals,
    /// `cloudlings join` shells listening for the instructor.
    listeners: Arc<notices::Listeners>,
    /// Wrong codes, by address.
    guesses: Rates,
    /// The web console, under `/console/` on the class's address: `console.localhost` names
    /// each learner's own machine, not the teacher's.
    console: Arc<Console>,
}

impl Class {
    pub fn new(setup: Setup) -> Class {
        // The table as it stood: a report the roster cannot read is left out, not fatal.
        let kept = setup.roster.reports().unwrap_or_default();
        let kept = kept.into_iter().filter_map(|(learner, report)| {
            serde_json::from_str::<Report>(&report)
                .ok()
                .map(|report| (learner, report))
        });
        Class {
            console: Arc::new(Console::new(setup.world.clone(), setup.blobs.clone())),
            world: setup.world,
            blobs: setup.blobs,
            roster: Arc::new(setup.roster),
            dashboard: Arc::new(Dashboard::new(kept)),
            room: setup.room,
            course: setup.course,
            emulator: setup.emulator,
            edge_port: setup.edge_port,
            state: setup.state,
            secure: setup.secure,
            terminals: Terminals::default(),
            listeners: Arc::default(),
            guesses: Rates::default(),
        }
    }

    /// Empties the learner's account for a new start (see [`World::empty_account`]), and
    /// removes its objects' bytes once that is on disk.
    fn empty_cloud(&self, learner: &Learner) -> anyhow::Result<()> {
        let emptied = self
            .world
            .empty_account(&learner.account)?
            .context("the learner's account is not in the emulator")?;
        for blob in &emptied.blobs {
            self.blobs.remove(blob);
        }
        tracing::info!(
            learner = learner.id,
            instances = emptied.instances,
            buckets = emptied.buckets,
            "a learner's cloud emptied"
        );
        Ok(())
    }

    /// A browser learner's shell: their progress and emulated workstation, kept in their own
    /// folder, and their account on the class's emulator.
    fn shell(&self, learner: &Learner) -> anyhow::Result<Session> {
        let keys = self
            .roster
            .keys(learner.id)?
            .context("the learner's keys are not in the class")?;
        let dir = self.state.join("learners").join(learner.id.to_string());
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        let (store, recovery) = Store::open(&dir)?;
        if let Some(recovery) = recovery {
            tracing::warn!(learner = learner.id, reason = %recovery.reason, "progress recovered");
        }
        let lang = Lang::parse(&learner.lang).unwrap_or_default();
        let workstation = Emulated::open(&dir.join("workstation.json"))
            .with_context(|| format!("cannot open the workstation in {}", dir.display()))?;
        // The shells run here: they reach the emulator on loopback, whatever it listens on.
        let emulator = match self.emulator.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => {
                SocketAddr::from(([127, 0, 0, 1], self.emulator.port()))
            }
            IpAddr::V6(ip) if ip.is_unspecified() => {
                SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, self.emulator.port()))
            }
            _ => self.emulator,
        };
        let endpoint = format!("http://{emulator}");
        let mut probes = check::Context::new(dir).with_target(Target::emulator(&endpoint, &keys));
        probes.files = Workstation::Emulated(workstation);
        Ok(
            Session::new(self.course.clone(), store, lang, Style::colored(), probes)
                .with_emulator(self.world.clone(), keys.account, emulator, self.edge_port)
                .with_reporter(self.reporter(learner.id)),
        )
    }

    /// Where a learner's reports go: the roster, then the instructor's table.
    fn reporter(&self, learner: i64) -> Reporter {
        let (roster, dashboard) = (self.roster.clone(), self.dashboard.clone());
        Reporter(Box::new(move |report: &Report| {
            keep_report(&roster, &dashboard, learner, report.clone());
        }))
    }

    /// The instructor's table now.
    fn table(&self) -> anyhow::Result<Value> {
        let learners = self.roster.learners()?;
        let mut table = self.dashboard.table(&self.course, &learners, |learner| {
            let running = self.terminals.running(learner);
            Presence {
                online: running.as_ref().is_some_and(|terminal| terminal.online())
                    || self.listeners.online(learner),
                in_browser: running.is_some(),
            }
        });
        table["code"] = Value::from(self.roster.code());
        Ok(table)
    }

    /// The learner whose session cookie the request carries.
    fn learner(&self, headers: &http::HeaderMap) -> Option<Learner> {
        let token = web::cookie(headers, web::LEARNER_COOKIE)?;
        match self.roster.session(token) {
            Ok(learner) => learner,
            Err(error) => {
                tracing::error!("cannot read the class: {error:#}");
                None
            }
        }
    }
}

/// Serves the class's address on `listener` until the process ends, with the emulator's
/// connection limits and deadlines, over TLS when `tls` is given.
pub async fn serve(
    listener: tokio::net::TcpListener,
    class: Arc<Class>,
    tls: Option<tokio_rustls::TlsAcceptor>,
) {
    let world = class.world.clone();
    let limits = cloudlings_emulator::http::Limits::for_this_process();
    cloudlings_emulator::http::accept_tls(
        listener,
        tls,
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

async fn respond(class: Arc<Class>, request: Request<Incoming>) -> Response<teacher::Body> {
    let mut response = match teacher::route(&class, request).await {
        Ok(response) => response,
        Err(request) => match notices::route(&class, request).await {
            Ok(response) => response,
            Err(request) => teacher::full(route(class, request).await),
        },
    };
    web::secure(response.headers_mut());
    response
}

async fn route(class: Arc<Class>, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let peer = request
        .extensions()
        .get::<cloudlings_emulator::gateway::Peer>()
        .map(|peer| peer.0);
    let path = request.uri().path().to_string();
    match (request.method(), path.as_str()) {
        (&Method::GET | &Method::HEAD, "/") => {
            let headers = request.headers().clone();
            match blocking(&class, move |class| Ok(class.learner(&headers))).await {
                Ok(Some(_)) => web::see_other("/terminal"),
                _ => web::page("/").map_or_else(not_found, web::serve),
            }
        }
        (&Method::GET | &Method::HEAD, "/terminal") => {
            let headers = request.headers().clone();
            match blocking(&class, move |class| Ok(class.learner(&headers))).await {
                Ok(Some(_)) => web::page("/terminal").map_or_else(not_found, web::serve),
                _ => web::see_other("/"),
            }
        }
        (&Method::GET | &Method::POST, path)
            if path == CONSOLE || path.starts_with(&format!("{CONSOLE}/")) =>
        {
            // The console is for the class's learners: others are sent to join first.
            let headers = request.headers().clone();
            match blocking(&class, move |class| Ok(class.learner(&headers))).await {
                Ok(Some(learner)) => {
                    // In the language the learner joined in, unless they switch it there.
                    let mut request = request;
                    if let Ok(lang) = http::HeaderValue::from_str(&learner.lang) {
                        request
                            .headers_mut()
                            .insert(http::header::ACCEPT_LANGUAGE, lang);
                    }
                    cloudlings_emulator::console::serve_under(
                        class.console.clone(),
                        CONSOLE,
                        request,
                    )
                    .await
                }
                _ => web::see_other("/"),
            }
        }
        (&Method::GET | &Method::HEAD, path) if path.starts_with("/assets/") => {
            web::asset(&path["/assets/".len()..]).map_or_else(not_found, web::serve)
        }
        (&Method::GET, "/api/me") => me(&class, request.headers()).await,
        (&Method::GET, "/api/console") => console(&class, request.headers()).await,
        (&Method::POST, "/api/report") => report(class, request).await,
        (&Method::GET, "/api/terminal") => terminal(class, request).await,
        (&Method::POST, "/api/join") => {
            // A page of another site may not join its visitor to this class.
            if !web::same_origin(request.headers(), false) {
                return refuse(
                    StatusCode::FORBIDDEN,
                    "A join comes from the class's own page.",
                );
            }
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
        _ => not_found(),
    }
}

/// Where the web console is on the class's address.
const CONSOLE: &str = "/console";

/// Runs `work` on the class off the runtime's threads: the roster waits for its disk.
async fn blocking<T: Send + 'static>(
    class: &Arc<Class>,
    work: impl FnOnce(&Class) -> anyhow::Result<T> + Send + 'static,
) -> anyhow::Result<T> {
    let class = class.clone();
    tokio::task::spawn_blocking(move || work(&class)).await?
}

/// Who the page's learner is, for its heading and its language.
async fn me(class: &Arc<Class>, headers: &http::HeaderMap) -> Response<Full<Bytes>> {
    let headers = headers.clone();
    match blocking(class, move |class| Ok(class.learner(&headers))).await {
        Ok(Some(learner)) => answer(
            StatusCode::OK,
            &json!({
                "Learner": learner.id,
                "Name": learner.name,
                "Lang": learner.lang,
                "Account": learner.account,
                // The learner's own account's root sign-in, for the console: theirs to use.
                "Console": format!("{CONSOLE}/signin?as=root"),
                "ConsolePassword": class.world.root_password(&learner.account),
            }),
        ),
        _ => refuse(StatusCode::UNAUTHORIZED, "Join the class first."),
    }
}

/// The learner's account as a console shows it, for the panel beside their terminal.
async fn console(class: &Arc<Class>, headers: &http::HeaderMap) -> Response<Full<Bytes>> {
    let headers = headers.clone();
    let looked = blocking(class, move |class| {
        Ok(class.learner(&headers).and_then(|learner| {
            cloudlings_emulator::admin::console(&class.world, &learner.account)
        }))
    })
    .await;
    match looked {
        Ok(Some(console)) => answer(StatusCode::OK, &console),
        _ => refuse(StatusCode::UNAUTHORIZED, "Join the class first."),
    }
}

/// A learner's page opens their terminal.
async fn terminal(class: Arc<Class>, request: Request<Incoming>) -> Response<Full<Bytes>> {
    // Browsers send Origin on every WebSocket: one from another site's page is refused, and
    // one without is no page of the class.
    if !web::same_origin(request.headers(), true) {
        return refuse(
            StatusCode::FORBIDDEN,
            "The terminal opens from the class's own page.",
        );
    }
    if !socket::is_upgrade(&request) {
        return refuse(StatusCode::BAD_REQUEST, "The terminal is a WebSocket.");
    }
    let headers = request.headers().clone();
    let opened = blocking(&class, move |class| {
        let Some(learner) = class.learner(&headers) else {
            return Ok(None);
        };
        let terminal = class.terminals.open(learner.id, || class.shell(&learner))?;
        Ok(Some(terminal))
    })
    .await;
    let terminal = match opened {
        Ok(Some(terminal)) => terminal,
        Ok(None) => return refuse(StatusCode::UNAUTHORIZED, "Join the class first."),
        Err(error) => {
            tracing::error!("cannot open a learner's shell: {error:#}");
            return refuse(
                StatusCode::INTERNAL_SERVER_ERROR,
                "The shell could not start.",
            );
        }
    };
    let purpose = match terminal.open_page(PAGES_PER_LEARNER, class.dashboard.clone()) {
        Some(page) => socket::Use::Terminal {
            terminal,
            viewer: Viewer::Learner,
            page: Some(page),
        },
        None => socket::Use::TurnAway(socket::TOO_MANY_PAGES, "too many pages"),
    };
    socket::upgrade(request, purpose)
}

/// A `cloudlings join` shell's report of where its learner stands, with the session the
/// join gave it as a bearer token.
async fn report(class: Arc<Class>, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let token = bearer(request.headers());
    let body = match Limited::new(request.into_body(), MAX_REPORT)
        .collect()
        .await
    {
        Ok(body) => body.to_bytes(),
        Err(_) => return refuse(StatusCode::PAYLOAD_TOO_LARGE, "The report is too large."),
    };
    let Ok(report) = serde_json::from_slice::<Report>(&body) else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "The report is not a learner's report.",
        );
    };
    let kept = blocking(&class, move |class| {
        let Some(learner) = token.and_then(|token| class.roster.session(&token).ok().flatten())
        else {
            return Ok(false);
        };
        keep_report(&class.roster, &class.dashboard, learner.id, report);
        Ok(true)
    })
    .await;
    match kept {
        Ok(true) => answer(StatusCode::OK, &json!({})),
        _ => refuse(StatusCode::UNAUTHORIZED, "Join the class first."),
    }
}

/// The session a `cloudlings join` shell sends as its bearer token.
fn bearer(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get(http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::to_string)
}

/// Keeps a learner's report, then shows it: what the table shows survives a restart.
fn keep_report(roster: &Roster, dashboard: &Dashboard, learner: i64, report: Report) {
    let text = serde_json::to_string(&report).unwrap_or_default();
    if let Err(error) = roster.save_report(learner, &text) {
        tracing::error!("cannot keep a learner's report: {error:#}");
    }
    dashboard.update(learner, report);
}

fn not_found() -> Response<Full<Bytes>> {
    refuse(StatusCode::NOT_FOUND, "There is nothing at this address.")
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
    let learner = match class.roster.join(&name, lang, &keys) {
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
    // A browser goes on to its terminal with this session; a terminal's join ignores it.
    let token = match class.roster.open_session(learner.id) {
        Ok(token) => token,
        Err(error) => {
            tracing::error!("cannot keep the session: {error:#}");
            return refuse(
                StatusCode::INTERNAL_SERVER_ERROR,
                "The join could not be saved.",
            );
        }
    };
    let mut response = answer(
        StatusCode::OK,
        &json!({
            "Learner": learner.id,
            "Name": learner.name,
            "Account": keys.account,
            "AccessKeyId": keys.access_key,
            "SecretAccessKey": keys.secret,
            "Region": cloudlings_core::catalog::DEFAULT_REGION,
            "Endpoint": endpoint_url(host, peer, class.emulator.port()),
            "Session": token,
        }),
    );
    class.dashboard.touch();
    response.headers_mut().insert(
        http::header::SET_COOKIE,
        web::session_cookie(web::LEARNER_COOKIE, &token, class.secure),
    );
    response
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
