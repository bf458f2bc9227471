//! Multipart uploads: create, upload parts, complete, abort, list.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use md5::{Digest, Md5};
use s3s::dto::*;
use s3s::{S3Error, S3Request, S3Response, S3Result, s3_error};

use super::super::access::authorize;
use super::super::object::{Algorithm, Checksum, Object, StoredHeaders};
use super::super::upload::{Part, Upload};
use super::checksums::Declared;
use super::objects::{lower_keys, parse_tag_header, receive};
use super::{Api, bucket, bucket_mut, no_such_bucket, now, ok, requester, room_for};
use crate::store::Part as Stored;

/// Every part but the last must be at least this large.
const MIN_PART: u64 = 5 * 1024 * 1024;
const MAX_PART_NUMBER: i32 = 10_000;

pub fn create(
    api: &Api,
    req: S3Request<CreateMultipartUploadInput>,
) -> S3Result<S3Response<CreateMultipartUploadOutput>> {
    let who = requester(&req);
    let input = req.input;
    let algorithm = input
        .checksum_algorithm
        .as_ref()
        .map(|name| {
            Algorithm::parse(name.as_str()).ok_or_else(|| {
                s3_error!(
                    InvalidRequest,
                    "Checksum algorithm provided is unsupported."
                )
            })
        })
        .transpose()?;
    let tags = input
        .tagging
        .as_deref()
        .map(parse_tag_header)
        .transpose()?
        .unwrap_or_default();
    let mut state = api.world.lock();
    let initiated = now(&state, &input.bucket);
    let target = bucket_mut(&mut state, &input.bucket)?;
    authorize(target, &who, "s3:PutObject", Some(&input.key))?;
    let id = upload_id();
    target.uploads.insert(
        id.clone(),
        Upload {
            key: input.key.clone(),
            initiated,
            initiator: who.arn(),
            headers: StoredHeaders {
                content_type: input.content_type,
                cache_control: input.cache_control,
                content_disposition: input.content_disposition,
                content_encoding: super::super::object::stored_encoding(input.content_encoding),
                content_language: input.content_language,
            },
            metadata: lower_keys(input.metadata),
            tags,
            algorithm,
            parts: Default::default(),
        },
    );
    api.save(
        &state,
        &[Stored::Upload {
            bucket: &input.bucket,
            upload: &id,
        }],
    );
    ok(CreateMultipartUploadOutput {
        bucket: Some(input.bucket),
        key: Some(input.key),
        upload_id: Some(id),
        checksum_algorithm: input.checksum_algorithm,
        checksum_type: algorithm.map(|_| ChecksumType::from_static(ChecksumType::COMPOSITE)),
        ..Default::default()
    })
}

