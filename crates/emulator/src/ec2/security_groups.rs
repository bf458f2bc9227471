//! Security groups: a guest list of inbound (and outbound) rules per group.
//!
//! Rules are kept one by one, each with its own `sgr-` id, which is how AWS stores them;
//! the grouped `IpPermissions` view of DescribeSecurityGroups is derived from them.

use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

use super::super::error::AwsError;
use super::super::ids;
use super::filter::{Column, Filterable};
use super::{RegionState, Tags};

/// A security group.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SecurityGroup {
    pub id: String,
    pub name: String,
    pub description: String,
    pub vpc_id: String,
    pub owner: String,
    pub rules: Vec<Rule>,
    #[serde(default)]
    pub tags: Tags,
}

/// One rule: traffic of a protocol and port range, from (or to) a peer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub id: String,
    pub egress: bool,
    /// `tcp`, `udp`, `icmp`, `-1` (all traffic) or a protocol number.
    pub protocol: String,
    /// Absent for all-traffic rules.
    pub from_port: Option<i32>,
    pub to_port: Option<i32>,
    pub peer: Peer,
    #[serde(default)]
    pub description: Option<String>,
}

/// Whom a rule admits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Peer {
    Ipv4(String),
    Ipv6(String),
    /// Members of another security group (or of this one).
    Group {
        id: String,
        owner: String,
    },
}

/// A rule as a request states it, before it has an id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSpec {
    pub protocol: String,
    pub from_port: Option<i32>,
    pub to_port: Option<i32>,
    pub peer: Peer,
    pub description: Option<String>,
}

impl SecurityGroup {
    /// The `default` group of a VPC: members may talk to each other, everything may go out.
    pub fn default_for(vpc_id: &str, owner: &str) -> SecurityGroup {
        let id = ids::resource("sg");
        let rules = vec![
            Rule {
                id: ids::resource("sgr"),
                egress: false,
                protocol: "-1".into(),
                from_port: None,
                to_port: None,
                peer: Peer::Group {
                    id: id.clone(),
                    owner: owner.to_string(),
                },
                description: None,
            },
            all_outbound(),
        ];
        SecurityGroup {
            id,
            name: "default".into(),
            description: "default VPC security group".into(),
            vpc_id: vpc_id.to_string(),
            owner: owner.to_string(),
            rules,
            tags: Tags::new(),
        }
    }

    /// Whether an inbound TCP connection to `port` from `source` is admitted, given the groups
    /// the source instance belongs to (empty for traffic from outside the VPC).
    pub fn admits_tcp(&self, port: u16, source: Ipv4Addr, source_groups: &[String]) -> bool {
        self.allows_tcp(Direction::Inbound, port, source, source_groups)
    }

    /// Whether an inbound ICMP echo request (`ping`) from `source` is admitted.
    pub fn admits_echo(&self, source: Ipv4Addr, source_groups: &[String]) -> bool {
        self.allows_echo(Direction::Inbound, source, source_groups)
    }

    /// Whether a member may open a TCP connection to `port` of `destination`. Only the
    /// opening of a connection is asked: groups are stateful, so the replies to a connection
    /// either side admitted always pass.
    pub fn lets_out_tcp(&self, port: u16, destination: Ipv4Addr) -> bool {
        self.allows_tcp(Direction::Outbound, port, destination, &[])
    }

    /// Whether a member may send an ICMP echo request to `destination`.
    pub fn lets_out_echo(&self, destination: Ipv4Addr) -> bool {
        self.allows_echo(Direction::Outbound, destination, &[])
    }

    /// Whether a rule of `direction` allows TCP to `port`, with `peer` (and its groups) on the
    /// other side.
    fn allows_tcp(
        &self,
        direction: Direction,
        port: u16,
        peer: Ipv4Addr,
        peer_groups: &[String],
    ) -> bool {
        self.rules_of(direction).any(|rule| {
            let protocol = rule.protocol == "-1" || rule.protocol == "tcp";
            let ports = match (rule.from_port, rule.to_port) {
                (Some(from), Some(to)) => (from..=to).contains(&i32::from(port)),
                _ => true,
            };
            protocol && ports && rule.names(peer, peer_groups)
        })
    }

