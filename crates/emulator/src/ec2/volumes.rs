//! EBS volumes: every instance's root volume, made at launch from its image's size, billed per
//! GB-month from its creation to its deletion, which is the instance's termination unless
//! `DeleteOnTermination` was turned off.
//!
//! Like instances, a volume stores the moments it changes (attached, detached, deleted), some
//! of them in the future when a termination is still shutting down, and what it is *now* is
//! read against the clock.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::super::error::AwsError;
use super::super::ids;
use super::super::wire::query::Params;

/// A volume and its history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Volume {
    pub id: String,
    pub size_gib: u32,
    pub volume_type: String,
    pub zone: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created: OffsetDateTime,
    /// When it stops existing (and billing).
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub deleted: Option<OffsetDateTime>,
    #[serde(default)]
    pub attachment: Option<Attachment>,
}

/// A volume's attachment to an instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub instance_id: String,
    pub device: String,
    #[serde(with = "time::serde::rfc3339")]
    pub attached: OffsetDateTime,
    pub delete_on_termination: bool,
    /// When the instance let go of it (its termination finished).
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub detached: Option<OffsetDateTime>,
}

impl Volume {
    pub fn exists(&self, now: OffsetDateTime) -> bool {
        self.deleted.is_none_or(|deleted| now < deleted)
    }

    /// The attachment in force at `now`.
    pub fn attached(&self, now: OffsetDateTime) -> Option<&Attachment> {
        self.attachment
            .as_ref()
            .filter(|a| a.detached.is_none_or(|detached| now < detached))
    }

    /// `in-use`, `available` or `deleted`, as DescribeVolumes says.
    pub fn state(&self, now: OffsetDateTime) -> &'static str {
        if !self.exists(now) {
            "deleted"
        } else if self.attached(now).is_some() {
            "in-use"
        } else {
            "available"
        }
    }

    /// Seconds of its life between `from` and `to`: what its GB-months are made of.
    pub fn seconds_between(&self, from: OffsetDateTime, to: OffsetDateTime) -> i64 {
        let start = self.created.max(from);
        let end = self.deleted.map_or(to, |deleted| deleted.min(to));
        (end - start).whole_seconds().max(0)
    }
}

/// The volumes attached to an instance at `now`, with their attachments: its
/// `BlockDeviceMappings`. A terminated instance has none left, as on AWS.
pub fn attached_to<'v>(
    volumes: &'v BTreeMap<String, Volume>,
    instance: &str,
    now: OffsetDateTime,
) -> Vec<(&'v Volume, &'v Attachment)> {
    volumes
        .values()
        .filter_map(|volume| Some((volume, volume.attached(now)?)))
        .filter(|(_, attachment)| attachment.instance_id == instance)
        .collect()
}

/// An attached volume's status in a block device mapping.
pub const ATTACHED: &str = "attached";

/// One `BlockDeviceMapping.N` of RunInstances, as far as the emulator honours it: EBS
/// volumes with a size, a type and whether they go with the instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    pub device: String,
    pub size_gib: Option<u32>,
    pub volume_type: Option<String>,
    pub delete_on_termination: Option<bool>,
}

/// The largest volume EBS makes (gp2 and gp3: 16 TiB).
pub const MAX_GIB: i64 = 16_384;

