//! What tells a learner about the machine: `whoami`, `id`, `hostname`, `uname`, `uptime`,
//! `date`, `df`, `free`, `nproc`, `ps`, `ip`… sized from the instance type, plus the small
//! builtins (`pwd`, `test`) and the honest answers for what a terminal here cannot do.

use super::{Found, Opts, Proc, human, search};
use crate::distro::{self, Accounts};
use crate::fs;
use crate::node::Body;
use crate::notes;
use crate::{Distro, Power, repo};

pub(crate) fn pwd(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    if argv.iter().any(|arg| arg == "-P") {
        let physical = proc
            .view()
            .resolve(proc.cred(), "/", proc.cwd, true)
            .unwrap_or_else(|_| proc.cwd.to_string());
        proc.out(format!("{physical}\n"));
    } else {
        let cwd = proc.cwd.to_string();
        proc.out(format!("{cwd}\n"));
    }
    0
}

pub(crate) fn success(_proc: &mut Proc<'_, '_>, _argv: &[String]) -> i32 {
    0
}

pub(crate) fn failure(_proc: &mut Proc<'_, '_>, _argv: &[String]) -> i32 {
    1
}

/// `test` and `[`: file tests, string and integer comparisons, `!`.
pub(crate) fn test(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let mut args: Vec<&str> = argv[1..].iter().map(String::as_str).collect();
    if argv[0] == "[" {
        if args.last() != Some(&"]") {
            proc.err("-bash: [: missing `]'\n");
            return 2;
        }
        args.pop();
    }
    let mut negate = false;
    while args.first() == Some(&"!") && args.len() > 1 {
        negate = !negate;
        args.remove(0);
    }
    let result = match args.as_slice() {
        [] => Ok(false),
        [one] => Ok(!one.is_empty()),
        [op, operand] => unary(proc, op, operand),
        [left, op, right] => binary(op, left, right),
        _ => Err(format!("{}: too many arguments", argv[0])),
    };
    match result {
        Ok(value) => i32::from(value == negate),
        Err(message) => {
            proc.err(format!("-bash: {message}\n"));
            2
        }
    }
}

fn unary(proc: &Proc<'_, '_>, op: &str, operand: &str) -> Result<bool, String> {
    let view = proc.view();
    let found = view.lookup(proc.cred(), proc.cwd, operand, true).ok();
    Ok(match op {
        "-z" => operand.is_empty(),
        "-n" => !operand.is_empty(),
        "-e" | "-a" => found.is_some(),
        "-f" => {
            found.is_some_and(|(_, node)| !node.is_dir() && !matches!(node.body, Body::Device(..)))
        }
        "-d" => found.is_some_and(|(_, node)| node.is_dir()),
        "-s" => found.is_some_and(|(_, node)| node.size() > 0),
        "-r" => found.is_some_and(|(_, node)| proc.cred().may(&node, fs::READ)),
        "-w" => found.is_some_and(|(_, node)| proc.cred().may(&node, fs::WRITE)),
        "-x" => found.is_some_and(|(_, node)| proc.cred().may(&node, fs::EXEC)),
        "-L" | "-h" => view
            .lookup(proc.cred(), proc.cwd, operand, false)
            .is_ok_and(|(_, node)| node.is_link()),
        other => return Err(format!("{other}: unary operator expected")),
    })
}

fn binary(op: &str, left: &str, right: &str) -> Result<bool, String> {
    let number = |text: &str| -> Result<i64, String> {
        text.trim()
            .parse()
            .map_err(|_| format!("{text}: integer expression expected"))
    };
    Ok(match op {
        "=" | "==" => left == right,
        "!=" => left != right,
        "-eq" => number(left)? == number(right)?,
        "-ne" => number(left)? != number(right)?,
        "-lt" => number(left)? < number(right)?,
        "-le" => number(left)? <= number(right)?,
        "-gt" => number(left)? > number(right)?,
        "-ge" => number(left)? >= number(right)?,
        other => return Err(format!("{other}: binary operator expected")),
    })
}

pub(crate) fn whoami(proc: &mut Proc<'_, '_>, _argv: &[String]) -> i32 {
    let name = proc.who.name.clone();
    proc.out(format!("{name}\n"));
    0
}

