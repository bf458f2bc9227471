//! The instructor's side of the class: their page (`/teacher`), opened once with the token
//! printed at start (`/teacher?token=…`, which becomes an `HttpOnly` cookie and leaves the
//! address bar), the live table as server-sent events, a learner's terminal to watch, and
//! what the instructor does for one learner or all: move the clock, reset a step or a lesson,
//! give a new, empty cloud, send a message, export the progress as CSV.
//!
//! Every action is a POST from the class's own page (its `Origin` is checked, and the cookie
//! is `SameSite=Strict`), so another site's page cannot act with the instructor's cookie.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, Request, Response, StatusCode, header};
use http_body_util::{BodyExt, Full, Limited, StreamBody, combinators::UnsyncBoxBody};
use hyper::body::{Frame, Incoming};
use serde_json::{Value, json};

use super::notices::Notice;
use super::roster::Learner;
use super::socket::{self, Viewer};
use super::terminals::Input;
use super::{Class, answer, blocking, refuse, web};
use crate::lang::Lang;
use crate::shell::messages as msg;

/// The cookie that carries the instructor's session.
pub const TEACHER_COOKIE: &str = "cloudlings_teacher";
/// The largest action read: a message to the class.
const MAX_ACTION: usize = 8 * 1024;
/// The longest message to the class, in characters.
const MAX_MESSAGE: usize = 500;
/// How often a quiet event stream says it is alive, so proxies and browsers keep it.
const KEEPALIVE: Duration = Duration::from_secs(15);
/// Changes that come together are sent together: at most one table this often.
const COALESCE: Duration = Duration::from_millis(100);
/// Wrong tokens a second from one address.
const GUESSES_PER_SECOND: u32 = 2;

pub type Body = UnsyncBoxBody<Bytes, Infallible>;

/// Answers the instructor's routes; `None` for a path that is not theirs.
pub async fn route(
    class: &Arc<Class>,
    request: Request<Incoming>,
) -> Result<Response<Body>, Request<Incoming>> {
    let path = request.uri().path();
    if path != "/teacher" && !path.starts_with("/api/teacher/") {
        return Err(request);
    }
    let peer = request
        .extensions()
        .get::<cloudlings_emulator::gateway::Peer>()
        .map_or_else(|| "unknown".to_string(), |peer| peer.0.ip().to_string());
    // The token in the address, once: it becomes the cookie, and the address loses it.
    if request.method() == Method::GET
        && path == "/teacher"
        && let Some(token) = token_in_query(request.uri().query())
    {
        if !class.guesses.has_room(&peer, GUESSES_PER_SECOND) {
            return Ok(full(refuse(
                StatusCode::TOO_MANY_REQUESTS,
                "Too many wrong tokens: wait a moment.",
            )));
        }
        if !class.roster.is_teacher(&token) {
            class.guesses.admit(&peer, GUESSES_PER_SECOND);
            return Ok(full(refuse(
                StatusCode::UNAUTHORIZED,
                "That is not the instructor's token.",
            )));
        }
        let mut response = web::see_other("/teacher");
        response.headers_mut().insert(
            header::SET_COOKIE,
            web::session_cookie(TEACHER_COOKIE, &token, class.secure),
        );
        return Ok(full(response));
    }
    if !is_teacher(class, request.headers()) {
        return Ok(full(refuse(
            StatusCode::UNAUTHORIZED,
            "This is the instructor's: open the address the classroom printed at start.",
        )));
    }
    let response = match (request.method().clone(), path) {
        (Method::GET, "/teacher") => {
            full(web::page("/teacher").map_or_else(super::not_found, web::serve))
        }
        (Method::GET, "/api/teacher/events") => events(class.clone()),
        (Method::GET, "/api/teacher/progress.csv") => full(csv(class).await),
        (Method::GET, "/api/teacher/terminal") => full(watch(class, request)),
        (Method::POST, action) => {
            if !web::same_origin(request.headers(), true) {
                return Ok(full(refuse(
                    StatusCode::FORBIDDEN,
                    "Actions come from the instructor's page.",
                )));
            }
            let action = action.trim_start_matches("/api/teacher/").to_string();
            let body = match Limited::new(request.into_body(), MAX_ACTION)
                .collect()
                .await
            {
                Ok(body) => body.to_bytes(),
                Err(_) => {
                    return Ok(full(refuse(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        "The request is too large.",
                    )));
                }
            };
            let Ok(asked) = serde_json::from_slice::<Value>(&body) else {
                return Ok(full(refuse(
                    StatusCode::BAD_REQUEST,
                    "The request is not JSON.",
                )));
            };
            full(act(class, &action, &asked).await)
        }
        _ => full(super::not_found()),
    };
    Ok(response)
}

