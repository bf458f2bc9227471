//! One lesson as a chapter: its texts in the book's language with the facts filled in (prices
//! as the emulator bills them), each quiz with its answer folded, each task with what is
//! checked, its hints and its solution folded (`<details>`). Names a learner's own cloud
//! gives later (`{instance_id}`) show as examples, with a note saying what each stands for.

use std::collections::BTreeSet;

use super::placeholders;
use crate::check::{self, Bindings};
use crate::lang::Lang;
use crate::lesson::{Answer, Lesson, Platform, Step, StepKind};

pub fn render(lesson: &Lesson, lang: Lang) -> String {
    let none = Bindings::new();
    let fill = |text: &str| markdown(&check::fill(text.trim_end(), &none));
    let head = format!(
        "# {}\n\n{}",
        super::safe::markdown(lesson.title.get(lang)),
        super::overview::lesson_box(lesson, lang),
    );
    let mut page = format!("\n{}\n", fill(lesson.summary.get(lang)));
    for (number, step) in lesson.steps.iter().enumerate() {
        page.push_str(&format!("\n## {}\n\n", heading(step, number + 1, lang)));
        page.push_str(&fill(step.text.get(lang)));
        page.push('\n');
        // Shown apart, as the shell shows them on `--target aws` and on Windows.
        if let Some(there) = &step.on_aws {
            aside(&mut page, words(lang).on_aws, &fill(there.text.get(lang)));
        }
        if let Some(there) = &step.on_windows {
            aside(
                &mut page,
                words(lang).on_windows,
                &fill(there.text.get(lang)),
            );
        }
        if let Some(console) = &step.console {
            aside(&mut page, words(lang).in_console, &fill(console.get(lang)));
        }
        match &step.kind {
            StepKind::Read => {}
            StepKind::Quiz(answer) => {
                if let Answer::Choice { choices, .. } = answer {
                    page.push('\n');
                    for (n, choice) in choices.iter().enumerate() {
                        page.push_str(&format!("{}. {}\n", n + 1, fill(choice.get(lang))));
                    }
                }
                hints(&mut page, step, lang, &fill);
                let mut shown = fill(&answer.display(lang));
                if let Some(explanation) = &step.explanation {
                    shown.push_str("\n\n");
                    shown.push_str(&fill(explanation.get(lang)));
                }
                fold(&mut page, words(lang).answer, &shown);
            }
            StepKind::Task(task) => {
                page.push_str(&format!("\n**{}**\n\n", words(lang).checked));
                for check in &task.checks {
                    page.push_str(&format!("- {}\n", fill(check.label.get(lang))));
                }
                hints(&mut page, step, lang, &fill);
                let commands = |lines: &[String], language: &str| {
                    let filled: Vec<String> =
                        lines.iter().map(|line| check::fill(line, &none)).collect();
                    let fence = fence_for(&filled.join("\n"));
                    format!("{fence}{language}\n{}\n{fence}", filled.join("\n"))
                };
                let mut solution = commands(&task.solution, "sh");
                if let Some(there) = step.on_aws.as_ref().and_then(|on| on.solution.as_ref()) {
                    solution.push_str(&format!(
                        "\n\n{}\n\n{}",
                        words(lang).on_aws,
                        commands(there, "sh")
                    ));
                }
                // The solution as Windows runs it, where any of its lines differs there.
                let on_windows = step.solution(false, Platform::Windows);
                if on_windows != task.solution {
                    solution.push_str(&format!(
                        "\n\n{}\n\n{}",
                        words(lang).on_windows,
                        commands(&on_windows, "powershell")
                    ));
                }
                if let Some(explanation) = &step.explanation {
                    solution.push_str("\n\n");
                    solution.push_str(&fill(explanation.get(lang)));
                }
                // The shell holds such a solution back until a check has failed; the book
                // says so on the fold, which stays closed like every other.
                let summary = if task.solution_after_attempt {
                    format!("{} {}", words(lang).solution, words(lang).after_attempt)
                } else {
                    words(lang).solution.to_string()
                };
                fold(&mut page, &summary, &solution);
            }
        }
    }
    let mut used = BTreeSet::new();
    let page = placeholders::fill(&page, &mut used);
    format!("{head}{}{page}", placeholders::note(&used, lang))
}

/// The words around the lesson's own, in the book's language.
struct Words {
    read: &'static str,
    quiz: &'static str,
    task: &'static str,
    checked: &'static str,
    hint: &'static str,
    answer: &'static str,
    solution: &'static str,
    after_attempt: &'static str,
    on_aws: &'static str,
    on_windows: &'static str,
    on_windows_hint: &'static str,
    in_console: &'static str,
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::En => Words {
            read: "Read",
            quiz: "Quiz",
            task: "Task",
            checked: "What the shell checks",
            hint: "Hint",
            answer: "Answer",
            solution: "Solution",
            after_attempt: "(try first: the shell shows it once a check has failed)",
            on_aws: "On a real AWS account:",
            on_windows: "On Windows:",
            on_windows_hint: "(Windows)",
            in_console: "In the console:",
        },
        Lang::Ko => Words {
            read: "읽기",
            quiz: "퀴즈",
            task: "과제",
            checked: "셸이 확인하는 것",
            hint: "힌트",
            answer: "정답",
            solution: "풀이",
            after_attempt: "(먼저 직접 해 보세요. 셸은 확인에 한 번 실패한 뒤에 보여 줍니다)",
            on_aws: "실제 AWS 계정에서는:",
            on_windows: "윈도우에서는:",
            on_windows_hint: "(Windows)",
            in_console: "콘솔에서는:",
        },
    }
}

