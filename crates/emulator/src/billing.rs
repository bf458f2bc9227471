//! The bill: EC2 usage charged per second with a 60-second minimum per run, from the dated
//! price table, with the free tier applied as the account's plan says.
//!
//! Computed from each instance's runs and the simulated clock whenever it is asked for, so
//! advancing the clock grows the bill and terminating an instance stops it growing.

use std::collections::BTreeMap;

use time::{Date, Month, OffsetDateTime, Time};

use super::ec2::instances::Instance;
use super::state::{Account, FreePlan};
use cloudlings_core::prices;

/// Per-second billing charges at least this much of every run.
pub const MINIMUM_SECONDS: i64 = 60;
/// The legacy free tier: hours a month of t2.micro/t3.micro, for Linux and for Windows.
pub const FREE_TIER_HOURS: f64 = 750.0;
/// The credit plan of accounts made since 15 July 2025.
pub const SIGN_UP_CREDIT: f64 = 100.0;

/// One line of the bill: usage of one kind, priced.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub region: String,
    pub instance_type: String,
    pub windows: bool,
    pub hourly: f64,
    pub hours: f64,
    pub cost: f64,
}

impl Line {
    /// `$0.0144 per On Demand Linux t2.micro Instance Hour`, as the console writes it.
    pub fn description(&self) -> String {
        let os = if self.windows { "Windows" } else { "Linux" };
        // Prices have four decimals at most; a sum of two (Windows is Linux plus a licence
        // fee) must not print a float's tail.
        let hourly = format!("{:.4}", self.hourly);
        let hourly = hourly.trim_end_matches('0').trim_end_matches('.');
        format!(
            "${hourly} per On Demand {os} {} Instance Hour",
            self.instance_type
        )
    }
}

/// A month's bill.
#[derive(Debug, Clone, PartialEq)]
pub struct Bill {
    pub month_start: OffsetDateTime,
    pub lines: Vec<Line>,
    /// Free-tier hours used and their value, per pool (Linux, Windows).
    pub free_hours: [f64; 2],
    pub free_value: [f64; 2],
    /// Credits applied (credit plan).
    pub credits: f64,
    pub plan: FreePlan,
}

impl Bill {
    pub fn charges(&self) -> f64 {
        self.lines.iter().map(|line| line.cost).sum()
    }

    /// What is owed, in cents: charges less the free tier and credits, rounded as AWS rounds
    /// the total (to the nearest cent).
    pub fn total_cents(&self) -> i64 {
        let free: f64 = self.free_value.iter().sum();
        ((self.charges() - free - self.credits).max(0.0) * 100.0).round() as i64
    }
}

/// The first instant of the month `now` is in.
pub fn month_start(now: OffsetDateTime) -> OffsetDateTime {
    let date = Date::from_calendar_date(now.year(), now.month(), 1).unwrap_or(now.date());
    date.with_time(Time::MIDNIGHT).assume_utc()
}

/// Seconds of an instance's runs billed in the month that starts at `month`, up to `now`.
/// A run is billed from the end of its boot to its stop, at least a minute; a run ended while
/// still booting is not billed at all.
fn billed_seconds(instance: &Instance, month: OffsetDateTime, now: OffsetDateTime) -> i64 {
    instance
        .runs
        .iter()
        .map(|run| {
            let end = run.to.unwrap_or(now).min(now);
            if end <= run.from {
                return 0;
            }
            let length = (end - run.from).whole_seconds().max(MINIMUM_SECONDS);
            let billed_end = run.from + time::Duration::seconds(length);
            (billed_end - run.from.max(month)).whole_seconds().max(0)
        })
        .sum()
}

/// The bill of an account for the month of `now`.
pub fn bill(account: &Account, now: OffsetDateTime) -> Bill {
    let start = month_start(now);
    let mut usage: BTreeMap<(String, String, bool), i64> = BTreeMap::new();
    for (region, state) in &account.ec2.regions {
        for instance in state.instances.values() {
            let seconds = billed_seconds(instance, start, now);
            if seconds > 0 {
                *usage
                    .entry((
                        region.clone(),
                        instance.instance_type.clone(),
                        instance.windows,
                    ))
                    .or_default() += seconds;
            }
        }
    }
    let lines: Vec<Line> = usage
        .into_iter()
        .filter_map(|((region, instance_type, windows), seconds)| {
            let hourly = prices::hourly(&region, &instance_type, windows)?;
            let hours = seconds as f64 / 3600.0;
            Some(Line {
                region,
                instance_type,
                windows,
                hourly,
                hours,
                cost: hours * hourly,
            })
        })
        .collect();

    let plan = account.free_plan;
    let within_year = now < account.created + time::Duration::days(365);
    let mut free_hours = [0.0, 0.0];
    let mut free_value = [0.0, 0.0];
    let mut credits = 0.0;
    match plan {
        FreePlan::Legacy if within_year => {
            // The pool is spent on the free types in the order their lines come.
            for line in lines
                .iter()
                .filter(|l| matches!(l.instance_type.as_str(), "t2.micro" | "t3.micro"))
            {
                let pool = usize::from(line.windows);
                let hours = line.hours.min(FREE_TIER_HOURS - free_hours[pool]);
                free_hours[pool] += hours;
                free_value[pool] += hours * line.hourly;
            }
        }
        FreePlan::Credits if within_year => {
            let charges: f64 = lines.iter().map(|l| l.cost).sum();
            credits = charges.min(SIGN_UP_CREDIT);
        }
        _ => {}
    }
    Bill {
        month_start: start,
        lines,
        free_hours,
        free_value,
        credits,
        plan,
    }
}

