//! Running a parsed line: expansion, redirections, pipes, lists, the builtins that change the
//! shell itself (`cd`, `export`, `exit`…), and how a command is found and started, `sudo`
//! and `su` included.
//!
//! Each command writes into its own [`Io`]; afterwards the shell routes what it wrote by its
//! redirections: to the enclosing stream (the terminal, at the top), to the next command of a
//! pipe, to a file, or nowhere. Files named by `>` are truncated before the command runs and
//! written after it, as bash opens them before it starts a command.

use std::collections::{BTreeMap, BTreeSet};

use super::commands::{self, Found, Proc, Question};
use super::fs::{self, Errno};
use super::glob::glob_match;
use super::io::{Input, Io};
use super::job::Job;
use super::notes;
use super::parse::{self, Command, Item, Part, Pipeline, RedirOp, Simple, Target, Word};
use super::sys::{Identity, Sys};
use super::{Distro, repo};

/// How deep subshells, substitutions, scripts and `sudo`s may nest while running.
const DEPTH_MAX: usize = 12;
/// How many words one command may have after globbing.
const ARGS_MAX: usize = 10_000;
/// Variables a shell may hold, and the size of one.
const VARS_MAX: usize = 1_000;
const VALUE_MAX: usize = 64 * 1024;

/// One shell: the login shell, or one started by `sudo -i`, `su` or `bash`.
#[derive(Debug, Clone)]
pub(crate) struct Shell {
    pub who: Identity,
    pub cwd: String,
    pub vars: BTreeMap<String, String>,
    pub exported: BTreeSet<String>,
    pub aliases: BTreeMap<String, String>,
    /// `$?`.
    pub status: i32,
    /// A login shell: its messages start with `-bash`, and `exit` prints `logout`.
    pub login: bool,
    pub pid: u32,
    /// `$1`, `$2`… of a script.
    pub args: Vec<String>,
}

impl Shell {
    /// A shell for `who` as login (or `su`/`sudo -s`) sets it up.
    pub fn new(sys: &Sys<'_>, who: Identity, login: bool, cwd: &str, pid: u32) -> Shell {
        let distro = sys.facts.distro;
        let path = match (distro, who.is_root()) {
            (Distro::Ubuntu | Distro::Workstation, false) => {
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/games:/usr/local/games:/snap/bin".to_string()
            }
            (Distro::Ubuntu | Distro::Workstation, true) => {
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/snap/bin".to_string()
            }
            (Distro::AmazonLinux, false) => format!(
                "{home}/.local/bin:{home}/bin:/usr/local/bin:/usr/bin:/usr/local/sbin:/usr/sbin",
                home = who.home
            ),
            (Distro::AmazonLinux, true) => format!(
                "{home}/.local/bin:{home}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin",
                home = who.home
            ),
        };
        let lang = "C.UTF-8";
        let mut vars = BTreeMap::new();
        let exported_vars = [
            ("HOME", who.home.clone()),
            ("USER", who.name.clone()),
            ("LOGNAME", who.name.clone()),
            ("SHELL", "/bin/bash".to_string()),
            ("PATH", path),
            ("PWD", cwd.to_string()),
            ("LANG", lang.to_string()),
            ("TERM", "xterm-256color".to_string()),
            ("MAIL", format!("/var/mail/{}", who.name)),
            ("SHLVL", "1".to_string()),
        ];
        let mut exported = BTreeSet::new();
        for (name, value) in exported_vars {
            vars.insert(name.to_string(), value);
            exported.insert(name.to_string());
        }
        if distro == Distro::AmazonLinux {
            vars.insert("HOSTNAME".into(), super::distro::hostname(sys.facts));
            exported.insert("HOSTNAME".into());
        }
        for (name, value) in [
            ("SSH_TTY", "/dev/pts/0".to_string()),
            ("XDG_RUNTIME_DIR", format!("/run/user/{}", who.cred.uid)),
            ("XDG_SESSION_CLASS", "user".to_string()),
            ("XDG_SESSION_TYPE", "tty".to_string()),
        ] {
            // A terminal on the workstation is local: no SSH session is behind it.
            if name == "SSH_TTY" && distro == Distro::Workstation {
                continue;
            }
            vars.insert(name.to_string(), value);
            exported.insert(name.to_string());
        }
        let mut aliases = BTreeMap::new();
        if distro == Distro::AmazonLinux {
            aliases.insert("ll".to_string(), "ls -l --color=auto".to_string());
            aliases.insert("ls".to_string(), "ls --color=auto".to_string());
            aliases.insert("grep".to_string(), "grep --color=auto".to_string());
        } else {
            aliases.insert("ls".to_string(), "ls --color=auto".to_string());
            aliases.insert("grep".to_string(), "grep --color=auto".to_string());
        }
        Shell {
            who,
            cwd: cwd.to_string(),
            vars,
            exported,
            aliases,
            status: 0,
            login,
            pid,
            args: Vec::new(),
        }
    }

    /// How bash names itself in messages: `-bash` for a login shell.
    pub fn name(&self) -> &'static str {
        if self.login { "-bash" } else { "bash" }
    }

    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }

    /// Sets a variable, within the bounds.
    pub fn set(&mut self, name: &str, value: &str) -> bool {
        if value.len() > VALUE_MAX || (self.vars.len() >= VARS_MAX && !self.vars.contains_key(name))
        {
            return false;
        }
        self.vars.insert(name.to_string(), value.to_string());
        true
    }

    /// The exported variables, as a started program sees them.
    pub fn env(&self) -> BTreeMap<String, String> {
        self.exported
            .iter()
            .filter_map(|name| {
                self.vars
                    .get(name)
                    .map(|value| (name.clone(), value.clone()))
            })
            .collect()
    }
}

/// What stops a list before its end.
#[derive(Debug)]
pub(crate) enum Flow {
    /// `exit`: the shell ends with this status.
    Exit(i32),
    /// A command asked the learner something; the list's rest runs after the answer.
    Ask(Box<Question>, Vec<Item>),
    /// A program keeps the terminal (`sleep`, `nano`); the list's rest runs after it ends.
    Job(Box<dyn Job>, Vec<Item>),
}

/// The status a subshell ends with: its `exit` ends only itself, and a question asked inside
/// one is not carried out of it, so it fails.
fn settle(result: Result<i32, Flow>) -> i32 {
    match result {
        Ok(code) | Err(Flow::Exit(code)) => code,
        Err(Flow::Ask(..) | Flow::Job(..)) => 1,
    }
}

/// Where one of a command's output streams goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dest {
    /// The enclosing stream of that number (the terminal at the top).
    Parent(u32),
    Pipe,
    File(usize),
    Null,
}

