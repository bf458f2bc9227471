//! S3's answers as `aws s3api … --output json` prints them.

use aws_sdk_s3::operation::list_buckets::ListBucketsOutput;
use serde_json::Value;

use super::{Object, Stamp, time};

/// `aws s3api list-buckets`.
pub fn list_buckets(output: &ListBucketsOutput) -> Value {
    Object::new()
        .list("Buckets", output.buckets(), |bucket| {
            Object::new()
                .opt("Name", bucket.name())
                .opt("CreationDate", time(bucket.creation_date(), Stamp::Millis))
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
        .build()
}
