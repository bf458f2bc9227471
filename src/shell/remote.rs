//! The shell's `ssh` command: the [`ssh`](super::ssh) client driven the way OpenSSH drives
//! itself, one learner's line at a time.
//!
//! Two moments need lines the learner has not typed yet, and the REPL hands them over:
//!
//! - **The host key question.** On first contact [`start`] prints OpenSSH's question and
//!   returns [`Outcome::Ask`] with the half-open connection; the session keeps it as its
//!   pending question, the prompt becomes OpenSSH's `Are you sure…?`, and the next line goes to
//!   [`Question::answer`].
//! - **A remote shell without a terminal.** When standard input is not a terminal (a script
//!   piped into cloudlings, as OpenSSH would read it), there is no terminal to hand over. As
//!   OpenSSH does, a shell is started without a pseudo-terminal and the following input lines
//!   are its input: [`start`] returns [`Outcome::Attach`], the session routes each next line to
//!   [`Attached::line`] (its prompt shows `user@host`), and when the remote shell ends (after
//!   `exit`, or when the input ends and [`Attached::end`] sends end-of-file) the lines come
//!   back to cloudlings. After each line the remote's output is copied until it pauses: a
//!   remote without a terminal prints no prompt that would say a command is done.
//!
//! On a terminal, the terminal itself is handed over ([`ssh::terminal`]) and the command
//! returns when the remote shell ends.

use std::io::{self, Write};
use std::path::PathBuf;
use std::time::Duration;

use super::messages as msg;
use super::ssh::args::{self, Invocation, Strict, Tty};
use super::ssh::identity::{self, Identity, Unusable};
use super::ssh::{Channel, Connection, Handshake, HostKey, KnownHosts, Network, Target, Verdict};
use crate::lang::Lang;
use crate::style::Style;
use crate::workstation::Workstation;

/// How long to wait for a remote command's first output, and for a pause after output, before
/// the next piped line is read.
const FIRST_OUTPUT: Duration = Duration::from_millis(1500);
const PAUSE: Duration = Duration::from_millis(300);
const LONGEST_WAIT: Duration = Duration::from_secs(60);

/// What the shell knows that `ssh` needs.
#[derive(Debug, Clone)]
pub struct Context {
    pub network: Network,
    /// The shell's `known_hosts`, in its data folder.
    pub known_hosts: PathBuf,
    /// The learner's own computer, where the key files are.
    pub files: Workstation,
    pub lang: Lang,
    pub style: Style,
    /// Whether standard input is a terminal that can be handed over.
    pub terminal: bool,
}

/// What became of an `ssh` command.
#[derive(Debug)]
pub enum Outcome {
    /// Finished, with OpenSSH's exit status.
    Done(i32),
    /// Waiting for the answer to the host key question; the prompt is [`Question::prompt`].
    Ask(Box<Question>),
    /// A remote shell that takes the next input lines.
    Attach(Box<Attached>),
}

