//! The SSH server of every Linux instance, on russh: public-key login as the image's user
//! with the instance's key pair only, interactive shells with a PTY, and exec requests, all
//! answered by the instance's [`cloudlings_os`] operating system.
//!
//! A connection arrives here already through the network: the gateway has found the
//! instance and its security groups have admitted the connection.

use std::collections::HashMap;
use std::net::Ipv4Addr;
use std::sync::Arc;
use std::time::Duration;

use russh::keys::ssh_key::PublicKey;
use russh::server::{Auth, ChannelOpenHandle, Msg, PublicKeyOffer, Session, VerifiedPublicKey};
use russh::{Channel, ChannelId, MethodKind, MethodSet, SshId};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_util::sync::CancellationToken;

use super::machine;
use super::net::{self, Host};
use super::state::World;
use cloudlings_os::{self as guest, Event, LineEditor};

/// Longest line a session without a terminal may send before it is cut into a command.
const MAX_LINE: usize = 64 * 1024;
/// How long a wrong key takes to be refused: constant, so timing tells nothing.
const REJECTION_TIME: Duration = Duration::from_millis(200);

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
    let state = world.lock();
    let (instance, _) = net::instance_of(&state, host)?;
    let user = machine::login_user(instance, &host.region)?;
    let authorized = instance
        .public_key
        .as_deref()
        .and_then(|key| PublicKey::from_openssh(key).ok());
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
        keys: vec![machine::host_key(&state, &host.instance)],
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
}

/// A session channel: its terminal, if one was asked for, and the login behind it.
#[derive(Default)]
struct Terminal {
    pty: bool,
    /// The terminal's width, from the PTY request and window changes (0: none given).
    columns: u32,
    editor: LineEditor,
    shell: Option<guest::Session>,
    prompt: String,
    /// Input of a session without a terminal, not yet a whole line.
    pending: Vec<u8>,
    status: i32,
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

    /// Runs a line on the channel's shell and sends what it printed.
    async fn run_line(
        &mut self,
        channel: ChannelId,
        line: String,
        session: &mut Session,
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
        _rows: u32,
        _pixel_width: u32,
        _pixel_height: u32,
        _modes: &[(russh::Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        match self.channels.get_mut(&channel) {
            Some(terminal) => {
                terminal.pty = true;
                terminal.columns = columns;
                session.channel_success(channel)
            }
            None => session.channel_failure(channel),
        }
    }

    async fn window_change_request(
        &mut self,
        channel: ChannelId,
        columns: u32,
        _rows: u32,
        _pixel_width: u32,
        _pixel_height: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        // The guest prints lines, never full screens: only `ls` cares, for its columns.
        if let Some(terminal) = self.channels.get_mut(&channel) {
            terminal.columns = columns;
            if let Some(shell) = terminal.shell.as_mut() {
                shell.resize(columns);
            }
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
        if !terminal.pty {
            login.session = login.session.without_terminal();
        }
        if terminal.pty {
            let greeting = format!("{}{}", guest::crlf(&login.banner), login.prompt);
            session.data(channel, greeting.into_bytes())?;
        }
        terminal.editor.set_prompt(&login.prompt);
        terminal.prompt = login.prompt;
        let mut shell = login.session;
        if terminal.columns > 0 {
            shell.resize(terminal.columns);
        }
        terminal.shell = Some(shell);
        Ok(())
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
        terminal.shell = Some(if terminal.pty {
            login.session
        } else {
            login.session.without_terminal()
        });
        let command = String::from_utf8_lossy(data).into_owned();
        match self.run_line(channel, command, session).await? {
            After::Down => Ok(()),
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
        let Some(terminal) = self.channels.get_mut(&channel) else {
            return Ok(());
        };
        if terminal.shell.is_none() {
            return Ok(());
        }
        let mut lines = Vec::new();
        let mut eof = false;
        if terminal.pty {
            for event in terminal.editor.feed(data) {
                match event {
                    Event::Echo(bytes) => session.data(channel, bytes)?,
                    Event::Line(line) => lines.push(line),
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
                        eof = true;
                        break;
                    }
                }
            }
        } else {
            terminal.pending.extend_from_slice(data);
            while let Some(end) = terminal.pending.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = terminal.pending.drain(..=end).collect();
                lines.push(String::from_utf8_lossy(&line[..end]).into_owned());
            }
            if terminal.pending.len() > MAX_LINE {
                let line: Vec<u8> = std::mem::take(&mut terminal.pending);
                lines.push(String::from_utf8_lossy(&line).into_owned());
            }
        }
        for line in lines {
            match self.run_line(channel, line, session).await? {
                After::Go => {}
                After::Exit => return self.finish(channel, session),
                After::Down => return Ok(()),
            }
        }
        if eof {
            session.data(channel, b"logout\r\n".to_vec())?;
            return self.finish(channel, session);
        }
        Ok(())
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
            if self.run_line(channel, line, session).await? == After::Down {
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
