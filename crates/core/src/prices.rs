//! The dated on-demand price table the emulator bills with (and that lessons quote).
//!
//! Linux prices per hour in USD for ap-northeast-2 (Seoul) and us-east-1, as AWS published
//! them; the facts sheet of the course names the source. Windows instances cost the Linux
//! price plus AWS's Windows licence fee per vCPU-hour (USD 0.0046 on burstable T2/T3 types,
//! USD 0.046 on others), which is how AWS's own Windows prices are built.

use crate::catalog;

/// When the table was checked.
pub const AS_OF: &str = "2026-11";

/// Regions with their own column in the table; others are billed at us-east-1 prices.
pub const PRICED_REGIONS: &[&str] = &["ap-northeast-2", "us-east-1"];

/// (type, us-east-1, ap-northeast-2) Linux on-demand USD per hour. The Graviton t4g rows
/// (arm64, on the Free plan) are AWS's on-demand list prices, 20% below their t3 sizes; unlike
/// the others they are not on the course's facts sheet yet.
const LINUX: &[(&str, f64, f64)] = &[
    ("t2.micro", 0.0116, 0.0144),
    ("t2.small", 0.023, 0.0288),
    ("t3.micro", 0.0104, 0.013),
    ("t3.small", 0.0208, 0.026),
    ("t3.medium", 0.0416, 0.052),
    ("t3.large", 0.0832, 0.104),
    ("m5.large", 0.096, 0.118),
    ("c5.large", 0.085, 0.096),
    ("t4g.micro", 0.0084, 0.0104),
    ("t4g.small", 0.0168, 0.0208),
];

/// The instance types the table prices.
pub const TYPES: &[&str] = &[
    "t2.micro",
    "t2.small",
    "t3.micro",
    "t3.small",
    "t3.medium",
    "t3.large",
    "m5.large",
    "c5.large",
    "t4g.micro",
    "t4g.small",
];

/// The hourly on-demand price of an instance type in a region.
pub fn hourly(region: &str, instance_type: &str, windows: bool) -> Option<f64> {
    let (_, virginia, seoul) = LINUX.iter().find(|(name, _, _)| *name == instance_type)?;
    let linux = if region == "ap-northeast-2" {
        *seoul
    } else {
        *virginia
    };
    if !windows {
        return Some(linux);
    }
    let kind = catalog::instance_type(instance_type)?;
    let fee = if kind.burstable { 0.0046 } else { 0.046 };
    Some(linux + fee * f64::from(kind.vcpus))
}

/// S3 Standard storage, USD per GB-month (the first 50 TB), in a region.
pub fn s3_storage(region: &str) -> f64 {
    if region == "ap-northeast-2" {
        0.025
    } else {
        0.023
    }
}

/// CloudFront's data transfer out to viewers, USD per GB (the first 10 TB a month), for
/// viewers in Korea and in North America and Europe.
pub const CLOUDFRONT_PER_GB_KOREA: f64 = 0.120;
pub const CLOUDFRONT_PER_GB_US_EU: f64 = 0.085;
/// What CloudFront's always-free tier gives every month: data out (GB) and requests.
pub const CLOUDFRONT_FREE_GB: u32 = 1024;
pub const CLOUDFRONT_FREE_REQUESTS: u32 = 10_000_000;

/// Hours in a month, as AWS's price pages count them.
pub const HOURS_PER_MONTH: f64 = 730.0;

/// A public IPv4 address, USD per address-hour, in use or idle, in every region (since
/// 1 February 2024).
pub const PUBLIC_IPV4_HOURLY: f64 = 0.005;
/// The legacy free tier's public IPv4: address-hours a month, for 12 months.
pub const FREE_IPV4_HOURS: f64 = 750.0;
/// The legacy free tier's EBS storage: GB-months a month, for 12 months.
pub const FREE_EBS_GB_MONTHS: f64 = 30.0;

/// The EBS volume types the table prices.
pub const VOLUME_TYPES: &[&str] = &["gp3", "gp2"];

/// (volume type, us-east-1, ap-northeast-2) EBS storage, USD per GB-month provisioned.
const EBS: &[(&str, f64, f64)] = &[("gp3", 0.08, 0.0912), ("gp2", 0.10, 0.114)];

/// EBS storage of a volume type, USD per GB-month provisioned, in a region. AWS meters
/// provisioned GiB and bills each as a GB ("GB-month of provisioned storage"), so an 8 GiB
/// volume kept a whole month is 8 GB-months.
pub fn ebs_gb_month(region: &str, volume_type: &str) -> Option<f64> {
    let (_, virginia, seoul) = EBS.iter().find(|(name, _, _)| *name == volume_type)?;
    Some(if region == "ap-northeast-2" {
        *seoul
    } else {
        *virginia
    })
}

