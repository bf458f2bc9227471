//! Checks that look at the cloud: AWS probes answer with the aws CLI's own JSON, and a task
//! step passes only when the cloud is as the step asks, however the learner got it there.

use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::IpPermission;
use cloudlings::check::{AwsProbe, Context, Probe};
use cloudlings::target::Target;
use cloudlings_emulator::Emulator;
use cloudlings_emulator::net::learner_address;
use serde_json::Value;

use crate::aws_cli::Aws;
use crate::emulator::{root, start};
use crate::instances::permission;
use crate::{Cloudlings, repo};

/// Whether every field of `ours` is in `theirs` with the same value (lists element by
/// element): our rendering may leave fields out, never name or fill one differently.
fn assert_within(ours: &Value, theirs: &Value, at: &str) {
    match (ours, theirs) {
        (Value::Object(ours), Value::Object(theirs)) => {
            for (name, value) in ours {
                let there = theirs
                    .get(name)
                    .unwrap_or_else(|| panic!("{at}.{name} is not in the aws CLI's output"));
                assert_within(value, there, &format!("{at}.{name}"));
            }
        }
        (Value::Array(ours), Value::Array(theirs)) => {
            assert_eq!(ours.len(), theirs.len(), "{at}: lengths differ");
            for (n, (mine, its)) in ours.iter().zip(theirs).enumerate() {
                assert_within(mine, its, &format!("{at}[{n}]"));
            }
        }
        _ => assert_eq!(ours, theirs, "{at}"),
    }
}

fn probe(emulator: &Emulator, call: &str) -> Value {
    let context = Context::new(std::env::temp_dir()).with_target(Target::emulator(
        &emulator.endpoint(),
        &emulator.credentials,
    ));
    let call = AwsProbe::parse(call).expect("a known call");
    Probe::Aws(call)
        .observe(&context)
        .expect("the probe answers")
}

#[tokio::test]
async fn probes_answer_with_the_aws_clis_field_names_and_values() {
    let emulator = start();
    let ec2 = Client::new(&root(&emulator));
    crate::ssh::save_key(
        &ec2,
        "lab",
        &std::env::temp_dir().join("checks-unused.pem"),
        0o400,
    )
    .await;
    let group = ec2
        .create_security_group()
        .group_name("web")
        .description("web")
        .send()
        .await
        .expect("group")
        .group_id()
        .expect("id")
        .to_string();
    ec2.authorize_security_group_ingress()
        .group_id(&group)
        .ip_permissions(permission(22, "203.0.113.9/32"))
        .send()
        .await
        .expect("rule");
    let iam = aws_sdk_iam::Client::new(&root(&emulator));
    iam.create_user()
        .user_name("alice")
        .send()
        .await
        .expect("user");
    let dir = tempfile::tempdir().expect("dir");
    let aws = Aws::new(&emulator, dir.path());
    aws.json(&[
        "s3api",
        "create-bucket",
        "--bucket",
        "cloudlings-checks",
        "--create-bucket-configuration",
        "LocationConstraint=ap-northeast-2",
    ]);
    std::fs::write(dir.path().join("cat.jpg"), b"jpeg").expect("picture");
    aws.text(&["s3", "cp", "cat.jpg", "s3://cloudlings-checks/"]);
    std::fs::write(
        dir.path().join("policy.json"),
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cloudfront.amazonaws.com"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::cloudlings-checks/*"}]}"#,
    )
    .expect("policy");
    aws.json(&[
        "s3api",
        "put-bucket-policy",
        "--bucket",
        "cloudlings-checks",
        "--policy",
        "file://policy.json",
    ]);
    aws.json(&[
        "cloudfront",
        "create-origin-access-control",
        "--origin-access-control-config",
        "Name=checks-oac,SigningProtocol=sigv4,SigningBehavior=always,\
         OriginAccessControlOriginType=s3",
    ]);
    aws.json(&[
        "cloudfront",
        "create-distribution",
        "--origin-domain-name",
        "cloudlings-checks.s3.amazonaws.com",
    ]);
    aws.json(&[
        "ec2",
        "run-instances",
        "--image-id",
        &ubuntu(&aws),
        "--instance-type",
        "t2.micro",
        "--key-name",
        "lab",
        "--security-group-ids",
        &group,
    ]);
    for call in [
        "ec2 describe-security-groups",
        "ec2 describe-key-pairs",
        "ec2 describe-instances",
        "ec2 describe-images",
        "sts get-caller-identity",
        "iam get-account-summary",
        "iam list-users",
        "s3api list-buckets",
        "s3api list-objects-v2 --bucket cloudlings-checks",
        "s3api get-public-access-block --bucket cloudlings-checks",
        "s3api get-bucket-policy --bucket cloudlings-checks",
        "s3api head-object --bucket cloudlings-checks --key cat.jpg",
        "ec2 describe-instance-types --instance-types t2.micro",
        "cloudfront list-distributions",
        "cloudfront list-origin-access-controls",
        "iam list-virtual-mfa-devices",
    ] {
        let ours = probe(&emulator, call);
        let args: Vec<&str> = call.split(' ').collect();
        // The CLI prints nothing for an empty answer, which a probe sees as `{}`.
        let theirs = match aws.json(&args) {
            Value::Null => serde_json::json!({}),
            answer => answer,
        };
        assert_eq!(
            cloudlings::aws_cli::output::json(&ours),
            cloudlings::aws_cli::output::json(&theirs),
            "{call}"
        );
        assert_within(&ours, &theirs, call);
        assert_ne!(ours.to_string().len(), 2, "{call} rendered nothing");
    }
    // What the lecture's bucket needs, read as lessons read it.
    let policy = probe(
        &emulator,
        "s3api get-bucket-policy --bucket cloudlings-checks",
    );
    assert!(
        policy["Policy"]
            .as_str()
            .is_some_and(|text| text.contains("cloudfront.amazonaws.com")),
        "{policy}"
    );
    let blocked = probe(
        &emulator,
        "s3api get-public-access-block --bucket cloudlings-checks",
    );
    assert_eq!(
        blocked["PublicAccessBlockConfiguration"]["BlockPublicPolicy"],
        true
    );
    let none = probe(&emulator, "s3api get-bucket-policy --bucket nowhere-bucket");
    assert_eq!(none["Error"]["Code"], "NoSuchBucket");
    let groups = probe(&emulator, "ec2 describe-security-groups");
    assert_eq!(
        jmespath::compile("SecurityGroups[?GroupName=='web'].IpPermissions[].IpRanges[].CidrIp")
            .expect("query")
            .search(&groups)
            .expect("search")
            .to_string(),
        "[\"203.0.113.9/32\"]"
    );
}

