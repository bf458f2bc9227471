//! One login: the shells it has entered (the login shell, then any `sudo -i` or `su` on top),
//! its history, and a line it is waiting to complete or a question it is waiting to have
//! answered.
//!
//! # Questions and continuation lines
//!
//! `apt install nginx` without `-y` asks "Do you want to continue? [Y/n] ". The session keeps
//! the question and the rest of the line; [`Session::prompt`] then returns the question
//! instead of the shell prompt, and the next line given to [`Session::run`] is the answer
//! (empty or `y` goes on, anything else aborts, as apt does). The same goes for a line that
//! ends inside a quote or after `|` or `&&`: the prompt becomes bash's `> ` and the next line
//! continues it. [`Session::interrupt`] (Ctrl-C) drops either. A command whose input is not
//! the terminal (a pipe, a script, `$(…)`) is never asked: it reads its answer from its input
//! and, finding none, aborts as apt does without a terminal.

use super::commands::{self, Question};
use super::complete;
use super::disk::LastLogin;
use super::distro::{self, Motd};
use super::exec::{self, Exec, Flow, Shell};
use super::fs;
use super::io::{Input, Io};
use super::job::{INTERRUPTED, Job};
use super::parse::{self, Item, ParseError};
use super::sys::Sys;
use super::{
    Context, Disk, Distro, Facts, LINE_LIMIT, NoNet, NoteLang, OUTPUT_LIMIT, Outcome, repo,
};

/// Lines `history` keeps, bash's default `HISTSIZE`.
const HISTORY_MAX: usize = 1000;

/// One login on an instance.
#[derive(Debug)]
pub struct Session {
    shells: Vec<Shell>,
    history: Vec<String>,
    pending: Option<Pending>,
    motd: MotdState,
    next_pid: u32,
    /// Whether a terminal is attached. Without one (`ssh host cmd`, `ssh -T`) bash is not
    /// interactive: no question is asked, `exit` says nothing, `ls` prints a name a line.
    terminal: bool,
    /// The language of the emulation's notes, as the SSH client asked.
    notes: NoteLang,
}

enum Pending {
    /// The line so far, waiting for its end.
    More(String),
    /// A command's question, and the rest of its line.
    Question(Box<Question>, Vec<Item>),
    /// A program holding the terminal (`sleep`, `nano`), and the rest of its line.
    Job(Box<dyn Job>, Vec<Item>),
}

impl std::fmt::Debug for Pending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Pending::More(line) => f.debug_tuple("More").field(line).finish(),
            Pending::Question(question, _) => f.debug_tuple("Question").field(question).finish(),
            Pending::Job(job, _) => f.debug_tuple("Job").field(job).finish(),
        }
    }
}

/// What the banner says, fixed at login.
#[derive(Debug, Clone)]
struct MotdState {
    disk_use: f64,
    processes: usize,
    updates: usize,
    security_updates: usize,
    show_legal: bool,
    show_sudo_hint: bool,
    stale_lists: bool,
    last_login: Option<(i64, Option<String>)>,
}

impl Session {
    /// Logs the distro's user in, as SSH with the instance's key does; on the workstation,
    /// opens a terminal as its learner.
    pub fn login(facts: &Facts, disk: &mut Disk) -> Session {
        Session::login_from(facts, disk, None)
    }

