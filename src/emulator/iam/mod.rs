//! IAM: users, their access keys, and virtual MFA devices; the account summary.
//!
//! Every account starts with its root user only, as a fresh AWS account does. Policies are not
//! evaluated: a user can do what the root user can (the course teaches MFA and keys, not
//! policy writing).

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::context::Context;
use super::error::AwsError;
use super::state::AccessKey;
use super::wire::protocol::Body;
use super::wire::query::Params;
use super::wire::xml::Xml;
use super::{ids, mfa};

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

/// The most access keys a user (or the root user) may have.
const KEYS_PER_USER: usize = 2;

fn stamp(time: OffsetDateTime) -> String {
    let time = time.replace_nanosecond(0).unwrap_or(time);
    time.format(&Rfc3339).unwrap_or_default()
}

fn no_such(kind: &str, name: &str) -> AwsError {
    AwsError::new(
        404,
        "NoSuchEntity",
        format!("The {kind} with name {name} cannot be found."),
    )
}

fn check_name(name: &str, what: &str) -> Result<(), AwsError> {
    let valid = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
    if valid {
        Ok(())
    } else {
        Err(AwsError::client(
            "ValidationError",
            format!(
                "1 validation error detected: Value '{name}' at '{what}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+"
            ),
        ))
    }
}

