//! Object bytes on disk, one immutable file per blob.
//!
//! A body is streamed to a `.partial` file while it is hashed, synced, and only then renamed
//! to its blob id, so an upload cut short or refused (a bad checksum) never becomes visible and
//! memory stays bounded whatever the object's size. Metadata pointing at a blob is saved after
//! the blob exists; a crash in between leaves an orphan, which `retain` sweeps at start-up.

use std::collections::HashSet;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use md5::{Digest, Md5};
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};

use super::object::Algorithm;

/// The folder of a state folder that holds the blobs.
pub const DIR_NAME: &str = "objects";
/// What a blob being written is named with, until it is whole.
pub const PARTIAL: &str = ".partial";
/// Large enough that a 64 MiB read is a few hundred system calls, small enough to stay cheap
/// with many readers.
const READ_CHUNK: usize = 256 * 1024;

#[derive(Debug)]
pub struct Blobs {
    dir: PathBuf,
    /// Keeps a throwaway directory alive as long as the store (in-memory emulators).
    _temporary: Option<tempfile::TempDir>,
}

/// A blob just written, with what was computed on the way.
#[derive(Debug)]
pub struct Written {
    pub id: String,
    pub size: u64,
    pub md5: [u8; 16],
    /// Base64 of the requested checksum, if one was.
    pub checksum: Option<String>,
}

/// Why a body could not be stored.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("the request body ended early or was malformed: {0}")]
    Body(String),
    #[error("the emulator could not store the object: {0}")]
    Io(#[from] io::Error),
}

impl Blobs {
    /// The store in `dir`, created if needed; leftovers of interrupted uploads are removed.
    pub fn open(dir: &Path) -> io::Result<Blobs> {
        std::fs::create_dir_all(dir)?;
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            if entry.file_name().to_string_lossy().ends_with(PARTIAL) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        Ok(Blobs {
            dir: dir.to_path_buf(),
            _temporary: None,
        })
    }

    /// A store in a directory of its own that disappears with it.
    pub fn temporary() -> io::Result<Blobs> {
        let temporary = tempfile::Builder::new()
            .prefix("cloudlings-objects-")
            .tempdir()?;
        Ok(Blobs {
            dir: temporary.path().to_path_buf(),
            _temporary: Some(temporary),
        })
    }

    pub fn path(&self, id: &str) -> PathBuf {
        self.dir.join(id)
    }

