//! The console: the AWS Management Console's screens for the emulated cloud, at
//! `http://console.localhost:PORT/` on the edge's port, in English and Korean.
//!
//! Pages are written on the server and need no script: forms post back, every one carries the
//! session's CSRF token, and the Content Security Policy allows no script at all. What a page
//! shows is read from the account's state under its lock; what a form changes goes through the
//! emulator's API as the signed-in identity ([`calls`]), so the API's validation, errors and
//! bill are the console's too.
//!
//! - [`sessions`]: who is signed in, by cookie; lock-outs after failed sign-ins;
//! - [`signin`]: the sign-in pages, password then MFA code;
//! - [`home`], [`ec2`], [`billing`]: the pages of the services;
//! - [`html`], [`words`], [`layout`]: escaping, the two languages, the frame around a page.

mod billing;
mod calls;
mod cloudfront;
mod ec2;
mod home;
mod html;
mod iam;
mod key_pairs;
mod launch;
mod layout;
mod request;
mod s3;
mod security_groups;
mod sessions;
mod signin;
mod words;

use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderValue, Method, Response, StatusCode};
use http_body_util::Full;

pub use request::{Request, Upload};
pub use sessions::Sessions;
use sessions::{Keys, Session, Stage, cookie};
use words::{Lang, Word};

use crate::s3::blobs::Blobs;
use crate::state::World;

/// The host name the console answers at (with the edge's port).
pub const HOST: &str = "console.localhost";
/// The style sheet, the console's only asset.
const STYLE: &str = include_str!("../../assets/console.css");

/// What the console serves from.
#[derive(Debug)]
pub struct Console {
    world: Arc<World>,
    sessions: Sessions,
    /// S3 as the endpoint serves it, for the console's own signed S3 requests.
    s3: s3s::service::S3Service,
}

/// Whether a request's `Host` is the console's.
pub fn is_console_host(host: &str) -> bool {
    let name = host.rsplit_once(':').map_or(host, |(name, _)| name);
    name.eq_ignore_ascii_case(HOST)
}

impl Console {
    pub fn new(world: Arc<World>, blobs: Arc<Blobs>) -> Console {
        Console {
            s3: crate::s3::service(world.clone(), blobs),
            world,
            sessions: Sessions::default(),
        }
    }

    /// Answers a request for the console served under `base` (`/console` on a classroom's
    /// address, where `console.localhost` is no name for the teacher's machine): the request's
    /// path without it, and every address the answer gives (links, forms, redirects) with it.
    pub fn respond_under(&self, base: &str, request: &mut Request) -> Response<Full<Bytes>> {
        let inner = request
            .path
            .strip_prefix(base)
            .filter(|rest| rest.is_empty() || rest.starts_with('/'))
            .map(|rest| if rest.is_empty() { "/" } else { rest }.to_string());
        let Some(inner) = inner else {
            let mut response = secured(Response::new(Full::new(Bytes::new())));
            *response.status_mut() = StatusCode::NOT_FOUND;
            return response;
        };
        request.path = inner;
        let response = self.respond(request);
        request::rebase(response, base)
    }

