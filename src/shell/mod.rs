//! The interactive shell: the rustyline loop around a [`Session`].
//!
//! On a terminal the learner gets line editing, completion and history; from a pipe the same
//! commands are read line by line and echoed after the prompt, so a scripted session reads
//! like a transcript.
//!
//! In watch mode the session takes a quiet [`Look`] at the current task after each line that
//! may have changed the world, and the loop takes one every few seconds while the learner sits
//! at the prompt of a terminal, printing a pass above the prompt.
//!
//! Besides the course's own commands, the shell has the few real tools the lessons need, with
//! the real tools' output: `ssh` ([`ssh`] is the client, `remote` drives it a line at a time),
//! `curl`, `chmod`, `myip`, and `aws` for the lecture's calls ([`crate::aws_cli`]). They reach
//! emulated instances through the emulator's network and anything else directly
//! ([`crate::network`], with [`crate::http_client`] for `curl`), and take their arguments
//! quoted as a POSIX shell would ([`crate::words`]). Those pieces live below the shell because
//! the checks use them too.

mod aws;
mod chmod;
mod command;
mod complete;
mod curl;
pub mod inbox;
mod local;
pub mod messages;
mod remote;
mod session;
pub mod ssh;
mod stream;
mod totp;
mod view;
mod watch;

pub use complete::Completion;
pub use session::{Flow, LastCheck, Report, Reporter, Session, public_address};
pub use stream::Stream;
pub use watch::{Look, Noticed, QUIET_PATIENCE};

use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::Context;
use rustyline::config::{CompletionType, Config};
use rustyline::error::ReadlineError;
use rustyline::history::FileHistory;

/// Runs the shell until the learner quits or input ends.
pub fn run(mut session: Session, history: &Path) -> anyhow::Result<()> {
    let interactive = std::io::stdin().is_terminal();
    let config = Config::builder()
        // Lines are added one by one below, so a pasted block is history line by line.
        .auto_add_history(false)
        .history_ignore_space(true)
        .max_history_size(1000)?
        .completion_type(CompletionType::List)
        .build();
    let mut editor: rustyline::Editor<Completion, FileHistory> =
        rustyline::Editor::with_config(config).context("cannot start the line editor")?;
    editor.set_helper(Some(Completion::of(&session)));
    if interactive {
        // A missing or unreadable history only means starting without one.
        let _ = editor.load_history(history);
    }

    // Ctrl-C while a command runs stops that command, not the shell.
    if let Err(error) = crate::interrupt::install() {
        tracing::warn!("cannot catch Ctrl-C: {error}");
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    session.greet(&mut out)?;
    // Korean and the course's symbols need UTF-8; a terminal without it gets the way to fix it.
    if interactive && !crate::doctor::speaks_utf8(&|name| std::env::var(name).ok()) {
        writeln!(out, "{}", messages::not_utf8(session.lang()))?;
    }
    if interactive && let Some(inbox) = session.inbox() {
        match editor.create_external_printer() {
            Ok(printer) => inbox.print_with(printer),
            Err(error) => tracing::warn!("cannot print above the prompt: {error}"),
        }
    }
    loop {
        if session.deliver(&mut out)? == Flow::Quit {
            break;
        }
        let prompt = session.prompt();
        out.flush()?;
        // While the learner thinks, a task that finishes by itself (a deployment, a boot) is
        // looked at in the background and its pass printed above the prompt. A pipe gets only
        // the look after each line, so a script's transcript does not depend on timing.
        let idle = if interactive {
            idle_watch(&session, &mut editor)
        } else {
            None
        };
        let read = editor.readline(&prompt);
        // The pass was told as it was seen; the session records it before the next line runs.
        if let Some(noticed) = idle.and_then(watch::Idle::stop) {
            session.record(noticed);
        }
        let typed = match read {
            Ok(typed) => typed,
            // Ctrl-C clears the line being typed, as in bash; it does not leave.
            Err(ReadlineError::Interrupted) => {
                session.interrupt(&mut out)?;
                continue;
            }
            Err(ReadlineError::Eof) => {
                session.end_input(&mut out)?;
                session.execute("quit", &mut out)?;
                break;
            }
            // Bytes that are not UTF-8 (a binary pasted, a file in another encoding piped
            // in) end that line, not the shell.
            Err(ReadlineError::Io(error)) if error.kind() == std::io::ErrorKind::InvalidData => {
                session.unreadable_line(&mut out)?;
                continue;
            }
            Err(error) => return Err(error).context("cannot read input"),
        };
        if !interactive {
            writeln!(out, "{prompt}{typed}")?;
        }
        for line in typed.lines() {
            // An entry refused (blank, or a repeat) is simply not remembered.
            let _ = editor.add_history_entry(line);
        }
        if run_lines(&mut session, &typed, &mut out)? == Flow::Quit {
            break;
        }
    }
    out.flush()?;
    if interactive && let Err(error) = save_history(&mut editor, history) {
        tracing::warn!("cannot save the command history: {error:#}");
    }
    Ok(())
}

/// Starts the idle look at the current task, if there is one to look at.
fn idle_watch(
    session: &Session,
    editor: &mut rustyline::Editor<Completion, FileHistory>,
) -> Option<watch::Idle> {
    let look = session.watch_look()?;
    match editor.create_external_printer() {
        Ok(printer) => Some(watch::Idle::start(look, printer)),
        Err(error) => {
            tracing::warn!("cannot print above the prompt: {error}");
            None
        }
    }
}

/// Runs what the editor returned. A pasted block (bracketed paste keeps it whole) runs line
/// by line, as bash runs it: each line after the first is shown after the prompt it answers,
/// so the transcript reads as if it had been typed. Ctrl-C drops what is left of the block,
/// as a terminal drops typed-ahead input on Ctrl-C.
fn run_lines(session: &mut Session, typed: &str, out: &mut dyn Write) -> std::io::Result<Flow> {
    let mut lines = typed
        .split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line));
    // A block copied with its last line's end leaves an empty line: nothing to run.
    let count = typed.trim_end_matches(['\n', '\r']).split('\n').count();
    for index in 0..count {
        let line = lines.next().unwrap_or_default();
        if index > 0 {
            writeln!(out, "{}{line}", session.prompt())?;
        }
        crate::interrupt::clear();
        let flow = session.execute(line, out)?;
        if crate::interrupt::requested() {
            crate::interrupt::clear();
            session.stopped(out)?;
            return Ok(Flow::Continue);
        }
        if flow == Flow::Quit {
            return Ok(Flow::Quit);
        }
    }
    Ok(Flow::Continue)
}

/// Saves the history beside its file, then renames it into place, so an interrupted save
/// leaves the previous history whole.
fn save_history(
    editor: &mut rustyline::Editor<Completion, FileHistory>,
    history: &Path,
) -> anyhow::Result<()> {
    let dir = history.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let temporary = history.with_extension("txt.tmp");
    editor.save_history(&temporary)?;
    std::fs::rename(&temporary, history)?;
    Ok(())
}
