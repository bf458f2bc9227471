//! A bucket: its owner, region and settings, and the objects and uploads in it.
//!
//! Buckets live in one namespace shared by every account, as on AWS: a name taken by one
//! account is taken for all. Who may do what to a bucket is decided in `access`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::object::Object;
use super::policy::Policy;
use super::upload::Upload;

/// Every bucket of the installation, by name.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Buckets {
    #[serde(default)]
    pub buckets: BTreeMap<String, Bucket>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Bucket {
    pub name: String,
    /// The account that created the bucket.
    pub owner: String,
    pub region: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created: OffsetDateTime,
    /// The bucket policy as the owner wrote it (GetBucketPolicy returns it verbatim).
    #[serde(default)]
    policy: Option<String>,
    /// The policy parsed, once, for the requests it decides.
    #[serde(skip)]
    parsed: OnceLock<Option<Policy>>,
    /// `None` once deleted: a bucket made since April 2023 starts with all four blocks on.
    #[serde(default)]
    pub public_access_block: Option<PublicAccessBlock>,
    #[serde(default)]
    pub tags: Vec<(String, String)>,
    #[serde(default)]
    pub objects: BTreeMap<String, Object>,
    /// Multipart uploads in progress, by upload id.
    #[serde(default)]
    pub uploads: BTreeMap<String, Upload>,
}

/// The four switches of S3 Block Public Access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicAccessBlock {
    pub block_public_acls: bool,
    pub ignore_public_acls: bool,
    pub block_public_policy: bool,
    pub restrict_public_buckets: bool,
}

impl PublicAccessBlock {
    pub const ALL: PublicAccessBlock = PublicAccessBlock {
        block_public_acls: true,
        ignore_public_acls: true,
        block_public_policy: true,
        restrict_public_buckets: true,
    };
}

/// A bucket without its objects and uploads, which the store keeps as records of their own.
/// It serializes as a [`Bucket`] with neither, so it reads back as one.
#[derive(Debug, Serialize)]
pub struct Settings<'a> {
    name: &'a str,
    owner: &'a str,
    region: &'a str,
    #[serde(with = "time::serde::rfc3339")]
    created: OffsetDateTime,
    policy: &'a Option<String>,
    public_access_block: &'a Option<PublicAccessBlock>,
    tags: &'a [(String, String)],
}

impl Bucket {
    /// The bucket's own fields; a field added to [`Bucket`] must be placed here or in the
    /// store's records, or this does not compile.
    pub fn settings(&self) -> Settings<'_> {
        let Bucket {
            name,
            owner,
            region,
            created,
            policy,
            parsed: _,
            public_access_block,
            tags,
            objects: _,
            uploads: _,
        } = self;
        Settings {
            name,
            owner,
            region,
            created: *created,
            policy,
            public_access_block,
            tags,
        }
    }

    pub fn new(name: &str, owner: &str, region: &str, now: OffsetDateTime) -> Bucket {
        Bucket {
            name: name.to_string(),
            owner: owner.to_string(),
            region: region.to_string(),
            created: now,
            policy: None,
            parsed: OnceLock::new(),
            public_access_block: Some(PublicAccessBlock::ALL),
            tags: Vec::new(),
            objects: BTreeMap::new(),
            uploads: BTreeMap::new(),
        }
    }

    /// The blobs holding its objects' bytes and its uploads' parts.
    pub fn blobs(&self) -> impl Iterator<Item = &str> {
        let objects = self.objects.values().map(|object| object.blob.as_str());
        let parts = self
            .uploads
            .values()
            .flat_map(|upload| upload.parts.values().map(|part| part.blob.as_str()));
        objects.chain(parts)
    }

    /// `arn:aws:s3:::bucket` or, with a key, `arn:aws:s3:::bucket/key`.
    pub fn arn(&self, key: Option<&str>) -> String {
        match key {
            Some(key) => format!("arn:aws:s3:::{}/{key}", self.name),
            None => format!("arn:aws:s3:::{}", self.name),
        }
    }

    /// The policy's text, as it was put.
    pub fn policy_text(&self) -> Option<&str> {
        self.policy.as_deref()
    }

    /// The policy, parsed on first use after a start or a change.
    pub fn policy(&self) -> Option<&Policy> {
        self.parsed
            .get_or_init(|| {
                let text = self.policy.as_deref()?;
                Policy::parse(text, &self.name)
                    .inspect_err(|error| tracing::warn!(bucket = %self.name, %error, "stored policy no longer parses"))
                    .ok()
            })
            .as_ref()
    }

    /// Replaces (or with `None` removes) the policy; true if there was one.
    pub fn set_policy(&mut self, policy: Option<Policy>) -> bool {
        let had = self.policy.is_some();
        self.policy = policy.as_ref().map(|policy| policy.text().to_string());
        self.parsed = OnceLock::from(policy);
        had
    }

    /// The blocks in force: none when the configuration was deleted.
    pub fn blocks(&self) -> PublicAccessBlock {
        self.public_access_block.unwrap_or(PublicAccessBlock {
            block_public_acls: false,
            ignore_public_acls: false,
            block_public_policy: false,
            restrict_public_buckets: false,
        })
    }
}
