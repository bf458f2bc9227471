//! Watch mode through a pipe: a finished task is announced after the line that finished it,
//! without `check`; a task not finished yet says nothing; `watch off` leaves it to `check`.
//! The fixture has a folder to make, a server to boot, a port that must time out, and a quiz;
//! a second one asks for a command run inside an `ssh` session.

use crate::{Cloudlings, repo};

pub const NOTICED: &str = "✓ Done — noticed without `check`.";

fn shell() -> Cloudlings {
    fixture().arg("--lang").arg("en")
}

/// The shell on the fixture's lesson, in the language of the environment.
pub fn fixture() -> Cloudlings {
    Cloudlings::new()
        .arg("--lessons")
        .arg(repo("tests/fixtures/watch").display().to_string())
}

/// The emulator's Ubuntu image, as the learner would look it up.
pub fn ubuntu_image(shell: &Cloudlings) -> String {
    let run = shell
        .session("aws ec2 describe-images --owners 099720109477 --query \"Images[0].ImageId\" --output text\nquit\n")
        .success();
    run.stdout()
        .split_whitespace()
        .find(|word| word.starts_with("ami-"))
        .unwrap_or_else(|| panic!("an image id in\n{}", run.stdout()))
        .to_string()
}

#[test]
fn the_line_that_finishes_a_task_announces_it_and_the_next_step_follows() {
    let shell = shell();
    let run = shell
        .session("start boot\n!mkdir lab\nnext\nquit\n")
        .success();
    let made = run.answer_to("!mkdir lab", 1);
    assert!(made.contains(NOTICED), "{made}");
    assert!(made.contains("✓ lab is a folder"), "{made}");
    assert!(
        made.contains("The folder is there."),
        "the explanation: {made}"
    );
    assert!(made.contains("Type `next` to go on."), "{made}");
    let next = run.answer_to("next", 1);
    assert!(next.contains("step 2/4"), "the pass was recorded: {next}");
}

#[test]
fn a_task_not_finished_yet_says_nothing_unasked() {
    let shell = shell();
    let run = shell
        .session("start boot\n!true\naws ec2 describe-instances\n!mkdir other\ncheck\nquit\n")
        .success();
    for line in ["!true", "aws ec2 describe-instances", "!mkdir other"] {
        let answer = run.answer_to(line, 1);
        for said in ["✗", "passed", "lab", "hint", NOTICED] {
            assert!(
                !answer.contains(said),
                "`{line}` said {said:?} unasked:\n{answer}"
            );
        }
    }
    // Asked, the check says what is missing, as before.
    let check = run.answer_to("check", 1);
    assert!(check.contains("✗ lab is a folder"), "{check}");
    assert!(check.contains("0/1 passed"), "{check}");
}

#[test]
fn watch_off_leaves_the_pass_to_check_and_survives_a_restart() {
    let shell = shell();
    let run = shell
        .session("watch\nwatch off\nstart boot\n!mkdir lab\nnext\ncheck\nquit\n")
        .success();
    assert!(
        run.answer_to("watch", 1).contains("Watch mode is on"),
        "on by default: {}",
        run.stdout()
    );
    assert!(run.answer_to("watch off", 1).contains("Watch mode off"));
    let start = run.answer_to("start boot", 1);
    assert!(start.contains("then type `check`"), "{start}");
    let made = run.answer_to("!mkdir lab", 1);
    assert!(!made.contains(NOTICED), "{made}");
    assert!(
        run.answer_to("next", 1).contains("Finish this step first"),
        "not passed unasked"
    );
    let check = run.answer_to("check", 1);
    assert!(check.contains("1/1 passed"), "{check}");
    assert!(check.contains("Well done"), "{check}");

    // Off after a restart too; on again, and that is remembered as well.
    let again = shell
        .session("watch\nwatch on\nquit\n")
        .success()
        .stdout_has("Watch mode is off");
    assert!(again.answer_to("watch on", 1).contains("Watch mode on"));
    shell
        .session("watch\nquit\n")
        .success()
        .stdout_has("Watch mode is on");
}