/// The user a request names, or the caller itself: `None` is the root user.
fn target_user(cx: &Context<'_>, params: &Params) -> Option<String> {
    params
        .get("UserName")
        .map(str::to_string)
        .or_else(|| cx.caller.user.clone())
}

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
    let mut changed = false;
    let body: Body = match action {
        "CreateUser" => {
            let name = params.required("UserName")?.to_string();
            check_name(&name, "userName")?;
            let path = params.get("Path").unwrap_or("/").to_string();
            let iam = &mut cx.account()?.iam;
            if iam
                .users
                .keys()
                .any(|existing| existing.eq_ignore_ascii_case(&name))
            {
                return Err(AwsError::new(
                    409,
                    "EntityAlreadyExists",
                    format!("User with name {name} already exists."),
                ));
            }
            let user = User {
                name: name.clone(),
                id: ids::unique_id("AIDA"),
                path,
                created: now,
            };
            iam.users.insert(name, user.clone());
            changed = true;
            body(move |x| {
                x.element("User", |x| write_user(x, &user, &account));
            })
        }
        "GetUser" => {
            let name = target_user(cx, params);
            let iam = &cx.account()?.iam;
            match name {
                Some(name) => {
                    let user = iam
                        .users
                        .get(&name)
                        .cloned()
                        .ok_or_else(|| no_such("user", &name))?;
                    body(move |x| {
                        x.element("User", |x| write_user(x, &user, &account));
                    })
                }
                None => body(move |x| {
                    x.element("User", |x| {
                        x.leaf("UserId", &account);
                        x.leaf("Arn", format!("arn:aws:iam::{account}:root"));
                    });
                }),
            }
        }
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
                x.members("Users", &users, |x, user| write_user(x, user, &account));
                x.leaf("IsTruncated", false);
            })
        }
        "DeleteUser" => {
            let name = params.required("UserName")?.to_string();
            let has_keys = cx.state.keys.values().any(|k| {
                k.account == account && k.user.as_deref() == Some(&name) && k.session.is_none()
            });
            let iam = &mut cx.account()?.iam;
            if !iam.users.contains_key(&name) {
                return Err(no_such("user", &name));
            }
            let has_mfa = iam
                .mfa_devices
                .values()
                .any(|d| d.assigned == Some(Some(name.clone())));
            if has_keys || has_mfa {
                return Err(AwsError::new(
                    409,
                    "DeleteConflict",
                    "Cannot delete entity, must delete access keys and MFA devices first.",
                ));
            }
            iam.users.remove(&name);
            changed = true;
            body(|_| {})
        }
        "CreateAccessKey" => {
            let user = target_user(cx, params);
            if let Some(name) = &user
                && !cx.account()?.iam.users.contains_key(name)
            {
                return Err(no_such("user", name));
            }
            let owned = cx
                .state
                .keys
                .values()
                .filter(|k| k.account == account && k.user == user && k.session.is_none())
                .count();
            if owned >= KEYS_PER_USER {
                return Err(AwsError::new(
                    409,
                    "LimitExceeded",
                    format!("Cannot exceed quota for AccessKeysPerUser: {KEYS_PER_USER}"),
                ));
            }
            let id = ids::access_key_id();
            let secret = ids::secret_key();
            cx.state.keys.insert(
                id.clone(),
                AccessKey {
                    secret: secret.clone(),
                    account: account.clone(),
                    user: user.clone(),
                    session: None,
                    active: true,
                    created: now,
                },
            );
            changed = true;
            body(move |x| {
                x.element("AccessKey", |x| {
                    x.opt("UserName", user.as_deref());
                    x.leaf("AccessKeyId", &id);
                    x.leaf("Status", "Active");
                    x.leaf("SecretAccessKey", &secret);
                    x.leaf("CreateDate", stamp(now));
                });
            })
        }
        "ListAccessKeys" => {
            let user = target_user(cx, params);
            let keys: Vec<(String, AccessKey)> = cx
                .state
                .keys
                .iter()
                .filter(|(_, k)| k.account == account && k.user == user && k.session.is_none())
                .map(|(id, k)| (id.clone(), k.clone()))
                .collect();
            body(move |x| {
                x.members("AccessKeyMetadata", &keys, |x, (id, key)| {
                    x.opt("UserName", key.user.as_deref());
                    x.leaf("AccessKeyId", id);
                    x.leaf("Status", if key.active { "Active" } else { "Inactive" });
                    x.leaf("CreateDate", stamp(key.created));
                });
                x.leaf("IsTruncated", false);
            })
        }
        "UpdateAccessKey" | "DeleteAccessKey" => {
            let id = params.required("AccessKeyId")?.to_string();
            let user = target_user(cx, params);
            let key = cx
                .state
                .keys
                .get_mut(&id)
                .filter(|k| k.account == account && k.user == user && k.session.is_none())
                .ok_or_else(|| {
                    AwsError::new(
                        404,
                        "NoSuchEntity",
                        format!("The Access Key with id {id} cannot be found."),
                    )
                })?;
            if action == "UpdateAccessKey" {
                key.active = match params.required("Status")? {
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
            } else {
                cx.state.keys.remove(&id);
            }
            changed = true;
            body(|_| {})
        }
        "CreateVirtualMFADevice" => {
            let name = params.required("VirtualMFADeviceName")?.to_string();
            check_name(&name, "virtualMFADeviceName")?;
            let path = params.get("Path").unwrap_or("/");
            let serial = format!("arn:aws:iam::{account}:mfa{path}{name}");
            let iam = &mut cx.account()?.iam;
            if iam.mfa_devices.contains_key(&serial) {
                return Err(AwsError::new(
                    409,
                    "EntityAlreadyExists",
                    "MFADevice entity at the same path and name already exists.",
                ));
            }
            let seed = mfa::new_seed();
            let uri = mfa::otpauth_uri(&name, &account, &seed);
            let png = mfa::qr_png(&uri)
                .ok_or_else(|| AwsError::internal("could not draw the QR code"))?;
            let base32 = mfa::base32(&seed);
            iam.mfa_devices.insert(
                serial.clone(),
                MfaDevice {
                    serial: serial.clone(),
                    name,
                    seed,
                    assigned: None,
                    enabled: None,
                },
            );
            changed = true;
            body(move |x| {
                x.element("VirtualMFADevice", |x| {
                    x.leaf("SerialNumber", &serial);
                    // Blobs: base64 on the wire, as the SDKs decode them.
                    x.leaf("Base32StringSeed", STANDARD.encode(base32.as_bytes()));
                    x.leaf("QRCodePNG", STANDARD.encode(&png));
                });
            })
        }
        "EnableMFADevice" => {
            let user = target_user(cx, params);
            let serial = params.required("SerialNumber")?.to_string();
            let first = params.required("AuthenticationCode1")?.to_string();
            let second = params.required("AuthenticationCode2")?.to_string();
            let iam = &mut cx.account()?.iam;
            if let Some(name) = &user
                && !iam.users.contains_key(name)
            {
                return Err(no_such("user", name));
            }
            let device = iam.mfa_devices.get_mut(&serial).ok_or_else(|| {
                AwsError::new(
                    404,
                    "NoSuchEntity",
                    format!("VirtualMFADevice with serial number {serial} doesn't exist."),
                )
            })?;
            if device.assigned.is_some() {
                return Err(AwsError::new(
                    409,
                    "EntityAlreadyExists",
                    "MFA Device is already in use.",
                ));
            }
            if !mfa::consecutive(&device.seed, &first, &second) {
                return Err(AwsError::new(
                    403,
                    "InvalidAuthenticationCode",
                    "Authentication code for device is not valid.",
                ));
            }
            device.assigned = Some(user);
            device.enabled = Some(now);
            changed = true;
            body(|_| {})
        }
        "DeactivateMFADevice" => {
            let user = target_user(cx, params);
            let serial = params.required("SerialNumber")?.to_string();
            let device = cx
                .account()?
                .iam
                .mfa_devices
                .get_mut(&serial)
                .filter(|d| d.assigned.as_ref() == Some(&user))
                .ok_or_else(|| {
                    AwsError::new(
                        404,
                        "NoSuchEntity",
                        format!("MFA Device with serial number {serial} does not exist."),
                    )
                })?;
            device.assigned = None;
            device.enabled = None;
            changed = true;
            body(|_| {})
        }
        "DeleteVirtualMFADevice" => {
            let serial = params.required("SerialNumber")?.to_string();
            let iam = &mut cx.account()?.iam;
            let device = iam.mfa_devices.get(&serial).ok_or_else(|| {
                AwsError::new(
                    404,
                    "NoSuchEntity",
                    format!("VirtualMFADevice with serial number {serial} doesn't exist."),
                )
            })?;
            if device.assigned.is_some() {
                return Err(AwsError::new(
                    409,
                    "DeleteConflict",
                    "MFA VirtualDevice in use. Must deactivate first.",
                ));
            }
            iam.mfa_devices.remove(&serial);
            changed = true;
            body(|_| {})
        }
        "ListMFADevices" => {
            let user = target_user(cx, params);
            let devices: Vec<MfaDevice> = cx
                .account()?
                .iam
                .mfa_devices
                .values()
                .filter(|d| d.assigned.as_ref() == Some(&user))
                .cloned()
                .collect();
            body(move |x| {
                x.members("MFADevices", &devices, |x, device| {
                    x.opt("UserName", device.assigned.clone().flatten().as_deref());
                    x.leaf("SerialNumber", &device.serial);
                    x.opt("EnableDate", device.enabled.map(stamp));
                });
                x.leaf("IsTruncated", false);
            })
        }
        "ListVirtualMFADevices" => {
            let status = params.get("AssignmentStatus").unwrap_or("Any").to_string();
            let iam = cx.account()?.iam.clone();
            let devices: Vec<MfaDevice> = iam
                .mfa_devices
                .values()
                .filter(|d| match status.as_str() {
                    "Assigned" => d.assigned.is_some(),
                    "Unassigned" => d.assigned.is_none(),
                    _ => true,
                })
                .cloned()
                .collect();
            body(move |x| {
                x.members("VirtualMFADevices", &devices, |x, device| {
                    x.leaf("SerialNumber", &device.serial);
                    if let Some(user) = &device.assigned {
                        x.element("User", |x| match user {
                            Some(name) => {
                                if let Some(user) = iam.users.get(name) {
                                    write_user(x, user, &account);
                                }
                            }
                            None => {
                                x.leaf("UserId", &account);
                                x.leaf("Arn", format!("arn:aws:iam::{account}:root"));
                            }
                        });
                    }
                    x.opt("EnableDate", device.enabled.map(stamp));
                });
                x.leaf("IsTruncated", false);
            })
        }
        "GetAccountSummary" => {
            let root_keys = cx
                .state
                .keys
                .values()
                .filter(|k| k.account == account && k.user.is_none() && k.session.is_none())
                .count();
            let iam = &cx.account()?.iam;
            let root_mfa = iam.mfa_devices.values().any(|d| d.assigned == Some(None));
            let in_use = iam
                .mfa_devices
                .values()
                .filter(|d| d.assigned.is_some())
                .count();
            let summary: Vec<(&str, usize)> = vec![
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
            ];
            body(move |x| {
                x.element("SummaryMap", |x| {
                    for (key, value) in &summary {
                        x.element("entry", |x| {
                            x.leaf("key", key);
                            x.leaf("value", value);
                        });
                    }
                });
            })
        }
        _ if action.starts_with(char::is_uppercase)
            && action.chars().all(char::is_alphanumeric) =>
        {
            return Err(AwsError::unsupported("IAM", action));
        }
        _ => return Err(AwsError::invalid_action(action)),
    };
    cx.changed |= changed;
    Ok(body)
}

fn body(write: impl FnOnce(&mut Xml) + 'static) -> Body {
    Box::new(write)
}

fn write_user(x: &mut Xml, user: &User, account: &str) {
    x.leaf("Path", &user.path);
    x.leaf("UserName", &user.name);
    x.leaf("UserId", &user.id);
    x.leaf(
        "Arn",
        format!("arn:aws:iam::{account}:user{}{}", user.path, user.name),
    );
    x.leaf("CreateDate", stamp(user.created));
}
