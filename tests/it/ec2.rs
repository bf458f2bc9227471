//! EC2 through aws-sdk-rust: the default network, key pairs, security groups, instances over
//! simulated time, tags, filters, paging, dry runs and account isolation.

use aws_sdk_ec2::Client;
use aws_sdk_ec2::client::Waiters;
use aws_sdk_ec2::error::ProvideErrorMetadata;
use aws_sdk_ec2::types::{
    Filter, InstanceStateName, InstanceType, IpPermission, IpRange, KeyType, ResourceType, Tag,
    TagSpecification,
};

use crate::emulator::{advance, code, config, root, start};

/// Launches one instance of `image` and returns its id.
async fn launch(ec2: &Client, image: &str) -> String {
    let run = ec2
        .run_instances()
        .image_id(image)
        .min_count(1)
        .max_count(1)
        .send()
        .await
        .expect("run");
    run.instances()[0].instance_id().expect("id").to_string()
}

async fn ubuntu(ec2: &Client) -> String {
    let images = ec2
        .describe_images()
        .owners("099720109477")
        .filters(
            Filter::builder()
                .name("name")
                .values("ubuntu/images/*noble-24.04-amd64*")
                .build(),
        )
        .send()
        .await
        .expect("DescribeImages");
    images.images()[0].image_id().expect("an id").to_string()
}

#[tokio::test]
async fn every_region_has_a_default_network() {
    let emulator = start();
    let ec2 = Client::new(&root(&emulator));
    let vpcs = ec2.describe_vpcs().send().await.expect("DescribeVpcs");
    let vpc = &vpcs.vpcs()[0];
    assert_eq!(
        (vpc.cidr_block(), vpc.is_default()),
        (Some("172.31.0.0/16"), Some(true))
    );
    let subnets = ec2
        .describe_subnets()
        .send()
        .await
        .expect("DescribeSubnets");
    assert_eq!(subnets.subnets().len(), 4);
    let missing = ec2
        .describe_vpcs()
        .vpc_ids("vpc-0123456789abcdef0")
        .send()
        .await
        .expect_err("no such VPC");
    assert_eq!(code(&missing), "InvalidVpcID.NotFound");
    assert_eq!(
        missing.as_service_error().and_then(|e| e.meta().message()),
        Some("The vpc ID 'vpc-0123456789abcdef0' does not exist")
    );
    assert!(
        subnets
            .subnets()
            .iter()
            .all(|s| s.map_public_ip_on_launch() == Some(true))
    );
    let groups = ec2
        .describe_security_groups()
        .filters(
            Filter::builder()
                .name("group-name")
                .values("default")
                .build(),
        )
        .send()
        .await
        .expect("DescribeSecurityGroups");
    assert_eq!(groups.security_groups().len(), 1);
}

