//! Every message of the shell's interface, in English and Korean.
//!
//! Each message is written once here with both languages side by side, through `tr!`, so a
//! message cannot exist in one language only. Lesson content is not here: it comes from the
//! lesson files, with its own translations.

use crate::lang::{Lang, Particle, tr};
use cloudlings_emulator::billing;

#[cfg(test)]
mod korean;

/// One of the shell's commands, for `help` and completion.
#[derive(Debug, Clone, Copy)]
pub struct CommandHelp {
    pub name: &'static str,
    pub usage: &'static str,
    pub en: &'static str,
    pub ko: &'static str,
}

impl CommandHelp {
    pub fn describe(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Ko => self.ko,
        }
    }
}

/// The commands, in the order `help` lists them.
pub const COMMANDS: &[CommandHelp] = &[
    CommandHelp {
        name: "help",
        usage: "help [command]",
        en: "list the commands, or explain one",
        ko: "명령어 목록을 보거나 한 명령어의 설명을 봅니다",
    },
    CommandHelp {
        name: "lessons",
        usage: "lessons",
        en: "list the lessons and how far you are in each",
        ko: "수업 목록과 각 수업의 진행 상황을 봅니다",
    },
    CommandHelp {
        name: "start",
        usage: "start [lesson]",
        en: "start a lesson by id or number (without one: where you left off)",
        ko: "수업을 ID나 번호로 시작합니다 (생략하면 하던 곳부터 이어서)",
    },
    CommandHelp {
        name: "show",
        usage: "show",
        en: "show the current step again",
        ko: "지금 단계를 다시 보여 줍니다",
    },
    CommandHelp {
        name: "hint",
        usage: "hint",
        en: "reveal the next hint for this step",
        ko: "이 단계의 힌트를 하나씩 보여 줍니다",
    },
    CommandHelp {
        name: "check",
        usage: "check",
        en: "check whether the task is done",
        ko: "과제를 제대로 했는지 확인합니다",
    },
    CommandHelp {
        name: "watch",
        usage: "watch [on|off]",
        en: "notice a finished task without `check` (on by default); without a word: whether it is on",
        ko: "`check` 없이도 과제를 마치면 바로 알려 줍니다 (기본은 켜짐). 인자 없이 입력하면 지금 켜져 있는지 봅니다",
    },
    CommandHelp {
        name: "next",
        usage: "next",
        en: "go on to the next step once this one is done",
        ko: "이 단계를 마쳤으면 다음 단계로 넘어갑니다",
    },
    CommandHelp {
        name: "back",
        usage: "back",
        en: "go back to the previous step",
        ko: "이전 단계로 돌아갑니다",
    },
    CommandHelp {
        name: "answer",
        usage: "answer <reply>",
        en: "answer the quiz (or just type the answer)",
        ko: "퀴즈에 답합니다 (답만 입력해도 됩니다)",
    },
    CommandHelp {
        name: "solution",
        usage: "solution",
        en: "show the solution of this step",
        ko: "이 단계의 정답을 보여 줍니다",
    },
    CommandHelp {
        name: "reset",
        usage: "reset [step|lesson|all] [--yes]",
        en: "start this step, this lesson or everything over",
        ko: "이 단계, 이 수업, 또는 전체 진행을 처음부터 다시 합니다",
    },
    CommandHelp {
        name: "progress",
        usage: "progress",
        en: "show your progress through the course",
        ko: "강의 전체의 진행 상황을 봅니다",
    },
    CommandHelp {
        name: "lang",
        usage: "lang [en|ko]",
        en: "switch the language (English or Korean)",
        ko: "언어를 바꿉니다 (영어 en, 한국어 ko)",
    },
    CommandHelp {
        name: "clock",
        usage: "clock [advance <duration>]",
        en: "show your account's simulated time, or move it forward (e.g. `clock advance 2h`)",
        ko: "내 계정의 가상 시간을 보거나 앞으로 돌립니다 (예: `clock advance 2h`)",
    },
    CommandHelp {
        name: "bill",
        usage: "bill",
        en: "show this month's bill of the emulated account, line by line (on AWS: this session's estimated spend)",
        ko: "에뮬레이터 계정의 이번 달 요금을 항목별로 봅니다 (AWS에서는 이 세션의 예상 지출)",
    },
    CommandHelp {
        name: "cleanup",
        usage: "cleanup [--session ID|--all]",
        en: "on AWS: delete everything this session made (--session: another's; --all: every session's), in the order AWS allows",
        ko: "AWS에서: 이 세션이 만든 모든 것을 AWS가 허용하는 순서로 지웁니다 (--session: 다른 세션, --all: 모든 세션)",
    },
    CommandHelp {
        name: "edge",
        usage: "edge",
        en: "list your CloudFront distributions with the address to open each in a browser",
        ko: "CloudFront 배포 목록과 각 배포를 브라우저에서 열 주소를 봅니다",
    },
    CommandHelp {
        name: "console",
        usage: "console",
        en: "where the web console is, how to sign in, and how to do this step there",
        ko: "웹 콘솔 주소와 로그인 방법, 그리고 이 단계를 콘솔에서 하는 방법을 봅니다",
    },
    CommandHelp {
        name: "ssh",
        usage: "ssh [options] user@host",
        en: "log in to an instance as OpenSSH does: `ssh -i key.pem ubuntu@<public DNS> [command]` (also -p, -l, -o, -t, -T)",
        ko: "OpenSSH처럼 인스턴스에 접속합니다: `ssh -i key.pem ubuntu@<퍼블릭 DNS> [명령]` (-p, -l, -o, -t, -T도 됩니다)",
    },
    CommandHelp {
        name: "chmod",
        usage: "chmod <mode> <file>...",
        en: "change who may read and write your files, e.g. `chmod 400 key.pem`",
        ko: "파일을 누가 읽고 쓸 수 있는지 바꿉니다 (예: `chmod 400 key.pem`)",
    },
    CommandHelp {
        name: "aws",
        usage: "aws <service> <operation>",
        en: "call the shell's cloud as the aws CLI v1 does, with its options and output (`aws help` lists the calls)",
        ko: "강의에 나오는 호출을 aws CLI v1처럼 셸의 클라우드에 보냅니다 (`aws help`로 목록 확인)",
    },
    CommandHelp {
        name: "curl",
        usage: "curl [options] <url>",
        en: "fetch a page from an instance's web server or a CloudFront distribution (-s, -S, -i, -I, -v, -o, -H, -X, -m)",
        ko: "인스턴스의 웹 서버나 CloudFront 배포에서 페이지를 가져옵니다 (-s, -S, -i, -I, -v, -o, -H, -X, -m)",
    },
    CommandHelp {
        name: "myip",
        usage: "myip",
        en: "show your public IP address, the one security groups see",
        ko: "보안 그룹이 보는 내 퍼블릭 IP 주소를 봅니다",
    },
    CommandHelp {
        name: "totp",
        usage: "totp [--qr] <seed file>",
        en: "an MFA device's current and next codes, as an authenticator app shows them, from the seed file create-virtual-mfa-device saved (--qr draws its QR code to scan)",
        ko: "create-virtual-mfa-device가 저장한 시드 파일로 MFA 디바이스의 현재 코드와 다음 코드를 인증 앱처럼 보여 줍니다 (--qr은 스캔할 QR 코드를 그립니다)",
    },
    CommandHelp {
        name: "quit",
        usage: "quit",
        en: "save and leave (Ctrl-D does the same)",
        ko: "저장하고 끝냅니다 (Ctrl-D도 같습니다)",
    },
];

