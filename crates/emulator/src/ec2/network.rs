//! The default network every account has in every region, as on AWS: one VPC
//! (172.31.0.0/16) with a public subnet in each availability zone and a `default` security
//! group. Created the first time an account uses a region.

use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

use super::super::ids;
use super::filter::{Column, Filterable};
use super::security_groups::SecurityGroup;
use super::{RegionState, Tags};
use cloudlings_core::catalog::Region;

/// A VPC.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Vpc {
    pub id: String,
    /// The account, shown as `OwnerId` (empty in states saved before it was kept; see
    /// [`RegionState::ensure_defaults`]).
    #[serde(default)]
    pub owner: String,
    pub cidr: String,
    pub is_default: bool,
    pub dhcp_options_id: String,
    pub cidr_association_id: String,
    #[serde(default)]
    pub tags: Tags,
}

/// A subnet of a VPC, in one availability zone.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Subnet {
    pub id: String,
    /// The account, as for [`Vpc::owner`].
    #[serde(default)]
    pub owner: String,
    pub vpc_id: String,
    pub cidr: String,
    pub zone: String,
    pub zone_id: String,
    pub default_for_az: bool,
    pub map_public_ip_on_launch: bool,
    /// The next host number to hand out in the subnet (AWS reserves the first four).
    pub next_host: u32,
    #[serde(default)]
    pub tags: Tags,
}

impl Subnet {
    /// `arn:aws:ec2:ap-northeast-2:123456789012:subnet/subnet-…`; the region is the zone's.
    pub fn arn(&self) -> String {
        let region = self.zone.trim_end_matches(|c: char| c.is_ascii_lowercase());
        format!("arn:aws:ec2:{region}:{}:subnet/{}", self.owner, self.id)
    }

    /// The subnet's base address and prefix length.
    fn base(&self) -> Option<(Ipv4Addr, u32)> {
        let (address, prefix) = self.cidr.split_once('/')?;
        Some((address.parse().ok()?, prefix.parse().ok()?))
    }

    /// Host addresses the subnet can still hand out.
    pub fn available_addresses(&self) -> u32 {
        let Some((_, prefix)) = self.base() else {
            return 0;
        };
        let size = 1u32 << (32 - prefix);
        // Network address, three reserved by AWS, and the broadcast address.
        size.saturating_sub(5)
            .saturating_sub(self.next_host.saturating_sub(4))
    }

    /// Hands out the next private address.
    pub fn allocate(&mut self) -> Option<Ipv4Addr> {
        let (base, _) = self.base()?;
        if self.available_addresses() == 0 {
            return None;
        }
        let address = Ipv4Addr::from(u32::from(base) + self.next_host);
        self.next_host += 1;
        Some(address)
    }
}

impl RegionState {
    /// Creates the default VPC, its subnets and its default security group, once; and names
    /// the account as the owner of VPCs and subnets saved before they had one. Says whether
    /// anything changed.
    pub fn ensure_defaults(&mut self, region: &Region, account: &str) -> bool {
        let mut changed = false;
        let unowned = self.vpcs.values_mut().map(|vpc| &mut vpc.owner);
        for owner in unowned.chain(self.subnets.values_mut().map(|subnet| &mut subnet.owner)) {
            if owner.is_empty() {
                account.clone_into(owner);
                changed = true;
            }
        }
        if self.vpcs.values().any(|vpc| vpc.is_default) {
            return changed;
        }
        let vpc_id = ids::resource("vpc");
        self.vpcs.insert(
            vpc_id.clone(),
            Vpc {
                id: vpc_id.clone(),
                owner: account.to_string(),
                cidr: "172.31.0.0/16".into(),
                is_default: true,
                dhcp_options_id: ids::resource("dopt"),
                cidr_association_id: ids::resource("vpc-cidr-assoc"),
                tags: Tags::new(),
            },
        );
        for (index, zone) in region.zones().into_iter().enumerate() {
            let id = ids::resource("subnet");
            self.subnets.insert(
                id.clone(),
                Subnet {
                    id,
                    owner: account.to_string(),
                    vpc_id: vpc_id.clone(),
                    cidr: format!("172.31.{}.0/20", index * 16),
                    zone: zone.name,
                    zone_id: zone.id,
                    default_for_az: true,
                    map_public_ip_on_launch: true,
                    next_host: 4,
                    tags: Tags::new(),
                },
            );
        }
        let group = SecurityGroup::default_for(&vpc_id, account);
        self.security_groups.insert(group.id.clone(), group);
        true
    }

