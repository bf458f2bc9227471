//! `--target aws`: the course on a real account, where a mistake costs money.
//!
//! What the shell adds on this target, and only here:
//! - who is calling ([`Caller`]), with a warning and a refusal of billable steps for the root
//!   user (the MFA lesson says why);
//! - the cost guard ([`guard`]): what a command would create, priced, and a question first;
//! - tags on everything it creates ([`tagging`]) and a local [`journal`] of it;
//! - `bill` as an estimate of the session's spend ([`spend`]);
//! - `cleanup` ([`cleanup`]): everything a session made ([`found`]), found and deleted in
//!   order;
//! - private keys kept off the screen ([`secrets`]).

pub mod cleanup;
pub mod found;
pub mod guard;
pub mod journal;
pub mod messages;
pub mod secrets;
pub mod spend;
pub mod tagging;

use std::io::{self, Write};

use aws_config::SdkConfig;
use serde_json::Value;

use self::guard::Charge;
use self::journal::{Entry, Journal};
use self::tagging::Tags;
use crate::aws_cli::Args;
use crate::lang::Lang;
use crate::style::Style;
use cloudlings_core::operation::{Effect, Operation, Resource};

/// Who the credentials belong to, as STS says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub account: String,
    pub arn: String,
}

impl Caller {
    /// The account's root user: its ARN is the account's own, `arn:aws:iam::123456789012:root`.
    pub fn is_root(&self) -> bool {
        self.arn.ends_with(":root")
    }

    /// The IAM user's name, when the caller is one (`…:user/path/admin` → `admin`).
    pub fn user_name(&self) -> Option<&str> {
        let (_, resource) = self.arn.rsplit_once(':')?;
        resource.strip_prefix("user/")?.rsplit('/').next()
    }
}

/// Asks STS who the credentials are.
pub async fn identify(config: &SdkConfig) -> Result<Caller, String> {
    let sts = aws_sdk_sts::Client::new(config);
    let answer = sts
        .get_caller_identity()
        .send()
        .await
        .map_err(|error| explain(&error))?;
    Ok(Caller {
        account: answer.account().unwrap_or_default().to_string(),
        arn: answer.arn().unwrap_or_default().to_string(),
    })
}

/// An SDK error in one line: the service's code and message, else the chain of causes.
pub fn explain<E, R>(error: &aws_smithy_runtime_api::client::result::SdkError<E, R>) -> String
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    use aws_smithy_types::error::metadata::ProvideErrorMetadata;
    match (error.code(), error.message()) {
        (Some(code), Some(message)) => format!("{code}: {message}"),
        (Some(code), None) => code.to_string(),
        // Each cause once, in words: the SDK's own rendering adds its structures' Debug.
        _ => {
            let mut text = error.to_string();
            let mut source = std::error::Error::source(error);
            while let Some(cause) = source {
                let said = cause.to_string();
                if !text.contains(&said) {
                    text.push_str(": ");
                    text.push_str(&said);
                }
                source = cause.source();
            }
            text
        }
    }
}

/// The error code of an SDK error, if the service gave one.
pub fn code<E, R>(error: &aws_smithy_runtime_api::client::result::SdkError<E, R>) -> Option<&str>
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata,
{
    use aws_smithy_types::error::metadata::ProvideErrorMetadata;
    error.code()
}

/// The newest image of each family lessons name (`{ami_ubuntu}`), as this account's region
/// has them: the values the session binds in place of the emulator's ids.
pub async fn images(config: &SdkConfig) -> Vec<(String, String)> {
    let ec2 = aws_sdk_ec2::Client::new(config);
    let mut found = Vec::new();
    for (family, owner, pattern) in cloudlings_core::catalog::IMAGE_FAMILIES {
        let answer = ec2
            .describe_images()
            .owners(*owner)
            .filters(
                aws_sdk_ec2::types::Filter::builder()
                    .name("name")
                    .values(*pattern)
                    .build(),
            )
            .send()
            .await;
        let Ok(answer) = answer else {
            continue;
        };
        let newest = answer
            .images()
            .iter()
            .filter(|image| image.image_id().is_some())
            .max_by(|a, b| a.creation_date().cmp(&b.creation_date()));
        if let Some(id) = newest.and_then(|image| image.image_id()) {
            found.push((family.to_string(), id.to_string()));
        }
    }
    found
}

