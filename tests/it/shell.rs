//! Learners' sessions through a pipe: lesson 1 end to end, every command, both languages.

use crate::{Cloudlings, repo};

/// Lesson 1 done as a learner would, with a wrong answer, a hint and a failed check on the way.
const LESSON_ONE: &str = "\
start what-is-the-cloud
next
1
hint
2
next
next
3
2
next
next
20
60
next
$3.74
next
next
S3
EC2
next
3
next
check
!mkdir cloudlings-lab && chmod 755 cloudlings-lab
check
!chmod 700 cloudlings-lab
check
next
next
";

#[test]
fn a_learner_completes_lesson_one() {
    let shell = Cloudlings::new().arg("--lang").arg("en");
    let run = shell.session(LESSON_ONE).success();

    let wrong = run.answer_to("1", 1);
    assert!(wrong.contains("Not quite"), "{wrong}");
    assert!(
        wrong.contains("`hint`"),
        "a wrong answer offers the hint: {wrong}"
    );
    let hint = run.answer_to("hint", 1);
    assert!(
        hint.contains("Hint 1/1: Think about who owns the machine"),
        "{hint}"
    );
    let right = run.answer_to("2", 1);
    assert!(
        right.contains("Correct!") && right.contains("someone else's"),
        "{right}"
    );

    let minimum = run.answer_to("20", 1);
    assert!(minimum.contains("Not quite"), "{minimum}");
    let cost = run.answer_to("$3.74", 1);
    assert!(
        cost.contains("Correct!") && cost.contains("3.744"),
        "{cost}"
    );

    // The task's checks fail before the learner did anything, and one by one after.
    let before = run.answer_to("check", 1);
    assert!(before.contains("✗ cloudlings-lab is a folder"), "{before}");
    assert!(
        before.contains("There is no folder named cloudlings-lab"),
        "{before}"
    );
    assert!(before.contains("0/2 passed"), "{before}");
    let half = run.answer_to("check", 2);
    assert!(half.contains("✓ cloudlings-lab is a folder"), "{half}");
    assert!(half.contains("✗ only you can open it"), "{half}");
    assert!(half.contains("1/2 passed"), "{half}");
    // Watch mode announced the pass as soon as the folder was private; `check` still says so.
    let private = run.answer_to("!chmod 700 cloudlings-lab", 1);
    assert!(
        private.contains("✓ Done — noticed without `check`."),
        "{private}"
    );
    let done = run.answer_to("check", 3);
    assert!(
        done.contains("2/2 passed") && done.contains("Well done"),
        "{done}"
    );

    let end = run.answer_to("next", 12);
    assert!(end.contains("Lesson complete: What is the cloud?"), "{end}");
    run.stdout_has("Your progress is saved");
}

#[test]
fn next_waits_until_the_step_is_passed() {
    let run = Cloudlings::new().session("start 1\nnext\nnext\n").success();
    let blocked = run.answer_to("next", 2);
    assert!(blocked.contains("Finish this step first"), "{blocked}");
    assert!(
        run.answer_to("next", 2)
            .lines()
            .all(|l| !l.contains("step 3/"))
    );
}

#[test]
fn unknown_commands_get_a_suggestion() {
    Cloudlings::new()
        .session("hnit\nlessosn\nbanana\nnext please\nreset everything\n")
        .success()
        .stdout_has("Unknown command `hnit`.\nDid you mean `hint`?")
        .stdout_has("Did you mean `lessons`?")
        .stdout_has("Unknown command `banana`.\nType `help`")
        .stdout_has("Usage: next")
        .stdout_has("`everything` is not one of: step, lesson, all");
}