    pub fn default_vpc(&self) -> Option<&Vpc> {
        self.vpcs.values().find(|vpc| vpc.is_default)
    }
}

/// A VPC's one IPv4 block is associated for as long as the VPC exists.
pub const CIDR_STATE: &str = "associated";

/// DescribeVpcs' filters.
pub(super) const VPC_FILTERS: &[Column<Vpc>] = &[
    Column {
        names: &["vpc-id"],
        values: |vpc| vec![vpc.id.clone()],
    },
    Column {
        names: &["cidr"],
        values: |vpc| vec![vpc.cidr.clone()],
    },
    Column {
        names: &["cidr-block-association.cidr-block"],
        values: |vpc| vec![vpc.cidr.clone()],
    },
    Column {
        names: &["cidr-block-association.association-id"],
        values: |vpc| vec![vpc.cidr_association_id.clone()],
    },
    Column {
        names: &["cidr-block-association.state"],
        values: |_| vec![CIDR_STATE.into()],
    },
    Column {
        names: &["is-default"],
        values: |vpc| vec![vpc.is_default.to_string()],
    },
    Column {
        names: &["state"],
        values: |_| vec!["available".into()],
    },
    Column {
        names: &["dhcp-options-id"],
        values: |vpc| vec![vpc.dhcp_options_id.clone()],
    },
    Column {
        names: &["owner-id"],
        values: |vpc| vec![vpc.owner.clone()],
    },
];

impl Filterable for Vpc {
    fn columns<'s>() -> &'s [Column<Self>]
    where
        Self: 's,
    {
        VPC_FILTERS
    }

    const TAGGED: bool = true;

    /// VPCs here have no IPv6 blocks.
    const ABSENT: &'static [&'static str] = &[
        "ipv6-cidr-block-association.ipv6-cidr-block",
        "ipv6-cidr-block-association.ipv6-pool",
        "ipv6-cidr-block-association.association-id",
        "ipv6-cidr-block-association.state",
    ];

    fn tags(&self) -> &Tags {
        &self.tags
    }
}

/// DescribeSubnets' filters, the one Describe action whose reference documents aliases: the
/// names of the response's elements, from the API's first versions.
pub(super) const SUBNET_FILTERS: &[Column<Subnet>] = &[
    Column {
        names: &["subnet-id"],
        values: |subnet| vec![subnet.id.clone()],
    },
    Column {
        names: &["vpc-id"],
        values: |subnet| vec![subnet.vpc_id.clone()],
    },
    Column {
        names: &["cidr-block", "cidr", "cidrBlock"],
        values: |subnet| vec![subnet.cidr.clone()],
    },
    Column {
        names: &["availability-zone", "availabilityZone"],
        values: |subnet| vec![subnet.zone.clone()],
    },
    Column {
        names: &["availability-zone-id", "availabilityZoneId"],
        values: |subnet| vec![subnet.zone_id.clone()],
    },
    Column {
        names: &["default-for-az", "defaultForAz"],
        values: |subnet| vec![subnet.default_for_az.to_string()],
    },
    Column {
        names: &["map-public-ip-on-launch"],
        values: |subnet| vec![subnet.map_public_ip_on_launch.to_string()],
    },
    Column {
        names: &["available-ip-address-count"],
        values: |subnet| vec![subnet.available_addresses().to_string()],
    },
    Column {
        names: &["owner-id"],
        values: |subnet| vec![subnet.owner.clone()],
    },
    Column {
        names: &["subnet-arn"],
        values: |subnet| vec![subnet.arn()],
    },
    Column {
        names: &["state"],
        values: |_| vec!["available".into()],
    },
];

impl Filterable for Subnet {
    fn columns<'s>() -> &'s [Column<Self>]
    where
        Self: 's,
    {
        SUBNET_FILTERS
    }

    const TAGGED: bool = true;

