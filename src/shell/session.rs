//! The shell's state and what each command does, apart from the terminal.
//!
//! A [`Session`] takes one line at a time and writes its answer to any `Write`, so the whole
//! interaction can be driven by the rustyline loop, a pipe, or a unit test alike.

use std::io::{self, IsTerminal, Write};
use std::net::SocketAddr;
use std::path::PathBuf;

use super::command::{self, Command, Input, Scope};
use super::messages as msg;
use super::remote::{self, Fed};
use super::view::{self, View};
use super::watch::{Look, Noticed};
use super::{curl, local};
use crate::aws_target::messages as aws_msg;
use crate::check::{self, Outcome};
use crate::lang::Lang;
use crate::lesson::{Course, Grade, Lesson, Step, StepKind};
use crate::network::{Emulated, Network};
use crate::progress::{Position, Store};
use crate::style::Style;
use crate::visible::visible;
use crate::workstation::Workstation;
use cloudlings_emulator::World;
use std::sync::Arc;

mod on_aws;
mod report;

pub use on_aws::public_address;
pub use report::{LastCheck, Report, Reporter};

/// Whether the shell goes on after a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Quit,
}

/// A question the shell asked and whose answer is the next line.
#[derive(Debug)]
enum Pending {
    ShowSolution,
    /// `reset` of work already done asked first.
    Reset(Scope),
    /// `ssh` met an unknown host and asked whether to trust its key.
    HostKey(Box<remote::Question>),
    /// The cost guard asked before a billable `aws` command (these words) runs.
    Spend(Vec<String>),
    /// A lesson file (by its SHA-256) declares it reaches beyond the course folder and the
    /// cloud, and the learner was asked whether to allow it.
    Reach(String),
}

/// A learner's session: the course, their progress, and where they are.
#[derive(Debug)]
pub struct Session {
    course: Course,
    store: Store,
    lang: Lang,
    style: Style,
    probes: check::Context,
    /// Index of the lesson and of the step within it.
    at: Option<(usize, usize)>,
    pending: Option<Pending>,
    /// Lesson files (by SHA-256) whose reach was asked about in this session and not
    /// answered yes or no: not asked again until the shell starts again.
    reach_asked: std::collections::BTreeSet<String>,
    /// The embedded emulator and the learner's account in it.
    emulator: Option<(Arc<World>, String)>,
    /// The port of the emulator's CloudFront edge.
    edge_port: u16,
    /// The emulator's endpoint, through which `ssh` and `curl` reach instances.
    endpoint: Option<SocketAddr>,
    /// On `--target endpoint`: the cloudlings server found there, if it is one.
    server: Option<crate::server::Server>,
    /// Whether this process's own terminal is the learner's: `ssh` may take it over and
    /// progress bars draw on it. Not so for a shell a server runs for a browser.
    terminal: bool,
    /// Whether a server runs this shell for a terminal elsewhere (a browser's): its files
    /// are the server's, not the learner's.
    served: bool,
    /// A remote shell that takes the input lines while it runs (input not a terminal).
    attached: Option<Box<remote::Attached>>,
    /// The exit status of the last `ssh`, `curl`, `chmod` or `aws`.
    last_status: i32,
    /// On `--target aws`: the account, its cost guard and journal.
    account: Option<crate::aws_target::Account>,
    /// `quit` already listed what is left running on AWS; the next one leaves.
    quit_warned: bool,
    /// In a class: where the learner stands goes to the instructor ([`report`]).
    reporter: Option<Reporter>,
    reported: Option<Report>,
    /// In a class, from a terminal of the learner's own: what the instructor sends.
    inbox: Option<super::inbox::Inbox>,
    /// The step the learner is at, and since when (Unix seconds).
    arrived: Option<((String, String), i64)>,
    last_check: Option<LastCheck>,
}

impl Session {
    /// Opens a session where the learner left off.
    pub fn new(
        course: Course,
        store: Store,
        lang: Lang,
        style: Style,
        probes: check::Context,
    ) -> Session {
        let at = store.progress.current.as_ref().and_then(|position| {
            let lesson_index = course.position(&position.lesson)?;
            let lesson = &course.lessons[lesson_index];
            let step = lesson
                .step_index(&position.step)
                .unwrap_or_else(|| store.progress.resume_index(lesson));
            Some((lesson_index, step))
        });
        // What passed steps remembered, for the steps still to come.
        let mut probes = probes;
        probes.bindings.extend(
            store
                .progress
                .bindings
                .iter()
                .map(|(name, value)| (name.clone(), value.clone())),
        );
        Session {
            course,
            store,
            lang,
            style,
            probes,
            at,
            pending: None,
            reach_asked: Default::default(),
            emulator: None,
            edge_port: 0,
            endpoint: None,
            server: None,
            terminal: io::stdin().is_terminal(),
            served: false,
            attached: None,
            last_status: 0,
            account: None,
            quit_warned: false,
            reporter: None,
            reported: None,
            inbox: None,
            arrived: None,
            last_check: None,
        }
    }

    /// Connects the session to the embedded emulator at `endpoint`, for `clock`, `bill`, and
    /// `ssh` and `curl` on its network; its CloudFront edge listens on `edge_port`.
    pub fn with_emulator(
        mut self,
        world: Arc<World>,
        account: String,
        endpoint: SocketAddr,
        edge_port: u16,
    ) -> Session {
        // `{myip}` in a lesson: the address this learner's connections come from.
        let plan = world.account(&account).map(|a| a.lock().free_plan);
        let learner = cloudlings_emulator::net::learner_address(&world.lock());
        self.probes
            .bindings
            .insert("myip".to_string(), learner.to_string());
        // `{free_type}` in a lesson: the instance type the account's free offer makes free.
        self.probes.bindings.insert(
            "free_type".to_string(),
            crate::facts::free_type(plan.unwrap_or_default()).to_string(),
        );
        self.emulator = Some((world, account));
        self.endpoint = Some(endpoint);
        self.edge_port = edge_port;
        self
    }

    /// Connects the session to a cloudlings server met at its endpoint: `clock` and `bill`
    /// for the learner's account there, and `ssh` and `curl` through its gateway.
    pub fn with_server(mut self, server: crate::server::Server) -> Session {
        self.probes
            .bindings
            .insert("myip".to_string(), server.source.to_string());
        self.probes.bindings.insert(
            "free_type".to_string(),
            crate::facts::free_type(server.plan).to_string(),
        );
        self.server = Some(server);
        self
    }

