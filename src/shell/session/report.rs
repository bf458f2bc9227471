//! Where a learner stands, as a classroom's instructor sees it: the step they are at and for
//! how long, the help they took, their last check and why it failed, and each lesson's count
//! of passed steps. A shell in a class makes one after each line and hands it on when it
//! changed ([`Session::with_reporter`]). What the instructor sends back (a message, a reset)
//! waits in its inbox ([`Session::with_inbox`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use std::io::{self, Write};

use super::{Flow, Session};
use crate::shell::inbox::{Arrived, Inbox};

/// A learner's standing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The lesson and step they are at, if they started one.
    pub lesson: Option<String>,
    pub step: Option<String>,
    /// The step's number in its lesson, from 1, and the lesson's steps.
    pub step_number: usize,
    pub steps: usize,
    /// When they came to that step (Unix seconds, real time).
    pub since: i64,
    /// Hints revealed and solutions shown, in the whole course.
    pub hints: usize,
    pub solutions: usize,
    /// Failed checks and wrong answers at the step they are at.
    pub failures: u32,
    pub last_check: Option<LastCheck>,
    /// Per lesson id: steps passed.
    pub passed: BTreeMap<String, usize>,
}

/// The last time the learner's task was checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastCheck {
    pub lesson: String,
    pub step: String,
    pub passed: bool,
    /// Why the checks that failed failed, in the learner's language.
    pub reasons: Vec<String>,
}

/// What a session hands its reports to.
pub struct Reporter(pub Box<dyn FnMut(&Report) + Send>);

impl std::fmt::Debug for Reporter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Reporter")
    }
}

impl Session {
    /// Hands a report to `reporter` after each line that changed where the learner stands.
    pub fn with_reporter(mut self, reporter: Reporter) -> Session {
        self.reporter = Some(reporter);
        self
    }

    /// Takes what the instructor sends from `inbox`.
    pub fn with_inbox(mut self, inbox: Inbox) -> Session {
        self.inbox = Some(inbox);
        self
    }

    pub fn inbox(&self) -> Option<&Inbox> {
        self.inbox.as_ref()
    }

    /// Shows what the instructor sent since the last prompt, and runs the lines they ran, as
    /// if typed at this prompt.
    pub fn deliver(&mut self, out: &mut dyn Write) -> io::Result<Flow> {
        let arrived = self.inbox.as_ref().map(Inbox::take).unwrap_or_default();
        for arrived in arrived {
            match arrived {
                Arrived::Note(text) => writeln!(out, "{text}")?,
                Arrived::Run(line) => {
                    writeln!(out, "{}{line}", self.prompt())?;
                    if self.execute(&line, out)? == Flow::Quit {
                        return Ok(Flow::Quit);
                    }
                }
            }
        }
        Ok(Flow::Continue)
    }

    /// Where the learner stands now.
    pub fn report(&mut self) -> Report {
        let here = self.here().map(|(lesson, index, step)| {
            (
                lesson.id.clone(),
                index,
                step.id.clone(),
                lesson.steps.len(),
            )
        });
        let progress = &self.store.progress;
        let position = here
            .as_ref()
            .map(|(lesson, _, step, _)| (lesson.clone(), step.clone()));
        // The time on a step counts from when this shell first saw the learner there.
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let since = match &self.arrived {
            Some((at, since)) if Some(at) == position.as_ref() => *since,
            _ => {
                self.arrived = position.clone().map(|at| (at, now));
                now
            }
        };
        let steps = progress.lessons.values().flat_map(BTreeMap::values);
        let (hints, solutions) = steps.fold((0, 0), |(hints, solutions), step| {
            (
                hints + step.hints,
                solutions + usize::from(step.solution_shown),
            )
        });
        let failures = here
            .as_ref()
            .and_then(|(lesson, _, step, _)| progress.lessons.get(lesson)?.get(step))
            .map_or(0, |step| step.failures);
        Report {
            lesson: here.as_ref().map(|(lesson, ..)| lesson.clone()),
            step: here.as_ref().map(|(_, _, step, _)| step.clone()),
            step_number: here.as_ref().map_or(0, |(_, index, ..)| index + 1),
            steps: here.as_ref().map_or(0, |(.., steps)| *steps),
            since,
            hints,
            solutions,
            failures,
            last_check: self.last_check.clone(),
            passed: self
                .course
                .lessons
                .iter()
                .map(|lesson| (lesson.id.clone(), progress.passed(lesson)))
                .collect(),
        }
    }

    /// Hands the report on if it changed since the last one.
    pub(super) fn report_if_changed(&mut self) {
        if self.reporter.is_none() {
            return;
        }
        let report = self.report();
        if self.reported.as_ref() == Some(&report) {
            return;
        }
        if let Some(Reporter(reporter)) = &mut self.reporter {
            reporter(&report);
        }
        self.reported = Some(report);
    }
}
