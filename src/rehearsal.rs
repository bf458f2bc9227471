//! `cloudlings lesson test`: every lesson rehearsed on a fresh emulator, the way a learner
//! would take it, to prove its checks can tell.
//!
//! For each task step, in order: every check must fail before the step's solution runs (a
//! check that already holds would let a learner pass without doing anything), then the
//! solution runs in a real shell session, and every check must hold. Solutions run in the
//! lesson's own working folder and emulator, so each step starts from what the steps before
//! it did. Every learner-facing text must also exist in Korean.
//!
//! With `--mistakes`, each mistake a task declares is replayed too, on an emulator of its own
//! brought to the state before the step: the mistake's commands run, the checks must notice
//! it (or pass, for a harmless one), and then the rehearsal does what a learner does with a
//! failing check: it reads the reason shown and runs the commands the reason names in
//! backquotes, one failing check at a time. A suggested command that fails from there, a
//! reason that names nothing to run, or advice that leaves the check failing is a dead end,
//! and reported as one.

use std::fmt;
use std::path::Path;

use anyhow::Context as _;
use serde_json::Value;

use crate::check::{self, Check, Outcome};
use crate::lang::Lang;
use crate::lesson::{Course, Lesson, Platform, StepKind, Text};
use crate::progress::Store;
use crate::shell::Session;
use crate::style::Style;
use crate::target::Target;
use cloudlings_emulator::Emulator;
use cloudlings_emulator::state::FreePlan;

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
    /// After the mistake every check still passes: the step cannot tell.
    MistakeUnnoticed { mistake: String },
    /// A mistake declared harmless fails a check.
    HarmlessFails {
        mistake: String,
        check: String,
        reason: String,
    },
    /// After the mistake, a failing check's reason names no command that can be run as
    /// written.
    NoAdvice {
        mistake: String,
        check: String,
        reason: String,
    },
    /// After the mistake, a command a failing check's reason suggests does not work.
    AdviceFails {
        mistake: String,
        check: String,
        command: String,
        output: String,
    },
    /// After the mistake and the commands its reason suggests, the check still fails with the
    /// same reason.
    AdviceLeavesFailing {
        mistake: String,
        check: String,
        reason: String,
    },
    /// The Korean reason suggests other commands than the English one.
    KoreanAdviceDiffers {
        check: String,
        en: Vec<String>,
        ko: Vec<String>,
    },
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
            Problem::MistakeUnnoticed { mistake } => write!(
                f,
                "mistake \"{mistake}\": every check still passes; declare it `harmless` or make a check notice it"
            ),
            Problem::HarmlessFails {
                mistake,
                check,
                reason,
            } => write!(
                f,
                "mistake \"{mistake}\" is declared harmless, but check \"{check}\" fails: {reason}"
            ),
            Problem::NoAdvice {
                mistake,
                check,
                reason,
            } => write!(
                f,
                "mistake \"{mistake}\": the reason of check \"{check}\" names no command that can be run as written: {reason}"
            ),
            Problem::AdviceFails {
                mistake,
                check,
                command,
                output,
            } => write!(
                f,
                "mistake \"{mistake}\": check \"{check}\" suggests `{command}`, which fails from there: {}",
                output.trim_end()
            ),
            Problem::AdviceLeavesFailing {
                mistake,
                check,
                reason,
            } => write!(
                f,
                "mistake \"{mistake}\": after the commands its reason suggests, check \"{check}\" still fails: {reason}"
            ),
            Problem::KoreanAdviceDiffers { check, en, ko } => write!(
                f,
                "check \"{check}\": the Korean reason suggests {ko:?}, the English one {en:?}"
            ),
        }
    }
}

/// What the rehearsal of a course found, lesson by lesson.
#[derive(Debug, Default)]
pub struct Report {
    /// `(lesson id, task steps rehearsed)`.
    pub lessons: Vec<(String, usize)>,
    /// How many mistakes were replayed.
    pub mistakes: usize,
    pub findings: Vec<Finding>,
}

