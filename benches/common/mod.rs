//! What the benchmarks share: the command line, the SDK's configuration for the emulator, and
//! clients in a loop reported as p50/p99 and requests per second.

// Each benchmark is its own crate and uses only some of these.
#![allow(dead_code)]

use std::future::Future;
use std::time::{Duration, Instant};

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use cloudlings_emulator::Emulator;

/// Runs a benchmark on a multi-threaded runtime; `cargo bench --bench NAME -- 10` makes each
/// measurement last 10 seconds instead of 3.
pub fn main_with<F, Fut>(run: F)
where
    F: FnOnce(Duration) -> Fut,
    Fut: Future<Output = ()>,
{
    let seconds: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(3);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run(Duration::from_secs(seconds)));
}

/// aws-sdk-rust pointed at the emulator, as its root user, in Seoul.
pub fn sdk_config(emulator: &Emulator) -> SdkConfig {
    let keys = &emulator.credentials;
    SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(emulator.endpoint())
        .region(Region::new("ap-northeast-2"))
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            &keys.access_key,
            &keys.secret,
            None,
            None,
            "bench",
        )))
        .build()
}

/// Runs `call` from `clients` concurrent tasks for `length` and prints the latencies.
pub async fn measure<F, Fut>(name: &str, clients: usize, length: Duration, call: F)
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let call = call.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            while start.elapsed() < length {
                let began = Instant::now();
                call().await;
                latencies.push(began.elapsed());
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.expect("client"));
    }
    report(name, clients, latencies, start.elapsed());
}

/// Prints one line of figures for what `clients` clients did in `elapsed`.
pub fn report(name: &str, clients: usize, mut latencies: Vec<Duration>, elapsed: Duration) {
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
    println!(
        "  {name:<36} {clients:>2} client(s): p50 {:7.3} ms  p99 {:7.3} ms  {:8.0} req/s",
        at(0.5).as_secs_f64() * 1000.0,
        at(0.99).as_secs_f64() * 1000.0,
        latencies.len() as f64 / elapsed.as_secs_f64()
    );
}

/// A security group admitting TCP `port` from `cidr`; returns its id.
pub async fn group_admitting(
    ec2: &aws_sdk_ec2::Client,
    name: &str,
    port: i32,
    cidr: &str,
) -> String {
    use aws_sdk_ec2::types::{IpPermission, IpRange};
    let group = ec2
        .create_security_group()
        .group_name(name)
        .description(name)
        .send()
        .await
        .expect("group")
        .group_id()
        .expect("id")
        .to_string();
    ec2.authorize_security_group_ingress()
        .group_id(&group)
        .ip_permissions(
            IpPermission::builder()
                .ip_protocol("tcp")
                .from_port(port)
                .to_port(port)
                .ip_ranges(IpRange::builder().cidr_ip(cidr).build())
                .build(),
        )
        .send()
        .await
        .expect("ingress");
    group
}

/// The id of the emulator's Ubuntu 24.04 image, found as a learner finds it.
pub async fn ubuntu_image(ec2: &aws_sdk_ec2::Client) -> String {
    use aws_sdk_ec2::types::Filter;
    ec2.describe_images()
        .filters(
            Filter::builder()
                .name("name")
                .values("ubuntu/images/*noble-24.04-amd64*")
                .build(),
        )
        .send()
        .await
        .expect("images")
        .images()[0]
        .image_id()
        .expect("image")
        .to_string()
}
