//! Each learner's shell, kept on the server while their browser comes and goes.
//!
//! A learner's [`Terminal`] is their cloudlings shell ([`Stream`]) on a thread of its own, fed
//! the keys of whichever of their pages is open. What it prints goes to every page watching
//! (the learner's tabs, the instructor's read-only view) and into a scrollback, so that a page
//! that reloads, or comes back after the network dropped, shows the screen as it was and goes
//! on. The shell lives until the learner quits it; the next page then starts another, where
//! the learner's progress left off.

use std::collections::{HashMap, VecDeque};
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use bytes::Bytes;
use tokio::sync::{broadcast, mpsc};

use super::dashboard::Dashboard;
use crate::interrupt::Flag;
use crate::shell::{Session, Stream};

/// How much of a screen is kept for a page that comes back: a few screens' worth.
const SCROLLBACK: usize = 64 * 1024;
/// Input waiting for a busy shell, in messages: a page that sends more waits.
const QUEUED: usize = 64;
/// Output a watching page may fall behind by, in writes, before it is sent the screen anew.
const BEHIND: usize = 1024;

/// What a terminal's input carries.
#[derive(Debug)]
pub enum Input {
    /// Keys, or a pasted block.
    Keys(Vec<u8>),
    /// The page's terminal is this many columns wide.
    Columns(usize),
    /// A message from the instructor, shown above the prompt.
    Note(String),
    /// A line the instructor runs in the learner's shell (a reset), shown as it runs.
    RunFor(String),
}

/// What a watching page is sent.
#[derive(Debug, Clone)]
pub enum Shown {
    Output(Bytes),
    /// The learner quit the shell.
    Ended,
}

/// The room's open terminals, by learner.
#[derive(Debug, Default)]
pub struct Terminals {
    open: Mutex<HashMap<i64, Arc<Terminal>>>,
}

impl Terminals {
    /// The learner's running shell, or a new one from `start` if they have none (or quit it).
    pub fn open(
        &self,
        learner: i64,
        start: impl FnOnce() -> anyhow::Result<Session>,
    ) -> anyhow::Result<Arc<Terminal>> {
        let mut open = lock(&self.open);
        if let Some(terminal) = open.get(&learner)
            && !terminal.ended()
        {
            return Ok(terminal.clone());
        }
        let terminal = Terminal::start(learner, start()?)?;
        open.insert(learner, terminal.clone());
        Ok(terminal)
    }

    /// Every running shell, by learner.
    pub fn all_running(&self) -> Vec<(i64, Arc<Terminal>)> {
        lock(&self.open)
            .iter()
            .filter(|(_, terminal)| !terminal.ended())
            .map(|(learner, terminal)| (*learner, terminal.clone()))
            .collect()
    }

    /// The learner's running shell, if they have one: for the instructor, who only watches.
    pub fn running(&self, learner: i64) -> Option<Arc<Terminal>> {
        lock(&self.open)
            .get(&learner)
            .filter(|terminal| !terminal.ended())
            .cloned()
    }
}

/// One learner's shell and the pages watching it.
#[derive(Debug)]
pub struct Terminal {
    input: mpsc::Sender<Input>,
    interrupt: Flag,
    screen: Mutex<Screen>,
    /// Pages of the learner's own connected now.
    pages: AtomicUsize,
    ended: AtomicBool,
}

#[derive(Debug)]
struct Screen {
    kept: VecDeque<u8>,
    watchers: broadcast::Sender<Shown>,
}

impl Terminal {
    fn start(learner: i64, session: Session) -> anyhow::Result<Arc<Terminal>> {
        let (input, mut keys) = mpsc::channel(QUEUED);
        let (stream, greeting) = Stream::start(session);
        let terminal = Arc::new(Terminal {
            input,
            interrupt: stream.interrupt(),
            screen: Mutex::new(Screen {
                kept: VecDeque::new(),
                watchers: broadcast::channel(BEHIND).0,
            }),
            pages: AtomicUsize::new(0),
            ended: AtomicBool::new(false),
        });
        terminal.show(&greeting);
        let shown = terminal.clone();
        // The shell blocks on its commands (a call to the cloud, an SSH session): a thread of
        // its own, off the server's runtime.
        std::thread::Builder::new()
            .name(format!("learner-{learner}"))
            .spawn(move || {
                let mut stream = stream;
                let mut screen = Live(&shown);
                while let Some(input) = keys.blocking_recv() {
                    match input {
                        Input::Keys(bytes) => {
                            let _ = stream.feed_to(&bytes, &mut screen);
                        }
                        Input::Columns(columns) => stream.resize(columns),
                        Input::Note(note) => {
                            let _ = stream.announce(&note, &mut screen);
                        }
                        Input::RunFor(line) => {
                            let _ = stream.run_for(&line, &mut screen);
                        }
                    }
                    if stream.ended() {
                        break;
                    }
                }
                shown.ended.store(true, Ordering::SeqCst);
                let _ = lock(&shown.screen).watchers.send(Shown::Ended);
            })?;
        Ok(terminal)
    }

    /// Whether a page of the learner's own is open on it now.
    pub fn online(&self) -> bool {
        self.pages.load(Ordering::SeqCst) > 0
    }

    /// Whether the learner quit this shell.
    pub fn ended(&self) -> bool {
        self.ended.load(Ordering::SeqCst)
    }

    /// The screen as it stands, and what is shown from now on: taken together, so that
    /// nothing falls between them.
    pub fn watch(&self) -> (Vec<u8>, broadcast::Receiver<Shown>) {
        let screen = lock(&self.screen);
        let (front, back) = screen.kept.as_slices();
        ([front, back].concat(), screen.watchers.subscribe())
    }

    /// Hands input to the shell, waiting while it is busy and QUEUED inputs wait already.
    /// Ctrl-C does not wait: it stops the command running now.
    pub async fn send(&self, input: Input) -> Result<(), Ended> {
        if let Input::Keys(keys) = &input
            && keys.contains(&0x03)
        {
            self.interrupt.raise();
        }
        self.input.send(input).await.map_err(|_| Ended)
    }

    /// A page of the learner's own opens, if fewer than `most` are open already; it counts
    /// until the returned value drops. The instructor's table shows it opening and closing.
    pub fn open_page(self: &Arc<Self>, most: usize, table: Arc<Dashboard>) -> Option<Page> {
        self.pages
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |open| {
                (open < most).then_some(open + 1)
            })
            .ok()?;
        table.touch();
        Some(Page {
            terminal: self.clone(),
            table,
        })
    }

    fn show(&self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        let mut screen = lock(&self.screen);
        screen.kept.extend(bytes);
        let over = screen.kept.len().saturating_sub(SCROLLBACK);
        screen.kept.drain(..over);
        // No page watching is no error: the scrollback keeps it.
        let _ = screen
            .watchers
            .send(Shown::Output(Bytes::copy_from_slice(bytes)));
    }
}

/// The shell is gone: it ended, and takes no more input.
#[derive(Debug)]
pub struct Ended;

/// One of a learner's pages, counted while it is open.
#[derive(Debug)]
pub struct Page {
    terminal: Arc<Terminal>,
    table: Arc<Dashboard>,
}

impl Drop for Page {
    fn drop(&mut self) {
        self.terminal.pages.fetch_sub(1, Ordering::SeqCst);
        self.table.touch();
    }
}

/// The shell's screen: what it prints reaches the pages as it is printed.
struct Live<'a>(&'a Terminal);

impl Write for Live<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.show(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