fn is_teacher(class: &Class, headers: &HeaderMap) -> bool {
    web::cookie(headers, TEACHER_COOKIE).is_some_and(|token| class.roster.is_teacher(token))
}

fn token_in_query(query: Option<&str>) -> Option<String> {
    form_urlencoded::parse(query?.as_bytes())
        .find(|(name, _)| name == "token")
        .map(|(_, value)| value.into_owned())
}

pub fn full(response: Response<Full<Bytes>>) -> Response<Body> {
    response.map(BodyExt::boxed_unsync)
}

/// The table as server-sent events: now, then each time it changes.
fn events(class: Arc<Class>) -> Response<Body> {
    let changes = class.dashboard.changes();
    let stream = futures_util::stream::unfold(
        (class, changes, true),
        |(class, mut changes, first)| async move {
            if !first {
                tokio::select! {
                    changed = changes.changed() => {
                        // The class is gone: the stream ends.
                        changed.ok()?;
                        tokio::time::sleep(COALESCE).await;
                        changes.borrow_and_update();
                    }
                    () = tokio::time::sleep(KEEPALIVE) => {
                        let alive = Frame::data(Bytes::from_static(b": alive\n\n"));
                        return Some((Ok::<_, Infallible>(alive), (class, changes, false)));
                    }
                }
            } else {
                changes.borrow_and_update();
            }
            let table = blocking(&class, |class| class.table())
                .await
                .unwrap_or_else(|error| {
                    tracing::error!("cannot read the class: {error:#}");
                    Value::Null
                });
            let event = Frame::data(Bytes::from(format!("data: {table}\n\n")));
            Some((Ok(event), (class, changes, false)))
        },
    );
    event_stream(stream)
}

/// A stream of server-sent events, as the answer to a request.
pub fn event_stream(
    events: impl futures_util::Stream<Item = Result<Frame<Bytes>, Infallible>> + Send + 'static,
) -> Response<Body> {
    let mut response = Response::new(BodyExt::boxed_unsync(StreamBody::new(events)));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn csv(class: &Arc<Class>) -> Response<Full<Bytes>> {
    match blocking(class, |class| {
        let learners = class.roster.learners()?;
        Ok(class.dashboard.csv(&class.course, &learners))
    })
    .await
    {
        Ok(csv) => {
            // A byte-order mark, so that spreadsheets read the names as UTF-8.
            let mut response = Response::new(Full::new(Bytes::from(format!("\u{feff}{csv}"))));
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            );
            headers.insert(
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"class-progress.csv\""),
            );
            response
        }
        Err(error) => {
            tracing::error!("cannot read the class: {error:#}");
            refuse(
                StatusCode::INTERNAL_SERVER_ERROR,
                "The class cannot be read.",
            )
        }
    }
}

/// A learner's terminal, shown to the instructor, who cannot type in it.
fn watch(class: &Arc<Class>, request: Request<Incoming>) -> Response<Full<Bytes>> {
    if !web::same_origin(request.headers(), true) {
        return refuse(
            StatusCode::FORBIDDEN,
            "The terminal opens from the instructor's page.",
        );
    }
    if !socket::is_upgrade(&request) {
        return refuse(StatusCode::BAD_REQUEST, "The terminal is a WebSocket.");
    }
    let learner = form_urlencoded::parse(request.uri().query().unwrap_or_default().as_bytes())
        .find(|(name, _)| name == "learner")
        .and_then(|(_, value)| value.parse::<i64>().ok());
    let Some(terminal) = learner.and_then(|learner| class.terminals.running(learner)) else {
        return refuse(
            StatusCode::NOT_FOUND,
            "That learner has no terminal on the server now.",
        );
    };
    socket::upgrade(
        request,
        socket::Use::Terminal {
            terminal,
            viewer: Viewer::Watcher,
            page: None,
        },
    )
}

