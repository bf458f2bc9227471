//! The `known_hosts` file: which host keys the learner has accepted, in OpenSSH's format, so
//! the file means the same to OpenSSH and the lesson about it ("why does ssh ask me this?")
//! holds for both.
//!
//! Lines are `names keytype base64-key [comment]`, names a comma-separated list of patterns
//! (`*` and `?` wildcards, `!` negation) or one hashed name (`|1|salt|hash`, HMAC-SHA1).
//! A host on a port other than 22 is written `[host]:port`. Marked lines (`@revoked`,
//! `@cert-authority`) are not used for matching.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use sha2::Digest as _;

/// A server's host key, as the server sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostKey {
    /// The SSH wire encoding of the public key; it begins with the algorithm's name.
    pub blob: Vec<u8>,
}

impl HostKey {
    pub fn new(blob: Vec<u8>) -> HostKey {
        HostKey { blob }
    }

    /// `ssh-ed25519`, `ssh-rsa`, `ecdsa-sha2-nistp256`: the name the blob starts with.
    pub fn algorithm(&self) -> String {
        let name = self
            .blob
            .get(..4)
            .and_then(|len| {
                let len = u32::from_be_bytes(len.try_into().ok()?) as usize;
                self.blob.get(4..4 + len)
            })
            .unwrap_or_default();
        String::from_utf8_lossy(name).into_owned()
    }

    /// `ED25519`, `RSA`, `ECDSA`: how OpenSSH names the key type in messages.
    pub fn kind(&self) -> &'static str {
        kind_of(&self.algorithm())
    }

    /// `SHA256:…`, the fingerprint OpenSSH shows (unpadded base64 of the blob's SHA-256).
    pub fn fingerprint(&self) -> String {
        format!(
            "SHA256:{}",
            STANDARD_NO_PAD.encode(sha2::Sha256::digest(&self.blob))
        )
    }

    /// The key as a `known_hosts` or `authorized_keys` line writes it: `ssh-ed25519 AAAA…`.
    pub fn openssh(&self) -> String {
        format!("{} {}", self.algorithm(), STANDARD.encode(&self.blob))
    }
}

fn kind_of(algorithm: &str) -> &'static str {
    match algorithm {
        "ssh-ed25519" => "ED25519",
        "ssh-rsa" => "RSA",
        "ssh-dss" => "DSA",
        a if a.starts_with("ecdsa-") => "ECDSA",
        a if a.starts_with("sk-ssh-ed25519") => "ED25519-SK",
        a if a.starts_with("sk-ecdsa") => "ECDSA-SK",
        _ => "UNKNOWN",
    }
}

/// The name a host is recorded under: lower case, `[host]:port` off port 22.
pub fn host_name(host: &str, port: u16) -> String {
    let host = host.to_ascii_lowercase();
    if port == 22 {
        host
    } else {
        format!("[{host}]:{port}")
    }
}

/// One usable line of the file.
#[derive(Debug, Clone)]
struct Entry {
    /// 1-based, as OpenSSH reports it.
    line: usize,
    names: String,
    algorithm: String,
    blob: Vec<u8>,
}

impl Entry {
    fn matches(&self, name: &str) -> bool {
        if let Some(hashed) = self.names.strip_prefix("|1|") {
            return hashed_matches(hashed, name);
        }
        let mut matched = false;
        for pattern in self.names.split(',') {
            match pattern.strip_prefix('!') {
                Some(negated) if glob(&negated.to_ascii_lowercase(), name) => return false,
                Some(_) => {}
                None => matched |= glob(&pattern.to_ascii_lowercase(), name),
            }
        }
        matched
    }

    /// How OpenSSH shows the entry's name when listing other names for a key.
    fn shown_name(&self) -> &str {
        if self.names.starts_with('|') {
            "[hashed name]"
        } else {
            self.names.split(',').next().unwrap_or_default()
        }
    }
}

/// What the file says about a host and the key it presented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// This key is recorded for this name.
    Known,
    /// Not recorded: the learner is asked. `other_names` lists where the same key is recorded
    /// under other names (`line`, `name`), as OpenSSH shows them.
    Unknown { other_names: Vec<(usize, String)> },
    /// A different key of the same type is recorded for this name: possibly an attack.
    Changed { line: usize, kind: &'static str },
}

