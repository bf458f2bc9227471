//! A learner's first session with the binary they installed. `scripts/install-check` builds
//! the release archive and installers, installs with the generated installer from a local
//! server, and runs this module with `CLOUDLINGS_INSTALLED` naming the installed binary; the
//! suite runs it on the binary cargo built.

use std::path::PathBuf;

use cloudlings::lesson::{Course, StepKind};
use serde_json::Value;

use crate::course::lesson_one;
use crate::{BIN, Cloudlings};

/// The binary under test: the installed one when the install check names it.
fn program() -> PathBuf {
    std::env::var_os("CLOUDLINGS_INSTALLED").map_or_else(|| PathBuf::from(BIN), PathBuf::from)
}

/// Lesson 1 in one piped session: every quiz answered, the task done with its solution and
/// checked, each step left with `next`, as a learner types them.
fn walk_lesson_one(lang: &str) {
    let shell = Cloudlings::new().program(program()).arg("--lang").arg(lang);
    let course = Course::embedded();
    let lesson = &course.lessons[0];
    let mut lines = lesson_one();
    lines.extend(["progress".into(), "quit".into()]);
    let run = shell.session(&lines.join("\n")).success();

    let saved: Value = serde_json::from_str(
        &std::fs::read_to_string(shell.data_dir().join("progress.json")).expect("progress"),
    )
    .expect("progress is JSON");
    for step in &lesson.steps {
        if matches!(step.kind, StepKind::Quiz(_) | StepKind::Task(_)) {
            assert_eq!(
                saved["lessons"][&lesson.id][&step.id]["passed"],
                Value::Bool(true),
                "{lang}: {} was not passed:\n{}",
                step.id,
                run.stdout()
            );
        }
    }
    let total = course.lessons.len();
    let complete = match lang {
        "ko" => format!("수업 {total}개 중 1개 완료"),
        _ => format!("1/{total} lessons complete"),
    };
    let summary = run.answer_to("progress", 1);
    assert!(summary.contains(&complete), "{lang}: {summary}");
}

#[test]
fn lesson_one_walked_through_piped_input_in_english() {
    walk_lesson_one("en");
}

#[test]
fn lesson_one_walked_through_piped_input_in_korean() {
    walk_lesson_one("ko");
}
