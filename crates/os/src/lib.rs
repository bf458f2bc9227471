//! The operating system of an emulated instance: a virtual filesystem and a shell that answer
//! what a learner types over SSH. The learner's own computer, the workstation, is such a
//! machine too, so that nothing a lesson does on "their computer" touches the host. Nothing here touches the host: there is no file, process or
//! socket behind any command, only the instance's [`Facts`], its [`Disk`] and the emulated
//! network behind [`Net`]. The crate's clippy configuration forbids the host's files, processes,
//! sockets and environment, and this file denies those lints, so that promise is checked at
//! compile time; the crate depends on nothing that runs a server or calls AWS.
//!
//! The aim is a first session that looks like the real thing: the login banner, prompts, error
//! messages and command output are those of Ubuntu 24.04 LTS and Amazon Linux 2023 on EC2, so
//! what a learner sees here is what they will see on AWS. What the emulation cannot do (a
//! manual page, a Python interpreter) it says honestly instead of pretending.
//!
//! # Layout
//!
//! - [`Session`] (session.rs) is one login, and exec.rs runs its lines: expansion, pipes,
//!   redirections, builtins, `sudo`; parse.rs turns a line into that syntax tree first.
//! - commands/ holds the programs a line may name, by family: files, text filters, system
//!   information, packages, services, curl.
//! - fs.rs is the virtual tree with Unix permissions: the image (distro.rs builds the base,
//!   repo.rs adds what installed packages bring) under the instance's own changes, kept in
//!   [`Disk`] (disk.rs, node.rs), which the emulator persists. [`Files`] (files.rs) opens
//!   that tree to programs outside the shell, as one user.
//! - workstation.rs describes the learner's own computer ([`Facts::workstation`]): Ubuntu's
//!   image with a user and a name of its own, and nothing only EC2 has.
//! - glob.rs matches glob patterns as bash does, for expansion and `find -name`.
//! - imds.rs is the instance metadata service at 169.254.169.254; web.rs is nginx as port 80
//!   serves it to the network; http_server.rs is `python3 -m http.server` on its port.
//! - terminal.rs is the line discipline of an interactive PTY session: [`LineEditor`], with
//!   Tab completing what complete.rs finds.
//! - job.rs is a program that keeps the terminal after its line ran (`sleep`, `ping`, `top`,
//!   the editors, `python3 -m http.server`): the session's driver feeds it keys and time.
//!   keys.rs decodes a PTY's bytes into keys, screen.rs draws whole frames, and editor/ holds
//!   `nano` and `vi` as logic over keys and a buffer.

#![deny(clippy::disallowed_methods, clippy::disallowed_types)]

mod commands;
mod complete;
mod disk;
mod distro;
mod editor;
mod exec;
mod files;
mod fs;
mod glob;
mod http_server;
mod imds;
mod io;
mod job;
mod keys;
mod node;
mod notes;
mod parse;
mod repo;
mod screen;
mod session;
mod sys;
mod terminal;
mod web;
mod workstation;

use std::fmt;

pub use disk::Disk;
pub use files::{Entry, Files, Kind};
pub use http_server::{Listener, http_server};
pub use notes::{LANGUAGE_VARIABLE, NoteLang};
pub use session::Session;
pub use terminal::{Event, LineEditor, crlf};
pub use web::web;

/// The longest line the shell accepts, as a bound on what one keystroke burst can cost.
pub const LINE_LIMIT: usize = 64 * 1024;
/// The most a single command line prints; the rest is dropped.
pub const OUTPUT_LIMIT: usize = 1024 * 1024;
/// The bytes the instance's own files may hold in total, beyond the image.
pub const DISK_LIMIT: u64 = 4 * 1024 * 1024;
/// The files, directories and removals the overlay may hold.
pub const ENTRY_LIMIT: usize = 10_000;

/// The operating system a machine boots: an AMI's, or the learner's own computer's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Distro {
    /// Ubuntu Server 24.04 LTS (noble).
    Ubuntu,
    /// Amazon Linux 2023.
    AmazonLinux,
    /// The learner's own computer, "the workstation": Ubuntu 24.04 LTS with Ubuntu's image and
    /// commands, used by `learner` at a local terminal, without what EC2 adds to an instance
    /// (cloud-init, the metadata service, a login over SSH). [`Facts::workstation`] describes it.
    Workstation,
}

impl Distro {
    /// The machine's own user: the one an SSH login uses, as the AMI sets it up, or the
    /// learner on the workstation.
    pub fn user(self) -> &'static str {
        match self {
            Distro::Ubuntu => "ubuntu",
            Distro::AmazonLinux => "ec2-user",
            Distro::Workstation => "learner",
        }
    }
}

