//! EC2's answers as `aws ec2 … --output json` prints them.

use aws_sdk_ec2::operation::create_key_pair::CreateKeyPairOutput;
use aws_sdk_ec2::operation::create_security_group::CreateSecurityGroupOutput;
use aws_sdk_ec2::operation::get_password_data::GetPasswordDataOutput;
use aws_sdk_ec2::operation::run_instances::RunInstancesOutput;
use aws_sdk_ec2::types::{
    GroupIdentifier, Image, Instance, InstanceNetworkInterface,
    InstanceNetworkInterfaceAssociation, InstanceStateChange, InstanceTypeInfo, IpPermission,
    KeyPairInfo, OperatorResponse, Reservation, RevokedSecurityGroupRule, SecurityGroup,
    SecurityGroupRule, Tag,
};
use serde_json::{Value, json};

use super::{Object, Stamp, time};

/// `aws ec2 describe-instances`.
pub fn describe_instances(reservations: &[Reservation]) -> Value {
    json!({ "Reservations": reservations.iter().map(reservation).collect::<Vec<_>>() })
}

fn reservation(reservation: &Reservation) -> Value {
    Object::new()
        .opt("ReservationId", reservation.reservation_id())
        .opt("OwnerId", reservation.owner_id())
        .opt("RequesterId", reservation.requester_id())
        .list("Groups", reservation.groups(), group_identifier)
        .list("Instances", reservation.instances(), instance)
        .build()
}

