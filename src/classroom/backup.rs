//! `cloudlings classroom backup TO`: the whole class in one folder, made while the class runs,
//! that `cloudlings classroom --state TO` starts again from.
//!
//! What each part is copied as, in the order that keeps the copy whole: the roster (a
//! database snapshot) first, then the browser learners' folders (progress and workstation,
//! each file written whole by the class), then the emulator's state (a snapshot, and the
//! objects it names). Everything a later part holds is newer than the roster, so every
//! learner the roster names has their account in the copy; at worst the copy holds an account
//! or a resource made in the moment between, which nothing names. The copy is made beside
//! `TO` and renamed to it once it is whole.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

use super::roster;
use cloudlings_emulator::backup::{Copied, copy_state};
use cloudlings_emulator::store::copy_database;

/// The folders of a class's state copied as they are: browser learners' own, and the class's
/// certificate.
const FOLDERS: [&str; 2] = ["learners", "tls"];

/// What a backup holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub learners: usize,
    pub cloud: Copied,
}

/// Copies the class kept in `state` into `to`, which must not exist or be empty.
pub fn backup(state: &Path, to: &Path) -> anyhow::Result<Summary> {
    let roster_file = state.join(roster::FILE_NAME);
    if !roster_file.exists() {
        bail!("{} holds no class", state.display());
    }
    if std::fs::read_dir(to).is_ok_and(|mut entries| entries.next().is_some()) {
        bail!(
            "{} already holds files: name a new folder for the backup",
            to.display()
        );
    }
    let partial = beside(to, ".partial");
    if partial.exists() {
        std::fs::remove_dir_all(&partial)
            .with_context(|| format!("cannot clear {}", partial.display()))?;
    }
    std::fs::create_dir_all(&partial)
        .with_context(|| format!("cannot create {}", partial.display()))?;
    // It holds every learner's keys.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&partial, std::fs::Permissions::from_mode(0o700))?;
    }

    let copied = copy(state, &partial);
    if copied.is_err() {
        let _ = std::fs::remove_dir_all(&partial);
    }
    let summary = copied?;
    if to.exists() {
        std::fs::remove_dir(to).with_context(|| format!("cannot replace {}", to.display()))?;
    }
    std::fs::rename(&partial, to)
        .with_context(|| format!("cannot rename {} to {}", partial.display(), to.display()))?;
    Ok(summary)
}

/// Copies each part of the class, in the order that keeps the copy whole.
fn copy(state: &Path, partial: &Path) -> anyhow::Result<Summary> {
    copy_database(
        &state.join(roster::FILE_NAME),
        &partial.join(roster::FILE_NAME),
    )?;
    for folder in FOLDERS {
        copy_tree(&state.join(folder), &partial.join(folder))?;
    }
    let cloud = copy_state(state, partial)?;
    let learners = roster::Roster::open(partial)?.learners()?.len();
    Ok(Summary { learners, cloud })
}

/// `to` with `suffix` added to its name.
fn beside(to: &Path, suffix: &str) -> PathBuf {
    let mut name = to.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Copies the files under `from`, with their modes (a private key stays private). Links are
/// not followed: the class makes none, and one put there must not copy what it points at.
fn copy_tree(from: &Path, to: &Path) -> anyhow::Result<()> {
    let Ok(entries) = std::fs::read_dir(from) else {
        return Ok(());
    };
    std::fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read {}", from.display()))?;
        let kind = entry.file_type()?;
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        if kind.is_dir() {
            copy_tree(&source, &target)?;
        } else if kind.is_file() {
            std::fs::copy(&source, &target).with_context(|| {
                format!("cannot copy {} to {}", source.display(), target.display())
            })?;
        }
    }
    Ok(())
}
