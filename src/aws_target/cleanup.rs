//! `cleanup`: everything a session made, found from its tags and the journal, and deleted in
//! the order AWS allows: instances first (and waited for, since a group in use cannot go),
//! then key pairs and groups, buckets with every version, distributions (disabled, deployed,
//! then deleted) and their origin access controls, MFA devices, and users last.
//!
//! It is safe to run twice and to interrupt. What is already gone counts as deleted, the
//! journal is saved after every deletion, and the next run finds what is left from the account
//! itself, so a cleanup killed halfway finishes on the next run.

use std::collections::BTreeSet;
use std::io::{self, Write};
use std::time::{Duration, Instant};

use aws_config::{Region, SdkConfig};

use super::found::Found;
use super::journal::Journal;
use super::tagging::SESSION_KEY;
use super::{code, explain};
use crate::target::block_on;
use cloudlings_core::operation::Resource;

/// Which sessions' resources to take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// One session's.
    Session(String),
    /// Every session in this machine's journal.
    Journal,
    /// Everything tagged by any cloudlings session, from any machine, and the journal's.
    All,
}

/// What a cleanup did.
#[derive(Debug, Default)]
pub struct Report {
    pub deleted: Vec<Found>,
    pub failed: Vec<(Found, String)>,
}

/// How long to wait for AWS to finish what deletion needs: instances terminating, a disabled
/// distribution deploying. Real AWS takes minutes for the second.
const PATIENCE: Duration = Duration::from_secs(30 * 60);

/// Which session ids a tag value may have to be taken.
struct Wanted {
    scope: Scope,
    sessions: BTreeSet<String>,
}

impl Wanted {
    fn new(scope: &Scope, journal: &Journal) -> Wanted {
        Wanted {
            scope: scope.clone(),
            sessions: journal
                .entries
                .iter()
                .map(|entry| entry.session.clone())
                .collect(),
        }
    }

    /// Whether a resource tagged with this session id is to be taken.
    fn tagged(&self, session: &str) -> bool {
        match &self.scope {
            Scope::Session(id) => id == session,
            Scope::Journal => self.sessions.contains(session),
            Scope::All => true,
        }
    }

    /// Whether a journal entry of this session is to be taken.
    fn journaled(&self, session: &str) -> bool {
        match &self.scope {
            Scope::Session(id) => id == session,
            Scope::Journal | Scope::All => true,
        }
    }
}

/// What is left of the sessions in `scope`: looked up in the account (tags) and checked
/// against it (journal), so the answer is what exists now. Journal entries AWS no longer has
/// are marked gone.
///
/// `keep` is the IAM user the credentials belong to, if a session made it: it is left, so a
/// cleanup never locks the learner out.
pub fn inventory(
    config: &SdkConfig,
    journal: &mut Journal,
    scope: &Scope,
    keep: Option<&str>,
) -> Result<Inventory, String> {
    let wanted = Wanted::new(scope, journal);
    let journaled: Vec<(Resource, String, String, Option<String>)> = journal
        .live(None)
        .filter(|entry| wanted.journaled(&entry.session))
        .map(|entry| {
            (
                entry.kind,
                entry.id.clone(),
                entry.region.clone(),
                entry.name.clone(),
            )
        })
        .collect();
    let home = config
        .region()
        .map_or(cloudlings_core::catalog::DEFAULT_REGION, |region| {
            region.as_ref()
        })
        .to_string();
    let mut regions: BTreeSet<String> = journaled
        .iter()
        .filter(|(kind, ..)| {
            matches!(
                kind,
                Resource::Instance | Resource::KeyPair | Resource::SecurityGroup
            )
        })
        .map(|(_, _, region, _)| region.clone())
        .collect();
    regions.insert(home.clone());

    let mut found = Vec::new();
    for region in &regions {
        let regional = in_region(config, region);
        let ids = |kind: Resource| -> Vec<String> {
            journaled
                .iter()
                .filter(|(k, _, r, _)| *k == kind && r == region)
                .map(|(_, id, _, _)| id.clone())
                .collect()
        };
        found.extend(block_on(instances(
            &regional,
            region,
            &wanted,
            ids(Resource::Instance),
        ))??);
        found.extend(block_on(volumes(&regional, region, &wanted))??);
        found.extend(block_on(key_pairs(
            &regional,
            region,
            &wanted,
            ids(Resource::KeyPair),
        ))??);
        found.extend(block_on(groups(
            &regional,
            region,
            &wanted,
            ids(Resource::SecurityGroup),
        ))??);
    }
    let named = |kind: Resource| -> BTreeSet<String> {
        journaled
            .iter()
            .filter(|(k, ..)| *k == kind)
            .map(|(_, id, _, _)| id.clone())
            .collect()
    };
    found.extend(block_on(buckets(
        config,
        &home,
        &wanted,
        named(Resource::Bucket),
    ))??);
    found.extend(block_on(distributions(
        config,
        &wanted,
        named(Resource::Distribution),
    ))??);
    found.extend(block_on(origin_access_controls(
        config,
        named(Resource::OriginAccessControl),
    ))??);
    let (users, devices, kept) = block_on(identities(
        config,
        &wanted,
        named(Resource::User),
        named(Resource::MfaDevice),
        keep,
    ))??;
    found.extend(devices);
    found.extend(users);

    // What the journal lists and the account no longer has was deleted some other way.
    for (kind, id, _, _) in &journaled {
        if !found
            .iter()
            .any(|item| item.kind == *kind && &item.id == id)
        {
            journal.gone(*kind, id);
        }
    }
    let _ = journal.save();
    found.sort_by_key(|item| item.kind);
    Ok(Inventory { found, kept })
}

