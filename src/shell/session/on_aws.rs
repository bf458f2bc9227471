//! The session's commands on `--target aws`: the cost guard's question, `bill` as an estimate,
//! `cleanup`, `myip` from checkip.amazonaws.com, and the warning on `quit`.

use std::io::{self, IsTerminal, Write};

use super::{Pending, Session};
use crate::aws_target::cleanup::{self, Scope};
use crate::aws_target::messages as aws_msg;
use crate::aws_target::{Account, journal, spend};
use crate::shell::command::CleanupScope;
use crate::shell::messages as msg;

/// Where `myip` asks on AWS; tests point it at a server of their own.
const CHECKIP: &str = "http://checkip.amazonaws.com/";

impl Session {
    /// Puts the session on an AWS account: its `aws` goes through the cost guard and tags,
    /// `bill` estimates, `cleanup` deletes.
    pub fn with_account(mut self, account: Account) -> Session {
        self.account = Some(account);
        self
    }

    /// `aws …`, through the guard when on AWS.
    pub(super) fn aws(&mut self, words: &[String], out: &mut dyn Write) -> io::Result<()> {
        let lesson = self.here().map(|(lesson, _, _)| lesson.id.clone());
        if let Some(account) = self.account.as_mut() {
            account.lesson = lesson;
        }
        let mut context = crate::shell::aws::Context {
            target: self.probes.target.as_ref(),
            files: &self.probes.files,
            lang: self.lang,
            style: self.style,
            account: self.account.as_mut(),
            terminal: self.terminal,
        };
        let status = crate::shell::aws::run(words, &mut context, out)?;
        if let Some(question) = self.account.as_mut().and_then(Account::take_question) {
            self.pending = Some(Pending::Spend(question));
            return Ok(());
        }
        self.finished(status, out)
    }

    /// The answer to the cost guard's question.
    pub(super) fn spend(
        &mut self,
        words: Vec<String>,
        yes: bool,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        match self.account.as_mut() {
            Some(account) if yes => {
                account.confirm(words.clone());
                self.aws(&words, out)
            }
            _ => {
                writeln!(out, "{}", aws_msg::declined(self.lang))?;
                self.finished(1, out)
            }
        }
    }

    /// `bill` on AWS: this session's estimated spend.
    pub(super) fn aws_bill(&self, account: &Account, out: &mut dyn Write) -> io::Result<()> {
        let estimate = spend::estimate(&account.journal, &account.session, journal::now());
        let hourly = estimate.hourly(&account.journal);
        writeln!(
            out,
            "{}",
            aws_msg::bill(self.lang, &account.session, &estimate, hourly)
        )
    }

    /// `cleanup`: deletes what the sessions asked for made.
    pub(super) fn cleanup(&mut self, scope: CleanupScope, out: &mut dyn Write) -> io::Result<()> {
        let lang = self.lang;
        let (Some(account), Some(target)) = (self.account.as_mut(), self.probes.target.as_ref())
        else {
            writeln!(out, "{}", aws_msg::only_on_aws(lang))?;
            return self.finished(1, out);
        };
        let scope = match scope {
            CleanupScope::ThisSession => Scope::Session(account.session.clone()),
            CleanupScope::Session(id) => Scope::Session(id),
            CleanupScope::All => Scope::All,
        };
        let config = target.sdk_config();
        let terminal = self.terminal && io::stdout().is_terminal();
        let keep = account.caller.user_name().map(str::to_string);
        let ran = cleanup::run(
            &config,
            &mut account.journal,
            &scope,
            lang,
            keep.as_deref(),
            terminal,
            out,
        )?;
        let status = match ran {
            Ok(report) if report.failed.is_empty() => 0,
            _ => 1,
        };
        self.finished(status, out)
    }

    /// `myip` on AWS: the address AWS sees, as checkip.amazonaws.com tells it. Remembered as
    /// `{myip}` for the lessons.
    pub(super) fn aws_myip(&mut self, out: &mut dyn Write) -> io::Result<()> {
        match public_address(&self.probes) {
            Some(address) => {
                self.probes
                    .bindings
                    .insert("myip".to_string(), address.clone());
                writeln!(out, "{address}")?;
                writeln!(
                    out,
                    "{}",
                    self.style.dim(&msg::myip_hint(self.lang, &address))
                )
            }
            None => {
                writeln!(
                    out,
                    "{}",
                    aws_msg::checkip_failed(self.lang, &checkip_url())
                )?;
                self.finished(1, out)
            }
        }
    }

    /// On `quit`: whether to leave now. The first `quit` with billable resources left lists
    /// them and offers `cleanup`; a second one leaves.
    pub(super) fn may_leave(&mut self, out: &mut dyn Write) -> io::Result<bool> {
        if self.quit_warned {
            return Ok(true);
        }
        let (Some(account), Some(target)) = (self.account.as_mut(), self.probes.target.as_ref())
        else {
            return Ok(true);
        };
        let config = target.sdk_config();
        let keep = account.caller.user_name().map(str::to_string);
        let left = match cleanup::inventory(
            &config,
            &mut account.journal,
            &Scope::Journal,
            keep.as_deref(),
        ) {
            Ok(inventory) => inventory.found,
            // The account cannot be asked: nothing to say that would be true.
            Err(_) => return Ok(true),
        };
        if !left.iter().any(|item| item.kind.billable()) {
            return Ok(true);
        }
        self.quit_warned = true;
        writeln!(out, "{}", aws_msg::quit_warning(self.lang, &left))?;
        Ok(false)
    }
}

fn checkip_url() -> String {
    std::env::var("CLOUDLINGS_CHECKIP_URL").unwrap_or_else(|_| CHECKIP.to_string())
}

/// The learner's public address, from checkip.amazonaws.com (or `CLOUDLINGS_CHECKIP_URL`).
pub fn public_address(probes: &crate::check::Context) -> Option<String> {
    let url = checkip_url();
    // The shell's own question, not a lesson's: its host is in reach whatever it is.
    let mut probes = probes.clone();
    let host = url
        .strip_prefix("http://")
        .and_then(|rest| rest.split(['/', ':']).next())
        .unwrap_or_default();
    probes.reach.hosts.push(host.to_string());
    let answer = crate::check::Probe::Http(url).observe(&probes).ok()?;
    if answer["status"].as_u64() != Some(200) {
        return None;
    }
    let text = answer["text"].as_str()?.trim();
    text.parse::<std::net::IpAddr>()
        .ok()
        .map(|address| address.to_string())
}
