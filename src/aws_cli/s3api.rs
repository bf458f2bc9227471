//! S3's API calls, as `aws s3api` makes them: buckets, objects, the bucket policy and Block
//! Public Access.

use aws_config::SdkConfig;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{
    BucketLocationConstraint, CreateBucketConfiguration, PublicAccessBlockConfiguration,
};
use serde_json::Value;

use super::Command;
use super::failure::{Failure, sdk_failure, send};
use super::params::{Params, text};
use crate::cli_json;
use crate::strerror::strerror;
use cloudlings_core::operation::Operation;

pub const OPERATIONS: &[Command] = &[
    Command::new(Operation::ListBuckets, &[]),
    Command::new(
        Operation::CreateBucket,
        &["bucket", "create-bucket-configuration"],
    )
    .requires(&["bucket"]),
    Command::new(Operation::DeleteBucket, &["bucket"]).requires(&["bucket"]),
    Command::new(Operation::ListObjectsV2, &["bucket", "prefix"]).requires(&["bucket"]),
    Command::new(Operation::HeadObject, &["bucket", "key"]).requires(&["bucket", "key"]),
    Command::new(
        Operation::PutObject,
        &["bucket", "key", "body", "content-type", "cache-control"],
    )
    .requires(&["bucket", "key"]),
    Command::new(Operation::DeleteObject, &["bucket", "key"]).requires(&["bucket", "key"]),
    Command::new(Operation::GetBucketPolicy, &["bucket"]).requires(&["bucket"]),
    Command::new(Operation::PutBucketPolicy, &["bucket", "policy"]).requires(&["bucket", "policy"]),
    Command::new(Operation::DeleteBucketPolicy, &["bucket"]).requires(&["bucket"]),
    Command::new(Operation::GetPublicAccessBlock, &["bucket"]).requires(&["bucket"]),
    Command::new(
        Operation::PutPublicAccessBlock,
        &["bucket", "public-access-block-configuration"],
    )
    .requires(&["bucket", "public-access-block-configuration"]),
];

pub async fn call(
    p: &Params<'_>,
    operation: Operation,
    config: &SdkConfig,
) -> Result<Value, Failure> {
    let op = operation.cli_name();
    let s3 = aws_sdk_s3::Client::new(config);
    let bucket = p.one("bucket")?;
    match operation {
        Operation::ListBuckets => Ok(cli_json::s3::list_buckets(
            &send(op, s3.list_buckets().send()).await?,
        )),
        Operation::CreateBucket => {
            let location = match p.structures("create-bucket-configuration")? {
                Some(items) => items
                    .first()
                    .and_then(|item| text(item, "LocationConstraint")),
                None => None,
            };
            let request = s3
                .create_bucket()
                .set_bucket(bucket)
                .set_create_bucket_configuration(location.map(|region| {
                    CreateBucketConfiguration::builder()
                        .location_constraint(BucketLocationConstraint::from(region.as_str()))
                        .build()
                }));
            Ok(cli_json::s3::create_bucket(
                &send(op, request.send()).await?,
            ))
        }
        Operation::DeleteBucket => {
            send(op, s3.delete_bucket().set_bucket(bucket).send()).await?;
            Ok(super::empty())
        }
        Operation::ListObjectsV2 => {
            let prefix = p.one("prefix")?;
            let mut objects = Vec::new();
            let mut pages = s3
                .list_objects_v2()
                .set_bucket(bucket)
                .set_prefix(prefix.clone())
                .into_paginator()
                .send();
            while let Some(page) = pages.next().await {
                let page = page.map_err(|error| sdk_failure(op, error))?;
                objects.extend(page.contents().iter().cloned());
            }
            Ok(cli_json::s3::list_objects_v2(prefix.as_deref(), &objects))
        }
        Operation::HeadObject => {
            let request = s3.head_object().set_bucket(bucket).set_key(p.one("key")?);
            Ok(cli_json::s3::head_object(&send(op, request.send()).await?))
        }
        Operation::PutObject => {
            // `--body` names a file, read as bytes: the CLI's blob parameters take paths.
            let body = match p.args.param("body") {
                Some([path]) => {
                    let unreadable = |error: String| {
                        Failure::Client(format!(
                            "Error parsing parameter '--body': Blob values must be a path to a \
                             file. {}: {error}",
                            p.files.shown(path)
                        ))
                    };
                    // This machine's file is streamed; an emulated one's is small and read.
                    match p.files.host_path(path) {
                        Some(local) => ByteStream::from_path(&local)
                            .await
                            .map_err(|error| unreadable(error.to_string()))?,
                        None => ByteStream::from(
                            p.files
                                .read(path)
                                .map_err(|error| unreadable(strerror(&error)))?,
                        ),
                    }
                }
                _ => ByteStream::from_static(b""),
            };
            let request = s3
                .put_object()
                .set_bucket(bucket)
                .set_key(p.one("key")?)
                .set_content_type(p.one("content-type")?)
                .set_cache_control(p.one("cache-control")?)
                .body(body);
            Ok(cli_json::s3::put_object(&send(op, request.send()).await?))
        }
        Operation::DeleteObject => {
            let request = s3.delete_object().set_bucket(bucket).set_key(p.one("key")?);
            send(op, request.send()).await?;
            Ok(super::empty())
        }
        Operation::GetBucketPolicy => {
            let request = s3.get_bucket_policy().set_bucket(bucket);
            Ok(cli_json::s3::get_bucket_policy(
                &send(op, request.send()).await?,
            ))
        }
        Operation::PutBucketPolicy => {
            let request = s3
                .put_bucket_policy()
                .set_bucket(bucket)
                .set_policy(p.one("policy")?);
            send(op, request.send()).await?;
            Ok(super::empty())
        }
        Operation::DeleteBucketPolicy => {
            send(op, s3.delete_bucket_policy().set_bucket(bucket).send()).await?;
            Ok(super::empty())
        }
        Operation::GetPublicAccessBlock => {
            let request = s3.get_public_access_block().set_bucket(bucket);
            Ok(cli_json::s3::get_public_access_block(
                &send(op, request.send()).await?,
            ))
        }
        Operation::PutPublicAccessBlock => {
            let block = p
                .structures("public-access-block-configuration")?
                .and_then(|items| items.into_iter().next())
                .unwrap_or_default();
            let flag = |name: &str| match block.get(name) {
                Some(Value::Bool(on)) => Some(*on),
                Some(Value::String(text)) => Some(text.eq_ignore_ascii_case("true")),
                _ => None,
            };
            let configuration = PublicAccessBlockConfiguration::builder()
                .set_block_public_acls(flag("BlockPublicAcls"))
                .set_ignore_public_acls(flag("IgnorePublicAcls"))
                .set_block_public_policy(flag("BlockPublicPolicy"))
                .set_restrict_public_buckets(flag("RestrictPublicBuckets"))
                .build();
            let request = s3
                .put_public_access_block()
                .set_bucket(bucket)
                .public_access_block_configuration(configuration);
            send(op, request.send()).await?;
            Ok(super::empty())
        }
        other => Err(Failure::Unsupported(format!("s3api {other}"))),
    }
}
