//! The aws CLI v1, kept running in one Python process (`tests/support/cli_examples.py`), so
//! that a few hundred command lines cost one interpreter start instead of one each.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use cloudlings_emulator::Emulator;
use serde::Deserialize;
use serde_json::json;

/// What the driver says when it starts.
#[derive(Debug, Deserialize)]
pub struct Hello {
    /// The CLI's `awscli/examples` directory.
    pub examples: PathBuf,
    pub version: String,
    /// Each EC2 waiter (`InstanceRunning`) and the operation it polls.
    pub ec2_waiters: BTreeMap<String, String>,
}

/// What one command line did.
#[derive(Debug, Clone, Deserialize)]
pub struct Outcome {
    pub rc: i32,
    pub stdout: String,
    pub stderr: String,
}

/// A command line for the driver.
#[derive(Debug, Default)]
pub struct Call<'a> {
    pub argv: &'a [String],
    /// Environment variables for this command only (another user's keys).
    pub env: Vec<(&'static str, String)>,
    pub stdin: Option<String>,
    pub stdout_to: Option<PathBuf>,
}

pub struct Driver {
    child: Child,
    requests: ChildStdin,
    answers: BufReader<ChildStdout>,
    pub hello: Hello,
}

impl Driver {
    /// Starts the CLI against `emulator`, as a learner's second terminal would after
    /// `eval "$(cloudlings env)"`, with nothing from the machine's own AWS configuration and
    /// `home` as its home directory.
    pub fn start(emulator: &Emulator, home: &Path) -> Driver {
        // The venv's python, beside its `aws` (scripts/test names the venv's `aws`).
        let python = std::env::var("CLOUDLINGS_AWS_CLI")
            .map(|cli| Path::new(&cli).with_file_name("python"))
            .unwrap_or_else(|_| PathBuf::from("python3"));
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/cli_examples.py");
        let mut child = Command::new(&python)
            .arg(script)
            .current_dir(home)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", home)
            .env("AWS_CONFIG_FILE", home.join("no-config"))
            .env("AWS_SHARED_CREDENTIALS_FILE", home.join("no-credentials"))
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_ENDPOINT_URL", emulator.endpoint())
            .env("AWS_DEFAULT_REGION", "ap-northeast-2")
            .env("AWS_ACCESS_KEY_ID", &emulator.credentials.access_key)
            .env("AWS_SECRET_ACCESS_KEY", &emulator.credentials.secret)
            .env("AWS_DEFAULT_OUTPUT", "json")
            // One attempt: a retried 500 would only hide a failure behind seconds of backoff.
            .env("AWS_MAX_ATTEMPTS", "1")
            .env("AWS_RETRY_MODE", "standard")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|error| panic!("start {}: {error}", python.display()));
        let requests = child.stdin.take().expect("driver stdin");
        let mut answers = BufReader::new(child.stdout.take().expect("driver stdout"));
        let mut line = String::new();
        answers.read_line(&mut line).expect("the driver's hello");
        let hello: Hello = serde_json::from_str(&line).unwrap_or_else(|error| {
            panic!(
                "the driver's hello {line:?}: {error}; {} must import the aws CLI v1 \
                 (scripts/test names the venv's aws in CLOUDLINGS_AWS_CLI)",
                python.display()
            )
        });
        Driver {
            child,
            requests,
            answers,
            hello,
        }
    }

    /// Runs one command line in `cwd`.
    pub fn run(&mut self, cwd: &Path, call: Call) -> Outcome {
        let env: BTreeMap<&str, &str> = call.env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let request = json!({
            "argv": call.argv,
            "cwd": cwd,
            "env": env,
            "stdin": call.stdin,
            "stdout_to": call.stdout_to,
        });
        writeln!(self.requests, "{request}").expect("write to the driver");
        self.requests.flush().expect("flush to the driver");
        let mut line = String::new();
        self.answers
            .read_line(&mut line)
            .expect("read the driver's answer");
        serde_json::from_str(&line).unwrap_or_else(|error| {
            panic!("the driver's answer to {:?}: {line:?}: {error}", call.argv)
        })
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