fn instance(i: &Instance) -> Value {
    Object::new()
        .opt("Architecture", i.architecture().map(|a| a.as_str()))
        .opt_list(
            "BlockDeviceMappings",
            i.block_device_mappings.as_deref(),
            |m| {
                Object::new()
                    .opt("DeviceName", m.device_name())
                    .opt(
                        "Ebs",
                        m.ebs().map(|ebs| {
                            Object::new()
                                .opt("AttachTime", time(ebs.attach_time(), Stamp::Millis))
                                .opt("DeleteOnTermination", ebs.delete_on_termination())
                                .opt("Status", ebs.status().map(|s| s.as_str()))
                                .opt("VolumeId", ebs.volume_id())
                                .build()
                        }),
                    )
                    .build()
            },
        )
        .opt("ClientToken", i.client_token())
        .opt("EbsOptimized", i.ebs_optimized())
        .opt("EnaSupport", i.ena_support())
        .opt("Hypervisor", i.hypervisor().map(|h| h.as_str()))
        .opt_list(
            "NetworkInterfaces",
            i.network_interfaces.as_deref(),
            network_interface,
        )
        .opt("RootDeviceName", i.root_device_name())
        .opt("RootDeviceType", i.root_device_type().map(|t| t.as_str()))
        .opt_list(
            "SecurityGroups",
            i.security_groups.as_deref(),
            group_identifier,
        )
        .opt("SourceDestCheck", i.source_dest_check())
        .opt(
            "StateReason",
            i.state_reason().map(|r| {
                Object::new()
                    .opt("Code", r.code())
                    .opt("Message", r.message())
                    .build()
            }),
        )
        .opt_list("Tags", i.tags.as_deref(), tag)
        .opt(
            "VirtualizationType",
            i.virtualization_type().map(|t| t.as_str()),
        )
        .opt(
            "CpuOptions",
            i.cpu_options().map(|c| {
                Object::new()
                    .opt("CoreCount", c.core_count())
                    .opt("ThreadsPerCore", c.threads_per_core())
                    .build()
            }),
        )
        .opt(
            "CapacityReservationSpecification",
            i.capacity_reservation_specification().map(|c| {
                Object::new()
                    .opt(
                        "CapacityReservationPreference",
                        c.capacity_reservation_preference().map(|p| p.as_str()),
                    )
                    .build()
            }),
        )
        .opt(
            "HibernationOptions",
            i.hibernation_options()
                .map(|h| Object::new().opt("Configured", h.configured()).build()),
        )
        .opt(
            "MetadataOptions",
            i.metadata_options().map(|m| {
                Object::new()
                    .opt("State", m.state().map(|s| s.as_str()))
                    .opt("HttpTokens", m.http_tokens().map(|s| s.as_str()))
                    .opt("HttpPutResponseHopLimit", m.http_put_response_hop_limit())
                    .opt("HttpEndpoint", m.http_endpoint().map(|s| s.as_str()))
                    .opt(
                        "HttpProtocolIpv6",
                        m.http_protocol_ipv6().map(|s| s.as_str()),
                    )
                    .opt(
                        "InstanceMetadataTags",
                        m.instance_metadata_tags().map(|s| s.as_str()),
                    )
                    .build()
            }),
        )
        .opt(
            "EnclaveOptions",
            i.enclave_options()
                .map(|e| Object::new().opt("Enabled", e.enabled()).build()),
        )
        .opt("BootMode", i.boot_mode().map(|m| m.as_str()))
        .opt("PlatformDetails", i.platform_details())
        .opt("UsageOperation", i.usage_operation())
        .opt(
            "UsageOperationUpdateTime",
            time(i.usage_operation_update_time(), Stamp::Millis),
        )
        .opt(
            "PrivateDnsNameOptions",
            i.private_dns_name_options().map(|p| {
                Object::new()
                    .opt("HostnameType", p.hostname_type().map(|t| t.as_str()))
                    .opt(
                        "EnableResourceNameDnsARecord",
                        p.enable_resource_name_dns_a_record(),
                    )
                    .opt(
                        "EnableResourceNameDnsAAAARecord",
                        p.enable_resource_name_dns_aaaa_record(),
                    )
                    .build()
            }),
        )
        .opt(
            "MaintenanceOptions",
            i.maintenance_options().map(|m| {
                Object::new()
                    .opt("AutoRecovery", m.auto_recovery().map(|a| a.as_str()))
                    .opt("RebootMigration", m.reboot_migration().map(|r| r.as_str()))
                    .build()
            }),
        )
        .opt(
            "CurrentInstanceBootMode",
            i.current_instance_boot_mode().map(|m| m.as_str()),
        )
        .opt(
            "NetworkPerformanceOptions",
            i.network_performance_options().map(|n| {
                Object::new()
                    .opt(
                        "BandwidthWeighting",
                        n.bandwidth_weighting().map(|b| b.as_str()),
                    )
                    .build()
            }),
        )
        .opt("Operator", i.operator().map(operator))
        .opt("InstanceId", i.instance_id())
        .opt("ImageId", i.image_id())
        .opt("State", i.state().map(instance_state))
        .opt("PrivateDnsName", i.private_dns_name())
        .opt("PublicDnsName", i.public_dns_name())
        .opt("StateTransitionReason", i.state_transition_reason())
        .opt("KeyName", i.key_name())
        .opt("AmiLaunchIndex", i.ami_launch_index())
        .opt_list("ProductCodes", i.product_codes.as_deref(), |code| {
            Object::new()
                .opt("ProductCodeId", code.product_code_id())
                .opt(
                    "ProductCodeType",
                    code.product_code_type().map(|t| t.as_str()),
                )
                .build()
        })
        .opt("InstanceType", i.instance_type().map(|t| t.as_str()))
        .opt("LaunchTime", time(i.launch_time(), Stamp::Millis))
        .opt(
            "Placement",
            i.placement().map(|p| {
                Object::new()
                    .opt("AvailabilityZoneId", p.availability_zone_id())
                    .opt("GroupName", p.group_name())
                    .opt("Tenancy", p.tenancy().map(|t| t.as_str()))
                    .opt("AvailabilityZone", p.availability_zone())
                    .build()
            }),
        )
        .opt("Platform", i.platform().map(|p| p.as_str()))
        .opt(
            "Monitoring",
            i.monitoring().map(|m| {
                Object::new()
                    .opt("State", m.state().map(|s| s.as_str()))
                    .build()
            }),
        )
        .opt("SubnetId", i.subnet_id())
        .opt("VpcId", i.vpc_id())
        .opt("PrivateIpAddress", i.private_ip_address())
        .opt("PublicIpAddress", i.public_ip_address())
        .build()
}

