//! `cloudlings lesson lint` and `cloudlings lesson schema`, as an author uses them.

use crate::{Cloudlings, repo};

#[test]
fn reports_every_problem_as_file_line_col_and_fails() {
    let dir = repo("tests/fixtures/lint");
    let run = Cloudlings::new()
        .run(&["lesson", "lint", &dir.display().to_string()])
        .failure();
    let out = run.stdout().replace(&format!("{}/", dir.display()), "");
    let expected = [
        "a-typo.toml:11:1: error: unknown field `hnits`, expected one of `id`, `kind`",
        "b-bad-type.toml:3:9: error: invalid type: string \"two\", expected u32",
        "c-meaning.toml:5:11: warning: missing Korean translation (`ko`)",
        "c-meaning.toml:6:13: error: `requires` names `no-such-lesson`, but no lesson has that id",
        "c-meaning.toml:13:10: error: `answer` is the number of the right choice, from 1 to 2",
        "c-meaning.toml:14:10: error: empty hint: write the hint or remove it",
        "c-meaning.toml:17:6: error: duplicate step id `quiz` in this lesson",
        "c-meaning.toml:20:1: error: `accept` belongs to quiz steps, and this is a read step",
        "d-duplicate.toml:2:6: error: duplicate lesson id `meaning`, already used by",
        "e-syntax.toml:3:25: error: unclosed inline table, expected `}`",
        "f-task.toml:17:9: error: invalid JMESPath query: Parse error",
        "f-task.toml:26:10: error: `>=` needs a `value`",
        "11 errors, 1 warnings",
    ];
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), expected.len(), "{out}");
    for (line, expected) in lines.iter().zip(expected) {
        assert!(
            line.starts_with(expected),
            "expected {expected:?}\n     got {line:?}\n{out}"
        );
    }
}

#[test]
fn a_newer_format_is_refused_with_a_clear_message() {
    let dir = repo("tests/fixtures/newer");
    Cloudlings::new()
        .run(&["lesson", "lint", &dir.display().to_string()])
        .failure()
        .stdout_has("future.toml:1:18: error: this lesson is written in format version 2, but this cloudlings reads version 1 at most: upgrade cloudlings");
}

#[test]
fn the_shipped_lessons_lint_clean_from_disk_and_from_the_binary() {
    let dir = repo("lessons");
    Cloudlings::new()
        .run(&["lesson", "lint", &dir.display().to_string()])
        .success()
        .stdout_has("no problems");
    Cloudlings::new()
        .run(&["lesson", "lint"])
        .success()
        .stdout_has("no problems");
}

#[test]
fn the_schema_is_json_and_the_committed_copy_is_current() {
    let run = Cloudlings::new().run(&["lesson", "schema"]).success();
    let schema: serde_json::Value = serde_json::from_str(&run.stdout()).expect("JSON");
    assert_eq!(schema["title"], "cloudlings lesson");
    assert_eq!(
        schema["additionalProperties"], false,
        "unknown fields are refused"
    );
    assert!(schema["properties"]["steps"].is_object());
    let committed =
        std::fs::read_to_string(repo("lessons/lesson.schema.json")).expect("committed schema");
    assert_eq!(
        committed,
        run.stdout(),
        "lessons/lesson.schema.json is stale: run `cargo run -- lesson schema > lessons/lesson.schema.json`"
    );
}

#[test]
fn a_missing_path_is_a_clear_error() {
    let run = Cloudlings::new().run(&["lesson", "lint", "/nonexistent.toml"]);
    assert_eq!(run.code(), Some(1));
    assert!(
        run.stderr()
            .contains("cannot read lessons from /nonexistent.toml"),
        "{}",
        run.stderr()
    );
}

#[test]
fn glossary_variants_are_warned_at_the_word_and_a_missing_overview_is_an_error() {
    let dir = repo("tests/fixtures/glossary");
    let run = Cloudlings::new()
        .run(&["lesson", "lint", &dir.display().to_string()])
        .failure();
    let out = run.stdout().replace(&format!("{}/", dir.display()), "");
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [
            "no-overview.toml:2:1: error: missing `[overview]`: add `minutes`, `builds` and \
             `aws_cost` (what the lesson takes, what the learner builds, what it bills on AWS) \
             before the first step",
            "words.toml:5:46: warning: \"레슨\" — the glossary's term is \"수업\"",
            "words.toml:16:17: warning: \"개인 키\" — the glossary's term is \"프라이빗 키\"",
            "words.toml:17:10: warning: \"코스\" — the glossary's term is \"강의\"",
            "words.toml:17:14: warning: \"보안그룹\" — the glossary's term is \"보안 그룹\"",
            "1 errors, 4 warnings",
        ],
        "{out}"
    );
}

#[test]
fn a_folders_own_glossary_is_used_and_checked() {
    let dir = tempfile::tempdir().expect("dir");
    let words = std::fs::read_to_string(repo("tests/fixtures/glossary/words.toml")).expect("read");
    std::fs::write(dir.path().join("words.toml"), words).expect("write");
    let glossary = "format_version = 1\n[[terms]]\nen = \"lesson\"\nko = \"과정\"\n\
                    avoid = [\"레슨\"]\nmeans = { en = \"m\", ko = \"뜻\" }\n";
    std::fs::write(dir.path().join("glossary.toml"), glossary).expect("write");
    let run = Cloudlings::new()
        .run(&["lesson", "lint", &dir.path().display().to_string()])
        .failure();
    let out = run.stdout();
    assert!(
        out.contains("\"레슨\" — the glossary's term is \"과정\""),
        "{out}"
    );
    assert!(!out.contains("개인 키"), "only the folder's terms: {out}");
    std::fs::write(dir.path().join("glossary.toml"), "terms = 1\n").expect("write");
    let run = Cloudlings::new()
        .run(&["lesson", "lint", &dir.path().display().to_string()])
        .failure();
    assert!(
        run.stdout()
            .contains("glossary.toml:1:9: error: invalid type"),
        "{}",
        run.stdout()
    );
}

#[test]
fn oversized_endless_and_non_utf8_lesson_files_are_refused_at_their_first_line() {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(dir.path().join("big.toml"), "#".repeat(2 * 1024 * 1024)).expect("big");
    std::fs::write(
        dir.path().join("latin1.toml"),
        b"format_version = 1\nid = \"caf\xe9\"\n",
    )
    .expect("latin1");
    let endless = dir.path().join("endless.toml");
    std::os::unix::fs::symlink("/dev/zero", &endless).expect("link");
    let run = Cloudlings::new().run(&[
        "lesson",
        "lint",
        &dir.path().join("big.toml").display().to_string(),
        &dir.path().join("latin1.toml").display().to_string(),
        &endless.display().to_string(),
    ]);
    assert_eq!(run.code(), Some(1), "{}", run.stdout());
    let out = run.stdout();
    for expected in [
        "big.toml:1:1: error: the file holds more than 1048576 bytes (1 MiB)",
        "latin1.toml:1:1: error: the file is not UTF-8 text",
        "endless.toml:1:1: error: the file holds more than 1048576 bytes (1 MiB)",
    ] {
        assert!(out.contains(expected), "lacks {expected:?}:\n{out}");
    }
}