    /// The session of a learner whose terminal is elsewhere (a browser's): nothing takes over
    /// or draws on this process's own.
    pub fn without_terminal(mut self) -> Session {
        self.terminal = false;
        self.served = true;
        self
    }

    /// Whether this process's own terminal is the learner's.
    pub fn terminal(&self) -> bool {
        self.terminal
    }

    /// What `{name}`s in the lessons stand for in this session.
    pub fn bindings(&self) -> &check::Bindings {
        &self.probes.bindings
    }

    /// The exit status of the last `ssh`, `curl` or `chmod` (0 before any).
    pub fn last_status(&self) -> i32 {
        self.last_status
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    pub fn course(&self) -> &Course {
        &self.course
    }

    /// The learner's working folder, where the shell's file arguments start.
    /// The learner's own computer.
    pub fn files(&self) -> &Workstation {
        &self.probes.files
    }

    /// The prompt: where the learner is, or the question being asked.
    pub fn prompt(&self) -> String {
        if let Some(attached) = &self.attached {
            return attached.prompt().to_string();
        }
        match &self.pending {
            Some(Pending::HostKey(question)) => return question.prompt().to_string(),
            Some(_) => return "[y/N] › ".to_string(),
            None => {}
        }
        match self.here() {
            Some((lesson, index, _)) => {
                format!("{} {}/{} › ", lesson.id, index + 1, lesson.steps.len())
            }
            None => "cloudlings › ".to_string(),
        }
    }

    /// What the learner sees first: a welcome, or the step they stopped at.
    pub fn greet(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let lang = self.lang;
        if self.course.lessons.is_empty() {
            return writeln!(out, "{}", msg::no_lessons(lang));
        }
        match self.here() {
            Some((lesson, index, _)) => {
                let line =
                    msg::welcome_back(lang, lesson.title.get(lang), index + 1, lesson.steps.len());
                writeln!(out, "{line}\n")?;
                self.show(out)
            }
            None => writeln!(out, "{}", msg::welcome(lang, self.emulator.is_some())),
        }
    }

    /// Carries out one line of input; in watch mode, a line that may have changed the world
    /// is followed by a quiet look at the task ([`super::Look`]).
    pub fn execute(&mut self, line: &str, out: &mut dyn Write) -> io::Result<Flow> {
        let acts = self.may_change_world(line);
        let flow = self.dispatch(line, out)?;
        if acts && flow == Flow::Continue && !crate::interrupt::requested() {
            self.notice(out)?;
        }
        self.report_if_changed();
        Ok(flow)
    }

    /// Whether `line` may change what a check looks at: a tool, `!command`, the clock moved,
    /// a line for a remote shell, the answer that lets `ssh` or a billable `aws` go on. The
    /// course's own commands only show things.
    fn may_change_world(&self, line: &str) -> bool {
        if self.attached.is_some() {
            return true;
        }
        match &self.pending {
            Some(Pending::HostKey(_) | Pending::Spend(_)) => return true,
            Some(Pending::ShowSolution | Pending::Reset(_) | Pending::Reach(_)) => return false,
            None => {}
        }
        matches!(
            command::parse(line),
            Input::Command(
                Command::Run(_)
                    | Command::Clock(Some(_))
                    | Command::Ssh(_)
                    | Command::Chmod(_)
                    | Command::Curl(_)
                    | Command::Aws(_)
                    | Command::Cleanup(_)
            )
        )
    }

    /// What watch mode looks at now: the current task step, when watch mode is on, the step
    /// is not passed yet and no question waits for its answer.
    pub fn watch_look(&self) -> Option<Look> {
        if !self.store.progress.watching() || self.pending.is_some() {
            return None;
        }
        let (lesson, _, step) = self.here()?;
        let StepKind::Task(task) = &step.kind else {
            return None;
        };
        if step_passed(&self.store, lesson, step) {
            return None;
        }
        Some(Look::new(
            &lesson.id,
            &step.id,
            &task.checks,
            &task.binds,
            step.explanation.as_ref(),
            &self.probes,
            self.lang,
            self.style,
        ))
    }

    /// Looks at the task quietly and tells a pass; says nothing otherwise.
    fn notice(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let Some(mut noticed) = self.watch_look().and_then(|look| look.look()) else {
            return Ok(());
        };
        // Saved before it is told.
        let announcement = std::mem::take(&mut noticed.announcement);
        self.record(noticed);
        out.write_all(announcement.as_bytes())
    }

    /// Records a pass watch mode noticed (and told), if the learner is still at that step:
    /// its binds remembered, the step passed, the progress saved.
    pub fn record(&mut self, noticed: Noticed) {
        let here = self
            .here()
            .map(|(lesson, _, step)| (lesson.id.clone(), step.id.clone()));
        if here != Some((noticed.lesson.clone(), noticed.step.clone())) {
            return;
        }
        for (name, bound) in noticed.bound {
            self.keep(&name, bound);
        }
        self.last_check = Some(LastCheck {
            lesson: noticed.lesson.clone(),
            step: noticed.step.clone(),
            passed: true,
            reasons: Vec::new(),
        });
        self.store
            .progress
            .step_mut(&noticed.lesson, &noticed.step)
            .passed = true;
        self.save();
    }

    /// `watch`, `watch on`, `watch off`.
    fn watch(&mut self, on: Option<bool>, out: &mut dyn Write) -> io::Result<()> {
        let Some(on) = on else {
            return writeln!(
                out,
                "{}",
                msg::watch_now(self.lang, self.store.progress.watching())
            );
        };
        self.store.progress.watch = Some(on);
        self.save();
        writeln!(out, "{}", msg::watch_switched(self.lang, on))
    }

    /// Carries out one line of input, apart from watch mode.
    fn dispatch(&mut self, line: &str, out: &mut dyn Write) -> io::Result<Flow> {
        if let Some(attached) = &mut self.attached {
            match attached.line(line, out)? {
                Fed::Running => return Ok(Flow::Continue),
                Fed::Ended(status) => {
                    self.attached = None;
                    self.finished(status, out)?;
                    return Ok(Flow::Continue);
                }
                // The remote shell had ended: the line is cloudlings'.
                Fed::NotSent(status) => {
                    self.attached = None;
                    self.finished(status, out)?;
                }
            }
        }
        match self.pending.take() {
            Some(Pending::HostKey(question)) => {
                let outcome = question.answer(line, &self.remote_context(), out)?;
                self.outcome(outcome, out)?;
                return Ok(Flow::Continue);
            }
            Some(Pending::Spend(words)) => {
                self.spend(words, is_yes(line), out)?;
                return Ok(Flow::Continue);
            }
            Some(Pending::Reach(digest)) => {
                self.decide_reach(digest, line, out)?;
                return Ok(Flow::Continue);
            }
            Some(pending) => return self.confirm(pending, line, out).map(|()| Flow::Continue),
            None => {}
        }
        let lang = self.lang;
        // Every line sets the status anew, as every command sets a shell's `$?`.
        self.last_status = 0;
        match command::parse(line) {
            Input::Empty => {}
            Input::Command(command) => return self.run(command, out),
            Input::Unterminated(quote) => {
                self.last_status = 2;
                writeln!(out, "{}", msg::unterminated_quote(lang, quote))?;
            }
            Input::BadArguments { usage, detail } => {
                self.last_status = 2;
                if let Some(word) = detail.filter(|_| usage.starts_with("reset")) {
                    writeln!(out, "{}", msg::reset_scope_unknown(lang, &word))?;
                } else {
                    writeln!(out, "{}", msg::usage(lang, usage))?;
                }
            }
            Input::Other { word, line } => {
                if self.at_quiz() {
                    self.answer(&line, command::suggest(&word), out)?;
                } else {
                    self.last_status = 127;
                    if word.eq_ignore_ascii_case("icacls")
                        || word.eq_ignore_ascii_case("icacls.exe")
                    {
                        writeln!(out, "{}", msg::icacls(lang))?;
                        return Ok(Flow::Continue);
                    }
                    if word == "cd" {
                        let folder = self.probes.files.folder();
                        writeln!(out, "{}", msg::no_cd(lang, &folder))?;
                        return Ok(Flow::Continue);
                    }
                    if command::is_host_command(&word) {
                        writeln!(out, "{}", msg::host_command(lang, &word, &line))?;
                        return Ok(Flow::Continue);
                    }
                    writeln!(out, "{}", msg::unknown_command(lang, &word))?;
                    match command::suggest(&word) {
                        Some(suggestion) => {
                            writeln!(out, "{}", msg::did_you_mean(lang, suggestion))?
                        }
                        None => writeln!(out, "{}", msg::see_help(lang))?,
                    }
                }
            }
        }
        Ok(Flow::Continue)
    }

    fn run(&mut self, command: Command, out: &mut dyn Write) -> io::Result<Flow> {
        match command {
            Command::Help(topic) => self.view().help(topic.as_deref(), out)?,
            Command::Lessons => self.view().lessons(&self.course, out)?,
            Command::Start(name) => self.start(name.as_deref(), out)?,
            Command::Show => self.show(out)?,
            Command::Hint => self.hint(out)?,
            Command::Check => self.check(out)?,
            Command::Next => self.next(out)?,
            Command::Back => self.back(out)?,
            Command::Answer(reply) => self.answer(&reply, None, out)?,
            Command::Solution => self.solution(out)?,
            Command::Reset { scope, yes } => self.reset(scope, yes, out)?,
            Command::Progress => {
                let here = self.here().map(|(lesson, index, _)| (lesson, index));
                let path = self.store.path();
                // A shell a server runs for a browser keeps progress on the server: its path
                // means nothing to the learner.
                let path = (!self.served).then_some(path);
                self.view().progress(&self.course, here, path, out)?;
            }
            Command::Lang(code) => self.switch_lang(code.as_deref(), out)?,
            Command::Watch(on) => self.watch(on, out)?,
            Command::Run(command) => {
                let files = &self.probes.files;
                self.last_status = local::run(&command, files, self.lang, self.style, out)?;
            }
            Command::Clock(_) if self.account.is_some() => {
                writeln!(out, "{}", aws_msg::clock_is_real(self.lang))?;
            }
            Command::Clock(by) => self.clock(by.as_deref(), out)?,
            Command::Bill => match &self.account {
                Some(account) => self.aws_bill(account, out)?,
                None => self.bill(out)?,
            },
            Command::Edge if self.account.is_some() => {
                writeln!(out, "{}", aws_msg::edge_on_aws(self.lang))?;
            }
            Command::Edge => self.edge(out)?,
            Command::Console => self.console(out)?,
            Command::Cleanup(scope) => self.cleanup(scope, out)?,
            Command::Ssh(words) => {
                let outcome = remote::start(&words, &self.remote_context(), out)?;
                self.outcome(outcome, out)?;
            }
            Command::Chmod(words) => self.chmod(&words, out)?,
            Command::Curl(words) => self.curl(&words, out)?,
            Command::Aws(words) => self.aws(&words, out)?,
            Command::MyIp if self.account.is_some() => self.aws_myip(out)?,
            Command::MyIp => self.myip(out)?,
            Command::Totp(words) => {
                let status = super::totp::run(&words, &self.probes.files, self.lang, out)?;
                self.finished(status, out)?;
            }
            Command::Quit => {
                if !self.may_leave(out)? {
                    return Ok(Flow::Continue);
                }
                self.save();
                writeln!(out, "{}", msg::goodbye(self.lang))?;
                return Ok(Flow::Quit);
            }
        }
        Ok(Flow::Continue)
    }

    /// The input ended: a remote shell reading it gets end-of-file, a question goes unanswered.
    pub fn end_input(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if let Some(attached) = self.attached.take() {
            let status = attached.end(out)?;
            self.finished(status, out)?;
        }
        match self.pending.take() {
            Some(Pending::HostKey(question)) => {
                let status = question.abandon(out)?;
                self.finished(status, out)
            }
            other => {
                self.pending = other;
                Ok(())
            }
        }
    }

    /// Ctrl-C at the prompt: it gives up the host key question, as it would end OpenSSH.
    /// A line that was not text (invalid UTF-8) was read: it is skipped, and said to be.
    pub fn unreadable_line(&mut self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "{}", msg::unreadable_line(self.lang))
    }

