//! The whole shipped course walked as a learner walks it, in each language, through piped
//! standard input: every read step read, every quiz answered, and every task checked, then,
//! unless earlier lessons already did it, done with the commands its solution tells the
//! learner to type (with the values the learner's own cloud gave them, as a learner copies
//! them from what the shell printed) and checked again.

use cloudlings::check::{self, Bindings};
use cloudlings::lesson::{Answer, Course, StepKind};
use serde_json::Value;

use crate::Cloudlings;

/// What a learner answers to a quiz.
pub fn reply(answer: &Answer) -> String {
    match answer {
        Answer::Choice { correct, .. } => (correct + 1).to_string(),
        Answer::Number { value, .. } => format!("{value}"),
        Answer::Text { accept } => accept.first().cloned().unwrap_or_default(),
    }
}

/// What lesson 1 asks the learner to type, step by step.
pub fn lesson_one() -> Vec<String> {
    let course = Course::embedded();
    let lesson = &course.lessons[0];
    let mut lines = vec![format!("start {}", lesson.id)];
    for step in &lesson.steps {
        match &step.kind {
            StepKind::Read => {}
            StepKind::Quiz(answer) => lines.push(reply(answer)),
            StepKind::Task(task) => {
                lines.extend(task.solution.iter().cloned());
                lines.push("check".to_string());
            }
        }
        lines.push("next".to_string());
    }
    lines
}

/// The values the learner's cloud gave so far, as progress keeps them.
fn remembered(shell: &Cloudlings) -> (Value, Bindings) {
    let saved = std::fs::read_to_string(shell.data_dir().join("progress.json"))
        .map(|text| serde_json::from_str(&text).expect("progress is JSON"))
        .unwrap_or(Value::Null);
    let bindings = saved["bindings"]
        .as_object()
        .map(|values| {
            values
                .iter()
                .map(|(name, value)| (name.clone(), value.as_str().unwrap_or_default().into()))
                .collect()
        })
        .unwrap_or_default();
    (saved, bindings)
}

fn walk(lang: &str) {
    let shell = Cloudlings::new().arg("--lang").arg(lang);
    let myip = shell.session("myip\nquit\n").success().answer_to("myip", 1);
    let myip = myip.lines().next().unwrap_or_default().to_string();
    let course = Course::embedded();
    assert!(
        course.lessons.len() >= 9,
        "the lecture's seven chapters, the capstone and the review"
    );
    for lesson in &course.lessons {
        for step in &lesson.steps {
            let (_, mut bindings) = remembered(&shell);
            bindings.insert("myip".into(), myip.clone());
            let mut lines = vec![format!("start {}", lesson.id)];
            match &step.kind {
                StepKind::Read => {}
                StepKind::Quiz(answer) => lines.push(reply(answer)),
                StepKind::Task(task) => {
                    // A learner who already has what the step asks (lesson 9 takes stock of
                    // what earlier lessons made) checks, and types nothing more.
                    shell
                        .session(&format!("start {}\ncheck\nquit\n", lesson.id))
                        .success();
                    let (saved, _) = remembered(&shell);
                    let done = saved["lessons"][&lesson.id][&step.id]["passed"] == true;
                    if !done {
                        // Each line filled when it is typed: an MFA code is read off the
                        // app then, not before.
                        for line in &task.solution {
                            lines.push(check::fill_command(line, &bindings, &shell.files()));
                        }
                        lines.push("check".into());
                    }
                }
            }
            lines.extend(["next".into(), "quit".into()]);
            let run = shell.session(&lines.join("\n")).success();
            let (saved, _) = remembered(&shell);
            let passed = &saved["lessons"][&lesson.id][&step.id]["passed"];
            assert!(
                !matches!(step.kind, StepKind::Quiz(_) | StepKind::Task(_))
                    || passed == &Value::Bool(true),
                "{lang}: {}/{} was not passed:\n{}",
                lesson.id,
                step.id,
                run.stdout()
            );
        }
    }
    assert_every_lesson_complete(&shell, lang, &course);
}

/// `progress` says every lesson of `course` is complete, in `lang`.
pub fn assert_every_lesson_complete(shell: &Cloudlings, lang: &str, course: &Course) {
    let progress = shell.session("progress\nquit\n").success();
    let summary = progress.answer_to("progress", 1);
    let total = course.lessons.len();
    let complete = match lang {
        "ko" => format!("수업 {total}개 중 {total}개 완료"),
        _ => format!("{total}/{total} lessons complete"),
    };
    assert!(summary.contains(&complete), "{lang}: {summary}");
}

#[test]
fn the_whole_course_in_english() {
    walk("en");
}

#[test]
fn the_whole_course_in_korean() {
    walk("ko");
}
