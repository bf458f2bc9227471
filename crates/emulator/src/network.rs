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
}

impl Default for Network {
    fn default() -> Network {
        Network {
            links: Mutex::new(HashMap::new()),
            drop_timeout_ms: AtomicU64::new(DEFAULT_DROP_TIMEOUT.as_millis() as u64),
            edge: std::sync::OnceLock::new(),
            endpoint: std::sync::OnceLock::new(),
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
