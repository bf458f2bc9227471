//! Watch mode: a task step noticed done without `check`, as rustlings notices a solved
//! exercise.
//!
//! After each line that may have changed the world, and every few seconds while the learner
//! sits at the prompt of a terminal, the current task's conditions are looked at quietly:
//! probes get a short patience, the first condition that does not hold ends the look, and
//! only a pass is ever said. A failure is for `check` to explain, when the learner asks.
//!
//! Looking needs nothing of the session but a copy of what to look at, a [`Look`]. So the
//! idle looking runs on a thread of its own while the session waits in the line editor, and
//! what it found, a [`Noticed`], is applied by the session on its own thread: the thread
//! only observes, and the session's state has one owner.

use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::time::Duration;

use rustyline::ExternalPrinter;

use super::messages as msg;
use crate::check::{self, Bind, Check};
use crate::lang::Lang;
use crate::style::Style;
use crate::text::Text;

/// How long a probe of a quiet look may wait on the network: enough for an emulated
/// connection or a web page, short enough that nobody notices it after a command. A silence
/// this short is no answer ([`check::ProbeError::NotYet`]), so a check that expects a
/// connection to time out is left to `check`.
pub const QUIET_PATIENCE: Duration = Duration::from_millis(300);

/// How often the idle look comes round: a deployment or a boot is noticed within this.
pub const IDLE_INTERVAL: Duration = Duration::from_secs(2);

/// What to look at for one task step, and how to say it passed.
#[derive(Debug, Clone)]
pub struct Look {
    lesson: String,
    step: String,
    checks: Vec<Check>,
    binds: Vec<Bind>,
    explanation: Option<Text>,
    /// The session's probes, with the quiet patience.
    context: check::Context,
    lang: Lang,
    style: Style,
}

/// A task step found done, and what to tell the learner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Noticed {
    pub lesson: String,
    pub step: String,
    /// The values the step binds, taken when it passed.
    pub bound: Vec<(String, check::Bound)>,
    /// The announcement, from a blank line to the invitation to go on.
    pub announcement: String,
}

impl Look {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        lesson: &str,
        step: &str,
        checks: &[Check],
        binds: &[Bind],
        explanation: Option<&Text>,
        probes: &check::Context,
        lang: Lang,
        style: Style,
    ) -> Look {
        Look {
            lesson: lesson.to_string(),
            step: step.to_string(),
            checks: checks.to_vec(),
            binds: binds.to_vec(),
            explanation: explanation.cloned(),
            context: probes.clone().with_patience(QUIET_PATIENCE),
            lang,
            style,
        }
    }

    /// Looks once: the step's pass when every condition that can be looked at here holds.
    pub fn look(&self) -> Option<Noticed> {
        let target = self.context.target.as_ref();
        let checks: Vec<&Check> = self
            .checks
            .iter()
            .filter(|check| check.looks_on(target))
            .collect();
        // A step with nothing to look at here waits for `check`, which says so.
        if checks.is_empty() {
            return None;
        }
        // `all` stops at the first condition that does not hold: a quiet look costs little
        // while the learner is still on the way.
        let done = checks.iter().all(|check| check.run(&self.context).passed());
        // A look Ctrl-C cut short saw nothing.
        if !done || crate::interrupt::requested() {
            return None;
        }
        // The values a step binds are taken with the probes' full patience, as `check`
        // takes them: the step has passed, and later steps need them.
        let full = check::Context {
            patience: None,
            ..self.context.clone()
        };
        let bound: Vec<(String, check::Bound)> = self
            .binds
            .iter()
            .filter_map(|bind| Some((bind.name.clone(), bind.value(&full)?)))
            .collect();
        let mut bindings = self.context.bindings.clone();
        bindings.extend(
            bound
                .iter()
                .map(|(name, bound)| (name.clone(), bound.value.clone())),
        );
        Some(Noticed {
            lesson: self.lesson.clone(),
            step: self.step.clone(),
            announcement: self.announcement(&checks, &bindings),
            bound,
        })
    }

    /// The pass as `check` tells it, led by a line that says nobody had to ask.
    fn announcement(&self, checks: &[&Check], bindings: &check::Bindings) -> String {
        let (lang, style) = (self.lang, self.style);
        let mut text = format!("\n{}\n", style.good(&msg::noticed(lang)));
        for check in checks {
            let label = check::fill(check.label.get(lang), bindings);
            text.push_str(&format!("  {} {label}\n", style.good("✓")));
        }
        if let Some(explanation) = &self.explanation {
            let explanation = check::fill(explanation.get(lang).trim_end(), bindings);
            text.push_str(&format!("\n{}\n", super::view::fit(&explanation)));
        }
        text.push_str(&format!("\n{}\n", style.dim(&msg::type_next(lang))));
        text
    }
}

/// The idle look, running while the line editor waits for a line.
#[derive(Debug)]
pub struct Idle {
    wake: mpsc::Sender<()>,
    shared: Arc<Mutex<Shared>>,
}

/// What the idle look and the session both touch, each only under the lock: whether the
/// session has taken the line back, and a pass told but not yet recorded.
#[derive(Debug, Default)]
struct Shared {
    stopped: bool,
    noticed: Option<Noticed>,
}

impl Idle {
    /// Starts looking every [`IDLE_INTERVAL`]; a pass is printed above the prompt through
    /// `printer` the moment it is seen, and the looking ends there.
    pub fn start(look: Look, mut printer: impl ExternalPrinter + Send + 'static) -> Idle {
        let (wake, woken) = mpsc::channel::<()>();
        let shared = Arc::new(Mutex::new(Shared::default()));
        let seen = Arc::clone(&shared);
        // Left to end by itself: stopping never waits for a look under way, which may be
        // waiting on the network; what it finds after the stop is dropped.
        std::thread::spawn(move || {
            loop {
                // Waiting on the channel is the sleep: `stop` ends it at once.
                match woken.recv_timeout(IDLE_INTERVAL) {
                    Err(mpsc::RecvTimeoutError::Timeout) => {}
                    Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => return,
                }
                let Some(noticed) = look.look() else {
                    continue;
                };
                // Handed over under the lock before it is told, so a pass is either the
                // session's to record (and told here) or, once the session took the line back,
                // left to the look after that line: told once either way. The printing is
                // outside the lock, so taking the line back never waits on it.
                let announcement = noticed.announcement.clone();
                {
                    let mut shared = seen.lock().unwrap_or_else(PoisonError::into_inner);
                    if shared.stopped {
                        return;
                    }
                    shared.noticed = Some(noticed);
                }
                if let Err(error) = printer.print(announcement) {
                    tracing::warn!("cannot print above the prompt: {error}");
                }
                return;
            }
        });
        Idle { wake, shared }
    }

    /// Stops looking, and hands over a pass already told to the learner, for the session to
    /// record.
    pub fn stop(self) -> Option<Noticed> {
        // The thread may have ended already; a closed channel is then no error.
        let _ = self.wake.send(());
        let mut shared = self.shared.lock().unwrap_or_else(PoisonError::into_inner);
        shared.stopped = true;
        shared.noticed.take()
    }
}
