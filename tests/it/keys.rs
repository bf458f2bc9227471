//! The keys people press in a terminal, as bash answers them: Ctrl-C stops the running command
//! and gives the prompt back, a pasted block runs line by line, and lines typed while a
//! command runs are run next.
//!
//! Each waits for what the shell prints, never for a time: a command Ctrl-C fails to stop
//! outlasts the expect timeout, and the test fails there.

use std::time::Duration;

use expectrl::{ControlCode, Expect, Session};

use crate::Cloudlings;
use crate::ssh::Cloud;

/// A learner in English.
fn learner() -> Cloudlings {
    Cloudlings::new().arg("--lang").arg("en")
}

fn terminal(shell: &Cloudlings) -> expectrl::session::OsSession {
    let mut command = shell.command();
    command.env("TERM", "xterm").env("NO_COLOR", "1");
    let mut session = Session::spawn(command).expect("spawn on a pty");
    // Shorter than every command below would take if Ctrl-C did not stop it.
    session.set_expect_timeout(Some(Duration::from_secs(15)));
    session
}

/// What the terminal shows from now until `text`.
fn until(term: &mut expectrl::session::OsSession, text: &str, what: &str) -> String {
    let found = term
        .expect(text)
        .unwrap_or_else(|error| panic!("{what}: {error}"));
    String::from_utf8_lossy(found.before()).into_owned()
}

fn quit(term: &mut expectrl::session::OsSession) {
    term.send("quit\r").expect("quit");
    term.expect("See you next time!").expect("quits");
    let status = term.get_process().wait().expect("exits");
    assert!(
        matches!(status, expectrl::process::unix::WaitStatus::Exited(_, 0)),
        "the shell ends well after the interruptions: {status:?}"
    );
}

#[test]
fn ctrl_c_stops_a_waiter_and_a_host_command_and_the_shell_goes_on() {
    let shell = learner();
    let mut term = terminal(&shell);
    until(&mut term, "cloudlings › ", "first prompt");

    // An instance that is not there yet keeps the waiter polling for minutes.
    term.send("aws ec2 wait instance-running --instance-ids i-0123456789abcdef0\r")
        .expect("type wait");
    until(
        &mut term,
        "waiting for instance-running",
        "the waiter's spinner",
    );
    term.send(ControlCode::EndOfText).expect("ctrl-c");
    let stopped = until(&mut term, "cloudlings › ", "the prompt after Ctrl-C");
    assert!(
        !stopped.contains("Waiter") && !stopped.contains("exited with"),
        "stopped quietly, as the CLI stops: {stopped:?}"
    );

    term.send("!sleep 60\r").expect("type sleep");
    std::thread::sleep(Duration::from_millis(500));
    term.send(ControlCode::EndOfText).expect("ctrl-c");
    let stopped = until(&mut term, "cloudlings › ", "the prompt after Ctrl-C");
    assert!(!stopped.contains("exited with"), "{stopped:?}");

    term.send("lessons\r").expect("type");
    until(&mut term, "Lessons:", "the shell is still there");
    quit(&mut term);
}

#[tokio::test]
async fn ctrl_c_stops_ssh_and_curl_that_a_security_group_leaves_hanging() {
    // Nothing is allowed in, and a dropped connection hangs for a minute, as on AWS.
    let cloud = Cloud::new(0o400, &[]).await;
    let shell = cloud.shell.env("CLOUDLINGS_DROP_TIMEOUT", "60");
    let mut term = terminal(&shell);
    until(&mut term, "cloudlings › ", "first prompt");

    for command in [
        format!("ssh -i key.pem ubuntu@{}", cloud.dns),
        format!("curl http://{}/", cloud.ip),
    ] {
        term.send(format!("{command}\r")).expect("type");
        // Long lines wrap on the terminal, so the echo is not looked for: the connection
        // hangs for a minute either way.
        std::thread::sleep(Duration::from_millis(1000));
        term.send(ControlCode::EndOfText).expect("ctrl-c");
        let stopped = until(&mut term, "cloudlings › ", "the prompt after Ctrl-C");
        assert!(
            !stopped.contains("timed out") && !stopped.contains("Timeout"),
            "{command}: stopped before its timeout: {stopped:?}"
        );
    }
    quit(&mut term);
}

