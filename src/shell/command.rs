//! Reading what the learner typed into a [`Command`].

use super::messages::COMMANDS;
use crate::words::{self, Unterminated};

/// How much `reset` forgets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Step,
    Lesson,
    All,
}

/// Whose resources `cleanup` deletes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CleanupScope {
    ThisSession,
    Session(String),
    All,
}

/// A line of input, understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Help(Option<String>),
    Lessons,
    Start(Option<String>),
    Show,
    Hint,
    Check,
    Next,
    Back,
    Answer(String),
    Solution,
    /// `reset [step|lesson|all] [--yes]`: `--yes` answers the question before it is asked.
    Reset {
        scope: Scope,
        yes: bool,
    },
    Progress,
    Lang(Option<String>),
    /// `watch on|off`, or `watch` to ask whether it is on.
    Watch(Option<bool>),
    /// `clock`, or `clock advance <duration>`.
    Clock(Option<String>),
    Bill,
    /// The distributions the edge serves, with the URL to open each.
    Edge,
    /// Where the web console is, how to sign in, and the step done there.
    Console,
    /// `ssh …`, with the words after it.
    Ssh(Vec<String>),
    /// `chmod …`, with the words after it.
    Chmod(Vec<String>),
    /// `aws …`, with the words after it.
    Aws(Vec<String>),
    /// `curl …`, with the words after it.
    Curl(Vec<String>),
    /// The learner's public address on the emulated network.
    MyIp,
    /// `cleanup [--session ID|--all]`: what sessions made on AWS, deleted.
    Cleanup(CleanupScope),
    /// `totp …`: an MFA device's codes, or its QR code.
    Totp(Vec<String>),
    Quit,
    /// `!cmd`: run a command on the learner's own computer.
    Run(String),
}

/// What a line turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Empty,
    Command(Command),
    /// Not a command; at a quiz it is taken as the answer.
    Other {
        word: String,
        line: String,
    },
    /// A command whose arguments open a quote they never close.
    Unterminated(char),
    /// A known command with arguments it does not take.
    BadArguments {
        usage: &'static str,
        detail: Option<String>,
    },
}

/// Words that mean a command, beyond the commands' own names.
const ALIASES: &[(&str, &str)] = &[("exit", "quit"), ("?", "help"), ("hints", "hint")];

pub fn parse(line: &str) -> Input {
    let line = line.trim();
    if line.is_empty() {
        return Input::Empty;
    }
    if let Some(command) = line.strip_prefix('!') {
        return Input::Command(Command::Run(command.trim().to_string()));
    }
    let (word, rest) = match line.split_once(char::is_whitespace) {
        Some((word, rest)) => (word, rest.trim()),
        None => (line, ""),
    };
    let lower = word.to_lowercase();
    let name = ALIASES
        .iter()
        .find(|(alias, _)| *alias == lower)
        .map_or(lower.as_str(), |(_, name)| name);
    let arg = (!rest.is_empty()).then(|| rest.to_string());
    let no_args = |command| match arg {
        None => Input::Command(command),
        Some(_) => bad(name, None),
    };
    match name {
        "help" => Input::Command(Command::Help(arg)),
        "lessons" => no_args(Command::Lessons),
        "start" => Input::Command(Command::Start(arg)),
        "show" => no_args(Command::Show),
        "hint" => no_args(Command::Hint),
        "check" => no_args(Command::Check),
        "next" => no_args(Command::Next),
        "back" => no_args(Command::Back),
        "answer" => match arg {
            Some(reply) => Input::Command(Command::Answer(reply)),
            None => bad(name, None),
        },
        "solution" => no_args(Command::Solution),
        "reset" => {
            let lower = rest.to_lowercase();
            let (yes, scopes): (Vec<&str>, Vec<&str>) = lower
                .split_whitespace()
                .partition(|word| matches!(*word, "--yes" | "-y"));
            let scope = match scopes.as_slice() {
                [] | ["step"] => Scope::Step,
                ["lesson"] => Scope::Lesson,
                ["all"] => Scope::All,
                other => return bad(name, Some(other.join(" "))),
            };
            Input::Command(Command::Reset {
                scope,
                yes: !yes.is_empty(),
            })
        }
        "progress" => no_args(Command::Progress),
        "lang" => Input::Command(Command::Lang(arg)),
        "watch" => match rest.to_lowercase().as_str() {
            "" => Input::Command(Command::Watch(None)),
            "on" => Input::Command(Command::Watch(Some(true))),
            "off" => Input::Command(Command::Watch(Some(false))),
            _ => bad(name, None),
        },
        "clock" => match rest.split_once(char::is_whitespace) {
            None if rest.is_empty() => Input::Command(Command::Clock(None)),
            Some(("advance", by)) => Input::Command(Command::Clock(Some(by.trim().to_string()))),
            _ => bad(name, None),
        },
        "bill" => no_args(Command::Bill),
        "edge" => no_args(Command::Edge),
        "console" => no_args(Command::Console),
        "myip" => no_args(Command::MyIp),
        "cleanup" => match rest.split_whitespace().collect::<Vec<_>>().as_slice() {
            [] => Input::Command(Command::Cleanup(CleanupScope::ThisSession)),
            ["--all"] => Input::Command(Command::Cleanup(CleanupScope::All)),
            ["--session", id] => {
                Input::Command(Command::Cleanup(CleanupScope::Session(id.to_string())))
            }
            _ => bad(name, None),
        },
        "ssh" | "chmod" | "curl" | "aws" | "totp" => match words::split(rest) {
            Ok(words) => Input::Command(match name {
                "ssh" => Command::Ssh(words),
                "chmod" => Command::Chmod(words),
                "aws" => Command::Aws(words),
                "totp" => Command::Totp(words),
                _ => Command::Curl(words),
            }),
            Err(Unterminated(quote)) => Input::Unterminated(quote),
        },
        "quit" => no_args(Command::Quit),
        _ => Input::Other {
            word: word.to_string(),
            line: line.to_string(),
        },
    }
}

