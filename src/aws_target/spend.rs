//! `bill` on AWS: an estimate of what this session has spent, from the journal and the price
//! table, over wall-clock time. AWS's own bill is the authority, and it lags by hours; this is
//! what the learner can see now.

use super::journal::{Entry, Journal};
use cloudlings_core::operation::Resource;
use cloudlings_core::prices;

/// One resource's share of the estimate.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub kind: Resource,
    pub id: String,
    /// An instance's type, a bucket's stored bytes.
    pub detail: String,
    pub hours: f64,
    /// `None` when it is billed per use (a distribution) or the table has no price.
    pub cost: Option<f64>,
    /// Still costing money.
    pub running: bool,
}

/// The session's spend so far.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    pub lines: Vec<Line>,
}

impl Estimate {
    pub fn total(&self) -> f64 {
        self.lines.iter().filter_map(|line| line.cost).sum()
    }

    /// What the session's running resources cost per hour.
    pub fn hourly(&self, journal: &Journal) -> f64 {
        journal
            .entries
            .iter()
            .filter(|entry| entry.running_since.is_some() && !entry.gone)
            .filter_map(|entry| entry.hourly)
            .sum()
    }
}

/// The estimate for `session` at `at` (Unix seconds).
pub fn estimate(journal: &Journal, session: &str, at: i64) -> Estimate {
    let lines = journal
        .entries
        .iter()
        .filter(|entry| entry.session == session && entry.kind.billable())
        .map(|entry| line(entry, at))
        .collect();
    Estimate { lines }
}

fn line(entry: &Entry, at: i64) -> Line {
    let running = !entry.gone;
    match entry.kind {
        Resource::Instance => {
            let hours = entry.run_seconds(at) as f64 / 3600.0;
            Line {
                kind: entry.kind,
                id: entry.id.clone(),
                detail: entry.instance_type.clone().unwrap_or_default(),
                hours,
                cost: entry.hourly.map(|hourly| hourly * hours),
                running: running && entry.running_since.is_some(),
            }
        }
        Resource::Bucket => {
            let hours = (at - entry.created).max(0) as f64 / 3600.0;
            let gigabytes = entry.bytes as f64 / (1u64 << 30) as f64;
            let monthly = gigabytes * prices::s3_storage(&entry.region);
            Line {
                kind: entry.kind,
                id: entry.id.clone(),
                detail: format!("{} B", entry.bytes),
                hours,
                cost: Some(monthly * hours / prices::HOURS_PER_MONTH),
                running,
            }
        }
        _ => Line {
            kind: entry.kind,
            id: entry.id.clone(),
            detail: String::new(),
            hours: (at - entry.created).max(0) as f64 / 3600.0,
            cost: None,
            running,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instances_cost_their_hours_at_the_table_s_price() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (mut journal, _) = Journal::open(dir.path()).expect("open");
        let mut instance = Entry::new("s", None, Resource::Instance, "i-1", "ap-northeast-2");
        instance.hourly = prices::hourly("ap-northeast-2", "t2.micro", false);
        instance.instance_type = Some("t2.micro".into());
        instance.running_since = Some(0);
        journal.record(instance);
        journal.record(Entry::new("other", None, Resource::Instance, "i-2", "r"));
        let estimate = estimate(&journal, "s", 2 * 3600);
        assert_eq!(estimate.lines.len(), 1, "this session only");
        let price = prices::hourly("ap-northeast-2", "t2.micro", false).expect("priced");
        assert!((estimate.total() - 2.0 * price).abs() < 1e-9);
        assert!((estimate.hourly(&journal) - price).abs() < 1e-9);
    }
}