    /// Subnets here have no IPv6, outposts or customer-owned addresses, and the answer does
    /// not show their DNS-on-launch settings.
    const ABSENT: &'static [&'static str] = &[
        "customer-owned-ipv4-pool",
        "enable-dns64",
        "enable-lni-at-device-index",
        "ipv6-cidr-block-association.ipv6-cidr-block",
        "ipv6-cidr-block-association.association-id",
        "ipv6-cidr-block-association.state",
        "ipv6-native",
        "map-customer-owned-ip-on-launch",
        "outpost-arn",
        "private-dns-name-options-on-launch.hostname-type",
        "private-dns-name-options-on-launch.enable-resource-name-dns-a-record",
        "private-dns-name-options-on-launch.enable-resource-name-dns-aaaa-record",
    ];

    fn tags(&self) -> &Tags {
        &self.tags
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::super::filter::{Filter, matches};

    fn subnet() -> Subnet {
        Subnet {
            id: "subnet-1".into(),
            owner: "123456789012".into(),
            vpc_id: "vpc-1".into(),
            cidr: "172.31.16.0/20".into(),
            zone: "ap-northeast-2a".into(),
            zone_id: "apne2-az1".into(),
            default_for_az: true,
            map_public_ip_on_launch: true,
            next_host: 4,
            tags: Tags::new(),
        }
    }

    fn only(name: &str, value: &str) -> Vec<Filter> {
        vec![Filter {
            name: name.into(),
            values: vec![value.into()],
        }]
    }

    #[test]
    fn subnets_take_the_aliases_aws_documents() {
        let subnet = subnet();
        for (names, hit, miss) in [
            (
                &["cidr-block", "cidr", "cidrBlock"][..],
                "172.31.16.0/20",
                "172.31.32.0/20",
            ),
            (
                &["availability-zone", "availabilityZone"][..],
                "ap-northeast-2a",
                "ap-northeast-2b",
            ),
            (
                &["availability-zone-id", "availabilityZoneId"][..],
                "apne2-az1",
                "apne2-az2",
            ),
            (&["default-for-az", "defaultForAz"][..], "true", "false"),
        ] {
            for name in names {
                assert_eq!(matches(&subnet, &only(name, hit)), Ok(true), "{name}");
                assert_eq!(matches(&subnet, &only(name, miss)), Ok(false), "{name}");
            }
        }
    }

    #[test]
    fn subnets_refuse_aliases_aws_does_not_document() {
        let subnet = subnet();
        for name in [
            "vpcId",
            "subnetId",
            "mapPublicIpOnLaunch",
            "availability_zone",
        ] {
            let error = matches(&subnet, &only(name, "x")).expect_err(name);
            assert_eq!(error.message, format!("The filter '{name}' is invalid"));
        }
    }

    #[test]
    fn vpcs_and_subnets_saved_without_an_owner_get_the_accounts() {
        let seoul = cloudlings_core::catalog::region("ap-northeast-2").expect("seoul");
        let mut region = RegionState::default();
        assert!(region.ensure_defaults(seoul, "123456789012"));
        assert!(!region.ensure_defaults(seoul, "123456789012"), "made once");
        for vpc in region.vpcs.values_mut() {
            vpc.owner.clear();
        }
        region
            .subnets
            .values_mut()
            .next()
            .expect("subnet")
            .owner
            .clear();
        assert!(region.ensure_defaults(seoul, "123456789012"), "changed");
        assert!(region.vpcs.values().all(|vpc| vpc.owner == "123456789012"));
        assert!(region.subnets.values().all(|s| s.owner == "123456789012"));
        let subnet = region.subnets.values().next().expect("subnet");
        assert_eq!(
            subnet.arn(),
            format!(
                "arn:aws:ec2:ap-northeast-2:123456789012:subnet/{}",
                subnet.id
            )
        );
    }

    #[test]
    fn subnets_hand_out_addresses_after_the_reserved_ones() {
        let mut subnet = Subnet {
            id: "subnet-1".into(),
            owner: "123456789012".into(),
            vpc_id: "vpc-1".into(),
            cidr: "172.31.16.0/20".into(),
            zone: "ap-northeast-2a".into(),
            zone_id: "apne2-az1".into(),
            default_for_az: true,
            map_public_ip_on_launch: true,
            next_host: 4,
            tags: Tags::new(),
        };
        assert_eq!(subnet.available_addresses(), 4091);
        assert_eq!(subnet.allocate(), Some(Ipv4Addr::new(172, 31, 16, 4)));
        assert_eq!(subnet.allocate(), Some(Ipv4Addr::new(172, 31, 16, 5)));
        assert_eq!(subnet.available_addresses(), 4089);
    }
}