fn network_interface(n: &InstanceNetworkInterface) -> Value {
    let association = |a: &InstanceNetworkInterfaceAssociation| {
        Object::new()
            .opt("IpOwnerId", a.ip_owner_id())
            .opt("PublicDnsName", a.public_dns_name())
            .opt("PublicIp", a.public_ip())
            .build()
    };
    Object::new()
        .opt("Association", n.association().map(association))
        .opt(
            "Attachment",
            n.attachment().map(|a| {
                Object::new()
                    .opt("AttachTime", time(a.attach_time(), Stamp::Millis))
                    .opt("AttachmentId", a.attachment_id())
                    .opt("DeleteOnTermination", a.delete_on_termination())
                    .opt("DeviceIndex", a.device_index())
                    .opt("Status", a.status().map(|s| s.as_str()))
                    .opt("NetworkCardIndex", a.network_card_index())
                    .build()
            }),
        )
        .opt("Description", n.description())
        .opt_list("Groups", n.groups.as_deref(), group_identifier)
        .opt_list("Ipv6Addresses", n.ipv6_addresses.as_deref(), |a| {
            Object::new().opt("Ipv6Address", a.ipv6_address()).build()
        })
        .opt("MacAddress", n.mac_address())
        .opt("NetworkInterfaceId", n.network_interface_id())
        .opt("OwnerId", n.owner_id())
        .opt("PrivateDnsName", n.private_dns_name())
        .opt("PrivateIpAddress", n.private_ip_address())
        .opt_list(
            "PrivateIpAddresses",
            n.private_ip_addresses.as_deref(),
            |p| {
                Object::new()
                    .opt("Association", p.association().map(association))
                    .opt("Primary", p.primary())
                    .opt("PrivateDnsName", p.private_dns_name())
                    .opt("PrivateIpAddress", p.private_ip_address())
                    .build()
            },
        )
        .opt("SourceDestCheck", n.source_dest_check())
        .opt("Status", n.status().map(|s| s.as_str()))
        .opt("SubnetId", n.subnet_id())
        .opt("VpcId", n.vpc_id())
        .opt("InterfaceType", n.interface_type())
        .opt("Operator", n.operator().map(operator))
        .build()
}

fn operator(o: &OperatorResponse) -> Value {
    Object::new()
        .opt("Managed", o.managed())
        .opt("Principal", o.principal())
        .build()
}

fn instance_state(s: &aws_sdk_ec2::types::InstanceState) -> Value {
    Object::new()
        .opt("Code", s.code())
        .opt("Name", s.name().map(|n| n.as_str()))
        .build()
}

fn group_identifier(group: &GroupIdentifier) -> Value {
    Object::new()
        .opt("GroupId", group.group_id())
        .opt("GroupName", group.group_name())
        .build()
}

fn tag(tag: &Tag) -> Value {
    Object::new()
        .opt("Key", tag.key())
        .opt("Value", tag.value())
        .build()
}

/// `aws ec2 describe-security-groups`.
pub fn describe_security_groups(groups: &[SecurityGroup]) -> Value {
    json!({ "SecurityGroups": groups.iter().map(security_group).collect::<Vec<_>>() })
}

fn security_group(group: &SecurityGroup) -> Value {
    Object::new()
        .opt("GroupId", group.group_id())
        .list(
            "IpPermissionsEgress",
            group.ip_permissions_egress(),
            permission,
        )
        .list("Tags", group.tags(), tag)
        .opt("VpcId", group.vpc_id())
        .opt("SecurityGroupArn", group.security_group_arn())
        .opt("OwnerId", group.owner_id())
        .opt("GroupName", group.group_name())
        .opt("Description", group.description())
        .list("IpPermissions", group.ip_permissions(), permission)
        .build()
}

