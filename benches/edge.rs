//! The CloudFront edge under load: cache hits of a 1 KiB and a 100 KiB image over 32
//! keep-alive connections, the way a page full of images is fetched.
//!
//! `cargo bench --bench edge` prints requests per second and latency; pass a duration in
//! seconds after `--` to change the default of 3 seconds per measurement. The client is a
//! minimal HTTP/1.1 reader on the same two cores as the server.

use std::time::{Duration, Instant};

use aws_sdk_cloudfront::types::{
    DefaultCacheBehavior, DistributionConfig, Origin, OriginAccessControlConfig,
    OriginAccessControlOriginTypes, OriginAccessControlSigningBehaviors,
    OriginAccessControlSigningProtocols, Origins, S3OriginConfig, ViewerProtocolPolicy,
};
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{BucketLocationConstraint, CreateBucketConfiguration};
use cloudlings_emulator::Emulator;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

mod common;

const CONNECTIONS: usize = 32;

fn main() {
    common::main_with(run);
}

async fn run(length: Duration) {
    let emulator = Emulator::start(0, None).expect("emulator");
    let config = common::sdk_config(&emulator);
    let domain = publish(&emulator, &config).await;
    let host = format!(
        "{}.cloudfront.localhost",
        domain.trim_end_matches(".cloudfront.net")
    );
    // Let the distribution deploy.
    emulator
        .world
        .lock()
        .clock
        .advance(time::Duration::minutes(5));

    println!(
        "cloudlings CloudFront edge, cache hits over keep-alive connections, {} s per measurement:",
        length.as_secs()
    );
    for (name, path) in [
        ("1 KiB image", "/small.png"),
        ("100 KiB image", "/large.png"),
    ] {
        let mut tasks = Vec::new();
        let start = Instant::now();
        for _ in 0..CONNECTIONS {
            let addr = emulator.edge_addr;
            let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n");
            tasks.push(tokio::spawn(async move {
                let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
                stream.set_nodelay(true).expect("nodelay");
                let (reader, mut writer) = stream.into_split();
                let mut reader = BufReader::new(reader);
                let mut latencies = Vec::new();
                while start.elapsed() < length {
                    let began = Instant::now();
                    writer.write_all(request.as_bytes()).await.expect("send");
                    let hit = read_response(&mut reader).await;
                    assert!(hit, "every measured request is a cache hit");
                    latencies.push(began.elapsed());
                }
                latencies
            }));
        }
        let mut latencies = Vec::new();
        for task in tasks {
            latencies.extend(task.await.expect("client"));
        }
        common::report(name, CONNECTIONS, latencies, start.elapsed());
    }
}

/// Reads one response; whether it was a hit.
async fn read_response(reader: &mut BufReader<tokio::net::tcp::OwnedReadHalf>) -> bool {
    let mut length = 0usize;
    let mut hit = false;
    let mut line = String::new();
    loop {
        line.clear();
        reader.read_line(&mut line).await.expect("header");
        let lower = line.to_ascii_lowercase();
        if let Some(value) = lower.strip_prefix("content-length:") {
            length = value.trim().parse().expect("length");
        }
        if lower.starts_with("x-cache: hit") {
            hit = true;
        }
        if line == "\r\n" {
            break;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).await.expect("body");
    hit
}

/// A private bucket with two images behind a distribution with Origin Access Control, its
/// policy in place and the cache warm: the lecture's final setup.
async fn publish(emulator: &Emulator, config: &aws_config::SdkConfig) -> String {
    let s3 = aws_sdk_s3::Client::new(config);
    let cloudfront = aws_sdk_cloudfront::Client::new(config);
    s3.create_bucket()
        .bucket("bench-images")
        .create_bucket_configuration(
            CreateBucketConfiguration::builder()
                .location_constraint(BucketLocationConstraint::from("ap-northeast-2"))
                .build(),
        )
        .send()
        .await
        .expect("bucket");
    for (key, size) in [("small.png", 1024), ("large.png", 100 * 1024)] {
        s3.put_object()
            .bucket("bench-images")
            .key(key)
            .content_type("image/png")
            .body(ByteStream::from(vec![9u8; size]))
            .send()
            .await
            .expect("put");
    }
    let oac = cloudfront
        .create_origin_access_control()
        .origin_access_control_config(
            OriginAccessControlConfig::builder()
                .name("bench")
                .signing_protocol(OriginAccessControlSigningProtocols::Sigv4)
                .signing_behavior(OriginAccessControlSigningBehaviors::Always)
                .origin_access_control_origin_type(OriginAccessControlOriginTypes::S3)
                .build()
                .expect("oac"),
        )
        .send()
        .await
        .expect("oac");
    let oac_id = oac.origin_access_control().expect("oac").id().to_string();
    let created = cloudfront
        .create_distribution()
        .distribution_config(
            DistributionConfig::builder()
                .caller_reference("bench")
                .comment("bench")
                .enabled(true)
                .origins(
                    Origins::builder()
                        .quantity(1)
                        .items(
                            Origin::builder()
                                .id("s3")
                                .domain_name("bench-images.s3.ap-northeast-2.amazonaws.com")
                                .s3_origin_config(
                                    S3OriginConfig::builder().origin_access_identity("").build(),
                                )
                                .origin_access_control_id(oac_id)
                                .build()
                                .expect("origin"),
                        )
                        .build()
                        .expect("origins"),
                )
                .default_cache_behavior(
                    DefaultCacheBehavior::builder()
                        .target_origin_id("s3")
                        .viewer_protocol_policy(ViewerProtocolPolicy::RedirectToHttps)
                        .cache_policy_id("658327ea-f89d-4fab-a63d-7e88639e58f6")
                        .build()
                        .expect("behavior"),
                )
                .build()
                .expect("config"),
        )
        .send()
        .await
        .expect("distribution");
    let distribution = created.distribution().expect("distribution");
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"cloudfront.amazonaws.com"}},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bench-images/*","Condition":{{"StringEquals":{{"AWS:SourceArn":"{}"}}}}}}]}}"#,
        distribution.arn()
    );
    s3.put_bucket_policy()
        .bucket("bench-images")
        .policy(policy)
        .send()
        .await
        .expect("policy");
    let domain = distribution.domain_name().to_string();
    emulator
        .world
        .lock()
        .clock
        .advance(time::Duration::minutes(5));
    // Warm the cache: the first request of each image is the miss.
    for path in ["/small.png", "/large.png"] {
        let host = format!(
            "{}.cloudfront.localhost",
            domain.trim_end_matches(".cloudfront.net")
        );
        let mut stream = tokio::net::TcpStream::connect(emulator.edge_addr)
            .await
            .expect("connect");
        stream
            .write_all(
                format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
                    .as_bytes(),
            )
            .await
            .expect("warm");
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await.expect("warm");
        assert!(
            answer.starts_with(b"HTTP/1.1 200"),
            "{}",
            String::from_utf8_lossy(&answer)
        );
    }
    domain
}