    /// [`Session::login`], remembering where the login came from for the next banner's
    /// "Last login: … from …".
    pub fn login_from(facts: &Facts, disk: &mut Disk, from: Option<&str>) -> Session {
        disk.reboot(facts.booted.unix_timestamp());
        let previous = disk.last_login.replace(LastLogin {
            at: facts.now.unix_timestamp(),
            from: from.map(|from| from.chars().take(64).collect()),
        });
        let pid = disk.next_pid();
        let net = NoNet;
        let mut sys = Sys::new(facts, disk, &net);
        let who = sys.login_user();
        let ubuntu = facts.distro == Distro::Ubuntu;
        let legal = format!("{}/.cache/motd.legal-displayed", who.home);
        let show_legal = ubuntu && sys.view().get(&legal).is_none();
        if show_legal {
            let cache = format!("{}/.cache", who.home);
            let mut tree = sys.fs();
            if tree.mkdir(&who.cred, "/", &cache).is_ok() {
                let _ = tree.chmod(&who.cred, "/", &cache, 0o700);
            }
            let _ = tree.write(&who.cred, "/", &legal, b"", false);
        }
        let hint = format!("{}/.sudo_as_admin_successful", who.home);
        let show_sudo_hint = ubuntu && sys.view().get(&hint).is_none();
        let root = distro::root_fs(facts);
        let used_kib = root.image_kib
            + sys.disk.allocated().div_ceil(1024)
            + sys.disk.packages.len() as u64 * distro::PACKAGE_KIB;
        let disk_use = used_kib as f64 / root.size_kib.max(1) as f64 * 100.0;
        let running_extra = repo::units(facts.distro)
            .iter()
            .filter(|unit| unit.package.is_some() && repo::state(facts, sys.disk, unit).running)
            .count();
        let updates = if sys.disk.upgraded || sys.disk.lists_updated.is_none() || !ubuntu {
            0
        } else {
            commands::UBUNTU_UPGRADABLE
        };
        let motd = MotdState {
            disk_use,
            processes: 104 + running_extra * 2,
            updates,
            security_updates: if updates > 0 { updates / 2 } else { 0 },
            show_legal,
            show_sudo_hint,
            stale_lists: ubuntu && sys.disk.lists_updated.is_none(),
            last_login: previous.map(|last| (last.at, last.from)),
        };
        let home = who.home.clone();
        // A terminal opened on one's own computer runs bash as a shell that is not a login
        // shell: its messages start with `bash:`, and `exit` says `exit`.
        let login = facts.distro != Distro::Workstation;
        let mut shell = Shell::new(&sys, who, login, &home, pid);
        let mut history = Vec::new();
        let mut exec = Exec::new(&mut sys, &mut history, pid);
        exec::run_startup(&mut exec, &mut shell);
        let next_pid = exec.next_pid;
        Session {
            shells: vec![shell],
            history: Vec::new(),
            pending: None,
            motd,
            next_pid,
            terminal: true,
            notes: NoteLang::default(),
        }
    }

    /// Writes the emulation's notes in `lang`, the learner's.
    pub fn with_notes(mut self, lang: NoteLang) -> Session {
        self.notes = lang;
        self
    }

    /// Detaches the terminal: the session now runs as bash does on a pipe.
    pub fn without_terminal(mut self) -> Session {
        self.terminal = false;
        self
    }

    /// What an interactive login prints before the first prompt.
    pub fn banner(&self, facts: &Facts) -> String {
        Motd {
            facts,
            disk_use: self.motd.disk_use,
            processes: self.motd.processes,
            users_logged_in: 0,
            updates: self.motd.updates,
            security_updates: self.motd.security_updates,
            show_legal: self.motd.show_legal,
            show_sudo_hint: self.motd.show_sudo_hint,
            stale_lists: self.motd.stale_lists,
            last_login: self.motd.last_login.clone(),
        }
        .render()
    }

    fn shell(&self) -> &Shell {
        // The login shell is never popped: `exit` in it ends the session instead.
        &self.shells[self.shells.len() - 1]
    }

    /// The user the current shell runs as.
    pub fn user(&self) -> &str {
        &self.shell().who.name
    }

    /// The current shell's directory.
    pub fn cwd(&self) -> &str {
        &self.shell().cwd
    }

    /// What to show before reading the next line: bash's prompt, `> ` for a continuation
    /// line, or a pending question.
    pub fn prompt(&self, facts: &Facts) -> String {
        match &self.pending {
            Some(Pending::More(_)) => return "> ".to_string(),
            Some(Pending::Question(question, _)) => return question.prompt.clone(),
            Some(Pending::Job(..)) => return String::new(),
            None => {}
        }
        let shell = self.shell();
        let sigil = if shell.who.is_root() { '#' } else { '$' };
        let host = distro::short_hostname(facts);
        let home = shell.var("HOME").unwrap_or(&shell.who.home);
        let user = &shell.who.name;
        match facts.distro {
            Distro::Ubuntu | Distro::Workstation => {
                let dir = if shell.cwd == home {
                    "~".to_string()
                } else if let Some(rest) = shell.cwd.strip_prefix(&format!("{home}/")) {
                    format!("~/{rest}")
                } else {
                    shell.cwd.clone()
                };
                format!("{user}@{host}:{dir}{sigil} ")
            }
            Distro::AmazonLinux => {
                let dir = if shell.cwd == home {
                    "~"
                } else {
                    fs::basename(&shell.cwd)
                };
                format!("[{user}@{host} {dir}]{sigil} ")
            }
        }
    }

