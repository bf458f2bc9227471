//! The state file of earlier versions, `state.json`: the whole state in one JSON document,
//! rewritten at every change, with each instance's disk inside its instance. Read once, on
//! the first start of this version, and kept beside the database as `state.json.migrated`.

use std::path::Path;

use anyhow::Context as _;
use serde_json::Value;

use crate::state::State;

/// The earlier state file's name.
pub const FILE_NAME: &str = "state.json";

/// Reads an earlier state file, disks included.
pub fn read(path: &Path) -> anyhow::Result<State> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    parse(&bytes).with_context(|| format!("cannot parse {}", path.display()))
}

/// The state in an earlier file's bytes. Disks are no longer part of an instance's record, so
/// they are taken out of the document first and put back once it is read.
pub fn parse(bytes: &[u8]) -> anyhow::Result<State> {
    let mut document: Value = serde_json::from_slice(bytes)?;
    let mut disks = Vec::new();
    if let Some(accounts) = document.get_mut("accounts").and_then(Value::as_object_mut) {
        for (account, value) in accounts.iter_mut() {
            let regions = value
                .pointer_mut("/ec2/regions")
                .and_then(Value::as_object_mut);
            for (region, value) in regions.into_iter().flatten() {
                let instances = value.get_mut("instances").and_then(Value::as_object_mut);
                for (id, instance) in instances.into_iter().flatten() {
                    if let Some(disk) = instance.as_object_mut().and_then(|i| i.remove("disk")) {
                        let disk: cloudlings_os::Disk = serde_json::from_value(disk)
                            .with_context(|| format!("the disk of {id}"))?;
                        disks.push((account.clone(), region.clone(), id.clone(), disk));
                    }
                }
            }
        }
    }
    let mut state: State = serde_json::from_value(document)?;
    for (account, region, id, disk) in disks {
        if let Some(instance) = state
            .accounts
            .get_mut(&account)
            .and_then(|account| account.ec2.regions.get_mut(&region))
            .and_then(|region| region.instances.get_mut(&id))
        {
            instance.disk = disk;
        }
    }
    Ok(state)
}
