//! `ping`, as iputils prints it and as EC2 answers it: a security group drops ICMP unless an
//! inbound rule admits it, so a learner's first ping to an instance usually goes unanswered,
//! which is itself the lesson. One echo request a second until `-c` are sent or Ctrl-C, then
//! the statistics.

use time::OffsetDateTime;

use super::{Opts, Proc};
use crate::job::Job;
use crate::sys::Sys;
use crate::{NetError, distro};

/// Seconds between echo requests, ping's default `-i 1`.
const INTERVAL_MS: i64 = 1_000;
/// Requests sent where nothing could stop an endless ping (a pipe, a script).
const COUNT_WITHOUT_TERMINAL: u32 = 4;

/// One ping run.
#[derive(Debug, Clone)]
pub(crate) struct Ping {
    /// The target as typed, and the address it resolves to.
    target: String,
    address: String,
    answered: bool,
    /// Replies from the machine itself, a hop shorter and faster.
    local: bool,
    count: Option<u32>,
    /// When the next request goes out.
    next: OffsetDateTime,
    sent: u32,
    rtts: Vec<f64>,
}

pub(crate) fn ping(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let opts = Opts::parse(&argv[1..], "cwWisIt");
    let Some(target) = opts.operands.last().cloned() else {
        proc.err("ping: usage error: Destination address required\n");
        return 1;
    };
    let count = match opts.value('c').map(str::parse::<u32>) {
        None => None,
        Some(Ok(count)) if count > 0 => Some(count),
        Some(_) => {
            let value = opts.value('c').unwrap_or_default();
            proc.err(format!(
                "ping: invalid argument: '{value}': out of range: 1 <= value <= 2147483647\n"
            ));
            return 1;
        }
    };
    let facts = proc.facts();
    let host = distro::short_hostname(facts);
    let own = [
        "localhost",
        facts.private_ip.as_str(),
        facts.private_dns.as_str(),
        host.as_str(),
    ];
    let (address, answered, local) = if own.contains(&target.as_str()) || target.starts_with("127.")
    {
        let address = if target == "localhost" {
            "127.0.0.1".to_string()
        } else if target.starts_with("127.") {
            target.clone()
        } else {
            facts.private_ip.clone()
        };
        (address, true, true)
    } else {
        match proc.sys.net.ping(&target) {
            Ok(echo) => (echo.address, echo.answered, false),
            // An address nothing answers for: requests go out and vanish.
            Err(NetError::Unresolved) if target.parse::<std::net::Ipv4Addr>().is_ok() => {
                (target.clone(), false, false)
            }
            Err(_) => {
                proc.err(format!("ping: {target}: Name or service not known\n"));
                return 2;
            }
        }
    };
    let holds = proc.holds_terminal();
    let count = if holds {
        count
    } else {
        Some(count.unwrap_or(COUNT_WITHOUT_TERMINAL))
    };
    let now = proc.now();
    let mut job = Ping {
        target,
        address,
        answered,
        local,
        count,
        next: now,
        sent: 0,
        rtts: Vec::new(),
    };
    let mut out = job.header();
    if holds {
        if let Some(status) = job.advance(now, &mut out) {
            proc.out(out);
            return status;
        }
        proc.out(out);
        proc.keep_terminal(job);
        return 0;
    }
    // Without a terminal the whole run is printed at once.
    let mut at = now;
    loop {
        if let Some(status) = job.advance(at, &mut out) {
            proc.out(out);
            return status;
        }
        at += time::Duration::milliseconds(INTERVAL_MS);
    }
}

impl Ping {
    fn header(&self) -> String {
        format!(
            "PING {} ({}) 56(84) bytes of data.\n",
            self.target, self.address
        )
    }

    /// `name (address)` as reply lines show a host, or the address alone when typed so.
    fn peer(&self) -> String {
        if self.target == self.address {
            self.address.clone()
        } else {
            format!("{} ({})", self.target, self.address)
        }
    }

    /// A plausible round trip for request `seq`: tens of microseconds to the machine
    /// itself, under a millisecond inside a region.
    fn rtt(&self, seq: u32) -> f64 {
        let spread: u32 = self
            .address
            .bytes()
            .fold(seq.wrapping_mul(2_654_435_761), |hash, byte| {
                hash.rotate_left(5) ^ u32::from(byte)
            })
            % 400;
        if self.local {
            0.025 + f64::from(spread % 40) / 1000.0
        } else {
            0.35 + f64::from(spread) / 1000.0
        }
    }

    /// Sends what is due by `now`; `Some(status)` once `-c` requests are done.
    fn advance(&mut self, now: OffsetDateTime, out: &mut String) -> Option<i32> {
        while now >= self.next {
            if self.count.is_some_and(|count| self.sent >= count) {
                out.push_str(&self.statistics());
                return Some(self.status());
            }
            self.sent += 1;
            if self.answered {
                let rtt = self.rtt(self.sent);
                self.rtts.push(rtt);
                out.push_str(&format!(
                    "64 bytes from {}: icmp_seq={} ttl={} time={} ms\n",
                    self.peer(),
                    self.sent,
                    if self.local { 64 } else { 63 },
                    rtt_text(rtt)
                ));
                if self.count == Some(self.sent) {
                    out.push_str(&self.statistics());
                    return Some(self.status());
                }
            }
            self.next += time::Duration::milliseconds(INTERVAL_MS);
        }
        None
    }

