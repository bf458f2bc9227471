//! What the learner sees of the course: the command list, the lessons, a step, their progress.
//!
//! A [`View`] only reads (the learner's language and progress, the terminal's style); the
//! session decides what to show and when.

use std::io::{self, Write};
use std::path::Path;

use super::command;
use super::messages::{self as msg, COMMANDS};
use crate::lang::Lang;
use crate::lesson::{Answer, Course, Lesson, StepKind};
use crate::progress::Progress;
use crate::style::Style;

/// Renders for one learner.
#[derive(Debug, Clone, Copy)]
pub struct View<'a> {
    pub lang: Lang,
    pub style: Style,
    pub progress: &'a Progress,
}

impl View<'_> {
    /// Every command, or one explained.
    pub fn help(&self, topic: Option<&str>, out: &mut dyn Write) -> io::Result<()> {
        let (lang, style) = (self.lang, self.style);
        if let Some(topic) = topic {
            let name = topic.trim().to_lowercase();
            return match COMMANDS.iter().find(|command| command.name == name) {
                Some(command) => writeln!(
                    out,
                    "{}\n  {}",
                    style.command(command.usage),
                    command.describe(lang)
                ),
                None => {
                    writeln!(out, "{}", msg::unknown_command(lang, topic))?;
                    if let Some(suggestion) = command::suggest(topic) {
                        writeln!(out, "{}", msg::did_you_mean(lang, suggestion))?;
                    }
                    Ok(())
                }
            };
        }
        writeln!(out, "{}", msg::help_heading(lang))?;
        let width = COMMANDS.iter().map(|c| c.usage.len()).max().unwrap_or(0);
        for command in COMMANDS {
            let usage = format!("{:width$}", command.usage);
            writeln!(
                out,
                "  {}  {}",
                style.command(&usage),
                command.describe(lang)
            )?;
        }
        writeln!(out, "{}", style.dim(&msg::help_footer(lang)))
    }

    /// The course, a line per lesson with its status.
    pub fn lessons(&self, course: &Course, out: &mut dyn Write) -> io::Result<()> {
        let lang = self.lang;
        if course.lessons.is_empty() {
            return writeln!(out, "{}", msg::no_lessons(lang));
        }
        writeln!(out, "{}", msg::lessons_heading(lang))?;
        let width = course.lessons.iter().map(|l| l.id.len()).max().unwrap_or(0);
        for lesson in &course.lessons {
            let id = format!("{:width$}", lesson.id);
            let id = self.style.command(&id);
            self.lesson_line(lesson, &id, out)?;
        }
        writeln!(out, "{}", self.style.dim(&msg::start_hint(lang)))
    }

    /// How far the learner is in each lesson, and where they are now.
    pub fn progress(
        &self,
        course: &Course,
        here: Option<(&Lesson, usize)>,
        saved_in: &Path,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let lang = self.lang;
        let lessons = &course.lessons;
        let done = lessons
            .iter()
            .filter(|l| self.progress.is_complete(l))
            .count();
        writeln!(out, "{}", msg::progress_heading(lang, done, lessons.len()))?;
        for lesson in lessons {
            let passed = self.progress.passed(lesson);
            let bar: String = (0..lesson.steps.len())
                .map(|i| if i < passed { '■' } else { '□' })
                .collect();
            self.lesson_line(lesson, &self.style.good(&bar), out)?;
        }
        if let Some((lesson, index)) = here {
            let (title, total) = (lesson.title.get(lang), lesson.steps.len());
            writeln!(out, "{}", msg::progress_here(lang, title, index + 1, total))?;
        }
        let path = saved_in.display().to_string();
        writeln!(
            out,
            "{}",
            self.style.dim(&msg::progress_saved_in(lang, &path))
        )
    }

    /// `  1  <label>  Title  status`: the shape shared by `lessons` and `progress`.
    fn lesson_line(&self, lesson: &Lesson, label: &str, out: &mut dyn Write) -> io::Result<()> {
        let title = lesson.title.get(self.lang);
        let status = self.status(lesson);
        writeln!(out, "  {:>2}  {label}  {title}  {status}", lesson.order)
    }

    /// `✓ done`, `3/7` or `not started`.
    fn status(&self, lesson: &Lesson) -> String {
        let passed = self.progress.passed(lesson);
        if passed == lesson.steps.len() {
            self.style
                .good(&format!("✓ {}", msg::status_done(self.lang)))
        } else if passed > 0 || self.progress.lessons.contains_key(&lesson.id) {
            format!("{passed}/{}", lesson.steps.len())
        } else {
            self.style.dim(&msg::status_not_started(self.lang))
        }
    }

    /// One step: the banner, its text, and what the learner is to do.
    pub fn step(&self, lesson: &Lesson, index: usize, out: &mut dyn Write) -> io::Result<()> {
        let (lang, style) = (self.lang, self.style);
        let Some(step) = lesson.steps.get(index) else {
            return Ok(());
        };
        let title = lesson.title.get(lang);
        let banner = msg::step_banner(lang, lesson.order, title, index + 1, lesson.steps.len());
        writeln!(out, "{}", style.heading(&format!("── {banner} ──")))?;
        if let Some(title) = &step.title {
            writeln!(out, "{}", style.heading(title.get(lang)))?;
        }
        writeln!(out, "\n{}\n", step.text.get(lang).trim_end())?;
        match &step.kind {
            StepKind::Read => writeln!(out, "{}", style.dim(&msg::read_prompt(lang)))?,
            StepKind::Quiz(answer) => {
                let prompt = match answer {
                    Answer::Choice { choices, .. } => {
                        for (number, choice) in choices.iter().enumerate() {
                            writeln!(out, "  {}) {}", number + 1, choice.get(lang))?;
                        }
                        writeln!(out)?;
                        msg::quiz_prompt_choice(lang)
                    }
                    Answer::Number { unit, .. } => {
                        let unit = unit.as_ref().map_or("", |unit| unit.get(lang));
                        msg::quiz_prompt_number(lang, unit)
                    }
                    Answer::Text { .. } => msg::quiz_prompt_text(lang),
                };
                writeln!(out, "{}", style.dim(&prompt))?;
            }
            // The learner knows what will be checked before starting the task.
            StepKind::Task(task) => {
                writeln!(out, "{}", msg::task_checks_heading(lang))?;
                for check in &task.checks {
                    writeln!(out, "  • {}", check.label.get(lang))?;
                }
                writeln!(out, "\n{}", style.dim(&msg::task_prompt(lang)))?;
            }
        }
        let passed = self.progress.step(&lesson.id, &step.id).passed;
        if passed && !matches!(step.kind, StepKind::Read) {
            writeln!(out, "{}", style.dim(&msg::step_already_passed(lang)))?;
        }
        Ok(())
    }
}
