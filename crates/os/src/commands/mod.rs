//! The programs a command line can name, by family, and what they share: the process they run
//! in ([`Proc`]), option parsing, and how a name is found on `$PATH`.
//!
//! Programs exist as files of the image (`/usr/bin/ls`), so `which`, `rm /usr/bin/x` and a
//! package's new programs behave as on Linux; this table says what each file does.

mod curl;
mod files;
mod packages;
mod ping;
mod python;
mod services;
mod system;
mod text;
mod top;
mod volume;

use std::collections::BTreeMap;
use std::fmt;

use time::OffsetDateTime;

use super::disk::Disk;
use super::fs::{self, Cred, Errno, Fs};
use super::io::Io;
use super::job::{Job, Wait};
use super::node::Body;
use super::sys::{Identity, Sys};
use super::{Distro, Facts};

pub(crate) use packages::{Plan, UBUNTU_UPGRADABLE};

/// A program: its process, its arguments (`argv[0]` as typed), its exit status.
pub(crate) type Run = fn(&mut Proc<'_, '_>, &[String]) -> i32;

/// bash's builtins that are also programs, run without a `$PATH` search.
pub(crate) const BUILTINS: &[&str] = &[
    "echo", "printf", "pwd", "true", "false", "test", "[", ":", "kill",
];

/// A running program.
pub(crate) struct Proc<'p, 'a> {
    pub sys: &'p mut Sys<'a>,
    pub io: &'p mut Io,
    pub who: &'p Identity,
    pub cwd: &'p str,
    pub env: &'p BTreeMap<String, String>,
    /// Whether it may ask the learner a question (its input is the terminal).
    pub interactive: bool,
    /// A question it asked; the shell keeps it until the next line answers it.
    pub ask: Option<Question>,
    /// What keeps the terminal once it returns (`sleep`, `nano`); the session runs it.
    pub job: Option<Box<dyn Job>>,
}

impl fmt::Debug for Proc<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Proc")
            .field("user", &self.who.name)
            .field("cwd", &self.cwd)
            .finish_non_exhaustive()
    }
}

/// A question waiting for the learner's answer.
#[derive(Debug, Clone)]
pub(crate) struct Question {
    pub prompt: String,
    pub plan: Plan,
    pub who: Identity,
    pub cwd: String,
}

impl<'p, 'a> Proc<'p, 'a> {
    pub fn fs(&mut self) -> Fs<'_, &mut Disk> {
        self.sys.fs()
    }

    pub fn view(&self) -> Fs<'_, &Disk> {
        self.sys.view()
    }

    pub fn cred(&self) -> &Cred {
        &self.who.cred
    }

    pub fn facts(&self) -> &'a Facts {
        self.sys.facts
    }

    pub fn distro(&self) -> Distro {
        self.sys.facts.distro
    }

    pub fn now(&self) -> OffsetDateTime {
        self.sys.facts.now
    }

    pub fn out(&mut self, text: impl AsRef<[u8]>) {
        self.io.out(text);
    }

    pub fn err(&mut self, text: impl AsRef<[u8]>) {
        self.io.err(text);
    }

    pub fn env(&self, name: &str) -> Option<&str> {
        self.env.get(name).map(String::as_str)
    }

    /// Asks a question, if the terminal is there to answer it.
    pub fn ask(&mut self, prompt: String, plan: Plan) {
        self.ask = Some(Question {
            prompt,
            plan,
            who: self.who.clone(),
            cwd: self.cwd.to_string(),
        });
    }

    /// Whether it may keep the terminal after it returns: it was typed at the prompt, alone,
    /// and its input and output are the terminal. Elsewhere (a pipe, a script, `$(…)`) it
    /// must finish at once.
    pub fn holds_terminal(&self) -> bool {
        self.interactive && self.io.tty_out && self.io.tty_err
    }

    /// Keeps the terminal: the session runs `job` until it ends.
    pub fn keep_terminal(&mut self, job: impl Job + 'static) {
        self.job = Some(Box::new(job));
    }

    /// The program takes `ms` milliseconds before it ends with `status`. At the prompt the
    /// terminal waits, what it wrote appears when the time is up, and Ctrl-C interrupts it;
    /// where it cannot hold the terminal it ends at once, as if the time had passed.
    pub fn take_time(&mut self, ms: u64, status: i32) -> i32 {
        if self.holds_terminal() && ms > 0 {
            let written = self.io.text();
            self.io.take();
            let until = self.now()
                + time::Duration::milliseconds(i64::try_from(ms).unwrap_or(i64::MAX / 2));
            self.keep_terminal(Wait::new(until, written, status));
        }
        status
    }

    /// The contents of each operand, or of stdin when there are none (or for `-`), as `cat`
    /// and the text filters read them. Errors are printed as `name: file: reason`.
    pub fn inputs(&mut self, name: &str, operands: &[String]) -> (Vec<(String, Vec<u8>)>, i32) {
        if operands.is_empty() {
            return (vec![("-".into(), self.io.input().to_vec())], 0);
        }
        let mut out = Vec::new();
        let mut status = 0;
        for operand in operands {
            if operand == "-" {
                out.push(("-".into(), self.io.input().to_vec()));
                continue;
            }
            match self.view().read(self.cred(), self.cwd, operand) {
                Ok(data) => out.push((operand.clone(), data)),
                Err(errno) => {
                    self.err(format!("{name}: {operand}: {errno}\n"));
                    status = 1;
                }
            }
        }
        (out, status)
    }
}

