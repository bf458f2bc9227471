//! The shell's emulator keeps its address and its cloud from run to run, so a second
//! terminal's `eval "$(cloudlings env)"`, an ssh config and a browser's bookmarks outlive a
//! restart; when another program holds the port, the shell takes another and says so.

use std::io::Write;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::{BIN, Cloudlings};

/// Two ports free right now, for the emulator and its edge.
fn free_ports() -> (u16, u16) {
    let first = TcpListener::bind("127.0.0.1:0").expect("bind");
    let second = TcpListener::bind("127.0.0.1:0").expect("bind");
    (
        first.local_addr().expect("addr").port(),
        second.local_addr().expect("addr").port(),
    )
}

/// A shell left running, its input open, as a learner leaves it in one terminal.
struct Running {
    child: Child,
}

impl Running {
    fn start(shell: &Cloudlings) -> Running {
        let child = shell
            .command()
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start cloudlings");
        Running { child }
    }

    /// Types `script`, closes the input and returns (stdout, stderr) once the shell ends.
    fn finish(mut self, script: &str) -> (String, String) {
        let mut stdin = self.child.stdin.take().expect("stdin");
        stdin.write_all(script.as_bytes()).expect("type");
        drop(stdin);
        let output = self.child.wait_with_output().expect("ends");
        assert!(output.status.success(), "{output:?}");
        (
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }
}

/// What `cloudlings env` prints in a second terminal, once the shell's emulator answers.
pub fn second_terminal_env(shell: &Cloudlings) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let output = Command::new(BIN)
            .arg("env")
            .arg("--data-dir")
            .arg(shell.data_dir())
            .output()
            .expect("cloudlings env");
        if output.status.success() {
            return String::from_utf8_lossy(&output.stdout).into_owned();
        }
        assert!(
            Instant::now() < deadline,
            "the shell's emulator never answered"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn the_address_and_the_cloud_stay_the_same_across_restarts() {
    let (port, edge_port) = free_ports();
    let shell = Cloudlings::new()
        .arg("--lang")
        .arg("en")
        .env("CLOUDLINGS_PORT", &port.to_string())
        .env("CLOUDLINGS_EDGE_PORT", &edge_port.to_string());
    let endpoint = format!("export AWS_ENDPOINT_URL=http://127.0.0.1:{port}\n");

    let first = Running::start(&shell);
    let env = second_terminal_env(&shell);
    assert!(env.contains(&endpoint), "{env}");
    let (stdout, stderr) =
        first.finish("aws ec2 create-key-pair --key-name kept --query KeyName\nedge\n");
    assert!(stdout.contains("\"kept\""), "{stdout}");
    assert!(!stderr.contains("in use"), "{stderr}");

    // The same address again, and the key pair made before the restart is still there.
    let second = Running::start(&shell);
    assert_eq!(second_terminal_env(&shell), env, "the same lines as before");
    let (stdout, _) =
        second.finish("aws ec2 describe-key-pairs --query KeyPairs[].KeyName --output text\n");
    assert!(stdout.contains("\nkept\n"), "{stdout}");
}

#[test]
fn a_port_another_program_holds_is_left_to_it_and_the_learner_is_told() {
    let (port, edge_port) = free_ports();
    let holder = TcpListener::bind(("127.0.0.1", port)).expect("another program");
    let edge_holder = TcpListener::bind(("127.0.0.1", edge_port)).expect("another program");
    let shell = Cloudlings::new()
        .arg("--lang")
        .arg("en")
        .env("CLOUDLINGS_PORT", &port.to_string())
        .env("CLOUDLINGS_EDGE_PORT", &edge_port.to_string());
    let running = Running::start(&shell);
    let env = second_terminal_env(&shell);
    assert!(!env.contains(&format!(":{port}\n")), "{env}");
    let (_, stderr) = running.finish("quit\n");
    assert!(
        stderr.contains(&format!("Port {port} is in use by another program"))
            && stderr.contains("`eval \"$(cloudlings env)\"` again"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("Port {edge_port} is in use by another program"))
            && stderr.contains("`edge` shows the new ones"),
        "{stderr}"
    );
    drop((holder, edge_holder));
}
