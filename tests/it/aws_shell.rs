//! The shell's own `aws` against an emulator, side by side with the real aws CLI v1 on the same
//! emulator: the lecture's EC2 calls must print what the CLI prints.

use cloudlings_emulator::Emulator;
use serde_json::Value;

use crate::Cloudlings;
use crate::aws_cli::Aws;
use crate::emulator::start;

/// A shell whose target is `emulator`, as `cloudlings --target endpoint` makes it.
pub fn shell(emulator: &Emulator) -> Cloudlings {
    Cloudlings::new()
        .arg("--target")
        .arg("endpoint")
        .arg("--endpoint-url")
        .arg(emulator.endpoint())
        .env("AWS_ACCESS_KEY_ID", &emulator.credentials.access_key)
        .env("AWS_SECRET_ACCESS_KEY", &emulator.credentials.secret)
}

/// What the shell printed for `command`, as JSON.
pub fn json(run: &crate::Run, command: &str) -> Value {
    let answer = run.answer_to(command, 1);
    serde_json::from_str(&answer)
        .unwrap_or_else(|error| panic!("{command}: not JSON ({error}):\n{answer}"))
}

/// Fields whose values are made afresh by each call (ids, names, keys, times).
const GENERATED: &[&str] = &[
    "GroupId",
    "GroupName",
    "SecurityGroupArn",
    "SecurityGroupRuleId",
    "SecurityGroupRuleArn",
    "KeyFingerprint",
    "KeyMaterial",
    "KeyName",
    "KeyPairId",
    "CreateTime",
    "InstanceId",
    "ReservationId",
    "LaunchTime",
    "VolumeId",
    "AttachTime",
    "PrivateIpAddress",
    "PrivateDnsName",
    "PublicIpAddress",
    "PublicDnsName",
    "ClientToken",
    "UsageOperationUpdateTime",
    // The network interface's.
    "NetworkInterfaceId",
    "AttachmentId",
    "MacAddress",
    "PublicIp",
    "Value",
    "Code",
    "Name",
    "StateTransitionReason",
    "Message",
    "AccessKeyId",
    "SecretAccessKey",
    "SessionToken",
    "Expiration",
    // CloudFront's.
    "Id",
    "ARN",
    "DomainName",
    "ETag",
    "Location",
    "LastModifiedTime",
    "CallerReference",
    "TargetOriginId",
];

/// Runs `lines` in one session of the shell, then quits.
pub fn session(cloudlings: &Cloudlings, lines: &[&str]) -> crate::Run {
    cloudlings
        .session(&format!("{}\nquit\n", lines.join("\n")))
        .success()
}

/// Asserts two answers are the same, in the same order, up to what each call generates.
pub fn assert_alike(shell: &Value, cli: &Value) {
    let text = |value: &Value| serde_json::to_string_pretty(&masked(value)).expect("JSON");
    assert_eq!(text(shell), text(cli));
}

/// `value` with the generated fields' values blanked, for comparing two calls' answers.
fn masked(value: &Value) -> Value {
    match value {
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(key, field)| {
                    let field = if GENERATED.contains(&key.as_str()) && !field.is_object() {
                        Value::from("…")
                    } else {
                        masked(field)
                    };
                    (key.clone(), field)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(masked).collect()),
        other => other.clone(),
    }
}

