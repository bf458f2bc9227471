//! S3 through aws-sdk-rust: buckets, objects, checksums (aws-chunked with trailers), multipart,
//! listing, tagging, and who may read what under bucket policies and Block Public Access.

use std::sync::{Arc, Mutex};

use aws_sdk_s3::Client;
use aws_sdk_s3::config::interceptors::BeforeTransmitInterceptorContextRef;
use aws_sdk_s3::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{
    BucketLocationConstraint, ChecksumAlgorithm, ChecksumMode, CompletedMultipartUpload,
    CompletedPart, CreateBucketConfiguration, Delete, ObjectIdentifier,
    PublicAccessBlockConfiguration, Tag, Tagging,
};
use cloudlings_emulator::Emulator;

use crate::emulator::{code, config, raw_get, root, start};

const SEOUL: &str = "ap-northeast-2";

pub fn s3(config: &aws_config::SdkConfig) -> Client {
    Client::new(config)
}

pub async fn make_bucket(s3: &Client, name: &str) {
    create_in_seoul(s3, name).await.expect("CreateBucket");
}

/// CreateBucket in Seoul, with the location constraint that region needs.
pub async fn create_in_seoul(
    s3: &Client,
    name: &str,
) -> Result<
    aws_sdk_s3::operation::create_bucket::CreateBucketOutput,
    aws_sdk_s3::error::SdkError<aws_sdk_s3::operation::create_bucket::CreateBucketError>,
> {
    s3.create_bucket()
        .bucket(name)
        .create_bucket_configuration(
            CreateBucketConfiguration::builder()
                .location_constraint(BucketLocationConstraint::from(SEOUL))
                .build(),
        )
        .send()
        .await
}

async fn body(output: aws_sdk_s3::operation::get_object::GetObjectOutput) -> Vec<u8> {
    output
        .body
        .collect()
        .await
        .expect("body")
        .into_bytes()
        .to_vec()
}

/// An unsigned request, as a browser or curl would send it: status and body.
pub fn anonymous_get(emulator: &Emulator, path: &str) -> (u16, String) {
    anonymous_get_from(emulator, &emulator.addr.to_string(), path)
}

/// [`anonymous_get`] with the `Host` a client would send, e.g. `bucket.s3.localhost:PORT`.
pub fn anonymous_get_from(emulator: &Emulator, host: &str, path: &str) -> (u16, String) {
    let answer = raw_get(emulator.addr, host, path);
    (
        answer.status,
        String::from_utf8_lossy(&answer.body).into_owned(),
    )
}

