//! Emulated instances through OpenSSH's own `ssh`: key login, exec and PTY sessions, the
//! guest's answers, and security groups that drop what they do not admit.
//!
//! OpenSSH reaches the instances the way a learner's does after `cloudlings ssh-config`: the
//! config file's `ProxyCommand` is `cloudlings connect %h %p`.

use std::io::{BufRead, BufReader, Write};
use std::net::Ipv4Addr;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::{Filter, InstanceType, IpPermission, IpRange};
use cloudlings_emulator::Emulator;
use cloudlings_emulator::net::{learner_address, openssh};
use tempfile::TempDir;

use crate::BIN;
use crate::emulator::{raw_get, root, start};
use crate::ssh::save_key;

/// How long a dropped connection hangs in these tests.
pub const DROP: Duration = Duration::from_millis(1500);

/// A learner's setup on a fresh emulator: a key pair saved as `key.pem` (mode 0400), a
/// security group admitting SSH from the learner's address and HTTP from everyone, and an
/// OpenSSH config from `cloudlings ssh-config`.
pub struct Lab {
    pub emulator: Emulator,
    pub ec2: Client,
    pub dir: TempDir,
    pub key: PathBuf,
    pub group: String,
    pub learner: Ipv4Addr,
}

/// A running instance, as the learner finds it.
#[derive(Debug, Clone)]
pub struct Machine {
    pub id: String,
    pub dns: String,
    pub ip: String,
}

impl Lab {
    pub async fn new() -> Lab {
        Lab::on(start()).await
    }

    pub async fn on(emulator: Emulator) -> Lab {
        emulator.world.net.set_drop_timeout(DROP);
        let learner = learner_address(&emulator.world.lock());
        let ec2 = Client::new(&root(&emulator));
        let dir = tempfile::tempdir().expect("lab dir");
        let key = dir.path().join("key.pem");
        save_key(&ec2, "lab", &key, 0o400).await;
        let group = ec2
            .create_security_group()
            .group_name("lab-web")
            .description("ssh from me, web from all")
            .send()
            .await
            .expect("CreateSecurityGroup")
            .group_id()
            .expect("group id")
            .to_string();
        let lab = Lab {
            emulator,
            ec2,
            dir,
            key,
            group,
            learner,
        };
        lab.allow(22, &format!("{learner}/32")).await;
        lab.allow(80, "0.0.0.0/0").await;
        let config = openssh::config(Path::new(BIN), lab.dir.path());
        std::fs::write(lab.dir.path().join(openssh::CONFIG_FILE), config).expect("ssh config");
        lab
    }

    pub async fn allow(&self, port: i32, cidr: &str) {
        self.ec2
            .authorize_security_group_ingress()
            .group_id(&self.group)
            .ip_permissions(permission(port, cidr))
            .send()
            .await
            .expect("AuthorizeSecurityGroupIngress");
    }

    pub async fn revoke(&self, port: i32, cidr: &str) {
        self.ec2
            .revoke_security_group_ingress()
            .group_id(&self.group)
            .ip_permissions(permission(port, cidr))
            .send()
            .await
            .expect("RevokeSecurityGroupIngress");
    }

    pub fn advance(&self, seconds: i64) {
        self.emulator
            .world
            .lock()
            .clock
            .advance(time::Duration::seconds(seconds));
    }

    /// Launches an instance of the image whose name matches `pattern` and waits (on the
    /// simulated clock) until it runs.
    pub async fn launch(&self, pattern: &str) -> Machine {
        self.launch_with(pattern, None).await
    }

    /// [`Lab::launch`], with a block device mapping (a larger root volume, say).
    pub async fn launch_with(
        &self,
        pattern: &str,
        mapping: Option<aws_sdk_ec2::types::BlockDeviceMapping>,
    ) -> Machine {
        let images = self
            .ec2
            .describe_images()
            .filters(Filter::builder().name("name").values(pattern).build())
            .send()
            .await
            .expect("DescribeImages");
        let image = images.images()[0].image_id().expect("image id").to_string();
        let run = self
            .ec2
            .run_instances()
            .image_id(image)
            .instance_type(InstanceType::T2Micro)
            .key_name("lab")
            .security_group_ids(&self.group)
            .set_block_device_mappings(mapping.map(|mapping| vec![mapping]))
            .min_count(1)
            .max_count(1)
            .send()
            .await
            .expect("RunInstances");
        let id = run.instances()[0].instance_id().expect("id").to_string();
        self.advance(60);
        self.machine(&id).await
    }

