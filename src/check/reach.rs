//! What a lesson may touch. A lesson file is untrusted input: instructors share them, and a
//! learner runs a course folder they were given. So a lesson sees the learner's machine and
//! network only where its steps need to:
//!
//! - files in the course folder, the folder the shell runs in, where the tasks put `key.pem`,
//!   `mfa-seed.txt` and `cloudlings-lab/`: never outside it, by `~/`, an absolute path, `..`
//!   or a symbolic link on the way;
//! - hosts of the emulated world (instances, CloudFront, S3) on the emulator, and AWS's
//!   public names and addresses on a real account, never this machine or its network;
//! - and what the lesson declares beyond that ([`Reach`]).
//!
//! What a lesson reads from a file's contents stays on this machine: it is never put in an
//! address a probe fetches, nor saved with the progress ([`Bound::local`]).

use std::io::Read;
use std::net::IpAddr;
use std::path::{Component, Path, PathBuf};

use super::ProbeError;
use super::probe_error::Beyond;
use crate::workstation::Workstation;

/// The most of a file that a value bound from it may hold.
pub const MAX_BOUND_FROM_FILE: usize = 4 * 1024;

/// What a lesson declares it reaches beyond the course folder and the cloud: paths as it
/// writes them (`~/.ssh/config`; one ending in `/` stands for what is under it) and host
/// names (`example.com`). Empty for the built-in lessons.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reach {
    pub files: Vec<String>,
    pub hosts: Vec<String>,
}

impl Reach {
    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.hosts.is_empty()
    }

    fn declares_file(&self, written: &str) -> bool {
        self.files.iter().any(|declared| {
            declared == written
                || (declared.ends_with('/') && written.starts_with(declared.as_str()))
        })
    }

    /// Whether the lesson declared `host` (any port).
    pub fn declares_host(&self, host: &str) -> bool {
        self.hosts
            .iter()
            .any(|declared| declared.eq_ignore_ascii_case(host))
    }
}

/// A value a step bound, and whether it came from a file's contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bound {
    pub value: String,
    /// Read from a file's contents: kept for this session's checks and texts, never sent in
    /// an address or saved.
    pub local: bool,
}

fn out_of_reach(what: &str, beyond: Beyond) -> ProbeError {
    ProbeError::OutOfReach {
        what: what.to_string(),
        beyond,
    }
}

/// The path a lesson's `written` path means, if the lesson may look there: inside `folder`
/// (the course folder), or declared. `home` is what `~/` stands for.
pub fn file(
    written: &str,
    folder: &Path,
    home: Option<&Path>,
    reach: &Reach,
) -> Result<PathBuf, ProbeError> {
    if reach.declares_file(written) {
        return Ok(match (written.strip_prefix("~/"), home) {
            (Some(rest), Some(home)) => home.join(rest),
            _ => folder.join(written),
        });
    }
    let relative = Path::new(written);
    let inside = !written.starts_with('~')
        && relative
            .components()
            .all(|part| matches!(part, Component::Normal(_) | Component::CurDir));
    if !inside {
        return Err(out_of_reach(written, Beyond::Folder));
    }
    // `./` parts say nothing; what is left, empty for the folder itself.
    let relative: PathBuf = relative
        .components()
        .filter(|part| matches!(part, Component::Normal(_)))
        .collect();
    if relative.as_os_str().is_empty() {
        return Ok(folder.to_path_buf());
    }
    let path = folder.join(relative);
    // A link on the way (a folder that is a link to elsewhere) must not lead out: the folder
    // the file is in, with every link followed, must still be inside. The file itself is
    // looked at without following it.
    let parent = path.parent().unwrap_or(folder);
    if let (Ok(parent), Ok(root)) = (parent.canonicalize(), folder.canonicalize())
        && !parent.starts_with(&root)
    {
        return Err(out_of_reach(written, Beyond::Link));
    }
    Ok(path)
}

