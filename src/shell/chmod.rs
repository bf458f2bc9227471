//! `chmod`: changing the permissions of the learner's own files, as GNU chmod does.
//!
//! The lessons need it at one precise moment: `ssh` refuses a key file others can read, and
//! `chmod 400 key.pem` is the fix. It is built in rather than left to `!chmod` so the fix
//! reads exactly as in the lecture, and so the modes it understands and its messages are
//! GNU chmod's on every Unix, macOS included. Modes are read by [`cloudlings_core::mode`],
//! which the emulated instances' chmod shares.

use std::io::{self, Write};

use crate::strerror::strerror;
use crate::workstation::Workstation;
use cloudlings_core::mode::{MODE_BITS, Mode};

/// `rw-r--r--`, as `ls -l` and `chmod -v` show a mode.
pub fn symbolic(mode: u32) -> String {
    let mut text = String::with_capacity(9);
    for (shift, special, special_char) in [(6, 0o4000, 's'), (3, 0o2000, 's'), (0, 0o1000, 't')] {
        let bits = (mode >> shift) & 7;
        text.push(if bits & 4 != 0 { 'r' } else { '-' });
        text.push(if bits & 2 != 0 { 'w' } else { '-' });
        let executable = bits & 1 != 0;
        text.push(match (mode & special != 0, executable) {
            (true, true) => special_char,
            (true, false) => special_char.to_ascii_uppercase(),
            (false, true) => 'x',
            (false, false) => '-',
        });
    }
    text
}

/// How chmod was asked to run.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Invocation {
    mode: Mode,
    mode_text: String,
    files: Vec<String>,
    recursive: bool,
    verbose: bool,
    changes_only: bool,
    quiet: bool,
}

/// Why the arguments were refused, as chmod words it.
fn parse(args: &[String]) -> Result<Invocation, String> {
    let mut mode_text: Option<String> = None;
    let mut files = Vec::new();
    let (mut recursive, mut verbose, mut changes_only, mut quiet) = (false, false, false, false);
    let mut options_done = false;
    for arg in args {
        let is_option = !options_done && arg.starts_with('-') && arg.len() > 1;
        // `chmod -w file`: a negative symbolic mode looks like options.
        let is_mode =
            is_option && mode_text.is_none() && arg[1..].chars().all(|c| "rwxXstugo".contains(c));
        if is_option && !is_mode {
            match arg.as_str() {
                "--" => options_done = true,
                "--recursive" => recursive = true,
                "--verbose" => verbose = true,
                "--changes" => changes_only = true,
                "--silent" | "--quiet" => quiet = true,
                long if long.starts_with("--") => {
                    return Err(format!("unrecognized option '{long}'"));
                }
                short => {
                    for c in short[1..].chars() {
                        match c {
                            'R' => recursive = true,
                            'v' => verbose = true,
                            'c' => changes_only = true,
                            'f' => quiet = true,
                            other => return Err(format!("invalid option -- '{other}'")),
                        }
                    }
                }
            }
        } else if mode_text.is_none() {
            mode_text = Some(arg.clone());
        } else {
            files.push(arg.clone());
        }
    }
    let Some(mode_text) = mode_text else {
        return Err("missing operand".to_string());
    };
    let Some(mode) = Mode::parse(&mode_text) else {
        return Err(format!("invalid mode: '{mode_text}'"));
    };
    if files.is_empty() {
        return Err(format!("missing operand after '{mode_text}'"));
    }
    Ok(Invocation {
        mode,
        mode_text,
        files,
        recursive,
        verbose,
        changes_only,
        quiet,
    })
}

/// Runs chmod on the learner's files and returns its exit status.
pub fn run(args: &[String], files: &Workstation, out: &mut dyn Write) -> io::Result<i32> {
    let invocation = match parse(args) {
        Ok(invocation) => invocation,
        Err(problem) => {
            writeln!(out, "chmod: {problem}")?;
            writeln!(out, "Try 'chmod --help' for more information.")?;
            return Ok(1);
        }
    };
    let umask = files.umask();
    let mut status = 0;
    for file in &invocation.files {
        if !change(&invocation, file, files, umask, out)? {
            status = 1;
        }
    }
    tracing::debug!(mode = %invocation.mode_text, status, "chmod");
    Ok(status)
}

