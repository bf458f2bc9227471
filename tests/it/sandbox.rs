//! `--sandbox`: the learner's own computer is an emulated workstation kept in the data
//! folder. What the course does on "your computer" (`!commands`, `chmod`, `totp`, `ssh -i`,
//! `aws … file://` and `--outfile`, `curl`, the checks' file probes) happens there, and
//! nothing of this machine is read, written or run: not by a path, absolute or with `..`, not
//! by a link, not through the network.

use std::path::Path;

use crate::Cloudlings;

/// A lesson whose one task is the lab folder of lesson 1: `cloudlings-lab`, mode 700.
fn lab_lesson(dir: &Path) {
    let lesson = r#"format_version = 1
id = "lab"
order = 1
title = { en = "The lab folder", ko = "작업 폴더" }
summary = { en = "One folder.", ko = "폴더 하나." }

[[steps]]
id = "folder"
kind = "task"
text = { en = "Make cloudlings-lab, yours alone.", ko = "나만 열 수 있는 cloudlings-lab을 만드세요." }
solution = ["!mkdir -p cloudlings-lab", "!chmod 700 cloudlings-lab"]

[[steps.checks]]
label = { en = "cloudlings-lab is a folder", ko = "cloudlings-lab 폴더가 있다" }
reason = { en = "There is no cloudlings-lab.", ko = "cloudlings-lab이 없습니다." }
probe.file = "cloudlings-lab"
query = "kind"
expect = "=="
value = "directory"

[[steps.checks]]
label = { en = "only you can open it", ko = "나만 열 수 있다" }
reason = { en = "Others can open it.", ko = "다른 사람도 열 수 있습니다." }
probe.file = "cloudlings-lab"
query = "mode"
expect = "=="
value = "0700"

[overview]
minutes = 1
builds = { en = "A folder.", ko = "폴더." }
"#;
    std::fs::create_dir_all(dir).expect("lessons");
    std::fs::write(dir.join("lab.toml"), lesson).expect("lesson");
}

fn sandboxed(shell: Cloudlings, home: &Path) -> Cloudlings {
    shell
        .arg("--lang")
        .arg("en")
        .arg("--sandbox")
        .env("HOME", &home.display().to_string())
}

#[test]
fn the_course_s_files_live_on_the_emulated_workstation() {
    let lessons = tempfile::tempdir().expect("lessons");
    lab_lesson(lessons.path());
    let home = tempfile::tempdir().expect("home");
    let shell = sandboxed(Cloudlings::new(), home.path())
        .arg("--lessons")
        .arg(lessons.path().display().to_string());
    let run = shell
        .session(
            "start lab\ncheck\n!mkdir -p cloudlings-lab\n!chmod 755 cloudlings-lab\ncheck\n\
             chmod 700 cloudlings-lab\ncheck\n!ls -ld cloudlings-lab\n!whoami\n!pwd\n\
             !cat /etc/hostname\nquit\n",
        )
        .success();
    assert!(
        run.answer_to("check", 2).contains("Others can open it."),
        "{}",
        run.stdout()
    );
    assert!(
        run.answer_to("chmod 700 cloudlings-lab", 1)
            .contains("noticed without `check`")
            && run.answer_to("check", 3).contains("the task is complete"),
        "{}",
        run.stdout()
    );
    assert!(
        run.answer_to("!ls -ld cloudlings-lab", 1)
            .starts_with("drwx------ 2 learner learner"),
        "{}",
        run.stdout()
    );
    assert_eq!(run.answer_to("!whoami", 1), "learner");
    assert_eq!(run.answer_to("!pwd", 1), "/home/learner");
    assert_eq!(run.answer_to("!cat /etc/hostname", 1), "workstation");
    // Nothing was made on this machine; the workstation was kept, and is there again.
    assert!(!shell.work_dir().join("cloudlings-lab").exists());
    assert!(shell.data_dir().join("workstation.json").is_file());
    let again = shell.session("!ls -ld cloudlings-lab\nquit\n").success();
    assert!(
        again
            .answer_to("!ls -ld cloudlings-lab", 1)
            .starts_with("drwx------"),
        "{}",
        again.stdout()
    );
}

