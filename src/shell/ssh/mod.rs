//! An SSH client for the emulated network and the real one, with OpenSSH's behaviour and words.
//!
//! The shell's `ssh` command is built on this module, and tests and other modules use it
//! directly: [`connect`] does the whole login in one call, while [`Handshake`] exposes the steps
//! the shell needs to stop between (the host key question waits for the learner's next line).
//!
//! A connection first asks the emulator's endpoint for a tunnel ([`cloudlings_emulator::net::dial`]);
//! a host the emulator does not know is dialled directly, so the same command works against a
//! real EC2 instance. Every error displays as OpenSSH prints it, because that is what learners
//! will search for later.
//!
//! The protocol is russh's, the SSH implementation the emulated instances serve with: pure Rust,
//! so the binary needs no OpenSSL or libssh2 on the learner's machine and builds the same for
//! every platform. Its futures run on the client's own runtime ([`blocking`]); a channel's
//! messages are forwarded to the caller's thread, which reads them when it likes, and on Unix a
//! socket pair rings for each one so that a terminal loop can `poll` for it beside the keyboard.

pub mod args;
mod blocking;
pub mod identity;
pub mod known_hosts;
#[cfg(unix)]
pub mod terminal;

use std::io::{self, Write};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use russh::client::{self, AuthResult};
use russh::keys::{PrivateKeyWithHashAlg, PublicKeyOrCertificate, ssh_key::PublicKey};
use russh::{ChannelMsg, ChannelWriteHalf};
use tokio::sync::mpsc::{self, error::TryRecvError};

pub use crate::network::{Emulated, Network, OpenError, Socket, open};
pub use known_hosts::{HostKey, KnownHosts, Verdict};

/// How long one protocol exchange may take once connected.
const PROTOCOL_TIMEOUT: Duration = Duration::from_secs(30);
/// The most output [`Connection::exec`] keeps in memory.
pub const MAX_OUTPUT: usize = 16 * 1024 * 1024;
/// How many of a channel's messages wait for the caller before the remote is held back (SSH's
/// window then stops it sending).
const WAITING_MESSAGES: usize = 16;

/// A host and port to connect to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub host: String,
    pub port: u16,
}

impl Target {
    pub fn new(host: &str, port: u16) -> Target {
        Target {
            host: host.to_ascii_lowercase(),
            port,
        }
    }
}

/// What went wrong, displayed as OpenSSH prints it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("ssh: Could not resolve hostname {host}: {reason}")]
    Resolve { host: String, reason: String },
    #[error("ssh: connect to host {host} port {port}: {reason}")]
    Connect {
        host: String,
        port: u16,
        reason: String,
    },
    #[error("Connection closed by {address} port {port}")]
    Closed { address: String, port: u16 },
    #[error("Host key verification failed.")]
    HostKey,
    #[error("{user}@{host}: Permission denied ({methods}).")]
    Denied {
        user: String,
        host: String,
        methods: String,
    },
    #[error("Connection to {host} closed by remote host.")]
    Lost { host: String },
    /// Ctrl-C while connecting: OpenSSH dies of the signal without a word.
    #[error("")]
    Interrupted,
}

impl Error {
    /// The exit status OpenSSH ends with after this error.
    pub fn status(&self) -> i32 {
        match self {
            Error::Interrupted => crate::interrupt::STATUS,
            _ => 255,
        }
    }
}

/// The client's side of the protocol's callbacks: it keeps the host key the server proved it
/// holds, and lets the key exchange finish, so that the caller judges the key (and may ask the
/// learner about it) before any credential is offered, as OpenSSH does.
#[derive(Debug, Default)]
struct Client {
    host_key: Arc<Mutex<Vec<u8>>>,
}

impl client::Handler for Client {
    type Error = russh::Error;

    async fn check_server_key(
        &mut self,
        key: &PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        let blob = match key {
            PublicKeyOrCertificate::PublicKey { key, .. } => key.to_bytes(),
            PublicKeyOrCertificate::Certificate(certificate) => {
                PublicKey::from(certificate.public_key().clone()).to_bytes()
            }
        };
        *self.host_key.lock().unwrap_or_else(PoisonError::into_inner) = blob.unwrap_or_default();
        Ok(true)
    }
}

