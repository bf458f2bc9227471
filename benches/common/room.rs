//! A classroom against `cloudlings serve`: the real binary as a child process with its state on
//! disk, and learners each in an account of their own, each going through a lesson's steps in a
//! loop with aws-sdk-rust. `benches/room.rs` times it and weighs what it writes;
//! `tests/it/durability.rs` kills the server mid-lesson and checks that nothing a response
//! confirmed was lost. Both include this file by path, so the flow is written once.

// Each includer uses only part of it.
#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_sdk_ec2::types::{
    Filter, InstanceType, IpPermission, IpRange, KeyType, ResourceType, Tag, TagSpecification,
};
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{BucketLocationConstraint, CreateBucketConfiguration};
use sha2::{Digest, Sha256};

/// What a learner uploads in each lesson: a photo-sized object.
pub const OBJECT_SIZE: usize = 100 * 1024;
/// What prefill uploads: enough to be an object, small enough to be quick.
const PREFILL_OBJECT_SIZE: usize = 1024;
const REGION: &str = "ap-northeast-2";
/// Canonical's account: where a lesson tells learners to look for Ubuntu.
const UBUNTU_OWNER: &str = "099720109477";

/// One learner's keys, as `serve` printed them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keys {
    pub access_key: String,
    pub secret: String,
}

/// `cloudlings serve` running on a state directory, with the keys it printed.
#[derive(Debug)]
pub struct Server {
    child: Child,
    /// Held open so that the server never writes into a closed pipe.
    _stdout: BufReader<ChildStdout>,
    pub endpoint: String,
    /// The learners' keys, in the order printed (the installation's own are left out).
    pub keys: Vec<Keys>,
}

