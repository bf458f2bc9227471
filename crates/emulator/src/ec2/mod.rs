//! EC2: the regional compute service. Each account has its resources per region; a request
//! sees only its own account's resources in the region it was signed for.
//!
//! This file holds the state and what every request shares; `api.rs` has one handler per
//! action, and `wire.rs` the protocol's decoders and encoders.

mod api;
mod defaults;
pub mod filter;
mod instance_filters;
pub mod instances;
mod interface;
pub mod key_pairs;
pub mod network;
mod regions;
pub mod security_groups;
pub mod tags;
pub mod volumes;
mod wire;

use std::collections::BTreeMap;

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
    /// EBS volumes, by id: they outlive their instance when told to.
    #[serde(default)]
    pub volumes: BTreeMap<String, volumes::Volume>,
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
    let world = cx.world;
    let taken = |address: &str| !world.claim_address(address);
    let owner = cx.caller.account.clone();
    let name = cx.region.clone();
    let now = cx.now;
    let account = &mut *cx.account;
    let plan = account.free_plan;
    let instance_quota = world.quotas_for(&owner).instances;
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
        taken: &taken,
        cut: Vec::new(),
        plan,
        instance_quota,
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

    /// Rules cannot be tagged here, so the tag filters find none.
    const TAGGED: bool = true;
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
            values: |view| vec![view.image.platform_details().to_string()],
        },
        Column {
            names: &["architecture"],
            values: |_| vec![defaults::ARCHITECTURE.into()],
        },
        Column {
            names: &["state"],
            values: |_| vec![catalog::Image::STATE.into()],
        },
        Column {
            names: &["is-public"],
            values: |_| vec!["true".into()],
        },
        Column {
            names: &["image-type"],
            values: |_| vec![catalog::Image::TYPE.into()],
        },
        Column {
            names: &["creation-date"],
            values: |view| vec![view.image.creation_date.to_string()],
        },
        Column {
            names: &["manifest-location"],
            values: |view| vec![view.image.location()],
        },
        Column {
            names: &["root-device-type"],
            values: |_| vec![defaults::ROOT_DEVICE_TYPE.into()],
        },
        Column {
            names: &["root-device-name"],
            values: |view| vec![view.image.root_device.to_string()],
        },
        Column {
            names: &["virtualization-type"],
            values: |_| vec![defaults::VIRTUALIZATION_TYPE.into()],
        },
        Column {
            names: &["hypervisor"],
            values: |_| vec![catalog::Image::HYPERVISOR.into()],
        },
        Column {
            names: &["free-tier-eligible"],
            values: |_| vec![catalog::Image::FREE_TIER_ELIGIBLE.to_string()],
        },
        Column {
            names: &["ena-support"],
            values: |_| vec![defaults::ENA_SUPPORT.to_string()],
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

    /// The account's own tags on the image.
    const TAGGED: bool = true;

    fn tags(&self) -> &Tags {
        self.tags
    }

    /// What the images here do not have: product codes, kernels and ramdisks, SR-IOV, state
    /// reasons (they are all available), a source image (none was copied), watermarks, SSM
    /// parameters, allowed-images settings; and what the answer does not show yet (volumes).
    const ABSENT: &'static [&'static str] = &[
        "block-device-mapping.delete-on-termination",
        "block-device-mapping.device-name",
        "block-device-mapping.snapshot-id",
        "block-device-mapping.volume-size",
        "block-device-mapping.volume-type",
        "block-device-mapping.encrypted",
        "image-allowed",
        "image-watermark.source-image-creation-time",
        "image-watermark.source-image-id",
        "image-watermark.source-image-region",
        "image-watermark.watermark-creation-time",
        "image-watermark.watermark-key",
        "kernel-id",
        "product-code",
        "product-code.type",
        "public-ssm-parameter-name",
        "ramdisk-id",
        "source-image-id",
        "source-image-region",
        "source-instance-id",
        "sriov-net-support",
        "state-reason-code",
        "state-reason-message",
    ];
}

