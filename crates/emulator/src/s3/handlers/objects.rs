//! PutObject, GetObject, HeadObject, DeleteObject(s), CopyObject, ListObjects(V2).

use std::collections::BTreeMap;

use s3s::dto::*;
use s3s::{S3Error, S3Request, S3Response, S3Result, s3_error};

use super::super::access::{Requester, authorize};
use super::super::blobs::{WriteError, Written};
use super::super::listing;
use super::super::object::{Checksum, Object, StoredHeaders};
use super::checksums::{Declared, Expectation};
use super::{
    Api, bucket, bucket_mut, no_such_bucket, no_such_key, now, object_size, ok, requester, room_for,
};
use crate::store::Part;

/// S3's limit on a key's length, in bytes of UTF-8.
const MAX_KEY: usize = 1024;
const MAX_OBJECT_TAGS: usize = 10;

pub async fn put(
    api: &Api,
    req: S3Request<PutObjectInput>,
) -> S3Result<S3Response<PutObjectOutput>> {
    let who = requester(&req);
    let input = req.input;
    if input.key.len() > MAX_KEY {
        return Err(s3_error!(KeyTooLongError, "Your key is too long"));
    }
    {
        let state = api.world.lock();
        authorize(
            bucket(&state, &input.bucket)?,
            &who,
            "s3:PutObject",
            Some(&input.key),
        )?;
    }
    let expectation = Declared {
        algorithm: input.checksum_algorithm.as_ref().map(|a| a.as_str()),
        crc32: input.checksum_crc32.as_deref(),
        crc32c: input.checksum_crc32c.as_deref(),
        crc64nvme: input.checksum_crc64nvme.as_deref(),
        sha1: input.checksum_sha1.as_deref(),
        sha256: input.checksum_sha256.as_deref(),
        content_md5: input.content_md5.as_deref(),
    }
    .expectation(&req.headers)?;
    let tags = input
        .tagging
        .as_deref()
        .map(parse_tag_header)
        .transpose()?
        .unwrap_or_default();
    let (written, checksum) =
        receive(api, input.body, &expectation, req.trailing_headers.as_ref()).await?;
    let mut state = api.world.lock();
    let last_modified = now(&state, &input.bucket);
    let replacing = object_size(&state, &input.bucket, &input.key);
    if let Err(refused) = room_for(api, &state, &input.bucket, written.size, replacing) {
        api.blobs.remove(&written.id);
        return Err(refused);
    }
    let Some(target) = state.s3.buckets.get_mut(&input.bucket) else {
        // Deleted while the body was arriving.
        api.blobs.remove(&written.id);
        return Err(no_such_bucket());
    };
    let object = Object {
        size: written.size,
        etag: hex::encode(written.md5),
        last_modified,
        blob: written.id,
        headers: StoredHeaders {
            content_type: input.content_type.clone(),
            cache_control: input.cache_control,
            content_disposition: input.content_disposition,
            content_encoding: super::super::object::stored_encoding(input.content_encoding),
            content_language: input.content_language,
        },
        metadata: lower_keys(input.metadata),
        checksum: Some(Checksum {
            algorithm: expectation.algorithm,
            value: checksum,
            composite: false,
        }),
        tags,
        parts: None,
    };
    let etag = object.etag.clone();
    let stored = object.checksum.clone();
    let replaced = target.objects.insert(input.key.clone(), object);
    api.save_object(&state, &input.bucket, &input.key);
    drop(state);
    if let Some(old) = replaced {
        api.blobs.remove(&old.blob);
    }
    let mut output = PutObjectOutput {
        e_tag: Some(ETag::Strong(etag)),
        ..Default::default()
    };
    if let Some(checksum) = stored {
        put_checksum!(output, &checksum);
        output.checksum_type = Some(ChecksumType::from_static(ChecksumType::FULL_OBJECT));
    }
    ok(output)
}

