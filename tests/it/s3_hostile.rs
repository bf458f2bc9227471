//! Hostile and malformed S3 requests on the socket: every answer is an S3 error document, a
//! broken upload leaves nothing behind, and the server goes on serving.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use aws_sdk_s3::primitives::ByteStream;
use cloudlings_emulator::Emulator;
use cloudlings_emulator::sigv4::{self, Scope};
use http::{HeaderMap, HeaderValue};

use crate::emulator::{root, start};
use crate::s3::{make_bucket, s3};

/// Signs an S3 request as the emulator's root user; `payload` is the `x-amz-content-sha256`
/// value (a hex digest or one of the streaming literals).
fn signed(
    emulator: &Emulator,
    method: &str,
    target: &str,
    payload: &str,
    extra: &[(&str, &str)],
) -> HeaderMap {
    signed_body(emulator, method, target, payload, extra, b"")
}

/// [`signed`] for a body whose SHA-256 is the payload hash.
fn signed_body(
    emulator: &Emulator,
    method: &str,
    target: &str,
    payload: &str,
    extra: &[(&str, &str)],
    body: &[u8],
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
    headers.insert(
        "host",
        HeaderValue::from_str(&emulator.addr.to_string()).expect("host"),
    );
    headers.insert("x-amz-date", HeaderValue::from_str(&stamp).expect("date"));
    headers.insert(
        "x-amz-content-sha256",
        HeaderValue::from_str(payload).expect("payload"),
    );
    for (name, value) in extra {
        let name = http::HeaderName::from_bytes(name.as_bytes()).expect("name");
        headers.insert(name, HeaderValue::from_str(value).expect("value"));
    }
    let mut names: Vec<&str> = headers.keys().map(|name| name.as_str()).collect();
    names.sort_unstable();
    let uri: http::Uri = target.parse().expect("uri");
    let scope = Scope {
        access_key: emulator.credentials.access_key.clone(),
        date,
        region: "ap-northeast-2".into(),
        service: "s3".into(),
    };
    let request = sigv4::Request {
        method,
        path: uri.path(),
        query: uri.query().unwrap_or_default(),
        headers: &headers,
        body,
    };
    let authorization = sigv4::sign(&request, &scope, &names, &emulator.credentials.secret);
    headers.insert(
        "authorization",
        HeaderValue::from_str(&authorization).expect("auth"),
    );
    headers
}

fn sha256_hex(body: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(body))
}

/// Sends a request (the body possibly shorter than announced) and reads the whole answer.
fn exchange(
    emulator: &Emulator,
    method: &str,
    target: &str,
    headers: &HeaderMap,
    length: usize,
    body: &[u8],
) -> (u16, String) {
    let mut stream = TcpStream::connect(emulator.addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    let mut head =
        format!("{method} {target} HTTP/1.1\r\nContent-Length: {length}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {}\r\n", value.to_str().expect("ascii")));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).expect("head");
    let _ = stream.write_all(body);
    if body.len() < length {
        let _ = stream.shutdown(std::net::Shutdown::Write);
    }
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    (status, text)
}

fn s3_error(text: &str, code: &str) -> bool {
    text.contains("<Error>") && text.contains(&format!("<Code>{code}</Code>"))
}