/// The known hosts of one file.
#[derive(Debug, Clone)]
pub struct KnownHosts {
    path: PathBuf,
    entries: Vec<Entry>,
}

impl KnownHosts {
    /// Reads the file; a missing file knows no hosts.
    pub fn load(path: &Path) -> io::Result<KnownHosts> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) if error.kind() == io::ErrorKind::NotFound => String::new(),
            Err(error) => return Err(error),
        };
        Ok(KnownHosts::parse(path, &text))
    }

    pub fn parse(path: &Path, text: &str) -> KnownHosts {
        let entries = text
            .lines()
            .enumerate()
            .filter_map(|(index, line)| {
                let line_text = line.trim();
                if line_text.is_empty() || line_text.starts_with('#') || line_text.starts_with('@')
                {
                    return None;
                }
                let mut fields = line_text.split_whitespace();
                let names = fields.next()?.to_string();
                let algorithm = fields.next()?.to_string();
                let blob = STANDARD.decode(fields.next()?).ok()?;
                Some(Entry {
                    line: index + 1,
                    names,
                    algorithm,
                    blob,
                })
            })
            .collect();
        KnownHosts {
            path: path.to_path_buf(),
            entries,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether `key` is the key recorded for the host `name` (see [`host_name`]).
    pub fn check(&self, name: &str, key: &HostKey) -> Verdict {
        let name = name.to_ascii_lowercase();
        let algorithm = key.algorithm();
        let kind = kind_of(&algorithm);
        let mut changed = None;
        for entry in self.entries.iter().filter(|entry| entry.matches(&name)) {
            if kind_of(&entry.algorithm) != kind {
                continue;
            }
            if entry.blob == key.blob {
                return Verdict::Known;
            }
            changed.get_or_insert(entry.line);
        }
        if let Some(line) = changed {
            return Verdict::Changed { line, kind };
        }
        let other_names = self
            .entries
            .iter()
            .filter(|entry| entry.blob == key.blob)
            .map(|entry| (entry.line, entry.shown_name().to_string()))
            .collect();
        Verdict::Unknown { other_names }
    }

    /// Records `key` for `name` at the end of the file, creating the file and its folder.
    pub fn add(&mut self, name: &str, key: &HostKey) -> io::Result<()> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let existing = std::fs::read(&self.path).unwrap_or_default();
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?;
        if !existing.is_empty() && !existing.ends_with(b"\n") {
            file.write_all(b"\n")?;
        }
        let name = name.to_ascii_lowercase();
        writeln!(file, "{name} {}", key.openssh())?;
        let line = String::from_utf8_lossy(&existing).lines().count() + 1;
        self.entries.push(Entry {
            line,
            names: name,
            algorithm: key.algorithm(),
            blob: key.blob.clone(),
        });
        Ok(())
    }
}

/// `|1|salt|hash`: the name's HMAC-SHA1 keyed with the salt.
fn hashed_matches(hashed: &str, name: &str) -> bool {
    use hmac::{KeyInit, Mac};
    let Some((salt, hash)) = hashed.split_once('|') else {
        return false;
    };
    let (Ok(salt), Ok(hash)) = (STANDARD.decode(salt), STANDARD.decode(hash)) else {
        return false;
    };
    let Ok(mut mac) = <hmac::Hmac<sha1::Sha1> as KeyInit>::new_from_slice(&salt) else {
        return false;
    };
    mac.update(name.as_bytes());
    mac.verify_slice(&hash).is_ok()
}