/// An action of the instructor's: for one learner (`"learner": ID`) or all (`"learner": "all"`).
async fn act(class: &Arc<Class>, action: &str, asked: &Value) -> Response<Full<Bytes>> {
    let learners = {
        let asked = asked["learner"].clone();
        blocking(class, move |class| {
            let all = class.roster.learners()?;
            Ok(match asked {
                Value::String(word) if word == "all" => all,
                Value::Number(id) => all
                    .into_iter()
                    .filter(|learner| Some(learner.id) == id.as_i64())
                    .collect(),
                _ => Vec::new(),
            })
        })
        .await
    };
    let learners = match learners {
        Ok(learners) if !learners.is_empty() => learners,
        Ok(_) => return refuse(StatusCode::BAD_REQUEST, "Say which learner, or \"all\"."),
        Err(error) => {
            tracing::error!("cannot read the class: {error:#}");
            return refuse(
                StatusCode::INTERNAL_SERVER_ERROR,
                "The class cannot be read.",
            );
        }
    };
    match action {
        "clock" => {
            let Some(by) = asked["advance"]
                .as_str()
                .and_then(cloudlings_emulator::clock::parse_duration)
            else {
                return refuse(
                    StatusCode::BAD_REQUEST,
                    "Say how far to move the clock, such as \"2h\".",
                );
            };
            let accounts: Vec<String> = learners
                .iter()
                .map(|learner| learner.account.clone())
                .collect();
            let moved = blocking(class, move |class| {
                for account in &accounts {
                    class.world.advance_account_clock(account, by)?;
                }
                Ok(())
            })
            .await;
            match moved {
                Ok(()) => answer(StatusCode::OK, &json!({ "Moved": learners.len() })),
                Err(error) => {
                    tracing::error!("cannot move the clock: {error:#}");
                    refuse(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "The clock could not be saved.",
                    )
                }
            }
        }
        "message" => {
            let text = asked["text"].as_str().unwrap_or_default().trim();
            if text.is_empty() || text.chars().count() > MAX_MESSAGE {
                return refuse(StatusCode::BAD_REQUEST, "A message is 1 to 500 characters.");
            }
            // Shown as text, never as the terminal's commands.
            let note = format!("📣 {}", crate::visible::visible(text));
            let reached = tell(class, &learners, |_| vec![Notice::Note(note.clone())]).await;
            answer(StatusCode::OK, &json!({ "Reached": reached }))
        }
        "reset" => {
            let line = match asked["scope"].as_str() {
                Some("step") => "reset step --yes",
                Some("lesson") => "reset lesson --yes",
                Some("cloud") => return empty_clouds(class, learners).await,
                _ => {
                    return refuse(
                        StatusCode::BAD_REQUEST,
                        "A reset is of a \"step\", a \"lesson\" or the \"cloud\".",
                    );
                }
            };
            let reached = tell(class, &learners, |_| vec![Notice::Run(line.to_string())]).await;
            answer(StatusCode::OK, &json!({ "Reached": reached }))
        }
        _ => super::not_found(),
    }
}

/// Gives each learner a new, empty cloud and, in a running shell, tells them so and starts
/// their course over: the progress of a cloud that is gone would only mislead.
async fn empty_clouds(class: &Arc<Class>, learners: Vec<Learner>) -> Response<Full<Bytes>> {
    let emptied = {
        let learners = learners.clone();
        blocking(class, move |class| {
            learners
                .iter()
                .try_for_each(|learner| class.empty_cloud(learner))
        })
        .await
    };
    if let Err(error) = emptied {
        tracing::error!("cannot empty a learner's cloud: {error:#}");
        return refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            "A learner's cloud could not be emptied.",
        );
    }
    let reached = tell(class, &learners, |learner| {
        let lang = Lang::parse(&learner.lang).unwrap_or_default();
        vec![
            Notice::Note(msg::cloud_emptied(lang)),
            Notice::Run("reset all --yes".to_string()),
        ]
    })
    .await;
    answer(
        StatusCode::OK,
        &json!({ "Emptied": learners.len(), "Reached": reached }),
    )
}

/// Hands each learner's running shell what the instructor tells it: a browser's terminal
/// its input, a shell at the learner's own terminal its notices. How many were reached.
async fn tell(
    class: &Class,
    learners: &[Learner],
    notices: impl Fn(&Learner) -> Vec<Notice>,
) -> usize {
    let mut reached = 0;
    for learner in learners {
        let notices = notices(learner);
        let Some(terminal) = class.terminals.running(learner.id) else {
            reached += usize::from(class.listeners.tell(learner.id, &notices));
            continue;
        };
        let mut sent = true;
        for notice in notices {
            let input = match notice {
                Notice::Note(text) => Input::Note(text),
                Notice::Run(line) => Input::RunFor(line),
            };
            sent &= terminal.send(input).await.is_ok();
        }
        reached += usize::from(sent);
    }
    reached
}
