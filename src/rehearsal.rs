//! `cloudlings lesson test`: every lesson rehearsed on a fresh emulator, the way a learner
//! would take it, to prove its checks can tell.
//!
//! For each task step, in order: every check must fail before the step's solution runs (a
//! check that already holds would let a learner pass without doing anything), then the
//! solution runs in a real shell session, and every check must hold. Solutions run in the
//! lesson's own working folder and emulator, so each step starts from what the steps before
//! it did. Every learner-facing text must also exist in Korean.

use std::fmt;
use std::path::Path;

use anyhow::Context as _;
use serde_json::Value;

use crate::check::{self, Check, Outcome};
use crate::lang::Lang;
use crate::lesson::{Course, Lesson, StepKind, Text};
use crate::progress::Store;
use crate::shell::Session;
use crate::style::Style;
use crate::target::Target;
use cloudlings_emulator::Emulator;

/// Something wrong with a lesson.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub file: String,
    pub lesson: String,
    pub step: String,
    pub problem: Problem,
}

/// What is wrong.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// The check holds before the solution ran: a learner passes it by doing nothing.
    PassesBefore { check: String, actual: Value },
    /// The solution ran and the check still does not hold.
    FailsAfter {
        check: String,
        expected: String,
        actual: Value,
    },
    /// The check could not look (its target was unreachable, say).
    Unavailable { check: String, error: String },
    /// A solution line the shell could not run.
    SolutionFailed { line: String, output: String },
    /// A text of the step has no Korean.
    NoKorean { what: String },
    /// After the solution, a binding's query found nothing to remember.
    NothingToBind { name: String },
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}/{}: ", self.file, self.lesson, self.step)?;
        match &self.problem {
            Problem::PassesBefore { check, actual } => write!(
                f,
                "check \"{check}\" already holds before the solution runs (actual: {actual}); it cannot tell whether the learner did the step"
            ),
            Problem::FailsAfter {
                check,
                expected,
                actual,
            } => write!(
                f,
                "check \"{check}\" fails after the solution ran: expected {expected}, actual {actual}"
            ),
            Problem::Unavailable { check, error } => {
                write!(f, "check \"{check}\" could not look: {error}")
            }
            Problem::SolutionFailed { line, output } => {
                write!(f, "solution line `{line}` failed: {}", output.trim_end())
            }
            Problem::NoKorean { what } => write!(f, "{what} has no Korean text"),
            Problem::NothingToBind { name } => write!(
                f,
                "binding `{name}` found nothing to remember after the solution ran"
            ),
        }
    }
}

/// What the rehearsal of a course found, lesson by lesson.
#[derive(Debug, Default)]
pub struct Report {
    /// `(lesson id, task steps rehearsed)`.
    pub lessons: Vec<(String, usize)>,
    pub findings: Vec<Finding>,
}

/// Rehearses every lesson of `course`, each on its own fresh emulator and folders.
pub fn rehearse(course: &Course) -> anyhow::Result<Report> {
    // Each lesson has an emulator of its own, so they are rehearsed side by side: most of a
    // rehearsal is waiting for instances and distributions, not computing.
    let rehearsed: Vec<anyhow::Result<(usize, Vec<Finding>)>> = std::thread::scope(|scope| {
        let runs: Vec<_> = course
            .lessons
            .iter()
            .map(|lesson| {
                scope.spawn(move || {
                    let mut findings = Vec::new();
                    rehearse_lesson(course, lesson, &mut findings).map(|steps| (steps, findings))
                })
            })
            .collect();
        runs.into_iter()
            .map(|run| {
                run.join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("a rehearsal failed")))
            })
            .collect()
    });
    let mut report = Report::default();
    for (lesson, rehearsed) in course.lessons.iter().zip(rehearsed) {
        let (steps, findings) = rehearsed?;
        report.findings.extend(findings);
        report.lessons.push((lesson.id.clone(), steps));
    }
    Ok(report)
}

/// How much faster than the wall clock a rehearsal's simulated time runs: an instance boots
/// in a sixth of a second, a distribution deploys in two.
const REHEARSAL_SPEED: u32 = 60;

