//! A program that keeps the terminal after its line ran: `sleep`, a `curl` waiting on a dropped
//! connection, `ping`, the editors, `top`. A line runs at once and returns; such a program
//! instead leaves a [`Job`] with the session, which the session's driver feeds the learner's
//! keys and the passing of time until the job ends with a status, and the rest of the line
//! runs.
//!
//! Jobs live on the simulated clock ([`Facts::now`](crate::Facts)): a job says when it next
//! wants to be woken ([`Job::due`]) and is woken with the clock as it then reads, so `sleep 5`
//! ends when five simulated seconds have passed, even if the learner moved the clock on.

use std::fmt;

use time::OffsetDateTime;

use super::sys::Sys;

/// A program holding the terminal. What it writes is for the terminal as it is: full-screen
/// programs write escape sequences and `\r\n` themselves.
pub(crate) trait Job: fmt::Debug + Send {
    /// Keys the learner typed, raw from the PTY. `Some(status)` when the job has ended.
    fn input(&mut self, keys: &[u8], sys: &mut Sys<'_>, out: &mut String) -> Option<i32>;

    /// The clock moved on (to `sys.facts.now`). `Some(status)` when the job has ended.
    fn tick(&mut self, sys: &mut Sys<'_>, out: &mut String) -> Option<i32>;

    /// When, on the simulated clock, the job next wants [`Job::tick`]; `None` while only keys
    /// move it.
    fn due(&self) -> Option<OffsetDateTime>;
}

/// The status of a program ended by Ctrl-C (SIGINT): 128 + 2.
pub(crate) const INTERRUPTED: i32 = 130;

/// A program that takes time and then ends with what it had to say: `sleep`, or a connection
/// that a security group drops. Ctrl-C ends it early, and what it would have printed is lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Wait {
    until: OffsetDateTime,
    /// What it prints when the time is up, and the status it ends with.
    output: String,
    status: i32,
}

impl Wait {
    pub fn new(until: OffsetDateTime, output: String, status: i32) -> Wait {
        Wait {
            until,
            output,
            status,
        }
    }
}

impl Job for Wait {
    fn input(&mut self, keys: &[u8], _sys: &mut Sys<'_>, out: &mut String) -> Option<i32> {
        // Anything but Ctrl-C is typed ahead: a terminal shows it, bash would read it later.
        if keys.contains(&0x03) {
            out.push_str("^C\r\n");
            return Some(INTERRUPTED);
        }
        None
    }

    fn tick(&mut self, sys: &mut Sys<'_>, out: &mut String) -> Option<i32> {
        if sys.facts.now < self.until {
            return None;
        }
        out.push_str(&crate::crlf(&self.output));
        Some(self.status)
    }

    fn due(&self) -> Option<OffsetDateTime> {
        Some(self.until)
    }
}
