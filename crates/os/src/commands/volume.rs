//! Commands that fill the root volume: `fallocate`, which reserves room for a file, and `dd`,
//! which copies blocks (from `/dev/zero`, to fill a disk). Zeros are not kept, only their
//! size, so a learner can fill an 8 GiB volume and meet "No space left on device" as on EC2.

use super::{Opts, Proc};
use crate::fs::Errno;

/// gp3's baseline throughput, 125 MiB/s, at which `dd` reports its copy: an EBS volume's
/// speed, not this machine's.
const VOLUME_BYTES_PER_SECOND: f64 = 125.0 * 1024.0 * 1024.0;

/// A size as util-linux and coreutils read them: a number with an optional suffix, `K`, `M`,
/// `G`, `T` (or `KiB`…) for powers of 1024 and `KB`, `MB`… for powers of 1000; `dd` also
/// takes `c` (1), `w` (2) and `b` (512).
fn parse_size(text: &str, blocks: bool) -> Option<u64> {
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, suffix) = text.split_at(split);
    let number: u64 = number.parse().ok()?;
    let power = |exponent: u32, base: u64| base.checked_pow(exponent);
    let factor = match suffix {
        "" => Some(1),
        "c" if blocks => Some(1),
        "w" if blocks => Some(2),
        "b" if blocks => Some(512),
        _ => {
            let mut chars = suffix.chars();
            let exponent = match chars.next()?.to_ascii_uppercase() {
                'K' => 1,
                'M' => 2,
                'G' => 3,
                'T' => 4,
                'P' => 5,
                _ => return None,
            };
            match chars.as_str() {
                "" | "iB" => power(exponent, 1024),
                "B" => power(exponent, 1000),
                _ => None,
            }
        }
    }?;
    number.checked_mul(factor)
}

/// `fallocate -l LENGTH FILE`: gives the file at least that many bytes, taken on the volume
/// at once (zeros, not kept).
pub(crate) fn fallocate(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let opts = Opts::parse_long(&argv[1..], "lo", &["length", "offset"]);
    let length = opts.value('l').map(str::to_string).or_else(|| {
        opts.long
            .iter()
            .find_map(|long| long.strip_prefix("length=").map(str::to_string))
    });
    let Some(length) = length else {
        proc.err("fallocate: no length argument specified\n");
        return 1;
    };
    let Some(size) = parse_size(&length, false).filter(|size| *size > 0) else {
        proc.err(format!(
            "fallocate: invalid length value specified: '{length}'\n"
        ));
        return 1;
    };
    let [file] = opts.operands.as_slice() else {
        proc.err(if opts.operands.is_empty() {
            "fallocate: no filename specified\n"
        } else {
            "fallocate: unexpected number of arguments\n"
        });
        return 1;
    };
    let cred = proc.cred().clone();
    let cwd = proc.cwd.to_string();
    match proc.fs().allocate(&cred, &cwd, file, size, false) {
        Ok(_) => 0,
        Err(Errno::NoSpc) => {
            proc.err("fallocate: fallocate failed: No space left on device\n");
            1
        }
        Err(errno) => {
            proc.err(format!("fallocate: cannot open {file}: {errno}\n"));
            1
        }
    }
}

