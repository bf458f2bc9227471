//! CloudFront's API through aws-sdk-rust: Origin Access Control, distributions deploying over
//! simulated time, ETag and If-Match, invalidations, and the errors AWS documents.

use aws_sdk_cloudfront::Client;
use aws_sdk_cloudfront::client::Waiters;
use aws_sdk_cloudfront::types::{
    DefaultCacheBehavior, DistributionConfig, InvalidationBatch, Origin, OriginAccessControlConfig,
    OriginAccessControlOriginTypes, OriginAccessControlSigningBehaviors,
    OriginAccessControlSigningProtocols, Origins, Paths, S3OriginConfig, ViewerProtocolPolicy,
};

use crate::emulator::{advance, code, root, start};

pub const CACHING_OPTIMIZED: &str = "658327ea-f89d-4fab-a63d-7e88639e58f6";

pub async fn access_control(cloudfront: &Client, name: &str) -> String {
    let created = cloudfront
        .create_origin_access_control()
        .origin_access_control_config(
            OriginAccessControlConfig::builder()
                .name(name)
                .signing_protocol(OriginAccessControlSigningProtocols::Sigv4)
                .signing_behavior(OriginAccessControlSigningBehaviors::Always)
                .origin_access_control_origin_type(OriginAccessControlOriginTypes::S3)
                .build()
                .expect("oac config"),
        )
        .send()
        .await
        .expect("CreateOriginAccessControl");
    created
        .origin_access_control()
        .expect("oac")
        .id()
        .to_string()
}

/// The console's S3 distribution: one S3 origin, optionally behind an OAC, CachingOptimized.
pub fn s3_config(reference: &str, bucket: &str, oac: Option<&str>) -> DistributionConfig {
    let mut origin = Origin::builder()
        .id("s3-origin")
        .domain_name(format!("{bucket}.s3.ap-northeast-2.amazonaws.com"))
        .s3_origin_config(S3OriginConfig::builder().origin_access_identity("").build());
    if let Some(oac) = oac {
        origin = origin.origin_access_control_id(oac);
    }
    DistributionConfig::builder()
        .caller_reference(reference)
        .comment("images")
        .enabled(true)
        .default_root_object("index.html")
        .origins(
            Origins::builder()
                .quantity(1)
                .items(origin.build().expect("origin"))
                .build()
                .expect("origins"),
        )
        .default_cache_behavior(
            DefaultCacheBehavior::builder()
                .target_origin_id("s3-origin")
                .viewer_protocol_policy(ViewerProtocolPolicy::RedirectToHttps)
                .cache_policy_id(CACHING_OPTIMIZED)
                .build()
                .expect("behavior"),
        )
        .build()
        .expect("config")
}

#[tokio::test]
async fn origin_access_controls_are_named_listed_and_guarded() {
    let emulator = start();
    let cloudfront = Client::new(&root(&emulator));
    let id = access_control(&cloudfront, "images-oac").await;
    let again = cloudfront
        .create_origin_access_control()
        .origin_access_control_config(
            OriginAccessControlConfig::builder()
                .name("images-oac")
                .signing_protocol(OriginAccessControlSigningProtocols::Sigv4)
                .signing_behavior(OriginAccessControlSigningBehaviors::Always)
                .origin_access_control_origin_type(OriginAccessControlOriginTypes::S3)
                .build()
                .expect("config"),
        )
        .send()
        .await
        .expect_err("same name");
    assert_eq!(code(&again), "OriginAccessControlAlreadyExists");

    let got = cloudfront
        .get_origin_access_control()
        .id(&id)
        .send()
        .await
        .expect("get");
    let etag = got.e_tag().expect("etag").to_string();
    let listed = cloudfront
        .list_origin_access_controls()
        .send()
        .await
        .expect("list");
    assert_eq!(
        listed.origin_access_control_list().map(|l| l.quantity()),
        Some(1)
    );

    // In use by a distribution: it cannot go.
    cloudfront
        .create_distribution()
        .distribution_config(s3_config("ref-oac", "photos", Some(&id)))
        .send()
        .await
        .expect("distribution");
    let in_use = cloudfront
        .delete_origin_access_control()
        .id(&id)
        .if_match(&etag)
        .send()
        .await
        .expect_err("in use");
    assert_eq!(code(&in_use), "OriginAccessControlInUse");
    let missing = cloudfront
        .get_origin_access_control()
        .id("ENOSUCHOAC1234")
        .send()
        .await;
    assert_eq!(
        code(&missing.expect_err("missing")),
        "NoSuchOriginAccessControl"
    );
}