    pub async fn ubuntu(&self) -> Machine {
        self.launch("ubuntu/images/*noble-24.04-amd64*").await
    }

    /// The instance as DescribeInstances shows it now.
    pub async fn machine(&self, id: &str) -> Machine {
        let described = self
            .ec2
            .describe_instances()
            .instance_ids(id)
            .send()
            .await
            .expect("DescribeInstances");
        let instance = &described.reservations()[0].instances()[0];
        Machine {
            id: id.to_string(),
            dns: instance.public_dns_name().unwrap_or_default().to_string(),
            ip: instance.public_ip_address().unwrap_or_default().to_string(),
        }
    }

    /// OpenSSH's `ssh`, as a learner types it after `cloudlings ssh-config`, with `key`.
    pub fn ssh_with(&self, key: &Path, destination: &str) -> Command {
        ssh_command(self.dir.path(), key, destination, &self.emulator.endpoint())
    }

    pub fn ssh(&self, destination: &str) -> Command {
        self.ssh_with(&self.key, destination)
    }

    /// Runs `command` on the instance over OpenSSH.
    pub fn exec(&self, machine: &Machine, command: &str) -> Output {
        self.ssh(&format!("ubuntu@{}", machine.dns))
            .arg(command)
            .output()
            .expect("run ssh")
    }

    /// Runs `command` and returns what it printed, asserting it succeeded.
    pub fn stdout(&self, machine: &Machine, command: &str) -> String {
        let output = self.exec(machine, command);
        assert!(output.status.success(), "{command}: {}", dump(&output));
        String::from_utf8_lossy(&output.stdout).into_owned()
    }
}

/// OpenSSH's `ssh` as a learner runs it after `cloudlings ssh-config` wrote its config into
/// `home`: one key, no questions, the emulator at `endpoint`.
pub fn ssh_command(home: &Path, key: &Path, destination: &str, endpoint: &str) -> Command {
    let mut ssh = Command::new("ssh");
    ssh.arg("-F")
        .arg(home.join(openssh::CONFIG_FILE))
        .arg("-i")
        .arg(key)
        .args([
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "BatchMode=yes",
            "-o",
            "StrictHostKeyChecking=accept-new",
            "-o",
            "LogLevel=ERROR",
        ])
        .arg(destination)
        .env("CLOUDLINGS_ENDPOINT", endpoint)
        .stdin(Stdio::null());
    ssh
}

/// An OpenSSH session without a terminal, held open: lines go in, the shell's answers come out.
pub struct OpenSession {
    pub ssh: std::process::Child,
    input: std::process::ChildStdin,
    output: BufReader<std::process::ChildStdout>,
}

impl OpenSession {
    /// Logs in and proves the session answers.
    pub fn start(lab: &Lab, machine: &Machine) -> OpenSession {
        let mut ssh = lab
            .ssh(&format!("ubuntu@{}", machine.dns))
            .arg("-T")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("ssh");
        let input = ssh.stdin.take().expect("stdin");
        let output = BufReader::new(ssh.stdout.take().expect("stdout"));
        let mut session = OpenSession { ssh, input, output };
        assert_eq!(session.line_for("whoami"), "ubuntu\n");
        session
    }

    /// Sends a line and reads the first line of its answer.
    pub fn line_for(&mut self, command: &str) -> String {
        writeln!(self.input, "{command}").expect("send");
        let mut line = String::new();
        self.output.read_line(&mut line).expect("read");
        line
    }

    pub fn send(&mut self, command: &str) {
        writeln!(self.input, "{command}").expect("send");
    }

    /// The exit status once the session ends, if it does within `limit`.
    pub fn ended_within(&mut self, limit: Duration) -> Option<i32> {
        wait_timeout(&mut self.ssh, limit)
    }
}