/// Reads `BlockDeviceMapping.N.*`.
pub fn mappings(params: &Params) -> Result<Vec<Mapping>, AwsError> {
    let mut found = Vec::new();
    for item in params.structs("BlockDeviceMapping") {
        let device = item
            .get("DeviceName")
            .ok_or_else(|| AwsError::missing_parameter("BlockDeviceMapping.DeviceName"))?;
        if item.get("NoDevice").is_some() || item.get("VirtualName").is_some() {
            return Err(AwsError::unsupported(
                "EC2",
                "block device mappings other than EBS volumes",
            ));
        }
        let ebs = item.member("Ebs");
        let size_gib = match ebs.map(|ebs| ebs.int("VolumeSize")).transpose()?.flatten() {
            Some(size) if (1..=MAX_GIB).contains(&size) => Some(size as u32),
            Some(size) => {
                return Err(AwsError::invalid_parameter_value(format!(
                    "Volume size {size} is out of range: a gp2 or gp3 volume has 1 to {MAX_GIB} GiB"
                )));
            }
            None => None,
        };
        let volume_type = ebs
            .and_then(|ebs| ebs.get("VolumeType"))
            .map(str::to_string);
        if let Some(kind) = &volume_type
            && !cloudlings_core::prices::VOLUME_TYPES.contains(&kind.as_str())
        {
            return Err(AwsError::invalid_parameter_value(format!(
                "Value ({kind}) for parameter volumeType is invalid. The emulator makes gp3 and gp2 volumes."
            )));
        }
        let delete_on_termination = ebs
            .map(|ebs| ebs.bool("DeleteOnTermination"))
            .transpose()?
            .flatten();
        found.push(Mapping {
            device: device.to_string(),
            size_gib,
            volume_type,
            delete_on_termination,
        });
    }
    Ok(found)
}

/// The volumes an instance launches with: its image's root volume, as the mappings change it,
/// and any further volume they add. Checked before anything is made.
pub fn plan(
    mappings: &[Mapping],
    root_device: &str,
    root_gib: u32,
    root_type: &str,
) -> Result<Vec<Mapping>, AwsError> {
    let mut planned = vec![Mapping {
        device: root_device.to_string(),
        size_gib: Some(root_gib),
        volume_type: Some(root_type.to_string()),
        delete_on_termination: Some(true),
    }];
    for mapping in mappings {
        if mapping.device == root_device {
            let root = &mut planned[0];
            if let Some(size) = mapping.size_gib {
                if size < root_gib {
                    return Err(AwsError::client(
                        "InvalidBlockDeviceMapping",
                        format!(
                            "Volume of size {size}GB is smaller than snapshot of the image, expect size >= {root_gib}GB"
                        ),
                    ));
                }
                root.size_gib = Some(size);
            }
            if mapping.volume_type.is_some() {
                root.volume_type.clone_from(&mapping.volume_type);
            }
            if mapping.delete_on_termination.is_some() {
                root.delete_on_termination = mapping.delete_on_termination;
            }
        } else {
            if planned.iter().any(|m| m.device == mapping.device) {
                return Err(AwsError::client(
                    "InvalidBlockDeviceMapping",
                    format!("The device '{}' is used more than once", mapping.device),
                ));
            }
            if mapping.size_gib.is_none() {
                return Err(AwsError::client(
                    "InvalidBlockDeviceMapping",
                    format!(
                        "The device '{}' needs Ebs.VolumeSize: the emulator has no snapshots to make it from",
                        mapping.device
                    ),
                ));
            }
            planned.push(Mapping {
                device: mapping.device.clone(),
                size_gib: mapping.size_gib,
                volume_type: Some(
                    mapping
                        .volume_type
                        .clone()
                        .unwrap_or_else(|| "gp2".to_string()),
                ),
                delete_on_termination: Some(mapping.delete_on_termination.unwrap_or(true)),
            });
        }
    }
    Ok(planned)
}

/// Makes the planned volumes for an instance, attached from `now`.
pub fn create(
    planned: &[Mapping],
    instance_id: &str,
    zone: &str,
    now: OffsetDateTime,
) -> Vec<Volume> {
    planned
        .iter()
        .map(|mapping| Volume {
            id: ids::resource("vol"),
            size_gib: mapping.size_gib.unwrap_or(8),
            volume_type: mapping
                .volume_type
                .clone()
                .unwrap_or_else(|| "gp3".to_string()),
            zone: zone.to_string(),
            created: now,
            deleted: None,
            attachment: Some(Attachment {
                instance_id: instance_id.to_string(),
                device: mapping.device.clone(),
                attached: now,
                delete_on_termination: mapping.delete_on_termination.unwrap_or(true),
                detached: None,
            }),
        })
        .collect()
}