/// A new session's id: when it began, and four random hex digits.
pub fn new_session_id() -> String {
    let now = time::OffsetDateTime::now_utc();
    let suffix: u16 = rand::random();
    format!(
        "{:04}{:02}{:02}-{:02}{:02}{:02}-{suffix:04x}",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    )
}

/// The shell's hold on an AWS account.
#[derive(Debug)]
pub struct Account {
    pub caller: Caller,
    pub region: String,
    pub session: String,
    pub journal: Journal,
    /// `--yes`: billable commands go ahead without asking (scripted runs).
    pub yes: bool,
    /// `--allow-root`: the learner insisted on billable steps as the root user.
    pub allow_root: bool,
    /// The lesson the learner is in, for the `cloudlings:lesson` tag.
    pub lesson: Option<String>,
    /// A billable command waiting for the learner's yes.
    asking: Option<Vec<String>>,
    /// The command the learner said yes to, which now runs without asking again.
    confirmed: Option<Vec<String>>,
}

/// Whether a command may go on to AWS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admit {
    Go,
    /// The learner is asked first; the command waits ([`Account::take_question`]).
    Ask,
    /// Refused, with this exit status.
    Refuse(i32),
}

impl Account {
    pub fn new(caller: Caller, region: &str, session: String, journal: Journal) -> Account {
        Account {
            caller,
            region: region.to_string(),
            session,
            journal,
            yes: false,
            allow_root: false,
            lesson: None,
            asking: None,
            confirmed: None,
        }
    }

    pub fn tags(&self) -> Tags {
        Tags::new(&self.session, self.lesson.as_deref())
    }

    /// The cost guard's word on a command: refused as root, asked about, or let through.
    pub fn admit(
        &mut self,
        words: &[String],
        charge: Option<&Charge>,
        lang: Lang,
        style: Style,
        out: &mut dyn Write,
    ) -> io::Result<Admit> {
        let Some(charge) = charge else {
            return Ok(Admit::Go);
        };
        if self.caller.is_root() && !self.allow_root {
            writeln!(out, "{}", style.bad(&messages::root_refused(lang)))?;
            return Ok(Admit::Refuse(1));
        }
        if self.confirmed.as_deref() == Some(words) {
            self.confirmed = None;
            return Ok(Admit::Go);
        }
        writeln!(out, "{}", messages::charge(lang, charge))?;
        if self.yes {
            writeln!(out, "{}", style.dim(&messages::confirmed_by_flag(lang)))?;
            return Ok(Admit::Go);
        }
        writeln!(out, "{}", messages::go_ahead(lang))?;
        self.asking = Some(words.to_vec());
        Ok(Admit::Ask)
    }

    /// The command waiting for a yes, if one is.
    pub fn take_question(&mut self) -> Option<Vec<String>> {
        self.asking.take()
    }

    /// The learner said yes to `words`: the next run of them goes ahead.
    pub fn confirm(&mut self, words: Vec<String>) {
        self.confirmed = Some(words);
    }