    /// Answers one request. Blocking: sign-in hashes passwords and changes wait for the disk.
    pub fn respond(&self, request: &Request) -> Response<Full<Bytes>> {
        let path = request.path.as_str();
        if path == "/console.css" && request.method == Method::GET {
            return with_type(
                Response::new(Full::new(Bytes::from_static(STYLE.as_bytes()))),
                "text/css; charset=utf-8",
            );
        }
        if path == "/favicon.ico" {
            let mut response = secured(Response::new(Full::new(Bytes::new())));
            *response.status_mut() = StatusCode::NOT_FOUND;
            return response;
        }
        if path == "/lang" {
            return signin::choose_language(request);
        }
        if let Some(answer) = signin::route(self, request) {
            return answer;
        }
        let Some((id, session)) = self.session(request) else {
            return redirect("/signin");
        };
        let Some(keys) = self.live_keys(&id, &session) else {
            return redirect("/signin");
        };
        let page = Page {
            console: self,
            request,
            session: &session,
            keys: &keys,
            lang: request.lang(),
        };
        // Every change is a POST, and every POST carries the session's token.
        if request.method == Method::POST
            && !sessions::same_token(request.field("csrf"), &session.csrf)
        {
            return page.refuse(StatusCode::FORBIDDEN, Word::Forbidden);
        }
        if request.method == Method::POST && path == "/signout" {
            return signin::sign_out(self, &id);
        }
        // A name in the path (a key pair's, a bucket's) arrives percent-encoded.
        let decoded: Vec<String> = path
            .trim_matches('/')
            .split('/')
            .map(|segment| {
                percent_encoding::percent_decode_str(segment)
                    .decode_utf8_lossy()
                    .into_owned()
            })
            .collect();
        let segments: Vec<&str> = decoded.iter().map(String::as_str).collect();
        match (request.method.clone(), segments.as_slice()) {
            (Method::GET, [""]) => redirect("/home"),
            (Method::GET, ["home"]) => home::page(&page),
            (Method::GET, ["ec2"] | ["ec2", "instances"]) => ec2::instances(&page),
            (Method::GET, ["ec2", "instances", id]) => ec2::details(&page, id),
            (Method::GET, ["ec2", "instances", id, "connect"]) => ec2::connect(&page, id),
            (Method::GET, ["ec2", "instances", id, action]) => ec2::confirm(&page, id, action),
            (Method::GET, ["ec2", "launch"]) => launch::form(&page),
            (Method::POST, ["ec2", "launch"]) => launch::launch(&page),
            (Method::GET, ["ec2", "key-pairs"]) => key_pairs::list(&page),
            (Method::GET, ["ec2", "key-pairs", "create"]) => key_pairs::create_form(&page, None),
            (Method::POST, ["ec2", "key-pairs", "create"]) => key_pairs::create(&page),
            (Method::POST, ["ec2", "key-pairs", name, "delete"]) => key_pairs::delete(&page, name),
            (Method::POST, ["ec2", "instances", id, action]) => ec2::act(&page, id, action),
            (Method::GET, ["ec2", "security-groups"]) => security_groups::list(&page),
            (Method::GET, ["ec2", "security-groups", "create"]) => {
                security_groups::create_form(&page, None)
            }
            (Method::POST, ["ec2", "security-groups", "create"]) => security_groups::create(&page),
            (Method::GET, ["ec2", "security-groups", id]) => security_groups::details(&page, id),
            (Method::POST, ["ec2", "security-groups", id, "delete"]) => {
                security_groups::delete(&page, id)
            }
            (Method::GET, ["ec2", "security-groups", id, direction]) => {
                match security_groups::Direction::parse(direction) {
                    Some(direction) => security_groups::editor(&page, id, direction),
                    None => page.refuse(StatusCode::NOT_FOUND, Word::NotFound),
                }
            }
            (Method::POST, ["ec2", "security-groups", id, direction]) => {
                match security_groups::Direction::parse(direction) {
                    Some(direction) => security_groups::save(&page, id, direction),
                    None => page.refuse(StatusCode::NOT_FOUND, Word::NotFound),
                }
            }
            (Method::GET, ["iam"] | ["iam", "users"]) => iam::list(&page),
            (Method::GET, ["iam", "users", "create"]) => iam::create_form(&page, None),
            (Method::POST, ["iam", "users", "create"]) => iam::create(&page),
            (Method::GET, ["iam", "users", name]) => {
                iam::credentials(&page, Some(name.to_string()))
            }
            (Method::POST, ["iam", "users", name, "mfa-remove"]) => {
                iam::remove_mfa(&page, Some(name.to_string()))
            }
            (Method::POST, ["iam", "users", name, "login-profile", "delete"]) => {
                iam::remove_console_access(&page, name)
            }
            (Method::POST, ["iam", "users", name, "delete"]) => iam::delete_user(&page, name),
            (Method::POST, ["iam", "security-credentials", "mfa-remove"]) => {
                iam::remove_mfa(&page, page.session.principal.user.clone())
            }
            (Method::GET, ["iam", "users", name, "mfa"]) => {
                iam::mfa_form(&page, Some(name.to_string()), None)
            }
            (Method::POST, ["iam", "users", name, "mfa"]) => {
                iam::mfa_step(&page, Some(name.to_string()))
            }
            (Method::GET, ["iam", "security-credentials"]) => {
                iam::credentials(&page, page.session.principal.user.clone())
            }
            (Method::GET, ["iam", "security-credentials", "mfa"]) => {
                iam::mfa_form(&page, page.session.principal.user.clone(), None)
            }
            (Method::POST, ["iam", "security-credentials", "mfa"]) => {
                iam::mfa_step(&page, page.session.principal.user.clone())
            }
            (Method::GET, ["s3"]) => s3::list(&page),
            (Method::GET, ["s3", "create"]) => s3::create_form(&page, None),
            (Method::POST, ["s3", "create"]) => s3::create(&page),
            (Method::GET, ["s3", "buckets", name]) => s3::bucket(&page, name, None),
            (Method::POST, ["s3", "buckets", name, "upload"]) => s3::upload(&page, name),
            (Method::POST, ["s3", "buckets", name, "delete-objects"]) => {
                s3::delete_objects(&page, name, false)
            }
            (Method::POST, ["s3", "buckets", name, "empty"]) => {
                s3::delete_objects(&page, name, true)
            }
            (Method::POST, ["s3", "buckets", name, "delete"]) => s3::delete_bucket(&page, name),
            (Method::GET, ["s3", "buckets", name, "permissions"]) => {
                s3::permissions(&page, name, None)
            }
            (Method::POST, ["s3", "buckets", name, "policy"]) => s3::put_policy(&page, name),
            (Method::POST, ["s3", "buckets", name, "policy", "delete"]) => {
                s3::delete_policy(&page, name)
            }
            (Method::GET, ["cloudfront"]) => cloudfront::list(&page),
            (Method::GET, ["cloudfront", "create"]) => cloudfront::create_form(&page, None),
            (Method::POST, ["cloudfront", "create"]) => cloudfront::create(&page),
            (Method::GET, ["cloudfront", "origin-access"]) => {
                cloudfront::access_controls(&page, None)
            }
            (Method::POST, ["cloudfront", "origin-access"]) => {
                cloudfront::create_access_control(&page)
            }
            (Method::POST, ["cloudfront", "origin-access", id, "delete"]) => {
                cloudfront::delete_access_control(&page, id)
            }
            (Method::GET, ["cloudfront", id]) => cloudfront::details(&page, id, None),
            (Method::POST, ["cloudfront", id, "disable"]) => {
                cloudfront::set_enabled(&page, id, false)
            }
            (Method::POST, ["cloudfront", id, "enable"]) => {
                cloudfront::set_enabled(&page, id, true)
            }
            (Method::POST, ["cloudfront", id, "delete"]) => cloudfront::delete(&page, id),
            (Method::POST, ["cloudfront", id, "invalidate"]) => cloudfront::invalidate(&page, id),
            (Method::GET, ["billing"]) => billing::page(&page),
            _ => page.refuse(StatusCode::NOT_FOUND, Word::NotFound),
        }
    }