#[tokio::test]
async fn buckets_follow_s3s_naming_region_and_ownership_rules() {
    let emulator = start();
    let s3 = s3(&root(&emulator));
    make_bucket(&s3, "cloudlings-images").await;

    let head = s3
        .head_bucket()
        .bucket("cloudlings-images")
        .send()
        .await
        .expect("HeadBucket");
    assert_eq!(head.bucket_region(), Some(SEOUL));
    let location = s3
        .get_bucket_location()
        .bucket("cloudlings-images")
        .send()
        .await
        .expect("GetBucketLocation");
    assert_eq!(
        location.location_constraint().map(|c| c.as_str()),
        Some(SEOUL)
    );
    let listed = s3.list_buckets().send().await.expect("ListBuckets");
    let names: Vec<_> = listed.buckets().iter().filter_map(|b| b.name()).collect();
    assert_eq!(names, ["cloudlings-images"]);

    let again = create_in_seoul(&s3, "cloudlings-images")
        .await
        .expect_err("twice");
    assert_eq!(code(&again), "BucketAlreadyOwnedByYou");

    let no_constraint = s3
        .create_bucket()
        .bucket("seoul-without-constraint")
        .send()
        .await;
    assert_eq!(
        code(&no_constraint.expect_err("constraint needed")),
        "IllegalLocationConstraintException"
    );
    let bad_name = s3
        .create_bucket()
        .bucket("Bad_Name")
        .send()
        .await
        .expect_err("name");
    assert_eq!(code(&bad_name), "InvalidBucketName");
    assert_eq!(
        aws_sdk_s3::error::ProvideErrorMetadata::message(&bad_name),
        Some("The specified bucket is not valid.")
    );

    // Another account sees none of it and cannot take the name.
    let other = emulator.world.add_account();
    let theirs = s3_for(&emulator, &other.access_key, &other.secret);
    assert!(
        theirs
            .list_buckets()
            .send()
            .await
            .expect("theirs")
            .buckets()
            .is_empty()
    );
    let taken = create_in_seoul(&theirs, "cloudlings-images")
        .await
        .expect_err("taken");
    assert_eq!(code(&taken), "BucketAlreadyExists");
    let peek = theirs
        .list_objects_v2()
        .bucket("cloudlings-images")
        .send()
        .await;
    assert_eq!(code(&peek.expect_err("not theirs")), "AccessDenied");

    s3.put_object()
        .bucket("cloudlings-images")
        .key("cat.png")
        .body(ByteStream::from_static(b"png"))
        .send()
        .await
        .expect("PutObject");
    let full = s3.delete_bucket().bucket("cloudlings-images").send().await;
    assert_eq!(code(&full.expect_err("not empty")), "BucketNotEmpty");
    s3.delete_object()
        .bucket("cloudlings-images")
        .key("cat.png")
        .send()
        .await
        .expect("DeleteObject");
    s3.delete_bucket()
        .bucket("cloudlings-images")
        .send()
        .await
        .expect("DeleteBucket");
    let gone = s3.head_bucket().bucket("cloudlings-images").send().await;
    assert!(gone.is_err());
}

pub fn s3_for(emulator: &Emulator, access_key: &str, secret: &str) -> Client {
    s3(&config(emulator, access_key, secret))
}

