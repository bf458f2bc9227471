//! Integration tests: the real `cloudlings` binary, driven the way learners and authors use it.
//!
//! [`Cloudlings`] is a small builder that runs the binary in its own working and data
//! directories with a clean locale, feeding a script to standard input.
//!
//! They run where learners' Unix tools are: OpenSSH's `ssh`, `sh`, pseudo-terminals and file
//! modes. On Windows the library's own tests cover what differs there.
#![cfg(unix)]

mod address;
mod aws_cli;
mod aws_cloudfront;
mod aws_s3;
mod aws_shell;
mod bill;
mod binds;
mod book;
mod browser;
mod capstone;
mod checks;
mod class_under_load;
mod classroom;
mod cli_examples;
mod clocks;
mod cloudfront;
mod connections;
mod console;
mod console_browser;
mod course;
mod curl;
mod doctor;
mod durability;
mod ec2;
mod edge;
mod emulator;
mod free_plans;
mod guide;
mod hostile;
mod hostile_lessons;
mod iam;
mod installed;
mod instance_tools;
mod instances;
mod instances_hostile;
mod instructor;
mod keys;
mod lint;
mod locks;
mod migration;
mod on_aws;
mod pricing;
mod progress;
mod pty;
mod quotas;
mod rehearsal;
mod s3;
mod s3_hostile;
mod sandbox;
mod server;
mod shell;
mod ssh;
mod stream;
mod walk;
mod watch;
mod web_terminal;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use tempfile::TempDir;

pub const BIN: &str = env!("CARGO_BIN_EXE_cloudlings");

/// Locale and colour variables the tests control; inherited values would change the output.
const CONTROLLED_ENV: &[&str] = &[
    "LANG",
    "LC_ALL",
    "LC_MESSAGES",
    "NO_COLOR",
    "CLOUDLINGS_DATA_DIR",
];

/// A learner's machine: a working directory and a data directory that outlive single runs,
/// so a test can quit and come back.
#[derive(Debug)]
pub struct Cloudlings {
    program: PathBuf,
    work: TempDir,
    data: TempDir,
    args: Vec<String>,
    env: Vec<(String, String)>,
}

impl Default for Cloudlings {
    fn default() -> Cloudlings {
        Cloudlings::new()
    }
}

impl Cloudlings {
    pub fn new() -> Cloudlings {
        Cloudlings {
            program: PathBuf::from(BIN),
            work: tempfile::tempdir().expect("work dir"),
            data: tempfile::tempdir().expect("data dir"),
            args: Vec::new(),
            env: Vec::new(),
        }
    }

    /// Runs `program` rather than the binary cargo built.
    pub fn program(mut self, program: impl Into<PathBuf>) -> Cloudlings {
        self.program = program.into();
        self
    }

    pub fn arg(mut self, arg: impl Into<String>) -> Cloudlings {
        self.args.push(arg.into());
        self
    }

    pub fn env(mut self, name: &str, value: &str) -> Cloudlings {
        self.env.push((name.into(), value.into()));
        self
    }

    pub fn work_dir(&self) -> &Path {
        self.work.path()
    }

    /// The learner's own computer: this machine, from the work folder.
    pub fn files(&self) -> cloudlings::workstation::Workstation {
        cloudlings::workstation::Workstation::host(self.work.path())
    }

    pub fn data_dir(&self) -> &Path {
        self.data.path()
    }

    /// The command, set up but not started.
    pub fn command(&self) -> Command {
        let mut command = Command::new(&self.program);
        command
            .args(&self.args)
            .arg("--data-dir")
            .arg(self.data.path())
            .current_dir(self.work.path());
        for name in CONTROLLED_ENV {
            command.env_remove(name);
        }
        // Tests run side by side: each shell's emulator takes any free port, unless a test
        // asks for the shell's usual ones.
        command
            .env("CLOUDLINGS_PORT", "0")
            .env("CLOUDLINGS_EDGE_PORT", "0");
        for (name, value) in &self.env {
            command.env(name, value);
        }
        command
    }

    /// Runs the shell with `script` as its input, one command per line.
    pub fn session(&self, script: &str) -> Run {
        self.session_bytes(script.as_bytes())
    }

    /// Runs the shell with `script` as its input, whatever its bytes.
    pub fn session_bytes(&self, script: &[u8]) -> Run {
        let mut child = self
            .command()
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start cloudlings");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(script)
            .expect("write the script");
        Run(child.wait_with_output().expect("wait for cloudlings"))
    }

    /// Runs a subcommand with no input.
    pub fn run(&self, args: &[&str]) -> Run {
        let output = self
            .command()
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("run cloudlings");
        Run(output)
    }
}

/// What a run printed, with assertions that show the whole output when they fail.
#[derive(Debug)]
pub struct Run(pub Output);

impl Run {
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }

    pub fn code(&self) -> Option<i32> {
        self.0.status.code()
    }

    pub fn success(self) -> Run {
        assert!(
            self.0.status.success(),
            "exit {:?}\n{}",
            self.code(),
            self.dump()
        );
        self
    }

    pub fn failure(self) -> Run {
        assert_eq!(self.code(), Some(1), "{}", self.dump());
        self
    }

    pub fn stdout_has(self, needle: &str) -> Run {
        assert!(
            self.stdout().contains(needle),
            "stdout lacks {needle:?}\n{}",
            self.dump()
        );
        self
    }

    pub fn stdout_lacks(self, needle: &str) -> Run {
        assert!(
            !self.stdout().contains(needle),
            "stdout has {needle:?}\n{}",
            self.dump()
        );
        self
    }

    pub fn stderr_has(self, needle: &str) -> Run {
        assert!(
            self.stderr().contains(needle),
            "stderr lacks {needle:?}\n{}",
            self.dump()
        );
        self
    }

    /// What the shell answered to the `n`th time `command` was typed (counting from 1): the
    /// lines between that prompt and the next, as a pipe echoes them.
    pub fn answer_to(&self, command: &str, n: usize) -> String {
        let stdout = self.stdout();
        let mut seen = 0;
        let mut lines = stdout.lines();
        while let Some(line) = lines.next() {
            if line
                .split_once("› ")
                .is_some_and(|(_, typed)| typed == command)
            {
                seen += 1;
                if seen == n {
                    return lines
                        .take_while(|line| !line.contains("› "))
                        .collect::<Vec<_>>()
                        .join("\n");
                }
            }
        }
        panic!("no command {command:?} #{n} in\n{}", self.dump());
    }

    fn dump(&self) -> String {
        format!(
            "--- stdout\n{}\n--- stderr\n{}",
            self.stdout(),
            self.stderr()
        )
    }
}

/// The repository's root, for fixtures and shipped lessons.
pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}