fn ubuntu(aws: &Aws<'_>) -> String {
    let images = aws.json(&[
        "ec2",
        "describe-images",
        "--filters",
        "Name=name,Values=ubuntu/images/*noble-24.04-amd64*",
    ]);
    images["Images"][0]["ImageId"]
        .as_str()
        .expect("an image")
        .to_string()
}

/// The shell's `check` of the fixture's security-group step, after `prepare` changed the cloud
/// in the shell's own emulator state.
async fn check_after<F, Fut>(shell: &Cloudlings, prepare: F) -> String
where
    F: FnOnce(Client, String) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    {
        let emulator =
            Emulator::start(0, Some(&shell.data_dir().join("emulator"))).expect("emulator");
        let learner = learner_address(&emulator.world.lock()).to_string();
        prepare(Client::new(&root(&emulator)), learner).await;
    }
    let run = shell.session("start guest-list\ncheck\nquit\n").success();
    run.answer_to("check", 1)
}

fn rule(cidr: &str) -> IpPermission {
    permission(22, cidr)
}

#[tokio::test]
async fn the_step_fails_until_done_and_a_gamed_group_fails_with_its_reason() {
    let shell = Cloudlings::new()
        .arg("--lang")
        .arg("en")
        .arg("--lessons")
        .arg(repo("tests/fixtures/aws").display().to_string());
    let before = check_after(&shell, |_, _| async {}).await;
    assert!(
        before.contains("No security group is named web."),
        "{before}"
    );
    assert!(before.contains("0/3") || before.contains("1/3"), "{before}");

    // The world opened to everyone: the group exists, but the rule is the wrong one.
    let gamed = check_after(&shell, |ec2, _| async move {
        ec2.create_security_group()
            .group_name("web")
            .description("web")
            .send()
            .await
            .expect("group");
        ec2.authorize_security_group_ingress()
            .group_name("web")
            .ip_permissions(rule("0.0.0.0/0"))
            .send()
            .await
            .expect("rule");
    })
    .await;
    assert!(gamed.contains("web lets anyone in (0.0.0.0/0)"), "{gamed}");
    assert!(gamed.contains("1/3"), "{gamed}");

    let done = check_after(&shell, |ec2, learner| async move {
        ec2.revoke_security_group_ingress()
            .group_name("web")
            .ip_permissions(rule("0.0.0.0/0"))
            .send()
            .await
            .expect("revoke");
        ec2.authorize_security_group_ingress()
            .group_name("web")
            .ip_permissions(rule(&format!("{learner}/32")))
            .send()
            .await
            .expect("rule");
    })
    .await;
    assert!(done.contains("3/3"), "{done}");
    assert!(!done.contains("lets anyone in"), "{done}");
}

