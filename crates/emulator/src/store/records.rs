//! The state cut into records: one per resource, keyed by where it lives, so that a change
//! to one resource rewrites that resource and nothing else.
//!
//! | key | value |
//! |---|---|
//! | `meta` | the format version and the installation's own key |
//! | `clock` | the simulated clock |
//! | `k/{account}/{access key}` | an access key |
//! | `a/{account}` | an account's id, creation and free plan |
//! | `a/{account}/events` | its instances' recent logins and commands |
//! | `a/{account}/iam/users/{name}`, `…/iam/mfa/{serial}` | IAM |
//! | `a/{account}/cf/dist/{id}`, `…/cf/oac/{id}` | CloudFront |
//! | `a/{account}/ec2/{region}/{kind}/{id}` | EC2, one record per VPC, subnet, group, … |
//! | `d/{account}/{region}/{instance}` | an instance's disk, when it holds anything |
//! | `b/{bucket}` | a bucket's settings |
//! | `b/{bucket}/o/{key}`, `b/{bucket}/u/{upload}` | its objects' metadata, its uploads |
//!
//! Names that may hold a `/` (object keys, MFA serials, key pair names) come last, so a key
//! splits unambiguously. Values are JSON, as the state file's were. The cut is written out
//! field by field with exhaustive destructuring: a field added to a resource type without a
//! place here does not compile.

use std::collections::BTreeMap;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::cloudfront::CloudFront;
use crate::ec2::{Ec2, RegionState};
use crate::iam::Iam;
use crate::state::{Account, FreePlan, Shared, State, VERSION};

/// A record's key and its JSON.
pub type Record = (String, Vec<u8>);

/// What a commit reads: what the accounts share, and the accounts its parts name (every
/// account for [`Part::Everything`]), each held locked by the caller.
#[derive(Debug)]
pub struct View<'a> {
    pub shared: &'a Shared,
    pub accounts: Vec<&'a Account>,
}

impl View<'_> {
    fn account(&self, id: &str) -> Option<&Account> {
        self.accounts
            .iter()
            .copied()
            .find(|account| account.id == id)
    }
}