#[tokio::test]
async fn a_distribution_deploys_updates_under_if_match_and_is_deleted_once_disabled() {
    let emulator = start();
    let cloudfront = Client::new(&root(&emulator));
    let oac = access_control(&cloudfront, "oac").await;
    let created = cloudfront
        .create_distribution()
        .distribution_config(s3_config("ref-1", "photos", Some(&oac)))
        .send()
        .await
        .expect("CreateDistribution");
    let distribution = created.distribution().expect("distribution");
    let id = distribution.id().to_string();
    let first_etag = created.e_tag().expect("etag").to_string();
    assert_eq!(distribution.status(), "InProgress");
    assert!(distribution.domain_name().ends_with(".cloudfront.net"));
    assert_eq!(
        distribution.domain_name().len(),
        "d111111abcdef8.cloudfront.net".len()
    );
    assert_eq!(
        distribution.arn(),
        format!(
            "arn:aws:cloudfront::{}:distribution/{id}",
            emulator.credentials.account
        )
    );
    let stored = distribution.distribution_config().expect("config");
    assert_eq!(
        stored.price_class().map(|p| p.as_str()),
        Some("PriceClass_All")
    );

    let duplicate = cloudfront
        .create_distribution()
        .distribution_config(s3_config("ref-1", "photos", Some(&oac)))
        .send()
        .await;
    assert_eq!(
        code(&duplicate.expect_err("same reference")),
        "DistributionAlreadyExists"
    );
    let no_origin = cloudfront
        .create_distribution()
        .distribution_config(s3_config("ref-2", "photos", Some("ENOSUCHOAC0000")))
        .send()
        .await;
    assert_eq!(
        code(&no_origin.expect_err("no oac")),
        "NoSuchOriginAccessControl"
    );

    // Deployed once simulated time has passed; the waiter sees it at its first look.
    advance(&emulator, 180);
    cloudfront
        .wait_until_distribution_deployed()
        .id(&id)
        .wait(std::time::Duration::from_secs(5))
        .await
        .expect("deployed");

    // Disable it: GetDistributionConfig, change, UpdateDistribution with If-Match.
    let current = cloudfront
        .get_distribution_config()
        .id(&id)
        .send()
        .await
        .expect("config");
    let etag = current.e_tag().expect("etag").to_string();
    assert_eq!(etag, first_etag);
    let mut config = current.distribution_config().expect("config").clone();
    config.enabled = false;
    let without = cloudfront
        .update_distribution()
        .id(&id)
        .distribution_config(config.clone())
        .send()
        .await;
    assert_eq!(
        code(&without.expect_err("no If-Match")),
        "InvalidIfMatchVersion"
    );
    let stale = cloudfront
        .update_distribution()
        .id(&id)
        .if_match("ESTALEETAG00000")
        .distribution_config(config.clone())
        .send()
        .await;
    assert_eq!(code(&stale.expect_err("stale")), "PreconditionFailed");
    let updated = cloudfront
        .update_distribution()
        .id(&id)
        .if_match(&etag)
        .distribution_config(config)
        .send()
        .await
        .expect("UpdateDistribution");
    let new_etag = updated.e_tag().expect("etag").to_string();
    assert_ne!(new_etag, etag);
    assert_eq!(
        updated.distribution().map(|d| d.status()),
        Some("InProgress")
    );

    let too_soon = cloudfront
        .delete_distribution()
        .id(&id)
        .if_match(&new_etag)
        .send()
        .await;
    assert_eq!(
        code(&too_soon.expect_err("still deploying")),
        "DistributionNotDisabled"
    );
    advance(&emulator, 180);
    let old_etag = cloudfront
        .delete_distribution()
        .id(&id)
        .if_match(&etag)
        .send()
        .await;
    assert_eq!(code(&old_etag.expect_err("old etag")), "PreconditionFailed");
    cloudfront
        .delete_distribution()
        .id(&id)
        .if_match(&new_etag)
        .send()
        .await
        .expect("DeleteDistribution");
    let gone = cloudfront.get_distribution().id(&id).send().await;
    assert_eq!(code(&gone.expect_err("gone")), "NoSuchDistribution");
    let listed = cloudfront.list_distributions().send().await.expect("list");
    assert_eq!(listed.distribution_list().map(|l| l.quantity()), Some(0));
}