#[test]
fn the_shells_aws_answers_as_the_cli_does() {
    let emulator = start();
    let cloudlings = shell(&emulator);
    let aws = Aws::new(&emulator, cloudlings.work_dir());

    let create = "aws ec2 create-security-group --group-name web --description \"ssh from my PC\"";
    let authorize = "aws ec2 authorize-security-group-ingress --group-name web --protocol tcp \
                     --port 22 --cidr 203.0.113.7/32";
    let describe = "aws ec2 describe-security-groups --group-names web --query 'SecurityGroups[0]'";
    let rules = "aws ec2 describe-security-groups --group-names web \
                 --query SecurityGroups[0].IpPermissions[0].IpRanges[0].CidrIp --output text";
    let key =
        "aws ec2 create-key-pair --key-name lecture --query KeyMaterial --output text > key.pem";
    let pairs = "aws ec2 describe-key-pairs";
    let identity = "aws --no-cli-pager sts get-caller-identity";
    let groups_table = "aws ec2 describe-security-groups --output table";
    let identity_table = "aws sts get-caller-identity --output table";
    let groups_text = "aws ec2 describe-security-groups --output text";
    let images = "aws ec2 describe-images --owners amazon --filters Name=name,Values=*noble*";
    let addresses = "aws ec2 describe-addresses";
    let script = [
        create,
        create,
        authorize,
        describe,
        rules,
        key,
        pairs,
        identity,
        groups_table,
        identity_table,
        groups_text,
        images,
        addresses,
        "aws help",
    ]
    .join("\n");
    let run = cloudlings.session(&script).success();

    // The second create fails as the CLI's does, with its status.
    let duplicate = run.answer_to(create, 2);
    assert!(
        duplicate.contains(
            "An error occurred (InvalidGroup.Duplicate) when calling the CreateSecurityGroup \
             operation: The security group 'web' already exists for VPC 'vpc-"
        ),
        "{duplicate}"
    );
    assert!(duplicate.contains("(exited with 255)"), "{duplicate}");
    assert_eq!(run.answer_to(rules, 1), "203.0.113.7/32");

    // The same reads through the real CLI print the same JSON, to the character.
    let printed = |command: &str, args: &[&str]| {
        assert_eq!(
            run.answer_to(command, 1),
            aws.text(args).trim_end_matches('\n'),
            "{command}"
        );
    };
    printed(
        describe,
        &[
            "ec2",
            "describe-security-groups",
            "--group-names",
            "web",
            "--query",
            "SecurityGroups[0]",
        ],
    );
    printed(pairs, &["ec2", "describe-key-pairs"]);
    printed(addresses, &["ec2", "describe-addresses"]);
    printed(identity, &["sts", "get-caller-identity"]);
    printed(
        groups_table,
        &["ec2", "describe-security-groups", "--output", "table"],
    );
    printed(
        images,
        &[
            "ec2",
            "describe-images",
            "--owners",
            "amazon",
            "--filters",
            "Name=name,Values=*noble*",
        ],
    );
    printed(
        groups_text,
        &["ec2", "describe-security-groups", "--output", "text"],
    );
    printed(
        identity_table,
        &["sts", "get-caller-identity", "--output", "table"],
    );
    assert_eq!(
        json(&run, describe),
        aws.json(&[
            "ec2",
            "describe-security-groups",
            "--group-names",
            "web",
            "--query",
            "SecurityGroups[0]"
        ])
    );
    assert_eq!(json(&run, pairs), aws.json(&["ec2", "describe-key-pairs"]));
    assert_eq!(
        json(&run, identity),
        aws.json(&["sts", "get-caller-identity"])
    );

    // Writes answer as the CLI's do, up to what each call generates.
    assert_alike(
        &json(&run, create),
        &aws.json(&[
            "ec2",
            "create-security-group",
            "--group-name",
            "cli",
            "--description",
            "ssh from my PC",
        ]),
    );
    assert_alike(
        &json(&run, authorize),
        &aws.json(&[
            "ec2",
            "authorize-security-group-ingress",
            "--group-name",
            "cli",
            "--protocol",
            "tcp",
            "--port",
            "22",
            "--cidr",
            "203.0.113.7/32",
        ]),
    );

    // The key went to the file, as a shell's `>` writes one.
    let pem = cloudlings.work_dir().join("key.pem");
    let text = std::fs::read_to_string(&pem).expect("key.pem");
    assert!(
        text.starts_with("-----BEGIN RSA PRIVATE KEY-----"),
        "{text}"
    );
    let cli_key = aws.text(&[
        "ec2",
        "create-key-pair",
        "--key-name",
        "cli",
        "--query",
        "KeyMaterial",
        "--output",
        "text",
    ]);
    let tail = |pem: &str| pem[pem.len().saturating_sub(32)..].to_string();
    assert_eq!(tail(&text), tail(&cli_key));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&pem).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o644);
    }
    assert_eq!(run.answer_to(key, 1), "");

    // An instance, run and terminated from the shell, reads as the CLI's.
    let ami = aws.json(&[
        "ec2",
        "describe-images",
        "--owners",
        "amazon",
        "--query",
        "Images[0].ImageId",
    ]);
    let ami = ami.as_str().expect("an image");
    let group = aws.json(&[
        "ec2",
        "describe-security-groups",
        "--group-names",
        "web",
        "--query",
        "SecurityGroups[0].GroupId",
    ]);
    let group = group.as_str().expect("the group");
    let launch = format!(
        "aws ec2 run-instances --image-id {ami} --instance-type t3.micro --key-name lecture \
         --security-group-ids {group} --count 1 \
         --tag-specifications 'ResourceType=instance,Tags=[{{Key=Name,Value=web}}]'"
    );
    let ran = cloudlings.session(&format!("{launch}\naws help")).success();
    let reservation = json(&ran, &launch);
    let cli_reservation = aws.json(&[
        "ec2",
        "run-instances",
        "--image-id",
        ami,
        "--instance-type",
        "t3.micro",
        "--key-name",
        "lecture",
        "--security-group-ids",
        group,
        "--count",
        "1",
        "--tag-specifications",
        "ResourceType=instance,Tags=[{Key=Name,Value=cli}]",
    ]);
    assert_alike(&reservation, &cli_reservation);
    let id = reservation["Instances"][0]["InstanceId"]
        .as_str()
        .expect("instance id");
    let cli_id = cli_reservation["Instances"][0]["InstanceId"]
        .as_str()
        .expect("instance id");
    let listed = format!("aws ec2 describe-instances --instance-ids {id}");
    let terminate = format!("aws ec2 terminate-instances --instance-ids {id}");
    let stopped = cloudlings
        .session(&format!("{listed}\n{terminate}\naws help"))
        .success();
    assert_alike(
        &json(&stopped, &listed),
        &aws.json(&["ec2", "describe-instances", "--instance-ids", cli_id]),
    );
    assert_alike(
        &json(&stopped, &terminate),
        &aws.json(&["ec2", "terminate-instances", "--instance-ids", cli_id]),
    );
    assert_eq!(
        json(&stopped, &terminate)["TerminatingInstances"][0]["InstanceId"],
        id
    );
}

