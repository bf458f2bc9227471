//! Signing in as on AWS: the account, then the root user's password or an IAM user's name and
//! login-profile password, then the MFA code when the user has a device. Five wrong answers
//! for a user (or twenty from an address) lock the door for 15 minutes, and a wrong answer
//! never says which part was wrong.

use std::sync::OnceLock;

use bytes::Bytes;
use http::{Method, Response, StatusCode};
use http_body_util::Full;
use time::Duration;

use super::html::Html;
use super::sessions::{self, Keys, Principal, Stage, cookie};
use super::words::{Lang, Word};
use super::{Console, Request, html_response, layout, redirect, set_cookie};
use crate::access_keys::{AccessKey, Session};
use crate::iam::passwords;
use crate::state::World;
use crate::{ids, mfa};

/// The cookie that carries the sign-in form's token before there is a session.
const FORM_COOKIE: &str = "cloudlings-signin";
/// How long a console session's credentials last on the account's clock before renewal.
const KEYS_LIFETIME: Duration = Duration::hours(12);

/// The sign-in pages, or `None` for any other path.
pub fn route(console: &Console, request: &Request) -> Option<Response<Full<Bytes>>> {
    Some(match (&request.method, request.path.as_str()) {
        (&Method::GET, "/signin") => form(request, None, StatusCode::OK),
        (&Method::POST, "/signin") => sign_in(console, request),
        (&Method::GET, "/mfa") => mfa_form(console, request, None, StatusCode::OK),
        (&Method::POST, "/mfa") => check_mfa(console, request),
        _ => return None,
    })
}

/// `/lang?to=ko&back=/ec2/instances`: remembers the language and goes back.
pub fn choose_language(request: &Request) -> Response<Full<Bytes>> {
    let lang = request
        .query
        .get("to")
        .and_then(|code| Lang::from_code(code))
        .unwrap_or(Lang::En);
    // Only a path of this console: never another site (`//evil`), never a scheme.
    let back = request
        .query
        .get("back")
        .filter(|back| back.starts_with('/') && !back.starts_with("//") && !back.contains('\\'))
        .map_or("/", String::as_str);
    let mut response = redirect(back);
    set_cookie(&mut response, &sessions::language_cookie(lang));
    response
}

fn form(request: &Request, problem: Option<Word>, status: StatusCode) -> Response<Full<Bytes>> {
    let lang = request.lang();
    let as_root = request
        .query
        .get("as")
        .or_else(|| request.form.get("as"))
        .is_some_and(|kind| kind == "root");
    // One token per browser: a second sign-in page (another tab, or the browser fetching its
    // icon and being sent here) must not void the form already on the screen.
    let token = cookie(&request.headers, FORM_COOKIE)
        .filter(|token| token.len() == 43 && token.bytes().all(|b| b.is_ascii_alphanumeric()))
        .map_or_else(ids::web_token, str::to_string);
    let mut body = Html::new();
    body.raw("<section class=\"signin\">");
    body.element("h1", "", lang.word(Word::SignIn));
    if let Some(problem) = problem {
        body.element("p", "alert error", lang.word(problem));
    }
    body.raw("<nav class=\"tabs\">");
    for (root, word) in [(false, Word::IamUser), (true, Word::RootUser)] {
        if root == as_root {
            body.element("span", "tab current", lang.word(word));
        } else {
            body.link(
                if root { "/signin?as=root" } else { "/signin" },
                lang.word(word),
            );
        }
    }
    body.raw("</nav>");
    body.element(
        "p",
        "help",
        lang.word(if as_root {
            Word::RootUserHelp
        } else {
            Word::IamUserHelp
        }),
    );
    body.form("/signin", &token)
        .hidden("as", if as_root { "root" } else { "iam" })
        .field(
            lang,
            Word::AccountId,
            "account",
            "text",
            request.field("account"),
        );
    if !as_root {
        body.field(lang, Word::UserName, "user", "text", request.field("user"));
    }
    body.field(lang, Word::Password, "password", "password", "")
        .button(lang, Word::SignIn, "primary")
        .raw("</form></section>");
    let mut response = html_response(layout::bare(lang, lang.word(Word::SignIn), body));
    *response.status_mut() = status;
    set_cookie(
        &mut response,
        &format!("{FORM_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"),
    );
    response
}

