//! EC2: the regional compute service. Each account has its resources per region; a request
//! sees only its own account's resources in the region it was signed for.
//!
//! This file is the route table: each action reads its request ([`super::wire::ec2`] decoders), calls
//! the service logic in the module of its resource, and writes the result.

pub mod filter;
pub mod instances;
pub mod key_pairs;
pub mod network;
mod regions;
pub mod security_groups;
pub mod tags;

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};
use time::Duration;

use super::context::Context;
use super::error::AwsError;
use super::keys::{KeyFormat, KeyType};
use super::wire::ec2 as wire;
use super::wire::protocol::Body;
use super::wire::query::Params;
use super::wire::xml::Xml;
use cloudlings_core::catalog::{self, IMAGES, INSTANCE_TYPES};
use filter::{Filterable, matches, page};
use instances::{At, Instance, Phase, Transition};
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

/// The actions that change something, which `DryRun` stops short of.
const CHANGES: &[&str] = &[
    "CreateSecurityGroup",
    "DeleteSecurityGroup",
    "AuthorizeSecurityGroupIngress",
    "AuthorizeSecurityGroupEgress",
    "RevokeSecurityGroupIngress",
    "RevokeSecurityGroupEgress",
    "CreateKeyPair",
    "ImportKeyPair",
    "DeleteKeyPair",
    "RunInstances",
    "StartInstances",
    "StopInstances",
    "TerminateInstances",
    "RebootInstances",
    "CreateTags",
    "DeleteTags",
];

