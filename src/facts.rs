//! Facts a lesson quotes, filled in where it names them, so that no price or free-tier figure
//! is typed twice: the texts read what the emulator bills with.
//!
//! - `{price:t2.micro}`: USD an hour, Linux, in the course's region (`0.0144`);
//!   `{price:t3.micro:windows}` for Windows.
//! - `{cost:t2.micro:24}`: USD for that many hours (`0.3456`); `{cost:t3.micro:windows:1}`.
//! - `{prices_as_of}`: when the price table was checked (`2026-11`).
//! - `{free_tier_hours}`: the free tier's hours a month (`750`); `{free_credits}`: the 2025
//!   plan's sign-up credits in USD (`100`); `{minimum_seconds}`: the least billed (`60`).
//! - `{ipv4_price}`: USD per public IPv4 address-hour (`0.005`); `{ipv4_cost:720}` for that
//!   many hours (`3.6`); `{free_ipv4_hours}`: the legacy free tier's (`750`).
//! - `{ebs_price}`: USD per GB-month of gp3 in the course's region (`0.0912`);
//!   `{ebs_cost:8}` for that many GB-months (`0.7296`); `{root_gib}` and `{root_gib:windows}`:
//!   an image's root volume (`8`, `30`); `{free_ebs_gb_months}`: the legacy free tier's (`30`).
//! - `{month:t2.micro}`: what one instance left running costs a month of 730 hours, in cents,
//!   instance + public IPv4 + root volume (`14.89`); `{month:t3.micro:windows}`.
//! - `{sum:cost:t2.micro:690+ipv4_cost:690}`: facts added up (`13.386`).
//! - `{free_type}`: the instance type the account's free offer makes free: `t2.micro`, the
//!   lecture's, unless the session knows better (`t3.micro` on the credit plan, and on AWS,
//!   where the shell cannot tell the plan and t3.micro is free on both).
//!
//! - `{ami_ubuntu}`, `{ami_al2023}`, `{ami_windows}`: the image to launch. The facts give the
//!   emulator's Seoul ids; on another target, the session binds the target's own newest image
//!   of each family, which wins over the fact.
//!
//! Solution lines may also name the codes of a virtual MFA device whose Base32 seed a file in
//! the working folder holds, `{totp_now:mfa-seed.txt}` and `{totp_next:mfa-seed.txt}`: what a
//! learner reads off an authenticator app, for the two consecutive codes `enable-mfa-device`
//! asks.
//!
//! The checks fill them into texts, solutions and expected values, and lesson lint looks for a
//! price typed by hand; so they live below both, reading only the crates below the application.

use cloudlings_core::catalog::DEFAULT_REGION;
use cloudlings_core::prices;
use cloudlings_emulator::billing;
use cloudlings_emulator::mfa;
use cloudlings_emulator::state::FreePlan;

