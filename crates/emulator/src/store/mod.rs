//! Where the state is kept between runs: an SQLite database (WAL mode, fsync at every commit)
//! holding the state cut into one record per resource ([`records`]).
//!
//! A change writes only the records it altered, found by comparing a hash of each record of
//! the touched [`Part`] with the hash last written, so its cost follows the change, not the
//! size of the world. The comparison happens under the locks of what changed (an account's, or
//! the shared part's), so changes to a record are compared in the order they were made; the
//! writing happens on a thread of its own, which commits whatever has queued up
//! in one transaction (one fsync for many learners' changes). A request's answer waits for its
//! [`Ticket`], so nothing a client was told happened is lost to a crash.
//!
//! SQLite through `rusqlite`'s bundled library rather than a log of our own: it gives atomic,
//! crash-safe transactions, in-place updates without a compaction scheme to get right, and a
//! file another process can read while the emulator runs (`cloudlings env`).

pub mod legacy;
pub mod records;

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use anyhow::Context as _;
use rusqlite::{Connection, OpenFlags};

use records::Record;
pub use records::{Part, View};

use crate::state::State;

/// The database's file name in the state directory.
pub const FILE_NAME: &str = "state.db";

/// The database's page size, in bytes.
const PAGE_SIZE: u32 = 1024;

/// A record written or removed.
type Change = (String, Option<Vec<u8>>);

/// Why a change could not be made durable.
#[derive(Debug, Clone, thiserror::Error)]
#[error("the emulator could not save its state: {0}")]
pub struct SaveError(String);

/// The saved state and the thread that writes it.
#[derive(Debug)]
pub struct Store {
    shared: Arc<Shared>,
    /// The hash of every record as last queued, by key: what a change is compared with.
    ledger: Mutex<BTreeMap<String, u64>>,
    writer: Option<std::thread::JoinHandle<()>>,
}

#[derive(Debug, Default)]
struct Queue {
    /// The sequence number the next batch gets.
    next: u64,
    /// Changes queued and not yet taken by the writer, by key: a later change to a record
    /// replaces an earlier one that was never written.
    pending: HashMap<String, Option<Vec<u8>>>,
    /// The last sequence number among `pending`.
    last: u64,
    closing: bool,
}

#[derive(Debug, Default)]
struct Progress {
    /// Every batch up to this one is on disk.
    durable: u64,
    /// Batches that could not be written, with why (the last few thousand).
    failed: BTreeMap<u64, String>,
}

#[derive(Debug)]
struct Shared {
    queue: Mutex<Queue>,
    queued: Condvar,
    progress: Mutex<Progress>,
    advanced: Condvar,
    /// The same progress for waiters on the async runtime.
    durable: tokio::sync::watch::Sender<u64>,
}

/// A change queued for writing: wait on it before telling anyone the change happened.
#[derive(Debug, Clone)]
#[must_use = "a change is not durable until its ticket is waited on"]
pub struct Ticket {
    seq: u64,
    shared: Option<Arc<Shared>>,
}

impl Ticket {
    /// A ticket for a change with nothing to write.
    pub fn done() -> Ticket {
        Ticket {
            seq: 0,
            shared: None,
        }
    }