fn permission(p: &IpPermission) -> Value {
    Object::new()
        .opt("IpProtocol", p.ip_protocol())
        .opt("FromPort", p.from_port())
        .opt("ToPort", p.to_port())
        .list("UserIdGroupPairs", p.user_id_group_pairs(), |pair| {
            Object::new()
                .opt("Description", pair.description())
                .opt("UserId", pair.user_id())
                .opt("GroupName", pair.group_name())
                .opt("GroupId", pair.group_id())
                .build()
        })
        .list("IpRanges", p.ip_ranges(), |r| {
            Object::new()
                .opt("Description", r.description())
                .opt("CidrIp", r.cidr_ip())
                .build()
        })
        .list("Ipv6Ranges", p.ipv6_ranges(), |r| {
            Object::new()
                .opt("Description", r.description())
                .opt("CidrIpv6", r.cidr_ipv6())
                .build()
        })
        .list("PrefixListIds", p.prefix_list_ids(), |r| {
            Object::new()
                .opt("Description", r.description())
                .opt("PrefixListId", r.prefix_list_id())
                .build()
        })
        .build()
}

/// `aws ec2 run-instances`: the reservation.
pub fn run_instances(output: &RunInstancesOutput) -> Value {
    Object::new()
        .opt("ReservationId", output.reservation_id())
        .opt("OwnerId", output.owner_id())
        .opt("RequesterId", output.requester_id())
        .opt_list("Groups", output.groups.as_deref(), group_identifier)
        .opt_list("Instances", output.instances.as_deref(), instance)
        .build()
}

/// `aws ec2 terminate-instances` and its kin: `TerminatingInstances`, `StartingInstances`,
/// `StoppingInstances`.
pub fn state_changes(field: &str, changes: &[InstanceStateChange]) -> Value {
    Object::new()
        .list(field, changes, |change| {
            Object::new()
                .opt("InstanceId", change.instance_id())
                .opt("CurrentState", change.current_state().map(instance_state))
                .opt("PreviousState", change.previous_state().map(instance_state))
                .build()
        })
        .build()
}

/// `aws ec2 create-security-group`.
pub fn create_security_group(output: &CreateSecurityGroupOutput) -> Value {
    Object::new()
        .opt("GroupId", output.group_id())
        .opt_list("Tags", output.tags.as_deref(), tag)
        .opt("SecurityGroupArn", output.security_group_arn())
        .build()
}

/// `aws ec2 authorize-security-group-ingress` and `-egress`: whether it worked, and the rules
/// it made.
pub fn authorize_rules(done: Option<bool>, rules: Option<&[SecurityGroupRule]>) -> Value {
    Object::new()
        .opt("Return", done)
        .opt_list("SecurityGroupRules", rules, security_group_rule)
        .build()
}

/// `aws ec2 revoke-security-group-ingress` and `-egress`: whether it worked, the rules named
/// that matched none, and the rules taken back.
pub fn revoke_rules(
    done: Option<bool>,
    unknown: Option<&[IpPermission]>,
    revoked: Option<&[RevokedSecurityGroupRule]>,
) -> Value {
    Object::new()
        .opt("Return", done)
        .opt_list("UnknownIpPermissions", unknown, permission)
        .opt_list("RevokedSecurityGroupRules", revoked, |rule| {
            Object::new()
                .opt("SecurityGroupRuleId", rule.security_group_rule_id())
                .opt("GroupId", rule.group_id())
                .opt("IsEgress", rule.is_egress())
                .opt("IpProtocol", rule.ip_protocol())
                .opt("FromPort", rule.from_port())
                .opt("ToPort", rule.to_port())
                .opt("CidrIpv4", rule.cidr_ipv4())
                .opt("CidrIpv6", rule.cidr_ipv6())
                .opt("PrefixListId", rule.prefix_list_id())
                .opt("ReferencedGroupId", rule.referenced_group_id())
                .opt("Description", rule.description())
                .build()
        })
        .build()
}