#[test]
fn a_bracketed_paste_runs_line_by_line_each_after_its_prompt() {
    let shell = learner();
    let mut term = terminal(&shell);
    until(&mut term, "cloudlings › ", "first prompt");
    term.send("\x1b[200~progress\rlessons\r\x1b[201~")
        .expect("paste");
    term.send("\r").expect("enter");
    until(&mut term, "Course progress", "the first line ran");
    until(
        &mut term,
        "cloudlings › lessons",
        "the second, after its prompt",
    );
    until(&mut term, "Lessons:", "the second line ran");
    quit(&mut term);
}

#[test]
fn a_plain_paste_runs_every_line_not_only_the_first() {
    let shell = learner();
    let mut term = terminal(&shell);
    until(&mut term, "cloudlings › ", "first prompt");
    // A terminal without bracketed paste sends the block as keys, Enter included.
    term.send("progress\rlessons\rhelp next\r").expect("paste");
    until(&mut term, "Course progress", "the first line ran");
    until(&mut term, "Lessons:", "the second line ran");
    until(&mut term, "go on to the next step", "the third line ran");
    quit(&mut term);
}

#[test]
fn lines_typed_while_a_command_runs_run_next() {
    let shell = learner();
    let mut term = terminal(&shell);
    until(&mut term, "cloudlings › ", "first prompt");
    term.send("!sleep 2\r").expect("type sleep");
    std::thread::sleep(Duration::from_millis(300));
    term.send("progress\rlessons\r").expect("type ahead");
    until(
        &mut term,
        "Course progress",
        "the first typed-ahead line ran",
    );
    until(&mut term, "Lessons:", "the second typed-ahead line ran");
    quit(&mut term);
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_during_an_upload_stores_nothing_and_leaves_no_parts() {
    let shell = learner();
    // Half a gigabyte goes up in 8 MiB parts: long enough to be stopped halfway.
    let big = shell.work_dir().join("big.bin");
    std::fs::File::create(&big)
        .and_then(|file| file.set_len(512 << 20))
        .expect("a big file");
    let mut term = terminal(&shell);
    until(&mut term, "cloudlings › ", "first prompt");
    term.send("aws s3 mb s3://keys-upload\r").expect("type mb");
    until(&mut term, "make_bucket: keys-upload", "the bucket");
    term.send("aws s3 cp big.bin s3://keys-upload/big.bin\r")
        .expect("type cp");
    until(&mut term, "Completed", "the progress bar");
    term.send(ControlCode::EndOfText).expect("ctrl-c");
    let stopped = until(&mut term, "cloudlings › ", "the prompt after Ctrl-C");
    assert!(!stopped.contains("upload: "), "{stopped:?}");

    // The shell's cloud, asked from a second terminal: no object, no parts left to pay for.
    let env = crate::address::second_terminal_env(&shell);
    let value = |name: &str| {
        env.lines()
            .find_map(|line| line.strip_prefix(&format!("export {name}=")))
            .unwrap_or_else(|| panic!("{name} in {env}"))
            .to_string()
    };
    let config = aws_config::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .endpoint_url(value("AWS_ENDPOINT_URL"))
        .region(aws_config::Region::new(value("AWS_REGION")))
        .credentials_provider(
            aws_credential_types::provider::SharedCredentialsProvider::new(
                aws_credential_types::Credentials::new(
                    value("AWS_ACCESS_KEY_ID"),
                    value("AWS_SECRET_ACCESS_KEY"),
                    None,
                    None,
                    "test",
                ),
            ),
        )
        .build();
    let s3 = aws_sdk_s3::Client::new(&config);
    let objects = s3
        .list_objects_v2()
        .bucket("keys-upload")
        .send()
        .await
        .expect("list objects");
    assert_eq!(objects.key_count(), Some(0), "{objects:?}");
    let uploads = s3
        .list_multipart_uploads()
        .bucket("keys-upload")
        .send()
        .await
        .expect("list uploads");
    assert!(uploads.uploads().is_empty(), "{uploads:?}");
    quit(&mut term);
}
