//! `ssh`'s command line, read as OpenSSH reads it.
//!
//! Options may come before and after the destination; the first word after the destination
//! that is not an option starts the remote command, and every word from there on is part of
//! it (`ssh host ls -l` runs `ls -l`). `-l` and `user@` both name the user; the first one
//! given wins, as in OpenSSH. Only what the lessons need is understood; other options are
//! refused with OpenSSH's own words rather than silently ignored.

use std::time::Duration;

/// Whether a pseudo-terminal is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tty {
    /// A terminal for an interactive login, none for a command.
    #[default]
    Auto,
    /// `-t`: even for a command (when there is a terminal to give).
    Force,
    /// `-tt`: even when standard input is not a terminal.
    ForceAlways,
    /// `-T`: never.
    Never,
}

/// `StrictHostKeyChecking`: what to do with a host key the known hosts do not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Strict {
    /// Ask the learner (the default).
    #[default]
    Ask,
    /// Refuse unknown hosts.
    Yes,
    /// Record unknown hosts without asking, refuse changed ones.
    AcceptNew,
    /// Record unknown hosts without asking, and only warn about changed ones.
    No,
}

/// A parsed `ssh` command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    /// Lower case, as OpenSSH canonicalises it; brackets of an IPv6 literal removed.
    pub host: String,
    pub user: Option<String>,
    pub port: u16,
    /// `-i` files, in order, as written.
    pub identities: Vec<String>,
    /// The remote command: the words after the destination, joined by spaces.
    pub command: Option<String>,
    pub tty: Tty,
    pub strict: Strict,
    pub connect_timeout: Option<Duration>,
    pub known_hosts_file: Option<String>,
    /// `BatchMode=yes`: never ask.
    pub batch: bool,
    /// `-q`, or `LogLevel` QUIET, FATAL or ERROR: no warnings.
    pub quiet: bool,
}

/// Why a command line was refused; [`Refusal::lines`] words it as OpenSSH does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No destination.
    Usage,
    UnknownOption(char),
    MissingArgument(char),
    BadPort(String),
    /// `-o` with an option OpenSSH does not have.
    BadOption(String),
    /// `-o` with a value the option does not take.
    BadValue(String),
    /// An option OpenSSH has but this shell does not.
    Unsupported(String),
}

/// OpenSSH's usage text, limited to what this `ssh` understands.
pub const USAGE: &str = "usage: ssh [-qTt] [-i identity_file] [-l login_name] [-o option] [-p port]
           destination [command [argument ...]]";

impl Refusal {
    pub fn lines(&self) -> Vec<String> {
        let with_usage = |line: String| vec![line, USAGE.to_string()];
        match self {
            Refusal::Usage => vec![USAGE.to_string()],
            Refusal::UnknownOption(c) => with_usage(format!("unknown option -- {c}")),
            Refusal::MissingArgument(c) => {
                with_usage(format!("option requires an argument -- {c}"))
            }
            Refusal::BadPort(port) => vec![format!("Bad port '{port}'")],
            Refusal::BadOption(option) => vec![
                format!("command-line: line 0: Bad configuration option: {option}"),
                "command-line: terminating, 1 bad configuration options".to_string(),
            ],
            Refusal::BadValue(detail) => vec![format!("command-line line 0: {detail}")],
            Refusal::Unsupported(option) => with_usage(format!("unknown option -- {option}")),
        }
    }
}

/// `-o` options accepted and without effect here: they tune things this client does not do.
const HARMLESS: &[&str] = &[
    "serveraliveinterval",
    "serveralivecountmax",
    "tcpkeepalive",
    "identitiesonly",
    "passwordauthentication",
    "kbdinteractiveauthentication",
    "pubkeyauthentication",
    "forwardagent",
    "addkeystoagent",
    "hashknownhosts",
    "updatehostkeys",
    "compression",
    "checkhostip",
    "requesttty",
    "sendenv",
    "setenv",
];

