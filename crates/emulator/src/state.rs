//! The emulator's state: accounts, their credentials and resources, and the clock.
//!
//! It lives in memory. Each account sits behind a lock of its own, so that a request, which
//! works inside its caller's account, never waits for another learner's; what all accounts
//! share (the clock, the access keys, S3's one namespace of buckets) sits behind one more
//! lock, held only for lookups and small changes. What a change altered is written to the
//! state directory's database ([`super::store`]) before any response that confirmed the
//! change is sent, so killing the process at any moment loses nothing a client was told had
//! happened.
//!
//! Locks are taken in one order, which is what keeps them from deadlocking: the list of
//! accounts, then one account (all of them, by id, only to save everything), then the shared
//! part, then the public addresses. Nothing holds an account's lock while it waits for
//! another account's.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

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
use super::quotas::{Quotas, Rates};
use super::rsa_pool::{self, Reserve};
use super::s3::bucket::Buckets;
use super::store::{self, Opened, Part, Store, Ticket, View, legacy};

/// The version of the saved state this emulator writes: 1 was one JSON file, 2 a database
/// of records, 3 the same with each access key filed under its account.
pub const VERSION: u32 = 3;

/// Everything the emulator knows, whole: as read at start and written by [`World::save`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct State {
    pub version: u32,
    #[serde(flatten)]
    pub shared: Shared,
    #[serde(default)]
    pub accounts: BTreeMap<String, Account>,
}

/// What the accounts share.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Shared {
    #[serde(default)]
    pub clock: Clock,
    /// Every access key of every account, by id: how a request finds its signer.
    #[serde(default)]
    pub keys: AccessKeys,
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
    /// The name the console's sign-in takes for the account's id (IAM's account alias).
    #[serde(default)]
    pub alias: Option<String>,
}

impl Account {
    fn new(id: &str, now: OffsetDateTime) -> Account {
        Account {
            id: id.to_string(),
            created: now,
            ec2: Ec2::default(),
            iam: Iam::default(),
            cloudfront: CloudFront::default(),
            free_plan: FreePlan::default(),
            events: Default::default(),
            alias: None,
        }
    }
}

/// What [`World::empty_account`] took away.
#[derive(Debug, Default)]
pub struct Emptied {
    /// Instances, in any state.
    pub instances: usize,
    pub buckets: usize,
    /// The blobs the buckets' objects and uploads held: to remove from the object store.
    pub blobs: Vec<String>,
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
            shared: Shared {
                clock: Clock::default(),
                keys: BTreeMap::new(),
                root_key: String::new(),
                s3: Buckets::default(),
            },
            accounts: BTreeMap::new(),
        };
        let first = state.add_account(now);
        state.shared.root_key = first.access_key;
        state
    }

    /// Adds an account with its own root key, for a classroom's next learner.
    pub fn add_account(&mut self, now: OffsetDateTime) -> Credentials {
        let mut id = ids::account_id();
        while self.accounts.contains_key(&id) {
            id = ids::account_id();
        }
        self.accounts.insert(id.clone(), Account::new(&id, now));
        self.shared.add_root_key(&id, now)
    }

    /// Every record of the whole state, for [`Store::commit`].
    pub fn view(&self) -> View<'_> {
        View {
            shared: &self.shared,
            accounts: self.accounts.values().collect(),
        }
    }
}