    /// The terminal's width changed (an SSH window change): `ls` fills its columns to it, as
    /// it does to the width the terminal reports.
    pub fn resize(&mut self, columns: u32) {
        let columns = columns.clamp(20, 1000).to_string();
        for shell in &mut self.shells {
            if shell.set("COLUMNS", &columns) {
                shell.exported.insert("COLUMNS".to_string());
            }
        }
    }

    /// [`Session::resize`] with the terminal's height too, which full-screen programs fill.
    pub fn resize_screen(&mut self, columns: u32, rows: u32) {
        self.resize(columns);
        let rows = rows.clamp(5, 500).to_string();
        for shell in &mut self.shells {
            if shell.set("LINES", &rows) {
                shell.exported.insert("LINES".to_string());
            }
        }
    }

    /// What Tab offers for the word that ends `before` (the line up to the cursor), each the
    /// whole word as completed; a directory ends with `/`.
    pub fn complete(&self, before: &str, ctx: &mut Context<'_>) -> Vec<String> {
        if self.pending.is_some() {
            return Vec::new();
        }
        let sys = Sys::new(ctx.facts, ctx.disk, ctx.net);
        complete::candidates(self.shell(), &sys.view(), before)
    }

    /// Whether a program holds the terminal: keys go to [`Session::input`], not to lines.
    pub fn busy(&self) -> bool {
        matches!(self.pending, Some(Pending::Job(..)))
    }

    /// When, on the simulated clock, the program holding the terminal wants
    /// [`Session::tick`].
    pub fn due(&self) -> Option<time::OffsetDateTime> {
        match &self.pending {
            Some(Pending::Job(job, _)) => job.due(),
            _ => None,
        }
    }

    /// Keys typed while a program holds the terminal, raw from the PTY.
    pub fn input(&mut self, keys: &[u8], ctx: &mut Context<'_>) -> Outcome {
        self.drive(ctx, |job, sys, out| job.input(keys, sys, out))
    }

    /// Time passed while a program holds the terminal.
    pub fn tick(&mut self, ctx: &mut Context<'_>) -> Outcome {
        self.drive(ctx, |job, sys, out| job.tick(sys, out))
    }