    /// Takes note of what a successful call made, changed or deleted, from its whole answer
    /// (before `--query`), and tags what could not be tagged in the call itself. Returns what
    /// the learner should hear about (a tag that did not stick).
    pub fn record(&mut self, args: &Args, answer: &Value, config: &SdkConfig) -> Vec<String> {
        let region = region_of(config, &self.region);
        let mut notes = Vec::new();
        let made = |kind: Resource, id: &str| {
            Entry::new(&self.session, self.lesson.as_deref(), kind, id, &region)
        };
        let mut entries = Vec::new();
        let at = journal::now();
        // What each kind of resource's create and delete answer with; the table in
        // cloudlings-core says which operation creates or deletes what.
        let effect = args.op().map_or(Effect::Reads, Operation::effect);
        match effect {
            Effect::Creates(Resource::Instance) => {
                for instance in list(&answer["Instances"]) {
                    let Some(id) = instance["InstanceId"].as_str() else {
                        continue;
                    };
                    let mut entry = made(Resource::Instance, id);
                    let instance_type = instance["InstanceType"].as_str().unwrap_or_default();
                    let windows = instance["Platform"].as_str() == Some("windows");
                    // The instance, its public IPv4 address and its root volume, while it runs.
                    let root_gib = cloudlings_core::catalog::root_gib(windows);
                    entry.hourly = cloudlings_core::prices::hourly(&region, instance_type, windows)
                        .map(|price| {
                            price
                                + cloudlings_core::prices::instance_extras_hourly(&region, root_gib)
                        });
                    entry.instance_type = Some(instance_type.to_string());
                    entry.running_since = Some(at);
                    entries.push(entry);
                }
            }
            Effect::Creates(Resource::SecurityGroup) => {
                if let Some(id) = answer["GroupId"].as_str() {
                    let mut entry = made(Resource::SecurityGroup, id);
                    entry.name = first(args, "group-name");
                    entries.push(entry);
                }
            }
            Effect::Creates(Resource::KeyPair) => {
                if let Some(name) = answer["KeyName"].as_str() {
                    entries.push(made(Resource::KeyPair, name));
                }
            }
            Effect::Creates(Resource::User) => {
                if let Some(name) = answer["User"]["UserName"].as_str() {
                    entries.push(made(Resource::User, name));
                }
            }
            Effect::Creates(Resource::MfaDevice) => {
                if let Some(serial) = answer["VirtualMFADevice"]["SerialNumber"].as_str() {
                    entries.push(made(Resource::MfaDevice, serial));
                }
            }
            Effect::Creates(Resource::Bucket) => {
                if let Some(bucket) = first(args, "bucket") {
                    entries.push(made(Resource::Bucket, &bucket));
                    notes.extend(self.tag_bucket(config, &bucket));
                }
            }
            Effect::Creates(Resource::Distribution) => {
                let distribution = &answer["Distribution"];
                if let Some(id) = distribution["Id"].as_str() {
                    entries.push(made(Resource::Distribution, id));
                    let arn = distribution["ARN"].as_str().unwrap_or_default();
                    let tags = self.tags();
                    let tagged =
                        crate::target::block_on(tagging::tag_distribution(config, arn, &tags))
                            .and_then(|tagged| tagged);
                    if let Err(reason) = tagged {
                        notes.push(format!("{id}: {reason}"));
                    }
                }
            }
            Effect::Creates(Resource::OriginAccessControl) => {
                if let Some(id) = answer["OriginAccessControl"]["Id"].as_str() {
                    entries.push(made(Resource::OriginAccessControl, id));
                }
            }
            Effect::Deletes(Resource::Instance) => {
                for change in list(&answer["TerminatingInstances"]) {
                    if let Some(id) = change["InstanceId"].as_str() {
                        self.journal.gone(Resource::Instance, id);
                    }
                }
            }
            Effect::Stops(Resource::Instance) => {
                for change in list(&answer["StoppingInstances"]) {
                    if let Some(id) = change["InstanceId"].as_str() {
                        self.journal.stopped(id, at);
                    }
                }
            }
            Effect::Starts(Resource::Instance) => {
                for change in list(&answer["StartingInstances"]) {
                    if let Some(id) = change["InstanceId"].as_str() {
                        self.journal.started(id, at);
                    }
                }
            }
            Effect::Deletes(Resource::SecurityGroup) => {
                let id = first(args, "group-id").or_else(|| {
                    let name = first(args, "group-name")?;
                    self.journal
                        .live(None)
                        .find(|entry| entry.name.as_deref() == Some(name.as_str()))
                        .map(|entry| entry.id.clone())
                });
                if let Some(id) = id {
                    self.journal.gone(Resource::SecurityGroup, &id);
                }
            }
            Effect::Deletes(Resource::KeyPair) => {
                self.forget(Resource::KeyPair, first(args, "key-name"))
            }
            Effect::Deletes(Resource::Bucket) => {
                self.forget(Resource::Bucket, first(args, "bucket"))
            }
            Effect::Deletes(Resource::Distribution) => {
                self.forget(Resource::Distribution, first(args, "id"));
            }
            Effect::Deletes(Resource::OriginAccessControl) => {
                self.forget(Resource::OriginAccessControl, first(args, "id"));
            }
            Effect::Deletes(Resource::MfaDevice) => {
                self.forget(Resource::MfaDevice, first(args, "serial-number"));
            }
            Effect::Deletes(Resource::User) => {
                self.forget(Resource::User, first(args, "user-name"))
            }
            // Volumes come and go with their instances; reads and other changes leave the
            // journal as it is.
            Effect::Creates(Resource::Volume)
            | Effect::Deletes(Resource::Volume)
            | Effect::Starts(_)
            | Effect::Stops(_)
            | Effect::Reads
            | Effect::Changes => {}
        }
        for entry in entries {
            self.journal.record(entry);
        }
        notes.extend(self.save());
        notes
    }

