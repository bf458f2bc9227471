//! The emulated world's fixed facts: regions and their availability zones.
//!
//! A small, dated catalogue rather than everything AWS has: the regions a Korean or American
//! learner is likely to pick, with their real zone names and ids.

/// A region the emulator serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    pub name: &'static str,
    /// The prefix of zone ids (`apne2` for `apne2-az1`).
    pub zone_id_prefix: &'static str,
    /// Zone letters, in zone-id order.
    pub zones: &'static str,
    /// Whether it is enabled for every account without opting in.
    pub opt_in_required: bool,
}

/// The regions, as of 2026.
pub const REGIONS: &[Region] = &[
    Region {
        name: "ap-northeast-2",
        zone_id_prefix: "apne2",
        zones: "acbd",
        opt_in_required: false,
    },
    Region {
        name: "ap-northeast-1",
        zone_id_prefix: "apne1",
        zones: "acd",
        opt_in_required: false,
    },
    Region {
        name: "ap-southeast-1",
        zone_id_prefix: "apse1",
        zones: "abc",
        opt_in_required: false,
    },
    Region {
        name: "us-east-1",
        zone_id_prefix: "use1",
        zones: "abcdef",
        opt_in_required: false,
    },
    Region {
        name: "us-east-2",
        zone_id_prefix: "use2",
        zones: "abc",
        opt_in_required: false,
    },
    Region {
        name: "us-west-2",
        zone_id_prefix: "usw2",
        zones: "abcd",
        opt_in_required: false,
    },
    Region {
        name: "eu-west-1",
        zone_id_prefix: "euw1",
        zones: "abc",
        opt_in_required: false,
    },
    Region {
        name: "eu-central-1",
        zone_id_prefix: "euc1",
        zones: "abc",
        opt_in_required: false,
    },
];

/// The region the course uses, the lecture's Seoul.
pub const DEFAULT_REGION: &str = "ap-northeast-2";

pub fn region(name: &str) -> Option<&'static Region> {
    REGIONS.iter().find(|region| region.name == name)
}

/// An availability zone of a region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone {
    pub name: String,
    pub id: String,
    pub region: &'static str,
}

impl Region {
    pub fn zones(&self) -> Vec<Zone> {
        self.zones
            .chars()
            .enumerate()
            .map(|(index, letter)| Zone {
                name: format!("{}{letter}", self.name),
                id: format!("{}-az{}", self.zone_id_prefix, index + 1),
                region: self.name,
            })
            .collect()
    }

    /// `ec2.ap-northeast-2.amazonaws.com`.
    pub fn endpoint(&self) -> String {
        format!("ec2.{}.amazonaws.com", self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seoul_has_four_zones() {
        let seoul = region(DEFAULT_REGION).expect("seoul");
        let zones = seoul.zones();
        assert_eq!(zones.len(), 4);
        assert_eq!(zones[0].name, "ap-northeast-2a");
        assert_eq!(
            zones[1],
            Zone {
                name: "ap-northeast-2c".into(),
                id: "apne2-az2".into(),
                region: "ap-northeast-2"
            }
        );
    }
}
