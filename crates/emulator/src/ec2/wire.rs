//! EC2's request parameters read into the service's types, and its result shapes written as
//! the XML the SDKs expect (lowerCamel element names, lists as `…Set` of `item`).

use std::collections::BTreeMap;

use base64::Engine;
use time::OffsetDateTime;

use crate::ec2::filter::Filter;
use crate::ec2::instances::{Change, Instance, Launch};
use crate::ec2::key_pairs::KeyPair;
use crate::ec2::network::{Subnet, Vpc};
use crate::ec2::security_groups::{Peer, Rule, RuleSpec, SecurityGroup};
use crate::ec2::tags::TagSpecification;
use crate::ec2::volumes::{self, Volume};
use crate::ec2::{Offered, RegionState, Tags};
use crate::ec2::{defaults, interface};
use crate::error::AwsError;
use crate::wire::query::Params;
use crate::wire::timestamp::with_millis as timestamp;
use crate::wire::xml::Xml;
use cloudlings_core::catalog::{Image, InstanceType};

// ---- requests ------------------------------------------------------------------------------

pub fn filters(params: &Params) -> Vec<Filter> {
    params
        .structs("Filter")
        .into_iter()
        .map(|filter| Filter {
            name: filter.get("Name").unwrap_or_default().to_string(),
            values: filter
                .list("Value")
                .into_iter()
                .map(str::to_string)
                .collect(),
        })
        .collect()
}

/// `Tag.N.Key` / `Tag.N.Value` under a prefix.
pub fn tags(params: &Params, name: &str) -> Tags {
    params
        .structs(name)
        .into_iter()
        .filter_map(|tag| {
            Some((
                tag.get("Key")?.to_string(),
                tag.get("Value").unwrap_or_default().to_string(),
            ))
        })
        .collect()
}

/// Tags to delete: a key, and optionally the value it must have.
pub fn tag_keys(params: &Params) -> Vec<(String, Option<String>)> {
    params
        .structs("Tag")
        .into_iter()
        .filter_map(|tag| {
            Some((
                tag.get("Key")?.to_string(),
                tag.get("Value").map(str::to_string),
            ))
        })
        .collect()
}

pub fn tag_specifications(params: &Params) -> Vec<TagSpecification> {
    params
        .structs("TagSpecification")
        .into_iter()
        .map(|spec| TagSpecification {
            resource_type: spec.get("ResourceType").unwrap_or_default().to_string(),
            tags: tags(spec, "Tag"),
        })
        .collect()
}

/// The rules of an Authorize/Revoke request: `IpPermissions.N…`, or the legacy flat form
/// (`IpProtocol`, `FromPort`, `ToPort`, `CidrIp`, `SourceSecurityGroupName`).
pub fn rule_specs(params: &Params, state: &RegionState) -> Result<Vec<RuleSpec>, AwsError> {
    let port = |p: &Params, name: &str| -> Result<Option<i32>, AwsError> {
        p.int(name)?
            .map(|v| {
                i32::try_from(v)
                    .map_err(|_| AwsError::invalid_parameter_value(format!("Invalid {name}: {v}")))
            })
            .transpose()
    };
    let mut specs = Vec::new();
    for permission in params.structs("IpPermissions") {
        let protocol = permission.required("IpProtocol")?.to_string();
        let (from_port, to_port) = (port(permission, "FromPort")?, port(permission, "ToPort")?);
        let mut add = |peer: Peer, description: Option<&str>| {
            specs.push(RuleSpec {
                protocol: protocol.clone(),
                from_port,
                to_port,
                peer,
                description: description.map(str::to_string),
            })
        };
        for range in permission.structs("IpRanges") {
            add(
                Peer::Ipv4(range.required("CidrIp")?.to_string()),
                range.get("Description"),
            );
        }
        for range in permission.structs("Ipv6Ranges") {
            add(
                Peer::Ipv6(range.required("CidrIpv6")?.to_string()),
                range.get("Description"),
            );
        }
        // The emulator makes no managed prefix lists, so one a rule names does not exist.
        if let Some(list) = permission.structs("PrefixListIds").first() {
            let id = list.required("PrefixListId")?;
            return Err(AwsError::client(
                "InvalidPrefixListID.NotFound",
                format!("The prefix list ID '{id}' does not exist"),
            ));
        }
        for pair in permission.structs("Groups") {
            let id = state.resolve_group(pair.get("GroupId"), pair.get("GroupName"))?;
            add(
                Peer::Group {
                    id,
                    owner: String::new(),
                },
                pair.get("Description"),
            );
        }
    }
    if let Some(protocol) = params.get("IpProtocol") {
        let (from_port, to_port) = (port(params, "FromPort")?, port(params, "ToPort")?);
        let peer = match (
            params.get("CidrIp"),
            params.get("SourceSecurityGroupName"),
            params.get("SourceSecurityGroupId"),
        ) {
            (Some(cidr), _, _) => Peer::Ipv4(cidr.to_string()),
            (None, name, id) if name.is_some() || id.is_some() => Peer::Group {
                id: state.resolve_group(id, name)?,
                owner: String::new(),
            },
            _ => return Err(AwsError::missing_parameter("CidrIp")),
        };
        specs.push(RuleSpec {
            protocol: protocol.to_string(),
            from_port,
            to_port,
            peer,
            description: None,
        });
    } else if let Some(cidr) = params.get("CidrIp") {
        // `--protocol` may be omitted with a CIDR: AWS then requires it.
        return Err(AwsError::invalid_parameter_value(format!(
            "Missing IpProtocol for rule from {cidr}"
        )));
    }
    Ok(specs)
}

