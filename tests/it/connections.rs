//! A classroom's network against the emulator's servers: clients that send a head a byte a
//! second, hold hundreds of half-sent requests under a low `ulimit -n`, stream a body forever
//! or stop halfway, or crowd in from one address. The server closes or sheds them, and a
//! learner's signed calls are answered all along.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use cloudlings_emulator::Emulator;
use cloudlings_emulator::http::Limits;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

use crate::emulator::root;

/// Long enough for a loaded machine to answer a call, short enough to tell a stuck server.
const ANSWERED_WITHIN: Duration = Duration::from_secs(8);

fn limits(head: u64, body: u64, max_connections: usize, per_address: usize) -> Limits {
    Limits {
        head_timeout: Duration::from_secs(head),
        idle_timeout: Duration::from_secs(30),
        body_timeout: Duration::from_secs(body),
        send_timeout: Duration::from_secs(30),
        // The endpoint gets three quarters, the edge the rest.
        max_connections: max_connections * 4 / 3,
        max_connections_per_address: per_address,
    }
}

fn start(limits: Limits) -> Emulator {
    Emulator::start_limited(IpAddr::V4(Ipv4Addr::LOCALHOST), 0, 0, None, limits)
        .expect("start the emulator")
}

/// STS GetCallerIdentity and EC2 DescribeInstances, signed with the root keys, each answered
/// within [`ANSWERED_WITHIN`].
async fn signed_calls_answer(config: &aws_config::SdkConfig, when: &str) {
    let sts = aws_sdk_sts::Client::new(config);
    match tokio::time::timeout(ANSWERED_WITHIN, sts.get_caller_identity().send()).await {
        Ok(Ok(identity)) => assert!(identity.account().is_some()),
        Ok(Err(error)) => panic!("GetCallerIdentity failed {when}: {error:?}"),
        Err(_) => panic!("GetCallerIdentity timed out {when}"),
    }
    let ec2 = aws_sdk_ec2::Client::new(config);
    match tokio::time::timeout(ANSWERED_WITHIN, ec2.describe_instances().send()).await {
        Ok(Ok(_)) => {}
        Ok(Err(error)) => panic!("DescribeInstances failed {when}: {error:?}"),
        Err(_) => panic!("DescribeInstances timed out {when}"),
    }
}

/// A connection from `from` to `to`.
async fn connect_from(from: Ipv4Addr, to: SocketAddr) -> std::io::Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(IpAddr::V4(from), 0))?;
    socket.connect(to).await
}