pub async fn upload_part(
    api: &Api,
    req: S3Request<UploadPartInput>,
) -> S3Result<S3Response<UploadPartOutput>> {
    let who = requester(&req);
    let input = req.input;
    if !(1..=MAX_PART_NUMBER).contains(&input.part_number) {
        return Err(s3_error!(
            InvalidArgument,
            "Part number must be an integer between 1 and 10000, inclusive"
        ));
    }
    let upload_algorithm = {
        let state = api.world.lock();
        let found = bucket(&state, &input.bucket)?;
        authorize(found, &who, "s3:PutObject", Some(&input.key))?;
        upload(found.uploads.get(&input.upload_id), &input.key)?.algorithm
    };
    let mut declared = Declared {
        algorithm: input.checksum_algorithm.as_ref().map(|a| a.as_str()),
        crc32: input.checksum_crc32.as_deref(),
        crc32c: input.checksum_crc32c.as_deref(),
        crc64nvme: input.checksum_crc64nvme.as_deref(),
        sha1: input.checksum_sha1.as_deref(),
        sha256: input.checksum_sha256.as_deref(),
        content_md5: input.content_md5.as_deref(),
    };
    if declared.algorithm.is_none() {
        declared.algorithm = upload_algorithm.map(Algorithm::name);
    }
    let expectation = declared.expectation(&req.headers)?;
    let (written, checksum) =
        receive(api, input.body, &expectation, req.trailing_headers.as_ref()).await?;
    let mut state = api.world.lock();
    let last_modified = now(&state, &input.bucket);
    let replacing = state
        .s3
        .buckets
        .get(&input.bucket)
        .and_then(|found| found.uploads.get(&input.upload_id))
        .and_then(|upload| upload.parts.get(&(input.part_number as u32)))
        .map_or(0, |part| part.size);
    if let Err(refused) = room_for(api, &state, &input.bucket, written.size, replacing) {
        api.blobs.remove(&written.id);
        return Err(refused);
    }
    let in_progress = state
        .s3
        .buckets
        .get_mut(&input.bucket)
        .and_then(|bucket| bucket.uploads.get_mut(&input.upload_id));
    let Some(in_progress) = in_progress else {
        api.blobs.remove(&written.id);
        return Err(no_such_upload());
    };
    let etag = hex::encode(written.md5);
    let kept = (upload_algorithm == Some(expectation.algorithm)).then(|| checksum.clone());
    let replaced = in_progress.parts.insert(
        input.part_number as u32,
        Part {
            size: written.size,
            etag: etag.clone(),
            md5: written.md5,
            last_modified,
            blob: written.id,
            checksum: kept,
        },
    );
    api.save(
        &state,
        &[Stored::Upload {
            bucket: &input.bucket,
            upload: &input.upload_id,
        }],
    );
    drop(state);
    if let Some(old) = replaced {
        api.blobs.remove(&old.blob);
    }
    let mut output = UploadPartOutput {
        e_tag: Some(ETag::Strong(etag)),
        ..Default::default()
    };
    let echoed = Checksum {
        algorithm: expectation.algorithm,
        value: checksum,
        composite: false,
    };
    put_checksum!(output, &echoed);
    ok(output)
}

pub async fn complete(
    api: &Api,
    req: S3Request<CompleteMultipartUploadInput>,
) -> S3Result<S3Response<CompleteMultipartUploadOutput>> {
    let who = requester(&req);
    let input = req.input;
    let listed = input
        .multipart_upload
        .and_then(|upload| upload.parts)
        .filter(|parts| !parts.is_empty())
        .ok_or_else(|| s3_error!(MalformedXML, "The XML you provided was not well-formed or did not validate against our published schema"))?;
    let (chosen, started) = {
        let state = api.world.lock();
        let found = bucket(&state, &input.bucket)?;
        authorize(found, &who, "s3:PutObject", Some(&input.key))?;
        let started = upload(found.uploads.get(&input.upload_id), &input.key)?.clone();
        (choose_parts(&started, &listed)?, started)
    };
    let blobs: Vec<String> = chosen.iter().map(|part| part.blob.clone()).collect();
    let blob = api.blobs.concatenate(&blobs).await.map_err(|error| {
        s3_error!(
            InternalError,
            "the emulator could not assemble the object: {error}"
        )
    })?;
    let mut md5s = Md5::new();
    for part in &chosen {
        md5s.update(part.md5);
    }
    let etag = format!("{}-{}", hex::encode(md5s.finalize()), chosen.len());
    let checksum = composite_checksum(started.algorithm, &chosen);
    let mut state = api.world.lock();
    let last_modified = now(&state, &input.bucket);
    let Some(target) = state.s3.buckets.get_mut(&input.bucket) else {
        api.blobs.remove(&blob);
        return Err(no_such_bucket());
    };
    let Some(finished) = target.uploads.remove(&input.upload_id) else {
        api.blobs.remove(&blob);
        return Err(no_such_upload());
    };
    let object = Object {
        size: chosen.iter().map(|part| part.size).sum(),
        etag: etag.clone(),
        last_modified,
        blob,
        headers: finished.headers.clone(),
        metadata: finished.metadata.clone(),
        checksum: checksum.clone(),
        tags: finished.tags.clone(),
        parts: Some(chosen.len() as u32),
    };
    let replaced = target.objects.insert(input.key.clone(), object);
    api.save(
        &state,
        &[
            Stored::Upload {
                bucket: &input.bucket,
                upload: &input.upload_id,
            },
            Stored::Object {
                bucket: &input.bucket,
                key: &input.key,
            },
        ],
    );
    drop(state);
    for part in finished.parts.values() {
        api.blobs.remove(&part.blob);
    }
    if let Some(old) = replaced {
        api.blobs.remove(&old.blob);
    }
    let mut output = CompleteMultipartUploadOutput {
        bucket: Some(input.bucket.clone()),
        key: Some(input.key.clone()),
        location: Some(format!(
            "http://{}.s3.amazonaws.com/{}",
            input.bucket, input.key
        )),
        e_tag: Some(ETag::Strong(etag)),
        ..Default::default()
    };
    if let Some(checksum) = &checksum {
        put_checksum!(output, checksum);
        output.checksum_type = Some(super::objects::checksum_type(checksum));
    }
    ok(output)
}