#[test]
fn an_unknown_call_is_a_lint_error_at_its_line() {
    let dir = tempfile::tempdir().expect("dir");
    let lesson = std::fs::read_to_string(repo("tests/fixtures/aws/security-group.toml"))
        .expect("fixture")
        .replacen("ec2 describe-security-groups", "ec2 describe-everything", 1);
    std::fs::write(dir.path().join("bad.toml"), lesson).expect("write");
    let run = Cloudlings::new().run(&["lesson", "lint", &dir.path().display().to_string()]);
    assert_eq!(run.code(), Some(1));
    let stdout = run.stdout();
    assert!(
        stdout.contains("bad.toml:16:")
            && stdout
                .contains("`probe.aws = \"ec2 describe-everything\"`: not a call checks can make"),
        "{stdout}"
    );
}

#[tokio::test]
async fn another_endpoint_is_checked_and_an_unreachable_one_is_not_a_failure() {
    let emulator = start();
    let ec2 = Client::new(&root(&emulator));
    ec2.create_security_group()
        .group_name("web")
        .description("web")
        .send()
        .await
        .expect("group");
    let shell = |url: &str| {
        Cloudlings::new()
            .arg("--lang")
            .arg("en")
            .arg("--lessons")
            .arg(repo("tests/fixtures/aws").display().to_string())
            .arg("--target")
            .arg("endpoint")
            .arg("--endpoint-url")
            .arg(url)
            .env("AWS_ACCESS_KEY_ID", &emulator.credentials.access_key)
            .env("AWS_SECRET_ACCESS_KEY", &emulator.credentials.secret)
    };
    let learner = shell(&emulator.endpoint());
    let there = learner.session("start guest-list\ncheck\nquit\n").success();
    // Another cloud's course is kept apart from the emulator's.
    let address = emulator
        .endpoint()
        .trim_start_matches("http://")
        .replace(':', "_");
    let kept = learner.data_dir().join("endpoint").join(address);
    assert!(kept.join("progress.json").exists(), "{}", kept.display());
    assert!(!learner.data_dir().join("progress.json").exists());
    let checked = there.answer_to("check", 1);
    assert!(checked.contains("✓ a group named web exists"), "{checked}");
    assert!(checked.contains("web has no rule for port 22"), "{checked}");

    // Nothing listens there: the checks say they could not look, not that the learner failed.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("port");
    let url = format!("http://{}", closed.local_addr().expect("addr"));
    drop(closed);
    let away = shell(&url)
        .session("start guest-list\ncheck\nquit\n")
        .success();
    let checked = away.answer_to("check", 1);
    assert!(
        checked.contains("could not check: cannot ask the endpoint"),
        "{checked}"
    );
    assert!(checked.contains("this is not your mistake"), "{checked}");
}

#[tokio::test]
async fn the_step_passes_when_done_with_the_real_aws_cli() {
    let shell = Cloudlings::new()
        .arg("--lang")
        .arg("en")
        .arg("--lessons")
        .arg(repo("tests/fixtures/aws").display().to_string());
    {
        let emulator =
            Emulator::start(0, Some(&shell.data_dir().join("emulator"))).expect("emulator");
        let learner = learner_address(&emulator.world.lock()).to_string();
        let aws = Aws::new(&emulator, shell.work_dir());
        aws.json(&[
            "ec2",
            "create-security-group",
            "--group-name",
            "web",
            "--description",
            "web",
        ]);
        aws.json(&[
            "ec2",
            "authorize-security-group-ingress",
            "--group-name",
            "web",
            "--protocol",
            "tcp",
            "--port",
            "22",
            "--cidr",
            &format!("{learner}/32"),
        ]);
    }
    let run = shell.session("start guest-list\ncheck\nquit\n").success();
    let checked = run.answer_to("check", 1);
    assert!(checked.contains("3/3"), "{checked}");
}