    /// Moves the program holding the terminal on; when it ends, the rest of its line runs.
    fn drive(
        &mut self,
        ctx: &mut Context<'_>,
        step: impl FnOnce(&mut dyn Job, &mut Sys<'_>, &mut String) -> Option<i32>,
    ) -> Outcome {
        let Some(Pending::Job(mut job, rest)) = self.pending.take() else {
            return Outcome::default();
        };
        let mut sys = Sys::new(ctx.facts, ctx.disk, ctx.net);
        sys.notes = self.notes;
        let mut out = String::new();
        let Some(status) = step(job.as_mut(), &mut sys, &mut out) else {
            self.pending = Some(Pending::Job(job, rest));
            return Outcome {
                output: out,
                status: 0,
                exit: false,
                power: None,
            };
        };
        // Ctrl-C ends the whole line, as bash abandons a list whose command SIGINT killed.
        let rest = if status == INTERRUPTED {
            Vec::new()
        } else {
            rest
        };
        let mut screen = Io::new(Input::Tty, self.terminal);
        screen.out(out);
        let index = self.shells.len() - 1;
        let shell = &mut self.shells[index];
        shell.status = status;
        let mut exec = Exec::new(&mut sys, &mut self.history, self.next_pid);
        exec.interactive = self.terminal;
        let result = exec.items(shell, &rest, &mut screen, status);
        let pushed = exec.pushed.take();
        self.next_pid = exec.next_pid;
        self.conclude(result, pushed, sys, screen)
    }

    /// Whether a question or continuation line is pending.
    pub fn pending(&self) -> bool {
        self.pending.is_some()
    }

    /// Ctrl-C at the prompt: drops a half-typed continuation or a pending question.
    pub fn interrupt(&mut self) -> Outcome {
        let status = 130;
        if self.pending.take().is_some()
            && let Some(shell) = self.shells.last_mut()
        {
            shell.status = status;
        }
        Outcome {
            output: String::new(),
            status,
            exit: false,
            power: None,
        }
    }

    /// Runs one line typed at the prompt.
    pub fn run(&mut self, line: &str, ctx: &mut Context<'_>) -> Outcome {
        let mut sys = Sys::new(ctx.facts, ctx.disk, ctx.net);
        sys.notes = self.notes;
        let mut screen = Io::new(Input::Tty, self.terminal);
        let mut outcome = Outcome::default();
        let index = self.shells.len() - 1;
        let line = line.strip_suffix('\n').unwrap_or(line);
        let line = match self.pending.take() {
            Some(Pending::Question(question, rest)) => {
                let shell = &mut self.shells[index];
                let mut exec = Exec::new(&mut sys, &mut self.history, self.next_pid);
                exec.interactive = self.terminal;
                let status = exec.answer(&question, line, &mut screen);
                shell.status = status;
                let result = exec.items(shell, &rest, &mut screen, status);
                let pushed = exec.pushed.take();
                self.next_pid = exec.next_pid;
                return self.conclude(result, pushed, sys, screen);
            }
            Some(Pending::More(before)) => format!("{before}\n{line}"),
            // A line while a program holds the terminal ends the program: its driver sends
            // keys, not lines, so only a caller without one gets here.
            Some(Pending::Job(..)) | None => line.to_string(),
        };
        if line.len() > LINE_LIMIT {
            let shell = &mut self.shells[index];
            shell.status = 1;
            outcome.output = format!(
                "{}: input line too long (over {LINE_LIMIT} bytes)\n",
                shell.name()
            );
            outcome.status = 1;
            return outcome;
        }
        let line = match expand_history(&line, &self.history) {
            Ok(Some(expanded)) => {
                screen.out(format!("{expanded}\n"));
                expanded
            }
            Ok(None) => line,
            Err(event) => {
                let shell = &self.shells[index];
                outcome.output = format!("{}: {event}: event not found\n", shell.name());
                outcome.status = shell.status;
                return outcome;
            }
        };
        let script = match parse::parse(&line) {
            Ok(script) => script,
            Err(ParseError::Incomplete) => {
                self.pending = Some(Pending::More(line));
                outcome.status = self.shells[index].status;
                outcome.output = screen.text();
                return outcome;
            }
            Err(error) => {
                self.remember(&line, ctx.facts.distro);
                let shell = &mut self.shells[index];
                let status = match error {
                    ParseError::BadSubstitution(_) => 1,
                    _ => 2,
                };
                shell.status = status;
                screen.err(format!("{}: {error}\n", shell.name()));
                outcome.output = screen.text();
                outcome.status = status;
                return outcome;
            }
        };
        self.remember(&line, ctx.facts.distro);
        let shell = &mut self.shells[index];
        let start = shell.status;
        let mut exec = Exec::new(&mut sys, &mut self.history, self.next_pid);
        exec.interactive = self.terminal;
        let result = exec.items(shell, &script.items, &mut screen, start);
        let pushed = exec.pushed.take();
        self.next_pid = exec.next_pid;
        self.conclude(result, pushed, sys, screen)
    }

    /// Applies how a line ended: a new shell entered, a shell left, a question pending.
    fn conclude(
        &mut self,
        result: Result<i32, Flow>,
        pushed: Option<Shell>,
        sys: Sys<'_>,
        screen: Io,
    ) -> Outcome {
        let mut outcome = Outcome {
            output: bounded(screen.text(), self.notes),
            ..Outcome::default()
        };
        match result {
            Ok(status) => outcome.status = status,
            Err(Flow::Exit(code)) => {
                outcome.status = code;
                if self.shells.len() > 1 {
                    self.shells.pop();
                    if let Some(shell) = self.shells.last_mut() {
                        shell.status = code;
                    }
                } else {
                    outcome.exit = true;
                }
            }
            Err(Flow::Ask(question, rest)) => {
                self.pending = Some(Pending::Question(question, rest));
            }
            Err(Flow::Job(job, rest)) => {
                self.pending = Some(Pending::Job(job, rest));
            }
        }
        if let Some(shell) = self.shells.last_mut() {
            shell.status = outcome.status;
        }
        if let Some(shell) = pushed
            && !outcome.exit
            && self.shells.len() < 16
        {
            self.shells.push(shell);
        }
        if let Some(power) = sys.power {
            outcome.power = Some(power);
            outcome.exit = true;
        }
        outcome
    }

    /// Keeps a line in the history as bash does: Ubuntu's `HISTCONTROL=ignoreboth` skips
    /// lines starting with a space, and neither distro keeps a repeat of the line before.
    fn remember(&mut self, line: &str, distro: Distro) {
        if line.trim().is_empty() || (distro.is_ubuntu() && line.starts_with(' ')) {
            return;
        }
        if self.history.last().is_some_and(|last| last == line) {
            return;
        }
        if self.history.len() >= HISTORY_MAX {
            self.history.remove(0);
        }
        self.history.push(line.to_string());
    }
}

/// Terminal output cut at [`OUTPUT_LIMIT`], saying so.
fn bounded(mut text: String, notes: NoteLang) -> String {
    if text.len() > OUTPUT_LIMIT {
        let mut end = OUTPUT_LIMIT;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push_str(super::notes::truncated(notes));
    }
    text
}

/// bash's history expansion of `!!` (the last line) and `!$` (its last word), outside single
/// quotes. `Ok(None)` when the line has none.
fn expand_history(line: &str, history: &[String]) -> Result<Option<String>, String> {
    if !line.contains('!') {
        return Ok(None);
    }
    let mut out = String::new();
    let mut changed = false;
    let mut in_single = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            in_single = !in_single;
        }
        if c == '!' && !in_single {
            match chars.peek() {
                Some('!') => {
                    chars.next();
                    let last = history.last().ok_or_else(|| "!!".to_string())?;
                    out.push_str(last);
                    changed = true;
                    continue;
                }
                Some('$') => {
                    chars.next();
                    let last = history.last().ok_or_else(|| "!$".to_string())?;
                    out.push_str(last.split_whitespace().last().unwrap_or(""));
                    changed = true;
                    continue;
                }
                _ => {}
            }
        }
        out.push(c);
    }
    Ok(changed.then_some(out))
}