fn bad(name: &str, detail: Option<String>) -> Input {
    let usage = COMMANDS
        .iter()
        .find(|command| command.name == name)
        .map_or("", |command| command.usage);
    Input::BadArguments { usage, detail }
}

/// Commands people type in their own terminal, which cloudlings runs only after `!`.
const HOST_COMMANDS: &[&str] = &[
    "ls",
    "dir",
    "pwd",
    "cat",
    "less",
    "more",
    "head",
    "tail",
    "grep",
    "find",
    "mkdir",
    "rmdir",
    "rm",
    "cp",
    "mv",
    "touch",
    "echo",
    "nano",
    "vi",
    "vim",
    "code",
    "open",
    "python",
    "python3",
    "pip",
    "pip3",
    "git",
    "clear",
    "cls",
    "which",
    "whoami",
    "ping",
    "ssh-keygen",
    "ssh-add",
    "sudo",
    "apt",
    "brew",
    "man",
    "export",
    "env",
    "source",
    "eval",
    "cloudlings",
    "ps",
    "kill",
    "top",
    "df",
    "du",
    "wget",
    "tar",
    "unzip",
    "scp",
    "printenv",
    "history",
];

/// Whether `word` is a command of the learner's own shell (not of cloudlings).
pub fn is_host_command(word: &str) -> bool {
    HOST_COMMANDS.contains(&word)
}

