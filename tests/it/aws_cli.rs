//! The real aws CLI v1 against the emulator: the lecture's whole EC2 and MFA scenario.
//!
//! `scripts/test` installs the CLI from PyPI into a virtualenv and names it in
//! `CLOUDLINGS_AWS_CLI`; without it the `aws` on the PATH is used, and it must be version 1.

use std::path::Path;
use std::process::Command;

use cloudlings_emulator::{Emulator, mfa};
use serde_json::Value;

use crate::emulator::{advance, start};

/// Runs the aws CLI against an emulator, as a learner in a second terminal would after
/// `eval "$(cloudlings env)"`, with nothing from the machine's own AWS configuration.
pub struct Aws<'a> {
    emulator: &'a Emulator,
    dir: &'a Path,
    keys: (String, String, Option<String>),
}

impl<'a> Aws<'a> {
    pub fn new(emulator: &'a Emulator, dir: &'a Path) -> Aws<'a> {
        let keys = (
            emulator.credentials.access_key.clone(),
            emulator.credentials.secret.clone(),
            None,
        );
        Aws {
            emulator,
            dir,
            keys,
        }
    }

    /// The same CLI signing with another account's keys.
    pub fn with_keys(mut self, keys: &cloudlings_emulator::Credentials) -> Aws<'a> {
        self.keys = (keys.access_key.clone(), keys.secret.clone(), None);
        self
    }

    fn command(&self, args: &[&str]) -> Command {
        let program = std::env::var("CLOUDLINGS_AWS_CLI").unwrap_or_else(|_| "aws".into());
        let mut command = Command::new(program);
        command
            .args(args)
            .current_dir(self.dir)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", self.dir)
            .env("AWS_CONFIG_FILE", self.dir.join("no-config"))
            .env(
                "AWS_SHARED_CREDENTIALS_FILE",
                self.dir.join("no-credentials"),
            )
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_ENDPOINT_URL", self.emulator.endpoint())
            .env("AWS_DEFAULT_REGION", "ap-northeast-2")
            .env("AWS_ACCESS_KEY_ID", &self.keys.0)
            .env("AWS_SECRET_ACCESS_KEY", &self.keys.1)
            .env("AWS_DEFAULT_OUTPUT", "json");
        if let Some(token) = &self.keys.2 {
            command.env("AWS_SESSION_TOKEN", token);
        }
        command
    }

    /// Runs a command that must succeed, and returns what it printed.
    pub fn text(&self, args: &[&str]) -> String {
        let output = self.command(args).output().expect("run the aws CLI");
        assert!(
            output.status.success(),
            "aws {} failed:\n{}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Runs and parses the JSON output; panics with the CLI's error otherwise.
    pub fn json(&self, args: &[&str]) -> Value {
        let stdout = self.text(args);
        if stdout.trim().is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&stdout).expect("JSON output")
        }
    }

    /// Runs a command that must fail, and returns its error output.
    pub fn fails(&self, args: &[&str]) -> String {
        self.failure(args).1
    }

    /// Runs a command that must fail, and returns its exit status and error output.
    pub fn failure(&self, args: &[&str]) -> (Option<i32>, String) {
        let output = self.command(args).output().expect("run the aws CLI");
        assert!(
            !output.status.success(),
            "aws {} should have failed",
            args.join(" ")
        );
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        (output.status.code(), stderr)
    }
}

#[test]
fn the_aws_cli_is_version_1() {
    let emulator = start();
    let dir = tempfile::tempdir().expect("dir");
    let output = Aws::new(&emulator, dir.path())
        .command(&["--version"])
        .output()
        .expect("aws --version");
    let version = String::from_utf8_lossy(&output.stdout).to_string()
        + &String::from_utf8_lossy(&output.stderr);
    assert!(
        version.starts_with("aws-cli/1."),
        "scripts/test installs the aws CLI v1; found: {version}"
    );
}