/// Routes an EC2 action to its handler.
pub fn handle(cx: &mut Context<'_>, action: &str, params: &Params) -> Result<Body, AwsError> {
    if action == "DescribeRegions" {
        return regions::describe_regions(params);
    }
    let region_info = catalog::region(&cx.region).ok_or_else(|| {
        AwsError::client(
            "InvalidParameterValue",
            format!("Invalid region: {}", cx.region),
        )
    })?;
    let taken: HashSet<String> = match action {
        "RunInstances" | "StartInstances" => public_addresses(cx),
        _ => HashSet::new(),
    };
    let owner = cx.caller.account.clone();
    let region_name = cx.region.clone();
    let now = cx.now;
    let account = cx.account()?;
    let region = account.ec2.regions.entry(region_name.clone()).or_default();
    let mut changed = region.ensure_defaults(region_info, &owner);
    let is_taken = |address: &str| taken.contains(address);
    // A dry run of an action the emulator carries out would have succeeded; one it does not
    // implement still says so.
    if CHANGES.contains(&action) && params.bool("DryRun")?.unwrap_or(false) {
        return Err(AwsError::new(
            412,
            "DryRunOperation",
            "Request would have succeeded, but DryRun flag is set.",
        ));
    }
    let r = region_name.clone();
    let body: Body = match action {
        "DescribeAvailabilityZones" => regions::describe_availability_zones(region_info, params)?,
        "DescribeVpcs" => {
            let found = select(
                region.vpcs.values(),
                &params.list("VpcId"),
                |v| &v.id,
                &wire::filters(params),
            )?;
            body(move |x| {
                x.set("vpcSet", &found, |x, v| wire::vpc(x, v, &owner));
            })
        }
        "DescribeSubnets" => {
            let found = select(
                region.subnets.values(),
                &params.list("SubnetId"),
                |s| &s.id,
                &wire::filters(params),
            )?;
            body(move |x| {
                x.set("subnetSet", &found, |x, s| wire::subnet(x, s, &owner, &r));
            })
        }
        "DescribeSecurityGroups" => {
            let mut ids: Vec<String> = params
                .list("GroupId")
                .into_iter()
                .map(str::to_string)
                .collect();
            for name in params.list("GroupName") {
                ids.push(region.resolve_group(None, Some(name))?);
            }
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            let found = select(
                region.security_groups.values(),
                &ids,
                |g| &g.id,
                &wire::filters(params),
            )?;
            let (found, next) = page(
                found,
                params.int("MaxResults")?,
                params.get("NextToken"),
                (5, 1000),
            )?;
            body(move |x| {
                x.set("securityGroupInfo", &found, |x, g| {
                    wire::security_group(x, g, &r)
                });
                x.opt("nextToken", next.as_deref());
            })
        }
        "CreateSecurityGroup" => {
            let tags = tags::for_type(
                &wire::tag_specifications(params),
                "security-group",
                &["security-group"],
            )?;
            let name = params.required("GroupName")?;
            let description = params.required("GroupDescription")?;
            let id = region.create_group(name, description, params.get("VpcId"), &owner, tags)?;
            changed = true;
            let group = region.security_groups[&id].clone();
            body(move |x| {
                x.leaf("return", true);
                x.leaf("groupId", &group.id);
                x.leaf(
                    "securityGroupArn",
                    format!("arn:aws:ec2:{r}:{owner}:security-group/{}", group.id),
                );
                wire::tag_set(x, &group.tags);
            })
        }
        "DeleteSecurityGroup" => {
            let id = region.resolve_group(params.get("GroupId"), params.get("GroupName"))?;
            region.delete_group(&id)?;
            changed = true;
            body(move |x| {
                x.leaf("return", true);
                x.leaf("groupId", &id);
            })
        }
        "AuthorizeSecurityGroupIngress" | "AuthorizeSecurityGroupEgress" => {
            let egress = action.ends_with("Egress");
            let id = region.resolve_group(params.get("GroupId"), params.get("GroupName"))?;
            let specs = wire::rule_specs(params, region)?;
            let added = region.authorize(&id, egress, specs)?;
            changed = true;
            let group = region.security_groups[&id].clone();
            body(move |x| {
                x.leaf("return", true);
                x.set("securityGroupRuleSet", &added, |x, rule| {
                    wire::security_group_rule(x, rule, &group, &r)
                });
            })
        }
        "RevokeSecurityGroupIngress" | "RevokeSecurityGroupEgress" => {
            let egress = action.ends_with("Egress");
            let id = region.resolve_group(params.get("GroupId"), params.get("GroupName"))?;
            let specs = wire::rule_specs(params, region)?;
            region.revoke(&id, egress, specs, &params.list("SecurityGroupRuleId"))?;
            changed = true;
            body(|x| {
                x.leaf("return", true);
            })
        }
        "DescribeSecurityGroupRules" => {
            let wanted = params.list("SecurityGroupRuleId");
            let filters = wire::filters(params);
            let mut found = Vec::new();
            for group in region.security_groups.values() {
                for rule in &group.rules {
                    let view = RuleView { rule, group };
                    if (wanted.is_empty() || wanted.contains(&rule.id.as_str()))
                        && matches(&view, &filters)?
                    {
                        found.push((rule.clone(), group.clone()));
                    }
                }
            }
            let (found, next) = page(
                found,
                params.int("MaxResults")?,
                params.get("NextToken"),
                (5, 1000),
            )?;
            body(move |x| {
                x.set("securityGroupRuleSet", &found, |x, (rule, group)| {
                    wire::security_group_rule(x, rule, group, &r)
                });
                x.opt("nextToken", next.as_deref());
            })
        }
        "CreateKeyPair" => {
            let key_type = match params.get("KeyType").unwrap_or("rsa") {
                "rsa" => KeyType::Rsa,
                "ed25519" => KeyType::Ed25519,
                other => {
                    return Err(AwsError::invalid_parameter_value(format!(
                        "Invalid value '{other}' for KeyType"
                    )));
                }
            };
            let format = match params.get("KeyFormat").unwrap_or("pem") {
                "pem" => KeyFormat::Pem,
                "ppk" => KeyFormat::Ppk,
                other => {
                    return Err(AwsError::invalid_parameter_value(format!(
                        "Invalid value '{other}' for KeyFormat"
                    )));
                }
            };
            let tags =
                tags::for_type(&wire::tag_specifications(params), "key-pair", &["key-pair"])?;
            let created =
                region.create_key_pair(params.required("KeyName")?, key_type, format, tags, now)?;
            changed = true;
            body(move |x| {
                x.leaf("keyName", &created.pair.name);
                x.leaf("keyFingerprint", &created.pair.fingerprint);
                x.leaf("keyMaterial", &created.private_key);
                x.leaf("keyPairId", &created.pair.id);
                wire::tag_set(x, &created.pair.tags);
            })
        }
        "ImportKeyPair" => {
            let tags =
                tags::for_type(&wire::tag_specifications(params), "key-pair", &["key-pair"])?;
            let material = wire::blob(params, "PublicKeyMaterial")?;
            let pair = region.import_key_pair(params.required("KeyName")?, &material, tags, now)?;
            changed = true;
            body(move |x| {
                x.leaf("keyFingerprint", &pair.fingerprint);
                x.leaf("keyName", &pair.name);
                x.leaf("keyPairId", &pair.id);
                wire::tag_set(x, &pair.tags);
            })
        }
        "DeleteKeyPair" => {
            let id = region.delete_key_pair(params.get("KeyName"), params.get("KeyPairId"))?;
            changed = true;
            body(move |x| {
                x.leaf("return", true);
                x.opt("keyPairId", id.as_deref());
            })
        }
        "DescribeKeyPairs" => {
            let names = params.list("KeyName");
            let ids = params.list("KeyPairId");
            for name in &names {
                if !region.key_pairs.contains_key(*name) {
                    return Err(AwsError::client(
                        "InvalidKeyPair.NotFound",
                        format!("The key pair '{name}' does not exist"),
                    ));
                }
            }
            let filters = wire::filters(params);
            let found = select(
                region
                    .key_pairs
                    .values()
                    .filter(|p| names.is_empty() || names.contains(&p.name.as_str())),
                &ids,
                |p| &p.id,
                &filters,
            )?;
            let include_public = params.bool("IncludePublicKey")?.unwrap_or(false);
            body(move |x| {
                x.set("keySet", &found, |x, pair| {
                    wire::key_pair(x, pair, include_public)
                });
            })
        }
        "RunInstances" => {
            let launch = wire::launch(params)?;
            let (reservation, launched) =
                region.run_instances(launch, &region_name, &owner, now, &is_taken)?;
            changed = true;
            let groups = region.security_groups.clone();
            body(move |x| {
                x.leaf("reservationId", &reservation);
                x.leaf("ownerId", &owner);
                x.element("groupSet", |_| {});
                x.set("instancesSet", &launched, |x, i| {
                    wire::instance(x, i, &r, now, &groups)
                });
            })
        }
        "DescribeInstances" => {
            let ids = params.list("InstanceId");
            if !ids.is_empty() && params.get("MaxResults").is_some() {
                return Err(AwsError::client(
                    "InvalidParameterCombination",
                    "The parameter instancesSet cannot be used with the parameter maxResults",
                ));
            }
            let filters = wire::filters(params);
            let candidates = region.listed_instances(&ids, now)?;
            let mut found = Vec::new();
            for instance in candidates {
                if matches(
                    &At {
                        instance,
                        now,
                        region: &region_name,
                        groups: &region.security_groups,
                    },
                    &filters,
                )? {
                    found.push(instance.clone());
                }
            }
            let (found, next) = page(
                found,
                params.int("MaxResults")?,
                params.get("NextToken"),
                (5, 1000),
            )?;
            let mut reservations: Vec<(String, Vec<Instance>)> = Vec::new();
            for instance in found {
                match reservations
                    .iter_mut()
                    .find(|(id, _)| *id == instance.reservation_id)
                {
                    Some((_, members)) => members.push(instance),
                    None => reservations.push((instance.reservation_id.clone(), vec![instance])),
                }
            }
            let groups = region.security_groups.clone();
            body(move |x| {
                x.set("reservationSet", &reservations, |x, (id, members)| {
                    x.leaf("reservationId", id);
                    x.leaf("ownerId", &owner);
                    x.element("groupSet", |_| {});
                    x.set("instancesSet", members, |x, i| {
                        wire::instance(x, i, &r, now, &groups)
                    });
                });
                x.opt("nextToken", next.as_deref());
            })
        }
        "StartInstances" | "StopInstances" | "TerminateInstances" | "RebootInstances" => {
            let transition = match action {
                "StartInstances" => Transition::Start,
                "StopInstances" => Transition::Stop,
                "TerminateInstances" => Transition::Terminate,
                _ => Transition::Reboot,
            };
            let changes = region.change_state(
                &params.list("InstanceId"),
                transition,
                now,
                &is_taken,
                &region_name,
            )?;
            changed = true;
            if transition != Transition::Start {
                cx.cut
                    .extend(changes.iter().map(|change| change.id.clone()));
            }
            if transition == Transition::Reboot {
                body(|x| {
                    x.leaf("return", true);
                })
            } else {
                body(move |x| {
                    x.set("instancesSet", &changes, wire::state_change);
                })
            }
        }
        "DescribeInstanceStatus" => {
            let ids = params.list("InstanceId");
            let include_all = params.bool("IncludeAllInstances")?.unwrap_or(false);
            let filters = wire::filters(params);
            let candidates = region.listed_instances(&ids, now)?;
            let mut found = Vec::new();
            for instance in candidates {
                let (phase, since) = instance.state(now);
                if (include_all || phase == Phase::Running)
                    && matches(
                        &At {
                            instance,
                            now,
                            region: &region_name,
                            groups: &region.security_groups,
                        },
                        &filters,
                    )?
                {
                    let status = match phase {
                        Phase::Running if now - since >= STATUS_INITIALIZING => "ok",
                        Phase::Running => "initializing",
                        _ => "not-applicable",
                    };
                    found.push((instance.id.clone(), instance.zone.clone(), phase, status));
                }
            }
            let (found, next) = page(
                found,
                params.int("MaxResults")?,
                params.get("NextToken"),
                (5, 1000),
            )?;
            body(move |x| {
                x.set(
                    "instanceStatusSet",
                    &found,
                    |x, (id, zone, phase, status)| {
                        x.leaf("instanceId", id);
                        x.leaf("availabilityZone", zone);
                        x.element("instanceState", |x| {
                            x.leaf("code", phase.code());
                            x.leaf("name", phase.name());
                        });
                        for name in ["systemStatus", "instanceStatus"] {
                            x.element(name, |x| {
                                x.leaf("status", status);
                                x.set("details", [()], |x, ()| {
                                    x.leaf("name", "reachability");
                                    x.leaf(
                                        "status",
                                        if *status == "ok" { "passed" } else { *status },
                                    );
                                });
                            });
                        }
                    },
                );
                x.opt("nextToken", next.as_deref());
            })
        }
        "GetPasswordData" => {
            let id = params.required("InstanceId")?;
            let instance = region.instances_by_id(&[id], now)?[0].clone();
            let ready = instance.phase(now) == Phase::Running
                && now - instance.launch_time >= PASSWORD_READY;
            let data = if instance.windows && ready {
                instance.password_data.clone().unwrap_or_default()
            } else {
                String::new()
            };
            body(move |x| {
                x.leaf("instanceId", &instance.id);
                x.leaf("timestamp", wire::timestamp(now));
                x.leaf("passwordData", &data);
            })
        }
        "CreateTags" => {
            region.create_tags(&params.list("ResourceId"), &wire::tags(params, "Tag"))?;
            changed = true;
            body(|x| {
                x.leaf("return", true);
            })
        }
        "DeleteTags" => {
            region.delete_tags(&params.list("ResourceId"), &wire::tag_keys(params))?;
            changed = true;
            body(|x| {
                x.leaf("return", true);
            })
        }
        "DescribeTags" => {
            let filters = wire::filters(params);
            let mut found = Vec::new();
            let ids: Vec<String> = region
                .instances
                .keys()
                .chain(region.security_groups.keys())
                .chain(region.vpcs.keys())
                .chain(region.subnets.keys())
                .cloned()
                .chain(region.key_pairs.values().map(|p| p.id.clone()))
                .collect();
            for id in ids {
                if let Some(tagged) = region.tags_of(&id) {
                    for (key, value) in tagged.tags.iter() {
                        let view = TagView {
                            id: &id,
                            resource_type: tagged.resource_type,
                            key,
                            value,
                        };
                        if matches(&view, &filters)? {
                            found.push((
                                id.clone(),
                                tagged.resource_type,
                                key.clone(),
                                value.clone(),
                            ));
                        }
                    }
                }
            }
            let (found, next) = page(
                found,
                params.int("MaxResults")?,
                params.get("NextToken"),
                (5, 1000),
            )?;
            body(move |x| {
                x.set("tagSet", &found, |x, (id, kind, key, value)| {
                    x.leaf("resourceId", id);
                    x.leaf("resourceType", kind);
                    x.leaf("key", key);
                    x.leaf("value", value);
                });
                x.opt("nextToken", next.as_deref());
            })
        }
        "DescribeImages" => {
            let ids = params.list("ImageId");
            for id in &ids {
                if catalog::image(&region_name, id).is_none() {
                    return Err(AwsError::client(
                        "InvalidAMIID.NotFound",
                        format!("The image id '[{id}]' does not exist"),
                    ));
                }
            }
            let owners = params.list("Owner");
            let filters = wire::filters(params);
            let mut found = Vec::new();
            for image in IMAGES {
                let owned = owners.is_empty()
                    || owners
                        .iter()
                        .any(|o| *o == image.owner || *o == image.owner_alias);
                let listed = ids.is_empty() || ids.contains(&image.id_in(&region_name).as_str());
                if owned
                    && listed
                    && matches(
                        &ImageView {
                            image,
                            region: &region_name,
                        },
                        &filters,
                    )?
                {
                    found.push(*image);
                }
            }
            body(move |x| {
                x.set("imagesSet", &found, |x, image| wire::image(x, image, &r));
            })
        }
        "DescribeInstanceTypes" => {
            let names = params.list("InstanceType");
            for name in &names {
                if catalog::instance_type(name).is_none() {
                    return Err(AwsError::client(
                        "InvalidInstanceType",
                        format!("The following supplied instance types do not exist: [{name}]"),
                    ));
                }
            }
            let filters = wire::filters(params);
            let mut found = Vec::new();
            for t in INSTANCE_TYPES {
                if (names.is_empty() || names.contains(&t.name)) && matches(t, &filters)? {
                    found.push(*t);
                }
            }
            let (found, next) = page(
                found,
                params.int("MaxResults")?,
                params.get("NextToken"),
                (5, 100),
            )?;
            body(move |x| {
                x.set("instanceTypeSet", &found, wire::instance_type);
                x.opt("nextToken", next.as_deref());
            })
        }
        _ if action.starts_with(char::is_uppercase)
            && action.chars().all(char::is_alphanumeric) =>
        {
            return Err(AwsError::unsupported("EC2", action));
        }
        _ => return Err(AwsError::invalid_action(action)),
    };
    cx.changed |= changed;
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
