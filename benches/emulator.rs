//! The emulator under load, through aws-sdk-rust as any client would use it:
//! DescribeInstances with 100 instances and RunInstances, at 1 and at 32 concurrent clients,
//! and the Price List's GetProducts; and the server's own share of DescribeInstances (20 and
//! 100 instances) and GetProducts, timed in-process.
//!
//! `cargo bench --bench emulator` prints p50/p99 latency and requests per second; the
//! figures go in the README. Pass a duration in seconds after `--` to change the default
//! of 3 seconds per measurement.

use std::time::{Duration, Instant};

use aws_sdk_ec2::Client;
use cloudlings_emulator::Emulator;

mod common;
use common::measure;

fn main() {
    common::main_with(run);
}

async fn run(length: Duration) {
    let emulator = Emulator::start(0, None).expect("emulator");
    let config = common::sdk_config(&emulator);
    let ec2 = Client::new(&config);
    let images = ec2
        .describe_images()
        .owners("099720109477")
        .send()
        .await
        .expect("images");
    let image = images.images()[0].image_id().expect("id").to_string();
    // Four reservations of 25: DescribeInstances groups them as AWS would.
    for _ in 0..4 {
        ec2.run_instances()
            .image_id(&image)
            .min_count(25)
            .max_count(25)
            .send()
            .await
            .expect("run");
    }
    let count: usize = ec2
        .describe_instances()
        .send()
        .await
        .expect("describe")
        .reservations()
        .iter()
        .map(|r| r.instances().len())
        .sum();
    assert_eq!(count, 100);

    // The server's own share: the whole handling of one request, without sockets or a client.
    // Twenty instances (the size of a classroom's account) in an emulator of their own.
    {
        let small = Emulator::start(0, None).expect("emulator");
        let ec2 = Client::new(&common::sdk_config(&small));
        ec2.run_instances()
            .image_id(&image)
            .min_count(20)
            .max_count(20)
            .send()
            .await
            .expect("run");
        server_only(&small, &DESCRIBE_INSTANCES, "20 instances", 2000);
    }
    server_only(&emulator, &DESCRIBE_INSTANCES, "100 instances", 2000);
    server_only(&emulator, &GET_PRODUCTS, "Seoul t2.micro", 2000);

    println!(
        "cloudlings emulator through aws-sdk-rust, {} s per measurement:",
        length.as_secs()
    );
    {
        let ec2 = ec2.clone();
        // The same call answering nothing: what the round trip costs without the XML.
        measure("DescribeInstances (empty answer)", 1, length, move || {
            let ec2 = ec2.clone();
            async move {
                let filter = aws_sdk_ec2::types::Filter::builder()
                    .name("instance-type")
                    .values("c5.large")
                    .build();
                ec2.describe_instances()
                    .filters(filter)
                    .send()
                    .await
                    .expect("describe");
            }
        })
        .await;
    }
    for clients in [1, 32] {
        let ec2 = ec2.clone();
        measure(
            "DescribeInstances (100 instances)",
            clients,
            length,
            move || {
                let ec2 = ec2.clone();
                async move {
                    ec2.describe_instances().send().await.expect("describe");
                }
            },
        )
        .await;
    }
    {
        let pricing = aws_sdk_pricing::Client::new(&config);
        measure("GetProducts (one product)", 1, length, move || {
            let pricing = pricing.clone();
            async move {
                let filter = |field: &str, value: &str| {
                    aws_sdk_pricing::types::Filter::builder()
                        .r#type(aws_sdk_pricing::types::FilterType::TermMatch)
                        .field(field)
                        .value(value)
                        .build()
                        .expect("filter")
                };
                pricing
                    .get_products()
                    .service_code("AmazonEC2")
                    .filters(filter("instanceType", "t2.micro"))
                    .filters(filter("regionCode", "ap-northeast-2"))
                    .filters(filter("operatingSystem", "Linux"))
                    .send()
                    .await
                    .expect("products");
            }
        })
        .await;
    }
    // RunInstances one at a time, terminating as it goes so the account stays under its quota.
    for clients in [1, 32] {
        let ec2 = ec2.clone();
        let image = image.clone();
        measure(
            "RunInstances + TerminateInstances",
            clients,
            length,
            move || {
                let ec2 = ec2.clone();
                let image = image.clone();
                async move {
                    let run = ec2
                        .run_instances()
                        .image_id(&image)
                        .min_count(1)
                        .max_count(1)
                        .send()
                        .await;
                    if let Ok(run) = run {
                        let id = run.instances()[0]
                            .instance_id()
                            .unwrap_or_default()
                            .to_string();
                        ec2.terminate_instances()
                            .instance_ids(id)
                            .send()
                            .await
                            .expect("terminate");
                    }
                }
            },
        )
        .await;
    }
}