    /// A rule for all traffic, or for ICMP of all types or of type 8, echo.
    fn allows_echo(&self, direction: Direction, peer: Ipv4Addr, peer_groups: &[String]) -> bool {
        self.rules_of(direction).any(|rule| {
            let protocol = rule.protocol == "-1" || rule.protocol == "icmp";
            let kind = matches!(rule.from_port, None | Some(-1) | Some(8));
            protocol && kind && rule.names(peer, peer_groups)
        })
    }

    fn rules_of(&self, direction: Direction) -> impl Iterator<Item = &Rule> {
        let egress = direction == Direction::Outbound;
        self.rules.iter().filter(move |rule| rule.egress == egress)
    }
}

/// Which way a rule lets traffic through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Inbound,
    Outbound,
}

impl Rule {
    /// Whether the rule's peer is `address`, or a group among `groups`.
    fn names(&self, address: Ipv4Addr, groups: &[String]) -> bool {
        match &self.peer {
            Peer::Ipv4(cidr) => cidr_contains(cidr, address),
            Peer::Ipv6(_) => false,
            Peer::Group { id, .. } => groups.contains(id),
        }
    }
}

fn all_outbound() -> Rule {
    Rule {
        id: ids::resource("sgr"),
        egress: true,
        protocol: "-1".into(),
        from_port: None,
        to_port: None,
        peer: Peer::Ipv4("0.0.0.0/0".into()),
        description: None,
    }
}

/// Whether an IPv4 CIDR block contains an address.
pub fn cidr_contains(cidr: &str, address: Ipv4Addr) -> bool {
    let Some((base, prefix)) = parse_cidr(cidr) else {
        return false;
    };
    let mask = if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - prefix)
    };
    u32::from(base) & mask == u32::from(address) & mask
}

fn parse_cidr(cidr: &str) -> Option<(Ipv4Addr, u32)> {
    let (address, prefix) = cidr.split_once('/')?;
    let prefix: u32 = prefix.parse().ok()?;
    (prefix <= 32).then_some(())?;
    Some((address.parse().ok()?, prefix))
}

/// Checks and normalises a rule as AWS does (`6` is `tcp`, ports required for TCP and UDP).
pub fn normalise(spec: RuleSpec) -> Result<RuleSpec, AwsError> {
    let protocol = match spec.protocol.to_ascii_lowercase().as_str() {
        "tcp" | "6" => "tcp".to_string(),
        "udp" | "17" => "udp".to_string(),
        "icmp" | "1" => "icmp".to_string(),
        "icmpv6" | "58" => "icmpv6".to_string(),
        "-1" | "all" => "-1".to_string(),
        other => match other.parse::<u8>() {
            Ok(number) => number.to_string(),
            Err(_) => {
                return Err(AwsError::client(
                    "InvalidParameterValue",
                    format!(
                        "Invalid value '{}' for IP protocol. Unknown protocol.",
                        spec.protocol
                    ),
                ));
            }
        },
    };
    let (from_port, to_port) = match protocol.as_str() {
        "tcp" | "udp" => {
            let (Some(from), Some(to)) = (spec.from_port, spec.to_port) else {
                return Err(AwsError::client(
                    "InvalidParameterValue",
                    format!(
                        "Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange. Protocol {protocol}"
                    ),
                ));
            };
            if !(0..=65535).contains(&from) || !(0..=65535).contains(&to) || from > to {
                return Err(AwsError::client(
                    "InvalidParameterValue",
                    format!(
                        "Invalid port range: {from}-{to}. Ports are 0 to 65535, from not above to."
                    ),
                ));
            }
            (Some(from), Some(to))
        }
        "icmp" | "icmpv6" => (
            Some(spec.from_port.unwrap_or(-1)),
            Some(spec.to_port.unwrap_or(-1)),
        ),
        _ => (None, None),
    };
    match &spec.peer {
        Peer::Ipv4(cidr) if parse_cidr(cidr).is_none() => {
            return Err(AwsError::client(
                "InvalidParameterValue",
                format!("CIDR block {cidr} is malformed"),
            ));
        }
        Peer::Ipv6(cidr) if !cidr.contains(':') || !cidr.contains('/') => {
            return Err(AwsError::client(
                "InvalidParameterValue",
                format!("CIDR block {cidr} is malformed"),
            ));
        }
        _ => {}
    }
    Ok(RuleSpec {
        protocol,
        from_port,
        to_port,
        ..spec
    })
}