#[test]
fn calls_beyond_the_shells_go_to_the_real_cli() {
    let emulator = start();
    let run = shell(&emulator)
        .session("aws ec2 create-vpc --cidr-block 10.0.0.0/16\naws help\naws ec2 describe-instances --bogus 1")
        .success();
    let vpc = run.answer_to("aws ec2 create-vpc --cidr-block 10.0.0.0/16", 1);
    assert!(vpc.contains("eval \"$(cloudlings env)\""), "{vpc}");
    assert!(
        vpc.contains("aws ec2 create-vpc --cidr-block 10.0.0.0/16"),
        "{vpc}"
    );
    let help = run.answer_to("aws help", 1);
    assert!(help.contains("aws ec2 run-instances"), "{help}");
    let bogus = run.answer_to("aws ec2 describe-instances --bogus 1", 1);
    assert!(bogus.contains("Unknown options: --bogus, 1"), "{bogus}");
    assert!(bogus.contains("255"), "{bogus}");
}

#[test]
fn usage_and_connection_errors_read_as_the_clis() {
    let run = Cloudlings::new()
        .arg("--target")
        .arg("endpoint")
        .arg("--endpoint-url")
        .arg("http://127.0.0.1:9")
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .session("aws ec2 create-security-group\naws sts get-caller-identity\naws help")
        .success();
    let missing = run.answer_to("aws ec2 create-security-group", 1);
    assert!(
        missing.contains(
            "aws: error: the following arguments are required: --description, --group-name"
        ),
        "{missing}"
    );
    assert!(missing.contains("(exited with 2)"), "{missing}");
    let unreachable = run.answer_to("aws sts get-caller-identity", 1);
    assert!(
        unreachable.contains("Could not connect to the endpoint URL: \"http://127.0.0.1:9/\""),
        "{unreachable}"
    );
    assert!(unreachable.contains("255"), "{unreachable}");
}

