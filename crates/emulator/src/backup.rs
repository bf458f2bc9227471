//! A copy of the emulator's saved state, made while it runs: the database as one consistent
//! snapshot, and the bytes of every object that snapshot names.
//!
//! Object bytes are immutable files written before the metadata that names them is saved,
//! so the copy takes every blob there is, then the database, then any blob the snapshot names
//! that appeared in between. A blob the snapshot names that is gone by then (the object was
//! overwritten or deleted in that moment) makes the copy start over, a few times at most:
//! a copy is whole or it is not made.

use std::collections::HashSet;
use std::path::Path;

use anyhow::{Context as _, bail};

use super::s3::blobs;
use super::store;

/// How many times a copy starts over when objects change under it.
const ATTEMPTS: usize = 3;

/// What a copy holds.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Copied {
    pub accounts: usize,
    pub buckets: usize,
    pub objects: usize,
    /// Bytes of the objects' blobs.
    pub bytes: u64,
}

/// Copies the emulator's state in `from` into `to`, a folder that holds no state yet.
/// RSA keys made ahead are left out: they are made again.
pub fn copy_state(from: &Path, to: &Path) -> anyhow::Result<Copied> {
    let mut last = None;
    for _ in 0..ATTEMPTS {
        match attempt(from, to)? {
            Ok(copied) => return Ok(copied),
            Err(changed) => last = Some(changed),
        }
        let _ = std::fs::remove_file(to.join(store::FILE_NAME));
    }
    bail!(
        "objects kept changing while they were copied (the last was {}): try again when the class is quieter",
        last.unwrap_or_default()
    )
}

/// One try: the copy, or the blob that went missing under it.
fn attempt(from: &Path, to: &Path) -> anyhow::Result<Result<Copied, String>> {
    let (blobs_from, blobs_to) = (from.join(blobs::DIR_NAME), to.join(blobs::DIR_NAME));
    std::fs::create_dir_all(&blobs_to)
        .with_context(|| format!("cannot create {}", blobs_to.display()))?;
    let mut have = HashSet::new();
    if blobs_from.is_dir() {
        for entry in std::fs::read_dir(&blobs_from)
            .with_context(|| format!("cannot read {}", blobs_from.display()))?
        {
            let name = entry?.file_name().to_string_lossy().into_owned();
            if copy_blob(&blobs_from, &blobs_to, &name)? {
                have.insert(name);
            }
        }
    }
    let database = from.join(store::FILE_NAME);
    if !database.exists() {
        return Ok(Ok(Copied::default()));
    }
    store::copy_database(&database, &to.join(store::FILE_NAME))?;
    let Some(state) = store::read(to)? else {
        return Ok(Ok(Copied::default()));
    };
    let mut copied = Copied {
        accounts: state.accounts.len(),
        buckets: state.shared.s3.buckets.len(),
        ..Copied::default()
    };
    for bucket in state.shared.s3.buckets.values() {
        copied.objects += bucket.objects.len();
        for blob in bucket.blobs() {
            if !have.contains(blob) && !copy_blob(&blobs_from, &blobs_to, blob)? {
                return Ok(Err(blob.to_string()));
            }
            have.insert(blob.to_string());
            copied.bytes += std::fs::metadata(blobs_to.join(blob))
                .map(|meta| meta.len())
                .unwrap_or_default();
        }
    }
    Ok(Ok(copied))
}

/// Copies one blob; `false` if it is not there (any more). Uploads in progress, which are
/// not blobs yet, are left.
fn copy_blob(from: &Path, to: &Path, name: &str) -> anyhow::Result<bool> {
    if name.ends_with(blobs::PARTIAL) || name.contains(['/', '\\']) || name.starts_with('.') {
        return Ok(false);
    }
    match std::fs::copy(from.join(name), to.join(name)) {
        Ok(_) => Ok(true),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(error) => Err(error).with_context(|| format!("cannot copy the object {name}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::World;
    use crate::s3::bucket::Bucket;
    use crate::s3::object::Object;

    /// A world in `dir` with one bucket whose one object's bytes are the blob `blob`.
    fn world_with_object(dir: &Path, blob: &str) -> World {
        let world = World::open(dir).expect("open");
        let owner = world.root_credentials().expect("root").account;
        {
            let now = world.now();
            let mut shared = world.lock();
            let mut bucket = Bucket::new("photos", &owner, "us-east-1", now);
            bucket.objects.insert(
                "cat.jpg".to_string(),
                Object {
                    size: 5,
                    etag: "\"e\"".to_string(),
                    last_modified: now,
                    blob: blob.to_string(),
                    headers: Default::default(),
                    metadata: Default::default(),
                    checksum: None,
                    tags: Vec::new(),
                    parts: None,
                },
            );
            shared.s3.buckets.insert("photos".to_string(), bucket);
        }
        world.save().expect("save");
        world
    }

    #[test]
    fn a_copy_holds_the_database_and_the_bytes_of_every_object_it_names() {
        let (from, to) = (
            tempfile::tempdir().expect("from"),
            tempfile::tempdir().expect("to"),
        );
        let _world = world_with_object(from.path(), "b1");
        let objects = from.path().join(blobs::DIR_NAME);
        std::fs::create_dir_all(&objects).expect("objects");
        std::fs::write(objects.join("b1"), b"meow!").expect("blob");
        std::fs::write(objects.join("b2.partial"), b"half").expect("partial");

        let copied = copy_state(from.path(), to.path()).expect("copied");
        assert_eq!(
            copied,
            Copied {
                accounts: 1,
                buckets: 1,
                objects: 1,
                bytes: 5
            }
        );
        let state = store::read(to.path()).expect("read").expect("a state");
        assert!(state.shared.s3.buckets.contains_key("photos"));
        let copy = to.path().join(blobs::DIR_NAME);
        assert_eq!(std::fs::read(copy.join("b1")).expect("blob"), b"meow!");
        assert!(
            !copy.join("b2.partial").exists(),
            "an upload in progress is not an object"
        );
    }

    #[test]
    fn an_object_whose_bytes_are_gone_makes_no_copy() {
        let (from, to) = (
            tempfile::tempdir().expect("from"),
            tempfile::tempdir().expect("to"),
        );
        let _world = world_with_object(from.path(), "gone");
        let error = copy_state(from.path(), to.path()).expect_err("no copy");
        assert!(format!("{error:#}").contains("kept changing"), "{error:#}");
        assert!(
            !to.path().join(store::FILE_NAME).exists(),
            "no half copy is left"
        );
    }
}