/// Rehearses every lesson of `course`, each on its own fresh emulator and folders, whose
/// account has the free `plan`; with `mistakes`, replays the mistakes its tasks declare as
/// well.
pub fn rehearse(course: &Course, mistakes: bool, plan: FreePlan) -> anyhow::Result<Report> {
    // Each lesson has an emulator of its own, so they are rehearsed side by side: most of a
    // rehearsal is waiting for instances and distributions, not computing.
    let rehearsed: Vec<anyhow::Result<(usize, usize, Vec<Finding>)>> =
        std::thread::scope(|scope| {
            let runs: Vec<_> = course
                .lessons
                .iter()
                .map(|lesson| {
                    scope.spawn(move || {
                        let mut findings = Vec::new();
                        let steps = rehearse_lesson(course, lesson, plan, &mut findings)?;
                        let replayed = if mistakes {
                            replay_mistakes(course, lesson, plan, &mut findings)?
                        } else {
                            0
                        };
                        Ok((steps, replayed, findings))
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
        let (steps, replayed, findings) = rehearsed?;
        report.mistakes += replayed;
        report.findings.extend(findings);
        report.lessons.push((lesson.id.clone(), steps));
    }
    Ok(report)
}

/// How much faster than the wall clock a rehearsal's simulated time runs: an instance boots
/// in a sixth of a second, a distribution deploys in two.
const REHEARSAL_SPEED: u32 = 60;

/// A fresh emulator, working folder and shell session, as a learner starts with.
struct Lab {
    // Dropped after the session that talks to it.
    session: Session,
    probes: check::Context,
    work: tempfile::TempDir,
    _data: tempfile::TempDir,
    _emulator: Emulator,
}

impl Lab {
    fn new(course: &Course, plan: FreePlan) -> anyhow::Result<Lab> {
        let emulator = Emulator::start(0, None).context("cannot start an emulator")?;
        {
            emulator.world.lock().clock.run_faster(REHEARSAL_SPEED);
            if let Some(account) = emulator.world.account(&emulator.credentials.account) {
                account.lock().free_plan = plan;
            }
        }
        let work = tempfile::tempdir().context("cannot make a working folder")?;
        let data = tempfile::tempdir().context("cannot make a data folder")?;
        let (store, _) = Store::open(data.path())?;
        let probes = check::Context::new(work.path().to_path_buf()).with_target(Target::emulator(
            &emulator.endpoint(),
            &emulator.credentials,
        ));
        let session = Session::new(
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
        let probes = check::Context {
            bindings: session.bindings().clone(),
            ..probes
        };
        Ok(Lab {
            session,
            probes,
            work,
            _data: data,
            _emulator: emulator,
        })
    }

    /// Runs one line as the learner would type it, its `{names}` filled; the shell's output
    /// if it failed.
    fn run(&mut self, line: &str) -> Result<(), String> {
        let line = check::fill_command(line, &self.probes.bindings, &self.probes.files);
        run_line(&mut self.session, &line, self.work.path())
    }

    /// Remembers what a passed step binds; the names that found nothing.
    fn bind(&mut self, binds: &[check::Bind]) -> Vec<String> {
        let mut missing = Vec::new();
        for bind in binds {
            match bind.value(&self.probes) {
                Some(bound) => self.probes.keep(&bind.name, bound),
                None => missing.push(bind.name.clone()),
            }
        }
        missing
    }
}

fn rehearse_lesson(
    course: &Course,
    lesson: &Lesson,
    plan: FreePlan,
    findings: &mut Vec<Finding>,
) -> anyhow::Result<usize> {
    let mut lab = Lab::new(course, plan)?;
    // The author rehearses their own lesson: what it declares it reaches is in reach.
    lab.probes.reach = lesson.reach.clone();
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
            match check.run(&lab.probes) {
                Outcome::Passed if check.holds_before.is_some() => {}
                Outcome::Passed => findings.push(found(Problem::PassesBefore {
                    check: check.label.en.clone(),
                    actual: selected(check, &lab.probes),
                })),
                Outcome::Failed { .. } => {}
                Outcome::Unavailable { error } => findings.push(found(Problem::Unavailable {
                    check: check.label.en.clone(),
                    error: error.en,
                })),
            }
        }
        for line in &step.solution(false, lab.probes.files.platform()) {
            if let Err(output) = lab.run(line) {
                let line = check::fill_command(line, &lab.probes.bindings, &lab.probes.files);
                findings.push(found(Problem::SolutionFailed { line, output }));
            }
        }
        for check in &task.checks {
            match check.run(&lab.probes) {
                Outcome::Passed => {}
                Outcome::Failed { actual } => findings.push(found(Problem::FailsAfter {
                    check: check.label.en.clone(),
                    expected: check.expect.to_string(),
                    actual,
                })),
                Outcome::Unavailable { error } => findings.push(found(Problem::Unavailable {
                    check: check.label.en.clone(),
                    error: error.en,
                })),
            }
        }
        for name in lab.bind(&task.binds) {
            findings.push(found(Problem::NothingToBind { name }));
        }
    }
    Ok(tasks)
}

/// How many failing checks the rehearsal follows the advice of, after one mistake, before it
/// calls the advice a loop.
const MAX_ADVICE: usize = 12;

/// Replays every mistake of every task of `lesson`, each on a lab brought to the state before
/// its step by the solutions of the steps before it.
fn replay_mistakes(
    course: &Course,
    lesson: &Lesson,
    plan: FreePlan,
    findings: &mut Vec<Finding>,
) -> anyhow::Result<usize> {
    let replays: Vec<(usize, &crate::lesson::Mistake)> = lesson
        .steps
        .iter()
        .enumerate()
        .filter_map(|(index, step)| match &step.kind {
            StepKind::Task(task) => Some(task.mistakes.iter().map(move |m| (index, m))),
            _ => None,
        })
        .flatten()
        // A mistake whose `!` lines have no PowerShell line is not replayed on Windows.
        .filter(|&(index, mistake)| {
            let step = &lesson.steps[index];
            let platform = Platform::this_machine();
            mistake
                .run
                .iter()
                .all(|line| step.command(line, platform).is_some())
        })
        .collect();
    // Side by side, as lessons are: most of a replay is waiting on the simulated clock.
    let found: Vec<anyhow::Result<Vec<Finding>>> = std::thread::scope(|scope| {
        let runs: Vec<_> = replays
            .iter()
            .map(|&(index, mistake)| {
                scope.spawn(move || replay_mistake(course, lesson, index, mistake, plan))
            })
            .collect();
        runs.into_iter()
            .map(|run| {
                run.join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("a mistake's replay failed")))
            })
            .collect()
    });
    for replay in found {
        findings.extend(replay?);
    }
    Ok(replays.len())
}

fn replay_mistake(
    course: &Course,
    lesson: &Lesson,
    index: usize,
    mistake: &crate::lesson::Mistake,
    plan: FreePlan,
) -> anyhow::Result<Vec<Finding>> {
    let mut lab = Lab::new(course, plan)?;
    // The author rehearses their own lesson: what it declares it reaches is in reach.
    lab.probes.reach = lesson.reach.clone();
    for step in &lesson.steps[..index] {
        if let StepKind::Task(task) = &step.kind {
            for line in &step.solution(false, lab.probes.files.platform()) {
                // Its failures are the plain rehearsal's to report.
                let _ = lab.run(line);
            }
            lab.bind(&task.binds);
        }
    }
    let step = &lesson.steps[index];
    let StepKind::Task(task) = &step.kind else {
        return Ok(Vec::new());
    };
    let mut findings = Vec::new();
    let mut found = |problem| {
        findings.push(Finding {
            file: lesson.file.clone(),
            lesson: lesson.id.clone(),
            step: step.id.clone(),
            problem,
        })
    };
    for line in &mistake.run {
        // What the mistake remembers is taken afresh before each line, so a line can name
        // what an earlier one made.
        lab.bind(&mistake.binds);
        // A mistake may well fail: a waiter that gives up, a name already taken.
        let line = step
            .command(line, lab.probes.files.platform())
            .unwrap_or(line);
        let _ = lab.run(line);
    }
    let name = mistake.name.clone();
    let failing = |lab: &Lab| {
        task.checks
            .iter()
            .find(|check| !check.run(&lab.probes).passed())
    };
    if mistake.harmless {
        if let Some(check) = failing(&lab) {
            let reason = check::fill(&check.reason_now(&lab.probes).en, &lab.probes.bindings);
            found(Problem::HarmlessFails {
                mistake: name,
                check: check.label.en.clone(),
                reason,
            });
        }
        return Ok(findings);
    }
    if failing(&lab).is_none() {
        found(Problem::MistakeUnnoticed { mistake: name });
        return Ok(findings);
    }
    let mut followed: Option<(String, String)> = None;
    for _ in 0..MAX_ADVICE {
        let Some(check) = failing(&lab) else {
            return Ok(findings);
        };
        let label = check.label.en.clone();
        let text = check.reason_now(&lab.probes);
        let reason = check::fill(&text.en, &lab.probes.bindings);
        let commands = suggested(&reason);
        if let Some(ko) = &text.ko {
            let ko = suggested(&check::fill(ko, &lab.probes.bindings));
            if ko != commands {
                found(Problem::KoreanAdviceDiffers {
                    check: label.clone(),
                    en: commands.clone(),
                    ko,
                });
            }
        }
        if followed.as_ref() == Some(&(label.clone(), reason.clone())) {
            found(Problem::AdviceLeavesFailing {
                mistake: name,
                check: label,
                reason,
            });
            return Ok(findings);
        }
        if commands.is_empty() {
            found(Problem::NoAdvice {
                mistake: name,
                check: label,
                reason,
            });
            return Ok(findings);
        }
        for command in &commands {
            if let Err(output) = lab.run(command) {
                found(Problem::AdviceFails {
                    mistake: name,
                    check: label,
                    command: command.clone(),
                    output,
                });
                return Ok(findings);
            }
        }
        followed = Some((label, reason));
    }
    if let Some((check, reason)) = followed {
        found(Problem::AdviceLeavesFailing {
            mistake: name,
            check,
            reason,
        });
    }
    Ok(findings)
}

/// The commands on this machine (`!…` lines) a rehearsal of `course` runs, for each lesson
/// that is not one of the built-in course's (which the binary carries, and are trusted): its
/// solutions, and with `mistakes` its mistakes and what its reasons suggest. Each with the
/// lesson's file.
pub fn host_commands(course: &Course, mistakes: bool) -> Vec<(String, String)> {
    let built_in: std::collections::HashSet<String> = Course::embedded()
        .lessons
        .iter()
        .map(|lesson| lesson.digest.clone())
        .collect();
    let mut found = Vec::new();
    for lesson in course
        .lessons
        .iter()
        .filter(|lesson| !built_in.contains(&lesson.digest))
    {
        let mut add = |line: &str| {
            let line = line.trim();
            if line.starts_with('!') && !found.contains(&(lesson.file.clone(), line.to_string())) {
                found.push((lesson.file.clone(), line.to_string()));
            }
        };
        for step in &lesson.steps {
            let StepKind::Task(task) = &step.kind else {
                continue;
            };
            let platform = Platform::this_machine();
            step.solution(false, platform)
                .iter()
                .for_each(|line| add(line));
            if !mistakes {
                continue;
            }
            for mistake in &task.mistakes {
                let lines = mistake.run.iter();
                lines
                    .filter_map(|line| step.command(line, platform))
                    .for_each(&mut add);
            }
            for check in &task.checks {
                let reasons = std::iter::once(&check.reason)
                    .chain(check.cases.iter().map(|case| &case.reason));
                for reason in reasons {
                    suggested(&reason.en).iter().for_each(|line| add(line));
                }
            }
        }
    }
    found
}

/// The commands a reason suggests: its spans in backquotes that are whole shell commands
/// (`aws …`, `chmod …`, `!…`), leaving out those with a placeholder to fill (`<id>`, `…`).
pub fn suggested(reason: &str) -> Vec<String> {
    const COMMANDS: [&str; 9] = [
        "aws", "chmod", "clock", "ssh", "curl", "bill", "myip", "totp", "edge",
    ];
    let placeholder = regex::Regex::new(r"<[\p{L}\p{N} ]+>").expect("a valid expression");
    reason
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::trim)
        .filter(|span| {
            let first = span.split_whitespace().next().unwrap_or_default();
            (span.starts_with('!') || COMMANDS.contains(&first))
                && !span.contains('…')
                && !placeholder.is_match(span)
        })
        .map(str::to_string)
        .collect()
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
    if let Some(there) = &step.on_windows {
        texts.push(("its Windows text".to_string(), &there.text));
        texts.extend(
            there
                .hints
                .iter()
                .flatten()
                .enumerate()
                .map(|(n, hint)| (format!("Windows hint {}", n + 1), hint)),
        );
    }
    if let Some(console) = &step.console {
        texts.push(("its console directions".to_string(), console));
    }
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

#[cfg(test)]
mod tests {
    use super::suggested;

    #[test]
    fn a_reason_suggests_its_whole_commands_only() {
        let reason = "Run `clock advance 5m`, then `aws ec2 get-password-data --instance-id i-1`; \
                      save it with `--query KeyMaterial --output text > key.pem`, delete \
                      `aws ec2 delete-key-pair --key-name <name>` or `aws iam create-virtual-mfa-device …`, \
                      write `!printf '<svg xmlns=\"x\"/>' > cat.svg` and type `whoami` on it.";
        assert_eq!(
            suggested(reason),
            [
                "clock advance 5m",
                "aws ec2 get-password-data --instance-id i-1",
                "!printf '<svg xmlns=\"x\"/>' > cat.svg",
            ]
        );
        assert_eq!(
            suggested("`aws iam delete-user --user-name <그 이름>`"),
            Vec::<String>::new()
        );
        assert!(suggested("nothing to run here").is_empty());
    }
}
