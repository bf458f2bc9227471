//! Bucket settings: the policy, Block Public Access, and tags on buckets and objects.

use s3s::dto::*;
use s3s::{S3Request, S3Response, S3Result, s3_error};

use super::super::access::{authorize, custom};
use super::super::bucket::PublicAccessBlock;
use super::super::policy::Policy;
use super::{Api, bucket, bucket_mut, no_such_key, ok, requester};
use crate::store::Part;

const MAX_BUCKET_TAGS: usize = 50;
const MAX_OBJECT_TAGS: usize = 10;

pub fn put_policy(
    api: &Api,
    req: S3Request<PutBucketPolicyInput>,
) -> S3Result<S3Response<PutBucketPolicyOutput>> {
    let who = requester(&req);
    let mut state = api.world.lock();
    let target = bucket_mut(&mut state, &req.input.bucket)?;
    authorize(target, &who, "s3:PutBucketPolicy", None)?;
    let policy = Policy::parse(&req.input.policy, &target.name)
        .map_err(|error| s3_error!(MalformedPolicy, "{}", error.message))?;
    if policy.is_public() && target.blocks().block_public_policy {
        return Err(custom(
            "AccessDenied",
            403,
            format!(
                "User: {} is not authorized to perform: s3:PutBucketPolicy on resource: \"{}\" because public policies are blocked by the BlockPublicPolicy block public access setting.",
                who.arn(),
                target.arn(None)
            ),
        ));
    }
    target.set_policy(Some(policy));
    api.save(&state, &[Part::Bucket(&req.input.bucket)]);
    ok(PutBucketPolicyOutput::default())
}

pub fn get_policy(
    api: &Api,
    req: S3Request<GetBucketPolicyInput>,
) -> S3Result<S3Response<GetBucketPolicyOutput>> {
    let who = requester(&req);
    let state = api.world.lock();
    let found = bucket(&state, &req.input.bucket)?;
    authorize(found, &who, "s3:GetBucketPolicy", None)?;
    let policy = found.policy_text().ok_or_else(no_such_policy)?.to_string();
    ok(GetBucketPolicyOutput {
        policy: Some(policy),
    })
}

pub fn delete_policy(
    api: &Api,
    req: S3Request<DeleteBucketPolicyInput>,
) -> S3Result<S3Response<DeleteBucketPolicyOutput>> {
    let who = requester(&req);
    let mut state = api.world.lock();
    let target = bucket_mut(&mut state, &req.input.bucket)?;
    authorize(target, &who, "s3:DeleteBucketPolicy", None)?;
    if target.set_policy(None) {
        api.save(&state, &[Part::Bucket(&req.input.bucket)]);
    }
    ok(DeleteBucketPolicyOutput::default())
}

pub fn policy_status(
    api: &Api,
    req: S3Request<GetBucketPolicyStatusInput>,
) -> S3Result<S3Response<GetBucketPolicyStatusOutput>> {
    let who = requester(&req);
    let state = api.world.lock();
    let found = bucket(&state, &req.input.bucket)?;
    authorize(found, &who, "s3:GetBucketPolicyStatus", None)?;
    found.policy_text().ok_or_else(no_such_policy)?;
    let public = found.policy().is_some_and(Policy::is_public);
    ok(GetBucketPolicyStatusOutput {
        policy_status: Some(PolicyStatus {
            is_public: Some(public),
        }),
    })
}

fn no_such_policy() -> s3s::S3Error {
    s3_error!(NoSuchBucketPolicy, "The bucket policy does not exist")
}

