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
use filter::{Column, Filterable, matches};
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
    /// The tags this account put on public images, by image id: the images are the
    /// catalog's, the tags the account's own, as on AWS.
    #[serde(default)]
    pub image_tags: BTreeMap<String, Tags>,
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
    let filters = &filter::checked::<T>(filters.to_vec())?;
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

impl<'a> RuleView<'a> {
    /// DescribeSecurityGroupRules' filters.
    const FILTERS: &'a [Column<Self>] = &[
        Column {
            names: &["group-id"],
            values: |view| vec![view.group.id.clone()],
        },
        Column {
            names: &["security-group-rule-id"],
            values: |view| vec![view.rule.id.clone()],
        },
    ];
}

impl Filterable for RuleView<'_> {
    fn columns<'s>() -> &'s [Column<Self>]
    where
        Self: 's,
    {
        Self::FILTERS
    }
}

struct TagView<'a> {
    id: &'a str,
    resource_type: &'a str,
    key: &'a str,
    value: &'a str,
    /// All the resource's tags, for `tag:<key>`: a row passes when its resource has the pair.
    tags: &'a Tags,
}

impl<'a> TagView<'a> {
    /// DescribeTags' filters.
    const FILTERS: &'a [Column<Self>] = &[
        Column {
            names: &["resource-id"],
            values: |view| vec![view.id.to_string()],
        },
        Column {
            names: &["resource-type"],
            values: |view| vec![view.resource_type.to_string()],
        },
        Column {
            names: &["key"],
            values: |view| vec![view.key.to_string()],
        },
        Column {
            names: &["value"],
            values: |view| vec![view.value.to_string()],
        },
    ];
}

impl Filterable for TagView<'_> {
    fn columns<'s>() -> &'s [Column<Self>]
    where
        Self: 's,
    {
        Self::FILTERS
    }

    const TAGGED: bool = true;
    const TAG_PAIRS_ONLY: bool = true;

    fn tags(&self) -> &Tags {
        self.tags
    }
}

struct ImageView<'a> {
    image: &'a catalog::Image,
    region: &'a str,
    /// The tags this account put on the image.
    tags: &'a Tags,
}

impl<'a> ImageView<'a> {
    /// DescribeImages' filters.
    const FILTERS: &'a [Column<Self>] = &[
        Column {
            names: &["image-id"],
            values: |view| vec![view.image.id_in(view.region)],
        },
        Column {
            names: &["name"],
            values: |view| vec![view.image.name.to_string()],
        },
        Column {
            names: &["description"],
            values: |view| vec![view.image.description.to_string()],
        },
        Column {
            names: &["owner-id"],
            values: |view| vec![view.image.owner.to_string()],
        },
        Column {
            names: &["owner-alias"],
            values: |view| vec![view.image.owner_alias.to_string()],
        },
        Column {
            names: &["platform"],
            values: |view| {
                view.image
                    .windows
                    .then(|| "windows".to_string())
                    .into_iter()
                    .collect()
            },
        },
        Column {
            names: &["platform-details"],
            values: |view| {
                vec![
                    if view.image.windows {
                        "Windows"
                    } else {
                        "Linux/UNIX"
                    }
                    .to_string(),
                ]
            },
        },
        Column {
            names: &["architecture"],
            values: |_| vec!["x86_64".into()],
        },
        Column {
            names: &["state"],
            values: |_| vec!["available".into()],
        },
        Column {
            names: &["is-public"],
            values: |_| vec!["true".into()],
        },
        Column {
            names: &["root-device-type"],
            values: |_| vec!["ebs".into()],
        },
        Column {
            names: &["virtualization-type"],
            values: |_| vec!["hvm".into()],
        },
    ];
}

impl Filterable for ImageView<'_> {
    fn columns<'s>() -> &'s [Column<Self>]
    where
        Self: 's,
    {
        Self::FILTERS
    }

    const TAGGED: bool = true;

    fn tags(&self) -> &Tags {
        self.tags
    }
}

/// An instance's status checks as DescribeInstanceStatus reports them, for its filters, which
/// are its own: no tag filters, none of DescribeInstances' (AWS refuses `tag:Name` there).
pub(crate) struct StatusView<'a> {
    pub zone: &'a str,
    pub phase: instances::Phase,
    /// `ok`, `initializing` or `not-applicable`, for the system and the instance alike.
    pub status: &'static str,
}

/// A status check's reachability detail for its status.
pub(crate) fn reachability(status: &str) -> &str {
    if status == "ok" { "passed" } else { status }
}

impl<'a> StatusView<'a> {
    /// DescribeInstanceStatus' filters.
    const FILTERS: &'a [Column<Self>] = &[
        Column {
            names: &["availability-zone"],
            values: |view| vec![view.zone.to_string()],
        },
        Column {
            names: &["instance-state-name"],
            values: |view| vec![view.phase.name().to_string()],
        },
        Column {
            names: &["instance-state-code"],
            values: |view| vec![view.phase.code().to_string()],
        },
        Column {
            names: &["instance-status.status"],
            values: |view| vec![view.status.to_string()],
        },
        Column {
            names: &["instance-status.reachability"],
            values: |view| vec![reachability(view.status).to_string()],
        },
        Column {
            names: &["system-status.status"],
            values: |view| vec![view.status.to_string()],
        },
        Column {
            names: &["system-status.reachability"],
            values: |view| vec![reachability(view.status).to_string()],
        },
    ];
}