fn rehearse_lesson(
    course: &Course,
    lesson: &Lesson,
    findings: &mut Vec<Finding>,
) -> anyhow::Result<usize> {
    let emulator = Emulator::start(0, None).context("cannot start an emulator")?;
    emulator.world.lock().clock.run_faster(REHEARSAL_SPEED);
    let work = tempfile::tempdir().context("cannot make a working folder")?;
    let data = tempfile::tempdir().context("cannot make a data folder")?;
    let (store, _) = Store::open(data.path())?;
    let probes = check::Context::new(work.path().to_path_buf()).with_target(Target::emulator(
        &emulator.endpoint(),
        &emulator.credentials,
    ));
    let mut session = Session::new(
        course.clone(),
        store,
        Lang::En,
        Style::plain(),
        probes.clone(),
    )
    .with_emulator(
        emulator.world.clone(),
        emulator.credentials.account.clone(),
        emulator.addr,
        emulator.edge_addr.port(),
    );
    // The session knows what `{myip}` and the like stand for; the checks here need it too.
    let mut probes = check::Context {
        bindings: session.bindings().clone(),
        ..probes
    };
    let mut tasks = 0;
    for step in &lesson.steps {
        let found = |problem| Finding {
            file: lesson.file.clone(),
            lesson: lesson.id.clone(),
            step: step.id.clone(),
            problem,
        };
        for (what, text) in texts(step) {
            if text.ko.is_none() {
                findings.push(found(Problem::NoKorean { what }));
            }
        }
        let StepKind::Task(task) = &step.kind else {
            continue;
        };
        tasks += 1;
        for check in &task.checks {
            match check.run(&probes) {
                Outcome::Passed if check.holds_before.is_some() => {}
                Outcome::Passed => findings.push(found(Problem::PassesBefore {
                    check: check.label.en.clone(),
                    actual: selected(check, &probes),
                })),
                Outcome::Failed { .. } => {}
                Outcome::Unavailable { error } => findings.push(found(Problem::Unavailable {
                    check: check.label.en.clone(),
                    error,
                })),
            }
        }
        for line in &task.solution {
            let line = check::fill_command(line, &probes.bindings, work.path());
            if let Err(output) = run_line(&mut session, &line, work.path()) {
                findings.push(found(Problem::SolutionFailed { line, output }));
            }
        }
        for check in &task.checks {
            match check.run(&probes) {
                Outcome::Passed => {}
                Outcome::Failed { actual } => findings.push(found(Problem::FailsAfter {
                    check: check.label.en.clone(),
                    expected: check.expect.to_string(),
                    actual,
                })),
                Outcome::Unavailable { error } => findings.push(found(Problem::Unavailable {
                    check: check.label.en.clone(),
                    error,
                })),
            }
        }
        for bind in &task.binds {
            match bind.value(&probes) {
                Some(value) => {
                    probes.bindings.insert(bind.name.clone(), value);
                }
                None => findings.push(found(Problem::NothingToBind {
                    name: bind.name.clone(),
                })),
            }
        }
    }
    Ok(tasks)
}

/// The value a check's query selects now, for a report.
fn selected(check: &Check, probes: &check::Context) -> Value {
    let Ok(observed) = check.probe.observe(probes) else {
        return Value::Null;
    };
    match &check.query {
        Some(query) => query
            .search_filled(&observed, |source| check::fill(source, &probes.bindings))
            .unwrap_or(Value::Null),
        None => observed,
    }
}

/// Runs one solution line as the learner would type it; the shell's output if it failed.
fn run_line(session: &mut Session, line: &str, _work: &Path) -> Result<(), String> {
    let mut output = Vec::new();
    let result = session.execute(line, &mut output);
    let text = String::from_utf8_lossy(&output).into_owned();
    match result {
        Ok(_) if session.last_status() == 0 => Ok(()),
        Ok(_) => Err(text),
        Err(error) => Err(format!("{text}{error}")),
    }
}

/// The learner-facing texts of a step, named for a report.
fn texts(step: &crate::lesson::Step) -> Vec<(String, &Text)> {
    let mut texts = vec![("its text".to_string(), &step.text)];
    texts.extend(
        step.title
            .iter()
            .map(|title| ("its title".to_string(), title)),
    );
    texts.extend(
        step.hints
            .iter()
            .enumerate()
            .map(|(n, hint)| (format!("hint {}", n + 1), hint)),
    );
    texts.extend(
        step.explanation
            .iter()
            .map(|text| ("its explanation".to_string(), text)),
    );
    if let StepKind::Task(task) = &step.kind {
        for check in &task.checks {
            texts.push((
                format!("the label of check \"{}\"", check.label.en),
                &check.label,
            ));
            texts.push((
                format!("the reason of check \"{}\"", check.label.en),
                &check.reason,
            ));
            if let Some(why) = &check.holds_before {
                texts.push((
                    format!("why check \"{}\" holds before", check.label.en),
                    why,
                ));
            }
        }
    }
    texts
}
