//! `!command`: running a command on the learner's own computer.
//!
//! Tasks ask learners to do things on their machine (make a folder, `chmod 400` a key); doing
//! them without leaving the shell keeps the lesson in view. On this machine the command runs
//! through `sh -c` in the shell's working directory, the same directory task checks look in,
//! with the terminal handed over to it; on an emulated workstation, in that machine's shell.

use std::io::{self, Write};
use std::path::Path;

use super::messages as msg;
use crate::lang::Lang;
use crate::style::Style;
use crate::workstation::Emulated;

/// Runs `command` in `dir`; a non-zero exit is reported, as a shell prompt would show it.
/// Returns the exit status as a shell's `$?` holds it.
pub fn run(
    command: &str,
    dir: &Path,
    lang: Lang,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<i32> {
    if command.is_empty() {
        writeln!(out, "{}", msg::run_needs_command(lang))?;
        return Ok(2);
    }
    out.flush()?;
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(dir)
        .status();
    match status {
        Ok(status) if status.success() => Ok(0),
        Ok(status) => {
            // Killed by a signal: 128 + its number, as sh reports it.
            let code = status.code().or_else(|| killed_by(status)).unwrap_or(128);
            // A command stopped by Ctrl-C says nothing, as in bash.
            if !(code == crate::interrupt::STATUS && crate::interrupt::requested()) {
                writeln!(
                    out,
                    "{}",
                    style.dim(&msg::run_status(lang, &code.to_string()))
                )?;
            }
            Ok(code)
        }
        Err(error) => {
            writeln!(out, "{}", msg::run_failed(lang, &error.to_string()))?;
            Ok(127)
        }
    }
}

/// Runs `command` in the shell of an emulated workstation, whose output is its terminal's;
/// a non-zero exit is reported as [`run`] reports it.
pub fn run_emulated(
    command: &str,
    machine: &Emulated,
    lang: Lang,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<i32> {
    if command.is_empty() {
        writeln!(out, "{}", msg::run_needs_command(lang))?;
        return Ok(2);
    }
    let (output, status) = match machine.run(command) {
        Ok(ran) => ran,
        Err(error) => {
            writeln!(
                out,
                "{}",
                msg::run_failed(lang, &crate::strerror::strerror(&error))
            )?;
            return Ok(1);
        }
    };
    out.write_all(output.as_bytes())?;
    if status != 0 {
        writeln!(
            out,
            "{}",
            style.dim(&msg::run_status(lang, &status.to_string()))
        )?;
    }
    Ok(status)
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