pub(crate) fn id(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let opts = Opts::parse(&argv[1..], "");
    let accounts: &Accounts = &proc.sys.accounts;
    let (uid, gid, groups, name) = match opts.operands.first() {
        Some(user) => match accounts.user(user) {
            Some(found) => (
                found.uid,
                found.gid,
                accounts.groups_of(found),
                found.name.clone(),
            ),
            None => {
                proc.err(format!("id: ‘{user}’: no such user\n"));
                return 1;
            }
        },
        None => (
            proc.who.cred.uid,
            proc.who.cred.gid,
            proc.who.cred.groups.clone(),
            proc.who.name.clone(),
        ),
    };
    let names = opts.has('n');
    let text = if opts.has('u') {
        if names { name } else { uid.to_string() }
    } else if opts.has('g') {
        if names {
            accounts.group_name(gid)
        } else {
            gid.to_string()
        }
    } else if opts.has('G') {
        groups
            .iter()
            .map(|gid| {
                if names {
                    accounts.group_name(*gid)
                } else {
                    gid.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        let list: Vec<String> = groups
            .iter()
            .map(|gid| format!("{gid}({})", accounts.group_name(*gid)))
            .collect();
        format!(
            "uid={uid}({}) gid={gid}({}) groups={}",
            accounts.user_name(uid),
            accounts.group_name(gid),
            list.join(",")
        )
    };
    proc.out(format!("{text}\n"));
    0
}

pub(crate) fn hostname(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let opts = Opts::parse(&argv[1..], "");
    let facts = proc.facts();
    let text = if opts.has('I') || opts.has('i') {
        format!("{} ", facts.private_ip)
    } else if opts.has('f') || opts.has_long("fqdn") {
        facts.private_dns.clone()
    } else if opts.has('s') || opts.has_long("short") {
        distro::short_hostname(facts)
    } else if let Some(new) = opts.operands.first() {
        if proc.who.is_root() {
            proc.err(notes::hostname_kept(proc.sys.notes, new));
        } else {
            proc.err("hostname: you must be root to change the host name\n");
        }
        return 1;
    } else {
        distro::hostname(facts)
    };
    proc.out(format!("{text}\n"));
    0
}

pub(crate) fn uname(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let opts = Opts::parse(&argv[1..], "");
    let distro = proc.distro();
    let node = distro::hostname(proc.facts());
    let fields = [
        ('s', "Linux".to_string()),
        ('n', node),
        ('r', distro.kernel().to_string()),
        ('v', distro.kernel_build().to_string()),
        ('m', "x86_64".to_string()),
        ('p', "x86_64".to_string()),
        ('i', "x86_64".to_string()),
        ('o', "GNU/Linux".to_string()),
    ];
    let all = opts.has('a') || opts.has_long("all");
    let mut chosen: Vec<&str> = fields
        .iter()
        .filter(|(flag, _)| all || opts.has(*flag))
        .map(|(_, value)| value.as_str())
        .collect();
    if chosen.is_empty() {
        chosen.push("Linux");
    }
    proc.out(format!("{}\n", chosen.join(" ")));
    0
}

/// `up 10 min`, `up  1:05`, `up 2 days,  1:05`, as procps prints them.
pub(super) fn up_text(seconds: i64) -> String {
    let minutes = seconds / 60;
    let (days, hours, minutes) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    let mut text = String::from("up ");
    if days > 0 {
        text.push_str(&format!("{days} day{}, ", if days == 1 { "" } else { "s" }));
    }
    if hours > 0 {
        text.push_str(&format!("{hours:2}:{minutes:02}"));
    } else {
        text.push_str(&format!("{minutes} min"));
    }
    text
}

fn pretty_up(seconds: i64) -> String {
    let minutes = seconds / 60;
    let (days, hours, minutes) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    let plural = |n: i64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    let mut parts = Vec::new();
    if days > 0 {
        parts.push(plural(days, "day"));
    }
    if hours > 0 {
        parts.push(plural(hours, "hour"));
    }
    if minutes > 0 || parts.is_empty() {
        parts.push(plural(minutes, "minute"));
    }
    format!("up {}", parts.join(", "))
}

pub(crate) fn uptime(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let opts = Opts::parse(&argv[1..], "");
    let facts = proc.facts();
    let up = (facts.now - facts.booted).whole_seconds().max(0);
    let now = facts.now;
    let text = if opts.has('p') {
        pretty_up(up)
    } else if opts.has('s') {
        distro::stamp(facts.booted, '-')
    } else {
        format!(
            " {:02}:{:02}:{:02} {},  1 user,  load average: 0.00, 0.00, 0.00",
            now.hour(),
            now.minute(),
            now.second(),
            up_text(up)
        )
    };
    proc.out(format!("{text}\n"));
    0
}

/// `date +FORMAT`'s common conversions.
fn strftime(format: &str, at: time::OffsetDateTime) -> String {
    let mut out = String::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('Y') => out.push_str(&at.year().to_string()),
            Some('y') => out.push_str(&format!("{:02}", at.year() % 100)),
            Some('m') => out.push_str(&format!("{:02}", u8::from(at.month()))),
            Some('d') => out.push_str(&format!("{:02}", at.day())),
            Some('e') => out.push_str(&format!("{:>2}", at.day())),
            Some('H') => out.push_str(&format!("{:02}", at.hour())),
            Some('M') => out.push_str(&format!("{:02}", at.minute())),
            Some('S') => out.push_str(&format!("{:02}", at.second())),
            Some('a') => out.push_str(distro::weekday(at)),
            Some('b') | Some('h') => out.push_str(distro::month(at)),
            Some('Z') => out.push_str("UTC"),
            Some('z') => out.push_str("+0000"),
            Some('s') => out.push_str(&at.unix_timestamp().to_string()),
            Some('F') => out.push_str(&strftime("%Y-%m-%d", at)),
            Some('T') => out.push_str(&strftime("%H:%M:%S", at)),
            Some('D') => out.push_str(&strftime("%m/%d/%y", at)),
            Some('j') => out.push_str(&format!("{:03}", at.ordinal())),
            Some('n') => out.push('\n'),
            Some('%') => out.push('%'),
            Some(other) => {
                out.push('%');
                out.push(other);
            }
            None => out.push('%'),
        }
    }
    out
}

pub(crate) fn date(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let now = proc.now();
    let text = match argv[1..].iter().find(|arg| arg.starts_with('+')) {
        Some(format) => strftime(&format[1..], now),
        None if argv[1..]
            .iter()
            .any(|arg| arg == "-R" || arg == "--rfc-email") =>
        {
            distro::rfc2822(now)
        }
        None if argv[1..]
            .iter()
            .any(|arg| arg == "-I" || arg == "--iso-8601") =>
        {
            strftime("%Y-%m-%d", now)
        }
        None => {
            if let Some(arg) = argv[1..].iter().find(|arg| !arg.starts_with('-')) {
                proc.err(format!("date: invalid date ‘{arg}’\n"));
                return 1;
            }
            distro::date_line(now)
        }
    };
    proc.out(format!("{text}\n"));
    0
}

/// Right-aligns numeric columns and pads the first, as `df` lays out its table.
fn table(rows: &[Vec<String>], min: &[usize], left: &[bool]) -> String {
    let columns = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..columns)
        .map(|col| {
            rows.iter()
                .map(|row| row[col].chars().count())
                .max()
                .unwrap_or(0)
                .max(min.get(col).copied().unwrap_or(0))
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut cells = Vec::new();
        for (col, cell) in row.iter().enumerate() {
            let width = widths[col];
            if col + 1 == columns {
                cells.push(cell.clone());
            } else if left.get(col).copied().unwrap_or(false) {
                cells.push(format!("{cell:<width$}"));
            } else {
                cells.push(format!("{cell:>width$}"));
            }
        }
        out.push_str(cells.join(" ").trim_end());
        out.push('\n');
    }
    out
}

pub(crate) fn df(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let opts = Opts::parse(&argv[1..], "");
    let human_sizes = opts.has('h');
    let facts = proc.facts();
    let memory = distro::mem_total_kib(facts);
    let device = distro::root_device(facts);
    let partition = |number: u32| {
        if device.starts_with("nvme") {
            format!("/dev/{device}p{number}")
        } else {
            format!("/dev/{device}{number}")
        }
    };
    let root = distro::root_fs(facts);
    let used = root.image_kib
        + proc.sys.disk.allocated().div_ceil(1024)
        + proc.sys.disk.packages.len() as u64 * distro::PACKAGE_KIB;
    // (source, size KiB, used KiB, mount)
    let mut rows: Vec<(String, u64, u64, &str)> = match proc.distro() {
        Distro::Ubuntu | Distro::Workstation => vec![
            ("/dev/root".into(), root.size_kib, used, "/"),
            ("tmpfs".into(), memory / 2, 0, "/dev/shm"),
            ("tmpfs".into(), memory / 5, 884, "/run"),
            ("tmpfs".into(), 5_120, 0, "/run/lock"),
            (partition(16), 901_520, 77_440, "/boot"),
            (partition(15), 106_832, 6_246, "/boot/efi"),
            ("tmpfs".into(), memory / 10, 12, "/run/user/1000"),
        ],
        Distro::AmazonLinux => vec![
            ("devtmpfs".into(), 4_096, 0, "/dev"),
            ("tmpfs".into(), memory / 2, 0, "/dev/shm"),
            ("tmpfs".into(), memory / 5, 448, "/run"),
            (partition(1), root.size_kib, used, "/"),
            ("tmpfs".into(), memory / 2, 0, "/tmp"),
            (partition(128), 10_202, 1_310, "/boot/efi"),
            ("tmpfs".into(), memory / 10, 0, "/run/user/1000"),
        ],
    };
    if let Some(path) = opts.operands.first() {
        let full = proc
            .view()
            .resolve(proc.cred(), proc.cwd, path, true)
            .unwrap_or_else(|_| "/".into());
        let best = rows
            .iter()
            .filter(|row| {
                full == row.3
                    || full.starts_with(&format!("{}/", row.3.trim_end_matches('/')))
                    || row.3 == "/"
            })
            .max_by_key(|row| row.3.len())
            .cloned();
        rows = best.into_iter().collect();
    }
    let mut table_rows = vec![if human_sizes {
        vec![
            "Filesystem".into(),
            "Size".into(),
            "Used".into(),
            "Avail".into(),
            "Use%".into(),
            "Mounted on".into(),
        ]
    } else {
        vec![
            "Filesystem".into(),
            "1K-blocks".into(),
            "Used".into(),
            "Available".into(),
            "Use%".into(),
            "Mounted on".into(),
        ]
    }];
    for (source, size, used, mount) in rows {
        let avail = size.saturating_sub(used);
        let percent = if used + avail == 0 {
            0
        } else {
            (used * 100).div_ceil(used + avail)
        };
        let show = |kib: u64| {
            if human_sizes {
                human(kib * 1024).replace("0.0", "0")
            } else {
                kib.to_string()
            }
        };
        let zero = |kib: u64| {
            if human_sizes && kib == 0 {
                "0".to_string()
            } else {
                show(kib)
            }
        };
        table_rows.push(vec![
            source,
            show(size),
            zero(used),
            show(avail),
            format!("{percent}%"),
            mount.to_string(),
        ]);
    }
    proc.out(table(&table_rows, &[14, 5, 5, 5, 4, 0], &[true]));
    0
}

/// `957Mi`, `1.9Gi`, `0B`, as `free -h` prints sizes.
fn free_human(kib: u64) -> String {
    if kib == 0 {
        return "0B".into();
    }
    let units = ["Ki", "Mi", "Gi", "Ti"];
    let mut value = kib as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < units.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if value < 10.0 {
        format!("{value:.1}{}", units[unit])
    } else {
        format!("{}{}", value.round() as u64, units[unit])
    }
}

pub(crate) fn free(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let opts = Opts::parse(&argv[1..], "");
    let Memory {
        total,
        used,
        free,
        shared,
        cache,
        available,
    } = memory(proc);
    let show = |kib: u64| {
        if opts.has('h') || opts.has_long("human") {
            free_human(kib)
        } else if opts.has('m') || opts.has_long("mebi") {
            (kib / 1024).to_string()
        } else if opts.has('g') || opts.has_long("gibi") {
            (kib / 1024 / 1024).to_string()
        } else {
            kib.to_string()
        }
    };
    let mut out = format!(
        "{:<8}{:>12}{:>12}{:>12}{:>12}{:>12}{:>12}\n",
        "", "total", "used", "free", "shared", "buff/cache", "available"
    );
    out.push_str(&format!(
        "{:<8}{:>12}{:>12}{:>12}{:>12}{:>12}{:>12}\n",
        "Mem:",
        show(total),
        show(used),
        show(free),
        show(shared),
        show(cache),
        show(available)
    ));
    out.push_str(&format!(
        "{:<8}{:>12}{:>12}{:>12}\n",
        "Swap:",
        show(0),
        show(0),
        show(0)
    ));
    proc.out(out);
    0
}

/// The instance's memory in KiB, as `free` and `top` show it: the instance type's, less
/// what the kernel keeps, a third used, and more for each running service.
pub(super) struct Memory {
    pub total: u64,
    pub used: u64,
    pub free: u64,
    pub shared: u64,
    pub cache: u64,
    pub available: u64,
}

pub(super) fn memory(proc: &Proc<'_, '_>) -> Memory {
    let total = distro::mem_total_kib(proc.facts());
    let services = repo::units(proc.distro())
        .iter()
        .filter(|unit| {
            unit.package.is_some() && repo::state(proc.facts(), proc.sys.disk, unit).running
        })
        .count() as u64;
    let used = total * 36 / 100 + services * 4_000;
    let cache = total * 40 / 100;
    Memory {
        total,
        used,
        free: total.saturating_sub(used + cache),
        shared: 2_764,
        cache,
        available: total.saturating_sub(used),
    }
}

pub(crate) fn nproc(proc: &mut Proc<'_, '_>, _argv: &[String]) -> i32 {
    let vcpus = proc.facts().vcpus;
    proc.out(format!("{vcpus}\n"));
    0
}

/// A process of the instance, as `ps` shows it.
pub(super) struct Process {
    pub user: String,
    pub pid: u32,
    pub ppid: u32,
    pub cpu: &'static str,
    pub mem: &'static str,
    pub vsz: u32,
    pub rss: u32,
    pub tty: &'static str,
    pub stat: &'static str,
    pub start: String,
    pub time: &'static str,
    pub command: String,
}

pub(super) fn processes(proc: &Proc<'_, '_>) -> Vec<Process> {
    let facts = proc.facts();
    let boot = distro::at(facts.booted.unix_timestamp());
    let hm = |at: time::OffsetDateTime| format!("{:02}:{:02}", at.hour(), at.minute());
    let started = hm(boot);
    let login = hm(facts.now - time::Duration::minutes(2));
    let process =
        |user: &str, pid: u32, ppid: u32, vsz: u32, rss: u32, stat: &'static str, command: &str| {
            Process {
                user: user.to_string(),
                pid,
                ppid,
                cpu: "0.0",
                mem: if rss > 9_000 {
                    "1.3"
                } else if rss > 4_000 {
                    "0.6"
                } else {
                    "0.2"
                },
                vsz,
                rss,
                tty: "?",
                stat,
                start: started.clone(),
                time: "0:00",
                command: command.to_string(),
            }
        };
    let mut list = vec![
        process("root", 1, 0, 22_364, 13_284, "Ss", "/sbin/init"),
        process("root", 2, 0, 0, 0, "S", "[kthreadd]"),
        process("root", 3, 2, 0, 0, "S", "[pool_workqueue_release]"),
    ];
    // The workstation runs neither the SSM agent nor an SSH server, and its terminal is local.
    let ec2 = proc.distro() != Distro::Workstation;
    match proc.distro() {
        Distro::Ubuntu | Distro::Workstation => {
            list.push(process(
                "root",
                160,
                1,
                50_364,
                15_872,
                "S<s",
                "/usr/lib/systemd/systemd-journald",
            ));
            list.push(process(
                "root",
                213,
                1,
                289_312,
                27_136,
                "SLsl",
                "/sbin/multipathd -d -s",
            ));
            list.push(process(
                "systemd+",
                398,
                1,
                19_004,
                9_472,
                "Ss",
                "/usr/lib/systemd/systemd-networkd",
            ));
            list.push(process(
                "systemd+",
                412,
                1,
                21_452,
                12_800,
                "Ss",
                "/usr/lib/systemd/systemd-resolved",
            ));
            list.push(process(
                "root",
                603,
                1,
                6_824,
                2_816,
                "Ss",
                "/usr/sbin/cron -f -P",
            ));
            list.push(process("message+", 604, 1, 9_808, 5_120, "Ss", "@dbus-daemon --system --address=systemd: --nofork --nopidfile --systemd-activation --syslog-only"));
            list.push(process(
                "syslog",
                633,
                1,
                222_508,
                6_144,
                "Ssl",
                "/usr/sbin/rsyslogd -n -iNONE",
            ));
            list.push(process(
                "root",
                642,
                1,
                1_762_924,
                29_952,
                "Ssl",
                "/usr/lib/snapd/snapd",
            ));
            if ec2 {
                list.push(process(
                    "root",
                    690,
                    1,
                    1_910_900,
                    20_736,
                    "Ssl",
                    "/snap/amazon-ssm-agent/9881/amazon-ssm-agent",
                ));
                list.push(process(
                    "root",
                    812,
                    1,
                    12_020,
                    8_064,
                    "Ss",
                    "sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups",
                ));
            }
            list.push(process(
                "root",
                820,
                1,
                6_104,
                1_920,
                "Ss+",
                "/sbin/agetty -o -p -- \\u --keep-baud 115200,57600,38400,9600 - vt220",
            ));
        }
        Distro::AmazonLinux => {
            list.push(process(
                "root",
                1_262,
                1,
                58_236,
                19_240,
                "Ss",
                "/usr/lib/systemd/systemd-journald",
            ));
            list.push(process(
                "systemd+",
                1_525,
                1,
                19_360,
                9_216,
                "Ss",
                "/usr/lib/systemd/systemd-networkd",
            ));
            list.push(process(
                "systemd+",
                1_527,
                1,
                21_664,
                12_544,
                "Ss",
                "/usr/lib/systemd/systemd-resolved",
            ));
            list.push(process(
                "chrony",
                1_573,
                1,
                84_472,
                3_912,
                "S",
                "/usr/sbin/chronyd -F 2",
            ));
            list.push(process(
                "root",
                1_591,
                1,
                1_839_156,
                19_328,
                "Ssl",
                "/usr/bin/amazon-ssm-agent",
            ));
            list.push(process(
                "root",
                1_608,
                1,
                16_796,
                8_448,
                "Ss",
                "sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups",
            ));
            list.push(process(
                "root",
                1_611,
                1,
                221_828,
                1_920,
                "Ss+",
                "/sbin/agetty -o -p -- \\u --noclear - linux",
            ));
        }
    }
    for unit in repo::units(proc.distro()) {
        if unit.package.is_none() || !repo::unit_present(unit, proc.sys.disk) {
            continue;
        }
        let state = repo::state(facts, proc.sys.disk, unit);
        if !state.running {
            continue;
        }
        let since = hm(distro::at(state.since));
        for (index, command) in unit.processes.iter().enumerate() {
            let user = match (index, proc.distro()) {
                (0, _) => "root",
                (_, Distro::Ubuntu | Distro::Workstation) => "www-data",
                (_, Distro::AmazonLinux) => "nginx",
            };
            let mut entry = process(
                user,
                state.pid + index as u32,
                if index == 0 { 1 } else { state.pid },
                55_196,
                1_660 + index as u32 * 3_700,
                if index == 0 { "Ss" } else { "S" },
                command,
            );
            entry.start = since.clone();
            list.push(entry);
        }
    }
    let me = proc.who.name.clone();
    let user = facts.distro.user();
    let session = if ec2 {
        vec![
            ("root", 1_190, 812, "Ss", format!("sshd: {user} [priv]")),
            (user, 1_243, 1_190, "S", format!("sshd: {user}@pts/0")),
            (user, 1_244, 1_243, "Ss", "-bash".to_string()),
        ]
    } else {
        vec![(user, 1_244, 1, "Ss", "bash".to_string())]
    };
    for (owner, pid, ppid, stat, command) in session {
        let mut entry = process(owner, pid, ppid, 8_648, 5_376, stat, &command);
        entry.start = login.clone();
        if pid == 1_244 {
            entry.tty = "pts/0";
        }
        list.push(entry);
    }
    if proc.who.is_root() {
        let mut sudo = process("root", 1_302, 1_244, 11_472, 5_632, "S+", "sudo ps");
        sudo.tty = "pts/0";
        sudo.start = hm(facts.now);
        list.push(sudo);
    }
    let mut ps = process(&me, 1_310, 1_244, 11_320, 4_480, "R+", "ps");
    ps.tty = "pts/0";
    ps.start = hm(facts.now);
    list.push(ps);
    list
}

