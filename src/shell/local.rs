//! `!command`: running a command on the learner's own computer.
//!
//! Tasks ask learners to do things on their machine (make a folder, `chmod 400` a key); doing
//! them without leaving the shell keeps the lesson in view. On this machine the command runs
//! through the system's shell (`sh -c`; on Windows, PowerShell) in the shell's working
//! directory, the same directory task checks look in, with the terminal handed over to it; on
//! an emulated workstation, in that machine's shell.

use std::io::{self, Write};
use std::path::Path;

use super::messages as msg;
use crate::lang::Lang;
use crate::style::Style;
use crate::workstation::{Emulated, Workstation};

/// Runs `command` on the learner's computer; a non-zero exit is reported, as a shell prompt
/// would show it. Returns the exit status as a shell's `$?` holds it.
pub fn run(
    command: &str,
    files: &Workstation,
    lang: Lang,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<i32> {
    if command.is_empty() {
        writeln!(out, "{}", msg::run_needs_command(lang))?;
        return Ok(2);
    }
    let status = match files {
        Workstation::Host { folder } => on_this_machine(command, folder, lang, out)?,
        Workstation::Emulated(machine) => emulated(command, machine, lang, out)?,
    };
    // A command stopped by Ctrl-C says nothing, as in bash.
    let stopped = status == crate::interrupt::STATUS && crate::interrupt::requested();
    if status != 0 && !stopped {
        writeln!(
            out,
            "{}",
            style.dim(&msg::run_status(lang, &status.to_string()))
        )?;
    }
    Ok(status)
}

/// Runs `command` through the system's shell in `dir`, with the terminal handed over to it.
fn on_this_machine(command: &str, dir: &Path, lang: Lang, out: &mut dyn Write) -> io::Result<i32> {
    out.flush()?;
    let status = system_shell(command).current_dir(dir).status();
    match status {
        // Killed by a signal: 128 + its number, as sh reports it.
        Ok(status) => Ok(status.code().or_else(|| killed_by(status)).unwrap_or(128)),
        Err(error) => {
            writeln!(out, "{}", msg::run_failed(lang, &error.to_string()))?;
            Ok(127)
        }
    }
}

/// `sh -c COMMAND`: the shell every Unix has, and the one the lessons' `!` lines are written for.
#[cfg(not(windows))]
fn system_shell(command: &str) -> std::process::Command {
    let mut shell = std::process::Command::new("sh");
    shell.arg("-c").arg(command);
    shell
}

/// Windows has no `sh`: PowerShell, which every Windows since 7 has, and whose aliases
/// (`ls`, `cat`, `mkdir`, `rm`, `mv`) read as the lessons' commands do. The line goes as
/// `-EncodedCommand`, so that no quote in it is taken apart by Windows' argument rules on
/// the way.
#[cfg(windows)]
fn system_shell(command: &str) -> std::process::Command {
    let mut shell = std::process::Command::new("powershell.exe");
    shell.args([
        "-NoLogo",
        "-NoProfile",
        "-EncodedCommand",
        &encoded(command),
    ]);
    shell
}

/// A PowerShell command as `-EncodedCommand` takes it: Base64 of its UTF-16LE.
#[cfg_attr(not(windows), allow(dead_code))]
fn encoded(command: &str) -> String {
    use base64::Engine as _;
    let bytes: Vec<u8> = command.encode_utf16().flat_map(u16::to_le_bytes).collect();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Runs `command` in the shell of an emulated workstation, whose output is its terminal's.
fn emulated(command: &str, machine: &Emulated, lang: Lang, out: &mut dyn Write) -> io::Result<i32> {
    match machine.run(command) {
        Ok((output, status)) => {
            out.write_all(output.as_bytes())?;
            Ok(status)
        }
        Err(error) => {
            let reason = crate::strerror::strerror(&error);
            writeln!(out, "{}", msg::run_failed(lang, &reason))?;
            Ok(1)
        }
    }
}

/// The status of a command a signal ended: 128 + the signal's number.
#[cfg(unix)]
fn killed_by(status: std::process::ExitStatus) -> Option<i32> {
    use std::os::unix::process::ExitStatusExt;
    status.signal().map(|signal| 128 + signal)
}

#[cfg(not(unix))]
fn killed_by(_: std::process::ExitStatus) -> Option<i32> {
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn powershell_is_given_the_line_in_utf16() {
        // What `[Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes('ls'))` prints.
        assert_eq!(super::encoded("ls"), "bABzAA==");
        assert_eq!(super::encoded("\"a b\" '한'"), "IgBhACAAYgAiACAAJwBc1ScA");
    }
}
