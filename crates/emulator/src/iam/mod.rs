//! IAM: users, their access keys, and virtual MFA devices; the account summary.
//!
//! Every account starts with its root user only, as a fresh AWS account does. Policies are not
//! evaluated: a user can do what the root user can (the course teaches MFA and keys, not
//! policy writing).

mod aliases;
mod api;
pub mod devices;
mod login_profiles;
pub mod passwords;
pub mod users;
mod wire;

use std::collections::BTreeMap;

use cloudlings_core::operation::{Operation, Service};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::context::Context;
use super::error::AwsError;
use super::wire::protocol::Body;
use super::wire::query::Params;
use super::wire::xml::Xml;
use users::KEYS_PER_USER;

/// An account's IAM entities.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Iam {
    #[serde(default)]
    pub users: BTreeMap<String, User>,
    /// By serial number (the device's ARN).
    #[serde(default)]
    pub mfa_devices: BTreeMap<String, MfaDevice>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct User {
    pub name: String,
    pub id: String,
    pub path: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created: OffsetDateTime,
    /// The user's console password, if they have one.
    #[serde(default)]
    pub login_profile: Option<LoginProfile>,
}

/// A console password: kept only as its Argon2 hash.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoginProfile {
    /// A PHC string (`$argon2id$v=19$…`).
    pub hash: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created: OffsetDateTime,
    /// Whether the user must choose a new password at the next sign-in.
    #[serde(default)]
    pub reset_required: bool,
}

/// A virtual MFA device. The seed stays here: it is shown only once, when it is created.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MfaDevice {
    pub serial: String,
    pub name: String,
    pub seed: Vec<u8>,
    /// Whom it is enabled for: `Some(None)` for the root user, `Some(Some(name))` for a user.
    #[serde(default)]
    pub assigned: Option<Option<String>>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub enabled: Option<OffsetDateTime>,
}

fn no_such(kind: &str, name: &str) -> AwsError {
    AwsError::new(
        404,
        "NoSuchEntity",
        format!("The {kind} with name {name} cannot be found."),
    )
}

/// The user a request names, or the caller itself: `None` is the root user.
fn target_user(cx: &Context<'_>, params: &Params) -> Option<String> {
    params
        .get("UserName")
        .map(str::to_string)
        .or_else(|| cx.caller.user.clone())
}

/// Routes an IAM action to its handler in [`api`], once the caller may use IAM at all.
pub fn handle(cx: &mut Context<'_>, action: &str, params: &Params) -> Result<Body, AwsError> {
    if cx.caller.temporary && !cx.caller_has_mfa() && !cx.caller_is_console() {
        return Err(AwsError::new(
            403,
            "InvalidClientTokenId",
            "The security token included in the request is invalid: temporary credentials without MFA cannot call IAM.",
        ));
    }
    let op = Operation::from_wire(Service::Iam, action);
    let Some((op, handler)) = op.and_then(|op| Some((op, api::handler(op)?))) else {
        return Err(
            if action.starts_with(char::is_uppercase) && action.chars().all(char::is_alphanumeric) {
                AwsError::unsupported("IAM", action)
            } else {
                AwsError::invalid_action(action)
            },
        );
    };
    let body = handler(cx, params)?;
    cx.changed |= op.mutates();
    Ok(body)
}

/// GetAccountSummary's figures: `AccountMFAEnabled` says whether the root user has MFA.
fn summary(iam: &Iam, root_keys: usize) -> Vec<(&'static str, usize)> {
    let root_mfa = iam.mfa_devices.values().any(|d| d.assigned == Some(None));
    let in_use = iam
        .mfa_devices
        .values()
        .filter(|d| d.assigned.is_some())
        .count();
    vec![
        ("AccountMFAEnabled", usize::from(root_mfa)),
        ("AccountAccessKeysPresent", usize::from(root_keys > 0)),
        ("Users", iam.users.len()),
        ("UsersQuota", 5000),
        ("MFADevices", iam.mfa_devices.len()),
        ("MFADevicesInUse", in_use),
        ("AccessKeysPerUserQuota", KEYS_PER_USER),
        ("Groups", 0),
        ("GroupsQuota", 300),
        ("Policies", 0),
        ("PoliciesQuota", 1500),
        ("Roles", 0),
        ("RolesQuota", 1000),
        ("ServerCertificates", 0),
    ]
}

fn body(write: impl FnOnce(&mut Xml) + 'static) -> Body {
    Box::new(write)
}