#[test]
fn wait_returns_quietly_once_the_instances_run_and_refuses_unknown_waiters() {
    let shell = crate::Cloudlings::new().arg("--lang").arg("en");
    let image = "aws ec2 describe-images --filters Name=name,Values=ubuntu/images/*noble* --query Images[0].ImageId --output text";
    let found = shell.session(&format!("{image}\nquit\n")).success();
    let image_id = found.answer_to(image, 1).trim().to_string();
    assert!(image_id.starts_with("ami-"), "{image_id}");
    let launch = format!(
        "aws ec2 run-instances --image-id {image_id} --instance-type t2.micro --tag-specifications ResourceType=instance,Tags=[{{Key=Name,Value=web}}] --query Instances[0].State.Name --output text"
    );
    let wait = "aws ec2 wait instance-running --filters Name=tag:Name,Values=web";
    let state = "aws ec2 describe-instances --filters Name=tag:Name,Values=web --query Reservations[0].Instances[0].State.Name --output text";
    let run = shell
        .session(&format!(
            "{launch}\nclock advance 1m\n{wait}\n{state}\naws ec2 wait instance-sleeping\nquit\n"
        ))
        .success();
    assert_eq!(run.answer_to(&launch, 1).trim(), "pending");
    assert_eq!(run.answer_to(wait, 1), "", "the CLI's wait prints nothing");
    assert_eq!(run.answer_to(state, 1).trim(), "running");
    let refused = run.answer_to("aws ec2 wait instance-sleeping", 1);
    assert!(
        refused.contains("argument wait: Invalid choice") && refused.contains("(exited with 2)"),
        "{refused}"
    );
}

#[tokio::test]
async fn iam_reads_answer_as_the_cli_does() {
    let emulator = start();
    let iam = aws_sdk_iam::Client::new(&crate::emulator::root(&emulator));
    iam.create_user()
        .user_name("alice")
        .send()
        .await
        .expect("user");
    iam.create_virtual_mfa_device()
        .virtual_mfa_device_name("root-phone")
        .send()
        .await
        .expect("virtual MFA device");
    let cloudlings = shell(&emulator);
    let aws = Aws::new(&emulator, cloudlings.work_dir());
    let calls: [(&str, &[&str]); 4] = [
        ("aws iam list-users", &["iam", "list-users"]),
        (
            "aws iam get-account-summary",
            &["iam", "get-account-summary"],
        ),
        ("aws iam list-mfa-devices", &["iam", "list-mfa-devices"]),
        (
            "aws iam list-virtual-mfa-devices",
            &["iam", "list-virtual-mfa-devices"],
        ),
    ];
    let mut script: Vec<&str> = calls.iter().map(|(line, _)| *line).collect();
    script.push("quit");
    let run = cloudlings.session(&script.join("\n")).success();
    for (line, args) in calls {
        assert_eq!(json(&run, line), aws.json(args), "{line}");
    }
}

#[test]
fn session_tokens_answer_as_the_cli_does_and_bad_codes_as_its_errors() {
    let emulator = start();
    let cloudlings = shell(&emulator);
    let aws = Aws::new(&emulator, cloudlings.work_dir());
    let token = "aws sts get-session-token --duration-seconds 3600";
    let wrong = "aws sts get-session-token --serial-number arn:aws:iam::123456789012:mfa/none --token-code 000000";
    let run = cloudlings
        .session(&format!("{token}\n{wrong}\nquit\n"))
        .success();
    assert_alike(
        &json(&run, token),
        &aws.json(&["sts", "get-session-token", "--duration-seconds", "3600"]),
    );
    let refused = run.answer_to(wrong, 1);
    assert!(
        refused.contains("when calling the GetSessionToken operation")
            && refused.contains("(exited with 255)"),
        "{refused}"
    );
}