pub fn help_heading(lang: Lang) -> String {
    tr!(lang, "Commands:", "명령어:")
}

pub fn help_footer(lang: Lang) -> String {
    tr!(
        lang,
        "Type `!` and a command to run it on your own computer, e.g. `!ls`. Tab completes commands and lesson ids.",
        "`!` 뒤에 명령을 쓰면 내 컴퓨터에서 실행합니다 (예: `!ls`). Tab 키로 명령어와 수업 ID를 자동 완성할 수 있습니다."
    )
}

/// The first words of a session; `emulated` when the cloud is the shell's own emulator.
pub fn welcome(lang: Lang, emulated: bool) -> String {
    let greeting = tr!(
        lang,
        "Welcome to cloudlings: learn the cloud by doing it.\nType `lessons` to see the course, `start` to begin, `help` for every command.",
        "cloudlings에 오신 것을 환영합니다. 클라우드를 직접 다뤄 보며 배워 봅시다.\n`lessons`로 강의를 보고, `start`로 시작하세요. 모든 명령어는 `help`로 볼 수 있습니다."
    );
    if !emulated {
        return greeting;
    }
    let emulator = tr!(
        lang,
        "Your own emulated AWS runs inside this shell; in another terminal, `eval \"$(cloudlings env)\"` points the aws CLI at it.",
        "이 셸 안에서 나만의 가상 AWS가 실행됩니다. 다른 터미널에서 `eval \"$(cloudlings env)\"`를 실행하면 aws CLI가 이 AWS를 사용합니다."
    );
    format!("{greeting}\n{emulator}")
}

pub fn welcome_back(lang: Lang, lesson: &str, step: usize, total: usize) -> String {
    tr!(
        lang,
        "Welcome back! You were at \"{lesson}\", step {step}/{total}.",
        "다시 오셨군요! 지난번에는 \"{lesson}\" 수업의 {step}/{total} 단계에 있었습니다."
    )
}

pub fn broken_lessons(lang: Lang) -> String {
    tr!(
        lang,
        "Some lesson files have problems; the other lessons are ready:",
        "일부 수업 파일에 문제가 있습니다. 나머지 수업은 그대로 쓸 수 있습니다:"
    )
}

pub fn no_lessons(lang: Lang) -> String {
    tr!(
        lang,
        "There are no lessons to show. Check the lesson folder given with --lessons.",
        "보여 줄 수업이 없습니다. --lessons로 지정한 수업 폴더를 확인해 주세요."
    )
}

pub fn progress_recovered(lang: Lang, reason: &str, moved_to: &str) -> String {
    tr!(
        lang,
        "Your progress file could not be read: {reason}.\nIt was kept as {moved_to}; starting with fresh progress.",
        "진행 기록 파일을 읽을 수 없습니다: {reason}.\n원래 파일은 {moved_to}에 보관했고, 진행 기록을 새로 시작합니다."
    )
}

pub fn save_failed(lang: Lang, error: &str) -> String {
    tr!(
        lang,
        "Could not save your progress: {error}\n(`cloudlings doctor` looks at what this machine needs.)",
        "진행 기록을 저장하지 못했습니다: {error}\n(`cloudlings doctor`로 이 컴퓨터에 필요한 것을 확인할 수 있습니다.)"
    )
}

/// Said at start when the locale does not speak UTF-8.
pub fn not_utf8(lang: Lang) -> String {
    tr!(
        lang,
        "This terminal's locale is not UTF-8, so Korean text and symbols may show as garbage: `cloudlings doctor` explains the fix.",
        "이 터미널의 로캘이 UTF-8이 아니라서 한글과 기호가 깨져 보일 수 있습니다. 고치는 방법은 `cloudlings doctor`가 알려 줍니다."
    )
}

pub fn unknown_command(lang: Lang, word: &str) -> String {
    let raneun = Particle::IRaneun.after(word);
    tr!(
        lang,
        "Unknown command `{word}`.",
        "`{word}`{raneun} 명령어는 없습니다."
    )
}

pub fn did_you_mean(lang: Lang, suggestion: &str) -> String {
    let reul = Particle::EulReul.after(suggestion);
    tr!(
        lang,
        "Did you mean `{suggestion}`?",
        "`{suggestion}`{reul} 입력하려고 했나요?"
    )
}

pub fn see_help(lang: Lang) -> String {
    tr!(
        lang,
        "Type `help` for the list of commands.",
        "명령어 목록은 `help`로 볼 수 있습니다."
    )
}

pub fn usage(lang: Lang, usage: &str) -> String {
    tr!(lang, "Usage: {usage}", "사용법: {usage}")
}

pub fn no_lesson_started(lang: Lang) -> String {
    tr!(
        lang,
        "No lesson is started. Type `lessons` to see them, `start` to begin.",
        "아직 시작한 수업이 없습니다. `lessons`로 목록을 보고 `start`로 시작하세요."
    )
}

pub fn unknown_lesson(lang: Lang, name: &str) -> String {
    tr!(
        lang,
        "There is no lesson `{name}`. Type `lessons` to see them.",
        "`{name}` 수업은 없습니다. `lessons`로 목록을 확인하세요."
    )
}

pub fn requires_first(lang: Lang, missing: &str) -> String {
    tr!(
        lang,
        "Note: this lesson builds on {missing}, which you have not finished yet.",
        "참고: 이 수업은 아직 마치지 않은 {missing} 수업을 바탕으로 합니다."
    )
}

pub fn lessons_heading(lang: Lang) -> String {
    tr!(lang, "Lessons:", "수업:")
}

pub fn lessons_total(lang: Lang, duration: &str) -> String {
    tr!(
        lang,
        "Altogether: {duration}.",
        "모두 합쳐 {duration}입니다."
    )
}