/// A session whose keys are exchanged but whose user is not yet authenticated: the host key
/// can be checked (and the learner asked about it) before any credential is offered.
pub struct Handshake {
    handle: client::Handle<Client>,
    host_key: Vec<u8>,
    authenticated: bool,
    pub target: Target,
    pub address: String,
}

impl std::fmt::Debug for Handshake {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Handshake")
            .field("target", &self.target)
            .field("address", &self.address)
            .finish_non_exhaustive()
    }
}

impl Handshake {
    /// Connects and exchanges keys.
    pub fn start(
        network: &Network,
        target: &Target,
        timeout: Option<Duration>,
    ) -> Result<Handshake, Error> {
        let socket = open(network, &target.host, target.port, timeout).map_err(|error| {
            let host = target.host.clone();
            let port = target.port;
            match error {
                OpenError::Resolve(reason) => Error::Resolve { host, reason },
                OpenError::Refused => Error::Connect {
                    host,
                    port,
                    reason: "Connection refused".to_string(),
                },
                OpenError::TimedOut => Error::Connect {
                    host,
                    port,
                    reason: "Connection timed out".to_string(),
                },
                OpenError::Other(reason) => Error::Connect { host, port, reason },
                OpenError::Interrupted => Error::Interrupted,
            }
        })?;
        Handshake::over(socket, target)
    }

    /// Exchanges keys over a connection already made (by [`open`] or by a caller's own means).
    pub fn over(socket: Socket, target: &Target) -> Result<Handshake, Error> {
        let Socket { stream, address } = socket;
        let closed = || Error::Closed {
            address: address.clone(),
            port: target.port,
        };
        let stream = blocking::adopt(stream).map_err(|_| closed())?;
        // Keys arrive one by one at a terminal: each goes out at once.
        let _ = stream.set_nodelay(true);
        let config = Arc::new(client::Config::default());
        let client = Client::default();
        let host_key = Arc::clone(&client.host_key);
        let handle = match blocking::wait(
            PROTOCOL_TIMEOUT,
            client::connect_stream(config, stream, client),
        ) {
            Some(Ok(handle)) => handle,
            Some(Err(error)) => {
                tracing::debug!(%error, "ssh handshake failed");
                return Err(closed());
            }
            None => return Err(closed()),
        };
        let host_key =
            std::mem::take(&mut *host_key.lock().unwrap_or_else(PoisonError::into_inner));
        Ok(Handshake {
            handle,
            host_key,
            authenticated: false,
            target: target.clone(),
            address,
        })
    }

    /// The key the server identified itself with.
    pub fn host_key(&self) -> HostKey {
        HostKey::new(self.host_key.clone())
    }

    /// The name this host is recorded under in `known_hosts`.
    pub fn known_as(&self) -> String {
        known_hosts::host_name(&self.target.host, self.target.port)
    }

    /// How OpenSSH names the host in its first-contact question: `'H (IP)'`, or with a port
    /// `'[H]:P ([IP]:P)'`.
    pub fn described(&self) -> String {
        if self.target.port == 22 {
            format!("{} ({})", self.target.host, self.address)
        } else {
            format!(
                "[{}]:{} ([{}]:{})",
                self.target.host, self.target.port, self.address, self.target.port
            )
        }
    }

