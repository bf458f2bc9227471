//! An emulated workstation: the learner's own computer as a machine of the emulated operating
//! system (`cloudlings_os`, user `learner` on `workstation`), for a learner whose shell runs on
//! a server that is not theirs. Their files are that machine's, kept in one file of the data
//! folder; their `!commands` run in its shell. Nothing they type opens a file of the server or
//! starts a process on it: a path, absolute or with `..` or through a link, names a file of
//! the emulated machine.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use cloudlings_os::{Context, Disk, Facts, Files, NoNet, Session};
use time::OffsetDateTime;

/// The machine, shared by the tools of one learner's shell.
#[derive(Debug, Clone)]
pub struct Emulated(Arc<Mutex<Machine>>);

#[derive(Debug)]
struct Machine {
    disk: Disk,
    booted: OffsetDateTime,
    /// The shell `!command` lines run in, kept between lines so that `!cd` and variables
    /// carry over as in a terminal.
    session: Option<Session>,
    /// Where the disk is kept, written after every change; `None` keeps it in memory.
    kept: Option<PathBuf>,
}

impl Machine {
    fn facts(&self) -> Facts {
        Facts::workstation(self.booted, OffsetDateTime::now_utc())
    }

    /// Writes the disk where it is kept, whole, so that a crash leaves the old one or the new.
    fn keep(&self) -> io::Result<()> {
        let Some(path) = &self.kept else {
            return Ok(());
        };
        let bytes = serde_json::to_vec(&self.disk).map_err(io::Error::other)?;
        cloudlings_core::atomic::write(path, &bytes).map_err(io::Error::other)
    }
}

impl Emulated {
    /// The workstation kept at `path`, or a new one there; a file that is not a workstation's
    /// disk is set aside (as `path.unreadable`) rather than lost.
    pub fn open(path: &Path) -> io::Result<Emulated> {
        let disk = match std::fs::read(path) {
            Ok(bytes) => match serde_json::from_slice(&bytes) {
                Ok(disk) => disk,
                Err(error) => {
                    let aside = path.with_extension("unreadable");
                    std::fs::rename(path, &aside)?;
                    tracing::warn!(
                        "the workstation at {} could not be read ({error}); it was moved to {} and a new one made",
                        path.display(),
                        aside.display()
                    );
                    Disk::default()
                }
            },
            Err(error) if error.kind() == io::ErrorKind::NotFound => Disk::default(),
            Err(error) => return Err(error),
        };
        Ok(Emulated::with_disk(disk, Some(path.to_path_buf())))
    }

    /// A new workstation kept in memory only.
    pub fn in_memory() -> Emulated {
        Emulated::with_disk(Disk::default(), None)
    }

    fn with_disk(disk: Disk, kept: Option<PathBuf>) -> Emulated {
        Emulated(Arc::new(Mutex::new(Machine {
            disk,
            booted: OffsetDateTime::now_utc(),
            session: None,
            kept,
        })))
    }

    fn machine(&self) -> MutexGuard<'_, Machine> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Looks at the files without changing them.
    pub fn look<T>(&self, look: impl FnOnce(&Files<'_>) -> io::Result<T>) -> io::Result<T> {
        let mut machine = self.machine();
        let facts = machine.facts();
        let files = Files::of_user(&facts, &mut machine.disk);
        look(&files)
    }

    /// Changes the files, and keeps the disk if anything changed.
    pub fn change<T>(&self, change: impl FnOnce(&mut Files<'_>) -> io::Result<T>) -> io::Result<T> {
        let mut machine = self.machine();
        let facts = machine.facts();
        let before = machine.disk.clone();
        let changed = {
            let mut files = Files::of_user(&facts, &mut machine.disk);
            change(&mut files)
        };
        if machine.disk != before {
            machine.keep()?;
        }
        changed
    }

    /// Runs a `!command` line in the workstation's shell: what it printed, and its status.
    pub fn run(&self, line: &str) -> io::Result<(String, i32)> {
        let mut machine = self.machine();
        let facts = machine.facts();
        let before = machine.disk.clone();
        let Machine { disk, session, .. } = &mut *machine;
        let session =
            session.get_or_insert_with(|| Session::login(&facts, disk).without_terminal());
        let outcome = session.run(
            line,
            &mut Context {
                facts: &facts,
                disk,
                net: &NoNet,
            },
        );
        if outcome.exit {
            // `exit` ends that shell; the next line starts a new one, as a new terminal would.
            machine.session = None;
        }
        if machine.disk != before {
            machine.keep()?;
        }
        Ok((outcome.output, outcome.status))
    }
}