fn sign_in(console: &Console, request: &Request) -> Response<Full<Bytes>> {
    let token = cookie(&request.headers, FORM_COOKIE).unwrap_or_default();
    if token.is_empty() || !sessions::same_token(token, request.field("csrf")) {
        return form(request, Some(Word::Forbidden), StatusCode::FORBIDDEN);
    }
    let as_root = request.field("as") == "root";
    // The account by its 12 digits or by its alias, as AWS's sign-in page takes it.
    let typed = request.field("account").trim();
    let account = if typed.bytes().all(|b| b.is_ascii_digit()) {
        typed.to_string()
    } else {
        console
            .world
            .account_of_alias(typed)
            .unwrap_or_else(|| typed.to_string())
    };
    let principal = Principal {
        account,
        user: (!as_root).then(|| request.field("user").trim().to_string()),
    };
    if console.sessions.locked_out(&principal, request.peer) {
        return form(
            request,
            Some(Word::LockedOut),
            StatusCode::TOO_MANY_REQUESTS,
        );
    }
    if !password_holds(&console.world, &principal, request.field("password")) {
        console.sessions.failed(&principal, request.peer);
        return form(request, Some(Word::BadSignIn), StatusCode::UNAUTHORIZED);
    }
    match device_of(&console.world, &principal) {
        Some(serial) => {
            let id = console
                .sessions
                .start(principal, Stage::AwaitingMfa { serial });
            let mut response = redirect("/mfa");
            set_cookie(&mut response, &sessions::session_cookie(&id));
            response
        }
        None => signed_in(console, principal, false, None),
    }
}

/// Whether `password` is the principal's. Every refusal takes an Argon2 check's time, so the
/// time taken does not tell whether the account or the user exists.
fn password_holds(world: &World, principal: &Principal, password: &str) -> bool {
    static DECOY: OnceLock<String> = OnceLock::new();
    let Some(user) = &principal.user else {
        let root = world.root_password(&principal.account);
        let decoy = DECOY.get_or_init(|| passwords::hash("decoy").unwrap_or_default());
        let _ = passwords::matches(password, decoy);
        return root.is_some_and(|root| sessions::same_token(&root, password));
    };
    let hash = world.account(&principal.account).and_then(|account| {
        let account = account.lock();
        let profile = account.iam.users.get(user)?.login_profile.as_ref()?;
        Some(profile.hash.clone())
    });
    match hash {
        Some(hash) => passwords::matches(password, &hash),
        None => {
            let decoy = DECOY.get_or_init(|| passwords::hash("decoy").unwrap_or_default());
            let _ = passwords::matches(password, decoy);
            false
        }
    }
}

/// The serial number of the principal's enabled MFA device, if it has one.
fn device_of(world: &World, principal: &Principal) -> Option<String> {
    let account = world.account(&principal.account)?;
    let account = account.lock();
    account
        .iam
        .mfa_devices
        .values()
        .find(|device| {
            device.enabled.is_some() && device.assigned.as_ref() == Some(&principal.user)
        })
        .map(|device| device.serial.clone())
}

/// Temporary credentials for a console session of `principal`, held where every request's
/// signer is looked up.
pub fn issue_keys(world: &World, principal: &Principal, mfa: bool) -> Option<Keys> {
    world.account(&principal.account)?;
    let now = world.now_for(&principal.account);
    let keys = Keys {
        access_key: ids::temporary_key_id(),
        secret: ids::secret_key(),
        token: ids::session_token(),
        mfa,
    };
    let mut shared = world.lock();
    // Console sessions' credentials that have run out are of no use: forget the account's.
    shared.keys.retain(|_, key| {
        key.account != principal.account
            || key
                .session
                .as_ref()
                .is_none_or(|session| !session.console || session.expires > now)
    });
    shared.keys.insert(
        keys.access_key.clone(),
        AccessKey {
            secret: keys.secret.clone(),
            account: principal.account.clone(),
            user: principal.user.clone(),
            session: Some(Session {
                token: keys.token.clone(),
                expires: now + KEYS_LIFETIME,
                mfa,
                console: true,
            }),
            active: true,
            created: now,
        },
    );
    Some(keys)
}

