//! `chmod`: changing the permissions of the learner's own files, as GNU chmod does.
//!
//! The lessons need it at one precise moment: `ssh` refuses a key file others can read, and
//! `chmod 400 key.pem` is the fix. It is built in rather than left to `!chmod` so the fix
//! reads exactly as in the lecture, and so the modes it understands and its messages are
//! GNU chmod's on every Unix, macOS included. Octal and symbolic modes follow coreutils'
//! `modechange.c`, umask included.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

#[cfg(unix)]
use crate::strerror::strerror;

/// Permission bits a mode can change.
const MODE_BITS: u32 = 0o7777;
const READ: u32 = 0o444;
const WRITE: u32 = 0o222;
const EXECUTE: u32 = 0o111;

/// What a mode argument asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// `400`, `0644`: the bits themselves.
    Octal(u32),
    /// `u+x`, `go-rwx`, `a=r,u+w`: changes applied in order.
    Symbolic(Vec<Change>),
}

/// One operation of a symbolic mode, as coreutils represents it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    op: char,
    /// The bits the `ugoa` letters select; 0 when none were given (then the umask applies).
    affected: u32,
    value: u32,
    kind: ChangeKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ChangeKind {
    /// `rwxst` letters.
    Ordinary,
    /// `u`, `g` or `o` after the operator: copy that class's current bits.
    Copy,
    /// `X`: execute only for directories and files someone may already execute.
    ExecuteIfAny,
}

impl Mode {
    /// Parses a mode as chmod does; `None` for an invalid mode.
    pub fn parse(text: &str) -> Option<Mode> {
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            let bits = u32::from_str_radix(text, 8).ok()?;
            return (bits <= MODE_BITS).then_some(Mode::Octal(bits));
        }
        let mut changes = Vec::new();
        for clause in text.split(',') {
            let mut chars = clause.chars().peekable();
            let mut affected = 0;
            while let Some(&c) = chars.peek() {
                affected |= match c {
                    'u' => 0o4700,
                    'g' => 0o2070,
                    'o' => 0o1007,
                    'a' => MODE_BITS,
                    _ => break,
                };
                chars.next();
            }
            // At least one operator, each followed by its permissions.
            let mut operators = 0;
            while let Some(op) = chars.next_if(|c| matches!(c, '+' | '-' | '=')) {
                operators += 1;
                let copied =
                    chars
                        .next_if(|c| matches!(c, 'u' | 'g' | 'o'))
                        .map(|class| match class {
                            'u' => 0o4700,
                            'g' => 0o2070,
                            _ => 0o1007,
                        });
                let change = match copied {
                    Some(value) => Change {
                        op,
                        affected,
                        value,
                        kind: ChangeKind::Copy,
                    },
                    None => {
                        let mut value = 0;
                        let mut kind = ChangeKind::Ordinary;
                        while let Some(c) = chars.next_if(|c| "rwxXst".contains(*c)) {
                            match c {
                                'r' => value |= READ,
                                'w' => value |= WRITE,
                                'x' => value |= EXECUTE,
                                'X' => kind = ChangeKind::ExecuteIfAny,
                                's' => value |= 0o6000,
                                _ => value |= 0o1000,
                            }
                        }
                        Change {
                            op,
                            affected,
                            value,
                            kind,
                        }
                    }
                };
                changes.push(change);
            }
            if operators == 0 || chars.next().is_some() {
                return None;
            }
        }
        Some(Mode::Symbolic(changes))
    }

    /// The new permission bits of a file with `old` bits, as chmod computes them.
    pub fn apply(&self, old: u32, is_dir: bool, umask: u32) -> u32 {
        let changes = match self {
            Mode::Octal(bits) => return *bits,
            Mode::Symbolic(changes) => changes,
        };
        let mut mode = old & MODE_BITS;
        for change in changes {
            let mut value = change.value;
            match change.kind {
                ChangeKind::Ordinary => {}
                ChangeKind::Copy => {
                    value &= mode;
                    // Spread the copied class's bits over all three classes.
                    for class in [READ, WRITE, EXECUTE] {
                        if value & class != 0 {
                            value |= class;
                        }
                    }
                }
                ChangeKind::ExecuteIfAny => {
                    if mode & EXECUTE != 0 || is_dir {
                        value |= EXECUTE;
                    }
                }
            }
            let affected = change.affected;
            value &= if affected != 0 { affected } else { !umask };
            mode = match change.op {
                '=' => {
                    let preserved = if affected != 0 { !affected } else { 0 };
                    (mode & preserved) | value
                }
                '+' => mode | value,
                _ => mode & !value,
            } & MODE_BITS;
        }
        mode
    }
}

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

/// Runs chmod on files named relative to `cwd` and returns its exit status.
#[cfg(unix)]
pub fn run(args: &[String], cwd: &Path, out: &mut dyn Write) -> io::Result<i32> {
    let invocation = match parse(args) {
        Ok(invocation) => invocation,
        Err(problem) => {
            writeln!(out, "chmod: {problem}")?;
            writeln!(out, "Try 'chmod --help' for more information.")?;
            return Ok(1);
        }
    };
    change_all(&invocation, cwd, out)
}

