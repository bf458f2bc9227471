//! STS: who am I, and temporary credentials.

use cloudlings_core::operation::{Operation, Service};
use time::OffsetDateTime;

use super::access_keys::{AccessKey, Session};
use super::context::Context;
use super::error::AwsError;
use super::wire::protocol::Body;
use super::wire::query::Params;
use super::wire::xml::Xml;
use super::{ids, mfa};
use crate::wire::timestamp;

/// The answer to GetCallerIdentity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub account: String,
    pub arn: String,
    pub user_id: String,
}

type Handler = fn(&mut Context<'_>, &Params) -> Result<Body, AwsError>;

/// Each action the emulator carries out, with its handler.
const HANDLERS: &[(Operation, Handler)] = &[
    (Operation::GetCallerIdentity, get_caller_identity),
    (Operation::GetSessionToken, get_session_token),
];

/// Routes an STS action to its handler.
pub fn handle(cx: &mut Context<'_>, action: &str, params: &Params) -> Result<Body, AwsError> {
    let handler = Operation::from_wire(Service::Sts, action)
        .and_then(|op| HANDLERS.iter().find(|(declared, _)| *declared == op))
        .map(|(_, handler)| *handler);
    match handler {
        Some(handler) => handler(cx, params),
        None if action.starts_with(char::is_uppercase)
            && action.chars().all(char::is_alphanumeric) =>
        {
            Err(AwsError::unsupported("STS", action))
        }
        None => Err(AwsError::invalid_action(action)),
    }
}

fn get_caller_identity(cx: &mut Context<'_>, _params: &Params) -> Result<Body, AwsError> {
    let identity = caller_identity(cx);
    Ok(Box::new(move |x: &mut Xml| {
        x.leaf("UserId", &identity.user_id);
        x.leaf("Account", &identity.account);
        x.leaf("Arn", &identity.arn);
    }))
}

fn get_session_token(cx: &mut Context<'_>, params: &Params) -> Result<Body, AwsError> {
    let credentials = session_token(cx, params)?;
    Ok(Box::new(move |x: &mut Xml| {
        x.element("Credentials", |x| {
            x.leaf("AccessKeyId", &credentials.access_key);
            x.leaf("SecretAccessKey", &credentials.secret);
            x.leaf("SessionToken", &credentials.token);
            x.leaf("Expiration", timestamp::in_seconds(credentials.expires));
        });
    }))
}

/// Temporary credentials, as GetSessionToken returns them.
#[derive(Debug, Clone)]
pub struct SessionCredentials {
    pub access_key: String,
    pub secret: String,
    pub token: String,
    pub expires: OffsetDateTime,
}

/// Opens a session, with an MFA code checked against the caller's enabled device when one is
/// given: the way the lecture's MFA protects what the account does.
fn session_token(cx: &mut Context<'_>, params: &Params) -> Result<SessionCredentials, AwsError> {
    if cx.caller.temporary {
        return Err(AwsError::new(
            403,
            "AccessDenied",
            "Cannot call GetSessionToken with session credentials",
        ));
    }
    let max = if cx.caller.user.is_none() {
        3600
    } else {
        129_600
    };
    let duration = params
        .int("DurationSeconds")?
        .unwrap_or(if cx.caller.user.is_none() {
            3600
        } else {
            43_200
        });
    if !(900..=max).contains(&duration) {
        return Err(AwsError::client(
            "ValidationError",
            format!(
                "1 validation error detected: Value '{duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and {max}"
            ),
        ));
    }
    let mfa = match (params.get("SerialNumber"), params.get("TokenCode")) {
        (None, None) => false,
        (Some(serial), Some(code)) => {
            if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(AwsError::client(
                    "ValidationError",
                    format!(
                        "1 validation error detected: Value '{code}' at 'tokenCode' failed to satisfy constraint: Member must have length 6 and consist of digits"
                    ),
                ));
            }
            let user = cx.caller.user.clone();
            let device = cx
                .account
                .iam
                .mfa_devices
                .get(serial)
                .filter(|device| device.assigned.as_ref() == Some(&user))
                .ok_or_else(|| AwsError::new(403, "AccessDenied", "MultiFactorAuthentication failed, unable to validate MFA code. Please verify your MFA serial number is valid and associated with this user."))?;
            if !mfa::current(&device.seed, code) {
                return Err(AwsError::new(
                    403,
                    "AccessDenied",
                    "MultiFactorAuthentication failed with invalid MFA one time pass code.",
                ));
            }
            true
        }
        _ => {
            return Err(AwsError::new(
                403,
                "AccessDenied",
                "MultiFactorAuthentication needs both SerialNumber and TokenCode.",
            ));
        }
    };
    let credentials = SessionCredentials {
        access_key: ids::temporary_key_id(),
        secret: ids::secret_key(),
        token: ids::session_token(),
        expires: cx.now + time::Duration::seconds(duration),
    };
    let mut shared = cx.world.lock();
    shared.keys.insert(
        credentials.access_key.clone(),
        AccessKey {
            secret: credentials.secret.clone(),
            account: cx.caller.account.clone(),
            user: cx.caller.user.clone(),
            session: Some(Session {
                token: credentials.token.clone(),
                expires: credentials.expires,
                mfa,
                console: false,
            }),
            active: true,
            created: cx.now,
        },
    );
    // Expired sessions are of no use to anyone: forget the account's as new ones are made.
    let (now, account) = (cx.now, &cx.caller.account);
    shared.keys.retain(|_, key| {
        &key.account != account || key.session.as_ref().is_none_or(|s| s.expires > now)
    });
    drop(shared);
    cx.changed = true;
    Ok(credentials)
}

fn caller_identity(cx: &Context<'_>) -> Identity {
    let caller = &cx.caller;
    let user_id = match &caller.user {
        None => caller.account.clone(),
        Some(user) => user.clone(),
    };
    Identity {
        account: caller.account.clone(),
        arn: caller.arn(),
        user_id,
    }
}