    /// The authentication methods the server still accepts for `user` (`publickey`), or an
    /// empty string when the user is already in (the server accepted no authentication).
    pub fn methods(&mut self, user: &str) -> Result<String, Error> {
        match blocking::wait(PROTOCOL_TIMEOUT, self.handle.authenticate_none(user)) {
            Some(Ok(AuthResult::Success)) => {
                self.authenticated = true;
                Ok(String::new())
            }
            Some(Ok(AuthResult::Failure {
                remaining_methods, ..
            })) => Ok(remaining_methods
                .iter()
                .map(<&'static str>::from)
                .collect::<Vec<_>>()
                .join(",")),
            _ => Err(self.lost()),
        }
    }

    /// Offers a private key (PEM, OpenSSH or PuTTY format); whether the server accepted it.
    pub fn offer_key(&mut self, user: &str, private_key: &str) -> bool {
        let key = match russh::keys::decode_secret_key(private_key, None) {
            Ok(key) => Arc::new(key),
            Err(error) => {
                tracing::debug!(%error, "key unreadable");
                return false;
            }
        };
        // An RSA key signs with the strongest hash the server names, as OpenSSH picks it.
        let hash = if key.algorithm().is_rsa() {
            blocking::wait(PROTOCOL_TIMEOUT, self.handle.best_supported_rsa_hash())
                .and_then(Result::ok)
                .flatten()
                .flatten()
        } else {
            None
        };
        let offer = PrivateKeyWithHashAlg::new(key, hash);
        match blocking::wait(
            PROTOCOL_TIMEOUT,
            self.handle.authenticate_publickey(user, offer),
        ) {
            Some(Ok(AuthResult::Success)) => {
                self.authenticated = true;
                true
            }
            Some(Ok(AuthResult::Failure { .. })) => false,
            Some(Err(error)) => {
                tracing::debug!(%error, "key refused");
                false
            }
            None => false,
        }
    }

    /// The logged-in connection, or OpenSSH's "Permission denied" with the server's methods.
    pub fn finish(self, user: &str, methods: &str) -> Result<Connection, Error> {
        if !self.authenticated {
            return Err(Error::Denied {
                user: user.to_string(),
                host: self.target.host.clone(),
                methods: methods.to_string(),
            });
        }
        Ok(Connection {
            handle: self.handle,
            host: self.target.host,
            user: user.to_string(),
            language: None,
        })
    }

    fn lost(&self) -> Error {
        Error::Closed {
            address: self.address.clone(),
            port: self.target.port,
        }
    }
}

/// What [`connect`] does with the host key.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub connect_timeout: Option<Duration>,
    /// The `known_hosts` file to check and record in; `None` trusts any host key.
    pub known_hosts: Option<std::path::PathBuf>,
    /// With a `known_hosts` file: refuse unknown hosts instead of recording them.
    pub strict: bool,
}

/// Connects, checks the host key (recording a new one unless `strict`, refusing a changed
/// one) and logs in as `user` with `private_key`: a whole non-interactive login.
pub fn connect(
    network: &Network,
    target: &Target,
    user: &str,
    private_key: &str,
    options: &Options,
) -> Result<Connection, Error> {
    let mut handshake = Handshake::start(network, target, options.connect_timeout)?;
    if let Some(path) = &options.known_hosts {
        let mut known = KnownHosts::load(path).map_err(|_| Error::HostKey)?;
        let key = handshake.host_key();
        match known.check(&handshake.known_as(), &key) {
            Verdict::Known => {}
            Verdict::Unknown { .. } if !options.strict => {
                known
                    .add(&handshake.known_as(), &key)
                    .map_err(|_| Error::HostKey)?;
            }
            Verdict::Unknown { .. } | Verdict::Changed { .. } => return Err(Error::HostKey),
        }
    }
    let methods = handshake.methods(user)?;
    if !methods.is_empty() {
        handshake.offer_key(user, private_key);
    }
    handshake.finish(user, &methods)
}

/// A logged-in SSH connection.
pub struct Connection {
    handle: client::Handle<Client>,
    pub host: String,
    pub user: String,
    /// The learner's language, sent with each channel so an emulated instance writes its notes
    /// in it.
    pub language: Option<&'static str>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("host", &self.host)
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

impl Drop for Connection {
    /// Says goodbye to the server, as OpenSSH does, rather than just closing the socket.
    fn drop(&mut self) {
        let goodbye =
            self.handle
                .disconnect(russh::Disconnect::ByApplication, "disconnected by user", "");
        let _ = blocking::wait(Duration::from_secs(1), goodbye);
    }
}

/// What a remote command printed and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub status: i32,
}

/// A terminal to ask the server for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pty {
    /// `$TERM`.
    pub term: String,
    pub columns: u32,
    pub rows: u32,
}

impl Connection {
    /// Runs `command` and collects what it prints (at most [`MAX_OUTPUT`] bytes of each stream).
    pub fn exec(&self, command: &str) -> Result<Output, Error> {
        let mut stdout = Bounded::default();
        let mut stderr = Bounded::default();
        let status = self.exec_to(command, &mut stdout, &mut stderr)?;
        Ok(Output {
            stdout: stdout.0,
            stderr: stderr.0,
            status,
        })
    }

    /// Runs `command` without a terminal, streaming its output as it comes; its exit status.
    pub fn exec_to(
        &self,
        command: &str,
        stdout: &mut dyn Write,
        stderr: &mut dyn Write,
    ) -> Result<i32, Error> {
        let mut channel = self.shell(None, Some(command))?;
        channel.send_eof()?;
        loop {
            let more = channel.drain(stdout, Some(&mut *stderr), Duration::from_millis(500))?;
            if let Some(status) = more {
                return Ok(status);
            }
        }
    }

