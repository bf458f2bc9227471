//! Who may open a file on this machine, in the permission bits `chmod`, `stat` and OpenSSH
//! speak: `0o400` for a key only its owner reads.
//!
//! Unix keeps those bits. Windows keeps an access list per file instead, which is read here
//! as the bits it amounts to and written from them, so that a lesson's check (`mode == 0400`),
//! the shell's `chmod 400 key.pem` and its `ssh` mean the same on both, and what the learner
//! does with `icacls` is seen as it is.

use std::io;
use std::path::Path;

#[cfg(windows)]
mod windows;

/// The permission bits of the file or folder at `path`, whose `metadata` the caller has read
/// (followed or not, as it lists links).
///
/// On Windows: the owner's bits are what the access list grants the user running cloudlings;
/// the group's and others' bits are what it grants anyone else, but SYSTEM and the
/// Administrators, who are root's equal there. Entries that deny are not subtracted, so a
/// file may read as more open than it is, never as more private.
pub fn mode(path: &Path, metadata: &std::fs::Metadata) -> io::Result<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = path;
        Ok(metadata.permissions().mode() & 0o7777)
    }
    #[cfg(windows)]
    {
        windows::mode(path, metadata)
    }
}

/// Gives the file or folder at `path` the permission bits `mode`, as `chmod` does.
///
/// On Windows the access list is replaced, as `icacls /inheritance:r /grant:r` replaces it:
/// the user running cloudlings gets the owner's bits, Everyone the others', and SYSTEM and the
/// Administrators keep full control. A file without the owner's write bit is also marked
/// read-only.
pub fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
    }
    #[cfg(windows)]
    {
        windows::set_mode(path, mode)
    }
}

/// Whether `mode` lets anyone but the owner at the file: the test OpenSSH puts to a key.
pub fn open_to_others(mode: u32) -> bool {
    mode & 0o077 != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(path: &Path) -> io::Result<u32> {
        super::mode(path, &std::fs::metadata(path)?)
    }

    #[test]
    fn a_key_locked_with_chmod_400_reads_back_as_400() {
        let dir = tempfile::tempdir().expect("tempdir");
        let key = dir.path().join("key.pem");
        std::fs::write(&key, "secret").expect("write");
        set_mode(&key, 0o644).expect("chmod 644");
        assert_eq!(mode(&key).expect("mode"), 0o644);
        assert!(open_to_others(0o644));
        set_mode(&key, 0o400).expect("chmod 400");
        assert_eq!(mode(&key).expect("mode"), 0o400);
        assert!(!open_to_others(0o400));
        // Read-only to its owner, and still theirs to change and to delete.
        set_mode(&key, 0o600).expect("chmod 600");
        assert_eq!(mode(&key).expect("mode"), 0o600);
        std::fs::write(&key, "rotated").expect("write again");
        std::fs::remove_file(&key).expect("remove");
        assert!(mode(&key).is_err());
    }

    #[test]
    fn a_private_folder_reads_as_700_and_stays_usable() {
        let dir = tempfile::tempdir().expect("tempdir");
        let lab = dir.path().join("cloudlings-lab");
        std::fs::create_dir(&lab).expect("mkdir");
        set_mode(&lab, 0o755).expect("chmod 755");
        assert_eq!(mode(&lab).expect("mode"), 0o755);
        set_mode(&lab, 0o700).expect("chmod 700");
        assert_eq!(mode(&lab).expect("mode"), 0o700);
        std::fs::write(lab.join("notes.txt"), "mine").expect("write inside");
        assert_eq!(
            std::fs::read_to_string(lab.join("notes.txt")).expect("read inside"),
            "mine"
        );
    }
}