pub(crate) fn ps(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let args: String = argv[1..].join(" ");
    let mut list = processes(proc);
    if let Some(last) = list.last_mut() {
        last.command = format!("ps {args}").trim_end().to_string();
    }
    let mut out = String::new();
    let bsd = args.contains("aux") || args.contains("ax") || args == "u";
    let full = args.contains("-ef") || args.contains("-e") || args.contains("-A");
    if bsd {
        out.push_str(
            "USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n",
        );
        for process in &list {
            out.push_str(&format!(
                "{:<8} {:>7} {:>4} {:>4} {:>6} {:>5} {:<8} {:<4} {:>5} {:>6} {}\n",
                process.user,
                process.pid,
                process.cpu,
                process.mem,
                process.vsz,
                process.rss,
                process.tty,
                process.stat,
                process.start,
                process.time,
                process.command
            ));
        }
    } else if full {
        out.push_str("UID          PID    PPID  C STIME TTY          TIME CMD\n");
        for process in &list {
            out.push_str(&format!(
                "{:<8} {:>7} {:>7}  0 {} {:<8} 00:00:00 {}\n",
                process.user,
                process.pid,
                process.ppid,
                process.start,
                process.tty,
                process.command
            ));
        }
    } else {
        out.push_str("    PID TTY          TIME CMD\n");
        for process in list.iter().filter(|process| process.tty == "pts/0") {
            let name = process
                .command
                .trim_start_matches('-')
                .split(' ')
                .next()
                .unwrap_or("");
            out.push_str(&format!(
                "{:>7} {:<8} 00:00:00 {}\n",
                process.pid, process.tty, name
            ));
        }
    }
    proc.out(out);
    0
}

