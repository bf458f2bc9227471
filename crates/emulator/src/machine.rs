//! The machine behind an instance: what its operating system knows of it, its disk, its
//! host key, and the commands its users run, between the EC2 state and [`guest`].
//!
//! The guest runs on a copy of the disk taken from the state, outside the account's lock
//! (a command may reach another instance over the network, which needs that instance's
//! account), and the copy is written back, and saved, only if the command changed it.

use std::net::Ipv4Addr;
use std::sync::Arc;

use hmac::{KeyInit, Mac};
use russh::keys::ssh_key;
use time::OffsetDateTime;

use super::ec2::instances::{Instance, Transition};
use super::events::{Event, What};
use super::net::{self, Host, Reach};
use super::state::{Account, World};
use super::store::Part;
use cloudlings_core::catalog;
use cloudlings_os::{self as guest, Disk, Echo, Facts, HttpReply, HttpRequest, NetError};

/// The installation's own secret, from which each instance's are derived.
pub fn root_secret(world: &World) -> String {
    let shared = world.lock();
    shared
        .keys
        .get(&shared.root_key)
        .map(|key| key.secret.clone())
        .unwrap_or_default()
}

/// A secret of the installation's, one per instance and purpose: stable across restarts,
/// different for every instance and installation.
fn secret(root: &str, instance: &str, purpose: &str) -> [u8; 32] {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(root.as_bytes())
        .expect("HMAC takes keys of any length");
    mac.update(purpose.as_bytes());
    mac.update(b"/");
    mac.update(instance.as_bytes());
    mac.finalize().into_bytes().into()
}

/// The instance's SSH host key: Ed25519, derived, so it stays the same across restarts and
/// stop/start without being stored.
pub fn host_key(root_secret: &str, instance: &str) -> ssh_key::PrivateKey {
    let seed = secret(root_secret, instance, "ssh-host-key");
    let pair = ssh_key::private::Ed25519Keypair::from_seed(&seed);
    ssh_key::PrivateKey::from(pair)
}

/// The user an SSH login uses on the instance's image, if it has SSH at all (Windows has not).
pub fn login_user(instance: &Instance, region: &str) -> Option<&'static str> {
    catalog::image(region, &instance.image_id)?.login_user
}

/// What the guest knows of the instance now, from its account (held by the caller).
pub fn facts(world: &World, account: &Account, host: &Host, now: OffsetDateTime) -> Option<Facts> {
    let (instance, ec2) = net::instance_of(account, host)?;
    let user = login_user(instance, &host.region)?;
    let kind = catalog::instance_type(&instance.instance_type);
    let groups = instance
        .security_groups
        .iter()
        .map(|id| {
            ec2.security_groups
                .get(id)
                .map_or_else(|| id.clone(), |group| group.name.clone())
        })
        .collect();
    Some(Facts {
        distro: if user == "ubuntu" {
            guest::Distro::Ubuntu
        } else {
            guest::Distro::AmazonLinux
        },
        instance_id: instance.id.clone(),
        instance_type: instance.instance_type.clone(),
        vcpus: kind.map_or(1, |kind| kind.vcpus),
        memory_mib: kind.map_or(1024, |kind| kind.memory_mib),
        image_id: instance.image_id.clone(),
        region: host.region.clone(),
        zone: instance.zone.clone(),
        zone_id: catalog::region(&host.region).and_then(|region| {
            region
                .zones()
                .into_iter()
                .find(|zone| zone.name == instance.zone)
                .map(|zone| zone.id)
        }),
        private_ip: instance.private_ip.clone(),
        public_ip: instance.public_ip(now).map(str::to_string),
        public_dns: instance.public_dns(&host.region, now),
        private_dns: instance.private_dns(&host.region),
        mac: mac_address(&instance.id),
        account_id: host.account.clone(),
        key_name: instance.key_name.clone(),
        public_key: instance.public_key.clone(),
        security_groups: groups,
        volume_gib: root_volume_gib(instance, ec2),
        booted: instance.booted(),
        now,
        secret: secret(&root_secret(world), &instance.id, "guest"),
    })
}