#[test]
fn typos_in_aws_calls_and_host_commands_get_a_pointer() {
    let script = "aws ec3 describe-instances\n\
                  aws ec2 run-instance --image-id ami-1\n\
                  aws ec2 describe-instances --instance-idz i-1\n\
                  aws ec2 wait instance-runing\n\
                  aws lambda list-functions\n\
                  ls -l\n\
                  cd lab\n\
                  icacls key.pem /inheritance:r\n";
    let run = Cloudlings::new()
        .arg("--lang")
        .arg("en")
        .session(script)
        .success();
    let service = run.answer_to("aws ec3 describe-instances", 1);
    assert!(
        service.contains("argument command: Invalid choice, valid choices are:")
            && service.contains("Invalid choice: 'ec3', maybe you meant:\n\n  * ec2")
            && service.contains("(exited with 2)"),
        "{service}"
    );
    let operation = run.answer_to("aws ec2 run-instance --image-id ami-1", 1);
    assert!(
        operation.contains("Invalid choice: 'run-instance', maybe you meant:\n\n  * run-instances"),
        "{operation}"
    );
    let option = run.answer_to("aws ec2 describe-instances --instance-idz i-1", 1);
    assert!(
        option.contains("Unknown options: --instance-idz, i-1")
            && option.contains("Did you mean `--instance-ids`?"),
        "{option}"
    );
    let waiter = run.answer_to("aws ec2 wait instance-runing", 1);
    assert!(waiter.contains("  * instance-running"), "{waiter}");
    // Not a typo of anything this shell knows: the real CLI is the way.
    let elsewhere = run.answer_to("aws lambda list-functions", 1);
    assert!(
        elsewhere.contains("is not one of the calls this shell makes itself")
            && !elsewhere.contains("maybe you meant"),
        "{elsewhere}"
    );
    let ls = run.answer_to("ls -l", 1);
    assert!(
        ls.contains("`ls` is a command of your computer's shell") && ls.contains("  !ls -l"),
        "{ls}"
    );
    assert!(
        run.answer_to("cd lab", 1)
            .contains("it cannot change folders")
    );
    // Windows' permission tool: chmod is the way here.
    let icacls = run.answer_to("icacls key.pem /inheritance:r", 1);
    assert!(
        icacls.contains("Windows' command for file permissions")
            && icacls.contains("`chmod 400 key.pem`"),
        "{icacls}"
    );
    // The same pointers in Korean.
    let run = Cloudlings::new()
        .arg("--lang")
        .arg("ko")
        .session("ls\naws ec2 describe-instances --instance-idz i-1\n")
        .success();
    assert!(
        run.answer_to("ls", 1)
            .contains("내 컴퓨터의 셸에서 실행하는 명령")
    );
    assert!(
        run.answer_to("aws ec2 describe-instances --instance-idz i-1", 1)
            .contains("혹시 `--instance-ids` 옵션을 쓰려던 건가요?")
    );
}

#[test]
fn a_mistyped_command_at_a_quiz_is_not_lost() {
    let run = Cloudlings::new().session("start 1\nnext\nhnit\n").success();
    let answer = run.answer_to("hnit", 1);
    assert!(answer.contains("Type the number of a choice"), "{answer}");
    assert!(answer.contains("Did you mean `hint`?"), "{answer}");
}

#[test]
fn the_solution_asks_first_and_shows_after_a_failure() {
    let run = Cloudlings::new()
        .session("start 1\nnext\nsolution\nn\nsolution\ny\n2\nnext\nnext\n4\nsolution\n")
        .success();
    let asked = run.answer_to("solution", 1);
    assert!(asked.contains("Show the solution anyway? [y/N]"), "{asked}");
    assert!(run.answer_to("n", 1).contains("Cancelled."));
    let shown = run.answer_to("y", 1);
    assert!(
        shown.contains("The answer is: 2) Renting someone else's computer"),
        "{shown}"
    );
    let after_failure = run.answer_to("solution", 3);
    assert!(
        after_failure.contains("The answer is: 2) It pays only for what it uses"),
        "{after_failure}"
    );
    run.stdout_has("[y/N] › n");
}

#[test]
fn a_task_solution_lists_its_commands() {
    let shell = Cloudlings::new();
    let mut script = String::new();
    for line in LESSON_ONE.lines().take_while(|line| *line != "check") {
        script.push_str(line);
        script.push('\n');
    }
    script.push_str("check\nsolution\n");
    let run = shell.session(&script).success();
    let solution = run.answer_to("solution", 1);
    assert!(
        solution.contains("!mkdir -p cloudlings-lab\n  chmod 700 cloudlings-lab"),
        "{solution}"
    );
}

#[test]
fn reset_forgets_a_step_a_lesson_or_everything() {
    let shell = Cloudlings::new();
    // A passed step is only forgotten once the learner says yes.
    let run = shell
        .session("start 1\nnext\n2\nreset\nn\nprogress\nreset\ny\n")
        .success();
    let asked = run.answer_to("reset", 1);
    assert!(
        asked.contains("You finished this step. Start it over") && asked.contains("[y/N]"),
        "{asked}"
    );
    assert!(run.answer_to("n", 1).contains("Cancelled."));
    assert!(run.answer_to("y", 1).contains("This step starts over."));
    // `--yes` answers before the question, for scripts.
    let run = shell
        .session("next\n2\nnext\nreset lesson --yes\nnext\nnext\n")
        .success();
    let blocked = run.answer_to("next", 1);
    assert!(
        blocked.contains("Finish this step first"),
        "the quiz is passed no more: {blocked}"
    );
    let reset = run.answer_to("reset lesson --yes", 1);
    assert!(
        reset.contains("starts over from its first step") && reset.contains("step 1/12"),
        "{reset}"
    );
    let blocked = run.answer_to("next", 4);
    assert!(
        blocked.contains("Finish this step first"),
        "the lesson's quiz is passed no more: {blocked}"
    );

    shell
        .session("next\nreset all\ny\nprogress\n")
        .success()
        .stdout_has("All progress is cleared.");
    let progress = shell.session("progress\n").success();
    let lessons = cloudlings::lesson::Course::embedded().lessons.len();
    progress
        .stdout_lacks("You are at")
        .stdout_has(&format!("0/{lessons} lessons complete"));
}

