//! Key pairs: the public half kept by EC2, the private half handed to the learner once.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::super::error::AwsError;
use super::super::ids;
use super::super::keys::{self, KeyError, KeyFormat, KeyType};
use super::filter::{Column, Filterable};
use super::{RegionState, Tags};

/// A key pair as EC2 keeps it: no private key.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeyPair {
    pub id: String,
    pub name: String,
    pub key_type: KeyType,
    pub fingerprint: String,
    pub public_key: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created: OffsetDateTime,
    #[serde(default)]
    pub tags: Tags,
}

/// A created key pair with its private key, which exists only in this response.
#[derive(Debug)]
pub struct Created {
    pub pair: KeyPair,
    pub private_key: String,
}

impl RegionState {
    pub fn create_key_pair(
        &mut self,
        name: &str,
        key_type: KeyType,
        format: KeyFormat,
        tags: Tags,
        now: OffsetDateTime,
    ) -> Result<Created, AwsError> {
        self.check_new_key_name(name)?;
        let made = keys::generate(key_type, format, name)
            .map_err(|error| AwsError::internal(error.to_string()))?;
        let pair = KeyPair {
            id: ids::resource("key"),
            name: name.to_string(),
            key_type,
            fingerprint: made.fingerprint,
            public_key: made.public_openssh,
            created: now,
            tags,
        };
        self.key_pairs.insert(name.to_string(), pair.clone());
        Ok(Created {
            pair,
            private_key: made.private_pem,
        })
    }

    pub fn import_key_pair(
        &mut self,
        name: &str,
        material: &[u8],
        tags: Tags,
        now: OffsetDateTime,
    ) -> Result<KeyPair, AwsError> {
        self.check_new_key_name(name)?;
        let imported = keys::import(material).map_err(|error| match error {
            KeyError::Format | KeyError::Generate(_) => {
                AwsError::client("InvalidKey.Format", error.to_string())
            }
            KeyError::Unsupported => AwsError::client("InvalidKey.Format", error.to_string()),
        })?;
        let pair = KeyPair {
            id: ids::resource("key"),
            name: name.to_string(),
            key_type: imported.key_type,
            fingerprint: imported.fingerprint,
            public_key: imported.public_openssh,
            created: now,
            tags,
        };
        self.key_pairs.insert(name.to_string(), pair.clone());
        Ok(pair)
    }

    /// Deletes by name or id. Deleting a key pair that does not exist succeeds, as on AWS.
    pub fn delete_key_pair(
        &mut self,
        name: Option<&str>,
        id: Option<&str>,
    ) -> Result<Option<String>, AwsError> {
        let name = match (name, id) {
            (Some(name), _) => Some(name.to_string()),
            (None, Some(id)) => {
                let found = self
                    .key_pairs
                    .values()
                    .find(|pair| pair.id == id)
                    .map(|pair| pair.name.clone());
                if found.is_none() {
                    return Err(AwsError::client(
                        "InvalidKeyPair.NotFound",
                        format!("The key pair '{id}' does not exist"),
                    ));
                }
                found
            }
            (None, None) => return Err(AwsError::missing_parameter("KeyName")),
        };
        Ok(name
            .and_then(|name| self.key_pairs.remove(&name))
            .map(|pair| pair.id))
    }

    fn check_new_key_name(&self, name: &str) -> Result<(), AwsError> {
        if name.is_empty() || name.len() > 255 || !name.is_ascii() {
            return Err(AwsError::invalid_parameter_value(
                "Key names are 1 to 255 ASCII characters",
            ));
        }
        if self.key_pairs.contains_key(name) {
            return Err(AwsError::client(
                "InvalidKeyPair.Duplicate",
                format!("The keypair already exists: '{name}'"),
            ));
        }
        Ok(())
    }
}

/// DescribeKeyPairs' filters.
pub(super) const FILTERS: &[Column<KeyPair>] = &[
    Column {
        names: &["key-name"],
        values: |key| vec![key.name.clone()],
    },
    Column {
        names: &["key-pair-id"],
        values: |key| vec![key.id.clone()],
    },
    Column {
        names: &["fingerprint"],
        values: |key| vec![key.fingerprint.clone()],
    },
    Column {
        names: &["key-type"],
        values: |key| vec![key.key_type.as_str().to_string()],
    },
];

impl Filterable for KeyPair {
    fn columns<'s>() -> &'s [Column<Self>]
    where
        Self: 's,
    {
        FILTERS
    }

    const TAGGED: bool = true;

    fn tags(&self) -> &Tags {
        &self.tags
    }
}