/// What a change may have touched: the parts of the state whose records are compared with
/// what is stored. Narrow parts keep a change's cost to the size of what it touched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part<'a> {
    /// Every record: at start, on migration, after changes made outside a request.
    Everything,
    /// The simulated clock.
    Clock,
    /// An account's resources (not its instances' disks, which are [`Part::Disk`]) and its
    /// access keys.
    Account(&'a str),
    /// An instance's disk.
    Disk {
        account: &'a str,
        region: &'a str,
        instance: &'a str,
    },
    /// A bucket's settings; its objects and uploads only when it is gone.
    Bucket(&'a str),
    /// One object's metadata.
    Object { bucket: &'a str, key: &'a str },
    /// One multipart upload.
    Upload { bucket: &'a str, upload: &'a str },
}

/// The installation's own key, from the `meta` record's bytes: the key of its record, and
/// its id.
pub fn root_key_record(meta: &[u8]) -> Option<(String, String)> {
    let meta = serde_json::from_slice::<Meta>(meta).ok()?;
    let record = match &meta.root_account {
        Some(account) => key_record(account, &meta.root_key),
        None => format!("k/{}", meta.root_key),
    };
    Some((record, meta.root_key))
}

#[derive(Serialize, serde::Deserialize)]
struct Meta {
    version: u32,
    root_key: String,
    /// The root key's account, which names its record (since version 3).
    #[serde(default)]
    root_account: Option<String>,
}

/// An access key's record: under its account, so that a key deleted is found gone by the
/// next change to its account.
fn key_record(account: &str, id: &str) -> String {
    format!("k/{account}/{id}")
}

/// The account's own fields, without its resources.
#[derive(Serialize, serde::Deserialize)]
struct AccountMeta {
    id: String,
    #[serde(with = "time::serde::rfc3339")]
    created: time::OffsetDateTime,
    free_plan: FreePlan,
    #[serde(default)]
    alias: Option<String>,
}

fn json(value: &impl Serialize) -> Vec<u8> {
    // The state's types serialize to JSON without fail: maps keyed by strings, no floats
    // that are not finite.
    serde_json::to_vec(value).unwrap_or_default()
}

/// What [`cut`] found under a part.
#[derive(Debug, Default)]
pub struct Cut {
    /// Every record to compare with what is stored.
    pub records: Vec<Record>,
    /// Keys of records that stay as stored without being compared (disks under an account:
    /// serialising megabytes at every change to the account would cost what the change does
    /// not).
    pub kept: Vec<String>,
    /// The key prefixes the part covers: a stored record under them that is neither in
    /// `records` nor in `kept` is gone.
    pub prefixes: Vec<String>,
}

/// Every record under `part`, added to `found`.
pub fn cut(view: &View<'_>, part: Part<'_>, found: &mut Cut) {
    let shared = view.shared;
    let Cut {
        records: out,
        kept,
        prefixes,
    } = found;
    match part {
        Part::Everything => {
            prefixes.push(String::new());
            out.push((
                "meta".into(),
                json(&Meta {
                    version: VERSION,
                    root_key: shared.root_key.clone(),
                    root_account: shared
                        .keys
                        .get(&shared.root_key)
                        .map(|key| key.account.clone()),
                }),
            ));
            out.push(("clock".into(), json(&shared.clock)));
            for (id, key) in &shared.keys {
                out.push((key_record(&key.account, id), json(key)));
            }
            for account in &view.accounts {
                account_records(account, out);
                disks(account, out);
            }
            for name in shared.s3.buckets.keys() {
                bucket(shared, name, true, out);
            }
        }
        Part::Clock => {
            prefixes.push("clock".into());
            out.push(("clock".into(), json(&shared.clock)));
        }
        Part::Account(id) => {
            prefixes.push(format!("a/{id}/"));
            prefixes.push(format!("a/{id}"));
            prefixes.push(format!("d/{id}/"));
            prefixes.push(format!("k/{id}/"));
            for (key_id, key) in shared.keys.iter().filter(|(_, key)| key.account == id) {
                out.push((key_record(id, key_id), json(key)));
            }
            if let Some(account) = view.account(id) {
                account_records(account, out);
                // Disks are written by Part::Disk when a command changes one; here only
                // those that belong to nothing any more (their instance terminated) go.
                kept.extend(disk_keys(account));
            }
        }
        Part::Disk {
            account,
            region,
            instance,
        } => {
            let key = format!("d/{account}/{region}/{instance}");
            prefixes.push(key.clone());
            let disk = view
                .account(account)
                .and_then(|account| account.ec2.regions.get(region))
                .and_then(|region| region.instances.get(instance))
                .filter(|instance| keeps_disk(instance))
                .map(|instance| &instance.disk);
            if let Some(disk) = disk {
                out.push((key, json(disk)));
            }
        }
        Part::Bucket(name) => {
            let gone = !shared.s3.buckets.contains_key(name);
            prefixes.push(format!("b/{name}"));
            if gone {
                prefixes.push(format!("b/{name}/"));
            }
            bucket(shared, name, false, out);
        }
        Part::Object { bucket, key } => {
            let record = format!("b/{bucket}/o/{key}");
            prefixes.push(record.clone());
            if let Some(object) = shared
                .s3
                .buckets
                .get(bucket)
                .and_then(|b| b.objects.get(key))
            {
                out.push((record, json(object)));
            }
        }
        Part::Upload { bucket, upload } => {
            let record = format!("b/{bucket}/u/{upload}");
            prefixes.push(record.clone());
            if let Some(value) = shared
                .s3
                .buckets
                .get(bucket)
                .and_then(|b| b.uploads.get(upload))
            {
                out.push((record, json(value)));
            }
        }
    }
}

/// Whether a prefix of [`cut`] covers a stored key: a prefix ending in `/` covers what is
/// under it, any other only the key itself.
pub fn covers(prefix: &str, key: &str) -> bool {
    if prefix.is_empty() || prefix.ends_with('/') {
        key.starts_with(prefix)
    } else {
        key == prefix
    }
}

/// An instance's disk is kept while the instance can still boot from it.
fn keeps_disk(instance: &crate::ec2::instances::Instance) -> bool {
    !instance.is_terminated() && instance.disk != cloudlings_os::Disk::default()
}

/// The keys of an account's disks that hold something, and each disk.
fn account_disks(account: &Account) -> impl Iterator<Item = (String, &cloudlings_os::Disk)> + '_ {
    account.ec2.regions.iter().flat_map(move |(region, state)| {
        state
            .instances
            .iter()
            .filter(|(_, instance)| keeps_disk(instance))
            .map(move |(id, instance)| (format!("d/{}/{region}/{id}", account.id), &instance.disk))
    })
}

fn disk_keys(account: &Account) -> impl Iterator<Item = String> + '_ {
    account_disks(account).map(|(key, _)| key)
}

fn disks(account: &Account, out: &mut Vec<Record>) {
    out.extend(account_disks(account).map(|(key, disk)| (key, json(disk))));
}