/// Fills the headers GetObject and HeadObject share (s3s gives them no common type), with the
/// stored checksum when the client asked for it.
macro_rules! describe {
    ($output:expr, $object:expr, $with_checksum:expr) => {{
        let object: &Object = $object;
        $output.accept_ranges = Some("bytes".to_string());
        $output.e_tag = Some(ETag::Strong(object.etag.clone()));
        $output.last_modified = Some(Timestamp::from(object.last_modified));
        $output.content_type = Some(content_type(object));
        $output.cache_control = object.headers.cache_control.clone();
        $output.content_disposition = object.headers.content_disposition.clone();
        $output.content_encoding = object.headers.content_encoding.clone();
        $output.content_language = object.headers.content_language.clone();
        $output.metadata =
            (!object.metadata.is_empty()).then(|| object.metadata.clone().into_iter().collect());
        $output.parts_count = object.parts.map(|parts| parts as i32);
        if $with_checksum && let Some(checksum) = &object.checksum {
            put_checksum!($output, checksum);
            $output.checksum_type = Some(checksum_type(checksum));
        }
    }};
}
fn wants_checksum(mode: Option<&ChecksumMode>) -> bool {
    mode.is_some_and(|mode| mode.as_str() == ChecksumMode::ENABLED)
}

pub async fn get(
    api: &Api,
    req: S3Request<GetObjectInput>,
) -> S3Result<S3Response<GetObjectOutput>> {
    let who = requester(&req);
    let input = req.input;
    let object = readable(api, &who, &input.bucket, &input.key)?;
    preconditions(
        &object,
        input.if_match.as_ref(),
        input.if_none_match.as_ref(),
        input.if_modified_since.as_ref(),
        input.if_unmodified_since.as_ref(),
    )?;
    let range = match &input.range {
        Some(range) => Some(
            range
                .check(object.size)
                .map_err(|_| s3_error!(InvalidRange, "The requested range is not satisfiable"))?,
        ),
        None => None,
    };
    let span = range.clone().unwrap_or(0..object.size);
    let stream = api
        .blobs
        .read(&object.blob, span.clone())
        .await
        .map_err(|error| s3_error!(InternalError, "the object's bytes are missing: {error}"))?;
    let mut output = GetObjectOutput {
        body: Some(StreamingBlob::wrap(stream)),
        content_length: Some(i64::try_from(span.end - span.start).unwrap_or(i64::MAX)),
        content_range: range.as_ref().map(|range| {
            format!(
                "bytes {}-{}/{}",
                range.start,
                range.end.saturating_sub(1),
                object.size
            )
        }),
        tag_count: (!object.tags.is_empty()).then_some(object.tags.len() as i32),
        ..Default::default()
    };
    let whole = range.is_none();
    // A checksum describes the whole object, never a range of it.
    describe!(
        output,
        &object,
        whole && wants_checksum(input.checksum_mode.as_ref())
    );
    // A presigned link may ask for other headers on the response.
    if let Some(value) = input.response_content_type {
        output.content_type = Some(value);
    }
    if let Some(value) = input.response_cache_control {
        output.cache_control = Some(value);
    }
    if let Some(value) = input.response_content_disposition {
        output.content_disposition = Some(value);
    }
    let mut response = S3Response::new(output);
    if !whole {
        response.status = Some(http::StatusCode::PARTIAL_CONTENT);
    }
    Ok(response)
}

pub fn head(api: &Api, req: S3Request<HeadObjectInput>) -> S3Result<S3Response<HeadObjectOutput>> {
    let who = requester(&req);
    let input = req.input;
    let object = readable(api, &who, &input.bucket, &input.key)?;
    preconditions(
        &object,
        input.if_match.as_ref(),
        input.if_none_match.as_ref(),
        input.if_modified_since.as_ref(),
        input.if_unmodified_since.as_ref(),
    )?;
    let mut output = HeadObjectOutput {
        content_length: Some(i64::try_from(object.size).unwrap_or(i64::MAX)),
        ..Default::default()
    };
    describe!(
        output,
        &object,
        wants_checksum(input.checksum_mode.as_ref())
    );
    ok(output)
}