/// Runs `ssh` with the words after it.
pub fn start(words: &[String], context: &Context, out: &mut dyn Write) -> io::Result<Outcome> {
    let invocation = match args::parse(words) {
        Ok(invocation) => invocation,
        Err(refusal) => {
            for line in refusal.lines() {
                writeln!(out, "{line}")?;
            }
            return Ok(Outcome::Done(255));
        }
    };
    let user = invocation.user.clone().unwrap_or_else(local_user);
    let mut identities = Vec::new();
    let mut missing = None;
    for shown in &invocation.identities {
        let identity = Identity::new(shown);
        match identity::accessible(&identity, &context.files) {
            Ok(()) => identities.push(identity),
            Err(problem) => {
                for line in problem.openssh_lines(shown) {
                    writeln!(out, "{line}")?;
                }
                missing.get_or_insert_with(|| shown.clone());
            }
        }
    }
    if invocation.identities.is_empty() {
        identities = identity::defaults(&context.files);
    }
    let target = Target::new(&invocation.host, invocation.port);
    out.flush()?;
    let handshake = match Handshake::start(&context.network, &target, invocation.connect_timeout) {
        Ok(handshake) => handshake,
        Err(super::ssh::Error::Interrupted) => {
            return Ok(Outcome::Done(crate::interrupt::STATUS));
        }
        Err(error) => {
            writeln!(out, "{error}")?;
            if let super::ssh::Error::Connect { reason, port, .. } = &error {
                let hint = match reason.as_str() {
                    "Connection timed out" => Some(msg::net_timed_out_hint(context.lang, *port)),
                    "Connection refused" => Some(msg::net_refused_hint(context.lang, *port)),
                    _ => None,
                };
                if let Some(hint) = hint {
                    writeln!(out, "{}", context.style.dim(&hint))?;
                }
            }
            return Ok(Outcome::Done(error.status()));
        }
    };
    let login = Login {
        invocation,
        user,
        identities,
        missing,
    };
    let key = handshake.host_key();
    let mut known = match KnownHosts::load(&context.known_hosts) {
        Ok(known) => known,
        Err(error) => {
            writeln!(
                out,
                "{}",
                msg::known_hosts_unreadable(
                    context.lang,
                    &context.known_hosts.display().to_string(),
                    &error.to_string()
                )
            )?;
            return Ok(Outcome::Done(255));
        }
    };
    let name = handshake.known_as();
    match known.check(&name, &key) {
        Verdict::Known => {}
        Verdict::Changed { line, kind } => {
            let strict = login.invocation.strict != Strict::No;
            changed_warning(&handshake, &key, &known, line, kind, strict, out)?;
            writeln!(
                out,
                "{}",
                context.style.dim(&msg::host_key_changed_hint(context.lang))
            )?;
            if strict {
                return Ok(Outcome::Done(255));
            }
        }
        Verdict::Unknown { other_names } => match login.invocation.strict {
            Strict::Yes => {
                writeln!(
                    out,
                    "No {} host key is known for {name} and you have requested strict checking.",
                    key.kind()
                )?;
                writeln!(out, "Host key verification failed.")?;
                return Ok(Outcome::Done(255));
            }
            Strict::Ask if login.invocation.batch => {
                writeln!(out, "Host key verification failed.")?;
                return Ok(Outcome::Done(255));
            }
            Strict::AcceptNew | Strict::No => {
                add_known(&mut known, &name, &key, login.invocation.quiet, out)?;
            }
            Strict::Ask => {
                writeln!(
                    out,
                    "The authenticity of host '{}' can't be established.",
                    handshake.described()
                )?;
                writeln!(
                    out,
                    "{} key fingerprint is {}.",
                    key.kind(),
                    key.fingerprint()
                )?;
                if other_names.is_empty() {
                    writeln!(out, "This key is not known by any other names.")?;
                } else {
                    writeln!(
                        out,
                        "This host key is known by the following other names/addresses:"
                    )?;
                    let file = known.path().display().to_string();
                    for (line, other) in other_names.iter().take(8) {
                        writeln!(out, "    {file}:{line}: {other}")?;
                    }
                    if other_names.len() > 8 {
                        writeln!(
                            out,
                            "    ({} additional names omitted)",
                            other_names.len() - 8
                        )?;
                    }
                }
                return Ok(Outcome::Ask(Box::new(Question {
                    handshake,
                    login,
                    key,
                    known,
                    name,
                    asked: false,
                })));
            }
        },
    }
    log_in(handshake, login, context, out)
}

/// Everything about an `ssh` command that outlives the host key question.
#[derive(Debug)]
struct Login {
    invocation: Invocation,
    user: String,
    identities: Vec<Identity>,
    /// The first `-i` file that could not be opened, for the hint.
    missing: Option<String>,
}

