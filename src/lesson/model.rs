//! The typed lesson model the shell works with, built from a validated [`super::format`] file.

use super::answer::Answer;
use super::overview::Overview;
use crate::check::{Bind, Check};
use crate::text::Text;
use crate::workstation::Platform;

/// A lesson, validated.
#[derive(Debug, Clone)]
pub struct Lesson {
    pub id: String,
    pub order: u32,
    pub title: Text,
    pub summary: Text,
    /// Lessons to finish first; every id names a lesson of the same course.
    pub requires: Vec<String>,
    /// How long it takes, what the learner builds, what it costs on AWS.
    pub overview: Overview,
    /// Never empty.
    pub steps: Vec<Step>,
    /// The file the lesson was read from, for messages.
    pub file: String,
    /// What it declares it reaches beyond the course folder and the cloud.
    pub reach: crate::check::Reach,
    /// The SHA-256 of the file, by which the learner's answer about its reach is remembered.
    pub digest: String,
}

impl Lesson {
    /// The position of the step with this id.
    pub fn step_index(&self, id: &str) -> Option<usize> {
        self.steps.iter().position(|step| step.id == id)
    }
}

/// One step of a lesson.
#[derive(Debug, Clone)]
pub struct Step {
    pub id: String,
    pub title: Option<Text>,
    pub text: Text,
    pub hints: Vec<Text>,
    pub explanation: Option<Text>,
    pub kind: StepKind,
    /// How the step goes on a real AWS account, where it differs.
    pub on_aws: Option<OnAws>,
    /// How the step goes on a Windows computer, where it differs.
    pub on_windows: Option<OnWindows>,
    /// How to do the step in the web console instead of with commands.
    pub console: Option<Text>,
}

/// A step on a Windows computer: what differs, and the hints and commands when they do.
#[derive(Debug, Clone)]
pub struct OnWindows {
    pub text: Text,
    pub hints: Option<Vec<Text>>,
    /// `(sh, powershell)`: each `!` line of the step and what runs on Windows instead.
    pub commands: Vec<(String, String)>,
}

/// Whether a line of a lesson runs on the learner's computer (`!…`), in its system shell.
pub fn runs_on_the_computer(line: &str) -> bool {
    line.trim_start().starts_with('!')
}

/// A step on a real AWS account: what to do there, and the commands when they differ.
#[derive(Debug, Clone)]
pub struct OnAws {
    pub text: Text,
    pub solution: Option<Vec<String>>,
}

impl Step {
    /// The commands that do a task on a target from a computer: AWS's own, where the step
    /// has them, with PowerShell's lines for its `!` lines on Windows.
    pub fn solution(&self, on_aws: bool, platform: Platform) -> Vec<String> {
        let StepKind::Task(task) = &self.kind else {
            return Vec::new();
        };
        let lines = match &self.on_aws {
            Some(OnAws {
                solution: Some(solution),
                ..
            }) if on_aws => solution,
            _ => &task.solution,
        };
        lines
            .iter()
            .map(|line| self.command(line, platform).unwrap_or(line).to_string())
            .collect()
    }

    /// `line` as it runs on `platform`: on Windows, a `!` line needs the line the step gives
    /// for it, and is `None` without one.
    pub fn command<'a>(&'a self, line: &'a str, platform: Platform) -> Option<&'a str> {
        if platform == Platform::Unix || !runs_on_the_computer(line) {
            return Some(line);
        }
        let commands = &self.on_windows.as_ref()?.commands;
        commands
            .iter()
            .find(|(sh, _)| sh == line)
            .map(|(_, powershell)| powershell.as_str())
    }

    /// The hints on a computer: Windows' own, where the step has them.
    pub fn hints(&self, platform: Platform) -> &[Text] {
        match self.on_windows.as_ref().and_then(|on| on.hints.as_ref()) {
            Some(hints) if platform == Platform::Windows => hints,
            _ => &self.hints,
        }
    }

    /// What to read on a computer after the step's text: Windows' differences there.
    pub fn platform_text(&self, platform: Platform) -> Option<&Text> {
        self.on_windows
            .as_ref()
            .filter(|_| platform == Platform::Windows)
            .map(|on| &on.text)
    }
}

/// What a step asks of the learner, with what it takes to pass.
#[derive(Debug, Clone)]
pub enum StepKind {
    Read,
    Quiz(Answer),
    Task(Task),
}

/// Something to do, verified against the world.
#[derive(Debug, Clone)]
pub struct Task {
    /// Never empty.
    pub checks: Vec<Check>,
    /// Commands that do the step. Never empty.
    pub solution: Vec<String>,
    /// `solution` waits until a `check` of the step has failed: the learner tries first.
    pub solution_after_attempt: bool,
    /// Values to remember once the step is passed.
    pub binds: Vec<Bind>,
    /// Plausible wrong ways of doing it, for `lesson test --mistakes`.
    pub mistakes: Vec<Mistake>,
}

/// A plausible mistake on a task, with the commands that make it.
#[derive(Debug, Clone)]
pub struct Mistake {
    /// What the learner did, for reports.
    pub name: String,
    /// The commands of the mistake, as typed in the shell.
    pub run: Vec<String>,
    /// Values its lines name, taken from the cloud before each line.
    pub binds: Vec<Bind>,
    /// The checks must pass after it rather than fail.
    pub harmless: bool,
}