pub fn delete(
    api: &Api,
    req: S3Request<DeleteObjectInput>,
) -> S3Result<S3Response<DeleteObjectOutput>> {
    let who = requester(&req);
    let mut state = api.world.lock();
    let target = bucket_mut(&mut state, &req.input.bucket)?;
    authorize(target, &who, "s3:DeleteObject", Some(&req.input.key))?;
    // Deleting a key that is not there succeeds, as on S3.
    let removed = target.objects.remove(&req.input.key);
    if removed.is_some() {
        api.save_object(&state, &req.input.bucket, &req.input.key);
    }
    drop(state);
    if let Some(old) = removed {
        api.blobs.remove(&old.blob);
    }
    ok(DeleteObjectOutput::default())
}

pub fn delete_many(
    api: &Api,
    req: S3Request<DeleteObjectsInput>,
) -> S3Result<S3Response<DeleteObjectsOutput>> {
    let who = requester(&req);
    let request = req.input.delete;
    if request.objects.len() > 1000 {
        return Err(s3_error!(
            MalformedXML,
            "The XML you provided was not well-formed or did not validate against our published schema"
        ));
    }
    let mut state = api.world.lock();
    let target = bucket_mut(&mut state, &req.input.bucket)?;
    let mut deleted = Vec::new();
    let mut errors = Vec::new();
    let mut removed = Vec::new();
    for identifier in request.objects {
        match authorize(target, &who, "s3:DeleteObject", Some(&identifier.key)) {
            Ok(()) => {
                removed.extend(target.objects.remove(&identifier.key));
                deleted.push(DeletedObject {
                    key: Some(identifier.key),
                    ..Default::default()
                });
            }
            Err(error) => errors.push(Error {
                code: Some(error.code().as_str().to_string()),
                message: error.message().map(str::to_string),
                key: Some(identifier.key),
                version_id: None,
            }),
        }
    }
    if !removed.is_empty() {
        let parts: Vec<Part<'_>> = deleted
            .iter()
            .filter_map(|object| object.key.as_deref())
            .map(|key| Part::Object {
                bucket: &req.input.bucket,
                key,
            })
            .collect();
        api.save(&state, &parts);
    }
    drop(state);
    for old in removed {
        api.blobs.remove(&old.blob);
    }
    let quiet = request.quiet.unwrap_or(false);
    ok(DeleteObjectsOutput {
        deleted: (!quiet).then_some(deleted),
        errors: Some(errors),
        ..Default::default()
    })
}

