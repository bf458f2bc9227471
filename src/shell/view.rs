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
use cloudlings_core::prices;
use cloudlings_emulator::billing::{self, Bill};

/// Renders for one learner.
#[derive(Debug, Clone, Copy)]
pub struct View<'a> {
    pub lang: Lang,
    pub style: Style,
    pub progress: &'a Progress,
    /// What `{name}`s in the lessons stand for.
    pub bindings: &'a crate::check::Bindings,
    /// The cloud: on AWS, steps say how they go there, and checks that cannot look say so.
    pub target: Option<&'a crate::target::Target>,
}

/// `2026-11-26 15:38 UTC`.
pub fn minute(time: time::OffsetDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02} UTC",
        time.year(),
        time.month() as u8,
        time.day(),
        time.hour(),
        time.minute()
    )
}

/// The width of the bill's description column: its longest line, or the usual 58.
fn description_width(bill: &Bill) -> usize {
    bill.lines
        .iter()
        .map(|line| line.description().chars().count())
        .max()
        .unwrap_or(0)
        .max(58)
}

/// Dollars as the billing console writes them: `$0.03`, `-$0.03`.
fn dollars(amount: f64) -> String {
    let cents = (amount * 100.0).round() as i64;
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}${}.{:02}", cents.abs() / 100, cents.abs() % 100)
}

impl View<'_> {
    /// The month's bill, line by line like the billing console.
    pub fn bill(
        &self,
        bill: &Bill,
        account: &str,
        now: time::OffsetDateTime,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let lang = self.lang;
        let month = match lang {
            Lang::En => billing::month_name(bill.month_start),
            Lang::Ko => format!(
                "{}년 {}월",
                bill.month_start.year(),
                bill.month_start.month() as u8
            ),
        };
        writeln!(
            out,
            "{}",
            self.style
                .heading(&msg::bill_heading(lang, &month, account, &minute(now)))
        )?;
        if bill.lines.is_empty() {
            writeln!(out, "{}", msg::bill_empty(lang))?;
        } else {
            // Grouped as the console's Bills page groups them: by service, then by region.
            // Descriptions set the width: a storage line's names its region.
            let mut lines: Vec<&billing::Line> = bill.lines.iter().collect();
            let width = description_width(bill);
            lines.sort_by_key(|line| line.service());
            let mut heading: Option<(billing::Service, &str)> = None;
            for line in lines {
                let service = line.service();
                if heading.is_none_or(|(shown, _)| shown != service) {
                    writeln!(out, "{}", msg::bill_service(lang, service))?;
                    heading = Some((service, ""));
                }
                if heading.is_some_and(|(_, region)| region != line.region) {
                    heading = Some((service, &line.region));
                    // As the console's Bills page names it, in the learner's language.
                    let title = match lang {
                        Lang::En => prices::region_title(&line.region),
                        Lang::Ko => prices::region_title_ko(&line.region),
                    };
                    writeln!(out, "  {title}")?;
                }
                let quantity = match line.usage {
                    billing::Usage::Storage { .. } => {
                        msg::bill_gb_months(lang, &format!("{:.3}", line.quantity))
                    }
                    _ => msg::bill_hours(lang, &format!("{:.3}", line.quantity)),
                };
                writeln!(
                    out,
                    "    {:<width$} {:>14} {:>9}",
                    line.description(),
                    quantity,
                    dollars(line.cost)
                )?;
            }
            for free in &bill.free {
                let used = format!("{:.3}", free.used);
                let label = msg::bill_free_tier(lang, free.pool, &used);
                let label_width = width + 2;
                writeln!(
                    out,
                    "  {label:<label_width$} {:>14} {:>9}",
                    "",
                    dollars(-free.value)
                )?;
            }
            if bill.credits > 0.0 {
                let label_width = width + 2;
                writeln!(
                    out,
                    "  {:<label_width$} {:>14} {:>9}",
                    msg::bill_credits(lang),
                    "",
                    dollars(-bill.credits)
                )?;
            }
        }
        let total = format!(
            "${}.{:02}",
            bill.total_cents() / 100,
            bill.total_cents() % 100
        );
        let total_width = description_width(bill) + 4 + 1 + 14;
        writeln!(
            out,
            "{:<total_width$} {:>9}",
            msg::bill_total(lang),
            self.style.heading(&total)
        )?;
        writeln!(
            out,
            "{}",
            self.style.dim(&msg::bill_prices(lang, prices::AS_OF))
        )
    }

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
        let text = crate::check::fill(step.text.get(lang), self.bindings);
        writeln!(out, "\n{}\n", text.trim_end())?;
        let on_aws = self.target.and_then(crate::target::Target::aws).is_some();
        if let (true, Some(there)) = (on_aws, &step.on_aws) {
            let text = crate::check::fill(there.text.get(lang), self.bindings);
            writeln!(out, "{}", style.heading(&msg::on_aws_heading(lang)))?;
            writeln!(out, "{}\n", text.trim_end())?;
        }
        match &step.kind {
            StepKind::Read => writeln!(out, "{}", style.dim(&msg::read_prompt(lang)))?,
            StepKind::Quiz(answer) => {
                let prompt = match answer {
                    Answer::Choice { choices, .. } => {
                        for (number, choice) in choices.iter().enumerate() {
                            writeln!(
                                out,
                                "  {}) {}",
                                number + 1,
                                crate::check::fill(choice.get(lang), self.bindings)
                            )?;
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
                    let label = crate::check::fill(check.label.get(lang), self.bindings);
                    if check.looks_on(self.target) {
                        writeln!(out, "  • {label}")?;
                    } else {
                        let skipped = msg::check_skipped_here(lang);
                        writeln!(out, "  {}", style.dim(&format!("– {label} ({skipped})")))?;
                    }
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
