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
    fn every_family_has_an_image_and_patterns_match_as_globs() {
        for (family, _, _) in IMAGE_FAMILIES {
            assert!(family_image(family).is_some(), "{family}");
        }
        assert!(matches_pattern("a*c*e", "abcde"));
        assert!(matches_pattern("a*", "a"));
        assert!(!matches_pattern("a*c", "abd"));
        assert!(!matches_pattern("abc", "abcd"));
    }

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

/// An operating system image (AMI) the emulator offers in every region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Image {
    /// The AMI's name, which identifies it across regions.
    pub name: &'static str,
    pub description: &'static str,
    pub owner: &'static str,
    pub owner_alias: &'static str,
    pub windows: bool,
    /// The user an SSH login uses (`None` for Windows, which has no SSH).
    pub login_user: Option<&'static str>,
    pub creation_date: &'static str,
    pub root_device: &'static str,
    /// The root EBS volume every instance of the image gets: its size in GiB (8 for the
    /// Linux images, 30 for Windows Server) and its type.
    pub root_gib: u32,
    pub root_volume_type: &'static str,
}

impl Image {
    /// Every image here is an available machine image on hardware virtual machines, which
    /// AWS describes with the Xen hypervisor whatever the instance type.
    pub const STATE: &'static str = "available";
    pub const TYPE: &'static str = "machine";
    pub const HYPERVISOR: &'static str = "xen";
    /// Each of the catalogue's images may be used under the free tier.
    pub const FREE_TIER_ELIGIBLE: bool = true;

    pub fn platform_details(&self) -> &'static str {
        platform_details(self.windows)
    }

    pub fn usage_operation(&self) -> &'static str {
        usage_operation(self.windows)
    }

    /// `ImageLocation`: the owner's alias and the image's name.
    pub fn location(&self) -> String {
        format!("{}/{}", self.owner_alias, self.name)
    }
}

/// `PlatformDetails` of an image and of the instances made from it.
pub fn platform_details(windows: bool) -> &'static str {
    if windows { "Windows" } else { "Linux/UNIX" }
}

/// `UsageOperation`: the billing code of the operating system, which the price list's
/// products carry as their `operation` too.
pub fn usage_operation(windows: bool) -> &'static str {
    if windows {
        "RunInstances:0002"
    } else {
        "RunInstances"
    }
}

/// The images, as published in October 2026.
pub const IMAGES: &[Image] = &[
    Image {
        name: "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20261020",
        description: "Canonical, Ubuntu, 24.04, amd64 noble image",
        owner: "099720109477",
        owner_alias: "amazon",
        windows: false,
        login_user: Some("ubuntu"),
        creation_date: "2026-10-20T08:12:44.000Z",
        root_device: "/dev/sda1",
        root_gib: 8,
        root_volume_type: "gp3",
    },
    Image {
        name: "al2023-ami-2023.9.20261020.0-kernel-6.1-x86_64",
        description: "Amazon Linux 2023 AMI 2023.9.20261020.0 x86_64 HVM kernel-6.1",
        owner: "137112412989",
        owner_alias: "amazon",
        windows: false,
        login_user: Some("ec2-user"),
        creation_date: "2026-10-21T03:40:02.000Z",
        root_device: "/dev/xvda",
        root_gib: 8,
        root_volume_type: "gp3",
    },
    Image {
        name: "Windows_Server-2022-English-Full-Base-2026.10.15",
        description: "Microsoft Windows Server 2022 Full Locale English AMI provided by Amazon",
        owner: "801119661308",
        owner_alias: "amazon",
        windows: true,
        login_user: None,
        creation_date: "2026-10-15T21:03:11.000Z",
        root_device: "/dev/sda1",
        root_gib: 30,
        root_volume_type: "gp3",
    },
];

/// The root volume of the course's images, in GiB: 30 for Windows Server, 8 for the others.
pub fn root_gib(windows: bool) -> u32 {
    IMAGES
        .iter()
        .find(|image| image.windows == windows)
        .map_or(8, |image| image.root_gib)
}

/// The images lessons name in braces, `{ami_ubuntu}`: each a family whose newest AMI a region
/// has, found as on AWS by its owner and a name pattern (`*` any text), since AMI ids differ
/// from region to region and change with every release.
pub const IMAGE_FAMILIES: &[(&str, &str, &str)] = &[
    (
        "ami_ubuntu",
        "099720109477",
        "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*",
    ),
    (
        "ami_al2023",
        "amazon",
        "al2023-ami-2023.*-kernel-6.1-x86_64",
    ),
    (
        "ami_windows",
        "amazon",
        "Windows_Server-2022-English-Full-Base-*",
    ),
];

/// Whether `name` matches a pattern where `*` stands for any text.
pub fn matches_pattern(pattern: &str, name: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = name.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

/// The emulator's image of a family (`ami_ubuntu`), if it names one.
pub fn family_image(family: &str) -> Option<&'static Image> {
    let (_, _, pattern) = IMAGE_FAMILIES.iter().find(|(name, _, _)| *name == family)?;
    IMAGES
        .iter()
        .find(|image| matches_pattern(pattern, image.name))
}

impl Image {
    /// Every image here is built for x86_64; Graviton types need an arm64 image.
    pub fn architecture(&self) -> &'static str {
        "x86_64"
    }

    /// The AMI id in a region: stable, and different per region as on AWS.
    pub fn id_in(&self, region: &str) -> String {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(format!("{region}/{}", self.name).as_bytes());
        format!("ami-0{}", &hex::encode(digest)[..16])
    }
}

