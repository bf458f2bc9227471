//! The cost guard: what a command is about to create that costs money, priced from the same
//! dated table the emulator bills with, so the learner can say no before AWS starts counting.

use std::path::Path;

use aws_config::SdkConfig;

use crate::aws_cli::{Args, Params};
use crate::workstation::Workstation;
use cloudlings_core::operation::{Cost, Operation, Service};
use cloudlings_core::prices;

/// Something billable a command would create.
#[derive(Debug, Clone, PartialEq)]
pub enum Charge {
    /// `ec2 run-instances`: billed per second while they run, with a public IPv4 address and
    /// a root volume each.
    Instances {
        count: i32,
        instance_type: String,
        windows: bool,
        /// Per instance, when the price table has the type: the instance alone.
        hourly: Option<f64>,
        region: String,
        /// Each instance's root volume, from its image.
        root_gib: u32,
    },
    /// `ec2 start-instances`: stopped instances, billed again per second once they run, and
    /// given a public IPv4 address again.
    Restart {
        /// Each instance's id, type and hourly price with its new address (when the table has
        /// the type).
        instances: Vec<(String, String, Option<f64>)>,
    },
    /// `cloudfront create-distribution`: billed per request and per GB served.
    Distribution,
    /// `s3 cp`/`sync` (or `s3api put-object`) into a bucket: billed per GB-month stored.
    Upload {
        bucket: String,
        bytes: u64,
        region: String,
    },
}

impl Charge {
    /// The estimate for one hour of it, in USD, when there is one.
    pub fn hourly(&self) -> Option<f64> {
        match self {
            Charge::Instances {
                count,
                hourly,
                region,
                root_gib,
                ..
            } => hourly.map(|each| {
                (each + prices::instance_extras_hourly(region, *root_gib)) * f64::from(*count)
            }),
            Charge::Restart { instances } => instances.iter().map(|(_, _, hourly)| *hourly).sum(),
            Charge::Distribution => None,
            Charge::Upload { bytes, region, .. } => {
                Some(gigabytes(*bytes) * prices::s3_storage(region) / prices::HOURS_PER_MONTH)
            }
        }
    }
}

/// Whether `args` is a call that may cost money, before anything is asked of AWS: the guard
/// looks further only then.
pub fn may_charge(args: &Args) -> bool {
    args.op().and_then(Operation::cost).is_some()
}

/// What `args` would create that costs money, if anything. `config` answers whether an image
/// is Windows, which costs more.
pub async fn assess(args: &Args, files: &Workstation, config: &SdkConfig) -> Option<Charge> {
    let region = config
        .region()
        .map_or(cloudlings_core::catalog::DEFAULT_REGION, |region| {
            region.as_ref()
        })
        .to_string();
    let p = Params { args, files };
    let op = args.op()?;
    match op.cost()? {
        Cost::Launch => {
            // The CLI's default when no type is given is EC2's: m1.small.
            let instance_type = p
                .one("instance-type")
                .ok()
                .flatten()
                .unwrap_or_else(|| "m1.small".to_string());
            let count = p
                .one("count")
                .ok()
                .flatten()
                .map_or(1, |count| most_instances(&count));
            let windows = match p.one("image-id").ok().flatten() {
                Some(image) => is_windows(config, &image).await,
                None => false,
            };
            let hourly = prices::hourly(&region, &instance_type, windows);
            Some(Charge::Instances {
                count,
                instance_type,
                windows,
                hourly,
                root_gib: cloudlings_core::catalog::root_gib(windows),
                region,
            })
        }
        Cost::Restart => {
            let ids = p.strings("instance-ids").ok().flatten()?;
            Some(Charge::Restart {
                instances: restarted(config, &region, ids).await,
            })
        }
        Cost::Serving => Some(Charge::Distribution),
        // `aws s3 cp ./cat.jpg s3://bucket/` names its bucket in a word of its own.
        Cost::Storage if op.service() == Service::S3 => {
            let [source, destination] = args.positional.as_slice() else {
                return None;
            };
            let bucket = destination.strip_prefix("s3://")?.split('/').next()?;
            if source.starts_with("s3://") {
                return None;
            }
            Some(Charge::Upload {
                bucket: bucket.to_string(),
                bytes: files.host_path(source).map_or(0, |path| size_of(&path)),
                region,
            })
        }
        Cost::Storage => {
            let bucket = p.one("bucket").ok().flatten()?;
            let bytes = p
                .one("body")
                .ok()
                .flatten()
                .and_then(|body| files.host_path(&body))
                .map_or(0, |path| size_of(&path));
            Some(Charge::Upload {
                bucket,
                bytes,
                region,
            })
        }
    }
}

/// `--count 2` or `--count 1:3`: the most it may launch.
fn most_instances(count: &str) -> i32 {
    count
        .rsplit(':')
        .next()
        .and_then(|most| most.trim().parse().ok())
        .unwrap_or(1)
}

/// The instances `start-instances` would start, with their types and prices; an id AWS does
/// not know is left for the call itself to refuse.
async fn restarted(
    config: &SdkConfig,
    region: &str,
    ids: Vec<String>,
) -> Vec<(String, String, Option<f64>)> {
    let ec2 = aws_sdk_ec2::Client::new(config);
    let filter = aws_sdk_ec2::types::Filter::builder()
        .name("instance-id")
        .set_values(Some(ids))
        .build();
    let Ok(answer) = ec2.describe_instances().filters(filter).send().await else {
        return Vec::new();
    };
    answer
        .reservations()
        .iter()
        .flat_map(|reservation| reservation.instances())
        .filter_map(|instance| {
            let id = instance.instance_id()?.to_string();
            let kind = instance.instance_type()?.as_str().to_string();
            let windows = instance
                .platform()
                .is_some_and(|platform| platform.as_str() == "windows");
            // Its volume has billed all along; the address is new.
            let hourly = prices::hourly(region, &kind, windows)
                .map(|price| price + prices::public_ipv4_hourly(region));
            Some((id, kind, hourly))
        })
        .collect()
}