pub fn launch(params: &Params) -> Result<Launch, AwsError> {
    let count = |name: &str| -> Result<u32, AwsError> {
        let value = params
            .int(name)?
            .ok_or_else(|| AwsError::missing_parameter(name))?;
        u32::try_from(value)
            .map_err(|_| AwsError::invalid_parameter_value(format!("Invalid {name}: {value}")))
    };
    let specs = tag_specifications(params);
    let tags = crate::ec2::tags::for_type(
        &specs,
        "instance",
        &["instance", "volume", "network-interface"],
    )?;
    // `--associate-public-ip-address` makes the aws CLI move the subnet and the groups into
    // the primary network interface.
    let interfaces = params.structs("NetworkInterface");
    if interfaces.len() > 1 {
        return Err(AwsError::unsupported(
            "EC2",
            "RunInstances with more than one network interface",
        ));
    }
    let primary = interfaces.first().copied();
    let mut group_ids: Vec<String> = params
        .list("SecurityGroupId")
        .into_iter()
        .map(str::to_string)
        .collect();
    if let Some(interface) = primary {
        group_ids.extend(
            interface
                .list("SecurityGroupId")
                .into_iter()
                .map(str::to_string),
        );
    }
    let subnet_id = primary
        .and_then(|i| i.get("SubnetId"))
        .or(params.get("SubnetId"))
        .map(str::to_string);
    let associate_public_ip = match primary {
        Some(interface) => interface.bool("AssociatePublicIpAddress")?,
        None => None,
    };
    Ok(Launch {
        image_id: params.required("ImageId")?.to_string(),
        instance_type: params.get("InstanceType").map(str::to_string),
        min_count: count("MinCount")?,
        max_count: count("MaxCount")?,
        key_name: params.get("KeyName").map(str::to_string),
        group_ids,
        group_names: params
            .list("SecurityGroup")
            .into_iter()
            .map(str::to_string)
            .collect(),
        subnet_id,
        associate_public_ip,
        zone: params
            .member("Placement")
            .and_then(|p| p.get("AvailabilityZone"))
            .map(str::to_string),
        tags,
        client_token: params
            .get("ClientToken")
            .filter(|t| !t.is_empty())
            .map(str::to_string),
        block_devices: crate::ec2::volumes::mappings(params)?,
    })
}

/// A blob parameter (base64 on the wire).
pub fn blob(params: &Params, name: &str) -> Result<Vec<u8>, AwsError> {
    let value = params.required(name)?;
    base64::engine::general_purpose::STANDARD
        .decode(value.trim())
        .map_err(|_| {
            AwsError::invalid_parameter_value(format!("Value for {name} is not valid base64"))
        })
}

// ---- responses -----------------------------------------------------------------------------

pub fn tag_set(x: &mut Xml, tags: &Tags) {
    x.set("tagSet", tags, |x, (key, value)| {
        x.leaf("key", key);
        x.leaf("value", value);
    });
}