impl RegionState {
    /// A group by id, or by name within the default VPC.
    pub fn find_group(
        &self,
        id: Option<&str>,
        name: Option<&str>,
    ) -> Result<&SecurityGroup, AwsError> {
        let id = self.resolve_group(id, name)?;
        self.security_groups
            .get(&id)
            .ok_or_else(|| group_not_found(&id))
    }

    /// The id of a group named by id or name.
    pub fn resolve_group(&self, id: Option<&str>, name: Option<&str>) -> Result<String, AwsError> {
        match (id, name) {
            (Some(id), _) => {
                if !id.starts_with("sg-") {
                    return Err(AwsError::client(
                        "InvalidGroupId.Malformed",
                        format!("Invalid id: \"{id}\""),
                    ));
                }
                if self.security_groups.contains_key(id) {
                    Ok(id.to_string())
                } else {
                    Err(group_not_found(id))
                }
            }
            (None, Some(name)) => {
                let vpc = self
                    .default_vpc()
                    .map(|vpc| vpc.id.clone())
                    .unwrap_or_default();
                self.security_groups
                    .values()
                    .find(|group| group.name == name && group.vpc_id == vpc)
                    .map(|group| group.id.clone())
                    .ok_or_else(|| {
                        AwsError::client(
                            "InvalidGroup.NotFound",
                            format!(
                                "The security group '{name}' does not exist in default VPC '{vpc}'"
                            ),
                        )
                    })
            }
            (None, None) => Err(AwsError::missing_parameter("GroupId")),
        }
    }

    pub fn create_group(
        &mut self,
        name: &str,
        description: &str,
        vpc_id: Option<&str>,
        owner: &str,
        tags: Tags,
    ) -> Result<String, AwsError> {
        if name.is_empty() || name.len() > 255 {
            return Err(AwsError::invalid_parameter_value(
                "Group name must be 1 to 255 characters",
            ));
        }
        if name.starts_with("sg-") {
            return Err(AwsError::invalid_parameter_value(format!(
                "Group names may not be in the format sg-*: {name}"
            )));
        }
        if name == "default" {
            return Err(AwsError::client(
                "InvalidGroup.Reserved",
                "The security group 'default' is reserved",
            ));
        }
        let vpc_id = match vpc_id {
            Some(id) if self.vpcs.contains_key(id) => id.to_string(),
            Some(id) => {
                return Err(AwsError::client(
                    "InvalidVpcID.NotFound",
                    format!("The vpc ID '{id}' does not exist"),
                ));
            }
            None => self
                .default_vpc()
                .map(|vpc| vpc.id.clone())
                .ok_or_else(|| {
                    AwsError::client("VPCIdNotSpecified", "No default VPC for this user")
                })?,
        };
        if self
            .security_groups
            .values()
            .any(|g| g.name.eq_ignore_ascii_case(name) && g.vpc_id == vpc_id)
        {
            return Err(AwsError::client(
                "InvalidGroup.Duplicate",
                format!("The security group '{name}' already exists for VPC '{vpc_id}'"),
            ));
        }
        let id = ids::resource("sg");
        self.security_groups.insert(
            id.clone(),
            SecurityGroup {
                id: id.clone(),
                name: name.to_string(),
                description: description.to_string(),
                vpc_id,
                owner: owner.to_string(),
                rules: vec![all_outbound()],
                tags,
            },
        );
        Ok(id)
    }

    pub fn delete_group(&mut self, id: &str) -> Result<(), AwsError> {
        let group = self
            .security_groups
            .get(id)
            .ok_or_else(|| group_not_found(id))?;
        if group.name == "default" {
            return Err(AwsError::client(
                "CannotDelete",
                format!(
                    "the specified group: \"{id}\" name: \"default\" cannot be deleted by a user"
                ),
            ));
        }
        let in_use = self.instances.values().any(|instance| {
            !instance.is_terminated() && instance.security_groups.iter().any(|g| g == id)
        });
        let referenced = self.security_groups.values().any(|other| {
            other.id != id
                && other
                    .rules
                    .iter()
                    .any(|rule| matches!(&rule.peer, Peer::Group { id: peer, .. } if peer == id))
        });
        if in_use || referenced {
            return Err(AwsError::client(
                "DependencyViolation",
                format!("resource {id} has a dependent object"),
            ));
        }
        self.security_groups.remove(id);
        Ok(())
    }

