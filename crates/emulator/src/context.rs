//! What a service handler gets: the caller, the account it may read and change (locked),
//! the world for what accounts share, and the time.

use time::OffsetDateTime;

use super::state::{Account, World};

/// Who signed the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub account: String,
    /// The IAM user; `None` for the account's root user.
    pub user: Option<String>,
    pub access_key: String,
    /// The region the request was signed for.
    pub region: String,
    /// Whether the request was signed with temporary (STS) credentials.
    pub temporary: bool,
}

impl Caller {
    /// `arn:aws:iam::123456789012:root` or `arn:aws:iam::123456789012:user/alice`.
    pub fn arn(&self) -> String {
        match &self.user {
            None => format!("arn:aws:iam::{}:root", self.account),
            Some(user) => format!("arn:aws:iam::{}:user/{user}", self.account),
        }
    }
}

/// One request being handled.
#[derive(Debug)]
pub struct Context<'a> {
    /// The world, for what accounts share: access keys (through [`World::lock`], which may
    /// be taken while the account is held), public addresses.
    pub world: &'a World,
    /// The caller's account, locked for the request: every handler works inside it and
    /// nowhere else.
    pub account: &'a mut Account,
    pub caller: Caller,
    /// The region the request was signed for.
    pub region: String,
    /// Simulated now.
    pub now: OffsetDateTime,
    /// Set by handlers that change the state, so it is saved before the response goes out.
    pub changed: bool,
    /// Instances whose open connections must drop once the change is saved (stopped,
    /// rebooted, terminated).
    pub cut: Vec<String>,
}

impl Context<'_> {
    /// Whether the caller signs with temporary credentials opened with an MFA code.
    pub fn caller_has_mfa(&self) -> bool {
        self.caller_session(|session| session.mfa)
    }

    /// Whether the caller is a console session, which may do in IAM what its user may.
    pub fn caller_is_console(&self) -> bool {
        self.caller_session(|session| session.console)
    }

    fn caller_session(&self, test: impl FnOnce(&crate::access_keys::Session) -> bool) -> bool {
        self.world
            .lock()
            .keys
            .get(&self.caller.access_key)
            .and_then(|key| key.session.as_ref())
            .is_some_and(test)
    }
}
