//! RSA private keys made ahead. A 2048-bit key costs about 116 ms of CPU: a room of learners
//! running `create-key-pair` in the same minute would wait seconds for keys made on demand,
//! and two cores make no more than a dozen a second.
//!
//! Two supplies, both handing each key out once:
//! - a [`Reserve`] beside a saved state, kept at the size `cloudlings serve` asks for by a
//!   thread at the lowest CPU priority, so it fills while the room is quiet (before the
//!   lesson, between exercises). Its keys are files (`ready-keys/*.der`, mode 0600), so a
//!   restart keeps them; a key's file is removed before the key is used;
//! - otherwise a few keys kept in memory by a background thread, once the first is asked for.
//!
//! A request takes its key with [`prepare`] before it locks the state, so that a key made on
//! demand is made without holding up other learners' requests; [`take`], inside the handler,
//! then finds it.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError, mpsc};

use rsa::RsaPrivateKey;
use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey};
use ssh_key::rand_core::OsRng;

/// How many keys the in-memory supply keeps ready.
const READY: usize = 8;
/// The size of every key made, as EC2 makes them.
pub const BITS: usize = 2048;
/// The reserve's folder in the state directory.
pub const DIR_NAME: &str = "ready-keys";

static POOL: OnceLock<Mutex<mpsc::Receiver<RsaPrivateKey>>> = OnceLock::new();

thread_local! {
    /// The key [`prepare`] took for the request this thread is handling.
    static PREPARED: RefCell<Option<RsaPrivateKey>> = const { RefCell::new(None) };
}

/// Takes a key for a `CreateKeyPair` about to run on this thread, before the state is locked:
/// from `reserve` if it has one, else from memory, else made now.
pub fn prepare(reserve: Option<&Reserve>) {
    if PREPARED.with_borrow(Option::is_some) {
        return;
    }
    let key = match reserve.and_then(Reserve::take) {
        Some(key) => Ok(key),
        None => from_memory(),
    };
    match key {
        Ok(key) => PREPARED.set(Some(key)),
        Err(error) => tracing::warn!(%error, "cannot make an RSA key ahead"),
    }
}

/// A new key, never handed out before: the one [`prepare`] took, else a ready one, else one
/// made now.
pub fn take() -> Result<RsaPrivateKey, rsa::Error> {
    match PREPARED.take() {
        Some(key) => Ok(key),
        None => from_memory(),
    }
}

fn from_memory() -> Result<RsaPrivateKey, rsa::Error> {
    let ready = POOL
        .get_or_init(start)
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .try_recv()
        .ok();
    match ready {
        Some(key) => Ok(key),
        None => RsaPrivateKey::new(&mut OsRng, BITS),
    }
}

/// Starts the thread that keeps keys ready in memory. If it cannot start, every key is made
/// on demand.
fn start() -> Mutex<mpsc::Receiver<RsaPrivateKey>> {
    let (ready, keys) = mpsc::sync_channel(READY);
    let started = std::thread::Builder::new()
        .name("rsa-keys".to_string())
        .spawn(move || {
            loop {
                let Ok(key) = RsaPrivateKey::new(&mut OsRng, BITS) else {
                    continue;
                };
                // Blocks while the pool is full; ends with the process.
                if ready.send(key).is_err() {
                    break;
                }
            }
        });
    if let Err(error) = started {
        tracing::warn!("cannot start the thread that makes RSA keys ahead: {error}");
    }
    Mutex::new(keys)
}

/// Keys kept made ahead beside a saved state.
#[derive(Debug, Clone)]
pub struct Reserve {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    dir: PathBuf,
    stock: Mutex<Stock>,
    /// Wakes the filler when the stock falls below its size, or the size grows.
    wanted: Condvar,
}

#[derive(Debug, Default)]
struct Stock {
    /// Key files ready, in no particular order.
    files: Vec<PathBuf>,
    /// How many to keep.
    size: usize,
    filling: bool,
    /// The next file name to try.
    next: u64,
}

