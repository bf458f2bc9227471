//! IAM's calls: who is there, and whether they (and the root user) have MFA.

use aws_config::SdkConfig;
use serde_json::Value;

use super::Command;
use super::failure::{Failure, sdk_failure, send};
use super::params::Params;
use crate::cli_json;
use crate::strerror::strerror;
use cloudlings_core::operation::Operation;

pub const OPERATIONS: &[Command] = &[
    Command::new(Operation::ListUsers, &[]),
    Command::new(Operation::GetAccountSummary, &[]),
    Command::new(Operation::ListMfaDevices, &["user-name"]),
    Command::new(Operation::ListVirtualMfaDevices, &["assignment-status"]),
    Command::new(Operation::GetUser, &["user-name"]),
    Command::new(Operation::CreateUser, &["user-name", "path", "tags"]).requires(&["user-name"]),
    Command::new(Operation::DeleteUser, &["user-name"]).requires(&["user-name"]),
    Command::new(
        Operation::CreateVirtualMfaDevice,
        &[
            "virtual-mfa-device-name",
            "path",
            "outfile",
            "bootstrap-method",
            "tags",
        ],
    )
    .requires(&["virtual-mfa-device-name", "outfile", "bootstrap-method"]),
    Command::new(
        Operation::EnableMfaDevice,
        &[
            "user-name",
            "serial-number",
            "authentication-code1",
            "authentication-code2",
        ],
    )
    .requires(&[
        "user-name",
        "serial-number",
        "authentication-code1",
        "authentication-code2",
    ]),
    Command::new(
        Operation::DeactivateMfaDevice,
        &["user-name", "serial-number"],
    )
    .requires(&["serial-number"]),
    Command::new(Operation::DeleteVirtualMfaDevice, &["serial-number"])
        .requires(&["serial-number"]),
    Command::new(
        Operation::CreateLoginProfile,
        &[
            "user-name",
            "password",
            "password-reset-required",
            "no-password-reset-required",
        ],
    )
    .requires(&["password"]),
    Command::new(Operation::GetLoginProfile, &["user-name"]),
    Command::new(
        Operation::UpdateLoginProfile,
        &[
            "user-name",
            "password",
            "password-reset-required",
            "no-password-reset-required",
        ],
    ),
    Command::new(Operation::DeleteLoginProfile, &["user-name"]),
    Command::new(Operation::CreateAccountAlias, &["account-alias"]).requires(&["account-alias"]),
    Command::new(Operation::ListAccountAliases, &[]),
    Command::new(Operation::DeleteAccountAlias, &["account-alias"]).requires(&["account-alias"]),
];

/// `--password-reset-required` or `--no-password-reset-required`, if either is given.
fn reset_required(p: &Params<'_>) -> Option<bool> {
    if p.flag("password-reset-required") {
        Some(true)
    } else if p.flag("no-password-reset-required") {
        Some(false)
    } else {
        None
    }
}

/// How `create-virtual-mfa-device` hands over the secret: the CLI writes one of these to
/// `--outfile` and leaves both out of what it prints.
const BOOTSTRAP_METHODS: &[&str] = &["QRCodePNG", "Base32StringSeed"];

