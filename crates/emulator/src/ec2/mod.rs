//! EC2: the regional compute service. Each account has its resources per region; a request
//! sees only its own account's resources in the region it was signed for.
//!
//! This file holds the state and what every request shares; `api.rs` has one handler per
//! action, and `wire.rs` the protocol's decoders and encoders.

mod api;
pub mod filter;
pub mod instances;
pub mod key_pairs;
pub mod network;
mod regions;
pub mod security_groups;
pub mod tags;
mod wire;

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};
use time::Duration;

use super::context::Context;
use super::error::AwsError;
use super::wire::protocol::Body;
use super::wire::query::Params;
use super::wire::xml::Xml;
use cloudlings_core::catalog;
use cloudlings_core::operation::{Operation, Service};
use filter::{Filterable, matches};
use instances::Instance;
use key_pairs::KeyPair;
use network::{Subnet, Vpc};
use security_groups::SecurityGroup;

/// Tags of a resource, by key.
pub type Tags = BTreeMap<String, String>;

/// An account's EC2 resources, by region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Ec2 {
    #[serde(default)]
    pub regions: BTreeMap<String, RegionState>,
}

/// An account's EC2 resources in one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RegionState {
    #[serde(default)]
    pub vpcs: BTreeMap<String, Vpc>,
    #[serde(default)]
    pub subnets: BTreeMap<String, Subnet>,
    #[serde(default)]
    pub security_groups: BTreeMap<String, SecurityGroup>,
    /// By name, which is how requests name key pairs.
    #[serde(default)]
    pub key_pairs: BTreeMap<String, KeyPair>,
    #[serde(default)]
    pub instances: BTreeMap<String, Instance>,
}

/// How long a Windows instance takes to make its administrator password available.
const PASSWORD_READY: Duration = Duration::minutes(4);
/// How long a running instance's status checks stay `initializing`.
const STATUS_INITIALIZING: Duration = Duration::seconds(60);

/// Routes an EC2 action to its handler in [`api`], with what every action shares: the region
/// and its default network, refusing a `DryRun` of a change, and saving what changed.
pub fn handle(cx: &mut Context<'_>, action: &str, params: &Params) -> Result<Body, AwsError> {
    if action == "DescribeRegions" {
        return regions::describe_regions(params);
    }
    let info = catalog::region(&cx.region).ok_or_else(|| {
        AwsError::client(
            "InvalidParameterValue",
            format!("Invalid region: {}", cx.region),
        )
    })?;
    let op = Operation::from_wire(Service::Ec2, action);
    let Some((op, handler)) = op.and_then(|op| Some((op, api::handler(op)?))) else {
        return Err(
            if action.starts_with(char::is_uppercase) && action.chars().all(char::is_alphanumeric) {
                AwsError::unsupported("EC2", action)
            } else {
                AwsError::invalid_action(action)
            },
        );
    };
    let taken: HashSet<String> = match op {
        Operation::RunInstances | Operation::StartInstances => public_addresses(cx),
        _ => HashSet::new(),
    };
    let owner = cx.caller.account.clone();
    let name = cx.region.clone();
    let now = cx.now;
    let account = cx.account()?;
    let region = account.ec2.regions.entry(name.clone()).or_default();
    let defaults_made = region.ensure_defaults(info, &owner);
    // A dry run of an action the emulator carries out would have succeeded; one it does not
    // implement still says so.
    if op.mutates() && params.bool("DryRun")?.unwrap_or(false) {
        return Err(AwsError::new(
            412,
            "DryRunOperation",
            "Request would have succeeded, but DryRun flag is set.",
        ));
    }
    let mut call = api::Call {
        op,
        params,
        region,
        info,
        name,
        owner,
        now,
        taken,
        cut: Vec::new(),
    };
    let body = handler(&mut call)?;
    let cut = call.cut;
    cx.changed |= defaults_made || op.mutates();
    cx.cut.extend(cut);
    Ok(body)
}

