//! Progress across restarts, and recovery from a file that cannot be read.

use crate::Cloudlings;

#[test]
fn progress_survives_a_restart_and_resumes_at_the_last_step() {
    let shell = Cloudlings::new();
    shell
        .session("start 1\nnext\n2\nnext\nnext\nhint\nquit\n")
        .success();
    let saved = std::fs::read_to_string(shell.data_dir().join("progress.json")).expect("saved");
    assert!(saved.contains("\"step\": \"why-rent-quiz\""), "{saved}");

    shell
        .session("hint\n")
        .success()
        .stdout_has("Welcome back! You were at \"What is the cloud?\", step 4/12.")
        .stdout_has("A start-up does not know")
        // The first hint was revealed before the restart; the next one comes now.
        .stdout_has("Hint 2/2:");
}

#[test]
fn a_corrupt_progress_file_is_moved_aside_with_a_message() {
    let shell = Cloudlings::new();
    let path = shell.data_dir().join("progress.json");
    std::fs::write(&path, "{\"version\": 1, \"lessons\": ").expect("corrupt it");

    shell
        .session("start 1\n")
        .success()
        .stderr_has("Your progress file could not be read: it is not valid JSON")
        .stderr_has("progress.json.unreadable-1")
        .stdout_has("step 1/12");
    let kept = shell.data_dir().join("progress.json.unreadable-1");
    assert_eq!(
        std::fs::read_to_string(kept).expect("kept"),
        "{\"version\": 1, \"lessons\": "
    );
    let fresh = std::fs::read_to_string(&path).expect("a new file");
    assert!(fresh.contains("\"version\": 1"), "{fresh}");
}

#[test]
fn progress_from_a_newer_cloudlings_is_kept_not_overwritten() {
    let shell = Cloudlings::new();
    std::fs::write(shell.data_dir().join("progress.json"), "{\"version\": 9}").expect("write");
    shell
        .session("")
        .success()
        .stderr_has("written by a newer cloudlings (progress version 9");
    assert!(shell.data_dir().join("progress.json.unreadable-1").exists());
}

#[test]
fn progress_follows_step_ids_when_a_lesson_is_edited() {
    let lessons = tempfile::tempdir().expect("lessons");
    let original =
        std::fs::read_to_string(crate::repo("lessons/01-what-is-the-cloud.toml")).expect("lesson");
    std::fs::write(lessons.path().join("01.toml"), &original).expect("copy");
    let shell = Cloudlings::new()
        .arg("--lessons")
        .arg(lessons.path().display().to_string());
    shell.session("start 1\nnext\n2\nnext\nquit\n").success();

    // The author inserts a step at the start: the learner's place and passes follow the ids.
    let inserted = original.replacen(
        "[[steps]]",
        "[[steps]]\nid = \"new-first\"\nkind = \"read\"\ntext = { en = \"New\", ko = \"새 단계\" }\n\n[[steps]]",
        1,
    );
    std::fs::write(lessons.path().join("01.toml"), inserted).expect("edit");
    shell
        .session("lessons\n")
        .success()
        .stdout_has("step 4/13")
        .stdout_has("What is the cloud?  2/13");
}
