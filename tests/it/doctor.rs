//! `cloudlings doctor`: what the course needs on this machine, each with its fix, in the
//! learner's language; it exits 1 when something must be fixed.

use crate::Cloudlings;

fn doctor(lang: &str, locale: &str) -> Cloudlings {
    Cloudlings::new()
        .arg("--lang")
        .arg(lang)
        .env("LANG", locale)
        .env("LC_CTYPE", "")
}

#[test]
fn a_machine_with_what_the_course_needs_is_all_set() {
    let run = doctor("en", "C.UTF-8").run(&["doctor"]).success();
    let said = run.stdout();
    assert!(
        said.contains("✓ The terminal speaks UTF-8 (C.UTF-8)."),
        "{said}"
    );
    assert!(said.contains("✓ OpenSSH's ssh is at"), "{said}");
    assert!(said.contains("✓ Progress is kept in"), "{said}");
    assert!(said.contains("All set."), "{said}");
    // The test machine has Noto CJK (the test script installs it).
    let korean = doctor("ko", "ko_KR.UTF-8").run(&["doctor"]).success();
    assert!(
        korean.stdout().contains("✓ 한글 글꼴이 설치되어 있습니다"),
        "{}",
        korean.stdout()
    );
}

#[test]
fn what_is_wrong_is_told_with_its_fix_and_fails_the_run() {
    let run = doctor("en", "C").run(&["doctor"]).failure();
    let said = run.stdout();
    assert!(said.contains("✗ The locale is C, not UTF-8"), "{said}");
    assert!(said.contains("export LANG=C.UTF-8"), "{said}");
    assert!(said.contains("1 to fix"), "{said}");

    // A data folder that is a file takes nothing (permissions would not stop a root user).
    let cli = doctor("ko", "ko_KR.UTF-8");
    std::fs::remove_dir_all(cli.data_dir()).expect("empty the data folder");
    std::fs::write(cli.data_dir(), b"").expect("a file in its place");
    let run = cli.run(&["doctor"]).failure();
    let said = run.stdout();
    assert!(said.contains("✗") && said.contains("쓸 수 없어"), "{said}");
    assert!(said.contains("`--data-dir`로 지정하거나"), "{said}");
}

#[test]
fn a_port_another_program_holds_is_worth_knowing_not_a_failure() {
    let held = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = held.local_addr().expect("address").port().to_string();
    let run = doctor("en", "C.UTF-8")
        .env("CLOUDLINGS_PORT", &port)
        .run(&["doctor"])
        .success();
    assert!(
        run.stdout()
            .contains(&format!("! Port {port} is in use by another program")),
        "{}",
        run.stdout()
    );
}