impl Server {
    /// Starts the binary with `accounts` learner accounts on `state`, keeping `ready_keys`
    /// RSA keys made ahead, and reads their keys.
    pub fn start(state: &Path, accounts: usize, ready_keys: usize) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cloudlings"))
            .args(["serve", "--port", "0", "--edge-port", "0", "--accounts"])
            .arg(accounts.to_string())
            .arg("--ready-keys")
            .arg(ready_keys.to_string())
            .arg("--state")
            .arg(state)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start cloudlings serve");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut endpoint = None;
        let mut access_keys = Vec::new();
        let mut secrets = Vec::new();
        let mut line = String::new();
        // The installation's account comes first, then one per learner.
        while secrets.len() < accounts + 1 {
            line.clear();
            let read = stdout.read_line(&mut line).expect("read serve's output");
            assert!(
                read > 0,
                "serve stopped before printing every account's keys"
            );
            let Some((name, value)) = line
                .trim_end()
                .strip_prefix("export ")
                .and_then(|p| p.split_once('='))
            else {
                continue;
            };
            match name {
                "AWS_ENDPOINT_URL" => endpoint = Some(value.to_string()),
                "AWS_ACCESS_KEY_ID" => access_keys.push(value.to_string()),
                "AWS_SECRET_ACCESS_KEY" => secrets.push(value.to_string()),
                _ => {}
            }
        }
        let keys = access_keys
            .into_iter()
            .zip(secrets)
            .skip(1)
            .map(|(access_key, secret)| Keys { access_key, secret })
            .collect();
        Server {
            child,
            _stdout: stdout,
            endpoint: endpoint.expect("serve printed its endpoint"),
            keys,
        }
    }

    /// Every learner, with clients for this server.
    pub fn learners(&self) -> Vec<Learner> {
        self.keys
            .iter()
            .enumerate()
            .map(|(n, keys)| Learner::connect(&self.endpoint, keys, n))
            .collect()
    }

    /// Checks that every create in `logs` (one per learner, in order) is on this server.
    pub async fn verify(&self, logs: &[Log]) -> Verdict {
        let acked: Vec<Acked> = logs.iter().map(|log| log.acked.clone()).collect();
        let learners = self.learners();
        let checks = every(&learners, move |l| {
            let acked = acked[l.n].clone();
            async move { l.verify(&acked).await }
        });
        let mut verdict = Verdict::default();
        for one in checks.await {
            verdict.add(one);
        }
        verdict
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL, as the OOM killer or a crash stops it: nothing of its own runs after, so what
    /// it had not handed to the kernel is gone (what it had still reaches the disk).
    pub fn kill(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Bytes the server has caused to be sent to the storage layer (`write_bytes` of
    /// /proc/PID/io): the pages of files on a disk it dirtied, in whole pages, flushed yet or
    /// not. The filesystem's own journal and metadata, pipes, sockets and tmpfs do not count.
    pub fn storage_written(&self) -> u64 {
        proc_field(&format!("/proc/{}/io", self.pid()), "write_bytes:")
    }

    /// The server's peak resident memory in bytes (VmHWM).
    pub fn peak_rss(&self) -> u64 {
        proc_field(&format!("/proc/{}/status", self.pid()), "VmHWM:") * 1024
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A number that follows `label` on a line of a /proc file.
fn proc_field(path: &str, label: &str) -> u64 {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .find_map(|line| line.strip_prefix(label))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{path} has no {label}"))
}

/// The size of every file under `dir`.
pub fn size_on_disk(dir: &Path) -> u64 {
    let mut total = 0;
    let mut pending: Vec<PathBuf> = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            match entry.metadata() {
                Ok(meta) if meta.is_dir() => pending.push(entry.path()),
                Ok(meta) => total += meta.len(),
                Err(_) => {}
            }
        }
    }
    total
}

/// A step of the lesson, timed on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Op {
    CreateKeyPair,
    CreateSecurityGroup,
    AuthorizeSecurityGroupIngress,
    RunInstances,
    DescribeInstances,
    PutObject,
    GetObject,
    CreateVirtualMfaDevice,
    TerminateInstances,
}

impl Op {
    pub const ALL: [Op; 9] = [
        Op::CreateKeyPair,
        Op::CreateSecurityGroup,
        Op::AuthorizeSecurityGroupIngress,
        Op::RunInstances,
        Op::DescribeInstances,
        Op::PutObject,
        Op::GetObject,
        Op::CreateVirtualMfaDevice,
        Op::TerminateInstances,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Op::CreateKeyPair => "CreateKeyPair (RSA)",
            Op::CreateSecurityGroup => "CreateSecurityGroup",
            Op::AuthorizeSecurityGroupIngress => "AuthorizeSecurityGroupIngress",
            Op::RunInstances => "RunInstances",
            Op::DescribeInstances => "DescribeInstances",
            Op::PutObject => "PutObject 100 KiB",
            Op::GetObject => "GetObject 100 KiB",
            Op::CreateVirtualMfaDevice => "CreateVirtualMFADevice",
            Op::TerminateInstances => "TerminateInstances",
        }
    }

    /// Whether the call changes the state, and so must reach the disk before it is answered.
    pub fn mutates(self) -> bool {
        !matches!(self, Op::DescribeInstances | Op::GetObject)
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// One call: when it began, how long it took.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    pub op: Op,
    pub began: Instant,
    pub took: Duration,
}

impl Sample {
    pub fn ended(&self) -> Instant {
        self.began + self.took
    }
}

/// A call that failed, and why.
#[derive(Debug, Clone)]
pub struct Failure {
    pub sample: Sample,
    pub message: String,
}

/// What the server confirmed having made: each must outlive a crash.
#[derive(Debug, Default, Clone)]
pub struct Acked {
    pub key_pairs: Vec<String>,
    pub groups: Vec<String>,
    pub instances: Vec<String>,
    /// Instances whose termination was confirmed: they may be gone, but must not be running.
    pub terminated: HashSet<String>,
    pub mfa_devices: Vec<String>,
    /// Object keys with the SHA-256 of what was uploaded.
    pub objects: Vec<(String, [u8; 32])>,
}

/// Everything one learner did.
#[derive(Debug, Default)]
pub struct Log {
    pub samples: Vec<Sample>,
    pub failures: Vec<Failure>,
    pub acked: Acked,
    /// When calls are paced, when the next one is due.
    pace: Option<Pace>,
}

/// A learner making a call every `every`, whatever the answers' speed: the room's load stays
/// what was asked, and a call's time counts from when it was due, so that a slow answer
/// which delays the next call is not hidden (no coordinated omission).
#[derive(Debug, Clone, Copy)]
struct Pace {
    every: Duration,
    next: Instant,
}

impl Log {
    /// A log whose calls are paced, the first due at `first`.
    pub fn paced(every: Duration, first: Instant) -> Log {
        Log {
            pace: Some(Pace { every, next: first }),
            ..Log::default()
        }
    }

    /// Times `call` as `op`; a failure is kept with its message and gives `None`.
    async fn time<T, E, F>(&mut self, op: Op, call: F) -> Option<T>
    where
        F: std::future::Future<Output = Result<T, E>>,
        E: Into<BoxError>,
    {
        let began = match &mut self.pace {
            Some(pace) => {
                let due = pace.next;
                pace.next += pace.every;
                tokio::time::sleep_until(due.into()).await;
                due
            }
            None => Instant::now(),
        };
        let result = call.await;
        let sample = Sample {
            op,
            began,
            took: began.elapsed(),
        };
        match result {
            Ok(value) => {
                self.samples.push(sample);
                Some(value)
            }
            Err(error) => {
                let error: BoxError = error.into();
                let message = aws_sdk_ec2::error::DisplayErrorContext(&*error).to_string();
                self.failures.push(Failure { sample, message });
                None
            }
        }
    }
}

/// aws-sdk-rust for one account. Retries are off: a failed call is counted, not hidden, and
/// once the server is killed the learners stop at once.
pub fn sdk_config(endpoint: &str, keys: &Keys) -> SdkConfig {
    SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(Region::new(REGION))
        .retry_config(RetryConfig::disabled())
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            &keys.access_key,
            &keys.secret,
            None,
            None,
            "room",
        )))
        .build()
}