#[tokio::test]
async fn key_pairs_are_real_and_their_private_key_is_given_once() {
    let emulator = start();
    let ec2 = Client::new(&root(&emulator));
    let created = ec2
        .create_key_pair()
        .key_name("lecture-key")
        .send()
        .await
        .expect("CreateKeyPair");
    let pem = created.key_material().expect("private key");
    assert!(pem.starts_with("-----BEGIN RSA PRIVATE KEY-----"));
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("lecture-key.pem");
    std::fs::write(&path, pem).expect("save");
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o400))
        .expect("chmod 400");
    let public = std::process::Command::new("ssh-keygen")
        .arg("-y")
        .arg("-f")
        .arg(&path)
        .output()
        .expect("ssh-keygen");
    assert!(
        public.status.success(),
        "{}",
        String::from_utf8_lossy(&public.stderr)
    );

    let described = ec2
        .describe_key_pairs()
        .include_public_key(true)
        .send()
        .await
        .expect("DescribeKeyPairs");
    let pair = &described.key_pairs()[0];
    assert_eq!(pair.key_fingerprint(), created.key_fingerprint());
    assert_eq!(
        pair.public_key()
            .map(|k| k.split_whitespace().take(2).collect::<Vec<_>>()),
        Some(
            String::from_utf8_lossy(&public.stdout)
                .split_whitespace()
                .take(2)
                .collect::<Vec<_>>()
        ),
        "the kept public key is the private key's"
    );
    let again = ec2
        .create_key_pair()
        .key_name("lecture-key")
        .send()
        .await
        .expect_err("duplicate");
    assert_eq!(code(&again), "InvalidKeyPair.Duplicate");

    let ed = ec2
        .create_key_pair()
        .key_name("ed")
        .key_type(KeyType::Ed25519)
        .send()
        .await
        .expect("ed25519");
    assert!(
        ed.key_material()
            .unwrap_or_default()
            .starts_with("-----BEGIN OPENSSH PRIVATE KEY-----")
    );
    let imported = ec2
        .import_key_pair()
        .key_name("mine")
        .public_key_material(aws_sdk_ec2::primitives::Blob::new(public.stdout.clone()))
        .send()
        .await
        .expect("ImportKeyPair");
    assert_eq!(
        imported.key_fingerprint().map(|f| f.len()),
        Some(47),
        "MD5 as colon hex"
    );
    ec2.delete_key_pair()
        .key_name("mine")
        .send()
        .await
        .expect("DeleteKeyPair");
    let missing = ec2
        .describe_key_pairs()
        .key_names("mine")
        .send()
        .await
        .expect_err("deleted");
    assert_eq!(code(&missing), "InvalidKeyPair.NotFound");
}

fn tcp(port: i32, cidr: &str) -> IpPermission {
    IpPermission::builder()
        .ip_protocol("tcp")
        .from_port(port)
        .to_port(port)
        .ip_ranges(IpRange::builder().cidr_ip(cidr).build())
        .build()
}

/// Group names are unique in a network whatever their case, as EC2 documents them: with Web
/// there, web cannot be made.
#[tokio::test]
async fn security_group_names_are_unique_ignoring_case() {
    let emulator = start();
    let ec2 = Client::new(&root(&emulator));
    ec2.create_security_group()
        .group_name("Web")
        .description("capital W")
        .send()
        .await
        .expect("CreateSecurityGroup Web");
    let again = ec2
        .create_security_group()
        .group_name("web")
        .description("lower-case w")
        .send()
        .await
        .expect_err("the same name in other capitals");
    assert_eq!(code(&again), "InvalidGroup.Duplicate");
}

#[tokio::test]
async fn security_groups_hold_the_lectures_rules() {
    let emulator = start();
    let ec2 = Client::new(&root(&emulator));
    let group = ec2
        .create_security_group()
        .group_name("web")
        .description("ssh from my PC, http from everyone")
        .send()
        .await
        .expect("CreateSecurityGroup");
    let id = group.group_id().expect("id").to_string();
    let added = ec2
        .authorize_security_group_ingress()
        .group_id(&id)
        .ip_permissions(tcp(22, "203.0.113.7/32"))
        .ip_permissions(tcp(80, "0.0.0.0/0"))
        .send()
        .await
        .expect("AuthorizeSecurityGroupIngress");
    assert_eq!(added.security_group_rules().len(), 2);
    let duplicate = ec2
        .authorize_security_group_ingress()
        .group_id(&id)
        .ip_permissions(tcp(22, "203.0.113.7/32"))
        .send()
        .await
        .expect_err("duplicate");
    assert_eq!(code(&duplicate), "InvalidPermission.Duplicate");

    let described = ec2
        .describe_security_groups()
        .group_ids(&id)
        .send()
        .await
        .expect("describe");
    let permissions = described.security_groups()[0].ip_permissions();
    let ssh = permissions
        .iter()
        .find(|p| p.from_port() == Some(22))
        .expect("ssh rule");
    assert_eq!(ssh.ip_ranges()[0].cidr_ip(), Some("203.0.113.7/32"));
    let open = ec2
        .describe_security_groups()
        .filters(
            Filter::builder()
                .name("ip-permission.cidr")
                .values("0.0.0.0/0")
                .build(),
        )
        .send()
        .await
        .expect("filter");
    assert_eq!(open.security_groups().len(), 1);

    ec2.revoke_security_group_ingress()
        .group_id(&id)
        .ip_permissions(tcp(22, "203.0.113.7/32"))
        .send()
        .await
        .expect("revoke");
    let rules = ec2
        .describe_security_group_rules()
        .filters(Filter::builder().name("group-id").values(&id).build())
        .send()
        .await
        .expect("DescribeSecurityGroupRules");
    let inbound: Vec<_> = rules
        .security_group_rules()
        .iter()
        .filter(|r| r.is_egress() == Some(false))
        .collect();
    assert_eq!(inbound.len(), 1);
    assert_eq!(inbound[0].from_port(), Some(80));

    let bad = ec2
        .authorize_security_group_ingress()
        .group_id(&id)
        .ip_permissions(tcp(22, "1.2.3.4/40"))
        .send()
        .await
        .expect_err("bad cidr");
    assert_eq!(code(&bad), "InvalidParameterValue");
    let missing = ec2
        .delete_security_group()
        .group_id("sg-0123456789abcdef0")
        .send()
        .await
        .expect_err("missing");
    assert_eq!(code(&missing), "InvalidGroup.NotFound");
}

