//! DescribeInstances' filters: every name the EC2 API reference documents for it, each read
//! from what the answer shows of an instance (`wire::instance`), so that a filter finds
//! exactly the instances whose answer has the value.

use super::Tags;
use super::defaults;
use super::filter::{Column, Filterable};
use super::instances::At;
use super::interface::{self, Interface};
use super::volumes::{self, Attachment, Volume};
use crate::wire::timestamp::with_millis;

/// One value.
fn one(value: impl ToString) -> Vec<String> {
    vec![value.to_string()]
}

/// One value while the instance has a network interface (until it is terminated).
fn on_interface(at: &At, value: impl Fn(&Interface) -> String) -> Vec<String> {
    at.instance.interface(at.now).iter().map(value).collect()
}

impl<'a> At<'a> {
    fn public_ip(&self) -> Vec<String> {
        self.instance
            .public_ip(self.now)
            .map(str::to_string)
            .into_iter()
            .collect()
    }

    fn public_dns(&self) -> Vec<String> {
        self.instance
            .public_ip(self.now)
            .map(|_| self.instance.public_dns(self.region, self.now))
            .into_iter()
            .collect()
    }

    /// Who owns the public address, while there is one: AWS's pool.
    fn ip_owner(&self) -> Vec<String> {
        self.instance
            .public_ip(self.now)
            .map(|_| interface::IP_OWNER.to_string())
            .into_iter()
            .collect()
    }

    fn group_ids(&self) -> Vec<String> {
        self.instance.security_groups.clone()
    }

    fn group_names(&self) -> Vec<String> {
        self.instance
            .security_groups
            .iter()
            .filter_map(|id| self.groups.get(id).map(|group| group.name.clone()))
            .collect()
    }

    /// One value per block device attached now.
    fn block_devices(&self, value: fn(&Volume, &Attachment) -> String) -> Vec<String> {
        volumes::attached_to(self.volumes, &self.instance.id, self.now)
            .into_iter()
            .map(|(volume, attachment)| value(volume, attachment))
            .collect()
    }

    /// What the interface shows of the instance while it has one.
    fn interfaced(&self, value: Vec<String>) -> Vec<String> {
        if self.instance.interface(self.now).is_some() {
            value
        } else {
            Vec::new()
        }
    }