/// The parts the client named, checked as S3 does: ascending, uploaded with that ETag, and
/// all but the last at least 5 MiB.
fn choose_parts(started: &Upload, listed: &[CompletedPart]) -> S3Result<Vec<Part>> {
    let mut chosen: Vec<Part> = Vec::with_capacity(listed.len());
    let mut previous = 0;
    for named in listed {
        let number = named.part_number.unwrap_or(0);
        if number <= previous {
            return Err(s3_error!(
                InvalidPartOrder,
                "The list of parts was not in ascending order. Parts must be ordered by part number."
            ));
        }
        previous = number;
        let part = started
            .parts
            .get(&(number as u32))
            .filter(|part| {
                named
                    .e_tag
                    .as_ref()
                    .is_none_or(|etag| etag.value() == part.etag)
            })
            .ok_or_else(invalid_part)?;
        chosen.push(part.clone());
    }
    if chosen[..chosen.len() - 1]
        .iter()
        .any(|part| part.size < MIN_PART)
    {
        return Err(s3_error!(
            EntityTooSmall,
            "Your proposed upload is smaller than the minimum allowed object size."
        ));
    }
    Ok(chosen)
}

/// S3's checksum of checksums: the algorithm over the parts' raw digests, then `-N`.
fn composite_checksum(algorithm: Option<Algorithm>, parts: &[Part]) -> Option<Checksum> {
    let algorithm = algorithm?;
    let mut digests = Vec::new();
    for part in parts {
        digests.extend(STANDARD.decode(part.checksum.as_ref()?).ok()?);
    }
    let mut hasher = algorithm.hasher();
    hasher.update(&digests);
    let value = algorithm.finish(hasher)?;
    Some(Checksum {
        algorithm,
        value: format!("{value}-{}", parts.len()),
        composite: true,
    })
}

pub fn abort(
    api: &Api,
    req: S3Request<AbortMultipartUploadInput>,
) -> S3Result<S3Response<AbortMultipartUploadOutput>> {
    let who = requester(&req);
    let mut state = api.world.lock();
    let target = bucket_mut(&mut state, &req.input.bucket)?;
    authorize(
        target,
        &who,
        "s3:AbortMultipartUpload",
        Some(&req.input.key),
    )?;
    upload(target.uploads.get(&req.input.upload_id), &req.input.key)?;
    let removed = target.uploads.remove(&req.input.upload_id);
    api.save(
        &state,
        &[Stored::Upload {
            bucket: &req.input.bucket,
            upload: &req.input.upload_id,
        }],
    );
    drop(state);
    for part in removed.iter().flat_map(|upload| upload.parts.values()) {
        api.blobs.remove(&part.blob);
    }
    ok(AbortMultipartUploadOutput::default())
}