    /// `aws s3 mb` made a bucket.
    pub fn made_bucket(&mut self, bucket: &str, config: &SdkConfig) -> Vec<String> {
        let region = region_of(config, &self.region);
        let entry = Entry::new(
            &self.session,
            self.lesson.as_deref(),
            Resource::Bucket,
            bucket,
            &region,
        );
        self.journal.record(entry);
        let mut notes = self.tag_bucket(config, bucket);
        notes.extend(self.save());
        notes
    }

    /// `aws s3 cp`/`sync` put `bytes` into a bucket.
    pub fn uploaded(&mut self, bucket: &str, bytes: u64) -> Vec<String> {
        if let Some(entry) = self.journal.find_mut(Resource::Bucket, bucket) {
            entry.bytes += bytes;
        }
        self.save()
    }

    /// `aws s3 rb` removed a bucket.
    pub fn removed_bucket(&mut self, bucket: &str) -> Vec<String> {
        self.journal.gone(Resource::Bucket, bucket);
        self.save()
    }

    fn forget(&mut self, kind: Resource, id: Option<String>) {
        if let Some(id) = id {
            self.journal.gone(kind, &id);
        }
    }

    fn tag_bucket(&self, config: &SdkConfig, bucket: &str) -> Vec<String> {
        let tags = self.tags();
        match crate::target::block_on(tagging::tag_bucket(config, bucket, &tags))
            .and_then(|tagged| tagged)
        {
            Ok(()) => Vec::new(),
            Err(reason) => vec![format!("{bucket}: {reason}")],
        }
    }

    fn save(&self) -> Vec<String> {
        match self.journal.save() {
            Ok(()) => Vec::new(),
            Err(error) => vec![format!("{error:#}")],
        }
    }
}

/// The region a call went to.
fn region_of(config: &SdkConfig, fallback: &str) -> String {
    config
        .region()
        .map_or(fallback, |region| region.as_ref())
        .to_string()
}

/// The first value of a parameter, as typed.
fn first(args: &Args, name: &str) -> Option<String> {
    args.param(name)?.first().cloned()
}

fn list(value: &Value) -> &[Value] {
    value.as_array().map_or(&[], Vec::as_slice)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_user_is_told_apart_by_its_arn() {
        let caller = |arn: &str| Caller {
            account: "123456789012".into(),
            arn: arn.into(),
        };
        assert!(caller("arn:aws:iam::123456789012:root").is_root());
        assert!(!caller("arn:aws:iam::123456789012:user/admin").is_root());
        assert!(!caller("arn:aws:sts::123456789012:assumed-role/Admin/me").is_root());
        assert_eq!(
            caller("arn:aws:iam::123456789012:user/team/admin").user_name(),
            Some("admin")
        );
        assert_eq!(caller("arn:aws:iam::123456789012:root").user_name(), None);
    }

    #[test]
    fn session_ids_are_the_date_time_and_four_hex_digits() {
        let today = time::OffsetDateTime::now_utc();
        let id = new_session_id();
        let parts: Vec<&str> = id.split('-').collect();
        let [date, clock, suffix] = parts.as_slice() else {
            panic!("three parts: {id}");
        };
        let expected_date = format!(
            "{:04}{:02}{:02}",
            today.year(),
            u8::from(today.month()),
            today.day()
        );
        // (Run across midnight, the id may carry the next day.)
        assert!(*date >= expected_date.as_str(), "{id}");
        assert!(
            date.len() == 8 && date.chars().all(|c| c.is_ascii_digit()),
            "{id}"
        );
        assert!(
            clock.len() == 6 && clock.chars().all(|c| c.is_ascii_digit()),
            "{id}"
        );
        assert!(
            suffix.len() == 4 && suffix.chars().all(|c| c.is_ascii_hexdigit()),
            "{id}"
        );
    }
}