/// Parses the words after `ssh`.
pub fn parse(words: &[String]) -> Result<Invocation, Refusal> {
    let mut invocation = Invocation {
        host: String::new(),
        user: None,
        port: 22,
        identities: Vec::new(),
        command: None,
        tty: Tty::Auto,
        strict: Strict::Ask,
        connect_timeout: None,
        known_hosts_file: None,
        batch: false,
        quiet: false,
    };
    let mut port: Option<u16> = None;
    let mut destination: Option<String> = None;
    let mut tty_count = 0;
    let mut words = words.iter();
    while let Some(word) = words.next() {
        let Some(flags) = word.strip_prefix('-').filter(|flags| !flags.is_empty()) else {
            if destination.is_none() {
                destination = Some(word.clone());
                continue;
            }
            // The command: this word and all after it.
            let rest: Vec<&str> = std::iter::once(word.as_str())
                .chain(words.by_ref().map(String::as_str))
                .collect();
            invocation.command = Some(rest.join(" "));
            break;
        };
        if flags == "-" {
            // `--`: the destination and command follow.
            match words.next() {
                Some(host) if destination.is_none() => destination = Some(host.clone()),
                Some(first) => {
                    let rest: Vec<&str> = std::iter::once(first.as_str())
                        .chain(words.by_ref().map(String::as_str))
                        .collect();
                    invocation.command = Some(rest.join(" "));
                }
                None => {}
            }
            continue;
        }
        for (at, flag) in flags.char_indices() {
            match flag {
                't' => tty_count += 1,
                'T' => invocation.tty = Tty::Never,
                'q' => invocation.quiet = true,
                // Address families and verbosity change nothing visible here.
                '4' | '6' | 'v' | 'C' => {}
                'i' | 'l' | 'p' | 'o' => {
                    // The argument is the rest of this word (`-ikey.pem`) or the next word.
                    let inline = &flags[at + flag.len_utf8()..];
                    let value = if inline.is_empty() {
                        words
                            .next()
                            .cloned()
                            .ok_or(Refusal::MissingArgument(flag))?
                    } else {
                        inline.to_string()
                    };
                    match flag {
                        'i' => invocation.identities.push(value),
                        'l' => {
                            invocation.user.get_or_insert(value);
                        }
                        'p' => {
                            let parsed = parse_port(&value)?;
                            port.get_or_insert(parsed);
                        }
                        _ => option(&mut invocation, &mut port, &value)?,
                    }
                    break;
                }
                'A' | 'a' | 'f' | 'G' | 'g' | 'K' | 'k' | 'M' | 'N' | 'n' | 's' | 'V' | 'X'
                | 'x' | 'Y' | 'y' | 'B' | 'b' | 'c' | 'D' | 'E' | 'e' | 'F' | 'I' | 'J' | 'L'
                | 'm' | 'O' | 'P' | 'R' | 'S' | 'W' | 'w' => {
                    return Err(Refusal::Unsupported(flag.to_string()));
                }
                other => return Err(Refusal::UnknownOption(other)),
            }
        }
    }
    let Some(destination) = destination else {
        return Err(Refusal::Usage);
    };
    let (user, host, uri_port) = split_destination(&destination)?;
    if let Some(user) = user {
        invocation.user.get_or_insert(user);
    }
    if host.is_empty() {
        return Err(Refusal::Usage);
    }
    invocation.host = host.to_ascii_lowercase();
    invocation.port = port.or(uri_port).unwrap_or(22);
    invocation.tty = match (invocation.tty, tty_count) {
        (Tty::Never, _) => Tty::Never,
        (_, 0) => Tty::Auto,
        (_, 1) => Tty::Force,
        _ => Tty::ForceAlways,
    };
    Ok(invocation)
}