#[tokio::test]
async fn an_instance_lives_through_simulated_time() {
    let emulator = start();
    let ec2 = Client::new(&root(&emulator));
    let image = ubuntu(&ec2).await;
    ec2.create_key_pair()
        .key_name("k")
        .send()
        .await
        .expect("key");
    let group = ec2
        .create_security_group()
        .group_name("ssh")
        .description("ssh")
        .send()
        .await
        .expect("group");
    let group_id = group.group_id().expect("id").to_string();
    let run = ec2
        .run_instances()
        .image_id(&image)
        .instance_type(InstanceType::T2Micro)
        .key_name("k")
        .security_group_ids(&group_id)
        .min_count(1)
        .max_count(1)
        .tag_specifications(
            TagSpecification::builder()
                .resource_type(ResourceType::Instance)
                .tags(Tag::builder().key("Name").value("lecture").build())
                .build(),
        )
        .send()
        .await
        .expect("RunInstances");
    let instance = &run.instances()[0];
    let id = instance.instance_id().expect("id").to_string();
    assert_eq!(
        instance.state().and_then(|s| s.name()),
        Some(&InstanceStateName::Pending)
    );
    let dns = instance.public_dns_name().expect("public dns").to_string();
    assert!(
        dns.starts_with("ec2-") && dns.ends_with(".ap-northeast-2.compute.amazonaws.com"),
        "{dns}"
    );
    assert!(
        instance
            .private_dns_name()
            .unwrap_or_default()
            .starts_with("ip-172-31-")
    );

    let busy = ec2
        .delete_security_group()
        .group_id(&group_id)
        .send()
        .await
        .expect_err("in use");
    assert_eq!(code(&busy), "DependencyViolation");

    advance(&emulator, 30);
    ec2.wait_until_instance_running()
        .instance_ids(&id)
        .wait(std::time::Duration::from_secs(5))
        .await
        .expect("running, so the waiter returns at once");
    let named = ec2
        .describe_instances()
        .filters(Filter::builder().name("tag:Name").values("lecture").build())
        .filters(
            Filter::builder()
                .name("instance-state-name")
                .values("running")
                .build(),
        )
        .send()
        .await
        .expect("filtered");
    assert_eq!(
        named.reservations()[0].instances()[0].instance_id(),
        Some(id.as_str())
    );
    let first_ip = named.reservations()[0].instances()[0]
        .public_ip_address()
        .expect("ip")
        .to_string();

    let stopped = ec2
        .stop_instances()
        .instance_ids(&id)
        .send()
        .await
        .expect("StopInstances");
    assert_eq!(
        stopped.stopping_instances()[0]
            .current_state()
            .and_then(|s| s.name()),
        Some(&InstanceStateName::Stopping)
    );
    advance(&emulator, 30);
    let described = ec2
        .describe_instances()
        .instance_ids(&id)
        .send()
        .await
        .expect("describe");
    let now = &described.reservations()[0].instances()[0];
    assert_eq!(
        now.state().and_then(|s| s.name()),
        Some(&InstanceStateName::Stopped)
    );
    assert_eq!(
        now.public_ip_address(),
        None,
        "a stopped instance has no public address"
    );

    ec2.start_instances()
        .instance_ids(&id)
        .send()
        .await
        .expect("StartInstances");
    advance(&emulator, 30);
    let described = ec2
        .describe_instances()
        .instance_ids(&id)
        .send()
        .await
        .expect("describe");
    let second_ip = described.reservations()[0].instances()[0]
        .public_ip_address()
        .expect("ip")
        .to_string();
    assert_ne!(
        first_ip, second_ip,
        "stop and start gives a new public address"
    );

    ec2.terminate_instances()
        .instance_ids(&id)
        .send()
        .await
        .expect("TerminateInstances");
    let wrong = ec2
        .start_instances()
        .instance_ids(&id)
        .send()
        .await
        .expect_err("terminated");
    assert_eq!(code(&wrong), "IncorrectInstanceState");
    advance(&emulator, 30);
    ec2.delete_security_group()
        .group_id(&group_id)
        .send()
        .await
        .expect("free again");
    advance(&emulator, 2 * 3600);
    let gone = ec2
        .describe_instances()
        .instance_ids(&id)
        .send()
        .await
        .expect_err("gone after an hour");
    assert_eq!(code(&gone), "InvalidInstanceID.NotFound");
}