/// Reads at most `limit` bytes of the regular file a lesson's `written` path names on the
/// learner's computer, if the lesson may look there. `home` is what `~/` stands for.
pub fn read_in(
    files: &Workstation,
    written: &str,
    home: Option<&Path>,
    reach: &Reach,
    limit: u64,
) -> Result<Vec<u8>, ProbeError> {
    match files {
        Workstation::Host { folder } => {
            let path = file(written, folder, home, reach)?;
            read_file(&path, limit).map_err(|source| ProbeError::Io { path, source })
        }
        Workstation::Emulated(_) => {
            let path = emulated_file(written, reach)?;
            let mut bytes = files.read(&path).map_err(|source| ProbeError::Io {
                path: PathBuf::from(&path),
                source,
            })?;
            bytes.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
            Ok(bytes)
        }
    }
}

/// The path a lesson's `written` path means on an emulated workstation, if the lesson may
/// look there: the same rule as on this machine (the learner's folder, or what the lesson
/// declares), though nothing there is the server's.
pub fn emulated_file(written: &str, reach: &Reach) -> Result<String, ProbeError> {
    if reach.declares_file(written) {
        return Ok(match written.strip_prefix("~/") {
            Some(rest) => rest.to_string(),
            None => written.to_string(),
        });
    }
    let inside = !written.starts_with('~')
        && Path::new(written)
            .components()
            .all(|part| matches!(part, Component::Normal(_) | Component::CurDir));
    if inside {
        Ok(written.to_string())
    } else {
        Err(out_of_reach(written, Beyond::Folder))
    }
}

/// Reads at most `limit` bytes of the regular file at `path`, never through a link: a file
/// swapped for a link after it was looked at is refused, not followed. `None` when there is
/// no such regular file.
pub fn read_file(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    // Windows' links are reparse points: opened as themselves, they are no regular file.
    #[cfg(windows)]
    {
        use std::os::windows::fs::OpenOptionsExt;
        const FILE_FLAG_OPEN_REPARSE_POINT: u32 = 0x0020_0000;
        options.custom_flags(FILE_FLAG_OPEN_REPARSE_POINT);
    }
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    let mut bytes = Vec::new();
    file.take(limit).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Whether an HTTP probe may ask `host` on the real network, outside the emulator: a name or
/// address of AWS's public world, or a host the lesson declared. On the emulator, only its
/// own hosts are asked, and this is not consulted.
pub fn public_host(host: &str, reach: &Reach) -> Result<(), ProbeError> {
    let name = host.trim_end_matches('.').to_ascii_lowercase();
    let public = match name.trim_matches(['[', ']']).parse::<IpAddr>() {
        Ok(address) => is_public(address),
        Err(_) => name.ends_with(".amazonaws.com") || name.ends_with(".cloudfront.net"),
    };
    if public || reach.declares_host(&name) {
        Ok(())
    } else {
        Err(out_of_reach(host, Beyond::Cloud))
    }
}

/// Whether a connection that reached `address` reached the public internet, not this
/// machine or a network around it (a name may resolve anywhere).
pub fn is_public(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || a == 0
                // Shared address space (carrier-grade NAT) and benchmarking networks.
                || (a == 100 && (64..128).contains(&b))
                || (a == 198 && (18..20).contains(&b)))
        }
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public(IpAddr::V4(v4)),
            None => {
                let first = v6.segments()[0];
                !(v6.is_loopback()
                    || v6.is_unspecified()
                    || v6.is_multicast()
                    || (first & 0xfe00) == 0xfc00
                    || (first & 0xffc0) == 0xfe80)
            }
        },
    }
}

