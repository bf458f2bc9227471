//! S3's answers as `aws s3api … --output json` prints them.

use aws_sdk_s3::operation::create_bucket::CreateBucketOutput;
use aws_sdk_s3::operation::get_bucket_policy::GetBucketPolicyOutput;
use aws_sdk_s3::operation::get_public_access_block::GetPublicAccessBlockOutput;
use aws_sdk_s3::operation::head_object::HeadObjectOutput;
use aws_sdk_s3::operation::list_buckets::ListBucketsOutput;
use aws_sdk_s3::operation::put_object::PutObjectOutput;
use aws_sdk_s3::types::Object as StoredObject;
use serde_json::Value;

use super::{Object, Stamp, time};

/// `aws s3api list-buckets`, paginated as the CLI paginates it: `Prefix` is carried over from
/// the pages, `null` when none was asked for.
pub fn list_buckets(output: &ListBucketsOutput) -> Value {
    Object::new()
        .list("Buckets", output.buckets(), |bucket| {
            Object::new()
                .opt("Name", bucket.name())
                .opt("CreationDate", time(bucket.creation_date(), Stamp::Millis))
                .opt("BucketRegion", bucket.bucket_region())
                .build()
        })
        .opt(
            "Owner",
            output.owner().map(|owner| {
                Object::new()
                    .opt("DisplayName", owner.display_name())
                    .opt("ID", owner.id())
                    .build()
            }),
        )
        .set("Prefix", output.prefix())
        .build()
}

/// `aws s3api list-objects-v2`, all pages joined as the CLI's paginator joins them: the
/// objects, then the two members it carries over from the pages (`RequestCharged`, which S3
/// leaves unset, and `Prefix`); the page counts and the bucket's name are not printed.
pub fn list_objects_v2(prefix: Option<&str>, objects: &[StoredObject]) -> Value {
    Object::new()
        .opt_list(
            "Contents",
            (!objects.is_empty()).then_some(objects),
            |object| {
                Object::new()
                    .opt("Key", object.key())
                    .opt("LastModified", time(object.last_modified(), Stamp::Millis))
                    .opt("ETag", object.e_tag())
                    .opt_list(
                        "ChecksumAlgorithm",
                        (!object.checksum_algorithm().is_empty())
                            .then_some(object.checksum_algorithm()),
                        |algorithm| Value::from(algorithm.as_str()),
                    )
                    .opt(
                        "ChecksumType",
                        object.checksum_type().map(|kind| kind.as_str()),
                    )
                    .opt("Size", object.size())
                    .opt(
                        "StorageClass",
                        object.storage_class().map(|class| class.as_str()),
                    )
                    .build()
            },
        )
        .set("RequestCharged", Value::Null)
        .set("Prefix", prefix.unwrap_or_default())
        .build()
}

/// `aws s3api head-object`.
pub fn head_object(output: &HeadObjectOutput) -> Value {
    Object::new()
        .opt("AcceptRanges", output.accept_ranges())
        .opt("LastModified", last_modified_header(output.last_modified()))
        .opt("ContentLength", output.content_length())
        .opt("ETag", output.e_tag())
        .opt("CacheControl", output.cache_control())
        .opt("ContentType", output.content_type())
        .opt(
            "ServerSideEncryption",
            output.server_side_encryption().map(|sse| sse.as_str()),
        )
        .set(
            "Metadata",
            output
                .metadata()
                .map(|metadata| {
                    metadata
                        .iter()
                        .map(|(key, value)| (key.clone(), Value::from(value.clone())))
                        .collect::<serde_json::Map<_, _>>()
                })
                .unwrap_or_default(),
        )
        .build()
}

/// `aws s3api put-object`.
pub fn put_object(output: &PutObjectOutput) -> Value {
    Object::new()
        .opt("ETag", output.e_tag())
        .opt("ChecksumCRC32", output.checksum_crc32())
        .opt("ChecksumCRC32C", output.checksum_crc32_c())
        .opt("ChecksumCRC64NVME", output.checksum_crc64_nvme())
        .opt("ChecksumSHA1", output.checksum_sha1())
        .opt("ChecksumSHA256", output.checksum_sha256())
        .opt(
            "ChecksumType",
            output.checksum_type().map(|kind| kind.as_str()),
        )
        .opt(
            "ServerSideEncryption",
            output.server_side_encryption().map(|sse| sse.as_str()),
        )
        .build()
}

/// `aws s3api get-bucket-policy`: the policy as the one string S3 keeps.
pub fn get_bucket_policy(output: &GetBucketPolicyOutput) -> Value {
    Object::new().opt("Policy", output.policy()).build()
}

/// `aws s3api get-public-access-block`.
pub fn get_public_access_block(output: &GetPublicAccessBlockOutput) -> Value {
    Object::new()
        .opt(
            "PublicAccessBlockConfiguration",
            output.public_access_block_configuration().map(|block| {
                Object::new()
                    .opt("BlockPublicAcls", block.block_public_acls())
                    .opt("IgnorePublicAcls", block.ignore_public_acls())
                    .opt("BlockPublicPolicy", block.block_public_policy())
                    .opt("RestrictPublicBuckets", block.restrict_public_buckets())
                    .build()
            }),
        )
        .build()
}

/// `aws s3api create-bucket`.
pub fn create_bucket(output: &CreateBucketOutput) -> Value {
    Object::new().opt("Location", output.location()).build()
}

/// S3 sends `Last-Modified` as an HTTP date, which the CLI prints in the same form.
fn last_modified_header(at: Option<&aws_smithy_types::DateTime>) -> Option<String> {
    at.and_then(|at| at.fmt(aws_smithy_types::date_time::Format::HttpDate).ok())
}
