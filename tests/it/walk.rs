//! The whole shipped course walked in each language through piped standard input, with one
//! plausible mistake per lesson: at that step the learner makes the mistake, `check` fails
//! with a reason that names what went wrong, and the learner recovers by typing what the
//! reason says (its commands in backquotes, with the ids it filled in), until the step passes.
//! Every other task is done with its solution, as in `course.rs`. In lesson 5 the key is made
//! private with `chmod 600`, which the check and ssh both accept.

use cloudlings::check::{self, Bindings};
use cloudlings::lesson::{Course, StepKind};
use cloudlings::rehearsal::suggested;
use serde_json::Value;

use crate::Cloudlings;
use crate::course::{assert_every_lesson_complete, reply};

/// A mistake made at one step, and what the failing check must say about it.
struct Slip {
    lesson: &'static str,
    step: &'static str,
    /// What the learner types instead of the solution.
    run: &'static [&'static str],
    /// A piece of the reason shown, in English and in Korean.
    en: &'static str,
    ko: &'static str,
}

const SLIPS: &[Slip] = &[
    Slip {
        lesson: "what-is-the-cloud",
        step: "lab-folder",
        run: &["!touch cloudlings-lab"],
        en: "cloudlings-lab is a file, not a folder",
        ko: "cloudlings-lab이 폴더가 아니라 파일이어서",
    },
    Slip {
        lesson: "ec2-and-cost",
        step: "launch",
        run: &[
            "aws ec2 run-instances --image-id {ami_ubuntu} --instance-type t3.micro --count 1 --tag-specifications \"ResourceType=instance,Tags=[{Key=Name,Value=my-first-server}]\"",
        ],
        en: ") is not a t2.micro. Terminate it with `aws ec2 terminate-instances --instance-ids i-",
        ko: ")가 t2.micro가 아닙니다. `aws ec2 terminate-instances --instance-ids i-",
    },
    Slip {
        lesson: "mfa",
        step: "create-admin",
        run: &["aws iam create-user --user-name Admin"],
        en: "There is a user Admin, but no user admin. IAM names ignore case",
        ko: "admin과 대소문자만 다른 사용자(Admin)가 있고",
    },
    Slip {
        lesson: "security-groups",
        step: "launch",
        run: &["aws ec2 run-instances --image-id {ami_ubuntu} --instance-type t2.micro --count 1"],
        en: ") is not in the group web: without `--security-groups web` it joined the group default",
        ko: ")가 web 그룹에 없습니다. `--security-groups web` 없이 시작하면 default 그룹에 들어갑니다",
    },
    Slip {
        lesson: "ssh",
        step: "key-pair",
        run: &[
            "!mkdir -p cloudlings-lab",
            "aws ec2 create-key-pair --key-name lecture --query KeyMaterial --output text > cloudlings-lab/key.pem",
        ],
        en: "key.pem is in cloudlings-lab, but this course keeps it in the folder where cloudlings runs",
        ko: "key.pem이 cloudlings-lab 안에 있습니다. 이 강의는 키를 cloudlings를 실행한 폴더에 두고",
    },
    Slip {
        lesson: "s3-cloudfront",
        step: "upload",
        run: &["aws s3 cp cat.svg s3://{bucket}/images/"],
        en: "as images/cat.svg, inside a folder",
        ko: "폴더 안에 있습니다(키 images/cat.svg)",
    },
    Slip {
        lesson: "your-page",
        step: "page",
        run: &[
            "ssh -i \"my-page.pem\" ubuntu@{page_dns}",
            "yes",
            "sudo apt update",
            "sudo apt install -y nginx",
            "echo '<!doctype html><h1 id=me>Me</h1><img src=https://{page_bucket}.s3.amazonaws.com/avatar.svg alt=me>' | sudo tee /var/www/html/index.html",
            "exit",
        ],
        en: "The page takes its picture straight from S3",
        ko: "페이지가 CloudFront를 거치지 않고 S3에서 바로 그림을 가져옵니다",
    },
    Slip {
        lesson: "clean-up",
        step: "stop-it",
        run: &[
            "aws ec2 terminate-instances --instance-ids {forgotten_id}",
            "aws ec2 wait instance-terminated --instance-ids {forgotten_id}",
        ],
        en: "No instance named forgotten is left: it was terminated",
        ko: "forgotten 인스턴스가 남아 있지 않습니다",
    },
];

/// How many times a learner follows the reason shown before the test calls it a dead end.
const MAX_TRIES: usize = 6;

/// The values the learner's cloud gave so far, as progress keeps them, with `{myip}`.
pub fn bindings(shell: &Cloudlings, myip: &str) -> (Value, Bindings) {
    let saved: Value = std::fs::read_to_string(shell.data_dir().join("progress.json"))
        .map(|text| serde_json::from_str(&text).expect("progress is JSON"))
        .unwrap_or(Value::Null);
    let mut bindings: Bindings = saved["bindings"]
        .as_object()
        .map(|values| {
            values
                .iter()
                .map(|(name, value)| (name.clone(), value.as_str().unwrap_or_default().into()))
                .collect()
        })
        .unwrap_or_default();
    bindings.insert("myip".into(), myip.into());
    (saved, bindings)
}

