//! The running system as a command sees it: the tree (image below, the instance's changes
//! above), its users, the network, and who is asking.

use std::fmt;

use super::disk::Disk;
use super::distro::{self, Accounts, User};
use super::fs::{Cred, Fs, Lower};
use super::{Facts, Net, NoteLang, Power, repo};

/// One line's view of the instance.
pub(crate) struct Sys<'a> {
    pub facts: &'a Facts,
    pub disk: &'a mut Disk,
    pub net: &'a dyn Net,
    /// The image with installed packages' files; rebuilt when packages change.
    pub lower: Lower,
    pub accounts: Accounts,
    /// Set by `reboot`/`poweroff`.
    pub power: Option<Power>,
    /// The language of the emulation's notes: the login's.
    pub notes: NoteLang,
}

impl fmt::Debug for Sys<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sys")
            .field("instance", &self.facts.instance_id)
            .finish_non_exhaustive()
    }
}

impl<'a> Sys<'a> {
    pub fn new(facts: &'a Facts, disk: &'a mut Disk, net: &'a dyn Net) -> Sys<'a> {
        let lower = repo::image(facts, disk);
        let accounts = Accounts::of(facts.distro, &disk.packages);
        Sys {
            facts,
            disk,
            net,
            lower,
            accounts,
            power: None,
            notes: NoteLang::default(),
        }
    }

    /// Rebuilds the image layer after packages or services changed.
    pub fn refresh(&mut self) {
        self.lower = repo::image(self.facts, self.disk);
        self.accounts = Accounts::of(self.facts.distro, &self.disk.packages);
    }

    pub fn now(&self) -> i64 {
        self.facts.now.unix_timestamp()
    }

    /// The tree, to change.
    pub fn fs(&mut self) -> Fs<'_, &mut Disk> {
        let now = self.now();
        let room = distro::room_for_files(self.facts, self.disk);
        Fs {
            lower: &self.lower,
            disk: &mut *self.disk,
            now,
            room,
        }
    }

    /// The tree, to read.
    pub fn view(&self) -> Fs<'_, &Disk> {
        Fs {
            lower: &self.lower,
            disk: &*self.disk,
            now: self.now(),
            room: distro::room_for_files(self.facts, self.disk),
        }
    }

    /// Who a user is, with their groups, as login sets them up.
    pub fn identity(&self, name: &str) -> Option<Identity> {
        let user = self.accounts.user(name)?;
        Some(Identity::of(&self.accounts, user))
    }

    /// The machine's own user ([`Distro::user`](super::Distro::user)), as login sets it up:
    /// uid 1000 in its own group, as every image makes it.
    pub fn login_user(&self) -> Identity {
        let name = self.facts.distro.user();
        self.identity(name).unwrap_or_else(|| Identity {
            name: name.to_string(),
            cred: Cred {
                uid: 1000,
                gid: 1000,
                groups: vec![1000],
            },
            home: format!("/home/{name}"),
        })
    }
}

/// A user a shell or command runs as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Identity {
    pub name: String,
    pub cred: Cred,
    pub home: String,
}

impl Identity {
    pub fn of(accounts: &Accounts, user: &User) -> Identity {
        Identity {
            name: user.name.clone(),
            cred: Cred {
                uid: user.uid,
                gid: user.gid,
                groups: accounts.groups_of(user),
            },
            home: user.home.clone(),
        }
    }

    pub fn is_root(&self) -> bool {
        self.cred.is_root()
    }
}