#[tokio::test]
async fn objects_keep_their_bytes_headers_and_metadata() {
    let emulator = start();
    let s3 = s3(&root(&emulator));
    make_bucket(&s3, "photos").await;
    let image: Vec<u8> = (0..=255u8).cycle().take(100_000).collect();
    let put = s3
        .put_object()
        .bucket("photos")
        .key("img/cat.png")
        .content_type("image/png")
        .cache_control("max-age=60")
        .metadata("Author", "learner")
        .body(ByteStream::from(image.clone()))
        .send()
        .await
        .expect("PutObject");
    let md5 = format!("\"{}\"", hex::encode(md5_of(&image)));
    assert_eq!(put.e_tag(), Some(md5.as_str()));

    let got = s3
        .get_object()
        .bucket("photos")
        .key("img/cat.png")
        .send()
        .await
        .expect("GetObject");
    assert_eq!(got.content_type(), Some("image/png"));
    assert_eq!(got.cache_control(), Some("max-age=60"));
    assert_eq!(got.e_tag(), Some(md5.as_str()));
    assert_eq!(
        got.metadata()
            .and_then(|m| m.get("author"))
            .map(String::as_str),
        Some("learner")
    );
    assert_eq!(body(got).await, image);

    let head = s3
        .head_object()
        .bucket("photos")
        .key("img/cat.png")
        .send()
        .await
        .expect("HeadObject");
    assert_eq!(head.content_length(), Some(100_000));

    let part = s3
        .get_object()
        .bucket("photos")
        .key("img/cat.png")
        .range("bytes=10-19")
        .send()
        .await
        .expect("range");
    assert_eq!(part.content_range(), Some("bytes 10-19/100000"));
    assert_eq!(body(part).await, &image[10..20]);
    let tail = s3
        .get_object()
        .bucket("photos")
        .key("img/cat.png")
        .range("bytes=-5")
        .send()
        .await
        .expect("suffix");
    assert_eq!(body(tail).await, &image[image.len() - 5..]);
    let beyond = s3
        .get_object()
        .bucket("photos")
        .key("img/cat.png")
        .range("bytes=200000-")
        .send()
        .await
        .expect_err("beyond the end");
    assert_eq!(code(&beyond), "InvalidRange");

    // A presigned link works with no credentials, and only as signed.
    let presigned = s3
        .get_object()
        .bucket("photos")
        .key("img/cat.png")
        .presigned(
            aws_sdk_s3::presigning::PresigningConfig::expires_in(std::time::Duration::from_secs(
                300,
            ))
            .expect("presigning"),
        )
        .await
        .expect("presign");
    let uri: http::Uri = presigned.uri().parse().expect("uri");
    let target = uri.path_and_query().expect("target").as_str();
    let host = emulator.addr.to_string();
    let answer = raw_get(emulator.addr, &host, target);
    assert_eq!((answer.status, answer.body), (200, image.clone()));
    let forged = target.replace("img/cat.png", "img/dog.png");
    let (status, answer) = anonymous_get(&emulator, &forged);
    assert!(
        status == 403 && answer.contains("SignatureDoesNotMatch"),
        "{status} {answer}"
    );

    let missing = s3
        .get_object()
        .bucket("photos")
        .key("img/dog.png")
        .send()
        .await;
    assert_eq!(code(&missing.expect_err("missing")), "NoSuchKey");
    let no_bucket = s3.get_object().bucket("nope-nope").key("x").send().await;
    assert_eq!(code(&no_bucket.expect_err("no bucket")), "NoSuchBucket");

    let not_modified = s3
        .get_object()
        .bucket("photos")
        .key("img/cat.png")
        .if_none_match(&md5)
        .send()
        .await
        .expect_err("304");
    assert_eq!(
        not_modified.raw_response().map(|r| r.status().as_u16()),
        Some(304)
    );
    let stale = s3
        .get_object()
        .bucket("photos")
        .key("img/cat.png")
        .if_match("\"0000\"")
        .send()
        .await
        .expect_err("412");
    assert_eq!(code(&stale), "PreconditionFailed");

    let copy = s3
        .copy_object()
        .bucket("photos")
        .key("img/copy.png")
        .copy_source("photos/img/cat.png")
        .send()
        .await
        .expect("CopyObject");
    assert_eq!(
        copy.copy_object_result().and_then(|r| r.e_tag()),
        Some(md5.as_str())
    );
    let copied = s3
        .get_object()
        .bucket("photos")
        .key("img/copy.png")
        .send()
        .await
        .expect("copy");
    assert_eq!(copied.content_type(), Some("image/png"));
    assert_eq!(body(copied).await, image);
    let onto_itself = s3
        .copy_object()
        .bucket("photos")
        .key("img/cat.png")
        .copy_source("photos/img/cat.png")
        .send()
        .await;
    assert_eq!(code(&onto_itself.expect_err("itself")), "InvalidRequest");

    let deleted = s3
        .delete_objects()
        .bucket("photos")
        .delete(
            Delete::builder()
                .objects(
                    ObjectIdentifier::builder()
                        .key("img/cat.png")
                        .build()
                        .expect("id"),
                )
                .objects(
                    ObjectIdentifier::builder()
                        .key("img/copy.png")
                        .build()
                        .expect("id"),
                )
                .build()
                .expect("delete"),
        )
        .send()
        .await
        .expect("DeleteObjects");
    assert_eq!(deleted.deleted().len(), 2);
    let empty = s3
        .list_objects_v2()
        .bucket("photos")
        .send()
        .await
        .expect("list");
    assert_eq!(empty.key_count(), Some(0));
}

fn md5_of(bytes: &[u8]) -> [u8; 16] {
    use md5::Digest;
    md5::Md5::digest(bytes).into()
}