pub fn overview_banner(lang: Lang, order: u32, title: &str) -> String {
    tr!(lang, "Lesson {order} · {title}", "수업 {order} · {title}")
}

/// The labels of a lesson's overview: its length, what the learner builds, its cost on AWS.
pub fn overview_labels(lang: Lang) -> [&'static str; 3] {
    match lang {
        Lang::En => ["Time", "You build", "On real AWS"],
        Lang::Ko => ["소요 시간", "만들 것", "실제 AWS 요금"],
    }
}

pub fn status_done(lang: Lang) -> String {
    tr!(lang, "done", "완료")
}

pub fn status_not_started(lang: Lang) -> String {
    tr!(lang, "not started", "시작 전")
}

pub fn start_hint(lang: Lang) -> String {
    tr!(
        lang,
        "Type `start <id>` or `start <number>` to begin a lesson.",
        "`start <id>` 또는 `start <번호>`로 수업을 시작하세요."
    )
}

pub fn step_banner(lang: Lang, order: u32, title: &str, step: usize, total: usize) -> String {
    tr!(
        lang,
        "Lesson {order} · {title} · step {step}/{total}",
        "수업 {order} · {title} · {step}/{total} 단계"
    )
}

pub fn quiz_prompt_choice(lang: Lang) -> String {
    tr!(
        lang,
        "Type the number of your answer.",
        "답의 번호를 입력하세요."
    )
}

pub fn quiz_prompt_number(lang: Lang, unit: &str) -> String {
    if unit.is_empty() {
        tr!(lang, "Type a number.", "숫자로 답하세요.")
    } else {
        tr!(
            lang,
            "Type a number (in {unit}).",
            "숫자로 답하세요 (단위: {unit})."
        )
    }
}

pub fn quiz_prompt_text(lang: Lang) -> String {
    tr!(lang, "Type your answer.", "답을 입력하세요.")
}

pub fn read_prompt(lang: Lang) -> String {
    tr!(
        lang,
        "Type `next` to go on.",
        "계속하려면 `next`를 입력하세요."
    )
}

pub fn task_checks_heading(lang: Lang) -> String {
    tr!(lang, "What will be checked:", "확인할 내용:")
}

/// What to do at a task step; `watching` when watch mode will notice it done.
pub fn task_prompt(lang: Lang, watching: bool) -> String {
    if watching {
        return tr!(
            lang,
            "Do it: the shell notices when it is done (`check` shows what is missing). `hint` gives a hint.",
            "직접 해 보세요. 다 되면 셸이 알아서 알려 줍니다(`check`로 무엇이 빠졌는지 볼 수 있습니다). 막히면 `hint`를 입력하세요."
        );
    }
    tr!(
        lang,
        "Do it, then type `check`. `hint` gives a hint.",
        "직접 해 본 다음 `check`를 입력하세요. 막히면 `hint`를 입력하세요."
    )
}

/// The first line of a pass that watch mode noticed.
pub fn noticed(lang: Lang) -> String {
    tr!(
        lang,
        "✓ Done — noticed without `check`.",
        "✓ 완료했습니다. `check` 없이 자동으로 확인했습니다."
    )
}

pub fn watch_now(lang: Lang, on: bool) -> String {
    if on {
        tr!(
            lang,
            "Watch mode is on: a finished task is noticed without `check`. `watch off` turns it off.",
            "감시 모드가 켜져 있습니다. 과제를 마치면 `check` 없이도 알려 줍니다. `watch off`로 끌 수 있습니다."
        )
    } else {
        tr!(
            lang,
            "Watch mode is off: type `check` when a task is done. `watch on` turns it on.",
            "감시 모드가 꺼져 있습니다. 과제를 마치면 `check`를 입력하세요. `watch on`으로 켤 수 있습니다."
        )
    }
}

pub fn watch_switched(lang: Lang, on: bool) -> String {
    if on {
        tr!(
            lang,
            "Watch mode on: a finished task is noticed without `check`.",
            "감시 모드를 켰습니다. 과제를 마치면 `check` 없이도 알려 줍니다."
        )
    } else {
        tr!(
            lang,
            "Watch mode off: type `check` when a task is done.",
            "감시 모드를 껐습니다. 과제를 마치면 `check`를 입력하세요."
        )
    }
}

pub fn step_already_passed(lang: Lang) -> String {
    tr!(
        lang,
        "(You have passed this step; `next` goes on.)",
        "(이미 통과한 단계입니다. `next`로 넘어갈 수 있습니다.)"
    )
}

pub fn hint(lang: Lang, n: usize, total: usize) -> String {
    tr!(lang, "Hint {n}/{total}:", "힌트 {n}/{total}:")
}

pub fn no_hints(lang: Lang) -> String {
    tr!(
        lang,
        "This step has no hints.",
        "이 단계에는 힌트가 없습니다."
    )
}

pub fn no_more_hints(lang: Lang) -> String {
    tr!(
        lang,
        "That was the last hint. `solution` shows the solution.",
        "마지막 힌트였습니다. `solution`으로 정답을 볼 수 있습니다."
    )
}

pub fn nothing_to_check_read(lang: Lang) -> String {
    tr!(
        lang,
        "There is nothing to check on a reading step: type `next` when you are ready.",
        "읽기 단계에는 확인할 것이 없습니다. 준비되면 `next`를 입력하세요."
    )
}

pub fn check_is_for_tasks(lang: Lang) -> String {
    tr!(
        lang,
        "This step is a quiz: type your answer instead of `check`.",
        "이 단계는 퀴즈입니다. `check` 대신 답을 입력하세요."
    )
}

pub fn checks_passed(lang: Lang, passed: usize, total: usize) -> String {
    tr!(
        lang,
        "{passed}/{total} passed",
        "{total}개 중 {passed}개 통과"
    )
}

/// What a lesson declares it reaches, and whether the learner allows it.
pub fn reach_question(lang: Lang, title: &str, files: &[String], hosts: &[String]) -> String {
    let list = |label: &str, items: &[String]| {
        if items.is_empty() {
            String::new()
        } else {
            format!("\n  {label} {}", items.join(", "))
        }
    };
    match lang {
        Lang::En => format!(
            "The lesson \"{title}\" asks to look beyond the course folder and the cloud:{}{}\nA lesson may read what it names there, and send requests there. Allow it only if you trust whoever wrote this lesson file. Allow? [y/N]",
            list("files:", files),
            list("hosts:", hosts),
        ),
        Lang::Ko => format!(
            "‘{title}’ 수업이 수업 폴더와 클라우드 밖을 보려고 합니다.{}{}\n수업은 그곳에 있는 것을 읽고, 그곳에 요청을 보낼 수 있습니다. 이 수업 파일을 쓴 사람을 믿을 때만 허용하세요. 허용할까요? [y/N]",
            list("파일:", files),
            list("호스트:", hosts),
        ),
    }
}

