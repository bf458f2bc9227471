//! Reading one lesson file: TOML syntax, the format version, the serde model, then the rules
//! serde cannot express (which fields belong to which step kind, ids, ranges, translations).
//! Every problem comes out as a located [`Diagnostic`]; a file with errors yields no lesson.

use std::collections::HashSet;

use serde::Deserialize;
use toml::de::{DeTable, DeValue, Deserializer};

use super::answer::Answer;
use super::diagnostic::{Diagnostic, Locator, Seg, Severity};
use super::format::{
    BindFile, CaseFile, CheckFile, FORMAT_VERSION, LessonFile, MistakeFile, NumberFile,
    OverviewFile, ProbeFile, ReachFile, StepFile, StepKindName,
};
use super::model::{Lesson, Mistake, OnAws, OnWindows, Step, StepKind, Task, runs_on_the_computer};
use super::overview::{CostItem, Overview};
use crate::aws_cli::Query;
use crate::check::{AwsProbe, Bind, Case, Check, Expect, Probe, Reach, Route};
use crate::lang::Lang;
use crate::text::Text;

/// Names the session binds itself, which a lesson's binding may not take.
const GIVEN: &[&str] = &["myip", "free_type"];

/// What reading one file gave.
#[derive(Debug)]
pub struct Loaded {
    /// The lesson, when the file has no errors (warnings allowed).
    pub lesson: Option<Lesson>,
    pub diagnostics: Vec<Diagnostic>,
    /// What rules across lessons need, whenever the file could be read at all, even with
    /// errors: a broken lesson still claims its id.
    pub header: Option<Header>,
}

/// A lesson's id and `requires`, with where they stand in the file.
#[derive(Debug, Clone)]
pub struct Header {
    pub file: String,
    pub id: String,
    pub requires: Vec<String>,
    /// Line and column of `id`.
    pub id_at: (usize, usize),
    /// Line and column of each `requires` entry.
    pub requires_at: Vec<(usize, usize)>,
}

/// Reads the lesson in `src`, naming it `file` in diagnostics.
pub fn load(file: &str, src: &str) -> Loaded {
    if let Some(message) = super::bounds::file_too_large(src.len() as u64) {
        let locator = Locator::new(file, src, None);
        return Loaded {
            lesson: None,
            diagnostics: vec![locator.at_span(None, Severity::Error, message)],
            header: None,
        };
    }
    let root = match DeTable::parse(src) {
        Ok(root) => root,
        Err(error) => {
            let locator = Locator::new(file, src, None);
            return Loaded {
                lesson: None,
                diagnostics: vec![locator.at_span(error.span(), Severity::Error, error.message())],
                header: None,
            };
        }
    };
    let locator = Locator::new(file, src, Some(root.clone()));
    let over = super::bounds::check(&locator, &root);
    if !over.is_empty() {
        return Loaded {
            lesson: None,
            diagnostics: over,
            header: None,
        };
    }
    let mut report = Report {
        locator: &locator,
        diagnostics: Vec::new(),
    };

    if !report.version_is_readable(root.get_ref()) {
        return report.finish(None, None);
    }
    let positions = positions(&locator, &root);
    let parsed = match LessonFile::deserialize(Deserializer::from(root)) {
        Ok(parsed) => parsed,
        Err(error) => {
            report.diagnostics.push(locator.at_span(
                error.span(),
                Severity::Error,
                error.message(),
            ));
            return report.finish(None, None);
        }
    };
    let (id_at, requires_at) = positions;
    let header = Header {
        file: file.to_string(),
        id: parsed.id.clone(),
        requires: parsed.requires.clone(),
        id_at,
        requires_at,
    };
    let mut lesson = report.lesson(parsed, file);
    lesson.digest = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(src.as_bytes()));
    report.finish(Some(lesson), Some(header))
}

/// Where `id` and each `requires` entry stand.
fn positions(
    locator: &Locator<'_>,
    root: &toml::Spanned<DeTable<'_>>,
) -> ((usize, usize), Vec<(usize, usize)>) {
    let position = |path: &[Seg<'_>]| {
        let diagnostic = locator.at(path, Severity::Error, "");
        (diagnostic.line, diagnostic.col)
    };
    let requires = match root.get_ref().get("requires").map(|value| value.get_ref()) {
        Some(DeValue::Array(items)) => (0..items.len())
            .map(|index| position(&[Seg::Key("requires"), Seg::Index(index)]))
            .collect(),
        _ => Vec::new(),
    };
    (position(&[Seg::Key("id")]), requires)
}

/// What of the emulator's own a task uses, if anything: its clock, its bill, its SSH record.
fn emulator_only(task: &Task) -> Option<&'static str> {
    if task.solution.iter().any(|line| moves_clock(line)) {
        return Some("`clock advance`");
    }
    task.checks.iter().find_map(|check| match &check.probe {
        Probe::Emulator(route) => Some(match route.name() {
            "bill" => "the emulator's bill (`probe.emulator = \"bill\"`)",
            _ => "the emulator's record of SSH logins (`probe.emulator = \"events\"`)",
        }),
        _ => None,
    })
}

fn moves_clock(line: &str) -> bool {
    let mut words = line.split_whitespace();
    words.next() == Some("clock") && words.next() == Some("advance")
}

/// Collects diagnostics while a file is turned into a [`Lesson`].
struct Report<'a> {
    locator: &'a Locator<'a>,
    diagnostics: Vec<Diagnostic>,
}

