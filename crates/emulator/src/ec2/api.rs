//! The EC2 API: one handler per action, and the table that routes each [`Operation`] to its
//! handler. A handler reads its request with the [`super::wire`] decoders, calls the service
//! logic in the module of its resource, and writes the answer; [`super::handle`] does what is
//! common to all of them (the region, its defaults, `DryRun`, saving).

use cloudlings_core::catalog::{self, IMAGES, INSTANCE_TYPES};
use cloudlings_core::operation::Operation;
use time::OffsetDateTime;

use super::filter::{checked, matches, page};
use super::instances::{At, Instance, Phase, Transition};
use super::{
    ImageView, Offered, PASSWORD_READY, RegionState, RuleView, STATUS_INITIALIZING, StatusView,
    TagView, body, reachability, regions, select, tags, wire,
};
use crate::error::AwsError;
use crate::keys::{KeyFormat, KeyType};
use crate::wire::protocol::Body;
use crate::wire::query::Params;

/// What one request works on.
pub(super) struct Call<'a> {
    pub op: Operation,
    pub params: &'a Params,
    pub region: &'a mut RegionState,
    pub info: &'static catalog::Region,
    /// The region's name, `ap-northeast-2`.
    pub name: String,
    /// The caller's account, which owns what the request makes.
    pub owner: String,
    pub now: OffsetDateTime,
    /// Whether a public address is in use anywhere, which a launch or a start must not hand
    /// out again; an address found free is claimed by the asking.
    pub taken: &'a dyn Fn(&str) -> bool,
    /// Instances whose connections are cut once the change is saved.
    pub cut: Vec<String>,
    /// The account's free offer: what it may launch, and what is free for it.
    pub plan: crate::state::FreePlan,
    /// How many instances the account may have running or pending in the region.
    pub instance_quota: usize,
}