#[tokio::test]
async fn listing_pages_through_prefixes_and_folders() {
    let emulator = start();
    let s3 = s3(&root(&emulator));
    make_bucket(&s3, "site").await;
    for key in [
        "index.html",
        "img/a.png",
        "img/b.png",
        "img/raw/c.png",
        "css/site.css",
        "a b+c.txt",
    ] {
        s3.put_object()
            .bucket("site")
            .key(key)
            .body(ByteStream::from_static(b"x"))
            .send()
            .await
            .expect("put");
    }
    let top = s3
        .list_objects_v2()
        .bucket("site")
        .delimiter("/")
        .send()
        .await
        .expect("list");
    let keys: Vec<_> = top.contents().iter().filter_map(|o| o.key()).collect();
    let folders: Vec<_> = top
        .common_prefixes()
        .iter()
        .filter_map(|p| p.prefix())
        .collect();
    assert_eq!(keys, ["a b+c.txt", "index.html"]);
    assert_eq!(folders, ["css/", "img/"]);

    let img = s3
        .list_objects_v2()
        .bucket("site")
        .prefix("img/")
        .delimiter("/")
        .send()
        .await
        .expect("img");
    let keys: Vec<_> = img.contents().iter().filter_map(|o| o.key()).collect();
    assert_eq!(keys, ["img/a.png", "img/b.png"]);

    let mut pages = s3
        .list_objects_v2()
        .bucket("site")
        .max_keys(2)
        .into_paginator()
        .send();
    let mut all = Vec::new();
    let mut count = 0;
    while let Some(page) = pages.next().await {
        let page = page.expect("page");
        count += 1;
        all.extend(
            page.contents()
                .iter()
                .filter_map(|o| o.key().map(str::to_string)),
        );
    }
    assert_eq!(count, 3);
    assert_eq!(all.len(), 6);
    let mut sorted = all.clone();
    sorted.sort();
    assert_eq!(all, sorted);
}

/// What one request said of its body: `x-amz-trailer` and `content-encoding`.
type Framing = (Option<String>, Option<String>);

/// Records whether uploads went out aws-chunked with a trailing checksum.
#[derive(Debug, Default, Clone)]
struct Wire(Arc<Mutex<Vec<Framing>>>);

impl Intercept for Wire {
    fn name(&self) -> &'static str {
        "wire"
    }
    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), aws_sdk_s3::error::BoxError> {
        let headers = context.request().headers();
        self.0.lock().expect("wire").push((
            headers.get("x-amz-trailer").map(str::to_string),
            headers.get("content-encoding").map(str::to_string),
        ));
        Ok(())
    }
}