fn account_records(account: &Account, out: &mut Vec<Record>) {
    let Account {
        id,
        created,
        ec2,
        iam,
        cloudfront,
        free_plan,
        events,
        alias,
    } = account;
    out.push((
        format!("a/{id}"),
        json(&AccountMeta {
            id: id.clone(),
            created: *created,
            free_plan: *free_plan,
            alias: alias.clone(),
        }),
    ));
    out.push((format!("a/{id}/events"), json(events)));
    let Iam { users, mfa_devices } = iam;
    each(out, &format!("a/{id}/iam/users/"), users);
    each(out, &format!("a/{id}/iam/mfa/"), mfa_devices);
    let CloudFront {
        distributions,
        access_controls,
    } = cloudfront;
    each(out, &format!("a/{id}/cf/dist/"), distributions);
    each(out, &format!("a/{id}/cf/oac/"), access_controls);
    let Ec2 { regions } = ec2;
    for (name, region) in regions {
        let RegionState {
            vpcs,
            subnets,
            security_groups,
            key_pairs,
            instances,
            volumes,
            image_tags,
        } = region;
        let at = format!("a/{id}/ec2/{name}/");
        each(out, &format!("{at}vpc/"), vpcs);
        each(out, &format!("{at}subnet/"), subnets);
        each(out, &format!("{at}sg/"), security_groups);
        each(out, &format!("{at}key/"), key_pairs);
        each(out, &format!("{at}instance/"), instances);
        each(out, &format!("{at}volume/"), volumes);
        each(out, &format!("{at}image-tags/"), image_tags);
    }
}

fn each<T: Serialize>(out: &mut Vec<Record>, prefix: &str, items: &BTreeMap<String, T>) {
    for (name, item) in items {
        out.push((format!("{prefix}{name}"), json(item)));
    }
}

/// A bucket's settings, and its objects and uploads when `contents`.
fn bucket(shared: &Shared, name: &str, contents: bool, out: &mut Vec<Record>) {
    let Some(bucket) = shared.s3.buckets.get(name) else {
        return;
    };
    out.push((format!("b/{name}"), json(&bucket.settings())));
    if contents {
        each(out, &format!("b/{name}/o/"), &bucket.objects);
        each(out, &format!("b/{name}/u/"), &bucket.uploads);
    }
}

/// A record that cannot be put back: the store is unreadable.
#[derive(Debug, thiserror::Error)]
#[error("record {key}: {reason}")]
pub struct BadRecord {
    pub key: String,
    pub reason: String,
}

/// Builds the state back from its records. Disks come last, onto the instances read before.
pub fn assemble(records: impl IntoIterator<Item = Record>) -> Result<State, BadRecord> {
    let mut state = State {
        version: VERSION,
        shared: Shared {
            clock: Default::default(),
            keys: BTreeMap::new(),
            root_key: String::new(),
            s3: Default::default(),
        },
        accounts: BTreeMap::new(),
    };
    let mut disks = Vec::new();
    for (key, value) in records {
        let bad = |reason: String| BadRecord {
            key: key.clone(),
            reason,
        };
        let parts: Vec<&str> = key.splitn(2, '/').collect();
        match parts.as_slice() {
            ["meta"] => {
                let meta: Meta = parse(&key, &value)?;
                state.version = meta.version;
                state.shared.root_key = meta.root_key;
            }
            ["clock"] => state.shared.clock = parse(&key, &value)?,
            ["k", rest] => {
                // `k/{account}/{id}`, or `k/{id}` as version 2 wrote it.
                let id = rest.rsplit('/').next().unwrap_or(rest);
                state
                    .shared
                    .keys
                    .insert(id.to_string(), parse(&key, &value)?);
            }
            ["a", rest] => put_account_record(&mut state, &key, rest, &value)?,
            ["d", rest] => disks.push((rest.to_string(), value)),
            ["b", rest] => put_bucket_record(&mut state, &key, rest, &value)?,
            _ => return Err(bad("not a record this version knows".into())),
        }
    }
    for (at, value) in disks {
        let key = format!("d/{at}");
        let mut parts = at.splitn(3, '/');
        let (Some(account), Some(region), Some(instance)) =
            (parts.next(), parts.next(), parts.next())
        else {
            return Err(BadRecord {
                key,
                reason: "not account/region/instance".into(),
            });
        };
        let disk = parse(&key, &value)?;
        let slot = state
            .accounts
            .get_mut(account)
            .and_then(|account| account.ec2.regions.get_mut(region))
            .and_then(|region| region.instances.get_mut(instance));
        // A disk whose instance is not there belongs to nothing: it is dropped, as the
        // next change to the account drops its record.
        if let Some(instance) = slot {
            instance.disk = disk;
        }
    }
    Ok(state)
}