pub fn unreadable_line(lang: Lang) -> String {
    tr!(
        lang,
        "That line is not text (it is not UTF-8), so it was skipped.",
        "텍스트(UTF-8)가 아닌 줄이라 건너뛰었습니다."
    )
}

pub fn reach_refused_for_now(lang: Lang) -> String {
    tr!(
        lang,
        "Not allowed for now (the answer was neither yes nor no): the checks that need it will say they could not look, and the question comes back when cloudlings starts again.",
        "지금은 허용하지 않았습니다(예나 아니요로 답하지 않았습니다). 그곳이 필요한 확인은 확인하지 못했다고 알려 주고, cloudlings를 다시 시작하면 다시 묻습니다."
    )
}

pub fn reach_allowed(lang: Lang) -> String {
    tr!(
        lang,
        "Allowed: this lesson's checks may look there. A changed lesson file is asked about again.",
        "허용했습니다. 이 수업의 확인이 그곳을 볼 수 있습니다. 수업 파일이 바뀌면 다시 묻습니다."
    )
}

pub fn reach_refused(lang: Lang) -> String {
    tr!(
        lang,
        "Not allowed: the checks that need it will say they could not look.",
        "허용하지 않았습니다. 그곳이 필요한 확인은 확인하지 못했다고 알려 줍니다."
    )
}

pub fn joined(lang: Lang, name: &str, class: &str, account: &str) -> String {
    match lang {
        Lang::En => format!("Joined the class at {class} as {name}, with the account {account}."),
        Lang::Ko => format!(
            "{class} 수업에 {} 들어왔습니다. 계정은 {account}입니다.",
            crate::lang::particle::attach(name, crate::lang::particle::Particle::EuroRo)
        ),
    }
}

pub fn server_unanswered(lang: Lang, error: &str) -> String {
    tr!(
        lang,
        "The cloudlings server did not answer: {error}",
        "cloudlings 서버가 답하지 않았습니다: {error}"
    )
}

pub fn check_unavailable(lang: Lang, error: &str) -> String {
    tr!(
        lang,
        "could not check: {error}",
        "확인하지 못했습니다: {error}"
    )
}

pub fn unavailable_is_not_failure(lang: Lang) -> String {
    tr!(
        lang,
        "Some conditions could not be checked at all; this is not your mistake. Fix what the message says and `check` again.",
        "일부 조건은 아예 확인하지 못했습니다. 여러분이 잘못한 것이 아닙니다. 메시지에 나온 문제를 해결한 뒤 다시 `check` 하세요."
    )
}

pub fn task_passed(lang: Lang) -> String {
    tr!(
        lang,
        "Well done: the task is complete!",
        "잘했습니다! 과제를 완료했습니다."
    )
}

pub fn right_answer(lang: Lang) -> String {
    tr!(lang, "Correct!", "정답입니다!")
}

pub fn wrong_answer(lang: Lang) -> String {
    tr!(
        lang,
        "Not quite. Try again.",
        "아쉽지만 틀렸습니다. 다시 해 보세요."
    )
}

pub fn not_a_choice(lang: Lang, count: usize) -> String {
    tr!(
        lang,
        "Type the number of a choice, from 1 to {count}.",
        "보기 번호(1~{count})를 입력하세요."
    )
}

pub fn not_a_number(lang: Lang) -> String {
    tr!(
        lang,
        "Type a number, e.g. 12.5",
        "숫자로 답하세요. 예: 12.5"
    )
}

pub fn offer_hint(lang: Lang) -> String {
    tr!(
        lang,
        "Stuck? `hint` gives a hint.",
        "막혔나요? `hint`로 힌트를 볼 수 있습니다."
    )
}

pub fn offer_solution(lang: Lang) -> String {
    tr!(
        lang,
        "Still stuck? `solution` shows how it is done.",
        "그래도 어렵다면 `solution`으로 푸는 방법을 볼 수 있습니다."
    )
}

pub fn no_question_here(lang: Lang) -> String {
    tr!(
        lang,
        "There is no question to answer at this step.",
        "이 단계에는 답할 질문이 없습니다."
    )
}

pub fn type_next(lang: Lang) -> String {
    tr!(
        lang,
        "Type `next` to go on.",
        "`next`를 입력해 다음 단계로 넘어가세요."
    )
}

pub fn finish_step_first(lang: Lang) -> String {
    tr!(
        lang,
        "Finish this step first: answer the question or do the task and `check`.",
        "먼저 이 단계를 마쳐 주세요. 질문에 답하거나, 과제를 한 뒤 `check` 하세요."
    )
}

pub fn first_step(lang: Lang) -> String {
    tr!(lang, "This is the first step.", "첫 번째 단계입니다.")
}

pub fn lesson_complete(lang: Lang, title: &str) -> String {
    tr!(lang, "Lesson complete: {title}", "수업 완료: {title}")
}

pub fn next_lesson(lang: Lang, id: &str, title: &str) -> String {
    tr!(
        lang,
        "Next: `start {id}` ({title})",
        "다음 수업: `start {id}` ({title})"
    )
}

pub fn course_complete(lang: Lang) -> String {
    tr!(
        lang,
        "You have finished every lesson of the course. Congratulations!",
        "강의의 모든 수업을 마쳤습니다. 축하합니다!"
    )
}

pub fn last_step(lang: Lang) -> String {
    tr!(
        lang,
        "This is the last step of the lesson.",
        "이 수업의 마지막 단계입니다."
    )
}

pub fn nothing_to_solve(lang: Lang) -> String {
    tr!(
        lang,
        "A reading step has no solution: type `next` when you are ready.",
        "읽기 단계에는 정답이 없습니다. 준비되면 `next`를 입력하세요."
    )
}

pub fn confirm_solution(lang: Lang) -> String {
    tr!(
        lang,
        "You have not tried this step yet. Trying first is how it sticks. Show the solution anyway? [y/N]",
        "아직 이 단계를 시도하지 않았습니다. 직접 해 봐야 오래 기억에 남습니다. 그래도 정답을 볼까요? [y/N]"
    )
}

/// `solution` on a step that shows it only after a failed `check`.
pub fn solution_after_attempt(lang: Lang) -> String {
    tr!(
        lang,
        "This step shows its solution only after you have tried: do what it asks, then type `check`. If the check fails, `solution` works from then on. Stuck before that? `hint` gives a nudge at a time.",
        "이 단계는 직접 해 본 뒤에만 정답을 보여 줍니다. 단계가 요구하는 것을 해 보고 `check`를 입력하세요. 확인에 실패하면 그때부터 `solution`을 쓸 수 있습니다. 그 전에 막혔다면 `hint`가 한 번에 하나씩 실마리를 줍니다."
    )
}