/// OpenSSH's pattern match: `*` any run of characters, `?` any one character.
fn glob(pattern: &str, name: &str) -> bool {
    fn matches(pattern: &[u8], name: &[u8]) -> bool {
        match pattern.split_first() {
            None => name.is_empty(),
            Some((b'*', rest)) => (0..=name.len()).any(|skip| matches(rest, &name[skip..])),
            Some((b'?', rest)) => !name.is_empty() && matches(rest, &name[1..]),
            Some((c, rest)) => name.first() == Some(c) && matches(rest, &name[1..]),
        }
    }
    matches(pattern.as_bytes(), name.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A blob as a server sends it: algorithm name, then key bytes.
    fn key(algorithm: &str, bytes: &[u8]) -> HostKey {
        let mut blob = Vec::new();
        blob.extend_from_slice(&(algorithm.len() as u32).to_be_bytes());
        blob.extend_from_slice(algorithm.as_bytes());
        blob.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
        blob.extend_from_slice(bytes);
        HostKey::new(blob)
    }

    #[test]
    fn keys_describe_themselves_as_openssh_does() {
        let host = key("ssh-ed25519", &[7; 32]);
        assert_eq!(host.algorithm(), "ssh-ed25519");
        assert_eq!(host.kind(), "ED25519");
        assert!(host.fingerprint().starts_with("SHA256:"));
        assert!(!host.fingerprint().ends_with('='));
        assert_eq!(
            host_name("EC2-3-35-1-2.example.com", 22),
            "ec2-3-35-1-2.example.com"
        );
        assert_eq!(host_name("3.35.1.2", 2222), "[3.35.1.2]:2222");
    }

    #[test]
    fn first_contact_then_known_then_changed() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("ssh").join("known_hosts");
        let mut known = KnownHosts::load(&path).expect("missing is empty");
        let host = key("ssh-ed25519", &[1; 32]);
        assert_eq!(
            known.check("3.35.1.2", &host),
            Verdict::Unknown {
                other_names: Vec::new()
            }
        );
        known.add("3.35.1.2", &host).expect("add");
        assert_eq!(known.check("3.35.1.2", &host), Verdict::Known);

        let reread = KnownHosts::load(&path).expect("read");
        assert_eq!(reread.check("3.35.1.2", &host), Verdict::Known);
        let text = std::fs::read_to_string(&path).expect("file");
        assert!(text.starts_with("3.35.1.2 ssh-ed25519 AAAA"), "{text}");

        // The same key under another name is listed; a new key for the name is a change.
        assert_eq!(
            reread.check("ec2-3-35-1-2.example.com", &host),
            Verdict::Unknown {
                other_names: vec![(1, "3.35.1.2".into())]
            }
        );
        let other = key("ssh-ed25519", &[2; 32]);
        assert_eq!(
            reread.check("3.35.1.2", &other),
            Verdict::Changed {
                line: 1,
                kind: "ED25519"
            }
        );
        // A key of another type is not a change: it is asked about.
        assert!(matches!(
            reread.check("3.35.1.2", &key("ssh-rsa", &[3; 64])),
            Verdict::Unknown { .. }
        ));
    }

    #[test]
    fn patterns_ports_and_hashed_names() {
        let host = key("ssh-ed25519", &[4; 32]);
        let line = host.openssh();
        let text = format!(
            "# comment\n\n@revoked * {line}\n*.example.com,!bad.example.com {line}\n[10.0.0.1]:2222 {line}\n|1|{salt}|{hash} {line}\n",
            salt = "c2FsdHNhbHRzYWx0c2FsdHNhbHQ=",
            hash = {
                use hmac::{KeyInit, Mac};
                let mut mac =
                    <hmac::Hmac<sha1::Sha1> as KeyInit>::new_from_slice(b"saltsaltsaltsaltsalt")
                        .expect("any key length");
                mac.update(b"hashed.host");
                STANDARD.encode(mac.finalize().into_bytes())
            }
        );
        let known = KnownHosts::parse(Path::new("known_hosts"), &text);
        assert_eq!(known.check("www.example.com", &host), Verdict::Known);
        assert_ne!(known.check("bad.example.com", &host), Verdict::Known);
        assert_eq!(
            known.check(&host_name("10.0.0.1", 2222), &host),
            Verdict::Known
        );
        assert_ne!(known.check("10.0.0.1", &host), Verdict::Known);
        assert_eq!(known.check("hashed.host", &host), Verdict::Known);
        let Verdict::Unknown { other_names } = known.check("elsewhere", &host) else {
            panic!("unknown");
        };
        assert_eq!(
            other_names,
            [
                (4, "*.example.com".to_string()),
                (5, "[10.0.0.1]:2222".to_string()),
                (6, "[hashed name]".to_string())
            ]
        );
    }
}
