//! `aws s3 mb|ls|rb|cp|sync`: the CLI's high-level S3 commands, which print lines rather than
//! JSON. Copies are [`super::transfer`]'s.

use std::io::{self, Write};

use aws_config::SdkConfig;
use aws_sdk_s3::types::{BucketLocationConstraint, CreateBucketConfiguration};
use cloudlings_core::operation::Operation;

use super::s3_path::split;
use super::{Context, transfer};
use crate::aws_cli::{Args, failure};
use crate::visible::visible;

/// Runs `aws s3 <command> …` and returns the CLI's exit status.
pub fn run(
    args: &Args,
    config: &SdkConfig,
    context: &Context,
    out: &mut dyn Write,
) -> io::Result<i32> {
    let s3 = aws_sdk_s3::Client::new(config);
    let region = config
        .region()
        .map(|region| region.as_ref().to_string())
        .unwrap_or_default();
    let path = args.positional.first().map(String::as_str);
    let lines = |lines: Lines| match lines {
        Ok(lines) => (lines, 0),
        Err((status, message)) => (format!("{message}\n"), status),
    };
    let ran = crate::target::block_on(async {
        match (args.operation.as_str(), path) {
            ("mb", Some(path)) => lines(make_bucket(&s3, path, &region).await),
            ("rb", Some(path)) => {
                lines(remove_bucket(&s3, path, args.param("force").is_some()).await)
            }
            ("ls", None) => lines(list_buckets(&s3).await),
            ("ls", Some(path)) => {
                lines(list_objects(&s3, path, args.param("recursive").is_some()).await)
            }
            ("cp", _) => transfer::copy(&s3, args, context.files, context.terminal).await,
            ("sync", _) => transfer::sync(&s3, args, context.files, context.terminal).await,
            (command, _) => (
                format!("aws: error: the following arguments are required: paths ({command})\n"),
                failure::USAGE,
            ),
        }
    });
    match ran {
        // Key names and messages come from the bucket's side: shown, never obeyed.
        Ok((printed, status)) => {
            out.write_all(visible(&printed).as_bytes())?;
            Ok(status)
        }
        Err(error) => {
            writeln!(out, "{}", visible(&error.to_string()))?;
            Ok(255)
        }
    }
}

type Lines = Result<String, (i32, String)>;

fn not_s3(path: &str) -> (i32, String) {
    (
        failure::USAGE,
        format!("\nParam validation failed:\nInvalid bucket name \"{path}\": expected s3://BUCKET"),
    )
}

async fn make_bucket(s3: &aws_sdk_s3::Client, path: &str, region: &str) -> Lines {
    let (bucket, _) = split(path).ok_or_else(|| not_s3(path))?;
    let mut request = s3.create_bucket().bucket(bucket);
    // Outside us-east-1 the CLI names the region, as CreateBucket requires.
    if region != "us-east-1" {
        request = request.create_bucket_configuration(
            CreateBucketConfiguration::builder()
                .location_constraint(BucketLocationConstraint::from(region))
                .build(),
        );
    }
    match request.send().await {
        Ok(_) => Ok(format!("make_bucket: {bucket}\n")),
        Err(error) => Err((
            1,
            format!(
                "make_bucket failed: s3://{bucket} {}",
                failure::one_line(Operation::CreateBucket, &error)
            ),
        )),
    }
}

/// `aws s3 rb s3://bucket [--force]`: with `--force`, every object goes first, each printed
/// as the CLI prints it.
async fn remove_bucket(s3: &aws_sdk_s3::Client, path: &str, force: bool) -> Lines {
    let (bucket, _) = split(path).ok_or_else(|| not_s3(path))?;
    let mut lines = String::new();
    if force {
        let mut pages = s3.list_objects_v2().bucket(bucket).into_paginator().send();
        while let Some(page) = pages.next().await {
            let page =
                page.map_err(|error| (1, failure::one_line(Operation::ListObjectsV2, &error)))?;
            for object in page.contents() {
                let key = object.key().unwrap_or_default();
                match s3.delete_object().bucket(bucket).key(key).send().await {
                    Ok(_) => lines.push_str(&format!("delete: s3://{bucket}/{key}\n")),
                    Err(error) => {
                        let text = failure::one_line(Operation::DeleteObject, &error);
                        return Err((
                            1,
                            format!("{lines}delete failed: s3://{bucket}/{key} {text}"),
                        ));
                    }
                }
            }
        }
    }
    match s3.delete_bucket().bucket(bucket).send().await {
        Ok(_) => Ok(format!("{lines}remove_bucket: {bucket}\n")),
        Err(error) => Err((
            1,
            format!(
                "remove_bucket failed: s3://{bucket} {}",
                failure::one_line(Operation::DeleteBucket, &error)
            ),
        )),
    }
}

async fn list_buckets(s3: &aws_sdk_s3::Client) -> Lines {
    let listed = s3.list_buckets().send().await.map_err(|error| {
        (
            failure::SERVICE_ERROR,
            failure::one_line(Operation::ListBuckets, &error),
        )
    })?;
    Ok(listed
        .buckets()
        .iter()
        .map(|bucket| {
            format!(
                "{} {}\n",
                stamp(bucket.creation_date()),
                bucket.name().unwrap_or_default()
            )
        })
        .collect())
}

/// `aws s3 ls s3://bucket/prefix/`: one level, folders as `PRE`; with `--recursive`, every
/// key in full.
async fn list_objects(s3: &aws_sdk_s3::Client, path: &str, recursive: bool) -> Lines {
    let (bucket, prefix) = split(path).ok_or_else(|| not_s3(path))?;
    let mut lines = String::new();
    let mut pages = s3
        .list_objects_v2()
        .bucket(bucket)
        .prefix(prefix)
        .set_delimiter((!recursive).then(|| "/".to_string()))
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|error| {
            (
                failure::SERVICE_ERROR,
                failure::one_line(Operation::ListObjectsV2, &error),
            )
        })?;
        for folder in page.common_prefixes() {
            let name = folder.prefix().unwrap_or_default();
            lines.push_str(&format!(
                "{:>30} {}\n",
                "PRE",
                name.strip_prefix(prefix).unwrap_or(name)
            ));
        }
        for object in page.contents() {
            let key = object.key().unwrap_or_default();
            let shown = if recursive {
                key
            } else {
                key.strip_prefix(prefix).unwrap_or(key)
            };
            lines.push_str(&format!(
                "{} {:>10} {shown}\n",
                stamp(object.last_modified()),
                object.size().unwrap_or_default(),
            ));
        }
    }
    Ok(lines)
}

/// `2026-11-26 20:00:00`, as the CLI prints times in `s3 ls` (in UTC here).
fn stamp(at: Option<&aws_smithy_types::DateTime>) -> String {
    let Some(utc) = at.and_then(|at| time::OffsetDateTime::from_unix_timestamp(at.secs()).ok())
    else {
        return " ".repeat(19);
    };
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    utc.format(&format).unwrap_or_default()
}