/// A command's streams once its redirections are done.
#[derive(Debug)]
struct Setup {
    stdin: Input,
    out: Dest,
    err: Dest,
    files: Vec<OpenFile>,
}

#[derive(Debug)]
struct OpenFile {
    path: String,
    data: Vec<u8>,
}

/// Runs lines for a session.
pub(crate) struct Exec<'s, 'a> {
    pub sys: &'s mut Sys<'a>,
    pub history: &'s mut Vec<String>,
    pub depth: usize,
    /// Whether commands may ask the learner (a line typed at the prompt).
    pub interactive: bool,
    /// A shell to enter once the line is done (`sudo -i`, `su`, `bash`).
    pub pushed: Option<Shell>,
    /// The status of the last command substitution, which an assignment alone returns.
    subst_status: Option<i32>,
    /// Process ids for shells and commands started.
    pub next_pid: u32,
    /// `sudo`s inside one another (`sudo sudo …`), bounded like nesting.
    sudo_hops: usize,
}

impl std::fmt::Debug for Exec<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Exec")
            .field("depth", &self.depth)
            .finish_non_exhaustive()
    }
}

impl<'s, 'a> Exec<'s, 'a> {
    pub fn new(sys: &'s mut Sys<'a>, history: &'s mut Vec<String>, next_pid: u32) -> Self {
        Exec {
            sys,
            history,
            depth: 0,
            interactive: true,
            pushed: None,
            subst_status: None,
            next_pid,
            sudo_hops: 0,
        }
    }

    fn pid(&mut self) -> u32 {
        self.next_pid += 1;
        self.next_pid
    }

    /// Runs a list, starting from a status (for the rest of a list after a question).
    pub fn items(
        &mut self,
        sh: &mut Shell,
        items: &[Item],
        parent: &mut Io,
        start: i32,
    ) -> Result<i32, Flow> {
        let mut status = start;
        for (index, item) in items.iter().enumerate() {
            match item.connector {
                parse::Connector::And if status != 0 => continue,
                parse::Connector::Or if status == 0 => continue,
                _ => {}
            }
            match self.pipeline(sh, &item.pipeline, parent) {
                Ok(code) => {
                    status = code;
                    sh.status = code;
                }
                Err(Flow::Ask(question, _)) => {
                    return Err(Flow::Ask(question, items[index + 1..].to_vec()));
                }
                Err(Flow::Job(job, _)) => {
                    return Err(Flow::Job(job, items[index + 1..].to_vec()));
                }
                Err(flow) => return Err(flow),
            }
        }
        Ok(status)
    }

    fn pipeline(
        &mut self,
        sh: &mut Shell,
        pipeline: &Pipeline,
        parent: &mut Io,
    ) -> Result<i32, Flow> {
        let count = pipeline.commands.len();
        let mut input = parent.stdin.clone();
        let mut status = 0;
        for (index, command) in pipeline.commands.iter().enumerate() {
            let last = index + 1 == count;
            let mut pipe = Vec::new();
            status = if count == 1 {
                self.command(sh, command, input, last, parent, &mut pipe, true)?
            } else {
                // Each command of a pipe runs in a subshell of its own.
                let mut stage = sh.clone();
                settle(self.command(&mut stage, command, input, last, parent, &mut pipe, false))
            };
            input = Input::Data(pipe);
        }
        if pipeline.negate {
            status = i32::from(status == 0);
        }
        Ok(status)
    }

    #[allow(clippy::too_many_arguments)]
    fn command(
        &mut self,
        sh: &mut Shell,
        command: &Command,
        stdin: Input,
        last: bool,
        parent: &mut Io,
        pipe: &mut Vec<u8>,
        alone: bool,
    ) -> Result<i32, Flow> {
        match command {
            Command::Subshell(script, redirs) => {
                let setup = match self.redirect(sh, redirs, stdin, last, parent)? {
                    Ok(setup) => setup,
                    Err(code) => return Ok(code),
                };
                let mut io = Io::new(setup.stdin.clone(), self.tty_out(&setup, parent));
                let mut inner = sh.clone();
                let status = self.subshell(&mut inner, script, &mut io, sh.status);
                Ok(self.finish(sh, io, setup, parent, pipe, "bash", status))
            }
            Command::Simple(simple) => self.simple(sh, simple, stdin, last, parent, pipe, alone),
        }
    }

    /// Runs `body` one level deeper, or refuses past [`DEPTH_MAX`].
    fn nested(&mut self, body: impl FnOnce(&mut Self) -> i32) -> i32 {
        if self.depth >= DEPTH_MAX {
            return 1;
        }
        self.depth += 1;
        let status = body(self);
        self.depth -= 1;
        status
    }

    /// Runs `script` in `inner`, a copy of the shell, one level deeper; `start` is the `$?` it
    /// begins with.
    fn subshell(
        &mut self,
        inner: &mut Shell,
        script: &parse::Script,
        io: &mut Io,
        start: i32,
    ) -> i32 {
        self.nested(|exec| settle(exec.items(inner, &script.items, io, start)))
    }

    fn tty_out(&self, setup: &Setup, parent: &Io) -> bool {
        setup.out == Dest::Parent(1) && parent.tty_out
    }

    #[allow(clippy::too_many_arguments)]
    fn simple(
        &mut self,
        sh: &mut Shell,
        simple: &Simple,
        stdin: Input,
        last: bool,
        parent: &mut Io,
        pipe: &mut Vec<u8>,
        alone: bool,
    ) -> Result<i32, Flow> {
        self.subst_status = None;
        let mut argv: Vec<String> = Vec::new();
        let mut words = simple.words.iter();
        if let Some(first) = simple.words.first()
            && let Some(name) = first.plain()
            && let Some(value) = sh.aliases.get(name).cloned()
            && let Ok(script) = parse::parse(&value)
            && let [item] = script.items.as_slice()
            && let [Command::Simple(expanded)] = item.pipeline.commands.as_slice()
            && expanded.redirs.is_empty()
            && expanded.assigns.is_empty()
        {
            words.next();
            for word in &expanded.words {
                argv.extend(self.expand(sh, word, parent)?);
            }
        }
        for word in words {
            argv.extend(self.expand(sh, word, parent)?);
            if argv.len() > ARGS_MAX {
                parent.err(format!("{}: Argument list too long\n", sh.name()));
                return Ok(126);
            }
        }
        let mut assigns = Vec::new();
        for (name, word) in &simple.assigns {
            assigns.push((name.clone(), self.expand_one(sh, word, parent)?));
        }
        let setup = match self.redirect(sh, &simple.redirs, stdin, last, parent)? {
            Ok(setup) => setup,
            Err(code) => return Ok(code),
        };
        if argv.is_empty() {
            for (name, value) in &assigns {
                if !sh.set(name, value) {
                    parent.err(format!("{}: {name}: value too large\n", sh.name()));
                    return Ok(1);
                }
            }
            let status = self.subst_status.unwrap_or(0);
            let io = Io::new(Input::Tty, false);
            return Ok(self.finish(sh, io, setup, parent, pipe, "bash", status));
        }
        let may_ask = alone && self.interactive && self.depth == 0 && setup.stdin == Input::Tty;
        let mut io = Io::new(setup.stdin.clone(), self.tty_out(&setup, parent));
        io.tty_err = matches!(setup.err, Dest::Parent(_)) && parent.tty_out;
        let result = self.invoke(sh, &argv, &assigns, &mut io, may_ask);
        let program = if is_shell_builtin(&argv[0]) {
            format!("{}: {}", sh.name(), argv[0])
        } else {
            fs::basename(&argv[0]).to_string()
        };
        match result {
            Ok(status) => Ok(self.finish(sh, io, setup, parent, pipe, &program, status)),
            Err(flow) => {
                self.finish(sh, io, setup, parent, pipe, &program, 0);
                Err(flow)
            }
        }
    }

