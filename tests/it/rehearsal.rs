//! `cloudlings lesson test`: lessons rehearsed on a fresh emulator, proving their checks fail
//! before the solution and pass after it.

use crate::{Cloudlings, repo};

#[test]
fn the_shipped_course_rehearses_cleanly() {
    let run = Cloudlings::new().run(&["lesson", "test"]).success();
    let stdout = run.stdout();
    assert!(
        stdout.contains("task steps rehearsed, 0 problems"),
        "{stdout}"
    );
}

#[test]
fn a_check_that_cannot_fail_and_a_solution_that_misses_are_caught() {
    let fixtures = repo("tests/fixtures/rehearse");
    let run = Cloudlings::new().run(&["lesson", "test", &fixtures.display().to_string()]);
    assert_eq!(run.code(), Some(1), "{}", run.stdout());
    let stdout = run.stdout();
    assert!(
        stdout.contains("cannot-fail.toml: cannot-fail/notes: check \"the folder exists\" already holds before the solution runs (actual: true)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("wrong-solution.toml: wrong-solution/notes: check \"notes.txt exists\" fails after the solution ran: expected == true, actual false"),
        "{stdout}"
    );
    assert!(
        stdout.contains("2 lessons, 2 task steps rehearsed, 2 problems"),
        "{stdout}"
    );
}

#[test]
fn aws_checks_are_rehearsed_against_the_emulator() {
    // The guest-list step runs its `aws` solution with `{myip}` filled in; its checks look at
    // the emulator through aws-sdk-rust, fail before and hold after.
    // The key step redirects `aws` output into key.pem and runs `chmod`, in a folder of its
    // own, and its file checks see both.
    let run = Cloudlings::new()
        .run(&[
            "lesson",
            "test",
            &repo("tests/fixtures/aws").display().to_string(),
            &repo("tests/fixtures/key").display().to_string(),
        ])
        .success();
    assert!(
        run.stdout()
            .contains("2 lessons, 2 task steps rehearsed, 0 problems"),
        "{}",
        run.stdout()
    );
}

#[test]
fn a_check_that_holds_before_needs_its_reason() {
    let dir = tempfile::tempdir().expect("dir");
    let lesson =
        std::fs::read_to_string(repo("tests/fixtures/aws/security-group.toml")).expect("fixture");
    let unmarked: String = lesson
        .lines()
        .filter(|line| !line.starts_with("holds_before"))
        .map(|line| format!("{line}\n"))
        .collect();
    std::fs::write(dir.path().join("guest-list.toml"), unmarked).expect("write");
    let run = Cloudlings::new().run(&["lesson", "test", &dir.path().display().to_string()]);
    assert_eq!(run.code(), Some(1));
    assert!(
        run.stdout().contains("check \"port 22 is not open to the world\" already holds before the solution runs (actual: [])"),
        "{}",
        run.stdout()
    );
}