    /// Blocks until the change is on disk.
    pub fn wait(&self) -> Result<(), SaveError> {
        let Some(shared) = &self.shared else {
            return Ok(());
        };
        let mut progress = lock(&shared.progress);
        loop {
            if let Some(error) = progress.failed.get(&self.seq).cloned() {
                return Err(SaveError(error));
            }
            if progress.durable >= self.seq {
                return Ok(());
            }
            progress = shared
                .advanced
                .wait(progress)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
    }

    /// Waits, without holding a thread, until the change is on disk.
    pub async fn durable(&self) -> Result<(), SaveError> {
        let Some(shared) = &self.shared else {
            return Ok(());
        };
        let mut durable = shared.durable.subscribe();
        // The writer never stops while a store lives, so the channel stays open.
        let _ = durable.wait_for(|done| *done >= self.seq).await;
        match lock(&shared.progress).failed.get(&self.seq) {
            Some(error) => Err(SaveError(error.clone())),
            None => Ok(()),
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn hash(bytes: &[u8]) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

/// What [`Store::open`] found.
#[derive(Debug)]
pub enum Opened {
    /// The saved state.
    State(State),
    /// No database yet.
    Empty,
}

impl Store {
    /// Opens the database in `dir`, reading the state it holds. A database that cannot be
    /// read is an error: the caller sets it aside.
    pub fn open(dir: &Path) -> anyhow::Result<(Store, Opened)> {
        let path = dir.join(FILE_NAME);
        let existed = path.exists();
        let connection = connect(&path)?;
        let records =
            read_all(&connection).with_context(|| format!("cannot read {}", path.display()))?;
        let ledger = records
            .iter()
            .map(|(key, value)| (key.clone(), hash(value)))
            .collect();
        let opened = if existed && !records.is_empty() {
            Opened::State(
                records::assemble(records)
                    .with_context(|| format!("cannot read {}", path.display()))?,
            )
        } else {
            Opened::Empty
        };
        connection.set_prepared_statement_cache_capacity(8);
        let (durable, _) = tokio::sync::watch::channel(0);
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue {
                next: 1,
                ..Queue::default()
            }),
            queued: Condvar::new(),
            progress: Mutex::new(Progress::default()),
            advanced: Condvar::new(),
            durable,
        });
        let writer = {
            let shared = shared.clone();
            std::thread::Builder::new()
                .name("state-writer".into())
                .spawn(move || write_loop(connection, &shared))
                .context("cannot start the state's writer")?
        };
        Ok((
            Store {
                shared,
                ledger: Mutex::new(ledger),
                writer: Some(writer),
            },
            opened,
        ))
    }

    /// Queues what changed in `parts` of `view` since it was last queued. Call it holding
    /// the locks of what `view` shows, so changes queue in the order they were made.
    pub fn commit(&self, view: &View<'_>, parts: &[Part<'_>]) -> Ticket {
        let mut found = records::Cut::default();
        for part in parts {
            records::cut(view, *part, &mut found);
        }
        let records::Cut {
            records,
            kept,
            prefixes,
        } = found;
        let mut ledger = lock(&self.ledger);
        let mut changes: Vec<Change> = Vec::new();
        let mut seen: std::collections::HashSet<String> = kept.into_iter().collect();
        for (key, value) in records {
            let digest = hash(&value);
            if ledger.get(&key) != Some(&digest) {
                ledger.insert(key.clone(), digest);
                seen.insert(key.clone());
                changes.push((key, Some(value)));
            } else {
                seen.insert(key);
            }
        }
        for prefix in &prefixes {
            let gone: Vec<String> = ledger
                .range(prefix.clone()..)
                .take_while(|(key, _)| key.starts_with(prefix.as_str()))
                .filter(|(key, _)| records::covers(prefix, key) && !seen.contains(*key))
                .map(|(key, _)| key.clone())
                .collect();
            for key in gone {
                ledger.remove(&key);
                changes.push((key, None));
            }
        }
        if changes.is_empty() {
            return Ticket::done();
        }
        let mut queue = lock(&self.shared.queue);
        let seq = queue.next;
        queue.next += 1;
        queue.last = seq;
        queue.pending.extend(changes);
        drop(queue);
        self.shared.queued.notify_one();
        Ticket {
            seq,
            shared: Some(self.shared.clone()),
        }
    }
}

impl Store {
    /// A ticket for every change queued so far.
    pub fn flushed(&self) -> Ticket {
        let seq = lock(&self.shared.queue).next - 1;
        Ticket {
            seq,
            shared: Some(self.shared.clone()),
        }
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        lock(&self.shared.queue).closing = true;
        self.shared.queued.notify_one();
        if let Some(writer) = self.writer.take() {
            let _ = writer.join();
        }
    }
}

fn connect(path: &Path) -> anyhow::Result<Connection> {
    let connection =
        Connection::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    // Small pages: a record is one or two kilobytes, and a commit writes every page it
    // touched twice (to the WAL, then into the database), so a 4 KiB page would write four
    // times the record. Set before the first table exists; a database keeps its own.
    // WAL: a commit appends the changed pages and readers never block the writer. FULL: each
    // commit is fsynced before the change is confirmed, as the state file was.
    connection
        .pragma_update(None, "page_size", PAGE_SIZE)
        .and_then(|()| connection.pragma_update(None, "journal_mode", "WAL"))
        .and_then(|()| connection.pragma_update(None, "synchronous", "FULL"))
        // Pages copied back into the database once per 8 MiB of WAL rather than SQLite's
        // default 1,000 pages: a page changed many times in between is copied once.
        .and_then(|()| connection.pragma_update(None, "wal_autocheckpoint", 8192))
        .and_then(|()| {
            connection.execute_batch(
                "CREATE TABLE IF NOT EXISTS records (
                    key TEXT PRIMARY KEY NOT NULL,
                    value BLOB NOT NULL
                ) WITHOUT ROWID;",
            )
        })
        .with_context(|| format!("cannot use {}", path.display()))?;
    Ok(connection)
}

