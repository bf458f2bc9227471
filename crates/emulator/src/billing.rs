//! The bill: EC2 usage charged per second with a 60-second minimum per run, public IPv4
//! addresses by the address-hour, and EBS volumes by the GB-month, from the dated price
//! table, with the free tier applied as the account's plan says.
//!
//! Computed from each instance's runs, each address's spans, each volume's life and the
//! simulated clock whenever it is asked for, so advancing the clock grows the bill and
//! terminating an instance stops it growing (all but a volume kept after it).

use std::collections::BTreeMap;

use time::{Date, Month, OffsetDateTime, Time};

use super::ec2::instances::{Instance, Run};
use super::state::{Account, FreePlan};
use cloudlings_core::prices;

/// Per-second billing charges at least this much of every run.
pub const MINIMUM_SECONDS: i64 = 60;
/// The legacy free tier: hours a month of t2.micro/t3.micro, for Linux and for Windows.
pub const FREE_TIER_HOURS: f64 = 750.0;
/// The credit plan of accounts made since 15 July 2025.
pub const SIGN_UP_CREDIT: f64 = 100.0;

/// What a line of the bill is for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Usage {
    /// Instance hours of a type, Linux or Windows.
    Instance {
        instance_type: String,
        windows: bool,
    },
    /// Public IPv4 address-hours.
    PublicIpv4,
    /// EBS GB-months of a volume type.
    Storage { volume_type: String },
}

/// The service a line is billed under, as the console groups them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Service {
    /// Instances and EBS volumes.
    Ec2,
    /// Public IPv4 addresses.
    Vpc,
}

/// One line of the bill: usage of one kind in one region, priced.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub region: String,
    pub usage: Usage,
    /// USD per unit: an hour, an address-hour, a GB-month.
    pub rate: f64,
    /// Hours, address-hours or GB-months.
    pub quantity: f64,
    pub cost: f64,
}

/// Four decimals at most, without a float's tail: prices are such (Windows is Linux plus a
/// licence fee, a sum of two).
fn price(rate: f64) -> String {
    let text = format!("{rate:.4}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

impl Line {
    /// The line as the console writes it: `$0.0144 per On Demand Linux t2.micro Instance
    /// Hour`, `$0.005 per In-use public IPv4 address per hour`, `$0.0912 per GB-month of
    /// General Purpose SSD (gp3) provisioned storage - Asia Pacific (Seoul)`.
    pub fn description(&self) -> String {
        let rate = price(self.rate);
        match &self.usage {
            Usage::Instance {
                instance_type,
                windows,
            } => {
                let os = if *windows { "Windows" } else { "Linux" };
                format!("${rate} per On Demand {os} {instance_type} Instance Hour")
            }
            Usage::PublicIpv4 => format!("${rate} per In-use public IPv4 address per hour"),
            Usage::Storage { volume_type } => format!(
                "${rate} per GB-month of General Purpose SSD ({volume_type}) provisioned storage - {}",
                prices::region_title(&self.region)
            ),
        }
    }

    pub fn service(&self) -> Service {
        match self.usage {
            Usage::PublicIpv4 => Service::Vpc,
            _ => Service::Ec2,
        }
    }

    /// The instance type of an instance line.
    pub fn instance_type(&self) -> Option<&str> {
        match &self.usage {
            Usage::Instance { instance_type, .. } => Some(instance_type),
            _ => None,
        }
    }
}

/// What a free allowance covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pool {
    /// 750 hours a month of t2.micro/t3.micro on Linux, and as many on Windows.
    Linux,
    Windows,
    /// 750 public IPv4 address-hours a month.
    PublicIpv4,
    /// 30 GB-months of EBS a month.
    Storage,
}

impl Pool {
    /// How much the legacy free tier gives a month, in the pool's unit.
    pub fn allowance(self) -> f64 {
        match self {
            Pool::Linux | Pool::Windows => FREE_TIER_HOURS,
            Pool::PublicIpv4 => prices::FREE_IPV4_HOURS,
            Pool::Storage => prices::FREE_EBS_GB_MONTHS,
        }
    }

    fn of(usage: &Usage) -> Option<Pool> {
        match usage {
            Usage::Instance {
                instance_type,
                windows,
            } if matches!(instance_type.as_str(), "t2.micro" | "t3.micro") => {
                Some(if *windows { Pool::Windows } else { Pool::Linux })
            }
            Usage::Instance { .. } => None,
            Usage::PublicIpv4 => Some(Pool::PublicIpv4),
            // The 30 GB-months are of gp2, gp3 or magnetic storage: all the table has.
            Usage::Storage { .. } => Some(Pool::Storage),
        }
    }
}

/// A free allowance used this month, and what it saved.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Free {
    pub pool: Pool,
    pub used: f64,
    pub value: f64,
}

