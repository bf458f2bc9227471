//! IAM's answers as `aws iam … --output json` prints them.

use aws_sdk_iam::types::{LoginProfile, MfaDevice, SummaryKeyType, User, VirtualMfaDevice};
use serde_json::{Value, json};

use super::{Object, Stamp, time};

/// `aws iam list-users`.
pub fn list_users(users: &[User]) -> Value {
    json!({ "Users": users.iter().map(user).collect::<Vec<_>>() })
}

fn user(user: &User) -> Value {
    Object::new()
        .set("Path", user.path())
        .set("UserName", user.user_name())
        .set("UserId", user.user_id())
        .set("Arn", user.arn())
        .opt("CreateDate", time(Some(user.create_date()), Stamp::Seconds))
        .build()
}

/// `aws iam list-mfa-devices`: the caller's (or a user's) enabled devices.
pub fn list_mfa_devices(devices: &[MfaDevice]) -> Value {
    json!({ "MFADevices": devices.iter().map(|device| {
        Object::new()
            .set("UserName", device.user_name())
            .set("SerialNumber", device.serial_number())
            .opt("EnableDate", time(Some(device.enable_date()), Stamp::Seconds))
            .build()
    }).collect::<Vec<_>>() })
}

/// `aws iam list-virtual-mfa-devices`.
pub fn list_virtual_mfa_devices(devices: &[VirtualMfaDevice]) -> Value {
    json!({ "VirtualMFADevices": devices.iter().map(|device| {
        Object::new()
            .set("SerialNumber", device.serial_number())
            .opt("User", device.user().map(user))
            .opt("EnableDate", time(device.enable_date(), Stamp::Seconds))
            .build()
    }).collect::<Vec<_>>() })
}

/// `aws iam get-account-summary`: the account's counts (users, MFA devices, whether the root
/// user has MFA, …). The CLI prints them in the order the XML brings them, which the SDK's map
/// forgets: they come back in the emulator's order (IAM's own keys first, as it sends them),
/// and any other key after, sorted.
pub fn get_account_summary(summary: &std::collections::HashMap<SummaryKeyType, i32>) -> Value {
    let mut keys: Vec<&str> = summary.keys().map(SummaryKeyType::as_str).collect();
    keys.sort_by_key(|key| {
        let known = SUMMARY_ORDER.iter().position(|known| known == key);
        (known.unwrap_or(SUMMARY_ORDER.len()), *key)
    });
    let map: serde_json::Map<String, Value> = keys
        .into_iter()
        .filter_map(|key| {
            let value = summary.get(&SummaryKeyType::from(key))?;
            Some((key.to_string(), Value::from(*value)))
        })
        .collect();
    json!({ "SummaryMap": map })
}

/// The order in which the emulator's IAM sends the summary's keys.
const SUMMARY_ORDER: &[&str] = &[
    "AccountMFAEnabled",
    "AccountAccessKeysPresent",
    "Users",
    "UsersQuota",
    "MFADevices",
    "MFADevicesInUse",
    "AccessKeysPerUserQuota",
    "Groups",
    "GroupsQuota",
    "Policies",
    "PoliciesQuota",
    "Roles",
    "RolesQuota",
    "ServerCertificates",
];

/// `aws iam get-user` and `create-user`.
pub fn get_user(answer: Option<&User>) -> Value {
    Object::new().opt("User", answer.map(user)).build()
}

/// `aws iam create-virtual-mfa-device`, as the CLI prints it once the secret went to the file.
pub fn create_virtual_mfa_device(device: &VirtualMfaDevice) -> Value {
    json!({ "VirtualMFADevice": Object::new()
        .set("SerialNumber", device.serial_number())
        .build() })
}

/// `aws iam create-login-profile` and `get-login-profile`: never the password.
pub fn login_profile(profile: Option<&LoginProfile>) -> Value {
    let profile = profile.map(|profile| {
        Object::new()
            .set("UserName", profile.user_name())
            .opt(
                "CreateDate",
                time(Some(profile.create_date()), Stamp::Seconds),
            )
            .set("PasswordResetRequired", profile.password_reset_required())
            .build()
    });
    json!({ "LoginProfile": profile })
}