pub async fn copy(
    api: &Api,
    req: S3Request<CopyObjectInput>,
) -> S3Result<S3Response<CopyObjectOutput>> {
    let who = requester(&req);
    let input = req.input;
    let CopySource::Bucket {
        bucket: source_bucket,
        key: source_key,
        ..
    } = &input.copy_source
    else {
        return Err(s3_error!(
            NotImplemented,
            "Copying from an access point is not supported by this emulator"
        ));
    };
    let replace = input
        .metadata_directive
        .as_ref()
        .is_some_and(|directive| directive.as_str() == MetadataDirective::REPLACE);
    if !replace && **source_bucket == *input.bucket && **source_key == *input.key {
        return Err(s3_error!(
            InvalidRequest,
            "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes."
        ));
    }
    let source = readable(api, &who, source_bucket, source_key)?;
    {
        let state = api.world.lock();
        authorize(
            bucket(&state, &input.bucket)?,
            &who,
            "s3:PutObject",
            Some(&input.key),
        )?;
    }
    let blob = api.blobs.duplicate(&source.blob).await.map_err(|error| {
        s3_error!(
            InternalError,
            "the emulator could not copy the object: {error}"
        )
    })?;
    let mut state = api.world.lock();
    let last_modified = now(&state, &input.bucket);
    let replacing = object_size(&state, &input.bucket, &input.key);
    if let Err(refused) = room_for(api, &state, &input.bucket, source.size, replacing) {
        api.blobs.remove(&blob);
        return Err(refused);
    }
    let Some(target) = state.s3.buckets.get_mut(&input.bucket) else {
        api.blobs.remove(&blob);
        return Err(no_such_bucket());
    };
    let mut object = Object {
        blob,
        last_modified,
        ..source
    };
    if replace {
        object.headers = StoredHeaders {
            content_type: input.content_type,
            cache_control: input.cache_control,
            content_disposition: input.content_disposition,
            content_encoding: super::super::object::stored_encoding(input.content_encoding),
            content_language: input.content_language,
        };
        object.metadata = lower_keys(input.metadata);
    }
    let result = CopyObjectResult {
        e_tag: Some(ETag::Strong(object.etag.clone())),
        last_modified: Some(Timestamp::from(last_modified)),
        ..Default::default()
    };
    let replaced = target.objects.insert(input.key.clone(), object);
    api.save_object(&state, &input.bucket, &input.key);
    drop(state);
    if let Some(old) = replaced {
        api.blobs.remove(&old.blob);
    }
    ok(CopyObjectOutput {
        copy_object_result: Some(result),
        ..Default::default()
    })
}

pub fn list(
    api: &Api,
    req: S3Request<ListObjectsV2Input>,
) -> S3Result<S3Response<ListObjectsV2Output>> {
    let who = requester(&req);
    let input = req.input;
    let state = api.world.lock();
    let found = bucket(&state, &input.bucket)?;
    authorize(found, &who, "s3:ListBucket", None)?;
    let after = match &input.continuation_token {
        Some(token) => Some(decode_token(token)?),
        None => input.start_after.clone(),
    };
    let walk = Walk {
        prefix: input.prefix.clone().unwrap_or_default(),
        delimiter: input.delimiter.clone(),
        max: input.max_keys.unwrap_or(1000).clamp(0, 1000) as usize,
        url: is_url(input.encoding_type.as_ref()),
        owner: input.fetch_owner.unwrap_or(false),
    };
    let listed = walk.run(found, after.as_deref());
    ok(ListObjectsV2Output {
        name: Some(input.bucket.clone()),
        prefix: Some(walk.encode(&walk.prefix)),
        delimiter: input.delimiter.as_deref().map(|d| walk.encode(d)),
        max_keys: Some(walk.max as i32),
        key_count: Some((listed.contents.len() + listed.common_prefixes.len()) as i32),
        is_truncated: Some(listed.next.is_some()),
        continuation_token: input.continuation_token.clone(),
        next_continuation_token: listed.next.as_deref().map(encode_token),
        start_after: input.start_after.as_deref().map(|s| walk.encode(s)),
        encoding_type: input.encoding_type.clone(),
        contents: Some(listed.contents),
        common_prefixes: Some(listed.common_prefixes),
        ..Default::default()
    })
}