impl Exec<'_, '_> {
    /// Gives a pending question its answer and runs what follows from it.
    pub(crate) fn answer(&mut self, question: &Question, reply: &str, screen: &mut Io) -> i32 {
        let env = std::collections::BTreeMap::new();
        let mut proc = commands::Proc {
            sys: self.sys,
            io: screen,
            who: &question.who,
            cwd: &question.cwd,
            env: &env,
            interactive: false,
            ask: None,
            job: None,
        };
        commands::answer(&mut proc, &question.plan, reply)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::Machine;

    #[test]
    fn prompts_as_each_distro_shows_them() {
        let mut ubuntu = Machine::ubuntu();
        assert_eq!(ubuntu.prompt(), "ubuntu@ip-172-31-5-20:~$ ");
        ubuntu.run("cd /tmp");
        assert_eq!(ubuntu.prompt(), "ubuntu@ip-172-31-5-20:/tmp$ ");
        ubuntu.run("sudo -i");
        assert_eq!(ubuntu.prompt(), "root@ip-172-31-5-20:~# ");
        let mut amazon = Machine::amazon();
        assert_eq!(amazon.prompt(), "[ec2-user@ip-172-31-5-20 ~]$ ");
        amazon.run("cd /usr/share");
        assert_eq!(amazon.prompt(), "[ec2-user@ip-172-31-5-20 share]$ ");
    }

    /// Lines made of shell syntax in random order: whatever the learner types, the guest
    /// answers and never panics. Deterministic, so a failure can be replayed.
    #[test]
    fn random_shell_syntax_never_panics() {
        const SYNTAX: &str = r#"ls cat echo | && || ; > >> < $( ` ' " sudo -la .. / * ~ !! !$ <<
            EOF \\ ) ( curl -X PUT apt install -y nginx systemctl start ${ } 2>&1 & printf %s cd -
            read history tee -a x=1 $x $? rm -rf mkdir -p /etc/shadow 169.254.169.254 exit -i su
            [ ] test -f head -n wc grep -v \n"#;
        let tokens: Vec<&str> = SYNTAX.split_whitespace().collect();
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |bound: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % bound as u64) as usize
        };
        let mut machine = Machine::ubuntu();
        for _ in 0..3000 {
            let words = 1 + next(8);
            let line: Vec<&str> = (0..words).map(|_| tokens[next(tokens.len())]).collect();
            let outcome = machine.run(&line.join(" "));
            if outcome.exit {
                machine = Machine::ubuntu();
            }
        }
    }

    #[test]
    fn ls_fills_the_width_of_a_resized_terminal() {
        let mut wide = Machine::ubuntu();
        wide.session.resize(200);
        let mut narrow = Machine::ubuntu();
        narrow.session.resize(30);
        let (wide, narrow) = (wide.out("ls /"), narrow.out("ls /"));
        assert!(
            wide.lines().count() < narrow.lines().count(),
            "{wide}\n{narrow}"
        );
        assert!(narrow.lines().all(|line| line.len() <= 30), "{narrow}");
    }

    #[test]
    fn banners_as_the_amis_print_them() {
        let machine = Machine::ubuntu();
        let banner = machine.session.banner(&machine.facts);
        assert!(banner.starts_with(&format!(
            "Welcome to Ubuntu {} LTS (GNU/Linux {} x86_64)\n\n * Documentation:  https://help.ubuntu.com\n",
            distro::UBUNTU_RELEASE,
            distro::UBUNTU_KERNEL
        )));
        assert!(banner.contains("  Memory usage: "));
        assert!(banner.contains("IPv4 address for enX0: 172.31.5.20\n"));
        assert!(banner.contains("The programs included with Ubuntu are free software;"));
        assert!(banner.contains(
            "To run a command as administrator (user \"root\"), use \"sudo <command>\"."
        ));
        assert!(!banner.contains("Last login"));
        let mut machine = machine;
        machine.run("sudo true");
        machine.relogin();
        let banner = machine.session.banner(&machine.facts);
        assert!(!banner.contains("free software"));
        assert!(!banner.contains("To run a command as administrator"));
        assert!(banner.contains("Last login: Wed Oct 21 08:40:12 2026\n"));
        let amazon = Machine::amazon();
        let banner = amazon.session.banner(&amazon.facts);
        assert!(banner.starts_with("   ,     #_\n   ~\\_  ####_        Amazon Linux 2023\n"));
        assert!(banner.contains("https://aws.amazon.com/linux/amazon-linux-2023\n"));
    }

    #[test]
    fn history_expansion_and_history() {
        let mut machine = Machine::ubuntu();
        machine.run("echo one");
        assert_eq!(machine.out("!!"), "echo one\none\n");
        machine.run(" echo secret");
        let history = machine.out("history");
        assert_eq!(history, "    1  echo one\n    2  history\n");
        let mut fresh = Machine::ubuntu();
        assert_eq!(fresh.out("!!"), "-bash: !!: event not found\n");
    }

    #[test]
    fn continuation_lines_and_interrupt() {
        let mut machine = Machine::ubuntu();
        let outcome = machine.run("echo 'one");
        assert_eq!(outcome.output, "");
        assert_eq!(machine.prompt(), "> ");
        assert_eq!(machine.out("two'"), "one\ntwo\n");
        machine.run("ls |");
        assert_eq!(machine.prompt(), "> ");
        machine.session.interrupt();
        assert_eq!(machine.prompt(), "ubuntu@ip-172-31-5-20:~$ ");
        assert_eq!(machine.out("cat <<EOF\nhi $USER\nEOF"), "hi ubuntu\n");
    }

    #[test]
    fn exit_leaves_root_then_the_session() {
        let mut machine = Machine::ubuntu();
        machine.run("sudo su");
        assert_eq!(machine.out("whoami"), "root\n");
        let outcome = machine.run("exit");
        assert_eq!(outcome.output, "exit\n");
        assert!(!outcome.exit);
        assert_eq!(machine.out("whoami"), "ubuntu\n");
        let outcome = machine.run("exit");
        assert_eq!(outcome.output, "logout\n");
        assert!(outcome.exit);
    }
}