#[tokio::test]
async fn s3_make_list_and_remove_buckets_print_as_the_cli_does() {
    let emulator = start();
    let cloudlings = shell(&emulator);
    let aws = Aws::new(&emulator, cloudlings.work_dir());
    let s3 = aws_sdk_s3::Client::new(&crate::emulator::root(&emulator));
    let make = "aws s3 mb s3://cloudlings-photos";
    let again = "aws s3 mb s3://cloudlings-photos";
    let run = cloudlings
        .session(&format!("{make}\n{again}\nquit\n"))
        .success();
    assert_eq!(run.answer_to(make, 1), "make_bucket: cloudlings-photos");
    let duplicate = run.answer_to(again, 2);
    assert!(
        duplicate.starts_with("make_bucket failed: s3://cloudlings-photos An error occurred (BucketAlreadyOwnedByYou) when calling the CreateBucket operation")
            && duplicate.contains("(exited with 1)"),
        "{duplicate}"
    );
    for key in ["cat.png", "2026/dog.png"] {
        s3.put_object()
            .bucket("cloudlings-photos")
            .key(key)
            .body(aws_sdk_s3::primitives::ByteStream::from_static(b"pixels"))
            .send()
            .await
            .expect("object");
    }
    let listed = cloudlings
        .session("aws s3 ls\naws s3 ls s3://cloudlings-photos/\naws s3 rb s3://cloudlings-photos\nquit\n")
        .success();
    let full = listed.answer_to("aws s3 rb s3://cloudlings-photos", 1);
    assert!(
        full.starts_with(
            "remove_bucket failed: s3://cloudlings-photos An error occurred (BucketNotEmpty)"
        ),
        "{full}"
    );
    for (line, args) in [
        ("aws s3 ls", vec!["s3", "ls"]),
        (
            "aws s3 ls s3://cloudlings-photos/",
            vec!["s3", "ls", "s3://cloudlings-photos/"],
        ),
    ] {
        assert_eq!(
            listed.answer_to(line, 1),
            aws.text(&args).trim_end_matches('\n'),
            "{line}"
        );
    }
}

