//! SSH into an emulated instance: a whole connect + key exchange + public-key login + exec
//! round trip (what `ssh -i key.pem ubuntu@host whoami` costs), and 50 interactive sessions
//! held open at once, with the memory they take.
//!
//! `cargo bench --bench ssh` prints p50/p99 and the process's resident memory; pass a
//! duration in seconds after `--` to change the default of 3 seconds of round trips. The
//! client is the shell's own (russh), on the same two cores as the server, and the memory
//! figure counts both.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::InstanceType;
use cloudlings::shell::ssh;
use cloudlings_emulator::Emulator;
use cloudlings_emulator::net::{dial::dial, learner_address};

mod common;

const SESSIONS: usize = 50;

fn main() {
    common::main_with(run);
}

async fn run(length: Duration) {
    let emulator = Emulator::start(0, None).expect("emulator");
    let (host, key) = launch(&emulator).await;
    let endpoint = emulator.addr;
    println!(
        "cloudlings SSH into an emulated Ubuntu instance, {} s of round trips:",
        length.as_secs()
    );
    let rss_before = rss_mib();
    tokio::task::spawn_blocking(move || {
        // Warm up: the first login pays for lazily built state on both sides.
        exec(endpoint, &host, &key, "whoami");
        let mut latencies = Vec::new();
        let start = Instant::now();
        while start.elapsed() < length {
            let began = Instant::now();
            let output = exec(endpoint, &host, &key, "whoami");
            latencies.push(began.elapsed());
            assert_eq!(output, "ubuntu\n");
        }
        common::report(
            "connect + login + exec `whoami`",
            1,
            latencies,
            start.elapsed(),
        );

        let began = Instant::now();
        let sessions: Vec<_> = (0..SESSIONS)
            .map(|_| open_shell(endpoint, &host, &key))
            .collect();
        let opened = began.elapsed();
        let rss_held = rss_mib();
        println!(
            "  {SESSIONS} interactive sessions held: opened in {:.0} ms, resident memory {:.1} MiB (before: {:.1} MiB)",
            opened.as_secs_f64() * 1000.0,
            rss_held,
            rss_before
        );
        drop(sessions);
    })
    .await
    .expect("bench");
}

/// Creates a key pair, a group admitting SSH from the learner, and a running instance.
async fn launch(emulator: &Emulator) -> (String, String) {
    let ec2 = Client::new(&common::sdk_config(emulator));
    let key = ec2
        .create_key_pair()
        .key_name("bench")
        .send()
        .await
        .expect("key pair")
        .key_material()
        .expect("material")
        .to_string();
    let learner = learner_address(&emulator.world.lock());
    let group = common::group_admitting(&ec2, "bench", 22, &format!("{learner}/32")).await;
    let image = common::ubuntu_image(&ec2).await;
    let id = ec2
        .run_instances()
        .image_id(image)
        .instance_type(InstanceType::T2Micro)
        .key_name("bench")
        .security_group_ids(group)
        .min_count(1)
        .max_count(1)
        .send()
        .await
        .expect("run")
        .instances()[0]
        .instance_id()
        .expect("id")
        .to_string();
    emulator
        .world
        .lock()
        .clock
        .advance(time::Duration::minutes(1));
    let described = ec2
        .describe_instances()
        .instance_ids(id)
        .send()
        .await
        .expect("describe");
    let dns = described.reservations()[0].instances()[0]
        .public_dns_name()
        .expect("dns")
        .to_string();
    (dns, key)
}

fn login(endpoint: SocketAddr, host: &str, key: &str) -> ssh::Connection {
    let stream = dial(endpoint, host, 22, Duration::from_secs(5)).expect("dial");
    let socket = ssh::Socket {
        stream,
        address: host.to_string(),
    };
    let mut handshake =
        ssh::Handshake::over(socket, &ssh::Target::new(host, 22)).expect("handshake");
    let methods = handshake.methods("ubuntu").expect("methods");
    assert!(handshake.offer_key("ubuntu", key), "the key was refused");
    handshake.finish("ubuntu", &methods).expect("login")
}

fn exec(endpoint: SocketAddr, host: &str, key: &str, command: &str) -> String {
    let output = login(endpoint, host, key).exec(command).expect("exec");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn open_shell(endpoint: SocketAddr, host: &str, key: &str) -> (ssh::Connection, ssh::Channel) {
    let connection = login(endpoint, host, key);
    let pty = ssh::Pty {
        term: "xterm".to_string(),
        columns: 80,
        rows: 24,
    };
    let mut channel = connection.shell(Some(&pty), None).expect("shell");
    channel.send(b"whoami\r").expect("type");
    let mut seen = Vec::new();
    while !String::from_utf8_lossy(&seen).contains("\r\nubuntu\r\n") {
        // A short wait: `drain` waits its whole time unless the session ends.
        let ended = channel
            .drain(&mut seen, None, Duration::from_millis(2))
            .expect("read");
        assert!(ended.is_none(), "the session closed");
    }
    (connection, channel)
}

/// The process's resident memory, from /proc (Linux).
fn rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| {
            value
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<f64>()
                .ok()
        })
        .map_or(0.0, |kib| kib / 1024.0)
}
