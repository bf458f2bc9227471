//! The instructors' guide walks through writing a lesson from an empty file: its lesson and
//! the output it shows are what cloudlings really does with them, in both languages.

use crate::{Cloudlings, repo};

/// The fenced blocks of `kind` (`toml`, `console`) in `text`, in order.
fn blocks(text: &str, kind: &str) -> Vec<String> {
    let fence = format!("```{kind}\n");
    text.split(fence.as_str())
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap_or_default().to_string())
        .collect()
}

/// A console block's command (after `$ `) and what it printed.
fn command_and_output(block: &str) -> (String, String) {
    let (command, output) = block.split_once('\n').expect("a command line");
    let command = command.strip_prefix("$ ").expect("a `$ ` prompt");
    (command.to_string(), output.to_string())
}

/// Runs a console block's `cloudlings …` command in `cloudlings`' folder.
fn printed(cloudlings: &Cloudlings, command: &str) -> String {
    let args: Vec<&str> = command
        .strip_prefix("cloudlings ")
        .expect("a cloudlings command")
        .split(' ')
        .collect();
    cloudlings.run(&args).stdout()
}

#[test]
fn the_guides_lesson_lints_and_rehearses_as_the_guide_shows() {
    let guide = std::fs::read_to_string(repo("book/src/instructors.md")).expect("the guide");
    let (english, korean) = guide.split_once("<!-- ko -->").expect("both languages");
    let lesson = blocks(english, "toml");
    assert_eq!(lesson.len(), 1, "one lesson in the walkthrough");
    assert_eq!(
        blocks(korean, "toml"),
        lesson,
        "both languages walk through the same file"
    );
    let consoles = blocks(english, "console");
    assert_eq!(consoles.len(), 3, "{consoles:?}");
    assert_eq!(blocks(korean, "console"), consoles);

    let cloudlings = Cloudlings::new();
    let dir = cloudlings.work_dir().join("my-lessons");
    std::fs::create_dir_all(&dir).expect("folder");
    let file = dir.join("01-a-group-for-the-lab.toml");
    // Each console block shows the lesson in one state: the walkthrough's prose says which.
    let without_step_title = lesson[0].replace("title.ko = \"lab 그룹 만들기\"\n", "");
    let any_group = lesson[0]
        .replace(
            "query = \"SecurityGroups[?GroupName=='lab'].GroupName\"\nexpect = \"contains\"\nvalue = \"lab\"",
            "query = \"SecurityGroups[].GroupName\"\nexpect = \"not-empty\"",
        );
    assert_ne!(
        without_step_title, lesson[0],
        "the lint example removes a title"
    );
    assert_ne!(
        any_group, lesson[0],
        "the rehearsal example loosens the check"
    );
    for (block, state) in consoles
        .iter()
        .zip([&without_step_title, &lesson[0], &any_group])
    {
        std::fs::write(&file, state).expect("write the lesson");
        let (command, output) = command_and_output(block);
        assert_eq!(printed(&cloudlings, &command), output, "$ {command}");
    }
    // And the lesson as written lints clean.
    std::fs::write(&file, &lesson[0]).expect("write the lesson");
    assert_eq!(
        printed(&cloudlings, "cloudlings lesson lint my-lessons/"),
        "1 lessons, no problems\n"
    );
}