/// The value of the fact `name`, if it is one.
pub fn value(name: &str) -> Option<String> {
    let mut parts = name.split(':');
    match parts.next()? {
        "price" => {
            let (kind, windows) = instance(&mut parts)?;
            prices::hourly(DEFAULT_REGION, kind, windows).map(dollars)
        }
        "cost" => {
            let (kind, windows, hours) = match (parts.next()?, parts.next()?, parts.next()) {
                (kind, "windows", Some(hours)) => (kind, true, hours),
                (kind, hours, None) => (kind, false, hours),
                _ => return None,
            };
            let hours: f64 = hours
                .parse()
                .ok()
                .filter(|h: &f64| h.is_finite() && *h >= 0.0)?;
            let hourly = prices::hourly(DEFAULT_REGION, kind, windows)?;
            Some(dollars(hourly * hours))
        }
        "prices_as_of" => Some(prices::AS_OF.to_string()),
        "free_tier_hours" => Some(format!("{}", billing::FREE_TIER_HOURS)),
        "free_credits" => Some(format!("{}", billing::SIGN_UP_CREDIT)),
        "minimum_seconds" => Some(format!("{}", billing::MINIMUM_SECONDS)),
        "ipv4_price" => Some(dollars(prices::public_ipv4_hourly(DEFAULT_REGION))),
        "ipv4_cost" => {
            let hours = amount(parts.next()?)?;
            parts
                .next()
                .is_none()
                .then(|| dollars(prices::public_ipv4_hourly(DEFAULT_REGION) * hours))
        }
        "free_ipv4_hours" => Some(format!("{}", prices::FREE_IPV4_HOURS)),
        "ebs_price" => prices::ebs_gb_month(DEFAULT_REGION, "gp3").map(dollars),
        "ebs_cost" => {
            let gb_months = amount(parts.next()?)?;
            let price = prices::ebs_gb_month(DEFAULT_REGION, "gp3")?;
            parts.next().is_none().then(|| dollars(price * gb_months))
        }
        "free_ebs_gb_months" => Some(format!("{}", prices::FREE_EBS_GB_MONTHS)),
        "root_gib" => match (parts.next(), parts.next()) {
            (None, _) => Some(root_gib(false).to_string()),
            (Some("windows"), None) => Some(root_gib(true).to_string()),
            _ => None,
        },
        "month" => {
            let (kind, windows) = instance(&mut parts)?;
            let month = prices::instance_month(DEFAULT_REGION, kind, windows, root_gib(windows))?;
            Some(format!("{:.2}", month.total()))
        }
        "sum" => {
            let rest = name.strip_prefix("sum:")?;
            let mut total = 0.0;
            for part in rest.split('+') {
                total += value(part)?.parse::<f64>().ok()?;
            }
            Some(dollars(total))
        }
        "free_type" => Some(free_type(FreePlan::Legacy).to_string()),
        family if family.starts_with("ami_") => {
            cloudlings_core::catalog::family_image(family).map(|image| image.id_in(DEFAULT_REGION))
        }
        _ => None,
    }
}

/// The type a free plan makes free, which the lessons launch: the lecture's t2.micro on the
/// legacy free tier (and with no free offer, where nothing is free), t3.micro on the credit
/// plan, which refuses t2.micro.
pub fn free_type(plan: FreePlan) -> &'static str {
    match plan {
        FreePlan::Credits => "t3.micro",
        FreePlan::Legacy | FreePlan::None => "t2.micro",
    }
}

use cloudlings_core::catalog::root_gib;

/// A non-negative number of hours or GB-months.
fn amount(text: &str) -> Option<f64> {
    text.parse()
        .ok()
        .filter(|amount: &f64| amount.is_finite() && *amount >= 0.0)
}

/// The fact a text names by its value instead of its name, if it types a price of the table:
/// a number such as `0.0144` outside braces.
pub fn typed_price(text: &str) -> Option<String> {
    let numbers = text
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter(|word| word.contains('.') && word.len() > 3);
    for number in numbers {
        let number = number.trim_matches('.');
        for kind in prices::TYPES {
            for (fact, windows) in [
                (format!("price:{kind}"), false),
                (format!("price:{kind}:windows"), true),
            ] {
                let price = prices::hourly(DEFAULT_REGION, kind, windows).map(dollars);
                if price.as_deref() == Some(number) {
                    return Some(fact);
                }
            }
        }
    }
    None
}

/// `t2.micro` or `t2.micro:windows`, and nothing after.
fn instance<'a>(parts: &mut impl Iterator<Item = &'a str>) -> Option<(&'a str, bool)> {
    let kind = parts.next()?;
    let windows = match parts.next() {
        None => false,
        Some("windows") => true,
        Some(_) => return None,
    };
    parts.next().is_none().then_some((kind, windows))
}

