//! The local record of what the shell created on AWS: every resource, with the session and
//! lesson that made it, and how long each instance has run.
//!
//! Tags find most of what a session made, but not all: AWS cannot tag an origin access control,
//! and a learner may untag something by hand. The journal is the second witness, and the one
//! `bill` estimates from. It holds names and ids only, never key material or MFA seeds, and it
//! is replaced atomically after every change, so a cleanup killed halfway resumes from it.

use std::path::{Path, PathBuf};

use cloudlings_core::operation::Resource;
use serde::{Deserialize, Serialize};

/// The journal's file, in the account's folder of the data folder (`aws/<account id>/`).
pub const FILE_NAME: &str = "journal.json";

/// One resource the shell created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub session: String,
    #[serde(default)]
    pub lesson: Option<String>,
    pub kind: Resource,
    /// The id cleanup deletes it by: an instance or group id, a key pair's or bucket's or
    /// user's name, a distribution's or OAC's id, an MFA device's serial number.
    pub id: String,
    pub region: String,
    /// A security group's name, which the learner deletes it by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// When it was created, in Unix seconds.
    pub created: i64,
    /// An instance's type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_type: Option<String>,
    /// An instance's price per hour, from the price table, when the table has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hourly: Option<f64>,
    /// Seconds an instance ran before its current run (stops end a run).
    #[serde(default)]
    pub billed_seconds: i64,
    /// When an instance's current run began; `None` while it is stopped or gone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub running_since: Option<i64>,
    /// Bytes the shell uploaded into a bucket.
    #[serde(default)]
    pub bytes: u64,
    /// Deleted (by the learner or by cleanup).
    #[serde(default)]
    pub gone: bool,
}

impl Entry {
    pub fn new(
        session: &str,
        lesson: Option<&str>,
        kind: Resource,
        id: &str,
        region: &str,
    ) -> Entry {
        Entry {
            session: session.to_string(),
            lesson: lesson.map(str::to_string),
            kind,
            id: id.to_string(),
            region: region.to_string(),
            name: None,
            created: now(),
            instance_type: None,
            hourly: None,
            billed_seconds: 0,
            running_since: None,
            bytes: 0,
            gone: false,
        }
    }

    /// Seconds an instance has run by `at`, each run rounded up to the 60-second minimum.
    pub fn run_seconds(&self, at: i64) -> i64 {
        let current = self.running_since.map_or(0, |since| {
            (at - since).max(cloudlings_emulator::billing::MINIMUM_SECONDS)
        });
        self.billed_seconds + current
    }
}

/// The journal, bound to its file.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    pub entries: Vec<Entry>,
}

/// A journal that could not be read, and where it was put.
#[derive(Debug)]
pub struct Recovery {
    pub reason: String,
    pub moved_to: PathBuf,
}

