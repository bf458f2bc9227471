//! cloudlings: learn the cloud by doing it.
//!
//! A guided shell that walks a learner through lessons written as TOML files, checks what they
//! did before they move on, and remembers where they stopped.
//!
//! # Layout
//!
//! - [`cli`] holds the command-line surface and dispatches to the rest; [`run`] is the whole
//!   program, so `main.rs` only maps its result to an exit code.
//! - [`lesson`] is the course content: the TOML file format (documented serde structs), the
//!   typed model the shell uses, loading with `file:line:col` diagnostics, lint and the JSON
//!   Schema. It knows nothing about terminals.
//! - [`check`] decides whether a task step is done: probe the world (files, AWS calls, HTTP),
//!   render it to JSON, query it with JMESPath, compare. It knows nothing about terminals
//!   either, nor about lessons: a lesson holds its checks, so [`lesson`] builds on [`check`],
//!   and the comparisons a lesson file writes in `expect` are [`check`]'s own. [`aws_cli`] is
//!   the subset of the aws CLI v1 that the course uses — command lines read as the CLI reads
//!   them, calls made through aws-sdk-rust, `--query`'s JMESPath — shared by the checks' AWS
//!   probes and the shell's `aws`; [`cli_json`] renders the SDK's answers as the CLI's JSON;
//!   [`target`] says which cloud they talk to (the emulator or another endpoint) and builds the
//!   SDK's configuration from that alone.
//! - [`rehearsal`] is `cloudlings lesson test`: each lesson taken on a fresh emulator, proving
//!   its checks fail before each solution and hold after it.
//! - [`progress`] is the learner's saved place, written atomically so that nothing is lost.
//! - [`shell`] is the interactive part: the rustyline loop, the commands, completion and every
//!   learner-facing message of the interface, in English and Korean. Its `aws` command adds
//!   to [`aws_cli`] what a terminal needs: waiters with spinners, `s3 cp`/`sync` with a
//!   progress bar, `> file`, help.
//! - [`network`] and [`http_client`] reach hosts as the learner's tools do (emulated
//!   instances through the emulator, behind their security groups) and speak HTTP/1.1 to them;
//!   the shell's `ssh` and `curl` and the checks' probes share them, so a check sees what curl
//!   shows.
//! - [`lang`], [`text`], [`facts`], [`style`], [`words`] and [`strerror`] are small shared
//!   pieces: the learner's language, `tr!` and Korean particles that agree with the value
//!   they follow, text in English and Korean, the facts a lesson quotes in braces (prices, the
//!   free tier) as the emulator bills them, colour on terminals only, command lines split as a
//!   POSIX shell splits them, and I/O errors worded as the C library words them.
//!
//! These last ones use no other module of the application but one another, so every layer
//! may use them: a helper that two layers need lives in the lower one, never in the shell.
//!
//! # The workspace
//!
//! This crate is the application. Below it, each in `crates/`:
//!
//! - `cloudlings-emulator` is the embedded AWS: EC2, IAM, STS, S3, CloudFront and the Price List
//!   API on a loopback endpoint, speaking the real protocols, with a simulated clock and a bill
//!   (whose prices the Price List answers with), and instances a learner can SSH into behind
//!   security groups that filter. It knows nothing of lessons.
//! - `cloudlings-os` is the operating system of those instances. Its lints forbid the host's
//!   files, processes, sockets and environment, so "never the host" is checked by the compiler.
//! - `cloudlings-core` holds what every layer shares: crash-safe file replacement, what the
//!   project knows of AWS (its catalogue and dated prices), and file modes as chmod reads
//!   them, for the shell's chmod and the instances' alike.

pub mod aws_cli;
pub mod aws_target;
pub mod book;
pub mod check;
pub mod classroom;
pub mod cli;
pub mod cli_json;
pub mod doctor;
pub mod facts;
pub mod http_client;
pub mod interrupt;
pub mod lang;
pub mod lesson;
pub mod network;
pub mod progress;
pub mod rehearsal;
pub mod server;
pub mod shell;
pub mod strerror;
pub mod style;
pub mod target;
pub mod text;
pub mod visible;
pub mod words;
pub mod workstation;

use std::process::ExitCode;

/// Runs cloudlings with the process's arguments and environment.
pub fn run() -> ExitCode {
    cli::main()
}