impl Reserve {
    /// The reserve in `dir`, with the keys already there. It makes none, nor the folder,
    /// until [`Reserve::keep`] asks for some.
    pub fn open(dir: &Path) -> std::io::Result<Reserve> {
        let mut files = Vec::new();
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => Some(entries),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
            Err(error) => return Err(error),
        };
        for entry in entries.into_iter().flatten() {
            let path = entry?.path();
            if path.extension().is_some_and(|extension| extension == "der") {
                files.push(path);
            }
        }
        Ok(Reserve {
            inner: Arc::new(Inner {
                dir: dir.to_path_buf(),
                stock: Mutex::new(Stock {
                    files,
                    ..Stock::default()
                }),
                wanted: Condvar::new(),
            }),
        })
    }

    /// Keeps `size` keys ready from now on, made by a thread at the lowest CPU priority.
    pub fn keep(&self, size: usize) {
        let mut stock = self.stock();
        stock.size = size;
        if stock.filling || stock.files.len() >= size {
            return;
        }
        if let Err(error) = std::fs::create_dir_all(&self.inner.dir) {
            tracing::warn!(%error, dir = %self.inner.dir.display(), "no RSA keys can be kept ready");
            return;
        }
        stock.filling = true;
        drop(stock);
        let inner = self.inner.clone();
        let started = std::thread::Builder::new()
            .name("rsa-reserve".to_string())
            .spawn(move || fill(&inner));
        if let Err(error) = started {
            self.stock().filling = false;
            tracing::warn!("cannot start the thread that makes RSA keys ahead: {error}");
        }
    }

    /// How many keys are ready.
    pub fn ready(&self) -> usize {
        self.stock().files.len()
    }

    /// A ready key, its file removed first so it can never be handed out again.
    fn take(&self) -> Option<RsaPrivateKey> {
        loop {
            let file = self.stock().files.pop()?;
            self.inner.wanted.notify_one();
            let bytes = std::fs::read(&file);
            if let Err(error) = std::fs::remove_file(&file) {
                tracing::warn!(%error, file = %file.display(), "cannot remove a ready key's file");
                continue;
            }
            match bytes.map(|bytes| RsaPrivateKey::from_pkcs1_der(&bytes)) {
                Ok(Ok(key)) => return Some(key),
                _ => tracing::warn!(file = %file.display(), "an unreadable ready key dropped"),
            }
        }
    }

    fn stock(&self) -> MutexGuard<'_, Stock> {
        self.inner
            .stock
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// The filler's loop: make a key whenever the stock is short, sleep otherwise.
fn fill(inner: &Inner) {
    // Keys are made when nothing else wants the CPU: the room's requests come first.
    lower_priority();
    loop {
        {
            let mut stock = inner.stock.lock().unwrap_or_else(PoisonError::into_inner);
            while stock.files.len() >= stock.size {
                stock = inner
                    .wanted
                    .wait(stock)
                    .unwrap_or_else(PoisonError::into_inner);
            }
        }
        let Ok(key) = RsaPrivateKey::new(&mut OsRng, BITS) else {
            continue;
        };
        let Ok(der) = key.to_pkcs1_der() else {
            continue;
        };
        let mut stock = inner.stock.lock().unwrap_or_else(PoisonError::into_inner);
        let path = loop {
            stock.next += 1;
            let path = inner.dir.join(format!("{}.der", stock.next));
            if !stock.files.contains(&path) && !path.exists() {
                break path;
            }
        };
        drop(stock);
        // Written whole or not at all: a key file is never half there.
        let written = tempfile::Builder::new()
            .prefix(".tmp-")
            .tempfile_in(&inner.dir)
            .and_then(|mut file| {
                std::io::Write::write_all(&mut file, der.as_bytes())?;
                file.persist(&path).map_err(|error| error.error)
            });
        match written {
            Ok(_) => inner
                .stock
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .files
                .push(path),
            Err(error) => {
                tracing::warn!(%error, dir = %inner.dir.display(), "cannot keep a key ready");
                std::thread::sleep(std::time::Duration::from_secs(5));
            }
        }
    }
}

/// Makes the calling thread the last to get the CPU. On Linux a thread's nice value is its
/// own; elsewhere on Unix it may be the process's, which then yields to other programs too.
#[cfg(unix)]
fn lower_priority() {
    let _ = rustix::process::setpriority_process(None, 19);
}

/// Elsewhere the thread keeps its priority: key making is rare once the stock is full.
#[cfg(not(unix))]
fn lower_priority() {}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::traits::PublicKeyParts;

    #[test]
    fn keys_are_ready_after_the_first_and_never_handed_out_twice() {
        let first = take().expect("a key");
        // The thread fills the pool in the background.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        let mut seen = vec![first.n().clone()];
        while seen.len() < 4 && std::time::Instant::now() < deadline {
            let key = take().expect("a key");
            assert_eq!(key.size() * 8, BITS);
            assert!(!seen.contains(key.n()), "a key handed out twice");
            seen.push(key.n().clone());
        }
        assert_eq!(seen.len(), 4);
    }

    #[test]
    fn an_unsigned_create_key_pair_spends_no_ready_key() {
        let dir = tempfile::tempdir().expect("dir");
        let world = crate::state::World::open(dir.path()).expect("open");
        let reserve = world
            .keys_ahead
            .clone()
            .expect("a reserve beside saved state");
        reserve.keep(1);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while reserve.ready() < 1 && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        // No refill from here: a key taken would show.
        reserve.keep(0);
        assert_eq!(reserve.ready(), 1);
        let mut headers = http::HeaderMap::new();
        headers.insert("host", http::HeaderValue::from_static("127.0.0.1:1"));
        let reply = crate::http::respond(
            &world,
            &http::Method::POST,
            &http::Uri::from_static("/"),
            &headers,
            b"Action=CreateKeyPair&KeyName=free&Version=2016-11-15",
        );
        assert!(reply.status >= 400, "{}", reply.body);
        assert_eq!(reserve.ready(), 1, "the key is still there");
        assert!(PREPARED.with_borrow(Option::is_none), "nor was one made");
    }

    #[test]
    fn a_reserve_fills_to_its_size_survives_a_restart_and_hands_each_key_out_once() {
        let dir = tempfile::tempdir().expect("dir");
        let dir = dir.path().join("ready-keys");
        let reserve = Reserve::open(&dir).expect("open");
        assert_eq!(reserve.ready(), 0, "nothing made until asked");
        assert!(!dir.exists(), "no folder until keys are asked for");
        reserve.keep(3);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while reserve.ready() < 3 && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert_eq!(reserve.ready(), 3);

        let again = Reserve::open(&dir).expect("reopen");
        assert_eq!(again.ready(), 3, "kept across a restart");
        let mut seen = Vec::new();
        for _ in 0..3 {
            prepare(Some(&again));
            let key = take().expect("key");
            assert!(!seen.contains(key.n()), "a key handed out twice");
            seen.push(key.n().clone());
        }
        assert_eq!(again.ready(), 0);
        assert_eq!(
            std::fs::read_dir(&dir).expect("dir").count(),
            0,
            "every file handed out is gone"
        );
    }
}