pub fn solution_heading(lang: Lang) -> String {
    tr!(lang, "Solution:", "정답:")
}

/// Before the solution, when what the checks see now needs another way out first.
pub fn solution_from_here(lang: Lang) -> String {
    tr!(
        lang,
        "From where you are now, the solution below would not work yet. First:",
        "지금 상태에서는 아래 정답이 아직 통하지 않습니다. 먼저 이렇게 하세요:"
    )
}

pub fn solution_answer(lang: Lang, answer: &str) -> String {
    tr!(lang, "The answer is: {answer}", "정답은 {answer}입니다.")
}

pub fn solution_then(lang: Lang) -> String {
    tr!(
        lang,
        "Run these yourself, then `check`.",
        "직접 실행한 다음 `check` 하세요."
    )
}

pub fn cancelled(lang: Lang) -> String {
    tr!(lang, "Cancelled.", "취소했습니다.")
}

pub fn confirm_reset_all(lang: Lang) -> String {
    tr!(
        lang,
        "This forgets your progress in every lesson. Are you sure? [y/N]",
        "모든 수업의 진행 기록을 지웁니다. 계속할까요? [y/N]"
    )
}

pub fn confirm_reset_step(lang: Lang) -> String {
    tr!(
        lang,
        "You finished this step. Start it over and forget that it passed? [y/N]",
        "이 단계는 이미 통과했습니다. 통과 기록을 지우고 처음부터 다시 할까요? [y/N]"
    )
}

pub fn confirm_reset_lesson(lang: Lang, title: &str, passed: usize) -> String {
    tr!(
        lang,
        "This forgets the {passed} step(s) you passed in \"{title}\". Are you sure? [y/N]",
        "\"{title}\" 수업에서 통과한 단계 {passed}개의 기록을 지웁니다. 계속할까요? [y/N]"
    )
}

pub fn reset_step_done(lang: Lang) -> String {
    tr!(
        lang,
        "This step starts over.",
        "이 단계를 처음부터 다시 합니다."
    )
}

pub fn reset_lesson_done(lang: Lang, title: &str) -> String {
    tr!(
        lang,
        "\"{title}\" starts over from its first step.",
        "\"{title}\" 수업을 첫 단계부터 다시 합니다."
    )
}

pub fn reset_all_done(lang: Lang) -> String {
    tr!(
        lang,
        "All progress is cleared. `start` begins again.",
        "모든 진행 기록을 지웠습니다. `start`로 다시 시작하세요."
    )
}

/// Shown in a classroom learner's shell when the instructor empties their cloud.
pub fn cloud_emptied(lang: Lang) -> String {
    tr!(
        lang,
        "📣 Your instructor gave you a new, empty cloud: every instance, bucket, key pair, user \
         and distribution is gone, and the course starts over.",
        "📣 강사가 클라우드를 초기화했습니다. 인스턴스, 버킷, 키 페어, 사용자, 배포가 모두 \
         삭제되었고, 수업도 처음부터 다시 시작합니다."
    )
}

pub fn reset_scope_unknown(lang: Lang, word: &str) -> String {
    tr!(
        lang,
        "Reset what? `{word}` is not one of: step, lesson, all.",
        "무엇을 다시 할까요? `{word}` 대신 step, lesson, all 중 하나를 입력하세요."
    )
}

pub fn progress_heading(lang: Lang, done: usize, total: usize) -> String {
    tr!(
        lang,
        "Course progress: {done}/{total} lessons complete.",
        "강의 진행 상황: 수업 {total}개 중 {done}개 완료."
    )
}

pub fn progress_here(lang: Lang, title: &str, step: usize, total: usize) -> String {
    tr!(
        lang,
        "You are at \"{title}\", step {step}/{total}.",
        "지금 위치: \"{title}\" 수업, {step}/{total} 단계."
    )
}

pub fn progress_saved_in(lang: Lang, path: &str) -> String {
    tr!(lang, "Saved in {path}", "저장 위치: {path}")
}

pub fn lang_now(lang: Lang) -> String {
    tr!(
        lang,
        "The language is English. `lang ko` switches to Korean.",
        "지금 언어는 한국어입니다. `lang en`을 입력하면 영어로 바뀝니다."
    )
}

pub fn lang_switched(lang: Lang) -> String {
    tr!(lang, "Switched to English.", "한국어로 바꿨습니다.")
}

pub fn lang_unknown(lang: Lang, word: &str) -> String {
    let neun = Particle::EunNeun.after(word);
    tr!(
        lang,
        "`{word}` is not a language cloudlings speaks: use `en` or `ko`.",
        "`{word}`{neun} 지원하지 않는 언어입니다. `en` 또는 `ko`를 입력하세요."
    )
}

pub fn goodbye(lang: Lang) -> String {
    tr!(
        lang,
        "Your progress is saved. See you next time!",
        "진행 기록을 저장했습니다. 다음에 또 만나요!"
    )
}

pub fn run_failed(lang: Lang, error: &str) -> String {
    tr!(
        lang,
        "Could not run it: {error}",
        "실행하지 못했습니다: {error}"
    )
}

pub fn run_status(lang: Lang, status: &str) -> String {
    tr!(lang, "(exited with {status})", "(종료 상태: {status})")
}

pub fn run_needs_command(lang: Lang) -> String {
    tr!(
        lang,
        "Type a command after `!`, e.g. `!ls -l`.",
        "`!` 뒤에 실행할 명령을 입력하세요. 예: `!ls -l`"
    )
}

pub fn clock_now(lang: Lang, time: &str, ahead: &str) -> String {
    tr!(
        lang,
        "Simulated time: {time} ({ahead} ahead of real time).",
        "가상 시간: {time} (실제 시간보다 {ahead} 앞섬)."
    )
}

pub fn clock_advanced(lang: Lang, by: &str) -> String {
    tr!(
        lang,
        "The clock moved forward {by}.",
        "시계를 {by} 앞으로 돌렸습니다."
    )
}

pub fn clock_bad_duration(lang: Lang, text: &str) -> String {
    let neun = Particle::EunNeun.after(text);
    tr!(
        lang,
        "`{text}` is not a duration: write it like 90s, 15m, 2h, 3d or 1h30m.",
        "`{text}`{neun} 시간 길이로 읽을 수 없습니다. 90s, 15m, 2h, 3d, 1h30m처럼 입력하세요."
    )
}

