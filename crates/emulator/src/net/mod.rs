//! The emulated network between learners and their instances.
//!
//! Every running Linux instance answers SSH on port 22 and, once a web server runs on it,
//! HTTP on port 80, at its public DNS name and address. Nothing listens on those addresses
//! for real: clients reach them through the emulator's endpoint (see [`dial`]), which looks
//! the instance up, asks its security groups whether the connection is admitted, and then
//! hands the stream to the instance's SSH server or web server.
//!
//! - [`dial`]: the client side, for the shell and `cloudlings connect`;
//! - this module: who the source of a connection is, which instance a name means, and whether
//!   its groups admit a connection.
//!
//! It reads the world and is read by the instances' servers. The endpoint's side, which hands
//! admitted streams to those servers, is [`crate::gateway`], above them; the network's live
//! part, which the world itself holds, is [`crate::network`], below the world.

pub mod dial;
pub mod openssh;

use std::net::{IpAddr, Ipv4Addr};

use super::ec2::instances::{Instance, Phase};
use super::ec2::security_groups::SecurityGroup;
use super::state::{Account, Shared, World};
use cloudlings_core::catalog;

/// The learner's public address, as a checkip service would show it: a stable address in
/// TEST-NET-3 (203.0.113.0/24), chosen by the installation so classmates differ.
pub fn learner_address(state: &Shared) -> Ipv4Addr {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(state.root_key.as_bytes());
    // 1..=254: neither the network nor the broadcast address.
    Ipv4Addr::new(203, 0, 113, 1 + digest[0] % 254)
}

/// The public address a connection comes from: this machine's connections come from the
/// learner's address; another machine's (a classroom's) from its own.
pub fn source_of(peer: IpAddr, learner: Ipv4Addr) -> Ipv4Addr {
    match peer {
        IpAddr::V4(address) if !address.is_loopback() => address,
        IpAddr::V6(address) if !address.is_loopback() => {
            address.to_ipv4_mapped().unwrap_or(learner)
        }
        _ => learner,
    }
}

/// An instance found by a name or address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host {
    pub account: String,
    pub region: String,
    pub instance: String,
}

/// The instance a host name or address means: its public IPv4 address or its public DNS
/// name (`ec2-3-35-1-2.ap-northeast-2.compute.amazonaws.com`), while it has one, in the time
/// of the account that owns it.
pub fn resolve(world: &World, name: &str) -> Option<Host> {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let address = address_in(&name)?;
    world.find_in_accounts(|account| {
        let now = world.now_for(&account.id);
        account.ec2.regions.iter().find_map(|(region, ec2)| {
            ec2.instances
                .values()
                .find(|instance| instance.public_ip(now) == Some(address.as_str()))
                .filter(|instance| name == address || name == instance.public_dns(region, now))
                .map(|instance| Host {
                    account: account.id.clone(),
                    region: region.clone(),
                    instance: instance.id.clone(),
                })
        })
    })
}

/// The IPv4 address a name stands for: itself, or the one an EC2 public DNS name spells.
fn address_in(name: &str) -> Option<String> {
    if name.parse::<Ipv4Addr>().is_ok() {
        return Some(name.to_string());
    }
    let label = name.strip_prefix("ec2-")?.split('.').next()?;
    let address = label.replace('-', ".");
    address.parse::<Ipv4Addr>().ok()?;
    Some(address)
}

/// What a connection to an instance meets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Let through to the port.
    Admitted,
    /// Dropped by the security groups, or the instance is not up: the client times out.
    Dropped,
}

/// Whether a TCP connection from `source` to `port` of `host` gets through: the instance
/// must be running and one of its groups must have an ingress rule that admits it.
pub fn reach(world: &World, host: &Host, port: u16, source: Ipv4Addr) -> Reach {
    through_groups(world, host, |group| group.admits_tcp(port, source, &[]))
}

/// Whether an ICMP echo request from `source` reaches `host` and is answered: the instance
/// must be running and one of its groups must admit ICMP echo.
pub fn echo(world: &World, host: &Host, source: Ipv4Addr) -> Reach {
    through_groups(world, host, |group| group.admits_echo(source, &[]))
}

/// Whether the instance `from` may open a TCP connection to `port` of `destination`: one of
/// its groups must have an outbound rule that lets it out. Replies need no rule (groups are
/// stateful), so only connections an instance opens itself are asked about.
pub fn leaves(world: &World, from: &Host, port: u16, destination: Ipv4Addr) -> Reach {
    out_through_groups(world, from, |group| group.lets_out_tcp(port, destination))
}

