//! A classroom's quotas per learner (`serve --quota`): each refused as AWS refuses going past
//! one, through the SDKs and the real aws CLI, while the installation's own account keeps
//! AWS's.

use aws_config::retry::RetryConfig;
use aws_sdk_s3::primitives::ByteStream;
use cloudlings_emulator::Emulator;
use cloudlings_emulator::quotas::Quotas;

use crate::aws_cli::Aws;
use crate::emulator::{code, config, root};
use crate::s3::make_bucket;

async fn launch(ec2: &aws_sdk_ec2::Client) -> Result<(), String> {
    ec2.run_instances()
        .image_id(crate::free_plans::ubuntu(ec2).await)
        .instance_type(aws_sdk_ec2::types::InstanceType::T3Micro)
        .min_count(1)
        .max_count(1)
        .send()
        .await
        .map(|_| ())
        .map_err(|error| code(&error))
}

async fn put(s3: &aws_sdk_s3::Client, key: &str, size: usize) -> Result<(), String> {
    s3.put_object()
        .bucket("learner-bucket")
        .key(key)
        .body(ByteStream::from(vec![b'x'; size]))
        .send()
        .await
        .map(|_| ())
        .map_err(|error| {
            let message = error
                .as_service_error()
                .and_then(aws_sdk_s3::error::ProvideErrorMetadata::message)
                .unwrap_or_default()
                .to_string();
            format!("{}: {message}", code(&error))
        })
}

#[tokio::test]
async fn a_learner_s_instances_buckets_and_storage_stop_at_the_class_s_quotas() {
    let emulator = Emulator::start(0, None).expect("emulator");
    emulator
        .world
        .set_quotas(Quotas::parse("instances=2,buckets=1,storage=1KiB").expect("quotas"));
    let keys = emulator.world.add_account();
    let learner = config(&emulator, &keys.access_key, &keys.secret);
    let ec2 = aws_sdk_ec2::Client::new(&learner);
    assert_eq!(launch(&ec2).await, Ok(()));
    assert_eq!(launch(&ec2).await, Ok(()));
    assert_eq!(launch(&ec2).await, Err("InstanceLimitExceeded".to_string()));

    let s3 = aws_sdk_s3::Client::new(&learner);
    make_bucket(&s3, "learner-bucket").await;
    let second = crate::s3::create_in_seoul(&s3, "learner-bucket-2")
        .await
        .map_err(|error| code(&error));
    assert_eq!(second.err().as_deref(), Some("TooManyBuckets"));

    assert_eq!(put(&s3, "a.jpg", 600).await, Ok(()));
    let refused = put(&s3, "b.jpg", 600).await.expect_err("over the quota");
    assert_eq!(
        refused,
        "QuotaExceeded: This account may store 1 KiB in all; 424 B is left, and this object is 600 B. Delete objects to make room."
    );
    assert_eq!(
        put(&s3, "a.jpg", 900).await,
        Ok(()),
        "a replaced object's room is its own"
    );
    s3.delete_object()
        .bucket("learner-bucket")
        .key("a.jpg")
        .send()
        .await
        .expect("delete");
    assert_eq!(
        put(&s3, "b.jpg", 1000).await,
        Ok(()),
        "a deleted object's room is free"
    );

    // The real CLI reads each refusal as AWS's.
    let dir = tempfile::tempdir().expect("dir");
    let aws = Aws::new(&emulator, dir.path()).with_keys(&keys);
    let image = crate::free_plans::ubuntu(&ec2).await;
    let (status, said) = aws.failure(&[
        "ec2",
        "run-instances",
        "--image-id",
        &image,
        "--instance-type",
        "t3.micro",
    ]);
    assert_eq!(status, Some(255), "{said}");
    assert!(
        said.contains("An error occurred (InstanceLimitExceeded) when calling the RunInstances operation: You have requested more instances (3) than your current instance limit of 2"),
        "{said}"
    );

    // The teacher's account keeps AWS's quotas.
    let teacher = root(&emulator);
    let ec2 = aws_sdk_ec2::Client::new(&teacher);
    for _ in 0..3 {
        assert_eq!(launch(&ec2).await, Ok(()));
    }
    let s3 = aws_sdk_s3::Client::new(&teacher);
    make_bucket(&s3, "teacher-1").await;
    make_bucket(&s3, "teacher-2").await;
}

#[tokio::test]
async fn a_learner_over_the_rate_is_throttled_and_the_sdk_s_retries_get_through() {
    let emulator = Emulator::start(0, None).expect("emulator");
    emulator
        .world
        .set_quotas(Quotas::parse("rate=5").expect("quotas"));
    let keys = emulator.world.add_account();
    let learner = config(&emulator, &keys.access_key, &keys.secret);
    let impatient = learner
        .to_builder()
        .retry_config(RetryConfig::disabled())
        .build();
    let ec2 = aws_sdk_ec2::Client::new(&impatient);
    let mut codes = Vec::new();
    for _ in 0..12 {
        codes.push(match ec2.describe_instances().send().await {
            Ok(_) => "ok".to_string(),
            Err(error) => code(&error),
        });
    }
    let admitted = codes.iter().filter(|code| *code == "ok").count();
    assert!((5..=6).contains(&admitted), "{codes:?}");
    assert!(
        codes
            .iter()
            .all(|code| code == "ok" || code == "RequestLimitExceeded"),
        "{codes:?}"
    );
    let s3 = aws_sdk_s3::Client::new(&impatient);
    let mut slowed = false;
    for _ in 0..12 {
        if let Err(error) = s3.list_buckets().send().await {
            assert_eq!(code(&error), "SlowDown");
            slowed = true;
        }
    }
    assert!(slowed, "S3 says SlowDown");
    let iam = aws_sdk_iam::Client::new(&impatient);
    let mut throttled = false;
    for _ in 0..12 {
        if let Err(error) = iam.list_users().send().await {
            assert_eq!(code(&error), "Throttling");
            throttled = true;
        }
    }
    assert!(throttled, "IAM says Throttling");

    // With the SDK's own retries (its default), a burst gets through, only slower.
    let patient = aws_sdk_ec2::Client::new(&learner);
    for _ in 0..8 {
        patient
            .describe_instances()
            .send()
            .await
            .expect("retried through");
    }
    // The installation's own account is never throttled.
    let teacher = aws_sdk_ec2::Client::new(
        &root(&emulator)
            .to_builder()
            .retry_config(RetryConfig::disabled())
            .build(),
    );
    for _ in 0..30 {
        teacher
            .describe_instances()
            .send()
            .await
            .expect("the teacher's call");
    }
}

#[test]
fn a_quota_that_cannot_be_read_is_refused_with_what_is_wrong() {
    let out = std::process::Command::new(crate::BIN)
        .args(["serve", "--quota", "instances=3,disks=2"])
        .output()
        .expect("serve");
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("`disks` is not a quota: instances, buckets, storage or rate"),
        "{said}"
    );
}
