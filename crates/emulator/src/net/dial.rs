//! The client side of the emulated network: how the shell's `ssh` and `curl`, and
//! `cloudlings connect` (OpenSSH's `ProxyCommand`), reach an emulated instance.
//!
//! They ask the emulator's endpoint with an HTTP `CONNECT host:port`, the way any client asks
//! a proxy. The answer says what a real network would have done: a tunnel to the instance,
//! a refusal (nothing listens on the port), silence until the timeout (a security group
//! dropped the packets), or "not an emulated host" (the caller then dials the real one).

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// Why a connection was not made.
#[derive(Debug, thiserror::Error)]
pub enum DialError {
    /// No emulated instance has this name or address: the host is a real one.
    #[error("not an emulated host")]
    NotEmulated,
    /// The instance is up but nothing listens on the port (a TCP reset on a real network).
    #[error("Connection refused")]
    Refused,
    /// Nothing answered: a security group dropped the connection, or the address is not up.
    #[error("Connection timed out")]
    TimedOut,
    /// The emulator itself could not be reached or answered nonsense.
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// How long to wait for the emulator beyond its own drop timeout before giving up on it.
pub const GRACE: Duration = Duration::from_secs(5);
/// Longest response head the emulator sends to a `CONNECT`.
const MAX_HEAD: usize = 4096;

/// Opens a connection to `host:port` on the emulated network through the emulator at
/// `endpoint`. `patience` is how long to wait for the connection: the emulator reports a
/// dropped one after its own drop timeout, so a caller without a shorter limit of its own
/// (`curl -m`) gives that plus [`GRACE`]. Either way the wait ends as [`DialError::TimedOut`].
pub fn dial(
    endpoint: SocketAddr,
    host: &str,
    port: u16,
    patience: Duration,
) -> Result<TcpStream, DialError> {
    let mut stream = TcpStream::connect_timeout(&endpoint, GRACE)?;
    stream.set_nodelay(true)?;
    let authority = authority(host, port);
    write!(
        stream,
        "CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n\r\n"
    )?;
    stream.set_read_timeout(Some(patience.max(Duration::from_millis(1))))?;
    let status = read_status(&mut stream)?;
    stream.set_read_timeout(None)?;
    match status {
        200 => Ok(stream),
        404 => Err(DialError::NotEmulated),
        502 => Err(DialError::Refused),
        504 => Err(DialError::TimedOut),
        other => Err(DialError::Io(io::Error::other(format!(
            "the emulator answered {other} to CONNECT {authority}"
        )))),
    }
}

/// `host:port`, with IPv6 literals bracketed.
pub fn authority(host: &str, port: u16) -> String {
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// Reads a response head byte by byte, so no byte of the tunnel behind it is consumed, and
/// returns its status code.
fn read_status(stream: &mut TcpStream) -> Result<u16, DialError> {
    let mut head = Vec::with_capacity(128);
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() >= MAX_HEAD {
            return Err(invalid("the emulator's answer to CONNECT is too long"));
        }
        match stream.read(&mut byte) {
            Ok(0) => return Err(invalid("the emulator closed the connection")),
            Ok(_) => head.push(byte[0]),
            Err(error)
                if matches!(
                    error.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Err(DialError::TimedOut);
            }
            Err(error) => return Err(error.into()),
        }
    }
    let line = head.split(|&b| b == b'\r').next().unwrap_or_default();
    let line = String::from_utf8_lossy(line);
    let mut parts = line.split(' ');
    match (parts.next(), parts.next().map(str::parse::<u16>)) {
        (Some(version), Some(Ok(status))) if version.starts_with("HTTP/1.") => Ok(status),
        _ => Err(invalid("the emulator's answer to CONNECT is not HTTP")),
    }
}

fn invalid(message: &str) -> DialError {
    DialError::Io(io::Error::new(
        io::ErrorKind::InvalidData,
        message.to_string(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_literals_are_bracketed() {
        assert_eq!(authority("3.35.1.2", 22), "3.35.1.2:22");
        assert_eq!(authority("::1", 80), "[::1]:80");
        assert_eq!(authority("[::1]", 80), "[::1]:80");
    }
}