fn passed(shell: &Cloudlings, myip: &str, lesson: &str, step: &str) -> bool {
    let (saved, _) = bindings(shell, myip);
    saved["lessons"][lesson][step]["passed"] == true
}

/// The reason under the first failing check of a `check`'s answer.
fn first_reason(answer: &str) -> Option<String> {
    let mut lines = answer.lines();
    while let Some(line) = lines.next() {
        if line.trim_start().starts_with('✗') {
            return lines.next().map(|reason| reason.trim().to_string());
        }
    }
    None
}

/// Makes the slip, checks that the check fails with the reason it should, then follows the
/// reasons shown until the step passes.
fn slip_and_recover(shell: &Cloudlings, myip: &str, lang: &str, slip: &Slip) {
    let (_, known) = bindings(shell, myip);
    let mut lines = vec![format!("start {}", slip.lesson)];
    lines.extend(
        slip.run
            .iter()
            .map(|line| check::fill_command(line, &known, &shell.files())),
    );
    lines.extend(["check".into(), "solution".into(), "quit".into()]);
    let run = shell.session(&lines.join("\n")).success();
    let answer = run.answer_to("check", 1);
    let expected = if lang == "ko" { slip.ko } else { slip.en };
    // The solution alone would fail from here: it names the way out first.
    let solution = run.answer_to("solution", 1);
    assert!(
        solution.contains(expected),
        "{lang}: {}/{}: the solution after the mistake does not say {expected:?} first:\n{solution}",
        slip.lesson,
        slip.step
    );
    assert!(
        answer.contains(expected),
        "{lang}: {}/{}: the check after the mistake does not say {expected:?}:\n{answer}",
        slip.lesson,
        slip.step
    );
    assert!(
        !passed(shell, myip, slip.lesson, slip.step),
        "{lang}: {}/{} passed after the mistake:\n{answer}",
        slip.lesson,
        slip.step
    );
    let mut answer = answer;
    for _ in 0..MAX_TRIES {
        let reason = first_reason(&answer).unwrap_or_else(|| {
            panic!(
                "{lang}: {}/{}: no reason under a failing check:\n{answer}",
                slip.lesson, slip.step
            )
        });
        let commands = suggested(&reason);
        assert!(
            !commands.is_empty(),
            "{lang}: {}/{}: the reason names nothing to type: {reason}",
            slip.lesson,
            slip.step
        );
        let mut lines = vec![format!("start {}", slip.lesson)];
        lines.extend(commands);
        lines.extend(["check".into(), "quit".into()]);
        let run = shell.session(&lines.join("\n")).success();
        answer = run.answer_to("check", 1);
        if passed(shell, myip, slip.lesson, slip.step) {
            return;
        }
    }
    panic!(
        "{lang}: {}/{}: still failing after following the reasons {MAX_TRIES} times:\n{answer}",
        slip.lesson, slip.step
    );
}

fn walk(lang: &str) {
    let shell = Cloudlings::new().arg("--lang").arg(lang);
    let myip = shell.session("myip\nquit\n").success().answer_to("myip", 1);
    let myip = myip.lines().next().unwrap_or_default().to_string();
    let course = Course::embedded();
    for slip in SLIPS {
        let lesson = course
            .lessons
            .iter()
            .find(|lesson| lesson.id == slip.lesson)
            .unwrap_or_else(|| panic!("no lesson {}", slip.lesson));
        assert!(
            lesson.step_index(slip.step).is_some(),
            "no step {}/{}",
            slip.lesson,
            slip.step
        );
    }
    for lesson in &course.lessons {
        for step in &lesson.steps {
            let slip = SLIPS
                .iter()
                .find(|slip| slip.lesson == lesson.id && slip.step == step.id);
            if let Some(slip) = slip {
                slip_and_recover(&shell, &myip, lang, slip);
                shell
                    .session(&format!("start {}\nnext\nquit\n", lesson.id))
                    .success();
                continue;
            }
            let (_, known) = bindings(&shell, &myip);
            let mut lines = vec![format!("start {}", lesson.id)];
            match &step.kind {
                StepKind::Read => {}
                StepKind::Quiz(answer) => lines.push(reply(answer)),
                StepKind::Task(task) => {
                    shell
                        .session(&format!("start {}\ncheck\nquit\n", lesson.id))
                        .success();
                    if !passed(&shell, &myip, &lesson.id, &step.id) {
                        if step.id == "protect-key" {
                            // 0600 is as private as the lecture's 0400, and ssh takes it.
                            lines.push("chmod 600 key.pem".into());
                        } else {
                            for line in &task.solution {
                                lines.push(check::fill_command(line, &known, &shell.files()));
                            }
                        }
                        lines.push("check".into());
                    }
                }
            }
            lines.extend(["next".into(), "quit".into()]);
            let run = shell.session(&lines.join("\n")).success();
            assert!(
                matches!(step.kind, StepKind::Read) || passed(&shell, &myip, &lesson.id, &step.id),
                "{lang}: {}/{} was not passed:\n{}",
                lesson.id,
                step.id,
                run.stdout()
            );
        }
    }
    assert_every_lesson_complete(&shell, lang, &course);
}

#[test]
fn the_course_with_a_mistake_in_each_lesson_in_english() {
    walk("en");
}

#[test]
fn the_course_with_a_mistake_in_each_lesson_in_korean() {
    walk("ko");
}