/// Lesson 2's reads: instance types as rented flats, and a Windows instance's password.
#[test]
fn instance_types_and_windows_passwords_read_as_the_cli_does() {
    let emulator = start();
    let cloudlings = shell(&emulator);
    let aws = Aws::new(&emulator, cloudlings.work_dir());
    let key = aws.text(&[
        "ec2",
        "create-key-pair",
        "--key-name",
        "win",
        "--query",
        "KeyMaterial",
        "--output",
        "text",
    ]);
    std::fs::write(cloudlings.work_dir().join("win.pem"), key).expect("key");
    let image = aws.json(&[
        "ec2",
        "describe-images",
        "--owners",
        "amazon",
        "--filters",
        "Name=platform,Values=windows",
        "--query",
        "Images[0].ImageId",
    ]);
    let launched = aws.json(&[
        "ec2",
        "run-instances",
        "--image-id",
        image.as_str().expect("a Windows image"),
        "--instance-type",
        "t3.micro",
        "--key-name",
        "win",
        "--query",
        "Instances[0].InstanceId",
    ]);
    let id = launched.as_str().expect("instance id");

    let types = "aws ec2 describe-instance-types --instance-types t2.micro t3.micro";
    let flats = "aws ec2 describe-instance-types --instance-types t2.micro t3.micro \
                 --query InstanceTypes[].[InstanceType,VCpuInfo.DefaultVCpus,MemoryInfo.SizeInMiB] \
                 --output table";
    let password = format!("aws ec2 get-password-data --instance-id {id}");
    let run = session(&cloudlings, &[types, flats, &password]);
    for line in [types, flats] {
        let args: Vec<&str> = line.split_whitespace().skip(1).collect();
        assert_eq!(
            run.answer_to(line, 1),
            aws.text(&args).trim_end_matches('\n'),
            "{line}"
        );
    }
    let cli = aws.json(&["ec2", "get-password-data", "--instance-id", id]);
    let ours = json(&run, &password);
    assert_eq!(ours["InstanceId"], cli["InstanceId"]);
    assert_eq!(ours["PasswordData"], cli["PasswordData"]);

    // Once Windows has set it, the key opens the password, as the CLI's `--priv-launch-key`.
    crate::emulator::advance(&emulator, 300);
    let decrypt = format!("aws ec2 get-password-data --instance-id {id} --priv-launch-key win.pem");
    let wrong = format!("aws ec2 get-password-data --instance-id {id} --priv-launch-key nope.pem");
    let run = session(&cloudlings, &[&decrypt, &wrong]);
    let cli = aws.json(&[
        "ec2",
        "get-password-data",
        "--instance-id",
        id,
        "--priv-launch-key",
        "win.pem",
    ]);
    let ours = json(&run, &decrypt);
    let password = ours["PasswordData"].as_str().expect("password");
    // The 32 characters Windows set, not the encrypted blob (whose base64 is far longer; the
    // password's own alphabet has `=`, so its end says nothing).
    assert_eq!(password.chars().count(), 32, "{password}");
    assert_eq!(ours["PasswordData"], cli["PasswordData"]);
    assert!(
        run.answer_to(&wrong, 1)
            .contains("priv-launch-key should be a path")
    );
    assert_eq!(
        ours.as_object()
            .map(|o| o.keys().cloned().collect::<Vec<_>>()),
        cli.as_object()
            .map(|o| o.keys().cloned().collect::<Vec<_>>())
    );
}

/// An S3 error is the `aws` command's output, not a log line on the learner's screen.
#[test]
fn s3_errors_are_not_logged_to_the_learner() {
    let run = Cloudlings::new()
        .session("aws s3 mb s3://My_Bucket\nquit\n")
        .success();
    assert!(
        run.answer_to("aws s3 mb s3://My_Bucket", 1).contains(
            "make_bucket failed: s3://My_Bucket An error occurred (InvalidBucketName) when calling the CreateBucket operation: The specified bucket is not valid."
        ),
        "{}",
        run.stdout()
    );
    assert!(!run.stderr().contains("s3s"), "{}", run.stderr());
    assert!(!run.stdout().contains("s3s::"), "{}", run.stdout());
}

/// A list option given no value is what argparse makes of it in the CLI v1: the model's lists
/// are `nargs='*'`, so `--instance-ids` alone is as if it were not there (the CLI v1 then
/// describes every instance); the lists the CLI adds itself with `nargs='+'`, such as
/// `create-invalidation --paths`, are a usage error.
#[test]
fn list_options_given_no_value_are_read_as_argparse_reads_them() {
    let paths = "aws cloudfront create-invalidation --distribution-id E1 --paths";
    let bare = "aws ec2 describe-instances --instance-ids --filters --output text";
    let run = Cloudlings::new()
        .session(&format!("{paths}\n{bare}\nquit\n"))
        .success();
    let answer = run.answer_to(paths, 1);
    assert!(
        answer.contains("aws: error: argument --paths: expected at least one argument")
            && answer.contains("(exited with 2)"),
        "{answer}"
    );
    let answer = run.answer_to(bare, 1);
    assert!(!answer.contains("error"), "{answer}");
}