/// Every way the course names a file, aimed at a secret of this machine: by name in the
/// folder the shell started in, by its absolute path, through `..`, through a link made in
/// the workstation. None of them reads it, changes its mode, or writes over it.
#[test]
fn no_command_reaches_a_file_of_this_machine() {
    let home = tempfile::tempdir().expect("home");
    let shell = sandboxed(Cloudlings::new(), home.path());
    let secret = shell.work_dir().join("secret.txt");
    std::fs::write(&secret, "HOST-SECRET\n").expect("secret");
    let absolute = secret.display().to_string();
    let mut up = "../".repeat(12);
    up.push_str(absolute.trim_start_matches('/'));
    let script = [
        "!cat secret.txt".to_string(),
        format!("!cat {absolute}"),
        format!("!cat {up}"),
        format!("!ln -s {absolute} link.txt"),
        "!cat link.txt".to_string(),
        "totp link.txt".to_string(),
        format!("totp {absolute}"),
        format!("chmod 600 {absolute}"),
        format!("chmod 600 {up}"),
        format!("ssh -i {absolute} ubuntu@1.2.3.4"),
        format!("aws ec2 describe-instances --filters file://{absolute}"),
        format!("aws s3 cp {absolute} s3://nowhere/"),
        format!("aws sts get-caller-identity > {absolute}"),
        format!("curl -o {absolute} https://checkip.amazonaws.com"),
        "curl file:///etc/passwd".to_string(),
        "curl http://127.0.0.1:22/".to_string(),
        "curl http://example.com/".to_string(),
        "ssh ubuntu@127.0.0.1".to_string(),
        "quit".to_string(),
    ];
    let run = shell.session(&(script.join("\n") + "\n")).success();
    let out = run.stdout();
    assert!(!out.contains("HOST-SECRET"), "{out}");
    assert_eq!(
        std::fs::read_to_string(&secret).expect("secret"),
        "HOST-SECRET\n",
        "written over"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&secret)
            .expect("secret")
            .permissions()
            .mode();
        assert_ne!(mode & 0o777, 0o600, "its mode was changed");
    }
    assert_eq!(
        run.answer_to("!cat secret.txt", 1),
        "cat: secret.txt: No such file or directory\n(exited with 1)"
    );
    assert!(
        run.answer_to(&format!("totp {absolute}"), 1)
            .contains("No such file or directory"),
        "{out}"
    );
    // The network is the emulated cloud's alone: this machine's ports and the internet do
    // not resolve from the workstation.
    for command in [
        "curl http://127.0.0.1:22/",
        "curl http://example.com/",
        "ssh ubuntu@127.0.0.1",
    ] {
        let answer = run.answer_to(command, 1);
        assert!(
            answer.contains("Could not resolve host")
                || answer.contains("Could not resolve hostname"),
            "{command}: {answer}"
        );
    }
    // A write names a file of the workstation, whose folders are not this machine's.
    assert_eq!(
        run.answer_to(&format!("aws sts get-caller-identity > {absolute}"), 1),
        format!("cannot write {absolute}: No such file or directory\n(exited with 1)")
    );
    assert!(
        run.answer_to(
            &format!("curl -o {absolute} https://checkip.amazonaws.com"),
            1
        )
        .starts_with("curl: (23) Failure writing output to destination"),
        "{out}"
    );
}

#[test]
fn a_workstation_that_cannot_be_read_is_set_aside_not_lost() {
    let home = tempfile::tempdir().expect("home");
    let shell = sandboxed(Cloudlings::new(), home.path());
    let kept = shell.data_dir().join("workstation.json");
    std::fs::write(&kept, "{ not a disk").expect("corrupt");
    let run = shell
        .session("!ls\n!echo again > note.txt\nquit\n")
        .success();
    assert_eq!(run.answer_to("!ls", 1), "");
    assert_eq!(
        std::fs::read_to_string(shell.data_dir().join("workstation.unreadable")).expect("aside"),
        "{ not a disk"
    );
    assert!(
        std::fs::read_to_string(&kept)
            .expect("kept")
            .contains("note.txt"),
        "the new workstation is kept"
    );
}