pub async fn call(
    p: &Params<'_>,
    operation: Operation,
    config: &SdkConfig,
) -> Result<Value, Failure> {
    let op = operation.cli_name();
    let iam = aws_sdk_iam::Client::new(config);
    match operation {
        Operation::ListUsers => {
            let mut users = Vec::new();
            let mut pages = iam.list_users().into_paginator().send();
            while let Some(page) = pages.next().await {
                let page = page.map_err(|error| sdk_failure(op, error))?;
                users.extend(page.users().iter().cloned());
            }
            Ok(cli_json::iam::list_users(&users))
        }
        Operation::GetAccountSummary => {
            let summary = send(op, iam.get_account_summary().send()).await?;
            Ok(cli_json::iam::get_account_summary(
                summary.summary_map().unwrap_or(&Default::default()),
            ))
        }
        Operation::ListMfaDevices => {
            let request = iam
                .list_mfa_devices()
                .set_user_name(p.one("user-name")?)
                .send();
            let devices = send(op, request).await?;
            Ok(cli_json::iam::list_mfa_devices(devices.mfa_devices()))
        }
        Operation::GetUser => {
            let request = iam.get_user().set_user_name(p.one("user-name")?);
            let answer = send(op, request.send()).await?;
            Ok(cli_json::iam::get_user(answer.user()))
        }
        Operation::CreateUser => {
            let request = iam
                .create_user()
                .set_user_name(p.one("user-name")?)
                .set_path(p.one("path")?)
                .set_tags(tags(p)?);
            let answer = send(op, request.send()).await?;
            Ok(cli_json::iam::get_user(answer.user()))
        }
        Operation::DeleteUser => {
            send(
                op,
                iam.delete_user().set_user_name(p.one("user-name")?).send(),
            )
            .await?;
            Ok(super::empty())
        }
        Operation::CreateVirtualMfaDevice => create_virtual_mfa_device(p, &iam).await,
        Operation::EnableMfaDevice => {
            let request = iam
                .enable_mfa_device()
                .set_user_name(p.one("user-name")?)
                .set_serial_number(p.one("serial-number")?)
                .set_authentication_code1(p.one("authentication-code1")?)
                .set_authentication_code2(p.one("authentication-code2")?);
            send(op, request.send()).await?;
            Ok(super::empty())
        }
        Operation::DeactivateMfaDevice => {
            let request = iam
                .deactivate_mfa_device()
                .set_user_name(p.one("user-name")?)
                .set_serial_number(p.one("serial-number")?);
            send(op, request.send()).await?;
            Ok(super::empty())
        }
        Operation::CreateLoginProfile => {
            let request = iam
                .create_login_profile()
                .set_user_name(p.one("user-name")?)
                .set_password(p.one("password")?)
                .set_password_reset_required(reset_required(p));
            let answer = send(op, request.send()).await?;
            Ok(cli_json::iam::login_profile(answer.login_profile()))
        }
        Operation::GetLoginProfile => {
            let request = iam.get_login_profile().set_user_name(p.one("user-name")?);
            let answer = send(op, request.send()).await?;
            Ok(cli_json::iam::login_profile(answer.login_profile()))
        }
        Operation::UpdateLoginProfile => {
            let request = iam
                .update_login_profile()
                .set_user_name(p.one("user-name")?)
                .set_password(p.one("password")?)
                .set_password_reset_required(reset_required(p));
            send(op, request.send()).await?;
            Ok(super::empty())
        }
        Operation::DeleteLoginProfile => {
            let request = iam
                .delete_login_profile()
                .set_user_name(p.one("user-name")?);
            send(op, request.send()).await?;
            Ok(super::empty())
        }
        Operation::CreateAccountAlias => {
            let request = iam
                .create_account_alias()
                .set_account_alias(p.one("account-alias")?);
            send(op, request.send()).await?;
            Ok(super::empty())
        }
        Operation::ListAccountAliases => {
            let answer = send(op, iam.list_account_aliases().send()).await?;
            Ok(serde_json::json!({ "AccountAliases": answer.account_aliases() }))
        }
        Operation::DeleteAccountAlias => {
            let request = iam
                .delete_account_alias()
                .set_account_alias(p.one("account-alias")?);
            send(op, request.send()).await?;
            Ok(super::empty())
        }
        Operation::DeleteVirtualMfaDevice => {
            let request = iam
                .delete_virtual_mfa_device()
                .set_serial_number(p.one("serial-number")?);
            send(op, request.send()).await?;
            Ok(super::empty())
        }
        _ => {
            let status = p
                .one("assignment-status")?
                .map(|status| status.as_str().into());
            let request = iam.list_virtual_mfa_devices().set_assignment_status(status);
            let devices = send(op, request.send()).await?;
            Ok(cli_json::iam::list_virtual_mfa_devices(
                devices.virtual_mfa_devices(),
            ))
        }
    }
}

/// `aws iam create-virtual-mfa-device --outfile qr.png --bootstrap-method QRCodePNG`: the
/// secret goes to the file (mode 0600, as the CLI opens it), never to the screen.
async fn create_virtual_mfa_device(
    p: &Params<'_>,
    iam: &aws_sdk_iam::Client,
) -> Result<Value, Failure> {
    let op = Operation::CreateVirtualMfaDevice.cli_name();
    let method = p.required("bootstrap-method")?;
    if !BOOTSTRAP_METHODS.contains(&method.as_str()) {
        return Err(Failure::Usage(format!(
            "argument --bootstrap-method: Invalid choice, valid choices are:\n\n{}",
            BOOTSTRAP_METHODS.join(" | ")
        )));
    }
    let outfile = p.required("outfile")?;
    let request = iam
        .create_virtual_mfa_device()
        .set_virtual_mfa_device_name(p.one("virtual-mfa-device-name")?)
        .set_path(p.one("path")?)
        .set_tags(tags(p)?);
    let answer = send(op, request.send()).await?;
    let Some(device) = answer.virtual_mfa_device() else {
        return Ok(super::empty());
    };
    let secret = match method.as_str() {
        "QRCodePNG" => device.qr_code_png(),
        _ => device.base32_string_seed(),
    };
    if let Some(secret) = secret {
        p.files
            .write_private(&outfile, secret.as_ref())
            .map_err(|error| {
                let (errno, reason) = (crate::workstation::errno(&error), strerror(&error));
                Failure::Client(format!("[Errno {errno}] {reason}: '{outfile}'"))
            })?;
    }
    Ok(cli_json::iam::create_virtual_mfa_device(device))
}

/// `--tags Key=team,Value=a Key=…`, shorthand or JSON.
fn tags(p: &Params<'_>) -> Result<Option<Vec<aws_sdk_iam::types::Tag>>, Failure> {
    let Some(items) = p.structures("tags")? else {
        return Ok(None);
    };
    items
        .iter()
        .map(|item| {
            aws_sdk_iam::types::Tag::builder()
                .set_key(super::params::text(item, "Key"))
                .set_value(super::params::text(item, "Value"))
                .build()
                .map_err(|error| Failure::Client(format!("Parameter validation failed: {error}")))
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}