/// An ingress rule for one TCP port from one CIDR.
pub fn permission(port: i32, cidr: &str) -> IpPermission {
    IpPermission::builder()
        .ip_protocol("tcp")
        .from_port(port)
        .to_port(port)
        .ip_ranges(IpRange::builder().cidr_ip(cidr).build())
        .build()
}

pub fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

pub fn dump(output: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// What a command printed, on either stream (the terminal shows both as one).
fn said(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        stderr(output)
    )
}

#[tokio::test]
async fn the_root_volume_fills_at_its_size() {
    let lab = Lab::new().await;
    let default = lab.ubuntu().await;
    let full = lab.exec(&default, "fallocate -l 9G big");
    assert_eq!(full.status.code(), Some(1), "{}", dump(&full));
    assert!(
        said(&full).contains("fallocate: fallocate failed: No space left on device\n"),
        "{}",
        dump(&full)
    );
    assert!(
        lab.stdout(&default, "fallocate -l 5G big && ls -l big")
            .contains(" 5368709120 ")
    );
    let df = lab.stdout(&default, "df -h /");
    assert!(df.contains("6.8G"), "an 8 GiB volume: {df}");

    // A launch that asks for a 20 GiB root volume gets room for more.
    let root = aws_sdk_ec2::types::BlockDeviceMapping::builder()
        .device_name("/dev/sda1")
        .ebs(
            aws_sdk_ec2::types::EbsBlockDevice::builder()
                .volume_size(20)
                .build(),
        )
        .build();
    let larger = lab
        .launch_with("ubuntu/images/*noble-24.04-amd64*", Some(root))
        .await;
    lab.stdout(&larger, "fallocate -l 15G big");
    let full = lab.exec(&larger, "dd if=/dev/zero of=more bs=1M count=4096");
    assert_eq!(full.status.code(), Some(1), "{}", dump(&full));
    assert!(
        said(&full).contains("dd: error writing 'more': No space left on device\n"),
        "{}",
        dump(&full)
    );
}

#[tokio::test]
async fn the_key_pair_logs_in_by_name_and_by_address_and_exit_codes_come_back() {
    let lab = Lab::new().await;
    let machine = lab.ubuntu().await;
    assert!(machine.dns.starts_with("ec2-") && machine.dns.ends_with(".compute.amazonaws.com"));
    assert_eq!(lab.stdout(&machine, "whoami"), "ubuntu\n");
    let by_address = lab
        .ssh(&format!("ubuntu@{}", machine.ip))
        .arg("hostname")
        .output()
        .expect("ssh");
    assert!(
        String::from_utf8_lossy(&by_address.stdout).starts_with("ip-172-31-"),
        "{}",
        dump(&by_address)
    );
    let failed = lab.exec(&machine, "exit 3");
    assert_eq!(failed.status.code(), Some(3), "{}", dump(&failed));
    assert!(
        failed.stderr.is_empty(),
        "bash -c says nothing on exit: {}",
        dump(&failed)
    );
    let listing = lab.stdout(&machine, "ls /");
    assert!(
        listing.lines().any(|line| line == "etc"),
        "a name a line on a pipe: {listing}"
    );
    let missing = lab.exec(&machine, "frobnicate");
    assert_eq!(missing.status.code(), Some(127), "{}", dump(&missing));
    assert!(
        stderr(&missing).contains("frobnicate: command not found")
            || String::from_utf8_lossy(&missing.stdout).contains("frobnicate: command not found")
    );
}