#[cfg(unix)]
fn change_all(invocation: &Invocation, cwd: &Path, out: &mut dyn Write) -> io::Result<i32> {
    let umask = umask();
    let mut status = 0;
    for file in &invocation.files {
        let path = cwd.join(file);
        if !change(invocation, file, &path, umask, out)? {
            status = 1;
        }
    }
    tracing::debug!(mode = %invocation.mode_text, status, "chmod");
    Ok(status)
}

/// Changes one file (and, with `-R`, what is under it); false if anything failed.
#[cfg(unix)]
fn change(
    invocation: &Invocation,
    name: &str,
    path: &Path,
    umask: u32,
    out: &mut dyn Write,
) -> io::Result<bool> {
    use std::os::unix::fs::PermissionsExt;
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(error) => {
            if !invocation.quiet {
                writeln!(out, "chmod: cannot access '{name}': {}", strerror(&error))?;
            }
            return Ok(false);
        }
    };
    let old = metadata.permissions().mode() & MODE_BITS;
    let new = invocation.mode.apply(old, metadata.is_dir(), umask);
    let mut ok = true;
    if new != old {
        if let Err(error) = std::fs::set_permissions(path, std::fs::Permissions::from_mode(new)) {
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
    // Symbolic links met while recursing are not followed, as chmod -R does by default.
    let is_real_dir = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir());
    if invocation.recursive && is_real_dir {
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(path) {
            Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(error) => {
                writeln!(
                    out,
                    "chmod: cannot read directory '{name}': {}",
                    strerror(&error)
                )?;
                return Ok(false);
            }
        };
        entries.sort();
        for entry in entries {
            if std::fs::symlink_metadata(&entry).is_ok_and(|m| m.file_type().is_symlink()) {
                continue;
            }
            let child = entry
                .file_name()
                .map(|file| format!("{}/{}", name.trim_end_matches('/'), file.to_string_lossy()))
                .unwrap_or_default();
            ok &= change(invocation, &child, &entry, umask, out)?;
        }
    }
    Ok(ok)
}

/// The process's umask, read without changing it (Linux shows it in /proc); 022 elsewhere,
/// the common default.
#[cfg(unix)]
fn umask() -> u32 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|line| line.starts_with("Umask:"))?;
            u32::from_str_radix(line["Umask:".len()..].trim(), 8).ok()
        })
        .unwrap_or(0o022)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(mode: &str, old: u32) -> u32 {
        Mode::parse(mode).expect("valid").apply(old, false, 0o022)
    }

    #[test]
    fn octal_modes_are_the_bits() {
        assert_eq!(Mode::parse("400"), Some(Mode::Octal(0o400)));
        assert_eq!(Mode::parse("0644"), Some(Mode::Octal(0o644)));
        assert_eq!(Mode::parse("7777"), Some(Mode::Octal(0o7777)));
        assert_eq!(Mode::parse("999"), None);
        assert_eq!(Mode::parse("17777"), None);
        assert_eq!(apply("600", 0o644), 0o600);
    }

    #[test]
    fn symbolic_modes_follow_coreutils() {
        assert_eq!(apply("u+x", 0o644), 0o744);
        assert_eq!(apply("go-rwx", 0o755), 0o700);
        assert_eq!(apply("a=r", 0o644), 0o444);
        assert_eq!(apply("u=rw,go=", 0o777), 0o600);
        assert_eq!(apply("og-rwx,u-w", 0o644), 0o400);
        assert_eq!(apply("u+rw-x", 0o100), 0o600);
        // No class letters: the umask limits the change.
        assert_eq!(apply("+x", 0o644), 0o755);
        assert_eq!(apply("+w", 0o444), 0o644);
        assert_eq!(apply("=r", 0o777), 0o444);
        // Copying a class, X and the special bits.
        assert_eq!(apply("g=u", 0o640), 0o660);
        assert_eq!(apply("a+X", 0o644), 0o644);
        assert_eq!(apply("a+X", 0o744), 0o755);
        assert_eq!(
            Mode::parse("a+X").expect("valid").apply(0o644, true, 0o022),
            0o755
        );
        assert_eq!(apply("u+s", 0o755), 0o4755);
        assert_eq!(apply("+t", 0o755), 0o1755);
    }

    #[test]
    fn invalid_modes_are_refused() {
        for mode in ["", "abc", "u", "u+q", "x+r", "u+r,", "+r foo"] {
            assert_eq!(Mode::parse(mode), None, "{mode:?}");
        }
    }

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
        let status = run(&args("400 key.pem"), dir.path(), &mut out).expect("run");
        assert_eq!((status, out.as_slice()), (0, &b""[..]));
        let mode = std::fs::metadata(&key).expect("stat").permissions().mode();
        assert_eq!(mode & 0o777, 0o400);

        let mut out = Vec::new();
        let status = run(&args("-v u+w key.pem missing"), dir.path(), &mut out).expect("run");
        assert_eq!(status, 1);
        assert_eq!(
            String::from_utf8_lossy(&out),
            "mode of 'key.pem' changed from 0400 (r--------) to 0600 (rw-------)\n\
             chmod: cannot access 'missing': No such file or directory\n"
        );
    }
}
