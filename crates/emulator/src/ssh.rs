//! The SSH server of every Linux instance, on russh: public-key login as the image's user
//! with the instance's key pair only, interactive shells with a PTY, and exec requests, all
//! answered by the instance's [`cloudlings_os`] operating system.
//!
//! A connection arrives here already through the network: the gateway has found the
//! instance and its security groups have admitted the connection.
//!
//! # Programs that hold the terminal
//!
//! A line usually runs and returns. When it starts a program that keeps the terminal
//! (`sleep`, `nano`, `top`, `ping`), the session goes to a task of its own ([`hold`]) that
//! feeds it the keys typed and wakes it when it asks for time to pass, until the program
//! ends; then the session comes back to the connection's handler and lines resume. Keys typed
//! while the session is coming back are handed back with it, so none is lost.

use std::collections::HashMap;
use std::net::Ipv4Addr;
use std::sync::Arc;
use std::time::Duration;

use russh::keys::ssh_key::PublicKey;
use russh::server::{Auth, ChannelOpenHandle, Msg, PublicKeyOffer, Session, VerifiedPublicKey};
use russh::{Channel, ChannelId, MethodKind, MethodSet, SshId};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;

use super::machine;
use super::net::{self, Host};
use super::state::World;
use cloudlings_os::{self as guest, Event, LineEditor};

/// Longest line a session without a terminal may send before it is cut into a command.
const MAX_LINE: usize = 64 * 1024;
/// How long a wrong key takes to be refused: constant, so timing tells nothing.
const REJECTION_TIME: Duration = Duration::from_millis(200);
/// The longest a program holding the terminal sleeps between looks at the clock, so that a
/// clock moved on from outside (`cloudlings clock advance`) is noticed soon.
const LONGEST_NAP: Duration = Duration::from_secs(1);
/// The shortest, so a program that is always due cannot spin.
const SHORTEST_NAP: Duration = Duration::from_millis(10);
/// Packets of keys queued for a program holding the terminal; past it keys are dropped, as a
/// terminal's input buffer overflows, so a flood cannot grow without bound.
const KEYS_QUEUED: usize = 256;

/// Serves one SSH connection to `host` until the client leaves or `link` is cancelled (the
/// instance stopped, rebooted or terminated).
pub async fn serve<S>(
    world: Arc<World>,
    host: Host,
    from: Ipv4Addr,
    stream: S,
    link: CancellationToken,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let Some((config, handler)) = prepare(&world, &host, from) else {
        return;
    };
    let running = match russh::server::run_stream(Arc::new(config), stream, handler).await {
        Ok(running) => running,
        Err(error) => {
            tracing::debug!(%error, instance = %host.instance, "ssh handshake failed");
            return;
        }
    };
    let handle = running.handle();
    tokio::pin!(running);
    tokio::select! {
        ended = &mut running => {
            if let Err(error) = ended {
                tracing::debug!(%error, instance = %host.instance, "ssh session ended");
            }
        }
        () = link.cancelled() => {
            // As sshd does when the machine goes down: tell the client, then hang up.
            let _ = handle
                .disconnect(
                    russh::Disconnect::ByApplication,
                    "The system is going down".into(),
                    String::new(),
                )
                .await;
            let _ = tokio::time::timeout(Duration::from_secs(1), running).await;
        }
    }
}

/// The server's configuration and the connection's handler, from the instance's state.
fn prepare(
    world: &Arc<World>,
    host: &Host,
    from: Ipv4Addr,
) -> Option<(russh::server::Config, Instance)> {
    let (user, authorized) = net::with_instance(world, host, |instance, _| {
        let user = machine::login_user(instance, &host.region)?;
        let authorized = instance
            .public_key
            .as_deref()
            .and_then(|key| PublicKey::from_openssh(key).ok());
        Some((user, authorized))
    })??;
    let version = if user == "ubuntu" {
        "SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13.5"
    } else {
        "SSH-2.0-OpenSSH_8.7"
    };
    let config = russh::server::Config {
        server_id: SshId::Standard(version.into()),
        methods: MethodSet::from(&[MethodKind::PublicKey][..]),
        auth_rejection_time: REJECTION_TIME,
        // OpenSSH asks with "none" first to learn the methods: no reason to make it wait.
        auth_rejection_time_initial: Some(Duration::ZERO),
        keys: vec![machine::host_key(
            &machine::root_secret(world),
            &host.instance,
        )],
        max_auth_attempts: 6,
        inactivity_timeout: Some(Duration::from_secs(3600)),
        nodelay: true,
        ..Default::default()
    };
    let handler = Instance {
        world: world.clone(),
        host: host.clone(),
        from: from.to_string(),
        user,
        authorized,
        channels: HashMap::new(),
    };
    Some((config, handler))
}

