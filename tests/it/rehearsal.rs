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
    // The guest-list fixture's solution uses the aws CLI's syntax, which the shell does not
    // run yet, and one of its checks holds before anything is done: both are reported.
    let fixtures = repo("tests/fixtures/aws");
    let run = Cloudlings::new().run(&["lesson", "test", &fixtures.display().to_string()]);
    assert_eq!(run.code(), Some(1));
    let stdout = run.stdout();
    assert!(
        stdout.contains("check \"port 22 is not open to the world\" already holds before the solution runs (actual: [])"),
        "{stdout}"
    );
    assert!(
        stdout.contains("solution line `aws ec2 create-security-group"),
        "{stdout}"
    );
}
