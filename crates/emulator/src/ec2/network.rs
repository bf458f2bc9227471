//! The default network every account has in every region, as on AWS: one VPC
//! (172.31.0.0/16) with a public subnet in each availability zone and a `default` security
//! group. Created the first time an account uses a region.

use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

use super::super::ids;
use super::filter::{Filterable, tag_values};
use super::security_groups::SecurityGroup;
use super::{RegionState, Tags};
use cloudlings_core::catalog::Region;

/// A VPC.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Vpc {
    pub id: String,
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
    /// Creates the default VPC, its subnets and its default security group, once.
    pub fn ensure_defaults(&mut self, region: &Region, account: &str) -> bool {
        if self.vpcs.values().any(|vpc| vpc.is_default) {
            return false;
        }
        let vpc_id = ids::resource("vpc");
        self.vpcs.insert(
            vpc_id.clone(),
            Vpc {
                id: vpc_id.clone(),
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

impl Filterable for Vpc {
    fn values(&self, name: &str) -> Option<Vec<String>> {
        Some(match name {
            "vpc-id" => vec![self.id.clone()],
            "cidr" | "cidr-block-association.cidr-block" => vec![self.cidr.clone()],
            "is-default" => vec![self.is_default.to_string()],
            "state" => vec!["available".into()],
            "dhcp-options-id" => vec![self.dhcp_options_id.clone()],
            _ => return tag_values(&self.tags, name),
        })
    }
}

impl Filterable for Subnet {
    fn values(&self, name: &str) -> Option<Vec<String>> {
        Some(match name {
            "subnet-id" => vec![self.id.clone()],
            "vpc-id" => vec![self.vpc_id.clone()],
            "cidr" | "cidr-block" | "cidrBlock" => vec![self.cidr.clone()],
            "availability-zone" | "availabilityZone" => vec![self.zone.clone()],
            "availability-zone-id" => vec![self.zone_id.clone()],
            "default-for-az" | "defaultForAz" => vec![self.default_for_az.to_string()],
            "map-public-ip-on-launch" => vec![self.map_public_ip_on_launch.to_string()],
            "state" => vec!["available".into()],
            _ => return tag_values(&self.tags, name),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subnets_hand_out_addresses_after_the_reserved_ones() {
        let mut subnet = Subnet {
            id: "subnet-1".into(),
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