/// The names a text fills in (`{k}` in `http://host/?k={k}`).
pub fn names_in(text: &str) -> impl Iterator<Item = &str> {
    text.split('{')
        .skip(1)
        .filter_map(|after| after.split_once('}').map(|(name, _)| name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("dir");
        std::fs::create_dir(dir.path().join("lab")).expect("lab");
        dir
    }

    #[test]
    fn files_in_the_course_folder_are_in_reach_and_nothing_else() {
        let dir = folder();
        let none = Reach::default();
        let home = Path::new("/home/learner");
        assert!(file("key.pem", dir.path(), Some(home), &none).is_ok());
        assert!(file("./lab/notes.txt", dir.path(), Some(home), &none).is_ok());
        assert_eq!(
            file(".", dir.path(), Some(home), &none).expect("the folder itself"),
            dir.path()
        );
        for outside in [
            "~/.ssh/id_rsa",
            "/etc/shadow",
            "../secret",
            "lab/../../secret",
            "~",
        ] {
            assert!(
                matches!(
                    file(outside, dir.path(), Some(home), &none),
                    Err(ProbeError::OutOfReach { .. })
                ),
                "{outside}"
            );
        }
    }

    // Links need a privilege on Windows, and /dev/zero is Unix's.
    #[cfg(unix)]
    #[test]
    fn a_linked_folder_does_not_lead_out() {
        let dir = folder();
        let elsewhere = tempfile::tempdir().expect("elsewhere");
        std::os::unix::fs::symlink(elsewhere.path(), dir.path().join("away")).expect("link");
        let refused = file("away/id_rsa", dir.path(), None, &Reach::default());
        assert!(matches!(refused, Err(ProbeError::OutOfReach { .. })));
        // A link inside the folder to inside the folder is fine.
        std::os::unix::fs::symlink(dir.path().join("lab"), dir.path().join("here")).expect("link");
        assert!(file("here/notes.txt", dir.path(), None, &Reach::default()).is_ok());
    }

    #[test]
    fn declared_paths_are_in_reach() {
        let dir = folder();
        let reach = Reach {
            files: vec!["~/.ssh/config".into(), "/etc/cloudlings/".into()],
            hosts: Vec::new(),
        };
        let home = Path::new("/home/learner");
        assert_eq!(
            file("~/.ssh/config", dir.path(), Some(home), &reach).expect("declared"),
            PathBuf::from("/home/learner/.ssh/config")
        );
        assert!(file("/etc/cloudlings/a.toml", dir.path(), Some(home), &reach).is_ok());
        assert!(file("~/.ssh/id_rsa", dir.path(), Some(home), &reach).is_err());
    }

    // Links need a privilege on Windows, and /dev/zero is Unix's.
    #[cfg(unix)]
    #[test]
    fn a_link_is_not_read_through_and_reads_are_bounded() {
        let dir = folder();
        let target = dir.path().join("big");
        std::fs::write(&target, vec![b'x'; 10_000]).expect("write");
        assert_eq!(read_file(&target, 100).expect("read").len(), 100);
        std::os::unix::fs::symlink(&target, dir.path().join("link")).expect("link");
        assert!(read_file(&dir.path().join("link"), 100).is_err());
        assert!(read_file(Path::new("/dev/zero"), 100).is_err());
    }

    #[test]
    fn only_the_public_cloud_is_asked_on_the_real_network() {
        let none = Reach::default();
        for allowed in [
            "ec2-3-35-1-2.ap-northeast-2.compute.amazonaws.com",
            "d111111abcdef8.cloudfront.net",
            "photos.s3.ap-northeast-2.amazonaws.com",
            "3.35.1.2",
        ] {
            assert!(public_host(allowed, &none).is_ok(), "{allowed}");
        }
        for refused in [
            "127.0.0.1",
            "localhost",
            "10.0.0.5",
            "192.168.1.1",
            "169.254.169.254",
            "[::1]",
            "example.com",
            "100.64.0.1",
        ] {
            assert!(public_host(refused, &none).is_err(), "{refused}");
        }
        let reach = Reach {
            files: Vec::new(),
            hosts: vec!["example.com".into()],
        };
        assert!(public_host("Example.com", &reach).is_ok());
    }

    #[test]
    fn names_a_text_fills_in_are_found() {
        let names: Vec<&str> = names_in("http://h/{a}/x?k={key}&z={").collect();
        assert_eq!(names, ["a", "key"]);
    }
}