type Handler = fn(&mut Call<'_>) -> Result<Body, AwsError>;

/// Each action the emulator carries out, with its handler. An operation of the table in
/// `cloudlings-core` that is missing here answers `UnsupportedOperation`.
const HANDLERS: &[(Operation, Handler)] = &[
    (
        Operation::DescribeAvailabilityZones,
        describe_availability_zones,
    ),
    (Operation::DescribeVpcs, describe_vpcs),
    (Operation::DescribeSubnets, describe_subnets),
    (Operation::DescribeAddresses, describe_addresses),
    (Operation::DescribeSecurityGroups, describe_security_groups),
    (Operation::CreateSecurityGroup, create_security_group),
    (Operation::DeleteSecurityGroup, delete_security_group),
    (Operation::AuthorizeSecurityGroupIngress, authorize),
    (Operation::AuthorizeSecurityGroupEgress, authorize),
    (Operation::RevokeSecurityGroupIngress, revoke),
    (Operation::RevokeSecurityGroupEgress, revoke),
    (
        Operation::DescribeSecurityGroupRules,
        describe_security_group_rules,
    ),
    (Operation::CreateKeyPair, create_key_pair),
    (Operation::ImportKeyPair, import_key_pair),
    (Operation::DeleteKeyPair, delete_key_pair),
    (Operation::DescribeKeyPairs, describe_key_pairs),
    (Operation::RunInstances, run_instances),
    (Operation::DescribeInstances, describe_instances),
    (Operation::StartInstances, change_state),
    (Operation::StopInstances, change_state),
    (Operation::TerminateInstances, change_state),
    (Operation::RebootInstances, change_state),
    (Operation::DescribeInstanceStatus, describe_instance_status),
    (Operation::GetPasswordData, get_password_data),
    (Operation::CreateTags, create_tags),
    (Operation::DeleteTags, delete_tags),
    (Operation::DescribeTags, describe_tags),
    (Operation::DescribeImages, describe_images),
    (Operation::DescribeInstanceTypes, describe_instance_types),
];

/// The handler of `op`, if the emulator carries it out.
pub(super) fn handler(op: Operation) -> Option<Handler> {
    HANDLERS
        .iter()
        .find(|(declared, _)| *declared == op)
        .map(|(_, handler)| *handler)
}

fn describe_availability_zones(call: &mut Call<'_>) -> Result<Body, AwsError> {
    let params = call.params;
    let region_info = call.info;
    regions::describe_availability_zones(region_info, params)
}

fn describe_vpcs(call: &mut Call<'_>) -> Result<Body, AwsError> {
    let params = call.params;
    let region = &mut *call.region;
    let found = select(
        region.vpcs.values(),
        &params.list("VpcId"),
        |v| &v.id,
        &wire::filters(params),
    )?;
    Ok(body(move |x| {
        x.set("vpcSet", &found, wire::vpc);
    }))
}

fn describe_subnets(call: &mut Call<'_>) -> Result<Body, AwsError> {
    let params = call.params;
    let region = &mut *call.region;
    let found = select(
        region.subnets.values(),
        &params.list("SubnetId"),
        |s| &s.id,
        &wire::filters(params),
    )?;
    Ok(body(move |x| {
        x.set("subnetSet", &found, wire::subnet);
    }))
}

/// Elastic IP addresses. The emulator allocates none (an instance's own public address is not
/// one), so the answer is empty, and an address or allocation named finds nothing, as on an
/// account that never allocated one.
fn describe_addresses(call: &mut Call<'_>) -> Result<Body, AwsError> {
    let params = call.params;
    if let Some(address) = params.list("PublicIp").first() {
        return Err(AwsError::client(
            "InvalidAddress.NotFound",
            format!("Address '{address}' not found."),
        ));
    }
    if let Some(id) = params.list("AllocationId").first() {
        return Err(AwsError::client(
            "InvalidAllocationID.NotFound",
            format!("The allocation ID '{id}' does not exist"),
        ));
    }
    Ok(body(|x| {
        x.element("addressesSet", |_| {});
    }))
}

fn describe_security_groups(call: &mut Call<'_>) -> Result<Body, AwsError> {
    let params = call.params;
    let r = call.name.clone();
    let region = &mut *call.region;
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
    Ok(body(move |x| {
        x.set("securityGroupInfo", &found, |x, g| {
            wire::security_group(x, g, &r)
        });
        x.opt("nextToken", next.as_deref());
    }))
}

fn create_security_group(call: &mut Call<'_>) -> Result<Body, AwsError> {
    let params = call.params;
    let owner = call.owner.clone();
    let r = call.name.clone();
    let region = &mut *call.region;
    let tags = tags::for_type(
        &wire::tag_specifications(params),
        "security-group",
        &["security-group"],
    )?;
    let name = params.required("GroupName")?;
    let description = params.required("GroupDescription")?;
    let id = region.create_group(name, description, params.get("VpcId"), &owner, tags)?;
    let group = region.security_groups[&id].clone();
    Ok(body(move |x| {
        x.leaf("return", true);
        x.leaf("groupId", &group.id);
        x.leaf(
            "securityGroupArn",
            format!("arn:aws:ec2:{r}:{owner}:security-group/{}", group.id),
        );
        wire::tag_set(x, &group.tags);
    }))
}

fn delete_security_group(call: &mut Call<'_>) -> Result<Body, AwsError> {
    let params = call.params;
    let region = &mut *call.region;
    let id = region.resolve_group(params.get("GroupId"), params.get("GroupName"))?;
    region.delete_group(&id)?;
    Ok(body(move |x| {
        x.leaf("return", true);
        x.leaf("groupId", &id);
    }))
}

fn authorize(call: &mut Call<'_>) -> Result<Body, AwsError> {
    let params = call.params;
    let r = call.name.clone();
    let region = &mut *call.region;
    let egress = matches!(
        call.op,
        Operation::AuthorizeSecurityGroupEgress | Operation::RevokeSecurityGroupEgress
    );
    let id = region.resolve_group(params.get("GroupId"), params.get("GroupName"))?;
    let specs = wire::rule_specs(params, region)?;
    let added = region.authorize(&id, egress, specs)?;
    let group = region.security_groups[&id].clone();
    Ok(body(move |x| {
        x.leaf("return", true);
        x.set("securityGroupRuleSet", &added, |x, rule| {
            wire::security_group_rule(x, rule, &group, &r)
        });
    }))
}

fn revoke(call: &mut Call<'_>) -> Result<Body, AwsError> {
    let params = call.params;
    let region = &mut *call.region;
    let egress = matches!(
        call.op,
        Operation::AuthorizeSecurityGroupEgress | Operation::RevokeSecurityGroupEgress
    );
    let id = region.resolve_group(params.get("GroupId"), params.get("GroupName"))?;
    let specs = wire::rule_specs(params, region)?;
    region.revoke(&id, egress, specs, &params.list("SecurityGroupRuleId"))?;
    Ok(body(|x| {
        x.leaf("return", true);
    }))
}

fn describe_security_group_rules(call: &mut Call<'_>) -> Result<Body, AwsError> {
    let params = call.params;
    let r = call.name.clone();
    let region = &mut *call.region;
    let wanted = params.list("SecurityGroupRuleId");
    let filters = checked::<RuleView<'_>>(wire::filters(params))?;
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
    Ok(body(move |x| {
        x.set("securityGroupRuleSet", &found, |x, (rule, group)| {
            wire::security_group_rule(x, rule, group, &r)
        });
        x.opt("nextToken", next.as_deref());
    }))
}

fn create_key_pair(call: &mut Call<'_>) -> Result<Body, AwsError> {
    let params = call.params;
    let now = call.now;
    let region = &mut *call.region;
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
    let tags = tags::for_type(&wire::tag_specifications(params), "key-pair", &["key-pair"])?;
    let created =
        region.create_key_pair(params.required("KeyName")?, key_type, format, tags, now)?;
    Ok(body(move |x| {
        x.leaf("keyName", &created.pair.name);
        x.leaf("keyFingerprint", &created.pair.fingerprint);
        x.leaf("keyMaterial", &created.private_key);
        x.leaf("keyPairId", &created.pair.id);
        wire::tag_set(x, &created.pair.tags);
    }))
}

fn import_key_pair(call: &mut Call<'_>) -> Result<Body, AwsError> {
    let params = call.params;
    let now = call.now;
    let region = &mut *call.region;
    let tags = tags::for_type(&wire::tag_specifications(params), "key-pair", &["key-pair"])?;
    let material = wire::blob(params, "PublicKeyMaterial")?;
    let pair = region.import_key_pair(params.required("KeyName")?, &material, tags, now)?;
    Ok(body(move |x| {
        x.leaf("keyFingerprint", &pair.fingerprint);
        x.leaf("keyName", &pair.name);
        x.leaf("keyPairId", &pair.id);
        wire::tag_set(x, &pair.tags);
    }))
}

fn delete_key_pair(call: &mut Call<'_>) -> Result<Body, AwsError> {
    let params = call.params;
    let region = &mut *call.region;
    let id = region.delete_key_pair(params.get("KeyName"), params.get("KeyPairId"))?;
    Ok(body(move |x| {
        x.leaf("return", true);
        x.opt("keyPairId", id.as_deref());
    }))
}

fn describe_key_pairs(call: &mut Call<'_>) -> Result<Body, AwsError> {
    let params = call.params;
    let region = &mut *call.region;
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
    Ok(body(move |x| {
        x.set("keySet", &found, |x, pair| {
            wire::key_pair(x, pair, include_public)
        });
    }))
}

fn run_instances(call: &mut Call<'_>) -> Result<Body, AwsError> {
    let params = call.params;
    let now = call.now;
    let owner = call.owner.clone();
    let r = call.name.clone();
    let region_name = call.name.clone();
    let is_taken = call.taken;
    let region = &mut *call.region;
    let launch = wire::launch(params)?;
    let launcher = super::instances::Launcher {
        account: &owner,
        plan: call.plan,
        quota: call.instance_quota,
    };
    let (reservation, launched) =
        region.run_instances(launch, &region_name, &launcher, now, is_taken)?;
    let groups = region.security_groups.clone();
    let volumes = region.volumes.clone();
    Ok(body(move |x| {
        x.leaf("reservationId", &reservation);
        x.leaf("ownerId", &owner);
        x.element("groupSet", |_| {});
        x.set("instancesSet", &launched, |x, i| {
            wire::instance(x, i, &r, now, &groups, &volumes)
        });
    }))
}

fn describe_instances(call: &mut Call<'_>) -> Result<Body, AwsError> {
    let params = call.params;
    let now = call.now;
    let owner = call.owner.clone();
    let r = call.name.clone();
    let region_name = call.name.clone();
    let region = &mut *call.region;
    let ids = params.list("InstanceId");
    if !ids.is_empty() && params.get("MaxResults").is_some() {
        return Err(AwsError::client(
            "InvalidParameterCombination",
            "The parameter instancesSet cannot be used with the parameter maxResults",
        ));
    }
    let filters = checked::<At<'_>>(wire::filters(params))?;
    let candidates = region.listed_instances(&ids, now)?;
    let mut found = Vec::new();
    for instance in candidates {
        if matches(
            &At {
                instance,
                now,
                region: &region_name,
                groups: &region.security_groups,
                volumes: &region.volumes,
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
    let volumes = region.volumes.clone();
    Ok(body(move |x| {
        x.set("reservationSet", &reservations, |x, (id, members)| {
            x.leaf("reservationId", id);
            x.leaf("ownerId", &owner);
            x.element("groupSet", |_| {});
            x.set("instancesSet", members, |x, i| {
                wire::instance(x, i, &r, now, &groups, &volumes)
            });
        });
        x.opt("nextToken", next.as_deref());
    }))
}

fn change_state(call: &mut Call<'_>) -> Result<Body, AwsError> {
    let params = call.params;
    let now = call.now;
    let region_name = call.name.clone();
    let is_taken = call.taken;
    let region = &mut *call.region;
    let transition = match call.op {
        Operation::StartInstances => Transition::Start,
        Operation::StopInstances => Transition::Stop,
        Operation::TerminateInstances => Transition::Terminate,
        _ => Transition::Reboot,
    };
    // No emulated instance is configured for hibernation at launch, so a stop that asks to
    // hibernate is refused as AWS refuses it for such an instance, once the ids are known.
    let ids = params.list("InstanceId");
    if transition == Transition::Stop
        && params.bool("Hibernate")?.unwrap_or(false)
        && !ids.is_empty()
    {
        region.listed_instances(&ids, now)?;
        return Err(AwsError::client(
            "UnsupportedHibernationConfiguration",
            format!(
                "The instance can't be hibernated because it was not configured at launch \
                 for hibernation: {}",
                ids.join(", ")
            ),
        ));
    }
    let changes = region.change_state(
        &params.list("InstanceId"),
        transition,
        now,
        is_taken,
        &region_name,
    )?;
    if transition != Transition::Start {
        call.cut
            .extend(changes.iter().map(|change| change.id.clone()));
    }
    Ok(if transition == Transition::Reboot {
        body(|x| {
            x.leaf("return", true);
        })
    } else {
        body(move |x| {
            x.set("instancesSet", &changes, wire::state_change);
        })
    })
}

fn describe_instance_status(call: &mut Call<'_>) -> Result<Body, AwsError> {
    let params = call.params;
    let now = call.now;
    let region_name = call.name.clone();
    let region = &mut *call.region;
    let ids = params.list("InstanceId");
    let include_all = params.bool("IncludeAllInstances")?.unwrap_or(false);
    let filters = checked::<StatusView<'_>>(wire::filters(params))?;
    let candidates = region.listed_instances(&ids, now)?;
    let mut found = Vec::new();
    for instance in candidates {
        let (phase, since) = instance.state(now);
        let status = match phase {
            Phase::Running if now - since >= STATUS_INITIALIZING => "ok",
            Phase::Running => "initializing",
            _ => "not-applicable",
        };
        let view = StatusView {
            zone: &instance.zone,
            zone_id: instance.zone_id(&region_name),
            phase,
            status,
        };
        if (include_all || phase == Phase::Running) && matches(&view, &filters)? {
            let zone = (instance.zone.clone(), view.zone_id.clone());
            found.push((instance.id.clone(), zone, phase, status));
        }
    }
    let (found, next) = page(
        found,
        params.int("MaxResults")?,
        params.get("NextToken"),
        (5, 1000),
    )?;
    Ok(body(move |x| {
        x.set(
            "instanceStatusSet",
            &found,
            |x, (id, (zone, zone_id), phase, status)| {
                x.leaf("instanceId", id);
                x.leaf("availabilityZone", zone);
                x.opt("availabilityZoneId", zone_id.as_deref());
                x.element("instanceState", |x| {
                    x.leaf("code", phase.code());
                    x.leaf("name", phase.name());
                });
                for name in ["systemStatus", "instanceStatus"] {
                    x.element(name, |x| {
                        x.leaf("status", status);
                        x.set("details", [()], |x, ()| {
                            x.leaf("name", "reachability");
                            x.leaf("status", reachability(status));
                        });
                    });
                }
            },
        );
        x.opt("nextToken", next.as_deref());
    }))
}

fn get_password_data(call: &mut Call<'_>) -> Result<Body, AwsError> {
    let params = call.params;
    let now = call.now;
    let region = &mut *call.region;
    let id = params.required("InstanceId")?;
    let instance = region.instances_by_id(&[id], now)?[0].clone();
    let ready =
        instance.phase(now) == Phase::Running && now - instance.launch_time >= PASSWORD_READY;
    let data = if instance.windows && ready {
        instance.password_data.clone().unwrap_or_default()
    } else {
        String::new()
    };
    Ok(body(move |x| {
        x.leaf("instanceId", &instance.id);
        x.leaf("timestamp", crate::wire::timestamp::with_millis(now));
        x.leaf("passwordData", &data);
    }))
}

fn create_tags(call: &mut Call<'_>) -> Result<Body, AwsError> {
    let params = call.params;
    let region = &mut *call.region;
    let ids = params.list("ResourceId");
    region.adopt_images(&call.name, &ids);
    region.create_tags(&ids, &wire::tags(params, "Tag"))?;
    Ok(body(|x| {
        x.leaf("return", true);
    }))
}

fn delete_tags(call: &mut Call<'_>) -> Result<Body, AwsError> {
    let params = call.params;
    let region = &mut *call.region;
    let ids = params.list("ResourceId");
    region.adopt_images(&call.name, &ids);
    region.delete_tags(&ids, &wire::tag_keys(params))?;
    Ok(body(|x| {
        x.leaf("return", true);
    }))
}

fn describe_tags(call: &mut Call<'_>) -> Result<Body, AwsError> {
    let params = call.params;
    let region = &mut *call.region;
    let filters = checked::<TagView<'_>>(wire::filters(params))?;
    let mut found = Vec::new();
    let ids: Vec<String> = region
        .instances
        .keys()
        .chain(region.security_groups.keys())
        .chain(region.vpcs.keys())
        .chain(region.subnets.keys())
        .chain(region.image_tags.keys())
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
                    tags: tagged.tags,
                };
                if matches(&view, &filters)? {
                    found.push((id.clone(), tagged.resource_type, key.clone(), value.clone()));
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
    Ok(body(move |x| {
        x.set("tagSet", &found, |x, (id, kind, key, value)| {
            x.leaf("resourceId", id);
            x.leaf("resourceType", kind);
            x.leaf("key", key);
            x.leaf("value", value);
        });
        x.opt("nextToken", next.as_deref());
    }))
}

fn describe_images(call: &mut Call<'_>) -> Result<Body, AwsError> {
    let params = call.params;
    let r = call.name.clone();
    let region_name = call.name.clone();
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
    let filters = checked::<ImageView<'_>>(wire::filters(params))?;
    let mut found = Vec::new();
    let no_tags = super::Tags::new();
    for image in IMAGES {
        let tags = call
            .region
            .image_tags
            .get(&image.id_in(&region_name))
            .unwrap_or(&no_tags);
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
                    tags,
                },
                &filters,
            )?
        {
            found.push((*image, tags.clone()));
        }
    }
    Ok(body(move |x| {
        x.set("imagesSet", &found, |x, (image, tags)| {
            wire::image(x, image, &r);
            if !tags.is_empty() {
                wire::tag_set(x, tags);
            }
        });
    }))
}

fn describe_instance_types(call: &mut Call<'_>) -> Result<Body, AwsError> {
    let params = call.params;
    let names = params.list("InstanceType");
    for name in &names {
        if catalog::instance_type(name).is_none() {
            return Err(AwsError::client(
                "InvalidInstanceType",
                format!("The following supplied instance types do not exist: [{name}]"),
            ));
        }
    }
    let filters = checked::<Offered>(wire::filters(params))?;
    let mut found = Vec::new();
    for t in INSTANCE_TYPES {
        let offered = Offered::to(call.plan, t);
        if (names.is_empty() || names.contains(&t.name)) && matches(&offered, &filters)? {
            found.push(offered);
        }
    }
    let (found, next) = page(
        found,
        params.int("MaxResults")?,
        params.get("NextToken"),
        (5, 100),
    )?;
    Ok(body(move |x| {
        x.set("instanceTypeSet", &found, wire::instance_type);
        x.opt("nextToken", next.as_deref());
    }))
}

#[cfg(test)]
mod tests {
    use cloudlings_core::operation::Service;

    use super::*;

    #[test]
    fn every_ec2_operation_on_the_wire_has_a_handler() {
        for op in Operation::of(Service::Ec2) {
            // DescribeRegions needs no region, so `handle` answers it before choosing one.
            if op.wire_action().is_none() || op == Operation::DescribeRegions {
                continue;
            }
            assert!(handler(op).is_some(), "{op} has no handler");
        }
        for (op, _) in HANDLERS {
            assert_eq!(op.service(), Service::Ec2, "{op} is not EC2's");
        }
    }
}