/// One learner: an account, its clients, its bucket.
#[derive(Debug, Clone)]
pub struct Learner {
    pub n: usize,
    pub ec2: aws_sdk_ec2::Client,
    pub s3: aws_sdk_s3::Client,
    pub iam: aws_sdk_iam::Client,
    pub bucket: String,
}

impl Learner {
    pub fn connect(endpoint: &str, keys: &Keys, n: usize) -> Learner {
        let config = sdk_config(endpoint, keys);
        let s3 = aws_sdk_s3::config::Builder::from(&config)
            .force_path_style(true)
            .build();
        Learner {
            n,
            ec2: aws_sdk_ec2::Client::new(&config),
            s3: aws_sdk_s3::Client::from_conf(s3),
            iam: aws_sdk_iam::Client::new(&config),
            bucket: format!("room-learner-{n}"),
        }
    }

    /// The learner's bucket, made once before the lessons.
    pub async fn make_bucket(&self) {
        self.s3
            .create_bucket()
            .bucket(&self.bucket)
            .create_bucket_configuration(
                CreateBucketConfiguration::builder()
                    .location_constraint(BucketLocationConstraint::from(REGION))
                    .build(),
            )
            .send()
            .await
            .unwrap_or_else(|e| panic!("bucket {}: {}", self.bucket, e.into_service_error()));
    }

    /// An Ubuntu image for t2.micro, found as a lesson finds it.
    pub async fn ubuntu_image(&self) -> String {
        let images = self
            .ec2
            .describe_images()
            .owners(UBUNTU_OWNER)
            .filters(
                Filter::builder()
                    .name("architecture")
                    .values("x86_64")
                    .build(),
            )
            .send()
            .await
            .expect("describe images");
        images
            .images()
            .iter()
            .find(|i| i.name().is_some_and(|n| n.contains("ubuntu")))
            .and_then(|i| i.image_id())
            .expect("an Ubuntu image")
            .to_string()
    }

