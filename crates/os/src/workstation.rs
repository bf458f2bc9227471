//! The learner's own computer, "the workstation": where a key pair's `key.pem`, an MFA seed or
//! a lesson's folder is saved before anything reaches AWS. It is an emulated machine like an
//! instance, never the host, so that a lesson run in a browser has a computer to work on and
//! no command can reach the files of the machine cloudlings runs on.
//!
//! It runs Ubuntu 24.04 LTS ([`Distro::Workstation`]): the Ubuntu image and commands, with a
//! user and a name of its own, and nothing that only an EC2 instance has. Its facts are the
//! fixed ones of a small desktop computer on a home network.

use time::OffsetDateTime;

use super::{Distro, Facts};

/// The workstation's host name, as the prompt shows it: `learner@workstation:~$`.
pub(crate) const HOSTNAME: &str = "workstation";

impl Facts {
    /// The learner's own computer, booted at `booted` and seen at `now` (both on the caller's
    /// clock; a new `booted` is a reboot, which empties `/tmp`).
    ///
    /// The fields that describe an EC2 instance (instance, image, account, key pair, security
    /// groups, public address) are empty: nothing on the workstation reads them, and it has no
    /// metadata service to serve them.
    pub fn workstation(booted: OffsetDateTime, now: OffsetDateTime) -> Facts {
        Facts {
            distro: Distro::Workstation,
            instance_id: String::new(),
            instance_type: String::new(),
            vcpus: 4,
            memory_mib: 8192,
            image_id: String::new(),
            region: String::new(),
            zone: String::new(),
            zone_id: None,
            // A home router's network, as most computers a learner owns sit on.
            private_ip: "192.168.1.23".into(),
            public_ip: None,
            public_dns: String::new(),
            private_dns: HOSTNAME.into(),
            mac: "3c:52:82:4e:91:07".into(),
            account_id: String::new(),
            key_name: None,
            public_key: None,
            security_groups: Vec::new(),
            volume_gib: 256,
            booted,
            now,
            // Only the metadata service keys anything with it, and the workstation has none.
            secret: [0; 32],
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{Machine, workstation_facts};
    use crate::{Context, Disk, NoNet, Session};

    #[test]
    fn a_terminal_opens_as_the_learner_on_the_workstation() {
        let mut machine = Machine::workstation();
        assert_eq!(machine.session.banner(&machine.facts), "");
        assert_eq!(machine.prompt(), "learner@workstation:~$ ");
        assert_eq!(machine.out("whoami"), "learner\n");
        assert_eq!(machine.out("pwd"), "/home/learner\n");
        assert_eq!(machine.out("cat /etc/hostname"), "workstation\n");
        assert_eq!(machine.out("hostname"), "workstation\n");
        assert_eq!(
            machine.out("id"),
            "uid=1000(learner) gid=1000(learner) groups=1000(learner)\n"
        );
        assert_eq!(
            machine.out("grep -c 127.0.1.1.workstation /etc/hosts"),
            "1\n"
        );
        assert!(machine.out("uname -r").ends_with("-generic\n"));
        machine.run("cd /tmp");
        assert_eq!(machine.prompt(), "learner@workstation:/tmp$ ");
        // Not a login shell: bash's own name in messages, and `exit` says so.
        assert_eq!(
            machine.out("cd /nope"),
            "bash: cd: /nope: No such file or directory\n"
        );
        let outcome = machine.run("exit");
        assert_eq!((outcome.output.as_str(), outcome.exit), ("exit\n", true));
    }

    /// A line run for the learner outside a terminal, as the cloudlings shell runs `!ls -l`.
    #[test]
    fn lines_without_a_terminal_print_and_end_as_bash_on_a_pipe() {
        let facts = workstation_facts();
        let mut disk = Disk::default();
        let mut session = Session::login(&facts, &mut disk).without_terminal();
        let mut ctx = Context {
            facts: &facts,
            disk: &mut disk,
            net: &NoNet,
        };
        let mut run = |line: &str| {
            let outcome = session.run(line, &mut ctx);
            (outcome.output, outcome.status)
        };
        assert_eq!(run("echo secret > key.pem"), (String::new(), 0));
        assert_eq!(run("cat key.pem"), ("secret\n".into(), 0));
        assert_eq!(
            run("chmod 400 key.pem && ls -l key.pem"),
            (
                "-r-------- 1 learner learner 7 Oct 21 08:40 key.pem\n".into(),
                0
            )
        );
        assert_eq!(
            run("ls -l"),
            (
                "total 4\n-r-------- 1 learner learner 7 Oct 21 08:40 key.pem\n".into(),
                0
            )
        );
        assert_eq!(
            run("cat nope"),
            ("cat: nope: No such file or directory\n".into(), 1)
        );
        assert_eq!(run("whoami; pwd"), ("learner\n/home/learner\n".into(), 0));
        let outcome = session.run("exit 3", &mut ctx);
        assert_eq!((outcome.output.as_str(), outcome.status), ("", 3));
        assert!(outcome.exit);
    }

    #[test]
    fn nothing_of_ec2_is_on_the_workstation() {
        let facts = workstation_facts();
        let mut disk = Disk::default();
        let mut session = Session::login(&facts, &mut disk).without_terminal();
        let mut ctx = Context {
            facts: &facts,
            disk: &mut disk,
            net: &NoNet,
        };
        let mut run = |line: &str| {
            let outcome = session.run(line, &mut ctx);
            (outcome.output, outcome.status)
        };
        // The metadata service's address leads nowhere, as on any computer outside EC2.
        assert_eq!(
            run("curl -m 2 http://169.254.169.254/latest/meta-data/"),
            (
                "curl: (28) Failed to connect to 169.254.169.254 port 80 after 2000 ms: Timeout was reached\n"
                    .into(),
                28
            )
        );
        assert_eq!(
            run("ls ~/.ssh /var/log/cloud-init-output.log /usr/sbin/sshd 2>&1 | grep -c 'No such'"),
            ("3\n".into(), 0)
        );
        assert_eq!(run("ls /etc/sudoers.d"), (String::new(), 0));
        assert_eq!(
            run("sudo cat /etc/shadow"),
            ("learner is not in the sudoers file.\n".into(), 1)
        );
        let (ssh, status) = run("ssh -i key.pem ubuntu@3.35.10.20");
        assert!(ssh.starts_with("ssh: there is no SSH client"), "{ssh}");
        assert_eq!(status, 255);
        assert!(!run("env").0.contains("SSH_TTY"));
    }
}