#[tokio::test]
async fn checksums_are_verified_in_headers_and_in_aws_chunked_trailers() {
    let emulator = start();
    let wire = Wire::default();
    let config = aws_sdk_s3::config::Builder::from(&root(&emulator))
        .interceptor(wire.clone())
        .build();
    let s3 = Client::from_conf(config);
    make_bucket(&s3, "sums").await;

    // A streaming body: the SDK sends it aws-chunked with the CRC32 as a trailer.
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("photo.jpg");
    let bytes: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&file, &bytes).expect("write");
    s3.put_object()
        .bucket("sums")
        .key("photo.jpg")
        .checksum_algorithm(ChecksumAlgorithm::Crc32)
        .body(ByteStream::from_path(&file).await.expect("stream"))
        .send()
        .await
        .expect("aws-chunked PutObject");
    let sent = wire
        .0
        .lock()
        .expect("wire")
        .last()
        .cloned()
        .expect("a request");
    assert_eq!(sent.0.as_deref(), Some("x-amz-checksum-crc32"), "{sent:?}");
    assert!(
        sent.1.as_deref().is_some_and(|e| e.contains("aws-chunked")),
        "{sent:?}"
    );

    let got = s3
        .get_object()
        .bucket("sums")
        .key("photo.jpg")
        .checksum_mode(ChecksumMode::Enabled)
        .send()
        .await
        .expect("GetObject");
    let crc = crc32fast_base64(&bytes);
    assert_eq!(got.checksum_crc32(), Some(crc.as_str()));
    assert_eq!(body(got).await, bytes);

    // A checksum that does not match is refused, and nothing is stored.
    let wrong = s3
        .put_object()
        .bucket("sums")
        .key("bad.bin")
        .checksum_crc32("AAAAAA==")
        .body(ByteStream::from_static(b"hello"))
        .send()
        .await
        .expect_err("wrong crc");
    assert_eq!(code(&wrong), "BadDigest");
    let wrong_md5 = s3
        .put_object()
        .bucket("sums")
        .key("bad.bin")
        .content_md5("1B2M2Y8AsgTpgAmY7PhCfg==")
        .body(ByteStream::from_static(b"hello"))
        .send()
        .await
        .expect_err("wrong md5");
    assert_eq!(code(&wrong_md5), "BadDigest");
    let not_md5 = s3
        .put_object()
        .bucket("sums")
        .key("bad.bin")
        .content_md5("not-a-digest")
        .body(ByteStream::from_static(b"hello"))
        .send()
        .await
        .expect_err("malformed md5");
    assert_eq!(code(&not_md5), "InvalidDigest");
    let sha = s3
        .put_object()
        .bucket("sums")
        .key("bad.bin")
        .checksum_sha256("LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=")
        .body(ByteStream::from_static(b"hello!"))
        .send()
        .await
        .expect_err("sha256 of another body");
    assert_eq!(code(&sha), "BadDigest");
    let missing = s3.head_object().bucket("sums").key("bad.bin").send().await;
    assert!(missing.is_err(), "a refused upload left an object");
    let blobs = std::fs::read_dir(emulator.blobs.path(""))
        .expect("blobs")
        .count();
    assert_eq!(blobs, 1, "only the good object's bytes remain");
}

/// CRC32 (IEEE) in base64, computed here independently of the emulator.
fn crc32fast_base64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    let mut crc = 0xffff_ffffu32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    base64::engine::general_purpose::STANDARD.encode((!crc).to_be_bytes())
}