/// What the operating system knows of its instance; the caller builds it from the EC2 state,
/// or with [`Facts::workstation`] for the learner's own computer.
#[derive(Debug, Clone)]
pub struct Facts {
    pub distro: Distro,
    pub instance_id: String,
    pub instance_type: String,
    pub vcpus: u32,
    pub memory_mib: u64,
    pub image_id: String,
    pub region: String,
    pub zone: String,
    /// The zone's id, `apne2-az1`, which names the same zone in every account.
    pub zone_id: Option<String>,
    /// `172.31.5.20`, which also names the host: `ip-172-31-5-20`.
    pub private_ip: String,
    pub public_ip: Option<String>,
    pub public_dns: String,
    pub private_dns: String,
    pub mac: String,
    pub account_id: String,
    pub key_name: Option<String>,
    /// The key pair's OpenSSH public key line, for `~/.ssh/authorized_keys` and the IMDS.
    pub public_key: Option<String>,
    /// Security group names, as the IMDS lists them.
    pub security_groups: Vec<String>,
    /// The size of the root volume (EBS), in GiB: its file system fills it, and a write past
    /// what it holds fails with "No space left on device".
    pub volume_gib: u32,
    /// When the operating system last booted, on the simulated clock.
    pub booted: time::OffsetDateTime,
    /// Now, on the simulated clock.
    pub now: time::OffsetDateTime,
    /// A per-instance secret: IMDSv2 tokens are MACs under it, so they need no state.
    pub secret: [u8; 32],
}

/// What one [`Session::run`] needs from outside the session.
pub struct Context<'a> {
    pub facts: &'a Facts,
    pub disk: &'a mut Disk,
    pub net: &'a dyn Net,
}

impl fmt::Debug for Context<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Context")
            .field("instance", &self.facts.instance_id)
            .finish_non_exhaustive()
    }
}

/// What a line did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// What the terminal shows, stdout and stderr interleaved, lines ending in `\n`.
    pub output: String,
    /// `$?` after the line.
    pub status: i32,
    /// The session ended (`exit`, or `logout` in a login shell, in its first shell).
    pub exit: bool,
    /// The learner asked the instance to reboot or power off (`sudo reboot`); the session has
    /// ended and the caller decides what the instance does.
    pub power: Option<Power>,
}

/// A request to change the instance's power state, made from inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Power {
    Reboot,
    PowerOff,
}

/// The emulated network, for `curl` to anything that is neither the instance itself nor the
/// metadata service.
pub trait Net {
    fn http(&self, request: &HttpRequest) -> Result<HttpReply, NetError>;

    /// An ICMP echo request to `host` (a name or an address) for `ping`: the address it
    /// resolves to, and whether replies come back (the target's security groups must admit
    /// ICMP). A network that knows no hosts resolves none.
    fn ping(&self, host: &str) -> Result<Echo, NetError> {
        let _ = host;
        Err(NetError::Unresolved)
    }

    /// Starts serving a folder on a port of this instance (`python3 -m http.server`), or
    /// keeps it served: a listener lapses unless renewed every few seconds, so one whose
    /// session vanished stops answering. `Err(Refused)` when the port is taken.
    fn listen(&self, listener: &Listener) -> Result<(), NetError> {
        let _ = listener;
        Ok(())
    }

    /// The access log lines of the requests a listener answered since the last call.
    fn served(&self, port: u16) -> Vec<String> {
        let _ = port;
        Vec::new()
    }

    /// Stops serving a port.
    fn unlisten(&self, port: u16) {
        let _ = port;
    }
}

/// Where an echo request went, and whether it is answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Echo {
    pub address: String,
    pub answered: bool,
}

/// An HTTP request as the instance sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: String,
    pub host: String,
    pub port: u16,
    /// The request target: path and query, `/index.html?x=1`.
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpRequest {
    /// The first header of a name, compared without case as HTTP does.
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }
}

/// An HTTP response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HttpReply {
    pub status: u16,
    pub reason: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpReply {
    /// The first header of a name, compared without case.
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }
}

/// The first header of a name in a request's or a reply's list; HTTP names ignore case.
fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}

/// Why a connection failed, as curl tells them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetError {
    /// Nothing listens, or a security group rejects: `curl: (7)`.
    Refused,
    /// Packets dropped, as a security group without the rule does: `curl: (28)`.
    TimedOut { after_ms: u64 },
    /// No such name: `curl: (6)`.
    Unresolved,
}

/// A network with nothing on it, for callers and tests without one.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoNet;

impl Net for NoNet {
    fn http(&self, _request: &HttpRequest) -> Result<HttpReply, NetError> {
        Err(NetError::Unresolved)
    }
}

#[cfg(test)]
pub(crate) mod testing;