/// What is left of some sessions.
#[derive(Debug, Default)]
pub struct Inventory {
    pub found: Vec<Found>,
    /// A session's IAM user left alone because the credentials are its.
    pub kept: Option<String>,
}

fn in_region(config: &SdkConfig, region: &str) -> SdkConfig {
    config
        .to_builder()
        .region(Region::new(region.to_string()))
        .build()
}

fn tag_filter(wanted: &Wanted) -> aws_sdk_ec2::types::Filter {
    use aws_sdk_ec2::types::Filter;
    match &wanted.scope {
        Scope::Session(id) => Filter::builder()
            .name(format!("tag:{SESSION_KEY}"))
            .values(id)
            .build(),
        Scope::Journal | Scope::All => Filter::builder()
            .name("tag-key")
            .values(SESSION_KEY)
            .build(),
    }
}

/// The filters that find a session's EC2 resources: by its tag, and by the ids the journal
/// has (a filter on ids, unlike a list of ids, does not fail on ids AWS has forgotten).
fn lookups(
    wanted: &Wanted,
    id_filter: &str,
    journaled: &[String],
) -> Vec<aws_sdk_ec2::types::Filter> {
    let mut lookups = vec![tag_filter(wanted)];
    if !journaled.is_empty() {
        lookups.push(
            aws_sdk_ec2::types::Filter::builder()
                .name(id_filter)
                .set_values(Some(journaled.to_vec()))
                .build(),
        );
    }
    lookups
}

/// Whether an EC2 resource is a session's: in the journal, or tagged by a wanted session.
fn is_ours(
    wanted: &Wanted,
    journaled: &[String],
    id: &str,
    tags: &[aws_sdk_ec2::types::Tag],
) -> bool {
    journaled.iter().any(|known| known == id)
        || ec2_session(tags).is_some_and(|session| wanted.tagged(session))
}

fn ec2_session(tags: &[aws_sdk_ec2::types::Tag]) -> Option<&str> {
    tags.iter()
        .find(|tag| tag.key() == Some(SESSION_KEY))
        .and_then(|tag| tag.value())
}

fn ec2_name(tags: &[aws_sdk_ec2::types::Tag]) -> Option<String> {
    tags.iter()
        .find(|tag| tag.key() == Some("Name"))
        .and_then(|tag| tag.value())
        .map(str::to_string)
}

async fn instances(
    config: &SdkConfig,
    region: &str,
    wanted: &Wanted,
    journaled: Vec<String>,
) -> Result<Vec<Found>, String> {
    use aws_sdk_ec2::types::Filter;
    let ec2 = aws_sdk_ec2::Client::new(config);
    let alive = Filter::builder()
        .name("instance-state-name")
        .set_values(Some(
            ["pending", "running", "shutting-down", "stopping", "stopped"]
                .map(String::from)
                .to_vec(),
        ))
        .build();
    let mut found: Vec<Found> = Vec::new();
    for filter in lookups(wanted, "instance-id", &journaled) {
        let answer = ec2
            .describe_instances()
            .filters(filter)
            .filters(alive.clone())
            .send()
            .await
            .map_err(|error| explain(&error))?;
        for instance in answer.reservations().iter().flat_map(|r| r.instances()) {
            let Some(id) = instance.instance_id() else {
                continue;
            };
            if !is_ours(wanted, &journaled, id, instance.tags())
                || found.iter().any(|item| item.id == id)
            {
                continue;
            }
            let instance_type = instance
                .instance_type()
                .map(|kind| kind.as_str().to_string())
                .unwrap_or_default();
            let windows = instance
                .platform()
                .is_some_and(|platform| platform.as_str() == "windows");
            let state = instance
                .state()
                .and_then(|state| state.name())
                .map(|name| name.as_str().to_string())
                .unwrap_or_default();
            let label = match ec2_name(instance.tags()) {
                Some(name) => format!("{name}, {instance_type}"),
                None => instance_type.clone(),
            };
            found.push(Found {
                kind: Resource::Instance,
                id: id.to_string(),
                region: region.to_string(),
                label: Some(label),
                // With its public IPv4 address and its root volume, as the guard priced it.
                hourly: cloudlings_core::prices::hourly(region, &instance_type, windows).map(
                    |price| {
                        let root_gib = cloudlings_core::catalog::root_gib(windows);
                        price + cloudlings_core::prices::instance_extras_hourly(region, root_gib)
                    },
                ),
                running: matches!(state.as_str(), "pending" | "running"),
            });
        }
    }
    Ok(found)
}

