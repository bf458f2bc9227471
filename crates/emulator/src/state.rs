//! The emulator's state: accounts, their credentials and resources, and the clock.
//!
//! It lives in memory behind one lock; what a change altered is written to the state
//! directory's database ([`super::store`]) before any response that confirmed the change is
//! sent, so killing the process at any moment loses nothing a client was told had happened.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use anyhow::Context;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::access_keys::{AccessKey, AccessKeys};
use super::clock::Clock;
use super::cloudfront::CloudFront;
use super::ec2::Ec2;
use super::iam::Iam;
use super::ids;
use super::network::Network;
use super::rsa_pool::{self, Reserve};
use super::s3::bucket::Buckets;
use super::store::{self, Opened, Part, Store, Ticket, legacy};

/// The version of the saved state this emulator writes: 1 was one JSON file, 2 a database
/// of records.
pub const VERSION: u32 = 2;

/// Everything the emulator knows.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct State {
    pub version: u32,
    #[serde(default)]
    pub clock: Clock,
    /// Every access key of every account, by id: how a request finds its signer.
    #[serde(default)]
    pub keys: AccessKeys,
    #[serde(default)]
    pub accounts: BTreeMap<String, Account>,
    /// The installation's own key: the first account's root user.
    pub root_key: String,
    /// S3's buckets: one namespace for all accounts, each bucket owned by one.
    #[serde(default)]
    pub s3: Buckets,
}

/// Which free offer an account has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FreePlan {
    /// 750 hours a month of t2.micro or t3.micro for 12 months (accounts made before
    /// 15 July 2025), as the lecture teaches.
    #[default]
    Legacy,
    /// USD 100 of credits for 12 months (accounts made since 15 July 2025).
    Credits,
    /// No free offer.
    None,
}

/// One AWS account: a 12-digit id and everything in it. Nothing is shared between accounts.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Account {
    pub id: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created: OffsetDateTime,
    #[serde(default)]
    pub ec2: Ec2,
    #[serde(default)]
    pub iam: Iam,
    #[serde(default)]
    pub cloudfront: CloudFront,
    /// The free offer the account has (the lecture's 750 hours unless set otherwise).
    #[serde(default)]
    pub free_plan: FreePlan,
    /// Logins and commands on the account's instances.
    #[serde(default)]
    pub events: super::events::Events,
}

/// Credentials handed to a person or a tool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub account: String,
    pub access_key: String,
    pub secret: String,
}

impl State {
    /// A new installation: one account and the root user's key.
    pub fn new(now: OffsetDateTime) -> State {
        let mut state = State {
            version: VERSION,
            clock: Clock::default(),
            keys: BTreeMap::new(),
            accounts: BTreeMap::new(),
            root_key: String::new(),
            s3: Buckets::default(),
        };
        let first = state.add_account(now);
        state.root_key = first.access_key;
        state
    }

    /// Adds an account with its own root key, for a classroom's next learner.
    pub fn add_account(&mut self, now: OffsetDateTime) -> Credentials {
        let mut id = ids::account_id();
        while self.accounts.contains_key(&id) {
            id = ids::account_id();
        }
        let account = Account {
            id: id.clone(),
            created: now,
            ec2: Ec2::default(),
            iam: Iam::default(),
            cloudfront: CloudFront::default(),
            free_plan: FreePlan::default(),
            events: Default::default(),
        };
        self.accounts.insert(id.clone(), account);
        let access_key = ids::access_key_id();
        let secret = ids::secret_key();
        self.keys.insert(
            access_key.clone(),
            AccessKey {
                secret: secret.clone(),
                account: id.clone(),
                user: None,
                session: None,
                active: true,
                created: now,
            },
        );
        Credentials {
            account: id,
            access_key,
            secret,
        }
    }

    /// The installation's own credentials (the first account's root user).
    pub fn root_credentials(&self) -> Option<Credentials> {
        let key = self.keys.get(&self.root_key)?;
        Some(Credentials {
            account: key.account.clone(),
            access_key: self.root_key.clone(),
            secret: key.secret.clone(),
        })
    }