/// `user@host`, `host`, or `ssh://[user@]host[:port]`.
fn split_destination(destination: &str) -> Result<(Option<String>, String, Option<u16>), Refusal> {
    if let Some(rest) = destination.strip_prefix("ssh://") {
        let rest = rest.trim_end_matches('/');
        let (user, hostport) = match rest.rsplit_once('@') {
            Some((user, hostport)) => (Some(user.to_string()), hostport),
            None => (None, rest),
        };
        let (host, port) = if let Some(bracketed) = hostport.strip_prefix('[') {
            let (host, after) = bracketed.split_once(']').ok_or(Refusal::Usage)?;
            let port = after.strip_prefix(':').map(parse_port).transpose()?;
            (host.to_string(), port)
        } else {
            match hostport.split_once(':') {
                Some((host, port)) => (host.to_string(), Some(parse_port(port)?)),
                None => (hostport.to_string(), None),
            }
        };
        return Ok((user, host, port));
    }
    let (user, host) = match destination.rsplit_once('@') {
        Some((user, host)) => (Some(user.to_string()), host),
        None => (None, destination),
    };
    let host = host
        .strip_prefix('[')
        .and_then(|host| host.strip_suffix(']'))
        .unwrap_or(host);
    Ok((user, host.to_string(), None))
}

fn parse_port(text: &str) -> Result<u16, Refusal> {
    match text.parse::<u16>() {
        Ok(port) if port > 0 => Ok(port),
        _ => Err(Refusal::BadPort(text.to_string())),
    }
}

/// One `-o Name=value` (or `-o "Name value"`).
fn option(invocation: &mut Invocation, port: &mut Option<u16>, text: &str) -> Result<(), Refusal> {
    let text = text.trim();
    let (name, value) = match text.split_once(['=', ' ', '\t']) {
        Some((name, value)) => (name.trim(), value.trim().trim_start_matches('=').trim()),
        None => (text, ""),
    };
    let lower = name.to_ascii_lowercase();
    let yes_no = |value: &str| match value.to_ascii_lowercase().as_str() {
        "yes" | "true" => Ok(true),
        "no" | "false" => Ok(false),
        _ => Err(Refusal::BadValue(format!("Bad yes/no argument '{value}'."))),
    };
    if value.is_empty() && lower != "userknownhostsfile" {
        return Err(Refusal::BadValue(format!("Missing argument for {name}.")));
    }
    match lower.as_str() {
        "stricthostkeychecking" => {
            invocation.strict = match value.to_ascii_lowercase().as_str() {
                "yes" | "true" => Strict::Yes,
                "no" | "off" | "false" => Strict::No,
                "accept-new" => Strict::AcceptNew,
                "ask" => Strict::Ask,
                _ => {
                    return Err(Refusal::BadValue(format!(
                        "unsupported option \"{value}\"."
                    )));
                }
            }
        }
        "connecttimeout" => {
            let seconds = parse_seconds(value)
                .ok_or_else(|| Refusal::BadValue("invalid time value.".to_string()))?;
            invocation.connect_timeout = (seconds > 0).then(|| Duration::from_secs(seconds));
        }
        "userknownhostsfile" => {
            invocation.known_hosts_file = Some(value.to_string());
        }
        "identityfile" => invocation.identities.push(value.to_string()),
        "user" => {
            invocation.user.get_or_insert(value.to_string());
        }
        "port" => {
            let parsed = parse_port(value)?;
            port.get_or_insert(parsed);
        }
        "batchmode" => invocation.batch = yes_no(value)?,
        "loglevel" => {
            invocation.quiet = matches!(
                value.to_ascii_uppercase().as_str(),
                "QUIET" | "FATAL" | "ERROR"
            );
        }
        harmless if HARMLESS.contains(&harmless) => {}
        _ => return Err(Refusal::BadOption(name.to_string())),
    }
    Ok(())
}