#[test]
fn the_lectures_ec2_scenario() {
    let emulator = start();
    let dir = tempfile::tempdir().expect("dir");
    let aws = Aws::new(&emulator, dir.path());

    let identity = aws.json(&["sts", "get-caller-identity"]);
    assert_eq!(identity["Account"], emulator.credentials.account.as_str());

    // The key pair, saved as the lecture does, and accepted by OpenSSH.
    let key = aws.json(&[
        "ec2",
        "create-key-pair",
        "--key-name",
        "lecture",
        "--query",
        "KeyMaterial",
        "--output",
        "json",
    ]);
    let pem = dir.path().join("lecture.pem");
    std::fs::write(&pem, key.as_str().expect("key material")).expect("save the key");
    let chmod = Command::new("chmod")
        .arg("400")
        .arg(&pem)
        .status()
        .expect("chmod");
    assert!(chmod.success());
    let public = Command::new("ssh-keygen")
        .arg("-y")
        .arg("-f")
        .arg(&pem)
        .output()
        .expect("ssh-keygen");
    assert!(
        public.status.success(),
        "{}",
        String::from_utf8_lossy(&public.stderr)
    );

    // Port 22 from one address only, port 80 from everyone.
    let group = aws.json(&[
        "ec2",
        "create-security-group",
        "--group-name",
        "web",
        "--description",
        "ssh from my PC, http for all",
    ]);
    let group_id = group["GroupId"].as_str().expect("group id").to_string();
    aws.json(&[
        "ec2",
        "authorize-security-group-ingress",
        "--group-id",
        &group_id,
        "--protocol",
        "tcp",
        "--port",
        "22",
        "--cidr",
        "203.0.113.7/32",
    ]);
    aws.json(&[
        "ec2",
        "authorize-security-group-ingress",
        "--group-id",
        &group_id,
        "--ip-permissions",
        "IpProtocol=tcp,FromPort=80,ToPort=80,IpRanges=[{CidrIp=0.0.0.0/0}]",
    ]);
    let duplicate = aws.fails(&[
        "ec2",
        "authorize-security-group-ingress",
        "--group-id",
        &group_id,
        "--protocol",
        "tcp",
        "--port",
        "22",
        "--cidr",
        "203.0.113.7/32",
    ]);
    assert!(
        duplicate.contains("InvalidPermission.Duplicate"),
        "{duplicate}"
    );
    let rules = aws.json(&[
        "ec2",
        "describe-security-groups",
        "--group-ids",
        &group_id,
        "--query",
        "SecurityGroups[0].IpPermissions[].[FromPort,IpRanges[0].CidrIp]",
    ]);
    let mut rules: Vec<String> = rules
        .as_array()
        .expect("rules")
        .iter()
        .map(|r| r.to_string())
        .collect();
    rules.sort();
    assert_eq!(rules, ["[22,\"203.0.113.7/32\"]", "[80,\"0.0.0.0/0\"]"]);

    // A t2.micro with both, running, then stopped, started and terminated.
    let image = aws.json(&[
        "ec2",
        "describe-images",
        "--owners",
        "099720109477",
        "--filters",
        "Name=name,Values=ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*",
        "--query",
        "Images[0].ImageId",
    ]);
    let run = aws.json(&[
        "ec2",
        "run-instances",
        "--image-id",
        image.as_str().expect("image"),
        "--instance-type",
        "t2.micro",
        "--key-name",
        "lecture",
        "--security-group-ids",
        &group_id,
        "--count",
        "1",
        "--tag-specifications",
        "ResourceType=instance,Tags=[{Key=Name,Value=lecture}]",
    ]);
    let id = run["Instances"][0]["InstanceId"]
        .as_str()
        .expect("instance id")
        .to_string();
    assert_eq!(run["Instances"][0]["State"]["Name"], "pending");
    advance(&emulator, 20);
    aws.json(&["ec2", "wait", "instance-running", "--instance-ids", &id]);
    let dns = aws.json(&[
        "ec2",
        "describe-instances",
        "--instance-ids",
        &id,
        "--query",
        "Reservations[0].Instances[0].PublicDnsName",
    ]);
    assert!(
        dns.as_str().is_some_and(
            |d| d.starts_with("ec2-") && d.ends_with(".ap-northeast-2.compute.amazonaws.com")
        ),
        "{dns}"
    );
    let running = aws.json(&[
        "ec2",
        "describe-instances",
        "--filters",
        "Name=instance-state-name,Values=running",
        "Name=tag:Name,Values=lecture",
        "--query",
        "Reservations[].Instances[].InstanceId",
    ]);
    assert_eq!(running, serde_json::json!([id]));

    aws.json(&["ec2", "stop-instances", "--instance-ids", &id]);
    advance(&emulator, 20);
    aws.json(&["ec2", "wait", "instance-stopped", "--instance-ids", &id]);
    aws.json(&["ec2", "start-instances", "--instance-ids", &id]);
    advance(&emulator, 20);
    aws.json(&["ec2", "wait", "instance-running", "--instance-ids", &id]);
    let terminated = aws.json(&["ec2", "terminate-instances", "--instance-ids", &id]);
    assert_eq!(
        terminated["TerminatingInstances"][0]["CurrentState"]["Name"],
        "shutting-down"
    );
    advance(&emulator, 20);
    aws.json(&["ec2", "wait", "instance-terminated", "--instance-ids", &id]);
    aws.json(&["ec2", "delete-security-group", "--group-id", &group_id]);

    // "Rent a Windows computer for an hour": its password, decrypted with the key pair.
    let windows = aws.json(&[
        "ec2",
        "describe-images",
        "--filters",
        "Name=platform,Values=windows",
        "--query",
        "Images[0].ImageId",
    ]);
    let run = aws.json(&[
        "ec2",
        "run-instances",
        "--image-id",
        windows.as_str().expect("image"),
        "--instance-type",
        "t2.micro",
        "--key-name",
        "lecture",
    ]);
    let id = run["Instances"][0]["InstanceId"]
        .as_str()
        .expect("id")
        .to_string();
    advance(&emulator, 5 * 60);
    let password = aws.json(&[
        "ec2",
        "get-password-data",
        "--instance-id",
        &id,
        "--priv-launch-key",
        "lecture.pem",
        "--query",
        "PasswordData",
    ]);
    assert_eq!(password.as_str().map(str::len), Some(32), "{password}");
    aws.json(&["ec2", "delete-key-pair", "--key-name", "lecture"]);
}