/// Whether the instance `from` may send an ICMP echo request to `destination`.
pub fn leaves_echo(world: &World, from: &Host, destination: Ipv4Addr) -> Reach {
    out_through_groups(world, from, |group| group.lets_out_echo(destination))
}

fn out_through_groups(
    world: &World,
    from: &Host,
    lets_out: impl Fn(&SecurityGroup) -> bool,
) -> Reach {
    let allowed = with_instance(world, from, |instance, ec2| {
        instance
            .security_groups
            .iter()
            .any(|id| ec2.security_groups.get(id).is_some_and(&lets_out))
    });
    if allowed == Some(true) {
        Reach::Admitted
    } else {
        Reach::Dropped
    }
}

/// Admitted when `host` is a running instance (in its account's time) and one of its groups
/// `admits` the packet.
fn through_groups(world: &World, host: &Host, admits: impl Fn(&SecurityGroup) -> bool) -> Reach {
    let now = world.now_for(&host.account);
    let admitted = with_instance(world, host, |instance, ec2| {
        instance.phase(now) == Phase::Running
            && instance
                .security_groups
                .iter()
                .any(|id| ec2.security_groups.get(id).is_some_and(&admits))
    });
    if admitted == Some(true) {
        Reach::Admitted
    } else {
        Reach::Dropped
    }
}

/// The instance a host names in its account (which the caller holds), with its region's
/// state.
pub fn instance_of<'a>(
    account: &'a Account,
    host: &Host,
) -> Option<(&'a Instance, &'a super::ec2::RegionState)> {
    let ec2 = account.ec2.regions.get(&host.region)?;
    Some((ec2.instances.get(&host.instance)?, ec2))
}

/// What `f` makes of the instance a host names, with its account locked meanwhile.
pub fn with_instance<T>(
    world: &World,
    host: &Host,
    f: impl FnOnce(&Instance, &super::ec2::RegionState) -> T,
) -> Option<T> {
    let account = world.account(&host.account)?;
    let account = account.lock();
    let (instance, ec2) = instance_of(&account, host)?;
    Some(f(instance, ec2))
}

/// The region's catalog entry, for names the guest needs.
pub fn region_of(host: &Host) -> Option<&'static catalog::Region> {
    catalog::region(&host.region)
}

/// Whether `name` is S3's public name for a bucket of any account (bucket names are global).
pub fn is_bucket(state: &Shared, name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    crate::s3::public_bucket(&name).is_some_and(|bucket| state.s3.buckets.contains_key(bucket))
}

/// Whether `name` is the domain name of a distribution (of any account, as CloudFront's names
/// are public).
pub fn is_distribution(world: &World, name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name.ends_with(".cloudfront.net")
        && world
            .find_in_accounts(|account| {
                account
                    .cloudfront
                    .distributions
                    .values()
                    .any(|distribution| distribution.domain_name == name)
                    .then_some(())
            })
            .is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_machine_is_the_learner_and_other_machines_are_themselves() {
        let learner = Ipv4Addr::new(203, 0, 113, 7);
        assert_eq!(
            source_of("127.0.0.1".parse().expect("ip"), learner),
            learner
        );
        assert_eq!(source_of("::1".parse().expect("ip"), learner), learner);
        assert_eq!(
            source_of("192.168.0.12".parse().expect("ip"), learner),
            Ipv4Addr::new(192, 168, 0, 12)
        );
    }

    #[test]
    fn the_learner_address_is_stable_and_in_test_net_3() {
        let state = crate::state::State::new(time::OffsetDateTime::now_utc()).shared;
        let address = learner_address(&state);
        assert_eq!(address, learner_address(&state.clone()));
        assert_eq!(address.octets()[..3], [203, 0, 113]);
        assert!((1..=254).contains(&address.octets()[3]));
    }

    #[test]
    fn names_spell_addresses() {
        assert_eq!(address_in("3.35.1.2").as_deref(), Some("3.35.1.2"));
        assert_eq!(
            address_in("ec2-3-35-1-2.ap-northeast-2.compute.amazonaws.com").as_deref(),
            Some("3.35.1.2")
        );
        assert_eq!(address_in("example.com"), None);
        assert_eq!(address_in("ec2-3-35-1.x"), None);
    }
}
