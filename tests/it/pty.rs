//! The shell on a real terminal: completion, Ctrl-C and Ctrl-D, history and colour.

use std::time::Duration;

use expectrl::{ControlCode, Expect, Session};

use crate::Cloudlings;

fn terminal(shell: &Cloudlings) -> expectrl::session::OsSession {
    terminal_with(shell, &[("NO_COLOR", "1")])
}

fn terminal_with(shell: &Cloudlings, env: &[(&str, &str)]) -> expectrl::session::OsSession {
    let mut command = shell.command();
    command.arg("--lang").arg("en").env("TERM", "xterm");
    for (name, value) in env {
        command.env(name, value);
    }
    let mut session = Session::spawn(command).expect("spawn on a pty");
    session.set_expect_timeout(Some(Duration::from_secs(10)));
    session
}

#[test]
fn tab_completes_commands_and_lesson_ids() {
    let shell = Cloudlings::new();
    let mut term = terminal(&shell);
    term.expect("cloudlings › ").expect("first prompt");
    term.send("sta").expect("type");
    term.send(ControlCode::HorizontalTabulation).expect("tab");
    term.send("what").expect("type");
    term.send(ControlCode::HorizontalTabulation).expect("tab");
    term.send("\r").expect("enter");
    term.expect("Lesson 1 · What is the cloud? · step 1/12")
        .expect("the completed command ran");
    term.expect("what-is-the-cloud 1/12 › ")
        .expect("prompt shows the place");
    term.send(ControlCode::EndOfTransmission).expect("ctrl-d");
    term.expect("See you next time!").expect("ctrl-d quits");
}

#[test]
fn ctrl_c_clears_the_line_and_the_shell_goes_on() {
    let shell = Cloudlings::new();
    let mut term = terminal(&shell);
    term.expect("cloudlings › ").expect("first prompt");
    term.send("garbage").expect("type");
    term.expect("garbage").expect("echoed");
    term.send(ControlCode::EndOfText).expect("ctrl-c");
    // A fresh prompt: the line editor restores the terminal between two lines and drops
    // what was typed in that instant, so a person (and this test) waits for the prompt.
    term.expect("cloudlings › ").expect("a fresh prompt");
    term.send("lessons\r").expect("type");
    let found = term.expect("Lessons:").expect("the shell is still there");
    let before = String::from_utf8_lossy(found.before()).into_owned();
    assert!(
        !before.contains("Unknown command"),
        "the cleared line was not run: {before}"
    );
    term.send("quit\r").expect("quit");
    term.expect("See you next time!").expect("quits");
}

#[test]
fn history_persists_across_sessions() {
    let shell = Cloudlings::new();
    let mut term = terminal(&shell);
    term.expect("cloudlings › ").expect("first prompt");
    term.send("progress\r").expect("type");
    term.expect("Course progress").expect("ran");
    term.expect("cloudlings › ").expect("prompt");
    term.send("quit\r").expect("quit");
    term.expect("See you next time!").expect("quits");
    // The history is written on the way out, after the goodbye.
    term.get_process().wait().expect("exits");
    assert!(
        shell.data_dir().join("history.txt").exists(),
        "history saved"
    );

    let mut term = terminal(&shell);
    term.expect("cloudlings › ").expect("first prompt");
    // Up arrow goes back through the previous session: `quit`, then `progress`.
    term.send("\x1b[A").expect("up");
    term.expect("quit").expect("recalled");
    term.send("\x1b[A").expect("up");
    term.expect("progress").expect("recalled");
    term.send("\r").expect("enter");
    term.expect("Course progress").expect("ran again");
}