#[tokio::test]
async fn describe_instances_pages_and_refuses_bad_input() {
    let emulator = start();
    let ec2 = Client::new(&root(&emulator));
    let image = ubuntu(&ec2).await;
    ec2.run_instances()
        .image_id(&image)
        .min_count(12)
        .max_count(12)
        .send()
        .await
        .expect("twelve");
    let mut seen = 0;
    let mut pages = 0;
    let mut token = None;
    loop {
        let page = ec2
            .describe_instances()
            .max_results(5)
            .set_next_token(token)
            .send()
            .await
            .expect("page");
        seen += page
            .reservations()
            .iter()
            .map(|r| r.instances().len())
            .sum::<usize>();
        pages += 1;
        token = page.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    assert_eq!((seen, pages), (12, 3));

    let malformed = ec2
        .describe_instances()
        .instance_ids("i-xyz")
        .send()
        .await
        .expect_err("malformed");
    assert_eq!(code(&malformed), "InvalidInstanceID.Malformed");
    let missing = ec2
        .describe_instances()
        .instance_ids("i-0123456789abcdef0")
        .send()
        .await
        .expect_err("missing");
    assert_eq!(code(&missing), "InvalidInstanceID.NotFound");
    let bad_filter = ec2
        .describe_instances()
        .filters(Filter::builder().name("no-such-filter").values("x").build())
        .send()
        .await
        .expect_err("bad filter");
    assert_eq!(code(&bad_filter), "InvalidParameterValue");
    let no_image = ec2
        .run_instances()
        .image_id("ami-0000000000000000f")
        .min_count(1)
        .max_count(1)
        .send()
        .await
        .expect_err("no image");
    assert_eq!(code(&no_image), "InvalidAMIID.NotFound");
    let dry = ec2
        .run_instances()
        .image_id(&image)
        .min_count(1)
        .max_count(1)
        .dry_run(true)
        .send()
        .await
        .expect_err("dry run");
    assert_eq!(code(&dry), "DryRunOperation");
}

#[tokio::test]
async fn accounts_never_see_each_other() {
    let emulator = start();
    let first = Client::new(&root(&emulator));
    let image = ubuntu(&first).await;
    let id = launch(&first, &image).await;
    first
        .create_key_pair()
        .key_name("shared-name")
        .send()
        .await
        .expect("key");

    let other = emulator.world.add_account();
    let second = Client::new(&config(&emulator, &other.access_key, &other.secret));
    let theirs = second.describe_instances().send().await.expect("describe");
    assert!(theirs.reservations().is_empty());
    let by_id = second
        .describe_instances()
        .instance_ids(&id)
        .send()
        .await
        .expect_err("not theirs");
    assert_eq!(code(&by_id), "InvalidInstanceID.NotFound");
    let stop = second
        .terminate_instances()
        .instance_ids(&id)
        .send()
        .await
        .expect_err("not theirs");
    assert_eq!(code(&stop), "InvalidInstanceID.NotFound");
    second
        .create_key_pair()
        .key_name("shared-name")
        .send()
        .await
        .expect("names are per account");
    let vpcs_first = first.describe_vpcs().send().await.expect("vpcs");
    let vpcs_second = second.describe_vpcs().send().await.expect("vpcs");
    assert_ne!(
        vpcs_first.vpcs()[0].vpc_id(),
        vpcs_second.vpcs()[0].vpc_id()
    );
}

#[tokio::test]
async fn a_windows_password_is_encrypted_to_the_key_pair() {
    use rsa::pkcs1::DecodeRsaPrivateKey;
    let emulator = start();
    let ec2 = Client::new(&root(&emulator));
    let images = ec2
        .describe_images()
        .filters(Filter::builder().name("platform").values("windows").build())
        .send()
        .await
        .expect("images");
    let image = images.images()[0].image_id().expect("id").to_string();
    let key = ec2
        .create_key_pair()
        .key_name("win")
        .send()
        .await
        .expect("key");
    let run = ec2
        .run_instances()
        .image_id(&image)
        .key_name("win")
        .min_count(1)
        .max_count(1)
        .send()
        .await
        .expect("run");
    let id = run.instances()[0].instance_id().expect("id").to_string();
    let early = ec2
        .get_password_data()
        .instance_id(&id)
        .send()
        .await
        .expect("GetPasswordData");
    assert_eq!(early.password_data(), Some(""), "not ready yet");
    advance(&emulator, 5 * 60);
    let ready = ec2
        .get_password_data()
        .instance_id(&id)
        .send()
        .await
        .expect("GetPasswordData");
    let encrypted = base64::Engine::decode(
        &base64::engine::general_purpose::STANDARD,
        ready.password_data().expect("data"),
    )
    .expect("base64");
    let private =
        rsa::RsaPrivateKey::from_pkcs1_pem(key.key_material().expect("pem")).expect("pem");
    let password = private
        .decrypt(rsa::Pkcs1v15Encrypt, &encrypted)
        .expect("decrypts with the key pair");
    assert_eq!(password.len(), 32);
}

#[tokio::test]
async fn catalogue_of_types_and_tags() {
    let emulator = start();
    let ec2 = Client::new(&root(&emulator));
    assert_eq!(
        crate::free_plans::free_types(&ec2).await,
        ["t2.micro", "t3.micro"]
    );
    let micro = ec2
        .describe_instance_types()
        .instance_types(InstanceType::T2Micro)
        .send()
        .await
        .expect("t2.micro");
    let micro = &micro.instance_types()[0];
    assert_eq!(micro.v_cpu_info().and_then(|v| v.default_v_cpus()), Some(1));
    assert_eq!(
        micro.memory_info().and_then(|m| m.size_in_mib()),
        Some(1024)
    );

    let vpc = ec2.describe_vpcs().send().await.expect("vpcs").vpcs()[0]
        .vpc_id()
        .expect("id")
        .to_string();
    ec2.create_tags()
        .resources(&vpc)
        .tags(Tag::builder().key("course").value("cloudlings").build())
        .send()
        .await
        .expect("CreateTags");
    let tags = ec2
        .describe_tags()
        .filters(Filter::builder().name("key").values("course").build())
        .send()
        .await
        .expect("DescribeTags");
    assert_eq!(tags.tags()[0].resource_id(), Some(vpc.as_str()));
    ec2.delete_tags()
        .resources(&vpc)
        .tags(Tag::builder().key("course").build())
        .send()
        .await
        .expect("DeleteTags");
    let tags = ec2.describe_tags().send().await.expect("DescribeTags");
    assert!(tags.tags().is_empty());
}

#[tokio::test]
async fn status_checks_reboot_and_outbound_rules() {
    let emulator = start();
    let ec2 = Client::new(&root(&emulator));
    let image = ubuntu(&ec2).await;
    let id = launch(&ec2, &image).await;
    let early = ec2
        .reboot_instances()
        .instance_ids(&id)
        .send()
        .await
        .expect_err("pending");
    assert_eq!(code(&early), "IncorrectInstanceState");
    let none = ec2.describe_instance_status().send().await.expect("status");
    assert!(
        none.instance_statuses().is_empty(),
        "only running instances by default"
    );
    let all = ec2
        .describe_instance_status()
        .include_all_instances(true)
        .send()
        .await
        .expect("status");
    assert_eq!(all.instance_statuses().len(), 1);
    advance(&emulator, 20);
    let booting = ec2
        .describe_instance_status()
        .instance_ids(&id)
        .send()
        .await
        .expect("status");
    let status = booting.instance_statuses()[0]
        .instance_status()
        .and_then(|s| s.status())
        .map(|s| s.as_str().to_string());
    assert_eq!(status.as_deref(), Some("initializing"));
    advance(&emulator, 120);
    let ready = ec2
        .describe_instance_status()
        .instance_ids(&id)
        .send()
        .await
        .expect("status");
    let status = ready.instance_statuses()[0]
        .system_status()
        .and_then(|s| s.status())
        .map(|s| s.as_str().to_string());
    assert_eq!(status.as_deref(), Some("ok"));
    // DescribeInstanceStatus has filters of its own: the checks', and no tag filters.
    for (name, value, count) in [
        ("instance-status.status", "ok", 1),
        ("system-status.reachability", "passed", 1),
        ("instance-status.status", "initializing", 0),
        ("instance-state-name", "running", 1),
    ] {
        let found = ec2
            .describe_instance_status()
            .filters(Filter::builder().name(name).values(value).build())
            .send()
            .await
            .expect(name);
        assert_eq!(found.instance_statuses().len(), count, "{name}={value}");
    }
    for name in ["tag:Name", "instance-type", "instanceStatus.status"] {
        let refused = ec2
            .describe_instance_status()
            .filters(Filter::builder().name(name).values("x").build())
            .send()
            .await
            .expect_err(name);
        assert_eq!(code(&refused), "InvalidParameterValue", "{name}");
    }
    ec2.reboot_instances()
        .instance_ids(&id)
        .send()
        .await
        .expect("RebootInstances");

    let group = ec2
        .describe_security_groups()
        .group_names("default")
        .send()
        .await
        .expect("default");
    let group_id = group.security_groups()[0]
        .group_id()
        .expect("id")
        .to_string();
    let out = tcp(443, "10.0.0.0/8");
    ec2.authorize_security_group_egress()
        .group_id(&group_id)
        .ip_permissions(out.clone())
        .send()
        .await
        .expect("egress");
    ec2.revoke_security_group_egress()
        .group_id(&group_id)
        .ip_permissions(out)
        .send()
        .await
        .expect("revoke egress");
    let default = ec2
        .delete_security_group()
        .group_id(&group_id)
        .send()
        .await
        .expect_err("default group");
    assert_eq!(code(&default), "CannotDelete");
}

#[tokio::test]
async fn a_retried_launch_with_the_same_client_token_launches_nothing_more() {
    let emulator = start();
    let ec2 = Client::new(&root(&emulator));
    let image = ubuntu(&ec2).await;
    let launch = || {
        ec2.run_instances()
            .image_id(&image)
            .min_count(2)
            .max_count(2)
            .client_token("retry-me")
    };
    let first = launch().send().await.expect("first");
    let again = launch().send().await.expect("retry");
    let ids = |run: &aws_sdk_ec2::operation::run_instances::RunInstancesOutput| {
        run.instances()
            .iter()
            .filter_map(|i| i.instance_id().map(str::to_string))
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&first), ids(&again));
    assert_eq!(first.reservation_id(), again.reservation_id());
    let all = ec2.describe_instances().send().await.expect("describe");
    assert_eq!(
        all.reservations()
            .iter()
            .map(|r| r.instances().len())
            .sum::<usize>(),
        2
    );
    let windows = ec2
        .describe_images()
        .filters(Filter::builder().name("platform").values("windows").build())
        .send()
        .await
        .expect("images");
    let other = ec2
        .run_instances()
        .image_id(windows.images()[0].image_id().expect("id"))
        .min_count(1)
        .max_count(1)
        .client_token("retry-me")
        .send()
        .await
        .expect_err("same token, other request");
    assert_eq!(code(&other), "IdempotentParameterMismatch");
}