    pub(super) const FILTERS: &'a [Column<Self>] = &[
        Column {
            names: &["instance-id"],
            values: |at| one(&at.instance.id),
        },
        Column {
            names: &["instance-state-name"],
            values: |at| one(at.instance.state(at.now).0.name()),
        },
        Column {
            names: &["instance-state-code"],
            values: |at| one(at.instance.state(at.now).0.code()),
        },
        Column {
            names: &["instance-type"],
            values: |at| one(&at.instance.instance_type),
        },
        Column {
            names: &["image-id"],
            values: |at| one(&at.instance.image_id),
        },
        Column {
            names: &["key-name"],
            values: |at| at.instance.key_name.clone().into_iter().collect(),
        },
        Column {
            names: &["launch-index"],
            values: |at| one(at.instance.launch_index),
        },
        Column {
            names: &["launch-time"],
            values: |at| one(with_millis(at.instance.launch_time)),
        },
        Column {
            names: &["client-token"],
            values: |at| at.instance.client_token.clone().into_iter().collect(),
        },
        Column {
            names: &["reservation-id"],
            values: |at| one(&at.instance.reservation_id),
        },
        Column {
            names: &["owner-id"],
            values: |at| one(&at.instance.owner),
        },
        Column {
            names: &["reason"],
            values: |at| one(at.instance.transition_reason(at.now)),
        },
        Column {
            names: &["state-reason-code"],
            values: |at| {
                at.instance
                    .state_reason()
                    .map(|(code, _)| code.to_string())
                    .into_iter()
                    .collect()
            },
        },
        Column {
            names: &["state-reason-message"],
            values: |at| {
                at.instance
                    .state_reason()
                    .map(|(_, message)| message)
                    .into_iter()
                    .collect()
            },
        },
        // Placement.
        Column {
            names: &["availability-zone", "placement.availability-zone"],
            values: |at| one(&at.instance.zone),
        },
        Column {
            names: &["availability-zone-id"],
            values: |at| at.instance.zone_id(at.region).into_iter().collect(),
        },
        Column {
            names: &["placement-group-name"],
            values: |_| one(""),
        },
        Column {
            names: &["tenancy"],
            values: |_| one(defaults::TENANCY),
        },
        // The network.
        Column {
            names: &["subnet-id"],
            values: |at| one(&at.instance.subnet_id),
        },
        Column {
            names: &["vpc-id"],
            values: |at| one(&at.instance.vpc_id),
        },
        Column {
            names: &["private-ip-address"],
            values: |at| one(&at.instance.private_ip),
        },
        Column {
            names: &["private-dns-name"],
            values: |at| one(at.instance.private_dns(at.region)),
        },
        Column {
            names: &["ip-address"],
            values: At::public_ip,
        },
        Column {
            names: &["dns-name"],
            values: |at| one(at.instance.public_dns(at.region, at.now)),
        },
        Column {
            names: &["instance.group-id", "group-id"],
            values: At::group_ids,
        },
        Column {
            names: &["instance.group-name", "group-name"],
            values: At::group_names,
        },
        Column {
            names: &["source-dest-check"],
            values: |_| one(defaults::SOURCE_DEST_CHECK),
        },
        Column {
            names: &["private-dns-name-options.hostname-type"],
            values: |_| one(defaults::HOSTNAME_TYPE),
        },
        Column {
            names: &[
                "private-dns-name-options.enable-resource-name-dns-a-record",
                "private-dns-name-options.enable-resource-name-dns-aaaa-record",
            ],
            values: |_| one(defaults::RESOURCE_NAME_DNS),
        },
        Column {
            names: &["network-performance-options.bandwidth-weighting"],
            values: |_| one(defaults::BANDWIDTH_WEIGHTING),
        },
        // Its volumes.
        Column {
            names: &["block-device-mapping.device-name"],
            values: |at| at.block_devices(|_, a| a.device.clone()),
        },
        Column {
            names: &["block-device-mapping.volume-id"],
            values: |at| at.block_devices(|volume, _| volume.id.clone()),
        },
        Column {
            names: &["block-device-mapping.status"],
            values: |at| at.block_devices(|_, _| volumes::ATTACHED.to_string()),
        },
        Column {
            names: &["block-device-mapping.attach-time"],
            values: |at| at.block_devices(|_, a| with_millis(a.attached)),
        },
        Column {
            names: &["block-device-mapping.delete-on-termination"],
            values: |at| at.block_devices(|_, a| a.delete_on_termination.to_string()),
        },
        // The network interface.
        Column {
            names: &["network-interface.network-interface-id"],
            values: |at| on_interface(at, |i| i.id.clone()),
        },
        Column {
            names: &["network-interface.mac-address"],
            values: |at| on_interface(at, |i| i.mac.clone()),
        },
        Column {
            names: &["network-interface.attachment.attachment-id"],
            values: |at| on_interface(at, |i| i.attachment_id.clone()),
        },
        Column {
            names: &["network-interface.attachment.attach-time"],
            values: |at| on_interface(at, |i| with_millis(i.attach_time)),
        },
        Column {
            names: &["network-interface.attachment.instance-id"],
            values: |at| on_interface(at, |_| at.instance.id.clone()),
        },
        Column {
            names: &[
                "network-interface.attachment.instance-owner-id",
                "network-interface.owner-id",
            ],
            values: |at| on_interface(at, |_| at.instance.owner.clone()),
        },
        Column {
            names: &["network-interface.attachment.device-index"],
            values: |at| on_interface(at, |_| interface::DEVICE_INDEX.to_string()),
        },
        Column {
            names: &["network-interface.attachment.network-card-index"],
            values: |at| on_interface(at, |_| interface::NETWORK_CARD_INDEX.to_string()),
        },
        Column {
            names: &["network-interface.attachment.status"],
            values: |at| on_interface(at, |_| interface::ATTACHMENT_STATUS.to_string()),
        },
        Column {
            names: &["network-interface.attachment.delete-on-termination"],
            values: |at| on_interface(at, |_| interface::DELETE_ON_TERMINATION.to_string()),
        },
        Column {
            names: &["network-interface.status"],
            values: |at| on_interface(at, |_| interface::STATUS.to_string()),
        },
        Column {
            names: &["network-interface.description"],
            values: |at| on_interface(at, |_| String::new()),
        },
        Column {
            names: &["network-interface.availability-zone"],
            values: |at| on_interface(at, |_| at.instance.zone.clone()),
        },
        Column {
            names: &["network-interface.subnet-id"],
            values: |at| on_interface(at, |_| at.instance.subnet_id.clone()),
        },
        Column {
            names: &["network-interface.vpc-id"],
            values: |at| on_interface(at, |_| at.instance.vpc_id.clone()),
        },
        Column {
            names: &[
                "network-interface.private-ip-address",
                "network-interface.addresses.private-ip-address",
            ],
            values: |at| on_interface(at, |_| at.instance.private_ip.clone()),
        },
        Column {
            names: &[
                "network-interface.private-dns-name",
                "network-interface.addresses.private-dns-name",
            ],
            values: |at| on_interface(at, |_| at.instance.private_dns(at.region)),
        },
        Column {
            names: &["network-interface.addresses.primary"],
            values: |at| on_interface(at, |_| true.to_string()),
        },
        Column {
            names: &["network-interface.source-dest-check"],
            values: |at| on_interface(at, |_| defaults::SOURCE_DEST_CHECK.to_string()),
        },
        Column {
            names: &["network-interface.requester-managed"],
            values: |at| on_interface(at, |_| false.to_string()),
        },
        Column {
            names: &["network-interface.operator.managed"],
            values: |at| on_interface(at, |_| defaults::OPERATOR_MANAGED.to_string()),
        },
        Column {
            names: &["network-interface.group-id"],
            values: |at| at.interfaced(at.group_ids()),
        },
        Column {
            names: &["network-interface.group-name"],
            values: |at| at.interfaced(at.group_names()),
        },
        Column {
            names: &[
                "network-interface.addresses.association.public-ip",
                "network-interface.association.public-ip",
            ],
            values: At::public_ip,
        },
        Column {
            names: &[
                "network-interface.addresses.association.public-dns-name",
                "network-interface.association.public-dns-name",
                "network-interface.public-dns-name",
            ],
            values: At::public_dns,
        },
        Column {
            names: &[
                "network-interface.addresses.association.ip-owner-id",
                "network-interface.association.ip-owner-id",
            ],
            values: At::ip_owner,
        },
        // The machine.
        Column {
            names: &["platform"],
            values: |at| {
                at.instance
                    .windows
                    .then(|| "windows".to_string())
                    .into_iter()
                    .collect()
            },
        },
        Column {
            names: &["platform-details"],
            values: |at| one(at.instance.platform_details()),
        },
        Column {
            names: &["usage-operation"],
            values: |at| one(at.instance.usage_operation()),
        },
        Column {
            names: &["usage-operation-update-time"],
            values: |at| one(with_millis(at.instance.first_launch())),
        },
        Column {
            names: &["architecture"],
            values: |_| one(defaults::ARCHITECTURE),
        },
        Column {
            names: &["hypervisor"],
            values: |at| one(at.instance.hypervisor()),
        },
        Column {
            names: &["virtualization-type"],
            values: |_| one(defaults::VIRTUALIZATION_TYPE),
        },
        Column {
            names: &["root-device-type"],
            values: |_| one(defaults::ROOT_DEVICE_TYPE),
        },
        Column {
            names: &["root-device-name"],
            values: |at| one(at.instance.root_device_name()),
        },
        Column {
            names: &["boot-mode"],
            values: |_| one(defaults::BOOT_MODE),
        },
        Column {
            names: &["current-instance-boot-mode"],
            values: |_| one(defaults::CURRENT_BOOT_MODE),
        },
        Column {
            names: &["ebs-optimized"],
            values: |_| one(defaults::EBS_OPTIMIZED),
        },
        Column {
            names: &["ena-support"],
            values: |_| one(defaults::ENA_SUPPORT),
        },
        Column {
            names: &["monitoring-state"],
            values: |_| one(defaults::MONITORING),
        },
        Column {
            names: &["capacity-reservation-specification.capacity-reservation-preference"],
            values: |_| one(defaults::CAPACITY_RESERVATION_PREFERENCE),
        },
        Column {
            names: &["hibernation-options.configured"],
            values: |_| one(defaults::HIBERNATION_CONFIGURED),
        },
        Column {
            names: &["enclave-options.enabled"],
            values: |_| one(defaults::ENCLAVE_ENABLED),
        },
        Column {
            names: &["maintenance-options.auto-recovery"],
            values: |_| one(defaults::AUTO_RECOVERY),
        },
        Column {
            names: &["operator.managed"],
            values: |_| one(defaults::OPERATOR_MANAGED),
        },
        Column {
            names: &["metadata-options.state"],
            values: |_| one(defaults::metadata::STATE),
        },
        Column {
            names: &["metadata-options.http-tokens"],
            values: |_| one(defaults::metadata::HTTP_TOKENS),
        },
        Column {
            names: &["metadata-options.http-put-response-hop-limit"],
            values: |_| one(defaults::metadata::HOP_LIMIT),
        },
        Column {
            names: &["metadata-options.http-endpoint"],
            values: |_| one(defaults::metadata::HTTP_ENDPOINT),
        },
        Column {
            names: &["metadata-options.http-protocol-ipv6"],
            values: |_| one(defaults::metadata::HTTP_PROTOCOL_IPV6),
        },
        Column {
            names: &["metadata-options.instance-metadata-tags"],
            values: |_| one(defaults::metadata::INSTANCE_METADATA_TAGS),
        },
    ];
}