    pub fn interrupt(&mut self, out: &mut dyn Write) -> io::Result<()> {
        match self.pending.take() {
            Some(Pending::HostKey(question)) => {
                let status = question.abandon(out)?;
                self.finished(status, out)
            }
            other => {
                self.pending = other;
                Ok(())
            }
        }
    }

    /// Ctrl-C stopped the command that ran: it ends as a signal ends a command in bash.
    pub fn stopped(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.last_status = crate::interrupt::STATUS;
        // The terminal echoed `^C`; the prompt comes back on a line of its own.
        writeln!(out)
    }

    /// How `ssh` and `curl` reach hosts: through the emulator's network when it runs.
    fn network(&self) -> Network {
        let emulator = match (&self.emulator, self.endpoint, &self.server) {
            (Some((world, _)), Some(endpoint), _) => Some(Emulated {
                endpoint,
                patience: world.net.drop_timeout(),
            }),
            (_, _, Some(server)) => Some(Emulated {
                endpoint: server.address,
                patience: server.drop_timeout,
            }),
            _ => None,
        };
        Network {
            emulator,
            closed: matches!(self.probes.files, Workstation::Emulated(_)),
        }
    }

    fn remote_context(&self) -> remote::Context {
        let data_dir = self.store.path().parent().map(PathBuf::from);
        remote::Context {
            network: self.network(),
            // The same file `cloudlings ssh-config` gives OpenSSH: one trust for both.
            known_hosts: data_dir
                .unwrap_or_default()
                .join(cloudlings_emulator::net::openssh::KNOWN_HOSTS),
            files: self.probes.files.clone(),
            lang: self.lang,
            style: self.style,
            terminal: self.terminal,
        }
    }