/// The public IPv4 price in a region (the same everywhere AWS charges it).
pub fn public_ipv4_hourly(_region: &str) -> f64 {
    PUBLIC_IPV4_HOURLY
}

/// What an instance adds to its own hourly price while it runs: its public IPv4 address and
/// its root volume of `root_gib` GiB of gp3 (a GB-month spread over the month's 730 hours).
pub fn instance_extras_hourly(region: &str, root_gib: u32) -> f64 {
    let storage = ebs_gb_month(region, "gp3").unwrap_or(0.0) * f64::from(root_gib);
    public_ipv4_hourly(region) + storage / HOURS_PER_MONTH
}

/// What one instance left running costs for a month of 730 hours, broken down as the bill
/// shows it: the instance hours, its public IPv4 address and its root EBS volume.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InstanceMonth {
    pub instance: f64,
    pub ipv4: f64,
    pub ebs: f64,
    /// The root volume's size in GiB.
    pub root_gib: u32,
}

impl InstanceMonth {
    pub fn total(&self) -> f64 {
        self.instance + self.ipv4 + self.ebs
    }

    /// The same, per hour.
    pub fn hourly(&self) -> f64 {
        self.total() / HOURS_PER_MONTH
    }
}

/// A month of an instance with a public address and a gp3 root volume of `root_gib`, at the
/// table's prices, before any free tier.
pub fn instance_month(
    region: &str,
    instance_type: &str,
    windows: bool,
    root_gib: u32,
) -> Option<InstanceMonth> {
    let hourly = hourly(region, instance_type, windows)?;
    Some(InstanceMonth {
        instance: hourly * HOURS_PER_MONTH,
        ipv4: public_ipv4_hourly(region) * HOURS_PER_MONTH,
        ebs: f64::from(root_gib) * ebs_gb_month(region, "gp3")?,
        root_gib,
    })
}

/// The region's name as the billing console shows it.
pub fn region_title(region: &str) -> &'static str {
    match region {
        "ap-northeast-2" => "Asia Pacific (Seoul)",
        "ap-northeast-1" => "Asia Pacific (Tokyo)",
        "ap-southeast-1" => "Asia Pacific (Singapore)",
        "us-east-1" => "US East (N. Virginia)",
        "us-east-2" => "US East (Ohio)",
        "us-west-2" => "US West (Oregon)",
        "eu-west-1" => "Europe (Ireland)",
        "eu-central-1" => "Europe (Frankfurt)",
        _ => "Other region",
    }
}

/// The region's name as the Korean console shows it.
pub fn region_title_ko(region: &str) -> &'static str {
    match region {
        "ap-northeast-2" => "아시아 태평양(서울)",
        "ap-northeast-1" => "아시아 태평양(도쿄)",
        "ap-southeast-1" => "아시아 태평양(싱가포르)",
        "us-east-1" => "미국 동부(버지니아 북부)",
        "us-east-2" => "미국 동부(오하이오)",
        "us-west-2" => "미국 서부(오레곤)",
        "eu-west-1" => "유럽(아일랜드)",
        "eu-central-1" => "유럽(프랑크푸르트)",
        _ => "기타",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_priced_type_is_listed() {
        let listed: Vec<&str> = LINUX.iter().map(|(name, _, _)| *name).collect();
        assert_eq!(listed, TYPES);
    }

    #[test]
    fn a_forgotten_t2_micro_in_seoul_is_more_than_its_instance_hours() {
        let month = instance_month("ap-northeast-2", "t2.micro", false, 8).expect("priced");
        assert!((month.instance - 0.0144 * 730.0).abs() < 1e-9, "10.512");
        assert!((month.ipv4 - 0.005 * 730.0).abs() < 1e-9, "3.65");
        assert!((month.ebs - 8.0 * 0.0912).abs() < 1e-9, "0.7296");
        assert!((month.total() - 14.8916).abs() < 1e-9);
        assert_eq!(ebs_gb_month("us-east-1", "gp2"), Some(0.10));
        assert_eq!(ebs_gb_month("ap-northeast-2", "io2"), None);
    }

    #[test]
    fn prices_follow_the_table() {
        assert_eq!(hourly("ap-northeast-2", "t2.micro", false), Some(0.0144));
        assert_eq!(hourly("us-east-1", "t3.medium", false), Some(0.0416));
        assert_eq!(
            hourly("eu-west-1", "t2.micro", false),
            Some(0.0116),
            "us-east-1 prices elsewhere"
        );
        let windows = hourly("us-east-1", "t2.micro", true).expect("windows");
        assert!((windows - 0.0162).abs() < 1e-9, "{windows}");
        assert_eq!(hourly("us-east-1", "x1.32xlarge", false), None);
    }
}
