//! Simulated time: the wall clock plus however far it has been moved forward.
//!
//! Everything that changes with time (an instance leaving `pending`, a bill growing) is
//! computed from timestamps and this clock when it is looked at, so advancing the clock two
//! hours is one addition, and a restarted emulator continues where it was.
//!
//! Each account has a time of its own: the room's (moved for everyone at once) plus however
//! far that account was moved alone. In a classroom, one learner skipping the two hours of a
//! bill step moves nobody else's instances or bills.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// The emulator's clock.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    /// How far ahead of the wall clock the room's simulated time runs.
    #[serde(default)]
    pub offset_seconds: i64,
    /// How far each account moved on its own, ahead of the room's time.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    accounts: BTreeMap<String, i64>,
    /// Simulated time running faster than the wall clock from a moment on, for rehearsals
    /// (`lesson test`), where an instance's boot or a distribution's deployment should take
    /// a moment rather than minutes. Never saved: a learner's cloud keeps real time.
    #[serde(skip)]
    fast: Option<Fast>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fast {
    since: OffsetDateTime,
    factor: u32,
}

impl Clock {
    /// The room's simulated now: where every account's time starts.
    pub fn now(&self) -> OffsetDateTime {
        let wall = OffsetDateTime::now_utc();
        let now = match self.fast {
            Some(Fast { since, factor }) => since + (wall - since) * factor,
            None => wall,
        };
        now + time::Duration::seconds(self.offset_seconds)
    }

    /// Simulated now in `account`.
    pub fn now_for(&self, account: &str) -> OffsetDateTime {
        self.now() + time::Duration::seconds(self.own(account))
    }

    /// How far `account`'s time runs ahead of the wall clock.
    pub fn ahead_for(&self, account: &str) -> time::Duration {
        time::Duration::seconds(self.offset_seconds.saturating_add(self.own(account)))
    }

    fn own(&self, account: &str) -> i64 {
        self.accounts.get(account).copied().unwrap_or_default()
    }

    /// Moves every account's time forward (never back: AWS's timestamps only grow).
    pub fn advance(&mut self, by: time::Duration) {
        self.offset_seconds = self.offset_seconds.saturating_add(forward(by));
    }

    /// Moves `account`'s time forward, and nobody else's.
    pub fn advance_account(&mut self, account: &str, by: time::Duration) {
        let own = self.accounts.entry(account.to_string()).or_default();
        *own = own.saturating_add(forward(by));
    }

    /// Puts `account`'s time back to the room's: an account emptied for a new start.
    pub fn forget_account(&mut self, account: &str) {
        self.accounts.remove(account);
    }

    /// From now on, simulated time passes `factor` times as fast as the wall clock's.
    pub fn run_faster(&mut self, factor: u32) {
        self.fast = Some(Fast {
            since: OffsetDateTime::now_utc(),
            factor: factor.max(1),
        });
    }
}

/// The seconds of a move forward; a move back is none.
fn forward(by: time::Duration) -> i64 {
    by.whole_seconds().max(0)
}

/// A time as HTTP's `Date` and `Last-Modified` headers write it: `Tue, 01 Dec 2026 10:00:00 GMT`.
pub fn http_date(time: OffsetDateTime) -> String {
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    time.to_offset(time::UtcOffset::UTC)
        .format(&format)
        .unwrap_or_default()
}

/// Parses a duration as learners type it: `90s`, `15m`, `2h`, `3d`, `1h30m`.
pub fn parse_duration(text: &str) -> Option<time::Duration> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let mut total = 0i64;
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            _ => return None,
        };
        total = total.checked_add(number.parse::<i64>().ok()?.checked_mul(unit)?)?;
        number.clear();
    }
    if !number.is_empty() {
        return None;
    }
    Some(time::Duration::seconds(total))
}

/// A duration as a learner reads it: `2h 30m`, `45s`, `0s`.
pub fn describe(duration: time::Duration) -> String {
    let mut seconds = duration.whole_seconds().max(0);
    let mut parts = Vec::new();
    for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] {
        if seconds >= size {
            parts.push(format!("{}{unit}", seconds / size));
            seconds %= size;
        }
    }
    if parts.is_empty() {
        "0s".to_string()
    } else {
        parts.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fast_clock_runs_ahead_and_never_back() {
        let mut clock = Clock::default();
        let before = clock.now();
        clock.run_faster(600);
        std::thread::sleep(std::time::Duration::from_millis(20));
        let ahead = clock.now() - before;
        assert!(ahead >= time::Duration::seconds(10), "{ahead}");
        let saved = serde_json::to_string(&clock).expect("save");
        assert_eq!(saved, r#"{"offset_seconds":0}"#, "the speed is not saved");
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("2h"), Some(time::Duration::hours(2)));
        assert_eq!(parse_duration("1h30m"), Some(time::Duration::minutes(90)));
        assert_eq!(parse_duration("45s"), Some(time::Duration::seconds(45)));
        assert_eq!(parse_duration("2"), None);
        assert_eq!(parse_duration("2w"), None);
        assert_eq!(parse_duration(""), None);
    }

    #[test]
    fn described() {
        assert_eq!(describe(time::Duration::minutes(150)), "2h 30m");
        assert_eq!(describe(time::Duration::ZERO), "0s");
        assert_eq!(describe(time::Duration::seconds(90061)), "1d 1h 1m 1s");
    }

    #[test]
    fn an_account_moved_alone_leaves_the_others_where_they_were() {
        let mut clock = Clock::default();
        clock.advance_account("111111111111", time::Duration::hours(2));
        clock.advance(time::Duration::minutes(30));
        let ahead = |clock: &Clock, account| clock.ahead_for(account).whole_minutes();
        assert_eq!(ahead(&clock, "111111111111"), 150);
        assert_eq!(ahead(&clock, "222222222222"), 30);
        let gap = clock.now_for("111111111111") - clock.now_for("222222222222");
        assert!((gap - time::Duration::hours(2)).abs() < time::Duration::seconds(1));
        clock.advance_account("222222222222", time::Duration::hours(-3));
        assert_eq!(ahead(&clock, "222222222222"), 30, "never back");
        let saved: Clock =
            serde_json::from_str(&serde_json::to_string(&clock).expect("save")).expect("load");
        assert_eq!(saved, clock);
    }

    #[test]
    fn advancing_moves_now_forward_only() {
        let mut clock = Clock::default();
        let before = clock.now();
        clock.advance(time::Duration::hours(2));
        assert!(clock.now() - before >= time::Duration::hours(2));
        clock.advance(time::Duration::hours(-5));
        assert!(clock.now() - before >= time::Duration::hours(2));
    }
}