pub fn put_public_access_block(
    api: &Api,
    req: S3Request<PutPublicAccessBlockInput>,
) -> S3Result<S3Response<PutPublicAccessBlockOutput>> {
    let who = requester(&req);
    let mut state = api.world.lock();
    let target = bucket_mut(&mut state, &req.input.bucket)?;
    authorize(target, &who, "s3:PutBucketPublicAccessBlock", None)?;
    let given = req.input.public_access_block_configuration;
    target.public_access_block = Some(PublicAccessBlock {
        block_public_acls: given.block_public_acls.unwrap_or(false),
        ignore_public_acls: given.ignore_public_acls.unwrap_or(false),
        block_public_policy: given.block_public_policy.unwrap_or(false),
        restrict_public_buckets: given.restrict_public_buckets.unwrap_or(false),
    });
    api.save(&state, &[Part::Bucket(&req.input.bucket)]);
    ok(PutPublicAccessBlockOutput::default())
}

pub fn get_public_access_block(
    api: &Api,
    req: S3Request<GetPublicAccessBlockInput>,
) -> S3Result<S3Response<GetPublicAccessBlockOutput>> {
    let who = requester(&req);
    let state = api.world.lock();
    let found = bucket(&state, &req.input.bucket)?;
    authorize(found, &who, "s3:GetBucketPublicAccessBlock", None)?;
    let blocks = found.public_access_block.ok_or_else(|| {
        custom(
            "NoSuchPublicAccessBlockConfiguration",
            404,
            "The public access block configuration was not found",
        )
    })?;
    ok(GetPublicAccessBlockOutput {
        public_access_block_configuration: Some(PublicAccessBlockConfiguration {
            block_public_acls: Some(blocks.block_public_acls),
            ignore_public_acls: Some(blocks.ignore_public_acls),
            block_public_policy: Some(blocks.block_public_policy),
            restrict_public_buckets: Some(blocks.restrict_public_buckets),
        }),
    })
}

pub fn delete_public_access_block(
    api: &Api,
    req: S3Request<DeletePublicAccessBlockInput>,
) -> S3Result<S3Response<DeletePublicAccessBlockOutput>> {
    let who = requester(&req);
    let mut state = api.world.lock();
    let target = bucket_mut(&mut state, &req.input.bucket)?;
    authorize(target, &who, "s3:PutBucketPublicAccessBlock", None)?;
    target.public_access_block = None;
    api.save(&state, &[Part::Bucket(&req.input.bucket)]);
    ok(DeletePublicAccessBlockOutput::default())
}

pub fn put_bucket_tagging(
    api: &Api,
    req: S3Request<PutBucketTaggingInput>,
) -> S3Result<S3Response<PutBucketTaggingOutput>> {
    let who = requester(&req);
    let tags = tag_pairs(req.input.tagging.tag_set);
    validate_tags(&tags, MAX_BUCKET_TAGS)?;
    let mut state = api.world.lock();
    let target = bucket_mut(&mut state, &req.input.bucket)?;
    authorize(target, &who, "s3:PutBucketTagging", None)?;
    target.tags = tags;
    api.save(&state, &[Part::Bucket(&req.input.bucket)]);
    ok(PutBucketTaggingOutput::default())
}

pub fn get_bucket_tagging(
    api: &Api,
    req: S3Request<GetBucketTaggingInput>,
) -> S3Result<S3Response<GetBucketTaggingOutput>> {
    let who = requester(&req);
    let state = api.world.lock();
    let found = bucket(&state, &req.input.bucket)?;
    authorize(found, &who, "s3:GetBucketTagging", None)?;
    if found.tags.is_empty() {
        return Err(s3_error!(NoSuchTagSet, "The TagSet does not exist"));
    }
    ok(GetBucketTaggingOutput {
        tag_set: tag_set(&found.tags),
    })
}

pub fn delete_bucket_tagging(
    api: &Api,
    req: S3Request<DeleteBucketTaggingInput>,
) -> S3Result<S3Response<DeleteBucketTaggingOutput>> {
    let who = requester(&req);
    let mut state = api.world.lock();
    let target = bucket_mut(&mut state, &req.input.bucket)?;
    authorize(target, &who, "s3:PutBucketTagging", None)?;
    target.tags.clear();
    api.save(&state, &[Part::Bucket(&req.input.bucket)]);
    ok(DeleteBucketTaggingOutput::default())
}