    /// The session the request's cookie names, if it is signed in.
    fn session(&self, request: &Request) -> Option<(String, Session)> {
        let id = cookie(&request.headers, sessions::COOKIE)?;
        let session = self.sessions.get(id)?;
        matches!(session.stage, Stage::SignedIn(_)).then(|| (id.to_string(), session))
    }

    /// The session's credentials, renewed if the account's clock has run past them: a
    /// console session lasts its hours of the wall clock, however far the learner moves the
    /// simulated one.
    fn live_keys(&self, id: &str, session: &Session) -> Option<Keys> {
        let keys = session.keys()?;
        let now = self.world.now_for(&session.principal.account);
        let live = self
            .world
            .lock()
            .keys
            .get(&keys.access_key)
            .and_then(|key| key.session.as_ref())
            .is_some_and(|held| held.expires > now);
        if live {
            return Some(keys.clone());
        }
        let renewed = signin::issue_keys(&self.world, &session.principal, keys.mfa)?;
        self.sessions.renew(id, renewed.clone());
        Some(renewed)
    }
}

/// Answers a request that came to the console's host name: its form read (bounded, and in
/// time), then [`Console::respond`] off the runtime's threads.
pub async fn serve(
    console: Arc<Console>,
    request: http::Request<hyper::body::Incoming>,
) -> Response<Full<Bytes>> {
    serve_under(console, "", request).await
}