#[test]
fn colour_on_a_terminal_unless_no_color() {
    let shell = Cloudlings::new();
    let mut term = terminal_with(&shell, &[]);
    term.expect("cloudlings › ").expect("first prompt");
    term.send("help\r").expect("type");
    let found = term.expect("save and leave").expect("help");
    let coloured = String::from_utf8_lossy(found.before()).into_owned();
    assert!(
        coloured.contains("\u{1b}[1m\u{1b}[33mquit"),
        "commands are highlighted: {coloured:?}"
    );
    term.send("quit\r").expect("quit");
    term.get_process().wait().expect("exits");

    let mut term = terminal(&shell);
    term.expect("cloudlings › ").expect("first prompt");
    term.send("help\r").expect("type");
    let found = term.expect("save and leave").expect("help");
    let plain = String::from_utf8_lossy(found.before()).into_owned();
    assert!(
        !plain.contains("\u{1b}[33m"),
        "NO_COLOR means no colour: {plain:?}"
    );
}

#[test]
fn a_finished_task_is_announced_without_check_and_a_boot_while_idle() {
    let shell = crate::watch::fixture();
    let image = crate::watch::ubuntu_image(&shell);
    let mut term = terminal(&shell);
    term.expect("cloudlings › ").expect("first prompt");
    term.send("start boot\r").expect("type");
    term.expect("boot 1/4 › ").expect("at the first task");

    // The command that does the task is answered with the pass; nothing failed before it.
    term.send("!mkdir lab\r").expect("type");
    let found = term
        .expect(crate::watch::NOTICED)
        .expect("announced without check");
    let before = String::from_utf8_lossy(found.before()).into_owned();
    assert!(
        !before.contains('✗') && !before.contains("passed"),
        "no failure was told first: {before}"
    );
    term.expect("Type `next` to go on.")
        .expect("what comes next");
    term.send("next\r").expect("type");
    term.expect("boot 2/4 › ").expect("the pass was recorded");

    // A server boots in about ten seconds of its own: nothing more is typed, and the pass
    // appears above the prompt when it runs.
    term.send(format!(
        "aws ec2 run-instances --image-id {image} --instance-type t2.micro --query Instances[0].State.Name\r"
    ))
    .expect("type");
    term.expect("\"pending\"").expect("launched");
    let after = term.expect("boot 2/4 › ").expect("the prompt again");
    let after = String::from_utf8_lossy(after.before()).into_owned();
    assert!(
        !after.contains(crate::watch::NOTICED),
        "not running yet: {after}"
    );
    term.set_expect_timeout(Some(Duration::from_secs(30)));
    term.expect(crate::watch::NOTICED)
        .expect("announced while idle");
    term.expect("It is running: i-")
        .expect("with its explanation");
    term.set_expect_timeout(Some(Duration::from_secs(10)));
    term.send("next\r").expect("type");
    let moved = term
        .expect("step 3/4")
        .expect("the idle pass was recorded before the line ran");
    let between = String::from_utf8_lossy(moved.before()).into_owned();
    assert!(!between.contains("noticed without"), "told once: {between}");
    term.send("quit\r").expect("quit");
    term.expect("See you next time!").expect("quits");
}

#[test]
fn a_lesson_that_declares_more_reach_asks_on_the_terminal() {
    let lessons = tempfile::tempdir().expect("lessons");
    std::fs::write(
        lessons.path().join("declared.toml"),
        r#"format_version = 1
id = "declared"
order = 1
title = { en = "Your notes", ko = "내 노트" }
summary = { en = "One step.", ko = "한 단계." }
reach = { files = ["~/notes/"], hosts = ["example.com"] }

[[steps]]
id = "look"
kind = "read"
text = { en = "Read.", ko = "읽으세요." }

[overview]
minutes = 1
builds = { en = "Nothing.", ko = "없음." }
"#,
    )
    .expect("lesson");
    let shell = Cloudlings::new()
        .arg("--lessons")
        .arg(lessons.path().display().to_string());
    let mut term = terminal(&shell);
    term.expect("cloudlings › ").expect("first prompt");
    term.send("start declared\r").expect("type");
    term.expect("files: ~/notes/")
        .expect("the files it asks for");
    term.expect("hosts: example.com")
        .expect("the hosts it asks for");
    term.expect("[y/N] › ").expect("the question's prompt");
    term.send("y\r").expect("answer");
    term.expect("Allowed").expect("the answer taken");
    term.send("quit\r").expect("quit");
    term.expect("See you next time!").expect("quits");
}