/// Changes one file (and, with `-R`, what is under it); false if anything failed.
fn change(
    invocation: &Invocation,
    name: &str,
    files: &Workstation,
    umask: u32,
    out: &mut dyn Write,
) -> io::Result<bool> {
    let entry = match files.stat(name) {
        Ok(entry) => entry,
        Err(error) => {
            if !invocation.quiet {
                writeln!(out, "chmod: cannot access '{name}': {}", strerror(&error))?;
            }
            return Ok(false);
        }
    };
    let old = entry.mode & MODE_BITS;
    let new = invocation.mode.apply(old, entry.is_dir(), umask);
    let mut ok = true;
    if new != old {
        if let Err(error) = files.chmod(name, new) {
            if !invocation.quiet {
                writeln!(
                    out,
                    "chmod: changing permissions of '{name}': {}",
                    strerror(&error)
                )?;
            }
            return Ok(false);
        }
        if invocation.verbose || invocation.changes_only {
            writeln!(
                out,
                "mode of '{name}' changed from {old:04o} ({}) to {new:04o} ({})",
                symbolic(old),
                symbolic(new)
            )?;
        }
    } else if invocation.verbose {
        writeln!(
            out,
            "mode of '{name}' retained as {old:04o} ({})",
            symbolic(old)
        )?;
    }
    if invocation.recursive && entry.is_dir() {
        let entries = match files.list(name) {
            Ok(entries) => entries,
            Err(error) => {
                writeln!(
                    out,
                    "chmod: cannot read directory '{name}': {}",
                    strerror(&error)
                )?;
                return Ok(false);
            }
        };
        for (child, kind) in entries {
            // Symbolic links met while recursing are not followed, as chmod -R does by
            // default.
            if kind.kind == crate::workstation::Kind::Link {
                continue;
            }
            let child = format!("{}/{child}", name.trim_end_matches('/'));
            ok &= change(invocation, &child, files, umask, out)?;
        }
    }
    Ok(ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_show_as_ls_shows_them() {
        assert_eq!(symbolic(0o644), "rw-r--r--");
        assert_eq!(symbolic(0o400), "r--------");
        assert_eq!(symbolic(0o4755), "rwsr-xr-x");
        assert_eq!(symbolic(0o1644), "rw-r--r-T");
    }

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn arguments_and_their_errors() {
        let invocation = parse(&args("-R 400 key.pem other")).expect("valid");
        assert!(invocation.recursive);
        assert_eq!(invocation.files, ["key.pem", "other"]);
        let negative = parse(&args("-w key.pem")).expect("a negative mode");
        assert_eq!(negative.mode_text, "-w");
        assert_eq!(parse(&[]), Err("missing operand".into()));
        assert_eq!(
            parse(&args("400")),
            Err("missing operand after '400'".into())
        );
        assert_eq!(
            parse(&args("abc key.pem")),
            Err("invalid mode: 'abc'".into())
        );
        assert_eq!(
            parse(&args("-z 400 key.pem")),
            Err("invalid option -- 'z'".into())
        );
    }

    #[cfg(unix)]
    #[test]
    fn changes_real_files_and_words_errors_as_chmod() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("dir");
        let key = dir.path().join("key.pem");
        std::fs::write(&key, "secret").expect("write");
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).expect("0644");
        let mut out = Vec::new();
        let files = Workstation::host(dir.path());
        let status = run(&args("400 key.pem"), &files, &mut out).expect("run");
        assert_eq!((status, out.as_slice()), (0, &b""[..]));
        let mode = std::fs::metadata(&key).expect("stat").permissions().mode();
        assert_eq!(mode & 0o777, 0o400);

        let mut out = Vec::new();
        let status = run(&args("-v u+w key.pem missing"), &files, &mut out).expect("run");
        assert_eq!(status, 1);
        assert_eq!(
            String::from_utf8_lossy(&out),
            "mode of 'key.pem' changed from 0400 (r--------) to 0600 (rw-------)\n\
             chmod: cannot access 'missing': No such file or directory\n"
        );
    }
}
