//! EC2's answers as `aws ec2 … --output json` prints them.

use aws_sdk_ec2::types::{
    GroupIdentifier, Instance, IpPermission, KeyPairInfo, Reservation, SecurityGroup, Tag,
};
use serde_json::{Value, json};

use super::{Object, Stamp, time};

/// `aws ec2 describe-instances`.
pub fn describe_instances(reservations: &[Reservation]) -> Value {
    json!({ "Reservations": reservations.iter().map(reservation).collect::<Vec<_>>() })
}

fn reservation(reservation: &Reservation) -> Value {
    Object::new()
        .list("Groups", reservation.groups(), group_identifier)
        .list("Instances", reservation.instances(), instance)
        .opt("OwnerId", reservation.owner_id())
        .opt("ReservationId", reservation.reservation_id())
        .build()
}

fn instance(i: &Instance) -> Value {
    Object::new()
        .opt("AmiLaunchIndex", i.ami_launch_index())
        .opt("ImageId", i.image_id())
        .opt("InstanceId", i.instance_id())
        .opt("InstanceType", i.instance_type().map(|t| t.as_str()))
        .opt("KeyName", i.key_name())
        .opt("LaunchTime", time(i.launch_time(), Stamp::Millis))
        .opt(
            "Placement",
            i.placement().map(|p| {
                Object::new()
                    .opt("AvailabilityZone", p.availability_zone())
                    .opt("GroupName", p.group_name())
                    .opt("Tenancy", p.tenancy().map(|t| t.as_str()))
                    .build()
            }),
        )
        .opt("Platform", i.platform().map(|p| p.as_str()))
        .opt("PrivateDnsName", i.private_dns_name())
        .opt("PrivateIpAddress", i.private_ip_address())
        .opt("PublicDnsName", i.public_dns_name())
        .opt("PublicIpAddress", i.public_ip_address())
        .opt(
            "State",
            i.state().map(|s| {
                Object::new()
                    .opt("Code", s.code())
                    .opt("Name", s.name().map(|n| n.as_str()))
                    .build()
            }),
        )
        .opt("SubnetId", i.subnet_id())
        .opt("VpcId", i.vpc_id())
        .opt("Architecture", i.architecture().map(|a| a.as_str()))
        .opt("RootDeviceName", i.root_device_name())
        .opt("RootDeviceType", i.root_device_type().map(|t| t.as_str()))
        .list("SecurityGroups", i.security_groups(), group_identifier)
        .list("Tags", i.tags(), tag)
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
        .opt("Description", group.description())
        .opt("GroupName", group.group_name())
        .list("IpPermissions", group.ip_permissions(), permission)
        .opt("OwnerId", group.owner_id())
        .opt("GroupId", group.group_id())
        .list(
            "IpPermissionsEgress",
            group.ip_permissions_egress(),
            permission,
        )
        .list("Tags", group.tags(), tag)
        .opt("VpcId", group.vpc_id())
        .build()
}

fn permission(p: &IpPermission) -> Value {
    Object::new()
        .opt("FromPort", p.from_port())
        .opt("IpProtocol", p.ip_protocol())
        .list("IpRanges", p.ip_ranges(), |r| {
            Object::new()
                .opt("CidrIp", r.cidr_ip())
                .opt("Description", r.description())
                .build()
        })
        .list("Ipv6Ranges", p.ipv6_ranges(), |r| {
            Object::new()
                .opt("CidrIpv6", r.cidr_ipv6())
                .opt("Description", r.description())
                .build()
        })
        .list("PrefixListIds", p.prefix_list_ids(), |r| {
            Object::new()
                .opt("PrefixListId", r.prefix_list_id())
                .build()
        })
        .opt("ToPort", p.to_port())
        .list("UserIdGroupPairs", p.user_id_group_pairs(), |pair| {
            Object::new()
                .opt("Description", pair.description())
                .opt("GroupId", pair.group_id())
                .opt("GroupName", pair.group_name())
                .opt("UserId", pair.user_id())
                .build()
        })
        .build()
}

/// `aws ec2 describe-key-pairs`.
pub fn describe_key_pairs(pairs: &[KeyPairInfo]) -> Value {
    json!({ "KeyPairs": pairs.iter().map(key_pair).collect::<Vec<_>>() })
}

fn key_pair(pair: &KeyPairInfo) -> Value {
    Object::new()
        .opt("KeyPairId", pair.key_pair_id())
        .opt("KeyFingerprint", pair.key_fingerprint())
        .opt("KeyName", pair.key_name())
        .opt("KeyType", pair.key_type().map(|t| t.as_str()))
        .list("Tags", pair.tags(), tag)
        .opt("CreateTime", time(pair.create_time(), Stamp::Millis))
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