    fn status(&self) -> i32 {
        i32::from(self.rtts.is_empty())
    }

    fn statistics(&self) -> String {
        let received = self.rtts.len() as u32;
        let loss = ((self.sent - received) * 100)
            .checked_div(self.sent)
            .unwrap_or(0);
        let elapsed = i64::from(self.sent.saturating_sub(1)) * INTERVAL_MS
            + if self.sent > 1 { 3 } else { 0 };
        let mut text = format!(
            "\n--- {} ping statistics ---\n{} packets transmitted, {received} received, {loss}% packet loss, time {elapsed}ms\n",
            self.target, self.sent
        );
        if !self.rtts.is_empty() {
            let count = self.rtts.len() as f64;
            let min = self.rtts.iter().copied().fold(f64::MAX, f64::min);
            let max = self.rtts.iter().copied().fold(0.0, f64::max);
            let avg = self.rtts.iter().sum::<f64>() / count;
            let mdev =
                (self.rtts.iter().map(|rtt| (rtt - avg).powi(2)).sum::<f64>() / count).sqrt();
            text.push_str(&format!(
                "rtt min/avg/max/mdev = {min:.3}/{avg:.3}/{max:.3}/{mdev:.3} ms\n"
            ));
        }
        text
    }
}

/// A round trip as iputils prints it: three significant digits.
fn rtt_text(ms: f64) -> String {
    if ms < 1.0 {
        format!("{ms:.3}")
    } else if ms < 10.0 {
        format!("{ms:.2}")
    } else {
        format!("{ms:.1}")
    }
}

impl Job for Ping {
    fn input(&mut self, keys: &[u8], _sys: &mut Sys<'_>, out: &mut String) -> Option<i32> {
        if !keys.contains(&0x03) {
            return None;
        }
        // The terminal echoes ^C; ping's statistics start with a newline of their own.
        out.push_str("^C");
        out.push_str(&crate::crlf(&self.statistics()));
        Some(self.status())
    }

    fn tick(&mut self, sys: &mut Sys<'_>, out: &mut String) -> Option<i32> {
        let mut text = String::new();
        let ended = self.advance(sys.facts.now, &mut text);
        out.push_str(&crate::crlf(&text));
        ended
    }

    fn due(&self) -> Option<OffsetDateTime> {
        Some(self.next)
    }
}

#[cfg(test)]
mod tests {
    use crate::Echo;
    use crate::commands::Machine;

    fn machine() -> Machine {
        let mut machine = Machine::ubuntu();
        for (name, answered) in [("10.0.0.7", true), ("10.0.0.9", false)] {
            machine.net.echoes.insert(
                name.into(),
                Echo {
                    address: name.into(),
                    answered,
                },
            );
        }
        machine
    }

    #[test]
    fn a_dropped_ping_goes_unanswered_until_ctrl_c() {
        let mut machine = machine();
        let started = machine.run("ping 10.0.0.9");
        assert_eq!(
            started.output,
            "PING 10.0.0.9 (10.0.0.9) 56(84) bytes of data.\n"
        );
        assert!(machine.session.busy());
        assert_eq!(machine.tick(2_000).output, "");
        let stopped = machine.keys(b"\x03");
        assert_eq!(
            stopped.output,
            "^C\r\n--- 10.0.0.9 ping statistics ---\r\n3 packets transmitted, 0 received, 100% packet loss, time 2003ms\r\n"
        );
        assert_eq!(stopped.status, 1);
        assert!(!machine.session.busy());
    }

    #[test]
    fn an_admitted_ping_is_answered_once_a_second_for_its_count() {
        let mut machine = machine();
        let started = machine.run("ping -c 3 10.0.0.7");
        assert!(
            started
                .output
                .contains("64 bytes from 10.0.0.7: icmp_seq=1 ttl=63 time=0.")
        );
        assert!(machine.tick(1_000).output.contains("icmp_seq=2"));
        let done = machine.tick(1_000);
        assert!(done.output.contains("icmp_seq=3"), "{done:?}");
        assert!(done.output.contains(
            "3 packets transmitted, 3 received, 0% packet loss, time 2003ms\r\nrtt min/avg/max/mdev = "
        ));
        assert_eq!(done.status, 0);
        assert!(!machine.session.busy());
        // In a pipe the whole run comes at once.
        let piped = machine.out("ping -c 2 10.0.0.9 | cat");
        assert!(
            piped.ends_with("2 packets transmitted, 0 received, 100% packet loss, time 1003ms\n"),
            "{piped}"
        );
        assert_eq!(
            machine.out("ping nowhere.invalid"),
            "ping: nowhere.invalid: Name or service not known\n"
        );
        assert!(machine.out("ping -c 1 localhost").contains("ttl=64"));
    }
}