/// The subnet's broadcast address for a /20, as EC2's default subnets are.
fn broadcast(ip: &str) -> String {
    let octets: Vec<u8> = ip.split('.').filter_map(|part| part.parse().ok()).collect();
    match octets.as_slice() {
        [a, b, c, _] => format!("{a}.{b}.{}.255", c | 0x0f),
        _ => ip.to_string(),
    }
}

fn network(ip: &str) -> String {
    let octets: Vec<u8> = ip.split('.').filter_map(|part| part.parse().ok()).collect();
    match octets.as_slice() {
        [a, b, c, _] => format!("{a}.{b}.{}.0", c & 0xf0),
        _ => ip.to_string(),
    }
}

/// The link-local IPv6 address derived from the MAC (EUI-64).
fn link_local(mac: &str) -> String {
    let bytes: Vec<u8> = mac
        .split(':')
        .filter_map(|part| u8::from_str_radix(part, 16).ok())
        .collect();
    match bytes.as_slice() {
        [a, b, c, d, e, f] => format!(
            "fe80::{:x}:{:x}:{:x}:{:x}",
            u16::from_be_bytes([a ^ 0x02, *b]),
            u16::from_be_bytes([*c, 0xff]),
            u16::from_be_bytes([0xfe, *d]),
            u16::from_be_bytes([*e, *f])
        ),
        _ => "fe80::1".into(),
    }
}