    /// Streams `body` into a new blob, computing its MD5 and, if asked, one checksum.
    pub async fn write<S, E>(
        &self,
        mut body: S,
        algorithm: Option<Algorithm>,
    ) -> Result<Written, WriteError>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        let id = new_id();
        let partial = self.dir.join(format!("{id}{PARTIAL}"));
        let result = async {
            let mut file = tokio::fs::File::create(&partial).await?;
            let mut md5 = Md5::new();
            let mut hasher = algorithm.map(Algorithm::hasher).unwrap_or_default();
            let mut size = 0u64;
            while let Some(chunk) = body.next().await {
                let chunk = chunk.map_err(|error| WriteError::Body(error.to_string()))?;
                md5.update(&chunk);
                hasher.update(&chunk);
                size += chunk.len() as u64;
                file.write_all(&chunk).await?;
            }
            file.sync_all().await?;
            Ok::<_, WriteError>((
                size,
                md5.finalize().into(),
                algorithm.and_then(|algorithm| algorithm.finish(hasher)),
            ))
        }
        .await;
        match result {
            Ok((size, md5, checksum)) => {
                tokio::fs::rename(&partial, self.path(&id)).await?;
                Ok(Written {
                    id,
                    size,
                    md5,
                    checksum,
                })
            }
            Err(error) => {
                let _ = tokio::fs::remove_file(&partial).await;
                Err(error)
            }
        }
    }

    /// A new blob with the same bytes (CopyObject): a hard link, since blobs never change.
    pub async fn duplicate(&self, id: &str) -> io::Result<String> {
        let copy = new_id();
        let (from, to) = (self.path(id), self.path(&copy));
        if tokio::fs::hard_link(&from, &to).await.is_err() {
            tokio::fs::copy(&from, &to).await?;
        }
        Ok(copy)
    }

    /// One blob made of others in order (CompleteMultipartUpload).
    pub async fn concatenate(&self, ids: &[String]) -> io::Result<String> {
        let id = new_id();
        let partial = self.dir.join(format!("{id}{PARTIAL}"));
        let result = async {
            let mut out = tokio::fs::File::create(&partial).await?;
            for part in ids {
                let mut input = tokio::fs::File::open(self.path(part)).await?;
                tokio::io::copy(&mut input, &mut out).await?;
            }
            out.sync_all().await?;
            tokio::fs::rename(&partial, self.path(&id)).await
        }
        .await;
        if result.is_err() {
            let _ = tokio::fs::remove_file(&partial).await;
        }
        result.map(|()| id)
    }

    /// The bytes of `range` of a blob, as a stream of chunks.
    pub async fn read(
        &self,
        id: &str,
        range: Range<u64>,
    ) -> io::Result<impl Stream<Item = io::Result<Bytes>> + Send + Sync + 'static> {
        let mut file = tokio::fs::File::open(self.path(id)).await?;
        if range.start > 0 {
            file.seek(io::SeekFrom::Start(range.start)).await?;
        }
        let limited = file.take(range.end - range.start);
        Ok(tokio_util::io::ReaderStream::with_capacity(
            limited, READ_CHUNK,
        ))
    }

    /// Forgets a blob no object refers to any more.
    pub fn remove(&self, id: &str) {
        if let Err(error) = std::fs::remove_file(self.path(id))
            && error.kind() != io::ErrorKind::NotFound
        {
            tracing::warn!(%error, id, "cannot remove an unused blob");
        }
    }

    /// Removes every blob not in `live`: orphans of a crash between writing and saving.
    pub fn retain(&self, live: &HashSet<&str>) -> io::Result<()> {
        for entry in std::fs::read_dir(&self.dir)? {
            let entry = entry?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if !live.contains(name.as_ref()) {
                self.remove(&name);
            }
        }
        Ok(())
    }
}

fn new_id() -> String {
    let bytes: [u8; 16] = rand::random();
    hex::encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(parts: &[&'static [u8]]) -> impl Stream<Item = Result<Bytes, String>> + Unpin {
        futures_util::stream::iter(
            parts
                .iter()
                .map(|p| Ok(Bytes::from_static(p)))
                .collect::<Vec<_>>(),
        )
    }

    #[tokio::test]
    async fn a_blob_is_hashed_on_the_way_in_and_read_back_by_range() {
        let blobs = Blobs::temporary().expect("store");
        let written = blobs
            .write(chunks(&[b"hello ", b"world"]), Some(Algorithm::Crc32))
            .await
            .expect("write");
        assert_eq!(written.size, 11);
        assert_eq!(hex::encode(written.md5), "5eb63bbbe01eeed093cb22bb8f5acdc3");
        // CRC32 of "hello world" is 0x0d4a1185.
        assert_eq!(written.checksum.as_deref(), Some("DUoRhQ=="));
        let mut read = Vec::new();
        let mut stream = blobs.read(&written.id, 6..11).await.expect("read");
        while let Some(chunk) = stream.next().await {
            read.extend_from_slice(&chunk.expect("chunk"));
        }
        assert_eq!(read, b"world");
    }

    #[tokio::test]
    async fn a_body_that_fails_leaves_nothing_behind() {
        let blobs = Blobs::temporary().expect("store");
        let body = futures_util::stream::iter(vec![
            Ok(Bytes::from_static(b"half")),
            Err("connection reset".to_string()),
        ]);
        let error = blobs.write(body, None).await.expect_err("must fail");
        assert!(matches!(error, WriteError::Body(_)));
        assert_eq!(std::fs::read_dir(&blobs.dir).expect("dir").count(), 0);
    }
}
