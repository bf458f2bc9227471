//! The open connections of one server: what each is doing and since when, so that the server
//! can close the ones that hold a descriptor without using it.
//!
//! A connection is either busy with a request (from its head's end to its response's end) or
//! waiting for the next one: silent (idle), or receiving a head. A waiting connection has a
//! deadline ([`Limits::idle_timeout`], or [`Limits::head_timeout`] from a head's first byte);
//! a busy one has none here, since its body has its own timeout (`timed_body`) and its
//! response is the server's to finish.
//!
//! The deadlines are kept here rather than left to hyper's `header_read_timeout`: hyper starts
//! that timer as soon as a connection waits for a head, so a keep-alive connection could not
//! stay idle for longer than a head may take to arrive.
//!
//! When the caps are reached, or `accept` finds no descriptor left, the server makes room by
//! shedding the connection that has waited longest: a slowloris that never finishes its head,
//! or a keep-alive connection a client forgot. A new client is refused only when every
//! connection is busy. Refusing newcomers instead would let a few hundred half-sent requests
//! lock every learner out until they time out.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

use super::limits::Limits;

/// The table of one server's open connections.
#[derive(Debug)]
pub struct Connections {
    limits: Limits,
    epoch: Instant,
    table: Mutex<Table>,
}

#[derive(Debug, Default)]
struct Table {
    next_id: u64,
    open: HashMap<u64, Arc<Slot>>,
    per_address: HashMap<IpAddr, usize>,
}

/// One connection's entry: written by its socket and its requests, read by the table when it
/// looks for one to shed and by the connection's own task for its deadline.
#[derive(Debug)]
pub struct Slot {
    id: u64,
    address: IpAddr,
    epoch: Instant,
    /// Requests whose response has not been sent yet.
    busy: AtomicU32,
    /// Since when the connection has waited for a request, in milliseconds from `epoch`.
    waiting_since: AtomicU64,
    /// When the head being received began, in milliseconds from `epoch` plus one; 0 when
    /// none is.
    head_began: AtomicU64,
    shed: AtomicBool,
    /// Wakes the connection's task when its deadline moves or it is shed.
    changed: Notify,
}

/// A connection let in; leaving the table when dropped.
#[derive(Debug)]
pub struct Admitted {
    connections: Arc<Connections>,
    slot: Arc<Slot>,
}

/// A connection that may be handed over to a tunnel (`CONNECT`, a WebSocket): put in each of its requests'
/// extensions, so that the tunnel keeps the connection's place in the table.
#[derive(Debug, Clone)]
pub struct Handover(Arc<Admitted>);

/// A tunnel's hold on the connection it came through: the connection stays in the table,
/// busy, until the tunnel closes, so that tunnels count against the caps as the connections
/// they are (and are never shed as waiting ones).
#[derive(Debug)]
pub struct Tunnel {
    _busy: Busy,
    _admitted: Arc<Admitted>,
}

impl Handover {
    pub fn new(admitted: Arc<Admitted>) -> Handover {
        Handover(admitted)
    }

    /// The connection becomes a tunnel, held until the returned value drops.
    pub fn tunnel(self) -> Tunnel {
        Tunnel {
            _busy: self.0.slot.request(),
            _admitted: self.0,
        }
    }
}

/// A request being answered: the connection is busy until this is dropped, with the
/// response's last byte.
#[derive(Debug)]
pub struct Busy(Arc<Slot>);

impl Connections {
    pub fn new(limits: Limits) -> Arc<Connections> {
        Arc::new(Connections {
            limits,
            epoch: Instant::now(),
            table: Mutex::new(Table::default()),
        })
    }

    fn table(&self) -> MutexGuard<'_, Table> {
        self.table
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Lets a connection from `address` in, shedding a waiting connection if a cap is reached;
    /// `None` when every connection that counts against the cap is busy.
    pub fn admit(self: &Arc<Self>, address: IpAddr) -> Option<Admitted> {
        let mut table = self.table();
        let from_address = table.per_address.get(&address).copied().unwrap_or(0);
        if from_address >= self.limits.max_connections_per_address
            && !table.shed_longest_waiting(Some(address))
        {
            return None;
        }
        if table.open.len() >= self.limits.max_connections && !table.shed_longest_waiting(None) {
            return None;
        }
        table.next_id += 1;
        let slot = Arc::new(Slot {
            id: table.next_id,
            address,
            epoch: self.epoch,
            busy: AtomicU32::new(0),
            waiting_since: AtomicU64::new(millis(self.epoch)),
            head_began: AtomicU64::new(0),
            shed: AtomicBool::new(false),
            changed: Notify::new(),
        });
        table.open.insert(slot.id, slot.clone());
        *table.per_address.entry(address).or_default() += 1;
        Some(Admitted {
            connections: self.clone(),
            slot,
        })
    }

    /// Closes the connection that has waited longest, to free its descriptor; whether there
    /// was one.
    pub fn shed_one(&self) -> bool {
        self.table().shed_longest_waiting(None)
    }