/// The host key question, waiting for its answer.
#[derive(Debug)]
pub struct Question {
    handshake: Handshake,
    login: Login,
    key: HostKey,
    known: KnownHosts,
    name: String,
    /// Whether the learner already gave an answer that was neither yes, no nor the fingerprint.
    asked: bool,
}

impl Question {
    /// The question's last line, shown as the prompt.
    pub fn prompt(&self) -> &'static str {
        if self.asked {
            "Please type 'yes', 'no' or the fingerprint: "
        } else {
            "Are you sure you want to continue connecting (yes/no/[fingerprint])? "
        }
    }

    /// Takes the learner's answer.
    pub fn answer(
        mut self: Box<Self>,
        line: &str,
        context: &Context,
        out: &mut dyn Write,
    ) -> io::Result<Outcome> {
        let answer = line.trim();
        let accepted = answer.eq_ignore_ascii_case("yes") || answer == self.key.fingerprint();
        if answer.eq_ignore_ascii_case("no") {
            writeln!(out, "Host key verification failed.")?;
            return Ok(Outcome::Done(255));
        }
        if !accepted {
            self.asked = true;
            return Ok(Outcome::Ask(self));
        }
        let Question {
            handshake,
            login,
            key,
            mut known,
            name,
            ..
        } = *self;
        add_known(&mut known, &name, &key, login.invocation.quiet, out)?;
        log_in(handshake, login, context, out)
    }

    /// The input ended (or Ctrl-C) at the question: OpenSSH gives up.
    pub fn abandon(self: Box<Self>, out: &mut dyn Write) -> io::Result<i32> {
        writeln!(out, "Host key verification failed.")?;
        Ok(255)
    }
}

fn add_known(
    known: &mut KnownHosts,
    name: &str,
    key: &HostKey,
    quiet: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    match known.add(name, key) {
        Ok(()) if !quiet => writeln!(
            out,
            "Warning: Permanently added '{name}' ({}) to the list of known hosts.",
            key.kind()
        ),
        Ok(()) => Ok(()),
        Err(error) => writeln!(
            out,
            "Failed to add the host to the list of known hosts ({}): {}",
            known.path().display(),
            crate::strerror::strerror(&error)
        ),
    }
}

/// OpenSSH's warning about a host whose key is not the recorded one.
fn changed_warning(
    handshake: &Handshake,
    key: &HostKey,
    known: &KnownHosts,
    line: usize,
    kind: &str,
    strict: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let file = known.path().display().to_string();
    let name = handshake.known_as();
    writeln!(
        out,
        "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@"
    )?;
    writeln!(
        out,
        "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @"
    )?;
    writeln!(
        out,
        "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@"
    )?;
    writeln!(out, "IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!")?;
    writeln!(
        out,
        "Someone could be eavesdropping on you right now (man-in-the-middle attack)!"
    )?;
    writeln!(
        out,
        "It is also possible that a host key has just been changed."
    )?;
    writeln!(
        out,
        "The fingerprint for the {} key sent by the remote host is\n{}.",
        key.kind(),
        key.fingerprint()
    )?;
    writeln!(out, "Please contact your system administrator.")?;
    writeln!(
        out,
        "Add correct host key in {file} to get rid of this message."
    )?;
    writeln!(out, "Offending {kind} key in {file}:{line}")?;
    writeln!(out, "  remove with:")?;
    writeln!(out, "  ssh-keygen -f '{file}' -R '{name}'")?;
    if strict {
        writeln!(
            out,
            "Host key for {} has changed and you have requested strict checking.",
            handshake.target.host
        )?;
        writeln!(out, "Host key verification failed.")?;
    }
    Ok(())
}