pub fn vpc(x: &mut Xml, vpc: &Vpc) {
    x.leaf("vpcId", &vpc.id);
    x.leaf("ownerId", &vpc.owner);
    x.leaf("state", "available");
    x.leaf("cidrBlock", &vpc.cidr);
    x.set("cidrBlockAssociationSet", [vpc], |x, vpc| {
        x.leaf("cidrBlock", &vpc.cidr);
        x.leaf("associationId", &vpc.cidr_association_id);
        x.element("cidrBlockState", |x| {
            x.leaf("state", crate::ec2::network::CIDR_STATE);
        });
    });
    x.leaf("dhcpOptionsId", &vpc.dhcp_options_id);
    x.leaf("instanceTenancy", "default");
    x.leaf("isDefault", vpc.is_default);
    tag_set(x, &vpc.tags);
}

pub fn subnet(x: &mut Xml, subnet: &Subnet) {
    x.leaf("subnetId", &subnet.id);
    x.leaf("subnetArn", subnet.arn());
    x.leaf("state", "available");
    x.leaf("ownerId", &subnet.owner);
    x.leaf("vpcId", &subnet.vpc_id);
    x.leaf("cidrBlock", &subnet.cidr);
    x.leaf("availableIpAddressCount", subnet.available_addresses());
    x.leaf("availabilityZone", &subnet.zone);
    x.leaf("availabilityZoneId", &subnet.zone_id);
    x.leaf("defaultForAz", subnet.default_for_az);
    x.leaf("mapPublicIpOnLaunch", subnet.map_public_ip_on_launch);
    x.leaf("assignIpv6AddressOnCreation", false);
    tag_set(x, &subnet.tags);
}

/// Protocol and port range: what rules are grouped by in `IpPermissions`.
type PortRange = (String, Option<i32>, Option<i32>);

/// Rules grouped into `IpPermissions` by protocol and ports, as DescribeSecurityGroups shows.
fn permissions(x: &mut Xml, name: &str, rules: &[&Rule]) {
    let mut grouped: BTreeMap<PortRange, Vec<&Rule>> = BTreeMap::new();
    for rule in rules {
        grouped
            .entry((rule.protocol.clone(), rule.from_port, rule.to_port))
            .or_default()
            .push(rule);
    }
    x.set(name, grouped, |x, ((protocol, from, to), rules)| {
        x.leaf("ipProtocol", &protocol);
        x.opt("fromPort", from);
        x.opt("toPort", to);
        x.set(
            "groups",
            rules.iter().filter_map(|r| match &r.peer {
                Peer::Group { id, owner } => Some((id, owner, &r.description)),
                _ => None,
            }),
            |x, (id, owner, description)| {
                x.leaf("userId", owner);
                x.leaf("groupId", id);
                x.opt("description", description.as_deref());
            },
        );
        x.set(
            "ipRanges",
            rules.iter().filter_map(|r| match &r.peer {
                Peer::Ipv4(cidr) => Some((cidr, &r.description)),
                _ => None,
            }),
            |x, (cidr, description)| {
                x.leaf("cidrIp", cidr);
                x.opt("description", description.as_deref());
            },
        );
        x.set(
            "ipv6Ranges",
            rules.iter().filter_map(|r| match &r.peer {
                Peer::Ipv6(cidr) => Some((cidr, &r.description)),
                _ => None,
            }),
            |x, (cidr, description)| {
                x.leaf("cidrIpv6", cidr);
                x.opt("description", description.as_deref());
            },
        );
        x.set("prefixListIds", std::iter::empty::<()>(), |_, ()| {});
    });
}

pub fn security_group(x: &mut Xml, group: &SecurityGroup, region: &str) {
    x.leaf("ownerId", &group.owner);
    x.leaf("groupId", &group.id);
    x.leaf("groupName", &group.name);
    x.leaf("groupDescription", &group.description);
    x.leaf("vpcId", &group.vpc_id);
    x.leaf(
        "securityGroupArn",
        format!(
            "arn:aws:ec2:{region}:{}:security-group/{}",
            group.owner, group.id
        ),
    );
    let inbound: Vec<&Rule> = group.rules.iter().filter(|r| !r.egress).collect();
    let outbound: Vec<&Rule> = group.rules.iter().filter(|r| r.egress).collect();
    permissions(x, "ipPermissions", &inbound);
    permissions(x, "ipPermissionsEgress", &outbound);
    tag_set(x, &group.tags);
}