/// One SSH connection to an instance.
struct Instance {
    world: Arc<World>,
    host: Host,
    /// The address the client connects from, for "Last login: … from …".
    from: String,
    user: &'static str,
    /// The key pair the instance was launched with; without one, nobody logs in.
    authorized: Option<PublicKey>,
    channels: HashMap<ChannelId, Terminal>,
}

/// What a session does after a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum After {
    /// Reads the next line.
    Go,
    /// The shell ended: the channel closes with its status.
    Exit,
    /// The machine is going down (`sudo reboot`): the connection drops, nothing is said.
    Down,
    /// A program holds the terminal: further input goes to it.
    Held,
}

/// A session channel: its terminal, if one was asked for, and the login behind it.
#[derive(Default)]
struct Terminal {
    pty: bool,
    /// The terminal's size, from the PTY request and window changes (0: none given).
    columns: u32,
    rows: u32,
    editor: LineEditor,
    shell: Option<guest::Session>,
    /// While a program holds the terminal, the task running it has the session.
    foreground: Option<Foreground>,
    prompt: String,
    /// Input of a session without a terminal, not yet a whole line.
    pending: Vec<u8>,
    status: i32,
    /// The language the client asked for (`LANG`), for the emulation's notes.
    notes: guest::NoteLang,
}

/// The handler's side of a program holding the terminal.
struct Foreground {
    keys: mpsc::Sender<Vec<u8>>,
    /// The session once the program ended; dropped unsent if the channel closed instead.
    back: oneshot::Receiver<Returned>,
}

/// A session coming back from a program that held the terminal.
struct Returned {
    session: guest::Session,
    prompt: String,
    status: i32,
    /// Keys typed after the program ended, for the prompt.
    typed: Vec<u8>,
}

impl Terminal {
    /// Gives the shell the terminal's size.
    fn size_shell(&mut self) {
        if let Some(shell) = self.shell.as_mut()
            && self.columns > 0
        {
            if self.rows > 0 {
                shell.resize_screen(self.columns, self.rows);
            } else {
                shell.resize(self.columns);
            }
        }
        self.editor
            .set_columns(usize::try_from(self.columns).unwrap_or(80));
    }
}

impl Instance {
    /// The image's user with the instance's key pair logs in; nobody else, by no other means.
    fn decide(&self, user: &str, key: &PublicKey) -> Auth {
        let admitted = user == self.user
            && self
                .authorized
                .as_ref()
                .is_some_and(|authorized| authorized.key_data() == key.key_data());
        if admitted {
            Auth::Accept
        } else {
            Auth::reject()
        }
    }

