//! The learner's own computer, as the shell's tools see it: where `key.pem`, `mfa-seed.txt`
//! and `cloudlings-lab/` live, where `chmod`, `ssh -i`, `totp`, `aws … file://`, `aws s3 cp`
//! and `curl -o` read and write, and where a `!command` runs.
//!
//! It is this machine, in the folder the shell started in, for a learner at their own
//! terminal. Paths there mean what they mean to any program the learner runs: the learner
//! owns the machine. For a learner in a browser, on a server that is not theirs, it is an
//! emulated machine of its own (see [`emulated`]), so that nothing typed reaches the server's
//! files or runs a process on it.

mod emulated;

use std::io;
use std::path::PathBuf;

pub use emulated::Emulated;

/// What the tools need of a file, whichever machine it is on: the emulated machines' own
/// description, which this machine's files are described in too.
pub use cloudlings_os::{Entry, Kind};

/// The kind of computer a learner's `!` lines and files are on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    /// `sh` runs `!` lines; files have modes. Linux, macOS, and every emulated workstation.
    Unix,
    /// PowerShell runs `!` lines; files have access lists.
    Windows,
}

impl Platform {
    /// The computer cloudlings runs on.
    pub fn this_machine() -> Platform {
        if cfg!(windows) {
            Platform::Windows
        } else {
            Platform::Unix
        }
    }
}

/// The learner's own computer.
#[derive(Debug, Clone)]
pub enum Workstation {
    /// This machine, from the folder the shell started in.
    Host { folder: PathBuf },
    /// An emulated machine of the learner's own, from their home folder.
    Emulated(Emulated),
}

impl Workstation {
    /// What kind of computer it is, for the lessons' `!` lines and what they say of files.
    pub fn platform(&self) -> Platform {
        match self {
            Workstation::Host { .. } => Platform::this_machine(),
            Workstation::Emulated(_) => Platform::Unix,
        }
    }

    /// This machine, from `folder`.
    pub fn host(folder: impl Into<PathBuf>) -> Workstation {
        Workstation::Host {
            folder: folder.into(),
        }
    }

    /// The folder relative paths start from, as the learner would write it.
    pub fn folder(&self) -> String {
        match self {
            Workstation::Host { folder } => folder.display().to_string(),
            Workstation::Emulated(_) => EMULATED_HOME.to_string(),
        }
    }

    /// The learner's home folder, where `~/.ssh` is.
    pub fn home(&self) -> Option<String> {
        match self {
            // `HOME` on Unix, the user's profile folder on Windows.
            Workstation::Host { .. } => std::env::home_dir().map(|home| home.display().to_string()),
            Workstation::Emulated(_) => Some(EMULATED_HOME.to_string()),
        }
    }

    /// The file `path` names on this machine, for a tool that reads it as it goes (a large
    /// upload) rather than whole; `None` on an emulated machine.
    pub fn host_path(&self, path: &str) -> Option<PathBuf> {
        match self {
            Workstation::Host { folder } => Some(folder.join(path)),
            Workstation::Emulated(_) => None,
        }
    }

    /// `path` as a message names where it leads: relative to the folder where it is inside.
    pub fn shown(&self, path: &str) -> String {
        match self {
            Workstation::Host { folder } => folder.join(path).display().to_string(),
            Workstation::Emulated(machine) => machine
                .look(|files| files.canonical(path))
                .unwrap_or_else(|_| path.to_string()),
        }
    }

    pub fn read(&self, path: &str) -> io::Result<Vec<u8>> {
        match self {
            Workstation::Host { folder } => std::fs::read(folder.join(path)),
            Workstation::Emulated(machine) => machine.look(|files| files.read(path)),
        }
    }

    pub fn read_to_string(&self, path: &str) -> io::Result<String> {
        String::from_utf8(self.read(path)?).map_err(|_| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                "stream did not contain valid UTF-8",
            )
        })
    }

    /// Writes `bytes` as a shell's `>` does: the file is truncated if it is there, and
    /// created with `mode` (less nothing: the caller passes what the umask leaves) if not.
    pub fn write(&self, path: &str, bytes: &[u8], mode: u32) -> io::Result<()> {
        match self {
            Workstation::Host { folder } => host::write(&folder.join(path), bytes, mode, false),
            Workstation::Emulated(machine) => {
                machine.change(|files| files.write_with_mode(path, bytes, mode))
            }
        }
    }

    /// Writes a whole file at once: a reader never finds half of it, and a failure leaves
    /// what was there.
    pub fn write_whole(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        match self {
            Workstation::Host { folder } => {
                cloudlings_core::atomic::write(&folder.join(path), bytes).map_err(io::Error::other)
            }
            // One change of the emulated disk is whole already.
            Workstation::Emulated(machine) => machine.change(|files| files.write(path, bytes)),
        }
    }

    /// Writes a secret (an MFA seed, its QR code): mode `0600` whether it was there or not.
    pub fn write_private(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        match self {
            Workstation::Host { folder } => {
                host::write(&folder.join(path), bytes, 0o600, false)?;
                host::chmod(&folder.join(path), 0o600)
            }
            Workstation::Emulated(machine) => machine.change(|files| {
                files.write_with_mode(path, bytes, 0o600)?;
                files.chmod(path, 0o600)
            }),
        }
    }

    /// Writes a new file with `mode`, never over one that is there (`AlreadyExists`).
    pub fn create_new(&self, path: &str, bytes: &[u8], mode: u32) -> io::Result<()> {
        match self {
            Workstation::Host { folder } => host::write(&folder.join(path), bytes, mode, true),
            Workstation::Emulated(machine) => {
                machine.change(|files| files.create_new(path, bytes, mode))
            }
        }
    }

    /// The file or folder at `path`, links followed.
    pub fn stat(&self, path: &str) -> io::Result<Entry> {
        match self {
            Workstation::Host { folder } => host::stat(&folder.join(path)),
            Workstation::Emulated(machine) => machine.look(|files| files.stat(path)),
        }
    }

    pub fn chmod(&self, path: &str, mode: u32) -> io::Result<()> {
        match self {
            Workstation::Host { folder } => host::chmod(&folder.join(path), mode),
            Workstation::Emulated(machine) => machine.change(|files| files.chmod(path, mode)),
        }
    }

    /// The names in the folder at `path`, sorted, with what each is.
    pub fn list(&self, path: &str) -> io::Result<Vec<(String, Entry)>> {
        match self {
            Workstation::Host { folder } => host::list(&folder.join(path)),
            Workstation::Emulated(machine) => machine.look(|files| files.list(path)),
        }
    }

    /// The mask new files' modes are created under, as `chmod +w` applies it.
    pub fn umask(&self) -> u32 {
        match self {
            Workstation::Host { .. } => host::umask(),
            Workstation::Emulated(machine) => {
                machine.look(|files| Ok(files.umask())).unwrap_or(0o002)
            }
        }
    }

    pub fn create_dir_all(&self, path: &str) -> io::Result<()> {
        match self {
            Workstation::Host { folder } => std::fs::create_dir_all(folder.join(path)),
            Workstation::Emulated(machine) => machine.change(|files| files.create_dir_all(path)),
        }
    }
}