    /// One pass through the lesson's steps, each name unique to `round`. A failed step ends the
    /// pass, as it would stop a learner; `stop` ends it between steps.
    pub async fn lesson(&self, image: &str, round: u64, stop: &AtomicBool, log: &mut Log) {
        let stopped = || stop.load(Ordering::Relaxed);
        let name = format!("l{}-r{round}", self.n);
        let Some(key) = log
            .time(
                Op::CreateKeyPair,
                self.ec2
                    .create_key_pair()
                    .key_name(&name)
                    .key_type(KeyType::Rsa)
                    .send(),
            )
            .await
        else {
            return;
        };
        log.acked
            .key_pairs
            .push(key.key_name().unwrap_or(&name).to_string());
        if stopped() {
            return;
        }
        let Some(group) = log
            .time(
                Op::CreateSecurityGroup,
                self.ec2
                    .create_security_group()
                    .group_name(&name)
                    .description("web and ssh")
                    .send(),
            )
            .await
            .and_then(|g| g.group_id().map(str::to_string))
        else {
            return;
        };
        log.acked.groups.push(group.clone());
        for (port, cidr) in [(22, "203.0.113.7/32"), (80, "0.0.0.0/0")] {
            if stopped() {
                return;
            }
            let rule = IpPermission::builder()
                .ip_protocol("tcp")
                .from_port(port)
                .to_port(port)
                .ip_ranges(IpRange::builder().cidr_ip(cidr).build())
                .build();
            let authorized = self
                .ec2
                .authorize_security_group_ingress()
                .group_id(&group)
                .ip_permissions(rule)
                .send();
            log.time(Op::AuthorizeSecurityGroupIngress, authorized)
                .await;
        }
        if stopped() {
            return;
        }
        let Some(instance) = log
            .time(
                Op::RunInstances,
                self.ec2
                    .run_instances()
                    .image_id(image)
                    .instance_type(InstanceType::T2Micro)
                    .key_name(&name)
                    .security_group_ids(&group)
                    .min_count(1)
                    .max_count(1)
                    .send(),
            )
            .await
            .and_then(|r| {
                r.instances()
                    .first()
                    .and_then(|i| i.instance_id().map(str::to_string))
            })
        else {
            return;
        };
        log.acked.instances.push(instance.clone());
        if stopped() {
            return;
        }
        log.time(Op::DescribeInstances, self.ec2.describe_instances().send())
            .await;
        if stopped() {
            return;
        }
        let body = object_bytes(self.n, round, OBJECT_SIZE);
        let sha = Sha256::digest(&body).into();
        let key = format!("photos/{name}.jpg");
        let put = self
            .s3
            .put_object()
            .bucket(&self.bucket)
            .key(&key)
            .body(ByteStream::from(body))
            .send();
        if log.time(Op::PutObject, put).await.is_none() {
            return;
        }
        log.acked.objects.push((key.clone(), sha));
        if stopped() {
            return;
        }
        // The body is part of the call: a learner has the object once it is all downloaded.
        let get = async {
            let got = self.s3.get_object().bucket(&self.bucket).key(&key).send();
            let got = got.await.map_err(BoxError::from)?;
            got.body.collect().await.map_err(BoxError::from)
        };
        if let Some(got) = log.time(Op::GetObject, get).await
            && <[u8; 32]>::from(Sha256::digest(got.into_bytes())) != sha
        {
            log.failures.push(Failure {
                sample: *log.samples.last().expect("the GET's sample"),
                message: format!("GetObject {key}: not the bytes that were put"),
            });
        }
        if stopped() {
            return;
        }
        let mfa = self
            .iam
            .create_virtual_mfa_device()
            .virtual_mfa_device_name(&name)
            .send();
        if let Some(serial) = log
            .time(Op::CreateVirtualMfaDevice, mfa)
            .await
            .and_then(|d| {
                d.virtual_mfa_device()
                    .map(|d| d.serial_number().to_string())
            })
        {
            log.acked.mfa_devices.push(serial);
        }
        if stopped() {
            return;
        }
        let terminate = self
            .ec2
            .terminate_instances()
            .instance_ids(&instance)
            .send();
        if log.time(Op::TerminateInstances, terminate).await.is_some() {
            log.acked.terminated.insert(instance);
        }
    }