/// Volumes the session's launches made, tagged with them. A root volume goes with its
/// instance; one kept (`DeleteOnTermination` off) would go on billing as storage.
async fn volumes(config: &SdkConfig, region: &str, wanted: &Wanted) -> Result<Vec<Found>, String> {
    let ec2 = aws_sdk_ec2::Client::new(config);
    let answer = ec2
        .describe_volumes()
        .filters(tag_filter(wanted))
        .send()
        .await
        .map_err(|error| explain(&error))?;
    Ok(answer
        .volumes()
        .iter()
        .filter(|volume| {
            ec2_session(volume.tags()).is_some_and(|session| wanted.tagged(session))
                && !volume
                    .state()
                    .is_some_and(|state| matches!(state.as_str(), "deleting" | "deleted"))
        })
        .filter_map(|volume| {
            let id = volume.volume_id()?;
            let size = volume.size().map(|gib| format!("{gib} GiB"));
            Some(simple(Resource::Volume, id, region, size))
        })
        .collect())
}

async fn key_pairs(
    config: &SdkConfig,
    region: &str,
    wanted: &Wanted,
    journaled: Vec<String>,
) -> Result<Vec<Found>, String> {
    let ec2 = aws_sdk_ec2::Client::new(config);
    let mut found: Vec<Found> = Vec::new();
    for filter in lookups(wanted, "key-name", &journaled) {
        let answer = ec2
            .describe_key_pairs()
            .filters(filter)
            .send()
            .await
            .map_err(|error| explain(&error))?;
        for pair in answer.key_pairs() {
            let Some(name) = pair.key_name() else {
                continue;
            };
            if is_ours(wanted, &journaled, name, pair.tags())
                && !found.iter().any(|item| item.id == name)
            {
                found.push(simple(Resource::KeyPair, name, region, None));
            }
        }
    }
    Ok(found)
}

async fn groups(
    config: &SdkConfig,
    region: &str,
    wanted: &Wanted,
    journaled: Vec<String>,
) -> Result<Vec<Found>, String> {
    let ec2 = aws_sdk_ec2::Client::new(config);
    let mut found: Vec<Found> = Vec::new();
    for filter in lookups(wanted, "group-id", &journaled) {
        let answer = ec2
            .describe_security_groups()
            .filters(filter)
            .send()
            .await
            .map_err(|error| explain(&error))?;
        for group in answer.security_groups() {
            let Some(id) = group.group_id() else {
                continue;
            };
            if is_ours(wanted, &journaled, id, group.tags())
                && !found.iter().any(|item| item.id == id)
            {
                let name = group.group_name().map(str::to_string);
                found.push(simple(Resource::SecurityGroup, id, region, name));
            }
        }
    }
    Ok(found)
}

async fn buckets(
    config: &SdkConfig,
    home: &str,
    wanted: &Wanted,
    journaled: BTreeSet<String>,
) -> Result<Vec<Found>, String> {
    let s3 = aws_sdk_s3::Client::new(config);
    // Every page: an account used for long may hold more than one page of anything.
    let listed: Vec<_> = s3
        .list_buckets()
        .into_paginator()
        .items()
        .send()
        .collect::<Result<_, _>>()
        .await
        .map_err(|error| explain(&error))?;
    let mut found = Vec::new();
    for bucket in &listed {
        let Some(name) = bucket.name() else {
            continue;
        };
        let region = bucket.bucket_region().unwrap_or(home).to_string();
        let ours = journaled.contains(name) || {
            let regional = aws_sdk_s3::Client::new(&in_region(config, &region));
            match regional.get_bucket_tagging().bucket(name).send().await {
                Ok(tagging) => tagging
                    .tag_set()
                    .iter()
                    .any(|tag| tag.key() == SESSION_KEY && wanted.tagged(tag.value())),
                // No tags, or not ours to read: not a session's.
                Err(_) => false,
            }
        };
        if ours {
            found.push(simple(Resource::Bucket, name, &region, None));
        }
    }
    Ok(found)
}