/// Where an emulated workstation's relative paths start.
const EMULATED_HOME: &str = "/home/learner";

/// The number Python's `[Errno N]` shows for an error: the operating system's own, or the
/// Linux number of its kind where the error did not come from the operating system.
pub fn errno(error: &io::Error) -> i32 {
    if let Some(number) = error.raw_os_error() {
        return number;
    }
    match error.kind() {
        io::ErrorKind::NotFound => 2,
        io::ErrorKind::PermissionDenied => 13,
        io::ErrorKind::AlreadyExists => 17,
        io::ErrorKind::NotADirectory => 20,
        io::ErrorKind::IsADirectory => 21,
        io::ErrorKind::StorageFull => 28,
        _ => 5,
    }
}

/// `name` in the folder `dir`, both as the learner writes paths (`/` between parts).
pub fn join(dir: &str, name: &str) -> String {
    match dir {
        "" | "." => name.to_string(),
        dir if dir.ends_with('/') => format!("{dir}{name}"),
        dir => format!("{dir}/{name}"),
    }
}

mod host {
    //! This machine's files, through the standard library.

    use std::io::{self, Write};
    use std::path::Path;

    use super::{Entry, Kind};

    pub fn write(path: &Path, bytes: &[u8], mode: u32, new: bool) -> io::Result<()> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true);
        if new {
            options.create_new(true);
        } else {
            options.create(true).truncate(true);
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(mode);
        }
        let existed = !new && path.exists();
        options.open(path)?.write_all(bytes)?;
        // A new Windows file takes its folder's access list. A private mode narrows it, as the
        // mode does on Unix; an open one is not applied, so nothing becomes readable by
        // Everyone that Windows would have kept to its owner.
        if cfg!(windows) && !existed && !cloudlings_core::access::open_to_others(mode) {
            cloudlings_core::access::set_mode(path, mode)?;
        }
        Ok(())
    }

    pub fn stat(path: &Path) -> io::Result<Entry> {
        let metadata = std::fs::metadata(path)?;
        Ok(entry(path, &metadata))
    }

    fn entry(path: &Path, metadata: &std::fs::Metadata) -> Entry {
        // Windows' access list, when it cannot be read, gives way to what Windows shows
        // everyone: a read-only file is 0444, any other file 0644, a folder 0755. Never private.
        let mode = cloudlings_core::access::mode(path, metadata).unwrap_or(if metadata.is_dir() {
            0o755
        } else if metadata.permissions().readonly() {
            0o444
        } else {
            0o644
        });
        let kind = metadata.file_type();
        Entry {
            kind: if kind.is_symlink() {
                Kind::Link
            } else if kind.is_dir() {
                Kind::Dir
            } else if kind.is_file() {
                Kind::File
            } else {
                Kind::Other
            },
            size: metadata.len(),
            mode,
            modified: metadata
                .modified()
                .ok()
                .and_then(|at| at.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |since| since.as_secs() as i64),
        }
    }

    pub fn chmod(path: &Path, mode: u32) -> io::Result<()> {
        cloudlings_core::access::set_mode(path, mode)
    }

    /// The process's umask, read without changing it (Linux shows it in /proc); 022 elsewhere,
    /// the common default.
    pub fn umask() -> u32 {
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|status| {
                let line = status.lines().find(|line| line.starts_with("Umask:"))?;
                u32::from_str_radix(line["Umask:".len()..].trim(), 8).ok()
            })
            .unwrap_or(0o022)
    }

    pub fn list(path: &Path) -> io::Result<Vec<(String, Entry)>> {
        let mut names = Vec::new();
        for item in std::fs::read_dir(path)? {
            let item = item?;
            // A name that is not UTF-8 cannot be typed at the shell's prompt either.
            let Ok(name) = item.file_name().into_string() else {
                continue;
            };
            if let Ok(metadata) = std::fs::symlink_metadata(item.path()) {
                names.push((name, entry(&item.path(), &metadata)));
            }
        }
        names.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(names)
    }
}