/// The image with an id in a region.
pub fn image(region: &str, id: &str) -> Option<&'static Image> {
    IMAGES.iter().find(|image| image.id_in(region) == id)
}

/// An instance type: the size of the rented computer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InstanceType {
    pub name: &'static str,
    pub vcpus: u32,
    pub memory_mib: u64,
    pub network: &'static str,
    /// Free under the 12-month free tier of accounts created before 15 July 2025.
    pub free_tier: bool,
    /// Launchable on the Free plan of accounts created since 15 July 2025, which refuses every
    /// other type.
    pub free_plan: bool,
    pub burstable: bool,
    /// `arm64` (Graviton) or `x86_64`: an instance needs an image of its architecture.
    pub architecture: &'static str,
}

impl InstanceType {
    /// What every type of the catalogue supports, as DescribeInstanceTypes lists it.
    pub const USAGE_CLASSES: &'static [&'static str] = &["on-demand", "spot"];
    pub const ROOT_DEVICE_TYPES: &'static [&'static str] = &["ebs"];
    pub const VIRTUALIZATION_TYPES: &'static [&'static str] = &["hvm"];

    /// Graviton (arm64) types boot with UEFI only.
    pub fn boot_modes(&self) -> &'static [&'static str] {
        if self.architecture == "arm64" {
            &["uefi"]
        } else {
            &["legacy-bios", "uefi"]
        }
    }

    /// T2 runs on Xen; every later generation in the catalogue runs on Nitro.
    pub fn hypervisor(&self) -> &'static str {
        if self.name.starts_with("t2.") {
            "xen"
        } else {
            "nitro"
        }
    }

    /// Whether the type needs the Elastic Network Adapter (Nitro types) or cannot use it (T2).
    pub fn ena_support(&self) -> &'static str {
        if self.name.starts_with("t2.") {
            "unsupported"
        } else {
            "required"
        }
    }

    /// Two threads per core, except a single-vCPU type's one.
    pub fn threads_per_core(&self) -> u32 {
        if self.vcpus > 1 { 2 } else { 1 }
    }

    pub fn default_cores(&self) -> u32 {
        self.vcpus.div_ceil(self.threads_per_core())
    }

    pub fn maximum_network_interfaces(&self) -> u32 {
        if self.name.ends_with(".micro") { 2 } else { 3 }
    }
}

/// The instance types the course uses, as AWS describes them.
pub const INSTANCE_TYPES: &[InstanceType] = &[
    InstanceType {
        name: "t2.micro",
        vcpus: 1,
        memory_mib: 1024,
        network: "Low to Moderate",
        free_tier: true,
        free_plan: false,
        burstable: true,
        architecture: "x86_64",
    },
    InstanceType {
        name: "t2.small",
        vcpus: 1,
        memory_mib: 2048,
        network: "Low to Moderate",
        free_tier: false,
        free_plan: false,
        burstable: true,
        architecture: "x86_64",
    },
    InstanceType {
        name: "t3.micro",
        vcpus: 2,
        memory_mib: 1024,
        network: "Up to 5 Gigabit",
        free_tier: true,
        free_plan: true,
        burstable: true,
        architecture: "x86_64",
    },
    InstanceType {
        name: "t3.small",
        vcpus: 2,
        memory_mib: 2048,
        network: "Up to 5 Gigabit",
        free_tier: false,
        free_plan: true,
        burstable: true,
        architecture: "x86_64",
    },
    InstanceType {
        name: "t3.medium",
        vcpus: 2,
        memory_mib: 4096,
        network: "Up to 5 Gigabit",
        free_tier: false,
        free_plan: false,
        burstable: true,
        architecture: "x86_64",
    },
    InstanceType {
        name: "t3.large",
        vcpus: 2,
        memory_mib: 8192,
        network: "Up to 5 Gigabit",
        free_tier: false,
        free_plan: false,
        burstable: true,
        architecture: "x86_64",
    },
    InstanceType {
        name: "m5.large",
        vcpus: 2,
        memory_mib: 8192,
        network: "Up to 10 Gigabit",
        free_tier: false,
        free_plan: false,
        burstable: false,
        architecture: "x86_64",
    },
    InstanceType {
        name: "c5.large",
        vcpus: 2,
        memory_mib: 4096,
        network: "Up to 10 Gigabit",
        free_tier: false,
        free_plan: false,
        burstable: false,
        architecture: "x86_64",
    },
    InstanceType {
        name: "t4g.micro",
        vcpus: 2,
        memory_mib: 1024,
        network: "Up to 5 Gigabit",
        free_tier: false,
        free_plan: true,
        burstable: true,
        architecture: "arm64",
    },
    InstanceType {
        name: "t4g.small",
        vcpus: 2,
        memory_mib: 2048,
        network: "Up to 5 Gigabit",
        free_tier: false,
        free_plan: true,
        burstable: true,
        architecture: "arm64",
    },
];

impl InstanceType {
    /// Whether an account's free offer covers the type: the legacy free tier's hours
    /// (`credit_plan` false) or the Free plan's launches (`credit_plan` true).
    pub fn free_for(&self, credit_plan: bool) -> bool {
        if credit_plan {
            self.free_plan
        } else {
            self.free_tier
        }
    }
}

pub fn instance_type(name: &str) -> Option<&'static InstanceType> {
    INSTANCE_TYPES.iter().find(|t| t.name == name)
}