#[test]
fn outbound_rules_are_taken_back_and_made_as_the_cli_does() {
    let emulator = start();
    let cloudlings = shell(&emulator);
    let aws = Aws::new(&emulator, cloudlings.work_dir());
    let group = |name: &str| {
        let made = aws.json(&[
            "ec2",
            "create-security-group",
            "--group-name",
            name,
            "--description",
            "outbound practice",
        ]);
        made["GroupId"].as_str().expect("an id").to_string()
    };
    let (web, cli) = (group("web"), group("cli"));
    let revoke = format!(
        "aws ec2 revoke-security-group-egress --group-id {web} --protocol all --cidr 0.0.0.0/0"
    );
    let authorize = format!(
        "aws ec2 authorize-security-group-egress --group-id {web} --protocol tcp --port 443 \
         --cidr 0.0.0.0/0"
    );
    let by_name = "aws ec2 revoke-security-group-egress --group-name web --protocol all";
    let outbound = |id: &str| {
        format!(
            "aws ec2 describe-security-groups --group-ids {id} \
             --query SecurityGroups[0].IpPermissionsEgress"
        )
    };
    let run = session(
        &cloudlings,
        &[&revoke, &authorize, by_name, &outbound(&web)],
    );

    assert_alike(
        &json(&run, &revoke),
        &aws.json(&[
            "ec2",
            "revoke-security-group-egress",
            "--group-id",
            &cli,
            "--protocol",
            "all",
            "--cidr",
            "0.0.0.0/0",
        ]),
    );
    assert_alike(
        &json(&run, &authorize),
        &aws.json(&[
            "ec2",
            "authorize-security-group-egress",
            "--group-id",
            &cli,
            "--protocol",
            "tcp",
            "--port",
            "443",
            "--cidr",
            "0.0.0.0/0",
        ]),
    );
    // Outbound rules have no group name to go by, in the CLI as here.
    let refused = run.answer_to(by_name, 1);
    assert!(
        refused.contains("Unknown options: --group-name"),
        "{refused}"
    );
    let rules = json(&run, &outbound(&web));
    assert_eq!(
        rules,
        aws.json(&[
            "ec2",
            "describe-security-groups",
            "--group-ids",
            &cli,
            "--query",
            "SecurityGroups[0].IpPermissionsEgress",
        ])
    );
    assert_eq!(rules[0]["FromPort"], 443, "{rules}");
}

/// A control sequence in what a service answers (a tag a classmate or a lesson set, an id
/// echoed in an error) is shown in caret notation, not sent to the learner's terminal. XML
/// carries C1 controls, such as the one-character CSI `\u{9b}`, which JSON does not escape.
#[tokio::test]
async fn control_sequences_in_answers_are_shown_not_obeyed() {
    let emulator = start();
    let ec2 = aws_sdk_ec2::Client::new(&crate::emulator::root(&emulator));
    let group = ec2
        .create_security_group()
        .group_name("web")
        .description("web")
        .send()
        .await
        .expect("CreateSecurityGroup");
    ec2.create_tags()
        .resources(group.group_id().expect("id"))
        .tags(
            aws_sdk_ec2::types::Tag::builder()
                .key("Name")
                .value("red\u{9b}2Jscreen")
                .build(),
        )
        .send()
        .await
        .expect("CreateTags");
    let commands = [
        "aws ec2 describe-security-groups --group-names web --output text",
        "aws ec2 describe-security-groups --group-names web --output table",
        "aws ec2 describe-security-groups --group-names web",
        "aws ec2 describe-security-groups --group-names we\u{9b}2Jb",
    ];
    let run = shell(&emulator)
        .session(&format!("{}\nquit\n", commands.join("\n")))
        .success();
    for command in &commands[..3] {
        let answer = run.answer_to(command, 1);
        assert!(
            answer.contains("red\\u{9b}2Jscreen") && !answer.contains('\u{9b}'),
            "{command}:\n{answer}"
        );
    }
    let refused = run.answer_to(commands[3], 1);
    assert!(
        refused.contains("InvalidGroup.NotFound")
            && refused.contains("we\\u{9b}2Jb")
            && !refused.contains('\u{9b}'),
        "{refused}"
    );
}