#[tokio::test]
async fn another_key_a_wrong_user_and_an_unprotected_key_are_refused() {
    let lab = Lab::new().await;
    let machine = lab.ubuntu().await;
    let other_key = lab.dir.path().join("other.pem");
    save_key(&lab.ec2, "other", &other_key, 0o400).await;
    let denied = lab
        .ssh_with(&other_key, &format!("ubuntu@{}", machine.dns))
        .arg("whoami")
        .output()
        .expect("ssh");
    assert_eq!(denied.status.code(), Some(255), "{}", dump(&denied));
    assert!(
        stderr(&denied).contains("Permission denied (publickey)"),
        "{}",
        dump(&denied)
    );

    let wrong_user = lab
        .ssh(&format!("root@{}", machine.dns))
        .arg("whoami")
        .output()
        .expect("ssh");
    assert!(
        stderr(&wrong_user).contains("Permission denied (publickey)"),
        "{}",
        dump(&wrong_user)
    );

    chmod(&lab.key, 0o644);
    let open = lab.exec(&machine, "whoami");
    assert!(
        stderr(&open).contains("UNPROTECTED PRIVATE KEY FILE"),
        "{}",
        dump(&open)
    );
    assert!(
        stderr(&open).contains("Permissions 0644"),
        "{}",
        dump(&open)
    );
    chmod(&lab.key, 0o400);
    assert_eq!(lab.stdout(&machine, "whoami"), "ubuntu\n");
}

#[tokio::test]
async fn the_guest_matches_the_instance_and_imds_v2_needs_a_token() {
    let lab = Lab::new().await;
    let machine = lab.ubuntu().await;
    assert_eq!(lab.stdout(&machine, "nproc"), "1\n");
    let free = lab.stdout(&machine, "free -h");
    assert!(free.contains("Mem:"), "{free}");
    let os = lab.stdout(&machine, "cat /etc/os-release");
    assert!(os.contains("Ubuntu 24.04"), "{os}");
    let id = lab.stdout(
        &machine,
        "TOKEN=$(curl -s -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 21600') && curl -s -H \"X-aws-ec2-metadata-token: $TOKEN\" http://169.254.169.254/latest/meta-data/instance-id",
    );
    assert_eq!(id.trim(), machine.id);
    let ip = lab.stdout(
        &machine,
        "TOKEN=$(curl -s -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 60') && curl -s -H \"X-aws-ec2-metadata-token: $TOKEN\" http://169.254.169.254/latest/meta-data/public-ipv4",
    );
    assert_eq!(ip.trim(), machine.ip);
    let without = lab.stdout(
        &machine,
        "curl -s -o /dev/null -w '%{http_code}' http://169.254.169.254/latest/meta-data/instance-id; echo",
    );
    assert!(without.contains("401"), "{without}");
}

#[tokio::test]
async fn nginx_serves_port_80_only_while_the_group_admits_it() {
    let lab = Lab::new().await;
    let machine = lab.ubuntu().await;
    let before = raw_proxy_get(&lab.emulator, &machine.dns);
    assert_eq!(before.status, 502, "no web server yet: a reset");
    let install = lab.stdout(&machine, "sudo apt update && sudo apt install -y nginx");
    assert!(install.contains("Setting up nginx"), "{install}");
    lab.stdout(&machine, "sudo systemctl start nginx");
    let page = raw_proxy_get(&lab.emulator, &machine.dns);
    assert_eq!(page.status, 200);
    assert!(String::from_utf8_lossy(&page.body).contains("Welcome to nginx!"));
    lab.stdout(
        &machine,
        "echo '<h1>Hello from cloudlings</h1>' | sudo tee /var/www/html/index.html",
    );
    let edited = raw_proxy_get(&lab.emulator, &machine.dns);
    assert!(String::from_utf8_lossy(&edited.body).contains("Hello from cloudlings"));

    lab.revoke(80, "0.0.0.0/0").await;
    let started = Instant::now();
    let dropped = raw_proxy_get(&lab.emulator, &machine.dns);
    assert_eq!(dropped.status, 504);
    assert!(started.elapsed() >= DROP, "a drop waits for the timeout");
    lab.allow(80, "0.0.0.0/0").await;
    assert_eq!(raw_proxy_get(&lab.emulator, &machine.dns).status, 200);
}

/// A GET in the absolute form, as a browser or `curl -x` sends it to a proxy.
fn raw_proxy_get(emulator: &Emulator, host: &str) -> crate::emulator::Answer {
    raw_get(emulator.addr, host, &format!("http://{host}/"))
}