fn parse<T: DeserializeOwned>(key: &str, value: &[u8]) -> Result<T, BadRecord> {
    serde_json::from_slice(value).map_err(|error| BadRecord {
        key: key.to_string(),
        reason: error.to_string(),
    })
}

fn account_entry<'s>(state: &'s mut State, id: &str) -> &'s mut Account {
    state
        .accounts
        .entry(id.to_string())
        .or_insert_with(|| Account {
            id: id.to_string(),
            created: time::OffsetDateTime::UNIX_EPOCH,
            ec2: Default::default(),
            iam: Default::default(),
            cloudfront: Default::default(),
            free_plan: Default::default(),
            events: Default::default(),
            alias: None,
        })
}

fn put_account_record(
    state: &mut State,
    key: &str,
    rest: &str,
    value: &[u8],
) -> Result<(), BadRecord> {
    let bad = |reason: &str| BadRecord {
        key: key.to_string(),
        reason: reason.to_string(),
    };
    let (id, path) = rest.split_once('/').unwrap_or((rest, ""));
    let account = account_entry(state, id);
    if path.is_empty() {
        let meta: AccountMeta = parse(key, value)?;
        account.created = meta.created;
        account.free_plan = meta.free_plan;
        account.alias = meta.alias;
        return Ok(());
    }
    let mut split = path.splitn(3, '/');
    match (split.next(), split.next(), split.next()) {
        (Some("events"), None, None) => account.events = parse(key, value)?,
        (Some("iam"), Some("users"), Some(name)) => {
            account.iam.users.insert(name.into(), parse(key, value)?);
        }
        (Some("iam"), Some("mfa"), Some(serial)) => {
            account
                .iam
                .mfa_devices
                .insert(serial.into(), parse(key, value)?);
        }
        (Some("cf"), Some("dist"), Some(name)) => {
            account
                .cloudfront
                .distributions
                .insert(name.into(), parse(key, value)?);
        }
        (Some("cf"), Some("oac"), Some(name)) => {
            account
                .cloudfront
                .access_controls
                .insert(name.into(), parse(key, value)?);
        }
        (Some("ec2"), Some(region), Some(rest)) => {
            let (kind, name) = rest.split_once('/').ok_or_else(|| bad("no resource id"))?;
            let region = account.ec2.regions.entry(region.into()).or_default();
            let name = name.to_string();
            match kind {
                "vpc" => drop(region.vpcs.insert(name, parse(key, value)?)),
                "subnet" => drop(region.subnets.insert(name, parse(key, value)?)),
                "sg" => drop(region.security_groups.insert(name, parse(key, value)?)),
                "key" => drop(region.key_pairs.insert(name, parse(key, value)?)),
                "instance" => drop(region.instances.insert(name, parse(key, value)?)),
                "volume" => drop(region.volumes.insert(name, parse(key, value)?)),
                "image-tags" => drop(region.image_tags.insert(name, parse(key, value)?)),
                _ => return Err(bad("not an EC2 resource this version knows")),
            }
        }
        _ => return Err(bad("not an account record this version knows")),
    }
    Ok(())
}

fn put_bucket_record(
    state: &mut State,
    key: &str,
    rest: &str,
    value: &[u8],
) -> Result<(), BadRecord> {
    let (name, path) = rest.split_once('/').unwrap_or((rest, ""));
    if path.is_empty() {
        let mut bucket: crate::s3::bucket::Bucket = parse(key, value)?;
        // Its contents may have been read first: they stay.
        if let Some(old) = state.shared.s3.buckets.remove(name) {
            bucket.objects = old.objects;
            bucket.uploads = old.uploads;
        }
        state.shared.s3.buckets.insert(name.to_string(), bucket);
        return Ok(());
    }
    let Some(bucket) = state.shared.s3.buckets.get_mut(name) else {
        // Records come sorted by key, so a bucket's settings (`b/name`) come before its
        // contents (`b/name/…`).
        return Err(BadRecord {
            key: key.to_string(),
            reason: "an object of a bucket that is not there".into(),
        });
    };
    match path.split_once('/') {
        Some(("o", object)) => {
            bucket
                .objects
                .insert(object.to_string(), parse(key, value)?);
        }
        Some(("u", upload)) => {
            bucket
                .uploads
                .insert(upload.to_string(), parse(key, value)?);
        }
        _ => {
            return Err(BadRecord {
                key: key.to_string(),
                reason: "not a bucket record this version knows".into(),
            });
        }
    }
    Ok(())
}