pub(crate) fn ip(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let facts = proc.facts();
    let interface = distro::interface(facts);
    let ip = &facts.private_ip;
    let gateway = {
        let base = network(ip);
        format!(
            "{}.1",
            base.rsplit_once('.').map_or("172.31.0", |(head, _)| head)
        )
    };
    let object = argv[1..]
        .iter()
        .find(|arg| !arg.starts_with('-'))
        .map(String::as_str)
        .unwrap_or("");
    let text = match object {
        "a" | "addr" | "address" => format!(
            "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n    inet 127.0.0.1/8 scope host lo\n       valid_lft forever preferred_lft forever\n    inet6 ::1/128 scope host noprefixroute \n       valid_lft forever preferred_lft forever\n2: {interface}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 9001 qdisc fq_codel state UP group default qlen 1000\n    link/ether {} brd ff:ff:ff:ff:ff:ff\n    inet {ip}/20 metric 100 brd {} scope global dynamic {interface}\n       valid_lft 3416sec preferred_lft 3416sec\n    inet6 {}/64 scope link \n       valid_lft forever preferred_lft forever\n",
            facts.mac,
            broadcast(ip),
            link_local(&facts.mac)
        ),
        "r" | "route" => format!(
            "default via {gateway} dev {interface} proto dhcp src {ip} metric 100 \n{}/20 dev {interface} proto kernel scope link src {ip} metric 100 \n{gateway} dev {interface} proto dhcp scope link src {ip} metric 100 \n",
            network(ip)
        ),
        "l" | "link" => format!(
            "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n2: {interface}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 9001 qdisc fq_codel state UP mode DEFAULT group default qlen 1000\n    link/ether {} brd ff:ff:ff:ff:ff:ff\n",
            facts.mac
        ),
        _ => {
            proc.err("Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\nwhere  OBJECT := { address | link | route | ... }\n");
            return 255;
        }
    };
    proc.out(text);
    0
}

