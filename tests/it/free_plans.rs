//! The two free offers, enforced: the Free plan (accounts made since 15 July 2025) launches only
//! the types it covers and says which they are; the legacy free tier covers t2.micro/t3.micro;
//! a classroom sets each account's plan. Root volumes: shown, kept when asked, billed.

use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::{
    BlockDeviceMapping, EbsBlockDevice, Filter, InstanceStateName, InstanceType,
};
use cloudlings_emulator::Emulator;
use cloudlings_emulator::state::FreePlan;
use http::{Method, Uri};

use crate::aws_cli::Aws;
use crate::emulator::{advance, code, root, start};

fn set_plan(emulator: &Emulator, plan: FreePlan) {
    let account = emulator.credentials.account.clone();
    emulator
        .world
        .account(&account)
        .expect("account")
        .lock()
        .free_plan = plan;
}

/// The id of an Ubuntu image the caller may launch.
pub async fn ubuntu(ec2: &Client) -> String {
    let images = ec2
        .describe_images()
        .filters(Filter::builder().name("name").values("ubuntu/*").build())
        .send()
        .await
        .expect("images");
    images.images()[0].image_id().expect("id").to_string()
}

/// The types `free-tier-eligible=true` lists for the caller, sorted.
pub async fn free_types(ec2: &Client) -> Vec<String> {
    let free = ec2
        .describe_instance_types()
        .filters(
            Filter::builder()
                .name("free-tier-eligible")
                .values("true")
                .build(),
        )
        .send()
        .await
        .expect("DescribeInstanceTypes");
    let mut names: Vec<String> = free
        .instance_types()
        .iter()
        .filter_map(|t| t.instance_type().map(|t| t.as_str().to_string()))
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn each_plan_lists_its_own_free_types() {
    let emulator = start();
    let ec2 = Client::new(&root(&emulator));
    assert_eq!(free_types(&ec2).await, ["t2.micro", "t3.micro"]);
    set_plan(&emulator, FreePlan::Credits);
    assert_eq!(
        free_types(&ec2).await,
        ["t3.micro", "t3.small", "t4g.micro", "t4g.small"]
    );
    let t2 = ec2
        .describe_instance_types()
        .instance_types(InstanceType::T2Micro)
        .send()
        .await
        .expect("t2.micro");
    assert_eq!(t2.instance_types()[0].free_tier_eligible(), Some(false));
    set_plan(&emulator, FreePlan::None);
    assert_eq!(free_types(&ec2).await, Vec::<String>::new());
}

#[tokio::test]
async fn the_free_plan_refuses_a_t2_micro_as_aws_does_and_launches_a_t3_micro() {
    let emulator = start();
    set_plan(&emulator, FreePlan::Credits);
    let ec2 = Client::new(&root(&emulator));
    let image = ubuntu(&ec2).await;
    for refused in [InstanceType::T2Micro, InstanceType::T3Medium] {
        let error = ec2
            .run_instances()
            .image_id(&image)
            .instance_type(refused.clone())
            .min_count(1)
            .max_count(1)
            .send()
            .await
            .expect_err("not eligible");
        assert_eq!(code(&error), "InvalidParameterCombination", "{refused:?}");
    }
    let launched = ec2
        .run_instances()
        .image_id(&image)
        .instance_type(InstanceType::T3Micro)
        .min_count(1)
        .max_count(1)
        .send()
        .await
        .expect("t3.micro is free on the plan");
    assert_eq!(launched.instances().len(), 1);

    // A Graviton type is on the plan, but needs an arm64 image.
    let error = ec2
        .run_instances()
        .image_id(&image)
        .instance_type(InstanceType::T4gMicro)
        .min_count(1)
        .max_count(1)
        .send()
        .await
        .expect_err("x86_64 image");
    assert_eq!(code(&error), "InvalidParameterValue");

    // The aws CLI prints AWS's own words.
    let dir = tempfile::tempdir().expect("dir");
    let stderr = Aws::new(&emulator, dir.path()).failure(&[
        "ec2",
        "run-instances",
        "--image-id",
        &image,
        "--instance-type",
        "t2.micro",
    ]);
    assert!(
        stderr.1.contains("An error occurred (InvalidParameterCombination) when calling the RunInstances operation: The specified instance type is not eligible for Free Tier. For a list of Free Tier instance types, run 'describe-instance-types' with the filter 'free-tier-eligible=true'."),
        "{}",
        stderr.1
    );

    // The legacy free tier launches anything.
    set_plan(&emulator, FreePlan::Legacy);
    ec2.run_instances()
        .image_id(&image)
        .instance_type(InstanceType::T2Micro)
        .min_count(1)
        .max_count(1)
        .send()
        .await
        .expect("legacy launches t2.micro");
}

#[test]
fn a_classroom_sets_each_accounts_plan_with_the_installations_key() {
    use cloudlings_emulator::World;
    use cloudlings_emulator::http::respond;

    let world = World::in_memory();
    let root = world.root_credentials().expect("root");
    let learner = world.add_account();
    let call = |method: Method, path: &str, keys: &cloudlings_emulator::state::Credentials| {
        let headers =
            crate::hostile::signed_request(method.as_str(), path, &keys.access_key, &keys.secret);
        let uri: Uri = path.parse().expect("uri");
        let reply = respond(&world, &method, &uri, &headers, b"");
        let body: serde_json::Value = serde_json::from_str(&reply.body).expect("json");
        (reply.status, body)
    };
    let set = format!("/_cloudlings/plan?plan=credits&account={}", learner.account);
    let (status, body) = call(Method::POST, &set, &root);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["Plan"], "credits");
    assert_eq!(
        world
            .account(&learner.account)
            .expect("account")
            .lock()
            .free_plan,
        FreePlan::Credits
    );
    let (status, body) = call(Method::GET, "/_cloudlings/plan", &learner);
    assert_eq!((status, body["Plan"].as_str()), (200, Some("credits")));

    // A learner keeps the plan the classroom gave them, and cannot change another's.
    let theirs = format!("/_cloudlings/plan?plan=none&account={}", root.account);
    assert_eq!(call(Method::POST, &theirs, &learner).0, 403);
    assert_eq!(
        call(Method::POST, "/_cloudlings/plan?plan=legacy", &learner).0,
        403
    );
    assert_eq!(
        world
            .account(&learner.account)
            .expect("account")
            .lock()
            .free_plan,
        FreePlan::Credits
    );
    for hostile in [
        "/_cloudlings/plan?plan=gold",
        "/_cloudlings/plan",
        "/_cloudlings/plan?plan=credits&account=000000000000",
    ] {
        let (status, body) = call(Method::POST, hostile, &root);
        assert!(
            (400..500).contains(&status) && body["Error"]["Code"].is_string(),
            "{hostile}: {status} {body}"
        );
    }
}

