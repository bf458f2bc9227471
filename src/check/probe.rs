//! Probes: what a check looks at, rendered as JSON.
//!
//! Local probes read the learner's machine. AWS probes call the learner's target through
//! aws-sdk-rust and render the answer with the aws CLI's field names ([`super::aws`]).

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value, json};
use sha2::Digest;

use super::aws::AwsProbe;
use super::emulator::Route;
use super::{Context, ProbeError};
use crate::workstation::{Kind, Workstation};

/// Something a check can observe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probe {
    /// A path on the learner's machine.
    File(String),
    /// A read-only AWS call against the learner's target.
    Aws(AwsProbe),
    /// An HTTP GET through the emulated network; `{name}`s filled in when it runs.
    Http(String),
    /// The first `<img>` of the page at this address, fetched as the page's visitor would.
    Image(String),
    /// What only the emulator knows: the bill, the instances' SSH events.
    Emulator(Route),
}

/// Files larger than this are described without their text.
const MAX_TEXT: u64 = 64 * 1024;
/// Files larger than this are described without their hash.
const MAX_HASHED: u64 = 8 * 1024 * 1024;

impl Probe {
    pub fn observe(&self, context: &Context) -> Result<Value, ProbeError> {
        match self {
            Probe::File(path) => match &context.files {
                Workstation::Host { .. } => observe_file(path, &context.resolve(path)?),
                Workstation::Emulated(_) => {
                    let inside = super::reach::emulated_file(path, &context.reach)?;
                    observe_emulated_file(path, &inside, &context.files)
                }
            },
            Probe::Aws(call) => observe_aws(call, context),
            Probe::Http(url) => super::http::observe(&address(url, context)?, context),
            Probe::Image(page) => super::http::observe_image(&address(page, context)?, context),
            Probe::Emulator(route) => super::emulator::observe(*route, context),
        }
    }
}

/// An address to fetch, filled: never with what was read from a file, which would send it
/// to whoever answers there.
fn address(url: &str, context: &Context) -> Result<String, ProbeError> {
    if let Some(name) = super::reach::names_in(url).find(|name| context.local.contains(*name)) {
        return Err(ProbeError::OutOfReach {
            what: url.to_string(),
            beyond: super::probe_error::Beyond::FileValue {
                name: name.to_string(),
            },
        });
    }
    Ok(super::fill(url, &context.bindings))
}

/// How long an AWS call may take under a short patience ([`Context::patience`]): a round trip
/// to a real region, with the SDK's retry, takes longer than a connection on the emulated
/// network, and the SDK keeps its own timeouts otherwise.
const AWS_SHORTEST_PATIENCE: Duration = Duration::from_secs(2);

fn observe_aws(call: &AwsProbe, context: &Context) -> Result<Value, ProbeError> {
    let target = context.target.as_ref().ok_or(ProbeError::NoTarget)?;
    let config = target.sdk_config();
    let limit = context
        .patience
        .map(|patience| patience.max(AWS_SHORTEST_PATIENCE));
    let asked = async {
        // Boxed: the SDK's futures are large, and a block_on thread's stack is not.
        let answer = Box::pin(call.call(&config, &context.bindings));
        match limit {
            Some(limit) => tokio::time::timeout(limit, answer).await.ok(),
            None => Some(answer.await),
        }
    };
    // Checks are synchronous and may be asked from inside a runtime (a test's, say).
    // Ctrl-C abandons the call, and the check with it.
    let answer = crate::target::block_on(crate::interrupt::race(asked))
        .and_then(|raced| raced.map_err(|stop| stop.to_string()));
    let unreachable = |error| ProbeError::Unreachable {
        target: target.describe(),
        error,
    };
    match answer {
        Ok(Some(answer)) => answer.map_err(unreachable),
        Ok(None) => Err(ProbeError::NotYet {
            target: target.describe(),
            patience: limit.unwrap_or(AWS_SHORTEST_PATIENCE),
        }),
        Err(error) => Err(unreachable(error)),
    }
}