pub(crate) fn lsb_release(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let opts = Opts::parse(&argv[1..], "");
    let all = opts.has('a') || opts.short.is_empty();
    proc.err("No LSB modules are available.\n");
    let description = format!("Ubuntu {} LTS", distro::UBUNTU_RELEASE);
    let fields = [
        ('i', "Distributor ID:\tUbuntu".to_string()),
        ('d', format!("Description:\t{description}")),
        ('r', "Release:\t24.04".to_string()),
        ('c', "Codename:\tnoble".to_string()),
    ];
    let mut out = String::new();
    for (flag, line) in fields {
        if all || opts.has(flag) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    proc.out(out);
    0
}

pub(crate) fn env(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let printenv = argv[0].ends_with("printenv");
    let names: Vec<&String> = argv[1..]
        .iter()
        .filter(|arg| !arg.starts_with('-'))
        .collect();
    if printenv && !names.is_empty() {
        let mut status = 0;
        for name in names {
            match proc.env(name) {
                Some(value) => {
                    let line = format!("{value}\n");
                    proc.out(line);
                }
                None => status = 1,
            }
        }
        return status;
    }
    if let Some(first) = names.first()
        && !first.contains('=')
    {
        proc.err(notes::env_runs_nothing(proc.sys.notes, first));
        return 127;
    }
    let text: String = proc
        .env
        .iter()
        .map(|(name, value)| format!("{name}={value}\n"))
        .collect();
    proc.out(text);
    0
}

pub(crate) fn which(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let opts = Opts::parse(&argv[1..], "");
    let path_var = proc.env("PATH").unwrap_or("").to_string();
    let mut status = 0;
    for name in &opts.operands {
        let view = proc.view();
        let found = if name.contains('/') {
            matches!(
                search(&view, proc.cred(), proc.cwd, &path_var, name),
                Found::Program(_) | Found::Script(_)
            )
            .then(|| name.clone())
        } else {
            path_var
                .split(':')
                .filter(|dir| !dir.is_empty())
                .find_map(|dir| {
                    let candidate = format!("{}/{name}", dir.trim_end_matches('/'));
                    view.lookup(proc.cred(), proc.cwd, &candidate, true)
                        .ok()
                        .filter(|(_, node)| !node.is_dir() && proc.cred().may(node, fs::EXEC))
                        .map(|_| candidate)
                })
        };
        match found {
            Some(path) => proc.out(format!("{path}\n")),
            None => {
                status = 1;
                if proc.distro() == Distro::AmazonLinux {
                    proc.err(format!("/usr/bin/which: no {name} in ({path_var})\n"));
                }
            }
        }
    }
    status
}

pub(crate) fn man(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let Some(page) = argv[1..].iter().rfind(|arg| !arg.starts_with('-')) else {
        proc.err("What manual page do you want?\nFor example, try 'man man'.\n");
        return 1;
    };
    let link = match proc.distro() {
        Distro::Ubuntu | Distro::Workstation => {
            format!("https://manpages.ubuntu.com/manpages/noble/en/man1/{page}.1.html")
        }
        Distro::AmazonLinux => format!("https://man7.org/linux/man-pages/man1/{page}.1.html"),
    };
    proc.err(notes::no_manual(proc.sys.notes, page, &link));
    16
}

pub(crate) fn clear(proc: &mut Proc<'_, '_>, _argv: &[String]) -> i32 {
    proc.out("\x1b[H\x1b[2J\x1b[3J");
    0
}

/// `tmux`: a terminal multiplexer is more than this emulated terminal can be.
pub(crate) fn multiplexer(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let name = fs::basename(&argv[0]).to_string();
    proc.err(notes::no_multiplexer(proc.sys.notes, &name));
    1
}

/// `ssh` on the workstation: the emulation has no SSH client to run, and says where one is.
/// 255 is ssh's status when it cannot connect.
pub(crate) fn ssh(proc: &mut Proc<'_, '_>, _argv: &[String]) -> i32 {
    proc.err(notes::no_ssh_client(proc.sys.notes));
    255
}

/// `sleep`: at the prompt it holds the terminal for its time on the simulated clock, and
/// Ctrl-C ends it; in a pipe or a script it returns at once, as nothing there can wait.
pub(crate) fn sleep(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    if argv.len() < 2 {
        proc.err("sleep: missing operand\nTry 'sleep --help' for more information.\n");
        return 1;
    }
    let mut total_ms = 0u64;
    for value in &argv[1..] {
        let Some(ms) = sleep_ms(value) else {
            proc.err(format!(
                "sleep: invalid time interval ‘{value}’\nTry 'sleep --help' for more information.\n"
            ));
            return 1;
        };
        total_ms = total_ms.saturating_add(ms);
    }
    proc.take_time(total_ms, 0)
}

/// A `sleep` operand in milliseconds: a number, with `s`, `m`, `h` or `d` after it.
fn sleep_ms(value: &str) -> Option<u64> {
    let (number, unit) = match value.strip_suffix(['s', 'm', 'h', 'd']) {
        Some(number) => (number, value.chars().last()),
        None => (value, None),
    };
    let seconds: f64 = number
        .parse()
        .ok()
        .filter(|n: &f64| n.is_finite() && *n >= 0.0)?;
    let factor = match unit {
        Some('m') => 60.0,
        Some('h') => 3600.0,
        Some('d') => 86_400.0,
        _ => 1.0,
    };
    // A day of a year at most: longer than anyone waits at a terminal.
    Some((seconds * factor * 1000.0).min(365.0 * 86_400_000.0) as u64)
}

pub(crate) fn kill(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let targets: Vec<&String> = argv[1..]
        .iter()
        .filter(|arg| !arg.starts_with('-'))
        .collect();
    if targets.is_empty() {
        proc.err("-bash: kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n");
        return 2;
    }
    for target in targets {
        if target.parse::<u32>().is_err() {
            proc.err(format!(
                "-bash: kill: {target}: arguments must be process or job IDs\n"
            ));
        } else {
            let errno = if proc.who.is_root() {
                "No such process"
            } else {
                "Operation not permitted"
            };
            proc.err(format!("-bash: kill: ({target}) - {errno}\n"));
        }
    }
    1
}

/// `reboot`, `shutdown`, `poweroff`: root asks the caller to change the instance's state.
pub(crate) fn power(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let name = fs::basename(&argv[0]).to_string();
    let args = &argv[1..];
    if !proc.who.is_root() {
        let call = if name == "reboot" || args.iter().any(|arg| arg == "-r") {
            "Reboot"
        } else {
            "PowerOff"
        };
        proc.err(format!(
            "Call to {call} failed: Interactive authentication required.\n"
        ));
        return 1;
    }
    let reboot = name == "reboot" || args.iter().any(|arg| arg == "-r" || arg == "--reboot");
    if name == "shutdown" && !args.iter().any(|arg| arg == "now" || arg == "+0") {
        if args.iter().any(|arg| arg == "-c") {
            return 0;
        }
        let at = proc.now() + time::Duration::minutes(1);
        proc.out(format!(
            "Shutdown scheduled for {}, use 'shutdown -c' to cancel.\n{}",
            strftime("%a %Y-%m-%d %H:%M:%S UTC", at),
            notes::shutdown_only_now(proc.sys.notes)
        ));
        return 0;
    }
    proc.sys.power = Some(if reboot {
        Power::Reboot
    } else {
        Power::PowerOff
    });
    0
}

pub(crate) fn who(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let facts = proc.facts();
    let user = facts.distro.user();
    let login = facts.now - time::Duration::minutes(2);
    let from = facts.public_ip.clone().unwrap_or_else(|| "10.0.0.1".into());
    let stamp = format!(
        "{}-{:02}-{:02} {:02}:{:02}",
        login.year(),
        u8::from(login.month()),
        login.day(),
        login.hour(),
        login.minute()
    );
    let text = if argv[0].ends_with('w') && !argv[0].ends_with("who") {
        let up = (facts.now - facts.booted).whole_seconds().max(0);
        let now = facts.now;
        format!(
            " {:02}:{:02}:{:02} {},  1 user,  load average: 0.00, 0.00, 0.00\nUSER     TTY      FROM             LOGIN@   IDLE   JCPU   PCPU  WHAT\n{user:<8} pts/0    {from:<16} {:02}:{:02}    0.00s  0.02s  0.00s w\n",
            now.hour(),
            now.minute(),
            now.second(),
            up_text(up),
            login.hour(),
            login.minute()
        )
    } else {
        format!("{user:<8} pts/0        {stamp} ({from})\n")
    };
    proc.out(text);
    0
}

pub(crate) fn hostnamectl(proc: &mut Proc<'_, '_>, _argv: &[String]) -> i32 {
    let facts = proc.facts();
    let xen = distro::xen(facts);
    let os = match facts.distro {
        Distro::Ubuntu | Distro::Workstation => format!("Ubuntu {} LTS", distro::UBUNTU_RELEASE),
        Distro::AmazonLinux => format!("Amazon Linux {}", distro::AL_RELEASE),
    };
    if facts.distro == Distro::Workstation {
        // A desktop computer: no hypervisor, and no hardware name the emulation could know.
        proc.out(format!(
            " Static hostname: {}\n       Icon name: computer-desktop\n         Chassis: desktop\nOperating System: {os}\n          Kernel: Linux {}\n    Architecture: x86-64\n",
            distro::hostname(facts),
            facts.distro.kernel(),
        ));
        return 0;
    }
    let text = format!(
        " Static hostname: {}\n       Icon name: computer-vm\n         Chassis: vm\n  Virtualization: {}\nOperating System: {os}\n          Kernel: Linux {}\n    Architecture: x86-64\n Hardware Vendor: {}\n  Hardware Model: {}\n",
        distro::hostname(facts),
        if xen { "xen" } else { "amazon" },
        facts.distro.kernel(),
        if xen { "Xen" } else { "Amazon EC2" },
        if xen {
            "HVM domU"
        } else {
            facts.instance_type.as_str()
        },
    );
    proc.out(text);
    0
}

#[cfg(test)]
mod tests {
    use super::super::Machine;
    use super::*;

    #[test]
    fn who_am_i_and_where() {
        let mut machine = Machine::ubuntu();
        assert_eq!(machine.out("whoami"), "ubuntu\n");
        assert_eq!(
            machine.out("id"),
            "uid=1000(ubuntu) gid=1000(ubuntu) groups=1000(ubuntu),4(adm),24(cdrom),27(sudo),30(dip),106(lxd)\n"
        );
        assert_eq!(
            machine.out("sudo id"),
            "uid=0(root) gid=0(root) groups=0(root)\n"
        );
        assert_eq!(machine.out("hostname"), "ip-172-31-5-20\n");
        assert_eq!(machine.out("hostname -I"), "172.31.5.20 \n");
        assert_eq!(machine.out("pwd"), "/home/ubuntu\n");
        let mut amazon = Machine::amazon();
        assert_eq!(
            amazon.out("id"),
            "uid=1000(ec2-user) gid=1000(ec2-user) groups=1000(ec2-user),4(adm),10(wheel),190(systemd-journal)\n"
        );
        assert_eq!(
            amazon.out("hostname"),
            "ip-172-31-5-20.ap-northeast-2.compute.internal\n"
        );
    }

    #[test]
    fn uname_uptime_and_date() {
        let mut machine = Machine::ubuntu();
        assert_eq!(
            machine.out("uname -a"),
            format!(
                "Linux ip-172-31-5-20 {} {} x86_64 x86_64 x86_64 GNU/Linux\n",
                distro::UBUNTU_KERNEL,
                distro::UBUNTU_KERNEL_BUILD
            )
        );
        assert_eq!(machine.out("uname"), "Linux\n");
        assert_eq!(
            machine.out("uname -r"),
            format!("{}\n", distro::UBUNTU_KERNEL)
        );
        assert_eq!(machine.out("uname -sm"), "Linux x86_64\n");
        assert_eq!(
            machine.out("uptime"),
            " 08:40:12 up 10 min,  1 user,  load average: 0.00, 0.00, 0.00\n"
        );
        assert_eq!(machine.out("uptime -p"), "up 10 minutes\n");
        machine.wait(3 * 3600);
        assert_eq!(
            machine.out("uptime"),
            " 11:40:12 up  3:10,  1 user,  load average: 0.00, 0.00, 0.00\n"
        );
        assert_eq!(machine.out("date"), "Wed Oct 21 11:40:12 UTC 2026\n");
        assert_eq!(machine.out("date +%F"), "2026-10-21\n");
        assert_eq!(up_text(2 * 86_400 + 65 * 60), "up 2 days,  1:05");
    }

    #[test]
    fn sizes_follow_the_instance_type() {
        let mut machine = Machine::ubuntu();
        assert_eq!(machine.out("nproc"), "1\n");
        let free = machine.out("free -h");
        let lines: Vec<&str> = free.lines().collect();
        assert_eq!(
            lines[0],
            "               total        used        free      shared  buff/cache   available"
        );
        assert!(lines[1].starts_with("Mem:           957Mi"), "{free}");
        assert_eq!(lines[2], "Swap:             0B          0B          0B");
        let df = machine.out("df -h");
        let lines: Vec<&str> = df.lines().collect();
        assert_eq!(lines[0], "Filesystem      Size  Used Avail Use% Mounted on");
        assert_eq!(lines[1], "/dev/root       6.8G  1.6G  5.2G  24% /", "{df}");
        assert!(df.contains("/dev/xvda16"));
        machine.facts.vcpus = 2;
        machine.facts.memory_mib = 4096;
        machine.facts.instance_type = "t3.medium".into();
        assert_eq!(machine.out("nproc"), "2\n");
        assert!(
            machine
                .out("free -h")
                .lines()
                .nth(1)
                .is_some_and(|line| line.contains("3.8Gi"))
        );
        assert!(machine.out("df -h").contains("/dev/nvme0n1p16"));
    }

    #[test]
    fn which_man_editors_and_test() {
        let mut machine = Machine::ubuntu();
        assert_eq!(machine.out("which ls"), "/usr/bin/ls\n");
        assert_eq!(machine.run("which nginx").status, 1);
        assert!(machine.out("man ls").contains("manpages.ubuntu.com"));
        assert_eq!(machine.out("[ -d /etc ] && echo dir"), "dir\n");
        assert_eq!(machine.out("test -f /nope || echo missing"), "missing\n");
        assert_eq!(machine.out("[ 3 -gt 2 ] && echo yes"), "yes\n");
        assert_eq!(
            machine.out("type cd ll"),
            "cd is a shell builtin\nll is aliased to `ls -alF'\n"
        );
        assert_eq!(machine.out("clear"), "\x1b[H\x1b[2J\x1b[3J");
    }

    #[test]
    fn ps_and_ip() {
        let mut machine = Machine::ubuntu();
        let ps = machine.out("ps aux");
        assert!(ps.starts_with("USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\nroot           1  0.0  1.3  22364 13284 ?        Ss   08:29   0:00 /sbin/init\n"), "{ps}");
        assert!(!ps.contains("nginx"));
        assert!(ps.ends_with("ps aux\n"));
        assert!(
            machine
                .out("ps")
                .starts_with("    PID TTY          TIME CMD\n")
        );
        let ip = machine.out("ip a");
        assert!(ip.contains(
            "    inet 172.31.5.20/20 metric 100 brd 172.31.15.255 scope global dynamic enX0\n"
        ));
        assert!(ip.contains("link/ether 0a:1b:2c:3d:4e:5f"));
        assert!(ip.contains("inet6 fe80::81b:2cff:fe3d:4e5f/64"));
    }

    #[test]
    fn sleep_holds_the_terminal_until_its_time_or_ctrl_c() {
        let mut machine = Machine::ubuntu();
        let started = machine.run("sleep 5; echo done");
        assert_eq!(started.output, "");
        assert!(machine.session.busy());
        assert_eq!(machine.tick(4_999).output, "");
        assert!(machine.session.busy(), "five seconds have not passed");
        let done = machine.tick(1);
        assert_eq!((done.output.as_str(), done.status), ("done\n", 0));
        assert!(!machine.session.busy());
        machine.run("sleep 1m; echo never");
        let stopped = machine.keys(b"x\x03");
        assert_eq!((stopped.output.as_str(), stopped.status), ("^C\r\n", 130));
        assert!(!machine.session.busy());
        assert_eq!(machine.out("echo $?"), "130\n");
        // Where nothing can wait (a pipe, a substitution), it returns at once.
        assert_eq!(machine.out("sleep 5 | echo piped"), "piped\n");
        assert_eq!(machine.out("echo $(sleep 2)x"), "x\n");
        assert!(!machine.session.busy());
        assert_eq!(machine.run("sleep 0.5s").output, "");
        assert!(machine.session.busy());
        assert_eq!(machine.tick(500).status, 0);
        let bad = machine.run("sleep soon");
        assert_eq!(bad.status, 1);
        assert!(
            bad.output
                .starts_with("sleep: invalid time interval ‘soon’")
        );
    }

    #[test]
    fn power_needs_root() {
        let mut machine = Machine::ubuntu();
        let outcome = machine.run("reboot");
        assert_eq!(outcome.status, 1);
        assert!(outcome.power.is_none());
        let outcome = machine.run("sudo reboot");
        assert_eq!(outcome.power, Some(Power::Reboot));
        assert!(outcome.exit);
    }
}