fn security_group_rule(rule: &SecurityGroupRule) -> Value {
    Object::new()
        .opt("SecurityGroupRuleId", rule.security_group_rule_id())
        .opt("GroupId", rule.group_id())
        .opt("GroupOwnerId", rule.group_owner_id())
        .opt("IsEgress", rule.is_egress())
        .opt("IpProtocol", rule.ip_protocol())
        .opt("FromPort", rule.from_port())
        .opt("ToPort", rule.to_port())
        .opt("CidrIpv4", rule.cidr_ipv4())
        .opt("CidrIpv6", rule.cidr_ipv6())
        .opt("PrefixListId", rule.prefix_list_id())
        .opt(
            "ReferencedGroupInfo",
            rule.referenced_group_info().map(|info| {
                Object::new()
                    .opt("GroupId", info.group_id())
                    .opt("UserId", info.user_id())
                    .build()
            }),
        )
        .opt("Description", rule.description())
        .opt_list("Tags", rule.tags.as_deref(), tag)
        .opt("SecurityGroupRuleArn", rule.security_group_rule_arn())
        .build()
}

/// `aws ec2 create-key-pair`.
pub fn create_key_pair(output: &CreateKeyPairOutput) -> Value {
    Object::new()
        .opt("KeyPairId", output.key_pair_id())
        .opt_list("Tags", output.tags.as_deref(), tag)
        .opt("KeyName", output.key_name())
        .opt("KeyFingerprint", output.key_fingerprint())
        .opt("KeyMaterial", output.key_material())
        .build()
}

/// `aws ec2 describe-images`.
pub fn describe_images(images: &[Image]) -> Value {
    json!({ "Images": images.iter().map(image).collect::<Vec<_>>() })
}

fn image(i: &Image) -> Value {
    Object::new()
        .opt("PlatformDetails", i.platform_details())
        .opt("UsageOperation", i.usage_operation())
        .opt_list(
            "BlockDeviceMappings",
            i.block_device_mappings.as_deref(),
            |m| {
                Object::new()
                    .opt("DeviceName", m.device_name())
                    .opt("VirtualName", m.virtual_name())
                    .build()
            },
        )
        .opt("Description", i.description())
        .opt("EnaSupport", i.ena_support())
        .opt("Hypervisor", i.hypervisor().map(|h| h.as_str()))
        .opt("ImageOwnerAlias", i.image_owner_alias())
        .opt("Name", i.name())
        .opt("RootDeviceName", i.root_device_name())
        .opt("RootDeviceType", i.root_device_type().map(|t| t.as_str()))
        .opt(
            "VirtualizationType",
            i.virtualization_type().map(|t| t.as_str()),
        )
        .opt_list("Tags", i.tags.as_deref(), tag)
        .opt("FreeTierEligible", i.free_tier_eligible())
        .opt("ImageId", i.image_id())
        .opt("ImageLocation", i.image_location())
        .opt("State", i.state().map(|s| s.as_str()))
        .opt("OwnerId", i.owner_id())
        .opt("CreationDate", i.creation_date())
        .opt("Public", i.public())
        .opt("Architecture", i.architecture().map(|a| a.as_str()))
        .opt("ImageType", i.image_type().map(|t| t.as_str()))
        .opt("Platform", i.platform().map(|p| p.as_str()))
        .build()
}

/// `aws ec2 describe-key-pairs`.
pub fn describe_key_pairs(pairs: &[KeyPairInfo]) -> Value {
    json!({ "KeyPairs": pairs.iter().map(key_pair).collect::<Vec<_>>() })
}

fn key_pair(pair: &KeyPairInfo) -> Value {
    Object::new()
        .opt("KeyPairId", pair.key_pair_id())
        .opt("KeyType", pair.key_type().map(|t| t.as_str()))
        .list("Tags", pair.tags(), tag)
        .opt("PublicKey", pair.public_key())
        .opt("CreateTime", time(pair.create_time(), Stamp::Millis))
        .opt("KeyName", pair.key_name())
        .opt("KeyFingerprint", pair.key_fingerprint())
        .build()
}

/// `aws ec2 describe-instance-types`: each type's size as the lecture reads it (vCPUs, memory,
/// network), in the model's order.
pub fn describe_instance_types(types: &[InstanceTypeInfo]) -> Value {
    json!({ "InstanceTypes": types.iter().map(instance_type).collect::<Vec<_>>() })
}