/// [`serve`] for the console under `base` on another server's address ([`Console::respond_under`]).
pub async fn serve_under(
    console: Arc<Console>,
    base: &'static str,
    request: http::Request<hyper::body::Incoming>,
) -> Response<Full<Bytes>> {
    let mut request = match request::read(request).await {
        Ok(request) => request,
        Err(status) => {
            let mut response = secured(Response::new(Full::new(Bytes::new())));
            *response.status_mut() = status;
            return response;
        }
    };
    tokio::task::spawn_blocking(move || {
        if base.is_empty() {
            console.respond(&request)
        } else {
            console.respond_under(base, &mut request)
        }
    })
    .await
    .unwrap_or_else(|_| {
        let mut response = secured(Response::new(Full::new(Bytes::new())));
        *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
        response
    })
}

/// What a page handler has: the console, the request, the signed-in session and its keys.
#[derive(Debug)]
pub struct Page<'a> {
    pub console: &'a Console,
    pub request: &'a Request,
    pub session: &'a Session,
    pub keys: &'a Keys,
    pub lang: Lang,
}

impl Page<'_> {
    pub fn world(&self) -> &World {
        &self.console.world
    }

    pub fn account(&self) -> &str {
        &self.session.principal.account
    }

    /// Calls the API in the console's region as the signed-in identity ([`calls::call`]).
    pub fn call(
        &self,
        api: calls::Api,
        action: &str,
        params: &[(&str, &str)],
    ) -> Result<String, calls::Refusal> {
        self.call_in(
            cloudlings_core::catalog::DEFAULT_REGION,
            api,
            action,
            params,
        )
    }

    /// [`Page::call`] in `region`: an instance's own, say.
    pub fn call_in(
        &self,
        region: &str,
        api: calls::Api,
        action: &str,
        params: &[(&str, &str)],
    ) -> Result<String, calls::Refusal> {
        calls::call(
            self.world(),
            self.request.peer,
            self.keys,
            region,
            api,
            action,
            params,
        )
    }

    /// An error page inside the console's frame.
    pub fn refuse(&self, status: StatusCode, word: Word) -> Response<Full<Bytes>> {
        let mut body = html::Html::new();
        body.element("p", "alert error", self.lang.word(word));
        let mut response = layout::page(self, self.lang.word(word), body);
        *response.status_mut() = status;
        response
    }
}

/// A `303 See Other` to one of the console's pages.
pub fn redirect(to: &str) -> Response<Full<Bytes>> {
    let mut response = secured(Response::new(Full::new(Bytes::new())));
    *response.status_mut() = StatusCode::SEE_OTHER;
    if let Ok(location) = HeaderValue::from_str(to) {
        response
            .headers_mut()
            .insert(http::header::LOCATION, location);
    }
    response
}

/// A `303` back to `page` with the API's refusal to show there (`?error=…`).
pub fn redirect_refused(page: &str, problem: &calls::Refusal) -> Response<Full<Bytes>> {
    let message = format!("{}: {}", problem.code, problem.message);
    let message: String = form_urlencoded::byte_serialize(message.as_bytes()).collect();
    redirect(&format!("{page}?error={message}"))
}

/// An HTML page, with the console's security headers.
pub fn html_response(markup: String) -> Response<Full<Bytes>> {
    with_type(
        Response::new(Full::new(Bytes::from(markup))),
        "text/html; charset=utf-8",
    )
}

fn with_type(
    mut response: Response<Full<Bytes>>,
    content_type: &'static str,
) -> Response<Full<Bytes>> {
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static(content_type),
    );
    secured(response)
}

/// The headers every answer carries: no script, no framing by others, nothing cached.
pub(crate) fn secured(mut response: Response<Full<Bytes>>) -> Response<Full<Bytes>> {
    let headers = response.headers_mut();
    for (name, value) in [
        (
            "content-security-policy",
            "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'self'; base-uri 'none'",
        ),
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "SAMEORIGIN"),
        ("referrer-policy", "same-origin"),
        ("cache-control", "no-store"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// Adds a `Set-Cookie`.
pub fn set_cookie(response: &mut Response<Full<Bytes>>, cookie: &str) {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response
            .headers_mut()
            .append(http::header::SET_COOKIE, value);
    }
}
