//! The shell on a real terminal: line editing, completion, Ctrl-C and Ctrl-D.

use std::time::Duration;

use expectrl::{ControlCode, Expect, Session};

use crate::Cloudlings;

fn terminal(shell: &Cloudlings) -> expectrl::session::OsSession {
    let mut command = shell.command();
    command
        .arg("--lang")
        .arg("en")
        .env("TERM", "xterm")
        .env("NO_COLOR", "1");
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