async fn distributions(
    config: &SdkConfig,
    wanted: &Wanted,
    journaled: BTreeSet<String>,
) -> Result<Vec<Found>, String> {
    let cloudfront = aws_sdk_cloudfront::Client::new(config);
    let summaries: Vec<_> = cloudfront
        .list_distributions()
        .into_paginator()
        .items()
        .send()
        .collect::<Result<_, _>>()
        .await
        .map_err(|error| explain(&error))?;
    let mut found = Vec::new();
    for summary in &summaries {
        let id = summary.id();
        let ours = journaled.contains(id) || {
            match cloudfront
                .list_tags_for_resource()
                .resource(summary.arn())
                .send()
                .await
            {
                Ok(tags) => tags.tags().is_some_and(|tags| {
                    tags.items().iter().any(|tag| {
                        tag.key() == SESSION_KEY && tag.value().is_some_and(|v| wanted.tagged(v))
                    })
                }),
                Err(_) => false,
            }
        };
        if ours {
            let label = Some(summary.domain_name().to_string());
            found.push(simple(Resource::Distribution, id, "global", label));
        }
    }
    Ok(found)
}

/// Origin access controls cannot be tagged: the journal is all there is to go by.
async fn origin_access_controls(
    config: &SdkConfig,
    journaled: BTreeSet<String>,
) -> Result<Vec<Found>, String> {
    let cloudfront = aws_sdk_cloudfront::Client::new(config);
    let mut found = Vec::new();
    for id in journaled {
        match cloudfront.get_origin_access_control().id(&id).send().await {
            Ok(_) => found.push(simple(Resource::OriginAccessControl, &id, "global", None)),
            Err(error) if code(&error) == Some("NoSuchOriginAccessControl") => {}
            Err(error) => return Err(explain(&error)),
        }
    }
    Ok(found)
}

/// IAM users (tagged or journaled) and MFA devices (journaled, or on those users).
async fn identities(
    config: &SdkConfig,
    wanted: &Wanted,
    users: BTreeSet<String>,
    devices: BTreeSet<String>,
    keep: Option<&str>,
) -> Result<(Vec<Found>, Vec<Found>, Option<String>), String> {
    let iam = aws_sdk_iam::Client::new(config);
    let listed: Vec<_> = iam
        .list_users()
        .into_paginator()
        .items()
        .send()
        .collect::<Result<_, _>>()
        .await
        .map_err(|error| explain(&error))?;
    let mut found_users = Vec::new();
    let mut kept = None;
    for user in &listed {
        let name = user.user_name();
        let ours = users.contains(name) || {
            match iam.list_user_tags().user_name(name).send().await {
                Ok(tags) => tags
                    .tags()
                    .iter()
                    .any(|tag| tag.key() == SESSION_KEY && wanted.tagged(tag.value())),
                Err(_) => false,
            }
        };
        if ours && Some(name) == keep {
            kept = Some(name.to_string());
        } else if ours {
            found_users.push(simple(Resource::User, name, "global", None));
        }
    }
    let virtual_devices: Vec<_> = iam
        .list_virtual_mfa_devices()
        .into_paginator()
        .items()
        .send()
        .collect::<Result<_, _>>()
        .await
        .map_err(|error| explain(&error))?;
    let mut found_devices = Vec::new();
    for device in &virtual_devices {
        let serial = device.serial_number();
        let user = device.user().map(|user| user.user_name().to_string());
        if user.is_some() && user.as_deref() == keep {
            continue;
        }
        let on_ours = user
            .as_ref()
            .is_some_and(|name| found_users.iter().any(|found| &found.id == name));
        if devices.contains(serial) || on_ours {
            found_devices.push(simple(Resource::MfaDevice, serial, "global", user));
        }
    }
    Ok((found_users, found_devices, kept))
}

fn simple(kind: Resource, id: &str, region: &str, label: Option<String>) -> Found {
    Found {
        kind,
        id: id.to_string(),
        region: region.to_string(),
        label,
        hourly: None,
        running: true,
    }
}

/// What deleting one resource came to.
enum Outcome {
    Deleted,
    Failed(String),
}

