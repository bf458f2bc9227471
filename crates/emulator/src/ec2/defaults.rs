//! The settings every emulated instance has: AWS's defaults for a RunInstances that names none
//! of them. DescribeInstances shows them and its filters match them, both from these
//! constants, so what a filter finds is always what the answer shows.

pub const TENANCY: &str = "default";
pub const MONITORING: &str = "disabled";
pub const CAPACITY_RESERVATION_PREFERENCE: &str = "open";
pub const AUTO_RECOVERY: &str = "default";
pub const REBOOT_MIGRATION: &str = "default";
pub const HOSTNAME_TYPE: &str = "ip-name";
pub const BANDWIDTH_WEIGHTING: &str = "default";
pub const BOOT_MODE: &str = "uefi-preferred";
pub const CURRENT_BOOT_MODE: &str = "legacy-bios";
pub const ARCHITECTURE: &str = "x86_64";
pub const ROOT_DEVICE_TYPE: &str = "ebs";
pub const VIRTUALIZATION_TYPE: &str = "hvm";
pub const EBS_OPTIMIZED: bool = false;
pub const ENA_SUPPORT: bool = true;
pub const SOURCE_DEST_CHECK: bool = true;
pub const HIBERNATION_CONFIGURED: bool = false;
pub const ENCLAVE_ENABLED: bool = false;
/// Resource-name DNS records (`i-0123….ap-northeast-2.compute.internal`) are off by default.
pub const RESOURCE_NAME_DNS: bool = false;
/// Neither the instance nor its interface is managed by another AWS service.
pub const OPERATOR_MANAGED: bool = false;

/// The instance metadata service's options (IMDSv2 required, as for new launches since 2024).
pub mod metadata {
    pub const STATE: &str = "applied";
    pub const HTTP_TOKENS: &str = "required";
    pub const HOP_LIMIT: u32 = 2;
    pub const HTTP_ENDPOINT: &str = "enabled";
    pub const HTTP_PROTOCOL_IPV6: &str = "disabled";
    pub const INSTANCE_METADATA_TAGS: &str = "disabled";
}
