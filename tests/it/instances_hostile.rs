//! Hostile input to emulated instances: garbage on the SSH and HTTP ports, connections cut
//! mid-handshake, an absurd PTY request, and paths that try to climb out of the instance.
//! None may crash the emulator, reach the host, or disturb another instance.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use cloudlings::shell::ssh;
use cloudlings_emulator::net::dial::dial;

use crate::instances::{Lab, Machine};

/// A tunnel to a port of an instance, as any client gets one.
fn tunnel(lab: &Lab, machine: &Machine, port: u16) -> TcpStream {
    let stream = dial(
        lab.emulator.addr,
        &machine.dns,
        port,
        Duration::from_secs(5),
    )
    .expect("a tunnel");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    stream
}

/// Reads until the far end closes (or the read times out), returning what came.
fn drain(stream: &mut TcpStream) -> Vec<u8> {
    let mut seen = Vec::new();
    let _ = stream.read_to_end(&mut seen);
    seen
}

/// Reads a response head: the connection may stay open after it.
fn head(stream: &mut TcpStream) -> Vec<u8> {
    let mut seen = Vec::new();
    let mut byte = [0u8; 1];
    while !seen.ends_with(b"\r\n\r\n") && matches!(stream.read(&mut byte), Ok(1)) {
        seen.push(byte[0]);
    }
    seen
}

/// Deterministic noise: the same bytes every run, so a failure can be replayed.
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

/// Logs in with the shell's own SSH client.
fn login(lab: &Lab, machine: &Machine) -> ssh::Connection {
    let key = std::fs::read_to_string(&lab.key).expect("key");
    let socket = ssh::Socket {
        stream: tunnel(lab, machine, 22),
        address: machine.dns.clone(),
    };
    let target = ssh::Target::new(&machine.dns, 22);
    let mut handshake = ssh::Handshake::over(socket, &target).expect("handshake");
    let methods = handshake.methods("ubuntu").expect("methods");
    assert!(handshake.offer_key("ubuntu", &key), "the key was refused");
    handshake.finish("ubuntu", &methods).expect("login")
}

#[tokio::test]
async fn garbage_and_cut_handshakes_on_port_22_leave_the_server_serving() {
    let lab = Lab::new().await;
    let machine = lab.ubuntu().await;
    let other = lab.ubuntu().await;
    for seed in 1..=8 {
        let mut stream = tunnel(&lab, &machine, 22);
        let _ = stream.write_all(&noise(64 * 1024, seed));
        drain(&mut stream);
    }
    // A client that says hello, starts a key exchange, and vanishes.
    for seed in 1..=20 {
        let mut stream = tunnel(&lab, &machine, 22);
        let _ = stream.write_all(b"SSH-2.0-OpenSSH_9.6\r\n");
        let _ = stream.write_all(&noise(seed * 37, seed as u64));
        drop(stream);
    }
    // An identification line that never ends.
    let mut stream = tunnel(&lab, &machine, 22);
    let _ = stream.write_all(&[b'S'; 300 * 1024]);
    drain(&mut stream);

    assert_eq!(lab.stdout(&machine, "whoami"), "ubuntu\n");
    assert_eq!(lab.stdout(&other, "whoami"), "ubuntu\n");
}

