//! What one account may hold and how fast it may ask: AWS's own quotas, and lower ones a
//! classroom sets for its learners (`serve --quota instances=3,buckets=3,storage=64MiB,rate=20`),
//! so that one learner's loop can neither fill the teacher's disk nor slow the room.
//!
//! Each is refused as AWS refuses it, so the SDKs and the CLI know what they meet: too many
//! instances is EC2's `InstanceLimitExceeded`, too many buckets S3's `TooManyBuckets`, too
//! many requests EC2's `RequestLimitExceeded`, S3's `SlowDown` and the query services'
//! `Throttling` (which the SDKs retry with backoff, as they do on AWS). S3 has no storage
//! quota of its own; the classroom's is refused as `QuotaExceeded`, saying how much is left.
//!
//! The installation's own account (the teacher's, in a classroom) keeps AWS's quotas.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// The quotas of an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quotas {
    /// Instances running or pending in one region (AWS counts vCPUs; a room counts machines).
    pub instances: usize,
    /// Buckets the account owns.
    pub buckets: usize,
    /// Bytes of objects in the account's buckets.
    pub storage: u64,
    /// Requests a second, on average, with bursts of as many again; 0 for no limit.
    pub rate: u32,
}

impl Default for Quotas {
    /// AWS's: 128 instances a region is well under a new account's vCPU quota of standard
    /// instances for the small types the course uses, and 10,000 buckets is S3's default
    /// since November 2024. Storage and request rate have no account-wide limit there.
    fn default() -> Quotas {
        Quotas {
            instances: 128,
            buckets: 10_000,
            storage: u64::MAX,
            rate: 0,
        }
    }
}

impl Quotas {
    /// Reads `instances=3,buckets=3,storage=64MiB,rate=20`; what is not named keeps AWS's.
    pub fn parse(text: &str) -> Result<Quotas, String> {
        let mut quotas = Quotas::default();
        for part in text
            .split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
        {
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| format!("`{part}` is not NAME=VALUE"))?;
            let number = |value: &str| {
                value
                    .trim()
                    .parse::<u64>()
                    .map_err(|_| format!("`{value}` is not a whole number, in `{part}`"))
            };
            match name.trim() {
                "instances" => quotas.instances = number(value)? as usize,
                "buckets" => quotas.buckets = number(value)? as usize,
                "rate" => {
                    quotas.rate = u32::try_from(number(value)?)
                        .map_err(|_| format!("`{value}` is too many requests a second"))?;
                }
                "storage" => {
                    quotas.storage = bytes(value).ok_or_else(|| {
                        format!("`{value}` is not a size such as 512KiB, 64MiB or 1GiB")
                    })?
                }
                other => {
                    return Err(format!(
                        "`{other}` is not a quota: instances, buckets, storage or rate"
                    ));
                }
            }
        }
        Ok(quotas)
    }
}

/// `64MiB`, `1GiB`, `512KiB`, `100MB`, or bytes.
fn bytes(text: &str) -> Option<u64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let unit = match unit.trim() {
        "" | "B" => 1,
        "KB" => 1_000,
        "MB" => 1_000_000,
        "GB" => 1_000_000_000,
        "KiB" => 1 << 10,
        "MiB" => 1 << 20,
        "GiB" => 1 << 30,
        _ => return None,
    };
    number.parse::<u64>().ok()?.checked_mul(unit)
}

/// A size as a message says it: `64 MiB`, `1.5 KiB`.
pub fn describe_bytes(bytes: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (unit, size) in UNITS {
        if bytes >= size {
            let whole = bytes as f64 / size as f64;
            let shown = format!("{whole:.1}");
            return format!("{} {unit}", shown.trim_end_matches(".0"));
        }
    }
    format!("{bytes} B")
}

/// Each account's request rate, as token buckets: a bucket holds up to a second's worth of
/// requests and refills at the rate.
#[derive(Debug, Default)]
pub struct Rates {
    buckets: Mutex<HashMap<String, Tokens>>,
}

#[derive(Debug, Clone, Copy)]
struct Tokens {
    left: f64,
    at: Instant,
}

impl Rates {
    /// Whether `account` may make one more request now, at `rate` a second; it is counted.
    pub fn admit(&self, account: &str, rate: u32) -> bool {
        self.take(account, rate, true)
    }

    /// Whether `account` has a request left now, at `rate` a second, without counting one.
    pub fn has_room(&self, account: &str, rate: u32) -> bool {
        self.take(account, rate, false)
    }

    fn take(&self, account: &str, rate: u32, spend: bool) -> bool {
        if rate == 0 {
            return true;
        }
        let rate = f64::from(rate);
        let now = Instant::now();
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let tokens = buckets.entry(account.to_string()).or_insert(Tokens {
            left: rate,
            at: now,
        });
        let refilled = now.duration_since(tokens.at).as_secs_f64() * rate;
        tokens.left = (tokens.left + refilled).min(rate);
        tokens.at = now;
        if tokens.left < 1.0 {
            return false;
        }
        if spend {
            tokens.left -= 1.0;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotas_read_as_written_and_keep_aws_s_for_the_rest() {
        let quotas = Quotas::parse("instances=3, buckets=2,storage=64MiB,rate=20").expect("valid");
        assert_eq!(
            quotas,
            Quotas {
                instances: 3,
                buckets: 2,
                storage: 64 << 20,
                rate: 20,
            }
        );
        assert_eq!(
            Quotas::parse("storage=1GiB").expect("valid"),
            Quotas {
                storage: 1 << 30,
                ..Quotas::default()
            }
        );
        assert_eq!(Quotas::parse("").expect("empty"), Quotas::default());
        for bad in [
            "instances",
            "instances=many",
            "disks=3",
            "storage=3 parsecs",
            "rate=-1",
        ] {
            assert!(Quotas::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(describe_bytes(64 << 20), "64 MiB");
        assert_eq!(describe_bytes(1536), "1.5 KiB");
        assert_eq!(describe_bytes(10), "10 B");
    }

    #[test]
    fn a_rate_admits_its_burst_then_refills() {
        let rates = Rates::default();
        let admitted = (0..25).filter(|_| rates.admit("111111111111", 10)).count();
        assert_eq!(admitted, 10, "a second's worth at once");
        assert!(
            rates.admit("222222222222", 10),
            "another account has its own"
        );
        std::thread::sleep(std::time::Duration::from_millis(250));
        let again = (0..25).filter(|_| rates.admit("111111111111", 10)).count();
        assert!((2..=3).contains(&again), "{again} after a quarter second");
        assert!(
            (0..1000).all(|_| rates.admit("111111111111", 0)),
            "0 is no limit"
        );
        assert!(
            (0..10).all(|_| rates.has_room("333333333333", 1)),
            "looking spends nothing"
        );
        assert!(rates.admit("333333333333", 1) && !rates.has_room("333333333333", 1));
    }
}
