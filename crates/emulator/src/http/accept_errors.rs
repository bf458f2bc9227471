//! What the accept loop does when `accept` fails.
//!
//! Most failures (`EMFILE`, `ENFILE`, `ENOBUFS`) last as long as the shortage behind them, and
//! the waiting connection stays in the backlog, so the listener is ready again at once:
//! retrying straight away spins a core and writes a warning per try, gigabytes in seconds. So
//! the loop waits, longer each time the failure repeats, and says so at most once a second.

use std::time::{Duration, Instant};

/// The first wait after a failure, doubled at each further one up to [`LONGEST_WAIT`].
const FIRST_WAIT: Duration = Duration::from_millis(10);
const LONGEST_WAIT: Duration = Duration::from_secs(1);
/// At most one warning per this long; the ones left out are counted in the next.
const WARNING_EVERY: Duration = Duration::from_secs(1);

/// The back-off and the warnings of one accept loop.
#[derive(Debug)]
pub struct AcceptErrors {
    wait: Duration,
    warned: Option<Instant>,
    unreported: u64,
}

impl Default for AcceptErrors {
    fn default() -> AcceptErrors {
        AcceptErrors {
            wait: FIRST_WAIT,
            warned: None,
            unreported: 0,
        }
    }
}

impl AcceptErrors {
    /// A connection was accepted: the next failure waits the shortest time again.
    pub fn accepted(&mut self) {
        self.wait = FIRST_WAIT;
    }

    /// Records a failure, warning if none was given within the last second; returns how
    /// long to wait before accepting again.
    pub fn failed(&mut self, error: &std::io::Error) -> Duration {
        let now = Instant::now();
        if self
            .warned
            .is_none_or(|warned| now.duration_since(warned) >= WARNING_EVERY)
        {
            tracing::warn!(
                %error,
                "accept failed ({} more since the last warning)",
                self.unreported
            );
            self.warned = Some(now);
            self.unreported = 0;
        } else {
            self.unreported += 1;
        }
        let wait = self.wait;
        self.wait = (self.wait * 2).min(LONGEST_WAIT);
        wait
    }

    /// Failures since the last warning, not yet reported.
    #[cfg(test)]
    pub fn unreported(&self) -> u64 {
        self.unreported
    }
}

/// Whether `error` means the process or the system is out of descriptors or buffers, which a
/// closed connection may cure.
pub fn is_shortage(error: &std::io::Error) -> bool {
    use rustix::io::Errno;
    #[cfg(unix)]
    let shortages = [Errno::MFILE, Errno::NFILE, Errno::NOBUFS, Errno::NOMEM];
    // Winsock's own codes: too many sockets, no buffer space.
    #[cfg(not(unix))]
    let shortages = [Errno::MFILE, Errno::NOBUFS];
    error
        .raw_os_error()
        .is_some_and(|code| shortages.iter().any(|errno| errno.raw_os_error() == code))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn emfile() -> std::io::Error {
        std::io::Error::from_raw_os_error(rustix::io::Errno::MFILE.raw_os_error())
    }

    #[test]
    fn waits_grow_to_a_second_and_start_again_after_a_success() {
        let mut errors = AcceptErrors::default();
        let waits: Vec<_> = (0..9).map(|_| errors.failed(&emfile())).collect();
        assert_eq!(waits[0], Duration::from_millis(10));
        assert_eq!(waits[1], Duration::from_millis(20));
        assert_eq!(waits[8], Duration::from_secs(1));
        errors.accepted();
        assert_eq!(errors.failed(&emfile()), Duration::from_millis(10));
    }

    #[test]
    fn repeated_failures_warn_once_a_second_and_count_the_rest() {
        let mut errors = AcceptErrors::default();
        for _ in 0..1000 {
            errors.failed(&emfile());
        }
        assert_eq!(errors.unreported(), 999, "one warning, the rest counted");
        assert!(is_shortage(&emfile()));
        assert!(!is_shortage(&std::io::Error::other("other")));
    }
}