impl Report<'_> {
    fn error(&mut self, path: &[Seg<'_>], message: impl Into<String>) {
        let diagnostic = self.locator.at(path, Severity::Error, message);
        self.diagnostics.push(diagnostic);
    }

    fn finish(mut self, lesson: Option<Lesson>, header: Option<Header>) -> Loaded {
        self.diagnostics.sort_by_key(|d| (d.line, d.col));
        let has_errors = self
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error);
        Loaded {
            lesson: if has_errors { None } else { lesson },
            diagnostics: self.diagnostics,
            header,
        }
    }

    /// Refuses files written for a newer cloudlings before their (possibly new) fields are
    /// reported as unknown, which would be misleading.
    fn version_is_readable(&mut self, root: &DeTable<'_>) -> bool {
        let path = [Seg::Key("format_version")];
        match root.get("format_version").map(|value| value.get_ref()) {
            None => {
                self.error(
                    &[],
                    format!("missing `format_version`: add `format_version = {FORMAT_VERSION}` at the top"),
                );
                false
            }
            Some(DeValue::Integer(number)) => match number.as_str().parse::<u64>() {
                Ok(version) if version == u64::from(FORMAT_VERSION) => true,
                Ok(version) if version > u64::from(FORMAT_VERSION) => {
                    self.error(
                        &path,
                        format!(
                            "this lesson is written in format version {version}, but this cloudlings reads version {FORMAT_VERSION} at most: upgrade cloudlings to use it"
                        ),
                    );
                    false
                }
                _ => {
                    self.error(
                        &path,
                        format!("unsupported format version: this cloudlings reads version {FORMAT_VERSION}"),
                    );
                    false
                }
            },
            // Let serde say what type was expected.
            Some(_) => true,
        }
    }

    fn lesson(&mut self, file: LessonFile, name: &str) -> Lesson {
        check_id(self, &file.id, &[Seg::Key("id")]);
        self.text(&file.title, &[Seg::Key("title")]);
        self.text(&file.summary, &[Seg::Key("summary")]);
        if file.steps.is_empty() {
            self.error(&[Seg::Key("steps")], "a lesson needs at least one step");
        }
        let mut seen = HashSet::new();
        let mut steps = Vec::new();
        for (index, step) in file.steps.into_iter().enumerate() {
            let path = [Seg::Key("steps"), Seg::Index(index)];
            if !seen.insert(step.id.clone()) {
                self.error(
                    &[path[0], path[1], Seg::Key("id")],
                    format!("duplicate step id `{}` in this lesson", step.id),
                );
            }
            if let Some(step) = self.step(step, &path) {
                steps.push(step);
            }
        }
        let overview = self.overview(file.overview.as_ref());
        for (index, required) in file.requires.iter().enumerate() {
            if *required == file.id {
                self.error(
                    &[Seg::Key("requires"), Seg::Index(index)],
                    "a lesson cannot require itself",
                );
            }
        }
        let reach = self.reach(file.reach);
        Lesson {
            id: file.id,
            order: file.order,
            title: file.title,
            summary: file.summary,
            requires: file.requires,
            overview,
            steps,
            file: name.to_string(),
            reach,
            digest: String::new(),
        }
    }

    /// What the lesson declares it reaches, checked: paths a probe could name, host names
    /// without a scheme, port or path.
    fn reach(&mut self, file: Option<ReachFile>) -> Reach {
        let Some(ReachFile { files, hosts }) = file else {
            return Reach::default();
        };
        for (index, path) in files.iter().enumerate() {
            if path.trim().is_empty() || path.chars().any(char::is_control) {
                self.error(
                    &[Seg::Key("reach"), Seg::Key("files"), Seg::Index(index)],
                    "a path to reach is written as a probe names it: `~/.ssh/config`, `/etc/app/`",
                );
            }
        }
        for (index, host) in hosts.iter().enumerate() {
            let name = host.trim_end_matches('.');
            let valid = !name.is_empty()
                && name.len() <= 253
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
            if !valid {
                self.error(
                    &[Seg::Key("reach"), Seg::Key("hosts"), Seg::Index(index)],
                    format!("`{host}` is not a host name: write `example.com`, without `http://`, a port or a path"),
                );
            }
        }
        Reach { files, hosts }
    }

    /// The overview, checked: there, a sensible duration, instances the price table knows.
    fn overview(&mut self, file: Option<&OverviewFile>) -> Overview {
        let Some(file) = file else {
            let diagnostic = self.locator.at_key(
                &[Seg::Key("id")],
                Severity::Error,
                "missing `[overview]`: add `minutes`, `builds` and `aws_cost` (what the lesson \
                 takes, what the learner builds, what it bills on AWS) before the first step",
            );
            self.diagnostics.push(diagnostic);
            return Overview {
                minutes: 0,
                builds: crate::text::Text {
                    en: String::new(),
                    ko: None,
                },
                aws_cost: Vec::new(),
            };
        };
        let at = |key| [Seg::Key("overview"), Seg::Key(key)];
        if !(1..=240).contains(&file.minutes) {
            self.error(
                &at("minutes"),
                "`minutes` is the lesson's length in a classroom, from 1 to 240",
            );
        }
        if file.builds.en.trim().is_empty() {
            self.error(
                &at("builds"),
                "`builds` says what the learner builds: write it",
            );
        } else {
            self.text(&file.builds, &at("builds"));
        }
        let mut aws_cost = Vec::new();
        for (index, item) in file.aws_cost.iter().enumerate() {
            let path = [
                Seg::Key("overview"),
                Seg::Key("aws_cost"),
                Seg::Index(index),
            ];
            match (&item.instance, item.hours, item.service) {
                (Some(kind), Some(hours), None) => {
                    let windows = item.windows;
                    if cloudlings_core::prices::hourly(
                        cloudlings_core::catalog::DEFAULT_REGION,
                        kind,
                        windows,
                    )
                    .is_none()
                    {
                        let known = cloudlings_core::prices::TYPES.join(", ");
                        self.error(
                            &[path[0], path[1], path[2], Seg::Key("instance")],
                            format!("the price table has no `{kind}`; it prices {known}"),
                        );
                    } else if !(hours.is_finite() && hours > 0.0) {
                        self.error(
                            &[path[0], path[1], path[2], Seg::Key("hours")],
                            "`hours` is how long the instance runs, more than 0",
                        );
                    } else {
                        aws_cost.push(CostItem::Instance {
                            instance_type: kind.clone(),
                            windows,
                            hours,
                        });
                    }
                }
                (None, None, Some(service)) if !item.windows => {
                    aws_cost.push(CostItem::Light(service));
                }
                _ => self.error(
                    &path,
                    "a cost is either `{ instance = \"t3.micro\", hours = 1 }` (with \
                     `windows = true` for Windows) or `{ service = \"s3\" }`",
                ),
            }
        }
        Overview {
            minutes: file.minutes,
            builds: file.builds.clone(),
            aws_cost,
        }
    }

    fn step(&mut self, step: StepFile, path: &[Seg<'_>]) -> Option<Step> {
        let at = |key| [path[0], path[1], Seg::Key(key)];
        check_id(self, &step.id, &at("id"));
        if let Some(title) = &step.title {
            self.text(title, &at("title"));
        }
        self.text(&step.text, &at("text"));
        for (index, hint) in step.hints.iter().enumerate() {
            let hint_path = [path[0], path[1], Seg::Key("hints"), Seg::Index(index)];
            if hint.en.trim().is_empty() {
                self.error(&hint_path, "empty hint: write the hint or remove it");
            } else {
                self.text(hint, &hint_path);
            }
        }
        if let Some(explanation) = &step.explanation {
            self.text(explanation, &at("explanation"));
        }
        self.fields_belong(&step, path);
        let kind = match step.kind {
            StepKindName::Read => Some(StepKind::Read),
            StepKindName::Quiz => self.quiz(&step, path).map(StepKind::Quiz),
            StepKindName::Task => self.task(&step, path).map(StepKind::Task),
        }?;
        let on_aws = self.on_aws(&step, &kind, path);
        let on_windows = self.on_windows(&step, &kind, path);
        let console = step.console.as_ref().map(|console| {
            self.text(
                &console.text,
                &[path[0], path[1], Seg::Key("console"), Seg::Key("text")],
            );
            console.text.clone()
        });
        Some(Step {
            id: step.id,
            title: step.title,
            text: step.text,
            hints: step.hints,
            explanation: step.explanation,
            kind,
            on_aws,
            on_windows,
            console,
        })
    }

    /// `on_windows`, checked: a task whose solutions run `!` lines needs PowerShell's line for
    /// each, since `sh`'s do not run there; and every line it gives is one the step runs.
    fn on_windows(
        &mut self,
        step: &StepFile,
        kind: &StepKind,
        path: &[Seg<'_>],
    ) -> Option<OnWindows> {
        let at = |key| [path[0], path[1], Seg::Key("on_windows"), Seg::Key(key)];
        let (solutions, mistakes): (Vec<&String>, Vec<&String>) = match kind {
            StepKind::Task(task) => {
                let on_aws = step.on_aws.as_ref().and_then(|on| on.solution.as_ref());
                let solutions = task.solution.iter().chain(on_aws.into_iter().flatten());
                let mistakes = task.mistakes.iter().flat_map(|mistake| &mistake.run);
                (solutions.collect(), mistakes.collect())
            }
            _ => (Vec::new(), Vec::new()),
        };
        let file = step.on_windows.as_ref();
        let given: Vec<(String, String)> = file
            .and_then(|file| file.commands.as_ref())
            .into_iter()
            .flatten()
            .map(|command| (command.sh.clone(), command.powershell.clone()))
            .collect();
        let missing = solutions
            .iter()
            .filter(|line| runs_on_the_computer(line))
            .find(|line| !given.iter().any(|(sh, _)| sh == **line));
        if let Some(line) = missing {
            let (place, advice) = match file {
                None => (
                    vec![path[0], path[1], Seg::Key("solution")],
                    "add `on_windows` with its text and `commands`".to_string(),
                ),
                Some(_) => (
                    at("commands").to_vec(),
                    "add it to `on_windows.commands`, as written if PowerShell runs it so"
                        .to_string(),
                ),
            };
            let diagnostic = self.locator.at(
                &place,
                Severity::Warning,
                format!("`{line}` runs in sh here and in PowerShell on Windows: {advice}"),
            );
            self.diagnostics.push(diagnostic);
        }
        let file = file?;
        self.text(&file.text, &at("text"));
        for (index, hint) in file.hints.iter().flatten().enumerate() {
            let hint_path = [
                path[0],
                path[1],
                Seg::Key("on_windows"),
                Seg::Key("hints"),
                Seg::Index(index),
            ];
            if hint.en.trim().is_empty() {
                self.error(&hint_path, "empty hint: write the hint or remove it");
            } else {
                self.text(hint, &hint_path);
            }
        }
        for (index, (sh, powershell)) in given.iter().enumerate() {
            let command_path = [
                path[0],
                path[1],
                Seg::Key("on_windows"),
                Seg::Key("commands"),
                Seg::Index(index),
            ];
            let runs = solutions.iter().chain(&mistakes).any(|line| *line == sh);
            if !runs_on_the_computer(sh) || !runs {
                self.error(
                    &command_path,
                    format!("`{sh}` is not a `!` line of this step's solutions or mistakes"),
                );
            } else if powershell.trim().is_empty() {
                self.error(
                    &command_path,
                    "`powershell` needs the line to run on Windows",
                );
            } else if given[..index].iter().any(|(earlier, _)| earlier == sh) {
                self.error(&command_path, format!("`{sh}` is given twice"));
            }
        }
        Some(OnWindows {
            text: file.text.clone(),
            hints: file.hints.clone(),
            commands: given,
        })
    }

    /// `on_aws`, checked: required by a task that uses what only the emulator has, and its
    /// solution cannot move a clock AWS does not have.
    fn on_aws(&mut self, step: &StepFile, kind: &StepKind, path: &[Seg<'_>]) -> Option<OnAws> {
        let at = |key| [path[0], path[1], Seg::Key("on_aws"), Seg::Key(key)];
        let power = match kind {
            StepKind::Task(task) => emulator_only(task),
            // A reading or a question that has the learner move the clock.
            _ => step
                .text
                .en
                .lines()
                .any(moves_clock)
                .then_some("`clock advance`"),
        };
        if let (Some(power), None) = (power, &step.on_aws) {
            let diagnostic = self.locator.at(
                path,
                Severity::Warning,
                format!(
                    "this step uses {power}, which only the emulator has: add `on_aws` to say \
                     what to do on a real AWS account"
                ),
            );
            self.diagnostics.push(diagnostic);
        }
        let file = step.on_aws.as_ref()?;
        self.text(&file.text, &at("text"));
        if file.solution.is_some() && !matches!(kind, StepKind::Task(_)) {
            self.error(&at("solution"), "`on_aws.solution` belongs to task steps");
        }
        if let Some(solution) = &file.solution {
            if solution.is_empty() || solution.iter().any(|line| line.trim().is_empty()) {
                self.error(
                    &at("solution"),
                    "`on_aws.solution` needs at least one command, and no empty ones",
                );
            } else if solution.iter().any(|line| moves_clock(line)) {
                self.error(
                    &at("solution"),
                    "AWS's clock cannot be moved: wait instead (`aws … wait`)",
                );
            }
        }
        Some(OnAws {
            text: file.text.clone(),
            solution: file.solution.clone(),
        })
    }

    /// Reports fields that the step's kind does not use: they would be silently ignored.
    fn fields_belong(&mut self, step: &StepFile, path: &[Seg<'_>]) {
        let present = [
            ("choices", step.choices.is_some(), StepKindName::Quiz),
            ("answer", step.answer.is_some(), StepKindName::Quiz),
            ("number", step.number.is_some(), StepKindName::Quiz),
            ("tolerance", step.tolerance.is_some(), StepKindName::Quiz),
            ("unit", step.unit.is_some(), StepKindName::Quiz),
            ("accept", step.accept.is_some(), StepKindName::Quiz),
            ("checks", step.checks.is_some(), StepKindName::Task),
            ("solution", step.solution.is_some(), StepKindName::Task),
            (
                "solution_after_attempt",
                step.solution_after_attempt.is_some(),
                StepKindName::Task,
            ),
            ("binds", step.binds.is_some(), StepKindName::Task),
            ("mistakes", step.mistakes.is_some(), StepKindName::Task),
            ("console", step.console.is_some(), StepKindName::Task),
        ];
        for (field, is_set, owner) in present {
            if is_set && step.kind != owner {
                let kind = kind_name(owner);
                let this = kind_name(step.kind);
                let diagnostic = self.locator.at_key(
                    &[path[0], path[1], Seg::Key(field)],
                    Severity::Error,
                    format!("`{field}` belongs to {kind} steps, and this is a {this} step"),
                );
                self.diagnostics.push(diagnostic);
            }
        }
    }

    fn quiz(&mut self, step: &StepFile, path: &[Seg<'_>]) -> Option<Answer> {
        let at = |key| [path[0], path[1], Seg::Key(key)];
        let forms = [
            step.choices.is_some() || step.answer.is_some(),
            step.number.is_some() || step.tolerance.is_some(),
            step.accept.is_some(),
        ];
        match forms.iter().filter(|form| **form).count() {
            1 => {}
            0 => {
                self.error(
                    path,
                    "a quiz needs an answer: `choices` with `answer`, a `number`, or `accept`",
                );
                return None;
            }
            _ => {
                self.error(
                    path,
                    "a quiz has one kind of answer: `choices` with `answer`, a `number`, or `accept`, not several",
                );
                return None;
            }
        }
        if step.unit.is_some() && step.number.is_none() {
            self.error(&at("unit"), "`unit` goes with a `number` answer");
        }
        if let Some(accept) = &step.accept {
            if accept.is_empty() || accept.iter().any(|a| a.trim().is_empty()) {
                self.error(
                    &at("accept"),
                    "`accept` needs at least one non-empty answer",
                );
                return None;
            }
            return Some(Answer::Text {
                accept: accept.clone(),
            });
        }
        if step.number.is_none() && step.tolerance.is_some() {
            self.error(&at("tolerance"), "`tolerance` goes with a `number` answer");
            return None;
        }
        if let Some(number) = &step.number {
            let value = match number {
                NumberFile::Value(value) => *value,
                NumberFile::Fact(text) => {
                    let fact = text
                        .strip_prefix('{')
                        .and_then(|rest| rest.strip_suffix('}'))
                        .and_then(crate::facts::value)
                        .and_then(|value| value.parse::<f64>().ok());
                    match fact {
                        Some(value) => value,
                        None => {
                            self.error(
                                &at("number"),
                                format!(
                                    "`number = \"{text}\"` is neither a number nor a fact such as \
                                     \"{{cost:t2.micro:10}}\""
                                ),
                            );
                            return None;
                        }
                    }
                }
            };
            let tolerance = step.tolerance.unwrap_or(0.0);
            if !value.is_finite() {
                self.error(&at("number"), "`number` must be a finite number");
                return None;
            }
            if !(tolerance.is_finite() && tolerance >= 0.0) {
                self.error(&at("tolerance"), "`tolerance` must be zero or more");
                return None;
            }
            if let Some(unit) = &step.unit {
                self.text(unit, &at("unit"));
            }
            return Some(Answer::Number {
                value,
                tolerance,
                unit: step.unit.clone(),
            });
        }
        let (Some(choices), Some(answer)) = (&step.choices, step.answer) else {
            let missing = if step.choices.is_none() {
                "choices"
            } else {
                "answer"
            };
            self.error(path, format!("a multiple-choice quiz needs both `choices` and `answer`; `{missing}` is missing"));
            return None;
        };
        if choices.len() < 2 {
            self.error(
                &at("choices"),
                "a multiple-choice quiz needs at least two choices",
            );
            return None;
        }
        for (index, choice) in choices.iter().enumerate() {
            self.text(
                choice,
                &[path[0], path[1], Seg::Key("choices"), Seg::Index(index)],
            );
        }
        let count = choices.len();
        if answer == 0 || answer as usize > count {
            self.error(
                &at("answer"),
                format!("`answer` is the number of the right choice, from 1 to {count}"),
            );
            return None;
        }
        Some(Answer::Choice {
            choices: choices.clone(),
            correct: answer as usize - 1,
        })
    }

    fn task(&mut self, step: &StepFile, path: &[Seg<'_>]) -> Option<Task> {
        let at = |key| [path[0], path[1], Seg::Key(key)];
        let checks = match &step.checks {
            Some(checks) if !checks.is_empty() => checks,
            _ => {
                self.error(path, "a task needs at least one entry in `checks`");
                return None;
            }
        };
        let solution = match &step.solution {
            Some(solution)
                if !solution.is_empty() && solution.iter().all(|c| !c.trim().is_empty()) =>
            {
                solution
            }
            Some(_) => {
                self.error(
                    &at("solution"),
                    "`solution` needs at least one command, and no empty ones",
                );
                return None;
            }
            None => {
                self.error(path, "a task needs a `solution`: the commands that do it");
                return None;
            }
        };
        let checks: Vec<_> = checks
            .iter()
            .enumerate()
            .map(|(index, check)| {
                self.check(
                    check,
                    &[path[0], path[1], Seg::Key("checks"), Seg::Index(index)],
                )
            })
            .collect();
        let binds: Vec<_> = step
            .binds
            .iter()
            .flatten()
            .enumerate()
            .map(|(index, bind)| {
                self.bind(
                    bind,
                    &[path[0], path[1], Seg::Key("binds"), Seg::Index(index)],
                )
            })
            .collect();
        let mistakes: Vec<_> = step
            .mistakes
            .iter()
            .flatten()
            .enumerate()
            .map(|(index, mistake)| {
                self.mistake(
                    mistake,
                    &[path[0], path[1], Seg::Key("mistakes"), Seg::Index(index)],
                )
            })
            .collect();
        Some(Task {
            checks: checks.into_iter().collect::<Option<_>>()?,
            solution: solution.clone(),
            solution_after_attempt: step.solution_after_attempt.unwrap_or(false),
            binds: binds.into_iter().collect::<Option<_>>()?,
            mistakes: mistakes.into_iter().collect::<Option<_>>()?,
        })
    }

    fn mistake(&mut self, mistake: &MistakeFile, path: &[Seg<'_>]) -> Option<Mistake> {
        let at = |key| below(path, &[Seg::Key(key)]);
        if mistake.name.trim().is_empty() {
            self.error(
                &at("name"),
                "a mistake needs a `name`: what the learner did",
            );
            return None;
        }
        if mistake.run.is_empty() || mistake.run.iter().any(|line| line.trim().is_empty()) {
            self.error(
                &at("run"),
                "`run` needs at least one command, and no empty ones",
            );
            return None;
        }
        let binds: Vec<_> = mistake
            .binds
            .iter()
            .flatten()
            .enumerate()
            .map(|(index, bind)| {
                self.bind(bind, &below(path, &[Seg::Key("binds"), Seg::Index(index)]))
            })
            .collect();
        Some(Mistake {
            name: mistake.name.clone(),
            run: mistake.run.clone(),
            binds: binds.into_iter().collect::<Option<_>>()?,
            harmless: mistake.harmless,
        })
    }

    fn case(&mut self, case: &CaseFile, path: &[Seg<'_>]) -> Option<Case> {
        let at = |key| below(path, &[Seg::Key(key)]);
        self.text(&case.reason, &at("reason"));
        let probe = match &case.probe {
            Some(probe) => Some(Some(self.probe(probe, &at("probe"))?)),
            None => Some(None),
        };
        let query = self.query(case.query.as_deref(), &at("query"));
        let expect = match Expect::new(case.expect, case.value.clone()) {
            Ok(expect) => Some(expect),
            Err(error) => {
                let key = if case.value.is_some() {
                    "value"
                } else {
                    "expect"
                };
                self.error(&at(key), error);
                None
            }
        };
        Some(Case {
            probe: probe?,
            query: query?,
            expect: expect?,
            reason: case.reason.clone(),
        })
    }

    fn check(&mut self, check: &CheckFile, path: &[Seg<'_>]) -> Option<Check> {
        let at = |key| [path[0], path[1], path[2], path[3], Seg::Key(key)];
        self.text(&check.label, &at("label"));
        self.text(&check.reason, &at("reason"));
        if let Some(why) = &check.holds_before {
            self.text(why, &at("holds_before"));
        }
        let probe = self.probe(&check.probe, &at("probe"));
        let query = self.query(check.query.as_deref(), &at("query"));
        let expect = match Expect::new(check.expect, check.value.clone()) {
            Ok(expect) => Some(expect),
            Err(error) => {
                let key = if check.value.is_some() {
                    "value"
                } else {
                    "expect"
                };
                self.error(&at(key), error);
                None
            }
        };
        let cases: Vec<_> = check
            .cases
            .iter()
            .flatten()
            .enumerate()
            .map(|(index, case)| {
                self.case(case, &below(path, &[Seg::Key("cases"), Seg::Index(index)]))
            })
            .collect();
        Some(Check {
            label: check.label.clone(),
            reason: check.reason.clone(),
            probe: probe?,
            query: query?,
            expect: expect?,
            holds_before: check.holds_before.clone(),
            cases: cases.into_iter().collect::<Option<_>>()?,
        })
    }

    fn bind(&mut self, bind: &BindFile, path: &[Seg<'_>]) -> Option<Bind> {
        let at = |key| {
            let mut at = path.to_vec();
            at.push(Seg::Key(key));
            at
        };
        let valid = !bind.name.is_empty()
            && !bind.name.starts_with(|c: char| c.is_ascii_digit())
            && bind
                .name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid {
            self.error(
                &at("name"),
                format!(
                    "`{}` is not a binding name: use lower-case letters, digits and `_`",
                    bind.name
                ),
            );
        } else if GIVEN.contains(&bind.name.as_str()) {
            self.error(
                &at("name"),
                format!(
                    "`{}` is given by cloudlings (the learner's address, the free plan's type): choose another name",
                    bind.name
                ),
            );
        }
        let probe = self.probe(&bind.probe, &at("probe"));
        let query = self.query(Some(&bind.query), &at("query"));
        Some(Bind {
            name: bind.name.clone(),
            probe: probe?,
            query: query??,
        })
        .filter(|_| valid && !GIVEN.contains(&bind.name.as_str()))
    }

    /// What a check or a binding looks at.
    fn probe(&mut self, probe: &ProbeFile, path: &[Seg<'_>]) -> Option<Probe> {
        let set = [
            probe.file.is_some(),
            probe.aws.is_some(),
            probe.http.is_some(),
            probe.image.is_some(),
            probe.emulator.is_some(),
        ];
        if set.iter().filter(|set| **set).count() > 1 {
            self.error(
                path,
                "a probe looks at one thing: `probe.file`, `probe.aws`, `probe.http`, \
                 `probe.image` or `probe.emulator`",
            );
            return None;
        }
        if let Some(file) = &probe.file {
            if file.trim().is_empty() {
                self.error(path, "`probe.file` needs a path");
                return None;
            }
            return Some(Probe::File(file.clone()));
        }
        if let Some(call) = &probe.aws {
            return match AwsProbe::parse(call) {
                Ok(probe) => Some(Probe::Aws(probe)),
                Err(reason) => {
                    self.error(path, format!("`probe.aws = \"{call}\"`: {reason}"));
                    None
                }
            };
        }
        if let Some(url) = &probe.http {
            if !url.starts_with("http://") || url.len() <= "http://".len() {
                self.error(
                    path,
                    format!("`probe.http = \"{url}\"` needs an `http://` address"),
                );
                return None;
            }
            return Some(Probe::Http(url.clone()));
        }
        if let Some(page) = &probe.image {
            if !page.starts_with("http://") || page.len() <= "http://".len() {
                self.error(
                    path,
                    format!("`probe.image = \"{page}\"` needs the `http://` address of a page"),
                );
                return None;
            }
            return Some(Probe::Image(page.clone()));
        }
        if let Some(route) = &probe.emulator {
            let parsed = Route::parse(route);
            if parsed.is_none() {
                self.error(
                    path,
                    format!("`probe.emulator = \"{route}\"`: it reads `bill` or `events`"),
                );
            }
            return parsed.map(Probe::Emulator);
        }
        self.error(
            path,
            "a probe says what to look at, e.g. `probe.file = \"key.pem\"`",
        );
        None
    }

    /// A JMESPath query, compiled once; `Some(None)` when there is none.
    fn query(&mut self, query: Option<&str>, path: &[Seg<'_>]) -> Option<Option<Query>> {
        match query.map(Query::compile) {
            None => Some(None),
            Some(Ok(query)) => Some(Some(query)),
            Some(Err(error)) => {
                // The library's message spans lines (expression and caret); the first says it.
                let first = error.lines().next().unwrap_or_default();
                self.error(path, format!("invalid JMESPath query: {first}"));
                None
            }
        }
    }

    /// English is required; a missing Korean text is reported as a warning.
    fn text(&mut self, text: &Text, path: &[Seg<'_>]) {
        if !text.has(Lang::En) {
            let mut en = path.to_vec();
            en.push(Seg::Key("en"));
            self.error(&en, "empty English text: English is required");
        } else if !text.has(Lang::Ko) {
            let diagnostic =
                self.locator
                    .at(path, Severity::Warning, "missing Korean translation (`ko`)");
            self.diagnostics.push(diagnostic);
        }
        for lang in [Lang::En, Lang::Ko] {
            if let Some(fact) = crate::facts::typed_price(text.get(lang)) {
                let diagnostic = self.locator.at(
                    path,
                    Severity::Warning,
                    format!(
                        "{} is a price of the table the emulator bills with: write `{{{fact}}}` \
                         so the text follows it",
                        fact_value(&fact)
                    ),
                );
                self.diagnostics.push(diagnostic);
            }
        }
        if let Some(both) = crate::lang::particle::both_forms(text.get(Lang::Ko)) {
            let diagnostic = self.locator.at(
                path,
                Severity::Warning,
                format!(
                    "the Korean text writes a particle in both forms, {both}: write the one that \
                     agrees; after a `{{name}}` either form becomes the one that agrees with its value"
                ),
            );
            self.diagnostics.push(diagnostic);
        }
        if let Some((code, written, agrees)) = crate::lang::particle::after_code(text.get(Lang::Ko))
        {
            let diagnostic = self.locator.at(
                path,
                Severity::Warning,
                format!(
                    "the Korean particle after `{code}` is {written}; read aloud, the code takes \
                     {agrees}"
                ),
            );
            self.diagnostics.push(diagnostic);
        }
    }
}

/// Where a value below `path` is: `path`, then `more`.
fn below<'a>(path: &[Seg<'a>], more: &[Seg<'a>]) -> Vec<Seg<'a>> {
    path.iter().chain(more).copied().collect()
}

fn fact_value(fact: &str) -> String {
    crate::facts::value(fact).unwrap_or_default()
}

fn kind_name(kind: StepKindName) -> &'static str {
    match kind {
        StepKindName::Read => "read",
        StepKindName::Quiz => "quiz",
        StepKindName::Task => "task",
    }
}

/// Ids are used in commands (`start what-is-the-cloud`) and as keys of saved progress.
fn check_id(report: &mut Report<'_>, id: &str, path: &[Seg<'_>]) {
    let valid = !id.is_empty()
        && id.len() <= 64
        && id.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !valid {
        report.error(
            path,
            format!("invalid id `{id}`: use lower-case letters, digits and dashes, starting with a letter or digit"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workstation::Platform;

    const HEAD: &str = "format_version = 1\nid = \"t\"\norder = 1\ntitle = { en = \"T\", ko = \"T\" }\nsummary = { en = \"S\", ko = \"S\" }\n";

    /// Appended, so that the line numbers of the step stay as they read.
    const OVERVIEW: &str = "[overview]\nminutes = 5\nbuilds = { en = \"B\", ko = \"B\" }\n";

    /// Loads a lesson made of `HEAD` and one step, returning its messages as `line:col: message`.
    fn problems(step: &str) -> Vec<String> {
        let src = format!("{HEAD}\n[[steps]]\n{step}\n{OVERVIEW}");
        load("t.toml", &src)
            .diagnostics
            .iter()
            .map(|d| format!("{}:{}: {}", d.line, d.col, d.message))
            .collect()
    }

    fn step(kind: &str, rest: &str) -> String {
        format!("id = \"s\"\nkind = \"{kind}\"\ntext = {{ en = \"x\", ko = \"x\" }}\n{rest}")
    }

    #[test]
    fn a_korean_particle_in_both_forms_is_warned() {
        let text = |ko: &str| {
            format!("id = \"s\"\nkind = \"read\"\ntext = {{ en = \"x\", ko = \"{ko}\" }}")
        };
        let warned = problems(&text("{id}을(를) 지우세요"));
        assert_eq!(warned.len(), 1, "{warned:?}");
        assert!(
            warned[0].contains("writes a particle in both forms, (를)"),
            "{warned:?}"
        );
        assert_eq!(problems(&text("{id}를 지우세요")), Vec::<String>::new());
        let warned = problems(&text("`--count 1`으로 시작하세요"));
        assert!(
            warned.len() == 1
                && warned[0].contains("after `--count 1` is 으로")
                && warned[0].contains("takes 로"),
            "{warned:?}"
        );
    }

    #[test]
    fn console_directions_belong_to_a_task_and_want_korean() {
        let check = "[[steps.checks]]\nlabel = { en = \"l\", ko = \"l\" }\n\
                     reason = { en = \"r\", ko = \"r\" }\nprobe.file = \"a.txt\"\n\
                     query = \"exists\"\nexpect = \"==\"\nvalue = true";
        let console = |ko: &str| format!("[steps.console]\ntext = {{ en = \"EC2 › Launch\"{ko} }}");
        let task = |console: &str| {
            problems(&step(
                "task",
                &format!("solution = [\"clock\"]\n{check}\n{console}"),
            ))
        };
        assert_eq!(
            task(&console(", ko = \"EC2 › 인스턴스 시작\"")),
            Vec::<String>::new()
        );
        let warned = task(&console(""));
        assert!(
            warned.len() == 1 && warned[0].ends_with("missing Korean translation (`ko`)"),
            "{warned:?}"
        );
        let warned = problems(&step("read", &console(", ko = \"콘솔\"")));
        assert!(
            warned.len() == 1
                && warned[0].ends_with("`console` belongs to task steps, and this is a read step"),
            "{warned:?}"
        );
        let course = load(
            "t.toml",
            &format!(
                "{HEAD}\n[[steps]]\n{}\n{OVERVIEW}",
                step(
                    "task",
                    &format!(
                        "solution = [\"clock\"]\n{check}\n{}",
                        console(", ko = \"콘솔\"")
                    )
                )
            ),
        );
        let lesson = course.lesson.expect("a lesson");
        assert_eq!(
            lesson.steps[0]
                .console
                .as_ref()
                .map(|text| text.en.as_str()),
            Some("EC2 › Launch")
        );
    }

    #[test]
    fn a_line_for_the_computer_needs_its_windows_line() {
        let check = "[[steps.checks]]\nlabel = { en = \"l\", ko = \"l\" }\n\
                     reason = { en = \"r\", ko = \"r\" }\nprobe.file = \"a.txt\"\n\
                     query = \"exists\"\nexpect = \"==\"\nvalue = true";
        let task = |windows: &str| {
            problems(&step(
                "task",
                &format!("solution = [\"!touch a.txt\", \"clock\"]\n{check}\n{windows}"),
            ))
        };
        let warned = task("");
        assert_eq!(warned.len(), 1, "{warned:?}");
        assert!(
            warned[0].starts_with("11:12: `!touch a.txt` runs in sh here and in PowerShell")
                && warned[0].ends_with("add `on_windows` with its text and `commands`"),
            "{warned:?}"
        );
        let text = "[steps.on_windows]\ntext = { en = \"w\", ko = \"윈도우\" }";
        let warned = task(text);
        assert!(
            warned.len() == 1
                && warned[0].ends_with(
                    "add it to `on_windows.commands`, as written if PowerShell runs it so"
                ),
            "{warned:?}"
        );
        let command = |sh: &str, powershell: &str| {
            format!("[[steps.on_windows.commands]]\nsh = \"{sh}\"\npowershell = \"{powershell}\"\n")
        };
        let given = command("!touch a.txt", "!New-Item a.txt");
        assert_eq!(task(&format!("{text}\n{given}")), Vec::<String>::new());
        // A line no solution runs, an empty line, a line given twice.
        let wrong = [
            command("!touch b.txt", "!New-Item b.txt"),
            command("!touch a.txt", " "),
            given,
        ]
        .concat();
        let found = task(&format!("{text}\n{wrong}"));
        let ends = [
            "`!touch b.txt` is not a `!` line of this step's solutions or mistakes",
            "`powershell` needs the line to run on Windows",
            "`!touch a.txt` is given twice",
        ];
        assert_eq!(found.len(), 3, "{found:?}");
        for (found, end) in found.iter().zip(ends) {
            assert!(found.ends_with(end), "{found} / {end}");
        }
    }

    #[test]
    fn windows_runs_its_own_lines_of_every_solution() {
        let check = "[[steps.checks]]\nlabel = { en = \"l\", ko = \"l\" }\n\
                     reason = { en = \"r\", ko = \"r\" }\nprobe.file = \"a.txt\"\n\
                     query = \"exists\"\nexpect = \"==\"\nvalue = true";
        let src = format!(
            "{HEAD}\n[[steps]]\n{}\n{check}\n\
             [steps.on_aws]\ntext = {{ en = \"a\", ko = \"a\" }}\n\
             solution = [\"!touch a.txt\", \"aws ec2 wait instance-running\"]\n\
             [steps.on_windows]\ntext = {{ en = \"w\", ko = \"w\" }}\n\
             hints = [{{ en = \"h\", ko = \"h\" }}]\n\
             [[steps.on_windows.commands]]\nsh = \"!touch a.txt\"\n\
             powershell = \"!New-Item a.txt\"\n{OVERVIEW}",
            step(
                "task",
                "solution = [\"!touch a.txt\", \"clock advance 1m\"]\nhints = [{ en = \"u\", ko = \"u\" }]"
            ),
        );
        let loaded = load("t.toml", &src);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let lesson = loaded.lesson.expect("lesson");
        let step = &lesson.steps[0];
        let lines = |on_aws, platform| step.solution(on_aws, platform).join(" / ");
        assert_eq!(
            lines(false, Platform::Unix),
            "!touch a.txt / clock advance 1m"
        );
        assert_eq!(
            lines(false, Platform::Windows),
            "!New-Item a.txt / clock advance 1m"
        );
        assert_eq!(
            lines(true, Platform::Windows),
            "!New-Item a.txt / aws ec2 wait instance-running"
        );
        assert_eq!(step.hints(Platform::Unix)[0].en, "u");
        assert_eq!(step.hints(Platform::Windows)[0].en, "h");
        assert!(step.platform_text(Platform::Unix).is_none());
        assert_eq!(
            step.platform_text(Platform::Windows).map(|t| t.en.as_str()),
            Some("w")
        );
        // A `!` line the step gives nothing for has no line on Windows.
        assert_eq!(step.command("!rm a.txt", Platform::Windows), None);
        assert_eq!(step.command("!rm a.txt", Platform::Unix), Some("!rm a.txt"));
    }

    #[test]
    fn what_only_the_emulator_has_needs_a_word_on_aws() {
        let check = "[[steps.checks]]\nlabel = { en = \"l\", ko = \"l\" }\n\
                     reason = { en = \"r\", ko = \"r\" }\nprobe.emulator = \"bill\"\n\
                     expect = \"exists\"";
        let warned = problems(&step(
            "task",
            &format!("solution = [\"clock advance 3h\"]\n{check}"),
        ));
        assert_eq!(warned.len(), 1, "{warned:?}");
        assert!(warned[0].contains("`clock advance`, which only the emulator has"));
        let on_aws = "[steps.on_aws]\ntext = { en = \"wait\", ko = \"기다려요\" }";
        assert_eq!(
            problems(&step(
                "task",
                &format!("solution = [\"clock advance 3h\"]\n{check}\n{on_aws}")
            )),
            Vec::<String>::new()
        );
        let clock_there = problems(&step(
            "task",
            &format!("solution = [\"bill\"]\n{check}\n{on_aws}\nsolution = [\"clock advance 1m\"]"),
        ));
        assert!(
            clock_there
                .iter()
                .any(|p| p.ends_with("AWS's clock cannot be moved: wait instead (`aws … wait`)")),
            "{clock_there:?}"
        );
        let read_clock = "id = \"r\"\nkind = \"read\"\n\
                          text = { en = \"Then:\\n  clock advance 2h\", ko = \"그다음\" }";
        let warned = problems(read_clock);
        assert!(
            warned.len() == 1 && warned[0].contains("this step uses `clock advance`"),
            "{warned:?}"
        );
        assert!(problems(&format!("{read_clock}\n{on_aws}")).is_empty());
        let on_a_read = problems(&step("read", &format!("{on_aws}\nsolution = [\"x\"]")));
        assert!(
            on_a_read
                .iter()
                .any(|p| p.ends_with("`on_aws.solution` belongs to task steps")),
            "{on_a_read:?}"
        );
    }

    #[test]
    fn a_lesson_needs_an_overview_with_costs_the_price_table_knows() {
        let step = step("read", "");
        let missing = load("t.toml", &format!("{HEAD}\n[[steps]]\n{step}"));
        let found: Vec<String> = missing
            .diagnostics
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("t.toml:2:1: error: missing `[overview]`"),
            "{found:?}"
        );
        let overview = "[overview]\nminutes = 0\nbuilds = { en = \"b\", ko = \"b\" }\n\
                        aws_cost = [{ instance = \"z9.huge\", hours = 1 }, { hours = 1 }, \
                        { instance = \"t3.micro\", hours = 2, windows = true }, { service = \"s3\" }]\n";
        let loaded = load("t.toml", &format!("{HEAD}\n[[steps]]\n{step}\n{overview}"));
        let found: Vec<String> = loaded
            .diagnostics
            .iter()
            .map(|d| d.message.clone())
            .collect();
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found[0].contains("from 1 to 240"), "{found:?}");
        assert!(
            found[1].contains("the price table has no `z9.huge`"),
            "{found:?}"
        );
        assert!(found[2].starts_with("a cost is either"), "{found:?}");
        let good = overview
            .replace("minutes = 0", "minutes = 20")
            .replace("{ instance = \"z9.huge\", hours = 1 }, { hours = 1 }, ", "");
        let lesson = load("t.toml", &format!("{HEAD}\n[[steps]]\n{step}\n{good}"))
            .lesson
            .expect("a lesson");
        assert_eq!(lesson.overview.minutes, 20);
        assert_eq!(lesson.overview.aws_cost.len(), 2);
        assert!(lesson.overview.on_demand() > 0.0);
    }

    #[test]
    fn a_valid_lesson_of_every_kind_loads() {
        let src = format!(
            "{HEAD}\n[[steps]]\n{}\n[[steps]]\n{}\n[[steps]]\n{}\n[[steps]]\n{}\n{OVERVIEW}",
            step("read", ""),
            step("quiz", "choices = [{ en = \"a\", ko = \"가\" }, { en = \"b\", ko = \"나\" }]\nanswer = 2").replace("\"s\"", "\"q1\""),
            step("quiz", "number = 1.5\ntolerance = 0.1").replace("\"s\"", "\"q2\""),
            step(
                "task",
                "solution = [\"clock\"]\n[[steps.checks]]\nlabel = { en = \"l\", ko = \"l\" }\nreason = { en = \"r\", ko = \"r\" }\nprobe.file = \"x\"\nexpect = \"exists\"",
            )
            .replace("\"s\"", "\"t1\""),
        );
        let loaded = load("t.toml", &src);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let lesson = loaded.lesson.expect("a lesson");
        assert_eq!(lesson.steps.len(), 4);
        assert!(matches!(
            lesson.steps[1].kind,
            StepKind::Quiz(Answer::Choice { correct: 1, .. })
        ));
        assert!(matches!(lesson.steps[3].kind, StepKind::Task(ref task) if task.checks.len() == 1));
    }

    #[test]
    fn a_quiz_has_exactly_one_kind_of_answer() {
        assert_eq!(
            problems(&step("quiz", "")),
            ["7:1: a quiz needs an answer: `choices` with `answer`, a `number`, or `accept`"]
        );
        assert_eq!(
            problems(&step("quiz", "number = 1\naccept = [\"one\"]")),
            [
                "7:1: a quiz has one kind of answer: `choices` with `answer`, a `number`, or `accept`, not several"
            ]
        );
        assert_eq!(
            problems(&step("quiz", "tolerance = 0.5")),
            ["11:13: `tolerance` goes with a `number` answer"]
        );
        assert_eq!(
            problems(&step("quiz", "answer = 1")),
            ["7:1: a multiple-choice quiz needs both `choices` and `answer`; `choices` is missing"]
        );
        assert_eq!(
            problems(&step("quiz", "number = 1\ntolerance = -1")),
            ["12:13: `tolerance` must be zero or more"]
        );
    }

    #[test]
    fn a_task_needs_checks_and_a_solution() {
        assert_eq!(
            problems(&step("task", "solution = [\"x\"]")),
            ["7:1: a task needs at least one entry in `checks`"]
        );
        let check = "[[steps.checks]]\nlabel = { en = \"l\", ko = \"l\" }\nreason = { en = \"r\", ko = \"r\" }\nprobe = {}\nexpect = \"exists\"";
        assert_eq!(
            problems(&step("task", check)),
            ["7:1: a task needs a `solution`: the commands that do it"]
        );
        assert_eq!(
            problems(&step("task", &format!("solution = [\" \"]\n{check}"))),
            ["11:12: `solution` needs at least one command, and no empty ones"]
        );
        assert_eq!(
            problems(&step("task", &format!("solution = [\"x\"]\n{check}"))),
            ["15:9: a probe says what to look at, e.g. `probe.file = \"key.pem\"`"]
        );
    }

    #[test]
    fn solution_after_attempt_is_a_task_field() {
        let check = "[[steps.checks]]\nlabel = { en = \"l\", ko = \"l\" }\nreason = { en = \"r\", ko = \"r\" }\nprobe.file = \"x\"\nexpect = \"exists\"";
        assert_eq!(
            problems(&step(
                "task",
                &format!("solution = [\"clock\"]\nsolution_after_attempt = true\n{check}")
            )),
            Vec::<String>::new()
        );
        let lesson = load(
            "t.toml",
            &format!(
                "{HEAD}\n[[steps]]\n{}\n{OVERVIEW}",
                step(
                    "task",
                    &format!("solution = [\"clock\"]\nsolution_after_attempt = true\n{check}")
                )
            ),
        )
        .lesson
        .expect("a lesson");
        let StepKind::Task(task) = &lesson.steps[0].kind else {
            panic!("a task");
        };
        assert!(task.solution_after_attempt);
        assert_eq!(
            problems(&step("read", "solution_after_attempt = true")),
            ["11:1: `solution_after_attempt` belongs to task steps, and this is a read step"]
        );
        assert_eq!(
            problems(&step(
                "task",
                "solution = [\"x\"]\nsolution_after_attempt = \"yes\""
            )),
            ["12:26: invalid type: string \"yes\", expected a boolean"]
        );
    }

    #[test]
    fn an_image_probe_needs_a_page_address() {
        let check = |probe: &str| {
            format!(
                "solution = [\"x\"]\n[[steps.checks]]\nlabel = {{ en = \"l\", ko = \"l\" }}\nreason = {{ en = \"r\", ko = \"r\" }}\n{probe}\nquery = \"host\"\nexpect = \"exists\""
            )
        };
        assert_eq!(
            problems(&step(
                "task",
                &check("probe.image = \"http://{page_dns}/\"")
            )),
            Vec::<String>::new()
        );
        assert_eq!(
            problems(&step("task", &check("probe.image = \"ftp://x/\""))),
            ["15:1: `probe.image = \"ftp://x/\"` needs the `http://` address of a page"]
        );
        assert_eq!(
            problems(&step(
                "task",
                &check("probe.image = \"http://a/\"\nprobe.http = \"http://a/\"")
            )),
            [
                "15:1: a probe looks at one thing: `probe.file`, `probe.aws`, `probe.http`, `probe.image` or `probe.emulator`"
            ]
        );
    }

    #[test]
    fn ids_and_english_text_are_checked() {
        assert_eq!(
            problems(&step("read", "").replace("\"s\"", "\"Bad Id\"")),
            [
                "8:6: invalid id `Bad Id`: use lower-case letters, digits and dashes, starting with a letter or digit"
            ]
        );
        assert_eq!(
            problems(&step("read", "").replace("en = \"x\", ko = \"x\"", "en = \"\", ko = \"x\"")),
            ["10:15: empty English text: English is required"]
        );
    }

    #[test]
    fn a_missing_format_version_is_reported_first() {
        let loaded = load("t.toml", "id = \"x\"\nunknown = 1\n");
        let messages: Vec<_> = loaded
            .diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(
            messages,
            ["missing `format_version`: add `format_version = 1` at the top"]
        );
        assert!(loaded.lesson.is_none());
    }
}