    /// Starts a login shell, or `command`, with a terminal if `pty` is given.
    pub fn shell(&self, pty: Option<&Pty>, command: Option<&str>) -> Result<Channel, Error> {
        let lost = || self.lost();
        let within = |result: Option<Result<(), russh::Error>>| match result {
            Some(Ok(())) => Ok(()),
            _ => Err(lost()),
        };
        let channel = match blocking::wait(PROTOCOL_TIMEOUT, self.handle.channel_open_session()) {
            Some(Ok(channel)) => channel,
            _ => return Err(lost()),
        };
        let (reader, writer) = channel.split();
        if let Some(code) = self.language {
            // A server that refuses the variable (sshd without `AcceptEnv LC_*`) is fine:
            // OpenSSH goes on too.
            let variable = cloudlings_core::locale::LANGUAGE_VARIABLE;
            within(blocking::wait(
                PROTOCOL_TIMEOUT,
                writer.set_env(false, variable, code),
            ))?;
        }
        if let Some(pty) = pty {
            let request = writer.request_pty(false, &pty.term, pty.columns, pty.rows, 0, 0, &[]);
            within(blocking::wait(PROTOCOL_TIMEOUT, request))?;
        }
        match command {
            Some(command) => within(blocking::wait(
                PROTOCOL_TIMEOUT,
                writer.exec(false, command),
            ))?,
            None => within(blocking::wait(
                PROTOCOL_TIMEOUT,
                writer.request_shell(false),
            ))?,
        }
        Channel::start(reader, writer, self.host.clone()).map_err(|_| lost())
    }

    fn lost(&self) -> Error {
        Error::Lost {
            host: self.host.clone(),
        }
    }
}

/// What the remote said on a channel, as the caller's thread reads it.
#[derive(Debug)]
enum Event {
    Stdout(bytes::Bytes),
    Stderr(bytes::Bytes),
    Status(u32),
    Signalled,
    /// The remote's output has ended.
    Eof,
    /// The remote closed the channel.
    Closed,
    /// The connection is gone.
    Gone,
}

impl Event {
    /// The events a client acts on; russh's others (window sizes, replies) are its own.
    fn of(message: ChannelMsg) -> Option<Event> {
        Some(match message {
            ChannelMsg::Data { data } => Event::Stdout(data),
            ChannelMsg::ExtendedData { data, ext: 1 } => Event::Stderr(data),
            ChannelMsg::ExitStatus { exit_status } => Event::Status(exit_status),
            ChannelMsg::ExitSignal { .. } => Event::Signalled,
            ChannelMsg::Eof => Event::Eof,
            ChannelMsg::Close => Event::Closed,
            _ => return None,
        })
    }
}

/// An open session channel (a shell or a command), read without blocking.
pub struct Channel {
    writer: ChannelWriteHalf<client::Msg>,
    events: mpsc::Receiver<Event>,
    #[cfg(unix)]
    bell: std::os::unix::net::UnixStream,
    host: String,
    status: Option<u32>,
    signalled: bool,
    exit: Option<i32>,
}

impl std::fmt::Debug for Channel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Channel")
            .field("host", &self.host)
            .field("exit", &self.exit)
            .finish_non_exhaustive()
    }
}

impl Channel {
    /// Forwards the channel's messages to the caller's thread, ringing the bell for each.
    fn start(
        mut reader: russh::ChannelReadHalf,
        writer: ChannelWriteHalf<client::Msg>,
        host: String,
    ) -> io::Result<Channel> {
        let (ringer, bell) = Ringer::pair()?;
        let (sender, events) = mpsc::channel(WAITING_MESSAGES);
        blocking::spawn(async move {
            while let Some(message) = reader.wait().await {
                let Some(event) = Event::of(message) else {
                    continue;
                };
                if sender.send(event).await.is_err() {
                    return;
                }
                ringer.ring();
            }
            let _ = sender.send(Event::Gone).await;
            ringer.ring();
        });
        #[cfg(not(unix))]
        let () = bell;
        Ok(Channel {
            writer,
            events,
            #[cfg(unix)]
            bell,
            host,
            status: None,
            signalled: false,
            exit: None,
        })
    }

