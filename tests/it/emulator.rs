//! The emulator through aws-sdk-rust, as any AWS program would use it.

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use cloudlings_emulator::Emulator;
use cloudlings_emulator::state::FreePlan;

/// An SDK configuration for the emulator with the given keys.
pub fn config(emulator: &Emulator, access_key: &str, secret: &str) -> SdkConfig {
    SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(emulator.endpoint())
        .region(Region::new("ap-northeast-2"))
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            access_key, secret, None, None, "test",
        )))
        .build()
}

/// The emulator's own (root) configuration.
pub fn root(emulator: &Emulator) -> SdkConfig {
    let keys = &emulator.credentials;
    config(emulator, &keys.access_key, &keys.secret)
}

/// The AWS error code of a failed SDK call. Every service crate shares smithy's error types,
/// so this serves them all.
pub fn code<E: aws_sdk_sts::error::ProvideErrorMetadata, R>(
    error: &aws_sdk_sts::error::SdkError<E, R>,
) -> String {
    error
        .as_service_error()
        .and_then(|e| e.code())
        .unwrap_or("no code")
        .to_string()
}

/// One answer to a plain HTTP request.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: std::collections::HashMap<String, String>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map(String::as_str)
            .unwrap_or_default()
    }
}

/// An unsigned GET, as a browser or curl sends it, with the given `Host`.
pub fn raw_get(addr: std::net::SocketAddr, host: &str, path: &str) -> Answer {
    raw_request(addr, "GET", host, path, &[], b"")
}

/// An unsigned request with `headers` and `body`, read whole after the server closes.
pub fn raw_request(
    addr: std::net::SocketAddr,
    method: &str,
    host: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Answer {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).expect("connect");
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).expect("send");
    // A server may answer before it read a body it refuses whole.
    let _ = stream.write_all(body);
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let end = response
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .map_or(response.len(), |at| at + 4);
    let head = String::from_utf8_lossy(&response[..end]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|line| line.split_once(": "))
        .map(|(name, value)| (name.to_ascii_lowercase(), value.to_string()))
        .collect();
    Answer {
        status,
        headers,
        body: response[end..].to_vec(),
    }
}

pub fn start() -> Emulator {
    Emulator::start(0, None).expect("start the emulator")
}

#[tokio::test]
async fn caller_identity_is_the_accounts_root_user() {
    let emulator = start();
    let sts = aws_sdk_sts::Client::new(&root(&emulator));
    let identity = sts
        .get_caller_identity()
        .send()
        .await
        .expect("GetCallerIdentity");
    let account = &emulator.credentials.account;
    assert_eq!(identity.account(), Some(account.as_str()));
    assert_eq!(
        identity.arn(),
        Some(format!("arn:aws:iam::{account}:root").as_str())
    );
    assert_eq!(identity.user_id(), Some(account.as_str()));
}

#[tokio::test]
async fn regions_and_zones() {
    let emulator = start();
    let ec2 = aws_sdk_ec2::Client::new(&root(&emulator));
    let regions = ec2
        .describe_regions()
        .send()
        .await
        .expect("DescribeRegions");
    let names: Vec<_> = regions
        .regions()
        .iter()
        .filter_map(|r| r.region_name())
        .collect();
    assert!(
        names.contains(&"ap-northeast-2") && names.contains(&"us-east-1"),
        "{names:?}"
    );
    let zones = ec2
        .describe_availability_zones()
        .send()
        .await
        .expect("DescribeAvailabilityZones");
    let zones: Vec<_> = zones
        .availability_zones()
        .iter()
        .filter_map(|z| z.zone_name())
        .collect();
    assert_eq!(
        zones,
        [
            "ap-northeast-2a",
            "ap-northeast-2c",
            "ap-northeast-2b",
            "ap-northeast-2d"
        ]
    );
    let one = ec2
        .describe_regions()
        .region_names("nowhere-1")
        .send()
        .await
        .expect_err("an unknown region");
    assert_eq!(
        one.as_service_error().and_then(|e| e.meta().code()),
        Some("InvalidParameterValue")
    );
}