/// What an instance's termination does to a volume: it lets go when the termination
/// finishes (`at`), and the volume goes with it if it was set to.
pub fn release(volume: &mut Volume, instance_id: &str, at: OffsetDateTime) {
    let Some(attachment) = volume
        .attachment
        .as_mut()
        .filter(|a| a.instance_id == instance_id && a.detached.is_none())
    else {
        return;
    };
    attachment.detached = Some(at);
    if attachment.delete_on_termination {
        volume.deleted = Some(at);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn params(pairs: &[(&str, &str)]) -> Params {
        Params::from_pairs(pairs.iter().copied())
    }

    #[test]
    fn the_root_volume_follows_the_image_unless_a_mapping_changes_it() {
        let none = plan(&[], "/dev/sda1", 8, "gp3").expect("plan");
        assert_eq!(none.len(), 1);
        assert_eq!(
            (none[0].size_gib, none[0].delete_on_termination),
            (Some(8), Some(true))
        );
        let kept = mappings(&params(&[
            ("BlockDeviceMapping.1.DeviceName", "/dev/sda1"),
            ("BlockDeviceMapping.1.Ebs.DeleteOnTermination", "false"),
            ("BlockDeviceMapping.1.Ebs.VolumeSize", "20"),
        ]))
        .expect("mappings");
        let planned = plan(&kept, "/dev/sda1", 8, "gp3").expect("plan");
        assert_eq!(
            (planned[0].size_gib, planned[0].delete_on_termination),
            (Some(20), Some(false))
        );
        let small = mappings(&params(&[
            ("BlockDeviceMapping.1.DeviceName", "/dev/sda1"),
            ("BlockDeviceMapping.1.Ebs.VolumeSize", "4"),
        ]))
        .expect("mappings");
        let error = plan(&small, "/dev/sda1", 8, "gp3").expect_err("too small");
        assert_eq!(error.code, "InvalidBlockDeviceMapping");
    }

    #[test]
    fn hostile_mappings_get_errors() {
        for pairs in [
            vec![("BlockDeviceMapping.1.Ebs.VolumeSize", "8")],
            vec![
                ("BlockDeviceMapping.1.DeviceName", "/dev/sdb"),
                (
                    "BlockDeviceMapping.1.Ebs.VolumeSize",
                    "99999999999999999999",
                ),
            ],
            vec![
                ("BlockDeviceMapping.1.DeviceName", "/dev/sdb"),
                ("BlockDeviceMapping.1.Ebs.VolumeSize", "-1"),
            ],
            vec![
                ("BlockDeviceMapping.1.DeviceName", "/dev/sdb"),
                ("BlockDeviceMapping.1.Ebs.VolumeType", "floppy"),
            ],
            vec![
                ("BlockDeviceMapping.1.DeviceName", "/dev/sdb"),
                ("BlockDeviceMapping.1.Ebs.DeleteOnTermination", "maybe"),
            ],
        ] {
            assert!(mappings(&params(&pairs)).is_err(), "{pairs:?}");
        }
    }

    #[test]
    fn a_terminated_instance_takes_its_volume_unless_told_not_to() {
        let start = datetime!(2026-11-01 0:00 UTC);
        let end = datetime!(2026-11-02 0:00 UTC);
        let mut planned = plan(&[], "/dev/sda1", 8, "gp3").expect("plan");
        planned.push(Mapping {
            device: "/dev/sdb".into(),
            size_gib: Some(10),
            volume_type: Some("gp3".into()),
            delete_on_termination: Some(false),
        });
        let mut volumes = create(&planned, "i-1", "ap-northeast-2a", start);
        for volume in &mut volumes {
            release(volume, "i-1", end);
        }
        assert_eq!(volumes[0].state(end), "deleted");
        assert_eq!(
            volumes[0].seconds_between(start, end + time::Duration::days(9)),
            86_400
        );
        assert_eq!(volumes[1].state(end), "available");
        assert_eq!(volumes[1].state(start), "in-use");
        assert_eq!(
            volumes[1].seconds_between(start, end + time::Duration::days(1)),
            2 * 86_400,
            "a kept volume goes on billing"
        );
    }
}