fn read_all(connection: &Connection) -> rusqlite::Result<Vec<Record>> {
    let mut statement = connection.prepare("SELECT key, value FROM records ORDER BY key")?;
    let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
    rows.collect()
}

/// Reads one record of the database in `dir` without taking it over (the emulator that owns
/// it may be writing): `None` when there is no database or no such record.
pub fn peek(dir: &Path, key: &str) -> anyhow::Result<Option<Vec<u8>>> {
    let path = dir.join(FILE_NAME);
    if !path.exists() {
        return Ok(None);
    }
    let connection = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .with_context(|| format!("cannot open {}", path.display()))?;
    let value = connection
        .query_row("SELECT value FROM records WHERE key = ?1", [key], |row| {
            row.get(0)
        })
        .map(Some)
        .or_else(|error| match error {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            other => Err(other),
        })
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(value)
}

/// Writes a consistent copy of the SQLite database `from` to `to` (a file that must not
/// exist yet), while whoever owns `from` goes on writing: `VACUUM INTO` reads one snapshot
/// of it, WAL and all, and writes it out whole.
pub fn copy_database(from: &Path, to: &Path) -> anyhow::Result<()> {
    let connection = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .with_context(|| format!("cannot open {}", from.display()))?;
    let to_text = to
        .to_str()
        .with_context(|| format!("{} is not a path SQLite can write to", to.display()))?;
    connection
        .execute("VACUUM INTO ?1", [to_text])
        .with_context(|| format!("cannot copy {} to {}", from.display(), to.display()))?;
    Ok(())
}

/// The state the database in `dir` holds, read without taking it over: `None` when there
/// is none.
pub fn read(dir: &Path) -> anyhow::Result<Option<State>> {
    let path = dir.join(FILE_NAME);
    if !path.exists() {
        return Ok(None);
    }
    let connection = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .with_context(|| format!("cannot open {}", path.display()))?;
    let records =
        read_all(&connection).with_context(|| format!("cannot read {}", path.display()))?;
    if records.is_empty() {
        return Ok(None);
    }
    let state =
        records::assemble(records).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(Some(state))
}

/// Moves an unreadable database and its WAL aside, never overwriting either.
pub fn set_aside(dir: &Path) -> anyhow::Result<PathBuf> {
    let path = dir.join(FILE_NAME);
    let moved = cloudlings_core::atomic::set_aside(&path)?;
    let wal = dir.join(format!("{FILE_NAME}-wal"));
    if wal.exists() {
        let mut name = moved.as_os_str().to_owned();
        name.push("-wal");
        std::fs::rename(&wal, PathBuf::from(name))
            .with_context(|| format!("cannot move {} aside", wal.display()))?;
    }
    let _ = std::fs::remove_file(dir.join(format!("{FILE_NAME}-shm")));
    Ok(moved)
}

/// The writer's loop: take everything queued, write it in one transaction, tell the waiters.
fn write_loop(mut connection: Connection, shared: &Shared) {
    // Changes whose writing failed, retried with the next batch.
    let mut retry: HashMap<String, Option<Vec<u8>>> = HashMap::new();
    loop {
        let (batch, first, last) = {
            let mut queue = lock(&shared.queue);
            while queue.pending.is_empty() && retry.is_empty() && !queue.closing {
                queue = shared
                    .queued
                    .wait(queue)
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
            }
            if queue.pending.is_empty() && retry.is_empty() {
                return;
            }
            // Every batch before this one has been answered, written or failed.
            let done = lock(&shared.progress).durable;
            let first = done + 1;
            let mut batch = std::mem::take(&mut retry);
            batch.extend(std::mem::take(&mut queue.pending));
            (batch, first, queue.last.max(done))
        };
        match write(&mut connection, &batch) {
            Ok(()) => {
                let mut progress = lock(&shared.progress);
                progress.durable = last;
                drop(progress);
                shared.advanced.notify_all();
                shared.durable.send_replace(last);
            }
            Err(error) => {
                tracing::error!(%error, "cannot write the emulator's state");
                let mut progress = lock(&shared.progress);
                for seq in first..=last {
                    progress.failed.insert(seq, error.to_string());
                }
                // Nobody may wait for old failures: keep the record of them small.
                while progress.failed.len() > 4096 {
                    progress.failed.pop_first();
                }
                progress.durable = last;
                drop(progress);
                shared.advanced.notify_all();
                shared.durable.send_replace(last);
                retry = batch;
                // A full disk or a lost file system does not mend in a moment.
                std::thread::sleep(std::time::Duration::from_millis(200));
            }
        }
    }
}