/// Sends a request head one byte every `pace`, forever; returns how long after the
/// connection the server closed it.
async fn slowloris(addr: SocketAddr, pace: Duration) -> Option<Duration> {
    let began = Instant::now();
    let mut stream = TcpStream::connect(addr).await.ok()?;
    let head = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
    let mut sent = 0usize;
    let mut ticks = tokio::time::interval(pace);
    let mut buf = [0u8; 512];
    loop {
        tokio::select! {
            read = stream.read(&mut buf) => match read {
                Ok(n) if n > 0 => continue,
                _ => return Some(began.elapsed()),
            },
            _ = ticks.tick() => {
                let byte = head.get(sent).copied().unwrap_or(b'a');
                sent += 1;
                if stream.write_all(&[byte]).await.is_err() {
                    return Some(began.elapsed());
                }
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slowloris_connections_are_closed_after_the_head_timeout_and_others_are_served() {
    let emulator = start(limits(3, 30, 400, 400));
    let config = root(&emulator);
    let loris: Vec<_> = (0..64)
        .map(|_| tokio::spawn(slowloris(emulator.addr, Duration::from_millis(700))))
        .collect();
    // While they trickle, a learner's calls go through.
    tokio::time::sleep(Duration::from_millis(500)).await;
    signed_calls_answer(&config, "beside 64 slowloris connections").await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    signed_calls_answer(&config, "beside 64 slowloris connections").await;
    for loris in loris {
        let closed = tokio::time::timeout(Duration::from_secs(12), loris)
            .await
            .expect("a slowloris connection is closed within the head timeout and a margin")
            .expect("task")
            .expect("connected");
        assert!(
            closed >= Duration::from_secs(2),
            "closed for its head's slowness, not at once: {closed:?}"
        );
    }
    signed_calls_answer(&config, "after the slowloris").await;
}

/// The process's CPU time so far (user and system), from `/proc/PID/stat`.
fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("stat");
    // The command name is in parentheses and may hold spaces: count fields after it.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .expect("comm")
        .1
        .split_whitespace()
        .collect();
    // utime and stime are fields 14 and 15, in clock ticks of 1/100 s (USER_HZ).
    let ticks: u64 =
        fields[11].parse::<u64>().expect("utime") + fields[12].parse::<u64>().expect("stime");
    Duration::from_millis(ticks * 10)
}

/// How the flood test lowers the server's `RLIMIT_NOFILE`.
#[derive(Debug, Clone, Copy)]
enum Lowered {
    /// Before it starts (`ulimit -n`): the server sizes its caps to the limit.
    BeforeStart,
    /// While it runs: its caps are too large, and `accept` fails with `EMFILE`.
    WhileRunning,
}

/// `cloudlings serve` with at most `descriptors` open files, its stderr in a file.
struct Server {
    child: std::process::Child,
    endpoint: String,
    keys: (String, String),
    log: std::path::PathBuf,
    _state: tempfile::TempDir,
}

impl Server {
    fn start(lowered: Lowered, descriptors: u64) -> Server {
        use std::io::BufRead;
        let state = tempfile::tempdir().expect("state");
        let log = state.path().join("stderr.log");
        let mut command = match lowered {
            Lowered::BeforeStart => {
                let mut command = std::process::Command::new("sh");
                command
                    .arg("-c")
                    .arg(format!("ulimit -n {descriptors} && exec \"$0\" \"$@\""))
                    .arg(crate::BIN);
                command
            }
            Lowered::WhileRunning => std::process::Command::new(crate::BIN),
        };
        let mut child = command
            // No RSA keys made ahead: their thread would be the CPU the tests measure.
            .args([
                "serve",
                "--port",
                "0",
                "--edge-port",
                "0",
                "--ready-keys",
                "0",
            ])
            .arg("--state")
            .arg(state.path().join("state"))
            .env("CLOUDLINGS_LOG", "warn")
            .stdout(std::process::Stdio::piped())
            .stderr(std::fs::File::create(&log).expect("log"))
            .spawn()
            .expect("serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut exports = std::collections::HashMap::new();
        for line in std::io::BufReader::new(stdout).lines() {
            let line = line.expect("line");
            if let Some((name, value)) =
                line.strip_prefix("export ").and_then(|p| p.split_once('='))
            {
                exports.entry(name.to_string()).or_insert(value.to_string());
            }
            if exports.len() >= 3
                && [
                    "AWS_ENDPOINT_URL",
                    "AWS_ACCESS_KEY_ID",
                    "AWS_SECRET_ACCESS_KEY",
                ]
                .iter()
                .all(|name| exports.contains_key(*name))
            {
                break;
            }
        }
        if let Lowered::WhileRunning = lowered {
            let pid = rustix::process::Pid::from_raw(child.id() as i32);
            let limit = rustix::process::getrlimit(rustix::process::Resource::Nofile);
            rustix::process::prlimit(
                pid,
                rustix::process::Resource::Nofile,
                rustix::process::Rlimit {
                    current: Some(descriptors),
                    maximum: limit.maximum,
                },
            )
            .expect("lower the server's limit");
        }
        Server {
            child,
            endpoint: exports["AWS_ENDPOINT_URL"].clone(),
            keys: (
                exports["AWS_ACCESS_KEY_ID"].clone(),
                exports["AWS_SECRET_ACCESS_KEY"].clone(),
            ),
            log,
            _state: state,
        }
    }

    fn config(&self) -> aws_config::SdkConfig {
        use aws_config::{BehaviorVersion, Region};
        use aws_credential_types::Credentials;
        use aws_credential_types::provider::SharedCredentialsProvider;
        aws_config::SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .endpoint_url(&self.endpoint)
            .region(Region::new("ap-northeast-2"))
            .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
                &self.keys.0,
                &self.keys.1,
                None,
                None,
                "flood",
            )))
            .build()
    }

    fn addr(&self) -> SocketAddr {
        self.endpoint
            .trim_start_matches("http://")
            .parse()
            .expect("address")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Opens `count` connections that each send half a request head and then nothing.
async fn half_open(addr: SocketAddr, count: usize) -> Vec<TcpStream> {
    let mut open = Vec::new();
    for _ in 0..count {
        let connected =
            tokio::time::timeout(Duration::from_secs(2), TcpStream::connect(addr)).await;
        let Ok(Ok(mut stream)) = connected else {
            continue;
        };
        let _ = stream
            .write_all(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n")
            .await;
        open.push(stream);
    }
    open
}

async fn flood_under_a_low_descriptor_limit(lowered: Lowered) {
    let server = Server::start(lowered, 128);
    let config = server.config();
    signed_calls_answer(&config, "before the flood").await;
    let flood = half_open(server.addr(), 300).await;
    assert!(
        flood.len() > 128,
        "more connections than descriptors: {}",
        flood.len()
    );
    signed_calls_answer(&config, "under 300 half-sent requests").await;
    let pid = server.child.id();
    let before = cpu_time(pid);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let spent = cpu_time(pid) - before;
    assert!(
        spent < Duration::from_millis(500),
        "the server spins with the flood held open: {spent:?} of CPU in 2 s"
    );
    signed_calls_answer(&config, "still under the flood").await;
    drop(flood);
    signed_calls_answer(&config, "after the flood").await;
    let log = std::fs::metadata(&server.log).expect("log").len();
    assert!(log < 16 * 1024, "the log grew to {log} bytes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_half_sent_requests_under_a_low_ulimit_leaves_room_for_signed_calls() {
    flood_under_a_low_descriptor_limit(Lowered::BeforeStart).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn running_out_of_descriptors_neither_spins_nor_floods_the_log() {
    flood_under_a_low_descriptor_limit(Lowered::WhileRunning).await;
}

/// The status of the first response on `stream`, read while something else writes.
async fn status_of(reader: &mut tokio::net::tcp::OwnedReadHalf) -> Option<u16> {
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match reader.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
        }
        if answer.windows(4).any(|w| w == b"\r\n\r\n") {
            break;
        }
    }
    String::from_utf8_lossy(&answer)
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_without_end_is_bounded_and_a_stalled_upload_is_closed() {
    let emulator = start(limits(10, 3, 400, 400));
    let config = root(&emulator);

    // A signed STS call whose chunked body never ends: cut at the query protocol's bound.
    let stream = TcpStream::connect(emulator.addr).await.expect("connect");
    let (mut reader, mut writer) = stream.into_split();
    let headers = crate::hostile::signed(&emulator.world, "sts", b"Action=GetCallerIdentity");
    let mut head = String::from("POST / HTTP/1.1\r\nHost: 127.0.0.1:1\r\n");
    for (name, value) in &headers {
        if name != "host" {
            head.push_str(&format!("{name}: {}\r\n", value.to_str().expect("header")));
        }
    }
    head.push_str(
        "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n",
    );
    writer.write_all(head.as_bytes()).await.expect("head");
    let endless = tokio::spawn(async move {
        let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, "a".repeat(64 * 1024));
        while writer.write_all(chunk.as_bytes()).await.is_ok() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    });
    let status = tokio::time::timeout(ANSWERED_WITHIN, status_of(&mut reader))
        .await
        .expect("an answer to an endless body");
    assert_eq!(status, Some(413));
    endless.abort();

    // An S3 upload that stops after its first bytes is failed after the body timeout.
    let s3 = crate::s3::s3(&config);
    crate::s3::make_bucket(&s3, "stalls").await;
    let presigned = s3
        .put_object()
        .bucket("stalls")
        .key("big")
        .presigned(five_minutes())
        .await
        .expect("presign");
    let target = request_target(&presigned);
    let target = target.as_str();

    // One declaring more than an object may hold is refused before a byte of it is read.
    let mut stream = TcpStream::connect(emulator.addr).await.expect("connect");
    let too_large = 5 * 1024 * 1024 * 1024_u64 + 1;
    stream
        .write_all(
            format!(
                "PUT {target} HTTP/1.1\r\nHost: {}\r\nContent-Length: {too_large}\r\n\r\n",
                emulator.addr
            )
            .as_bytes(),
        )
        .await
        .expect("head");
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(ANSWERED_WITHIN, stream.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.starts_with("HTTP/1.1 400") && answer.contains("<Code>EntityTooLarge</Code>"),
        "{answer}"
    );

    let mut stream = TcpStream::connect(emulator.addr).await.expect("connect");
    let began = Instant::now();
    stream
        .write_all(
            format!(
                "PUT {target} HTTP/1.1\r\nHost: {}\r\nContent-Length: 100000000\r\n\r\n",
                emulator.addr
            )
            .as_bytes(),
        )
        .await
        .expect("head");
    stream.write_all(&[b'x'; 1000]).await.expect("first bytes");
    // Meanwhile, others are served.
    signed_calls_answer(&config, "beside a stalled upload").await;
    let (mut reader, _writer) = stream.into_split();
    let status = tokio::time::timeout(Duration::from_secs(12), status_of(&mut reader))
        .await
        .expect("the stalled upload is ended");
    let ended = began.elapsed();
    assert!(
        ended >= Duration::from_secs(2),
        "ended by the body timeout, not at once: {ended:?} {status:?}"
    );
    assert!(
        status.is_none_or(|status| status >= 400),
        "an upload that stalled is not stored: {status:?}"
    );
    let listed = s3
        .list_objects_v2()
        .bucket("stalls")
        .send()
        .await
        .expect("list");
    assert!(listed.contents().is_empty(), "nothing half-written is kept");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_over_its_cap_does_not_lock_out_another() {
    // 40 connections in all, 20 per address: a crowd on one address could fill them alone.
    let emulator = start(limits(10, 15, 40, 20));
    let config = root(&emulator);
    let crowd_from = Ipv4Addr::new(127, 0, 0, 2);
    // Each holds its connection busy: a request whose body stops coming.
    let mut crowd = Vec::new();
    for _ in 0..60 {
        let Ok(Ok(mut stream)) = tokio::time::timeout(
            Duration::from_secs(2),
            connect_from(crowd_from, emulator.addr),
        )
        .await
        else {
            continue;
        };
        let _ = stream
            .write_all(
                b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nAction=",
            )
            .await;
        crowd.push(stream);
    }
    assert_eq!(crowd.len(), 60, "the kernel accepts every connection");
    // The ones over the cap are turned away at once: closed, with or without a 503.
    let mut turned_away = 0;
    for stream in &mut crowd {
        let mut buf = [0u8; 512];
        match tokio::time::timeout(Duration::from_millis(200), stream.read(&mut buf)).await {
            Ok(Ok(0) | Err(_)) => turned_away += 1,
            Ok(Ok(n)) if buf[..n].starts_with(b"HTTP/1.1 503") => turned_away += 1,
            _ => {}
        }
    }
    assert_eq!(turned_away, 40, "only the address's share is served");
    signed_calls_answer(&config, "from 127.0.0.1 beside a crowd on 127.0.0.2").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_stops_reading_a_download_is_let_go() {
    let emulator = start(Limits {
        send_timeout: Duration::from_secs(2),
        ..limits(10, 10, 400, 400)
    });
    let config = root(&emulator);
    let s3 = crate::s3::s3(&config);
    crate::s3::make_bucket(&s3, "downloads").await;
    // Far more than the sockets' buffers on both sides hold.
    let size = 32 << 20;
    s3.put_object()
        .bucket("downloads")
        .key("large")
        .body(vec![7u8; size].into())
        .send()
        .await
        .expect("PutObject");
    let presigned = s3
        .get_object()
        .bucket("downloads")
        .key("large")
        .presigned(five_minutes())
        .await
        .expect("presign");
    let target = request_target(&presigned);
    let target = target.as_str();
    let mut stream = TcpStream::connect(emulator.addr).await.expect("connect");
    stream
        .write_all(format!("GET {target} HTTP/1.1\r\nHost: {}\r\n\r\n", emulator.addr).as_bytes())
        .await
        .expect("request");
    let mut buf = vec![0u8; 64 * 1024];
    let mut received = stream.read(&mut buf).await.expect("the answer begins");
    assert!(buf.starts_with(b"HTTP/1.1 200"));
    // The client reads nothing more for a while; others are served meanwhile.
    signed_calls_answer(&config, "beside a download nobody reads").await;
    tokio::time::sleep(Duration::from_secs(5)).await;
    let rest = async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => received += n,
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(15), rest)
        .await
        .expect("the server let the connection go");
    assert!(
        received < size,
        "only what the buffers held arrives: {received} of {size} bytes"
    );
}

/// How long the tests' presigned requests are good for.
fn five_minutes() -> aws_sdk_s3::presigning::PresigningConfig {
    aws_sdk_s3::presigning::PresigningConfig::expires_in(Duration::from_secs(300))
        .expect("presigning")
}

/// A presigned request's path and query, to send by hand.
fn request_target(presigned: &aws_sdk_s3::presigning::PresignedRequest) -> String {
    let uri: http::Uri = presigned.uri().parse().expect("uri");
    uri.path_and_query().expect("target").as_str().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tunnels_count_against_the_caps_for_as_long_as_they_are_open() {
    // 40 connections in all, 20 per address, as above; each tunnel is one of them.
    let emulator = start(limits(10, 15, 40, 20));
    let config = root(&emulator);
    crate::s3::make_bucket(&crate::s3::s3(&config), "tunnels").await;
    let crowd_from = Ipv4Addr::new(127, 0, 0, 2);
    let tunnel = || async {
        let mut stream = connect_from(crowd_from, emulator.addr).await.ok()?;
        let host = "tunnels.s3.ap-northeast-2.amazonaws.com:80";
        let head = format!("CONNECT {host} HTTP/1.1\r\nHost: {host}\r\n\r\n");
        stream.write_all(head.as_bytes()).await.ok()?;
        let mut buf = [0u8; 512];
        match tokio::time::timeout(Duration::from_secs(2), stream.read(&mut buf)).await {
            Ok(Ok(n)) if buf[..n].starts_with(b"HTTP/1.1 200") => Some(stream),
            _ => None,
        }
    };
    let mut open = Vec::new();
    let mut turned_away = 0;
    for _ in 0..30 {
        match tunnel().await {
            Some(stream) => open.push(stream),
            None => turned_away += 1,
        }
    }
    assert_eq!(
        (open.len(), turned_away),
        (20, 10),
        "tunnels beyond the address's share are turned away"
    );
    signed_calls_answer(&config, "beside 20 open tunnels from 127.0.0.2").await;

    // Closed tunnels give their places back.
    drop(open);
    let began = Instant::now();
    let reopened = loop {
        if let Some(stream) = tunnel().await {
            break stream;
        }
        assert!(
            began.elapsed() < ANSWERED_WITHIN,
            "closed tunnels still hold their places"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    drop(reopened);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proxied_request_whose_body_stops_is_given_up() {
    let emulator = start(limits(10, 2, 40, 20));
    crate::s3::make_bucket(&crate::s3::s3(&root(&emulator)), "stalled").await;
    // The absolute form a proxy receives, for S3's public name, with most of its body unsent.
    let mut stream = TcpStream::connect(emulator.addr).await.expect("connect");
    stream
        .write_all(
            b"PUT http://stalled.s3.ap-northeast-2.amazonaws.com/key HTTP/1.1\r\n\
              Host: stalled.s3.ap-northeast-2.amazonaws.com\r\nContent-Length: 1000\r\n\r\nabc",
        )
        .await
        .expect("send");
    let mut buf = [0u8; 512];
    let read = tokio::time::timeout(ANSWERED_WITHIN, stream.read(&mut buf)).await;
    let Ok(Ok(n)) = read else {
        panic!("a stalled body held the proxied request: {read:?}");
    };
    assert!(
        buf[..n].starts_with(b"HTTP/1.1 408"),
        "{}",
        String::from_utf8_lossy(&buf[..n])
    );
}
