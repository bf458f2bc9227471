//! Private key files, checked as OpenSSH checks them before it will use one.
//!
//! OpenSSH ignores a private key that anyone but its owner may read or write, and says so in
//! a block of `@` signs that every EC2 beginner meets once: the key downloaded from the
//! console is usually `0644`. The check here is the same (`mode & 077 != 0`), with the same
//! words, so the fix taught (`chmod 400 key.pem`) is the one that works on a real instance.

use crate::strerror::strerror;
use crate::workstation::{self, Workstation};

/// A key file named on the command line (`-i key.pem`), or one of the default ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// As the learner wrote it: how OpenSSH names it in messages.
    pub shown: String,
    /// Where it is on the learner's computer.
    pub path: String,
}

impl Identity {
    /// The key file the learner named.
    pub fn new(shown: &str) -> Identity {
        Identity {
            shown: shown.to_string(),
            path: shown.to_string(),
        }
    }
}

/// Why a key file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unusable {
    /// It cannot be opened (missing, a folder, not ours): OpenSSH's "not accessible".
    NotAccessible(String),
    /// Group or others may read or write it.
    TooOpen(u32),
    /// It is not a private key OpenSSH reads.
    InvalidFormat,
}

impl Unusable {
    /// What OpenSSH prints, line by line, when it skips the key `shown`.
    pub fn openssh_lines(&self, shown: &str) -> Vec<String> {
        match self {
            Unusable::NotAccessible(reason) => {
                vec![format!(
                    "Warning: Identity file {shown} not accessible: {reason}."
                )]
            }
            Unusable::TooOpen(mode) => vec![
                "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@".to_string(),
                "@         WARNING: UNPROTECTED PRIVATE KEY FILE!          @".to_string(),
                "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@".to_string(),
                format!("Permissions {mode:04o} for '{shown}' are too open."),
                "It is required that your private key files are NOT accessible by others."
                    .to_string(),
                "This private key will be ignored.".to_string(),
                format!("Load key \"{shown}\": bad permissions"),
            ],
            Unusable::InvalidFormat => vec![format!("Load key \"{shown}\": invalid format")],
        }
    }
}

/// Whether a file can be opened at all: OpenSSH checks this when it starts and warns at once,
/// before connecting.
pub fn accessible(identity: &Identity, files: &Workstation) -> Result<(), Unusable> {
    match files.stat(&identity.path) {
        Ok(entry) if entry.is_dir() => Err(Unusable::NotAccessible("Is a directory".to_string())),
        Ok(_) => Ok(()),
        Err(error) => Err(Unusable::NotAccessible(strerror(&error))),
    }
}

/// The private key in the file, if OpenSSH would use it: owner-only permissions and a
/// private key format. Checked when authenticating, as OpenSSH does.
pub fn load(identity: &Identity, files: &Workstation) -> Result<String, Unusable> {
    accessible(identity, files)?;
    check_mode(identity, files)?;
    let text = files
        .read(&identity.path)
        .map_err(|error| Unusable::NotAccessible(strerror(&error)))?;
    let text = String::from_utf8(text).map_err(|_| Unusable::InvalidFormat)?;
    if !looks_like_private_key(&text) {
        return Err(Unusable::InvalidFormat);
    }
    Ok(text)
}

fn check_mode(identity: &Identity, files: &Workstation) -> Result<(), Unusable> {
    // Windows has no modes; OpenSSH there checks the file's access list, which this does
    // not. An emulated workstation is Linux, wherever the server runs.
    if cfg!(not(unix)) && matches!(files, Workstation::Host { .. }) {
        return Ok(());
    }
    let mode = files
        .stat(&identity.path)
        .map_err(|error| Unusable::NotAccessible(strerror(&error)))?
        .mode;
    too_open(mode).map_or(Ok(()), |mode| Err(Unusable::TooOpen(mode)))
}

/// The mode itself when group or others have any access to the key.
pub fn too_open(mode: u32) -> Option<u32> {
    (mode & 0o077 != 0).then_some(mode)
}

/// PEM (`-----BEGIN RSA PRIVATE KEY-----`, PKCS#8, EC) or the OpenSSH format.
fn looks_like_private_key(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .any(|line| line.starts_with("-----BEGIN ") && line.ends_with("PRIVATE KEY-----"))
}

/// The keys OpenSSH tries when no `-i` is given, those of them that exist.
pub fn defaults(files: &Workstation) -> Vec<Identity> {
    let Some(home) = files.home() else {
        return Vec::new();
    };
    ["id_rsa", "id_ecdsa", "id_ed25519"]
        .into_iter()
        .map(|name| Identity {
            shown: format!("~/.ssh/{name}"),
            path: workstation::join(&home, &format!(".ssh/{name}")),
        })
        .filter(|identity| {
            files
                .stat(&identity.path)
                .is_ok_and(|entry| entry.is_file())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_owner_only_modes_pass() {
        assert_eq!(too_open(0o400), None);
        assert_eq!(too_open(0o600), None);
        assert_eq!(too_open(0o700), None);
        assert_eq!(too_open(0o644), Some(0o644));
        assert_eq!(too_open(0o640), Some(0o640));
        assert_eq!(too_open(0o604), Some(0o604));
        assert_eq!(too_open(0o620), Some(0o620));
    }

    #[test]
    fn the_warning_is_openssh_s() {
        let lines = Unusable::TooOpen(0o644).openssh_lines("key.pem");
        assert_eq!(
            lines.join("\n"),
            "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n\
             @         WARNING: UNPROTECTED PRIVATE KEY FILE!          @\n\
             @@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n\
             Permissions 0644 for 'key.pem' are too open.\n\
             It is required that your private key files are NOT accessible by others.\n\
             This private key will be ignored.\n\
             Load key \"key.pem\": bad permissions"
        );
        assert_eq!(
            Unusable::NotAccessible("No such file or directory".into()).openssh_lines("key.pem"),
            ["Warning: Identity file key.pem not accessible: No such file or directory."]
        );
    }

    #[cfg(unix)]
    #[test]
    fn files_are_checked_as_openssh_checks_them() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("dir");
        let files = Workstation::host(dir.path());
        let identity = Identity::new("key.pem");
        let path = dir.path().join("key.pem");
        assert_eq!(
            load(&identity, &files),
            Err(Unusable::NotAccessible("No such file or directory".into()))
        );
        let pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n";
        std::fs::write(&path, pem).expect("write");
        let set = |mode| {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).expect("chmod")
        };
        set(0o644);
        assert_eq!(load(&identity, &files), Err(Unusable::TooOpen(0o644)));
        set(0o400);
        assert_eq!(load(&identity, &files).as_deref(), Ok(pem));
        std::fs::write(dir.path().join("pub"), "ssh-rsa AAAA").expect("write");
        std::fs::set_permissions(
            dir.path().join("pub"),
            std::fs::Permissions::from_mode(0o600),
        )
        .expect("chmod");
        assert_eq!(
            load(&Identity::new("pub"), &files),
            Err(Unusable::InvalidFormat)
        );
    }
}