    /// Connections open now.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.table().open.len()
    }

    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Table {
    /// Sheds the waiting connection (from `address`, if given) that has waited longest.
    fn shed_longest_waiting(&mut self, address: Option<IpAddr>) -> bool {
        let victim = self
            .open
            .values()
            .filter(|slot| address.is_none_or(|address| slot.address == address))
            .filter(|slot| slot.busy.load(Ordering::Acquire) == 0)
            .min_by_key(|slot| slot.waiting_since.load(Ordering::Acquire))
            .cloned();
        let Some(victim) = victim else {
            return false;
        };
        self.remove(&victim);
        victim.shed.store(true, Ordering::Release);
        victim.changed.notify_one();
        true
    }

    fn remove(&mut self, slot: &Slot) {
        if self.open.remove(&slot.id).is_none() {
            return;
        }
        if let Some(count) = self.per_address.get_mut(&slot.address) {
            *count -= 1;
            if *count == 0 {
                self.per_address.remove(&slot.address);
            }
        }
    }
}

impl Admitted {
    pub fn slot(&self) -> &Arc<Slot> {
        &self.slot
    }
}

impl Drop for Admitted {
    fn drop(&mut self) {
        self.connections.table().remove(&self.slot);
    }
}

impl Slot {
    /// Bytes arrived from the client: while waiting, they begin a head, and the head's
    /// deadline starts.
    pub fn received(&self) {
        if self.busy.load(Ordering::Acquire) == 0
            && self
                .head_began
                .compare_exchange(
                    0,
                    millis(self.epoch) + 1,
                    Ordering::AcqRel,
                    Ordering::Acquire,
                )
                .is_ok()
        {
            self.changed.notify_one();
        }
    }

    /// A request's head is complete: the connection is busy until the returned guard drops.
    pub fn request(self: &Arc<Self>) -> Busy {
        self.busy.fetch_add(1, Ordering::AcqRel);
        self.head_began.store(0, Ordering::Release);
        self.changed.notify_one();
        Busy(self.clone())
    }

    /// Whether the table closed this connection to make room.
    pub fn is_shed(&self) -> bool {
        self.shed.load(Ordering::Acquire)
    }

    /// Until when the connection may go on waiting, or `None` while it is busy.
    pub fn deadline(&self, limits: &Limits) -> Option<Instant> {
        if self.busy.load(Ordering::Acquire) > 0 {
            return None;
        }
        let at = |millis: u64| self.epoch + Duration::from_millis(millis);
        Some(match self.head_began.load(Ordering::Acquire) {
            0 => at(self.waiting_since.load(Ordering::Acquire)) + limits.idle_timeout,
            began => at(began - 1) + limits.head_timeout,
        })
    }

    /// Completes when the deadline moved or the connection was shed.
    pub async fn changed(&self) {
        self.changed.notified().await;
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        let slot = &self.0;
        slot.waiting_since
            .store(millis(slot.epoch), Ordering::Release);
        slot.busy.fetch_sub(1, Ordering::AcqRel);
        slot.changed.notify_one();
    }
}

fn millis(epoch: Instant) -> u64 {
    u64::try_from(epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(total: usize, per_address: usize) -> Limits {
        Limits {
            max_connections: total,
            max_connections_per_address: per_address,
            ..Limits::for_descriptors(1024)
        }
    }

    const ONE: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(127, 0, 0, 1));
    const TWO: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(127, 0, 0, 2));

    #[test]
    fn a_full_table_sheds_the_longest_waiting_connection() {
        let connections = Connections::new(limits(2, 2));
        let first = connections.admit(ONE).expect("room");
        std::thread::sleep(Duration::from_millis(5));
        let second = connections.admit(TWO).expect("room");
        let third = connections.admit(TWO).expect("room made");
        assert!(first.slot().is_shed(), "the oldest waiting one goes");
        assert!(!second.slot().is_shed());
        assert_eq!(connections.len(), 2);
        drop(first);
        assert_eq!(connections.len(), 2, "a shed connection is counted once");
        drop((second, third));
        assert!(connections.is_empty());
    }

    #[test]
    fn busy_connections_are_kept_and_the_newcomer_refused() {
        let connections = Connections::new(limits(2, 2));
        let first = connections.admit(ONE).expect("room");
        let second = connections.admit(ONE).expect("room");
        let busy = (first.slot().request(), second.slot().request());
        assert!(connections.admit(TWO).is_none());
        assert!(!first.slot().is_shed() && !second.slot().is_shed());
        drop(busy);
        assert!(
            connections.admit(TWO).is_some(),
            "waiting again, so sheddable"
        );
    }

    #[test]
    fn one_address_over_its_cap_sheds_its_own_connections_only() {
        let connections = Connections::new(limits(10, 2));
        let other = connections.admit(ONE).expect("room");
        let flood: Vec<_> = (0..5)
            .map(|_| connections.admit(TWO).expect("room"))
            .collect();
        assert!(!other.slot().is_shed());
        assert_eq!(flood.iter().filter(|c| !c.slot().is_shed()).count(), 2);
    }

    #[test]
    fn a_head_has_its_own_deadline_and_a_request_has_none() {
        let all = limits(2, 2);
        let connections = Connections::new(all);
        let admitted = connections.admit(ONE).expect("room");
        let slot = admitted.slot();
        let idle = slot.deadline(&all).expect("waiting");
        slot.received();
        let head = slot.deadline(&all).expect("receiving a head");
        assert!(head < idle, "a head has less time than an idle connection");
        let busy = slot.request();
        assert_eq!(slot.deadline(&all), None);
        drop(busy);
        assert!(slot.deadline(&all).expect("waiting again") >= idle);
    }
}