#[test]
fn the_lectures_mfa_scenario() {
    let emulator = start();
    let dir = tempfile::tempdir().expect("dir");
    let root = Aws::new(&emulator, dir.path());
    // The aws CLI v1 names a user for EnableMFADevice: the lecture's MFA goes on an IAM user
    // that does the daily work, the root user being kept locked away.
    root.json(&["iam", "create-user", "--user-name", "admin"]);
    let key = root.json(&["iam", "create-access-key", "--user-name", "admin"]);
    let aws = Aws {
        emulator: &emulator,
        dir: dir.path(),
        keys: (
            key["AccessKey"]["AccessKeyId"]
                .as_str()
                .expect("key")
                .to_string(),
            key["AccessKey"]["SecretAccessKey"]
                .as_str()
                .expect("secret")
                .to_string(),
            None,
        ),
    };

    let device = aws.json(&[
        "iam",
        "create-virtual-mfa-device",
        "--virtual-mfa-device-name",
        "root-mfa",
        "--outfile",
        "seed.txt",
        "--bootstrap-method",
        "Base32StringSeed",
    ]);
    let serial = device["VirtualMFADevice"]["SerialNumber"]
        .as_str()
        .expect("serial")
        .to_string();
    let seed =
        mfa::from_base32(&std::fs::read_to_string(dir.path().join("seed.txt")).expect("seed file"))
            .expect("base32");
    let png = aws.json(&[
        "iam",
        "create-virtual-mfa-device",
        "--virtual-mfa-device-name",
        "phone",
        "--outfile",
        "qr.png",
        "--bootstrap-method",
        "QRCodePNG",
    ]);
    assert!(png["VirtualMFADevice"]["SerialNumber"].is_string());
    assert!(
        std::fs::read(dir.path().join("qr.png"))
            .expect("qr")
            .starts_with(b"\x89PNG")
    );

    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("time")
        .as_secs();
    let (first, second) = (mfa::code_at(&seed, now - 30), mfa::code_at(&seed, now));
    let enable = |one: &str, two: &str| -> [String; 10] {
        [
            "iam",
            "enable-mfa-device",
            "--user-name",
            "admin",
            "--serial-number",
            &serial,
            "--authentication-code1",
            one,
            "--authentication-code2",
            two,
        ]
        .map(str::to_string)
    };
    let reversed = enable(&second, &first);
    let refused = aws.fails(&reversed.each_ref().map(String::as_str));
    assert!(refused.contains("InvalidAuthenticationCode"), "{refused}");
    let in_order = enable(&first, &second);
    aws.json(&in_order.each_ref().map(String::as_str));
    let devices = aws.json(&[
        "iam",
        "list-mfa-devices",
        "--user-name",
        "admin",
        "--query",
        "MFADevices[].SerialNumber",
    ]);
    assert_eq!(devices, serde_json::json!([serial]));
    let in_use = aws.json(&[
        "iam",
        "get-account-summary",
        "--query",
        "SummaryMap.MFADevicesInUse",
    ]);
    assert_eq!(in_use, 1);

    let wrong = if mfa::code_now(&seed) == "000000" {
        "111111"
    } else {
        "000000"
    };
    let denied = aws.fails(&[
        "sts",
        "get-session-token",
        "--serial-number",
        &serial,
        "--token-code",
        wrong,
    ]);
    assert!(denied.contains("AccessDenied"), "{denied}");
    let session = aws.json(&[
        "sts",
        "get-session-token",
        "--serial-number",
        &serial,
        "--token-code",
        &mfa::code_now(&seed),
        "--duration-seconds",
        "900",
    ]);
    let credentials = &session["Credentials"];
    let with_mfa = Aws {
        emulator: &emulator,
        dir: dir.path(),
        keys: (
            credentials["AccessKeyId"]
                .as_str()
                .expect("key")
                .to_string(),
            credentials["SecretAccessKey"]
                .as_str()
                .expect("secret")
                .to_string(),
            Some(
                credentials["SessionToken"]
                    .as_str()
                    .expect("token")
                    .to_string(),
            ),
        ),
    };
    let identity = with_mfa.json(&["sts", "get-caller-identity"]);
    assert_eq!(
        identity["Arn"],
        format!("arn:aws:iam::{}:user/admin", emulator.credentials.account)
    );
}

