//! Who is signed in to the console, by the random id in their cookie; and the count of failed
//! sign-ins that locks a user (and an address) out for a while, as AWS does.
//!
//! Both live in memory: a restarted emulator asks everyone to sign in again. Times here are
//! the wall clock's, not the simulated one: moving the account's clock ahead must neither end
//! a session nor lift a lock-out.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::words::Lang;
use crate::ids;

/// The cookie that names a session.
pub const COOKIE: &str = "cloudlings-console";
/// How long a console session lasts, as AWS's does for an IAM user.
const LIFETIME: Duration = Duration::from_secs(12 * 3600);
/// How long a sign-in may wait for its MFA code.
const MFA_WAIT: Duration = Duration::from_secs(5 * 60);
/// More sessions than this and the oldest go: a bound on what a flood of sign-ins can hold.
const MAX_SESSIONS: usize = 4096;

/// Failed attempts (password or MFA code) after which a user is locked out.
pub const USER_ATTEMPTS: usize = 5;
/// Failed attempts from one address, across users, after which it is locked out.
pub const ADDRESS_ATTEMPTS: usize = 20;
/// How long failures count, and how long a lock-out lasts.
pub const LOCKOUT: Duration = Duration::from_secs(15 * 60);

/// Who a session is for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Principal {
    pub account: String,
    /// `None`: the root user.
    pub user: Option<String>,
}

/// The temporary credentials a session signs its API calls with.
#[derive(Debug, Clone)]
pub struct Keys {
    pub access_key: String,
    pub secret: String,
    pub token: String,
    /// Whether the sign-in gave an MFA code.
    pub mfa: bool,
}

/// How far a session has come.
#[derive(Debug, Clone)]
pub enum Stage {
    /// The password was right; the user has an MFA device whose code is still to come.
    AwaitingMfa {
        serial: String,
    },
    SignedIn(Keys),
}

#[derive(Debug, Clone)]
pub struct Session {
    pub principal: Principal,
    pub stage: Stage,
    /// The token every form of this session carries back.
    pub csrf: String,
    started: Instant,
}

impl Session {
    fn expired(&self, now: Instant) -> bool {
        let lifetime = match self.stage {
            Stage::AwaitingMfa { .. } => MFA_WAIT,
            Stage::SignedIn(_) => LIFETIME,
        };
        now.duration_since(self.started) >= lifetime
    }

    /// The credentials of a signed-in session.
    pub fn keys(&self) -> Option<&Keys> {
        match &self.stage {
            Stage::SignedIn(keys) => Some(keys),
            Stage::AwaitingMfa { .. } => None,
        }
    }
}

/// The console's sessions and sign-in failures.
#[derive(Debug, Default)]
pub struct Sessions {
    sessions: Mutex<HashMap<String, Session>>,
    failures: Mutex<Failures>,
}

#[derive(Debug, Default)]
struct Failures {
    by_principal: HashMap<Principal, Vec<Instant>>,
    by_address: HashMap<IpAddr, Vec<Instant>>,
}

impl Sessions {
    /// Starts a session and answers its cookie id.
    pub fn start(&self, principal: Principal, stage: Stage) -> String {
        let id = ids::web_token();
        let now = Instant::now();
        let mut sessions = lock(&self.sessions);
        sessions.retain(|_, session| !session.expired(now));
        if sessions.len() >= MAX_SESSIONS
            && let Some(oldest) = sessions
                .iter()
                .min_by_key(|(_, session)| session.started)
                .map(|(id, _)| id.clone())
        {
            sessions.remove(&oldest);
        }
        sessions.insert(
            id.clone(),
            Session {
                principal,
                stage,
                csrf: ids::web_token(),
                started: now,
            },
        );
        id
    }

    /// The live session `id` names.
    pub fn get(&self, id: &str) -> Option<Session> {
        let mut sessions = lock(&self.sessions);
        let session = sessions.get(id)?;
        if session.expired(Instant::now()) {
            sessions.remove(id);
            return None;
        }
        Some(session.clone())
    }

    /// Replaces a session by a new one at its next stage: a new id, so an id seen before the
    /// MFA code cannot be used after it.
    pub fn advance(&self, id: &str, stage: Stage) -> Option<String> {
        let session = lock(&self.sessions).remove(id)?;
        Some(self.start(session.principal, stage))
    }

    /// Gives a signed-in session new credentials.
    pub fn renew(&self, id: &str, keys: Keys) {
        if let Some(session) = lock(&self.sessions).get_mut(id) {
            session.stage = Stage::SignedIn(keys);
        }
    }

    pub fn end(&self, id: &str) -> Option<Session> {
        lock(&self.sessions).remove(id)
    }