    /// Adds rules; none is added if any is invalid or already there.
    pub fn authorize(
        &mut self,
        id: &str,
        egress: bool,
        specs: Vec<RuleSpec>,
    ) -> Result<Vec<Rule>, AwsError> {
        if specs.is_empty() {
            return Err(AwsError::missing_parameter("IpPermissions"));
        }
        let mut specs = specs
            .into_iter()
            .map(normalise)
            .collect::<Result<Vec<_>, _>>()?;
        for spec in &mut specs {
            if let Peer::Group { id: peer, owner } = &mut spec.peer {
                let group = self
                    .security_groups
                    .get(peer.as_str())
                    .ok_or_else(|| group_not_found(peer))?;
                *owner = group.owner.clone();
            }
        }
        let group = self
            .security_groups
            .get_mut(id)
            .ok_or_else(|| group_not_found(id))?;
        for (index, spec) in specs.iter().enumerate() {
            let duplicate = group
                .rules
                .iter()
                .any(|rule| rule.egress == egress && same(rule, spec))
                || specs[..index].iter().any(|earlier| earlier == spec);
            if duplicate {
                return Err(AwsError::client(
                    "InvalidPermission.Duplicate",
                    format!("the specified rule \"{}\" already exists", describe(spec)),
                ));
            }
        }
        let added: Vec<Rule> = specs
            .into_iter()
            .map(|spec| Rule {
                id: ids::resource("sgr"),
                egress,
                protocol: spec.protocol,
                from_port: spec.from_port,
                to_port: spec.to_port,
                peer: spec.peer,
                description: spec.description,
            })
            .collect();
        group.rules.extend(added.iter().cloned());
        Ok(added)
    }

    /// Removes rules given as specs or by id; every one must exist.
    pub fn revoke(
        &mut self,
        id: &str,
        egress: bool,
        specs: Vec<RuleSpec>,
        rule_ids: &[&str],
    ) -> Result<(), AwsError> {
        let specs = specs
            .into_iter()
            .map(normalise)
            .collect::<Result<Vec<_>, _>>()?;
        let group = self
            .security_groups
            .get_mut(id)
            .ok_or_else(|| group_not_found(id))?;
        let mut remove = Vec::new();
        for spec in &specs {
            let found = group
                .rules
                .iter()
                .find(|rule| rule.egress == egress && same(rule, spec));
            match found {
                Some(rule) => remove.push(rule.id.clone()),
                None => {
                    return Err(AwsError::client(
                        "InvalidPermission.NotFound",
                        "The specified rule does not exist in this security group.",
                    ));
                }
            }
        }
        for rule_id in rule_ids {
            match group
                .rules
                .iter()
                .find(|rule| rule.id == *rule_id && rule.egress == egress)
            {
                Some(rule) => remove.push(rule.id.clone()),
                None => {
                    return Err(AwsError::client(
                        "InvalidSecurityGroupRuleId.NotFound",
                        format!("The security group rule ID '{rule_id}' does not exist"),
                    ));
                }
            }
        }
        if remove.is_empty() {
            return Err(AwsError::missing_parameter("IpPermissions"));
        }
        group.rules.retain(|rule| !remove.contains(&rule.id));
        Ok(())
    }
}

fn same(rule: &Rule, spec: &RuleSpec) -> bool {
    rule.protocol == spec.protocol
        && rule.from_port == spec.from_port
        && rule.to_port == spec.to_port
        && peer_eq(&rule.peer, &spec.peer)
}

fn peer_eq(a: &Peer, b: &Peer) -> bool {
    match (a, b) {
        (Peer::Group { id: x, .. }, Peer::Group { id: y, .. }) => x == y,
        _ => a == b,
    }
}

fn describe(spec: &RuleSpec) -> String {
    let peer = match &spec.peer {
        Peer::Ipv4(cidr) | Peer::Ipv6(cidr) => cidr.clone(),
        Peer::Group { id, .. } => id.clone(),
    };
    let ports = match (spec.from_port, spec.to_port) {
        (Some(from), Some(to)) => format!(", from port: {from}, to port: {to}"),
        _ => String::new(),
    };
    format!(
        "peer: {peer}, {}{ports}, ALLOW",
        spec.protocol.to_uppercase()
    )
}