    /// Sends bytes to the remote's standard input, waiting for window space as needed.
    pub fn send(&mut self, bytes: &[u8]) -> Result<(), Error> {
        match blocking::wait(PROTOCOL_TIMEOUT, self.writer.data(bytes)) {
            Some(Ok(())) => Ok(()),
            _ => Err(self.lost()),
        }
    }

    /// Tells the remote its input has ended (the end of a piped script, Ctrl-D on a pipe).
    pub fn send_eof(&mut self) -> Result<(), Error> {
        match blocking::wait(PROTOCOL_TIMEOUT, self.writer.eof()) {
            // An error means the remote already closed: nothing more to tell it.
            Some(_) => Ok(()),
            None => Err(self.lost()),
        }
    }

    /// Tells the remote terminal its new size.
    pub fn resize(&mut self, columns: u32, rows: u32) {
        let change = self.writer.window_change(columns, rows, 0, 0);
        let _ = blocking::wait(Duration::from_secs(1), change);
    }

    /// Copies what the remote prints to `out` (its errors to `err`, or to `out` too when
    /// `None`) until the remote ends or `wait` has passed; the exit status once it has ended.
    /// A zero `wait` copies what has already arrived.
    pub fn drain(
        &mut self,
        out: &mut dyn Write,
        err: Option<&mut dyn Write>,
        wait: Duration,
    ) -> Result<Option<i32>, Error> {
        self.pump(out, err, wait, None)
    }

    /// Like [`Channel::drain`], but returns as soon as the output has settled: nothing for
    /// `quiet` after something came, or nothing at all within `first`. Without a terminal
    /// there is no prompt to tell when a remote command is done; a pause is the best sign.
    pub fn settle(
        &mut self,
        out: &mut dyn Write,
        err: Option<&mut dyn Write>,
        first: Duration,
        quiet: Duration,
        cap: Duration,
    ) -> Result<Option<i32>, Error> {
        self.pump(out, err, cap, Some((first, quiet)))
    }

    fn pump(
        &mut self,
        out: &mut dyn Write,
        mut err: Option<&mut dyn Write>,
        wait: Duration,
        settle: Option<(Duration, Duration)>,
    ) -> Result<Option<i32>, Error> {
        if let Some(status) = self.exit {
            return Ok(Some(status));
        }
        let start = Instant::now();
        let mut last_data: Option<Instant> = None;
        let result = loop {
            let now = Instant::now();
            let left = wait.saturating_sub(now - start);
            let patience = match (settle, last_data) {
                (Some((_, quiet)), Some(at)) => left.min(quiet.saturating_sub(now - at)),
                (Some((first, _)), None) => left.min(first.saturating_sub(now - start)),
                (None, _) => left,
            };
            let Some(event) = self.next(patience) else {
                break None;
            };
            match event {
                Event::Stdout(bytes) => {
                    out.write_all(&bytes).map_err(|_| self.lost())?;
                    last_data = Some(Instant::now());
                }
                Event::Stderr(bytes) => {
                    let written = match err.as_deref_mut() {
                        Some(err) => err.write_all(&bytes),
                        None => out.write_all(&bytes),
                    };
                    written.map_err(|_| self.lost())?;
                    last_data = Some(Instant::now());
                }
                Event::Status(status) => self.status = Some(status),
                Event::Signalled => self.signalled = true,
                Event::Eof | Event::Closed => break Some(self.finish()),
                // The connection broke: the remote is gone, unless it had already said how
                // it ended.
                Event::Gone if self.status.is_some() || self.signalled => {
                    break Some(self.finish());
                }
                Event::Gone => return Err(self.lost()),
            }
        };
        out.flush().map_err(|_| self.lost())?;
        if let Some(err) = err {
            err.flush().map_err(|_| self.lost())?;
        }
        Ok(result)
    }

    /// The next event, waiting at most `patience` for one.
    fn next(&mut self, patience: Duration) -> Option<Event> {
        // The bell is silenced before looking, so a ring after this look is never missed.
        #[cfg(unix)]
        silence(&self.bell);
        match self.events.try_recv() {
            Ok(event) => Some(event),
            Err(TryRecvError::Disconnected) => Some(Event::Gone),
            Err(TryRecvError::Empty) if patience.is_zero() => None,
            Err(TryRecvError::Empty) => blocking::wait(patience, self.events.recv())
                .map(|event| event.unwrap_or(Event::Gone)),
        }
    }

