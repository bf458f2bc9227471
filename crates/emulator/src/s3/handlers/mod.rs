//! The handlers behind s3s's `S3` trait (wired in [`super::api`]), grouped by what they act
//! on, with the [`Api`] they share and the lookups every group makes.

/// Sets, on any S3 output, the `checksum_*` field of the checksum's algorithm. s3s's outputs
/// share these field names but no type.
macro_rules! put_checksum {
    ($output:expr, $checksum:expr) => {{
        use $crate::s3::object::{Algorithm, Checksum};
        let checksum: &Checksum = $checksum;
        let value = Some(checksum.value.clone());
        match checksum.algorithm {
            Algorithm::Crc32 => $output.checksum_crc32 = value,
            Algorithm::Crc32c => $output.checksum_crc32c = value,
            Algorithm::Crc64Nvme => $output.checksum_crc64nvme = value,
            Algorithm::Sha1 => $output.checksum_sha1 = value,
            Algorithm::Sha256 => $output.checksum_sha256 = value,
        }
    }};
}

pub mod buckets;
pub mod checksums;
pub mod multipart;
pub mod objects;
pub mod settings;

use std::sync::Arc;

use s3s::{S3Error, S3ErrorCode, S3Request, S3Response, S3Result, s3_error};
use time::OffsetDateTime;

use super::access::Requester;
use super::blobs::Blobs;
use super::bucket::Bucket;
use crate::state::{Shared, World};
use crate::store::Part;

/// The S3 service over the emulator's state and its blob store.
#[derive(Debug, Clone)]
pub struct Api {
    pub world: Arc<World>,
    pub blobs: Arc<Blobs>,
}

impl Api {
    /// Queues what changed in `parts` for writing; the endpoint waits for it before the
    /// answer goes out (see `http::handle`).
    pub(crate) fn save(&self, state: &Shared, parts: &[Part<'_>]) {
        // The ticket is waited on by the endpoint, for everything queued until the answer.
        let _ = self.world.commit_shared(state, parts);
    }

    /// [`Api::save`] of one object's metadata.
    pub(crate) fn save_object(&self, state: &Shared, bucket: &str, key: &str) {
        self.save(state, &[Part::Object { bucket, key }]);
    }
}

/// The identity [`super::identity::Gate`] put on the request.
pub(crate) fn requester<T>(request: &S3Request<T>) -> Requester {
    request
        .extensions
        .get::<Requester>()
        .cloned()
        .unwrap_or(Requester::Anonymous)
}

/// Now in the account that owns `bucket`: its objects are dated by their owner's clock, as
/// its storage is billed by it.
pub(crate) fn now(state: &Shared, bucket: &str) -> OffsetDateTime {
    match state.s3.buckets.get(bucket) {
        Some(bucket) => state.clock.now_for(&bucket.owner),
        None => state.clock.now(),
    }
}

/// Refuses `size` more bytes in `bucket` (in place of `replacing`) that would take its owner,
/// who pays for its storage, past the owner's storage quota ([`crate::quotas`]). Objects and
/// the parts of uploads in progress both count.
pub(crate) fn room_for(
    api: &Api,
    state: &Shared,
    bucket: &str,
    size: u64,
    replacing: u64,
) -> S3Result<()> {
    let Some(owner) = state
        .s3
        .buckets
        .get(bucket)
        .map(|found| found.owner.as_str())
    else {
        return Ok(());
    };
    let quota = api.world.quotas_for(owner).storage;
    if quota == u64::MAX {
        return Ok(());
    }
    let used: u64 = state
        .s3
        .buckets
        .values()
        .filter(|found| found.owner == owner)
        .map(|found| {
            let objects: u64 = found.objects.values().map(|object| object.size).sum();
            let parts: u64 = found
                .uploads
                .values()
                .flat_map(|upload| upload.parts.values())
                .map(|part| part.size)
                .sum();
            objects + parts
        })
        .sum();
    let after = used.saturating_sub(replacing).saturating_add(size);
    if after <= quota {
        return Ok(());
    }
    let left = quota.saturating_sub(used.saturating_sub(replacing));
    let mut error = S3Error::with_message(
        S3ErrorCode::Custom("QuotaExceeded".into()),
        format!(
            "This account may store {} in all; {} is left, and this object is {}. Delete objects to make room.",
            crate::quotas::describe_bytes(quota),
            crate::quotas::describe_bytes(left),
            crate::quotas::describe_bytes(size)
        ),
    );
    error.set_status_code(http::StatusCode::FORBIDDEN);
    Err(error)
}

/// The size of the object at `bucket/key`, 0 when there is none.
pub(crate) fn object_size(state: &Shared, bucket: &str, key: &str) -> u64 {
    state
        .s3
        .buckets
        .get(bucket)
        .and_then(|found| found.objects.get(key))
        .map_or(0, |object| object.size)
}

pub(crate) fn bucket<'a>(state: &'a Shared, name: &str) -> S3Result<&'a Bucket> {
    state.s3.buckets.get(name).ok_or_else(no_such_bucket)
}

pub(crate) fn bucket_mut<'a>(state: &'a mut Shared, name: &str) -> S3Result<&'a mut Bucket> {
    state.s3.buckets.get_mut(name).ok_or_else(no_such_bucket)
}

pub(crate) fn no_such_bucket() -> S3Error {
    s3_error!(NoSuchBucket, "The specified bucket does not exist")
}

pub(crate) fn no_such_key() -> S3Error {
    s3_error!(NoSuchKey, "The specified key does not exist.")
}

pub(crate) fn ok<T>(output: T) -> S3Result<S3Response<T>> {
    Ok(S3Response::new(output))
}
