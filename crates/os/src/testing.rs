//! Test helpers: an instance's facts (or the workstation's), a scripted network, a session that
//! runs lines.

use std::cell::RefCell;
use std::collections::BTreeMap;

use time::macros::datetime;

use super::{
    Context, Disk, Distro, Echo, Facts, HttpReply, HttpRequest, Net, NetError, Outcome, Session,
};

pub(crate) fn facts(distro: Distro) -> Facts {
    Facts {
        distro,
        instance_id: "i-0abc123def4567890".into(),
        instance_type: "t2.micro".into(),
        vcpus: 1,
        memory_mib: 1024,
        image_id: "ami-0c2d3e4f5a6b7c8d9".into(),
        region: "ap-northeast-2".into(),
        zone: "ap-northeast-2a".into(),
        zone_id: Some("apne2-az1".into()),
        private_ip: "172.31.5.20".into(),
        public_ip: Some("3.35.10.20".into()),
        public_dns: "ec2-3-35-10-20.ap-northeast-2.compute.amazonaws.com".into(),
        private_dns: "ip-172-31-5-20.ap-northeast-2.compute.internal".into(),
        mac: "0a:1b:2c:3d:4e:5f".into(),
        account_id: "123456789012".into(),
        key_name: Some("my-key".into()),
        public_key: Some("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHm2bq0Lq9Qw my-key".into()),
        security_groups: vec!["launch-wizard-1".into()],
        volume_gib: 8,
        booted: datetime!(2026-10-21 08:29:40 UTC),
        now: datetime!(2026-10-21 08:40:12 UTC),
        secret: [7; 32],
    }
}

/// A network that answers from a table of hosts, and records what it was asked.
#[derive(Debug, Default)]
pub(crate) struct FakeNet {
    pub hosts: BTreeMap<String, Result<HttpReply, NetError>>,
    pub asked: RefCell<Vec<HttpRequest>>,
    /// Hosts that answer `ping`, by name, with their address and whether replies come.
    pub echoes: BTreeMap<String, Echo>,
}

impl Net for FakeNet {
    fn http(&self, request: &HttpRequest) -> Result<HttpReply, NetError> {
        self.asked.borrow_mut().push(request.clone());
        self.hosts
            .get(&request.host)
            .cloned()
            .unwrap_or(Err(NetError::Unresolved))
    }

    fn ping(&self, host: &str) -> Result<Echo, NetError> {
        self.echoes.get(host).cloned().ok_or(NetError::Unresolved)
    }
}

/// An instance with one logged-in session, for running lines as a learner would.
#[derive(Debug)]
pub(crate) struct Machine {
    pub facts: Facts,
    pub disk: Disk,
    pub net: FakeNet,
    pub session: Session,
}

/// The learner's workstation, booted and seen when the test instances are.
pub(crate) fn workstation_facts() -> Facts {
    let ec2 = facts(Distro::Ubuntu);
    Facts::workstation(ec2.booted, ec2.now)
}

impl Machine {
    pub fn new(distro: Distro) -> Machine {
        Machine::of(facts(distro))
    }

    /// A machine of these facts, freshly logged in.
    pub fn of(facts: Facts) -> Machine {
        let mut disk = Disk::default();
        let session = Session::login(&facts, &mut disk);
        Machine {
            facts,
            disk,
            net: FakeNet::default(),
            session,
        }
    }

    pub fn ubuntu() -> Machine {
        Machine::new(Distro::Ubuntu)
    }

    pub fn amazon() -> Machine {
        Machine::new(Distro::AmazonLinux)
    }

    pub fn workstation() -> Machine {
        Machine::of(workstation_facts())
    }

    pub fn run(&mut self, line: &str) -> Outcome {
        let mut ctx = Context {
            facts: &self.facts,
            disk: &mut self.disk,
            net: &self.net,
        };
        self.session.run(line, &mut ctx)
    }

    /// What Tab offers after `before`.
    pub fn complete(&mut self, before: &str) -> Vec<String> {
        let mut ctx = Context {
            facts: &self.facts,
            disk: &mut self.disk,
            net: &self.net,
        };
        self.session.complete(before, &mut ctx)
    }

    /// Keys typed while a program holds the terminal.
    pub fn keys(&mut self, keys: &[u8]) -> Outcome {
        let mut ctx = Context {
            facts: &self.facts,
            disk: &mut self.disk,
            net: &self.net,
        };
        self.session.input(keys, &mut ctx)
    }

    /// Moves the simulated clock on by `ms` and lets a program holding the terminal see it.
    pub fn tick(&mut self, ms: i64) -> Outcome {
        self.facts.now += time::Duration::milliseconds(ms);
        let mut ctx = Context {
            facts: &self.facts,
            disk: &mut self.disk,
            net: &self.net,
        };
        self.session.tick(&mut ctx)
    }

    /// Runs a line and returns what it printed.
    pub fn out(&mut self, line: &str) -> String {
        self.run(line).output
    }

    /// Moves the simulated clock on.
    pub fn wait(&mut self, seconds: i64) {
        self.facts.now += time::Duration::seconds(seconds);
    }

    /// Restarts the instance: it comes up a minute from now, and the clock moves past that.
    pub fn reboot(&mut self) {
        self.facts.booted = self.facts.now + time::Duration::minutes(1);
        self.wait(120);
    }

    /// A new login on the same instance.
    pub fn relogin(&mut self) {
        self.session = Session::login(&self.facts, &mut self.disk);
    }

    pub fn prompt(&self) -> String {
        self.session.prompt(&self.facts)
    }
}