#[test]
fn korean_from_the_locale_or_the_flag_and_lang_switches() {
    Cloudlings::new()
        .env("LANG", "ko_KR.UTF-8")
        .session("start 1\n")
        .success()
        .stdout_has("cloudlings에 오신 것을 환영합니다")
        .stdout_has("수업 1 · 클라우드란 무엇일까? · 1/12 단계");
    Cloudlings::new()
        .env("LC_ALL", "ko_KR.UTF-8")
        .arg("--lang")
        .arg("en")
        .session("")
        .success()
        .stdout_has("Welcome to cloudlings");

    let shell = Cloudlings::new();
    shell
        .session("lang ko\nlang\nlang fr\n")
        .success()
        .stdout_has("한국어로 바꿨습니다.")
        .stdout_has("`fr`은 지원하지 않는");
    shell
        .session("help\n")
        .success()
        .stdout_has("명령어 목록을 보거나");
}

#[test]
fn help_lists_and_explains_commands() {
    Cloudlings::new()
        .session("help\nhelp reset\nhelp nxt\n")
        .success()
        .stdout_has("  reset [step|lesson|all] [--yes]  start this step")
        .stdout_has(
            "reset [step|lesson|all] [--yes]\n  start this step, this lesson or everything over",
        )
        .stdout_has("Did you mean `next`?");
}

#[test]
fn starting_a_lesson_shows_its_overview_with_its_cost_on_aws() {
    let course = cloudlings::lesson::Course::embedded();
    let ec2 = course.find("ec2-and-cost").expect("lesson 2");
    let cost = ec2.overview.cost_short();
    Cloudlings::new()
        .session("start ec2-and-cost\n")
        .success()
        .stdout_has("══ Lesson 2 · EC2 and what it costs ══")
        .stdout_has("  Time         20 min")
        .stdout_has("  You build    Your first server: a t2.micro launched")
        .stdout_has(&format!("  On real AWS  {cost} on demand"));
    Cloudlings::new()
        .arg("--lang")
        .arg("ko")
        .session("start 6\n")
        .success()
        .stdout_has("══ 수업 6 · ")
        .stdout_has("  소요 시간      30분")
        .stdout_has("  실제 AWS 요금  < $0.01: S3와 CloudFront");
}

#[test]
fn lessons_lists_the_course_with_status() {
    let shell = Cloudlings::new();
    shell
        .session("lessons\n")
        .success()
        .stdout_has("   1  what-is-the-cloud  10 min  What is the cloud?  not started")
        .stdout_has("Altogether: ");
    shell
        .session("start\nnext\nlessons\n")
        .success()
        .stdout_has("What is the cloud?  1/12");
    shell
        .session("start nowhere\nstart what-is-the-clod\n")
        .success()
        .stdout_has("There is no lesson `nowhere`")
        .stdout_has("Did you mean `start what-is-the-cloud`?");
}

#[test]
fn piped_output_has_no_colour_and_end_of_input_quits() {
    let run = Cloudlings::new().session("start 1\n").success();
    assert!(
        !run.stdout().contains('\u{1b}'),
        "no escape codes on a pipe"
    );
    run.stdout_has("Your progress is saved. See you next time!");
}

#[test]
fn commands_run_on_the_learners_computer_in_the_shells_folder() {
    let shell = Cloudlings::new();
    let run = shell
        .session("!echo made > here.txt\n!exit 3\n!\n")
        .success();
    assert_eq!(
        std::fs::read_to_string(shell.work_dir().join("here.txt")).expect("made"),
        "made\n"
    );
    run.stdout_has("(exited with 3)")
        .stdout_has("Type a command after `!`");
}

/// An instructor's folder: the shipped lesson 1, plus the given files.
fn lesson_folder(extra: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("lesson folder");
    let one = std::fs::read_to_string(repo("lessons/01-what-is-the-cloud.toml")).expect("lesson 1");
    std::fs::write(dir.path().join("01-what-is-the-cloud.toml"), one).expect("copy lesson 1");
    for (name, text) in extra {
        std::fs::write(dir.path().join(name), text).expect("write lesson");
    }
    dir
}

