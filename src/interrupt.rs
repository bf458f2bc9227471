//! Ctrl-C while a command runs: the command stops and the shell goes on, as in bash.
//!
//! At the prompt the line editor reads Ctrl-C as a key. While a command runs the terminal is
//! back in its ordinary mode, where Ctrl-C is a `SIGINT` for the whole foreground process
//! group; without a handler it would end cloudlings with the learner's progress, the emulated
//! cloud and its instances. [`install`] makes the signal only raise a flag, and whatever may
//! take long (a waiter, a transfer, a connection that a security group drops, `sleep` on an
//! instance) looks at the flag between its small steps and gives up with [`Interrupted`].
//!
//! The flag is polled rather than delivered as an event: a signal handler may do almost
//! nothing safely, and every long wait here is already a loop of short ones.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// The exit status of a command ended by Ctrl-C, as shells report it: 128 + `SIGINT`.
pub const STATUS: i32 = 130;

/// How often a waiting command looks at the flag: quick enough to feel immediate.
const TICK: Duration = Duration::from_millis(20);

/// A command gave up because the learner pressed Ctrl-C.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("interrupted")]
pub struct Interrupted;

/// A Ctrl-C flag. The process has one, raised by the signal ([`install`]); the functions of
/// this module use it. Tests make their own, so that raising one disturbs no other test.
#[derive(Debug, Clone, Default)]
pub struct Flag(Arc<AtomicBool>);

impl Flag {
    pub fn raise(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn clear(&self) {
        self.0.store(false, Ordering::SeqCst);
    }

    pub fn requested(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    /// `Err` once Ctrl-C was pressed.
    pub fn check(&self) -> Result<(), Interrupted> {
        if self.requested() {
            Err(Interrupted)
        } else {
            Ok(())
        }
    }

    /// Sleeps for `duration`, or less if Ctrl-C comes first.
    pub fn sleep(&self, duration: Duration) -> Result<(), Interrupted> {
        let until = Instant::now() + duration;
        loop {
            self.check()?;
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(());
            }
            std::thread::sleep(left.min(TICK));
        }
    }

    /// Runs `future` until it ends or Ctrl-C is pressed; the future is dropped on Ctrl-C,
    /// which abandons an HTTP request in flight, so a half-sent upload never becomes an object.
    pub async fn race<F: Future>(&self, future: F) -> Result<F::Output, Interrupted> {
        let pressed = async {
            while !self.requested() {
                tokio::time::sleep(TICK).await;
            }
        };
        // Boxed: the SDK's futures are large, and a block_on thread's stack is not.
        let future = Box::pin(future);
        tokio::select! {
            output = future => Ok(output),
            () = pressed => Err(Interrupted),
        }
    }

    /// Runs blocking `work` on a thread of its own and waits for it, or only until Ctrl-C:
    /// then the work is left to finish alone and what it returns is dropped. For calls that
    /// cannot be cut short from outside, such as a connection attempt with its own timeout.
    pub fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Interrupted> {
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            // The receiver is gone when the learner gave up waiting.
            let _ = sender.send(work());
        });
        loop {
            self.check()?;
            match receiver.recv_timeout(TICK) {
                Ok(value) => return Ok(value),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("a blocking call's thread ended without an answer")
                }
            }
        }
    }
}

/// The process's flag.
pub fn process() -> &'static Flag {
    static FLAG: OnceLock<Flag> = OnceLock::new();
    FLAG.get_or_init(Flag::default)
}

/// From now on `SIGINT` raises the process's flag instead of ending the process.
pub fn install() -> std::io::Result<()> {
    signal_hook::flag::register(signal_hook::consts::SIGINT, Arc::clone(&process().0)).map(|_| ())
}

/// Forgets an earlier Ctrl-C, before the next command starts.
pub fn clear() {
    process().clear();
}

/// Whether Ctrl-C was pressed since the last [`clear`].
pub fn requested() -> bool {
    process().requested()
}

/// `Err` once Ctrl-C was pressed.
pub fn check() -> Result<(), Interrupted> {
    process().check()
}

/// Sleeps for `duration`, or less if Ctrl-C comes first.
pub fn sleep(duration: Duration) -> Result<(), Interrupted> {
    process().sleep(duration)
}

/// [`Flag::race`] on the process's flag.
pub async fn race<F: Future>(future: F) -> Result<F::Output, Interrupted> {
    process().race(future).await
}

/// [`Flag::blocking`] on the process's flag.
pub fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Interrupted> {
    process().blocking(work)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ctrl_c_cuts_waits_short_and_clear_forgets_it() {
        let flag = Flag::default();
        assert_eq!(flag.sleep(Duration::from_millis(30)), Ok(()));
        assert_eq!(flag.blocking(|| 7), Ok(7));

        let raiser = {
            let flag = flag.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(50));
                flag.raise();
            })
        };
        let started = Instant::now();
        assert_eq!(flag.sleep(Duration::from_secs(60)), Err(Interrupted));
        assert!(started.elapsed() < Duration::from_secs(30));
        raiser.join().expect("raiser");

        assert_eq!(
            flag.blocking(|| std::thread::sleep(Duration::from_secs(60))),
            Err(Interrupted)
        );
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("runtime");
        let forever = std::future::pending::<()>();
        assert_eq!(runtime.block_on(flag.race(forever)), Err(Interrupted));

        flag.clear();
        assert!(!flag.requested());
        assert_eq!(runtime.block_on(flag.race(async { 3 })), Ok(3));
    }
}
