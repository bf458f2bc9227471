//! Hostile and malformed requests: the emulator answers each with an AWS-shaped error, never
//! a panic, and keeps serving.

use std::io::{Read, Write};

use cloudlings_emulator::http::respond;
use cloudlings_emulator::sigv4::{self, Scope};
use cloudlings_emulator::{Emulator, World};
use http::{HeaderMap, HeaderValue, Method, Uri};

/// Signs `body` for `service` with the world's root key, as a client would.
pub fn signed(world: &World, service: &str, body: &[u8]) -> HeaderMap {
    let keys = world.lock().root_credentials().expect("root");
    sign("POST", "/", service, body, &keys.access_key, &keys.secret)
}

/// Headers of a request signed with the given key, dated now.
pub fn sign(
    method: &str,
    path_and_query: &str,
    service: &str,
    body: &[u8],
    access_key: &str,
    secret: &str,
) -> HeaderMap {
    let now = time::OffsetDateTime::now_utc();
    let date = format!("{:04}{:02}{:02}", now.year(), now.month() as u8, now.day());
    let stamp = format!(
        "{date}T{:02}{:02}{:02}Z",
        now.hour(),
        now.minute(),
        now.second()
    );
    let mut headers = HeaderMap::new();
    headers.insert("host", HeaderValue::from_static("127.0.0.1:1"));
    headers.insert("x-amz-date", HeaderValue::from_str(&stamp).expect("date"));
    let uri: Uri = path_and_query.parse().expect("uri");
    let scope = Scope {
        access_key: access_key.into(),
        date,
        region: "ap-northeast-2".into(),
        service: service.into(),
    };
    let request = sigv4::Request {
        method,
        path: uri.path(),
        query: uri.query().unwrap_or_default(),
        headers: &headers,
        body,
    };
    let authorization = sigv4::sign(&request, &scope, &["host", "x-amz-date"], secret);
    headers.insert(
        "authorization",
        HeaderValue::from_str(&authorization).expect("header"),
    );
    headers
}

/// A small deterministic generator, so a failure can be replayed from its seed.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const ACTIONS: &[&str] = &[
    "RunInstances",
    "DescribeInstances",
    "AuthorizeSecurityGroupIngress",
    "CreateKeyPair",
    "ImportKeyPair",
    "CreateTags",
    "StopInstances",
    "DescribeSecurityGroups",
    "CreateSecurityGroup",
    "GetPasswordData",
    "CreateUser",
    "EnableMFADevice",
    "CreateVirtualMFADevice",
    "GetSessionToken",
    "GetCallerIdentity",
    "DeleteSecurityGroup",
    "Bogus",
    "",
    "%00",
    "DescribeInstanceTypes",
    "RevokeSecurityGroupIngress",
];
const NAMES: &[&str] = &[
    "ImageId",
    "MinCount",
    "MaxCount",
    "InstanceId.1",
    "Filter.1.Name",
    "Filter.1.Value.1",
    "MaxResults",
    "NextToken",
    "GroupId",
    "IpPermissions.1.IpProtocol",
    "IpPermissions.1.FromPort",
    "IpPermissions.1.ToPort",
    "IpPermissions.1.IpRanges.1.CidrIp",
    "KeyName",
    "KeyType",
    "PublicKeyMaterial",
    "TagSpecification.1.Tag.1.Key",
    "ResourceId.1",
    "Tag.1.Key",
    "UserName",
    "SerialNumber",
    "AuthenticationCode1",
    "TokenCode",
    "DurationSeconds",
    "DryRun",
    "InstanceId.99999",
    "a..b",
    "Filter.0.Name",
    "IpPermissions.1.Groups.1.GroupId",
];
const VALUES: &[&str] = &[
    "",
    "1",
    "-1",
    "0",
    "99999999999999999999",
    "true",
    "maybe",
    "ami-0",
    "i-0123456789abcdef0",
    "sg-x",
    "tcp",
    "70000",
    "0.0.0.0/0",
    "1.2.3.4/99",
    "%ZZ",
    "%FF%FE",
    "ssh-rsa AAAA",
    "=====",
    "rsa",
    "ed25519",
    "<xml/>",
    "&amp;",
    "\u{1F600}",
    "instance-state-name",
    "*",
    "t2.micro",
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
];

