//! A multipart upload in progress and the parts it has received.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::object::{Algorithm, StoredHeaders};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Upload {
    pub key: String,
    #[serde(with = "time::serde::rfc3339")]
    pub initiated: OffsetDateTime,
    /// The ARN of whoever started it, shown as initiator and owner.
    pub initiator: String,
    #[serde(default)]
    pub headers: StoredHeaders,
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
    #[serde(default)]
    pub tags: Vec<(String, String)>,
    /// The checksum every part must carry, when the upload was created with one.
    #[serde(default)]
    pub algorithm: Option<Algorithm>,
    #[serde(default)]
    pub parts: BTreeMap<u32, Part>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Part {
    pub size: u64,
    /// MD5 hex of the part.
    pub etag: String,
    /// The raw MD5, from which the object's `-N` ETag is computed.
    pub md5: [u8; 16],
    #[serde(with = "time::serde::rfc3339")]
    pub last_modified: OffsetDateTime,
    pub blob: String,
    #[serde(default)]
    pub checksum: Option<String>,
}