/// Authenticates with the keys, then runs the command or the shell.
fn log_in(
    mut handshake: Handshake,
    login: Login,
    context: &Context,
    out: &mut dyn Write,
) -> io::Result<Outcome> {
    let lang = context.lang;
    let user = login.user.as_str();
    let methods = match handshake.methods(user) {
        Ok(methods) => methods,
        Err(error) => {
            writeln!(out, "{error}")?;
            return Ok(Outcome::Done(255));
        }
    };
    let mut too_open = None;
    let mut offered = false;
    if !methods.is_empty() {
        for identity in &login.identities {
            match identity::load(identity, &context.files) {
                Ok(key) => {
                    offered = true;
                    if handshake.offer_key(user, &key) {
                        break;
                    }
                }
                Err(problem) => {
                    for line in problem.openssh_lines(&identity.shown) {
                        writeln!(out, "{line}")?;
                    }
                    if matches!(problem, Unusable::TooOpen(_)) {
                        too_open.get_or_insert_with(|| identity.shown.clone());
                    }
                }
            }
        }
    }
    let mut connection = match handshake.finish(user, &methods) {
        Ok(connection) => connection,
        Err(error) => {
            writeln!(out, "{error}")?;
            let hint = if let Some(shown) = &too_open {
                msg::ssh_key_too_open_hint(lang, shown)
            } else if let Some(shown) = &login.missing {
                msg::ssh_key_missing_hint(lang, shown, &context.files.folder())
            } else if offered {
                msg::ssh_key_refused_hint(lang)
            } else {
                msg::ssh_no_key_hint(lang)
            };
            writeln!(out, "{}", context.style.dim(&hint))?;
            return Ok(Outcome::Done(255));
        }
    };
    connection.language = Some(lang.code());
    let invocation = &login.invocation;
    let wants_tty = match invocation.tty {
        Tty::Auto => invocation.command.is_none(),
        Tty::Force | Tty::ForceAlways => true,
        Tty::Never => false,
    };
    if wants_tty && context.terminal {
        return interactive(&connection, invocation.command.as_deref(), out);
    }
    let forced = invocation.tty == Tty::ForceAlways;
    if wants_tty && !forced && !invocation.quiet {
        writeln!(
            out,
            "Pseudo-terminal will not be allocated because stdin is not a terminal."
        )?;
    }
    let pty = forced.then(|| super::ssh::Pty {
        term: std::env::var("TERM").unwrap_or_else(|_| "xterm".to_string()),
        columns: 80,
        rows: 24,
    });
    if let Some(command) = &invocation.command {
        out.flush()?;
        // Remote errors go to the same place as its output: the learner's transcript.
        let status = match connection.shell(pty.as_ref(), Some(command)) {
            Ok(mut channel) => {
                // The shell's own input is not the command's: it reads end-of-file, as with
                // `ssh -n`.
                if pty.is_none()
                    && let Err(error) = channel.send_eof()
                {
                    writeln!(out, "{error}")?;
                }
                finish(&mut channel, out)?
            }
            Err(error) => {
                writeln!(out, "{error}")?;
                255
            }
        };
        return Ok(Outcome::Done(status));
    }
    match connection.shell(pty.as_ref(), None) {
        Ok(mut channel) => {
            // The login banner, before the first line is read.
            let more = channel
                .settle(out, None, FIRST_OUTPUT, PAUSE, LONGEST_WAIT)
                .map_err(io::Error::other);
            match more {
                Ok(Some(status)) => Ok(Outcome::Done(status)),
                Ok(None) => Ok(Outcome::Attach(Box::new(Attached {
                    prompt: format!("{}@{} › ", connection.user, connection.host),
                    channel,
                    _connection: connection,
                }))),
                Err(error) => {
                    writeln!(out, "{error}")?;
                    Ok(Outcome::Done(255))
                }
            }
        }
        Err(error) => {
            writeln!(out, "{error}")?;
            Ok(Outcome::Done(255))
        }
    }
}