/// Deletes everything `found` lists, in order, reporting each as it goes; `progress` is told
/// of each finished resource.
pub fn delete(
    config: &SdkConfig,
    journal: &mut Journal,
    found: Vec<Found>,
    progress: &mut dyn FnMut(&Found, Option<&str>),
) -> Report {
    let mut report = Report::default();
    let mut settle = |item: Found, outcome: Outcome, journal: &mut Journal| {
        match outcome {
            Outcome::Deleted => {
                journal.gone(item.kind, &item.id);
                // Saved at once: a cleanup killed now does not redo (or forget) this one.
                let _ = journal.save();
                progress(&item, None);
                report.deleted.push(item);
            }
            Outcome::Failed(reason) => {
                progress(&item, Some(&reason));
                report.failed.push((item, reason));
            }
        }
    };
    let (instances, rest): (Vec<Found>, Vec<Found>) = found
        .into_iter()
        .partition(|item| item.kind == Resource::Instance);
    for (item, outcome) in terminate(config, instances) {
        settle(item, outcome, journal);
    }
    for item in rest {
        let regional = in_region(config, &item.region);
        let outcome = match block_on(delete_one(&regional, &item)) {
            Ok(Ok(outcome)) => outcome,
            Ok(Err(error)) | Err(error) => Outcome::Failed(error),
        };
        settle(item, outcome, journal);
    }
    report
}

/// Terminates instances, region by region, and waits until they are gone: groups they use
/// cannot be deleted before.
fn terminate(config: &SdkConfig, instances: Vec<Found>) -> Vec<(Found, Outcome)> {
    let regions: BTreeSet<String> = instances.iter().map(|item| item.region.clone()).collect();
    let mut outcomes = Vec::new();
    for region in regions {
        let regional = in_region(config, &region);
        let batch: Vec<Found> = instances
            .iter()
            .filter(|item| item.region == region)
            .cloned()
            .collect();
        let ids: Vec<String> = batch.iter().map(|item| item.id.clone()).collect();
        let ended = block_on(terminate_and_wait(&regional, ids))
            .unwrap_or_else(|error| Err(error.to_string()));
        for item in batch {
            let outcome = match &ended {
                Ok(left) if left.contains(&item.id) => {
                    Outcome::Failed("still shutting down after 30 minutes".to_string())
                }
                Ok(_) => Outcome::Deleted,
                Err(reason) => Outcome::Failed(reason.clone()),
            };
            outcomes.push((item, outcome));
        }
    }
    outcomes
}

/// Terminates `ids` and returns those not yet terminated when patience ran out.
async fn terminate_and_wait(config: &SdkConfig, ids: Vec<String>) -> Result<Vec<String>, String> {
    let ec2 = aws_sdk_ec2::Client::new(config);
    if let Err(error) = ec2
        .terminate_instances()
        .set_instance_ids(Some(ids.clone()))
        .send()
        .await
        && code(&error) != Some("InvalidInstanceID.NotFound")
    {
        return Err(explain(&error));
    }
    let started = Instant::now();
    let mut pause = Duration::from_millis(500);
    loop {
        let answer = ec2
            .describe_instances()
            .filters(
                aws_sdk_ec2::types::Filter::builder()
                    .name("instance-id")
                    .set_values(Some(ids.clone()))
                    .build(),
            )
            .send()
            .await
            .map_err(|error| explain(&error))?;
        let left: Vec<String> = answer
            .reservations()
            .iter()
            .flat_map(|r| r.instances())
            .filter(|instance| {
                instance
                    .state()
                    .and_then(|state| state.name())
                    .is_some_and(|name| name.as_str() != "terminated")
            })
            .filter_map(|instance| instance.instance_id().map(str::to_string))
            .collect();
        if left.is_empty() || started.elapsed() > PATIENCE {
            return Ok(left);
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_secs(10));
    }
}

