//! CloudFront's calls: Origin Access Controls, distributions and invalidations.

use aws_config::SdkConfig;
use serde_json::Value;

use super::Operation;
use super::failure::Failure;
use super::params::Params;

pub const OPERATIONS: &[Operation] = &[Operation::read(
    "cloudfront",
    "wait",
    &["id", "distribution-id"],
)];

pub async fn call(_p: &Params<'_>, op: &str, _config: &SdkConfig) -> Result<Value, Failure> {
    Err(Failure::Unsupported(format!("cloudfront {op}")))
}