    /// Runs a line on the channel's shell and sends what it printed. `is_shell` says the
    /// channel is an interactive shell, which goes on after a program that held the terminal
    /// (an exec request ends with it).
    async fn run_line(
        &mut self,
        channel: ChannelId,
        line: String,
        session: &mut Session,
        is_shell: bool,
    ) -> Result<After, russh::Error> {
        let Some(terminal) = self.channels.get_mut(&channel) else {
            return Ok(After::Exit);
        };
        let Some(shell) = terminal.shell.take() else {
            return Ok(After::Exit);
        };
        let Some(ran) = machine::run(&self.world, &self.host, shell, line).await else {
            return Ok(After::Exit);
        };
        let Some(terminal) = self.channels.get_mut(&channel) else {
            return Ok(After::Exit);
        };
        if ran.outcome.power.is_some() {
            // The machine is going down and takes the connection with it: no clean exit.
            let output = guest::crlf(&ran.outcome.output);
            session.data(channel, output.into_bytes())?;
            return Ok(After::Down);
        }
        if ran.session.busy() {
            // The program draws its own screen; the prompt waits until it ends.
            let output = guest::crlf(&ran.outcome.output);
            if !output.is_empty() {
                session.data(channel, output.into_bytes())?;
            }
            let (keys, receiver) = mpsc::channel(KEYS_QUEUED);
            let (sender, back) = oneshot::channel();
            let held = Held {
                world: self.world.clone(),
                host: self.host.clone(),
                channel,
                handle: session.handle(),
                keys: receiver,
                back: sender,
                close_after: !is_shell,
            };
            tokio::spawn(hold(held, ran.session, ran.wake));
            terminal.foreground = Some(Foreground { keys, back });
            return Ok(After::Held);
        }
        terminal.status = ran.outcome.status;
        terminal.editor.set_prompt(&ran.prompt);
        terminal.prompt = ran.prompt;
        terminal.shell = Some(ran.session);
        let mut output = ran.outcome.output;
        if terminal.pty {
            output = guest::crlf(&output);
            if !ran.outcome.exit {
                output.push_str(&terminal.prompt);
            }
        }
        if !output.is_empty() {
            session.data(channel, output.into_bytes())?;
        }
        Ok(if ran.outcome.exit {
            After::Exit
        } else {
            After::Go
        })
    }

    /// Ends a channel as a shell's exit does: its status, then end of file and close.
    fn finish(&mut self, channel: ChannelId, session: &mut Session) -> Result<(), russh::Error> {
        let status = self
            .channels
            .remove(&channel)
            .map_or(0, |terminal| terminal.status);
        session.exit_status_request(channel, u32::try_from(status).unwrap_or(255))?;
        session.eof(channel)?;
        session.close(channel)
    }
}

impl russh::server::Handler for Instance {
    type Error = russh::Error;

    async fn auth_publickey_offered(
        &mut self,
        user: &str,
        offer: PublicKeyOffer<'_>,
    ) -> Result<Auth, Self::Error> {
        Ok(self.decide(user, offer.public_key))
    }

    async fn auth_publickey(
        &mut self,
        user: &str,
        key: VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        Ok(self.decide(user, key.public_key))
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.channels.insert(channel.id(), Terminal::default());
        reply.accept().await;
        Ok(())
    }