#[tokio::test]
async fn multipart_uploads_assemble_check_and_abort() {
    let emulator = start();
    let s3 = s3(&root(&emulator));
    make_bucket(&s3, "big").await;
    let first: Vec<u8> = vec![b'a'; 5 * 1024 * 1024];
    let second: Vec<u8> = b"the end".to_vec();

    let upload = s3
        .create_multipart_upload()
        .bucket("big")
        .key("video.mp4")
        .content_type("video/mp4")
        .send()
        .await
        .expect("CreateMultipartUpload");
    let id = upload.upload_id().expect("id").to_string();
    let mut etags = Vec::new();
    for (number, bytes) in [(1, &first), (2, &second)] {
        let part = s3
            .upload_part()
            .bucket("big")
            .key("video.mp4")
            .upload_id(&id)
            .part_number(number)
            .body(ByteStream::from(bytes.clone()))
            .send()
            .await
            .expect("UploadPart");
        etags.push(part.e_tag().expect("etag").to_string());
    }
    let parts = s3
        .list_parts()
        .bucket("big")
        .key("video.mp4")
        .upload_id(&id)
        .send()
        .await
        .expect("ListParts");
    assert_eq!(parts.parts().len(), 2);
    let uploads = s3
        .list_multipart_uploads()
        .bucket("big")
        .send()
        .await
        .expect("uploads");
    assert_eq!(uploads.uploads().len(), 1);

    let completed = |order: &[usize]| {
        CompletedMultipartUpload::builder()
            .set_parts(Some(
                order
                    .iter()
                    .map(|&i| {
                        CompletedPart::builder()
                            .part_number(i as i32 + 1)
                            .e_tag(&etags[i])
                            .build()
                    })
                    .collect(),
            ))
            .build()
    };
    let disorder = s3
        .complete_multipart_upload()
        .bucket("big")
        .key("video.mp4")
        .upload_id(&id)
        .multipart_upload(completed(&[1, 0]))
        .send()
        .await
        .expect_err("order");
    assert_eq!(code(&disorder), "InvalidPartOrder");

    let done = s3
        .complete_multipart_upload()
        .bucket("big")
        .key("video.mp4")
        .upload_id(&id)
        .multipart_upload(completed(&[0, 1]))
        .send()
        .await
        .expect("CompleteMultipartUpload");
    let mut md5s = Vec::new();
    md5s.extend(md5_of(&first));
    md5s.extend(md5_of(&second));
    let expected = format!("\"{}-2\"", hex::encode(md5_of(&md5s)));
    assert_eq!(done.e_tag(), Some(expected.as_str()));
    let got = s3
        .get_object()
        .bucket("big")
        .key("video.mp4")
        .send()
        .await
        .expect("get");
    assert_eq!(got.content_type(), Some("video/mp4"));
    let whole = body(got).await;
    assert_eq!(whole.len(), first.len() + second.len());
    assert!(whole.ends_with(b"the end"));

    // Small parts cannot be completed; an aborted upload is gone.
    let small = s3
        .create_multipart_upload()
        .bucket("big")
        .key("small")
        .send()
        .await
        .expect("create");
    let small_id = small.upload_id().expect("id").to_string();
    let mut small_tags = Vec::new();
    for number in 1..=2 {
        let part = s3
            .upload_part()
            .bucket("big")
            .key("small")
            .upload_id(&small_id)
            .part_number(number)
            .body(ByteStream::from_static(b"tiny"))
            .send()
            .await
            .expect("part");
        small_tags.push(
            CompletedPart::builder()
                .part_number(number)
                .e_tag(part.e_tag().expect("etag"))
                .build(),
        );
    }
    let too_small = s3
        .complete_multipart_upload()
        .bucket("big")
        .key("small")
        .upload_id(&small_id)
        .multipart_upload(
            CompletedMultipartUpload::builder()
                .set_parts(Some(small_tags))
                .build(),
        )
        .send()
        .await
        .expect_err("too small");
    assert_eq!(code(&too_small), "EntityTooSmall");
    s3.abort_multipart_upload()
        .bucket("big")
        .key("small")
        .upload_id(&small_id)
        .send()
        .await
        .expect("abort");
    let after = s3
        .upload_part()
        .bucket("big")
        .key("small")
        .upload_id(&small_id)
        .part_number(3)
        .body(ByteStream::from_static(b"late"))
        .send()
        .await
        .expect_err("aborted");
    assert_eq!(code(&after), "NoSuchUpload");
}

