//! IAM: users, their access keys, and virtual MFA devices; the account summary.
//!
//! Every account starts with its root user only, as a fresh AWS account does. Policies are not
//! evaluated: a user can do what the root user can (the course teaches MFA and keys, not
//! policy writing).

pub mod devices;
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
use crate::wire::timestamp;
use devices::Assignment;
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

/// Routes an IAM action: read the request, call the logic in `users` or `devices`, write the
/// result with `wire::iam`.
pub fn handle(cx: &mut Context<'_>, action: &str, params: &Params) -> Result<Body, AwsError> {
    if cx.caller.temporary && !cx.caller_has_mfa() {
        return Err(AwsError::new(
            403,
            "InvalidClientTokenId",
            "The security token included in the request is invalid: temporary credentials without MFA cannot call IAM.",
        ));
    }
    let account = cx.caller.account.clone();
    let now = cx.now;
    let mutating = Operation::from_wire(Service::Iam, action).is_some_and(Operation::mutates);
    let body: Body = match action {
        "CreateUser" => {
            let user = cx.account()?.iam.create_user(
                params.required("UserName")?,
                params.get("Path").unwrap_or("/"),
                now,
            )?;
            body(move |x| {
                x.element("User", |x| wire::user(x, &user, &account));
            })
        }
        "GetUser" => match target_user(cx, params) {
            Some(name) => {
                let user = cx.account()?.iam.user(&name)?.clone();
                body(move |x| {
                    x.element("User", |x| wire::user(x, &user, &account));
                })
            }
            None => body(move |x| {
                x.element("User", |x| wire::root_user(x, &account));
            }),
        },
        "ListUsers" => {
            let prefix = params.get("PathPrefix").unwrap_or("/").to_string();
            let users: Vec<User> = cx
                .account()?
                .iam
                .users
                .values()
                .filter(|u| u.path.starts_with(&prefix))
                .cloned()
                .collect();
            body(move |x| {
                x.members("Users", &users, |x, user| wire::user(x, user, &account));
                x.leaf("IsTruncated", false);
            })
        }
        "DeleteUser" => {
            let name = params.required("UserName")?.to_string();
            let has_keys = !users::access_keys(cx.state, &account, &Some(name.clone())).is_empty();
            cx.account()?.iam.delete_user(&name, has_keys)?;
            body(|_| {})
        }
        "CreateAccessKey" => {
            let user = target_user(cx, params);
            if let Some(name) = &user {
                cx.account()?.iam.user(name)?;
            }
            let (id, key) = users::create_access_key(cx.state, &account, &user, now)?;
            body(move |x| {
                x.element("AccessKey", |x| wire::new_access_key(x, &id, &key));
            })
        }
        "ListAccessKeys" => {
            let keys = users::access_keys(cx.state, &account, &target_user(cx, params));
            body(move |x| {
                x.members("AccessKeyMetadata", &keys, |x, (id, key)| {
                    wire::access_key_metadata(x, id, key)
                });
                x.leaf("IsTruncated", false);
            })
        }
        "UpdateAccessKey" => {
            let active = match params.required("Status")? {
                "Active" => true,
                "Inactive" => false,
                other => {
                    return Err(AwsError::client(
                        "ValidationError",
                        format!(
                            "Value '{other}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]"
                        ),
                    ));
                }
            };
            let user = target_user(cx, params);
            users::change_access_key(
                cx.state,
                &account,
                &user,
                params.required("AccessKeyId")?,
                Some(active),
            )?;
            body(|_| {})
        }
        "DeleteAccessKey" => {
            let user = target_user(cx, params);
            users::change_access_key(
                cx.state,
                &account,
                &user,
                params.required("AccessKeyId")?,
                None,
            )?;
            body(|_| {})
        }
        "CreateVirtualMFADevice" => {
            let name = params.required("VirtualMFADeviceName")?;
            let device = cx.account()?.iam.create_device(
                name,
                params.get("Path").unwrap_or("/"),
                &account,
            )?;
            body(move |x| {
                x.element("VirtualMFADevice", |x| wire::new_device(x, &device));
            })
        }
        "EnableMFADevice" => {
            let user = target_user(cx, params);
            let (serial, first, second) = (
                params.required("SerialNumber")?,
                params.required("AuthenticationCode1")?,
                params.required("AuthenticationCode2")?,
            );
            cx.account()?
                .iam
                .enable_device(serial, user, first, second, now)?;
            body(|_| {})
        }
        "DeactivateMFADevice" => {
            let user = target_user(cx, params);
            cx.account()?
                .iam
                .deactivate_device(params.required("SerialNumber")?, &user)?;
            body(|_| {})
        }
        "DeleteVirtualMFADevice" => {
            cx.account()?
                .iam
                .delete_device(params.required("SerialNumber")?)?;
            body(|_| {})
        }
        "ListMFADevices" => {
            let user = target_user(cx, params);
            let devices = cx.account()?.iam.devices_of(&user);
            body(move |x| {
                x.members("MFADevices", &devices, |x, device| {
                    x.opt("UserName", device.assigned.clone().flatten().as_deref());
                    x.leaf("SerialNumber", &device.serial);
                    x.opt("EnableDate", device.enabled.map(timestamp::in_seconds));
                });
                x.leaf("IsTruncated", false);
            })
        }
        "ListVirtualMFADevices" => {
            let assignment = match params.get("AssignmentStatus").unwrap_or("Any") {
                "Assigned" => Assignment::Assigned,
                "Unassigned" => Assignment::Unassigned,
                _ => Assignment::Any,
            };
            let iam = cx.account()?.iam.clone();
            let devices = iam.virtual_devices(assignment);
            body(move |x| {
                x.members("VirtualMFADevices", &devices, |x, device| {
                    x.leaf("SerialNumber", &device.serial);
                    match &device.assigned {
                        Some(Some(name)) => {
                            if let Some(user) = iam.users.get(name) {
                                x.element("User", |x| wire::user(x, user, &account));
                            }
                        }
                        Some(None) => {
                            x.element("User", |x| wire::root_user(x, &account));
                        }
                        None => {}
                    }
                    x.opt("EnableDate", device.enabled.map(timestamp::in_seconds));
                });
                x.leaf("IsTruncated", false);
            })
        }
        "GetAccountSummary" => {
            let root_keys = users::access_keys(cx.state, &account, &None).len();
            let summary = summary(&cx.account()?.iam, root_keys);
            body(move |x| wire::summary_map(x, &summary))
        }
        _ if action.starts_with(char::is_uppercase)
            && action.chars().all(char::is_alphanumeric) =>
        {
            return Err(AwsError::unsupported("IAM", action));
        }
        _ => return Err(AwsError::invalid_action(action)),
    };
    cx.changed |= mutating;
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