/// The command a mistyped word was most likely meant to be, if any is close enough.
pub fn suggest(word: &str) -> Option<&'static str> {
    let word = word.to_lowercase();
    COMMANDS
        .iter()
        .map(|command| {
            (
                strsim::damerau_levenshtein(&word, command.name),
                command.name,
            )
        })
        .filter(|(distance, name)| *distance <= (name.len() / 3).max(1))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_with_and_without_arguments() {
        assert_eq!(parse("  next "), Input::Command(Command::Next));
        assert_eq!(parse("NEXT"), Input::Command(Command::Next));
        assert_eq!(
            parse("start what-is-the-cloud"),
            Input::Command(Command::Start(Some("what-is-the-cloud".into())))
        );
        assert_eq!(
            parse("answer  rent a server "),
            Input::Command(Command::Answer("rent a server".into()))
        );
        let reset = |scope, yes| Input::Command(Command::Reset { scope, yes });
        assert_eq!(parse("reset"), reset(Scope::Step, false));
        assert_eq!(parse("reset all"), reset(Scope::All, false));
        assert_eq!(parse("reset lesson --yes"), reset(Scope::Lesson, true));
        assert_eq!(parse("reset --yes"), reset(Scope::Step, true));
        assert_eq!(parse("reset -y all"), reset(Scope::All, true));
        assert!(matches!(
            parse("reset lesson all"),
            Input::BadArguments { .. }
        ));
        assert_eq!(parse("exit"), Input::Command(Command::Quit));
        assert_eq!(parse("clock"), Input::Command(Command::Clock(None)));
        assert_eq!(
            parse("clock advance 2h"),
            Input::Command(Command::Clock(Some("2h".into())))
        );
        assert!(matches!(parse("clock back 2h"), Input::BadArguments { .. }));
        assert_eq!(parse("watch"), Input::Command(Command::Watch(None)));
        assert_eq!(
            parse("watch OFF"),
            Input::Command(Command::Watch(Some(false)))
        );
        assert_eq!(
            parse("watch on"),
            Input::Command(Command::Watch(Some(true)))
        );
        assert_eq!(
            parse("watch always"),
            Input::BadArguments {
                usage: "watch [on|off]",
                detail: None
            }
        );
        assert_eq!(
            parse("!ls -l"),
            Input::Command(Command::Run("ls -l".into()))
        );
        assert_eq!(parse(""), Input::Empty);
        assert_eq!(parse("myip"), Input::Command(Command::MyIp));
        assert_eq!(
            parse("cleanup"),
            Input::Command(Command::Cleanup(CleanupScope::ThisSession))
        );
        assert_eq!(
            parse("cleanup --session 20261126-230612-3f9a"),
            Input::Command(Command::Cleanup(CleanupScope::Session(
                "20261126-230612-3f9a".into()
            )))
        );
        assert!(matches!(
            parse("cleanup --everything"),
            Input::BadArguments { usage, .. } if usage.starts_with("cleanup")
        ));
    }

    #[test]
    fn tools_take_shell_words() {
        assert_eq!(
            parse(r#"ssh -i "key.pem" ubuntu@host uname -a"#),
            Input::Command(Command::Ssh(
                ["-i", "key.pem", "ubuntu@host", "uname", "-a"]
                    .map(String::from)
                    .to_vec()
            ))
        );
        assert_eq!(
            parse("chmod 400 key.pem"),
            Input::Command(Command::Chmod(
                ["400", "key.pem"].map(String::from).to_vec()
            ))
        );
        assert_eq!(
            parse("curl -H 'Accept: */*' http://x/"),
            Input::Command(Command::Curl(
                ["-H", "Accept: */*", "http://x/"]
                    .map(String::from)
                    .to_vec()
            ))
        );
        assert_eq!(parse("curl 'http://x/"), Input::Unterminated('\''));
        assert_eq!(
            parse("aws ec2 describe-instances --query 'Reservations[].Instances[]'"),
            Input::Command(Command::Aws(
                [
                    "ec2",
                    "describe-instances",
                    "--query",
                    "Reservations[].Instances[]"
                ]
                .map(String::from)
                .to_vec()
            ))
        );
        assert_eq!(parse("ssh"), Input::Command(Command::Ssh(Vec::new())));
    }

    #[test]
    fn wrong_arguments_show_the_usage() {
        assert_eq!(
            parse("next please"),
            Input::BadArguments {
                usage: "next",
                detail: None
            }
        );
        assert_eq!(
            parse("reset everything"),
            Input::BadArguments {
                usage: "reset [step|lesson|all] [--yes]",
                detail: Some("everything".into())
            }
        );
        assert!(matches!(parse("answer"), Input::BadArguments { .. }));
    }

    #[test]
    fn other_words_are_kept_for_quizzes() {
        assert_eq!(
            parse("2"),
            Input::Other {
                word: "2".into(),
                line: "2".into()
            }
        );
    }

    #[test]
    fn suggests_close_commands_only() {
        assert_eq!(suggest("hnit"), Some("hint"));
        assert_eq!(suggest("nxt"), Some("next"));
        assert_eq!(suggest("lessosn"), Some("lessons"));
        assert_eq!(suggest("Chekc"), Some("check"));
        assert_eq!(suggest("wacth"), Some("watch"));
        assert_eq!(suggest("banana"), None);
        assert_eq!(suggest("2"), None);
    }
}