impl Filterable for StatusView<'_> {
    fn columns<'s>() -> &'s [Column<Self>]
    where
        Self: 's,
    {
        Self::FILTERS
    }
}

/// DescribeInstanceTypes' filters.
const INSTANCE_TYPE_FILTERS: &[Column<catalog::InstanceType>] = &[
    Column {
        names: &["instance-type"],
        values: |t| vec![t.name.to_string()],
    },
    Column {
        names: &["free-tier-eligible"],
        values: |t| vec![t.free_tier.to_string()],
    },
    Column {
        names: &["current-generation"],
        values: |_| vec!["true".into()],
    },
    Column {
        names: &["burstable-performance-supported"],
        values: |t| vec![t.burstable.to_string()],
    },
    Column {
        names: &["vcpu-info.default-vcpus"],
        values: |t| vec![t.vcpus.to_string()],
    },
    Column {
        names: &["memory-info.size-in-mib"],
        values: |t| vec![t.memory_mib.to_string()],
    },
    Column {
        names: &["network-info.network-performance"],
        values: |t| vec![t.network.to_string()],
    },
    Column {
        names: &["processor-info.supported-architecture"],
        values: |_| vec!["x86_64".into()],
    },
];

impl Filterable for catalog::InstanceType {
    fn columns<'s>() -> &'s [Column<Self>]
    where
        Self: 's,
    {
        INSTANCE_TYPE_FILTERS
    }
}

/// Every Describe action that takes filters, with the names it takes besides the tag filters
/// (`tag:<key>`, `tag-key`, `tag-value`): each filter's documented name, then its aliases.
pub fn filter_names() -> Vec<(&'static str, Vec<&'static str>)> {
    fn names<T>(table: &[Column<T>]) -> Vec<&'static str> {
        table.iter().flat_map(|c| c.names.iter().copied()).collect()
    }
    vec![
        ("DescribeInstances", names(instances::At::FILTERS)),
        ("DescribeInstanceStatus", names(StatusView::FILTERS)),
        ("DescribeSecurityGroups", names(security_groups::FILTERS)),
        ("DescribeSecurityGroupRules", names(RuleView::FILTERS)),
        ("DescribeKeyPairs", names(key_pairs::FILTERS)),
        ("DescribeVpcs", names(network::VPC_FILTERS)),
        ("DescribeSubnets", names(network::SUBNET_FILTERS)),
        ("DescribeTags", names(TagView::FILTERS)),
        ("DescribeImages", names(ImageView::FILTERS)),
        ("DescribeInstanceTypes", names(INSTANCE_TYPE_FILTERS)),
    ]
}

#[cfg(test)]
mod tests {
    use super::filter::ambiguous;
    use super::*;

    #[test]
    fn a_filter_name_means_one_predicate() {
        assert_eq!(ambiguous(instances::At::FILTERS), [""; 0]);
        assert_eq!(ambiguous(security_groups::FILTERS), [""; 0]);
        assert_eq!(ambiguous(RuleView::FILTERS), [""; 0]);
        assert_eq!(ambiguous(StatusView::FILTERS), [""; 0]);
        assert_eq!(ambiguous(key_pairs::FILTERS), [""; 0]);
        assert_eq!(ambiguous(network::VPC_FILTERS), [""; 0]);
        assert_eq!(ambiguous(network::SUBNET_FILTERS), [""; 0]);
        assert_eq!(ambiguous(TagView::FILTERS), [""; 0]);
        assert_eq!(ambiguous(ImageView::FILTERS), [""; 0]);
        assert_eq!(ambiguous(INSTANCE_TYPE_FILTERS), [""; 0]);
    }
    /// The EC2 API reference documents aliases for DescribeSubnets only ("You can also use
    /// `availabilityZone` as the filter name"); every other name is lower case and dashed, and
    /// a camelCase name AWS does not document (`instanceId`, `groupName`, moto's `vpcId` for
    /// subnets) is refused, as AWS refuses it.
    #[test]
    fn only_the_documented_aliases_are_camel_case() {
        let mut camel: Vec<(&str, &str)> = Vec::new();
        for (action, names) in filter_names() {
            for name in names {
                if name.chars().any(|c| c.is_ascii_uppercase()) {
                    camel.push((action, name));
                } else {
                    assert!(
                        name.chars().all(|c| c.is_ascii_lowercase()
                            || c.is_ascii_digit()
                            || "-.".contains(c)),
                        "{action}: {name}"
                    );
                }
            }
        }
        assert_eq!(
            camel,
            [
                ("DescribeSubnets", "cidrBlock"),
                ("DescribeSubnets", "availabilityZone"),
                ("DescribeSubnets", "availabilityZoneId"),
                ("DescribeSubnets", "defaultForAz"),
            ]
        );
    }
}