async fn is_windows(config: &SdkConfig, image: &str) -> bool {
    let ec2 = aws_sdk_ec2::Client::new(config);
    match ec2.describe_images().image_ids(image).send().await {
        Ok(answer) => answer.images().iter().any(|found| {
            found
                .platform()
                .is_some_and(|platform| platform.as_str() == "windows")
                || found
                    .platform_details()
                    .is_some_and(|details| details.starts_with("Windows"))
        }),
        // Priced as Linux; the launch itself will say what is wrong with the image.
        Err(_) => false,
    }
}

/// The bytes under `path`: a file's size, or a folder's files' sizes added up.
fn size_of(path: &Path) -> u64 {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return 0;
    };
    if meta.is_file() {
        return meta.len();
    }
    if !meta.is_dir() {
        return 0;
    }
    std::fs::read_dir(path)
        .map(|entries| entries.flatten().map(|entry| size_of(&entry.path())).sum())
        .unwrap_or(0)
}

fn gigabytes(bytes: u64) -> f64 {
    bytes as f64 / (1u64 << 30) as f64
}

/// USD as a price list writes it: up to four decimals under a dollar (`USD 0.0144`), cents
/// above (`USD 10.51`).
pub fn usd(amount: f64) -> String {
    // An empty sum is -0.0, which must not print as "-0.00".
    let amount = amount + 0.0;
    if amount.abs() >= 1.0 || amount == 0.0 {
        return format!("USD {amount:.2}");
    }
    let text = format!("{amount:.4}");
    let text = text.trim_end_matches('0');
    match text.split_once('.') {
        Some((_, decimals)) if decimals.len() < 2 => format!("USD {amount:.2}"),
        _ => format!("USD {text}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Args {
        let words = crate::words::split(line).expect("words");
        Args::parse(&words).expect("args")
    }

    fn offline() -> SdkConfig {
        crate::target::Target::Endpoint(crate::target::Endpoint::new(
            "http://127.0.0.1:9",
            "AKID",
            "secret",
        ))
        .sdk_config()
    }

    #[test]
    fn a_launch_is_priced_from_the_table() {
        let dir = tempfile::tempdir().expect("tempdir");
        let charge = crate::target::block_on(assess(
            &args("ec2 run-instances --instance-type t3.medium --count 1:2"),
            &Workstation::host(dir.path()),
            &offline(),
        ))
        .expect("ran")
        .expect("billable");
        let expected = prices::hourly("ap-northeast-2", "t3.medium", false).expect("priced");
        // Each with its public IPv4 address and its 8 GiB gp3 root volume.
        let extras = 0.005 + 8.0 * 0.0912 / 730.0;
        let hourly = charge.hourly().expect("priced");
        assert!(
            (hourly - (expected + extras) * 2.0).abs() < 1e-12,
            "two at most"
        );
    }

    #[test]
    fn uploads_are_priced_by_size_and_downloads_and_reads_are_free() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("cat.svg"), vec![0u8; 1 << 20]).expect("write");
        let assess_line = |line: &str| {
            crate::target::block_on(assess(
                &args(line),
                &Workstation::host(dir.path()),
                &offline(),
            ))
            .expect("ran")
        };
        match assess_line("s3 cp cat.svg s3://bucket/") {
            Some(Charge::Upload { bucket, bytes, .. }) => {
                assert_eq!((bucket.as_str(), bytes), ("bucket", 1 << 20));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(assess_line("s3 cp s3://bucket/cat.svg ."), None);
        assert_eq!(assess_line("ec2 describe-instances"), None);
        assert_eq!(
            assess_line("cloudfront create-distribution --distribution-config x"),
            Some(Charge::Distribution)
        );
    }

    #[test]
    fn only_calls_that_may_cost_money_are_looked_into() {
        for billable in [
            "ec2 run-instances --image-id ami-1",
            "ec2 start-instances --instance-ids i-1",
            "cloudfront create-distribution --distribution-config x",
            "s3 cp a s3://b/",
            "s3 sync . s3://b/",
            "s3api put-object --bucket b --key k",
        ] {
            assert!(may_charge(&args(billable)), "{billable}");
        }
        for free in [
            "ec2 describe-instances",
            "ec2 create-key-pair --key-name k",
            "s3 ls",
            "iam create-user --user-name u",
        ] {
            assert!(!may_charge(&args(free)), "{free}");
            let dir = tempfile::tempdir().expect("tempdir");
            let charge = crate::target::block_on(assess(
                &args(free),
                &Workstation::host(dir.path()),
                &offline(),
            ));
            assert_eq!(charge.expect("ran"), None, "{free}");
        }
    }

    #[test]
    fn amounts_read_as_prices() {
        assert_eq!(usd(0.0144), "USD 0.0144");
        assert_eq!(usd(0.005), "USD 0.005");
        assert_eq!(usd(0.3456), "USD 0.3456");
        assert_eq!(usd(0.5), "USD 0.50");
        assert_eq!(usd(10.512), "USD 10.51");
        assert_eq!(usd(0.0), "USD 0.00");
        assert_eq!(usd(-0.0), "USD 0.00");
        assert_eq!(usd(0.00001), "USD 0.00");
    }
}