pub fn security_group_rule(x: &mut Xml, rule: &Rule, group: &SecurityGroup, region: &str) {
    x.leaf("securityGroupRuleId", &rule.id);
    x.leaf("groupId", &group.id);
    x.leaf("groupOwnerId", &group.owner);
    x.leaf("isEgress", rule.egress);
    x.leaf("ipProtocol", &rule.protocol);
    x.leaf("fromPort", rule.from_port.unwrap_or(-1));
    x.leaf("toPort", rule.to_port.unwrap_or(-1));
    match &rule.peer {
        Peer::Ipv4(cidr) => {
            x.leaf("cidrIpv4", cidr);
        }
        Peer::Ipv6(cidr) => {
            x.leaf("cidrIpv6", cidr);
        }
        Peer::Group { id, owner } => {
            x.element("referencedGroupInfo", |x| {
                x.leaf("groupId", id);
                x.leaf("userId", owner);
            });
        }
    }
    x.opt("description", rule.description.as_deref());
    x.leaf(
        "securityGroupRuleArn",
        format!(
            "arn:aws:ec2:{region}:{}:security-group-rule/{}",
            group.owner, rule.id
        ),
    );
    x.element("tagSet", |_| {});
}

pub fn key_pair(x: &mut Xml, pair: &KeyPair, include_public: bool) {
    x.leaf("keyPairId", &pair.id);
    x.leaf("keyType", pair.key_type.as_str());
    tag_set(x, &pair.tags);
    x.leaf("keyName", &pair.name);
    x.leaf("keyFingerprint", &pair.fingerprint);
    if include_public {
        x.leaf("publicKey", &pair.public_key);
    }
    x.leaf("createTime", timestamp(pair.created));
}

fn state(x: &mut Xml, name: &str, phase: crate::ec2::instances::Phase) {
    x.element(name, |x| {
        x.leaf("code", phase.code());
        x.leaf("name", phase.name());
    });
}