/// The size of the instance's root volume: the volume attached at its root device name
/// (8 GiB, as EC2 gives a Linux AMI's root, when none is found).
fn root_volume_gib(instance: &Instance, ec2: &super::ec2::RegionState) -> u32 {
    ec2.volumes
        .values()
        .find(|volume| {
            volume.attachment.as_ref().is_some_and(|attachment| {
                attachment.instance_id == instance.id
                    && attachment.device == instance.root_device_name()
            })
        })
        .map_or(8, |volume| volume.size_gib)
}

/// A locally administered MAC address, stable per instance, as EC2's `0a:…` ones are.
fn mac_address(instance: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(instance.as_bytes());
    format!(
        "0a:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
        digest[0], digest[1], digest[2], digest[3], digest[4]
    )
}

/// The instance's facts and a copy of its disk, for a command about to run.
pub fn snapshot(world: &World, host: &Host) -> Option<(Facts, Disk)> {
    let held = world.account(&host.account)?;
    let account = held.lock();
    let now = world.now_for(&host.account);
    let facts = facts(world, &account, host, now)?;
    let (instance, _) = net::instance_of(&account, host)?;
    Some((facts, instance.disk.clone()))
}

/// Writes a disk back after a command changed it, records what happened, and saves the state.
pub fn write_back(
    world: &World,
    host: &Host,
    before: &Disk,
    after: Disk,
    what: Option<What>,
    user: &str,
) {
    if *before == after && what.is_none() {
        return;
    }
    let Some(held) = world.account(&host.account) else {
        return;
    };
    let mut account = held.lock();
    let now = world.now_for(&host.account);
    if let Some(what) = what {
        account.events.record(Event {
            time: now,
            region: host.region.clone(),
            instance: host.instance.clone(),
            user: user.to_string(),
            what,
        });
    }
    if let Some(instance) = account
        .ec2
        .regions
        .get_mut(&host.region)
        .and_then(|ec2| ec2.instances.get_mut(&host.instance))
    {
        instance.disk = after;
    }
    let parts = [
        Part::Disk {
            account: &host.account,
            region: &host.region,
            instance: &host.instance,
        },
        Part::Account(&host.account),
    ];
    if let Err(error) = world.persist(account, &parts) {
        tracing::warn!(%error, instance = %host.instance, "cannot save an instance's disk");
    }
}

/// A user logged in: the session, and what an interactive terminal shows first.
#[derive(Debug)]
pub struct Login {
    pub session: guest::Session,
    pub banner: String,
    pub prompt: String,
}

/// Logs the instance's user in, from the address `from`.
pub fn login(world: &World, host: &Host, from: &str) -> Option<Login> {
    let (facts, disk) = snapshot(world, host)?;
    let mut changed = disk.clone();
    let session = guest::Session::login_from(&facts, &mut changed, Some(from));
    let login = What::Login {
        source: from.to_string(),
    };
    write_back(world, host, &disk, changed, Some(login), session.user());
    Some(Login {
        banner: session.banner(&facts),
        prompt: session.prompt(&facts),
        session,
    })
}

/// The prompt a session shows now (after Ctrl-C dropped a question, say).
pub fn prompt(world: &World, host: &Host, session: &guest::Session) -> Option<String> {
    let (facts, _) = snapshot(world, host)?;
    Some(session.prompt(&facts))
}

/// What Tab offers at a session's prompt for the line up to the cursor.
pub fn complete(world: &World, host: &Host, session: &guest::Session, before: &str) -> Vec<String> {
    let Some((facts, mut disk)) = snapshot(world, host) else {
        return Vec::new();
    };
    let net = guest::NoNet;
    session.complete(
        before,
        &mut guest::Context {
            facts: &facts,
            disk: &mut disk,
            net: &net,
        },
    )
}

/// A command line run: the session after it, what it printed, and the next prompt.
#[derive(Debug)]
pub struct Ran {
    pub session: guest::Session,
    pub outcome: guest::Outcome,
    pub prompt: String,
    /// While a program holds the terminal: how long until it wants time to pass again.
    pub wake: Option<std::time::Duration>,
}

/// What moves a session on.
#[derive(Debug, Clone)]
pub enum Input {
    /// A line typed at the prompt.
    Line(String),
    /// Keys for the program holding the terminal.
    Keys(Vec<u8>),
    /// Time passed for the program holding the terminal.
    Tick,
}

/// Runs one command line of a login session on the instance; `None` if the guest failed
/// (a bug), which ends the session.
pub async fn run(
    world: &Arc<World>,
    host: &Host,
    session: guest::Session,
    line: String,
) -> Option<Ran> {
    drive(world, host, session, Input::Line(line)).await
}