    /// Takes in what became of an `ssh` command.
    fn outcome(&mut self, outcome: remote::Outcome, out: &mut dyn Write) -> io::Result<()> {
        match outcome {
            remote::Outcome::Done(status) => self.finished(status, out),
            remote::Outcome::Ask(question) => {
                self.pending = Some(Pending::HostKey(question));
                Ok(())
            }
            remote::Outcome::Attach(attached) => {
                self.attached = Some(attached);
                Ok(())
            }
        }
    }

    /// Records a tool's exit status and shows it when it is not 0, as `!command` does.
    fn finished(&mut self, status: i32, out: &mut dyn Write) -> io::Result<()> {
        self.last_status = status;
        // A command stopped by Ctrl-C says nothing, as in bash.
        if status == 0 || (status == crate::interrupt::STATUS && crate::interrupt::requested()) {
            return Ok(());
        }
        let line = msg::run_status(self.lang, &status.to_string());
        writeln!(out, "{}", self.style.dim(&line))
    }

    fn chmod(&mut self, words: &[String], out: &mut dyn Write) -> io::Result<()> {
        let status = super::chmod::run(words, &self.probes.files, out)?;
        self.finished(status, out)
    }

    fn curl(&mut self, words: &[String], out: &mut dyn Write) -> io::Result<()> {
        let (edge, learner) = match &self.emulator {
            Some((world, _)) => {
                let domains = world
                    .accounts()
                    .iter()
                    .flat_map(|account| {
                        let account = account.lock();
                        account
                            .cloudfront
                            .distributions
                            .values()
                            .map(|distribution| distribution.domain_name.clone())
                            .collect::<Vec<_>>()
                    })
                    .collect();
                let edge = (self.edge_port != 0).then_some(curl::Edge {
                    port: self.edge_port,
                    domains,
                });
                (
                    edge,
                    Some(cloudlings_emulator::net::learner_address(&world.lock())),
                )
            }
            None => (None, self.server.as_ref().map(|server| server.source)),
        };
        let context = curl::Context {
            network: self.network(),
            files: &self.probes.files,
            lang: self.lang,
            style: self.style,
            edge,
            learner,
        };
        out.flush()?;
        let status = curl::run(words, &context, out)?;
        self.finished(status, out)
    }

    fn myip(&self, out: &mut dyn Write) -> io::Result<()> {
        let address = match (&self.emulator, &self.server) {
            (Some((world, _)), _) => cloudlings_emulator::net::learner_address(&world.lock()),
            (None, Some(server)) => server.source,
            (None, None) => return writeln!(out, "{}", msg::no_emulator(self.lang)),
        }
        .to_string();
        writeln!(out, "{address}")?;
        writeln!(
            out,
            "{}",
            self.style.dim(&msg::myip_hint(self.lang, &address))
        )
    }

    /// The current lesson, step index and step.
    fn here(&self) -> Option<(&Lesson, usize, &Step)> {
        let (lesson, step) = self.at?;
        let lesson = self.course.lessons.get(lesson)?;
        Some((lesson, step, lesson.steps.get(step)?))
    }

    fn at_quiz(&self) -> bool {
        matches!(self.here(), Some((_, _, step)) if matches!(step.kind, StepKind::Quiz(_)))
    }

    /// Moves to a step and remembers it.
    fn go(&mut self, lesson: usize, step: usize) {
        self.at = Some((lesson, step));
        if let Some((lesson, _, step)) = self.here() {
            let position = Position {
                lesson: lesson.id.clone(),
                step: step.id.clone(),
            };
            self.store.progress.current = Some(position);
        }
        self.save();
    }

    fn save(&self) {
        if let Err(error) = self.store.save() {
            eprintln!("{}", msg::save_failed(self.lang, &format!("{error:#}")));
        }
    }

    fn start(&mut self, name: Option<&str>, out: &mut dyn Write) -> io::Result<()> {
        let lang = self.lang;
        let index = match name {
            Some(name) => self.find_lesson(name),
            // Where the learner is, else the first lesson not finished, else the first.
            None => self.at.map(|(lesson, _)| lesson).or_else(|| {
                let progress = &self.store.progress;
                let lessons = &self.course.lessons;
                lessons
                    .iter()
                    .position(|lesson| !progress.is_complete(lesson))
                    .or((!lessons.is_empty()).then_some(0))
            }),
        };
        let Some(index) = index else {
            let name = name.unwrap_or_default();
            writeln!(out, "{}", msg::unknown_lesson(lang, name))?;
            if let Some(close) = self.closest_lesson(name) {
                writeln!(
                    out,
                    "{}",
                    msg::did_you_mean(lang, &format!("start {close}"))
                )?;
            }
            return Ok(());
        };
        let lesson = &self.course.lessons[index];
        let unfinished: Vec<String> = lesson
            .requires
            .iter()
            .filter_map(|id| self.course.find(id))
            .filter(|required| !self.store.progress.is_complete(required))
            .map(|required| format!("\"{}\"", required.title.get(lang)))
            .collect();
        let step = match self.at {
            Some((current, step)) if current == index => step,
            _ => self.store.progress.resume_index(lesson),
        };
        if !unfinished.is_empty() {
            writeln!(
                out,
                "{}",
                self.style
                    .dim(&msg::requires_first(lang, &unfinished.join(", ")))
            )?;
        }
        self.go(index, step);
        self.view().overview(&self.course.lessons[index], out)?;
        self.show(out)
    }

