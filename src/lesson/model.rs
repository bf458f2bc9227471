//! The typed lesson model the shell works with, built from a validated [`super::format`] file.

use super::answer::Answer;
use super::text::Text;
use crate::check::{Bind, Check};

/// A lesson, validated.
#[derive(Debug, Clone)]
pub struct Lesson {
    pub id: String,
    pub order: u32,
    pub title: Text,
    pub summary: Text,
    /// Lessons to finish first; every id names a lesson of the same course.
    pub requires: Vec<String>,
    /// Never empty.
    pub steps: Vec<Step>,
    /// The file the lesson was read from, for messages.
    pub file: String,
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
    /// Values to remember once the step is passed.
    pub binds: Vec<Bind>,
}