/// Moves a session on by a line, keys or time; `None` if the guest failed (a bug).
pub async fn drive(
    world: &Arc<World>,
    host: &Host,
    mut session: guest::Session,
    input: Input,
) -> Option<Ran> {
    let world = world.clone();
    let host = host.clone();
    // The guest may wait on the network (a dropped connection times out), so it runs on
    // the blocking pool, never on the runtime's workers.
    let ran = tokio::task::spawn_blocking(move || {
        let Some((facts, disk)) = snapshot(&world, &host) else {
            return Ran {
                session,
                outcome: gone(),
                prompt: String::new(),
                wake: None,
            };
        };
        let mut changed = disk.clone();
        let user = session.user().to_string();
        // A line typed while a question or a continuation waits is part of an earlier one.
        let answered = session.pending();
        let lan = Lan {
            world: world.clone(),
            from: host.clone(),
        };
        let mut ctx = guest::Context {
            facts: &facts,
            disk: &mut changed,
            net: &lan,
        };
        let (outcome, what) = match &input {
            Input::Line(line) => {
                let outcome = session.run(line, &mut ctx);
                // Blank lines and the answers to questions are not commands worth a record.
                let typed = line.trim();
                let what = (!typed.is_empty() && !answered).then(|| What::Command {
                    line: typed.to_string(),
                    status: outcome.status,
                });
                (outcome, what)
            }
            Input::Keys(keys) => (session.input(keys, &mut ctx), None),
            Input::Tick => (session.tick(&mut ctx), None),
        };
        write_back(&world, &host, &disk, changed, what, &user);
        if let Some(power) = outcome.power {
            switch(&world, &host, power);
        }
        let prompt = session.prompt(&facts);
        let wake = session
            .due()
            .map(|due| std::time::Duration::try_from(due - facts.now).unwrap_or_default());
        Ran {
            session,
            outcome,
            prompt,
            wake,
        }
    })
    .await;
    ran.ok()
}

/// Carries out `sudo reboot` or `sudo poweroff` from inside: a reboot keeps the instance
/// running with a new boot time; a power-off stops it, as EC2's default shutdown behaviour
/// does. Either way its connections drop.
fn switch(world: &World, host: &Host, power: guest::Power) {
    {
        let Some(held) = world.account(&host.account) else {
            return;
        };
        let mut account = held.lock();
        let now = world.now_for(&host.account);
        let Some(ec2) = account.ec2.regions.get_mut(&host.region) else {
            return;
        };
        match power {
            guest::Power::Reboot => {
                if let Some(instance) = ec2.instances.get_mut(&host.instance) {
                    instance.rebooted = Some(now);
                }
            }
            guest::Power::PowerOff => {
                let stopped = ec2.change_state(
                    &[host.instance.as_str()],
                    Transition::Stop,
                    now,
                    &|_| false,
                    &host.region,
                );
                if let (Ok(_), Some(instance)) = (stopped, ec2.instances.get_mut(&host.instance)) {
                    instance.state_reason = Some("Client.InstanceInitiatedShutdown".into());
                }
            }
        }
        if let Err(error) = world.persist(account, &[Part::Account(&host.account)]) {
            tracing::warn!(%error, instance = %host.instance, "cannot save a power change");
        }
    }
    world.net.cut(&host.instance);
}

/// What a session sees when its instance vanished under it.
fn gone() -> guest::Outcome {
    guest::Outcome {
        output: String::new(),
        status: 255,
        exit: true,
        power: None,
    }
}

/// The instance's web server, answering a request that reached port 80.
pub fn serve_web(world: &World, host: &Host, request: &HttpRequest) -> Option<HttpReply> {
    let held = world.account(&host.account)?;
    let account = held.lock();
    let facts = facts(world, &account, host, world.now_for(&host.account))?;
    let (instance, _) = net::instance_of(&account, host)?;
    guest::web(&facts, &instance.disk, request)
}