    /// A classroom's learner accounts (every account but the installation's own) with their
    /// root user's first key, oldest account first: the same list at every start.
    pub fn learner_credentials(&self) -> Vec<Credentials> {
        let own = self
            .keys
            .get(&self.root_key)
            .map(|key| key.account.as_str());
        let mut learners: Vec<&Account> = self
            .accounts
            .values()
            .filter(|account| Some(account.id.as_str()) != own)
            .collect();
        learners.sort_by(|a, b| (a.created, &a.id).cmp(&(b.created, &b.id)));
        learners
            .into_iter()
            .filter_map(|account| {
                let (access_key, key) = self
                    .keys
                    .iter()
                    .filter(|(_, key)| {
                        key.account == account.id
                            && key.user.is_none()
                            && key.session.is_none()
                            && key.active
                    })
                    .min_by_key(|(id, key)| (key.created, id.as_str()))?;
                Some(Credentials {
                    account: account.id.clone(),
                    access_key: access_key.clone(),
                    secret: key.secret.clone(),
                })
            })
            .collect()
    }
}

/// The state, shared by every connection, and where it is saved.
#[derive(Debug)]
pub struct World {
    state: Mutex<State>,
    /// Where changes go; `None` for a world in memory only.
    store: Option<Store>,
    /// The live network: open connections to instances. Not saved: a restart drops them.
    pub net: Network,
    /// RSA keys made ahead beside the saved state, for `create-key-pair`.
    pub keys_ahead: Option<Reserve>,
}

impl World {
    /// A world that lives in memory only (tests, throwaway runs).
    pub fn in_memory() -> World {
        World {
            state: Mutex::new(State::new(OffsetDateTime::now_utc())),
            store: None,
            net: Network::default(),
            keys_ahead: None,
        }
    }

    /// Opens the state saved in `dir`, or starts a new one there. A database that cannot be
    /// read, or was written by a newer version, is moved aside (never overwritten) and a new
    /// installation begins. The state file of earlier versions is migrated on first start.
    pub fn open(dir: &Path) -> anyhow::Result<World> {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let (store, opened) = match Store::open(dir) {
            Ok((store, opened)) => match opened {
                Opened::State(state) if state.version > VERSION => {
                    drop(store);
                    let moved = store::set_aside(dir)?;
                    tracing::warn!(version = state.version, moved = %moved.display(), "emulator state from a newer cloudlings set aside");
                    (Store::open(dir)?.0, Opened::Empty)
                }
                opened => (store, opened),
            },
            Err(error) => {
                let moved = store::set_aside(dir)?;
                tracing::warn!(error = %format!("{error:#}"), moved = %moved.display(), "unreadable emulator state set aside");
                Store::open(dir)?
            }
        };
        let legacy = dir.join(legacy::FILE_NAME);
        let (state, migrated) = match opened {
            Opened::State(state) => (state, false),
            Opened::Empty if legacy.exists() => match legacy::read(&legacy) {
                Ok(state) if state.version <= 1 => (state, true),
                Ok(state) => {
                    let moved = cloudlings_core::atomic::set_aside(&legacy)?;
                    tracing::warn!(version = state.version, moved = %moved.display(), "emulator state from a newer cloudlings set aside");
                    (State::new(OffsetDateTime::now_utc()), false)
                }
                Err(error) => {
                    let moved = cloudlings_core::atomic::set_aside(&legacy)?;
                    tracing::warn!(error = %format!("{error:#}"), moved = %moved.display(), "unreadable emulator state set aside");
                    (State::new(OffsetDateTime::now_utc()), false)
                }
            },
            Opened::Empty => (State::new(OffsetDateTime::now_utc()), false),
        };
        let mut state = state;
        state.version = VERSION;
        let world = World {
            state: Mutex::new(state),
            store: Some(store),
            net: Network::default(),
            keys_ahead: Reserve::open(&dir.join(rsa_pool::DIR_NAME))
                .inspect_err(|error| tracing::warn!(%error, "no RSA keys can be kept ready"))
                .ok(),
        };
        world.save(&world.lock())?;
        if migrated {
            // Kept, not deleted: the database holds everything it did, but nothing is lost
            // if it ever needs reading by hand.
            let kept = dir.join(format!("{}.migrated", legacy::FILE_NAME));
            std::fs::rename(&legacy, &kept).with_context(|| {
                format!("cannot rename {} to {}", legacy.display(), kept.display())
            })?;
            tracing::info!(from = %legacy.display(), "emulator state migrated to {}", store::FILE_NAME);
        }
        Ok(world)
    }