pub fn instance(
    x: &mut Xml,
    instance: &Instance,
    region: &str,
    now: OffsetDateTime,
    groups: &BTreeMap<String, SecurityGroup>,
    volumes: &BTreeMap<String, Volume>,
) {
    let (phase, _) = instance.state(now);
    let public_ip = instance.public_ip(now);
    let public_dns = instance.public_dns(region, now);
    let group_set = |x: &mut Xml| {
        x.set("groupSet", &instance.security_groups, |x, id| {
            x.leaf("groupId", id);
            x.leaf(
                "groupName",
                groups.get(id).map(|g| g.name.as_str()).unwrap_or_default(),
            );
        });
    };
    let association = |x: &mut Xml| {
        if let Some(ip) = public_ip {
            x.element("association", |x| {
                x.leaf("publicIp", ip);
                x.leaf("publicDnsName", &public_dns);
                x.leaf("ipOwnerId", interface::IP_OWNER);
            });
        }
    };
    x.leaf("instanceId", &instance.id);
    x.leaf("imageId", &instance.image_id);
    state(x, "instanceState", phase);
    x.leaf("privateDnsName", instance.private_dns(region));
    x.leaf("dnsName", &public_dns);
    x.leaf("reason", instance.transition_reason(now));
    x.opt("keyName", instance.key_name.as_deref());
    x.leaf("amiLaunchIndex", instance.launch_index);
    x.element("productCodes", |_| {});
    x.leaf("instanceType", &instance.instance_type);
    x.leaf("launchTime", timestamp(instance.launch_time));
    x.element("placement", |x| {
        x.leaf("availabilityZone", &instance.zone);
        x.opt("availabilityZoneId", instance.zone_id(region));
        x.leaf("groupName", "");
        x.leaf("tenancy", defaults::TENANCY);
    });
    if instance.windows {
        x.leaf("platform", "windows");
    }
    x.element("monitoring", |x| {
        x.leaf("state", defaults::MONITORING);
    });
    x.leaf("subnetId", &instance.subnet_id);
    x.leaf("vpcId", &instance.vpc_id);
    x.leaf("privateIpAddress", &instance.private_ip);
    x.opt("ipAddress", public_ip);
    x.leaf("sourceDestCheck", defaults::SOURCE_DEST_CHECK);
    group_set(x);
    if let Some((code, message)) = instance.state_reason() {
        x.element("stateReason", |x| {
            x.leaf("code", code);
            x.leaf("message", message);
        });
    }
    x.leaf("architecture", defaults::ARCHITECTURE);
    x.leaf("rootDeviceType", defaults::ROOT_DEVICE_TYPE);
    x.leaf("rootDeviceName", instance.root_device_name());
    x.set(
        "blockDeviceMapping",
        volumes::attached_to(volumes, &instance.id, now),
        |x, (volume, attachment)| {
            x.leaf("deviceName", &attachment.device);
            x.element("ebs", |x| {
                x.leaf("volumeId", &volume.id);
                x.leaf("status", volumes::ATTACHED);
                x.leaf("attachTime", timestamp(attachment.attached));
                x.leaf("deleteOnTermination", attachment.delete_on_termination);
            });
        },
    );
    x.leaf("virtualizationType", defaults::VIRTUALIZATION_TYPE);
    x.opt("clientToken", instance.client_token.as_deref());
    tag_set(x, &instance.tags);
    x.leaf("hypervisor", instance.hypervisor());
    x.set(
        "networkInterfaceSet",
        instance.interface(now),
        |x, interface| {
            x.leaf("networkInterfaceId", &interface.id);
            x.leaf("subnetId", &instance.subnet_id);
            x.leaf("vpcId", &instance.vpc_id);
            x.leaf("description", "");
            x.leaf("ownerId", &instance.owner);
            x.leaf("status", interface::STATUS);
            x.leaf("macAddress", &interface.mac);
            x.leaf("privateIpAddress", &instance.private_ip);
            x.leaf("privateDnsName", instance.private_dns(region));
            x.leaf("sourceDestCheck", defaults::SOURCE_DEST_CHECK);
            group_set(x);
            x.element("attachment", |x| {
                x.leaf("attachmentId", &interface.attachment_id);
                x.leaf("deviceIndex", interface::DEVICE_INDEX);
                x.leaf("status", interface::ATTACHMENT_STATUS);
                x.leaf("attachTime", timestamp(interface.attach_time));
                x.leaf("deleteOnTermination", interface::DELETE_ON_TERMINATION);
                x.leaf("networkCardIndex", interface::NETWORK_CARD_INDEX);
            });
            association(x);
            x.set("privateIpAddressesSet", [()], |x, ()| {
                x.leaf("privateIpAddress", &instance.private_ip);
                x.leaf("privateDnsName", instance.private_dns(region));
                x.leaf("primary", true);
                association(x);
            });
            x.element("ipv6AddressesSet", |_| {});
            x.leaf("interfaceType", interface::INTERFACE_TYPE);
            x.element("operator", |x| {
                x.leaf("managed", defaults::OPERATOR_MANAGED);
            });
        },
    );
    x.leaf("ebsOptimized", defaults::EBS_OPTIMIZED);
    x.leaf("enaSupport", defaults::ENA_SUPPORT);
    x.element("cpuOptions", |x| {
        let kind = cloudlings_core::catalog::instance_type(&instance.instance_type);
        x.leaf("coreCount", kind.map_or(1, InstanceType::default_cores));
        x.leaf(
            "threadsPerCore",
            kind.map_or(1, InstanceType::threads_per_core),
        );
    });
    x.element("capacityReservationSpecification", |x| {
        x.leaf(
            "capacityReservationPreference",
            defaults::CAPACITY_RESERVATION_PREFERENCE,
        );
    });
    x.element("hibernationOptions", |x| {
        x.leaf("configured", defaults::HIBERNATION_CONFIGURED);
    });
    x.element("metadataOptions", |x| {
        x.leaf("state", defaults::metadata::STATE);
        x.leaf("httpTokens", defaults::metadata::HTTP_TOKENS);
        x.leaf("httpPutResponseHopLimit", defaults::metadata::HOP_LIMIT);
        x.leaf("httpEndpoint", defaults::metadata::HTTP_ENDPOINT);
        x.leaf("httpProtocolIpv6", defaults::metadata::HTTP_PROTOCOL_IPV6);
        x.leaf(
            "instanceMetadataTags",
            defaults::metadata::INSTANCE_METADATA_TAGS,
        );
    });
    x.element("enclaveOptions", |x| {
        x.leaf("enabled", defaults::ENCLAVE_ENABLED);
    });
    x.leaf("bootMode", defaults::BOOT_MODE);
    x.leaf("platformDetails", instance.platform_details());
    x.leaf("usageOperation", instance.usage_operation());
    x.leaf(
        "usageOperationUpdateTime",
        timestamp(instance.first_launch()),
    );
    x.element("privateDnsNameOptions", |x| {
        x.leaf("hostnameType", defaults::HOSTNAME_TYPE);
        x.leaf("enableResourceNameDnsARecord", defaults::RESOURCE_NAME_DNS);
        x.leaf(
            "enableResourceNameDnsAAAARecord",
            defaults::RESOURCE_NAME_DNS,
        );
    });
    x.element("maintenanceOptions", |x| {
        x.leaf("autoRecovery", defaults::AUTO_RECOVERY);
        x.leaf("rebootMigration", defaults::REBOOT_MIGRATION);
    });
    x.leaf("currentInstanceBootMode", defaults::CURRENT_BOOT_MODE);
    x.element("networkPerformanceOptions", |x| {
        x.leaf("bandwidthWeighting", defaults::BANDWIDTH_WEIGHTING);
    });
    x.element("operator", |x| {
        x.leaf("managed", defaults::OPERATOR_MANAGED);
    });
}