/// Opens the session (or moves an MFA sign-in's to its signed-in stage) and goes home.
fn signed_in(
    console: &Console,
    principal: Principal,
    mfa: bool,
    awaiting: Option<&str>,
) -> Response<Full<Bytes>> {
    console.sessions.succeeded(&principal);
    let Some(keys) = issue_keys(&console.world, &principal, mfa) else {
        return redirect("/signin");
    };
    let id = match awaiting {
        Some(id) => console.sessions.advance(id, Stage::SignedIn(keys)),
        None => Some(console.sessions.start(principal, Stage::SignedIn(keys))),
    };
    let Some(id) = id else {
        return redirect("/signin");
    };
    let mut response = redirect("/home");
    set_cookie(&mut response, &sessions::session_cookie(&id));
    response
}

/// The session waiting for its MFA code.
fn awaiting(console: &Console, request: &Request) -> Option<(String, sessions::Session, String)> {
    let id = cookie(&request.headers, sessions::COOKIE)?;
    let session = console.sessions.get(id)?;
    let Stage::AwaitingMfa { serial } = &session.stage else {
        return None;
    };
    let serial = serial.clone();
    Some((id.to_string(), session, serial))
}

fn mfa_form(
    console: &Console,
    request: &Request,
    problem: Option<Word>,
    status: StatusCode,
) -> Response<Full<Bytes>> {
    let Some((_, session, _)) = awaiting(console, request) else {
        return redirect("/signin");
    };
    let lang = request.lang();
    let mut body = Html::new();
    body.raw("<section class=\"signin\">");
    body.element("h1", "", lang.word(Word::MfaTitle));
    if let Some(problem) = problem {
        body.element("p", "alert error", lang.word(problem));
    }
    body.element("p", "help", lang.word(Word::MfaHelp));
    body.form("/mfa", &session.csrf)
        .field(lang, Word::MfaCode, "code", "text", "")
        .button(lang, Word::Submit, "primary")
        .raw("</form></section>");
    let mut response = html_response(layout::bare(lang, lang.word(Word::MfaTitle), body));
    *response.status_mut() = status;
    response
}

fn check_mfa(console: &Console, request: &Request) -> Response<Full<Bytes>> {
    let Some((id, session, serial)) = awaiting(console, request) else {
        return redirect("/signin");
    };
    if !sessions::same_token(request.field("csrf"), &session.csrf) {
        return mfa_form(
            console,
            request,
            Some(Word::Forbidden),
            StatusCode::FORBIDDEN,
        );
    }
    let principal = session.principal.clone();
    if console.sessions.locked_out(&principal, request.peer) {
        // A locked-out sign-in starts over once the lock lifts.
        console.sessions.end(&id);
        return form(
            request,
            Some(Word::LockedOut),
            StatusCode::TOO_MANY_REQUESTS,
        );
    }
    let code = request.field("code").trim();
    let valid = code.len() == 6
        && code.bytes().all(|b| b.is_ascii_digit())
        && console
            .world
            .account(&principal.account)
            .and_then(|account| {
                let account = account.lock();
                let device = account.iam.mfa_devices.get(&serial)?;
                Some(mfa::current(&device.seed, code))
            })
            .unwrap_or(false);
    if !valid {
        console.sessions.failed(&principal, request.peer);
        return mfa_form(
            console,
            request,
            Some(Word::BadMfa),
            StatusCode::UNAUTHORIZED,
        );
    }
    signed_in(console, principal, true, Some(&id))
}

/// Ends the session and forgets its credentials.
pub fn sign_out(console: &Console, id: &str) -> Response<Full<Bytes>> {
    if let Some(keys) = console.sessions.end(id).and_then(|s| s.keys().cloned()) {
        console.world.lock().keys.remove(&keys.access_key);
    }
    let mut response = redirect("/signin");
    set_cookie(&mut response, &sessions::cleared_cookie());
    response
}