fn group_not_found(id: &str) -> AwsError {
    AwsError::client(
        "InvalidGroup.NotFound",
        format!("The security group '{id}' does not exist"),
    )
}

/// A group's rules of one direction: inbound ones for the `ip-permission.*` filters, outbound
/// ones for `egress.ip-permission.*`.
fn rules<const EGRESS: bool>(group: &SecurityGroup) -> impl Iterator<Item = &Rule> {
    group.rules.iter().filter(|rule| rule.egress == EGRESS)
}

fn protocols<const EGRESS: bool>(group: &SecurityGroup) -> Vec<String> {
    rules::<EGRESS>(group).map(|r| r.protocol.clone()).collect()
}

fn from_ports<const EGRESS: bool>(group: &SecurityGroup) -> Vec<String> {
    rules::<EGRESS>(group)
        .filter_map(|r| r.from_port.map(|p| p.to_string()))
        .collect()
}

fn to_ports<const EGRESS: bool>(group: &SecurityGroup) -> Vec<String> {
    rules::<EGRESS>(group)
        .filter_map(|r| r.to_port.map(|p| p.to_string()))
        .collect()
}

/// The peers of one kind, read by `peer`.
fn peers<const EGRESS: bool>(
    group: &SecurityGroup,
    peer: impl Fn(&Peer) -> Option<&String>,
) -> Vec<String> {
    rules::<EGRESS>(group)
        .filter_map(|r| peer(&r.peer).cloned())
        .collect()
}

fn cidrs<const EGRESS: bool>(group: &SecurityGroup) -> Vec<String> {
    peers::<EGRESS>(group, |peer| match peer {
        Peer::Ipv4(cidr) => Some(cidr),
        _ => None,
    })
}

fn ipv6_cidrs<const EGRESS: bool>(group: &SecurityGroup) -> Vec<String> {
    peers::<EGRESS>(group, |peer| match peer {
        Peer::Ipv6(cidr) => Some(cidr),
        _ => None,
    })
}

fn peer_groups<const EGRESS: bool>(group: &SecurityGroup) -> Vec<String> {
    peers::<EGRESS>(group, |peer| match peer {
        Peer::Group { id, .. } => Some(id),
        _ => None,
    })
}

/// The accounts of the groups the rules name (`UserIdGroupPairs`' `UserId`).
fn peer_owners<const EGRESS: bool>(group: &SecurityGroup) -> Vec<String> {
    peers::<EGRESS>(group, |peer| match peer {
        Peer::Group { owner, .. } => Some(owner),
        _ => None,
    })
}

/// DescribeSecurityGroups' filters.
pub(super) const FILTERS: &[Column<SecurityGroup>] = &[
    Column {
        names: &["group-id"],
        values: |group| vec![group.id.clone()],
    },
    Column {
        names: &["group-name"],
        values: |group| vec![group.name.clone()],
    },
    Column {
        names: &["description"],
        values: |group| vec![group.description.clone()],
    },
    Column {
        names: &["vpc-id"],
        values: |group| vec![group.vpc_id.clone()],
    },
    Column {
        names: &["owner-id"],
        values: |group| vec![group.owner.clone()],
    },
    Column {
        names: &["ip-permission.protocol"],
        values: protocols::<false>,
    },
    Column {
        names: &["ip-permission.from-port"],
        values: from_ports::<false>,
    },
    Column {
        names: &["ip-permission.to-port"],
        values: to_ports::<false>,
    },
    Column {
        names: &["ip-permission.cidr"],
        values: cidrs::<false>,
    },
    Column {
        names: &["ip-permission.ipv6-cidr"],
        values: ipv6_cidrs::<false>,
    },
    Column {
        names: &["ip-permission.group-id"],
        values: peer_groups::<false>,
    },
    Column {
        names: &["ip-permission.user-id"],
        values: peer_owners::<false>,
    },
    Column {
        names: &["egress.ip-permission.protocol"],
        values: protocols::<true>,
    },
    Column {
        names: &["egress.ip-permission.from-port"],
        values: from_ports::<true>,
    },
    Column {
        names: &["egress.ip-permission.to-port"],
        values: to_ports::<true>,
    },
    Column {
        names: &["egress.ip-permission.cidr"],
        values: cidrs::<true>,
    },
    Column {
        names: &["egress.ip-permission.ipv6-cidr"],
        values: ipv6_cidrs::<true>,
    },
    Column {
        names: &["egress.ip-permission.group-id"],
        values: peer_groups::<true>,
    },
    Column {
        names: &["egress.ip-permission.user-id"],
        values: peer_owners::<true>,
    },
];

