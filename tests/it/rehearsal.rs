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

/// On the Free plan, which refuses t2.micro, the lessons launch the plan's t3.micro: every
/// solution, check, binding and mistake that names `{free_type}` works there too.
#[test]
fn the_shipped_course_rehearses_cleanly_on_the_free_plan() {
    let run = Cloudlings::new()
        .run(&["lesson", "test", "--mistakes", "--free-plan", "credits"])
        .success();
    let stdout = run.stdout();
    assert!(stdout.contains("mistakes replayed, 0 problems"), "{stdout}");
}

#[test]
fn a_check_that_cannot_fail_and_a_solution_that_misses_are_caught() {
    let fixtures = repo("tests/fixtures/rehearse");
    let run = Cloudlings::new().run(&[
        "lesson",
        "test",
        "--allow-host-commands",
        &fixtures.display().to_string(),
    ]);
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
    let run = Cloudlings::new().run(&[
        "lesson",
        "test",
        "--allow-host-commands",
        &dir.path().display().to_string(),
    ]);
    assert_eq!(run.code(), Some(1));
    assert!(
        run.stdout().contains("check \"port 22 is not open to the world\" already holds before the solution runs (actual: [])"),
        "{}",
        run.stdout()
    );
}

#[test]
fn the_shipped_course_survives_its_mistakes() {
    // Every mistake a shipped task declares is replayed, and the advice of every reason it
    // meets is followed: a suggested command that fails, or a check still failing after it,
    // is a problem.
    let run = Cloudlings::new()
        .run(&["lesson", "test", "--mistakes"])
        .success();
    let stdout = run.stdout();
    assert!(stdout.contains("mistakes replayed, 0 problems"), "{stdout}");
    let replayed: usize = stdout
        .rsplit_once(" mistakes replayed")
        .and_then(|(before, _)| before.rsplit(' ').next())
        .and_then(|count| count.parse().ok())
        .unwrap_or(0);
    assert!(
        replayed >= 30,
        "only {replayed} mistakes replayed: {stdout}"
    );
}

#[test]
fn mistakes_that_checks_miss_and_advice_that_cannot_work_are_caught() {
    let fixtures = repo("tests/fixtures/mistakes").display().to_string();
    // Without --mistakes the lessons are sound: each check fails before and holds after.
    Cloudlings::new()
        .run(&["lesson", "test", "--allow-host-commands", &fixtures])
        .success()
        .stdout_has("4 lessons, 4 task steps rehearsed, 0 problems");
    let run = Cloudlings::new()
        .run(&[
            "lesson",
            "test",
            "--mistakes",
            "--allow-host-commands",
            &fixtures,
        ])
        .failure();
    let stdout = run.stdout();
    for expected in [
        "dead-end.toml: dead-end/notes: mistake \"a file named notes\": check \"notes is a folder\" suggests `!mkdir notes`, which fails from there",
        "cannot-tell.toml: cannot-tell/notes: mistake \"notes.txt made with printf\": every check still passes",
        "cannot-tell.toml: cannot-tell/notes: mistake \"note.txt, without the s\" is declared harmless, but check \"notes.txt exists\" fails: There is no notes.txt yet: make one.",
        "cannot-tell.toml: cannot-tell/notes: mistake \"nothing done at all\": the reason of check \"notes.txt exists\" names no command that can be run as written",
        "goes-nowhere.toml: goes-nowhere/notes: mistake \"notes.txt forgotten\": after the commands its reason suggests, check \"notes.txt exists\" still fails",
        "4 lessons, 4 task steps rehearsed, 7 mistakes replayed, 5 problems",
    ] {
        assert!(stdout.contains(expected), "lacks {expected:?}:\n{stdout}");
    }
    // The lesson whose case names the file in the way, and whose harmless mistake is
    // harmless, has nothing reported (its commands are listed first, as every lesson's).
    assert!(!stdout.contains("fitting.toml: fitting/"), "{stdout}");
}

#[test]
fn another_authors_host_commands_are_listed_and_run_only_when_allowed() {
    let dir = tempfile::tempdir().expect("dir");
    let marker = dir.path().join("ran");
    let lesson = std::fs::read_to_string(repo("tests/fixtures/binds/web-group.toml"))
        .expect("fixture")
        .replace(
            "solution = [\"aws ec2 create-security-group --group-name web --description web\"]",
            &format!(
                "solution = [\"!touch {}\", \"aws ec2 create-security-group --group-name web --description web\"]",
                marker.display()
            ),
        );
    let lessons = dir.path().join("lessons");
    std::fs::create_dir(&lessons).expect("lessons");
    std::fs::write(lessons.join("web-group.toml"), lesson).expect("lesson");
    let path = lessons.display().to_string();

    let refused = Cloudlings::new().run(&["lesson", "test", &path]);
    assert_eq!(refused.code(), Some(1), "{}", refused.stdout());
    let out = refused.stdout();
    assert!(
        out.contains("These lessons run commands on this machine")
            && out.contains(&format!("web-group.toml: !touch {}", marker.display()))
            && out.contains("Nothing was run"),
        "{out}"
    );
    assert!(!marker.exists(), "a host command ran without being allowed");

    Cloudlings::new()
        .run(&["lesson", "test", "--allow-host-commands", &path])
        .success();
    assert!(marker.exists(), "allowed, the command ran");
}