    /// Routes what a command wrote, then writes the files it redirected to.
    #[allow(clippy::too_many_arguments)]
    fn finish(
        &mut self,
        sh: &Shell,
        mut io: Io,
        mut setup: Setup,
        parent: &mut Io,
        pipe: &mut Vec<u8>,
        program: &str,
        mut status: i32,
    ) -> i32 {
        for (fd, data) in io.take() {
            let dest = if fd == 2 { setup.err } else { setup.out };
            match dest {
                Dest::Parent(number) => parent.write(number, &data),
                Dest::Pipe => {
                    let room = super::io::IO_LIMIT.saturating_sub(pipe.len());
                    pipe.extend_from_slice(&data[..data.len().min(room)]);
                }
                Dest::File(index) => {
                    if let Some(file) = setup.files.get_mut(index) {
                        file.data.extend_from_slice(&data);
                    }
                }
                Dest::Null => {}
            }
        }
        for file in setup.files.drain(..) {
            if file.data.is_empty() {
                continue;
            }
            let cred = sh.who.cred.clone();
            if let Err(errno) = self
                .sys
                .fs()
                .write(&cred, &sh.cwd, &file.path, &file.data, true)
            {
                parent.err(format!("{program}: write error: {errno}\n"));
                status = 1;
            }
        }
        status
    }