impl Filterable for SecurityGroup {
    fn columns<'s>() -> &'s [Column<Self>]
    where
        Self: 's,
    {
        FILTERS
    }

    const TAGGED: bool = true;

    /// Rules here name no prefix lists, and a group pair shows the group's id and account,
    /// not its name (as AWS shows it for groups in a VPC).
    const ABSENT: &'static [&'static str] = &[
        "ip-permission.prefix-list-id",
        "ip-permission.group-name",
        "egress.ip-permission.prefix-list-id",
        "egress.ip-permission.group-name",
    ];

    fn tags(&self) -> &Tags {
        &self.tags
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tcp(port: i32, cidr: &str) -> RuleSpec {
        RuleSpec {
            protocol: "6".into(),
            from_port: Some(port),
            to_port: Some(port),
            peer: Peer::Ipv4(cidr.into()),
            description: None,
        }
    }

    #[test]
    fn cidr_membership() {
        let me = Ipv4Addr::new(203, 0, 113, 7);
        assert!(cidr_contains("203.0.113.7/32", me));
        assert!(cidr_contains("203.0.113.0/24", me));
        assert!(cidr_contains("0.0.0.0/0", me));
        assert!(!cidr_contains("203.0.113.8/32", me));
        assert!(!cidr_contains("garbage", me));
    }

    #[test]
    fn rules_admit_exactly_what_they_say() {
        let mut group = SecurityGroup::default_for("vpc-1", "123456789012");
        group.rules = vec![];
        let mut state = RegionState::default();
        state
            .security_groups
            .insert(group.id.clone(), group.clone());
        state
            .authorize(
                &group.id,
                false,
                vec![tcp(22, "203.0.113.7/32"), tcp(80, "0.0.0.0/0")],
            )
            .expect("authorize");
        let group = &state.security_groups[&group.id];
        let me = Ipv4Addr::new(203, 0, 113, 7);
        let stranger = Ipv4Addr::new(198, 51, 100, 1);
        assert!(group.admits_tcp(22, me, &[]));
        assert!(!group.admits_tcp(22, stranger, &[]));
        assert!(group.admits_tcp(80, stranger, &[]));
        assert!(!group.admits_tcp(443, me, &[]));
    }

    #[test]
    fn duplicates_and_bad_rules_are_refused_whole() {
        let group = SecurityGroup::default_for("vpc-1", "123456789012");
        let id = group.id.clone();
        let mut state = RegionState::default();
        state.security_groups.insert(id.clone(), group);
        state
            .authorize(&id, false, vec![tcp(22, "10.0.0.0/8")])
            .expect("first");
        let error = state
            .authorize(
                &id,
                false,
                vec![tcp(80, "0.0.0.0/0"), tcp(22, "10.0.0.0/8")],
            )
            .expect_err("dup");
        assert_eq!(error.code, "InvalidPermission.Duplicate");
        assert_eq!(
            state.security_groups[&id].rules.len(),
            3,
            "nothing was added"
        );
        let error = state
            .authorize(&id, false, vec![tcp(22, "10.0.0.0/33")])
            .expect_err("cidr");
        assert_eq!(error.code, "InvalidParameterValue");
        let error = state
            .authorize(
                &id,
                false,
                vec![RuleSpec {
                    protocol: "tcp".into(),
                    from_port: Some(30),
                    to_port: Some(20),
                    ..tcp(0, "1.2.3.4/32")
                }],
            )
            .expect_err("ports");
        assert_eq!(error.code, "InvalidParameterValue");
        state
            .revoke(&id, false, vec![tcp(22, "10.0.0.0/8")], &[])
            .expect("revoke");
        let error = state
            .revoke(&id, false, vec![tcp(22, "10.0.0.0/8")], &[])
            .expect_err("gone");
        assert_eq!(error.code, "InvalidPermission.NotFound");
    }
}
