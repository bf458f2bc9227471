//! Values a passed step remembers for later ones: `{group_id}` in the next step's text,
//! labels, solution and expected value, kept across a restart of the shell.

use crate::{Cloudlings, repo};

fn shell() -> Cloudlings {
    Cloudlings::new()
        .arg("--lang")
        .arg("en")
        .arg("--lessons")
        .arg(repo("tests/fixtures/binds").display().to_string())
}

#[test]
fn a_passed_step_names_its_group_for_the_next_and_remembers_it() {
    let shell = shell();
    let run = shell
        .session("start web-group\naws ec2 create-security-group --group-name web --description web\ncheck\nnext\nquit\n")
        .success();
    let step = run.answer_to("next", 1);
    let id = step
        .split_whitespace()
        .find_map(|word| word.strip_prefix("sg-"))
        .map(|rest| format!("sg-{}", rest.trim_end_matches('.')))
        .unwrap_or_else(|| panic!("the group's id in the next step: {step}"));
    assert!(
        step.contains(&format!("• {id} admits port 80 from anywhere")),
        "{step}"
    );

    // After a restart the value is still known: the check names it, and passes once done.
    let again = shell
        .session(&format!(
            "check\naws ec2 authorize-security-group-ingress --group-id {id} --protocol tcp --port 80 --cidr 0.0.0.0/0\ncheck\nquit\n"
        ))
        .success();
    let before = again.answer_to("check", 1);
    assert!(
        before.contains(&format!("{id} has no rule for port 80")),
        "{before}"
    );
    assert!(
        again.answer_to("check", 2).contains("1/1"),
        "{}",
        again.stdout()
    );
}

#[test]
fn lesson_test_carries_bound_values_into_later_solutions() {
    let run = shell()
        .run(&[
            "lesson",
            "test",
            &repo("tests/fixtures/binds").display().to_string(),
        ])
        .success();
    assert!(
        run.stdout()
            .contains("1 lessons, 2 task steps rehearsed, 0 problems"),
        "{}",
        run.stdout()
    );
}

#[test]
fn binding_names_are_checked() {
    let dir = tempfile::tempdir().expect("dir");
    let lesson = std::fs::read_to_string(repo("tests/fixtures/binds/web-group.toml"))
        .expect("fixture")
        .replace("name = \"group_id\"", "name = \"myip\"");
    std::fs::write(dir.path().join("web-group.toml"), lesson).expect("write");
    let run = Cloudlings::new().run(&["lesson", "lint", &dir.path().display().to_string()]);
    assert_eq!(run.code(), Some(1));
    assert!(
        run.stdout()
            .contains("web-group.toml:22:8: error: `myip` is given by cloudlings"),
        "{}",
        run.stdout()
    );
}