/// An instance's status checks as DescribeInstanceStatus reports them, for its filters, which
/// are its own: no tag filters, none of DescribeInstances' (AWS refuses `tag:Name` there).
pub(crate) struct StatusView<'a> {
    pub zone: &'a str,
    pub zone_id: Option<String>,
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
            names: &["availability-zone-id"],
            values: |view| view.zone_id.clone().into_iter().collect(),
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

    /// No emulated instance has scheduled events or is managed by another service, and the
    /// answer shows no attached-volume status check.
    const ABSENT: &'static [&'static str] = &[
        "event.code",
        "event.description",
        "event.instance-event-id",
        "event.not-after",
        "event.not-before",
        "event.not-before-deadline",
        "operator.managed",
        "operator.principal",
        "attached-ebs-status.status",
    ];
}

/// An instance type as an account sees it: whether it is free depends on the account's plan.
#[derive(Debug, Clone, Copy)]
pub struct Offered {
    pub kind: catalog::InstanceType,
    pub free: bool,
}

impl Offered {
    pub fn to(plan: crate::state::FreePlan, kind: &catalog::InstanceType) -> Offered {
        let free = match plan {
            crate::state::FreePlan::Legacy => kind.free_for(false),
            crate::state::FreePlan::Credits => kind.free_for(true),
            crate::state::FreePlan::None => false,
        };
        Offered { kind: *kind, free }
    }
}

/// DescribeInstanceTypes' filters.
const INSTANCE_TYPE_FILTERS: &[Column<Offered>] = &[
    Column {
        names: &["instance-type"],
        values: |t| vec![t.kind.name.to_string()],
    },
    Column {
        names: &["free-tier-eligible"],
        values: |t| vec![t.free.to_string()],
    },
    Column {
        names: &["current-generation"],
        values: |_| vec!["true".into()],
    },
    Column {
        names: &["burstable-performance-supported"],
        values: |t| vec![t.kind.burstable.to_string()],
    },
    Column {
        names: &["vcpu-info.default-vcpus"],
        values: |t| vec![t.kind.vcpus.to_string()],
    },
    Column {
        names: &["memory-info.size-in-mib"],
        values: |t| vec![t.kind.memory_mib.to_string()],
    },
    Column {
        names: &["network-info.network-performance"],
        values: |t| vec![t.kind.network.to_string()],
    },
    Column {
        names: &["processor-info.supported-architecture"],
        values: |t| vec![t.kind.architecture.to_string()],
    },
    Column {
        names: &["supported-usage-class"],
        values: |_| strings(catalog::InstanceType::USAGE_CLASSES),
    },
    Column {
        names: &["supported-root-device-type"],
        values: |_| strings(catalog::InstanceType::ROOT_DEVICE_TYPES),
    },
    Column {
        names: &["supported-virtualization-type"],
        values: |_| strings(catalog::InstanceType::VIRTUALIZATION_TYPES),
    },
    Column {
        names: &["supported-boot-mode"],
        values: |t| strings(t.kind.boot_modes()),
    },
    Column {
        names: &["bare-metal", "instance-storage-supported"],
        values: |_| vec![false.to_string()],
    },
    Column {
        names: &["hypervisor"],
        values: |t| vec![t.kind.hypervisor().to_string()],
    },
    Column {
        names: &["vcpu-info.default-cores"],
        values: |t| vec![t.kind.default_cores().to_string()],
    },
    Column {
        names: &["vcpu-info.default-threads-per-core"],
        values: |t| vec![t.kind.threads_per_core().to_string()],
    },
    Column {
        names: &["network-info.maximum-network-interfaces"],
        values: |t| vec![t.kind.maximum_network_interfaces().to_string()],
    },
    Column {
        names: &["network-info.ipv6-supported"],
        values: |_| vec![true.to_string()],
    },
    Column {
        names: &["network-info.ena-support"],
        values: |t| vec![t.kind.ena_support().to_string()],
    },
];

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|value| value.to_string()).collect()
}

impl Filterable for Offered {
    fn columns<'s>() -> &'s [Column<Self>]
    where
        Self: 's,
    {
        INSTANCE_TYPE_FILTERS
    }