#[test]
fn an_http_probe_needs_an_http_address_and_one_thing_to_look_at() {
    let dir = tempfile::tempdir().expect("dir");
    let lesson =
        std::fs::read_to_string(repo("tests/fixtures/aws/security-group.toml")).expect("fixture");
    let https = lesson.replacen(
        "probe.aws = \"ec2 describe-security-groups\"",
        "probe.http = \"https://example.com/\"",
        1,
    );
    let both = lesson.replacen(
        "probe.aws = \"ec2 describe-security-groups\"",
        "probe.aws = \"ec2 describe-security-groups\"\nprobe.http = \"http://example.com/\"",
        1,
    );
    for (name, text, message) in [
        (
            "https.toml",
            https,
            "`probe.http = \"https://example.com/\"` needs an `http://` address",
        ),
        (
            "both.toml",
            both,
            "a probe looks at one thing: `probe.file`, `probe.aws`, `probe.http`, `probe.image` \
             or `probe.emulator`",
        ),
    ] {
        let lessons = dir.path().join(name.trim_end_matches(".toml"));
        std::fs::create_dir(&lessons).expect("dir");
        std::fs::write(lessons.join(name), text).expect("write");
        let run = Cloudlings::new().run(&["lesson", "lint", &lessons.display().to_string()]);
        assert_eq!(run.code(), Some(1));
        assert!(run.stdout().contains(message), "{}", run.stdout());
    }
}

/// A check over the emulator's record of SSH sessions: a login and a command are seen only
/// once they happened, with who ran them and how they ended.
#[tokio::test]
async fn ssh_logins_and_commands_are_seen_by_the_events_probe() {
    use cloudlings::aws_cli::Query;
    use cloudlings::check::{Check, Expect, ExpectOp, Route};
    use cloudlings::text::Text;

    let lab = crate::instances::Lab::new().await;
    let machine = lab.ubuntu().await;
    let context = Context::new(std::env::temp_dir()).with_target(Target::emulator(
        &lab.emulator.endpoint(),
        &lab.emulator.credentials,
    ));
    let text = |en: &str| Text {
        en: en.into(),
        ko: Some(en.into()),
    };
    let ran_free = Check {
        label: text("you ran free -h on the instance"),
        reason: text("No `free -h` was run on the instance yet."),
        probe: Probe::Emulator(Route::Events),
        query: Some(
            Query::compile(&format!(
                "Events[?Type=='command' && InstanceId=='{}' && ExitStatus==`0`].Command",
                machine.id
            ))
            .expect("query"),
        ),
        expect: Expect::new(ExpectOp::Contains, Some(Value::from("free -h"))).expect("expect"),
        holds_before: None,
        cases: Vec::new(),
    };
    assert!(!ran_free.run(&context).passed());

    assert_eq!(lab.stdout(&machine, "whoami"), "ubuntu\n");
    assert!(!ran_free.run(&context).passed(), "whoami is not free -h");
    lab.stdout(&machine, "free -h");
    let outcome = ran_free.run(&context);
    assert!(
        outcome.passed(),
        "{outcome:?} {:?}",
        Probe::Emulator(Route::Events).observe(&context)
    );

    let events = Probe::Emulator(Route::Events)
        .observe(&context)
        .expect("events");
    let logins = Query::compile("Events[?Type=='login']")
        .and_then(|query| query.search(&events))
        .expect("logins");
    assert_eq!(logins.as_array().map(Vec::len), Some(2), "{events}");
    assert_eq!(logins[0]["User"], "ubuntu");
    assert_eq!(logins[0]["Source"], lab.learner.to_string());

    // Another account sees none of it.
    let other = lab.emulator.world.add_account();
    let elsewhere = Context::new(std::env::temp_dir())
        .with_target(Target::emulator(&lab.emulator.endpoint(), &other));
    let theirs = Probe::Emulator(Route::Events)
        .observe(&elsewhere)
        .expect("events");
    assert_eq!(theirs["Events"], serde_json::json!([]));
}