impl Journal {
    /// The journal in `dir`; an unreadable one is set aside (tags still find what it listed).
    pub fn open(dir: &Path) -> anyhow::Result<(Journal, Option<Recovery>)> {
        let path = dir.join(FILE_NAME);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok((Journal::empty(path), None));
            }
            Err(error) => return Err(anyhow::anyhow!("cannot read {}: {error}", path.display())),
        };
        match serde_json::from_slice::<Vec<Entry>>(&bytes) {
            Ok(entries) => Ok((Journal { path, entries }, None)),
            Err(error) => {
                let moved_to = cloudlings_core::atomic::set_aside(&path)?;
                let recovery = Recovery {
                    reason: error.to_string(),
                    moved_to,
                };
                Ok((Journal::empty(path), Some(recovery)))
            }
        }
    }

    fn empty(path: PathBuf) -> Journal {
        Journal {
            path,
            entries: Vec::new(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes the journal atomically. What another shell on the same data folder recorded
    /// since this one read the file is kept: two terminals on one account lose nothing.
    pub fn save(&self) -> anyhow::Result<()> {
        let mut entries = self.entries.clone();
        if let Ok(bytes) = std::fs::read(&self.path)
            && let Ok(on_disk) = serde_json::from_slice::<Vec<Entry>>(&bytes)
        {
            for theirs in on_disk {
                if !entries
                    .iter()
                    .any(|ours| ours.kind == theirs.kind && ours.id == theirs.id)
                {
                    entries.push(theirs);
                }
            }
        }
        let mut json = serde_json::to_vec_pretty(&entries)?;
        json.push(b'\n');
        cloudlings_core::atomic::write(&self.path, &json)
    }

    /// Adds a resource (or brings one with the same kind and id back).
    pub fn record(&mut self, entry: Entry) {
        match self.find_mut(entry.kind, &entry.id) {
            Some(known) if known.gone => *known = entry,
            Some(_) => {}
            None => self.entries.push(entry),
        }
    }

    pub fn find_mut(&mut self, kind: Resource, id: &str) -> Option<&mut Entry> {
        self.entries
            .iter_mut()
            .rev()
            .find(|entry| entry.kind == kind && entry.id == id)
    }

    /// An instance stopped or ended at `at`: its run is counted and closed.
    pub fn stopped(&mut self, id: &str, at: i64) {
        if let Some(entry) = self.find_mut(Resource::Instance, id)
            && entry.running_since.is_some()
        {
            entry.billed_seconds = entry.run_seconds(at);
            entry.running_since = None;
        }
    }

    /// An instance started again at `at`.
    pub fn started(&mut self, id: &str, at: i64) {
        if let Some(entry) = self.find_mut(Resource::Instance, id)
            && !entry.gone
            && entry.running_since.is_none()
        {
            entry.running_since = Some(at);
        }
    }

    /// A resource no longer exists.
    pub fn gone(&mut self, kind: Resource, id: &str) {
        if kind == Resource::Instance {
            self.stopped(id, now());
        }
        if let Some(entry) = self.find_mut(kind, id) {
            entry.gone = true;
        }
    }

    /// Resources still there, of `sessions` (all sessions when `None`).
    pub fn live<'a>(&'a self, session: Option<&'a str>) -> impl Iterator<Item = &'a Entry> {
        self.entries
            .iter()
            .filter(move |entry| !entry.gone && session.is_none_or(|id| entry.session == id))
    }
}

/// Now, in Unix seconds.
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_instance_is_billed_for_its_runs_with_the_minimum() {
        let mut entry = Entry::new("s", None, Resource::Instance, "i-1", "ap-northeast-2");
        entry.running_since = Some(1_000);
        assert_eq!(entry.run_seconds(1_010), 60, "the 60-second minimum");
        assert_eq!(entry.run_seconds(4_600), 3_600);
        let mut journal = Journal::empty(PathBuf::from("unused"));
        journal.record(entry);
        journal.stopped("i-1", 2_000);
        journal.started("i-1", 10_000);
        let entry = &journal.entries[0];
        assert_eq!(entry.billed_seconds, 1_000);
        assert_eq!(entry.run_seconds(10_030), 1_060);
    }

    #[test]
    fn a_journal_survives_a_round_trip_and_a_corrupt_one_is_set_aside() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (mut journal, recovery) = Journal::open(dir.path()).expect("open");
        assert!(recovery.is_none());
        journal.record(Entry::new(
            "s1",
            Some("ssh"),
            Resource::KeyPair,
            "lecture",
            "us-east-1",
        ));
        journal.save().expect("save");
        let (reopened, _) = Journal::open(dir.path()).expect("reopen");
        assert_eq!(reopened.entries, journal.entries);

        std::fs::write(dir.path().join(FILE_NAME), "{not json").expect("write");
        let (fresh, recovery) = Journal::open(dir.path()).expect("open corrupt");
        assert!(fresh.entries.is_empty());
        let recovery = recovery.expect("set aside");
        assert!(recovery.moved_to.exists());
    }

    #[test]
    fn two_shells_on_one_journal_keep_each_other_s_entries() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (mut first, _) = Journal::open(dir.path()).expect("open");
        let (mut second, _) = Journal::open(dir.path()).expect("open");
        first.record(Entry::new("a", None, Resource::Bucket, "b1", "r"));
        first.save().expect("save");
        second.record(Entry::new("b", None, Resource::Bucket, "b2", "r"));
        second.save().expect("save");
        let (merged, _) = Journal::open(dir.path()).expect("reopen");
        let ids: Vec<&str> = merged.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["b2", "b1"]);
    }

    #[test]
    fn live_entries_are_those_not_gone_in_the_session_asked() {
        let mut journal = Journal::empty(PathBuf::from("unused"));
        journal.record(Entry::new("a", None, Resource::Bucket, "b1", "r"));
        journal.record(Entry::new("b", None, Resource::Bucket, "b2", "r"));
        journal.gone(Resource::Bucket, "b1");
        assert_eq!(journal.live(None).count(), 1);
        assert_eq!(journal.live(Some("a")).count(), 0);
        journal.record(Entry::new("a", None, Resource::Bucket, "b1", "r"));
        assert_eq!(journal.live(Some("a")).count(), 1, "made again");
    }
}