impl Shared {
    /// A new root user's key for `account`.
    fn add_root_key(&mut self, account: &str, now: OffsetDateTime) -> Credentials {
        let access_key = ids::access_key_id();
        let secret = ids::secret_key();
        self.keys.insert(
            access_key.clone(),
            AccessKey {
                secret: secret.clone(),
                account: account.to_string(),
                user: None,
                session: None,
                active: true,
                created: now,
            },
        );
        Credentials {
            account: account.to_string(),
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

    /// The first key the root user of `account` was given that still works.
    fn first_root_key(&self, account: &str) -> Option<Credentials> {
        let (access_key, key) = self
            .keys
            .iter()
            .filter(|(_, key)| {
                key.account == account && key.user.is_none() && key.session.is_none() && key.active
            })
            .min_by_key(|(id, key)| (key.created, id.as_str()))?;
        Some(Credentials {
            account: account.to_string(),
            access_key: access_key.clone(),
            secret: key.secret.clone(),
        })
    }
}

/// An account in the world, with the lock its requests take.
#[derive(Debug, Clone)]
pub struct AccountRef(Arc<Mutex<Account>>);

impl AccountRef {
    /// The account, locked. A panic while it was held (a bug) does not make it unusable.
    pub fn lock(&self) -> MutexGuard<'_, Account> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The state, shared by every connection, and where it is saved.
#[derive(Debug)]
pub struct World {
    accounts: RwLock<BTreeMap<String, AccountRef>>,
    shared: Mutex<Shared>,
    /// Every public IPv4 address an instance was given, in any account: addresses are
    /// unique in the emulated world, and a launch claims one here without looking into
    /// other accounts.
    addresses: Mutex<HashSet<String>>,
    /// Every account alias, to the account it names: aliases are unique in the world, and
    /// one is claimed here without looking into other accounts.
    aliases: Mutex<HashMap<String, String>>,
    /// Where changes go; `None` for a world in memory only.
    store: Option<Store>,
    /// The live network: open connections to instances. Not saved: a restart drops them.
    pub net: Network,
    /// RSA keys made ahead beside the saved state, for `create-key-pair`.
    pub keys_ahead: Option<Reserve>,
    /// The installation's own account, which keeps AWS's quotas.
    own: Option<String>,
    /// The quotas of every other account (a classroom's learners).
    quotas: RwLock<Quotas>,
    /// How fast each account has been asking.
    rates: Rates,
}

impl World {
    fn new(state: State, store: Option<Store>, keys_ahead: Option<Reserve>) -> World {
        let addresses = state
            .accounts
            .values()
            .flat_map(|account| account.ec2.regions.values())
            .flat_map(|region| region.instances.values())
            .filter_map(|instance| instance.public_ip.clone())
            .collect();
        let aliases = state
            .accounts
            .values()
            .filter_map(|account| Some((account.alias.clone()?, account.id.clone())))
            .collect();
        let accounts = state
            .accounts
            .into_iter()
            .map(|(id, account)| (id, AccountRef(Arc::new(Mutex::new(account)))))
            .collect();
        let own = state.shared.root_credentials().map(|root| root.account);
        World {
            accounts: RwLock::new(accounts),
            shared: Mutex::new(state.shared),
            addresses: Mutex::new(addresses),
            aliases: Mutex::new(aliases),
            store,
            net: Network::default(),
            keys_ahead,
            own,
            quotas: RwLock::new(Quotas::default()),
            rates: Rates::default(),
        }
    }

    /// Sets the quotas of every account but the installation's own.
    pub fn set_quotas(&self, quotas: Quotas) {
        *self
            .quotas
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = quotas;
    }

    /// What `account` may hold and how fast it may ask. Takes no other lock.
    pub fn quotas_for(&self, account: &str) -> Quotas {
        if self.own.as_deref() == Some(account) {
            return Quotas::default();
        }
        *self
            .quotas
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Whether `account` may make one more request now, within its rate.
    pub fn admit_request(&self, account: &str) -> bool {
        self.rates.admit(account, self.quotas_for(account).rate)
    }

    /// A world that lives in memory only (tests, throwaway runs).
    pub fn in_memory() -> World {
        World::new(State::new(OffsetDateTime::now_utc()), None, None)
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
        let keys_ahead = Reserve::open(&dir.join(rsa_pool::DIR_NAME))
            .inspect_err(|error| tracing::warn!(%error, "no RSA keys can be kept ready"))
            .ok();
        let world = World::new(state, Some(store), keys_ahead);
        world.save()?;
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
                .shared
                .root_credentials()
                .with_context(|| format!("{} has no root credentials", legacy.display()));
        }
        let missing = || format!("{} has no root credentials", path.display());
        let meta = store::peek(dir, "meta")?.with_context(missing)?;
        let key = store::records::root_key_record(&meta).with_context(missing)?;
        let (record, root_key) = key;
        let key = store::peek(dir, &record)?.with_context(missing)?;
        let key: AccessKey = serde_json::from_slice(&key)
            .with_context(|| format!("cannot parse the root key in {}", path.display()))?;
        Ok(Credentials {
            account: key.account,
            access_key: root_key,
            secret: key.secret,
        })
    }

    /// What the accounts share, locked. A panic while it was held (a bug) does not make it
    /// unusable. Never wait for an account's lock while holding this one.
    pub fn lock(&self) -> MutexGuard<'_, Shared> {
        self.shared
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn directory(&self) -> std::sync::RwLockReadGuard<'_, BTreeMap<String, AccountRef>> {
        self.accounts
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Gives `alias` to `account`, releasing the account's old one, unless another account has
    /// it. Takes no account's lock, so a handler holding its own may ask.
    pub fn claim_alias(&self, alias: &str, account: &str) -> bool {
        let mut aliases = self
            .aliases
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if aliases.get(alias).is_some_and(|owner| owner != account) {
            return false;
        }
        aliases.retain(|_, owner| owner != account);
        aliases.insert(alias.to_string(), account.to_string());
        true
    }

    /// Forgets `alias`, if `account` holds it.
    pub fn release_alias(&self, alias: &str, account: &str) {
        let mut aliases = self
            .aliases
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if aliases.get(alias).is_some_and(|owner| owner == account) {
            aliases.remove(alias);
        }
    }

    /// The account an alias names.
    pub fn account_of_alias(&self, alias: &str) -> Option<String> {
        self.aliases
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(alias)
            .cloned()
    }

    /// The account `id`, to lock.
    pub fn account(&self, id: &str) -> Option<AccountRef> {
        self.directory().get(id).cloned()
    }

    /// Every account, by id.
    pub fn accounts(&self) -> Vec<AccountRef> {
        self.directory().values().cloned().collect()
    }

    /// The first thing `f` finds in an account, looking into one account at a time.
    pub fn find_in_accounts<T>(&self, mut f: impl FnMut(&Account) -> Option<T>) -> Option<T> {
        self.accounts()
            .into_iter()
            .find_map(|account| f(&account.lock()))
    }

    /// The room's simulated now, where every account's time starts.
    pub fn now(&self) -> OffsetDateTime {
        self.lock().clock.now()
    }

    /// Simulated now in `account`, which has a time of its own.
    pub fn now_for(&self, account: &str) -> OffsetDateTime {
        self.lock().clock.now_for(account)
    }

    /// The installation's own credentials (the first account's root user).
    pub fn root_credentials(&self) -> Option<Credentials> {
        self.lock().root_credentials()
    }

    /// Moves simulated time forward for every account, and saves the clock.
    /// The console password of `account`'s root user ([`crate::iam::passwords::root_password`]).
    pub fn root_password(&self, account: &str) -> Option<String> {
        let key = self.lock().first_root_key(account)?;
        Some(crate::iam::passwords::root_password(&key.secret))
    }

    pub fn advance_clock(&self, by: time::Duration) -> Result<(), store::SaveError> {
        self.move_clock(|clock| clock.advance(by))
    }

    /// Moves `account`'s simulated time forward, and nobody else's, and saves the clock.
    pub fn advance_account_clock(
        &self,
        account: &str,
        by: time::Duration,
    ) -> Result<(), store::SaveError> {
        self.move_clock(|clock| clock.advance_account(account, by))
    }

    fn move_clock(&self, change: impl FnOnce(&mut Clock)) -> Result<(), store::SaveError> {
        let mut shared = self.lock();
        change(&mut shared.clock);
        let ticket = self.commit_shared(&shared, &[Part::Clock]);
        drop(shared);
        ticket.wait()
    }

    /// Adds an account with its own root key, for a classroom's next learner; saved by the
    /// next [`World::save`].
    pub fn add_account(&self) -> Credentials {
        let mut directory = self
            .accounts
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut shared = self.lock();
        let now = shared.clock.now();
        let mut id = ids::account_id();
        while directory.contains_key(&id) {
            id = ids::account_id();
        }
        let account = AccountRef(Arc::new(Mutex::new(Account::new(&id, now))));
        directory.insert(id.clone(), account);
        shared.add_root_key(&id, now)
    }

    /// A classroom's learner accounts (every account but the installation's own) with their
    /// root user's first key, oldest account first: the same list at every start.
    pub fn learner_credentials(&self) -> Vec<Credentials> {
        let own = self.root_credentials().map(|root| root.account);
        let mut learners: Vec<(OffsetDateTime, String)> = self
            .accounts()
            .iter()
            .map(|account| {
                let account = account.lock();
                (account.created, account.id.clone())
            })
            .filter(|(_, id)| Some(id) != own.as_ref())
            .collect();
        learners.sort();
        let shared = self.lock();
        learners
            .into_iter()
            .filter_map(|(_, id)| shared.first_root_key(&id))
            .collect()
    }

    /// Claims a public IPv4 address for an instance: `false` if it is already some
    /// instance's, in any account.
    pub fn claim_address(&self, address: &str) -> bool {
        self.addresses
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(address.to_string())
    }

    /// Queues what changed in `parts` of `view` for writing; call it with the locks of what
    /// `view` shows held, so that changes to the same records queue in the order they were
    /// made, and wait on the ticket once they are released.
    pub fn commit(&self, view: &View<'_>, parts: &[Part<'_>]) -> Ticket {
        match &self.store {
            Some(store) => store.commit(view, parts),
            None => Ticket::done(),
        }
    }

    /// [`World::commit`] of parts of one account (held locked by the caller): its resources,
    /// its access keys, its disks.
    pub fn commit_account(&self, account: &Account, parts: &[Part<'_>]) -> Ticket {
        if self.store.is_none() {
            return Ticket::done();
        }
        let shared = self.lock();
        let view = View {
            shared: &shared,
            accounts: vec![account],
        };
        self.commit(&view, parts)
    }

    /// [`World::commit`] of parts of what the accounts share (held locked by the caller):
    /// buckets, objects, the clock.
    pub fn commit_shared(&self, shared: &Shared, parts: &[Part<'_>]) -> Ticket {
        self.commit(
            &View {
                shared,
                accounts: Vec::new(),
            },
            parts,
        )
    }

    /// Writes what changed in `parts` of the account, and waits for the disk once its lock
    /// is released, so that its other requests go on meanwhile and share the write.
    pub fn persist(
        &self,
        account: MutexGuard<'_, Account>,
        parts: &[Part<'_>],
    ) -> Result<(), store::SaveError> {
        let ticket = self.commit_account(&account, parts);
        drop(account);
        ticket.wait()
    }

    /// Gives `id` a new start, as a new account has: every resource of it gone (instances,
    /// volumes, groups, key pairs, users and their MFA devices, distributions, buckets with
    /// their objects), its own time back to the room's, and only its root user's keys kept,
    /// so that the credentials its learner holds still work. Waits until that is on disk.
    /// The blobs its objects held are the caller's to remove, once this returns.
    pub fn empty_account(&self, id: &str) -> Result<Option<Emptied>, store::SaveError> {
        let Some(account) = self.account(id) else {
            return Ok(None);
        };
        let mut account = account.lock();
        let instances: Vec<(String, Option<String>)> = account
            .ec2
            .regions
            .values()
            .flat_map(|region| region.instances.iter())
            .map(|(id, instance)| (id.clone(), instance.public_ip.clone()))
            .collect();
        // The account keeps its plan and its name (alias): what it holds is gone.
        *account = Account {
            free_plan: account.free_plan,
            alias: account.alias.take(),
            ..Account::new(id, account.created)
        };
        let mut shared = self.lock();
        let buckets: Vec<String> = shared
            .s3
            .buckets
            .values()
            .filter(|bucket| bucket.owner == id)
            .map(|bucket| bucket.name.clone())
            .collect();
        let mut blobs = Vec::new();
        for name in &buckets {
            if let Some(bucket) = shared.s3.buckets.remove(name) {
                blobs.extend(bucket.blobs().map(str::to_string));
            }
        }
        shared
            .keys
            .retain(|_, key| key.account != id || (key.user.is_none() && key.session.is_none()));
        shared.clock.forget_account(id);
        // The account's part also removes the disks of instances that are gone.
        let mut parts = vec![Part::Account(id), Part::Clock];
        parts.extend(buckets.iter().map(|name| Part::Bucket(name)));
        let view = View {
            shared: &shared,
            accounts: vec![&account],
        };
        let ticket = self.commit(&view, &parts);
        drop(shared);
        {
            let mut addresses = self
                .addresses
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            for address in instances.iter().filter_map(|(_, ip)| ip.as_ref()) {
                addresses.remove(address);
            }
        }
        drop(account);
        for (instance, _) in &instances {
            self.net.forget(instance);
        }
        ticket.wait()?;
        Ok(Some(Emptied {
            instances: instances.len(),
            buckets: buckets.len(),
            blobs,
        }))
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
    /// It holds every lock meanwhile, so call it holding none.
    pub fn save(&self) -> anyhow::Result<()> {
        let directory = self.directory();
        let guards: Vec<MutexGuard<'_, Account>> =
            directory.values().map(AccountRef::lock).collect();
        let shared = self.lock();
        let view = View {
            shared: &shared,
            accounts: guards.iter().map(|account| &**account).collect(),
        };
        let ticket = self.commit(&view, &[Part::Everything]);
        drop(shared);
        drop(guards);
        drop(directory);
        Ok(ticket.wait()?)
    }

    /// A copy of the whole state, as it is now.
    pub fn snapshot(&self) -> State {
        let directory = self.directory();
        let accounts = directory
            .iter()
            .map(|(id, account)| (id.clone(), account.lock().clone()))
            .collect();
        State {
            version: VERSION,
            shared: self.lock().clone(),
            accounts,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_installation_has_one_account_and_its_root_key() {
        let state = State::new(OffsetDateTime::now_utc());
        let root = state.shared.root_credentials().expect("root");
        assert_eq!(state.accounts.len(), 1);
        assert!(state.accounts.contains_key(&root.account));
        assert!(state.shared.keys[&root.access_key].user.is_none());
    }

    #[test]
    fn state_survives_a_restart_and_corruption_is_set_aside() {
        let dir = tempfile::tempdir().expect("dir");
        let first = World::open(dir.path()).expect("open");
        let root = first.root_credentials().expect("root");
        drop(first);
        let again = World::open(dir.path()).expect("reopen");
        assert_eq!(again.root_credentials(), Some(root.clone()));
        drop(again);

        assert_eq!(
            World::saved_root_credentials(dir.path()).expect("read beside"),
            root
        );

        std::fs::write(dir.path().join(store::FILE_NAME), b"{ not a database").expect("corrupt");
        let fresh = World::open(dir.path()).expect("open corrupt");
        assert_ne!(fresh.root_credentials(), Some(root));
        assert!(dir.path().join("state.db.unreadable-1").exists());
    }
}
