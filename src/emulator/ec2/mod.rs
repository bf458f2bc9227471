//! EC2: the regional compute service. Each account has its resources per region; a request
//! sees only its own account's resources in the region it was signed for.

mod regions;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::context::Context;
use super::error::AwsError;
use super::sts::Body;
use super::wire::query::Params;

/// An account's EC2 resources, by region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Ec2 {
    #[serde(default)]
    pub regions: BTreeMap<String, RegionState>,
}

/// An account's EC2 resources in one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RegionState {}

/// Routes an EC2 action to its handler: one line per operation.
pub fn handle(cx: &mut Context<'_>, action: &str, params: &Params) -> Result<Body, AwsError> {
    match action {
        "DescribeRegions" => regions::describe_regions(cx, params),
        "DescribeAvailabilityZones" => regions::describe_availability_zones(cx, params),
        _ if action.starts_with(char::is_uppercase)
            && action.chars().all(char::is_alphanumeric) =>
        {
            Err(AwsError::unsupported("EC2", action))
        }
        _ => Err(AwsError::invalid_action(action)),
    }
}