/// `November 2026`.
pub fn month_name(start: OffsetDateTime) -> String {
    let month = match start.month() {
        Month::January => "January",
        Month::February => "February",
        Month::March => "March",
        Month::April => "April",
        Month::May => "May",
        Month::June => "June",
        Month::July => "July",
        Month::August => "August",
        Month::September => "September",
        Month::October => "October",
        Month::November => "November",
        Month::December => "December",
    };
    format!("{month} {}", start.year())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ec2::instances::Run;
    use crate::ec2::{Ec2, RegionState};
    use time::macros::datetime;

    fn instance(instance_type: &str, windows: bool, runs: Vec<Run>) -> Instance {
        let json = serde_json::json!({
            "id": "i-0123456789abcdef0", "reservation_id": "r-1", "owner": "123456789012",
            "image_id": "ami-1", "image_name": "x", "instance_type": instance_type, "windows": windows,
            "security_groups": [], "subnet_id": "subnet-1", "vpc_id": "vpc-1", "zone": "ap-northeast-2a",
            "private_ip": "172.31.0.4", "launch_index": 0, "launch_time": "2026-11-01T00:00:00Z",
            "phase": "running", "since": "2026-11-01T00:00:00Z",
        });
        let mut instance: Instance = serde_json::from_value(json).expect("instance");
        instance.runs = runs;
        instance
    }

    fn account(plan: FreePlan, instances: Vec<Instance>) -> Account {
        let mut region = RegionState::default();
        for (n, mut i) in instances.into_iter().enumerate() {
            i.id = format!("i-{n:017x}");
            region.instances.insert(i.id.clone(), i);
        }
        let mut ec2 = Ec2::default();
        ec2.regions.insert("ap-northeast-2".into(), region);
        Account {
            id: "123456789012".into(),
            created: datetime!(2026-01-01 0:00 UTC),
            ec2,
            iam: Default::default(),
            cloudfront: Default::default(),
            free_plan: plan,
            events: Default::default(),
        }
    }

    fn run(from: OffsetDateTime, to: Option<OffsetDateTime>) -> Run {
        Run { from, to }
    }

    #[test]
    fn two_hours_of_t3_medium_in_seoul() {
        let a = account(
            FreePlan::None,
            vec![instance(
                "t3.medium",
                false,
                vec![run(
                    datetime!(2026-11-26 10:00 UTC),
                    Some(datetime!(2026-11-26 12:00 UTC)),
                )],
            )],
        );
        let bill = bill(&a, datetime!(2026-11-26 15:00 UTC));
        assert_eq!(bill.lines.len(), 1);
        assert_eq!(
            bill.lines[0].description(),
            "$0.052 per On Demand Linux t3.medium Instance Hour"
        );
        assert!((bill.lines[0].hours - 2.0).abs() < 1e-9);
        assert_eq!(bill.total_cents(), 10, "2 h x $0.052 = $0.104");
    }

    #[test]
    fn a_twenty_second_run_costs_a_minute() {
        let a = account(
            FreePlan::None,
            vec![instance(
                "m5.large",
                false,
                vec![run(
                    datetime!(2026-11-26 10:00:00 UTC),
                    Some(datetime!(2026-11-26 10:00:20 UTC)),
                )],
            )],
        );
        let bill = bill(&a, datetime!(2026-11-26 15:00 UTC));
        assert!((bill.lines[0].hours - 60.0 / 3600.0).abs() < 1e-12);
        let ninety = account(
            FreePlan::None,
            vec![instance(
                "m5.large",
                false,
                vec![run(
                    datetime!(2026-11-26 10:00:00 UTC),
                    Some(datetime!(2026-11-26 10:01:30 UTC)),
                )],
            )],
        );
        assert!(
            (super::bill(&ninety, datetime!(2026-11-26 15:00 UTC)).lines[0].hours - 90.0 / 3600.0)
                .abs()
                < 1e-12
        );
    }

    #[test]
    fn a_running_instance_is_billed_up_to_now_and_only_this_month() {
        let a = account(
            FreePlan::None,
            vec![instance(
                "t3.large",
                false,
                vec![run(datetime!(2026-10-31 22:00 UTC), None)],
            )],
        );
        let bill = bill(&a, datetime!(2026-11-01 03:00 UTC));
        assert!(
            (bill.lines[0].hours - 3.0).abs() < 1e-9,
            "{}",
            bill.lines[0].hours
        );
        assert_eq!(bill.total_cents(), 31, "3 h x $0.104 = $0.312");
    }

    #[test]
    fn a_windows_line_prints_its_price_as_a_price_list_does() {
        let line = Line {
            region: "ap-northeast-2".into(),
            instance_type: "t3.micro".into(),
            windows: true,
            hourly: 0.013 + 0.0046 * 2.0,
            hours: 1.0,
            cost: 0.0222,
        };
        assert_eq!(
            line.description(),
            "$0.0222 per On Demand Windows t3.micro Instance Hour"
        );
    }

    #[test]
    fn the_legacy_free_tier_covers_750_hours_of_t2_micro() {
        let a = account(
            FreePlan::Legacy,
            vec![
                instance(
                    "t2.micro",
                    false,
                    vec![run(
                        datetime!(2026-11-01 00:00 UTC),
                        Some(datetime!(2026-11-26 00:00 UTC)),
                    )],
                ),
                instance(
                    "t3.medium",
                    false,
                    vec![run(
                        datetime!(2026-11-02 00:00 UTC),
                        Some(datetime!(2026-11-02 10:00 UTC)),
                    )],
                ),
            ],
        );
        let bill = bill(&a, datetime!(2026-11-30 00:00 UTC));
        assert!((bill.free_hours[0] - 600.0).abs() < 1e-9);
        assert_eq!(
            bill.total_cents(),
            52,
            "the t2.micro is free, the t3.medium is not: 10 h x $0.052"
        );

        let two = account(
            FreePlan::Legacy,
            vec![
                instance(
                    "t2.micro",
                    false,
                    vec![run(datetime!(2026-11-01 00:00 UTC), None)],
                ),
                instance(
                    "t2.micro",
                    false,
                    vec![run(datetime!(2026-11-01 00:00 UTC), None)],
                ),
            ],
        );
        let bill = super::bill(&two, datetime!(2026-11-30 00:00 UTC));
        assert!(
            (bill.free_hours[0] - 750.0).abs() < 1e-9,
            "one pool for all instances"
        );
        assert_eq!(
            bill.total_cents(),
            (((2.0 * 696.0 - 750.0) * 0.0144_f64) * 100.0).round() as i64
        );
    }

    #[test]
    fn linux_and_windows_have_a_free_pool_each() {
        let month = |t| run(datetime!(2026-11-01 00:00 UTC), Some(t));
        let a = account(
            FreePlan::Legacy,
            vec![
                instance(
                    "t2.micro",
                    false,
                    vec![month(datetime!(2026-11-01 10:00 UTC))],
                ),
                instance(
                    "t2.micro",
                    true,
                    vec![month(datetime!(2026-11-01 20:00 UTC))],
                ),
            ],
        );
        let bill = bill(&a, datetime!(2026-11-26 00:00 UTC));
        assert!(
            (bill.free_hours[0] - 10.0).abs() < 1e-9 && (bill.free_hours[1] - 20.0).abs() < 1e-9
        );
        assert!((bill.free_value[0] - 10.0 * 0.0144).abs() < 1e-9);
        let windows =
            cloudlings_core::prices::hourly("ap-northeast-2", "t2.micro", true).expect("price");
        assert!((bill.free_value[1] - 20.0 * windows).abs() < 1e-9);
        assert_eq!(bill.total_cents(), 0);
    }

    #[test]
    fn credits_pay_until_they_run_out_and_no_plan_pays_nothing() {
        let a = account(
            FreePlan::Credits,
            vec![instance(
                "t3.large",
                false,
                vec![run(
                    datetime!(2026-11-01 00:00 UTC),
                    Some(datetime!(2026-11-02 00:00 UTC)),
                )],
            )],
        );
        let bill = bill(&a, datetime!(2026-11-26 00:00 UTC));
        assert_eq!(bill.total_cents(), 0);
        assert!((bill.credits - 24.0 * 0.104).abs() < 1e-9);
        let none = account(
            FreePlan::None,
            vec![instance(
                "t2.micro",
                false,
                vec![run(
                    datetime!(2026-11-01 00:00 UTC),
                    Some(datetime!(2026-11-01 01:00 UTC)),
                )],
            )],
        );
        assert_eq!(
            super::bill(&none, datetime!(2026-11-26 00:00 UTC)).total_cents(),
            1,
            "1 h x $0.0144"
        );
    }

    #[test]
    fn month_boundaries() {
        assert_eq!(
            month_start(datetime!(2026-11-26 15:00 UTC)),
            datetime!(2026-11-01 0:00 UTC)
        );
        assert_eq!(month_name(datetime!(2026-11-01 0:00 UTC)), "November 2026");
    }
}
