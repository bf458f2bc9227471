//! CreateBucket, DeleteBucket, HeadBucket, ListBuckets, GetBucketLocation.

use s3s::dto::*;
use s3s::{S3Request, S3Response, S3Result, s3_error};

use super::super::access::{access_denied, authorize};
use super::super::bucket::Bucket;
use super::{Api, bucket, ok, requester};
use crate::store::Part;
use cloudlings_core::catalog;

/// The region whose endpoint takes no location constraint.
const US_EAST_1: &str = "us-east-1";

pub fn create(
    api: &Api,
    req: S3Request<CreateBucketInput>,
) -> S3Result<S3Response<CreateBucketOutput>> {
    let who = requester(&req);
    let account = who.account().ok_or_else(access_denied)?.to_string();
    let signed_region = req
        .region
        .as_ref()
        .map_or(US_EAST_1, |region| region.as_str())
        .to_string();
    let constraint = req
        .input
        .create_bucket_configuration
        .as_ref()
        .and_then(|configuration| configuration.location_constraint.as_ref())
        .map(|constraint| constraint.as_str().to_string());
    let region = bucket_region(&signed_region, constraint.as_deref())?;
    let name = req.input.bucket;

    let mut state = api.world.lock();
    if let Some(existing) = state.s3.buckets.get(&name) {
        if existing.owner != account {
            return Err(s3_error!(
                BucketAlreadyExists,
                "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again."
            ));
        }
        // us-east-1 answers a repeated create with success, a legacy AWS keeps.
        if existing.region == US_EAST_1 && region == US_EAST_1 {
            return ok(CreateBucketOutput {
                location: Some(format!("/{name}")),
            });
        }
        return Err(s3_error!(
            BucketAlreadyOwnedByYou,
            "Your previous request to create the named bucket succeeded and you already own it."
        ));
    }
    let quota = api.world.quotas_for(&account).buckets;
    let owned = state
        .s3
        .buckets
        .values()
        .filter(|bucket| bucket.owner == account)
        .count();
    if owned >= quota {
        return Err(s3_error!(
            TooManyBuckets,
            "You have attempted to create more buckets than allowed ({quota} for this account)."
        ));
    }
    let created = state.clock.now_for(&account);
    state
        .s3
        .buckets
        .insert(name.clone(), Bucket::new(&name, &account, &region, created));
    api.save(&state, &[Part::Bucket(&name)]);
    let location = if region == US_EAST_1 {
        format!("/{name}")
    } else {
        format!("http://{name}.s3.amazonaws.com/")
    };
    ok(CreateBucketOutput {
        location: Some(location),
    })
}

/// The bucket's region from the endpoint's and the constraint, with S3's rules: us-east-1
/// takes no constraint, every other region needs its own.
fn bucket_region(signed: &str, constraint: Option<&str>) -> S3Result<String> {
    match constraint {
        None | Some("") if signed == US_EAST_1 => Ok(US_EAST_1.to_string()),
        None | Some("") => Err(s3_error!(
            IllegalLocationConstraintException,
            "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to."
        )),
        Some(US_EAST_1) => Err(s3_error!(
            InvalidLocationConstraint,
            "The specified location-constraint is not valid"
        )),
        Some(constraint) if catalog::region(constraint).is_none() => Err(s3_error!(
            InvalidLocationConstraint,
            "The specified location-constraint is not valid"
        )),
        Some(constraint) if constraint != signed => Err(s3_error!(
            IllegalLocationConstraintException,
            "The {constraint} location constraint is incompatible for the region specific endpoint this request was sent to."
        )),
        Some(constraint) => Ok(constraint.to_string()),
    }
}

pub fn delete(
    api: &Api,
    req: S3Request<DeleteBucketInput>,
) -> S3Result<S3Response<DeleteBucketOutput>> {
    let who = requester(&req);
    let mut state = api.world.lock();
    let found = bucket(&state, &req.input.bucket)?;
    authorize(found, &who, "s3:DeleteBucket", None)?;
    if !found.objects.is_empty() {
        return Err(s3_error!(
            BucketNotEmpty,
            "The bucket you tried to delete is not empty"
        ));
    }
    let removed = state.s3.buckets.remove(&req.input.bucket);
    api.save(&state, &[Part::Bucket(&req.input.bucket)]);
    drop(state);
    // Uploads never completed die with their bucket.
    for upload in removed.iter().flat_map(|bucket| bucket.uploads.values()) {
        for part in upload.parts.values() {
            api.blobs.remove(&part.blob);
        }
    }
    ok(DeleteBucketOutput::default())
}

pub fn head(api: &Api, req: S3Request<HeadBucketInput>) -> S3Result<S3Response<HeadBucketOutput>> {
    let who = requester(&req);
    let state = api.world.lock();
    let found = bucket(&state, &req.input.bucket)?;
    authorize(found, &who, "s3:ListBucket", None)?;
    ok(HeadBucketOutput {
        bucket_region: Some(found.region.clone()),
        ..Default::default()
    })
}

pub fn list(
    api: &Api,
    req: S3Request<ListBucketsInput>,
) -> S3Result<S3Response<ListBucketsOutput>> {
    let who = requester(&req);
    let account = who.account().ok_or_else(access_denied)?;
    let state = api.world.lock();
    let prefix = req.input.prefix.as_deref().unwrap_or_default();
    let buckets = state
        .s3
        .buckets
        .values()
        .filter(|bucket| bucket.owner == account && bucket.name.starts_with(prefix))
        .filter(|bucket| {
            req.input
                .bucket_region
                .as_deref()
                .is_none_or(|region| region == bucket.region)
        })
        .map(|bucket| s3s::dto::Bucket {
            name: Some(bucket.name.clone()),
            creation_date: Some(Timestamp::from(bucket.created)),
            bucket_region: Some(bucket.region.clone()),
        })
        .collect();
    ok(ListBucketsOutput {
        buckets: Some(buckets),
        owner: Some(owner(account)),
        prefix: req.input.prefix.clone(),
        ..Default::default()
    })
}

pub fn location(
    api: &Api,
    req: S3Request<GetBucketLocationInput>,
) -> S3Result<S3Response<GetBucketLocationOutput>> {
    let who = requester(&req);
    let state = api.world.lock();
    let found = bucket(&state, &req.input.bucket)?;
    authorize(found, &who, "s3:GetBucketLocation", None)?;
    // us-east-1 is the one region S3 reports as no constraint at all.
    let constraint =
        (found.region != US_EAST_1).then(|| BucketLocationConstraint::from(found.region.clone()));
    ok(GetBucketLocationOutput {
        location_constraint: constraint,
    })
}

/// An account's canonical user id: 64 hex characters, stable for the account.
pub fn owner(account: &str) -> Owner {
    use sha2::Digest;
    let id = hex::encode(sha2::Sha256::digest(format!(
        "cloudlings-canonical-{account}"
    )));
    Owner {
        display_name: None,
        id: Some(id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_constraints_follow_s3s_rules() {
        assert_eq!(
            bucket_region("us-east-1", None).expect("default"),
            "us-east-1"
        );
        assert_eq!(
            bucket_region("ap-northeast-2", Some("ap-northeast-2")).expect("seoul"),
            "ap-northeast-2"
        );
        for (signed, constraint) in [
            ("ap-northeast-2", None),
            ("us-east-1", Some("us-east-1")),
            ("us-east-1", Some("ap-northeast-2")),
            ("ap-northeast-2", Some("mars-north-1")),
        ] {
            assert!(
                bucket_region(signed, constraint).is_err(),
                "{signed} {constraint:?}"
            );
        }
    }
}