    async fn pty_request(
        &mut self,
        channel: ChannelId,
        _term: &str,
        columns: u32,
        rows: u32,
        _pixel_width: u32,
        _pixel_height: u32,
        _modes: &[(russh::Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        match self.channels.get_mut(&channel) {
            Some(terminal) => {
                terminal.pty = true;
                terminal.columns = columns;
                terminal.rows = rows;
                session.channel_success(channel)
            }
            None => session.channel_failure(channel),
        }
    }

    async fn window_change_request(
        &mut self,
        channel: ChannelId,
        columns: u32,
        rows: u32,
        _pixel_width: u32,
        _pixel_height: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        // `ls` fills the width, full-screen programs the whole screen (from their next
        // start: one that runs keeps the size it started with).
        if let Some(terminal) = self.channels.get_mut(&channel) {
            terminal.columns = columns;
            terminal.rows = rows;
            terminal.size_shell();
        }
        Ok(())
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let Some(mut login) = machine::login(&self.world, &self.host, &self.from) else {
            return session.channel_failure(channel);
        };
        let Some(terminal) = self.channels.get_mut(&channel) else {
            return session.channel_failure(channel);
        };
        session.channel_success(channel)?;
        login.session = login.session.with_notes(terminal.notes);
        if !terminal.pty {
            login.session = login.session.without_terminal();
        }
        if terminal.pty {
            let greeting = format!("{}{}", guest::crlf(&login.banner), login.prompt);
            session.data(channel, greeting.into_bytes())?;
        }
        terminal.editor.set_prompt(&login.prompt);
        terminal.prompt = login.prompt;
        terminal.shell = Some(login.session);
        terminal.size_shell();
        Ok(())
    }

    /// The client's locale (OpenSSH sends `LANG`; cloudlings' client its own variable) sets the
    /// language of the emulation's notes. Other variables are refused, as sshd's default
    /// `AcceptEnv` does.
    async fn env_request(
        &mut self,
        channel: ChannelId,
        variable_name: &str,
        variable_value: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let asked = guest::NoteLang::from_env(variable_name, variable_value);
        match (asked, self.channels.get_mut(&channel)) {
            (Some(lang), Some(terminal)) => {
                terminal.notes = lang;
                session.channel_success(channel)
            }
            _ => session.channel_failure(channel),
        }
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let Some(login) = machine::login(&self.world, &self.host, &self.from) else {
            return session.channel_failure(channel);
        };
        let Some(terminal) = self.channels.get_mut(&channel) else {
            return session.channel_failure(channel);
        };
        session.channel_success(channel)?;
        let login_session = login.session.with_notes(terminal.notes);
        terminal.shell = Some(if terminal.pty {
            login_session
        } else {
            login_session.without_terminal()
        });
        terminal.size_shell();
        let command = String::from_utf8_lossy(data).into_owned();
        match self.run_line(channel, command, session, false).await? {
            // The program's task ends the channel when the program ends.
            After::Down | After::Held => Ok(()),
            After::Go | After::Exit => self.finish(channel, session),
        }
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        _name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        // No sftp: the instance's files live in the emulator, not on a disk to copy from.
        session.channel_failure(channel)
    }

    async fn data(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let mut input = data.to_vec();
        loop {
            let Some(terminal) = self.channels.get_mut(&channel) else {
                return Ok(());
            };
            if let Some(foreground) = terminal.foreground.take() {
                let keys = match foreground.keys.try_send(input) {
                    Ok(()) | Err(mpsc::error::TrySendError::Full(_)) => {
                        terminal.foreground = Some(foreground);
                        return Ok(());
                    }
                    Err(mpsc::error::TrySendError::Closed(keys)) => keys,
                };
                // The program has just ended: take the session back, then these keys.
                let Ok(returned) = foreground.back.await else {
                    self.channels.remove(&channel);
                    return Ok(());
                };
                let Some(terminal) = self.channels.get_mut(&channel) else {
                    return Ok(());
                };
                terminal.status = returned.status;
                terminal.editor.set_prompt(&returned.prompt);
                terminal.prompt = returned.prompt;
                terminal.shell = Some(returned.session);
                terminal.size_shell();
                input = returned.typed;
                input.extend(keys);
                continue;
            }
            if terminal.shell.is_none() {
                return Ok(());
            }
            if terminal.pty {
                let (events, used) = {
                    let Terminal { editor, shell, .. } = &mut *terminal;
                    let (world, host) = (&self.world, &self.host);
                    let mut complete = |before: &str| match shell.as_ref() {
                        Some(shell) => machine::complete(world, host, shell, before),
                        None => Vec::new(),
                    };
                    editor.feed_line(&input, &mut complete)
                };
                input.drain(..used);
                for event in events {
                    let Some(terminal) = self.channels.get_mut(&channel) else {
                        return Ok(());
                    };
                    match event {
                        Event::Echo(bytes) => session.data(channel, bytes)?,
                        Event::Line(line) => {
                            match self.run_line(channel, line, session, true).await? {
                                After::Go | After::Held => {}
                                After::Exit => return self.finish(channel, session),
                                After::Down => return Ok(()),
                            }
                        }
                        Event::Interrupt => {
                            // Ctrl-C drops the line, or a question a command was asking.
                            if let Some(shell) = terminal.shell.as_mut() {
                                terminal.status = shell.interrupt().status;
                            }
                            let prompt = terminal
                                .shell
                                .as_ref()
                                .and_then(|shell| machine::prompt(&self.world, &self.host, shell));
                            if let Some(prompt) = prompt {
                                terminal.editor.set_prompt(&prompt);
                                terminal.prompt = prompt;
                            }
                            session.data(channel, terminal.prompt.clone().into_bytes())?;
                        }
                        Event::Eof => {
                            session.data(channel, b"logout\r\n".to_vec())?;
                            return self.finish(channel, session);
                        }
                    }
                }
                if input.is_empty() {
                    return Ok(());
                }
                continue;
            }
            let mut lines = Vec::new();
            terminal.pending.extend_from_slice(&input);
            while let Some(end) = terminal.pending.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = terminal.pending.drain(..=end).collect();
                lines.push(String::from_utf8_lossy(&line[..end]).into_owned());
            }
            if terminal.pending.len() > MAX_LINE {
                let line: Vec<u8> = std::mem::take(&mut terminal.pending);
                lines.push(String::from_utf8_lossy(&line).into_owned());
            }
            for line in lines {
                match self.run_line(channel, line, session, true).await? {
                    After::Go | After::Held => {}
                    After::Exit => return self.finish(channel, session),
                    After::Down => return Ok(()),
                }
            }
            return Ok(());
        }
    }

    async fn channel_eof(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        // A session without a terminal ends when its input does, as `bash < script` does.
        let Some(terminal) = self.channels.get_mut(&channel) else {
            return Ok(());
        };
        if terminal.pty || terminal.shell.is_none() {
            return Ok(());
        }
        let rest = std::mem::take(&mut terminal.pending);
        if !rest.is_empty() {
            let line = String::from_utf8_lossy(&rest).into_owned();
            if self.run_line(channel, line, session, true).await? == After::Down {
                return Ok(());
            }
        }
        self.finish(channel, session)
    }

    async fn channel_close(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.channels.remove(&channel);
        Ok(())
    }
}

/// What the task running a program that holds the terminal needs.
struct Held {
    world: Arc<World>,
    host: Host,
    channel: ChannelId,
    handle: russh::server::Handle,
    keys: mpsc::Receiver<Vec<u8>>,
    back: oneshot::Sender<Returned>,
    /// The channel ends with the program (an exec request's `ssh -t host top`).
    close_after: bool,
}

/// Runs a program holding the terminal: the keys typed go to it, and it is woken when it
/// asks for time to pass, until it ends. Then the rest of its line has run, and the session
/// goes back to the handler with the next prompt shown, or the channel ends.
async fn hold(mut held: Held, mut shell: guest::Session, mut wake: Option<Duration>) {
    let channel = held.channel;
    loop {
        let input = tokio::select! {
            keys = held.keys.recv() => match keys {
                Some(keys) => machine::Input::Keys(keys),
                // The channel closed under the program.
                None => return,
            },
            () = nap(wake) => machine::Input::Tick,
        };
        let Some(ran) = machine::drive(&held.world, &held.host, shell, input).await else {
            let _ = held.handle.close(channel).await;
            return;
        };
        shell = ran.session;
        wake = ran.wake;
        let mut output = guest::crlf(&ran.outcome.output);
        if ran.outcome.power.is_some() || shell.busy() {
            // Still running; or the machine is going down and takes the connection along.
            if !output.is_empty()
                && held
                    .handle
                    .data(channel, output.into_bytes())
                    .await
                    .is_err()
            {
                return;
            }
            if ran.outcome.power.is_some() {
                return;
            }
            continue;
        }
        if ran.outcome.exit || held.close_after {
            let status = u32::try_from(ran.outcome.status).unwrap_or(255);
            let _ = held.handle.data(channel, output.into_bytes()).await;
            let _ = held.handle.exit_status_request(channel, status).await;
            let _ = held.handle.eof(channel).await;
            let _ = held.handle.close(channel).await;
            return;
        }
        output.push_str(&ran.prompt);
        let _ = held.handle.data(channel, output.into_bytes()).await;
        held.keys.close();
        let mut typed = Vec::new();
        while let Ok(keys) = held.keys.try_recv() {
            typed.extend(keys);
        }
        let _ = held.back.send(Returned {
            session: shell,
            prompt: ran.prompt,
            status: ran.outcome.status,
            typed,
        });
        return;
    }
}

/// Sleeps until a program's next wake-up, bounded both ways; forever when it wants none.
async fn nap(wake: Option<Duration>) {
    match wake {
        Some(wake) => tokio::time::sleep(wake.clamp(SHORTEST_NAP, LONGEST_NAP)).await,
        None => std::future::pending().await,
    }
}