#[tokio::test]
async fn a_root_volume_goes_with_its_instance_unless_kept_and_a_kept_one_bills_on() {
    let emulator = start();
    let ec2 = Client::new(&root(&emulator));
    let image = ubuntu(&ec2).await;
    let mut ids = Vec::new();
    for keep in [false, true] {
        let mut run = ec2
            .run_instances()
            .image_id(&image)
            .instance_type(InstanceType::T2Micro)
            .min_count(1)
            .max_count(1);
        if keep {
            run = run.block_device_mappings(
                BlockDeviceMapping::builder()
                    .device_name("/dev/sda1")
                    .ebs(
                        EbsBlockDevice::builder()
                            .delete_on_termination(false)
                            .build(),
                    )
                    .build(),
            );
        }
        let launched = run.send().await.expect("run");
        ids.push(
            launched.instances()[0]
                .instance_id()
                .expect("id")
                .to_string(),
        );
    }
    let described = ec2
        .describe_instances()
        .set_instance_ids(Some(ids.clone()))
        .send()
        .await
        .expect("describe");
    let mut volumes = Vec::new();
    for instance in described.reservations().iter().flat_map(|r| r.instances()) {
        let mapping = &instance.block_device_mappings()[0];
        assert_eq!(mapping.device_name(), Some("/dev/sda1"));
        let ebs = mapping.ebs().expect("ebs");
        assert!(ebs.volume_id().is_some_and(|id| id.starts_with("vol-")));
        assert!(ebs.attach_time().is_some());
        assert_eq!(ebs.status().map(|s| s.as_str()), Some("attached"));
        let kept = instance.instance_id() == Some(ids[1].as_str());
        assert_eq!(ebs.delete_on_termination(), Some(!kept));
        volumes.push((kept, ebs.volume_id().expect("id").to_string()));
    }
    // Too small a root volume is refused as AWS refuses it.
    let error = ec2
        .run_instances()
        .image_id(&image)
        .min_count(1)
        .max_count(1)
        .block_device_mappings(
            BlockDeviceMapping::builder()
                .device_name("/dev/sda1")
                .ebs(EbsBlockDevice::builder().volume_size(4).build())
                .build(),
        )
        .send()
        .await
        .expect_err("smaller than the image");
    assert_eq!(code(&error), "InvalidBlockDeviceMapping");

    ec2.terminate_instances()
        .set_instance_ids(Some(ids.clone()))
        .send()
        .await
        .expect("terminate");
    advance(&emulator, 60);
    let after = ec2
        .describe_instances()
        .set_instance_ids(Some(ids.clone()))
        .send()
        .await
        .expect("describe");
    for instance in after.reservations().iter().flat_map(|r| r.instances()) {
        assert_eq!(
            instance.state().and_then(|s| s.name()),
            Some(&InstanceStateName::Terminated)
        );
        assert!(instance.block_device_mappings().is_empty(), "detached");
    }
    // The kept volume goes on billing a day later; the other is gone.
    let bill_at = |emulator: &Emulator| {
        let held = emulator.world.account(&emulator.credentials.account);
        let account = held.expect("account");
        cloudlings_emulator::billing::bill(&account.lock(), emulator.world.now())
    };
    let storage = |bill: &cloudlings_emulator::billing::Bill| -> f64 {
        bill.lines
            .iter()
            .filter(|l| matches!(l.usage, cloudlings_emulator::billing::Usage::Storage { .. }))
            .map(|l| l.quantity)
            .sum()
    };
    let before = storage(&bill_at(&emulator));
    advance(&emulator, 86_400);
    let grown = storage(&bill_at(&emulator)) - before;
    let month = cloudlings_emulator::billing::month_seconds(
        cloudlings_emulator::billing::month_start(emulator.world.lock().clock.now()),
    ) as f64;
    // One 8 GB volume for a day: 8 x 86400 / seconds-in-the-month GB-months (unless the day
    // crossed into a new month, which starts the count again).
    let expected = 8.0 * 86_400.0 / month;
    assert!(
        (grown - expected).abs() < 1e-3 || grown < 0.0,
        "grew {grown}, expected {expected}"
    );
    let held = emulator.world.account(&emulator.credentials.account);
    let account = held.expect("account");
    let account = account.lock();
    let region = &account.ec2.regions["ap-northeast-2"];
    let now = emulator.world.now();
    volumes.sort();
    let states: Vec<(bool, &str)> = volumes
        .iter()
        .map(|(kept, id)| (*kept, region.volumes[id].state(now)))
        .collect();
    assert_eq!(states, [(false, "deleted"), (true, "available")]);
}
