//! `!command`: running a command on the learner's own computer.
//!
//! Tasks ask learners to do things on their machine (make a folder, `chmod 400` a key); doing
//! them without leaving the shell keeps the lesson in view. The command runs through `sh -c` in
//! the shell's working directory, the same directory task checks look in, with the terminal
//! handed over to it.

use std::io::{self, Write};
use std::path::Path;

use super::messages as msg;
use crate::lang::Lang;
use crate::style::Style;

/// Runs `command` in `dir`; a non-zero exit is reported, as a shell prompt would show it.
pub fn run(
    command: &str,
    dir: &Path,
    lang: Lang,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    if command.is_empty() {
        return writeln!(out, "{}", msg::run_needs_command(lang));
    }
    out.flush()?;
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(dir)
        .status();
    match status {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => {
            let code = status
                .code()
                .map_or_else(|| status.to_string(), |code| code.to_string());
            writeln!(out, "{}", style.dim(&msg::run_status(lang, &code)))
        }
        Err(error) => writeln!(out, "{}", msg::run_failed(lang, &error.to_string())),
    }
}