fn body(rng: &mut Gen) -> Vec<u8> {
    match rng.below(6) {
        0 => (0..rng.below(512)).map(|_| rng.next() as u8).collect(),
        1 => format!(
            "Action={}&{}",
            rng.pick(ACTIONS),
            "A.".repeat(rng.below(3000))
        )
        .into_bytes(),
        2 => format!(
            "Action={}&Version=2016-11-15&{}={}",
            rng.pick(ACTIONS),
            rng.pick(NAMES),
            "x".repeat(rng.below(200_000))
        )
        .into_bytes(),
        _ => {
            let mut text = format!("Action={}", rng.pick(ACTIONS));
            for _ in 0..rng.below(12) {
                text.push_str(&format!("&{}={}", rng.pick(NAMES), rng.pick(VALUES)));
            }
            text.into_bytes()
        }
    }
}

fn aws_shaped(status: u16, body: &str) -> bool {
    body.starts_with("<?xml")
        && (status == 200 || (body.contains("<Code>") && body.contains("<Message>")))
}

#[test]
fn thousands_of_malformed_requests_get_aws_errors() {
    let world = World::in_memory();
    let mut rng = Gen(0x5eed_cafe_f00d_d00d);
    let uri: Uri = "/".parse().expect("uri");
    for round in 0..3000 {
        let service = rng.pick(&["ec2", "iam", "sts", "s3", ""]);
        let body = body(&mut rng);
        let headers = if rng.below(5) == 0 {
            HeaderMap::new()
        } else {
            signed(&world, service, &body)
        };
        let reply = respond(&world, &Method::POST, &uri, &headers, &body);
        assert!(
            aws_shaped(reply.status, &reply.body),
            "round {round}: {} {}",
            reply.status,
            reply.body
        );
    }
}

#[test]
fn garbage_on_the_socket_does_not_stop_the_server() {
    let emulator = Emulator::start(0, None).expect("emulator");
    for garbage in [
        &b"\x00\x01\x02 not http at all\r\n\r\n"[..],
        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
        b"POST / HTTP/1.1\r\nConnection: close\r\n\r\n",
    ] {
        let mut stream = std::net::TcpStream::connect(emulator.addr).expect("connect");
        // The server may keep a half-understood connection open: don't wait on it for long.
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(2)))
            .expect("timeout");
        stream.write_all(garbage).expect("write");
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
    }
    // An oversized body is refused with an AWS error, not read into memory.
    let mut stream = std::net::TcpStream::connect(emulator.addr).expect("connect");
    let big = 4 * 1024 * 1024;
    let head = format!(
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {big}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).expect("head");
    let _ = stream.write_all(&vec![b'a'; big]);
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    assert!(
        answer.starts_with("HTTP/1.1 413") && answer.contains("<Code>RequestEntityTooLarge</Code>"),
        "{answer}"
    );

    // And it still serves a proper request.
    let mut stream = std::net::TcpStream::connect(emulator.addr).expect("connect");
    stream
        .write_all(
            b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        )
        .expect("write");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    assert!(
        answer.contains("<Code>MissingAuthenticationToken</Code>"),
        "{answer}"
    );
}

pub fn signed_request(
    method: &str,
    path_and_query: &str,
    access_key: &str,
    secret: &str,
) -> HeaderMap {
    sign(
        method,
        path_and_query,
        "cloudlings",
        b"",
        access_key,
        secret,
    )
}

