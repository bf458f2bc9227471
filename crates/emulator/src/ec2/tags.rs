//! Tags on EC2 resources, and `TagSpecifications` that tag resources as they are created.

use super::super::error::AwsError;
use super::{RegionState, Tags};

/// Tags requested for resources of one type at creation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagSpecification {
    pub resource_type: String,
    pub tags: Tags,
}

/// The tags of `specs` for `resource_type`, checking the types are ones the action creates.
pub fn for_type(
    specs: &[TagSpecification],
    resource_type: &str,
    allowed: &[&str],
) -> Result<Tags, AwsError> {
    let mut tags = Tags::new();
    for spec in specs {
        if !allowed.contains(&spec.resource_type.as_str()) {
            return Err(AwsError::invalid_parameter_value(format!(
                "'{}' is not a valid taggable resource type for this operation.",
                spec.resource_type
            )));
        }
        if spec.resource_type == resource_type {
            tags.extend(spec.tags.clone());
        }
    }
    check(&tags)?;
    Ok(tags)
}

/// AWS's limits on tags.
pub fn check(tags: &Tags) -> Result<(), AwsError> {
    if tags.len() > 50 {
        return Err(AwsError::client(
            "TagLimitExceeded",
            "The maximum number of tags per resource is 50",
        ));
    }
    for (key, value) in tags {
        if key.is_empty() || key.chars().count() > 128 {
            return Err(AwsError::invalid_parameter_value(
                "Tag keys are 1 to 128 characters",
            ));
        }
        if key.starts_with("aws:") {
            return Err(AwsError::invalid_parameter_value(
                "Tag keys starting with 'aws:' are reserved for internal use",
            ));
        }
        if value.chars().count() > 256 {
            return Err(AwsError::invalid_parameter_value(
                "Tag values are at most 256 characters",
            ));
        }
    }
    Ok(())
}

/// A resource that can carry tags, found by id.
#[derive(Debug)]
pub struct Tagged<'a> {
    pub resource_type: &'static str,
    pub tags: &'a mut Tags,
}

impl RegionState {
    /// The tags of a resource by id, whatever its type.
    pub fn tags_of(&mut self, id: &str) -> Option<Tagged<'_>> {
        if let Some(instance) = self.instances.get_mut(id) {
            return Some(Tagged {
                resource_type: "instance",
                tags: &mut instance.tags,
            });
        }
        if let Some(group) = self.security_groups.get_mut(id) {
            return Some(Tagged {
                resource_type: "security-group",
                tags: &mut group.tags,
            });
        }
        if let Some(vpc) = self.vpcs.get_mut(id) {
            return Some(Tagged {
                resource_type: "vpc",
                tags: &mut vpc.tags,
            });
        }
        if let Some(subnet) = self.subnets.get_mut(id) {
            return Some(Tagged {
                resource_type: "subnet",
                tags: &mut subnet.tags,
            });
        }
        if let Some(pair) = self.key_pairs.values_mut().find(|pair| pair.id == id) {
            return Some(Tagged {
                resource_type: "key-pair",
                tags: &mut pair.tags,
            });
        }
        if let Some(tags) = self.image_tags.get_mut(id) {
            return Some(Tagged {
                resource_type: "image",
                tags,
            });
        }
        None
    }

    /// Makes the public images among `ids` taggable. They live in the catalog, not in the
    /// account, so the account's tags for one get a place when it is first named.
    pub fn adopt_images(&mut self, region: &str, ids: &[&str]) {
        for id in ids {
            if cloudlings_core::catalog::image(region, id).is_some() {
                self.image_tags.entry(id.to_string()).or_default();
            }
        }
    }

    pub fn create_tags(&mut self, ids: &[&str], tags: &Tags) -> Result<(), AwsError> {
        if ids.is_empty() {
            return Err(AwsError::missing_parameter("ResourceId"));
        }
        check(tags)?;
        for id in ids {
            if self.tags_of(id).is_none() {
                return Err(not_found(id));
            }
        }
        for id in ids {
            if let Some(tagged) = self.tags_of(id) {
                tagged.tags.extend(tags.clone());
                if tagged.tags.len() > 50 {
                    return Err(AwsError::client(
                        "TagLimitExceeded",
                        "The maximum number of tags per resource is 50",
                    ));
                }
            }
        }
        Ok(())
    }

    /// Deletes tags by key (and value, when one is given).
    pub fn delete_tags(
        &mut self,
        ids: &[&str],
        tags: &[(String, Option<String>)],
    ) -> Result<(), AwsError> {
        for id in ids {
            if self.tags_of(id).is_none() {
                return Err(not_found(id));
            }
        }
        for id in ids {
            if let Some(tagged) = self.tags_of(id) {
                if tags.is_empty() {
                    tagged.tags.clear();
                }
                for (key, value) in tags {
                    if value
                        .as_ref()
                        .is_none_or(|v| tagged.tags.get(key) == Some(v))
                    {
                        tagged.tags.remove(key);
                    }
                }
            }
        }
        Ok(())
    }
}

/// The error AWS gives for an id of this shape that names nothing.
pub fn not_found(id: &str) -> AwsError {
    let (code, what) = match id.split('-').next().unwrap_or_default() {
        "i" => ("InvalidInstanceID.NotFound", "instance ID"),
        "sg" => ("InvalidGroup.NotFound", "security group ID"),
        "vpc" => ("InvalidVpcID.NotFound", "vpc ID"),
        "subnet" => ("InvalidSubnetID.NotFound", "subnet ID"),
        "key" => ("InvalidKeyPair.NotFound", "key pair ID"),
        "ami" => ("InvalidAMIID.NotFound", "image ID"),
        _ => ("InvalidID", "ID"),
    };
    AwsError::client(code, format!("The {what} '{id}' does not exist"))
}