pub fn aws_unsupported(lang: Lang, typed: &str) -> String {
    let neun = Particle::EunNeun.after(typed);
    tr!(
        lang,
        "`{typed}` is not one of the calls this shell makes itself (see `aws help`).\n\
         Run the real aws CLI against the same cloud, in another terminal:\n  \
         eval \"$(cloudlings env)\"\n  {typed}",
        "`{typed}`{neun} 이 셸이 직접 하는 호출이 아닙니다 (`aws help` 참고).\n\
         다른 터미널에서 같은 클라우드를 대상으로 실제 aws CLI를 실행하세요:\n  \
         eval \"$(cloudlings env)\"\n  {typed}"
    )
}

pub fn aws_help(lang: Lang) -> String {
    tr!(
        lang,
        "This shell's `aws` makes these calls against its cloud, with the aws CLI v1's options \
         (--query, --output json|text|table, --region) and output:",
        "이 셸의 `aws`는 다음 호출을 셸의 클라우드에 보냅니다. 옵션(--query, --output json|text|table, \
         --region)과 출력은 aws CLI v1과 같습니다:"
    )
}

pub fn aws_elsewhere(lang: Lang) -> String {
    tr!(
        lang,
        "For anything else, run the real aws CLI in another terminal after \
         `eval \"$(cloudlings env)\"`.",
        "그 밖의 호출은 다른 터미널에서 `eval \"$(cloudlings env)\"`를 실행한 다음 실제 aws CLI로 \
         하세요."
    )
}

pub fn aws_waiting(lang: Lang, waiter: &str) -> String {
    tr!(
        lang,
        "waiting for {waiter}…",
        "{waiter} 상태를 기다리는 중…"
    )
}

pub fn aws_no_target(lang: Lang) -> String {
    tr!(
        lang,
        "There is no cloud to call: this shell has no emulator or endpoint.",
        "호출할 클라우드가 없습니다: 이 셸에는 에뮬레이터도 엔드포인트도 없습니다."
    )
}

pub fn aws_cannot_write(lang: Lang, file: &str, error: &str) -> String {
    tr!(
        lang,
        "cannot write {file}: {error}",
        "{file}에 쓸 수 없습니다: {error}"
    )
}

pub fn no_emulator(lang: Lang) -> String {
    tr!(
        lang,
        "This needs the embedded emulator, which is not running in this shell.",
        "이 명령은 내장 에뮬레이터가 필요한데, 이 셸에서는 실행되고 있지 않습니다."
    )
}

pub fn bill_heading(lang: Lang, month: &str, account: &str, time: &str) -> String {
    tr!(
        lang,
        "Bill for {month} · account {account} · as of {time} (simulated)",
        "{month} 청구서 · 계정 {account} · {time} 기준 (가상 시간)"
    )
}

pub fn console_here(lang: Lang, url: &str, account: &str, password: &str) -> String {
    tr!(
        lang,
        "Console: {url} (open it in your browser)\nRoot user: account ID {account}, password {password}\nIAM users sign in with the password of their login profile.",
        "콘솔: {url} (브라우저에서 여세요)\n루트 사용자: 계정 ID {account}, 암호 {password}\nIAM 사용자는 로그인 프로필의 암호로 로그인합니다."
    )
}

pub fn console_on_aws(lang: Lang) -> String {
    tr!(
        lang,
        "The console is the AWS Management Console: https://console.aws.amazon.com/ (sign in as you do on AWS; choose the region Seoul, ap-northeast-2).",
        "콘솔은 AWS Management Console입니다: https://console.aws.amazon.com/ (AWS에서 하던 대로 로그인하고, 리전은 서울(ap-northeast-2)을 고르세요)."
    )
}

pub fn console_elsewhere(lang: Lang) -> String {
    tr!(
        lang,
        "This endpoint's console, if it has one, is its own: cloudlings' console comes with the embedded emulator and `cloudlings serve`.",
        "이 엔드포인트에 콘솔이 있다면 그 엔드포인트의 것입니다. cloudlings 콘솔은 내장 에뮬레이터와 `cloudlings serve`에 들어 있습니다."
    )
}

pub fn console_step(lang: Lang) -> String {
    tr!(lang, "In the console:", "콘솔에서는:")
}

pub fn console_no_step(lang: Lang) -> String {
    tr!(
        lang,
        "This step has no console directions: do it with the commands it shows.",
        "이 단계에는 콘솔 안내가 없습니다. 단계에 나온 명령으로 하세요."
    )
}

pub fn edge_empty(lang: Lang) -> String {
    tr!(
        lang,
        "No CloudFront distributions yet. Create one, and `edge` shows where to open it.",
        "아직 CloudFront 배포가 없습니다. 배포를 만들면 `edge`가 열 주소를 보여 줍니다."
    )
}

pub fn edge_line(lang: Lang, domain: &str, state: &str, url: &str) -> String {
    tr!(
        lang,
        "{domain}  {state}  open {url}",
        "{domain}  {state}  열기: {url}"
    )
}

pub fn edge_state(lang: Lang, enabled: bool, deployed: bool) -> String {
    match (enabled, deployed) {
        (false, _) => tr!(lang, "disabled", "비활성화됨"),
        (true, false) => tr!(lang, "deploying", "전파 중"),
        (true, true) => tr!(lang, "serving", "서비스 중"),
    }
}

pub fn bill_empty(lang: Lang) -> String {
    tr!(
        lang,
        "No charges this month: nothing has run yet.",
        "이번 달 요금이 없습니다. 아직 실행된 것이 없습니다."
    )
}

pub fn bill_service(lang: Lang, service: billing::Service) -> String {
    match service {
        billing::Service::Ec2 => tr!(lang, "Elastic Compute Cloud", "Elastic Compute Cloud (EC2)"),
        billing::Service::Vpc => tr!(lang, "Virtual Private Cloud", "Virtual Private Cloud (VPC)"),
    }
}

pub fn bill_free_tier(lang: Lang, pool: billing::Pool, used: &str) -> String {
    match pool {
        billing::Pool::Linux | billing::Pool::Windows => {
            let os = if pool == billing::Pool::Windows {
                "Windows"
            } else {
                "Linux"
            };
            tr!(
                lang,
                "Free tier: 750 hours a month of t2.micro/t3.micro ({os}), {used} used",
                "프리 티어: t2.micro/t3.micro ({os}) 월 750시간 중 {used}시간 사용"
            )
        }
        billing::Pool::PublicIpv4 => tr!(
            lang,
            "Free tier: 750 hours a month of public IPv4 addresses, {used} used",
            "프리 티어: 퍼블릭 IPv4 주소 월 750시간 중 {used}시간 사용"
        ),
        billing::Pool::Storage => tr!(
            lang,
            "Free tier: 30 GB-months a month of EBS storage, {used} used",
            "프리 티어: EBS 스토리지 월 30GB-월 중 {used}GB-월 사용"
        ),
    }
}

