//! An object's metadata; its bytes are a blob on disk (see `blobs`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Object {
    pub size: u64,
    /// The MD5 hex of the bytes, or `<hex>-N` after a multipart upload; the wire adds quotes.
    pub etag: String,
    #[serde(with = "time::serde::rfc3339")]
    pub last_modified: OffsetDateTime,
    /// The blob holding the bytes.
    pub blob: String,
    #[serde(default)]
    pub headers: StoredHeaders,
    /// User metadata (`x-amz-meta-*`), keys lower-cased as S3 keeps them.
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
    #[serde(default)]
    pub checksum: Option<Checksum>,
    #[serde(default)]
    pub tags: Vec<(String, String)>,
    /// The number of parts, for an object made by a multipart upload.
    #[serde(default)]
    pub parts: Option<u32>,
}

/// A `Content-Encoding` as S3 stores it: without `aws-chunked`, which only says how the
/// upload was framed (aws-sdk-rust frames its uploads so), not how the object is encoded.
pub fn stored_encoding(sent: Option<String>) -> Option<String> {
    let kept: Vec<&str> = sent
        .as_deref()?
        .split(',')
        .map(str::trim)
        .filter(|coding| !coding.is_empty() && !coding.eq_ignore_ascii_case("aws-chunked"))
        .collect();
    (!kept.is_empty()).then(|| kept.join(","))
}

/// The standard headers S3 stores with an object and returns on every GET.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredHeaders {
    pub content_type: Option<String>,
    pub cache_control: Option<String>,
    pub content_disposition: Option<String>,
    pub content_encoding: Option<String>,
    pub content_language: Option<String>,
}

/// One of S3's additional checksums, base64 as on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checksum {
    pub algorithm: Algorithm,
    pub value: String,
    /// `FULL_OBJECT`, or `COMPOSITE` for a checksum of part checksums.
    pub composite: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Algorithm {
    Crc32,
    Crc32c,
    Crc64Nvme,
    Sha1,
    Sha256,
}

impl Algorithm {
    pub fn parse(name: &str) -> Option<Algorithm> {
        Some(match name.to_ascii_uppercase().as_str() {
            "CRC32" => Algorithm::Crc32,
            "CRC32C" => Algorithm::Crc32c,
            "CRC64NVME" => Algorithm::Crc64Nvme,
            "SHA1" => Algorithm::Sha1,
            "SHA256" => Algorithm::Sha256,
            _ => return None,
        })
    }

    /// `CRC32`, as in `x-amz-sdk-checksum-algorithm`.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Crc32 => "CRC32",
            Algorithm::Crc32c => "CRC32C",
            Algorithm::Crc64Nvme => "CRC64NVME",
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
        }
    }

    /// A hasher computing this algorithm only.
    pub fn hasher(self) -> s3s::checksum::ChecksumHasher {
        let mut hasher = s3s::checksum::ChecksumHasher::default();
        match self {
            Algorithm::Crc32 => hasher.crc32 = Some(Default::default()),
            Algorithm::Crc32c => hasher.crc32c = Some(Default::default()),
            Algorithm::Crc64Nvme => hasher.crc64nvme = Some(Default::default()),
            Algorithm::Sha1 => hasher.sha1 = Some(Default::default()),
            Algorithm::Sha256 => hasher.sha256 = Some(Default::default()),
        }
        hasher
    }

    /// This algorithm's value (base64) out of a finished hasher.
    pub fn finish(self, hasher: s3s::checksum::ChecksumHasher) -> Option<String> {
        let sums = hasher.finalize();
        match self {
            Algorithm::Crc32 => sums.checksum_crc32,
            Algorithm::Crc32c => sums.checksum_crc32c,
            Algorithm::Crc64Nvme => sums.checksum_crc64nvme,
            Algorithm::Sha1 => sums.checksum_sha1,
            Algorithm::Sha256 => sums.checksum_sha256,
        }
    }

    /// `x-amz-checksum-crc32`: the header (or trailer) that carries the value.
    pub fn header(self) -> &'static str {
        match self {
            Algorithm::Crc32 => "x-amz-checksum-crc32",
            Algorithm::Crc32c => "x-amz-checksum-crc32c",
            Algorithm::Crc64Nvme => "x-amz-checksum-crc64nvme",
            Algorithm::Sha1 => "x-amz-checksum-sha1",
            Algorithm::Sha256 => "x-amz-checksum-sha256",
        }
    }
}

#[cfg(test)]
mod encoding_tests {
    use super::stored_encoding;

    #[test]
    fn the_upload_framing_is_not_kept() {
        assert_eq!(stored_encoding(Some("aws-chunked".into())), None);
        assert_eq!(
            stored_encoding(Some("gzip, aws-chunked".into())),
            Some("gzip".into())
        );
        assert_eq!(stored_encoding(Some("br".into())), Some("br".into()));
        assert_eq!(stored_encoding(None), None);
    }
}