#[test]
fn an_account_moves_its_own_clock_and_only_the_installation_moves_others() {
    let world = World::in_memory();
    let root = world.root_credentials().expect("root");
    let other = world.add_account();
    let third = world.add_account();
    let post = |path: &str, keys: &cloudlings_emulator::state::Credentials| {
        let uri: Uri = path.parse().expect("uri");
        let headers = signed_request("POST", path, &keys.access_key, &keys.secret);
        let reply = respond(&world, &Method::POST, &uri, &headers, b"");
        let body: serde_json::Value = serde_json::from_str(&reply.body).expect("json");
        (reply.status, body)
    };
    let ahead = |keys: &cloudlings_emulator::state::Credentials| {
        let path = "/_cloudlings/clock";
        let headers = signed_request("GET", path, &keys.access_key, &keys.secret);
        let reply = respond(
            &world,
            &Method::GET,
            &path.parse().expect("uri"),
            &headers,
            b"",
        );
        let body: serde_json::Value = serde_json::from_str(&reply.body).expect("json");
        body["offset_seconds"].as_i64().expect("offset")
    };

    let (status, clock) = post("/_cloudlings/clock?advance=2h", &other);
    assert_eq!(status, 200, "{clock}");
    assert_eq!(
        (clock["Account"].as_str(), clock["offset_seconds"].as_i64()),
        (Some(other.account.as_str()), Some(7200))
    );
    assert_eq!((ahead(&root), ahead(&third)), (0, 0), "nobody else moved");

    let theirs = format!("/_cloudlings/clock?advance=1h&account={}", third.account);
    let (status, refused) = post(&theirs, &other);
    assert_eq!(status, 403, "{refused}");
    let (status, refused) = post("/_cloudlings/clock?advance=1h&account=all", &other);
    assert_eq!(status, 403, "{refused}");
    assert_eq!(ahead(&third), 0);

    let (status, moved) = post(&theirs, &root);
    assert_eq!(
        (status, moved["offset_seconds"].as_i64()),
        (200, Some(3600))
    );
    let (status, _) = post("/_cloudlings/clock?advance=30m&account=all", &root);
    assert_eq!(status, 200);
    assert_eq!(
        (ahead(&root), ahead(&other), ahead(&third)),
        (1800, 9000, 5400)
    );
    let (status, missing) = post("/_cloudlings/clock?advance=1h&account=999999999999", &root);
    assert_eq!(status, 404, "{missing}");
    let (status, bad) = post("/_cloudlings/clock?advance=soon", &other);
    assert_eq!(status, 400, "{bad}");

    let bill: Uri = "/_cloudlings/bill".parse().expect("uri");
    let headers = signed_request("GET", "/_cloudlings/bill", &other.access_key, &other.secret);
    let reply = respond(&world, &Method::GET, &bill, &headers, b"");
    let bill: serde_json::Value = serde_json::from_str(&reply.body).expect("json");
    assert_eq!(
        (bill["Account"].as_str(), bill["TotalCents"].as_i64()),
        (Some(other.account.as_str()), Some(0))
    );

    let unsigned = respond(
        &world,
        &Method::GET,
        &"/_cloudlings/clock".parse().expect("uri"),
        &HeaderMap::new(),
        b"",
    );
    assert_eq!(unsigned.status, 403);
}

#[test]
fn malformed_cloudfront_documents_get_cloudfront_errors() {
    let world = World::in_memory();
    let keys = world.lock().root_credentials().expect("root");
    let target = "/2020-05-31/distribution";
    let bomb = br#"<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><DistributionConfig>&b;</DistributionConfig>"#;
    let deep = "<DistributionConfig>".to_string()
        + &"<a>".repeat(500)
        + &"</a>".repeat(500)
        + "</DistributionConfig>";
    let cases: [(&[u8], &str); 6] = [
        (b"not xml at all", "MalformedInput"),
        (b"<DistributionConfig><Comment>unclosed", "MalformedInput"),
        (b"<Something/>", "MalformedInput"),
        (bomb, "MalformedInput"),
        (deep.as_bytes(), "MalformedInput"),
        (
            b"<DistributionConfig><CallerReference>r</CallerReference></DistributionConfig>",
            "MalformedInput",
        ),
    ];
    let uri: Uri = target.parse().expect("uri");
    for (body, expected) in cases {
        let headers = sign(
            "POST",
            target,
            "cloudfront",
            body,
            &keys.access_key,
            &keys.secret,
        );
        let reply = respond(&world, &Method::POST, &uri, &headers, body);
        assert_eq!(reply.status, 400, "{}", reply.body);
        assert!(
            reply.body.contains("<ErrorResponse")
                && reply.body.contains(&format!("<Code>{expected}</Code>")),
            "{}",
            reply.body
        );
    }
    // Unknown routes and methods are named, never a silent success.
    let odd: Uri = "/2020-05-31/streaming-distribution".parse().expect("uri");
    let headers = sign(
        "GET",
        "/2020-05-31/streaming-distribution",
        "cloudfront",
        b"",
        &keys.access_key,
        &keys.secret,
    );
    let reply = respond(&world, &Method::GET, &odd, &headers, b"");
    assert!(
        reply.body.contains("UnsupportedOperation"),
        "{}",
        reply.body
    );
}
