//! Crash-safe replacement of small state files.
//!
//! Progress (and, later, emulator state) must never be left half-written: a learner who closes
//! the terminal mid-save keeps either the old file or the new one, never a torn mix. The bytes
//! go to a temporary file in the same directory, are flushed to disk, and the temporary file is
//! renamed over the target, which POSIX guarantees to be atomic.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

/// Replaces `path` with `bytes` atomically, creating the parent directory if needed. The file
/// is readable by its owner only (the emulator's state holds keys and MFA seeds).
pub fn write(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut file = tempfile::Builder::new()
        .prefix(".tmp-")
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    file.write_all(bytes)
        .and_then(|()| file.as_file().sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.persist(path)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    // The rename is only durable once the directory entry is; failure here is not worth
    // surfacing (some filesystems refuse to fsync a directory).
    if let Ok(dir) = std::fs::File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// Renames `path` to a free `NAME.unreadable-N` beside it, so a file that cannot be read is
/// kept for the learner (or a bug report) instead of being overwritten.
pub fn set_aside(path: &Path) -> anyhow::Result<std::path::PathBuf> {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    for n in 1.. {
        let target = path.with_file_name(format!("{name}.unreadable-{n}"));
        if !target.exists() {
            std::fs::rename(path, &target).with_context(|| {
                format!(
                    "cannot move {} aside to {}",
                    path.display(),
                    target.display()
                )
            })?;
            return Ok(target);
        }
    }
    unreachable!("some numbered name is free")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_whole_file_and_leaves_no_temporary_behind() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("nested/state.json");
        write(&path, b"a much longer first version").expect("first write");
        write(&path, b"short").expect("second write");
        assert_eq!(std::fs::read(&path).expect("read"), b"short");
        let names: Vec<_> = std::fs::read_dir(path.parent().expect("parent"))
            .expect("list")
            .map(|entry| entry.expect("entry").file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("state.json")]);
    }

    #[cfg(unix)]
    #[test]
    fn files_are_private_to_their_owner() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("state.json");
        write(&path, b"secrets").expect("write");
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}
