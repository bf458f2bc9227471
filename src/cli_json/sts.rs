//! STS's answers as `aws sts … --output json` prints them.

use aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityOutput;
use aws_sdk_sts::operation::get_session_token::GetSessionTokenOutput;
use serde_json::Value;

use super::{Object, Stamp, time};

/// `aws sts get-caller-identity`.
pub fn get_caller_identity(output: &GetCallerIdentityOutput) -> Value {
    Object::new()
        .opt("UserId", output.user_id())
        .opt("Account", output.account())
        .opt("Arn", output.arn())
        .build()
}

/// `aws sts get-session-token`: temporary credentials (with MFA when a code was given).
pub fn get_session_token(output: &GetSessionTokenOutput) -> Value {
    Object::new()
        .opt(
            "Credentials",
            output.credentials().map(|credentials| {
                Object::new()
                    .set("AccessKeyId", credentials.access_key_id())
                    .set("SecretAccessKey", credentials.secret_access_key())
                    .set("SessionToken", credentials.session_token())
                    .opt(
                        "Expiration",
                        time(Some(credentials.expiration()), Stamp::Seconds),
                    )
                    .build()
            }),
        )
        .build()
}
