//! Access keys and whom they sign for: the installation's, each account's root user's and
//! IAM users', and the temporary ones STS hands out. The world keeps them in one map, by key
//! id, since a request names only its key; IAM and STS manage them through that map alone.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// Every access key, by id.
pub type AccessKeys = BTreeMap<String, AccessKey>;

/// An access key and whom it signs for.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessKey {
    pub secret: String,
    pub account: String,
    /// The IAM user the key belongs to; `None` for the account's root user.
    #[serde(default)]
    pub user: Option<String>,
    /// Set for temporary credentials (from STS).
    #[serde(default)]
    pub session: Option<Session>,
    pub active: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created: OffsetDateTime,
}

/// What makes temporary credentials temporary.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Session {
    pub token: String,
    #[serde(with = "time::serde::rfc3339")]
    pub expires: OffsetDateTime,
    /// Whether the session was opened with an MFA code.
    #[serde(default)]
    pub mfa: bool,
    /// Whether it is a console sign-in's, which may use IAM as the user could on AWS.
    #[serde(default)]
    pub console: bool,
}