/// A month's bill.
#[derive(Debug, Clone, PartialEq)]
pub struct Bill {
    pub month_start: OffsetDateTime,
    pub lines: Vec<Line>,
    /// The legacy free tier's allowances used, in the order the bill shows them.
    pub free: Vec<Free>,
    /// Credits applied (credit plan).
    pub credits: f64,
    pub plan: FreePlan,
}

impl Bill {
    pub fn charges(&self) -> f64 {
        self.lines.iter().map(|line| line.cost).sum()
    }

    /// What the free tier saved.
    pub fn free_value(&self) -> f64 {
        self.free.iter().map(|free| free.value).sum()
    }

    /// The allowance of a pool used this month, if any.
    pub fn free_used(&self, pool: Pool) -> f64 {
        self.free
            .iter()
            .filter(|free| free.pool == pool)
            .map(|free| free.used)
            .sum()
    }

    /// What is owed, in cents: charges less the free tier and credits, rounded as AWS rounds
    /// the total (to the nearest cent).
    pub fn total_cents(&self) -> i64 {
        ((self.charges() - self.free_value() - self.credits).max(0.0) * 100.0).round() as i64
    }
}

/// The first instant of the month `now` is in.
pub fn month_start(now: OffsetDateTime) -> OffsetDateTime {
    let date = Date::from_calendar_date(now.year(), now.month(), 1).unwrap_or(now.date());
    date.with_time(Time::MIDNIGHT).assume_utc()
}