fn write(
    connection: &mut Connection,
    batch: &HashMap<String, Option<Vec<u8>>>,
) -> rusqlite::Result<()> {
    let transaction = connection.transaction()?;
    {
        let mut put = transaction.prepare_cached(
            "INSERT INTO records (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )?;
        let mut remove = transaction.prepare_cached("DELETE FROM records WHERE key = ?1")?;
        for (key, value) in batch {
            match value {
                Some(value) => put.execute(rusqlite::params![key, value])?,
                None => remove.execute([key])?,
            };
        }
    }
    transaction.commit()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::World;

    /// Every record the database holds, read the way a restart reads them.
    fn stored(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        let connection = connect(&dir.join(FILE_NAME)).expect("open");
        read_all(&connection).expect("read").into_iter().collect()
    }

    #[test]
    fn a_change_writes_the_records_it_altered_and_nothing_else() {
        let dir = tempfile::tempdir().expect("dir");
        let world = World::open(dir.path()).expect("open");
        let first = world.add_account().account;
        let second = world.add_account().account;
        world.save().expect("save");
        let before = stored(dir.path());
        {
            let held = world.account(&first).expect("account");
            let mut account = held.lock();
            account.free_plan = crate::state::FreePlan::Credits;
            world
                .persist(account, &[Part::Account(&first)])
                .expect("durable");
        }
        let after = stored(dir.path());
        let changed: Vec<&String> = after
            .iter()
            .filter(|(key, value)| before.get(*key) != Some(*value))
            .map(|(key, _)| key)
            .collect();
        assert_eq!(changed, [&format!("a/{first}")]);
        assert!(after.contains_key(&format!("a/{second}")));

        // Nothing changed: nothing queued.
        let held = world.account(&second).expect("account");
        let ticket = world.commit_account(&held.lock(), &[Part::Account(&second)]);
        assert!(
            ticket.shared.is_none(),
            "an unchanged account queued a write"
        );
    }

    #[test]
    fn records_put_back_make_the_same_state_and_gone_ones_are_removed() {
        let dir = tempfile::tempdir().expect("dir");
        let world = World::open(dir.path()).expect("open");
        let account = world.add_account().account;
        {
            let mut state = world.lock();
            let now = state.clock.now();
            state.s3.buckets.insert(
                "kept".into(),
                crate::s3::bucket::Bucket::new("kept", &account, "ap-northeast-2", now),
            );
            state.s3.buckets.insert(
                "dropped".into(),
                crate::s3::bucket::Bucket::new("dropped", &account, "ap-northeast-2", now),
            );
        }
        world.save().expect("save");
        {
            let mut state = world.lock();
            state.s3.buckets.remove("dropped");
            let ticket = world.commit_shared(&state, &[Part::Bucket("dropped")]);
            drop(state);
            ticket.wait().expect("durable");
        }
        let saved = serde_json::to_value(world.snapshot()).expect("json");
        drop(world);
        let again = World::open(dir.path()).expect("reopen");
        let read = serde_json::to_value(again.snapshot()).expect("json");
        assert_eq!(saved, read);
        let keys = stored(dir.path());
        assert!(keys.contains_key("b/kept"));
        assert!(!keys.contains_key("b/dropped"));
        assert!(keys.contains_key(&format!("a/{account}")));
    }

    #[test]
    fn an_instances_disk_outlives_changes_to_its_account_and_goes_with_the_instance() {
        // The previous version's state file holds a running instance whose disk has a file.
        let dir = tempfile::tempdir().expect("dir");
        let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/state-v1");
        std::fs::copy(
            format!("{fixture}/state.json"),
            dir.path().join(legacy::FILE_NAME),
        )
        .expect("fixture");
        let world = World::open(dir.path()).expect("migrate");
        let (account, region, instance) = {
            let state = world.snapshot();
            let (account, regions) = state
                .accounts
                .iter()
                .find_map(|(id, a)| Some((id.clone(), a.ec2.regions.iter().next()?)))
                .expect("an account with EC2");
            let (region, ec2) = regions;
            let instance = ec2.instances.keys().next().expect("instance").clone();
            (account, region.clone(), instance)
        };
        let disk = format!("d/{account}/{region}/{instance}");
        let written = stored(dir.path());
        assert!(
            written.contains_key(&disk),
            "the disk has a record of its own"
        );

        let held = world.account(&account).expect("account");
        let change = |f: &dyn Fn(&mut crate::state::Account)| {
            let mut locked = held.lock();
            f(&mut locked);
            world
                .persist(locked, &[Part::Account(&account)])
                .expect("durable");
        };
        change(&|account| {
            account.free_plan = crate::state::FreePlan::None;
        });
        assert_eq!(
            stored(dir.path()).get(&disk),
            written.get(&disk),
            "a change to the account leaves the disk as it was"
        );

        change(&|account| {
            let now = world.now();
            let ec2 = account.ec2.regions.get_mut(&region).expect("region");
            ec2.change_state(
                &[instance.as_str()],
                crate::ec2::instances::Transition::Terminate,
                now,
                &|_| false,
                &region,
            )
            .expect("terminate");
        });
        assert!(
            !stored(dir.path()).contains_key(&disk),
            "a terminated instance's disk is freed"
        );
        assert_eq!(
            held.lock().ec2.regions[&region].instances[&instance].disk,
            cloudlings_os::Disk::default()
        );
    }

    #[test]
    fn a_deleted_access_key_stays_deleted_after_a_restart() {
        let dir = tempfile::tempdir().expect("dir");
        let world = World::open(dir.path()).expect("open");
        let learner = world.add_account();
        world.save().expect("save");
        assert!(
            stored(dir.path())
                .contains_key(&format!("k/{}/{}", learner.account, learner.access_key))
        );
        let held = world.account(&learner.account).expect("account");
        let account = held.lock();
        world.lock().keys.remove(&learner.access_key);
        world
            .persist(account, &[Part::Account(&learner.account)])
            .expect("durable");
        drop(world);
        let again = World::open(dir.path()).expect("reopen");
        assert!(!again.lock().keys.contains_key(&learner.access_key));
    }

    #[test]
    fn keys_filed_as_version_2_filed_them_are_read_and_filed_again() {
        let dir = tempfile::tempdir().expect("dir");
        let root = World::open(dir.path())
            .expect("open")
            .root_credentials()
            .expect("root");
        let connection = connect(&dir.path().join(FILE_NAME)).expect("open");
        let filed = format!("k/{}/{}", root.account, root.access_key);
        let old = format!("k/{}", root.access_key);
        connection
            .execute(
                "UPDATE records SET key = ?1 WHERE key = ?2",
                [old.as_str(), filed.as_str()],
            )
            .expect("file as version 2 did");
        connection
            .execute(
                "UPDATE records SET value = ?1 WHERE key = 'meta'",
                [format!(r#"{{"version":2,"root_key":"{}"}}"#, root.access_key).into_bytes()],
            )
            .expect("version 2 meta");
        drop(connection);
        assert_eq!(
            World::saved_root_credentials(dir.path()).expect("read beside"),
            root
        );
        let again = World::open(dir.path()).expect("reopen");
        assert_eq!(again.root_credentials(), Some(root));
        let keys = stored(dir.path());
        assert!(keys.contains_key(&filed) && !keys.contains_key(&old));
    }

    #[test]
    fn a_record_this_version_does_not_know_makes_the_database_unreadable() {
        let dir = tempfile::tempdir().expect("dir");
        drop(World::open(dir.path()).expect("open"));
        let connection = connect(&dir.path().join(FILE_NAME)).expect("open");
        connection
            .execute(
                "INSERT INTO records (key, value) VALUES ('z/unknown', x'7b7d')",
                [],
            )
            .expect("insert");
        drop(connection);
        let error = Store::open(dir.path()).expect_err("unknown record");
        assert!(format!("{error:#}").contains("z/unknown"), "{error:#}");
        // The world sets it aside and starts again, keeping the old file.
        let fresh = World::open(dir.path()).expect("open again");
        assert!(fresh.root_credentials().is_some());
        assert!(dir.path().join("state.db.unreadable-1").exists());
    }
}