async fn delete_one(config: &SdkConfig, item: &Found) -> Result<Outcome, String> {
    let id = item.id.as_str();
    match item.kind {
        // Terminated in batches by `delete`; one alone is terminated the same way.
        Resource::Instance => Ok(
            match terminate_and_wait(config, vec![id.to_string()]).await {
                Ok(left) if left.is_empty() => Outcome::Deleted,
                Ok(_) => Outcome::Failed("still shutting down after 30 minutes".to_string()),
                Err(reason) => Outcome::Failed(reason),
            },
        ),
        Resource::Volume => {
            let ec2 = aws_sdk_ec2::Client::new(config);
            let delete = || ec2.delete_volume().volume_id(id).send();
            Ok(retried("VolumeInUse", &["InvalidVolume.NotFound"], delete).await)
        }
        Resource::KeyPair => {
            let ec2 = aws_sdk_ec2::Client::new(config);
            let result = ec2.delete_key_pair().key_name(id).send().await;
            Ok(settled(result, &["InvalidKeyPair.NotFound"]))
        }
        Resource::SecurityGroup => {
            let ec2 = aws_sdk_ec2::Client::new(config);
            let delete = || ec2.delete_security_group().group_id(id).send();
            Ok(retried("DependencyViolation", &["InvalidGroup.NotFound"], delete).await)
        }
        Resource::Bucket => empty_and_delete_bucket(config, id).await,
        Resource::Distribution => delete_distribution(config, id).await,
        Resource::OriginAccessControl => {
            let cloudfront = aws_sdk_cloudfront::Client::new(config);
            let etag = match cloudfront.get_origin_access_control().id(id).send().await {
                Ok(answer) => answer.e_tag().unwrap_or_default().to_string(),
                Err(error) if code(&error) == Some("NoSuchOriginAccessControl") => {
                    return Ok(Outcome::Deleted);
                }
                Err(error) => return Ok(Outcome::Failed(explain(&error))),
            };
            let result = cloudfront
                .delete_origin_access_control()
                .id(id)
                .if_match(etag)
                .send()
                .await;
            Ok(settled(result, &["NoSuchOriginAccessControl"]))
        }
        Resource::MfaDevice => {
            let iam = aws_sdk_iam::Client::new(config);
            if let Some(user) = &item.label {
                let result = iam
                    .deactivate_mfa_device()
                    .user_name(user)
                    .serial_number(id)
                    .send()
                    .await;
                if let Outcome::Failed(reason) = settled(result, &["NoSuchEntity"]) {
                    return Ok(Outcome::Failed(reason));
                }
            }
            let result = iam
                .delete_virtual_mfa_device()
                .serial_number(id)
                .send()
                .await;
            Ok(settled(result, &["NoSuchEntity"]))
        }
        Resource::User => delete_user(config, id).await,
    }
}

/// A deletion's result: done, or already done, or why not.
fn settled<T, E, R>(
    result: Result<T, aws_smithy_runtime_api::client::result::SdkError<E, R>>,
    gone: &[&str],
) -> Outcome
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    match result {
        Ok(_) => Outcome::Deleted,
        Err(error) if code(&error).is_some_and(|code| gone.contains(&code)) => Outcome::Deleted,
        Err(error) => Outcome::Failed(explain(&error)),
    }
}

/// How long a resource may stay busy after what used it went away: a group whose instances
/// just terminated stays "in use" while their network interfaces are let go, and so does a
/// volume until its instance releases it.
const BUSY_PATIENCE: Duration = Duration::from_secs(180);

/// Runs a deletion until it no longer fails with `busy` (or patience runs out).
async fn retried<T, E, R, F, Fut>(busy: &str, gone: &[&str], mut attempt: F) -> Outcome
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<
            Output = Result<T, aws_smithy_runtime_api::client::result::SdkError<E, R>>,
        >,
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    let started = Instant::now();
    loop {
        match attempt().await {
            Err(error) if code(&error) == Some(busy) && started.elapsed() < BUSY_PATIENCE => {
                tokio::time::sleep(Duration::from_secs(5)).await;
            }
            result => return settled(result, gone),
        }
    }
}

/// Deletes every object version, delete marker and unfinished upload, then the bucket.
async fn empty_and_delete_bucket(config: &SdkConfig, bucket: &str) -> Result<Outcome, String> {
    use aws_sdk_s3::types::{Delete, ObjectIdentifier};
    let s3 = aws_sdk_s3::Client::new(config);
    let mut key_marker: Option<String> = None;
    let mut version_marker: Option<String> = None;
    loop {
        let listed = match s3
            .list_object_versions()
            .bucket(bucket)
            .set_key_marker(key_marker.take())
            .set_version_id_marker(version_marker.take())
            .send()
            .await
        {
            Ok(listed) => listed,
            Err(error) if code(&error) == Some("NoSuchBucket") => return Ok(Outcome::Deleted),
            Err(error) => return Ok(Outcome::Failed(explain(&error))),
        };
        let versions = listed
            .versions()
            .iter()
            .map(|version| (version.key(), version.version_id()));
        let markers = listed
            .delete_markers()
            .iter()
            .map(|marker| (marker.key(), marker.version_id()));
        let objects: Vec<ObjectIdentifier> = versions
            .chain(markers)
            .filter_map(|(key, version)| {
                ObjectIdentifier::builder()
                    .set_key(key.map(str::to_string))
                    // A bucket that never had versioning lists its objects with the version
                    // "null", which deletes them as plain objects.
                    .set_version_id(version.map(str::to_string))
                    .build()
                    .ok()
            })
            .collect();
        for chunk in objects.chunks(1000) {
            let delete = Delete::builder()
                .set_objects(Some(chunk.to_vec()))
                .quiet(true)
                .build()
                .map_err(|error| error.to_string())?;
            if let Err(error) = s3
                .delete_objects()
                .bucket(bucket)
                .delete(delete)
                .send()
                .await
            {
                return Ok(Outcome::Failed(explain(&error)));
            }
        }
        if listed.is_truncated() != Some(true) {
            break;
        }
        key_marker = listed.next_key_marker().map(str::to_string);
        version_marker = listed.next_version_id_marker().map(str::to_string);
    }
    if let Ok(uploads) = s3.list_multipart_uploads().bucket(bucket).send().await {
        for upload in uploads.uploads() {
            let _ = s3
                .abort_multipart_upload()
                .bucket(bucket)
                .set_key(upload.key().map(str::to_string))
                .set_upload_id(upload.upload_id().map(str::to_string))
                .send()
                .await;
        }
    }
    let result = s3.delete_bucket().bucket(bucket).send().await;
    Ok(settled(result, &["NoSuchBucket"]))
}