const PUBLIC_READ: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::web-assets/*"}]}"#;

#[tokio::test]
async fn anonymous_reads_need_a_public_policy_that_block_public_access_allows() {
    let emulator = start();
    let s3 = s3(&root(&emulator));
    make_bucket(&s3, "web-assets").await;
    s3.put_object()
        .bucket("web-assets")
        .key("logo.svg")
        .content_type("image/svg+xml")
        .body(ByteStream::from_static(b"<svg/>"))
        .send()
        .await
        .expect("put");

    let (status, body) = anonymous_get(&emulator, "/web-assets/logo.svg");
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("<Code>AccessDenied</Code>"), "{body}");

    // New buckets block public policies.
    let blocked = s3
        .put_bucket_policy()
        .bucket("web-assets")
        .policy(PUBLIC_READ)
        .send()
        .await;
    let blocked = blocked.expect_err("blocked");
    assert_eq!(code(&blocked), "AccessDenied");
    assert!(format!("{blocked:?}").contains("BlockPublicPolicy"));
    let malformed = s3
        .put_bucket_policy()
        .bucket("web-assets")
        .policy("{not json")
        .send()
        .await;
    assert_eq!(code(&malformed.expect_err("malformed")), "MalformedPolicy");

    s3.put_public_access_block()
        .bucket("web-assets")
        .public_access_block_configuration(
            PublicAccessBlockConfiguration::builder()
                .block_public_acls(true)
                .ignore_public_acls(true)
                .block_public_policy(false)
                .restrict_public_buckets(true)
                .build(),
        )
        .send()
        .await
        .expect("PutPublicAccessBlock");
    s3.put_bucket_policy()
        .bucket("web-assets")
        .policy(PUBLIC_READ)
        .send()
        .await
        .expect("PutBucketPolicy");
    let stored = s3
        .get_bucket_policy()
        .bucket("web-assets")
        .send()
        .await
        .expect("get policy");
    assert_eq!(stored.policy(), Some(PUBLIC_READ));
    let status_now = s3
        .get_bucket_policy_status()
        .bucket("web-assets")
        .send()
        .await
        .expect("status");
    assert_eq!(
        status_now.policy_status().and_then(|s| s.is_public()),
        Some(true)
    );

    // RestrictPublicBuckets still keeps anonymous readers out.
    assert_eq!(anonymous_get(&emulator, "/web-assets/logo.svg").0, 403);

    s3.delete_public_access_block()
        .bucket("web-assets")
        .send()
        .await
        .expect("delete PAB");
    let missing = s3
        .get_public_access_block()
        .bucket("web-assets")
        .send()
        .await;
    assert_eq!(
        code(&missing.expect_err("none")),
        "NoSuchPublicAccessBlockConfiguration"
    );
    let (status, body) = anonymous_get(&emulator, "/web-assets/logo.svg");
    assert_eq!((status, body.as_str()), (200, "<svg/>"));
    // Virtual-hosted addressing reaches the same object.
    let host = format!("web-assets.s3.localhost:{}", emulator.addr.port());
    let (status, body) = anonymous_get_from(&emulator, &host, "/logo.svg");
    assert_eq!((status, body.as_str()), (200, "<svg/>"));
    // The policy grants GetObject, not listing.
    assert_eq!(anonymous_get(&emulator, "/web-assets").0, 403);

    s3.delete_bucket_policy()
        .bucket("web-assets")
        .send()
        .await
        .expect("delete policy");
    assert_eq!(anonymous_get(&emulator, "/web-assets/logo.svg").0, 403);
}

#[tokio::test]
async fn another_account_reads_only_what_the_policy_grants_it() {
    let emulator = start();
    let owner = s3(&root(&emulator));
    make_bucket(&owner, "shared-bucket").await;
    owner
        .put_object()
        .bucket("shared-bucket")
        .key("report.txt")
        .body(ByteStream::from_static(b"numbers"))
        .send()
        .await
        .expect("put");
    let other = emulator.world.add_account();
    let theirs = s3_for(&emulator, &other.access_key, &other.secret);
    let denied = theirs
        .get_object()
        .bucket("shared-bucket")
        .key("report.txt")
        .send()
        .await;
    assert_eq!(code(&denied.expect_err("denied")), "AccessDenied");

    let grant = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{}:root"}},"Action":"s3:GetObject","Resource":"arn:aws:s3:::shared-bucket/*"}}]}}"#,
        other.account
    );
    owner
        .put_bucket_policy()
        .bucket("shared-bucket")
        .policy(&grant)
        .send()
        .await
        .expect("a policy naming an account is not public");
    let got = theirs
        .get_object()
        .bucket("shared-bucket")
        .key("report.txt")
        .send()
        .await
        .expect("granted");
    assert_eq!(body(got).await, b"numbers");
    let write = theirs
        .put_object()
        .bucket("shared-bucket")
        .key("x")
        .body(ByteStream::from_static(b"x"))
        .send()
        .await;
    assert_eq!(code(&write.expect_err("read only")), "AccessDenied");
}

#[tokio::test]
async fn tags_on_buckets_and_objects() {
    let emulator = start();
    let s3 = s3(&root(&emulator));
    make_bucket(&s3, "tagged").await;
    let none = s3.get_bucket_tagging().bucket("tagged").send().await;
    assert_eq!(code(&none.expect_err("no tags")), "NoSuchTagSet");
    let tag = |k: &str, v: &str| Tag::builder().key(k).value(v).build().expect("tag");
    s3.put_bucket_tagging()
        .bucket("tagged")
        .tagging(
            Tagging::builder()
                .tag_set(tag("course", "cloudlings"))
                .build()
                .expect("tagging"),
        )
        .send()
        .await
        .expect("PutBucketTagging");
    let tags = s3
        .get_bucket_tagging()
        .bucket("tagged")
        .send()
        .await
        .expect("get");
    assert_eq!(tags.tag_set()[0].value(), "cloudlings");
    let twice = s3
        .put_bucket_tagging()
        .bucket("tagged")
        .tagging(
            Tagging::builder()
                .tag_set(tag("a", "1"))
                .tag_set(tag("a", "2"))
                .build()
                .expect("tagging"),
        )
        .send()
        .await;
    assert_eq!(code(&twice.expect_err("duplicate")), "InvalidTag");

    s3.put_object()
        .bucket("tagged")
        .key("k")
        .tagging("lesson=6&kind=image")
        .body(ByteStream::from_static(b"x"))
        .send()
        .await
        .expect("put with tags");
    let object_tags = s3
        .get_object_tagging()
        .bucket("tagged")
        .key("k")
        .send()
        .await
        .expect("tags");
    assert_eq!(object_tags.tag_set().len(), 2);
    s3.delete_object_tagging()
        .bucket("tagged")
        .key("k")
        .send()
        .await
        .expect("delete tags");
    let cleared = s3
        .get_object_tagging()
        .bucket("tagged")
        .key("k")
        .send()
        .await
        .expect("tags");
    assert!(cleared.tag_set().is_empty());
}

#[tokio::test]
async fn objects_survive_a_restart_and_temporary_credentials_need_their_token() {
    let dir = tempfile::tempdir().expect("dir");
    {
        let emulator = Emulator::start(0, Some(dir.path())).expect("start");
        let s3 = s3(&root(&emulator));
        make_bucket(&s3, "durable").await;
        s3.put_object()
            .bucket("durable")
            .key("notes.txt")
            .body(ByteStream::from_static(b"kept"))
            .send()
            .await
            .expect("put");
    }
    let emulator = Emulator::start(0, Some(dir.path())).expect("restart");
    let s3 = s3(&root(&emulator));
    let got = s3
        .get_object()
        .bucket("durable")
        .key("notes.txt")
        .send()
        .await
        .expect("after restart");
    assert_eq!(body(got).await, b"kept");

    let sts = aws_sdk_sts::Client::new(&root(&emulator));
    let session = sts
        .get_session_token()
        .send()
        .await
        .expect("GetSessionToken");
    let creds = session.credentials().expect("credentials");
    let temporary = |token: Option<&str>| {
        aws_config::SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .endpoint_url(emulator.endpoint())
            .region(aws_config::Region::new(SEOUL))
            .credentials_provider(
                aws_credential_types::provider::SharedCredentialsProvider::new(
                    aws_credential_types::Credentials::new(
                        creds.access_key_id(),
                        creds.secret_access_key(),
                        token.map(str::to_string),
                        None,
                        "test",
                    ),
                ),
            )
            .build()
    };
    let with_token = Client::new(&temporary(Some(creds.session_token())));
    with_token
        .head_object()
        .bucket("durable")
        .key("notes.txt")
        .send()
        .await
        .expect("with token");
    let without = Client::new(&temporary(None));
    let refused = without.list_objects_v2().bucket("durable").send().await;
    assert_eq!(code(&refused.expect_err("no token")), "InvalidToken");
}