/// `dd if=/dev/zero of=FILE bs=1M count=N`: copies `count` blocks of `bs` bytes (all of the
/// input without `count`: `/dev/zero` never ends, so it fills the volume). Other inputs, and
/// output to a terminal or `/dev/null`, are copied as the bytes they are.
pub(crate) fn dd(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let mut input = None;
    let mut output = None;
    let mut block = 512u64;
    let mut count = None;
    let mut quiet = false;
    for operand in &argv[1..] {
        let Some((key, value)) = operand.split_once('=') else {
            proc.err(format!("dd: unrecognized operand '{operand}'\n"));
            return 1;
        };
        let number = |proc: &mut Proc<'_, '_>| {
            let parsed = parse_size(value, true).filter(|n| key == "count" || *n > 0);
            if parsed.is_none() {
                proc.err(format!("dd: invalid number: '{value}'\n"));
            }
            parsed
        };
        match key {
            "if" => input = Some(value.to_string()),
            "of" => output = Some(value.to_string()),
            "bs" | "obs" | "ibs" => match number(proc) {
                Some(n) => block = n,
                None => return 1,
            },
            "count" => match number(proc) {
                Some(n) => count = Some(n),
                None => return 1,
            },
            "status" => quiet = value == "none",
            "conv" | "oflag" | "iflag" => {}
            _ => {
                proc.err(format!("dd: unrecognized operand '{operand}'\n"));
                return 1;
            }
        }
    }
    let wanted = count.map(|count| count.saturating_mul(block));
    let cred = proc.cred().clone();
    let cwd = proc.cwd.to_string();
    let (copied, failure) = match input.as_deref() {
        Some("/dev/zero") => zeros(proc, output.as_deref(), wanted),
        source => {
            let data = match source {
                None | Some("-") => proc.io.input().to_vec(),
                Some(path) => match proc.view().read(&cred, &cwd, path) {
                    Ok(data) => data,
                    Err(errno) => {
                        proc.err(format!("dd: failed to open '{path}': {errno}\n"));
                        return 1;
                    }
                },
            };
            let end = wanted.map_or(data.len(), |wanted| {
                usize::try_from(wanted).map_or(data.len(), |wanted| wanted.min(data.len()))
            });
            copy(proc, output.as_deref(), &data[..end])
        }
    };
    if let Some(message) = &failure {
        proc.err(message);
    }
    if !quiet {
        let report = report(copied, block, failure.is_some());
        proc.err(report);
    }
    i32::from(failure.is_some())
}

/// Writes `wanted` zeros (or as many as fit) to `output`; the bytes copied, and the error.
fn zeros(
    proc: &mut Proc<'_, '_>,
    output: Option<&str>,
    wanted: Option<u64>,
) -> (u64, Option<String>) {
    let Some(path) = output.filter(|path| *path != "/dev/null") else {
        // Zeros to a terminal or nowhere: as many as asked, or the volume's worth.
        let bytes = wanted.unwrap_or(0);
        if output.is_none() {
            let shown = usize::try_from(bytes).unwrap_or(usize::MAX).min(64 * 1024);
            proc.out(vec![0u8; shown]);
        }
        return (bytes, None);
    };
    let cred = proc.cred().clone();
    let cwd = proc.cwd.to_string();
    let mut fs = proc.fs();
    // Without `count`, /dev/zero never ends: the copy stops when the volume is full.
    let size = wanted.unwrap_or(u64::MAX);
    match fs.allocate(&cred, &cwd, path, size, true) {
        Ok(_) => (size, None),
        Err(Errno::NoSpc) => {
            let fits = fs.space_for(&cred, &cwd, path);
            let written = fs
                .allocate(&cred, &cwd, path, fits, true)
                .map_or(0, |_| fits);
            (
                written,
                Some(format!(
                    "dd: error writing '{path}': No space left on device\n"
                )),
            )
        }
        Err(errno) => (0, Some(format!("dd: failed to open '{path}': {errno}\n"))),
    }
}

/// Writes `data` to `output` (standard output when none); the bytes copied, and the error.
fn copy(proc: &mut Proc<'_, '_>, output: Option<&str>, data: &[u8]) -> (u64, Option<String>) {
    let Some(path) = output else {
        proc.out(data);
        return (data.len() as u64, None);
    };
    let cred = proc.cred().clone();
    let cwd = proc.cwd.to_string();
    match proc.fs().write(&cred, &cwd, path, data, false) {
        Ok(_) => (data.len() as u64, None),
        Err(Errno::NoSpc) => (
            0,
            Some(format!(
                "dd: error writing '{path}': No space left on device\n"
            )),
        ),
        Err(errno) => (0, Some(format!("dd: failed to open '{path}': {errno}\n"))),
    }
}

/// What `dd` prints when it ends: records in and out, the bytes, and the time at the
/// volume's speed.
fn report(copied: u64, block: u64, stopped: bool) -> String {
    let (full, partial) = (copied / block, u64::from(!copied.is_multiple_of(block)));
    let records_in = if stopped {
        format!("{}+0", full + 1)
    } else {
        format!("{full}+{partial}")
    };
    let seconds = copied as f64 / VOLUME_BYTES_PER_SECOND;
    let rate = if seconds > 0.0 {
        format!("{} MB/s", (copied as f64 / seconds / 1e6).round())
    } else {
        "0 B/s".into()
    };
    let size = if copied < 1000 {
        format!("{copied} bytes")
    } else {
        format!(
            "{copied} bytes ({}, {})",
            scaled(copied as f64, 1000.0, &["B", "kB", "MB", "GB", "TB"]),
            scaled(copied as f64, 1024.0, &["B", "KiB", "MiB", "GiB", "TiB"])
        )
    };
    format!(
        "{records_in} records in\n{full}+{partial} records out\n{size} copied, {seconds:.3} s, {rate}\n"
    )
}

