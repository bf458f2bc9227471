//! The IAM API: one handler per action, and the table that routes each [`Operation`] to its
//! handler. A handler reads its request, calls the logic in `users` or `devices`, and writes
//! the answer with `wire`; [`super::handle`] does what is common to all of them.

use cloudlings_core::operation::Operation;

use super::devices::Assignment;
use super::{User, aliases, body, login_profiles, summary, target_user, users, wire};
use crate::context::Context;
use crate::error::AwsError;
use crate::wire::protocol::Body;
use crate::wire::query::Params;
use crate::wire::timestamp;

type Handler = fn(&mut Context<'_>, &Params) -> Result<Body, AwsError>;

/// Each action the emulator carries out, with its handler.
const HANDLERS: &[(Operation, Handler)] = &[
    (Operation::CreateUser, create_user),
    (Operation::GetUser, get_user),
    (Operation::ListUsers, list_users),
    (Operation::DeleteUser, delete_user),
    (Operation::CreateAccessKey, create_access_key),
    (Operation::ListAccessKeys, list_access_keys),
    (Operation::UpdateAccessKey, update_access_key),
    (Operation::DeleteAccessKey, delete_access_key),
    (Operation::CreateVirtualMfaDevice, create_virtual_mfa_device),
    (Operation::EnableMfaDevice, enable_mfa_device),
    (Operation::DeactivateMfaDevice, deactivate_mfa_device),
    (Operation::DeleteVirtualMfaDevice, delete_virtual_mfa_device),
    (Operation::ListMfaDevices, list_mfa_devices),
    (Operation::ListVirtualMfaDevices, list_virtual_mfa_devices),
    (Operation::GetAccountSummary, get_account_summary),
    (Operation::CreateLoginProfile, login_profiles::create),
    (Operation::GetLoginProfile, login_profiles::get),
    (Operation::UpdateLoginProfile, login_profiles::update),
    (Operation::DeleteLoginProfile, login_profiles::delete),
    (Operation::CreateAccountAlias, aliases::create),
    (Operation::ListAccountAliases, aliases::list),
    (Operation::DeleteAccountAlias, aliases::delete),
];

/// The handler of `op`, if the emulator carries it out.
pub(super) fn handler(op: Operation) -> Option<Handler> {
    HANDLERS
        .iter()
        .find(|(declared, _)| *declared == op)
        .map(|(_, handler)| *handler)
}

fn create_user(cx: &mut Context<'_>, params: &Params) -> Result<Body, AwsError> {
    let account = cx.caller.account.clone();
    let now = cx.now;
    let user = cx.account.iam.create_user(
        params.required("UserName")?,
        params.get("Path").unwrap_or("/"),
        now,
    )?;
    Ok(body(move |x| {
        x.element("User", |x| wire::user(x, &user, &account));
    }))
}

fn get_user(cx: &mut Context<'_>, params: &Params) -> Result<Body, AwsError> {
    let account = cx.caller.account.clone();
    Ok(match target_user(cx, params) {
        Some(name) => {
            let user = cx.account.iam.user(&name)?.clone();
            body(move |x| {
                x.element("User", |x| wire::user(x, &user, &account));
            })
        }
        None => body(move |x| {
            x.element("User", |x| wire::root_user(x, &account));
        }),
    })
}

fn list_users(cx: &mut Context<'_>, params: &Params) -> Result<Body, AwsError> {
    let account = cx.caller.account.clone();
    let prefix = params.get("PathPrefix").unwrap_or("/").to_string();
    let users: Vec<User> = cx
        .account
        .iam
        .users
        .values()
        .filter(|u| u.path.starts_with(&prefix))
        .cloned()
        .collect();
    Ok(body(move |x| {
        x.members("Users", &users, |x, user| wire::user(x, user, &account));
        x.leaf("IsTruncated", false);
    }))
}

fn delete_user(cx: &mut Context<'_>, params: &Params) -> Result<Body, AwsError> {
    let account = cx.caller.account.clone();
    let name = params.required("UserName")?.to_string();
    let has_keys =
        !users::access_keys(&cx.world.lock().keys, &account, &Some(name.clone())).is_empty();
    cx.account.iam.delete_user(&name, has_keys)?;
    Ok(body(|_| {}))
}

fn create_access_key(cx: &mut Context<'_>, params: &Params) -> Result<Body, AwsError> {
    let account = cx.caller.account.clone();
    let now = cx.now;
    let user = target_user(cx, params);
    if let Some(name) = &user {
        cx.account.iam.user(name)?;
    }
    let (id, key) = users::create_access_key(&mut cx.world.lock().keys, &account, &user, now)?;
    Ok(body(move |x| {
        x.element("AccessKey", |x| wire::new_access_key(x, &id, &key));
    }))
}

fn list_access_keys(cx: &mut Context<'_>, params: &Params) -> Result<Body, AwsError> {
    let account = cx.caller.account.clone();
    let keys = users::access_keys(&cx.world.lock().keys, &account, &target_user(cx, params));
    Ok(body(move |x| {
        x.members("AccessKeyMetadata", &keys, |x, (id, key)| {
            wire::access_key_metadata(x, id, key)
        });
        x.leaf("IsTruncated", false);
    }))
}

fn update_access_key(cx: &mut Context<'_>, params: &Params) -> Result<Body, AwsError> {
    let account = cx.caller.account.clone();
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
        &mut cx.world.lock().keys,
        &account,
        &user,
        params.required("AccessKeyId")?,
        Some(active),
    )?;
    Ok(body(|_| {}))
}

