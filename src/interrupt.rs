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
//!
//! A shell in a terminal uses the process's flag. A server that runs many learners' shells
//! (a classroom) gives each shell's thread a flag of its own ([`use_on_this_thread`]), raised
//! by that learner's Ctrl-C: one learner's Ctrl-C stops only their own command.

use std::cell::RefCell;
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

thread_local! {
    static THIS_THREAD: RefCell<Option<Flag>> = const { RefCell::new(None) };
}

/// From now on, Ctrl-C for what this thread runs is `flag` rather than the process's.
pub fn use_on_this_thread(flag: Flag) {
    THIS_THREAD.with(|own| *own.borrow_mut() = Some(flag));
}

/// The flag of what this thread runs: its own if it was given one, else the process's.
pub fn current() -> Flag {
    THIS_THREAD
        .with(|own| own.borrow().clone())
        .unwrap_or_else(|| process().clone())
}

/// From now on `SIGINT` raises the process's flag instead of ending the process.
pub fn install() -> std::io::Result<()> {
    signal_hook::flag::register(signal_hook::consts::SIGINT, Arc::clone(&process().0)).map(|_| ())
}

/// Forgets an earlier Ctrl-C, before the next command starts.
pub fn clear() {
    current().clear();
}

/// Whether Ctrl-C was pressed since the last [`clear`].
pub fn requested() -> bool {
    current().requested()
}

/// `Err` once Ctrl-C was pressed.
pub fn check() -> Result<(), Interrupted> {
    current().check()
}

/// Sleeps for `duration`, or less if Ctrl-C comes first.
pub fn sleep(duration: Duration) -> Result<(), Interrupted> {
    current().sleep(duration)
}

/// [`Flag::race`] on this thread's flag, taken now: the future may be polled on a runtime's
/// thread.
pub fn race<F: Future>(future: F) -> impl Future<Output = Result<F::Output, Interrupted>> {
    let flag = current();
    async move { flag.race(future).await }
}

/// [`Flag::blocking`] on this thread's flag.
pub fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Interrupted> {
    current().blocking(work)
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

    #[test]
    fn a_thread_s_own_flag_is_raised_alone() {
        let mine = Flag::default();
        let theirs = Flag::default();
        let other = {
            let theirs = theirs.clone();
            std::thread::spawn(move || {
                use_on_this_thread(theirs);
                sleep(Duration::from_secs(60))
            })
        };
        use_on_this_thread(mine.clone());
        theirs.raise();
        assert_eq!(other.join().expect("other"), Err(Interrupted));
        assert!(!requested(), "another shell's Ctrl-C is not this one's");
        mine.raise();
        assert_eq!(check(), Err(Interrupted));
        // A race made on this thread keeps its flag wherever it is polled.
        let raced = std::thread::spawn({
            let race = race(std::future::pending::<()>());
            move || {
                tokio::runtime::Builder::new_current_thread()
                    .enable_time()
                    .build()
                    .expect("runtime")
                    .block_on(race)
            }
        });
        assert_eq!(raced.join().expect("raced"), Err(Interrupted));
        assert!(
            !process().requested(),
            "the process's flag was never raised"
        );
    }
}