    /// The exit status, once the remote has ended.
    pub fn exit_status(&self) -> Option<i32> {
        self.exit
    }

    /// Readable whenever the remote has said something, for a caller's own `poll`.
    #[cfg(unix)]
    pub fn readiness(&self) -> std::os::fd::BorrowedFd<'_> {
        std::os::fd::AsFd::as_fd(&self.bell)
    }

    /// Waits (a little) for the channel to close and settles the exit status: 255, as OpenSSH
    /// reports, when the remote ended after a signal or without saying how.
    fn finish(&mut self) -> i32 {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.next(left) {
                Some(Event::Status(status)) => self.status = Some(status),
                Some(Event::Signalled) => self.signalled = true,
                Some(Event::Closed | Event::Gone) | None => break,
                Some(_) => {}
            }
        }
        let status = match self.status {
            Some(status) if !self.signalled => i32::try_from(status).unwrap_or(255),
            _ => 255,
        };
        self.exit = Some(status);
        status
    }

    fn lost(&self) -> Error {
        Error::Lost {
            host: self.host.clone(),
        }
    }
}

/// The forwarding task's end of a channel's bell: on Unix a socket pair that tells a `poll`
/// the channel has news. The caller's end is silenced before it reads the news.
struct Ringer {
    #[cfg(unix)]
    end: std::os::unix::net::UnixStream,
}

impl Ringer {
    /// The ringer and the caller's end.
    #[cfg(unix)]
    fn pair() -> io::Result<(Ringer, std::os::unix::net::UnixStream)> {
        let (end, bell) = std::os::unix::net::UnixStream::pair()?;
        end.set_nonblocking(true)?;
        bell.set_nonblocking(true)?;
        Ok((Ringer { end }, bell))
    }

    #[cfg(not(unix))]
    fn pair() -> io::Result<(Ringer, ())> {
        Ok((Ringer {}, ()))
    }

    fn ring(&self) {
        // A full socket already rings.
        #[cfg(unix)]
        let _ = (&self.end).write(&[1]);
    }
}

/// Empties the caller's end of a bell.
#[cfg(unix)]
fn silence(bell: &std::os::unix::net::UnixStream) {
    let mut scratch = [0u8; 64];
    while matches!(io::Read::read(&mut &*bell, &mut scratch), Ok(n) if n > 0) {}
}

#[cfg(unix)]
pub(crate) fn timespec(duration: Duration) -> rustix::event::Timespec {
    rustix::event::Timespec {
        tv_sec: i64::try_from(duration.as_secs()).unwrap_or(i64::MAX),
        tv_nsec: duration.subsec_nanos().into(),
    }
}

/// A sink that keeps at most [`MAX_OUTPUT`] bytes.
#[derive(Debug, Default)]
struct Bounded(Vec<u8>);

impl Write for Bounded {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let room = MAX_OUTPUT.saturating_sub(self.0.len());
        self.0.extend_from_slice(&bytes[..bytes.len().min(room)]);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_read_as_openssh_s() {
        let host = "ec2-3-35-1-2.ap-northeast-2.compute.amazonaws.com".to_string();
        assert_eq!(
            Error::Connect {
                host: host.clone(),
                port: 22,
                reason: "Connection timed out".into()
            }
            .to_string(),
            format!("ssh: connect to host {host} port 22: Connection timed out")
        );
        assert_eq!(
            Error::Denied {
                user: "ubuntu".into(),
                host: host.clone(),
                methods: "publickey".into()
            }
            .to_string(),
            format!("ubuntu@{host}: Permission denied (publickey).")
        );
        assert_eq!(
            Error::Resolve {
                host: "nowhere.invalid".into(),
                reason: "Name or service not known".into()
            }
            .to_string(),
            "ssh: Could not resolve hostname nowhere.invalid: Name or service not known"
        );
    }

    #[test]
    fn output_is_bounded() {
        let mut sink = Bounded::default();
        let chunk = vec![b'x'; MAX_OUTPUT / 2 + 1];
        sink.write_all(&chunk).expect("write");
        sink.write_all(&chunk).expect("write");
        assert_eq!(sink.0.len(), MAX_OUTPUT);
    }
}
