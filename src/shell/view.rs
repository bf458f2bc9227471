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
    /// The learner's computer: on Windows, steps say how they go there.
    pub platform: crate::workstation::Platform,
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

/// The bill's amount columns, after its descriptions: the quantity and the cost.
const AMOUNTS: usize = 1 + 14 + 1 + 9;

/// The width of the bill's description column: its longest line, within what the terminal
/// leaves beside the amounts (80 columns when the output is not a terminal), so that a long
/// description (a volume's names its region) wraps under itself instead of across the amounts.
fn description_width(bill: &Bill, columns: usize) -> usize {
    let longest = bill
        .lines
        .iter()
        .map(|line| console::measure_text_width(&line.description()))
        .max()
        .unwrap_or(0);
    longest.min(columns.saturating_sub(4 + AMOUNTS)).max(30)
}

/// The terminal's width, or 80 when the output is not a terminal.
fn terminal_columns() -> usize {
    console::Term::stdout()
        .size_checked()
        .map_or(80, |(_, columns)| usize::from(columns))
}

/// `text` in lines of at most `width` columns, broken between words (a word longer than the
/// width stands alone). Widths are display widths: Korean letters take two columns.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let wanted = console::measure_text_width(&current) + 1 + console::measure_text_width(word);
        if !current.is_empty() && wanted > width {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    lines.push(current);
    lines
}

/// A lesson's text as the learner's terminal can show it: prose whose lines are wider than
/// the terminal is wrapped again to fit. Lessons break their lines by characters, and a Korean
/// letter takes two columns, so a line written for 100 columns may need 180. Output that is
/// not a terminal keeps the lines as written, so transcripts do not depend on a width.
pub fn fit(text: &str) -> String {
    match console::Term::stdout().size_checked() {
        // One column spare: a line that fills the last one makes some terminals wrap twice.
        Some((_, columns)) => reflow(text, usize::from(columns).saturating_sub(1).max(20)),
        None => text.to_string(),
    }
}

/// `text` with what is wider than `width` wrapped again to `width`, where the lesson's layout
/// allows: a prose paragraph (lines between blank lines, none indented) as a whole, and a list
/// item or a table row (`  - text`, `  name    text`) under its own text, its continuation
/// lines indented to that text. Other indented lines are commands and code: kept as written.
fn reflow(text: &str, width: usize) -> String {
    let mut paragraphs = Vec::new();
    for paragraph in text.split("\n\n") {
        let lines: Vec<&str> = paragraph.lines().collect();
        let prose = lines
            .iter()
            .all(|line| !line.starts_with(char::is_whitespace));
        let too_wide = |lines: &[&str]| {
            lines
                .iter()
                .any(|line| console::measure_text_width(line) > width)
        };
        if prose && too_wide(&lines) {
            paragraphs.push(wrap(&lines.join(" "), width).join("\n"));
        } else if prose {
            paragraphs.push(paragraph.to_string());
        } else {
            paragraphs.push(reflow_items(&lines, width, &too_wide));
        }
    }
    paragraphs.join("\n\n")
}

/// The lines of an indented paragraph, each list item or table row that is too wide wrapped
/// under its own text.
fn reflow_items(lines: &[&str], width: usize, too_wide: &dyn Fn(&[&str]) -> bool) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index];
        let Some(hang) = hanging_column(line) else {
            out.push(line.to_string());
            index += 1;
            continue;
        };
        // Continuation lines start with exactly `hang` spaces.
        let continued = lines[index + 1..]
            .iter()
            .take_while(|next| {
                let indent = next.len() - next.trim_start_matches(' ').len();
                indent == hang && hanging_column(next).is_none()
            })
            .count();
        let item = &lines[index..=index + continued];
        index += continued + 1;
        if !too_wide(item) || width < hang + 20 {
            out.extend(item.iter().map(|line| line.to_string()));
            continue;
        }
        let prefix = prefix_of(line, hang);
        let words: Vec<&str> = std::iter::once(&line[prefix.len()..])
            .chain(item[1..].iter().map(|next| next.trim_start()))
            .collect();
        for (number, wrapped) in wrap(&words.join(" "), width - hang).into_iter().enumerate() {
            let lead = if number == 0 {
                prefix.to_string()
            } else {
                " ".repeat(hang)
            };
            out.push(format!("{lead}{wrapped}"));
        }
    }
    out.join("\n")
}