/// ListObjects (version 1), which `GET /bucket` without `list-type=2` asks for.
pub fn list_v1(
    api: &Api,
    req: S3Request<ListObjectsInput>,
) -> S3Result<S3Response<ListObjectsOutput>> {
    let who = requester(&req);
    let input = req.input;
    let state = api.world.lock();
    let found = bucket(&state, &input.bucket)?;
    authorize(found, &who, "s3:ListBucket", None)?;
    let walk = Walk {
        prefix: input.prefix.clone().unwrap_or_default(),
        delimiter: input.delimiter.clone(),
        max: input.max_keys.unwrap_or(1000).clamp(0, 1000) as usize,
        url: is_url(input.encoding_type.as_ref()),
        owner: true,
    };
    let listed = walk.run(found, input.marker.as_deref());
    // Version 1 names the next marker only when a delimiter is given; clients use the last
    // key otherwise.
    let next_marker = listed
        .next
        .as_deref()
        .filter(|_| input.delimiter.is_some())
        .map(|next| walk.encode(next));
    ok(ListObjectsOutput {
        name: Some(input.bucket.clone()),
        prefix: Some(walk.encode(&walk.prefix)),
        marker: Some(
            input
                .marker
                .as_deref()
                .map(|m| walk.encode(m))
                .unwrap_or_default(),
        ),
        delimiter: input.delimiter.as_deref().map(|d| walk.encode(d)),
        max_keys: Some(walk.max as i32),
        is_truncated: Some(listed.next.is_some()),
        next_marker,
        encoding_type: input.encoding_type.clone(),
        contents: Some(listed.contents),
        common_prefixes: Some(listed.common_prefixes),
        ..Default::default()
    })
}

/// What both versions of ListObjects ask of a bucket.
struct Walk {
    prefix: String,
    delimiter: Option<String>,
    max: usize,
    /// `encoding-type=url`: keys go out URL-encoded (the aws CLI always asks for it).
    url: bool,
    owner: bool,
}

struct Listed {
    contents: Vec<s3s::dto::Object>,
    common_prefixes: Vec<CommonPrefix>,
    next: Option<String>,
}

impl Walk {
    fn run(&self, found: &super::super::bucket::Bucket, after: Option<&str>) -> Listed {
        let page = listing::page(
            &found.objects,
            &self.prefix,
            self.delimiter.as_deref(),
            after,
            self.max,
        );
        let contents = page
            .objects
            .iter()
            .map(|(key, object)| s3s::dto::Object {
                key: Some(self.encode(key)),
                size: Some(i64::try_from(object.size).unwrap_or(i64::MAX)),
                e_tag: Some(ETag::Strong(object.etag.clone())),
                last_modified: Some(Timestamp::from(object.last_modified)),
                storage_class: Some(ObjectStorageClass::from_static(
                    ObjectStorageClass::STANDARD,
                )),
                checksum_algorithm: object.checksum.as_ref().map(|checksum| {
                    vec![ChecksumAlgorithm::from(
                        checksum.algorithm.name().to_string(),
                    )]
                }),
                checksum_type: object.checksum.as_ref().map(checksum_type),
                owner: self.owner.then(|| super::buckets::owner(&found.owner)),
                ..Default::default()
            })
            .collect();
        let common_prefixes = page
            .common_prefixes
            .iter()
            .map(|prefix| CommonPrefix {
                prefix: Some(self.encode(prefix)),
            })
            .collect();
        Listed {
            contents,
            common_prefixes,
            next: page.next,
        }
    }

    fn encode(&self, text: &str) -> String {
        if self.url {
            form_urlencoded::byte_serialize(text.as_bytes()).collect()
        } else {
            text.to_string()
        }
    }
}

fn is_url(encoding: Option<&EncodingType>) -> bool {
    encoding.is_some_and(|encoding| encoding.as_str() == EncodingType::URL)
}

/// The object if `who` may read it. A caller who may not list the bucket learns only
/// AccessDenied for a missing key, as on S3, so keys cannot be probed.
pub(super) fn readable(
    api: &Api,
    who: &Requester,
    bucket_name: &str,
    key: &str,
) -> S3Result<Object> {
    let state = api.world.lock();
    let found = bucket(&state, bucket_name)?;
    match found.objects.get(key) {
        Some(object) => {
            authorize(found, who, "s3:GetObject", Some(key))?;
            Ok(object.clone())
        }
        None => {
            authorize(found, who, "s3:ListBucket", None)?;
            Err(no_such_key())
        }
    }
}