pub fn put_object_tagging(
    api: &Api,
    req: S3Request<PutObjectTaggingInput>,
) -> S3Result<S3Response<PutObjectTaggingOutput>> {
    let who = requester(&req);
    let tags = tag_pairs(req.input.tagging.tag_set);
    validate_tags(&tags, MAX_OBJECT_TAGS)?;
    let mut state = api.world.lock();
    let target = bucket_mut(&mut state, &req.input.bucket)?;
    authorize(target, &who, "s3:PutObjectTagging", Some(&req.input.key))?;
    target
        .objects
        .get_mut(&req.input.key)
        .ok_or_else(no_such_key)?
        .tags = tags;
    api.save_object(&state, &req.input.bucket, &req.input.key);
    ok(PutObjectTaggingOutput::default())
}

pub fn get_object_tagging(
    api: &Api,
    req: S3Request<GetObjectTaggingInput>,
) -> S3Result<S3Response<GetObjectTaggingOutput>> {
    let who = requester(&req);
    let state = api.world.lock();
    let found = bucket(&state, &req.input.bucket)?;
    authorize(found, &who, "s3:GetObjectTagging", Some(&req.input.key))?;
    let object = found.objects.get(&req.input.key).ok_or_else(no_such_key)?;
    ok(GetObjectTaggingOutput {
        tag_set: tag_set(&object.tags),
        version_id: None,
    })
}

pub fn delete_object_tagging(
    api: &Api,
    req: S3Request<DeleteObjectTaggingInput>,
) -> S3Result<S3Response<DeleteObjectTaggingOutput>> {
    let who = requester(&req);
    let mut state = api.world.lock();
    let target = bucket_mut(&mut state, &req.input.bucket)?;
    authorize(target, &who, "s3:DeleteObjectTagging", Some(&req.input.key))?;
    target
        .objects
        .get_mut(&req.input.key)
        .ok_or_else(no_such_key)?
        .tags
        .clear();
    api.save_object(&state, &req.input.bucket, &req.input.key);
    ok(DeleteObjectTaggingOutput::default())
}

fn tag_pairs(set: TagSet) -> Vec<(String, String)> {
    set.into_iter()
        .map(|tag| (tag.key.unwrap_or_default(), tag.value.unwrap_or_default()))
        .collect()
}

fn tag_set(tags: &[(String, String)]) -> TagSet {
    tags.iter()
        .map(|(key, value)| Tag {
            key: Some(key.clone()),
            value: Some(value.clone()),
        })
        .collect()
}

/// S3's tag rules: a bounded count, unique keys, keys up to 128 and values up to 256 characters.
pub fn validate_tags(tags: &[(String, String)], max: usize) -> S3Result<()> {
    if tags.len() > max {
        return Err(if max == MAX_OBJECT_TAGS {
            custom("BadRequest", 400, "Object tags cannot be greater than 10")
        } else {
            s3_error!(InvalidTag, "Bucket tag count cannot be greater than 50")
        });
    }
    let mut keys: Vec<&str> = tags.iter().map(|(key, _)| key.as_str()).collect();
    keys.sort_unstable();
    if keys.windows(2).any(|pair| pair[0] == pair[1]) {
        return Err(s3_error!(
            InvalidTag,
            "Cannot provide multiple Tags with the same key"
        ));
    }
    for (key, value) in tags {
        if key.is_empty() || key.chars().count() > 128 {
            return Err(s3_error!(
                InvalidTag,
                "The TagKey you have provided is invalid"
            ));
        }
        if value.chars().count() > 256 {
            return Err(s3_error!(
                InvalidTag,
                "The TagValue you have provided is invalid"
            ));
        }
    }
    Ok(())
}