pub fn list_parts(
    api: &Api,
    req: S3Request<ListPartsInput>,
) -> S3Result<S3Response<ListPartsOutput>> {
    let who = requester(&req);
    let input = req.input;
    let state = api.world.lock();
    let found = bucket(&state, &input.bucket)?;
    authorize(found, &who, "s3:ListMultipartUploadParts", Some(&input.key))?;
    let started = upload(found.uploads.get(&input.upload_id), &input.key)?;
    let marker = input.part_number_marker.unwrap_or(0).max(0) as u32;
    let max = input.max_parts.unwrap_or(1000).clamp(0, 1000) as usize;
    let mut remaining = started.parts.range(marker + 1..);
    let parts: Vec<s3s::dto::Part> = remaining
        .by_ref()
        .take(max)
        .map(|(number, part)| s3s::dto::Part {
            part_number: Some(*number as i32),
            size: Some(part.size as i64),
            e_tag: Some(ETag::Strong(part.etag.clone())),
            last_modified: Some(Timestamp::from(part.last_modified)),
            ..Default::default()
        })
        .collect();
    let truncated = remaining.next().is_some();
    ok(ListPartsOutput {
        bucket: Some(input.bucket.clone()),
        key: Some(input.key.clone()),
        upload_id: Some(input.upload_id.clone()),
        part_number_marker: input.part_number_marker,
        next_part_number_marker: parts.last().and_then(|part| part.part_number),
        max_parts: Some(max as i32),
        is_truncated: Some(truncated),
        parts: Some(parts),
        checksum_algorithm: started
            .algorithm
            .map(|algorithm| ChecksumAlgorithm::from(algorithm.name().to_string())),
        ..Default::default()
    })
}

pub fn list_uploads(
    api: &Api,
    req: S3Request<ListMultipartUploadsInput>,
) -> S3Result<S3Response<ListMultipartUploadsOutput>> {
    let who = requester(&req);
    let input = req.input;
    let state = api.world.lock();
    let found = bucket(&state, &input.bucket)?;
    authorize(found, &who, "s3:ListBucketMultipartUploads", None)?;
    let prefix = input.prefix.clone().unwrap_or_default();
    let mut uploads: Vec<(&String, &Upload)> = found
        .uploads
        .iter()
        .filter(|(_, upload)| upload.key.starts_with(&prefix))
        .collect();
    uploads.sort_by(|a, b| (&a.1.key, a.1.initiated).cmp(&(&b.1.key, b.1.initiated)));
    let listed = uploads
        .into_iter()
        .map(|(id, upload)| MultipartUpload {
            key: Some(upload.key.clone()),
            upload_id: Some(id.clone()),
            initiated: Some(Timestamp::from(upload.initiated)),
            storage_class: Some(StorageClass::from_static(StorageClass::STANDARD)),
            ..Default::default()
        })
        .collect();
    ok(ListMultipartUploadsOutput {
        bucket: Some(input.bucket.clone()),
        prefix: input.prefix.clone(),
        is_truncated: Some(false),
        uploads: Some(listed),
        ..Default::default()
    })
}

fn upload<'a>(found: Option<&'a Upload>, key: &str) -> S3Result<&'a Upload> {
    found
        .filter(|upload| upload.key == key)
        .ok_or_else(no_such_upload)
}

fn no_such_upload() -> S3Error {
    s3_error!(
        NoSuchUpload,
        "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed."
    )
}

fn invalid_part() -> S3Error {
    s3_error!(
        InvalidPart,
        "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag."
    )
}

/// Upload ids are long opaque strings on S3; these are 64 URL-safe characters, never with a
/// leading `-`: a command line would read `--upload-id -Qce…` as an option, not its value.
fn upload_id() -> String {
    loop {
        let bytes: [u8; 48] = rand::random();
        let id = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        if !id.starts_with('-') {
            return id;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_upload_id_never_reads_as_an_option() {
        // One id in 64 would start with `-` if drawn freely: a thousand find it.
        for _ in 0..1000 {
            let id = upload_id();
            assert_eq!(id.len(), 64);
            assert!(!id.starts_with('-'), "{id}");
        }
    }
}