#[tokio::test]
async fn revoking_ssh_times_out_new_logins_while_an_open_session_stays() {
    let lab = Lab::new().await;
    let machine = lab.ubuntu().await;
    let mut open = OpenSession::start(&lab, &machine);

    lab.revoke(22, &format!("{}/32", lab.learner)).await;
    let started = Instant::now();
    let refused = lab.exec(&machine, "whoami");
    assert_eq!(refused.status.code(), Some(255), "{}", dump(&refused));
    assert!(
        stderr(&refused).contains("Connection timed out"),
        "{}",
        dump(&refused)
    );
    assert!(started.elapsed() >= DROP);

    let line = open.line_for("hostname");
    assert!(line.starts_with("ip-172-31-"), "{line}");
    open.send("exit");
    assert_eq!(open.ended_within(Duration::from_secs(10)), Some(0));

    // A /32 that is not the learner's admits nobody here; the learner's own does.
    lab.allow(22, "198.51.100.7/32").await;
    assert_eq!(lab.exec(&machine, "whoami").status.code(), Some(255));
    lab.allow(22, &format!("{}/32", lab.learner)).await;
    assert_eq!(lab.stdout(&machine, "whoami"), "ubuntu\n");
}

#[tokio::test]
async fn stopping_drops_sessions_and_starting_gives_a_new_address() {
    let lab = Lab::new().await;
    let machine = lab.ubuntu().await;
    lab.stdout(&machine, "echo kept > notes.txt");
    let mut open = OpenSession::start(&lab, &machine);

    lab.ec2
        .stop_instances()
        .instance_ids(&machine.id)
        .send()
        .await
        .expect("StopInstances");
    assert_eq!(
        open.ended_within(Duration::from_secs(10)),
        Some(255),
        "the session dropped with the instance"
    );
    lab.advance(60);
    lab.ec2
        .start_instances()
        .instance_ids(&machine.id)
        .send()
        .await
        .expect("StartInstances");
    lab.advance(60);
    let again = lab.machine(&machine.id).await;
    assert_ne!(
        again.ip, machine.ip,
        "a stopped instance gives its address back"
    );
    assert_eq!(
        lab.exec(&machine, "whoami").status.code(),
        Some(255),
        "the old name is gone"
    );
    assert_eq!(
        lab.stdout(&again, "cat notes.txt"),
        "kept\n",
        "the disk persists"
    );
}

