//! Each account's own simulated time: in a classroom, one learner skipping the hours of a
//! step moves nobody else's instances, distributions, objects or bill.

use aws_sdk_ec2::types::InstanceType;
use aws_sdk_s3::primitives::ByteStream;
use cloudlings_emulator::{Emulator, billing};

use crate::emulator::{config, root};
use crate::s3::make_bucket;

/// A t3.medium running Ubuntu, launched with `config`'s keys; its id.
pub async fn launch(config: &aws_config::SdkConfig) -> String {
    let ec2 = aws_sdk_ec2::Client::new(config);
    let launched = ec2
        .run_instances()
        .image_id(crate::free_plans::ubuntu(&ec2).await)
        .instance_type(InstanceType::T3Medium)
        .min_count(1)
        .max_count(1)
        .send()
        .await
        .expect("run");
    launched.instances()[0]
        .instance_id()
        .expect("id")
        .to_string()
}

/// An instance, a bucket with an object and a distribution in front of it, made with
/// `config`'s keys; the distribution's id.
async fn build(config: &aws_config::SdkConfig, bucket: &str) -> String {
    launch(config).await;
    let s3 = aws_sdk_s3::Client::new(config);
    make_bucket(&s3, bucket).await;
    s3.put_object()
        .bucket(bucket)
        .key("cat.jpg")
        .body(ByteStream::from_static(b"meow"))
        .send()
        .await
        .expect("PutObject");
    aws_sdk_cloudfront::Client::new(config)
        .create_distribution()
        .distribution_config(crate::cloudfront::s3_config(bucket, bucket, None))
        .send()
        .await
        .expect("CreateDistribution")
        .distribution()
        .expect("distribution")
        .id()
        .to_string()
}

async fn status(config: &aws_config::SdkConfig, id: &str) -> String {
    aws_sdk_cloudfront::Client::new(config)
        .get_distribution()
        .id(id)
        .send()
        .await
        .expect("GetDistribution")
        .distribution()
        .expect("distribution")
        .status()
        .to_string()
}

async fn modified(config: &aws_config::SdkConfig, bucket: &str) -> i64 {
    aws_sdk_s3::Client::new(config)
        .head_object()
        .bucket(bucket)
        .key("cat.jpg")
        .send()
        .await
        .expect("HeadObject")
        .last_modified()
        .expect("Last-Modified")
        .secs()
}

/// The hours of instance use on an account's bill.
fn instance_hours(emulator: &Emulator, account: &str) -> f64 {
    let world = &emulator.world;
    let now = world.now_for(account);
    let bill = billing::bill(&world.account(account).expect("account").lock(), now);
    bill.lines
        .iter()
        .filter(|line| matches!(line.usage, billing::Usage::Instance { .. }))
        .map(|line| line.quantity)
        .sum()
}

#[tokio::test]
async fn a_learner_who_moves_their_clock_moves_nobody_elses_cloud() {
    let emulator = Emulator::start(0, None).expect("emulator");
    let teacher = root(&emulator);
    let keys = emulator.world.add_account();
    let learner = config(&emulator, &keys.access_key, &keys.secret);
    let teachers = build(&teacher, "teacher-site").await;
    let learners = build(&learner, "learner-site").await;
    let own = emulator.world.root_credentials().expect("root").account;

    emulator
        .world
        .advance_account_clock(&keys.account, time::Duration::hours(2))
        .expect("save");

    assert_eq!(status(&learner, &learners).await, "Deployed");
    assert_eq!(status(&teacher, &teachers).await, "InProgress");
    let learner_hours = instance_hours(&emulator, &keys.account);
    assert!((1.99..2.01).contains(&learner_hours), "{learner_hours}");
    assert!(instance_hours(&emulator, &own) < 0.01);

    // What the learner writes now is dated in their time, two hours past the teacher's.
    let s3 = aws_sdk_s3::Client::new(&learner);
    s3.put_object()
        .bucket("learner-site")
        .key("cat.jpg")
        .body(ByteStream::from_static(b"purr"))
        .send()
        .await
        .expect("PutObject");
    let ahead = modified(&learner, "learner-site").await - modified(&teacher, "teacher-site").await;
    assert!((7190..7300).contains(&ahead), "{ahead}");

    // Moving the whole room moves both, and keeps the learner's lead.
    emulator
        .world
        .advance_clock(time::Duration::minutes(30))
        .expect("save");
    assert_eq!(status(&teacher, &teachers).await, "Deployed");
    let lead = emulator.world.now_for(&keys.account) - emulator.world.now_for(&own);
    assert!((lead - time::Duration::hours(2)).abs() < time::Duration::seconds(2));
}