    /// Opens a command's redirections in order. `Err` stops the line (a question cannot come
    /// from here); `Ok(Err(status))` means the command does not run.
    fn redirect(
        &mut self,
        sh: &mut Shell,
        redirs: &[parse::Redir],
        stdin: Input,
        last: bool,
        parent: &mut Io,
    ) -> Result<Result<Setup, i32>, Flow> {
        let mut setup = Setup {
            stdin,
            out: if last { Dest::Parent(1) } else { Dest::Pipe },
            err: Dest::Parent(2),
            files: Vec::new(),
        };
        for redir in redirs {
            match (&redir.op, &redir.target) {
                (RedirOp::Dup, Target::Fd(target)) => {
                    let source = match target {
                        1 => setup.out,
                        2 => setup.err,
                        _ => Dest::Null,
                    };
                    match redir.fd {
                        1 => setup.out = source,
                        2 => setup.err = source,
                        _ => {}
                    }
                }
                (RedirOp::Close, _) => match redir.fd {
                    1 => setup.out = Dest::Null,
                    2 => setup.err = Dest::Null,
                    _ => {}
                },
                (RedirOp::Here, Target::Text { word, newline }) => {
                    let mut text = self.expand_one(sh, word, parent)?;
                    if *newline {
                        text.push('\n');
                    }
                    setup.stdin = Input::Data(text.into_bytes());
                }
                (op, Target::Word(word)) => {
                    let fields = self.expand(sh, word, parent)?;
                    let [path] = fields.as_slice() else {
                        let shown = word.literal().unwrap_or_else(|| "$…".into());
                        parent.err(format!("{}: {shown}: ambiguous redirect\n", sh.name()));
                        return Ok(Err(1));
                    };
                    let cred = sh.who.cred.clone();
                    if *op == RedirOp::In {
                        match self.sys.view().read(&cred, &sh.cwd, path) {
                            Ok(data) => setup.stdin = Input::Data(data),
                            Err(errno) => {
                                parent.err(format!("{}: {path}: {errno}\n", sh.name()));
                                return Ok(Err(1));
                            }
                        }
                        continue;
                    }
                    let append = matches!(op, RedirOp::Append | RedirOp::BothAppend);
                    let opened = if path.is_empty() {
                        Err(Errno::NoEnt)
                    } else {
                        self.sys.fs().write(&cred, &sh.cwd, path, b"", append)
                    };
                    let full = match opened {
                        Ok(full) => full,
                        Err(errno) => {
                            parent.err(format!("{}: {path}: {errno}\n", sh.name()));
                            return Ok(Err(1));
                        }
                    };
                    let dest = if self
                        .sys
                        .view()
                        .get(&full)
                        .is_some_and(|node| matches!(node.body, super::node::Body::Device(..)))
                    {
                        Dest::Null
                    } else {
                        setup.files.push(OpenFile {
                            path: full,
                            data: Vec::new(),
                        });
                        Dest::File(setup.files.len() - 1)
                    };
                    match (op, redir.fd) {
                        (RedirOp::Both | RedirOp::BothAppend, _) => {
                            setup.out = dest;
                            setup.err = dest;
                        }
                        (_, 2) => setup.err = dest,
                        (_, 1) => setup.out = dest,
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        Ok(Ok(setup))
    }

    /// Expands a word into fields: variables, substitutions, `~`, splitting, globbing.
    fn expand(
        &mut self,
        sh: &mut Shell,
        word: &Word,
        parent: &mut Io,
    ) -> Result<Vec<String>, Flow> {
        // Each character knows whether it may glob (it came unquoted from the line).
        let mut fields: Vec<Vec<(char, bool)>> = Vec::new();
        let mut current: Option<Vec<(char, bool)>> = None;
        for part in &word.parts {
            match part {
                Part::Text(text) => current
                    .get_or_insert_with(Vec::new)
                    .extend(text.chars().map(|c| (c, true))),
                Part::Quoted(text) => current
                    .get_or_insert_with(Vec::new)
                    .extend(text.chars().map(|c| (c, false))),
                Part::Tilde(user) => {
                    let home = self.tilde(sh, user);
                    current
                        .get_or_insert_with(Vec::new)
                        .extend(home.chars().map(|c| (c, false)));
                }
                Part::Var { name, quoted } => {
                    let value = self.variable(sh, name);
                    split_into(&mut fields, &mut current, &value, *quoted);
                }
                Part::Subst { script, quoted } => {
                    let value = self.substitute(sh, script, parent);
                    split_into(&mut fields, &mut current, &value, *quoted);
                }
            }
        }
        if let Some(field) = current {
            fields.push(field);
        }
        let mut out = Vec::new();
        for field in fields {
            if field
                .iter()
                .any(|(c, active)| *active && matches!(c, '*' | '?' | '['))
            {
                let matches = self.glob(sh, &field);
                if !matches.is_empty() {
                    out.extend(matches);
                    continue;
                }
            }
            out.push(field.iter().map(|(c, _)| c).collect());
        }
        Ok(out)
    }

    /// Expands a word to one string, without splitting or globbing (assignments, here-docs).
    fn expand_one(&mut self, sh: &mut Shell, word: &Word, parent: &mut Io) -> Result<String, Flow> {
        let mut text = String::new();
        for part in &word.parts {
            match part {
                Part::Text(piece) | Part::Quoted(piece) => text.push_str(piece),
                Part::Tilde(user) => text.push_str(&self.tilde(sh, user)),
                Part::Var { name, .. } => text.push_str(&self.variable(sh, name)),
                Part::Subst { script, .. } => text.push_str(&self.substitute(sh, script, parent)),
            }
        }
        Ok(text)
    }

    fn tilde(&self, sh: &Shell, user: &str) -> String {
        if user.is_empty() {
            return sh.var("HOME").unwrap_or(&sh.who.home).to_string();
        }
        match self.sys.accounts.user(user) {
            Some(found) => found.home.clone(),
            None => format!("~{user}"),
        }
    }

    fn variable(&self, sh: &Shell, name: &str) -> String {
        match name {
            "?" => sh.status.to_string(),
            "$" => sh.pid.to_string(),
            "0" => sh.name().to_string(),
            "#" => sh.args.len().to_string(),
            "@" | "*" => sh.args.join(" "),
            "-" => "himBHs".to_string(),
            "!" => String::new(),
            "RANDOM" => ((self.sys.now() * 1_103_515_245 + 12_345).rem_euclid(32_768)).to_string(),
            digit if digit.len() == 1 && digit.as_bytes()[0].is_ascii_digit() => {
                let index = usize::from(digit.as_bytes()[0] - b'0');
                sh.args
                    .get(index.wrapping_sub(1))
                    .cloned()
                    .unwrap_or_default()
            }
            other => sh.var(other).unwrap_or("").to_string(),
        }
    }

    /// `$(…)`: runs the list in a subshell and takes its output, trailing newlines removed.
    fn substitute(&mut self, sh: &Shell, script: &parse::Script, parent: &mut Io) -> String {
        let mut io = Io::new(Input::Tty, false);
        let mut inner = sh.clone();
        let interactive = self.interactive;
        self.interactive = false;
        let status = self.subshell(&mut inner, script, &mut io, sh.status);
        self.interactive = interactive;
        self.subst_status = Some(status);
        let mut out = Vec::new();
        for (fd, data) in io.take() {
            if fd == 2 {
                parent.err(&data);
            } else {
                out.extend_from_slice(&data);
            }
        }
        let mut text = String::from_utf8_lossy(&out).into_owned();
        while text.ends_with('\n') {
            text.pop();
        }
        text
    }

    /// Pathname expansion of one field against the tree, as the shell's user.
    fn glob(&self, sh: &Shell, field: &[(char, bool)]) -> Vec<String> {
        let absolute = field.first().is_some_and(|(c, _)| *c == '/');
        let components: Vec<&[(char, bool)]> = field
            .split(|(c, _)| *c == '/')
            .filter(|component| !component.is_empty())
            .collect();
        let view = self.sys.view();
        let cred = &sh.who.cred;
        // (path as shown, path to look up)
        let mut found: Vec<(String, String)> = vec![(
            if absolute {
                "/".to_string()
            } else {
                String::new()
            },
            if absolute {
                "/".to_string()
            } else {
                sh.cwd.clone()
            },
        )];
        for (index, component) in components.iter().enumerate() {
            let last = index + 1 == components.len();
            let has_glob = component
                .iter()
                .any(|(c, active)| *active && matches!(c, '*' | '?' | '['));
            let mut next = Vec::new();
            for (shown, real) in &found {
                let join_shown = |name: &str| {
                    if shown.is_empty() {
                        name.to_string()
                    } else if shown.ends_with('/') {
                        format!("{shown}{name}")
                    } else {
                        format!("{shown}/{name}")
                    }
                };
                if has_glob {
                    let Ok(entries) = view.list(cred, "/", real) else {
                        continue;
                    };
                    for (name, node) in entries {
                        if name.starts_with('.') && component.first().is_none_or(|(c, _)| *c != '.')
                        {
                            continue;
                        }
                        if !last && !node.is_dir() && !node.is_link() {
                            continue;
                        }
                        if glob_match(component, &name) {
                            next.push((join_shown(&name), fs::join(real, &name)));
                        }
                    }
                } else {
                    let name: String = component.iter().map(|(c, _)| c).collect();
                    next.push((join_shown(&name), fs::join(real, &name)));
                }
                if next.len() > ARGS_MAX {
                    break;
                }
            }
            found = next;
        }
        let mut out: Vec<String> = found
            .into_iter()
            .filter(|(_, real)| view.exists(cred, "/", real))
            .map(|(shown, _)| shown)
            .collect();
        out.sort();
        out
    }

    /// Runs a command: a builtin, or a program found on `$PATH`.
    fn invoke(
        &mut self,
        sh: &mut Shell,
        argv: &[String],
        assigns: &[(String, String)],
        io: &mut Io,
        may_ask: bool,
    ) -> Result<i32, Flow> {
        let name = argv[0].as_str();
        match name {
            "cd" => return Ok(self.cd(sh, argv, io)),
            "exit" | "logout" => return self.exit(sh, argv, io),
            "export" => return Ok(self.export(sh, argv, io)),
            "unset" => {
                for name in &argv[1..] {
                    sh.vars.remove(name);
                    sh.exported.remove(name);
                }
                return Ok(0);
            }
            "alias" => return Ok(self.alias(sh, argv, io)),
            "unalias" => {
                let mut status = 0;
                for name in &argv[1..] {
                    if name == "-a" {
                        sh.aliases.clear();
                    } else if sh.aliases.remove(name).is_none() {
                        io.err(format!("{}: unalias: {name}: not found\n", sh.name()));
                        status = 1;
                    }
                }
                return Ok(status);
            }
            "history" => return Ok(self.history_builtin(argv, io)),
            "type" => return Ok(self.type_builtin(sh, argv, io)),
            "source" | "." => return self.source(sh, argv, io),
            "umask" => {
                io.out(if sh.who.is_root() { "0022\n" } else { "0002\n" });
                return Ok(0);
            }
            "jobs" | "wait" | "set" | "shopt" | "hash" => return Ok(0),
            "read" => {
                let line = String::from_utf8_lossy(io.input())
                    .lines()
                    .next()
                    .unwrap_or("")
                    .to_string();
                let names: Vec<&String> = argv[1..]
                    .iter()
                    .filter(|arg| !arg.starts_with('-'))
                    .collect();
                let name = names.first().map_or("REPLY", |name| name.as_str());
                sh.set(name, &line);
                return Ok(i32::from(io.input().is_empty()));
            }
            _ => {}
        }
        let mut env = sh.env();
        for (name, value) in assigns {
            env.insert(name.clone(), value.clone());
        }
        if commands::BUILTINS.contains(&name) {
            let who = sh.who.clone();
            let cwd = sh.cwd.clone();
            return self.run_program(&who, &cwd, &env, name, argv, io, may_ask);
        }
        let path_var = env.get("PATH").cloned().unwrap_or_default();
        let found = commands::search(&self.sys.view(), &sh.who.cred, &sh.cwd, &path_var, name);
        match found {
            Found::Program(path) => {
                let who = sh.who.clone();
                self.start(sh, &who, &env, &path, argv, io, may_ask)
            }
            Found::Script(path) => {
                let who = sh.who.clone();
                Ok(self.script(sh, &who, &path, argv, io))
            }
            Found::Missing => {
                io.err(not_found(self.sys.facts.distro, sh, name));
                Ok(127)
            }
            Found::Error(errno) => {
                io.err(format!("{}: {name}: {errno}\n", sh.name()));
                Ok(if errno == Errno::NoEnt { 127 } else { 126 })
            }
        }
    }

    /// Starts a program file as `who`: the shell's own (`sudo`, `su`, `bash`) here, the rest
    /// from the command table.
    #[allow(clippy::too_many_arguments)]
    fn start(
        &mut self,
        sh: &mut Shell,
        who: &Identity,
        env: &BTreeMap<String, String>,
        path: &str,
        argv: &[String],
        io: &mut Io,
        may_ask: bool,
    ) -> Result<i32, Flow> {
        let program = commands::program_name(path);
        match program {
            "sudo" => self.sudo(sh, who, argv, io, may_ask),
            "su" => Ok(self.su(sh, who, argv, io)),
            "bash" | "sh" | "dash" => Ok(self.bash(sh, who, argv, io)),
            _ => {
                let cwd = sh.cwd.clone();
                self.run_program(who, &cwd, env, program, argv, io, may_ask)
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn run_program(
        &mut self,
        who: &Identity,
        cwd: &str,
        env: &BTreeMap<String, String>,
        program: &str,
        argv: &[String],
        io: &mut Io,
        may_ask: bool,
    ) -> Result<i32, Flow> {
        let Some(run) = commands::program(program) else {
            io.err(notes::no_program(self.sys.notes, fs::basename(&argv[0])));
            return Ok(126);
        };
        let mut proc = Proc {
            sys: self.sys,
            io,
            who,
            cwd,
            env,
            interactive: may_ask,
            ask: None,
            job: None,
        };
        let status = run(&mut proc, argv);
        if let Some(question) = proc.ask.take() {
            return Err(Flow::Ask(Box::new(question), Vec::new()));
        }
        if let Some(job) = proc.job.take() {
            return Err(Flow::Job(job, Vec::new()));
        }
        Ok(status)
    }

    fn cd(&mut self, sh: &mut Shell, argv: &[String], io: &mut Io) -> i32 {
        let args: Vec<&String> = argv[1..]
            .iter()
            .filter(|arg| *arg != "-L" && *arg != "-P")
            .collect();
        if args.len() > 1 {
            io.err(format!("{}: cd: too many arguments\n", sh.name()));
            return 1;
        }
        let (target, print) = match args.first().map(|arg| arg.as_str()) {
            None | Some("~") => match sh.var("HOME") {
                Some(home) => (home.to_string(), false),
                None => {
                    io.err(format!("{}: cd: HOME not set\n", sh.name()));
                    return 1;
                }
            },
            Some("-") => match sh.var("OLDPWD") {
                Some(old) => (old.to_string(), true),
                None => {
                    io.err(format!("{}: cd: OLDPWD not set\n", sh.name()));
                    return 1;
                }
            },
            Some(path) => (path.to_string(), false),
        };
        if target.is_empty() {
            return 0;
        }
        let full = fs::lexical(&sh.cwd, &target);
        let checked = self
            .sys
            .view()
            .lookup(&sh.who.cred, "/", &full, true)
            .and_then(|(_, node)| {
                if !node.is_dir() {
                    Err(Errno::NotDir)
                } else if !sh.who.cred.may(&node, fs::EXEC) {
                    Err(Errno::Acces)
                } else {
                    Ok(())
                }
            });
        if let Err(errno) = checked {
            io.err(format!("{}: cd: {target}: {errno}\n", sh.name()));
            return 1;
        }
        let old = std::mem::replace(&mut sh.cwd, full.clone());
        sh.set("OLDPWD", &old);
        sh.exported.insert("OLDPWD".into());
        sh.set("PWD", &full);
        if print {
            io.out(format!("{full}\n"));
        }
        0
    }

    fn exit(&mut self, sh: &mut Shell, argv: &[String], io: &mut Io) -> Result<i32, Flow> {
        if argv[0] == "logout" && !sh.login {
            io.err(format!(
                "{}: logout: not login shell: use `exit'\n",
                sh.name()
            ));
            return Ok(1);
        }
        let code = match argv.get(1) {
            None => sh.status,
            Some(text) => match text.parse::<i64>() {
                Ok(number) => number.rem_euclid(256) as i32,
                Err(_) => {
                    io.err(format!(
                        "{}: exit: {text}: numeric argument required\n",
                        sh.name()
                    ));
                    2
                }
            },
        };
        if self.depth == 0 && self.interactive {
            io.err(if sh.login { "logout\n" } else { "exit\n" });
        }
        Err(Flow::Exit(code))
    }

    fn export(&mut self, sh: &mut Shell, argv: &[String], io: &mut Io) -> i32 {
        let args: Vec<&String> = argv[1..].iter().filter(|arg| *arg != "-p").collect();
        if args.is_empty() {
            for (name, value) in sh.env() {
                io.out(format!(
                    "declare -x {name}=\"{}\"\n",
                    value.replace('"', "\\\"")
                ));
            }
            return 0;
        }
        let mut status = 0;
        for arg in args {
            let (name, value) = match arg.split_once('=') {
                Some((name, value)) => (name, Some(value)),
                None => (arg.as_str(), None),
            };
            if !parse::is_name(name) {
                io.err(format!(
                    "{}: export: `{arg}': not a valid identifier\n",
                    sh.name()
                ));
                status = 1;
                continue;
            }
            if let Some(value) = value
                && !sh.set(name, value)
            {
                io.err(format!("{}: {name}: value too large\n", sh.name()));
                status = 1;
                continue;
            }
            sh.exported.insert(name.to_string());
        }
        status
    }

    fn alias(&mut self, sh: &mut Shell, argv: &[String], io: &mut Io) -> i32 {
        let show =
            |name: &str, value: &str| format!("alias {name}='{}'\n", value.replace('\'', "'\\''"));
        if argv.len() == 1 || argv[1] == "-p" {
            for (name, value) in &sh.aliases {
                io.out(show(name, value));
            }
            return 0;
        }
        let mut status = 0;
        for arg in &argv[1..] {
            match arg.split_once('=') {
                Some((name, value)) if !name.is_empty() => {
                    if sh.aliases.len() < VARS_MAX && value.len() <= VALUE_MAX {
                        sh.aliases.insert(name.to_string(), value.to_string());
                    }
                }
                _ => match sh.aliases.get(arg.as_str()) {
                    Some(value) => io.out(show(arg, value)),
                    None => {
                        io.err(format!("{}: alias: {arg}: not found\n", sh.name()));
                        status = 1;
                    }
                },
            }
        }
        status
    }

    fn history_builtin(&mut self, argv: &[String], io: &mut Io) -> i32 {
        match argv.get(1).map(String::as_str) {
            Some("-c") => {
                self.history.clear();
                return 0;
            }
            Some(count) if count.parse::<usize>().is_ok() => {
                let count: usize = count.parse().unwrap_or(0);
                let start = self.history.len().saturating_sub(count);
                for (index, line) in self.history.iter().enumerate().skip(start) {
                    io.out(format!("{:>5}  {line}\n", index + 1));
                }
                return 0;
            }
            _ => {}
        }
        for (index, line) in self.history.iter().enumerate() {
            io.out(format!("{:>5}  {line}\n", index + 1));
        }
        0
    }

    fn type_builtin(&mut self, sh: &Shell, argv: &[String], io: &mut Io) -> i32 {
        let mut status = 0;
        let path_var = sh.var("PATH").unwrap_or("").to_string();
        for name in &argv[1..] {
            if let Some(value) = sh.aliases.get(name) {
                io.out(format!("{name} is aliased to `{value}'\n"));
            } else if is_shell_builtin(name) || commands::BUILTINS.contains(&name.as_str()) {
                io.out(format!("{name} is a shell builtin\n"));
            } else if let Found::Program(path) | Found::Script(path) =
                commands::search(&self.sys.view(), &sh.who.cred, &sh.cwd, &path_var, name)
            {
                io.out(format!("{name} is {path}\n"));
            } else {
                io.err(format!("{}: type: {name}: not found\n", sh.name()));
                status = 1;
            }
        }
        status
    }

    /// `source FILE`: runs a file in this shell. Start-up files full of `if` and `case` run
    /// their top-level settings only, see [`startup_lines`].
    fn source(&mut self, sh: &mut Shell, argv: &[String], io: &mut Io) -> Result<i32, Flow> {
        let Some(path) = argv.get(1) else {
            io.err(format!(
                "{}: {}: filename argument required\n{}: usage: {} filename [arguments]\n",
                sh.name(),
                argv[0],
                argv[0],
                argv[0]
            ));
            return Ok(2);
        };
        let text = match self.sys.view().read(&sh.who.cred, &sh.cwd, path) {
            Ok(data) => String::from_utf8_lossy(&data).into_owned(),
            Err(errno) => {
                io.err(format!("{}: {path}: {errno}\n", sh.name()));
                return Ok(1);
            }
        };
        let script = match parse::parse(&text) {
            Ok(script) => script,
            Err(_) => match parse::parse(&startup_lines(&text)) {
                Ok(script) => script,
                Err(error) => {
                    io.err(format!("{}: {path}: {error}\n", sh.name()));
                    return Ok(2);
                }
            },
        };
        let status = sh.status;
        if self.depth >= DEPTH_MAX {
            return Ok(1);
        }
        self.depth += 1;
        let result = self.items(sh, &script.items, io, status);
        self.depth -= 1;
        result
    }

    /// Runs a shell script file in a subshell, as `./script.sh` or `bash script.sh` do.
    fn script(
        &mut self,
        sh: &Shell,
        who: &Identity,
        path: &str,
        argv: &[String],
        io: &mut Io,
    ) -> i32 {
        let text = match self.sys.view().read(&who.cred, &sh.cwd, path) {
            Ok(data) => String::from_utf8_lossy(&data).into_owned(),
            Err(errno) => {
                io.err(format!("{}: {path}: {errno}\n", sh.name()));
                return 126;
            }
        };
        let script = match parse::parse(&text) {
            Ok(script) => script,
            Err(error) => {
                io.err(format!("{path}: {error}\n"));
                return 2;
            }
        };
        let mut inner = sh.clone();
        inner.who = who.clone();
        inner.login = false;
        inner.args = argv[1..].to_vec();
        let pid = self.pid();
        inner.pid = pid;
        let interactive = self.interactive;
        self.interactive = false;
        let status = self.subshell(&mut inner, &script, io, 0);
        self.interactive = interactive;
        status
    }

    /// `bash`, `sh`: a script, `-c` text, or a new interactive shell.
    fn bash(&mut self, sh: &mut Shell, who: &Identity, argv: &[String], io: &mut Io) -> i32 {
        let mut args = argv[1..].iter().peekable();
        let mut login = false;
        while let Some(arg) = args.peek() {
            match arg.as_str() {
                "-l" | "--login" => login = true,
                "-i" | "-s" | "--norc" | "--noprofile" => {}
                "-c" => {
                    args.next();
                    let Some(text) = args.next() else {
                        io.err(format!(
                            "{}: -c: option requires an argument\n",
                            fs::basename(&argv[0])
                        ));
                        return 2;
                    };
                    let script = match parse::parse(text) {
                        Ok(script) => script,
                        Err(error) => {
                            io.err(format!("{}: -c: line 1: {error}\n", fs::basename(&argv[0])));
                            return 2;
                        }
                    };
                    let mut inner = sh.clone();
                    inner.who = who.clone();
                    inner.login = false;
                    inner.args = args.cloned().collect();
                    return self.subshell(&mut inner, &script, io, 0);
                }
                _ => break,
            }
            args.next();
        }
        if let Some(path) = args.next() {
            let mut rest = vec![path.clone()];
            rest.extend(args.cloned());
            return self.script(sh, who, path, &rest, io);
        }
        let cwd = if login {
            who.home.clone()
        } else {
            sh.cwd.clone()
        };
        self.enter_shell(sh, who.clone(), login, &cwd);
        0
    }

    /// Queues a new interactive shell, entered once the line is done.
    fn enter_shell(&mut self, sh: &Shell, who: Identity, login: bool, cwd: &str) {
        if self.depth > 0 {
            return;
        }
        let pid = self.pid();
        let mut shell = Shell::new(self.sys, who, login, cwd, pid);
        if !login {
            // A non-login shell keeps the caller's environment but for the user's names.
            for (name, value) in sh.env() {
                if !matches!(
                    name.as_str(),
                    "HOME" | "USER" | "LOGNAME" | "PATH" | "MAIL" | "PWD"
                ) {
                    shell.vars.insert(name.clone(), value);
                    shell.exported.insert(name);
                }
            }
        }
        run_startup(self, &mut shell);
        self.pushed = Some(shell);
    }

    /// `su [-] [user]`: root switches freely; anyone else is asked for a password that, on an
    /// EC2 instance, does not exist.
    fn su(&mut self, sh: &mut Shell, who: &Identity, argv: &[String], io: &mut Io) -> i32 {
        let mut login = false;
        let mut target = "root".to_string();
        let mut command = None;
        let mut args = argv[1..].iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "-" | "-l" | "--login" => login = true,
                "-c" => command = args.next().cloned(),
                other => target = other.to_string(),
            }
        }
        let Some(identity) = self.sys.identity(&target) else {
            io.err(format!("su: user {target} does not exist or the user entry does not contain all the required fields\n"));
            return 1;
        };
        if !who.is_root() {
            io.err("Password: \nsu: Authentication failure\n");
            return 1;
        }
        if let Some(text) = command {
            let argv = vec!["bash".to_string(), "-c".to_string(), text];
            return self.bash(sh, &identity, &argv, io);
        }
        let cwd = if login {
            identity.home.clone()
        } else {
            sh.cwd.clone()
        };
        self.enter_shell(sh, identity, login, &cwd);
        0
    }

    /// `sudo`: no password on EC2, for the login user; refused to anyone else.
    fn sudo(
        &mut self,
        sh: &mut Shell,
        who: &Identity,
        argv: &[String],
        io: &mut Io,
        may_ask: bool,
    ) -> Result<i32, Flow> {
        let mut target = "root".to_string();
        let mut login = false;
        let mut shell = false;
        let mut index = 1;
        while let Some(arg) = argv.get(index) {
            match arg.as_str() {
                "-i" | "--login" => login = true,
                "-s" | "--shell" => shell = true,
                "-E" | "-H" | "-n" | "-k" | "-S" | "--preserve-env" => {}
                "-u" | "--user" => {
                    index += 1;
                    target = argv.get(index).cloned().unwrap_or_default();
                }
                "-l" | "--list" if !self.sudoer(who) => {
                    io.err(format!(
                        "Sorry, user {} may not run sudo on {}.\n",
                        who.name,
                        super::distro::short_hostname(self.sys.facts)
                    ));
                    return Ok(1);
                }
                "-l" | "--list" => {
                    io.out(format!(
                        "Matching Defaults entries for {user} on {host}:\n    env_reset, mail_badpass, secure_path=/usr/local/sbin\\:/usr/local/bin\\:/usr/sbin\\:/usr/bin\\:/sbin\\:/bin\\:/snap/bin, use_pty\n\nUser {user} may run the following commands on {host}:\n    (ALL : ALL) ALL\n    (ALL) NOPASSWD: ALL\n",
                        user = who.name,
                        host = super::distro::short_hostname(self.sys.facts)
                    ));
                    return Ok(0);
                }
                "-v" | "--validate" => return Ok(0),
                "-h" | "--help" | "-V" | "--version" => {
                    io.out("Sudo version 1.9.15p5\n");
                    return Ok(0);
                }
                "--" => {
                    index += 1;
                    break;
                }
                flag if flag.starts_with('-') => {
                    io.err(format!(
                        "sudo: invalid option -- '{}'\nusage: sudo -h | -K | -k | -V\nusage: sudo [-ABbEHknPS] [-u user] [-i | -s] [command [arg ...]]\n",
                        flag.trim_start_matches('-')
                    ));
                    return Ok(1);
                }
                _ => break,
            }
            index += 1;
        }
        if !self.sudoer(who) {
            io.err(format!("{} is not in the sudoers file.\n", who.name));
            return Ok(1);
        }
        let Some(identity) = self.sys.identity(&target) else {
            io.err(format!(
                "sudo: unknown user {target}\nsudo: error initializing audit plugin sudoers_audit\n"
            ));
            return Ok(1);
        };
        let command = &argv[index.min(argv.len())..];
        if command.is_empty() && !login && !shell {
            io.err("usage: sudo -h | -K | -k | -V\nusage: sudo -v [-ABkNnS] [-g group] [-h host] [-p prompt] [-u user]\nusage: sudo -l [-ABkNnS] [-g group] [-h host] [-p prompt] [-U user]\n            [-u user] [command [arg ...]]\nusage: sudo [-ABbEHknPS] [-r role] [-t type] [-C num] [-D directory]\n            [-g group] [-h host] [-p prompt] [-R] [-T timeout] [-u user]\n            [VAR=value] [-i | -s] [command [arg ...]]\nusage: sudo -e [-ABkNnS] [-r role] [-t type] [-C num] [-D directory]\n            [-g group] [-h host] [-p prompt] [-R] [-T timeout] [-u user]\n            file ...\n");
            return Ok(1);
        }
        self.mark_sudo_used(who);
        if command.is_empty() {
            let cwd = if login {
                identity.home.clone()
            } else {
                sh.cwd.clone()
            };
            self.enter_shell(sh, identity, login, &cwd);
            return Ok(0);
        }
        if self.sudo_hops >= DEPTH_MAX {
            return Ok(1);
        }
        let secure_path = match self.sys.facts.distro {
            Distro::Ubuntu | Distro::Workstation => {
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/snap/bin"
            }
            Distro::AmazonLinux => "/sbin:/bin:/usr/sbin:/usr/bin",
        };
        let mut env = BTreeMap::new();
        for name in ["TERM", "LANG", "DISPLAY", "COLORS", "LS_COLORS"] {
            if let Some(value) = sh.var(name) {
                env.insert(name.to_string(), value.to_string());
            }
        }
        for (name, value) in [
            ("HOME", identity.home.clone()),
            ("USER", identity.name.clone()),
            ("LOGNAME", identity.name.clone()),
            ("SHELL", "/bin/bash".to_string()),
            ("PATH", secure_path.to_string()),
            ("MAIL", format!("/var/mail/{}", identity.name)),
            ("SUDO_USER", who.name.clone()),
            ("SUDO_UID", who.cred.uid.to_string()),
            ("SUDO_GID", who.cred.gid.to_string()),
            ("SUDO_COMMAND", command.join(" ")),
        ] {
            env.insert(name.to_string(), value);
        }
        let name = command[0].as_str();
        let path =
            match commands::search(&self.sys.view(), &identity.cred, &sh.cwd, secure_path, name) {
                Found::Program(path) => path,
                Found::Script(path) => {
                    return Ok(self.script(sh, &identity, &path, command, io));
                }
                Found::Missing | Found::Error(_) => {
                    io.err(format!("sudo: {name}: command not found\n"));
                    return Ok(1);
                }
            };
        if login || shell {
            let text = command.join(" ");
            let argv = vec!["bash".to_string(), "-c".to_string(), text];
            return Ok(self.bash(sh, &identity, &argv, io));
        }
        self.sudo_hops += 1;
        let result = self.start(sh, &identity, &env, &path, command, io, may_ask);
        self.sudo_hops -= 1;
        result
    }

    /// Whether the image's sudoers lets `who` use sudo: root, and the members of Ubuntu's
    /// `sudo` group or Amazon Linux's `wheel`. The login user of an EC2 image is one (and
    /// cloud-init spares it the password); the learner on the workstation is not.
    fn sudoer(&self, who: &Identity) -> bool {
        who.is_root()
            || ["sudo", "wheel"].iter().any(|group| {
                self.sys
                    .accounts
                    .gid(group)
                    .is_some_and(|gid| who.cred.groups.contains(&gid))
            })
    }

    /// Ubuntu stops printing its sudo hint at login once the user has used sudo.
    fn mark_sudo_used(&mut self, who: &Identity) {
        if self.sys.facts.distro != Distro::Ubuntu || who.is_root() {
            return;
        }
        let marker = format!("{}/.sudo_as_admin_successful", who.home);
        if self.sys.view().get(&marker).is_none() {
            let mut tree = self.sys.fs();
            if tree.write(&who.cred, "/", &marker, b"", false).is_ok() {
                let _ = tree.chmod(&who.cred, "/", &marker, 0o644);
            }
        }
    }
}

/// Whether a name is a builtin the shell runs itself, for messages and `type`.
fn is_shell_builtin(name: &str) -> bool {
    matches!(
        name,
        "cd" | "exit"
            | "logout"
            | "export"
            | "unset"
            | "alias"
            | "unalias"
            | "history"
            | "type"
            | "source"
            | "."
            | "umask"
            | "jobs"
            | "wait"
            | "set"
            | "shopt"
            | "hash"
            | "read"
    ) || commands::BUILTINS.contains(&name)
}

/// Splits an expansion's value into the fields being built, as unquoted `$VAR` splits on
/// blanks; a quoted one stays whole (and makes a field even when empty).
fn split_into(
    fields: &mut Vec<Vec<(char, bool)>>,
    current: &mut Option<Vec<(char, bool)>>,
    value: &str,
    quoted: bool,
) {
    if quoted {
        current
            .get_or_insert_with(Vec::new)
            .extend(value.chars().map(|c| (c, false)));
        return;
    }
    if value.starts_with(char::is_whitespace)
        && let Some(field) = current.take()
    {
        fields.push(field);
    }
    for (index, piece) in value.split_whitespace().enumerate() {
        if index > 0
            && let Some(field) = current.take()
        {
            fields.push(field);
        }
        current
            .get_or_insert_with(Vec::new)
            .extend(piece.chars().map(|c| (c, false)));
    }
    if value.ends_with(char::is_whitespace)
        && let Some(field) = current.take()
    {
        fields.push(field);
    }
}

/// The lines of a start-up file (`.bashrc`, `.profile`) that this shell runs: top-level
/// (not indented) assignments, `export`, `alias` and `unset`, without command substitution.
/// That is where learners add their settings, and it skips the distro's `if`/`case` logic.
pub(crate) fn startup_lines(text: &str) -> String {
    text.lines()
        .filter(|line| {
            !line.starts_with([' ', '\t']) && !line.contains("$(") && !line.contains('`') && {
                let first = line.split_whitespace().next().unwrap_or("");
                matches!(first, "export" | "alias" | "unset" | "unalias")
                    || first
                        .split_once('=')
                        .is_some_and(|(name, _)| parse::is_name(name))
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs a new shell's start-up files, quietly.
pub(crate) fn run_startup(exec: &mut Exec<'_, '_>, shell: &mut Shell) {
    let files: &[&str] = match (exec.sys.facts.distro, shell.login) {
        (Distro::Ubuntu | Distro::Workstation, true) => &[".profile", ".bashrc"],
        (Distro::AmazonLinux, true) => &[".bash_profile", ".bashrc"],
        (_, false) => &[".bashrc"],
    };
    let interactive = exec.interactive;
    exec.interactive = false;
    for file in files {
        let path = fs::join(&shell.who.home, file);
        let Ok(data) = exec.sys.view().read(&shell.who.cred, "/", &path) else {
            continue;
        };
        let lines = startup_lines(&String::from_utf8_lossy(&data));
        if let Ok(script) = parse::parse(&lines) {
            let mut quiet = Io::new(Input::Data(Vec::new()), false);
            let _ = exec.items(shell, &script.items, &mut quiet, 0);
        }
    }
    exec.interactive = interactive;
    shell.status = 0;
}

/// What bash (and Ubuntu's command-not-found) says about a name it cannot find.
fn not_found(distro: Distro, sh: &Shell, name: &str) -> String {
    match distro {
        Distro::Ubuntu | Distro::Workstation => match repo::providing(distro, name) {
            Some(package) => format!(
                "Command '{name}' not found, but can be installed with:\n{}apt install {}\n",
                if sh.who.is_root() { "" } else { "sudo " },
                package.name
            ),
            None => format!("{name}: command not found\n"),
        },
        Distro::AmazonLinux => format!("{}: {name}: command not found\n", sh.name()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn startup_lines_keep_top_level_settings() {
        let text = "HISTSIZE=1000\nif [ -d x ]; then\n    PATH=\"$HOME/bin:$PATH\"\nfi\nalias ll='ls -alF'\nexport EDITOR=vim\nX=$(date)\n";
        assert_eq!(
            startup_lines(text),
            "HISTSIZE=1000\nalias ll='ls -alF'\nexport EDITOR=vim"
        );
    }

    #[test]
    fn splitting_follows_quotes() {
        let mut fields = Vec::new();
        let mut current = Some(vec![('a', true)]);
        split_into(&mut fields, &mut current, " b c ", false);
        let text: Vec<String> = fields
            .iter()
            .map(|f| f.iter().map(|(c, _)| c).collect())
            .collect();
        assert_eq!(text, ["a", "b", "c"]);
        assert!(current.is_none());
    }
}