/// A request the server is timed on alone.
struct Call {
    name: &'static str,
    service: &'static str,
    /// The `X-Amz-Target` of a JSON protocol's request.
    target: Option<&'static str>,
    body: &'static [u8],
    format: &'static str,
}

const DESCRIBE_INSTANCES: Call = Call {
    name: "DescribeInstances",
    service: "ec2",
    target: None,
    body: b"Action=DescribeInstances&Version=2016-11-15",
    format: "XML",
};

const GET_PRODUCTS: Call = Call {
    name: "GetProducts",
    service: "pricing",
    target: Some("AWSPriceListService.GetProducts"),
    body: br#"{"ServiceCode":"AmazonEC2","Filters":[{"Type":"TERM_MATCH","Field":"instanceType","Value":"t2.micro"},{"Type":"TERM_MATCH","Field":"regionCode","Value":"ap-northeast-2"},{"Type":"TERM_MATCH","Field":"operatingSystem","Value":"Linux"}],"FormatVersion":"aws_v1"}"#,
    format: "JSON",
};

/// Times `http::respond` for a signed `call`, in-process.
fn server_only(emulator: &Emulator, call: &Call, what: &str, rounds: usize) {
    use cloudlings_emulator::sigv4::{self, Scope};
    let keys = emulator.world.lock().root_credentials().expect("root");
    let now = time::OffsetDateTime::now_utc();
    let date = format!("{:04}{:02}{:02}", now.year(), now.month() as u8, now.day());
    let stamp = format!(
        "{date}T{:02}{:02}{:02}Z",
        now.hour(),
        now.minute(),
        now.second()
    );
    let mut headers = http::HeaderMap::new();
    headers.insert("host", http::HeaderValue::from_static("127.0.0.1:1"));
    headers.insert(
        "x-amz-date",
        http::HeaderValue::from_str(&stamp).expect("date"),
    );
    if let Some(target) = call.target {
        headers.insert("x-amz-target", http::HeaderValue::from_static(target));
    }
    let body = call.body;
    let scope = Scope {
        access_key: keys.access_key,
        date,
        region: "ap-northeast-2".into(),
        service: call.service.into(),
    };
    let request = sigv4::Request {
        method: "POST",
        path: "/",
        query: "",
        headers: &headers,
        body,
    };
    let authorization = sigv4::sign(&request, &scope, &["host", "x-amz-date"], &keys.secret);
    headers.insert(
        "authorization",
        http::HeaderValue::from_str(&authorization).expect("header"),
    );
    let uri: http::Uri = "/".parse().expect("uri");
    let mut times = Vec::with_capacity(rounds);
    let mut size = 0;
    for _ in 0..rounds {
        let began = Instant::now();
        let reply = cloudlings_emulator::http::respond(
            &emulator.world,
            &http::Method::POST,
            &uri,
            &headers,
            body,
        );
        times.push(began.elapsed());
        assert_eq!(reply.status, 200, "{}", reply.body);
        size = reply.body.len();
    }
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1000.0;
    println!(
        "server alone: {} ({what}, {:.1} KiB of {}) p50 {:.3} ms, p99 {:.3} ms",
        call.name,
        size as f64 / 1024.0,
        call.format,
        at(0.5),
        at(0.99)
    );
}