/// `1.1 GB`, `954 MiB`: as `dd` scales a size, one decimal under ten.
fn scaled(mut value: f64, base: f64, units: &[&str]) -> String {
    let mut unit = 0;
    while value >= base && unit < units.len() - 1 {
        value /= base;
        unit += 1;
    }
    if value < 10.0 {
        format!("{value:.1} {}", units[unit])
    } else {
        format!("{value:.0} {}", units[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::Machine;

    #[test]
    fn sizes_read_as_util_linux_and_coreutils_read_them() {
        assert_eq!(parse_size("512", false), Some(512));
        assert_eq!(parse_size("1K", false), Some(1024));
        assert_eq!(parse_size("2G", false), Some(2 << 30));
        assert_eq!(parse_size("2GiB", false), Some(2 << 30));
        assert_eq!(parse_size("1GB", false), Some(1_000_000_000));
        assert_eq!(parse_size("1m", true), Some(1 << 20));
        assert_eq!(parse_size("4b", true), Some(2048));
        assert_eq!(parse_size("4b", false), None);
        assert_eq!(parse_size("G", false), None);
        assert_eq!(parse_size("1X", false), None);
        assert_eq!(parse_size("99999999999P", false), None);
    }

    #[test]
    fn an_8_gib_volume_takes_files_until_it_is_full() {
        let mut machine = Machine::ubuntu();
        assert_eq!(machine.run("fallocate -l 2G big").status, 0);
        let listed = machine.out("ls -l big");
        assert!(listed.contains(" 2147483648 "), "{listed}");
        let df = machine.out("df -h /");
        assert!(df.contains("6.8G") && df.contains("3.6G"), "{df}");

        let refused = machine.run("fallocate -l 9G huge");
        assert_eq!(refused.status, 1);
        assert_eq!(
            refused.output,
            "fallocate: fallocate failed: No space left on device\n"
        );
        assert!(machine.run("ls huge").status != 0, "nothing was made");

        // dd from /dev/zero without a count fills what is left, and says so.
        let filled = machine.run("dd if=/dev/zero of=fill bs=1M");
        assert_eq!(filled.status, 1);
        assert!(
            filled
                .output
                .starts_with("dd: error writing 'fill': No space left on device\n"),
            "{}",
            filled.output
        );
        assert!(
            filled.output.contains(" records out\n"),
            "{}",
            filled.output
        );
        let df = machine.out("df /");
        assert!(df.contains("100% /"), "{df}");
        assert_eq!(
            machine.run("echo hello > note").output,
            "-bash: echo: write error: No space left on device\n"
        );

        // Removing the files gives the room back.
        assert_eq!(machine.run("rm big fill").status, 0);
        assert_eq!(machine.run("echo hello > note").status, 0);
    }

    #[test]
    fn a_larger_volume_holds_more() {
        let mut machine = Machine::amazon();
        machine.facts.volume_gib = 30;
        assert_eq!(machine.run("fallocate -l 20G big").status, 0);
        let counted = machine.run("dd if=/dev/zero of=part bs=1M count=100");
        assert_eq!(counted.status, 0);
        assert!(
            counted.output.starts_with(
                "100+0 records in\n100+0 records out\n104857600 bytes (105 MB, 100 MiB) copied, 0.800 s, 131 MB/s\n"
            ),
            "{}",
            counted.output
        );
        assert!(machine.out("ls -l part").contains(" 104857600 "));
    }

    #[test]
    fn bad_operands_are_refused_as_the_tools_refuse_them() {
        let mut machine = Machine::ubuntu();
        assert_eq!(
            machine.run("fallocate big").output,
            "fallocate: no length argument specified\n"
        );
        assert_eq!(
            machine.run("fallocate -l lots big").output,
            "fallocate: invalid length value specified: 'lots'\n"
        );
        assert_eq!(
            machine.run("dd if=/dev/zero of=x bs=zero").output,
            "dd: invalid number: 'zero'\n"
        );
        assert_eq!(
            machine.run("dd fill").output,
            "dd: unrecognized operand 'fill'\n"
        );
        assert_eq!(
            machine.run("fallocate -l 1G /etc/big").output,
            "fallocate: cannot open /etc/big: Permission denied\n"
        );
    }
}