#[tokio::test]
async fn malformed_documents_and_broken_uploads_get_s3_errors_and_store_nothing() {
    let emulator = start();
    let client = s3(&root(&emulator));
    make_bucket(&client, "target").await;

    let xml = b"<Tagging><TagSet><Tag><Key>a";
    let headers = signed_body(
        &emulator,
        "PUT",
        "/target?tagging",
        &sha256_hex(xml),
        &[],
        xml,
    );
    let (status, text) = exchange(
        &emulator,
        "PUT",
        "/target?tagging",
        &headers,
        xml.len(),
        xml,
    );
    assert!(status == 400 && s3_error(&text, "MalformedXML"), "{text}");

    let policy = b"Version: 2012-10-17";
    let headers = signed_body(
        &emulator,
        "PUT",
        "/target?policy",
        &sha256_hex(policy),
        &[],
        policy,
    );
    let (status, text) = exchange(
        &emulator,
        "PUT",
        "/target?policy",
        &headers,
        policy.len(),
        policy,
    );
    assert!(
        status == 400 && s3_error(&text, "MalformedPolicy"),
        "{text}"
    );

    // aws-chunked, as aws-sdk-rust sends it, with a trailing CRC32 that is wrong.
    let chunked = b"5\r\nhello\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n";
    let streaming = [
        ("content-encoding", "aws-chunked"),
        ("x-amz-decoded-content-length", "5"),
        ("x-amz-trailer", "x-amz-checksum-crc32"),
    ];
    let headers = signed(
        &emulator,
        "PUT",
        "/target/wrong.txt",
        "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
        &streaming,
    );
    let (status, text) = exchange(
        &emulator,
        "PUT",
        "/target/wrong.txt",
        &headers,
        chunked.len(),
        chunked,
    );
    assert!(status == 400 && s3_error(&text, "BadDigest"), "{text}");

    // The same with the right CRC32 of "hello" is stored.
    let good = b"5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n";
    let headers = signed(
        &emulator,
        "PUT",
        "/target/good.txt",
        "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
        &streaming,
    );
    let (status, text) = exchange(
        &emulator,
        "PUT",
        "/target/good.txt",
        &headers,
        good.len(),
        good,
    );
    assert_eq!(status, 200, "{text}");

    // A body cut off in the middle: the connection drops, and no object appears.
    let headers = signed(
        &emulator,
        "PUT",
        "/target/cut.bin",
        "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
        &[
            ("content-encoding", "aws-chunked"),
            ("x-amz-decoded-content-length", "100000"),
            ("x-amz-trailer", "x-amz-checksum-crc32"),
        ],
    );
    let partial = b"186a0\r\nonly a few bytes of a hundred thousand";
    exchange(
        &emulator,
        "PUT",
        "/target/cut.bin",
        &headers,
        100_100,
        partial,
    );
    let plain = signed(
        &emulator,
        "PUT",
        "/target/short.bin",
        "UNSIGNED-PAYLOAD",
        &[],
    );
    exchange(
        &emulator,
        "PUT",
        "/target/short.bin",
        &plain,
        50_000,
        b"not fifty thousand bytes",
    );

    let listed = client
        .list_objects_v2()
        .bucket("target")
        .send()
        .await
        .expect("list");
    let keys: Vec<_> = listed.contents().iter().filter_map(|o| o.key()).collect();
    assert_eq!(keys, ["good.txt"]);
    // The refused and cut-off uploads left no bytes on disk (writes finish asynchronously).
    let mut left = usize::MAX;
    for _ in 0..50 {
        left = std::fs::read_dir(emulator.blobs.path(""))
            .expect("blobs")
            .count();
        if left == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(left, 1, "only good.txt's blob remains");
}

/// A tiny deterministic generator, so a failure can be replayed.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[(self.next() % from.len() as u64) as usize]
    }
}

#[tokio::test]
async fn random_s3_requests_get_s3_errors_and_the_server_survives() {
    let emulator = start();
    let client = s3(&root(&emulator));
    make_bucket(&client, "fuzz").await;
    make_bucket(&client, "survivor").await;
    client
        .put_object()
        .bucket("survivor")
        .key("k")
        .body(ByteStream::from_static(b"v"))
        .send()
        .await
        .expect("put");
    let mut rng = Gen(0x0bad_5eed_1234_5678);
    let methods = ["GET", "PUT", "POST", "DELETE", "HEAD"];
    let paths = [
        "/fuzz",
        "/fuzz/k",
        "/fuzz/../../etc/passwd",
        "/Bad..Name/x",
        "/fuzz/%00%ff",
        "/",
        "/fuzz/k?uploads",
        "/nobucket/k",
    ];
    let queries = [
        "",
        "?tagging",
        "?policy",
        "?uploadId=nope&partNumber=99999",
        "?list-type=2&max-keys=-3",
        "?list-type=2&continuation-token=!!!",
        "?delete",
        "?publicAccessBlock",
        "?location",
        "?acl",
    ];
    let bodies: [&[u8]; 5] = [
        b"",
        b"<Delete><Object><Key>k</Key></Object>",
        b"{\"Version\":1}",
        b"\x00\xff\xfe garbage",
        b"<Tagging/>",
    ];
    for round in 0..300 {
        let method = rng.pick(&methods);
        let target = format!("{}{}", rng.pick(&paths), rng.pick(&queries));
        let body = bodies[(rng.next() % bodies.len() as u64) as usize];
        let headers = if rng.next().is_multiple_of(3) {
            let mut headers = HeaderMap::new();
            headers.insert(
                "host",
                HeaderValue::from_str(&emulator.addr.to_string()).expect("host"),
            );
            headers
        } else {
            signed_body(&emulator, method, &target, &sha256_hex(body), &[], body)
        };
        let (status, text) = exchange(&emulator, method, &target, &headers, body.len(), body);
        assert!(status >= 200, "round {round}: {method} {target}: no answer");
        if status >= 400 && method != "HEAD" {
            assert!(
                text.contains("<Error>") && text.contains("<Code>"),
                "round {round}: {method} {target}:\n{text}"
            );
        }
        assert!(
            !text.contains("root:x:0:0"),
            "round {round}: a host file leaked"
        );
    }
    let still = client.get_object().bucket("survivor").key("k").send().await;
    assert!(still.is_ok(), "the server still serves");
}
