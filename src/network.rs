//! Reaching a host the way the learner's tools would: an emulated instance through the
//! emulator's endpoint ([`cloudlings_emulator::net::dial`]), anything else on the real network.
//! The shell's `ssh` and `curl` and the checks' HTTP probes share this, so all of them see the
//! same security groups and the same failures: a check never passes on a port curl finds shut.

use std::io;
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

use crate::strerror::strerror;
use cloudlings_emulator::net::dial::{self, DialError};

/// How long a direct connection may take when no timeout is given.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// How hosts are reached: through the emulator when there is one, else directly.
#[derive(Debug, Clone, Copy, Default)]
pub struct Network {
    pub emulator: Option<Emulated>,
    /// Only the emulated cloud is reached: a host outside it does not resolve. So it is from
    /// an emulated workstation, whose learner is not at this machine and must not reach its
    /// network through it.
    pub closed: bool,
}

/// The emulator's endpoint and how long it holds a dropped connection before saying so.
#[derive(Debug, Clone, Copy)]
pub struct Emulated {
    pub endpoint: SocketAddr,
    pub patience: Duration,
}

/// A TCP connection to an SSH server (or any port), and the address OpenSSH would name it by.
#[derive(Debug)]
pub struct Socket {
    pub stream: TcpStream,
    /// The address connected to: the instance's public address for an emulated host.
    pub address: String,
}

/// Why a TCP connection was not made, before it is worded for `ssh` or `curl`.
#[derive(Debug)]
pub enum OpenError {
    Resolve(String),
    Refused,
    TimedOut,
    Other(String),
    /// The learner pressed Ctrl-C while waiting.
    Interrupted,
}

/// Opens a TCP connection to `host:port`, through the emulator if it knows the host.
pub fn open(
    network: &Network,
    host: &str,
    port: u16,
    timeout: Option<Duration>,
) -> Result<Socket, OpenError> {
    match open_emulated(network, host, port, timeout)? {
        Some(socket) => Ok(socket),
        None if network.closed => Err(OpenError::Resolve("Name or service not known".to_string())),
        None => open_direct(host, port, timeout),
    }
}

/// Opens a connection on the emulated network; `None` when the host is not emulated (or
/// there is no emulator).
pub fn open_emulated(
    network: &Network,
    host: &str,
    port: u16,
    timeout: Option<Duration>,
) -> Result<Option<Socket>, OpenError> {
    let Some(emulated) = network.emulator else {
        return Ok(None);
    };
    // The emulator answers a dropped connection after its drop timeout; a shorter limit of
    // the caller's own ends the wait sooner.
    let patience = match timeout {
        Some(limit) if limit < emulated.patience => limit,
        _ => emulated.patience + dial::GRACE,
    };
    // A dropped connection hangs for the whole patience, which is when people press Ctrl-C.
    let (endpoint, target) = (emulated.endpoint, host.to_string());
    let dialled = crate::interrupt::blocking(move || dial::dial(endpoint, &target, port, patience))
        .map_err(|_| OpenError::Interrupted)?;
    match dialled {
        Ok(stream) => Ok(Some(Socket {
            stream,
            address: emulated_address(host),
        })),
        Err(DialError::NotEmulated) => Ok(None),
        Err(DialError::Refused) => Err(OpenError::Refused),
        Err(DialError::TimedOut) => Err(OpenError::TimedOut),
        Err(DialError::Io(error)) => Err(OpenError::Other(strerror(&error))),
    }
}

/// Opens a connection on the real network.
pub fn open_direct(host: &str, port: u16, timeout: Option<Duration>) -> Result<Socket, OpenError> {
    let name = host.to_string();
    let resolved = crate::interrupt::blocking(move || {
        (name.as_str(), port)
            .to_socket_addrs()
            .map(Iterator::collect::<Vec<SocketAddr>>)
    })
    .map_err(|_| OpenError::Interrupted)?;
    let addresses = match resolved {
        Ok(addresses) => addresses,
        Err(error) => return Err(OpenError::Resolve(resolve_reason(&error))),
    };
    let timeout = timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT);
    let mut last = OpenError::Resolve("Name or service not known".to_string());
    for address in addresses {
        let connected =
            crate::interrupt::blocking(move || TcpStream::connect_timeout(&address, timeout))
                .map_err(|_| OpenError::Interrupted)?;
        match connected {
            Ok(stream) => {
                return Ok(Socket {
                    stream,
                    address: address.ip().to_string(),
                });
            }
            Err(error) => {
                last = match error.kind() {
                    io::ErrorKind::ConnectionRefused => OpenError::Refused,
                    io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => OpenError::TimedOut,
                    _ => OpenError::Other(strerror(&error)),
                }
            }
        }
    }
    Err(last)
}

/// `getaddrinfo`'s own words, without the standard library's preface.
fn resolve_reason(error: &io::Error) -> String {
    let text = strerror(error);
    text.strip_prefix("failed to lookup address information: ")
        .unwrap_or(&text)
        .to_string()
}

/// The address an emulated host name stands for, as DNS would answer: a public DNS name
/// `ec2-3-35-1-2.…` spells `3.35.1.2`.
pub fn emulated_address(host: &str) -> String {
    if host.parse::<std::net::IpAddr>().is_ok() {
        return host.to_string();
    }
    let spelled = host
        .strip_prefix("ec2-")
        .and_then(|rest| rest.split('.').next())
        .map(|label| label.replace('-', "."))
        .filter(|address| address.parse::<std::net::Ipv4Addr>().is_ok());
    spelled.unwrap_or_else(|| host.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emulated_names_spell_their_address() {
        assert_eq!(
            emulated_address("ec2-3-35-1-2.ap-northeast-2.compute.amazonaws.com"),
            "3.35.1.2"
        );
        assert_eq!(emulated_address("3.35.1.2"), "3.35.1.2");
        assert_eq!(emulated_address("example.com"), "example.com");
    }
}