/// Disables a distribution, waits until the change is deployed to every edge, then deletes
/// it: AWS refuses to delete one that is enabled or still deploying.
async fn delete_distribution(config: &SdkConfig, id: &str) -> Result<Outcome, String> {
    let cloudfront = aws_sdk_cloudfront::Client::new(config);
    let current = match cloudfront.get_distribution_config().id(id).send().await {
        Ok(current) => current,
        Err(error) if code(&error) == Some("NoSuchDistribution") => return Ok(Outcome::Deleted),
        Err(error) => return Ok(Outcome::Failed(explain(&error))),
    };
    if let Some(config) = current.distribution_config()
        && config.enabled()
    {
        let mut disabled = config.clone();
        disabled.enabled = false;
        if let Err(error) = cloudfront
            .update_distribution()
            .id(id)
            .if_match(current.e_tag().unwrap_or_default())
            .distribution_config(disabled)
            .send()
            .await
        {
            return Ok(Outcome::Failed(explain(&error)));
        }
    }
    let started = Instant::now();
    let mut pause = Duration::from_millis(500);
    let etag = loop {
        let answer = match cloudfront.get_distribution().id(id).send().await {
            Ok(answer) => answer,
            Err(error) if code(&error) == Some("NoSuchDistribution") => {
                return Ok(Outcome::Deleted);
            }
            Err(error) => return Ok(Outcome::Failed(explain(&error))),
        };
        let status = answer
            .distribution()
            .map(|distribution| distribution.status().to_string())
            .unwrap_or_default();
        if status == "Deployed" {
            break answer.e_tag().unwrap_or_default().to_string();
        }
        if started.elapsed() > PATIENCE {
            return Ok(Outcome::Failed(format!(
                "still {status} after 30 minutes; run cleanup again later"
            )));
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_secs(15));
    };
    let result = cloudfront
        .delete_distribution()
        .id(id)
        .if_match(etag)
        .send()
        .await;
    Ok(settled(result, &["NoSuchDistribution"]))
}

/// Takes away what keeps a user from being deleted (MFA devices, access keys, a console
/// password, policies, groups), then the user.
async fn delete_user(config: &SdkConfig, user: &str) -> Result<Outcome, String> {
    let iam = aws_sdk_iam::Client::new(config);
    let fail = |error: String| Ok(Outcome::Failed(error));
    match iam.list_mfa_devices().user_name(user).send().await {
        Ok(devices) => {
            for device in devices.mfa_devices() {
                if let Err(error) = iam
                    .deactivate_mfa_device()
                    .user_name(user)
                    .serial_number(device.serial_number())
                    .send()
                    .await
                {
                    return fail(explain(&error));
                }
            }
        }
        Err(error) if code(&error) == Some("NoSuchEntity") => return Ok(Outcome::Deleted),
        Err(error) => return fail(explain(&error)),
    }
    if let Ok(keys) = iam.list_access_keys().user_name(user).send().await {
        for key in keys.access_key_metadata() {
            if let Some(key_id) = key.access_key_id() {
                let _ = iam
                    .delete_access_key()
                    .user_name(user)
                    .access_key_id(key_id)
                    .send()
                    .await;
            }
        }
    }
    let _ = iam.delete_login_profile().user_name(user).send().await;
    if let Ok(attached) = iam
        .list_attached_user_policies()
        .user_name(user)
        .send()
        .await
    {
        for policy in attached.attached_policies() {
            if let Some(arn) = policy.policy_arn() {
                let _ = iam
                    .detach_user_policy()
                    .user_name(user)
                    .policy_arn(arn)
                    .send()
                    .await;
            }
        }
    }
    if let Ok(inline) = iam.list_user_policies().user_name(user).send().await {
        for name in inline.policy_names() {
            let _ = iam
                .delete_user_policy()
                .user_name(user)
                .policy_name(name)
                .send()
                .await;
        }
    }
    if let Ok(groups) = iam.list_groups_for_user().user_name(user).send().await {
        for group in groups.groups() {
            let _ = iam
                .remove_user_from_group()
                .user_name(user)
                .group_name(group.group_name())
                .send()
                .await;
        }
    }
    let result = iam.delete_user().user_name(user).send().await;
    Ok(settled(result, &["NoSuchEntity"]))
}