#[tokio::test]
async fn a_wrong_secret_or_an_unknown_key_is_refused_in_each_services_words() {
    let emulator = start();
    let access_key = emulator.credentials.access_key.clone();
    let wrong = config(
        &emulator,
        &access_key,
        "not-the-secret-at-all-not-the-secret-xx",
    );
    let error = aws_sdk_ec2::Client::new(&wrong)
        .describe_regions()
        .send()
        .await
        .expect_err("a wrong secret");
    assert_eq!(error.raw_response().map(|r| r.status().as_u16()), Some(401));
    assert_eq!(
        error.as_service_error().and_then(|e| e.meta().code()),
        Some("AuthFailure")
    );

    let error = aws_sdk_sts::Client::new(&wrong)
        .get_caller_identity()
        .send()
        .await
        .expect_err("a wrong secret");
    assert_eq!(
        error.as_service_error().and_then(|e| e.meta().code()),
        Some("SignatureDoesNotMatch")
    );

    let stranger = config(
        &emulator,
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    );
    let error = aws_sdk_sts::Client::new(&stranger)
        .get_caller_identity()
        .send()
        .await
        .expect_err("an unknown key");
    assert_eq!(
        error.as_service_error().and_then(|e| e.meta().code()),
        Some("InvalidClientTokenId")
    );
}

#[tokio::test]
async fn operations_not_emulated_say_so() {
    let emulator = start();
    let ec2 = aws_sdk_ec2::Client::new(&root(&emulator));
    let error = ec2
        .describe_nat_gateways()
        .send()
        .await
        .expect_err("not emulated");
    let service = error.as_service_error().expect("a service error");
    assert_eq!(service.meta().code(), Some("UnsupportedOperation"));
    assert!(
        service
            .meta()
            .message()
            .unwrap_or_default()
            .contains("DescribeNatGateways")
    );
    let dry = ec2
        .create_nat_gateway()
        .subnet_id("subnet-0123456789abcdef0")
        .dry_run(true)
        .send()
        .await
        .expect_err("not emulated, even as a dry run");
    assert_eq!(
        dry.as_service_error().and_then(|e| e.meta().code()),
        Some("UnsupportedOperation")
    );
}

/// `cloudlings serve` as a classroom runs it: the real binary, extra accounts, their keys.
#[tokio::test]
async fn serve_prints_working_keys_for_every_account() {
    use std::io::BufRead;
    let state = tempfile::tempdir().expect("state");
    let mut child = std::process::Command::new(crate::BIN)
        .args([
            "serve",
            "--accounts",
            "2",
            "--free-plan",
            "credits",
            "--quota",
            "buckets=0",
            "--state",
        ])
        .arg(state.path())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut exports = Vec::new();
    for line in std::io::BufReader::new(stdout).lines() {
        let line = line.expect("line");
        if let Some(pair) = line.strip_prefix("export ") {
            exports.push(
                pair.split_once('=')
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .expect("NAME=value"),
            );
        }
        // Three accounts, each with its endpoint, keys, region and the endpoint for ssh.
        if exports.len() == 3 * 6 {
            break;
        }
    }
    let value = |n: usize, name: &str| {
        exports
            .iter()
            .filter(|(k, _)| k == name)
            .nth(n)
            .map(|(_, v)| v.clone())
            .expect(name)
    };
    let endpoint = value(0, "AWS_ENDPOINT_URL");
    let mut accounts = Vec::new();
    for n in 0..3 {
        let config = SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .endpoint_url(&endpoint)
            .region(Region::new(value(n, "AWS_REGION")))
            .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
                value(n, "AWS_ACCESS_KEY_ID"),
                value(n, "AWS_SECRET_ACCESS_KEY"),
                None,
                None,
                "serve",
            )))
            .build();
        let identity = aws_sdk_sts::Client::new(&config)
            .get_caller_identity()
            .send()
            .await
            .expect("each account's keys work");
        accounts.push(identity.account().expect("account").to_string());
    }
    accounts.dedup();
    assert_eq!(accounts.len(), 3, "three different accounts");

    // `--quota` holds for the learners: with no bucket allowed, the first is refused.
    let learner = SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(&endpoint)
        .region(Region::new("ap-northeast-2"))
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            value(1, "AWS_ACCESS_KEY_ID"),
            value(1, "AWS_SECRET_ACCESS_KEY"),
            None,
            None,
            "serve",
        )))
        .build();
    let refused = crate::s3::create_in_seoul(&aws_sdk_s3::Client::new(&learner), "quota-bucket")
        .await
        .expect_err("no bucket allowed");
    assert_eq!(code(&refused), "TooManyBuckets");

    // What a response confirmed survives the process being killed the next instant.
    let first = SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(&endpoint)
        .region(Region::new("ap-northeast-2"))
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            value(0, "AWS_ACCESS_KEY_ID"),
            value(0, "AWS_SECRET_ACCESS_KEY"),
            None,
            None,
            "serve",
        )))
        .build();
    aws_sdk_ec2::Client::new(&first)
        .create_security_group()
        .group_name("confirmed")
        .description("must survive")
        .send()
        .await
        .expect("create");
    child.kill().expect("kill serve");
    let _ = child.wait();
    let again = Emulator::start(0, Some(state.path())).expect("restart on the same state");
    let groups = aws_sdk_ec2::Client::new(&root(&again))
        .describe_security_groups()
        .group_names("confirmed")
        .send()
        .await
        .expect("the group is still there");
    assert_eq!(groups.security_groups().len(), 1);
    let plans: Vec<FreePlan> = again
        .world
        .accounts()
        .iter()
        .map(|account| account.lock().free_plan)
        .collect();
    assert_eq!(
        plans,
        [FreePlan::Credits; 3],
        "every account has the chosen plan"
    );
}