/// Parsed options: short flags (clustered or not), long ones, their values, and operands.
#[derive(Debug, Clone, Default)]
pub(crate) struct Opts {
    pub short: Vec<char>,
    pub long: Vec<String>,
    pub values: Vec<(char, String)>,
    pub operands: Vec<String>,
}

impl Opts {
    /// Parses `args` (without `argv[0]`); `valued` lists the short options that take a value.
    pub fn parse(args: &[String], valued: &str) -> Opts {
        Opts::parse_long(args, valued, &[])
    }

    /// As [`Opts::parse`], and the long options named in `long_valued` take the next word as
    /// their value when `=` does not give one; either way it is kept as `name=value`.
    pub fn parse_long(args: &[String], valued: &str, long_valued: &[&str]) -> Opts {
        let mut opts = Opts::default();
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            if arg == "--" {
                opts.operands.extend(iter.by_ref().cloned());
                break;
            }
            if let Some(long) = arg.strip_prefix("--") {
                if long_valued.contains(&long) {
                    let value = iter.next().cloned().unwrap_or_default();
                    opts.long.push(format!("{long}={value}"));
                } else {
                    opts.long.push(long.to_string());
                }
                continue;
            }
            if arg.len() > 1 && arg.starts_with('-') {
                let flags: Vec<char> = arg[1..].chars().collect();
                for (index, flag) in flags.iter().enumerate() {
                    if valued.contains(*flag) {
                        let rest: String = flags[index + 1..].iter().collect();
                        let value = if rest.is_empty() {
                            iter.next().cloned().unwrap_or_default()
                        } else {
                            rest
                        };
                        opts.values.push((*flag, value));
                        break;
                    }
                    opts.short.push(*flag);
                }
                continue;
            }
            opts.operands.push(arg.clone());
        }
        opts
    }

    pub fn has(&self, flag: char) -> bool {
        self.short.contains(&flag)
    }

    pub fn has_long(&self, name: &str) -> bool {
        self.long
            .iter()
            .any(|long| long == name || long.starts_with(&format!("{name}=")))
    }

    pub fn value(&self, flag: char) -> Option<&str> {
        self.values
            .iter()
            .rev()
            .find(|(key, _)| *key == flag)
            .map(|(_, value)| value.as_str())
    }
}

/// What a command name leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Found {
    /// A program of the image or of a package, by canonical path.
    Program(String),
    /// A text file with execute permission: a shell script.
    Script(String),
    Missing,
    Error(Errno),
}

/// Finds a command as bash does: a name with `/` as a path, anything else along `$PATH`.
pub(crate) fn search(
    view: &Fs<'_, &Disk>,
    cred: &Cred,
    cwd: &str,
    path_var: &str,
    name: &str,
) -> Found {
    if name.is_empty() {
        return Found::Missing;
    }
    if name.contains('/') {
        return match view.lookup(cred, cwd, name, true) {
            Ok((full, node)) => {
                if node.is_dir() {
                    Found::Error(Errno::IsDir)
                } else if !cred.may(&node, fs::EXEC) {
                    Found::Error(Errno::Acces)
                } else {
                    classify(full, &node.body)
                }
            }
            Err(errno) => Found::Error(errno),
        };
    }
    for dir in path_var.split(':') {
        let dir = if dir.is_empty() { "." } else { dir };
        let candidate = format!("{}/{name}", dir.trim_end_matches('/'));
        if let Ok((full, node)) = view.lookup(cred, cwd, &candidate, true)
            && !node.is_dir()
            && cred.may(&node, fs::EXEC)
        {
            return classify(full, &node.body);
        }
    }
    Found::Missing
}

fn classify(full: String, body: &Body) -> Found {
    match body {
        Body::Program(_) => Found::Program(full),
        Body::File(_) => Found::Script(full),
        _ => Found::Error(Errno::Acces),
    }
}

/// The program a file runs: its name, with the distros' aliases resolved.
pub(crate) fn program_name(path: &str) -> &str {
    match fs::basename(path) {
        "dnf-3" | "yum" => "dnf",
        other => other,
    }
}