    /// Whether `principal`, or the address, has failed too often lately to try again yet.
    pub fn locked_out(&self, principal: &Principal, address: Option<IpAddr>) -> bool {
        let now = Instant::now();
        let mut failures = lock(&self.failures);
        failures.forget_before(now);
        let user = failures
            .by_principal
            .get(principal)
            .is_some_and(|times| times.len() >= USER_ATTEMPTS);
        let from = address.is_some_and(|address| {
            failures
                .by_address
                .get(&address)
                .is_some_and(|times| times.len() >= ADDRESS_ATTEMPTS)
        });
        user || from
    }

    /// Counts a failed password or MFA code.
    pub fn failed(&self, principal: &Principal, address: Option<IpAddr>) {
        let now = Instant::now();
        let mut failures = lock(&self.failures);
        failures
            .by_principal
            .entry(principal.clone())
            .or_default()
            .push(now);
        if let Some(address) = address {
            failures.by_address.entry(address).or_default().push(now);
        }
    }

    /// A successful sign-in clears the user's failures (not the address's).
    pub fn succeeded(&self, principal: &Principal) {
        lock(&self.failures).by_principal.remove(principal);
    }
}

impl Failures {
    fn forget_before(&mut self, now: Instant) {
        let recent = |times: &mut Vec<Instant>| {
            times.retain(|time| now.duration_since(*time) < LOCKOUT);
            !times.is_empty()
        };
        self.by_principal.retain(|_, times| recent(times));
        self.by_address.retain(|_, times| recent(times));
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A cookie's value from a request's `Cookie` headers.
pub fn cookie<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// `Set-Cookie` for a session: not readable by scripts, never sent from another site.
pub fn session_cookie(id: &str) -> String {
    format!("{COOKIE}={id}; Path=/; HttpOnly; SameSite=Strict")
}

/// `Set-Cookie` that removes the session's cookie.
pub fn cleared_cookie() -> String {
    format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0")
}

/// `Set-Cookie` for the language chosen.
pub fn language_cookie(lang: Lang) -> String {
    format!(
        "{}={}; Path=/; SameSite=Strict; Max-Age=31536000",
        LANGUAGE_COOKIE,
        lang.code()
    )
}

pub const LANGUAGE_COOKIE: &str = "cloudlings-lang";

/// Whether two tokens are equal, in time that does not depend on where they differ.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alice() -> Principal {
        Principal {
            account: "123456789012".into(),
            user: Some("alice".into()),
        }
    }

    #[test]
    fn five_failures_lock_a_user_out_and_twenty_an_address() {
        let sessions = Sessions::default();
        let address: IpAddr = "127.0.0.1".parse().expect("an address");
        for _ in 0..USER_ATTEMPTS - 1 {
            sessions.failed(&alice(), Some(address));
        }
        assert!(!sessions.locked_out(&alice(), Some(address)));
        sessions.failed(&alice(), Some(address));
        assert!(sessions.locked_out(&alice(), None));
        let bob = Principal {
            user: Some("bob".into()),
            ..alice()
        };
        assert!(!sessions.locked_out(&bob, Some(address)));
        for _ in 0..ADDRESS_ATTEMPTS {
            sessions.failed(&bob, Some(address));
        }
        let carol = Principal {
            user: Some("carol".into()),
            ..alice()
        };
        assert!(sessions.locked_out(&carol, Some(address)));
        assert!(!sessions.locked_out(&carol, None));
    }

    #[test]
    fn a_session_moves_to_a_new_id_when_it_advances() {
        let sessions = Sessions::default();
        let first = sessions.start(
            alice(),
            Stage::AwaitingMfa {
                serial: "arn".into(),
            },
        );
        let keys = Keys {
            access_key: "ASIA".into(),
            secret: "s".into(),
            token: "t".into(),
            mfa: true,
        };
        let second = sessions
            .advance(&first, Stage::SignedIn(keys))
            .expect("advanced");
        assert_ne!(first, second);
        assert!(sessions.get(&first).is_none());
        assert!(
            sessions
                .get(&second)
                .and_then(|s| s.keys().cloned())
                .is_some()
        );
        assert!(sessions.end(&second).is_some());
        assert!(sessions.get(&second).is_none());
    }

    #[test]
    fn cookies_are_read_from_any_cookie_header() {
        let mut headers = http::HeaderMap::new();
        headers.append("cookie", "a=1; cloudlings-console=abc".parse().expect("v"));
        headers.append("cookie", "cloudlings-lang=ko".parse().expect("v"));
        assert_eq!(cookie(&headers, COOKIE), Some("abc"));
        assert_eq!(cookie(&headers, LANGUAGE_COOKIE), Some("ko"));
        assert_eq!(cookie(&headers, "b"), None);
        assert!(same_token("abc", "abc"));
        assert!(!same_token("abc", "abd"));
        assert!(!same_token("abc", "abcd"));
    }
}