/// The keys `cloudlings serve --accounts <accounts>` prints on `state` for `printed` accounts
/// (the installation's, then each learner's), read once all are out; then it is stopped.
fn serve_keys(state: &std::path::Path, accounts: usize, printed: usize) -> Vec<(String, String)> {
    use std::io::BufRead;
    let mut child = std::process::Command::new(crate::BIN)
        .args(["serve", "--port", "0", "--edge-port", "0", "--accounts"])
        .arg(accounts.to_string())
        .arg("--state")
        .arg(state)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut keys = Vec::new();
    for line in std::io::BufReader::new(stdout).lines() {
        let line = line.expect("line");
        if let Some(pair) = line.strip_prefix("export ") {
            let (name, value) = pair.split_once('=').expect("NAME=value");
            // The endpoint changes with the port; the keys must not.
            if name == "AWS_ACCESS_KEY_ID" || name == "AWS_SECRET_ACCESS_KEY" {
                keys.push((name.to_string(), value.to_string()));
            }
        }
        if keys.len() == 2 * printed {
            break;
        }
    }
    child.kill().expect("kill serve");
    let _ = child.wait();
    keys
}

/// `serve --accounts N` keeps at least N learners: a restart makes none twice and prints the
/// same keys again, and a larger N adds only the missing accounts.
#[test]
fn serve_accounts_survive_restarts_and_are_printed_again() {
    let state = tempfile::tempdir().expect("state");
    let accounts = || {
        cloudlings_emulator::World::open(state.path())
            .expect("state")
            .accounts()
            .len()
    };
    let first = serve_keys(state.path(), 2, 3);
    assert_eq!(first.len(), 6, "{first:?}");
    assert_eq!(accounts(), 3);
    assert_eq!(serve_keys(state.path(), 2, 3), first, "the same keys again");
    assert_eq!(accounts(), 3, "no account made twice");
    let grown = serve_keys(state.path(), 3, 4);
    assert_eq!(accounts(), 4);
    assert_eq!(
        &grown[..6],
        &first[..],
        "the first learners keep their keys and numbers"
    );
    assert_ne!(grown[6], grown[0]);
    // Asking for fewer learners than there are removes nobody, and still prints them all.
    assert_eq!(serve_keys(state.path(), 1, 4), grown);
    assert_eq!(accounts(), 4);
}