#[test]
fn run_instances_with_a_public_address_choice_keeps_its_groups() {
    let emulator = start();
    let dir = tempfile::tempdir().expect("dir");
    let aws = Aws::new(&emulator, dir.path());
    let group = aws.json(&[
        "ec2",
        "create-security-group",
        "--group-name",
        "web",
        "--description",
        "web",
    ]);
    let group_id = group["GroupId"].as_str().expect("group").to_string();
    let subnet = aws.json(&["ec2", "describe-subnets", "--query", "Subnets[0].SubnetId"]);
    let image = aws.json(&[
        "ec2",
        "describe-images",
        "--filters",
        "Name=name,Values=al2023-*",
        "--query",
        "Images[0].ImageId",
    ]);
    // The aws CLI sends these inside the primary network interface.
    let private = aws.json(&[
        "ec2",
        "run-instances",
        "--image-id",
        image.as_str().expect("image"),
        "--subnet-id",
        subnet.as_str().expect("subnet"),
        "--security-group-ids",
        &group_id,
        "--no-associate-public-ip-address",
    ]);
    let instance = &private["Instances"][0];
    assert_eq!(instance["SecurityGroups"][0]["GroupId"], group_id.as_str());
    assert_eq!(instance["SubnetId"], subnet);
    assert!(instance.get("PublicIpAddress").is_none(), "{instance}");
    let public = aws.json(&[
        "ec2",
        "run-instances",
        "--image-id",
        image.as_str().expect("image"),
        "--security-group-ids",
        &group_id,
        "--associate-public-ip-address",
    ]);
    assert!(public["Instances"][0]["PublicIpAddress"].is_string());
    assert_eq!(
        public["Instances"][0]["SecurityGroups"][0]["GroupName"],
        "web"
    );
}