fn observe_file(written: &str, path: &Path) -> Result<Value, ProbeError> {
    let io_error = |source| ProbeError::Io {
        path: path.to_path_buf(),
        source,
    };
    // Not following links: a learner's `key.pem` that is a link is worth seeing as one.
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Ok(json!({ "path": written, "exists": false }));
        }
        Err(error) => return Err(io_error(error)),
    };
    let kind = if meta.is_file() {
        "file"
    } else if meta.is_dir() {
        "directory"
    } else if meta.file_type().is_symlink() {
        "symlink"
    } else {
        "other"
    };
    let mut observed = json!({
        "path": written,
        "exists": true,
        "kind": kind,
        "mode": mode(path, &meta),
        "size": meta.len(),
    });
    if meta.is_file() && meta.len() <= MAX_HASHED {
        let bytes = super::reach::read_file(path, MAX_HASHED).map_err(io_error)?;
        describe_contents(&mut observed, bytes);
    }
    Ok(observed)
}

/// A file of an emulated workstation, described as [`observe_file`] describes one here.
fn observe_emulated_file(
    written: &str,
    path: &str,
    files: &Workstation,
) -> Result<Value, ProbeError> {
    let io_error = |source| ProbeError::Io {
        path: PathBuf::from(path),
        source,
    };
    // A link is seen as one, as here: its folder's listing shows it unfollowed.
    let (folder, name) = match path.trim_end_matches('/').rsplit_once('/') {
        Some((folder, name)) => (if folder.is_empty() { "/" } else { folder }, name),
        None => (".", path),
    };
    let listed = files
        .list(folder)
        .ok()
        .and_then(|entries| entries.into_iter().find(|(found, _)| found == name));
    let entry = match (listed, files.stat(path)) {
        (Some((_, link)), _) if link.kind == Kind::Link => link,
        (_, Ok(entry)) => entry,
        (_, Err(error)) if error.kind() == std::io::ErrorKind::NotFound => {
            return Ok(json!({ "path": written, "exists": false }));
        }
        (_, Err(error)) => return Err(io_error(error)),
    };
    let kind = match entry.kind {
        Kind::File => "file",
        Kind::Dir => "directory",
        Kind::Link => "symlink",
        Kind::Other => "other",
    };
    let mut observed = json!({
        "path": written,
        "exists": true,
        "kind": kind,
        "mode": format!("{:04o}", entry.mode & 0o7777),
        "size": entry.size,
    });
    if entry.is_file() && entry.size <= MAX_HASHED {
        let bytes = files.read(path).map_err(io_error)?;
        describe_contents(&mut observed, bytes);
    }
    Ok(observed)
}

/// A file's hash, and its text when it is short UTF-8.
fn describe_contents(observed: &mut Value, bytes: Vec<u8>) {
    observed["sha256"] = Value::from(hex::encode(sha2::Sha256::digest(&bytes)));
    if bytes.len() as u64 <= MAX_TEXT
        && let Ok(text) = String::from_utf8(bytes)
    {
        observed["text"] = Value::from(text);
    }
}

/// Permission bits as `chmod` takes them: `"0400"`; on Windows, what the file's access list
/// amounts to, or nothing when it cannot be read.
fn mode(path: &Path, meta: &std::fs::Metadata) -> Value {
    cloudlings_core::access::mode(path, meta)
        .map_or(Value::Null, |mode| Value::from(format!("{mode:04o}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_a_missing_path_without_failing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let context = Context::new(dir.path().to_path_buf());
        let observed = Probe::File("nope.pem".into())
            .observe(&context)
            .expect("observe");
        assert_eq!(observed, json!({ "path": "nope.pem", "exists": false }));
    }

    #[cfg(unix)]
    #[test]
    fn describes_files_and_directories() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let context = Context::new(dir.path().to_path_buf());
        std::fs::create_dir(dir.path().join("lab")).expect("mkdir");
        std::fs::set_permissions(
            dir.path().join("lab"),
            std::fs::Permissions::from_mode(0o700),
        )
        .expect("chmod");
        std::fs::write(dir.path().join("lab/notes.txt"), "hello").expect("write");

        let lab = Probe::File("lab".into()).observe(&context).expect("lab");
        assert_eq!(lab["kind"], "directory");
        assert_eq!(lab["mode"], "0700");
        let notes = Probe::File("lab/notes.txt".into())
            .observe(&context)
            .expect("notes");
        assert_eq!(notes["kind"], "file");
        assert_eq!(notes["size"], 5);
        assert_eq!(notes["text"], "hello");
        assert_eq!(
            notes["sha256"],
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
        );
    }
}