fn wait_timeout(child: &mut std::process::Child, limit: Duration) -> Option<i32> {
    let started = Instant::now();
    while started.elapsed() < limit {
        if let Some(status) = child.try_wait().expect("wait") {
            return status.code();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    None
}

#[tokio::test]
async fn an_interactive_session_has_a_prompt_and_a_terminal() {
    let lab = Lab::new().await;
    let machine = lab.ubuntu().await;
    let mut ssh = lab
        .ssh(&format!("ubuntu@{}", machine.dns))
        .arg("-tt")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ssh");
    let mut input = ssh.stdin.take().expect("stdin");
    input.write_all(b"hostname\r").expect("type");
    input.write_all(b"exit\r").expect("type");
    let output = ssh.wait_with_output().expect("ssh");
    let screen = String::from_utf8_lossy(&output.stdout);
    assert!(screen.contains("Welcome to Ubuntu 24.04"), "{screen}");
    assert!(screen.contains("ubuntu@ip-172-31-"), "{screen}");
    assert!(screen.contains(":~$ "), "{screen}");
    assert!(screen.contains("\r\nip-172-31-"), "{screen}");
    assert_eq!(output.status.code(), Some(0), "{}", dump(&output));
}

#[test]
fn ssh_config_writes_an_includable_file() {
    let shell = crate::Cloudlings::new();
    let run = shell.run(&["ssh-config"]).success();
    let path = shell.data_dir().join(openssh::CONFIG_FILE);
    let text = std::fs::read_to_string(&path).expect("config written");
    assert!(text.contains("ProxyCommand"), "{text}");
    assert!(
        run.stdout()
            .contains(&format!("Include \"{}\"", path.display()))
    );
}

/// This machine's address on its network, as a classmate's machine would reach it.
fn lan_address() -> Option<std::net::IpAddr> {
    let socket = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    // No packet is sent: connecting a UDP socket only picks the route and its source.
    socket.connect("198.51.100.1:9").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

#[tokio::test]
async fn a_classmates_machine_is_filtered_by_its_own_address() {
    let Some(lan) = lan_address() else {
        eprintln!("this machine has no network address besides loopback; nothing to test");
        return;
    };
    let emulator = Emulator::start_on("0.0.0.0".parse().expect("ip"), 0, 0, None).expect("start");
    let lab = Lab::on(emulator).await;
    let machine = lab.ubuntu().await;
    let classroom = std::net::SocketAddr::new(lan, lab.emulator.addr.port());
    let through =
        |host: &str| cloudlings_emulator::net::dial::dial(classroom, host, 22, DROP).map(|_| ());
    // The group admits the learner's /32 (this machine's own connections), not a classmate.
    assert!(matches!(
        through(&machine.dns),
        Err(cloudlings_emulator::net::dial::DialError::TimedOut)
    ));
    lab.allow(22, &format!("{lan}/32")).await;
    assert!(through(&machine.dns).is_ok());
}

#[tokio::test]
async fn rebooting_from_the_api_or_from_inside_drops_sessions_and_keeps_the_address() {
    let lab = Lab::new().await;
    let machine = lab.ubuntu().await;
    let mut open = OpenSession::start(&lab, &machine);
    lab.ec2
        .reboot_instances()
        .instance_ids(&machine.id)
        .send()
        .await
        .expect("RebootInstances");
    assert_eq!(open.ended_within(Duration::from_secs(10)), Some(255));
    assert_eq!(
        lab.machine(&machine.id).await.ip,
        machine.ip,
        "a reboot keeps the address"
    );

    let mut open = OpenSession::start(&lab, &machine);
    open.send("sudo reboot");
    assert_eq!(open.ended_within(Duration::from_secs(10)), Some(255));
    let uptime = lab.stdout(&machine, "uptime -s");
    assert!(!uptime.is_empty());
}

#[tokio::test]
async fn windows_has_no_ssh_and_ports_without_a_server_refuse() {
    use cloudlings_emulator::net::dial::{DialError, dial};
    let lab = Lab::new().await;
    lab.allow(3389, "0.0.0.0/0").await;
    let windows = lab.launch("Windows_Server-2022-English-Full-Base*").await;
    let ubuntu = lab.ubuntu().await;
    let endpoint = lab.emulator.addr;
    assert!(matches!(
        dial(endpoint, &windows.dns, 22, DROP),
        Err(DialError::Refused)
    ));
    assert!(matches!(
        dial(endpoint, &ubuntu.dns, 3389, DROP),
        Err(DialError::Refused)
    ));
    assert!(matches!(
        dial(endpoint, "example.com", 22, DROP),
        Err(DialError::NotEmulated)
    ));
}

#[tokio::test]
async fn an_http_check_sees_what_a_browser_would() {
    use cloudlings::check::{Context, Probe};
    use cloudlings::target::Target;
    let lab = Lab::new().await;
    let machine = lab.ubuntu().await;
    let mut context = Context::new(lab.dir.path().to_path_buf()).with_target(Target::emulator(
        &lab.emulator.endpoint(),
        &lab.emulator.credentials,
    ));
    context
        .bindings
        .insert("instance_dns".into(), machine.dns.clone());
    let probe = Probe::Http("http://{instance_dns}/".into());
    let look = || probe.observe(&context).expect("the probe answers");

    assert_eq!(look()["error"], "Connection refused", "no web server yet");
    lab.stdout(
        &machine,
        "sudo apt-get update && sudo apt-get install -y nginx",
    );
    let page = look();
    assert_eq!(page["status"], 200);
    assert_eq!(page["url"], format!("http://{}/", machine.dns));
    assert!(
        page["text"]
            .as_str()
            .unwrap_or_default()
            .contains("Welcome to nginx!")
    );
    assert!(
        page["headers"]["server"]
            .as_str()
            .unwrap_or_default()
            .starts_with("nginx")
    );
    lab.revoke(80, "0.0.0.0/0").await;
    assert_eq!(look()["error"], "Connection timed out");
}