#[test]
fn the_lectures_s3_scenario() {
    let emulator = start();
    let dir = tempfile::tempdir().expect("dir");
    let aws = Aws::new(&emulator, dir.path());
    let run = |args: &[&str]| aws.text(args);

    run(&["s3", "mb", "s3://cloudlings-front"]);
    let image: Vec<u8> = b"\x89PNG\r\n\x1a\n"
        .iter()
        .copied()
        .chain((0..4000u32).map(|i| (i % 253) as u8))
        .collect();
    std::fs::write(dir.path().join("cat.png"), &image).expect("image");
    let big: Vec<u8> = (0..20 * 1024 * 1024u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    std::fs::write(dir.path().join("big.bin"), &big).expect("big");
    run(&["s3", "cp", "cat.png", "s3://cloudlings-front/img/cat.png"]);
    run(&["s3", "cp", "big.bin", "s3://cloudlings-front/big.bin"]);

    // 20 MiB in the CLI's 8 MiB parts: a multipart upload of three.
    let head = aws.json(&[
        "s3api",
        "head-object",
        "--bucket",
        "cloudlings-front",
        "--key",
        "big.bin",
    ]);
    assert!(
        head["ETag"]
            .as_str()
            .is_some_and(|etag| etag.ends_with("-3\"")),
        "{head}"
    );
    assert_eq!(head["ContentLength"], 20 * 1024 * 1024);
    let cat = aws.json(&[
        "s3api",
        "head-object",
        "--bucket",
        "cloudlings-front",
        "--key",
        "img/cat.png",
    ]);
    assert_eq!(cat["ContentType"], "image/png");

    let listing = run(&["s3", "ls", "s3://cloudlings-front/"]);
    assert!(listing.contains("PRE img/"), "{listing}");
    assert!(listing.contains("big.bin"), "{listing}");

    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("css")).expect("site");
    for (name, text) in [
        ("index.html", "<h1>hi</h1>"),
        ("css/site.css", "h1{}"),
        ("a b.txt", "space"),
    ] {
        std::fs::write(site.join(name), text).expect("file");
    }
    let first = run(&["s3", "sync", "site", "s3://cloudlings-front/site"]);
    assert_eq!(first.matches("upload:").count(), 3, "{first}");
    let again = run(&["s3", "sync", "site", "s3://cloudlings-front/site"]);
    assert!(
        again.trim().is_empty(),
        "an unchanged folder syncs nothing: {again}"
    );
    let recursive = run(&["s3", "ls", "--recursive", "s3://cloudlings-front/site/"]);
    assert!(recursive.contains("site/a b.txt"), "{recursive}");

    run(&["s3", "cp", "s3://cloudlings-front/big.bin", "down.bin"]);
    assert!(
        std::fs::read(dir.path().join("down.bin")).expect("down") == big,
        "the download differs"
    );

    run(&[
        "s3api",
        "put-public-access-block",
        "--bucket",
        "cloudlings-front",
        "--public-access-block-configuration",
        "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true",
    ]);
    let account = &emulator.credentials.account;
    let for_cloudfront = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"AllowCloudFrontServicePrincipal","Effect":"Allow","Principal":{{"Service":"cloudfront.amazonaws.com"}},"Action":"s3:GetObject","Resource":"arn:aws:s3:::cloudlings-front/*","Condition":{{"StringEquals":{{"AWS:SourceArn":"arn:aws:cloudfront::{account}:distribution/E2CLOUDLINGS01"}}}}}}]}}"#
    );
    std::fs::write(dir.path().join("policy.json"), &for_cloudfront).expect("policy");
    run(&[
        "s3api",
        "put-bucket-policy",
        "--bucket",
        "cloudlings-front",
        "--policy",
        "file://policy.json",
    ]);
    let stored = aws.json(&["s3api", "get-bucket-policy", "--bucket", "cloudlings-front"]);
    assert_eq!(stored["Policy"], for_cloudfront.as_str());

    let public = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::cloudlings-front/*"}]}"#;
    std::fs::write(dir.path().join("public.json"), public).expect("public");
    let refused = aws.fails(&[
        "s3api",
        "put-bucket-policy",
        "--bucket",
        "cloudlings-front",
        "--policy",
        "file://public.json",
    ]);
    assert!(
        refused.contains("AccessDenied") && refused.contains("BlockPublicPolicy"),
        "{refused}"
    );

    run(&["s3", "rm", "--recursive", "s3://cloudlings-front/"]);
    run(&["s3", "rb", "s3://cloudlings-front"]);
    let gone = aws.fails(&["s3api", "head-bucket", "--bucket", "cloudlings-front"]);
    assert!(gone.contains("404") || gone.contains("Not Found"), "{gone}");
}

/// A bucket name S3's rules refuse gets S3's own message, which the CLI prints.
#[test]
fn an_invalid_bucket_name_is_explained() {
    let emulator = start();
    let dir = tempfile::tempdir().expect("dir");
    let (status, stderr) =
        Aws::new(&emulator, dir.path()).failure(&["s3", "mb", "s3://Cat_Images"]);
    assert_eq!(status, Some(1));
    assert_eq!(
        stderr.trim_end(),
        "make_bucket failed: s3://Cat_Images An error occurred (InvalidBucketName) when calling the CreateBucket operation: The specified bucket is not valid."
    );
}

#[test]
fn the_lectures_cloudfront_scenario() {
    let emulator = start();
    let dir = tempfile::tempdir().expect("dir");
    let aws = Aws::new(&emulator, dir.path());
    let account = emulator.credentials.account.clone();

    aws.text(&["s3", "mb", "s3://lecture-images"]);
    let image: Vec<u8> = (0..30_000u32).map(|i| (i * 7 % 256) as u8).collect();
    std::fs::write(dir.path().join("cat.png"), &image).expect("image");
    aws.text(&["s3", "cp", "cat.png", "s3://lecture-images/cat.png"]);

    let oac = aws.json(&[
        "cloudfront",
        "create-origin-access-control",
        "--origin-access-control-config",
        "Name=lecture-oac,SigningProtocol=sigv4,SigningBehavior=always,OriginAccessControlOriginType=s3",
    ]);
    let oac_id = oac["OriginAccessControl"]["Id"]
        .as_str()
        .expect("oac id")
        .to_string();
    let config = serde_json::json!({
        "CallerReference": "lecture",
        "Comment": "lecture images",
        "Enabled": true,
        "Origins": {"Quantity": 1, "Items": [{
            "Id": "s3",
            "DomainName": "lecture-images.s3.ap-northeast-2.amazonaws.com",
            "S3OriginConfig": {"OriginAccessIdentity": ""},
            "OriginAccessControlId": oac_id,
        }]},
        "DefaultCacheBehavior": {
            "TargetOriginId": "s3",
            "ViewerProtocolPolicy": "redirect-to-https",
            "CachePolicyId": crate::cloudfront::CACHING_OPTIMIZED,
        },
    });
    std::fs::write(dir.path().join("distribution.json"), config.to_string()).expect("config");
    let created = aws.json(&[
        "cloudfront",
        "create-distribution",
        "--distribution-config",
        "file://distribution.json",
    ]);
    let id = created["Distribution"]["Id"]
        .as_str()
        .expect("id")
        .to_string();
    let domain = created["Distribution"]["DomainName"]
        .as_str()
        .expect("domain")
        .to_string();
    assert_eq!(created["Distribution"]["Status"], "InProgress");

    advance(&emulator, 180);
    aws.json(&["cloudfront", "wait", "distribution-deployed", "--id", &id]);

    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"cloudfront.amazonaws.com"}},"Action":"s3:GetObject","Resource":"arn:aws:s3:::lecture-images/*","Condition":{{"StringEquals":{{"AWS:SourceArn":"arn:aws:cloudfront::{account}:distribution/{id}"}}}}}}]}}"#
    );
    std::fs::write(dir.path().join("policy.json"), policy).expect("policy");

    // curl, as a learner would, at the URL the emulator shows for the domain name.
    let url = format!("{}cat.png", emulator.edge_url(&domain));
    let curl = |output: &str| {
        let result = Command::new("curl")
            .args(["-s", "-D", "-", "-o", output, &url])
            .current_dir(dir.path())
            .output()
            .expect("curl");
        String::from_utf8_lossy(&result.stdout).to_lowercase()
    };
    assert!(
        curl("denied.xml").starts_with("http/1.1 403"),
        "before the policy"
    );
    aws.json(&[
        "s3api",
        "put-bucket-policy",
        "--bucket",
        "lecture-images",
        "--policy",
        "file://policy.json",
    ]);
    let miss = curl("first.png");
    assert!(
        miss.starts_with("http/1.1 200") && miss.contains("x-cache: miss from cloudfront"),
        "{miss}"
    );
    assert_eq!(
        std::fs::read(dir.path().join("first.png")).expect("first"),
        image
    );
    let hit = curl("second.png");
    assert!(hit.contains("x-cache: hit from cloudfront"), "{hit}");

    let invalidation = aws.json(&[
        "cloudfront",
        "create-invalidation",
        "--distribution-id",
        &id,
        "--paths",
        "/cat.png",
    ]);
    assert_eq!(invalidation["Invalidation"]["Status"], "InProgress");
    assert!(curl("third.png").contains("x-cache: miss from cloudfront"));

    // Disable with If-Match, wait, delete.
    let current = aws.json(&["cloudfront", "get-distribution-config", "--id", &id]);
    let etag = current["ETag"].as_str().expect("etag").to_string();
    let mut disabled = current["DistributionConfig"].clone();
    disabled["Enabled"] = serde_json::Value::Bool(false);
    std::fs::write(dir.path().join("disabled.json"), disabled.to_string()).expect("disabled");
    let stale = aws.fails(&[
        "cloudfront",
        "update-distribution",
        "--id",
        &id,
        "--if-match",
        "ESTALE000000000",
        "--distribution-config",
        "file://disabled.json",
    ]);
    assert!(stale.contains("PreconditionFailed"), "{stale}");
    let updated = aws.json(&[
        "cloudfront",
        "update-distribution",
        "--id",
        &id,
        "--if-match",
        &etag,
        "--distribution-config",
        "file://disabled.json",
    ]);
    let new_etag = updated["ETag"].as_str().expect("new etag").to_string();
    assert!(
        curl("after.png").starts_with("http/1.1 403"),
        "a disabled distribution serves nothing"
    );
    advance(&emulator, 180);
    aws.json(&["cloudfront", "wait", "distribution-deployed", "--id", &id]);
    aws.json(&[
        "cloudfront",
        "delete-distribution",
        "--id",
        &id,
        "--if-match",
        &new_etag,
    ]);
    let gone = aws.fails(&["cloudfront", "get-distribution", "--id", &id]);
    assert!(gone.contains("NoSuchDistribution"), "{gone}");
}

/// A script's `--filters` with a name the EC2 reference documents as an alias gets what the
/// dashed name gets; one it documents nowhere stops the script with AWS's error, exit code 255.
#[test]
fn filters_take_the_aliases_aws_documents_and_refuse_the_rest() {
    let emulator = start();
    let dir = tempfile::tempdir().expect("dir");
    let aws = Aws::new(&emulator, dir.path());
    let subnets = |filter: &str| {
        aws.json(&[
            "ec2",
            "describe-subnets",
            "--filters",
            filter,
            "--query",
            "Subnets[].SubnetId",
        ])
    };
    let dashed = subnets("Name=availability-zone,Values=ap-northeast-2a");
    assert_eq!(dashed.as_array().map(Vec::len), Some(1), "{dashed}");
    assert_eq!(
        subnets("Name=availabilityZone,Values=ap-northeast-2a"),
        dashed
    );
    assert_eq!(
        subnets("Name=defaultForAz,Values=true")
            .as_array()
            .map(Vec::len),
        Some(4)
    );
    assert_eq!(
        subnets("Name=defaultForAz,Values=false"),
        serde_json::json!([])
    );

    for (command, operation, name) in [
        ("describe-instances", "DescribeInstances", "instanceType"),
        (
            "describe-security-groups",
            "DescribeSecurityGroups",
            "groupName",
        ),
        ("describe-subnets", "DescribeSubnets", "vpcId"),
    ] {
        let filter = format!("Name={name},Values=x");
        let (status, stderr) = aws.failure(&["ec2", command, "--filters", &filter]);
        assert_eq!(status, Some(255), "{stderr}");
        assert!(
            stderr.contains(&format!(
                "(InvalidParameterValue) when calling the {operation} operation: \
                 The filter '{name}' is invalid"
            )),
            "{stderr}"
        );
    }
}

/// A documented filter finds what the answer shows: the interface every instance has, its
/// zone id, its fixed settings; a filter on a field no emulated resource has is taken and finds
/// nothing; regions, zones, groups' outbound rules and instance types filter too.
#[test]
fn documented_filters_find_what_the_answer_shows() {
    let emulator = start();
    let dir = tempfile::tempdir().expect("dir");
    let aws = Aws::new(&emulator, dir.path());
    let image = aws.json(&[
        "ec2",
        "describe-images",
        "--filters",
        "Name=name,Values=ubuntu/*",
        "--query",
        "Images[0].ImageId",
    ]);
    let launched = aws.json(&[
        "ec2",
        "run-instances",
        "--image-id",
        image.as_str().expect("image"),
        "--instance-type",
        "t2.micro",
    ]);
    let id = launched["Instances"][0]["InstanceId"]
        .as_str()
        .expect("id")
        .to_string();
    advance(&emulator, 30);
    let shown = &aws.json(&["ec2", "describe-instances", "--instance-ids", &id])["Reservations"][0]
        ["Instances"][0];
    let interface = &shown["NetworkInterfaces"][0];
    assert_eq!(interface["Attachment"]["DeviceIndex"], 0, "{shown}");
    assert_eq!(interface["PrivateIpAddress"], shown["PrivateIpAddress"]);
    assert_eq!(
        interface["Association"]["PublicIp"],
        shown["PublicIpAddress"]
    );
    let found = |filter: String| {
        aws.json(&[
            "ec2",
            "describe-instances",
            "--filters",
            &filter,
            "--query",
            "Reservations[].Instances[].InstanceId",
        ])
    };
    let text = |value: &Value| match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    for (name, value) in [
        ("network-interface.mac-address", &interface["MacAddress"]),
        (
            "network-interface.network-interface-id",
            &interface["NetworkInterfaceId"],
        ),
        (
            "network-interface.attachment.attachment-id",
            &interface["Attachment"]["AttachmentId"],
        ),
        (
            "network-interface.association.public-ip",
            &interface["Association"]["PublicIp"],
        ),
        (
            "availability-zone-id",
            &shown["Placement"]["AvailabilityZoneId"],
        ),
        (
            "block-device-mapping.volume-id",
            &shown["BlockDeviceMappings"][0]["Ebs"]["VolumeId"],
        ),
        (
            "block-device-mapping.device-name",
            &shown["BlockDeviceMappings"][0]["DeviceName"],
        ),
        ("tenancy", &shown["Placement"]["Tenancy"]),
        ("hypervisor", &shown["Hypervisor"]),
        ("root-device-name", &shown["RootDeviceName"]),
        (
            "metadata-options.http-tokens",
            &shown["MetadataOptions"]["HttpTokens"],
        ),
        (
            "hibernation-options.configured",
            &shown["HibernationOptions"]["Configured"],
        ),
        ("usage-operation", &shown["UsageOperation"]),
    ] {
        let value = text(value);
        assert!(!value.is_empty() && value != "null", "{name}: {shown}");
        assert_eq!(
            found(format!("Name={name},Values={value}")),
            serde_json::json!([id]),
            "{name}"
        );
        assert_eq!(
            found(format!("Name={name},Values=not-{value}")),
            serde_json::json!([]),
            "{name}"
        );
    }
    assert_eq!(shown["Hypervisor"], "xen", "t2 runs on Xen");
    // Documented, but about fields no emulated instance has: taken, and nothing matches.
    for name in [
        "spot-instance-request-id",
        "network-interface.ipv6-address",
        "host-id",
    ] {
        assert_eq!(
            found(format!("Name={name},Values=*")),
            serde_json::json!([]),
            "{name}"
        );
    }

    aws.json(&["ec2", "terminate-instances", "--instance-ids", &id]);
    advance(&emulator, 60);
    let gone = &aws.json(&["ec2", "describe-instances", "--instance-ids", &id])["Reservations"][0]
        ["Instances"][0];
    assert_eq!(gone["NetworkInterfaces"], serde_json::json!([]), "{gone}");
    let mac = text(&interface["MacAddress"]);
    assert_eq!(
        found(format!("Name=network-interface.mac-address,Values={mac}")),
        serde_json::json!([])
    );

    let subnet = &aws.json(&["ec2", "describe-subnets"])["Subnets"][0];
    let arn = text(&subnet["SubnetArn"]);
    let by_arn = aws.json(&[
        "ec2",
        "describe-subnets",
        "--filters",
        &format!("Name=subnet-arn,Values={arn}"),
        "--query",
        "Subnets[].SubnetId",
    ]);
    assert_eq!(by_arn, serde_json::json!([subnet["SubnetId"]]));
    let owner = text(&subnet["OwnerId"]);
    assert_eq!(owner, emulator.credentials.account);
    for (command, list) in [("describe-vpcs", "Vpcs"), ("describe-subnets", "Subnets")] {
        let mine = aws.json(&[
            "ec2",
            command,
            "--filters",
            &format!("Name=owner-id,Values={owner}"),
        ]);
        assert!(!mine[list].as_array().expect("list").is_empty(), "{mine}");
        let others = aws.json(&[
            "ec2",
            command,
            "--filters",
            "Name=owner-id,Values=111122223333",
        ]);
        assert_eq!(others[list], serde_json::json!([]), "{command}");
    }

    let groups = aws.json(&[
        "ec2",
        "describe-security-groups",
        "--filters",
        "Name=egress.ip-permission.cidr,Values=0.0.0.0/0",
        "--query",
        "SecurityGroups[].GroupName",
    ]);
    assert_eq!(groups, serde_json::json!(["default"]));
    let regions = aws.json(&[
        "ec2",
        "describe-regions",
        "--filters",
        "Name=region-name,Values=ap-northeast-*",
        "--query",
        "Regions[].RegionName",
    ]);
    assert_eq!(
        regions,
        serde_json::json!(["ap-northeast-2", "ap-northeast-1"])
    );
    let zones = aws.json(&[
        "ec2",
        "describe-availability-zones",
        "--filters",
        "Name=zone-id,Values=apne2-az2",
        "--query",
        "AvailabilityZones[].ZoneName",
    ]);
    assert_eq!(zones, serde_json::json!(["ap-northeast-2c"]));
    let xen = aws.json(&[
        "ec2",
        "describe-instance-types",
        "--filters",
        "Name=hypervisor,Values=xen",
        "--query",
        "InstanceTypes[].InstanceType",
    ]);
    let mut xen: Vec<String> = serde_json::from_value(xen).expect("names");
    xen.sort();
    assert_eq!(xen, ["t2.micro", "t2.small"]);
    let (status, stderr) = aws.failure(&[
        "ec2",
        "describe-regions",
        "--filters",
        "Name=regionName,Values=x",
    ]);
    assert_eq!(status, Some(255), "{stderr}");
    assert!(
        stderr.contains("The filter 'regionName' is invalid"),
        "{stderr}"
    );
}

/// The Filters documentation of each EC2 action in the service model the aws CLI was built
/// from, read by the CLI's own Python: botocore as the CLI vendors it, or the separate package.
fn filter_documentation(actions: &[&str]) -> Value {
    let program = std::env::var("CLOUDLINGS_AWS_CLI").unwrap_or_else(|_| "aws".into());
    let program = if program.contains('/') {
        std::path::PathBuf::from(program)
    } else {
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
            .map(|dir| dir.join(&program))
            .find(|path| path.is_file())
            .expect("the aws CLI on the PATH")
    };
    let script = std::fs::read_to_string(&program).expect("read the aws CLI's script");
    let python = script
        .lines()
        .next()
        .and_then(|line| line.strip_prefix("#!"))
        .expect("the aws CLI is a Python script")
        .trim()
        .to_string();
    let code = "import json, sys\n\
        try:\n    from awscli.botocore.session import get_session\n\
        except ImportError:\n    from botocore.session import get_session\n\
        model = get_session().get_service_model('ec2')\n\
        print(json.dumps({a: model.operation_model(a).input_shape.members['Filters'].documentation for a in sys.argv[1:]}))";
    let output = Command::new(python.split_whitespace().next().expect("python"))
        .args(python.split_whitespace().skip(1))
        .arg("-c")
        .arg(code)
        .args(actions)
        .output()
        .expect("run the aws CLI's Python");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON")
}

/// The filter names a Filters documentation lists, and the aliases it gives for them ("You can
/// also use `cidr` or `cidrBlock` as the filter names").
fn documented_names(documentation: &str) -> Vec<String> {
    let codes = |text: &str| -> Vec<String> {
        text.split("<code>")
            .skip(1)
            .filter_map(|rest| {
                rest.split_once("</code>")
                    .map(|(code, _)| code.trim().to_string())
            })
            .collect()
    };
    let mut names = Vec::new();
    for item in documentation.split("<li>").skip(1) {
        if let Some(name) = codes(item).into_iter().next() {
            names.push(name);
        }
        if let Some((_, aliases)) = item.split_once("You can also use") {
            let sentence = aliases.split_once('.').map_or(aliases, |(s, _)| s);
            names.extend(codes(sentence));
        }
    }
    names
}

/// The filter names the emulator takes are the ones the service model documents for each
/// action, both ways: every name it takes is documented, as a name or as an alias, so a script
/// that works against the emulator works on AWS; and every documented name is taken, so a
/// script written for AWS does not stop at a filter. The few exceptions are named here with
/// their reason.
#[test]
fn the_emulators_filter_names_are_the_documented_ones() {
    // Names the emulator took before the reference dropped or never listed them: the
    // EC2-Classic era's `group-id`/`group-name` and `placement.availability-zone` for
    // instances, `key-type` and images' `platform-details`.
    let undocumented = [
        ("DescribeImages", "platform-details"),
        ("DescribeInstances", "group-id"),
        ("DescribeInstances", "group-name"),
        ("DescribeInstances", "placement.availability-zone"),
        ("DescribeKeyPairs", "key-type"),
    ];
    let tag_filters = cloudlings_emulator::ec2::TAG_FILTERS;
    let tables = cloudlings_emulator::ec2::filter_names();
    let actions: Vec<&str> = tables.iter().map(|(action, _)| *action).collect();
    let documentation = filter_documentation(&actions);
    let mut strays = Vec::new();
    let mut refused = Vec::new();
    for (action, names) in &tables {
        let text = documentation[*action].as_str().expect("documentation");
        let documented: Vec<String> = documented_names(text)
            .into_iter()
            // The reference writes the tag filter as `tag:<key>`, escaped, or as `tag`.
            .map(|name| match name.as_str() {
                "tag" | "tag:&lt;key&gt;" => "tag:<key>".to_string(),
                _ => name,
            })
            .collect();
        assert!(documented.len() >= 3, "{action}: {documented:?}");
        for name in names {
            let known = documented.iter().any(|d| d == name)
                || undocumented.contains(&(action, name))
                // AWS takes the three tag filters wherever resources take tags.
                || tag_filters.contains(name);
            if !known {
                strays.push((*action, *name));
            }
        }
        for name in &documented {
            if !names.contains(&name.as_str()) {
                refused.push((*action, name.clone()));
            }
        }
    }
    assert_eq!(strays, [("", ""); 0], "taken but not documented");
    assert!(refused.is_empty(), "documented but refused: {refused:?}");
    let subnets = documented_names(documentation["DescribeSubnets"].as_str().expect("text"));
    for alias in [
        "availabilityZone",
        "availabilityZoneId",
        "cidr",
        "cidrBlock",
        "defaultForAz",
    ] {
        assert!(subnets.iter().any(|n| n == alias), "{alias}: {subnets:?}");
    }
}
