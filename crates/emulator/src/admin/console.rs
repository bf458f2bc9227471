//! An account as a console shows it at a glance, for a classroom's learner page: instances with
//! their state and type, security groups with their inbound rules, buckets, distributions,
//! and the bill so far, all at the account's own time.

use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;

use crate::billing;
use crate::ec2::security_groups::{Peer, Rule};
use crate::state::World;

/// The account's resources now, or `None` if there is no such account.
pub fn console(world: &World, account: &str) -> Option<Value> {
    let held = world.account(account)?;
    let now = world.now_for(account);
    let buckets: Vec<Value> = {
        let shared = world.lock();
        shared
            .s3
            .buckets
            .values()
            .filter(|bucket| bucket.owner == account)
            .map(|bucket| {
                json!({
                    "Name": bucket.name,
                    "Region": bucket.region,
                    "Objects": bucket.objects.len(),
                    "Bytes": bucket.objects.values().map(|object| object.size).sum::<u64>(),
                })
            })
            .collect()
    };
    let account = held.lock();
    let mut instances = Vec::new();
    let mut groups = Vec::new();
    for (region, state) in &account.ec2.regions {
        for instance in state.instances.values() {
            let (phase, _) = instance.state(now);
            let group_names: Vec<&str> = instance
                .security_groups
                .iter()
                .map(|id| {
                    state
                        .security_groups
                        .get(id)
                        .map_or(id.as_str(), |group| group.name.as_str())
                })
                .collect();
            instances.push(json!({
                "Id": instance.id,
                "Name": instance.tags.get("Name"),
                "Type": instance.instance_type,
                "State": phase.name(),
                "PublicIp": instance.public_ip,
                "SecurityGroups": group_names,
                "Region": region,
            }));
        }
        for group in state.security_groups.values() {
            let inbound: Vec<Value> = group
                .rules
                .iter()
                .filter(|rule| !rule.egress)
                .map(rule)
                .collect();
            groups.push(json!({
                "Id": group.id,
                "Name": group.name,
                "Region": region,
                "Inbound": inbound,
            }));
        }
    }
    let distributions: Vec<Value> = account
        .cloudfront
        .distributions
        .values()
        .map(|distribution| {
            json!({
                "Id": distribution.id,
                "DomainName": distribution.domain_name,
                "Status": distribution.status(now),
                "Origin": distribution.config.text_at(&["Origins", "Items", "Origin", "DomainName"]),
            })
        })
        .collect();
    let bill = billing::bill(&account, now);
    Some(json!({
        "Account": account.id,
        "Now": now.format(&Rfc3339).unwrap_or_default(),
        "Instances": instances,
        "SecurityGroups": groups,
        "Buckets": buckets,
        "Distributions": distributions,
        "Bill": {
            "Month": billing::month_name(bill.month_start),
            "TotalCents": bill.total_cents(),
        },
    }))
}

/// An inbound rule as the console's table reads: protocol, ports, source.
fn rule(rule: &Rule) -> Value {
    let ports = match (rule.from_port, rule.to_port) {
        (Some(from), Some(to)) if from == to => from.to_string(),
        (Some(from), Some(to)) if from == -1 || to == -1 => "all".to_string(),
        (Some(from), Some(to)) => format!("{from}-{to}"),
        _ => "all".to_string(),
    };
    let source = match &rule.peer {
        Peer::Ipv4(cidr) | Peer::Ipv6(cidr) => cidr.clone(),
        Peer::Group { id, .. } => id.clone(),
    };
    json!({
        "Protocol": if rule.protocol == "-1" { "all" } else { rule.protocol.as_str() },
        "Ports": ports,
        "Source": source,
    })
}
