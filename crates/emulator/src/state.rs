//! The emulator's state: accounts, their credentials and resources, and the clock.
//!
//! It lives in memory behind one lock and is written to the state directory, atomically,
//! before any response that confirmed a change is sent, so killing the process at any moment
//! loses nothing a client was told had happened.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
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
use super::s3::bucket::Buckets;

/// The version of the state file this emulator writes.
pub const VERSION: u32 = 1;
const FILE_NAME: &str = "state.json";

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
    dir: Option<PathBuf>,
    /// The live network: open connections to instances. Not saved: a restart drops them.
    pub net: Network,
}

impl World {
    /// A world that lives in memory only (tests, throwaway runs).
    pub fn in_memory() -> World {
        World {
            state: Mutex::new(State::new(OffsetDateTime::now_utc())),
            dir: None,
            net: Network::default(),
        }
    }

    /// Opens the state saved in `dir`, or starts a new one there. A state file that cannot be
    /// read is moved aside (never overwritten) and a new installation begins.
    pub fn open(dir: &Path) -> anyhow::Result<World> {
        let path = dir.join(FILE_NAME);
        let state = match std::fs::read(&path) {
            Ok(bytes) => match serde_json::from_slice::<State>(&bytes) {
                Ok(state) if state.version <= VERSION => state,
                Ok(state) => {
                    let moved = cloudlings_core::atomic::set_aside(&path)?;
                    tracing::warn!(version = state.version, moved = %moved.display(), "emulator state from a newer cloudlings set aside");
                    State::new(OffsetDateTime::now_utc())
                }
                Err(error) => {
                    let moved = cloudlings_core::atomic::set_aside(&path)?;
                    tracing::warn!(%error, moved = %moved.display(), "unreadable emulator state set aside");
                    State::new(OffsetDateTime::now_utc())
                }
            },
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                State::new(OffsetDateTime::now_utc())
            }
            Err(error) => {
                return Err(error).with_context(|| format!("cannot read {}", path.display()));
            }
        };
        let world = World {
            state: Mutex::new(state),
            dir: Some(dir.to_path_buf()),
            net: Network::default(),
        };
        world.save(&world.lock())?;
        Ok(world)
    }

    /// The root credentials saved in `dir`, read without taking the state over (the shell
    /// that owns it may be writing it).
    pub fn saved_root_credentials(dir: &Path) -> anyhow::Result<Credentials> {
        let path = dir.join(FILE_NAME);
        let bytes =
            std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let state: State = serde_json::from_slice(&bytes)
            .with_context(|| format!("cannot parse {}", path.display()))?;
        state
            .root_credentials()
            .with_context(|| format!("{} has no root credentials", path.display()))
    }

    /// The state, locked. A panic while it was held (a bug) does not make it unusable.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Writes the state atomically, if it has a home.
    pub fn save(&self, state: &State) -> anyhow::Result<()> {
        let Some(dir) = &self.dir else {
            return Ok(());
        };
        let json = serde_json::to_vec(state)?;
        cloudlings_core::atomic::write(&dir.join(FILE_NAME), &json)
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

        std::fs::write(dir.path().join(FILE_NAME), b"{").expect("corrupt");
        let fresh = World::open(dir.path()).expect("open corrupt");
        assert_ne!(fresh.lock().root_credentials(), Some(root));
        assert!(dir.path().join("state.json.unreadable-1").exists());
    }
}
