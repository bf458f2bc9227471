//! S3 through aws-sdk-rust: PutObject and GetObject of 1 KiB (latency) and of 64 MiB
//! (throughput), and a 1 GiB upload and download streamed through with the process's peak
//! memory reported, since objects must never be held in memory.
//!
//! `cargo bench --bench s3` prints the figures for the README; pass a duration in seconds
//! after `--` to change the default of 3 seconds per latency measurement.

use std::time::{Duration, Instant};

use aws_sdk_s3::Client;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{BucketLocationConstraint, CreateBucketConfiguration};
use cloudlings_emulator::Emulator;

mod common;
use common::measure;

const MIB: usize = 1024 * 1024;

fn main() {
    common::main_with(run);
}

async fn run(length: Duration) {
    let state = tempfile::tempdir().expect("state");
    let emulator = Emulator::start(0, Some(state.path())).expect("emulator");
    let config = common::sdk_config(&emulator);
    let s3 = Client::new(&config);
    s3.create_bucket()
        .bucket("bench")
        .create_bucket_configuration(
            CreateBucketConfiguration::builder()
                .location_constraint(BucketLocationConstraint::from("ap-northeast-2"))
                .build(),
        )
        .send()
        .await
        .expect("bucket");
    let small = vec![7u8; 1024];
    s3.put_object()
        .bucket("bench")
        .key("small")
        .body(ByteStream::from(small.clone()))
        .send()
        .await
        .expect("put");

    println!(
        "cloudlings S3 through aws-sdk-rust (state on disk, each PUT synced), {} s per measurement:",
        length.as_secs()
    );
    for clients in [1, 32] {
        let s3 = s3.clone();
        measure("GetObject 1 KiB", clients, length, move || {
            let s3 = s3.clone();
            async move {
                let got = s3.get_object().bucket("bench").key("small").send().await;
                got.expect("get").body.collect().await.expect("body");
            }
        })
        .await;
    }
    {
        let s3 = s3.clone();
        measure("PutObject 1 KiB", 1, length, move || {
            let s3 = s3.clone();
            let small = small.clone();
            async move {
                s3.put_object()
                    .bucket("bench")
                    .key("small-put")
                    .body(ByteStream::from(small))
                    .send()
                    .await
                    .expect("put");
            }
        })
        .await;
    }

    let dir = tempfile::tempdir().expect("dir");
    for (name, size) in [("64 MiB", 64 * MIB), ("1 GiB", 1024 * MIB)] {
        let file = dir.path().join(name.replace(' ', ""));
        write_file(&file, size);
        let began = Instant::now();
        s3.put_object()
            .bucket("bench")
            .key(name)
            .body(ByteStream::from_path(&file).await.expect("stream"))
            .send()
            .await
            .expect("put big");
        let put = began.elapsed();
        let began = Instant::now();
        let mut body = s3
            .get_object()
            .bucket("bench")
            .key(name)
            .send()
            .await
            .expect("get big")
            .body;
        let mut received = 0usize;
        while let Some(chunk) = body.try_next().await.expect("chunk") {
            received += chunk.len();
        }
        let get = began.elapsed();
        assert_eq!(received, size);
        std::fs::remove_file(&file).expect("remove");
        println!(
            "  {name:<8} PutObject {:6.0} MB/s   GetObject {:6.0} MB/s   (peak RSS so far {} MiB)",
            size as f64 / 1e6 / put.as_secs_f64(),
            size as f64 / 1e6 / get.as_secs_f64(),
            peak_rss_mib()
        );
    }
}

/// Writes `size` bytes of a repeating pattern, in pieces, without holding them all.
fn write_file(path: &std::path::Path, size: usize) {
    use std::io::Write;
    let piece: Vec<u8> = (0..MIB).map(|i| (i % 251) as u8).collect();
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).expect("file"));
    for _ in 0..size / MIB {
        file.write_all(&piece).expect("write");
    }
    file.flush().expect("flush");
}

/// The process's peak resident memory (`VmHWM`), client and emulator together.
fn peak_rss_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmHWM:"))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kib| kib.parse::<u64>().ok())
        })
        .map_or(0, |kib| kib / 1024)
}
