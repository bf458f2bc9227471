//! What comes to the shell from outside while it runs: a class's instructor's messages, and
//! lines they run in it (a reset). A thread of the shell's (the one that listens to the class)
//! posts them; the shell shows them before its next prompt, or at once above the prompt the
//! learner sits at, when it can print there.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use rustyline::ExternalPrinter;

/// Something posted to the shell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arrived {
    /// Shown as it is.
    Note(String),
    /// Run as if typed, shown as it runs.
    Run(String),
}

#[derive(Default)]
struct Waiting {
    arrived: VecDeque<Arrived>,
    /// Prints above the prompt while the learner sits at it.
    printer: Option<Box<dyn FnMut(String) -> bool + Send>>,
}

/// The shell's side: what waits for it.
#[derive(Debug)]
pub struct Inbox {
    waiting: Arc<Mutex<Waiting>>,
}

/// The poster's side.
#[derive(Debug)]
pub struct Postbox {
    waiting: Arc<Mutex<Waiting>>,
}

impl std::fmt::Debug for Waiting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Waiting")
            .field("arrived", &self.arrived)
            .field("printer", &self.printer.is_some())
            .finish()
    }
}

fn lock(waiting: &Mutex<Waiting>) -> MutexGuard<'_, Waiting> {
    waiting.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Inbox {
    pub fn new() -> (Inbox, Postbox) {
        let waiting = Arc::new(Mutex::new(Waiting::default()));
        (
            Inbox {
                waiting: waiting.clone(),
            },
            Postbox { waiting },
        )
    }

    /// From now on a note is printed above the prompt through `printer` as it comes.
    pub fn print_with(&self, mut printer: impl ExternalPrinter + Send + 'static) {
        lock(&self.waiting).printer = Some(Box::new(move |text| printer.print(text).is_ok()));
    }

    /// What came since last asked, in order.
    pub fn take(&self) -> Vec<Arrived> {
        lock(&self.waiting).arrived.drain(..).collect()
    }
}

impl Postbox {
    /// Posts a note: printed now if the shell can print above its prompt, else kept for it.
    pub fn note(&self, text: String) {
        let mut waiting = lock(&self.waiting);
        let printed = match waiting.printer.as_mut() {
            Some(print) => print(format!("{text}\n")),
            None => false,
        };
        if !printed {
            waiting.arrived.push_back(Arrived::Note(text));
        }
    }

    /// Posts a line for the shell to run before its next prompt.
    pub fn run(&self, line: String) {
        lock(&self.waiting).arrived.push_back(Arrived::Run(line));
    }

    /// Whether the shell is gone, and nobody reads what is posted.
    pub fn closed(&self) -> bool {
        Arc::strong_count(&self.waiting) < 2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posts_wait_in_order_until_the_shell_takes_them() {
        let (inbox, postbox) = Inbox::new();
        postbox.note("Break: 10 minutes".into());
        postbox.run("reset all --yes".into());
        assert_eq!(
            inbox.take(),
            [
                Arrived::Note("Break: 10 minutes".into()),
                Arrived::Run("reset all --yes".into())
            ]
        );
        assert!(inbox.take().is_empty());
        assert!(!postbox.closed());
        drop(inbox);
        assert!(postbox.closed());
    }
}