/// `cloudlings env`, in a second terminal, points at the running shell's emulator.
#[tokio::test]
async fn env_prints_the_running_shells_emulator() {
    use std::io::Write;
    let shell = crate::Cloudlings::new();
    let missing = shell.run(&["env"]);
    assert_eq!(missing.code(), Some(1));
    assert!(
        missing.stderr().contains("no cloudlings shell is running"),
        "{}",
        missing.stderr()
    );

    let mut running = shell
        .command()
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("shell");
    let announced = shell.data_dir().join("emulator/endpoint");
    for _ in 0..100 {
        if announced.exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let env = shell.run(&["env"]).success().stdout();
    let value = |name: &str| {
        env.lines()
            .find_map(|line| line.strip_prefix(&format!("export {name}=")))
            .map(str::to_string)
            .unwrap_or_else(|| panic!("{name} in {env}"))
    };
    let config = SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(value("AWS_ENDPOINT_URL"))
        .region(Region::new(value("AWS_REGION")))
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            value("AWS_ACCESS_KEY_ID"),
            value("AWS_SECRET_ACCESS_KEY"),
            None,
            None,
            "env",
        )))
        .build();
    aws_sdk_sts::Client::new(&config)
        .get_caller_identity()
        .send()
        .await
        .expect("the shell's emulator answers");
    running
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"quit\n")
        .expect("quit");
    running.wait().expect("the shell ends");
    assert!(
        !announced.exists(),
        "the endpoint is withdrawn when the shell leaves"
    );
}

/// Moves the emulator's simulated clock forward.
pub fn advance(emulator: &Emulator, seconds: i64) {
    emulator
        .world
        .lock()
        .clock
        .advance(time::Duration::seconds(seconds));
}

/// A response's `Date` as a time.
fn date_of(header: Option<&str>) -> time::OffsetDateTime {
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    time::PrimitiveDateTime::parse(header.expect("a Date header"), &format)
        .expect("an HTTP date")
        .assume_utc()
}

/// Every answer is dated by the simulated clock, as `Last-Modified` is, so that an object
/// written after the clock moved forward does not look as if it came from the future: S3,
/// the query services and the CloudFront edge alike.
#[tokio::test]
async fn responses_are_dated_by_the_simulated_clock() {
    let emulator = start();
    advance(&emulator, 3 * 24 * 3600);
    let close_to_now = |date: time::OffsetDateTime| {
        let now = emulator.world.lock().clock.now();
        assert!(
            (now - date).abs() < time::Duration::minutes(1),
            "{date} is not {now}"
        );
    };
    let config = root(&emulator);

    let s3 = crate::s3::s3(&config);
    crate::s3::make_bucket(&s3, "dated").await;
    s3.put_object()
        .bucket("dated")
        .key("cat.png")
        .body(b"cat".to_vec().into())
        .send()
        .await
        .expect("PutObject");
    let head = s3
        .head_object()
        .bucket("dated")
        .key("cat.png")
        .send()
        .await
        .expect("HeadObject");
    let modified = head.last_modified().expect("Last-Modified").secs();
    let missing = s3
        .get_object()
        .bucket("dated")
        .key("dog.png")
        .send()
        .await
        .expect_err("no such key");
    let date = date_of(missing.raw_response().and_then(|r| r.headers().get("date")));
    assert!(
        date.unix_timestamp() >= modified,
        "{date} before {modified}"
    );
    close_to_now(date);

    let ec2 = aws_sdk_ec2::Client::new(&config);
    let refused = ec2
        .describe_instances()
        .instance_ids("i-0000000000000000f")
        .send()
        .await
        .expect_err("no such instance");
    close_to_now(date_of(
        refused.raw_response().and_then(|r| r.headers().get("date")),
    ));
    // The SDK now signs by the time it was shown, and is still let in.
    ec2.describe_regions()
        .send()
        .await
        .expect("signed by the simulated clock");

    let sts = aws_sdk_sts::Client::new(&config);
    let refused = sts
        .assume_role()
        .role_arn("arn:aws:iam::123456789012:role/none")
        .role_session_name("s")
        .send()
        .await
        .expect_err("no such role");
    close_to_now(date_of(
        refused.raw_response().and_then(|r| r.headers().get("date")),
    ));

    let edge = raw_get(emulator.edge_addr, &emulator.edge_addr.to_string(), "/");
    close_to_now(date_of(Some(edge.header("date"))));
}