/// What answers on a port of the instance for a request from `client`: nginx on port 80, a
/// guest program's listener (`python3 -m http.server`) on its port; `None` when nothing
/// listens there.
pub fn serve_port(
    world: &World,
    host: &Host,
    port: u16,
    request: &HttpRequest,
    client: &str,
) -> Option<HttpReply> {
    if port == 80 && world.net.listener(&host.instance, port).is_none() {
        return serve_web(world, host, request);
    }
    let listener = world.net.listener(&host.instance, port)?;
    let (reply, line) = {
        let held = world.account(&host.account)?;
        let account = held.lock();
        let facts = facts(world, &account, host, world.now_for(&host.account))?;
        let (instance, _) = net::instance_of(&account, host)?;
        guest::http_server(&facts, &instance.disk, &listener, request, client)
    };
    world.net.log(&host.instance, port, line);
    Some(reply)
}

/// The network as an instance sees it: other instances' ports, through their groups.
#[derive(Debug)]
struct Lan {
    world: Arc<World>,
    from: Host,
}

impl Lan {
    /// The address the instance's traffic leaves from, its public one.
    fn address(&self) -> String {
        public_address(&self.world, &self.from)
            .map_or_else(|| "0.0.0.0".to_string(), |address| address.to_string())
    }
}

impl guest::Net for Lan {
    fn http(&self, request: &HttpRequest) -> Result<HttpReply, NetError> {
        let (target, reach, timeout) = {
            let world = &*self.world;
            let target = net::resolve(world, &request.host).ok_or(NetError::Unresolved)?;
            // Traffic between instances leaves through the source's public address.
            let source = public_address(world, &self.from).unwrap_or(Ipv4Addr::UNSPECIFIED);
            let destination = public_address(world, &target).unwrap_or(Ipv4Addr::UNSPECIFIED);
            // The connection must leave through the source's groups, then enter the target's.
            let reach = match net::leaves(world, &self.from, request.port, destination) {
                Reach::Admitted => net::reach(world, &target, request.port, source),
                Reach::Dropped => Reach::Dropped,
            };
            (target, reach, world.net.drop_timeout())
        };
        // The guest makes the learner wait, where a terminal can wait and Ctrl-C end it.
        if reach == Reach::Dropped {
            return Err(NetError::TimedOut {
                after_ms: u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX),
            });
        }
        let client = self.address();
        serve_port(&self.world, &target, request.port, request, &client).ok_or(NetError::Refused)
    }

    fn listen(&self, listener: &guest::Listener) -> Result<(), NetError> {
        if self.world.net.listen(&self.from.instance, listener) {
            Ok(())
        } else {
            Err(NetError::Refused)
        }
    }

    fn served(&self, port: u16) -> Vec<String> {
        self.world.net.take_log(&self.from.instance, port)
    }

    fn unlisten(&self, port: u16) {
        self.world.net.unlisten(&self.from.instance, port);
    }

    fn ping(&self, host: &str) -> Result<Echo, NetError> {
        let world = &*self.world;
        let target = net::resolve(world, host).ok_or(NetError::Unresolved)?;
        let address = public_address(world, &target)
            .ok_or(NetError::Unresolved)?
            .to_string();
        let source = public_address(world, &self.from).unwrap_or(Ipv4Addr::UNSPECIFIED);
        let destination = address.parse::<Ipv4Addr>().unwrap_or(Ipv4Addr::UNSPECIFIED);
        let answered = net::leaves_echo(world, &self.from, destination) == Reach::Admitted
            && net::echo(world, &target, source) == Reach::Admitted;
        Ok(Echo { address, answered })
    }
}

/// The public address of the instance a host names, while it has one in its account's time.
fn public_address(world: &World, host: &Host) -> Option<Ipv4Addr> {
    let now = world.now_for(&host.account);
    net::with_instance(world, host, |instance, _| {
        instance.public_ip(now)?.parse::<Ipv4Addr>().ok()
    })?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_keys_are_stable_per_instance_and_differ_between_instances() {
        let world = World::in_memory();
        let state = root_secret(&world);
        let first = host_key(&state, "i-0123");
        assert_eq!(
            first.public_key().to_openssh().expect("openssh"),
            host_key(&state, "i-0123")
                .public_key()
                .to_openssh()
                .expect("openssh")
        );
        assert_ne!(
            first.public_key().key_data(),
            host_key(&state, "i-0456").public_key().key_data()
        );
    }

    #[test]
    fn mac_addresses_look_like_ec2_ones() {
        let mac = mac_address("i-0123");
        assert!(mac.starts_with("0a:"));
        assert_eq!(mac.len(), 17);
    }
}