/// Runs a whole cleanup and tells the learner how it goes: a bar on a terminal, a line per
/// resource otherwise, then what could not be deleted and why.
pub fn run(
    config: &SdkConfig,
    journal: &mut Journal,
    scope: &Scope,
    lang: crate::lang::Lang,
    keep: Option<&str>,
    terminal: bool,
    out: &mut dyn Write,
) -> io::Result<Result<Report, String>> {
    use super::messages as msg;
    let found = match inventory(config, journal, scope, keep) {
        Ok(Inventory { found, kept }) => {
            if let Some(user) = kept {
                writeln!(out, "{}", msg::cleanup_keeps(lang, &user))?;
            }
            found
        }
        Err(reason) => {
            writeln!(out, "{}", msg::cleanup_cannot_look(lang, &reason))?;
            return Ok(Err(reason));
        }
    };
    if found.is_empty() {
        writeln!(out, "{}", msg::cleanup_nothing(lang))?;
        return Ok(Ok(Report::default()));
    }
    writeln!(out, "{}", msg::cleanup_found(lang, found.len()))?;
    let bar = if terminal {
        let bar = indicatif::ProgressBar::new(found.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let report = delete(config, journal, found, &mut |item, failure| {
        let line = match failure {
            None => msg::cleanup_deleted(lang, &item.describe()),
            Some(reason) => msg::cleanup_failed(lang, &item.describe(), reason),
        };
        // Each line as it comes, so a cleanup that is killed shows how far it got.
        bar.suspend(|| {
            let _ = writeln!(out, "{line}").and_then(|()| out.flush());
        });
        bar.inc(1);
    });
    bar.finish_and_clear();
    writeln!(
        out,
        "{}",
        msg::cleanup_done(lang, report.deleted.len(), report.failed.len())
    )?;
    Ok(Ok(report))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws_target::journal::Entry;
    use crate::target::{Endpoint, Target};

    #[test]
    fn what_cannot_be_deleted_is_reported_with_why_and_stays_in_the_journal() {
        let dir = tempfile::tempdir().expect("dir");
        let (mut journal, _) = Journal::open(dir.path()).expect("journal");
        journal.record(Entry::new(
            "s",
            None,
            Resource::KeyPair,
            "lecture",
            "ap-northeast-2",
        ));
        // Nothing listens here: every call fails, as a call AWS refuses would.
        let config =
            Target::Endpoint(Endpoint::new("http://127.0.0.1:9", "AKID", "secret")).sdk_config();
        let found = vec![simple(Resource::KeyPair, "lecture", "ap-northeast-2", None)];
        let mut told = Vec::new();
        let report = delete(&config, &mut journal, found, &mut |item, failure| {
            told.push((item.describe(), failure.map(str::to_string)));
        });
        assert!(report.deleted.is_empty());
        let (item, reason) = &report.failed[0];
        assert_eq!(item.id, "lecture");
        assert!(!reason.is_empty());
        assert_eq!(
            told,
            [("key pair lecture".to_string(), Some(reason.clone()))]
        );
        assert_eq!(
            journal.live(None).count(),
            1,
            "still to be deleted next time"
        );
        let line =
            super::super::messages::cleanup_failed(crate::lang::Lang::En, &told[0].0, reason);
        assert!(line.starts_with("  could not delete key pair lecture: "));
    }

    #[test]
    fn sessions_are_taken_as_the_scope_says() {
        let dir = tempfile::tempdir().expect("dir");
        let (mut journal, _) = Journal::open(dir.path()).expect("journal");
        journal.record(Entry::new("mine", None, Resource::Bucket, "b", "r"));
        let one = Wanted::new(&Scope::Session("mine".into()), &journal);
        assert!(one.tagged("mine") && !one.tagged("other"));
        assert!(one.journaled("mine") && !one.journaled("other"));
        let here = Wanted::new(&Scope::Journal, &journal);
        assert!(here.tagged("mine") && !here.tagged("from-another-machine"));
        let all = Wanted::new(&Scope::All, &journal);
        assert!(all.tagged("from-another-machine"));
    }
}