fn preconditions(
    object: &Object,
    if_match: Option<&ETagCondition>,
    if_none_match: Option<&ETagCondition>,
    if_modified_since: Option<&Timestamp>,
    if_unmodified_since: Option<&Timestamp>,
) -> S3Result<()> {
    let etag = ETag::Strong(object.etag.clone());
    let modified = Timestamp::from(object.last_modified);
    if let Some(condition) = if_match
        && !matches_condition(condition, &etag)
    {
        return Err(s3_error!(
            PreconditionFailed,
            "At least one of the pre-conditions you specified did not hold"
        ));
    }
    if let Some(since) = if_unmodified_since
        && if_match.is_none()
        && modified > *since
    {
        return Err(s3_error!(
            PreconditionFailed,
            "At least one of the pre-conditions you specified did not hold"
        ));
    }
    if let Some(condition) = if_none_match
        && matches_condition(condition, &etag)
    {
        return Err(not_modified());
    }
    if let Some(since) = if_modified_since
        && if_none_match.is_none()
        && modified <= *since
    {
        return Err(not_modified());
    }
    Ok(())
}

fn matches_condition(condition: &ETagCondition, etag: &ETag) -> bool {
    match condition {
        ETagCondition::Any => true,
        ETagCondition::ETag(expected) => expected.value() == etag.value(),
    }
}

fn not_modified() -> S3Error {
    let mut error = s3_error!(NotModified);
    error.set_status_code(http::StatusCode::NOT_MODIFIED);
    error
}

fn content_type(object: &Object) -> String {
    object
        .headers
        .content_type
        .clone()
        .unwrap_or_else(|| "binary/octet-stream".to_string())
}

pub(super) fn checksum_type(checksum: &Checksum) -> ChecksumType {
    ChecksumType::from_static(if checksum.composite {
        ChecksumType::COMPOSITE
    } else {
        ChecksumType::FULL_OBJECT
    })
}

pub(super) fn lower_keys(metadata: Option<Metadata>) -> BTreeMap<String, String> {
    metadata
        .unwrap_or_default()
        .into_iter()
        .map(|(key, value)| (key.to_ascii_lowercase(), value))
        .collect()
}

/// `x-amz-tagging: k1=v1&k2=v2`, URL-encoded.
pub(super) fn parse_tag_header(header: &str) -> S3Result<Vec<(String, String)>> {
    let tags: Vec<(String, String)> = form_urlencoded::parse(header.as_bytes())
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    super::settings::validate_tags(&tags, MAX_OBJECT_TAGS)?;
    Ok(tags)
}

/// Streams an upload's body into a blob and holds it to what the request promised; a body
/// that fails either leaves nothing behind. Returns the blob and the checksum to store.
pub(super) async fn receive(
    api: &Api,
    body: Option<StreamingBlob>,
    expectation: &Expectation,
    trailers: Option<&s3s::TrailingHeaders>,
) -> S3Result<(Written, String)> {
    let algorithm = Some(expectation.algorithm);
    let written = match body {
        Some(body) => api.blobs.write(body, algorithm).await,
        None => {
            let empty = futures_util::stream::empty::<Result<bytes::Bytes, String>>();
            api.blobs.write(empty, algorithm).await
        }
    }
    .map_err(write_error)?;
    match expectation.verify(&written, trailers) {
        Ok(checksum) => Ok((written, checksum)),
        Err(error) => {
            api.blobs.remove(&written.id);
            Err(error)
        }
    }
}

fn write_error(error: WriteError) -> S3Error {
    match error {
        WriteError::Body(message) => s3_error!(
            IncompleteBody,
            "You did not provide the number of bytes specified by the Content-Length HTTP header: {message}"
        ),
        WriteError::Io(error) => s3_error!(
            InternalError,
            "the emulator could not store the object: {error}"
        ),
    }
}

fn encode_token(last: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(last)
}

fn decode_token(token: &str) -> S3Result<String> {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(|| {
            s3_error!(
                InvalidArgument,
                "The continuation token provided is incorrect"
            )
        })
}