#[tokio::test]
async fn the_bill_probe_reads_the_accounts_bill_and_other_endpoints_have_none() {
    use cloudlings::check::Route;

    let lab = crate::instances::Lab::new().await;
    let context = Context::new(std::env::temp_dir()).with_target(Target::emulator(
        &lab.emulator.endpoint(),
        &lab.emulator.credentials,
    ));
    let empty = Probe::Emulator(Route::Bill)
        .observe(&context)
        .expect("bill");
    assert_eq!(empty["Lines"], serde_json::json!([]));
    lab.ubuntu().await;
    lab.advance(3 * 3600);
    let bill = Probe::Emulator(Route::Bill)
        .observe(&context)
        .expect("bill");
    let hours = bill["Lines"][0]["Hours"].as_f64().expect("hours");
    assert!(hours >= 3.0, "{bill}");

    // A plain HTTP server is no emulator: the probe cannot look, which is not a failure.
    let server = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", server.local_addr().expect("addr"));
    std::thread::spawn(move || {
        use std::io::{Read, Write};
        if let Ok((mut stream, _)) = server.accept() {
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let _ = stream.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        }
    });
    let elsewhere = Context::new(std::env::temp_dir()).with_target(Target::Endpoint(
        cloudlings::target::Endpoint::new(url, "AKID", "secret"),
    ));
    let error = Probe::Emulator(Route::Bill)
        .observe(&elsewhere)
        .expect_err("not an emulator");
    assert!(error.to_string().contains("no bill"), "{error}");
}

/// The key step of the fixture, in the shell: a key saved as the lecture saves it (mode 0644)
/// fails on its mode with the reason to `chmod 400`; a file named like the key but holding
/// none fails on its content, however private it is.
#[test]
fn a_key_file_is_checked_for_its_content_and_its_mode() {
    let shell = || {
        Cloudlings::new()
            .arg("--lang")
            .arg("en")
            .arg("--lessons")
            .arg(repo("tests/fixtures/key").display().to_string())
    };
    let saved = shell();
    let run = saved
        .session(
            "start saving-the-key\n\
             check\n\
             aws ec2 create-key-pair --key-name lab --query KeyMaterial --output text > key.pem\n\
             check\n\
             chmod 400 key.pem\n\
             check\n\
             quit\n",
        )
        .success();
    let before = run.answer_to("check", 1);
    assert!(
        before.contains("There is no key pair named lab."),
        "{before}"
    );
    let open = run.answer_to("check", 2);
    assert!(open.contains("2/3"), "{open}");
    assert!(
        open.contains(
            "Others can read key.pem, and ssh refuses such a key: run chmod 400 key.pem."
        ),
        "{open}"
    );
    let done = run.answer_to("check", 3);
    assert!(done.contains("3/3"), "{done}");

    // The name without the key: private, but empty.
    let gamed = shell();
    let run = gamed
        .session(
            "start saving-the-key\n\
             aws ec2 create-key-pair --key-name lab --query KeyPairId --output text\n\
             !touch key.pem\n\
             chmod 400 key.pem\n\
             check\n\
             quit\n",
        )
        .success();
    let checked = run.answer_to("check", 1);
    assert!(checked.contains("2/3"), "{checked}");
    assert!(
        checked.contains("key.pem does not hold a private key"),
        "{checked}"
    );
}

/// Keys the target no longer takes are not the learner's failure: the probe cannot look.
#[test]
fn refused_credentials_make_a_probe_unavailable_not_a_failure() {
    let emulator = start();
    let wrong = Target::Endpoint(cloudlings::target::Endpoint::new(
        emulator.endpoint(),
        emulator.credentials.access_key.clone(),
        "not-the-secret",
    ));
    let context = Context::new(std::env::temp_dir()).with_target(wrong);
    for call in [
        "ec2 describe-instances",
        "s3api list-buckets",
        "iam list-users",
    ] {
        let probe = Probe::Aws(AwsProbe::parse(call).expect("call"));
        let error = probe.observe(&context).expect_err(call).to_string();
        assert!(
            error.contains("SignatureDoesNotMatch") || error.contains("AuthFailure"),
            "{call}: {error}"
        );
    }
}

/// `--region` in a probe looks in that region, as the shell's `aws` does.
#[tokio::test]
async fn a_probe_looks_in_the_region_it_names() {
    let emulator = start();
    let virginia = root(&emulator)
        .into_builder()
        .region(aws_config::Region::new("us-east-1"))
        .build();
    Client::new(&virginia)
        .create_key_pair()
        .key_name("far-away")
        .send()
        .await
        .expect("a key pair in us-east-1");
    let names = |call: &str| {
        let found = probe(&emulator, call);
        found["KeyPairs"]
            .as_array()
            .map(|pairs| {
                pairs
                    .iter()
                    .map(|p| p["KeyName"].clone())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    assert!(names("ec2 describe-key-pairs").is_empty(), "Seoul has none");
    assert_eq!(
        names("ec2 describe-key-pairs --region us-east-1"),
        vec![Value::from("far-away")]
    );
}