/// `30`, `1m`, `1m30s`: OpenSSH's time format, in seconds.
fn parse_seconds(text: &str) -> Option<u64> {
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(seconds);
    }
    let mut total = 0u64;
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c.to_ascii_lowercase() {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            'w' => 604_800,
            _ => return None,
        };
        total = total.checked_add(number.parse::<u64>().ok()?.checked_mul(unit)?)?;
        number.clear();
    }
    if !number.is_empty() {
        total = total.checked_add(number.parse().ok()?)?;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_line(line: &str) -> Result<Invocation, Refusal> {
        let words = crate::words::split(line).expect("balanced");
        parse(&words)
    }

    #[test]
    fn the_lecture_s_command() {
        let invocation =
            parse_line("-i key.pem ubuntu@ec2-3-35-1-2.ap-northeast-2.compute.amazonaws.com")
                .expect("valid");
        assert_eq!(
            invocation.host,
            "ec2-3-35-1-2.ap-northeast-2.compute.amazonaws.com"
        );
        assert_eq!(invocation.user.as_deref(), Some("ubuntu"));
        assert_eq!(invocation.identities, ["key.pem"]);
        assert_eq!(invocation.port, 22);
        assert_eq!(invocation.command, None);
        assert_eq!(invocation.tty, Tty::Auto);
        assert_eq!(invocation.strict, Strict::Ask);
    }

    #[test]
    fn options_anywhere_before_the_command() {
        let invocation = parse_line(
            r#"ubuntu@Host -i "my key.pem" -p 2222 -o StrictHostKeyChecking=no -oConnectTimeout=3 -t sudo ls -l /root"#,
        )
        .expect("valid");
        assert_eq!(invocation.host, "host");
        assert_eq!(invocation.identities, ["my key.pem"]);
        assert_eq!(invocation.port, 2222);
        assert_eq!(invocation.strict, Strict::No);
        assert_eq!(invocation.connect_timeout, Some(Duration::from_secs(3)));
        assert_eq!(invocation.tty, Tty::Force);
        assert_eq!(invocation.command.as_deref(), Some("sudo ls -l /root"));

        let invocation =
            parse_line("-l ec2-user -o 'StrictHostKeyChecking accept-new' -tt 3.35.1.2 -T whoami")
                .expect("valid");
        assert_eq!(invocation.user.as_deref(), Some("ec2-user"));
        assert_eq!(invocation.strict, Strict::AcceptNew);
        assert_eq!(invocation.tty, Tty::Never);
        assert_eq!(invocation.command.as_deref(), Some("whoami"));
    }

    #[test]
    fn the_first_user_given_wins() {
        let first_l = parse_line("-l a b@host").expect("valid");
        assert_eq!(first_l.user.as_deref(), Some("a"));
        let uri = parse_line("ssh://me@[::1]:2200").expect("valid");
        assert_eq!(
            (uri.user.as_deref(), uri.host.as_str(), uri.port),
            (Some("me"), "::1", 2200)
        );
        let none = parse_line("host").expect("valid");
        assert_eq!(none.user, None);
    }

    #[test]
    fn refusals_in_openssh_s_words() {
        assert_eq!(parse_line(""), Err(Refusal::Usage));
        assert_eq!(parse_line("-i"), Err(Refusal::MissingArgument('i')));
        assert_eq!(parse_line("-Z host"), Err(Refusal::UnknownOption('Z')));
        assert_eq!(
            parse_line("-p http host"),
            Err(Refusal::BadPort("http".into()))
        );
        assert_eq!(
            parse_line("-o Bogus=1 host"),
            Err(Refusal::BadOption("Bogus".into()))
        );
        assert_eq!(
            parse_line("-o StrictHostKeyChecking=maybe host")
                .expect_err("bad value")
                .lines(),
            ["command-line line 0: unsupported option \"maybe\"."]
        );
        assert_eq!(
            parse_line("-L 8080:localhost:80 host"),
            Err(Refusal::Unsupported("L".into()))
        );
        assert!(Refusal::UnknownOption('Z').lines()[1].starts_with("usage: ssh "));
    }

    #[test]
    fn time_values() {
        assert_eq!(parse_seconds("10"), Some(10));
        assert_eq!(parse_seconds("1m30s"), Some(90));
        assert_eq!(parse_seconds("2h"), Some(7200));
        assert_eq!(parse_seconds("soon"), None);
    }
}