    /// A lesson by id, or by its number in the course.
    fn find_lesson(&self, name: &str) -> Option<usize> {
        let name = name.trim();
        self.course.position(&name.to_lowercase()).or_else(|| {
            let order: u32 = name.parse().ok()?;
            self.course
                .lessons
                .iter()
                .position(|lesson| lesson.order == order)
        })
    }

    fn closest_lesson(&self, name: &str) -> Option<&str> {
        self.course
            .lessons
            .iter()
            .map(|lesson| {
                (
                    strsim::damerau_levenshtein(name, &lesson.id),
                    lesson.id.as_str(),
                )
            })
            .filter(|(distance, id)| *distance <= (id.len() / 3).max(1))
            .min_by_key(|(distance, _)| *distance)
            .map(|(_, id)| id)
    }

    /// Renders for this learner, now.
    fn view(&self) -> View<'_> {
        View {
            lang: self.lang,
            style: self.style,
            progress: &self.store.progress,
            bindings: &self.probes.bindings,
            target: self.probes.target.as_ref(),
            platform: self.probes.files.platform(),
        }
    }

    fn show(&mut self, out: &mut dyn Write) -> io::Result<()> {
        match self.here() {
            Some((lesson, index, _)) => self.view().step(lesson, index, out)?,
            None => return writeln!(out, "{}", msg::no_lesson_started(self.lang)),
        }
        self.settle_reach(out)
    }

    /// Gives the checks what the current lesson declares it reaches, if the learner allowed
    /// it; asks, the first time a version of the lesson file is met.
    fn settle_reach(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.probes.reach = check::Reach::default();
        let Some((lesson, _, _)) = self.here() else {
            return Ok(());
        };
        if lesson.reach.is_empty() {
            return Ok(());
        }
        let (reach, digest) = (lesson.reach.clone(), lesson.digest.clone());
        match self.store.progress.reach.get(&digest) {
            Some(true) => self.probes.reach = reach,
            Some(false) => {}
            None if self.pending.is_none() && !self.reach_asked.contains(&digest) => {
                let title = lesson.title.get(self.lang).to_string();
                let question = msg::reach_question(self.lang, &title, &reach.files, &reach.hosts);
                writeln!(out, "\n{question}")?;
                self.pending = Some(Pending::Reach(digest));
            }
            None => {}
        }
        Ok(())
    }

    /// Takes the learner's answer about a lesson file's reach: a yes or a no is remembered;
    /// anything else (a typo, an empty line) refuses for this session only, so that a slip
    /// of the finger does not shut the lesson out for good.
    fn decide_reach(&mut self, digest: String, line: &str, out: &mut dyn Write) -> io::Result<()> {
        let said = if is_yes(line) {
            self.store.progress.reach.insert(digest, true);
            msg::reach_allowed(self.lang)
        } else if is_no(line) {
            self.store.progress.reach.insert(digest, false);
            msg::reach_refused(self.lang)
        } else {
            self.reach_asked.insert(digest);
            msg::reach_refused_for_now(self.lang)
        };
        self.save();
        writeln!(out, "{said}")?;
        self.settle_reach(out)
    }

    fn hint(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let lang = self.lang;
        let Some((lesson, _, step)) = self.here() else {
            return writeln!(out, "{}", msg::no_lesson_started(lang));
        };
        let hints = step.hints(self.probes.files.platform());
        let total = hints.len();
        if total == 0 {
            return writeln!(out, "{}", msg::no_hints(lang));
        }
        let (lesson_id, step_id) = (lesson.id.clone(), step.id.clone());
        let revealed = self.store.progress.step(&lesson_id, &step_id).hints;
        let n = (revealed + 1).min(total);
        let text = check::fill(hints[n - 1].get(lang).trim_end(), &self.probes.bindings);
        let heading = msg::hint(lang, n, total);
        // Fitted whole, then styled: the heading's colour codes take no columns.
        let hint = view::fit(&format!("{heading} {text}"));
        match hint.strip_prefix(heading.as_str()) {
            Some(rest) => writeln!(out, "{}{rest}", self.style.heading(&heading))?,
            None => writeln!(out, "{hint}")?,
        }
        if n == total {
            writeln!(out, "{}", self.style.dim(&msg::no_more_hints(lang)))?;
        }
        if n > revealed {
            self.store.progress.step_mut(&lesson_id, &step_id).hints = n;
            self.save();
        }
        Ok(())
    }

    fn check(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let lang = self.lang;
        let Some((lesson, _, step)) = self.here() else {
            return writeln!(out, "{}", msg::no_lesson_started(lang));
        };
        let task = match &step.kind {
            StepKind::Read => return writeln!(out, "{}", msg::nothing_to_check_read(lang)),
            StepKind::Quiz(_) => return writeln!(out, "{}", msg::check_is_for_tasks(lang)),
            StepKind::Task(task) => task,
        };
        let target = self.probes.target.as_ref();
        // Checks that cannot look on this target are left out, and said to be.
        let outcomes: Vec<Option<Outcome>> = task
            .checks
            .iter()
            .map(|check| check.looks_on(target).then(|| check.run(&self.probes)))
            .collect();
        // A check that Ctrl-C stopped saw nothing: it neither passes nor fails the step.
        if crate::interrupt::requested() {
            return Ok(());
        }
        let mut unavailable = false;
        let mut reasons = Vec::new();
        for (check, outcome) in task.checks.iter().zip(&outcomes) {
            let label = check::fill(check.label.get(lang), &self.probes.bindings);
            match outcome {
                None => {
                    let skipped = msg::check_skipped_here(lang);
                    writeln!(
                        out,
                        "  {}",
                        self.style.dim(&format!("– {label} ({skipped})"))
                    )?;
                }
                Some(Outcome::Passed) => writeln!(out, "  {} {label}", self.style.good("✓"))?,
                Some(Outcome::Failed { .. }) => {
                    writeln!(out, "  {} {label}", self.style.bad("✗"))?;
                    let reason = check::fill(
                        check.reason_now(&self.probes).get(lang),
                        &self.probes.bindings,
                    );
                    writeln!(out, "      {}", reason.trim_end())?;
                    reasons.push(reason.trim_end().to_string());
                }
                Some(Outcome::Unavailable { error }) => {
                    unavailable = true;
                    writeln!(out, "  {} {label}", self.style.bad("?"))?;
                    let error = crate::visible::visible(error.get(lang));
                    let said = msg::check_unavailable(lang, &error);
                    writeln!(out, "      {said}")?;
                    reasons.push(said);
                }
            }
        }
        let outcomes: Vec<Outcome> = outcomes.into_iter().flatten().collect();
        if outcomes.is_empty() {
            writeln!(out, "{}", msg::nothing_checkable_here(lang))?;
        }
        let passed = outcomes.iter().filter(|outcome| outcome.passed()).count();
        writeln!(out, "{}", msg::checks_passed(lang, passed, outcomes.len()))?;
        let (lesson_id, step_id) = (lesson.id.clone(), step.id.clone());
        let has_hints = step.hints(self.probes.files.platform()).len();
        let binds = task.binds.clone();
        let explanation = step.explanation.clone();
        self.last_check = Some(LastCheck {
            lesson: lesson_id.clone(),
            step: step_id.clone(),
            passed: passed == outcomes.len(),
            reasons,
        });
        if passed == outcomes.len() {
            self.remember(&binds);
            // Filled after remembering, so it can name what the step just made.
            let explanation = explanation
                .map(|text| check::fill(text.get(lang).trim_end(), &self.probes.bindings));
            let headline = format!("\n{}", self.style.good(&msg::task_passed(lang)));
            self.pass(&lesson_id, &step_id, &headline, explanation.as_deref(), out)
        } else if unavailable {
            writeln!(out, "{}", msg::unavailable_is_not_failure(lang))
        } else {
            self.failed(&lesson_id, &step_id, has_hints, out)
        }
    }

    /// Records a pass, then tells it (`headline`, the step's explanation) and what comes
    /// next: a pass the learner was told of is on the disk.
    fn pass(
        &mut self,
        lesson: &str,
        step: &str,
        headline: &str,
        explanation: Option<&str>,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        self.store.progress.step_mut(lesson, step).passed = true;
        self.save();
        writeln!(out, "{headline}")?;
        if let Some(explanation) = explanation {
            writeln!(out, "\n{}", view::fit(explanation))?;
        }
        writeln!(out, "\n{}", self.style.dim(&msg::type_next(self.lang)))
    }

    /// Takes the values a passed step binds from the cloud, for the steps after it.
    fn remember(&mut self, binds: &[check::Bind]) {
        for bind in binds {
            if let Some(bound) = bind.value(&self.probes) {
                self.keep(&bind.name, bound);
            }
        }
    }

    /// Keeps a bound value for later steps, and in the saved progress unless it was read
    /// from a file's contents, which stays in this session only.
    fn keep(&mut self, name: &str, bound: check::Bound) {
        if bound.local {
            self.store.progress.bindings.remove(name);
        } else {
            self.store
                .progress
                .bindings
                .insert(name.to_string(), bound.value.clone());
        }
        self.probes.keep(name, bound);
    }

    /// Records a failure and offers the next kind of help.
    fn failed(
        &mut self,
        lesson: &str,
        step: &str,
        hints: usize,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let progress = self.store.progress.step_mut(lesson, step);
        progress.failures += 1;
        let offer = if progress.hints < hints {
            msg::offer_hint(self.lang)
        } else {
            msg::offer_solution(self.lang)
        };
        self.save();
        writeln!(out, "{}", self.style.dim(&offer))
    }

    fn answer(&mut self, reply: &str, meant: Option<&str>, out: &mut dyn Write) -> io::Result<()> {
        let lang = self.lang;
        let Some((lesson, _, step)) = self.here() else {
            return writeln!(out, "{}", msg::no_lesson_started(lang));
        };
        let StepKind::Quiz(answer) = &step.kind else {
            return writeln!(out, "{}", msg::no_question_here(lang));
        };
        let (lesson_id, step_id) = (lesson.id.clone(), step.id.clone());
        let explanation = step
            .explanation
            .as_ref()
            .map(|text| check::fill(text.get(lang).trim_end(), &self.probes.bindings));
        let hints = step.hints(self.probes.files.platform()).len();
        match answer.grade(reply) {
            Grade::Right => {
                let headline = self.style.good(&msg::right_answer(lang));
                return self.pass(&lesson_id, &step_id, &headline, explanation.as_deref(), out);
            }
            Grade::Wrong => {
                writeln!(out, "{}", self.style.bad(&msg::wrong_answer(lang)))?;
                self.failed(&lesson_id, &step_id, hints, out)?;
            }
            Grade::NotAChoice { count } => writeln!(out, "{}", msg::not_a_choice(lang, count))?,
            Grade::NotANumber => writeln!(out, "{}", msg::not_a_number(lang))?,
        }
        if let Some(command) = meant {
            writeln!(out, "{}", self.style.dim(&msg::did_you_mean(lang, command)))?;
        }
        Ok(())
    }

    fn next(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let lang = self.lang;
        let Some((lesson, index, step)) = self.here() else {
            return writeln!(out, "{}", msg::no_lesson_started(lang));
        };
        let (lesson_index, _) = self.at.unwrap_or_default();
        let is_read = matches!(step.kind, StepKind::Read);
        if !is_read && !step_passed(&self.store, lesson, step) {
            return writeln!(out, "{}", msg::finish_step_first(lang));
        }
        let (lesson_id, step_id, count) = (lesson.id.clone(), step.id.clone(), lesson.steps.len());
        if is_read {
            self.store.progress.step_mut(&lesson_id, &step_id).passed = true;
            self.save();
        }
        if index + 1 < count {
            self.go(lesson_index, index + 1);
            return self.show(out);
        }
        self.finished_lesson(lesson_index, out)
    }

    /// At the end of a lesson: congratulate, and point at what is left.
    fn finished_lesson(&self, lesson_index: usize, out: &mut dyn Write) -> io::Result<()> {
        let lang = self.lang;
        let lessons = &self.course.lessons;
        let lesson = &lessons[lesson_index];
        if !self.store.progress.is_complete(lesson) {
            return writeln!(out, "{}", msg::last_step(lang));
        }
        writeln!(
            out,
            "{}",
            self.style.good(&format!(
                "★ {}",
                msg::lesson_complete(lang, lesson.title.get(lang))
            ))
        )?;
        // The next unfinished lesson, wrapping round to those before this one.
        let mut after = lessons[lesson_index + 1..]
            .iter()
            .chain(&lessons[..lesson_index]);
        match after.find(|other| !self.store.progress.is_complete(other)) {
            Some(next) => writeln!(
                out,
                "{}",
                msg::next_lesson(lang, &next.id, next.title.get(lang))
            ),
            None => writeln!(out, "{}", msg::course_complete(lang)),
        }
    }

    fn back(&mut self, out: &mut dyn Write) -> io::Result<()> {
        match self.at {
            None => writeln!(out, "{}", msg::no_lesson_started(self.lang)),
            Some((_, 0)) => writeln!(out, "{}", msg::first_step(self.lang)),
            Some((lesson, step)) => {
                self.go(lesson, step - 1);
                self.show(out)
            }
        }
    }

    fn solution(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let lang = self.lang;
        let Some((lesson, _, step)) = self.here() else {
            return writeln!(out, "{}", msg::no_lesson_started(lang));
        };
        if matches!(step.kind, StepKind::Read) {
            return writeln!(out, "{}", msg::nothing_to_solve(lang));
        }
        let seen = self.store.progress.step(&lesson.id, &step.id);
        let untried = seen.failures == 0 && !seen.solution_shown && !seen.passed;
        // A quiz's wrong answers count as failures too; only a task can wait for a `check`.
        if untried && matches!(&step.kind, StepKind::Task(task) if task.solution_after_attempt) {
            return writeln!(out, "{}", msg::solution_after_attempt(lang));
        }
        if untried {
            self.pending = Some(Pending::ShowSolution);
            return writeln!(out, "{}", msg::confirm_solution(lang));
        }
        self.reveal_solution(out)
    }

    fn reveal_solution(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let lang = self.lang;
        let Some((lesson, _, step)) = self.here() else {
            return Ok(());
        };
        match &step.kind {
            StepKind::Read => {}
            StepKind::Quiz(answer) => {
                writeln!(out, "{}", msg::solution_answer(lang, &answer.display(lang)))?;
            }
            StepKind::Task(task) => {
                // From a state the lesson foresaw (a user `Admin` in the way, say), the usual
                // path would fail: the way out comes first.
                let target = self.probes.target.as_ref();
                let detours: Vec<String> = task
                    .checks
                    .iter()
                    .filter(|check| check.looks_on(target))
                    .filter(|check| !check.run(&self.probes).passed())
                    .filter_map(|check| check.case_reason(&self.probes))
                    .map(|reason| {
                        let reason = check::fill(reason.get(lang), &self.probes.bindings);
                        reason.trim_end().to_string()
                    })
                    .collect();
                if !detours.is_empty() {
                    writeln!(out, "{}", msg::solution_from_here(lang))?;
                    for detour in &detours {
                        writeln!(out, "  {detour}")?;
                    }
                    writeln!(out)?;
                }
                writeln!(out, "{}", msg::solution_heading(lang))?;
                let on_aws = self.account.is_some();
                for command in &step.solution(on_aws, self.probes.files.platform()) {
                    let command =
                        check::fill_command(command, &self.probes.bindings, &self.probes.files);
                    writeln!(out, "  {}", self.style.command(&command))?;
                }
                writeln!(out, "{}", self.style.dim(&msg::solution_then(lang)))?;
            }
        }
        let (lesson_id, step_id) = (lesson.id.clone(), step.id.clone());
        self.store
            .progress
            .step_mut(&lesson_id, &step_id)
            .solution_shown = true;
        self.save();
        Ok(())
    }

    fn confirm(&mut self, pending: Pending, line: &str, out: &mut dyn Write) -> io::Result<()> {
        if !is_yes(line) {
            return writeln!(out, "{}", msg::cancelled(self.lang));
        }
        match pending {
            Pending::HostKey(question) => {
                let status = question.abandon(out)?;
                self.finished(status, out)
            }
            Pending::ShowSolution => self.reveal_solution(out),
            Pending::Spend(words) => self.spend(words, true, out),
            Pending::Reset(scope) => self.reset_now(scope, out),
            // Taken before this, where a no is remembered too; here the line said yes.
            Pending::Reach(digest) => self.decide_reach(digest, line, out),
        }
    }

    /// Starts over; what was already passed is only forgotten once the learner says yes
    /// (or `--yes` said it before the question).
    fn reset(&mut self, scope: Scope, yes: bool, out: &mut dyn Write) -> io::Result<()> {
        let lang = self.lang;
        let question = match (scope, self.here()) {
            (Scope::All, _) => Some(msg::confirm_reset_all(lang)),
            (_, None) => return writeln!(out, "{}", msg::no_lesson_started(lang)),
            (Scope::Step, Some((lesson, _, step))) => {
                step_passed(&self.store, lesson, step).then(|| msg::confirm_reset_step(lang))
            }
            (Scope::Lesson, Some((lesson, _, _))) => {
                let passed = lesson
                    .steps
                    .iter()
                    .filter(|step| step_passed(&self.store, lesson, step))
                    .count();
                (passed > 0)
                    .then(|| msg::confirm_reset_lesson(lang, lesson.title.get(lang), passed))
            }
        };
        match question {
            Some(question) if !yes => {
                self.pending = Some(Pending::Reset(scope));
                writeln!(out, "{question}")
            }
            _ => self.reset_now(scope, out),
        }
    }

    fn reset_now(&mut self, scope: Scope, out: &mut dyn Write) -> io::Result<()> {
        let lang = self.lang;
        if scope == Scope::All {
            self.store.progress.reset_all();
            self.at = None;
            self.save();
            return writeln!(out, "{}", msg::reset_all_done(lang));
        }
        let Some((lesson, _, step)) = self.here() else {
            return writeln!(out, "{}", msg::no_lesson_started(lang));
        };
        let (lesson_id, step_id) = (lesson.id.clone(), step.id.clone());
        let title = lesson.title.get(lang).to_string();
        let (lesson_index, step_index) = self.at.unwrap_or_default();
        match scope {
            Scope::Step => {
                self.store.progress.reset_step(&lesson_id, &step_id);
                writeln!(out, "{}\n", msg::reset_step_done(lang))?;
                self.go(lesson_index, step_index);
            }
            Scope::Lesson | Scope::All => {
                self.store.progress.reset_lesson(&lesson_id);
                writeln!(out, "{}\n", msg::reset_lesson_done(lang, &title))?;
                self.go(lesson_index, 0);
            }
        }
        self.show(out)
    }

    fn clock(&self, by: Option<&str>, out: &mut dyn Write) -> io::Result<()> {
        let lang = self.lang;
        let duration = match by.map(|by| (by, cloudlings_emulator::clock::parse_duration(by))) {
            Some((by, None)) => return writeln!(out, "{}", msg::clock_bad_duration(lang, by)),
            Some((by, Some(duration))) => Some((by, duration)),
            None => None,
        };
        let reading = if let Some((world, account)) = &self.emulator {
            if let Some((_, duration)) = duration {
                // The learner's own account's time moves; a classmate's stays where it is.
                if let Err(error) = world.advance_account_clock(account, duration) {
                    eprintln!("{}", msg::save_failed(lang, &format!("{error:#}")));
                }
            }
            let state = world.lock();
            Ok((state.clock.now_for(account), state.clock.ahead_for(account)))
        } else if let Some(server) = &self.server {
            match duration {
                Some((by, _)) => server.advance(by),
                None => server.clock(),
            }
            .map(|reading| (reading.now, reading.ahead))
        } else {
            return writeln!(out, "{}", msg::no_emulator(lang));
        };
        match reading {
            Ok((now, ahead)) => {
                if let Some((by, _)) = duration {
                    writeln!(out, "{}", msg::clock_advanced(lang, by))?;
                }
                let now = view::minute(now);
                let ahead = cloudlings_emulator::clock::describe(ahead);
                writeln!(out, "{}", msg::clock_now(lang, &now, &ahead))
            }
            Err(error) => writeln!(out, "{}", msg::server_unanswered(lang, &visible(&error))),
        }
    }

    fn bill(&self, out: &mut dyn Write) -> io::Result<()> {
        if let Some((world, account)) = &self.emulator {
            let now = world.now_for(account);
            return match world.account(account) {
                Some(details) => {
                    let bill = cloudlings_emulator::billing::bill(&details.lock(), now);
                    self.view().bill(&bill, account, now, out)
                }
                None => writeln!(out, "{}", msg::no_emulator(self.lang)),
            };
        }
        let Some(server) = &self.server else {
            return writeln!(out, "{}", msg::no_emulator(self.lang));
        };
        match server
            .clock()
            .and_then(|reading| Ok((server.bill()?, reading.now)))
        {
            Ok((bill, now)) => self.view().bill(&bill, &server.account, now, out),
            Err(error) => writeln!(
                out,
                "{}",
                msg::server_unanswered(self.lang, &visible(&error))
            ),
        }
    }

    /// Where the console is and how to sign in, then the step's console directions.
    fn console(&self, out: &mut dyn Write) -> io::Result<()> {
        let lang = self.lang;
        let place = match (&self.account, &self.emulator) {
            (Some(_), _) => msg::console_on_aws(lang),
            (None, Some((world, account))) if self.edge_port != 0 => {
                let url = format!(
                    "http://{}:{}/",
                    cloudlings_emulator::console::HOST,
                    self.edge_port
                );
                let password = world.root_password(account).unwrap_or_default();
                msg::console_here(lang, &url, account, &password)
            }
            _ => msg::console_elsewhere(lang),
        };
        for line in place.lines() {
            writeln!(out, "{}", view::fit(line))?;
        }
        let Some((_, _, step)) = self.here() else {
            return Ok(());
        };
        match &step.console {
            Some(directions) => {
                let text = check::fill(directions.get(lang).trim_end(), &self.probes.bindings);
                writeln!(out, "\n{}", self.style.heading(&msg::console_step(lang)))?;
                writeln!(out, "{text}")
            }
            None => writeln!(out, "{}", self.style.dim(&msg::console_no_step(lang))),
        }
    }

    fn edge(&self, out: &mut dyn Write) -> io::Result<()> {
        let Some((world, account)) = &self.emulator else {
            return writeln!(out, "{}", msg::no_emulator(self.lang));
        };
        let now = world.now_for(account);
        let distributions = world
            .account(account)
            .map(|details| {
                details
                    .lock()
                    .cloudfront
                    .distributions
                    .values()
                    .cloned()
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        if distributions.is_empty() {
            return writeln!(out, "{}", msg::edge_empty(self.lang));
        }
        for distribution in distributions {
            let serving = msg::edge_state(
                self.lang,
                cloudlings_emulator::cloudfront::config::enabled(&distribution.config),
                distribution.status(now) == "Deployed",
            );
            let url = cloudlings_emulator::edge_url(&distribution.domain_name, self.edge_port);
            writeln!(
                out,
                "{}",
                msg::edge_line(self.lang, &distribution.domain_name, &serving, &url)
            )?;
        }
        Ok(())
    }

    fn switch_lang(&mut self, code: Option<&str>, out: &mut dyn Write) -> io::Result<()> {
        let Some(code) = code else {
            return writeln!(out, "{}", msg::lang_now(self.lang));
        };
        let Some(lang) = Lang::parse(code) else {
            return writeln!(out, "{}", msg::lang_unknown(self.lang, code));
        };
        self.lang = lang;
        self.store.progress.lang = Some(lang);
        self.save();
        writeln!(out, "{}", msg::lang_switched(lang))
    }
}

/// Whether an answer to a yes/no question is yes.
fn is_no(line: &str) -> bool {
    matches!(
        line.trim().to_lowercase().as_str(),
        "n" | "no" | "아니요" | "아니오" | "아니" | "ㄴ"
    )
}

fn is_yes(line: &str) -> bool {
    matches!(
        line.trim().to_lowercase().as_str(),
        "y" | "yes" | "예" | "네" | "응" | "ㅇ"
    )
}

fn step_passed(store: &Store, lesson: &Lesson, step: &Step) -> bool {
    store.progress.step(&lesson.id, &step.id).passed
}