#[tokio::test]
async fn garbage_on_port_80_gets_an_http_error_and_nginx_keeps_serving() {
    let lab = Lab::new().await;
    let machine = lab.ubuntu().await;
    lab.stdout(
        &machine,
        "sudo apt-get update && sudo apt-get install -y nginx",
    );
    for seed in 1..=4 {
        let mut stream = tunnel(&lab, &machine, 80);
        let _ = stream.write_all(&noise(16 * 1024, seed));
        let answer = String::from_utf8_lossy(&drain(&mut stream)).into_owned();
        assert!(
            answer.is_empty() || answer.starts_with("HTTP/1.1 4"),
            "{answer}"
        );
    }
    let mut stream = tunnel(&lab, &machine, 80);
    stream
        .write_all(b"GET /../../../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .expect("send");
    let answer = String::from_utf8_lossy(&drain(&mut stream)).into_owned();
    assert!(!answer.contains("root:x:0:0"), "{answer}");
    let mut stream = tunnel(&lab, &machine, 80);
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .expect("send");
    let answer = String::from_utf8_lossy(&drain(&mut stream)).into_owned();
    assert!(answer.contains("Welcome to nginx!"), "{answer}");
}

#[tokio::test]
async fn malformed_tunnel_requests_get_http_errors() {
    let lab = Lab::new().await;
    for request in [
        "CONNECT :::: HTTP/1.1\r\n\r\n".to_string(),
        "CONNECT 3.35.1.2:99999 HTTP/1.1\r\n\r\n".to_string(),
        format!("CONNECT {}:22 HTTP/1.1\r\n\r\n", "a".repeat(20_000)),
        "CONNECT 3.35.1.2:22 HTTP/1.1\r\n\r\n".to_string(),
    ] {
        let mut stream = TcpStream::connect(lab.emulator.addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        let _ = stream.write_all(request.as_bytes());
        let answer = String::from_utf8_lossy(&head(&mut stream)).into_owned();
        assert!(answer.starts_with("HTTP/1.1 4"), "{request:.40}: {answer}");
    }
}

#[tokio::test]
async fn an_absurd_pty_request_is_survived() {
    let lab = Lab::new().await;
    let machine = lab.ubuntu().await;
    let connection = login(&lab, &machine);
    let pty = ssh::Pty {
        term: "x".repeat(16 * 1024),
        columns: u32::MAX,
        rows: u32::MAX,
    };
    let mut channel = connection.shell(Some(&pty), Some("whoami")).expect("exec");
    channel.resize(u32::MAX, u32::MAX);
    let mut output = Vec::new();
    let status = channel
        .drain(&mut output, None, Duration::from_secs(10))
        .expect("read");
    assert_eq!(status, Some(0));
    let output = String::from_utf8_lossy(&output);
    assert!(output.contains("ubuntu"), "{output}");
    assert_eq!(lab.stdout(&machine, "whoami"), "ubuntu\n");
}

#[tokio::test]
async fn paths_resolve_inside_the_instance_never_on_the_host() {
    let lab = Lab::new().await;
    let machine = lab.ubuntu().await;
    // A file only the host has: the instance must not see it by any path.
    let canary = tempfile::NamedTempFile::new().expect("canary");
    std::fs::write(canary.path(), "host secret").expect("write");
    let host_path = canary.path().display().to_string();

    let denied = lab.exec(&machine, "cat ../../../../etc/shadow");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&denied.stdout),
        String::from_utf8_lossy(&denied.stderr)
    );
    assert!(said.contains("Permission denied"), "{said}");
    let root = lab.stdout(&machine, "sudo cat ../../../../etc/shadow");
    assert!(root.starts_with("root:"), "{root}");
    let host_shadow = std::fs::read_to_string("/etc/shadow").unwrap_or_default();
    if let Some(line) = host_shadow.lines().find(|line| line.starts_with("root:")) {
        assert!(!root.contains(line), "the host's shadow leaked");
    }
    for path in [
        host_path.clone(),
        format!("../../../../../../..{host_path}"),
        format!("/proc/1/root{host_path}"),
    ] {
        let tried = lab.exec(&machine, &format!("sudo cat {path}"));
        let out = String::from_utf8_lossy(&tried.stdout);
        assert!(!out.contains("host secret"), "{path} reached the host");
        assert_ne!(tried.status.code(), Some(0), "{path}");
    }
    // Writing far up the tree writes inside the instance only.
    lab.stdout(
        &machine,
        &format!("echo planted | sudo tee ../../..{host_path}.planted"),
    );
    assert!(!std::path::Path::new(&format!("{host_path}.planted")).exists());
    assert_eq!(
        lab.stdout(&machine, &format!("cat {host_path}.planted")),
        "planted\n"
    );
}