/// An amount of dollars as a price list writes it: up to four decimals, no trailing zeros.
fn dollars(amount: f64) -> String {
    let text = format!("{amount:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    text.to_string()
}

/// The most of a seed file read: a seed is 32 to 64 characters of base32.
const MAX_SEED_FILE: u64 = 1024;

/// The code a solution line asks for from a seed file on the learner's computer:
/// `totp_now:FILE` or `totp_next:FILE`. The file must be a regular file in the learner's
/// folder (a lesson names it, and a lesson reaches no further), and only its start is read.
pub fn code(name: &str, files: &crate::workstation::Workstation) -> Option<String> {
    let (which, file) = name.split_once(':')?;
    let offset = match which {
        "totp_now" => 0,
        "totp_next" => 30,
        _ => return None,
    };
    let bytes =
        crate::check::reach::read_in(files, file, None, &Default::default(), MAX_SEED_FILE).ok()?;
    let seed = mfa::from_base32(String::from_utf8(bytes).ok()?.trim())?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs();
    Some(mfa::code_at(&seed, now + offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_come_from_the_billing_table() {
        assert_eq!(value("price:t2.micro").as_deref(), Some("0.0144"));
        assert_eq!(value("cost:t2.micro:24").as_deref(), Some("0.3456"));
        assert_eq!(value("cost:t2.micro:0.5").as_deref(), Some("0.0072"));
        let windows = prices::hourly(DEFAULT_REGION, "t3.micro", true).map(dollars);
        assert_eq!(value("price:t3.micro:windows"), windows);
        assert_eq!(value("cost:t3.micro:windows:1"), windows);
        assert_eq!(value("prices_as_of").as_deref(), Some(prices::AS_OF));
        assert_eq!(value("free_tier_hours").as_deref(), Some("750"));
        assert_eq!(value("minimum_seconds").as_deref(), Some("60"));
    }

    #[test]
    fn a_forgotten_instance_is_instance_address_and_volume() {
        assert_eq!(value("ipv4_price").as_deref(), Some("0.005"));
        assert_eq!(value("ipv4_cost:730").as_deref(), Some("3.65"));
        assert_eq!(value("ebs_price").as_deref(), Some("0.0912"));
        assert_eq!(value("ebs_cost:8").as_deref(), Some("0.7296"));
        assert_eq!(value("root_gib").as_deref(), Some("8"));
        assert_eq!(value("root_gib:windows").as_deref(), Some("30"));
        // 730 x 0.0144 + 730 x 0.005 + 8 x 0.0912 = 10.512 + 3.65 + 0.7296.
        assert_eq!(value("month:t2.micro").as_deref(), Some("14.89"));
        assert_eq!(
            value("sum:cost:t2.micro:690+ipv4_cost:690").as_deref(),
            Some("13.386")
        );
        assert_eq!(value("free_type").as_deref(), Some("t2.micro"));
        assert_eq!(free_type(FreePlan::Credits), "t3.micro");
        for name in [
            "sum:",
            "sum:cost:t2.micro:1+myip",
            "month:x9.huge",
            "root_gib:mac",
            "ipv4_cost:-1",
            "ebs_cost",
        ] {
            assert_eq!(value(name), None, "{name}");
        }
    }

    #[test]
    fn a_typed_price_is_found() {
        assert_eq!(
            typed_price("costs USD 0.0144 an hour").as_deref(),
            Some("price:t2.micro")
        );
        assert_eq!(typed_price("USD {price:t2.micro} an hour, v1.2.3"), None);
        assert_eq!(typed_price("0.0144."), Some("price:t2.micro".into()));
    }

    #[test]
    fn anything_else_is_not_a_fact() {
        for name in [
            "price:x9.huge",
            "price:t2.micro:mac",
            "price:t2.micro:windows:1",
            "cost:t2.micro",
            "cost:t2.micro:-3",
            "cost:t2.micro:many",
            "myip",
            "",
        ] {
            assert_eq!(value(name), None, "{name}");
        }
    }

    #[test]
    fn codes_come_from_the_seed_file() {
        let dir = tempfile::tempdir().expect("dir");
        let files = crate::workstation::Workstation::host(dir.path());
        let seed = mfa::new_seed();
        std::fs::write(dir.path().join("seed.txt"), mfa::base32(&seed)).expect("seed");
        let now = code("totp_now:seed.txt", &files).expect("now");
        let next = code("totp_next:seed.txt", &files).expect("next");
        assert!(mfa::consecutive(&seed, &now, &next));
        assert_eq!(code("totp_now:missing.txt", &files), None);
        assert_eq!(code("totp_later:seed.txt", &files), None);
        // Nothing outside the folder, and nothing endless.
        assert_eq!(code("totp_now:/dev/zero", &files), None);
        assert_eq!(code("totp_now:../seed.txt", &files), None);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero")).expect("link");
            assert_eq!(code("totp_now:zero", &files), None);
        }
    }
}