fn instance_type(t: &InstanceTypeInfo) -> Value {
    Object::new()
        .opt("InstanceType", t.instance_type().map(|t| t.as_str()))
        .opt("CurrentGeneration", t.current_generation())
        .opt("FreeTierEligible", t.free_tier_eligible())
        .opt_list(
            "SupportedUsageClasses",
            t.supported_usage_classes.as_deref(),
            |c| Value::from(c.as_str()),
        )
        .opt_list(
            "SupportedRootDeviceTypes",
            t.supported_root_device_types.as_deref(),
            |d| Value::from(d.as_str()),
        )
        .opt_list(
            "SupportedVirtualizationTypes",
            t.supported_virtualization_types.as_deref(),
            |v| Value::from(v.as_str()),
        )
        .opt("BareMetal", t.bare_metal())
        .opt("Hypervisor", t.hypervisor().map(|h| h.as_str()))
        .opt(
            "ProcessorInfo",
            t.processor_info().map(|p| {
                Object::new()
                    .opt_list(
                        "SupportedArchitectures",
                        p.supported_architectures.as_deref(),
                        |a| Value::from(a.as_str()),
                    )
                    .opt("SustainedClockSpeedInGhz", p.sustained_clock_speed_in_ghz())
                    .opt("Manufacturer", p.manufacturer())
                    .build()
            }),
        )
        .opt(
            "VCpuInfo",
            t.v_cpu_info().map(|v| {
                Object::new()
                    .opt("DefaultVCpus", v.default_v_cpus())
                    .opt("DefaultCores", v.default_cores())
                    .opt("DefaultThreadsPerCore", v.default_threads_per_core())
                    .build()
            }),
        )
        .opt(
            "MemoryInfo",
            t.memory_info()
                .map(|m| Object::new().opt("SizeInMiB", m.size_in_mib()).build()),
        )
        .opt("InstanceStorageSupported", t.instance_storage_supported())
        .opt(
            "NetworkInfo",
            t.network_info().map(|n| {
                Object::new()
                    .opt("NetworkPerformance", n.network_performance())
                    .opt("MaximumNetworkInterfaces", n.maximum_network_interfaces())
                    .opt("Ipv6Supported", n.ipv6_supported())
                    .opt("EnaSupport", n.ena_support().map(|e| e.as_str()))
                    .build()
            }),
        )
        .opt(
            "BurstablePerformanceSupported",
            t.burstable_performance_supported(),
        )
        .opt_list(
            "SupportedBootModes",
            t.supported_boot_modes.as_deref(),
            |m| Value::from(m.as_str()),
        )
        .build()
}

/// `aws ec2 get-password-data`: the Windows password, still encrypted with the key pair.
pub fn get_password_data(output: &GetPasswordDataOutput) -> Value {
    Object::new()
        .opt("InstanceId", output.instance_id())
        .opt("Timestamp", time(output.timestamp(), Stamp::Millis))
        .opt("PasswordData", output.password_data())
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::IpRange;

    #[test]
    fn a_rule_reads_as_the_cli_prints_it() {
        let group = SecurityGroup::builder()
            .group_id("sg-1")
            .group_name("web")
            .description("d")
            .ip_permissions(
                IpPermission::builder()
                    .ip_protocol("tcp")
                    .from_port(22)
                    .to_port(22)
                    .ip_ranges(IpRange::builder().cidr_ip("203.0.113.7/32").build())
                    .build(),
            )
            .build();
        let value = describe_security_groups(&[group]);
        assert_eq!(
            value["SecurityGroups"][0]["IpPermissions"][0],
            json!({
                "FromPort": 22, "IpProtocol": "tcp", "ToPort": 22,
                "IpRanges": [{"CidrIp": "203.0.113.7/32"}],
                "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []
            })
        );
        assert_eq!(value["SecurityGroups"][0]["GroupName"], "web");
    }
}
