//! What an instance keeps between sessions and reboots: its changes over the AMI's image.
//!
//! The image itself is never stored: it is rebuilt from the distro and the instance's facts,
//! and the files an installed package brings are rebuilt from the package list. So the state
//! file holds only what the learner did, which is small, and bounded by [`DISK_LIMIT`] and
//! [`ENTRY_LIMIT`](super::ENTRY_LIMIT).
//!
//! [`DISK_LIMIT`]: super::DISK_LIMIT

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::node::Node;

/// An instance's persistent changes over its AMI's base image.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Disk {
    /// Files and directories written, changed or made, by absolute path; `None` where an image
    /// entry was removed.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) files: BTreeMap<String, Option<Node>>,
    /// Packages installed beyond the image, with when (seconds since the epoch).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) packages: BTreeMap<String, i64>,
    /// Services whose state differs from the image's defaults.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) services: BTreeMap<String, Service>,
    /// When the package lists were last fetched (`apt update`, dnf's metadata).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) lists_updated: Option<i64>,
    /// Whether the image's pending updates were installed (`apt upgrade`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) upgraded: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) last_login: Option<LastLogin>,
    /// The boot (its time) this disk last saw: a newer one empties `/tmp`.
    #[serde(default)]
    pub(crate) boot: i64,
    /// The last process id handed out, so that restarted services get new ones.
    #[serde(default)]
    pub(crate) last_pid: u32,
}

/// A service's state, as the learner left it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Service {
    pub enabled: bool,
    pub running: bool,
    /// When it last started or stopped.
    pub since: i64,
    /// Its main process, while running.
    pub pid: u32,
}

/// The previous login, for the banner's "Last login:" line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct LastLogin {
    pub at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
}

impl Disk {
    /// Bytes the overlay's files hold.
    pub(crate) fn used(&self) -> u64 {
        self.files.values().flatten().map(Node::cost).sum()
    }

    /// Bytes the overlay's files take on the volume, zeros not kept included.
    pub(crate) fn allocated(&self) -> u64 {
        self.files.values().flatten().map(Node::allocated).sum()
    }

    /// A fresh process id: past the image's own processes, growing, wrapping as Linux does.
    pub(crate) fn next_pid(&mut self) -> u32 {
        self.last_pid = if self.last_pid < 1500 || self.last_pid >= 4_194_000 {
            1500
        } else {
            self.last_pid
        } + 17;
        self.last_pid
    }

    /// Forgets what a reboot forgets: `/tmp` is emptied (a tmpfs on Amazon Linux, cleaned at
    /// boot on Ubuntu). Services follow their enabled state by themselves, see `Service`.
    pub(crate) fn reboot(&mut self, boot: i64) {
        if self.boot == boot {
            return;
        }
        self.boot = boot;
        self.files.retain(|path, _| !path.starts_with("/tmp/"));
    }

    /// Whether an overlay entry is a directory made over the image's.
    #[cfg(test)]
    pub(crate) fn is_opaque(&self, path: &str) -> bool {
        matches!(
            self.files.get(path),
            Some(Some(Node {
                body: super::node::Body::Dir { opaque: true },
                ..
            }))
        )
    }
}

impl Service {
    /// The state now: a service's running state does not survive a reboot, after which it runs
    /// exactly when it is enabled, started by systemd a few seconds into the boot.
    pub(crate) fn effective(&self, booted: i64) -> Service {
        if self.since >= booted {
            return *self;
        }
        Service {
            running: self.enabled,
            since: booted + 3,
            ..*self
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::Machine;
    use crate::{Disk, Session};

    #[test]
    fn a_disk_survives_serde_and_a_new_session() {
        let mut machine = Machine::ubuntu();
        machine.run(
            "mkdir -p site && echo '<h1>Hi</h1>' > site/index.html && chmod 600 site/index.html",
        );
        machine.run("sudo rm /etc/hostname");
        machine.run("sudo apt update && sudo apt install -y nginx");
        machine.run("echo 'export GREETING=hello' >> ~/.bashrc");
        let json = serde_json::to_string(&machine.disk).expect("serialise");
        let back: Disk = serde_json::from_str(&json).expect("deserialise");
        assert_eq!(back, machine.disk);
        // Only the overlay is stored, never the image: a few kilobytes.
        assert!(json.len() < 8 * 1024, "{} bytes", json.len());
        assert!(!json.contains("Welcome to nginx"));
        machine.disk = back;
        machine.session = Session::login(&machine.facts, &mut machine.disk);
        assert_eq!(machine.out("cat site/index.html"), "<h1>Hi</h1>\n");
        assert!(
            machine
                .out("ls -l site")
                .contains("-rw------- 1 ubuntu ubuntu")
        );
        assert_eq!(
            machine.out("cat /etc/hostname"),
            "cat: /etc/hostname: No such file or directory\n"
        );
        assert_eq!(machine.out("systemctl is-active nginx"), "active\n");
        assert_eq!(machine.out("echo $GREETING"), "hello\n");
    }

    #[test]
    fn a_fresh_disk_is_empty_and_tmp_clears_on_reboot() {
        assert_eq!(
            serde_json::to_string(&Disk::default()).expect("json"),
            r#"{"boot":0,"last_pid":0}"#
        );
        let mut machine = Machine::ubuntu();
        machine.run("echo x > /tmp/scratch && echo y > kept");
        machine.reboot();
        machine.relogin();
        assert_eq!(machine.out("ls /tmp; cat kept"), "y\n");
    }

    #[test]
    fn the_disk_fills_up_like_a_disk() {
        let mut machine = Machine::ubuntu();
        let line = "x".repeat(60_000);
        machine.run(&format!("echo {line} > a"));
        machine.run(&format!("cat {} > b", ["a"; 16].join(" ")));
        machine.run("cat b b b > c");
        let outcome = machine.run("cat b > d");
        assert_eq!(
            outcome.output,
            "cat: write error: No space left on device\n"
        );
        assert_eq!(outcome.status, 1);
        assert_eq!(
            machine.out("echo $(cat a a a a a) >> c"),
            "-bash: echo: write error: No space left on device\n"
        );
        assert_eq!(
            machine.out("cat a a a a a | tee e >/dev/null"),
            "tee: e: No space left on device\n"
        );
        machine.run("rm c");
        assert_eq!(machine.out("cat b > d && echo ok"), "ok\n");
    }
}
