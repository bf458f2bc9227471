//! How long a client may take and how many connections the servers keep open.
//!
//! A classroom's network is not a test bench: laptops sleep with connections open, a school's
//! proxy keeps idle ones, and a learner's script (or someone else's) may open hundreds. Every
//! open connection holds a file descriptor, and a process has few of them (`ulimit -n`, often
//! 1024): once they run out, nobody is served. So each connection gets a deadline in every
//! state it can sit in, and the number of connections follows the descriptors there are.

use std::time::Duration;

/// Descriptors kept for everything that is not a client's connection: the state and its
/// journal, object files being written and read, instances' sockets, the runtime's own.
const RESERVED_MIN: u64 = 64;

/// Past this many connections per server, more would only hold memory: no classroom needs them.
const MOST_CONNECTIONS: u64 = 16_384;

/// A head's time: nginx gives 60 s, but no client of this server needs more than a moment.
pub(crate) const HEAD_TIMEOUT: Duration = Duration::from_secs(20);
/// Keep-alive between requests, close to nginx's 75 s. A client that reuses a connection just
/// as it is closed sees the connection fail before its request was read, which the SDKs and
/// the CLI retry.
const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// Between two reads of a body; nginx's `client_body_timeout` is 60 s.
pub(crate) const BODY_TIMEOUT: Duration = Duration::from_secs(30);
/// Between two writes that a client lets through; nginx's `send_timeout` is 60 s.
const SEND_TIMEOUT: Duration = Duration::from_secs(60);

/// The timeouts and connection caps of one server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Time from a request head's first byte to its last: a client sending its headers a byte
    /// a second (slowloris) is closed after this.
    pub head_timeout: Duration,
    /// Time a connection may wait, silent, for its next request (keep-alive).
    pub idle_timeout: Duration,
    /// Time a request body may go without a byte arriving. Per read, not in total, so that a
    /// large upload at any steady speed completes.
    pub body_timeout: Duration,
    /// Time a response may go without the client reading a byte of it (per write, so a
    /// large download at any steady speed completes).
    pub send_timeout: Duration,
    /// Open connections in all.
    pub max_connections: usize,
    /// Open connections from one address. Generous: a classroom behind one NAT comes from one
    /// address, and so do the learner's own tools and the web console on loopback.
    pub max_connections_per_address: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::for_this_process()
    }
}

impl Limits {
    /// Timeouts like a production web server's, and caps that fit the process's soft
    /// `RLIMIT_NOFILE` (raised with `ulimit -n` before the server starts).
    pub fn for_this_process() -> Limits {
        Limits::for_descriptors(descriptors_allowed())
    }

    /// [`Limits::for_this_process`] for a process allowed `descriptors` open files.
    pub fn for_descriptors(descriptors: u64) -> Limits {
        let reserved = RESERVED_MIN + descriptors / 8;
        let max = descriptors
            .saturating_sub(reserved)
            .clamp(4, MOST_CONNECTIONS) as usize;
        Limits {
            head_timeout: HEAD_TIMEOUT,
            idle_timeout: IDLE_TIMEOUT,
            body_timeout: BODY_TIMEOUT,
            send_timeout: SEND_TIMEOUT,
            max_connections: max,
            max_connections_per_address: (max / 2).max(2),
        }
    }

    /// The same limits split between the API endpoint and the CloudFront edge, which share
    /// one process's descriptors: three quarters for the endpoint, where every tool connects,
    /// a quarter for the edge, where browsers fetch pages.
    pub fn split(self) -> (Limits, Limits) {
        let edge_max = (self.max_connections / 4).max(2);
        let api_max = self.max_connections.saturating_sub(edge_max).max(2);
        let share = |max: usize| Limits {
            max_connections: max,
            max_connections_per_address: self.max_connections_per_address.min(max),
            ..self
        };
        (share(api_max), share(edge_max))
    }
}

/// How many files and sockets this process may hold open: its soft `RLIMIT_NOFILE`.
#[cfg(unix)]
fn descriptors_allowed() -> u64 {
    rustix::process::getrlimit(rustix::process::Resource::Nofile)
        .current
        .unwrap_or(MOST_CONNECTIONS)
}

/// Windows sets no number on a process's sockets, only on its memory: the most connections
/// the server takes anyway, with the share it keeps for files.
#[cfg(not(unix))]
fn descriptors_allowed() -> u64 {
    MOST_CONNECTIONS + RESERVED_MIN + MOST_CONNECTIONS / 7
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_follow_the_descriptors_and_leave_a_reserve() {
        let usual = Limits::for_descriptors(1024);
        assert_eq!(usual.max_connections, 1024 - 64 - 128);
        assert_eq!(usual.max_connections_per_address, usual.max_connections / 2);
        let low = Limits::for_descriptors(128);
        assert_eq!(low.max_connections, 128 - 64 - 16);
        assert!(Limits::for_descriptors(10).max_connections >= 4);
        assert_eq!(
            Limits::for_descriptors(u64::MAX).max_connections,
            MOST_CONNECTIONS as usize
        );
    }

    #[test]
    fn the_endpoint_and_the_edge_share_the_budget() {
        let all = Limits::for_descriptors(1024);
        let (api, edge) = all.split();
        assert_eq!(
            api.max_connections + edge.max_connections,
            all.max_connections
        );
        assert!(api.max_connections_per_address <= api.max_connections);
        assert!(edge.max_connections_per_address <= edge.max_connections);
    }
}