fn body(write: impl FnOnce(&mut Xml) + 'static) -> Body {
    Box::new(write)
}

/// Every public address in use, in every account: addresses are unique in the emulated world.
fn public_addresses(cx: &Context<'_>) -> HashSet<String> {
    cx.state
        .accounts
        .values()
        .flat_map(|account| account.ec2.regions.values())
        .flat_map(|region| region.instances.values())
        .filter_map(|instance| instance.public_ip.clone())
        .collect()
}

/// Resources named by id (all must exist) and passing the filters, cloned for the response.
fn select<'a, T: Filterable + Clone + 'a>(
    items: impl Iterator<Item = &'a T>,
    ids: &[&str],
    id_of: impl Fn(&T) -> &String,
    filters: &[filter::Filter],
) -> Result<Vec<T>, AwsError> {
    let items: Vec<&T> = items.collect();
    for id in ids {
        if !items.iter().any(|item| id_of(item) == id) {
            return Err(tags::not_found(id));
        }
    }
    let mut found = Vec::new();
    for item in items {
        if (ids.is_empty() || ids.contains(&id_of(item).as_str())) && matches(item, filters)? {
            found.push(item.clone());
        }
    }
    Ok(found)
}

struct RuleView<'a> {
    rule: &'a security_groups::Rule,
    group: &'a SecurityGroup,
}

impl Filterable for RuleView<'_> {
    fn values(&self, name: &str) -> Option<Vec<String>> {
        Some(match name {
            "group-id" => vec![self.group.id.clone()],
            "security-group-rule-id" => vec![self.rule.id.clone()],
            _ => return None,
        })
    }
}

struct TagView<'a> {
    id: &'a str,
    resource_type: &'a str,
    key: &'a str,
    value: &'a str,
}

impl Filterable for TagView<'_> {
    fn values(&self, name: &str) -> Option<Vec<String>> {
        Some(match name {
            "resource-id" => vec![self.id.to_string()],
            "resource-type" => vec![self.resource_type.to_string()],
            "key" => vec![self.key.to_string()],
            "value" => vec![self.value.to_string()],
            _ => return None,
        })
    }
}

struct ImageView<'a> {
    image: &'a catalog::Image,
    region: &'a str,
}

impl Filterable for ImageView<'_> {
    fn values(&self, name: &str) -> Option<Vec<String>> {
        let image = self.image;
        Some(match name {
            "image-id" => vec![image.id_in(self.region)],
            "name" => vec![image.name.to_string()],
            "description" => vec![image.description.to_string()],
            "owner-id" => vec![image.owner.to_string()],
            "owner-alias" => vec![image.owner_alias.to_string()],
            "platform" => image
                .windows
                .then(|| "windows".to_string())
                .into_iter()
                .collect(),
            "platform-details" => vec![
                if image.windows {
                    "Windows"
                } else {
                    "Linux/UNIX"
                }
                .to_string(),
            ],
            "architecture" => vec!["x86_64".into()],
            "state" => vec!["available".into()],
            "is-public" => vec!["true".into()],
            "root-device-type" => vec!["ebs".into()],
            "virtualization-type" => vec!["hvm".into()],
            _ => return None,
        })
    }
}

impl Filterable for catalog::InstanceType {
    fn values(&self, name: &str) -> Option<Vec<String>> {
        Some(match name {
            "instance-type" => vec![self.name.to_string()],
            "free-tier-eligible" => vec![self.free_tier.to_string()],
            "current-generation" => vec!["true".into()],
            "burstable-performance-supported" => vec![self.burstable.to_string()],
            "vcpu-info.default-vcpus" => vec![self.vcpus.to_string()],
            "memory-info.size-in-mib" => vec![self.memory_mib.to_string()],
            "network-info.network-performance" => vec![self.network.to_string()],
            "processor-info.supported-architecture" => vec!["x86_64".into()],
            _ => return None,
        })
    }
}