/// Copies until the remote ends and returns its status.
fn finish(channel: &mut Channel, out: &mut dyn Write) -> io::Result<i32> {
    loop {
        match channel.drain(out, None, Duration::from_secs(1)) {
            Ok(Some(status)) => return Ok(status),
            Ok(None) => {}
            Err(error) => {
                writeln!(out, "{error}")?;
                return Ok(255);
            }
        }
    }
}

#[cfg(unix)]
fn interactive(
    connection: &Connection,
    command: Option<&str>,
    out: &mut dyn Write,
) -> io::Result<Outcome> {
    out.flush()?;
    match super::ssh::terminal::interactive(connection, command, out) {
        Ok(status) => {
            writeln!(out, "Connection to {} closed.", connection.host)?;
            Ok(Outcome::Done(status))
        }
        Err(error) => {
            writeln!(out, "{error}")?;
            Ok(Outcome::Done(255))
        }
    }
}

/// Without Unix terminals, the session runs as it does on a pipe.
#[cfg(not(unix))]
fn interactive(
    connection: &Connection,
    command: Option<&str>,
    out: &mut dyn Write,
) -> io::Result<Outcome> {
    let _ = (connection, command);
    writeln!(
        out,
        "Pseudo-terminal will not be allocated because stdin is not a terminal."
    )?;
    Ok(Outcome::Done(255))
}

/// What became of a line fed to an [`Attached`] shell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fed {
    /// The remote shell took it and goes on.
    Running,
    /// The remote shell took it and ended with this status (after `exit`, say).
    Ended(i32),
    /// The remote shell had already ended with this status: the line is cloudlings' to run.
    NotSent(i32),
}

/// A remote shell without a terminal, fed the shell's next input lines.
#[derive(Debug)]
pub struct Attached {
    prompt: String,
    channel: Channel,
    /// Kept open for as long as the channel is used.
    _connection: Connection,
}

impl Attached {
    /// Shown before each line typed while attached (only a piped transcript shows it).
    pub fn prompt(&self) -> &str {
        &self.prompt
    }

    /// Sends a line to the remote shell and copies what it prints in answer.
    pub fn line(&mut self, line: &str, out: &mut dyn Write) -> io::Result<Fed> {
        // What arrived since the last line, and whether the remote is still there.
        match self.channel.drain(out, None, Duration::ZERO) {
            Ok(Some(status)) => return Ok(Fed::NotSent(status)),
            Ok(None) => {}
            Err(error) => {
                writeln!(out, "{error}")?;
                return Ok(Fed::NotSent(255));
            }
        }
        let mut bytes = line.as_bytes().to_vec();
        bytes.push(b'\n');
        if let Err(error) = self.channel.send(&bytes) {
            writeln!(out, "{error}")?;
            return Ok(Fed::Ended(255));
        }
        match self
            .channel
            .settle(out, None, FIRST_OUTPUT, PAUSE, LONGEST_WAIT)
        {
            Ok(Some(status)) => Ok(Fed::Ended(status)),
            Ok(None) => Ok(Fed::Running),
            Err(error) => {
                writeln!(out, "{error}")?;
                Ok(Fed::Ended(255))
            }
        }
    }

    /// The input ended: the remote shell gets end-of-file and its last output is copied.
    pub fn end(mut self, out: &mut dyn Write) -> io::Result<i32> {
        if let Err(error) = self.channel.send_eof() {
            writeln!(out, "{error}")?;
            return Ok(255);
        }
        match self.channel.drain(out, None, LONGEST_WAIT) {
            Ok(Some(status)) => Ok(status),
            Ok(None) => Ok(255),
            Err(error) => {
                writeln!(out, "{error}")?;
                Ok(255)
            }
        }
    }
}

/// The local user's name, which OpenSSH uses when none is given.
fn local_user() -> String {
    ["USER", "LOGNAME", "USERNAME"]
        .into_iter()
        .find_map(|name| std::env::var(name).ok().filter(|user| !user.is_empty()))
        .unwrap_or_else(|| "root".to_string())
}