/// The program behind a file name.
pub(crate) fn program(name: &str) -> Option<Run> {
    Some(match name {
        "ls" => files::ls,
        "cat" => files::cat,
        "touch" => files::touch,
        "mkdir" => files::mkdir,
        "rmdir" => files::rmdir,
        "rm" => files::rm,
        "cp" => files::cp,
        "mv" => files::mv,
        "ln" => files::ln,
        "chmod" => files::chmod,
        "chown" => files::chown,
        "tree" => files::tree,
        "stat" => files::stat,
        "readlink" => files::readlink,
        "du" => files::du,
        "find" => files::find,
        "echo" => text::echo,
        "printf" => text::printf,
        "grep" => text::grep,
        "head" => text::head,
        "tail" => text::tail,
        "wc" => text::wc,
        "tee" => text::tee,
        "sort" => text::sort,
        "uniq" => text::uniq,
        "cut" => text::cut,
        "tr" => text::tr,
        "less" | "more" => text::pager,
        "pwd" => system::pwd,
        "true" | ":" => system::success,
        "false" => system::failure,
        "test" | "[" => system::test,
        "whoami" => system::whoami,
        "id" => system::id,
        "hostname" => system::hostname,
        "uname" => system::uname,
        "uptime" => system::uptime,
        "date" => system::date,
        "df" => system::df,
        "free" => system::free,
        "nproc" => system::nproc,
        "ps" => system::ps,
        "ip" => system::ip,
        "lsb_release" => system::lsb_release,
        "env" | "printenv" => system::env,
        "which" => system::which,
        "man" => system::man,
        "clear" => system::clear,
        "nano" | "vi" | "vim" => crate::editor::editor,
        "top" | "htop" => top::top,
        "tmux" => system::multiplexer,
        "ssh" => system::ssh,
        "sleep" => system::sleep,
        "kill" => system::kill,
        "reboot" | "shutdown" | "poweroff" => system::power,
        "who" | "w" => system::who,
        "hostnamectl" => system::hostnamectl,
        "apt" | "apt-get" => packages::apt,
        "dnf" => packages::dnf,
        "systemctl" => services::systemctl,
        "service" => services::service,
        "nginx" => services::nginx,
        "journalctl" => services::journalctl,
        "curl" => curl::curl,
        "ping" => ping::ping,
        "python3" => python::python3,
        "wget" => curl::wget,
        "fallocate" => volume::fallocate,
        "dd" => volume::dd,
        _ => return None,
    })
}

/// Gives a pending question its answer.
pub(crate) fn answer(proc: &mut Proc<'_, '_>, plan: &Plan, reply: &str) -> i32 {
    packages::answer(proc, plan, reply)
}

/// `1.5K`, `957M`, as `-h` options print sizes (powers of 1024, one decimal under 10).
pub(crate) fn human(bytes: u64) -> String {
    const UNITS: [&str; 6] = ["", "K", "M", "G", "T", "P"];
    if bytes < 1024 {
        return bytes.to_string();
    }
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if value < 10.0 {
        let rounded = (value * 10.0).ceil() / 10.0;
        if rounded >= 10.0 {
            format!("{}{}", rounded.ceil() as u64, UNITS[unit])
        } else {
            format!("{rounded:.1}{}", UNITS[unit])
        }
    } else {
        format!("{}{}", value.ceil() as u64, UNITS[unit])
    }
}

/// The tests of every command family drive a whole machine.
#[cfg(test)]
pub(crate) use super::testing::Machine;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_cluster_and_take_values() {
        let args: Vec<String> = ["-la", "-n5", "--color=auto", "x", "--", "-y"]
            .iter()
            .map(|arg| arg.to_string())
            .collect();
        let opts = Opts::parse(&args, "n");
        assert!(opts.has('l') && opts.has('a'));
        assert_eq!(opts.value('n'), Some("5"));
        assert!(opts.has_long("color"));
        assert_eq!(opts.operands, ["x", "-y"]);
    }

    #[test]
    fn human_sizes_as_coreutils_rounds_them() {
        assert_eq!(human(615), "615");
        assert_eq!(human(4096), "4.0K");
        assert_eq!(human(1_003_520), "980K");
        assert_eq!(human(1024 * 1024 * 957), "957M");
        assert_eq!(human(10 * 1024 - 1), "10K");
    }

    #[test]
    fn not_found_as_each_distro_says_it() {
        let mut ubuntu = Machine::ubuntu();
        let outcome = ubuntu.run("foo");
        assert_eq!(outcome.output, "foo: command not found\n");
        assert_eq!(outcome.status, 127);
        assert_eq!(
            ubuntu.out("tree"),
            "Command 'tree' not found, but can be installed with:\nsudo apt install tree\n"
        );
        let mut amazon = Machine::amazon();
        assert_eq!(amazon.out("foo"), "-bash: foo: command not found\n");
        assert_eq!(
            amazon.out("./nothing"),
            "-bash: ./nothing: No such file or directory\n"
        );
    }
}