    /// Makes `count` resources, cycling through security groups, ED25519 key pairs, instances
    /// and small objects, so that a measurement can start on a full installation. Gives back
    /// the bytes of the objects it put.
    pub async fn prefill(&self, image: &str, count: usize) -> u64 {
        let mut objects = 0;
        for i in 0..count {
            let name = format!("prefill-l{}-{i}", self.n);
            let made = match i % 4 {
                0 => self
                    .ec2
                    .create_security_group()
                    .group_name(&name)
                    .description("prefill")
                    .send()
                    .await
                    .map(drop)
                    .map_err(|e| e.into_service_error().to_string()),
                1 => self
                    .ec2
                    .create_key_pair()
                    .key_name(&name)
                    .key_type(KeyType::Ed25519)
                    .send()
                    .await
                    .map(drop)
                    .map_err(|e| e.into_service_error().to_string()),
                2 => self
                    .ec2
                    .run_instances()
                    .image_id(image)
                    .instance_type(InstanceType::T2Micro)
                    .min_count(1)
                    .max_count(1)
                    .tag_specifications(
                        TagSpecification::builder()
                            .resource_type(ResourceType::Instance)
                            .tags(Tag::builder().key("Name").value(&name).build())
                            .build(),
                    )
                    .send()
                    .await
                    .map(drop)
                    .map_err(|e| e.into_service_error().to_string()),
                _ => {
                    objects += PREFILL_OBJECT_SIZE as u64;
                    self.s3
                        .put_object()
                        .bucket(&self.bucket)
                        .key(format!("prefill/{name}"))
                        .body(ByteStream::from(object_bytes(
                            self.n,
                            i as u64,
                            PREFILL_OBJECT_SIZE,
                        )))
                        .send()
                        .await
                        .map(drop)
                        .map_err(|e| e.into_service_error().to_string())
                }
            };
            if let Err(e) = made {
                panic!("prefill {name}: {e}");
            }
        }
        objects
    }

    /// Checks that everything in `acked` is still there, and every object byte for byte.
    pub async fn verify(&self, acked: &Acked) -> Verdict {
        let mut verdict = Verdict::default();
        let mut lose = |kind: &str, what: &str, why: &str| {
            verdict
                .lost
                .push(format!("learner {}: {kind} {what} {why}", self.n));
        };

        let pairs = self.ec2.describe_key_pairs().send().await;
        let names: HashSet<&str> = match &pairs {
            Ok(pairs) => pairs
                .key_pairs()
                .iter()
                .filter_map(|k| k.key_name())
                .collect(),
            Err(e) => {
                lose("key pairs", "", &format!("could not be listed: {e}"));
                HashSet::new()
            }
        };
        for name in &acked.key_pairs {
            if !names.contains(name.as_str()) {
                lose("key pair", name, "is gone");
            }
        }

        let groups = self.ec2.describe_security_groups().send().await;
        let ids: HashSet<&str> = match &groups {
            Ok(groups) => groups
                .security_groups()
                .iter()
                .filter_map(|g| g.group_id())
                .collect(),
            Err(e) => {
                lose("security groups", "", &format!("could not be listed: {e}"));
                HashSet::new()
            }
        };
        for id in &acked.groups {
            if !ids.contains(id.as_str()) {
                lose("security group", id, "is gone");
            }
        }

        let described = self.ec2.describe_instances().send().await;
        let states: HashMap<&str, &str> = match &described {
            Ok(d) => d
                .reservations()
                .iter()
                .flat_map(|r| r.instances())
                .filter_map(|i| {
                    let state = i.state().and_then(|s| s.name()).map(|n| n.as_str());
                    Some((i.instance_id()?, state.unwrap_or("unknown")))
                })
                .collect(),
            Err(e) => {
                lose("instances", "", &format!("could not be listed: {e}"));
                HashMap::new()
            }
        };
        for id in &acked.instances {
            match states.get(id.as_str()) {
                None => lose("instance", id, "is gone"),
                Some(state)
                    if acked.terminated.contains(id)
                        && !matches!(*state, "shutting-down" | "terminated") =>
                {
                    lose("instance", id, &format!("was terminated, yet is {state}"))
                }
                Some(_) => {}
            }
        }

        let devices = self
            .iam
            .list_virtual_mfa_devices()
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await;
        let serials: HashSet<String> = match devices {
            Ok(devices) => devices
                .iter()
                .map(|d| d.serial_number().to_string())
                .collect(),
            Err(e) => {
                lose("MFA devices", "", &format!("could not be listed: {e}"));
                HashSet::new()
            }
        };
        for serial in &acked.mfa_devices {
            if !serials.contains(serial) {
                lose("MFA device", serial, "is gone");
            }
        }

        for (key, sha) in &acked.objects {
            let got = match self
                .s3
                .get_object()
                .bucket(&self.bucket)
                .key(key)
                .send()
                .await
            {
                Ok(got) => got.body.collect().await.map(|b| b.into_bytes()),
                Err(e) => {
                    lose(
                        "object",
                        key,
                        &format!("cannot be read: {}", e.into_service_error()),
                    );
                    continue;
                }
            };
            match got {
                Ok(bytes) if <[u8; 32]>::from(Sha256::digest(&bytes)) == *sha => {}
                Ok(bytes) => lose(
                    "object",
                    key,
                    &format!("has other bytes ({} read)", bytes.len()),
                ),
                Err(e) => lose("object", key, &format!("broke off: {e}")),
            }
        }

        verdict.checked.insert("key pairs", acked.key_pairs.len());
        verdict
            .checked
            .insert("security groups", acked.groups.len());
        verdict.checked.insert("instances", acked.instances.len());
        verdict
            .checked
            .insert("MFA devices", acked.mfa_devices.len());
        verdict.checked.insert("objects", acked.objects.len());
        verdict
    }
}