pub fn state_change(x: &mut Xml, change: &Change) {
    x.leaf("instanceId", &change.id);
    state(x, "currentState", change.current);
    state(x, "previousState", change.previous);
}

pub fn image(x: &mut Xml, image: &Image, region: &str) {
    x.leaf("imageId", image.id_in(region));
    x.leaf("imageLocation", image.location());
    x.leaf("imageState", Image::STATE);
    x.leaf("imageOwnerId", image.owner);
    x.leaf("creationDate", image.creation_date);
    x.leaf("isPublic", true);
    x.leaf("architecture", defaults::ARCHITECTURE);
    x.leaf("imageType", Image::TYPE);
    if image.windows {
        x.leaf("platform", "windows");
    }
    x.leaf("platformDetails", image.platform_details());
    x.leaf("usageOperation", image.usage_operation());
    x.leaf("imageOwnerAlias", image.owner_alias);
    x.leaf("name", image.name);
    x.leaf("description", image.description);
    x.leaf("rootDeviceType", defaults::ROOT_DEVICE_TYPE);
    x.leaf("rootDeviceName", image.root_device);
    x.element("blockDeviceMapping", |_| {});
    x.leaf("virtualizationType", defaults::VIRTUALIZATION_TYPE);
    x.leaf("hypervisor", Image::HYPERVISOR);
    x.leaf("enaSupport", defaults::ENA_SUPPORT);
    x.leaf("freeTierEligible", Image::FREE_TIER_ELIGIBLE);
}

pub fn instance_type(x: &mut Xml, offered: &Offered) {
    let t = &offered.kind;
    x.leaf("instanceType", t.name);
    x.leaf("currentGeneration", true);
    x.leaf("freeTierEligible", offered.free);
    x.set(
        "supportedUsageClasses",
        InstanceType::USAGE_CLASSES,
        |x, class| {
            x.value(class);
        },
    );
    x.set(
        "supportedRootDeviceTypes",
        InstanceType::ROOT_DEVICE_TYPES,
        |x, kind| {
            x.value(kind);
        },
    );
    x.set(
        "supportedVirtualizationTypes",
        InstanceType::VIRTUALIZATION_TYPES,
        |x, kind| {
            x.value(kind);
        },
    );
    x.leaf("bareMetal", false);
    x.leaf("hypervisor", t.hypervisor());
    x.element("processorInfo", |x| {
        x.set("supportedArchitectures", [t.architecture], |x, arch| {
            x.value(arch);
        });
    });
    x.element("vCpuInfo", |x| {
        x.leaf("defaultVCpus", t.vcpus);
        x.leaf("defaultCores", t.default_cores());
        x.leaf("defaultThreadsPerCore", t.threads_per_core());
    });
    x.element("memoryInfo", |x| {
        x.leaf("sizeInMiB", t.memory_mib);
    });
    x.leaf("instanceStorageSupported", false);
    x.element("networkInfo", |x| {
        x.leaf("networkPerformance", t.network);
        x.leaf("maximumNetworkInterfaces", t.maximum_network_interfaces());
        x.leaf("ipv6Supported", true);
        x.leaf("enaSupport", t.ena_support());
    });
    x.leaf("burstablePerformanceSupported", t.burstable);
    x.set("supportedBootModes", t.boot_modes(), |x, mode| {
        x.value(mode);
    });
}
