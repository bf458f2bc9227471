//! STS's answers as `aws sts … --output json` prints them.

use aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityOutput;
use serde_json::Value;

use super::Object;

/// `aws sts get-caller-identity`.
pub fn get_caller_identity(output: &GetCallerIdentityOutput) -> Value {
    Object::new()
        .opt("UserId", output.user_id())
        .opt("Account", output.account())
        .opt("Arn", output.arn())
        .build()
}
