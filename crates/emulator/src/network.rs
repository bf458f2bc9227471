//! The network's live part, held by the world beside its saved state: the links that
//! stopping an instance cuts, where the endpoint and the edge listen, and how long a dropped
//! connection hangs. It is apart from the rest of `net` because the world holds it, while the
//! rest of `net` reads the world.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio_util::sync::CancellationToken;

/// How long a dropped connection hangs before the client is told it timed out, unless set.
pub const DEFAULT_DROP_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a guest's listener (`python3 -m http.server`) answers without being renewed:
/// its program renews it twice a second, so one whose session vanished lapses soon.
const LISTEN_LEASE: Duration = Duration::from_secs(5);

/// A port a guest program serves, and the log lines it has not printed yet.
#[derive(Debug)]
struct Listening {
    listener: cloudlings_os::Listener,
    log: Vec<String>,
    until: std::time::Instant,
}

/// The most log lines kept for a listener that does not print them.
const LOG_MAX: usize = 1_000;

/// The network's live part: connections to instances, and how long drops take.
#[derive(Debug)]
pub struct Network {
    /// One token per instance with open connections, cancelled when it stops or reboots.
    links: Mutex<HashMap<String, CancellationToken>>,
    drop_timeout_ms: AtomicU64,
    /// Where the CloudFront edge listens, which distributions' domain names lead to.
    edge: std::sync::OnceLock<std::net::SocketAddr>,
    /// Where the emulator's own endpoint listens, which S3's public names lead to.
    endpoint: std::sync::OnceLock<std::net::SocketAddr>,
    /// Ports that guest programs serve, by instance and port.
    listeners: Mutex<HashMap<(String, u16), Listening>>,
}

impl Default for Network {
    fn default() -> Network {
        Network {
            links: Mutex::new(HashMap::new()),
            drop_timeout_ms: AtomicU64::new(DEFAULT_DROP_TIMEOUT.as_millis() as u64),
            edge: std::sync::OnceLock::new(),
            endpoint: std::sync::OnceLock::new(),
            listeners: Mutex::new(HashMap::new()),
        }
    }
}

impl Network {
    /// Sets where the edge and the endpoint listen, once they do.
    pub fn set_listeners(&self, endpoint: std::net::SocketAddr, edge: std::net::SocketAddr) {
        let _ = self.endpoint.set(reachable(endpoint));
        let _ = self.edge.set(reachable(edge));
    }

    /// The endpoint's address, for a request to `bucket.s3.amazonaws.com`.
    pub fn endpoint(&self) -> Option<std::net::SocketAddr> {
        self.endpoint.get().copied()
    }

    /// The edge's address, for a request to `dXXXX.cloudfront.net`.
    pub fn edge(&self) -> Option<std::net::SocketAddr> {
        self.edge.get().copied()
    }

    /// A token that is cancelled when `instance` stops, reboots or terminates: every
    /// connection to it watches one.
    pub fn link(&self, instance: &str) -> CancellationToken {
        let mut links = self.links.lock().unwrap_or_else(|p| p.into_inner());
        links.entry(instance.to_string()).or_default().clone()
    }

    /// Drops every connection to `instance`, as its network interface going down would.
    pub fn cut(&self, instance: &str) {
        let token = self
            .links
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(instance);
        if let Some(token) = token {
            token.cancel();
        }
    }

    /// How long a connection a security group drops hangs before the client gives up.
    pub fn drop_timeout(&self) -> Duration {
        Duration::from_millis(self.drop_timeout_ms.load(Ordering::Relaxed))
    }

    pub fn set_drop_timeout(&self, timeout: Duration) {
        let ms = u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX);
        self.drop_timeout_ms.store(ms, Ordering::Relaxed);
    }
}

impl Network {
    /// Registers or renews a guest's listener; `false` if another one holds the port.
    pub fn listen(&self, instance: &str, listener: &cloudlings_os::Listener) -> bool {
        let mut listeners = self.listeners.lock().unwrap_or_else(|p| p.into_inner());
        let now = std::time::Instant::now();
        let key = (instance.to_string(), listener.port);
        match listeners.get_mut(&key) {
            Some(held) if held.until > now && held.listener != *listener => false,
            Some(held) if held.until > now => {
                held.until = now + LISTEN_LEASE;
                true
            }
            _ => {
                listeners.insert(
                    key,
                    Listening {
                        listener: listener.clone(),
                        log: Vec::new(),
                        until: now + LISTEN_LEASE,
                    },
                );
                true
            }
        }
    }

    /// The listener on a port of an instance, while its lease holds.
    pub fn listener(&self, instance: &str, port: u16) -> Option<cloudlings_os::Listener> {
        let listeners = self.listeners.lock().unwrap_or_else(|p| p.into_inner());
        listeners
            .get(&(instance.to_string(), port))
            .filter(|held| held.until > std::time::Instant::now())
            .map(|held| held.listener.clone())
    }

    /// Keeps a log line for the listener's program to print.
    pub fn log(&self, instance: &str, port: u16, line: String) {
        let mut listeners = self.listeners.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(held) = listeners.get_mut(&(instance.to_string(), port))
            && held.log.len() < LOG_MAX
        {
            held.log.push(line);
        }
    }

    /// The log lines not printed yet.
    pub fn take_log(&self, instance: &str, port: u16) -> Vec<String> {
        let mut listeners = self.listeners.lock().unwrap_or_else(|p| p.into_inner());
        listeners
            .get_mut(&(instance.to_string(), port))
            .map(|held| std::mem::take(&mut held.log))
            .unwrap_or_default()
    }

    /// Drops every connection to `instance` and every port its programs served: an instance
    /// that no longer exists.
    pub fn forget(&self, instance: &str) {
        self.cut(instance);
        let mut listeners = self.listeners.lock().unwrap_or_else(|p| p.into_inner());
        listeners.retain(|(held, _), _| held != instance);
    }

    pub fn unlisten(&self, instance: &str, port: u16) {
        let mut listeners = self.listeners.lock().unwrap_or_else(|p| p.into_inner());
        listeners.remove(&(instance.to_string(), port));
    }
}

/// A listener's address as this machine reaches it (loopback for one on every address).
fn reachable(addr: std::net::SocketAddr) -> std::net::SocketAddr {
    if addr.ip().is_unspecified() {
        std::net::SocketAddr::new(std::net::Ipv4Addr::LOCALHOST.into(), addr.port())
    } else {
        addr
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cutting_cancels_every_link_and_later_links_are_fresh() {
        let network = Network::default();
        let first = network.link("i-1");
        let second = network.link("i-1");
        let other = network.link("i-2");
        network.cut("i-1");
        assert!(first.is_cancelled() && second.is_cancelled());
        assert!(!other.is_cancelled());
        assert!(!network.link("i-1").is_cancelled());
    }
}