/// What a check after a restart found.
#[derive(Debug, Default)]
pub struct Verdict {
    /// How many of each kind were checked.
    pub checked: BTreeMap<&'static str, usize>,
    /// One line per confirmed thing that is missing or wrong.
    pub lost: Vec<String>,
}

impl Verdict {
    pub fn add(&mut self, other: Verdict) {
        for (kind, n) in other.checked {
            *self.checked.entry(kind).or_default() += n;
        }
        self.lost.extend(other.lost);
    }
}

/// Bytes that differ from learner to learner and round to round, so that a mixed-up object
/// shows in its hash.
fn object_bytes(learner: usize, round: u64, len: usize) -> Vec<u8> {
    let mut x = (learner as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (round + 1);
    let mut bytes = Vec::with_capacity(len + 8);
    while bytes.len() < len {
        // xorshift64: cheap, and nothing to compress away.
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        bytes.extend_from_slice(&x.to_le_bytes());
    }
    bytes.truncate(len);
    bytes
}

/// What the learners and whoever runs them share: when to stop, and how far they got.
#[derive(Debug, Default)]
pub struct Progress {
    pub stop: AtomicBool,
    /// Lessons gone through to the end or to a failed step, by all learners.
    pub lessons: AtomicU64,
}

impl Progress {
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    pub fn lessons(&self) -> u64 {
        self.lessons.load(Ordering::Relaxed)
    }
}

/// Every learner going through lessons until `progress` says stop; each gives back its log.
/// With `rate`, the room makes that many calls a second in all, each learner at an even pace
/// and their calls spread over the interval; without, each learner calls as fast as answers
/// come.
pub fn drive(
    learners: &[Learner],
    image: &str,
    progress: &Arc<Progress>,
    rate: Option<f64>,
) -> Vec<tokio::task::JoinHandle<Log>> {
    let start = Instant::now();
    let count = learners.len();
    learners
        .iter()
        .map(|learner| {
            let learner = learner.clone();
            let image = image.to_string();
            let progress = Arc::clone(progress);
            tokio::spawn(async move {
                let mut log = match rate {
                    Some(rate) => {
                        let every = Duration::from_secs_f64(count as f64 / rate);
                        Log::paced(every, start + every * learner.n as u32 / count as u32)
                    }
                    None => Log::default(),
                };
                let mut round = 0;
                while !progress.stop.load(Ordering::Relaxed) {
                    learner
                        .lesson(&image, round, &progress.stop, &mut log)
                        .await;
                    progress.lessons.fetch_add(1, Ordering::Relaxed);
                    round += 1;
                }
                log
            })
        })
        .collect()
}

/// Runs `f` for every learner at once and gives back what each returned, in order.
pub async fn every<T, F, Fut>(learners: &[Learner], f: F) -> Vec<T>
where
    F: Fn(Learner) -> Fut,
    Fut: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let tasks: Vec<_> = learners
        .iter()
        .map(|l| tokio::spawn(f(l.clone())))
        .collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.expect("learner"));
    }
    results
}

/// Waits for the learners `drive` started.
pub async fn logs(tasks: Vec<tokio::task::JoinHandle<Log>>) -> Vec<Log> {
    let mut logs = Vec::new();
    for task in tasks {
        logs.push(task.await.expect("learner"));
    }
    logs
}