#[test]
fn watch_takes_on_or_off_and_korean() {
    let shell = shell();
    let run = shell
        .session("watch sometimes\nlang ko\nwatch off\nwatch\nquit\n")
        .success();
    assert!(
        run.answer_to("watch sometimes", 1)
            .contains("watch [on|off]"),
        "{}",
        run.stdout()
    );
    assert!(
        run.answer_to("watch off", 1)
            .contains("감시 모드를 껐습니다"),
        "{}",
        run.stdout()
    );
    assert!(
        run.answer_to("watch", 1)
            .contains("감시 모드가 꺼져 있습니다"),
        "{}",
        run.stdout()
    );
}

#[test]
fn quiz_and_read_steps_are_left_alone() {
    // Lesson 1 starts with a reading, then a quiz: a command there grades nothing.
    let run = Cloudlings::new()
        .arg("--lang")
        .arg("en")
        .session("start what-is-the-cloud\n!true\nnext\n!true\n2\nquit\n")
        .success();
    assert_eq!(run.answer_to("!true", 1).trim(), "", "{}", run.stdout());
    assert_eq!(run.answer_to("!true", 2).trim(), "", "{}", run.stdout());
    assert!(
        run.answer_to("2", 1).contains("Correct!"),
        "{}",
        run.stdout()
    );
}

#[test]
fn a_server_booting_passes_when_the_clock_moves_and_its_values_are_remembered() {
    let shell = shell();
    let image = ubuntu_image(&shell);
    let run = shell
        .session(&format!(
            "start boot\n!mkdir lab\nnext\naws ec2 run-instances --image-id {image} --instance-type t2.micro --query Instances[0].State.Name\nclock advance 1m\nnext\nquit\n"
        ))
        .success();
    let launched = run.answer_to(
        &format!(
            "aws ec2 run-instances --image-id {image} --instance-type t2.micro --query Instances[0].State.Name"
        ),
        1,
    );
    assert!(launched.contains("pending"), "{launched}");
    assert!(!launched.contains(NOTICED), "still booting: {launched}");
    let moved = run.answer_to("clock advance 1m", 1);
    assert!(moved.contains(NOTICED), "{moved}");
    assert!(moved.contains("It is running: i-"), "the bound id: {moved}");
    let next = run.answer_to("next", 2);
    assert!(
        next.contains("Knock on port 8080 of i-"),
        "the bound id in the next step: {next}"
    );
}

#[test]
fn a_check_that_expects_a_timeout_is_not_passed_by_a_short_silence() {
    let shell = shell().arg("--drop-timeout").arg("1");
    let image = ubuntu_image(&shell);
    let run = shell
        .session(&format!(
            "start boot\n!mkdir lab\nnext\naws ec2 run-instances --image-id {image} --instance-type t2.micro\nclock advance 1m\nnext\naws ec2 describe-instances --query length(Reservations)\ncheck\nquit\n"
        ))
        .success();
    // The port drops what comes: a quiet look gives up long before the network's own
    // timeout, which is no answer yet; `check` waits for it.
    let looked = run.answer_to("aws ec2 describe-instances --query length(Reservations)", 1);
    assert!(!looked.contains(NOTICED), "{looked}");
    let check = run.answer_to("check", 1);
    assert!(check.contains("✓ port 8080 times out"), "{check}");
    assert!(check.contains("1/1 passed"), "{check}");
}

#[tokio::test]
async fn a_line_typed_into_a_remote_shell_can_finish_the_task() {
    let cloud = crate::ssh::Cloud::new(0o400, &[22]).await;
    let ssh = cloud.ssh("");
    let shell = cloud
        .shell
        .arg("--lessons")
        .arg(repo("tests/fixtures/watch-ssh").display().to_string());
    let run = shell
        .session(&format!(
            "start remote\n{ssh}\nhostname\nwhoami\nexit\nnext\n"
        ))
        .success();
    // Logging in and another command are not the task: nothing is said.
    assert!(
        !run.answer_to(&ssh, 1).contains(NOTICED),
        "{}",
        run.stdout()
    );
    assert!(
        !run.answer_to("hostname", 1).contains(NOTICED),
        "{}",
        run.stdout()
    );
    // Once `whoami` has run on the server, the pass comes before the remote prompt again.
    let whoami = run.answer_to("whoami", 1);
    assert!(whoami.starts_with("ubuntu\n"), "{whoami}");
    assert!(whoami.contains(NOTICED), "{whoami}");
    assert!(whoami.contains("you are ubuntu"), "{whoami}");
    assert!(
        run.answer_to("next", 1).contains("Lesson complete"),
        "{}",
        run.stdout()
    );
}