/// The seconds of the month that starts at `start`: a GB-month is a GB kept that long, so a
/// volume kept all of February costs what one kept all of March does.
pub fn month_seconds(start: OffsetDateTime) -> i64 {
    let days = i64::from(start.month().length(start.year()));
    days * 86_400
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

/// Seconds of spans (a public address held) in the month that starts at `month`, up to `now`.
fn span_seconds(spans: &[Run], month: OffsetDateTime, now: OffsetDateTime) -> i64 {
    spans
        .iter()
        .map(|span| {
            let end = span.to.unwrap_or(now).min(now);
            (end - span.from.max(month)).whole_seconds().max(0)
        })
        .sum()
}

/// The bill of an account for the month of `now`.
pub fn bill(account: &Account, now: OffsetDateTime) -> Bill {
    let start = month_start(now);
    // Seconds (instances, addresses) or GB-seconds (volumes), by region and usage.
    let mut usage: BTreeMap<(String, Usage), i64> = BTreeMap::new();
    let mut add = |region: &str, kind: Usage, amount: i64| {
        if amount > 0 {
            *usage.entry((region.to_string(), kind)).or_default() += amount;
        }
    };
    for (region, state) in &account.ec2.regions {
        for instance in state.instances.values() {
            add(
                region,
                Usage::Instance {
                    instance_type: instance.instance_type.clone(),
                    windows: instance.windows,
                },
                billed_seconds(instance, start, now),
            );
            add(
                region,
                Usage::PublicIpv4,
                span_seconds(&instance.addressed, start, now),
            );
        }
        for volume in state.volumes.values() {
            add(
                region,
                Usage::Storage {
                    volume_type: volume.volume_type.clone(),
                },
                i64::from(volume.size_gib) * volume.seconds_between(start, now),
            );
        }
    }
    let month = month_seconds(start) as f64;
    let lines: Vec<Line> = usage
        .into_iter()
        .filter_map(|((region, kind), amount)| {
            let (rate, quantity) = match &kind {
                Usage::Instance {
                    instance_type,
                    windows,
                } => (
                    prices::hourly(&region, instance_type, *windows)?,
                    amount as f64 / 3600.0,
                ),
                Usage::PublicIpv4 => (prices::public_ipv4_hourly(&region), amount as f64 / 3600.0),
                Usage::Storage { volume_type } => (
                    prices::ebs_gb_month(&region, volume_type)?,
                    amount as f64 / month,
                ),
            };
            Some(Line {
                region,
                usage: kind,
                rate,
                quantity,
                cost: rate * quantity,
            })
        })
        .collect();

    let plan = account.free_plan;
    let within_year = now < account.created + time::Duration::days(365);
    let mut free: Vec<Free> = Vec::new();
    let mut credits = 0.0;
    match plan {
        FreePlan::Legacy if within_year => {
            // Each pool is spent on its lines in the order they come.
            for line in &lines {
                let Some(pool) = Pool::of(&line.usage) else {
                    continue;
                };
                let index = match free.iter().position(|f| f.pool == pool) {
                    Some(index) => index,
                    None => {
                        free.push(Free {
                            pool,
                            used: 0.0,
                            value: 0.0,
                        });
                        free.len() - 1
                    }
                };
                let entry = &mut free[index];
                let quantity = line.quantity.min(pool.allowance() - entry.used);
                entry.used += quantity;
                entry.value += quantity * line.rate;
            }
            free.retain(|f| f.used > 0.0);
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
        free,
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
            alias: None,
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
        assert!((bill.lines[0].quantity - 2.0).abs() < 1e-9);
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
        assert!((bill.lines[0].quantity - 60.0 / 3600.0).abs() < 1e-12);
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
            (super::bill(&ninety, datetime!(2026-11-26 15:00 UTC)).lines[0].quantity
                - 90.0 / 3600.0)
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
            (bill.lines[0].quantity - 3.0).abs() < 1e-9,
            "{}",
            bill.lines[0].quantity
        );
        assert_eq!(bill.total_cents(), 31, "3 h x $0.104 = $0.312");
    }

    #[test]
    fn a_windows_line_prints_its_price_as_a_price_list_does() {
        let line = Line {
            region: "ap-northeast-2".into(),
            usage: Usage::Instance {
                instance_type: "t3.micro".into(),
                windows: true,
            },
            rate: 0.013 + 0.0046 * 2.0,
            quantity: 1.0,
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
        assert!((bill.free_used(Pool::Linux) - 600.0).abs() < 1e-9);
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
            (bill.free_used(Pool::Linux) - 750.0).abs() < 1e-9,
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
            (bill.free_used(Pool::Linux) - 10.0).abs() < 1e-9
                && (bill.free_used(Pool::Windows) - 20.0).abs() < 1e-9
        );
        assert!((bill.free[0].value - 10.0 * 0.0144).abs() < 1e-9);
        let windows =
            cloudlings_core::prices::hourly("ap-northeast-2", "t2.micro", true).expect("price");
        assert!((bill.free[1].value - 20.0 * windows).abs() < 1e-9);
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

    /// A t2.micro with a public address and its 8 GiB root volume, launched at `from`.
    fn forgotten(plan: FreePlan, from: OffsetDateTime) -> Account {
        let mut i = instance(
            "t2.micro",
            false,
            vec![run(from + crate::ec2::instances::BOOT, None)],
        );
        i.addressed = vec![run(from, None)];
        let mut a = account(plan, vec![i]);
        let region = a.ec2.regions.get_mut("ap-northeast-2").expect("region");
        let id = region.instances.keys().next().expect("instance").clone();
        let planned = crate::ec2::volumes::plan(&[], "/dev/sda1", 8, "gp3").expect("plan");
        for volume in crate::ec2::volumes::create(&planned, &id, "ap-northeast-2a", from) {
            region.volumes.insert(volume.id.clone(), volume);
        }
        a
    }

    #[test]
    fn a_forgotten_instance_bills_its_address_and_its_volume_too() {
        let from = datetime!(2026-12-01 00:00 UTC);
        let now = datetime!(2026-12-31 00:00 UTC);
        let bill = bill(&forgotten(FreePlan::None, from), now);
        let descriptions: Vec<String> = bill.lines.iter().map(Line::description).collect();
        assert_eq!(
            descriptions,
            [
                "$0.0144 per On Demand Linux t2.micro Instance Hour",
                "$0.005 per In-use public IPv4 address per hour",
                "$0.0912 per GB-month of General Purpose SSD (gp3) provisioned storage - Asia Pacific (Seoul)",
            ]
        );
        // 30 days of December's 31: 720 hours (less the 10 s boot for the instance), and
        // 8 GB x 30/31 of a GB-month.
        assert!((bill.lines[1].quantity - 720.0).abs() < 1e-9);
        assert!((bill.lines[2].quantity - 8.0 * 30.0 / 31.0).abs() < 1e-9);
        let expected: f64 =
            (720.0 - 10.0 / 3600.0) * 0.0144 + 720.0 * 0.005 + 8.0 * 30.0 / 31.0 * 0.0912;
        assert_eq!(bill.total_cents(), (expected * 100.0).round() as i64);
        assert_eq!(bill.total_cents(), 1467);

        let legacy = super::bill(&forgotten(FreePlan::Legacy, from), now);
        assert_eq!(
            legacy.total_cents(),
            0,
            "750 h, 750 h and 30 GB-months cover it"
        );
        assert!((legacy.free_used(Pool::Storage) - 8.0 * 30.0 / 31.0).abs() < 1e-9);
        let credits = super::bill(&forgotten(FreePlan::Credits, from), now);
        assert_eq!(credits.total_cents(), 0);
        assert!((credits.credits - expected).abs() < 1e-9);
    }

    #[test]
    fn a_month_of_volume_is_a_gb_month_whatever_the_month() {
        assert_eq!(month_seconds(datetime!(2026-02-01 0:00 UTC)), 28 * 86_400);
        assert_eq!(month_seconds(datetime!(2028-02-01 0:00 UTC)), 29 * 86_400);
        let feb = super::bill(
            &forgotten(FreePlan::None, datetime!(2026-02-01 0:00 UTC)),
            datetime!(2026-02-28 23:59:59 UTC),
        );
        let storage = feb
            .lines
            .iter()
            .find(|l| l.service() == Service::Ec2 && l.instance_type().is_none());
        assert!((storage.expect("storage").quantity - 8.0).abs() < 1e-4);
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