pub fn bill_credits(lang: Lang) -> String {
    tr!(lang, "Credits (free plan)", "크레딧 (무료 플랜)")
}

pub fn bill_total(lang: Lang) -> String {
    tr!(lang, "Total", "합계")
}

pub fn bill_hours(lang: Lang, hours: &str) -> String {
    tr!(lang, "{hours} Hrs", "{hours}시간")
}

pub fn bill_gb_months(lang: Lang, amount: &str) -> String {
    tr!(lang, "{amount} GB-Mo", "{amount}GB-월")
}

pub fn bill_prices(lang: Lang, as_of: &str) -> String {
    tr!(
        lang,
        "On-demand prices as of {as_of}; instances billed per second, at least 60 seconds per run; public IPv4 by the address-hour; EBS by the GB-month, prorated by the second.",
        "{as_of} 기준 온디맨드 가격입니다. 인스턴스는 초 단위로 과금하며 한 번 실행할 때마다 최소 60초가 청구됩니다. 퍼블릭 IPv4는 주소-시간 단위, EBS는 GB-월 단위로 초까지 나누어 청구됩니다."
    )
}

pub fn unterminated_quote(lang: Lang, quote: char) -> String {
    tr!(
        lang,
        "The {quote} quote is not closed: close it and try again.",
        "{quote} 따옴표가 닫히지 않았습니다. 닫은 다음 다시 입력하세요."
    )
}

pub fn ssh_key_too_open_hint(lang: Lang, key: &str) -> String {
    let reul = Particle::EulReul.after(key);
    let ro = Particle::EuroRo.after(key);
    tr!(
        lang,
        "Hint: others on this computer could read {key}, so ssh refused to use it. Make it yours alone with `chmod 400 {key}`, then run ssh again.",
        "힌트: 이 컴퓨터의 다른 사용자도 {key}{reul} 읽을 수 있어서 ssh가 이 키를 쓰지 않았습니다. `chmod 400 {key}`{ro} 나만 읽을 수 있게 바꾼 다음 ssh를 다시 실행하세요."
    )
}

pub fn ssh_key_missing_hint(lang: Lang, key: &str, cwd: &str) -> String {
    let ga = Particle::IGa.after(key);
    tr!(
        lang,
        "Hint: there is no {key} in {cwd}, the folder cloudlings runs in. Give the key's path, e.g. `-i ~/Downloads/{key}`.",
        "힌트: cloudlings를 실행한 폴더({cwd})에 {key}{ga} 없습니다. 키의 경로를 적어 주세요. 예: `-i ~/Downloads/{key}`"
    )
}

pub fn ssh_key_refused_hint(lang: Lang) -> String {
    tr!(
        lang,
        "Hint: the server did not accept the key. Is it the key pair the instance was launched with? Is the user right: `ubuntu` for Ubuntu, `ec2-user` for Amazon Linux?",
        "힌트: 서버가 키를 받아들이지 않았습니다. 인스턴스를 시작할 때 고른 키 페어가 맞나요? 사용자 이름은 맞나요? Ubuntu는 `ubuntu`, Amazon Linux는 `ec2-user`입니다."
    )
}

pub fn ssh_no_key_hint(lang: Lang) -> String {
    tr!(
        lang,
        "Hint: no key was offered. Name the key pair's file with `-i`, e.g. `ssh -i key.pem ubuntu@<host>`.",
        "힌트: 키를 하나도 보내지 않았습니다. `-i`로 키 페어 파일을 지정하세요. 예: `ssh -i key.pem ubuntu@<호스트>`"
    )
}

pub fn net_timed_out_hint(lang: Lang, port: u16) -> String {
    tr!(
        lang,
        "Hint: nothing answered. On EC2 this usually means the instance's security group has no inbound rule for port {port} from your address (`myip` shows it), or the instance is not running.",
        "힌트: 아무 응답이 없습니다. EC2에서는 보통 인스턴스의 보안 그룹에 내 주소에서 오는 {port}번 포트 인바운드 규칙이 없거나(`myip`로 내 주소 확인), 인스턴스가 실행 중이 아니라는 뜻입니다."
    )
}

pub fn net_refused_hint(lang: Lang, port: u16) -> String {
    if port == 80 {
        tr!(
            lang,
            "Hint: the instance answered, but nothing listens on port 80. Is a web server installed and running, e.g. `sudo apt install -y nginx`?",
            "힌트: 인스턴스는 응답했지만 80번 포트에서 연결을 기다리는 프로그램이 없습니다. 웹 서버를 설치해 실행했나요? 예: `sudo apt install -y nginx`"
        )
    } else {
        tr!(
            lang,
            "Hint: the host answered, but nothing listens on port {port}.",
            "힌트: 호스트는 응답했지만 {port}번 포트에서 연결을 기다리는 프로그램이 없습니다."
        )
    }
}

pub fn host_key_changed_hint(lang: Lang) -> String {
    tr!(
        lang,
        "Hint: if you know the server was replaced (a new instance can get an address an old one had), remove the old key with the `ssh-keygen -R` line above, or delete that line of the file.",
        "힌트: 서버가 바뀐 것을 알고 있다면(새 인스턴스가 예전 인스턴스의 주소를 받을 수 있습니다) 위의 `ssh-keygen -R` 명령으로 예전 키를 지우거나, 파일에서 그 줄을 지우세요."
    )
}

pub fn known_hosts_unreadable(lang: Lang, path: &str, error: &str) -> String {
    let reul = Particle::EulReul.after(path);
    tr!(
        lang,
        "Cannot read the known hosts file {path}: {error}",
        "known hosts 파일 {path}{reul} 읽을 수 없습니다: {error}"
    )
}

pub fn curl_https_unsupported(lang: Lang) -> String {
    tr!(
        lang,
        "This curl speaks https only to CloudFront distributions; use http:// for an instance. For other https sites, use your own curl: `!curl https://…`.",
        "이 curl은 CloudFront 배포에만 https로 접속합니다. 인스턴스에는 http://를 쓰세요. 다른 https 사이트는 내 컴퓨터의 curl을 쓰세요: `!curl https://…`"
    )
}

pub fn myip_hint(lang: Lang, address: &str) -> String {
    tr!(
        lang,
        "A security group rule for \"My IP\" (only this computer) allows {address}/32.",
        "보안 그룹 규칙의 소스로 \"내 IP\"(이 컴퓨터만)를 고르면 {address}/32가 허용됩니다."
    )
}

