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
//! The protocol is libssh2's (through the `ssh2` crate). Channels run non-blocking and wait in
//! `poll` on the socket, so one loop can move bytes both ways and notice when the remote ends.

pub mod args;
pub mod identity;
pub mod known_hosts;
#[cfg(unix)]
pub mod terminal;

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

pub use crate::network::{Emulated, Network, OpenError, Socket, open};
pub use known_hosts::{HostKey, KnownHosts, Verdict};

/// How long one protocol exchange may take once connected.
const PROTOCOL_TIMEOUT: Duration = Duration::from_secs(30);
/// The most output [`Connection::exec`] keeps in memory.
pub const MAX_OUTPUT: usize = 16 * 1024 * 1024;
/// libssh2's "would block".
const EAGAIN: i32 = -37;

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

/// A session whose keys are exchanged but whose user is not yet authenticated: the host key
/// can be checked (and the learner asked about it) before any credential is offered.
pub struct Handshake {
    session: ssh2::Session,
    socket: TcpStream,
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
        let closed = || Error::Closed {
            address: socket.address.clone(),
            port: target.port,
        };
        let poller = socket.stream.try_clone().map_err(|_| closed())?;
        let mut session = ssh2::Session::new().map_err(|_| closed())?;
        session.set_timeout(millis(PROTOCOL_TIMEOUT));
        // OpenSSH's order of preference, so an instance shows the key type OpenSSH would see.
        let _ = session.method_pref(
            ssh2::MethodType::HostKey,
            "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,rsa-sha2-512,rsa-sha2-256,ssh-rsa",
        );
        session.set_tcp_stream(socket.stream);
        session.handshake().map_err(|error| {
            tracing::debug!(%error, "ssh handshake failed");
            closed()
        })?;
        Ok(Handshake {
            session,
            socket: poller,
            target: target.clone(),
            address: socket.address,
        })
    }

    /// The key the server identified itself with.
    pub fn host_key(&self) -> HostKey {
        HostKey::new(
            self.session
                .host_key()
                .map(|(blob, _)| blob.to_vec())
                .unwrap_or_default(),
        )
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
    pub fn methods(&self, user: &str) -> Result<String, Error> {
        match self.session.auth_methods(user) {
            Ok(methods) => Ok(methods.to_string()),
            Err(_) if self.session.authenticated() => Ok(String::new()),
            Err(_) => Err(self.lost()),
        }
    }

    /// Offers a private key (PEM or OpenSSH format); whether the server accepted it.
    pub fn offer_key(&self, user: &str, private_key: &str) -> bool {
        match self
            .session
            .userauth_pubkey_memory(user, None, private_key, None)
        {
            Ok(()) => self.session.authenticated(),
            Err(error) => {
                tracing::debug!(%error, "key refused");
                false
            }
        }
    }

    /// The logged-in connection, or OpenSSH's "Permission denied" with the server's methods.
    pub fn finish(self, user: &str, methods: &str) -> Result<Connection, Error> {
        if !self.session.authenticated() {
            return Err(Error::Denied {
                user: user.to_string(),
                host: self.target.host.clone(),
                methods: methods.to_string(),
            });
        }
        Ok(Connection {
            session: self.session,
            socket: self.socket,
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
    let handshake = Handshake::start(network, target, options.connect_timeout)?;
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
    session: ssh2::Session,
    socket: TcpStream,
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
        self.session.set_blocking(true);
        self.session.set_timeout(1000);
        let _ = self.session.disconnect(
            Some(ssh2::DisconnectCode::ByApplication),
            "disconnected by user",
            None,
        );
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
        let mut channel = self.open(None)?;
        self.blocking(|| channel.channel.exec(command))?;
        channel.session.set_blocking(false);
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
        let mut channel = self.open(pty)?;
        match command {
            Some(command) => self.blocking(|| channel.channel.exec(command))?,
            None => self.blocking(|| channel.channel.shell())?,
        }
        channel.session.set_blocking(false);
        Ok(channel)
    }

    fn open(&self, pty: Option<&Pty>) -> Result<Channel, Error> {
        self.session.set_blocking(true);
        let mut channel = self.blocking(|| self.session.channel_session())?;
        if let Some(code) = self.language {
            // A server that refuses the variable (sshd without `AcceptEnv LC_*`) is fine:
            // OpenSSH goes on too.
            let _ = channel.setenv(cloudlings_core::locale::LANGUAGE_VARIABLE, code);
        }
        if let Some(pty) = pty {
            let size = Some((pty.columns, pty.rows, 0, 0));
            self.blocking(|| channel.request_pty(&pty.term, None, size))?;
        }
        Ok(Channel {
            session: self.session.clone(),
            channel,
            socket: self.socket.try_clone().map_err(|_| self.lost())?,
            host: self.host.clone(),
            exit: None,
        })
    }

    fn blocking<T>(&self, call: impl FnOnce() -> Result<T, ssh2::Error>) -> Result<T, Error> {
        call().map_err(|error| {
            tracing::debug!(%error, "ssh request failed");
            self.lost()
        })
    }

    fn lost(&self) -> Error {
        Error::Lost {
            host: self.host.clone(),
        }
    }
}

/// An open session channel (a shell or a command), driven without blocking.
pub struct Channel {
    session: ssh2::Session,
    channel: ssh2::Channel,
    socket: TcpStream,
    host: String,
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
    /// Sends bytes to the remote's standard input, waiting for window space as needed.
    pub fn send(&mut self, mut bytes: &[u8]) -> Result<(), Error> {
        let deadline = Instant::now() + PROTOCOL_TIMEOUT;
        while !bytes.is_empty() {
            match self.channel.write(bytes) {
                Ok(0) => return Err(self.lost()),
                Ok(n) => bytes = &bytes[n..],
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                    if Instant::now() > deadline {
                        return Err(self.lost());
                    }
                    self.wait(Duration::from_millis(50));
                }
                Err(_) => return Err(self.lost()),
            }
        }
        loop {
            match self.channel.flush() {
                Ok(()) => return Ok(()),
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                    self.wait(Duration::from_millis(50))
                }
                Err(_) => return Err(self.lost()),
            }
        }
    }

    /// Tells the remote its input has ended (the end of a piped script, Ctrl-D on a pipe).
    pub fn send_eof(&mut self) -> Result<(), Error> {
        let deadline = Instant::now() + PROTOCOL_TIMEOUT;
        loop {
            match self.channel.send_eof() {
                Ok(()) => return Ok(()),
                Err(error) if error.code() == ssh2::ErrorCode::Session(EAGAIN) => {
                    if Instant::now() > deadline {
                        return Err(self.lost());
                    }
                    self.wait(Duration::from_millis(50));
                }
                // The remote already closed: nothing more to tell it.
                Err(_) => return Ok(()),
            }
        }
    }

    /// Tells the remote terminal its new size.
    pub fn resize(&mut self, columns: u32, rows: u32) {
        for _ in 0..100 {
            match self.channel.request_pty_size(columns, rows, None, None) {
                Err(error) if error.code() == ssh2::ErrorCode::Session(EAGAIN) => {
                    self.wait(Duration::from_millis(10));
                }
                _ => return,
            }
        }
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
        let mut buffer = vec![0u8; 32 * 1024];
        let result = loop {
            let mut moved = self.copy(0, &mut buffer, &mut *out)?;
            moved |= match err.as_deref_mut() {
                Some(err) => self.copy(1, &mut buffer, err)?,
                None => self.copy(1, &mut buffer, &mut *out)?,
            };
            let now = Instant::now();
            if moved {
                last_data = Some(now);
                continue;
            }
            if self.channel.eof() {
                break Some(self.finish());
            }
            let settled = settle.is_some_and(|(first, quiet)| match last_data {
                Some(at) => now - at >= quiet,
                None => now - start >= first,
            });
            if now - start >= wait || settled {
                break None;
            }
            let left = wait.saturating_sub(now - start);
            self.wait(left.min(Duration::from_millis(50)));
        };
        out.flush().map_err(|_| self.lost())?;
        if let Some(err) = err {
            err.flush().map_err(|_| self.lost())?;
        }
        Ok(result)
    }

    /// The exit status, once the remote has ended.
    pub fn exit_status(&self) -> Option<i32> {
        self.exit
    }

    /// The socket, for a caller's own `poll`.
    pub fn socket(&self) -> &TcpStream {
        &self.socket
    }

    /// Reads one stream into `out`; whether anything came.
    fn copy(&mut self, stream: i32, buffer: &mut [u8], out: &mut dyn Write) -> Result<bool, Error> {
        match self.channel.stream(stream).read(buffer) {
            Ok(0) => Ok(false),
            Ok(n) => {
                out.write_all(&buffer[..n]).map_err(|_| self.lost())?;
                Ok(true)
            }
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => Ok(false),
            Err(_) => {
                // The transport broke: the remote is gone.
                if self.channel.eof() {
                    Ok(false)
                } else {
                    Err(self.lost())
                }
            }
        }
    }

    /// Waits for the channel to close and reads its exit status; 255 (as OpenSSH reports) when
    /// the remote ended without one, after a signal.
    fn finish(&mut self) -> i32 {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            match self.channel.wait_close() {
                Err(error) if error.code() == ssh2::ErrorCode::Session(EAGAIN) => {
                    if Instant::now() > deadline {
                        break;
                    }
                    self.wait(Duration::from_millis(20));
                }
                _ => break,
            }
        }
        let signalled = self
            .channel
            .exit_signal()
            .is_ok_and(|signal| signal.exit_signal.is_some());
        let status = match self.channel.exit_status() {
            Ok(_) if signalled => 255,
            Ok(status) => status,
            Err(_) => 255,
        };
        self.exit = Some(status);
        status
    }

    /// Waits until the socket has something for libssh2 (or `timeout` passes).
    fn wait(&self, timeout: Duration) {
        wait_readable(&self.session, &self.socket, timeout);
    }

    fn lost(&self) -> Error {
        Error::Lost {
            host: self.host.clone(),
        }
    }
}

/// Waits in `poll` for the directions libssh2 is blocked on.
#[cfg(unix)]
fn wait_readable(session: &ssh2::Session, socket: &TcpStream, timeout: Duration) {
    use rustix::event::{PollFd, PollFlags, poll};
    let flags = match session.block_directions() {
        ssh2::BlockDirections::Outbound => PollFlags::OUT,
        ssh2::BlockDirections::Both => PollFlags::IN | PollFlags::OUT,
        _ => PollFlags::IN,
    };
    let mut fds = [PollFd::new(socket, flags)];
    let _ = poll(&mut fds, Some(&timespec(timeout)));
}

#[cfg(not(unix))]
fn wait_readable(_: &ssh2::Session, _: &TcpStream, timeout: Duration) {
    std::thread::sleep(timeout.min(Duration::from_millis(10)));
}

#[cfg(unix)]
pub(crate) fn timespec(duration: Duration) -> rustix::event::Timespec {
    rustix::event::Timespec {
        tv_sec: i64::try_from(duration.as_secs()).unwrap_or(i64::MAX),
        tv_nsec: duration.subsec_nanos().into(),
    }
}

fn millis(duration: Duration) -> u32 {
    u32::try_from(duration.as_millis()).unwrap_or(u32::MAX)
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