/// PuTTY's `puttygen` reads the `.ppk` files (scripts/test installs it from Debian's packages).
#[tokio::test]
async fn ppk_key_pairs_open_in_putty() {
    let emulator = start();
    let ec2 = Client::new(&root(&emulator));
    let dir = tempfile::tempdir().expect("dir");
    for (name, key_type) in [("putty-rsa", KeyType::Rsa), ("putty-ed", KeyType::Ed25519)] {
        let created = ec2
            .create_key_pair()
            .key_name(name)
            .key_type(key_type)
            .key_format(aws_sdk_ec2::types::KeyFormat::Ppk)
            .send()
            .await
            .expect("CreateKeyPair ppk");
        let path = dir.path().join(format!("{name}.ppk"));
        std::fs::write(&path, created.key_material().expect("ppk")).expect("save");
        let output = std::process::Command::new("puttygen")
            .arg(&path)
            .args(["-O", "public-openssh"])
            .output()
            .expect("puttygen (scripts/test installs putty-tools)");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let kept = ec2
            .describe_key_pairs()
            .key_names(name)
            .include_public_key(true)
            .send()
            .await
            .expect("describe");
        let kept = kept.key_pairs()[0]
            .public_key()
            .expect("public key")
            .to_string();
        let read = String::from_utf8_lossy(&output.stdout).to_string();
        let first_two = |text: &str| {
            text.split_whitespace()
                .take(2)
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(
            first_two(&read),
            first_two(&kept),
            "puttygen reads the same key EC2 keeps"
        );
    }
}

/// `instance.group-name`: the instances behind a group, named as the learner named it.
#[tokio::test]
async fn instances_filter_by_their_groups_name() {
    let emulator = start();
    let ec2 = Client::new(&root(&emulator));
    let image = ubuntu(&ec2).await;
    ec2.create_security_group()
        .group_name("web")
        .description("web")
        .send()
        .await
        .expect("group");
    ec2.run_instances()
        .image_id(&image)
        .security_groups("web")
        .min_count(1)
        .max_count(1)
        .send()
        .await
        .expect("run in web");
    launch(&ec2, &image).await;
    let behind = |name: &'static str, group: &'static str| {
        let ec2 = ec2.clone();
        async move {
            ec2.describe_instances()
                .filters(Filter::builder().name(name).values(group).build())
                .send()
                .await
                .expect("DescribeInstances")
                .reservations()
                .iter()
                .map(|r| r.instances().len())
                .sum::<usize>()
        }
    };
    assert_eq!(behind("instance.group-name", "web").await, 1);
    assert_eq!(behind("group-name", "web").await, 1);
    assert_eq!(behind("instance.group-name", "default").await, 1);
    assert_eq!(behind("instance.group-name", "nope").await, 0);
}

/// The error of a Describe action given the filter `name`, which must be refused: the action is
/// the one whose response has an element of that name.
async fn refused(ec2: &Client, name: &str) -> aws_sdk_ec2::error::ErrorMetadata {
    let filter = Filter::builder().name(name).values("x").build();
    let meta = |e: &dyn ProvideErrorMetadata| e.meta().clone();
    let result = match name {
        "instanceId" | "instanceType" | "instanceState.name" => {
            let sent = ec2.describe_instances().filters(filter).send().await;
            sent.map(|_| ()).map_err(|e| meta(&e))
        }
        "groupName" | "groupId" | "ipPermission.fromPort" => {
            let sent = ec2.describe_security_groups().filters(filter).send().await;
            sent.map(|_| ()).map_err(|e| meta(&e))
        }
        "keyName" => {
            let sent = ec2.describe_key_pairs().filters(filter).send().await;
            sent.map(|_| ()).map_err(|e| meta(&e))
        }
        "vpcId" | "isDefault" => {
            let sent = ec2.describe_vpcs().filters(filter).send().await;
            sent.map(|_| ()).map_err(|e| meta(&e))
        }
        _ => {
            let sent = ec2.describe_subnets().filters(filter).send().await;
            sent.map(|_| ()).map_err(|e| meta(&e))
        }
    };
    result.expect_err(name)
}

/// DescribeSubnets takes the aliases the EC2 reference documents for it (`availabilityZone`,
/// `availabilityZoneId`, `cidr`, `cidrBlock`, `defaultForAz`) as the same filters as the dashed
/// names; a camelCase name AWS documents for no action is refused with AWS's code and message.
#[tokio::test]
async fn filters_take_the_aliases_aws_documents_and_refuse_the_rest() {
    let emulator = start();
    let ec2 = Client::new(&root(&emulator));
    let all = ec2
        .describe_subnets()
        .send()
        .await
        .expect("DescribeSubnets");
    let subnet = &all.subnets()[1];
    let id = subnet.subnet_id().expect("id");
    let zone = subnet.availability_zone().expect("zone");
    let zone_id = subnet.availability_zone_id().expect("zone id");
    let cidr = subnet.cidr_block().expect("cidr");
    let subnets_where = |name: &str, value: &str| {
        ec2.describe_subnets()
            .filters(Filter::builder().name(name).values(value).build())
            .send()
    };
    for (names, value) in [
        (&["availability-zone", "availabilityZone"][..], zone),
        (&["availability-zone-id", "availabilityZoneId"][..], zone_id),
        (&["cidr-block", "cidr", "cidrBlock"][..], cidr),
    ] {
        for name in names {
            let found = subnets_where(name, value).await.expect(name);
            let ids: Vec<_> = found
                .subnets()
                .iter()
                .filter_map(|s| s.subnet_id())
                .collect();
            assert_eq!(ids, [id], "{name}={value}");
        }
    }
    for name in ["default-for-az", "defaultForAz"] {
        let defaults = subnets_where(name, "true").await.expect(name);
        assert_eq!(defaults.subnets().len(), all.subnets().len(), "{name}");
        let others = subnets_where(name, "false").await.expect(name);
        assert!(others.subnets().is_empty(), "{name}");
    }

    for name in [
        "instanceId",
        "instanceType",
        "instanceState.name",
        "groupName",
        "groupId",
        "ipPermission.fromPort",
        "keyName",
        "vpcId",
        "isDefault",
        "subnetId",
    ] {
        let error = refused(&ec2, name).await;
        assert_eq!(
            (error.code(), error.message()),
            (
                Some("InvalidParameterValue"),
                Some(format!("The filter '{name}' is invalid").as_str())
            ),
            "{name}"
        );
    }
}
