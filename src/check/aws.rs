//! AWS probes: a call made through aws-sdk-rust against the learner's target, rendered as the
//! aws CLI's JSON ([`crate::cli_json`]). Lessons name the call as the CLI does,
//! `probe.aws = "ec2 describe-security-groups"`, and query the answer as `--query` would.

use aws_config::SdkConfig;
use serde_json::Value;

use crate::cli_json;

/// A call a check can make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AwsCall {
    Ec2DescribeInstances,
    Ec2DescribeSecurityGroups,
    Ec2DescribeKeyPairs,
    Ec2DescribeImages,
    StsGetCallerIdentity,
    IamGetAccountSummary,
    IamListUsers,
    IamListMfaDevices,
    IamListVirtualMfaDevices,
    S3apiListBuckets,
}

/// The calls, by the name the aws CLI gives them.
const CALLS: &[(&str, AwsCall)] = &[
    ("ec2 describe-instances", AwsCall::Ec2DescribeInstances),
    (
        "ec2 describe-security-groups",
        AwsCall::Ec2DescribeSecurityGroups,
    ),
    ("ec2 describe-key-pairs", AwsCall::Ec2DescribeKeyPairs),
    ("ec2 describe-images", AwsCall::Ec2DescribeImages),
    ("sts get-caller-identity", AwsCall::StsGetCallerIdentity),
    ("iam get-account-summary", AwsCall::IamGetAccountSummary),
    ("iam list-users", AwsCall::IamListUsers),
    ("iam list-mfa-devices", AwsCall::IamListMfaDevices),
    (
        "iam list-virtual-mfa-devices",
        AwsCall::IamListVirtualMfaDevices,
    ),
    ("s3api list-buckets", AwsCall::S3apiListBuckets),
];

impl AwsCall {
    /// `"ec2  describe-instances"` (spacing as typed) to the call, if it is one.
    pub fn parse(text: &str) -> Option<AwsCall> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let wanted = words.join(" ");
        CALLS
            .iter()
            .find(|(name, _)| *name == wanted)
            .map(|(_, call)| *call)
    }

    /// Every call's name, for error messages.
    pub fn names() -> impl Iterator<Item = &'static str> {
        CALLS.iter().map(|(name, _)| *name)
    }

    pub fn name(self) -> &'static str {
        CALLS
            .iter()
            .find(|(_, call)| *call == self)
            .map_or("", |(name, _)| name)
    }

    /// Makes the call, following pages, and renders the answer.
    pub async fn call(self, config: &SdkConfig) -> Result<Value, String> {
        let failed = |error: &dyn std::fmt::Display| format!("{}: {error}", self.name());
        match self {
            AwsCall::Ec2DescribeInstances => {
                let ec2 = aws_sdk_ec2::Client::new(config);
                let mut reservations = Vec::new();
                let mut pages = ec2.describe_instances().into_paginator().send();
                while let Some(page) = pages.next().await {
                    let page = page.map_err(|e| failed(&sdk_error(&e)))?;
                    reservations.extend(page.reservations().iter().cloned());
                }
                Ok(cli_json::ec2::describe_instances(&reservations))
            }
            AwsCall::Ec2DescribeSecurityGroups => {
                let ec2 = aws_sdk_ec2::Client::new(config);
                let mut groups = Vec::new();
                let mut pages = ec2.describe_security_groups().into_paginator().send();
                while let Some(page) = pages.next().await {
                    let page = page.map_err(|e| failed(&sdk_error(&e)))?;
                    groups.extend(page.security_groups().iter().cloned());
                }
                Ok(cli_json::ec2::describe_security_groups(&groups))
            }
            AwsCall::Ec2DescribeKeyPairs => {
                let ec2 = aws_sdk_ec2::Client::new(config);
                let pairs = ec2
                    .describe_key_pairs()
                    .send()
                    .await
                    .map_err(|e| failed(&sdk_error(&e)))?;
                Ok(cli_json::ec2::describe_key_pairs(pairs.key_pairs()))
            }
            AwsCall::Ec2DescribeImages => {
                let ec2 = aws_sdk_ec2::Client::new(config);
                let images = ec2
                    .describe_images()
                    .send()
                    .await
                    .map_err(|e| failed(&sdk_error(&e)))?;
                Ok(cli_json::ec2::describe_images(images.images()))
            }
            AwsCall::IamGetAccountSummary => {
                let iam = aws_sdk_iam::Client::new(config);
                let summary = iam
                    .get_account_summary()
                    .send()
                    .await
                    .map_err(|e| failed(&sdk_error(&e)))?;
                Ok(cli_json::iam::get_account_summary(
                    summary.summary_map().unwrap_or(&Default::default()),
                ))
            }
            AwsCall::StsGetCallerIdentity => {
                let sts = aws_sdk_sts::Client::new(config);
                let identity = sts
                    .get_caller_identity()
                    .send()
                    .await
                    .map_err(|e| failed(&sdk_error(&e)))?;
                Ok(cli_json::sts::get_caller_identity(&identity))
            }
            AwsCall::IamListUsers => {
                let iam = aws_sdk_iam::Client::new(config);
                let mut users = Vec::new();
                let mut pages = iam.list_users().into_paginator().send();
                while let Some(page) = pages.next().await {
                    let page = page.map_err(|e| failed(&sdk_error(&e)))?;
                    users.extend(page.users().iter().cloned());
                }
                Ok(cli_json::iam::list_users(&users))
            }
            AwsCall::IamListMfaDevices => {
                let iam = aws_sdk_iam::Client::new(config);
                let devices = iam
                    .list_mfa_devices()
                    .send()
                    .await
                    .map_err(|e| failed(&sdk_error(&e)))?;
                Ok(cli_json::iam::list_mfa_devices(devices.mfa_devices()))
            }
            AwsCall::IamListVirtualMfaDevices => {
                let iam = aws_sdk_iam::Client::new(config);
                let devices = iam
                    .list_virtual_mfa_devices()
                    .send()
                    .await
                    .map_err(|e| failed(&sdk_error(&e)))?;
                Ok(cli_json::iam::list_virtual_mfa_devices(
                    devices.virtual_mfa_devices(),
                ))
            }
            AwsCall::S3apiListBuckets => {
                let s3 = aws_sdk_s3::Client::new(config);
                let buckets = s3
                    .list_buckets()
                    .send()
                    .await
                    .map_err(|e| failed(&sdk_error(&e)))?;
                Ok(cli_json::s3::list_buckets(&buckets))
            }
        }
    }
}

/// An SDK error as one line: the service's code and message when it answered, else why the
/// request failed (cannot connect, timed out).
fn sdk_error<E, R>(error: &aws_smithy_runtime_api::client::result::SdkError<E, R>) -> String
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    use aws_smithy_runtime_api::client::result::SdkError;
    match error {
        SdkError::ServiceError(service) => {
            let error = service.err();
            format!(
                "{}: {}",
                error.code().unwrap_or("Error"),
                error.message().unwrap_or_default()
            )
        }
        other => {
            let mut text = other.to_string();
            let mut source = std::error::Error::source(other);
            while let Some(cause) = source {
                text = format!("{text}: {cause}");
                source = cause.source();
            }
            text
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_are_named_as_the_cli_names_them() {
        assert_eq!(
            AwsCall::parse("ec2   describe-instances"),
            Some(AwsCall::Ec2DescribeInstances)
        );
        assert_eq!(AwsCall::parse("ec2 describe-instance"), None);
        for name in AwsCall::names() {
            assert_eq!(AwsCall::parse(name).map(AwsCall::name), Some(name));
        }
    }
}