#[test]
fn a_broken_lesson_does_not_take_the_shell_down() {
    let broken = std::fs::read_to_string(repo("tests/fixtures/lint/a-typo.toml")).expect("fixture");
    let folder = lesson_folder(&[("02-broken.toml", &broken)]);
    Cloudlings::new()
        .arg("--lessons")
        .arg(folder.path().display().to_string())
        .session("lessons\n")
        .success()
        .stderr_has("Some lesson files have problems")
        .stderr_has("02-broken.toml:11:1: error: unknown field `hnits`")
        .stdout_has("what-is-the-cloud  10 min  What is the cloud?")
        .stdout_lacks("typo");
}

#[test]
fn starting_a_lesson_early_names_what_it_builds_on() {
    let second = r#"
format_version = 1
id = "second"
order = 2
requires = ["what-is-the-cloud"]
title = { en = "Second", ko = "두 번째" }
summary = { en = "After the first.", ko = "첫 번째 다음." }
overview = { minutes = 5, builds = { en = "b", ko = "b" } }

[[steps]]
id = "only"
kind = "read"
text = { en = "The second lesson.", ko = "두 번째 수업." }
"#;
    let folder = lesson_folder(&[("02-second.toml", second)]);
    let run = Cloudlings::new()
        .arg("--lessons")
        .arg(folder.path().display().to_string())
        .session("start 2\nnext\n")
        .success();
    let started = run.answer_to("start 2", 1);
    assert!(
        started.contains(
            "Note: this lesson builds on \"What is the cloud?\", which you have not finished yet."
        ) && started.contains("The second lesson."),
        "{started}"
    );
    let done = run.answer_to("next", 1);
    assert!(
        done.contains("Lesson complete: Second")
            && done.contains("Next: `start what-is-the-cloud`"),
        "{done}"
    );
}

#[test]
fn a_missing_lesson_folder_is_a_clear_error() {
    let run = Cloudlings::new()
        .arg("--lessons")
        .arg("/nonexistent/lessons")
        .session("");
    assert_eq!(run.code(), Some(1));
    assert!(
        run.stderr()
            .contains("cannot read lessons from /nonexistent/lessons"),
        "{}",
        run.stderr()
    );
}

/// Prices in a lesson come from the emulator's table: the text shows them, a numeric answer
/// is one, and a hint computes with them.
#[test]
fn lesson_texts_quote_the_price_table() {
    let run = Cloudlings::new()
        .arg("--lang")
        .arg("en")
        .arg("--lessons")
        .arg(crate::repo("tests/fixtures/facts").display().to_string())
        .session("start facts\nhint\n0.15\n0.144\nquit\n")
        .success();
    let shown = run.answer_to("start facts", 1);
    assert!(
        shown.contains("A t2.micro costs USD 0.0144 an hour (prices of 2026-11)."),
        "{shown}"
    );
    assert!(run.answer_to("hint", 1).contains("0.0144 × 10"));
    assert!(!run.answer_to("0.15", 1).contains("Correct"));
    assert!(
        run.answer_to("0.144", 1).contains("Correct!"),
        "{}",
        run.answer_to("0.144", 1)
    );
}

/// `totp` shows a device's codes from its seed file, and says how to use it otherwise.
#[test]
fn totp_reads_a_seed_file() {
    let shell = Cloudlings::new().arg("--lang").arg("en");
    let seed = cloudlings_emulator::mfa::new_seed();
    std::fs::write(
        shell.work_dir().join("mfa-seed.txt"),
        cloudlings_emulator::mfa::base32(&seed),
    )
    .expect("seed");
    std::fs::write(shell.work_dir().join("not-a-seed.txt"), "hello!").expect("file");
    let run = shell
        .session("totp mfa-seed.txt\ntotp not-a-seed.txt\ntotp\nquit\n")
        .success();
    let codes: Vec<String> = run
        .answer_to("totp mfa-seed.txt", 1)
        .lines()
        .map(|line| {
            line.split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(codes.len(), 2, "{codes:?}");
    assert!(cloudlings_emulator::mfa::consecutive(
        &seed, &codes[0], &codes[1]
    ));
    assert!(
        run.answer_to("totp not-a-seed.txt", 1)
            .contains("does not hold a Base32 seed")
    );
    assert!(run.answer_to("totp", 1).contains("usage: totp"));
}

#[test]
fn a_line_that_is_not_utf8_is_skipped_and_the_shell_goes_on() {
    let run = Cloudlings::new()
        .arg("--lang")
        .arg("en")
        .session_bytes(b"lessons\n\xff\xfe not text \x1b[31m\nlessons\nquit\n")
        .success();
    let out = run.stdout();
    assert!(
        out.contains("That line is not text (it is not UTF-8), so it was skipped."),
        "{out}"
    );
    assert_eq!(out.matches("Lessons:").count(), 2, "{out}");
}