fn delete_access_key(cx: &mut Context<'_>, params: &Params) -> Result<Body, AwsError> {
    let account = cx.caller.account.clone();
    let user = target_user(cx, params);
    users::change_access_key(
        &mut cx.world.lock().keys,
        &account,
        &user,
        params.required("AccessKeyId")?,
        None,
    )?;
    Ok(body(|_| {}))
}

fn create_virtual_mfa_device(cx: &mut Context<'_>, params: &Params) -> Result<Body, AwsError> {
    let account = cx.caller.account.clone();
    let name = params.required("VirtualMFADeviceName")?;
    let device = cx
        .account
        .iam
        .create_device(name, params.get("Path").unwrap_or("/"), &account)?;
    Ok(body(move |x| {
        x.element("VirtualMFADevice", |x| wire::new_device(x, &device));
    }))
}

fn enable_mfa_device(cx: &mut Context<'_>, params: &Params) -> Result<Body, AwsError> {
    let now = cx.now;
    let user = target_user(cx, params);
    let (serial, first, second) = (
        params.required("SerialNumber")?,
        params.required("AuthenticationCode1")?,
        params.required("AuthenticationCode2")?,
    );
    cx.account
        .iam
        .enable_device(serial, user, first, second, now)?;
    Ok(body(|_| {}))
}

fn deactivate_mfa_device(cx: &mut Context<'_>, params: &Params) -> Result<Body, AwsError> {
    let user = target_user(cx, params);
    cx.account
        .iam
        .deactivate_device(params.required("SerialNumber")?, &user)?;
    Ok(body(|_| {}))
}

fn delete_virtual_mfa_device(cx: &mut Context<'_>, params: &Params) -> Result<Body, AwsError> {
    cx.account
        .iam
        .delete_device(params.required("SerialNumber")?)?;
    Ok(body(|_| {}))
}

fn list_mfa_devices(cx: &mut Context<'_>, params: &Params) -> Result<Body, AwsError> {
    let user = target_user(cx, params);
    let devices = cx.account.iam.devices_of(&user);
    Ok(body(move |x| {
        x.members("MFADevices", &devices, |x, device| {
            x.opt("UserName", device.assigned.clone().flatten().as_deref());
            x.leaf("SerialNumber", &device.serial);
            x.opt("EnableDate", device.enabled.map(timestamp::in_seconds));
        });
        x.leaf("IsTruncated", false);
    }))
}

fn list_virtual_mfa_devices(cx: &mut Context<'_>, params: &Params) -> Result<Body, AwsError> {
    let account = cx.caller.account.clone();
    let assignment = match params.get("AssignmentStatus").unwrap_or("Any") {
        "Assigned" => Assignment::Assigned,
        "Unassigned" => Assignment::Unassigned,
        _ => Assignment::Any,
    };
    let iam = cx.account.iam.clone();
    let devices = iam.virtual_devices(assignment);
    Ok(body(move |x| {
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
    }))
}

fn get_account_summary(cx: &mut Context<'_>, _params: &Params) -> Result<Body, AwsError> {
    let account = cx.caller.account.clone();
    let root_keys = users::access_keys(&cx.world.lock().keys, &account, &None).len();
    let summary = summary(&cx.account.iam, root_keys);
    Ok(body(move |x| wire::summary_map(x, &summary)))
}

#[cfg(test)]
mod tests {
    use cloudlings_core::operation::Service;

    use super::*;

    #[test]
    fn every_iam_operation_has_a_handler() {
        for op in Operation::of(Service::Iam) {
            assert!(handler(op).is_some(), "{op} has no handler");
        }
        for (op, _) in HANDLERS {
            assert_eq!(op.service(), Service::Iam, "{op} is not IAM's");
        }
    }
}
