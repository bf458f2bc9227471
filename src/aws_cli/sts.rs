//! STS's calls: who the caller is, and a session token after an MFA code.

use aws_config::SdkConfig;
use serde_json::Value;

use super::Command;
use super::failure::{Failure, send};
use super::params::Params;
use crate::cli_json;
use cloudlings_core::operation::Operation;

pub const OPERATIONS: &[Command] = &[
    Command::new(Operation::GetCallerIdentity, &[]),
    Command::new(
        Operation::GetSessionToken,
        &["serial-number", "token-code", "duration-seconds"],
    ),
];

pub async fn call(
    p: &Params<'_>,
    operation: Operation,
    config: &SdkConfig,
) -> Result<Value, Failure> {
    let op = operation.cli_name();
    let sts = aws_sdk_sts::Client::new(config);
    if operation == Operation::GetSessionToken {
        let duration = match p.one("duration-seconds")? {
            Some(text) => Some(text.parse::<i32>().map_err(|_| {
                Failure::Usage(format!(
                    "argument --duration-seconds: invalid integer value: '{text}'"
                ))
            })?),
            None => None,
        };
        let request = sts
            .get_session_token()
            .set_serial_number(p.one("serial-number")?)
            .set_token_code(p.one("token-code")?)
            .set_duration_seconds(duration)
            .send();
        return Ok(cli_json::sts::get_session_token(&send(op, request).await?));
    }
    let identity = send(op, sts.get_caller_identity().send()).await?;
    Ok(cli_json::sts::get_caller_identity(&identity))
}