pub fn totp_usage(lang: Lang) -> String {
    tr!(
        lang,
        "usage: totp [--qr] <seed file>   (the file create-virtual-mfa-device --bootstrap-method Base32StringSeed --outfile saved)",
        "사용법: totp [--qr] <시드 파일>   (create-virtual-mfa-device --bootstrap-method Base32StringSeed --outfile로 저장한 파일)"
    )
}

pub fn totp_unreadable(lang: Lang, file: &str, error: &str) -> String {
    tr!(
        lang,
        "totp: cannot read {file}: {error}",
        "totp: {file} 파일을 읽을 수 없습니다: {error}"
    )
}

pub fn totp_not_a_seed(lang: Lang, file: &str) -> String {
    tr!(
        lang,
        "totp: {file} does not hold a Base32 seed (save one with --bootstrap-method Base32StringSeed)",
        "totp: {file}에 Base32 시드가 없습니다 (--bootstrap-method Base32StringSeed로 저장하세요)"
    )
}

pub fn totp_now(lang: Lang, left: u64) -> String {
    tr!(lang, "now ({left} s left)", "현재 코드 ({left}초 남음)")
}

pub fn totp_next(lang: Lang) -> String {
    tr!(lang, "next", "다음 코드")
}

pub fn totp_scan(lang: Lang) -> String {
    tr!(
        lang,
        "Scan it with an authenticator app (Google Authenticator, Microsoft Authenticator, …) to get the same codes on your phone.",
        "인증 앱(Google Authenticator, Microsoft Authenticator 등)으로 스캔하면 휴대폰에서 같은 코드를 볼 수 있습니다."
    )
}

pub fn on_aws_heading(lang: Lang) -> String {
    tr!(lang, "On a real AWS account:", "실제 AWS 계정에서는:")
}

pub fn on_windows_heading(lang: Lang) -> String {
    tr!(lang, "On Windows:", "윈도우에서는:")
}

pub fn check_skipped_here(lang: Lang) -> String {
    tr!(
        lang,
        "not checked on this target: only the emulator can see it",
        "이 대상에서는 확인하지 않음: 에뮬레이터만 볼 수 있습니다"
    )
}

pub fn nothing_checkable_here(lang: Lang) -> String {
    tr!(
        lang,
        "Nothing of this step can be checked on this target; it counts as done once you have read how it goes here.",
        "이 대상에서는 이 단계를 확인할 방법이 없습니다. 여기서 어떻게 하는지 읽었다면 끝낸 것으로 칩니다."
    )
}

// Typing mistakes, Ctrl-C, and the emulator's address.

/// A mistyped `--option` of an `aws` call, after the CLI's own "Unknown options" line.
pub fn aws_option_meant(lang: Lang, typed: &str, meant: &str) -> String {
    tr!(
        lang,
        "`{typed}` is not an option of this call. Did you mean `--{meant}`?",
        "`{typed}` 옵션은 이 호출에 없습니다. 혹시 `--{meant}` 옵션을 쓰려던 건가요?"
    )
}

/// A command of the learner's own shell typed at cloudlings' prompt.
pub fn host_command(lang: Lang, word: &str, line: &str) -> String {
    tr!(
        lang,
        "`{word}` is a command of your computer's shell. Here, start it with `!`:\n  !{line}",
        "`{word}` 명령은 내 컴퓨터의 셸에서 실행하는 명령입니다. 여기서는 앞에 `!` 기호를 붙이세요:\n  !{line}"
    )
}

/// `icacls`, Windows' permission tool, typed at cloudlings' prompt: `chmod` does its work here
/// on every system, and Windows' own commands are for PowerShell.
pub fn icacls(lang: Lang) -> String {
    tr!(
        lang,
        "`icacls` is Windows' command for file permissions, for PowerShell outside cloudlings. \
         Here, `chmod 400 key.pem` makes the key yours alone, on every system.",
        "`icacls`는 cloudlings 밖의 PowerShell에서 쓰는 윈도우의 파일 권한 명령입니다. \
         여기서는 어느 운영 체제에서든 `chmod 400 key.pem`으로 키를 나만 읽게 만듭니다."
    )
}

/// `cd` typed at cloudlings' prompt: `!cd` would change nothing.
pub fn no_cd(lang: Lang, cwd: &str) -> String {
    tr!(
        lang,
        "cloudlings works in the folder it was started in ({cwd}); it cannot change folders. \
         Run `!ls` to see what is there, or quit and start cloudlings in another folder.",
        "cloudlings는 시작한 폴더({cwd})에서 작업하며, 폴더를 바꿀 수 없습니다. \
         `!ls` 명령으로 폴더 내용을 보거나, 종료한 뒤 다른 폴더에서 cloudlings를 다시 시작하세요."
    )
}

/// The shell's usual port was taken by another program when it started.
pub fn port_taken(lang: Lang, wanted: u16, got: u16) -> String {
    tr!(
        lang,
        "Port {wanted} is in use by another program, so this time the emulator listens on \
         127.0.0.1:{got}. A second terminal needs `eval \"$(cloudlings env)\"` again, and \
         `cloudlings ssh-config` must be written again.",
        "다른 프로그램이 포트 {wanted}번을 쓰고 있어서, 이번에는 에뮬레이터가 127.0.0.1:{got}에서 \
         기다립니다. 두 번째 터미널에서는 `eval \"$(cloudlings env)\"` 명령을 다시 실행하고, \
         `cloudlings ssh-config` 설정도 다시 만드세요."
    )
}

/// The edge's usual port was taken by another program when the shell started.
pub fn edge_port_taken(lang: Lang, wanted: u16, got: u16) -> String {
    tr!(
        lang,
        "Port {wanted} is in use by another program, so this time the CloudFront edge is on \
         port {got}: addresses saved in a browser will not answer; `edge` shows the new ones.",
        "다른 프로그램이 포트 {wanted}번을 쓰고 있어서, 이번에는 CloudFront 엣지가 포트 {got}번에 \
         있습니다. 브라우저에 저장한 주소는 응답하지 않으니 `edge` 명령으로 새 주소를 확인하세요."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_is_described_in_both_languages() {
        for command in COMMANDS {
            assert!(
                !command.en.is_empty() && !command.ko.is_empty(),
                "{}",
                command.name
            );
            assert!(command.usage.starts_with(command.name));
        }
    }

    #[test]
    fn messages_capture_their_arguments() {
        assert_eq!(hint(Lang::En, 1, 3), "Hint 1/3:");
        assert_eq!(hint(Lang::Ko, 1, 3), "힌트 1/3:");
    }
}