    /// What the answer does not show of a type (its EBS, instance storage, EFA, Nitro and
    /// processor details, its valid core counts, …): a filter on them finds no type here.
    const ABSENT: &'static [&'static str] = &[
        "auto-recovery-supported",
        "dedicated-hosts-supported",
        "ebs-info.attachment-limit-type",
        "ebs-info.maximum-ebs-attachments",
        "ebs-info.ebs-optimized-info.baseline-bandwidth-in-mbps",
        "ebs-info.ebs-optimized-info.baseline-iops",
        "ebs-info.ebs-optimized-info.baseline-throughput-in-mbps",
        "ebs-info.ebs-optimized-info.maximum-bandwidth-in-mbps",
        "ebs-info.ebs-optimized-info.maximum-iops",
        "ebs-info.ebs-optimized-info.maximum-throughput-in-mbps",
        "ebs-info.ebs-optimized-support",
        "ebs-info.encryption-support",
        "ebs-info.nvme-support",
        "hibernation-supported",
        "instance-storage-info.disk.count",
        "instance-storage-info.disk.size-in-gb",
        "instance-storage-info.disk.type",
        "instance-storage-info.encryption-support",
        "instance-storage-info.nvme-support",
        "instance-storage-info.total-size-in-gb",
        "network-info.bandwidth-weightings",
        "network-info.efa-info.maximum-efa-interfaces",
        "network-info.efa-supported",
        "network-info.flexible-ena-queues-support",
        "network-info.encryption-in-transit-supported",
        "network-info.ipv4-addresses-per-interface",
        "network-info.ipv6-addresses-per-interface",
        "network-info.maximum-network-cards",
        "nitro-enclaves-support",
        "nitro-tpm-support",
        "nitro-tpm-info.supported-versions",
        "processor-info.sustained-clock-speed-in-ghz",
        "processor-info.supported-features",
        "reboot-migration-support",
        "vcpu-info.valid-cores",
        "vcpu-info.valid-threads-per-core",
    ];
}

/// The tag filters' names, as the EC2 API reference writes them.
pub const TAG_FILTERS: &[&str] = &["tag:<key>", "tag-key", "tag-value"];

/// Every Describe action that takes filters, with the names it takes: each filter's
/// documented name, then its aliases; the names of fields no resource has here; and
/// [`TAG_FILTERS`] where the resources take tags.
pub fn filter_names() -> Vec<(&'static str, Vec<&'static str>)> {
    fn names<T: Filterable>(table: &[Column<T>]) -> Vec<&'static str> {
        let tags = match (T::TAGGED, T::TAG_PAIRS_ONLY) {
            (false, _) => &[][..],
            (true, false) => TAG_FILTERS,
            (true, true) => &TAG_FILTERS[..1],
        };
        table
            .iter()
            .flat_map(|c| c.names.iter().copied())
            .chain(T::ABSENT.iter().copied())
            .chain(tags.iter().copied())
            .collect()
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
        ("DescribeRegions", names(regions::REGION_FILTERS)),
        ("DescribeAvailabilityZones", names(regions::ZONE_FILTERS)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn a_filter_name_means_one_predicate() {
        for (action, names) in filter_names() {
            let mut seen = HashSet::new();
            let twice: Vec<_> = names.iter().filter(|name| !seen.insert(**name)).collect();
            assert!(twice.is_empty(), "{action}: {twice:?}");
        }
    }
    /// The EC2 API reference documents aliases for DescribeSubnets only ("You can also use
    /// `availabilityZone` as the filter name"); every other name is lower case and dashed, and
    /// a camelCase name AWS does not document (`instanceId`, `groupName`, moto's `vpcId` for
    /// subnets) is refused, as AWS refuses it.
    #[test]
    fn only_the_documented_aliases_are_camel_case() {
        let mut camel: Vec<(&str, &str)> = Vec::new();
        for (action, names) in filter_names() {
            for name in names.into_iter().filter(|name| !TAG_FILTERS.contains(name)) {
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