    /// The root credentials saved in `dir`, read without taking the state over (the shell
    /// that owns it may be writing it).
    pub fn saved_root_credentials(dir: &Path) -> anyhow::Result<Credentials> {
        let path = dir.join(store::FILE_NAME);
        let legacy = dir.join(legacy::FILE_NAME);
        if !path.exists() && legacy.exists() {
            return legacy::read(&legacy)?
                .root_credentials()
                .with_context(|| format!("{} has no root credentials", legacy.display()));
        }
        let missing = || format!("{} has no root credentials", path.display());
        let meta = store::peek(dir, "meta")?.with_context(missing)?;
        let root_key = store::records::root_key(&meta).with_context(missing)?;
        let key = store::peek(dir, &format!("k/{root_key}"))?.with_context(missing)?;
        let key: AccessKey = serde_json::from_slice(&key)
            .with_context(|| format!("cannot parse the root key in {}", path.display()))?;
        Ok(Credentials {
            account: key.account,
            access_key: root_key,
            secret: key.secret,
        })
    }

    /// The state, locked. A panic while it was held (a bug) does not make it unusable.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Queues what changed in `parts` of the state for writing; call it with the state's
    /// lock held, and wait on the ticket once the lock is released.
    pub fn commit(&self, state: &State, parts: &[Part<'_>]) -> Ticket {
        match &self.store {
            Some(store) => store.commit(state, parts),
            None => Ticket::done(),
        }
    }

    /// Writes what changed in `parts`, and waits for the disk once the lock is released, so
    /// that other requests go on meanwhile and share the write.
    pub fn persist(
        &self,
        state: MutexGuard<'_, State>,
        parts: &[Part<'_>],
    ) -> Result<(), store::SaveError> {
        let ticket = self.commit(&state, parts);
        drop(state);
        ticket.wait()
    }

    /// A ticket for every change queued so far.
    pub fn flushed(&self) -> Ticket {
        match &self.store {
            Some(store) => store.flushed(),
            None => Ticket::done(),
        }
    }

    /// Writes every change to the state and waits until it is on disk: for changes made
    /// outside a request (start-up, the shell's own commands), which may touch anything.
    pub fn save(&self, state: &State) -> anyhow::Result<()> {
        Ok(self.commit(state, &[Part::Everything]).wait()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_installation_has_one_account_and_its_root_key() {
        let state = State::new(OffsetDateTime::now_utc());
        let root = state.root_credentials().expect("root");
        assert_eq!(state.accounts.len(), 1);
        assert!(state.accounts.contains_key(&root.account));
        assert!(state.keys[&root.access_key].user.is_none());
    }

    #[test]
    fn state_survives_a_restart_and_corruption_is_set_aside() {
        let dir = tempfile::tempdir().expect("dir");
        let first = World::open(dir.path()).expect("open");
        let root = first.lock().root_credentials().expect("root");
        drop(first);
        let again = World::open(dir.path()).expect("reopen");
        assert_eq!(again.lock().root_credentials(), Some(root.clone()));
        drop(again);

        assert_eq!(
            World::saved_root_credentials(dir.path()).expect("read beside"),
            root
        );

        std::fs::write(dir.path().join(store::FILE_NAME), b"{ not a database").expect("corrupt");
        let fresh = World::open(dir.path()).expect("open corrupt");
        assert_ne!(fresh.lock().root_credentials(), Some(root));
        assert!(dir.path().join("state.db.unreadable-1").exists());
    }
}