#[tokio::test]
async fn enabled_distributions_cannot_be_deleted_and_invalidations_are_recorded() {
    let emulator = start();
    let cloudfront = Client::new(&root(&emulator));
    let created = cloudfront
        .create_distribution()
        .distribution_config(s3_config("ref-inv", "photos", None))
        .send()
        .await
        .expect("create");
    let id = created.distribution().expect("d").id().to_string();
    let etag = created.e_tag().expect("etag").to_string();
    advance(&emulator, 180);
    let enabled = cloudfront
        .delete_distribution()
        .id(&id)
        .if_match(&etag)
        .send()
        .await;
    assert_eq!(
        code(&enabled.expect_err("enabled")),
        "DistributionNotDisabled"
    );

    let tagged = cloudfront
        .create_distribution_with_tags()
        .distribution_config_with_tags(
            aws_sdk_cloudfront::types::DistributionConfigWithTags::builder()
                .distribution_config(s3_config("ref-tagged", "photos", None))
                .tags(
                    aws_sdk_cloudfront::types::Tags::builder()
                        .items(
                            aws_sdk_cloudfront::types::Tag::builder()
                                .key("course")
                                .value("cloudlings")
                                .build()
                                .expect("tag"),
                        )
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .expect("CreateDistributionWithTags");
    let tagged_id = tagged.distribution().expect("d").id().to_string();
    assert_ne!(tagged_id, id);

    let listed = cloudfront.list_distributions().send().await.expect("list");
    assert_eq!(listed.distribution_list().map(|l| l.quantity()), Some(2));
    let summary = listed
        .distribution_list()
        .expect("list")
        .items()
        .iter()
        .find(|summary| summary.id() == id)
        .expect("the first distribution");
    assert_eq!(
        (summary.id(), summary.status(), summary.enabled()),
        (id.as_str(), "Deployed", true)
    );

    let invalidation = cloudfront
        .create_invalidation()
        .distribution_id(&id)
        .invalidation_batch(
            InvalidationBatch::builder()
                .caller_reference("inv-1")
                .paths(
                    Paths::builder()
                        .quantity(1)
                        .items("/images/*")
                        .build()
                        .expect("paths"),
                )
                .build()
                .expect("batch"),
        )
        .send()
        .await
        .expect("CreateInvalidation");
    let invalidation_id = invalidation.invalidation().expect("inv").id().to_string();
    assert_eq!(
        invalidation.invalidation().map(|i| i.status()),
        Some("InProgress")
    );
    advance(&emulator, 60);
    let got = cloudfront
        .get_invalidation()
        .distribution_id(&id)
        .id(&invalidation_id)
        .send()
        .await
        .expect("GetInvalidation");
    assert_eq!(got.invalidation().map(|i| i.status()), Some("Completed"));
    let all = cloudfront
        .list_invalidations()
        .distribution_id(&id)
        .send()
        .await
        .expect("list");
    assert_eq!(all.invalidation_list().map(|l| l.quantity()), Some(1));
    let bad = cloudfront
        .create_invalidation()
        .distribution_id(&id)
        .invalidation_batch(
            InvalidationBatch::builder()
                .caller_reference("inv-2")
                .paths(
                    Paths::builder()
                        .quantity(1)
                        .items("no-slash")
                        .build()
                        .expect("paths"),
                )
                .build()
                .expect("batch"),
        )
        .send()
        .await;
    assert_eq!(code(&bad.expect_err("bad path")), "InvalidArgument");
}
