//! Real OpenSSH on the emulated network: a config file to `Include`, whose `ProxyCommand`
//! is `cloudlings connect %h %p`, which joins ssh's standard input and output to the
//! instance through the running emulator. No root, no `/etc/hosts`: names of emulated
//! instances never need to resolve.

use std::collections::BTreeSet;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::path::Path;
use std::time::Duration;

use super::super::ec2::instances::public_ranges;
use super::dial::{DialError, dial};
use cloudlings_core::catalog;

/// The file `cloudlings ssh-config` writes in the data folder.
pub const CONFIG_FILE: &str = "ssh_config";
/// The known hosts of emulated instances, shared with the shell's own `ssh`.
pub const KNOWN_HOSTS: &str = "known_hosts";

/// How long `connect` waits for an answer: longer than any drop timeout the emulator is
/// set to, which answers first.
const PATIENCE: Duration = Duration::from_secs(600);
/// How long a direct connection to a real host may take, as a TCP connect does.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// The config text: emulated names and the emulator's public address ranges go through
/// `cloudlings connect`, with their host keys kept apart from the learner's own.
pub fn config(program: &Path, data_dir: &Path) -> String {
    let mut patterns = vec![
        "ec2-*.compute.amazonaws.com".to_string(),
        "ec2-*.compute-1.amazonaws.com".to_string(),
    ];
    let ranges: BTreeSet<(u8, u8)> = catalog::REGIONS
        .iter()
        .flat_map(|region| public_ranges(region.name).iter().copied())
        .chain(public_ranges("").iter().copied())
        .collect();
    patterns.extend(ranges.iter().map(|(a, b)| format!("{a}.{b}.*.*")));
    format!(
        "# cloudlings: OpenSSH reaches emulated EC2 instances through the running cloudlings.\n\
         # Hosts that are not emulated are connected to directly, as without this file.\n\
         # Use it with this line at the top of ~/.ssh/config:\n\
         #     Include \"{config}\"\n\
         Host {patterns}\n    \
             ProxyCommand \"{program}\" --data-dir \"{data}\" connect %h %p\n    \
             UserKnownHostsFile \"{known}\"\n",
        config = data_dir.join(CONFIG_FILE).display(),
        patterns = patterns.join(" "),
        program = program.display(),
        data = data_dir.display(),
        known = data_dir.join(KNOWN_HOSTS).display(),
    )
}

/// Joins standard input and output to `host:port`: through the emulator at `endpoint` if
/// it knows the host, else directly. Returns why not, in the words a socket error uses.
pub fn connect(endpoint: Option<&str>, host: &str, port: u16) -> Result<(), String> {
    let through = endpoint
        .and_then(|endpoint| endpoint.trim().strip_prefix("http://"))
        .and_then(|addr| addr.trim_end_matches('/').parse::<SocketAddr>().ok());
    let stream = match through.map(|addr| dial(addr, host, port, PATIENCE + super::dial::GRACE)) {
        Some(Ok(stream)) => stream,
        Some(Err(DialError::NotEmulated)) | None => direct(host, port)?,
        Some(Err(error)) => return Err(error.to_string()),
    };
    relay(stream).map_err(|error| error.to_string())
}

/// A plain TCP connection to a real host.
fn direct(host: &str, port: u16) -> Result<TcpStream, String> {
    let addrs = (host, port)
        .to_socket_addrs()
        .map_err(|_| "Name or service not known".to_string())?;
    let mut last = "No address associated with hostname".to_string();
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT) {
            Ok(stream) => return Ok(stream),
            Err(error) if error.kind() == io::ErrorKind::TimedOut => {
                last = "Connection timed out".into();
            }
            Err(error) if error.kind() == io::ErrorKind::ConnectionRefused => {
                last = "Connection refused".into();
            }
            Err(error) => last = error.to_string(),
        }
    }
    Err(last)
}

/// Copies standard input to the stream and the stream to standard output until the far
/// end closes.
fn relay(stream: TcpStream) -> io::Result<()> {
    let mut upstream = stream.try_clone()?;
    std::thread::spawn(move || {
        let _ = pump(&mut io::stdin().lock(), &mut upstream);
        // The client is done sending: tell the far end, and keep reading its answer.
        let _ = upstream.shutdown(std::net::Shutdown::Write);
    });
    let mut downstream = stream;
    pump(&mut downstream, &mut io::stdout().lock())
}

/// Copies until end of file, passing on every read at once. (`io::copy` may splice from a
/// pipe, and a splice may wait for more than an SSH packet before it returns.)
fn pump(from: &mut impl Read, to: &mut impl Write) -> io::Result<()> {
    let mut buffer = [0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buffer) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        to.write_all(&buffer[..n])?;
        to.flush()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_config_routes_emulated_names_and_ranges_through_connect() {
        let text = config(Path::new("/opt/cloudlings"), Path::new("/data"));
        assert!(text.contains("Host ec2-*.compute.amazonaws.com ec2-*.compute-1.amazonaws.com"));
        assert!(text.contains(" 3.35.*.* "));
        assert!(
            text.contains("ProxyCommand \"/opt/cloudlings\" --data-dir \"/data\" connect %h %p")
        );
        let known_hosts = Path::new("/data").join(KNOWN_HOSTS);
        assert!(text.contains(&format!("UserKnownHostsFile \"{}\"", known_hosts.display())));
    }
}