/// The display column where the text of a list item (`  - `) or a table row (`  name   `,
/// a short name, then two spaces or more) begins; `None` for any other line.
fn hanging_column(line: &str) -> Option<usize> {
    let body = line.trim_start_matches(' ');
    let indent = line.len() - body.len();
    if indent == 0 {
        return None;
    }
    if let Some(rest) = body.strip_prefix("- ").or_else(|| body.strip_prefix("• ")) {
        let marker = body.len() - rest.len();
        return Some(indent + console::measure_text_width(&body[..marker]));
    }
    let gap = body.find("  ")?;
    let text = body[gap..].trim_start_matches(' ');
    let name = &body[..gap];
    // A long "name" is a command with two spaces in it, not a table's first column.
    if text.is_empty() || console::measure_text_width(name) > 30 {
        return None;
    }
    Some(console::measure_text_width(
        &line[..line.len() - text.len()],
    ))
}

/// The part of `line` before its hanging text, which begins at display column `hang`.
fn prefix_of(line: &str, hang: usize) -> &str {
    let mut columns = 0;
    for (at, letter) in line.char_indices() {
        if columns >= hang {
            return &line[..at];
        }
        columns += console::measure_text_width(letter.encode_utf8(&mut [0; 4]));
    }
    line
}

/// One row of the bill: `label` wrapped to `width` after `indent`, the amounts beside its
/// first line, the rest of it under itself.
fn bill_row(
    out: &mut dyn Write,
    indent: &str,
    label: &str,
    width: usize,
    quantity: &str,
    cost: &str,
) -> io::Result<()> {
    // A row without a quantity (an allowance, the credits) may use its column too.
    let width = if quantity.is_empty() {
        width + 15
    } else {
        width
    };
    let mut lines = wrap(label, width).into_iter();
    let first = lines.next().unwrap_or_default();
    let pad = width.saturating_sub(console::measure_text_width(&first));
    if quantity.is_empty() {
        writeln!(out, "{indent}{first}{:pad$} {cost:>9}", "")?;
    } else {
        // Padded by display width, as `시간` takes four columns.
        let quantity = console::pad_str(quantity, 14, console::Alignment::Right, None);
        writeln!(out, "{indent}{first}{:pad$} {quantity} {cost:>9}", "")?;
    }
    for line in lines {
        writeln!(out, "{indent}  {line}")?;
    }
    Ok(())
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
        let columns = terminal_columns();
        let heading = msg::bill_heading(lang, &month, account, &minute(now));
        for line in wrap(&heading, columns) {
            writeln!(out, "{}", self.style.heading(&line))?;
        }
        let width = description_width(bill, columns);
        if bill.lines.is_empty() {
            writeln!(out, "{}", msg::bill_empty(lang))?;
        } else {
            // Grouped as the console's Bills page groups them: by service, then by region.
            let mut lines: Vec<&billing::Line> = bill.lines.iter().collect();
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
                let description = line.description();
                bill_row(
                    out,
                    "    ",
                    &description,
                    width,
                    &quantity,
                    &dollars(line.cost),
                )?;
            }
            // What the free offer takes off, aligned with the charges under the service names.
            for free in &bill.free {
                let used = format!("{:.3}", free.used);
                let label = msg::bill_free_tier(lang, free.pool, &used);
                bill_row(out, "  ", &label, width + 2, "", &dollars(-free.value))?;
            }
            if bill.credits > 0.0 {
                let label = msg::bill_credits(lang);
                bill_row(out, "  ", &label, width + 2, "", &dollars(-bill.credits))?;
            }
        }
        let total = format!(
            "${}.{:02}",
            bill.total_cents() / 100,
            bill.total_cents() % 100
        );
        let label = msg::bill_total(lang);
        let pad = (4 + width + 1 + 14).saturating_sub(console::measure_text_width(&label));
        writeln!(out, "{label}{:pad$} {:>9}", "", self.style.heading(&total))?;
        for line in wrap(&msg::bill_prices(lang, prices::AS_OF), columns) {
            writeln!(out, "{}", self.style.dim(&line))?;
        }
        Ok(())
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
            let minutes = format!("{:>6}", lesson.overview.duration(lang));
            self.lesson_line(lesson, &format!("{id}  {}", self.style.dim(&minutes)), out)?;
        }
        let total: u32 = course.lessons.iter().map(|l| l.overview.minutes).sum();
        let total = crate::lesson::overview::duration(total, lang);
        writeln!(out, "{}", self.style.dim(&msg::lessons_total(lang, &total)))?;
        writeln!(out, "{}", self.style.dim(&msg::start_hint(lang)))
    }

    /// A lesson's overview, shown as it starts: its length, what the learner builds, and what
    /// it costs on a real AWS account.
    pub fn overview(&self, lesson: &Lesson, out: &mut dyn Write) -> io::Result<()> {
        let (lang, style) = (self.lang, self.style);
        let title = lesson.title.get(lang);
        let banner = msg::overview_banner(lang, lesson.order, title);
        writeln!(out, "{}", style.heading(&format!("══ {banner} ══")))?;
        let overview = &lesson.overview;
        let builds = crate::check::fill(overview.builds.get(lang), self.bindings);
        let labels = msg::overview_labels(lang);
        let width = labels
            .iter()
            .map(|label| console::measure_text_width(label))
            .max()
            .unwrap_or(0);
        for (label, value) in
            labels
                .iter()
                .zip([overview.duration(lang), builds, overview.cost(lang)])
        {
            // Long values wrap under themselves, beside their label.
            let pad = " ".repeat(width - console::measure_text_width(label));
            let room = terminal_columns().saturating_sub(width + 4).max(30);
            for (n, line) in wrap(&value, room).iter().enumerate() {
                match n {
                    0 => writeln!(out, "  {}{pad}  {line}", style.dim(label))?,
                    _ => writeln!(out, "  {}  {line}", " ".repeat(width))?,
                }
            }
        }
        writeln!(out)
    }

    /// How far the learner is in each lesson, and where they are now.
    pub fn progress(
        &self,
        course: &Course,
        here: Option<(&Lesson, usize)>,
        saved_in: Option<&Path>,
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
        match saved_in {
            Some(path) => writeln!(
                out,
                "{}",
                self.style
                    .dim(&msg::progress_saved_in(lang, &path.display().to_string()))
            ),
            None => Ok(()),
        }
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
        writeln!(out, "\n{}\n", fit(text.trim_end()))?;
        let on_aws = self.target.and_then(crate::target::Target::aws).is_some();
        if let (true, Some(there)) = (on_aws, &step.on_aws) {
            let text = crate::check::fill(there.text.get(lang), self.bindings);
            writeln!(out, "{}", style.heading(&msg::on_aws_heading(lang)))?;
            writeln!(out, "{}\n", fit(text.trim_end()))?;
        }
        if let Some(there) = step.platform_text(self.platform) {
            let text = crate::check::fill(there.get(lang), self.bindings);
            writeln!(out, "{}", style.heading(&msg::on_windows_heading(lang)))?;
            writeln!(out, "{}\n", fit(text.trim_end()))?;
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
                writeln!(
                    out,
                    "\n{}",
                    style.dim(&msg::task_prompt(lang, self.progress.watching()))
                )?;
            }
        }
        let passed = self.progress.step(&lesson.id, &step.id).passed;
        if passed && !matches!(step.kind, StepKind::Read) {
            writeln!(out, "{}", style.dim(&msg::step_already_passed(lang)))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_says_how_it_goes_on_windows_there_only() {
        use crate::workstation::Platform;
        let course = crate::lesson::Course::embedded();
        let lesson = &course.lessons[0];
        let index = lesson.step_index("lab-folder").expect("the workbench step");
        let (progress, bindings) = (Progress::default(), crate::check::Bindings::new());
        let shown = |lang, platform| {
            let view = View {
                lang,
                style: Style::plain(),
                progress: &progress,
                bindings: &bindings,
                target: None,
                platform,
            };
            let mut out = Vec::new();
            view.step(lesson, index, &mut out).expect("shown");
            String::from_utf8(out).expect("UTF-8")
        };
        let unix = shown(Lang::En, Platform::Unix);
        assert!(
            !unix.contains("On Windows:") && !unix.contains("icacls"),
            "{unix}"
        );
        let windows = shown(Lang::En, Platform::Windows);
        assert!(windows.contains("On Windows:\n"), "{windows}");
        assert!(
            windows.contains("  icacls.exe cloudlings-lab /inheritance:r"),
            "{windows}"
        );
        let korean = shown(Lang::Ko, Platform::Windows);
        assert!(korean.contains("윈도우에서는:\n"), "{korean}");
        assert!(korean.contains("액세스 제어"), "{korean}");
    }

    #[test]
    fn prose_too_wide_for_the_terminal_is_wrapped_and_indented_lines_are_kept() {
        let text = "이제 직접 해 볼 차례입니다. cloudlings를 시작한 폴더 안에\n나만 열 수 있는 폴더를 만드세요.\n\n  aws ec2 describe-security-groups --group-names web --query \"SecurityGroups[0]\"\n\nShort.";
        let fitted = reflow(text, 40);
        let lines: Vec<&str> = fitted.lines().collect();
        assert!(
            lines[..3]
                .iter()
                .all(|line| console::measure_text_width(line) <= 40),
            "{fitted}"
        );
        assert_eq!(
            lines[..3].join(" "),
            "이제 직접 해 볼 차례입니다. cloudlings를 시작한 폴더 안에 나만 열 수 있는 폴더를 만드세요."
        );
        // The command keeps its line, however long; narrow enough prose keeps its breaks.
        assert!(fitted.contains("\n\n  aws ec2 describe-security-groups --group-names web"));
        assert!(fitted.ends_with("\n\nShort."));
        assert_eq!(reflow(text, 200), text);
    }

    #[test]
    fn list_items_and_table_rows_wrap_under_their_own_text() {
        let text = "  - 보안 그룹은 출입 명단입니다. 인바운드 규칙은 프로토콜, 포트, 소스로 이뤄지고, 그 밖의 연결은\n    대답 없이 버려집니다.\n  - 짧은 줄.\n  서버       내 우분투 t2.micro 한 대. 새 키 페어 my-page(my-page.pem으로 저장)와 새 보안 그룹\n             my-page를 씁니다.\n  aws ec2 describe-instances --query \"Reservations[].Instances[].[InstanceId,State.Name]\" --output text";
        let fitted = reflow(text, 60);
        let lines: Vec<&str> = fitted.lines().collect();
        assert!(lines[0].starts_with("  - 보안 그룹은"), "{fitted}");
        assert!(
            lines[1].starts_with("    ") && !lines[1].starts_with("     "),
            "{fitted}"
        );
        assert!(
            fitted.contains("\n  - 짧은 줄.\n  서버       내 우분투"),
            "{fitted}"
        );
        // The table row's continuation starts under its text, at column 13.
        let row = lines
            .iter()
            .position(|line| line.starts_with("  서버"))
            .expect("row");
        assert!(lines[row + 1].starts_with(&" ".repeat(13)), "{fitted}");
        assert!(!lines[row + 1].starts_with(&" ".repeat(14)), "{fitted}");
        for line in &lines[..lines.len() - 1] {
            assert!(
                console::measure_text_width(line) <= 60,
                "{line:?} in\n{fitted}"
            );
        }
        // A command keeps its line.
        assert!(
            lines
                .last()
                .expect("line")
                .starts_with("  aws ec2 describe-instances --query")
        );
        assert_eq!(reflow(text, 200), text);
    }

    #[test]
    fn bill_rows_wrap_between_words_and_count_korean_letters_twice() {
        assert_eq!(
            wrap(
                "$0.0912 per GB-month of General Purpose SSD (gp3) provisioned storage",
                40
            ),
            [
                "$0.0912 per GB-month of General Purpose",
                "SSD (gp3) provisioned storage"
            ]
        );
        assert_eq!(wrap("short", 40), ["short"]);
        assert_eq!(wrap("", 40), [""]);
        assert_eq!(wrap("프리 티어 사용량", 10), ["프리 티어", "사용량"]);
        let mut out = Vec::new();
        bill_row(&mut out, "  ", "프리 티어: 750시간", 20, "", "-$1.75").expect("row");
        let row = String::from_utf8(out).expect("utf-8");
        // 2 + 20 columns of label, then 1 + 14 + 1 + 9 of amounts.
        assert_eq!(console::measure_text_width(row.trim_end()), 47, "{row}");
    }
}
