//! Who a request comes from, and whether S3 lets them do what they ask.
//!
//! The decision follows AWS's order: an explicit Deny in the bucket policy wins; the owner's
//! account may do anything else (IAM policies are not evaluated); anyone else needs an Allow
//! in the bucket policy, and Block Public Access's `RestrictPublicBuckets` takes that Allow
//! away from anonymous and other-account callers when the policy is public.

use s3s::{S3Error, S3ErrorCode, s3_error};

use super::bucket::Bucket;
use super::policy::{Decision, Policy, Principal, Request};

/// The identity behind a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requester {
    /// No signature: anyone on the internet.
    Anonymous,
    /// A signed request: the account and the IAM identity's ARN.
    Iam { account: String, arn: String },
    /// An AWS service acting for one of its resources: CloudFront fetching for a distribution
    /// through Origin Access Control.
    Service {
        name: String,
        source_arn: String,
        source_account: String,
    },
}

impl Requester {
    fn principal(&self) -> Principal<'_> {
        match self {
            Requester::Anonymous => Principal::Anonymous,
            Requester::Iam { account, arn } => Principal::Aws { account, arn },
            Requester::Service {
                name,
                source_arn,
                source_account,
            } => Principal::Service {
                name,
                source_arn: Some(source_arn),
                source_account: Some(source_account),
            },
        }
    }

    /// The account of a signed request.
    pub fn account(&self) -> Option<&str> {
        match self {
            Requester::Iam { account, .. } => Some(account),
            _ => None,
        }
    }

    /// The ARN shown as owner or initiator of what this requester makes.
    pub fn arn(&self) -> String {
        match self {
            Requester::Iam { arn, .. } => arn.clone(),
            Requester::Anonymous => "anonymous".to_string(),
            Requester::Service { name, .. } => name.clone(),
        }
    }

    fn owns(&self, bucket: &Bucket) -> bool {
        self.account() == Some(bucket.owner.as_str())
    }
}

/// Decides whether `who` may perform `action` (`s3:GetObject`) on the bucket or one of its keys.
pub fn authorize(
    bucket: &Bucket,
    who: &Requester,
    action: &str,
    key: Option<&str>,
) -> Result<(), S3Error> {
    let policy = bucket.policy();
    let resource = bucket.arn(key);
    let decision = policy.map_or(Decision::NotApplicable, |policy| {
        policy.evaluate(&Request {
            principal: who.principal(),
            action,
            resource: &resource,
            secure_transport: false,
        })
    });
    match decision {
        Decision::Deny => Err(access_denied()),
        _ if who.owns(bucket) => Ok(()),
        Decision::Allow => {
            let public = policy.is_some_and(Policy::is_public);
            let restricted = public
                && bucket.blocks().restrict_public_buckets
                && !matches!(who, Requester::Service { .. });
            if restricted {
                Err(access_denied())
            } else {
                Ok(())
            }
        }
        Decision::NotApplicable => Err(access_denied()),
    }
}

pub fn access_denied() -> S3Error {
    s3_error!(AccessDenied, "Access Denied")
}

/// An error with a code s3s has no name for.
pub fn custom(code: &'static str, status: u16, message: impl Into<String>) -> S3Error {
    let mut error = S3Error::with_message(S3ErrorCode::Custom(code.into()), message.into());
    if let Ok(status) = http::StatusCode::from_u16(status) {
        error.set_status_code(status);
    }
    error
}
