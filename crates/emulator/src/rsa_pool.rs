//! RSA private keys made ahead, on a thread of their own. A 2048-bit key costs about 116 ms of
//! CPU, and `CreateKeyPair` runs while the state is locked: made there, every other request
//! waits behind it. Once the first key has been asked for, a background thread keeps a few
//! ready; each is handed out once, and a request that finds none makes its own.

use std::sync::{Mutex, OnceLock, PoisonError, mpsc};

use ssh_key::rand_core::OsRng;

/// How many keys wait ready: a room's burst of `create-key-pair` at the start of a lesson.
const READY: usize = 8;
/// The size of every key made, as EC2 makes them.
pub const BITS: usize = 2048;

static POOL: OnceLock<Mutex<mpsc::Receiver<rsa::RsaPrivateKey>>> = OnceLock::new();

/// A new key, never handed out before: a ready one if there is one, else made now.
pub fn take() -> Result<rsa::RsaPrivateKey, rsa::Error> {
    let ready = POOL
        .get_or_init(start)
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .try_recv()
        .ok();
    match ready {
        Some(key) => Ok(key),
        None => rsa::RsaPrivateKey::new(&mut OsRng, BITS),
    }
}

/// Starts the thread that keeps keys ready. If it cannot start, every key is made on demand,
/// as before there was a pool.
fn start() -> Mutex<mpsc::Receiver<rsa::RsaPrivateKey>> {
    let (ready, keys) = mpsc::sync_channel(READY);
    let started = std::thread::Builder::new()
        .name("rsa-keys".to_string())
        .spawn(move || {
            loop {
                let Ok(key) = rsa::RsaPrivateKey::new(&mut OsRng, BITS) else {
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
}