impl Filterable for At<'_> {
    fn columns<'s>() -> &'s [Column<Self>]
    where
        Self: 's,
    {
        Self::FILTERS
    }

    const TAGGED: bool = true;

    fn tags(&self) -> &Tags {
        &self.instance.tags
    }

    /// What no emulated instance has: IPv6, Elastic IPs and carrier or customer-owned
    /// addresses, prefixes, placement groups and hosts, capacity reservations, instance
    /// profiles, spot requests, kernels and ramdisks, product codes, outposts, vTPMs, and
    /// and tags on the interface.
    const ABSENT: &'static [&'static str] = &[
        "affinity",
        "capacity-reservation-id",
        "capacity-reservation-specification.capacity-reservation-target.capacity-reservation-id",
        "capacity-reservation-specification.capacity-reservation-target.capacity-reservation-resource-group-arn",
        "host-id",
        "iam-instance-profile.arn",
        "iam-instance-profile.id",
        "instance-lifecycle",
        "ipv6-address",
        "kernel-id",
        "metadata-options.http-protocol-ipv4",
        "network-interface.addresses.association.allocation-id",
        "network-interface.addresses.association.association-id",
        "network-interface.addresses.association.carrier-ip",
        "network-interface.addresses.association.customer-owned-ip",
        "network-interface.association.allocation-id",
        "network-interface.association.association-id",
        "network-interface.association.carrier-ip",
        "network-interface.association.customer-owned-ip",
        "network-interface.deny-all-igw-traffic",
        "network-interface.ipv4-prefixes.ipv4-prefix",
        "network-interface.ipv6-address",
        "network-interface.ipv6-addresses.ipv6-address",
        "network-interface.ipv6-addresses.is-primary-ipv6",
        "network-interface.ipv6-native",
        "network-interface.ipv6-prefixes.ipv6-prefix",
        "network-interface.operator.principal",
        "network-interface.outpost-arn",
        "network-interface.requester-id",
        "network-interface.tag-key",
        "network-interface.tag-value",
        "operator.principal",
        "outpost-arn",
        "placement-partition-number",
        "product-code",
        "product-code.type",
        "ramdisk-id",
        "requester-id",
        "spot-instance-request-id",
        "tpm-support",
    ];
}