fn heading(step: &Step, number: usize, lang: Lang) -> String {
    let w = words(lang);
    let kind = match step.kind {
        StepKind::Read => w.read,
        StepKind::Quiz(_) => w.quiz,
        StepKind::Task(_) => w.task,
    };
    match &step.title {
        Some(title) => format!(
            "{number}. {} ({kind})",
            super::safe::markdown(title.get(lang))
        ),
        None => format!("{number}. {kind}"),
    }
}

fn hints(page: &mut String, step: &Step, lang: Lang, fill: &dyn Fn(&str) -> String) {
    let w = words(lang);
    for (n, hint) in step.hints.iter().enumerate() {
        fold(
            page,
            &format!("{} {}", w.hint, n + 1),
            &fill(hint.get(lang)),
        );
    }
    let windows = step.on_windows.as_ref().and_then(|on| on.hints.as_ref());
    for (n, hint) in windows.into_iter().flatten().enumerate() {
        let summary = format!("{} {} {}", w.hint, n + 1, w.on_windows_hint);
        fold(page, &summary, &fill(hint.get(lang)));
    }
}

/// A passage set apart as a quotation, under its heading.
fn aside(page: &mut String, heading: &str, text: &str) {
    let quoted: Vec<String> = text
        .lines()
        .map(|line| format!("> {line}").trim_end().to_string())
        .collect();
    page.push_str(&format!("\n> **{heading}**\n>\n{}\n", quoted.join("\n")));
}

/// A folded part, opened by the reader.
fn fold(page: &mut String, summary: &str, body: &str) {
    page.push_str(&format!(
        "\n<details>\n<summary>{summary}</summary>\n\n{body}\n\n</details>\n"
    ));
}

/// A lesson text as Markdown. Lesson texts are plain text: lines indented by two spaces are
/// commands or output, shown as code blocks; elsewhere `code` spans stay and angle brackets
/// are shown as typed, not taken for HTML.
fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut block: Vec<&str> = Vec::new();
    let mut prose: Vec<&str> = Vec::new();
    let flush = |block: &mut Vec<&str>, out: &mut String| {
        if block.is_empty() {
            return;
        }
        let fence = fence_for(&block.join("\n"));
        out.push_str(&format!("\n{fence}text\n"));
        for line in block.drain(..) {
            out.push_str(line.strip_prefix("  ").unwrap_or(line));
            out.push('\n');
        }
        out.push_str(&format!("{fence}\n\n"));
    };
    // Prose between code blocks is made safe as a whole, so that a link or a code span
    // written over two lines is seen as the page will see it.
    let tell = |prose: &mut Vec<&str>, out: &mut String| {
        if prose.is_empty() {
            return;
        }
        out.push_str(&super::safe::markdown(&prose.join("\n")));
        out.push('\n');
        prose.clear();
    };
    for line in text.lines() {
        if line.starts_with("  ") && !line.trim().is_empty() {
            tell(&mut prose, &mut out);
            block.push(line);
            continue;
        }
        flush(&mut block, &mut out);
        prose.push(line);
    }
    tell(&mut prose, &mut out);
    flush(&mut block, &mut out);
    out.trim_end().to_string()
}

/// A code fence longer than any run of backticks in `code`, so none closes it early.
fn fence_for(code: &str) -> String {
    let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indented_lines_are_code_blocks() {
        let text = "Run this:\n\n  aws s3 ls\n  echo '<img src=\"/x\">'\n\nThen <look>.";
        let shown = markdown(text);
        assert!(
            shown.contains("```text\naws s3 ls\necho '<img src=\"/x\">'\n```"),
            "{shown}"
        );
        assert!(shown.ends_with("Then &lt;look&gt;."), "{shown}");
    }

    #[test]
    fn angle_brackets_show_as_typed_outside_code() {
        assert_eq!(
            super::super::safe::markdown("a <b> `<c>`\n```\n<d>\n```\n"),
            "a &lt;b&gt; `<c>`\n```\n<d>\n```\n"
        );
    }

    #[test]
    fn every_step_appears_with_its_facts_filled_and_its_answers_folded() {
        let course = crate::lesson::Course::embedded();
        let lesson = &course.lessons[0];
        for lang in [Lang::En, Lang::Ko] {
            let page = render(lesson, lang);
            assert!(page.starts_with(&format!("# {}", lesson.title.get(lang))));
            assert_eq!(page.matches("\n## ").count(), lesson.steps.len());
            assert!(!page.contains("{price:"), "facts are filled");
            assert!(page.contains("<details>"));
        }
    }
}
