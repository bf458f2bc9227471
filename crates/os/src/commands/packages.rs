//! Package managers: Ubuntu's `apt`/`apt-get` and Amazon Linux's `dnf` (`yum`), printing what
//! the real ones print, and installing the packages of [`repo`] into the instance.
//!
//! On Ubuntu the image ships without package lists (cloud images drop them), so `apt install`
//! before `apt update` cannot find anything, as beginners meet on EC2. Installing nginx on
//! Ubuntu enables and starts it (Debian's policy); on Amazon Linux it stays stopped.

use super::{Opts, Proc};
use crate::disk::Service;
use crate::distro::{self, mirror};
use crate::notes;
use crate::repo::{self, Package};

/// Packages `apt update` finds upgradable on the image.
pub(crate) const UBUNTU_UPGRADABLE: usize = UPGRADES.len();

/// (package, installed version, candidate, download size in bytes)
const UPGRADES: &[(&str, &str, &str, u64)] = &[
    (
        "apparmor",
        "4.0.1really4.0.0-beta3-0ubuntu0.1",
        "4.0.1really4.0.1-0ubuntu0.24.04.3",
        637_000,
    ),
    (
        "cloud-init",
        "24.3.1-0ubuntu0~24.04.2",
        "25.1.4-0ubuntu0~24.04.1",
        616_000,
    ),
    ("curl", "8.5.0-2ubuntu10.4", "8.5.0-2ubuntu10.6", 226_000),
    (
        "libcurl4t64",
        "8.5.0-2ubuntu10.4",
        "8.5.0-2ubuntu10.6",
        341_000,
    ),
    (
        "libssl3t64",
        "3.0.13-0ubuntu3.4",
        "3.0.13-0ubuntu3.5",
        1_940_000,
    ),
    ("linux-aws", "6.8.0-1016.17", "6.8.0-1029.31", 1_700),
    (
        "openssh-client",
        "1:9.6p1-3ubuntu13.5",
        "1:9.6p1-3ubuntu13.11",
        906_000,
    ),
    (
        "openssh-server",
        "1:9.6p1-3ubuntu13.5",
        "1:9.6p1-3ubuntu13.11",
        510_000,
    ),
    (
        "openssl",
        "3.0.13-0ubuntu3.4",
        "3.0.13-0ubuntu3.5",
        1_002_000,
    ),
    ("python3-urllib3", "2.0.7-1", "2.0.7-1ubuntu0.1", 94_300),
    ("snapd", "2.63+24.04", "2.67.1+24.04", 29_500_000),
    (
        "vim",
        "2:9.1.0016-1ubuntu7.3",
        "2:9.1.0016-1ubuntu7.8",
        1_881_000,
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tool {
    Apt,
    AptGet,
    Dnf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Install,
    Remove { purge: bool },
    Upgrade,
}

/// What a package manager will do once the learner says yes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Plan {
    tool: Tool,
    action: Action,
    /// The packages to install or remove, dependencies first.
    packages: Vec<&'static str>,
}

/// apt's sizes: 1000-based, one decimal under 100, none from there (`31.2 kB`, `521 kB`).
fn apt_size(bytes: u64) -> String {
    let units = ["", "k", "M", "G"];
    let mut value = bytes as f64;
    for (index, unit) in units.iter().enumerate() {
        if value < 100.0 && index != 0 {
            return format!("{value:.1} {unit}B");
        }
        if value < 10_000.0 {
            return format!("{value:.0} {unit}B");
        }
        value /= 1000.0;
    }
    format!("{value:.0} TB")
}

/// dnf's sizes: 1024-based, `33 k`, `9.8 k`, `1.1 M`.
fn dnf_size(bytes: u64) -> String {
    let units = ["", "k", "M", "G"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < units.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if value < 10.0 && unit > 0 {
        format!("{value:.1} {}", units[unit])
    } else {
        format!("{value:.0} {}", units[unit])
    }
    .trim_end()
    .to_string()
}

fn not_upgraded(proc: &Proc<'_, '_>) -> usize {
    if proc.sys.disk.upgraded || proc.sys.disk.lists_updated.is_none() {
        0
    } else {
        UBUNTU_UPGRADABLE
    }
}

/// An indented, wrapped package list, as apt prints its lists (80 columns).
fn wrapped(names: &[&str], separator: &str) -> String {
    let mut out = String::new();
    let mut line = String::from(" ");
    for name in names {
        if line.len() + separator.len() + name.len() > 79 && !line.trim().is_empty() {
            out.push_str(&line);
            out.push('\n');
            line = String::from(" ");
        }
        line.push_str(separator);
        line.push_str(name);
    }
    if !line.trim().is_empty() {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn reading(proc: &mut Proc<'_, '_>, tool: Tool) {
    if tool == Tool::Apt && !proc.io.tty_out {
        proc.err(
            "\nWARNING: apt does not have a stable CLI interface. Use with caution in scripts.\n\n",
        );
    }
    proc.out("Reading package lists... Done\nBuilding dependency tree... Done\nReading state information... Done\n");
}

/// The installed version of a package: the image's, or one the instance installed.
fn installed_version(proc: &Proc<'_, '_>, name: &str) -> Option<&'static str> {
    let distro = proc.distro();
    if let Some(version) = repo::image_package(distro, name) {
        return Some(version);
    }
    if proc.sys.disk.packages.contains_key(name) {
        return repo::package(distro, name).map(|package| package.version);
    }
    None
}

pub(crate) fn apt(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let tool = if argv[0].ends_with("apt-get") {
        Tool::AptGet
    } else {
        Tool::Apt
    };
    let opts = Opts::parse(&argv[1..], "o");
    let yes = opts.has('y') || opts.has_long("yes") || opts.has_long("assume-yes");
    let quiet = opts.has('q');
    let Some((command, names)) = opts.operands.split_first() else {
        proc.out("apt 2.7.14 (amd64)\nUsage: apt [options] command\n\napt is a commandline package manager and provides commands for\nsearching and managing as well as querying information about packages.\n\nMost used commands:\n  list - list packages based on package names\n  search - search in package descriptions\n  show - show package details\n  install - install packages\n  remove - remove packages\n  autoremove - automatically remove all unused packages\n  update - update list of available packages\n  upgrade - upgrade the system by installing/upgrading packages\n  full-upgrade - upgrade the system by removing/installing/upgrading packages\n\nSee apt(8) for more information about available commands.\nConfiguration options and syntax is detailed in apt.conf(5).\nInformation about how to configure sources can be found in sources.list(5).\nPackage and version choices can be expressed via apt_preferences(5).\nSecurity details are available in apt-secure(8).\n                                        This APT has Super Cow Powers.\n");
        return 1;
    };
    let root = proc.who.is_root();
    match command.as_str() {
        "list" => return apt_list(proc, &opts),
        "show" | "policy" | "search" => return apt_show(proc, command, names),
        _ => {}
    }
    if !matches!(
        command.as_str(),
        "update"
            | "install"
            | "remove"
            | "purge"
            | "autoremove"
            | "upgrade"
            | "full-upgrade"
            | "dist-upgrade"
    ) {
        proc.err(format!("E: Invalid operation {command}\n"));
        return 100;
    }
    if command == "update" {
        if !root {
            proc.out("Reading package lists... Done\n");
            proc.err("E: Could not open lock file /var/lib/apt/lists/lock - open (13: Permission denied)\nE: Unable to lock directory /var/lib/apt/lists/\nW: Problem unlinking the file /var/cache/apt/pkgcache.bin - RemoveCaches (13: Permission denied)\nW: Problem unlinking the file /var/cache/apt/srcpkgcache.bin - RemoveCaches (13: Permission denied)\n");
            return 100;
        }
        return apt_update(proc, tool, quiet);
    }
    if !root {
        proc.err("E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)\nE: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), are you root?\n");
        return 100;
    }
    reading(proc, tool);
    let plan = match command.as_str() {
        "install" => {
            if names.is_empty() {
                proc.out(format!(
                    "0 upgraded, 0 newly installed, 0 to remove and {} not upgraded.\n",
                    not_upgraded(proc)
                ));
                return 0;
            }
            match plan_install(proc, names) {
                Ok(Some(plan)) => plan,
                Ok(None) => return 0,
                Err(status) => return status,
            }
        }
        "remove" | "purge" | "autoremove" => {
            match plan_remove(proc, names, command == "purge", command == "autoremove") {
                Ok(Some(plan)) => plan,
                Ok(None) => return 0,
                Err(status) => return status,
            }
        }
        _ => {
            proc.out("Calculating upgrade... Done\n");
            if not_upgraded(proc) == 0 {
                proc.out("0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n");
                return 0;
            }
            let names: Vec<&str> = UPGRADES.iter().map(|(name, ..)| *name).collect();
            let total: u64 = UPGRADES.iter().map(|(.., size)| size).sum();
            proc.out(format!(
                "The following packages will be upgraded:\n{}{} upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\nNeed to get {} of archives.\nAfter this operation, 1234 kB of additional disk space will be used.\n",
                wrapped(&names, " "),
                UPGRADES.len(),
                apt_size(total)
            ));
            Plan {
                tool,
                action: Action::Upgrade,
                packages: Vec::new(),
            }
        }
    };
    let must_ask = match plan.action {
        Action::Install => {
            let requested: Vec<&str> = names.iter().map(String::as_str).collect();
            plan.packages
                .iter()
                .any(|package| !requested.contains(package))
        }
        _ => true,
    };
    if yes || !must_ask {
        return carry_out(proc, &plan);
    }
    ask(proc, "Do you want to continue? [Y/n] ", plan)
}

/// Asks, or reads the answer from a non-terminal input (none there: abort).
fn ask(proc: &mut Proc<'_, '_>, prompt: &str, plan: Plan) -> i32 {
    if proc.interactive {
        proc.ask(prompt.to_string(), plan);
        return 0;
    }
    proc.out(prompt);
    let reply = String::from_utf8_lossy(proc.io.input())
        .lines()
        .next()
        .map(String::from);
    match reply {
        Some(reply) => answer(proc, &plan, &reply),
        None => {
            let message = if plan.tool == Tool::Dnf {
                "Operation aborted.\n"
            } else {
                "Abort.\n"
            };
            proc.out(message);
            1
        }
    }
}

/// The answer to "Do you want to continue? [Y/n]" (apt: yes unless said otherwise) or
/// "Is this ok [y/N]:" (dnf: no unless said yes).
pub(crate) fn answer(proc: &mut Proc<'_, '_>, plan: &Plan, reply: &str) -> i32 {
    let reply = reply.trim().to_lowercase();
    let yes = match plan.tool {
        Tool::Dnf => reply == "y" || reply == "yes",
        Tool::Apt | Tool::AptGet => reply.is_empty() || reply == "y" || reply == "yes",
    };
    if yes {
        return carry_out(proc, plan);
    }
    proc.out(if plan.tool == Tool::Dnf {
        "Operation aborted.\n"
    } else {
        "Abort.\n"
    });
    1
}

fn plan_install(proc: &mut Proc<'_, '_>, names: &[String]) -> Result<Option<Plan>, i32> {
    let distro = proc.distro();
    let lists = proc.sys.disk.lists_updated.is_some();
    let mut wanted: Vec<&'static Package> = Vec::new();
    for name in names {
        if let Some(version) = installed_version(proc, name) {
            let line = format!("{name} is already the newest version ({version}).\n");
            proc.out(line);
            continue;
        }
        match repo::package(distro, name).filter(|_| lists) {
            Some(package) => wanted.push(package),
            None => {
                proc.err(format!("E: Unable to locate package {name}\n"));
                return Err(100);
            }
        }
    }
    let new: Vec<&'static Package> = repo::closure(distro, &wanted)
        .into_iter()
        .filter(|package| !proc.sys.disk.packages.contains_key(package.name))
        .collect();
    let skipped = not_upgraded(proc);
    if new.is_empty() {
        proc.out(format!(
            "0 upgraded, 0 newly installed, 0 to remove and {skipped} not upgraded.\n"
        ));
        return Ok(None);
    }
    let ordered = install_order(&new, &wanted);
    let requested: Vec<&str> = wanted.iter().map(|package| package.name).collect();
    let additional: Vec<&str> = ordered
        .iter()
        .map(|package| package.name)
        .filter(|name| !requested.contains(name))
        .collect();
    let mut sorted: Vec<&str> = ordered.iter().map(|package| package.name).collect();
    sorted.sort_unstable();
    let mut text = String::new();
    if !additional.is_empty() {
        let mut additional = additional.clone();
        additional.sort_unstable();
        text.push_str(&format!(
            "The following additional packages will be installed:\n{}",
            wrapped(&additional, " ")
        ));
    }
    let suggests: Vec<&str> = ordered
        .iter()
        .flat_map(|package| package.suggests.iter().copied())
        .collect();
    if !suggests.is_empty() {
        text.push_str(&format!("Suggested packages:\n{}", wrapped(&suggests, " ")));
    }
    let download: u64 = ordered.iter().map(|package| package.download).sum();
    let installed: u64 = ordered.iter().map(|package| package.installed).sum();
    text.push_str(&format!(
        "The following NEW packages will be installed:\n{}0 upgraded, {} newly installed, 0 to remove and {skipped} not upgraded.\nNeed to get {} of archives.\nAfter this operation, {} of additional disk space will be used.\n",
        wrapped(&sorted, " "),
        ordered.len(),
        apt_size(download),
        apt_size(installed)
    ));
    proc.out(text);
    Ok(Some(Plan {
        tool: Tool::Apt,
        action: Action::Install,
        packages: ordered.iter().map(|package| package.name).collect(),
    }))
}

/// Dependencies before the packages that need them.
fn install_order(new: &[&'static Package], wanted: &[&'static Package]) -> Vec<&'static Package> {
    let mut ordered: Vec<&'static Package> = new
        .iter()
        .copied()
        .filter(|package| !wanted.iter().any(|want| want.name == package.name))
        .collect();
    ordered.extend(
        new.iter()
            .copied()
            .filter(|package| wanted.iter().any(|want| want.name == package.name)),
    );
    ordered
}

fn plan_remove(
    proc: &mut Proc<'_, '_>,
    names: &[String],
    purge: bool,
    auto: bool,
) -> Result<Option<Plan>, i32> {
    let distro = proc.distro();
    let skipped = not_upgraded(proc);
    let mut removing: Vec<&'static str> = Vec::new();
    if auto {
        removing = repo::orphans(distro, &proc.sys.disk.packages, &[])
            .iter()
            .map(|package| package.name)
            .collect();
    }
    for name in names {
        if proc.sys.disk.packages.contains_key(name.as_str()) {
            if let Some(package) = repo::package(distro, name) {
                removing.push(package.name);
            }
        } else if repo::image_package(distro, name).is_some() {
            proc.err(notes::part_of_image(proc.sys.notes, name));
            return Err(100);
        } else if repo::package(distro, name).is_some() {
            proc.out(format!(
                "Package '{name}' is not installed, so not removed\n"
            ));
        } else {
            proc.err(format!("E: Unable to locate package {name}\n"));
            return Err(100);
        }
    }
    if removing.is_empty() {
        proc.out(format!(
            "0 upgraded, 0 newly installed, 0 to remove and {skipped} not upgraded.\n"
        ));
        return Ok(None);
    }
    let orphans: Vec<&str> = repo::orphans(distro, &proc.sys.disk.packages, &removing)
        .iter()
        .map(|package| package.name)
        .collect();
    let mut text = String::new();
    if !orphans.is_empty() && !auto {
        text.push_str(&format!(
            "The following package was automatically installed and is no longer required:\n{}Use 'sudo apt autoremove' to remove it.\n",
            wrapped(&orphans, " ")
        ));
    }
    let shown: Vec<String> = removing
        .iter()
        .map(|name| {
            if purge {
                format!("{name}*")
            } else {
                name.to_string()
            }
        })
        .collect();
    let shown: Vec<&str> = shown.iter().map(String::as_str).collect();
    let freed: u64 = removing
        .iter()
        .filter_map(|name| repo::package(distro, name))
        .map(|package| package.installed)
        .sum();
    text.push_str(&format!(
        "The following packages will be REMOVED:\n{}0 upgraded, 0 newly installed, {} to remove and {skipped} not upgraded.\nAfter this operation, {} disk space will be freed.\n",
        wrapped(&shown, " "),
        removing.len(),
        apt_size(freed)
    ));
    proc.out(text);
    Ok(Some(Plan {
        tool: Tool::Apt,
        action: Action::Remove { purge },
        packages: removing,
    }))
}

fn database(proc: &Proc<'_, '_>) -> String {
    let files = 70_633 + proc.sys.disk.packages.len() * 59;
    format!("(Reading database ... {files} files and directories currently installed.)\n")
}

/// Does what a plan says, printing what apt or dnf print while they do it.
fn carry_out(proc: &mut Proc<'_, '_>, plan: &Plan) -> i32 {
    if plan.tool == Tool::Dnf {
        return dnf_carry_out(proc, plan);
    }
    let distro = proc.distro();
    let now = proc.sys.now();
    let mirror = mirror(proc.facts());
    let mut text = String::new();
    match plan.action {
        Action::Install => {
            let packages: Vec<&'static Package> = plan
                .packages
                .iter()
                .filter_map(|name| repo::package(distro, name))
                .collect();
            for (index, package) in packages.iter().enumerate() {
                text.push_str(&format!(
                    "Get:{} {mirror} {} amd64 {} {} {} [{}]\n",
                    index + 1,
                    package.origin,
                    package.name,
                    package.arch,
                    package.version,
                    apt_size(package.download)
                ));
            }
            let download: u64 = packages.iter().map(|package| package.download).sum();
            text.push_str(&format!(
                "Fetched {} in 0s ({}/s)\n",
                apt_size(download),
                apt_size(download * 21)
            ));
            if packages
                .iter()
                .any(|package| package.name.starts_with("nginx"))
            {
                text.push_str("Preconfiguring packages ...\n");
            }
            for (index, package) in packages.iter().enumerate() {
                text.push_str(&format!(
                    "Selecting previously unselected package {}.\n",
                    package.name
                ));
                if index == 0 {
                    text.push_str(&database(proc));
                }
                text.push_str(&format!(
                    "Preparing to unpack .../{}_{}_{}.deb ...\nUnpacking {} ({}) ...\n",
                    package.name,
                    package.version.replace(':', "%3a"),
                    package.arch,
                    package.name,
                    package.version
                ));
            }
            for package in &packages {
                proc.sys.disk.packages.insert(package.name.to_string(), now);
            }
            for package in &packages {
                text.push_str(&format!(
                    "Setting up {} ({}) ...\n",
                    package.name, package.version
                ));
                for unit in repo::units(distro)
                    .iter()
                    .filter(|unit| unit.package == Some(package.name))
                {
                    if unit.starts_on_install {
                        let pid = proc.sys.disk.next_pid();
                        proc.sys.disk.services.insert(
                            unit.name.to_string(),
                            Service {
                                enabled: true,
                                running: true,
                                since: now,
                                pid,
                            },
                        );
                        text.push_str(&format!(
                            "Created symlink /etc/systemd/system/multi-user.target.wants/{}.service → {}.\n",
                            unit.name, unit.path
                        ));
                    }
                }
            }
            if packages
                .iter()
                .any(|package| package.name.starts_with("nginx"))
            {
                text.push_str("Processing triggers for ufw (0.36.2-6) ...\n");
            }
            text.push_str("Processing triggers for man-db (2.12.0-4build2) ...\n");
            text.push_str(NEEDRESTART);
        }
        Action::Remove { purge } => {
            text.push_str(&database(proc));
            for name in &plan.packages {
                let version = repo::package(distro, name).map_or("", |package| package.version);
                text.push_str(&format!("Removing {name} ({version}) ...\n"));
                proc.sys.disk.packages.remove(*name);
                for unit in repo::units(distro)
                    .iter()
                    .filter(|unit| unit.package == Some(name))
                {
                    proc.sys.disk.services.remove(unit.name);
                }
            }
            text.push_str("Processing triggers for man-db (2.12.0-4build2) ...\n");
            if purge {
                for name in &plan.packages {
                    let version = repo::package(distro, name).map_or("", |package| package.version);
                    text.push_str(&format!(
                        "Purging configuration files for {name} ({version}) ...\n"
                    ));
                }
            }
        }
        Action::Upgrade => {
            for (index, (name, _, new, size)) in UPGRADES.iter().enumerate() {
                text.push_str(&format!(
                    "Get:{} {mirror} noble-updates/main amd64 {name} amd64 {new} [{}]\n",
                    index + 1,
                    apt_size(*size)
                ));
            }
            let total: u64 = UPGRADES.iter().map(|(.., size)| size).sum();
            text.push_str(&format!(
                "Fetched {} in 1s ({}/s)\n",
                apt_size(total),
                apt_size(total / 2)
            ));
            text.push_str(&database(proc));
            for (name, old, new, _) in UPGRADES {
                text.push_str(&format!(
                    "Preparing to unpack .../{name}_{}_amd64.deb ...\nUnpacking {name} ({new}) over ({old}) ...\n",
                    new.replace(':', "%3a")
                ));
            }
            for (name, _, new, _) in UPGRADES {
                text.push_str(&format!("Setting up {name} ({new}) ...\n"));
            }
            text.push_str("Processing triggers for man-db (2.12.0-4build2) ...\nProcessing triggers for libc-bin (2.39-0ubuntu8.3) ...\n");
            text.push_str(NEEDRESTART);
            proc.sys.disk.upgraded = true;
        }
    }
    proc.out(text);
    proc.sys.refresh();
    0
}

const NEEDRESTART: &str = "Scanning processes...\nScanning linux images...\n\nRunning kernel seems to be up-to-date.\n\nNo services need to be restarted.\n\nNo containers need to be restarted.\n\nNo user sessions are running outdated binaries.\n\nNo VM guests are running outdated hypervisor (qemu) binaries on this host.\n";

fn apt_update(proc: &mut Proc<'_, '_>, tool: Tool, quiet: bool) -> i32 {
    if tool == Tool::Apt && !proc.io.tty_out {
        proc.err(
            "\nWARNING: apt does not have a stable CLI interface. Use with caution in scripts.\n\n",
        );
    }
    let mirror = mirror(proc.facts());
    let security = "http://security.ubuntu.com/ubuntu";
    let first = proc.sys.disk.lists_updated.is_none();
    let mut text = String::new();
    if first {
        let lines = [
            (mirror.as_str(), "noble InRelease", "256 kB"),
            (mirror.as_str(), "noble-updates InRelease", "126 kB"),
            (mirror.as_str(), "noble-backports InRelease", "126 kB"),
            (security, "noble-security InRelease", "126 kB"),
            (mirror.as_str(), "noble/main amd64 Packages", "1401 kB"),
            (mirror.as_str(), "noble/main Translation-en", "513 kB"),
            (mirror.as_str(), "noble/universe amd64 Packages", "15.0 MB"),
            (mirror.as_str(), "noble/universe Translation-en", "5982 kB"),
            (
                mirror.as_str(),
                "noble/universe amd64 Components",
                "3871 kB",
            ),
            (mirror.as_str(), "noble/multiverse amd64 Packages", "269 kB"),
            (
                mirror.as_str(),
                "noble-updates/main amd64 Packages",
                "1047 kB",
            ),
            (
                mirror.as_str(),
                "noble-updates/universe amd64 Packages",
                "1129 kB",
            ),
            (
                mirror.as_str(),
                "noble-backports/universe amd64 Packages",
                "26.0 kB",
            ),
            (security, "noble-security/main amd64 Packages", "824 kB"),
            (security, "noble-security/universe amd64 Packages", "909 kB"),
        ];
        for (index, (base, what, size)) in lines.iter().enumerate() {
            text.push_str(&format!("Get:{} {base} {what} [{size}]\n", index + 1));
        }
        text.push_str("Fetched 31.6 MB in 5s (6320 kB/s)\n");
    } else {
        for (index, (base, what)) in [
            (mirror.as_str(), "noble InRelease"),
            (mirror.as_str(), "noble-updates InRelease"),
            (mirror.as_str(), "noble-backports InRelease"),
            (security, "noble-security InRelease"),
        ]
        .iter()
        .enumerate()
        {
            text.push_str(&format!("Hit:{} {base} {what}\n", index + 1));
        }
    }
    proc.sys.disk.lists_updated = Some(proc.sys.now());
    if quiet {
        text.clear();
    }
    text.push_str("Reading package lists... Done\n");
    if tool == Tool::Apt {
        text.push_str("Building dependency tree... Done\nReading state information... Done\n");
        let count = not_upgraded(proc);
        if count == 0 {
            text.push_str("All packages are up to date.\n");
        } else {
            text.push_str(&format!(
                "{count} packages can be upgraded. Run 'apt list --upgradable' to see them.\n"
            ));
        }
    }
    proc.out(text);
    0
}

fn apt_list(proc: &mut Proc<'_, '_>, opts: &Opts) -> i32 {
    let distro = proc.distro();
    let mut lines = Vec::new();
    if opts.has_long("upgradable") {
        if not_upgraded(proc) > 0 {
            for (name, old, new, _) in UPGRADES {
                lines.push(format!(
                    "{name}/noble-updates {new} amd64 [upgradable from: {old}]"
                ));
            }
        }
    } else {
        for (name, version) in [
            "curl",
            "git",
            "htop",
            "nano",
            "openssh-server",
            "python3",
            "tmux",
            "vim",
            "wget",
        ]
        .iter()
        .filter_map(|name| repo::image_package(distro, name).map(|version| (*name, version)))
        {
            lines.push(format!("{name}/noble,now {version} amd64 [installed]"));
        }
        for name in proc.sys.disk.packages.keys() {
            if let Some(package) = repo::package(distro, name) {
                let auto = if repo::orphans(distro, &proc.sys.disk.packages, &[])
                    .iter()
                    .any(|p| p.name == package.name)
                    || repo::packages(distro)
                        .iter()
                        .any(|p| p.depends.contains(&package.name))
                {
                    ",automatic"
                } else {
                    ""
                };
                let pocket = package.origin.split('/').next().unwrap_or("noble");
                lines.push(format!(
                    "{}/{pocket},now {} {} [installed{auto}]",
                    package.name, package.version, package.arch
                ));
            }
        }
        if !opts.has_long("installed") && proc.sys.disk.lists_updated.is_some() {
            for package in repo::packages(distro) {
                if !proc.sys.disk.packages.contains_key(package.name) {
                    let pocket = package.origin.split('/').next().unwrap_or("noble");
                    lines.push(format!(
                        "{}/{pocket} {} {}",
                        package.name, package.version, package.arch
                    ));
                }
            }
        }
        lines.sort();
    }
    if !proc.io.tty_out {
        proc.err(
            "\nWARNING: apt does not have a stable CLI interface. Use with caution in scripts.\n\n",
        );
    }
    let mut text = String::from("Listing... Done\n");
    for line in lines {
        text.push_str(&line);
        text.push('\n');
    }
    proc.out(text);
    0
}

fn apt_show(proc: &mut Proc<'_, '_>, command: &str, names: &[String]) -> i32 {
    let distro = proc.distro();
    let lists = proc.sys.disk.lists_updated.is_some();
    if command == "search" {
        let term = names.first().cloned().unwrap_or_default();
        let mut text = String::from("Sorting... Done\nFull Text Search... Done\n");
        for package in repo::packages(distro)
            .iter()
            .filter(|package| lists && package.name.contains(&term))
        {
            let pocket = package.origin.split('/').next().unwrap_or("noble");
            text.push_str(&format!(
                "{}/{pocket} {} {}\n  {}\n\n",
                package.name, package.version, package.arch, package.name
            ));
        }
        proc.out(text);
        return 0;
    }
    let mut status = 0;
    for name in names {
        match repo::package(distro, name).filter(|_| lists) {
            Some(package) => {
                let installed = if proc.sys.disk.packages.contains_key(package.name) {
                    package.version
                } else {
                    "(none)"
                };
                let text = if command == "policy" {
                    format!(
                        "{}:\n  Installed: {installed}\n  Candidate: {}\n  Version table:\n     {} 500\n        500 {} {} amd64 Packages\n",
                        package.name,
                        package.version,
                        package.version,
                        mirror(proc.facts()),
                        package.origin
                    )
                } else {
                    format!(
                        "Package: {}\nVersion: {}\nPriority: optional\nSection: httpd\nOrigin: Ubuntu\nMaintainer: Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>\nInstalled-Size: {}\nDownload-Size: {}\nAPT-Sources: {} {} amd64 Packages\n\n",
                        package.name,
                        package.version,
                        apt_size(package.installed),
                        apt_size(package.download),
                        mirror(proc.facts()),
                        package.origin
                    )
                };
                proc.out(text);
            }
            None => {
                proc.err(format!(
                    "N: Unable to locate package {name}\nE: No packages found\n"
                ));
                status = 100;
            }
        }
    }
    status
}

/// dnf's metadata line: downloads the first time, "Last metadata expiration check" after.
fn dnf_metadata(proc: &mut Proc<'_, '_>) {
    let now = proc.now();
    match proc.sys.disk.lists_updated {
        None => {
            proc.out("Amazon Linux 2023 repository                     46 MB/s |  36 MB     00:00\nAmazon Linux 2023 Kernel Livepatch repository    98 kB/s |  19 kB     00:00\n");
            proc.sys.disk.lists_updated = Some(now.unix_timestamp());
        }
        Some(at) => {
            let ago = (now.unix_timestamp() - at).max(0);
            let when = distro::at(at);
            proc.out(format!(
                "Last metadata expiration check: {}:{:02}:{:02} ago on {} {} {:>2} {:02}:{:02}:{:02} {}.\n",
                ago / 3600,
                ago % 3600 / 60,
                ago % 60,
                distro::weekday(when),
                distro::month(when),
                when.day(),
                when.hour(),
                when.minute(),
                when.second(),
                when.year()
            ));
        }
    }
}

fn nevra(package: &Package) -> String {
    match package.version.split_once(':') {
        Some((epoch, rest)) => format!("{}-{epoch}:{rest}.{}", package.name, package.arch),
        None => format!("{}-{}.{}", package.name, package.version, package.arch),
    }
}

const RULE: &str =
    "================================================================================\n";

pub(crate) fn dnf(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let opts = Opts::parse(&argv[1..], "");
    let yes = opts.has('y') || opts.has_long("assumeyes");
    let Some((command, names)) = opts.operands.split_first() else {
        proc.err("usage: dnf [options] COMMAND\n\nList of Main Commands:\n\ncheck-update              check for available package upgrades\ninfo                      display details about a package or group of packages\ninstall                   install a package or packages on your system\nlist                      list a package or groups of packages\nremove                    remove a package or packages from your system\nsearch                    search package details for the given string\nupgrade                   upgrade a package or packages on your system\nError: No command given.\n");
        return 1;
    };
    let distro = proc.distro();
    let command = match command.as_str() {
        "update" => "upgrade",
        "erase" => "remove",
        other => other,
    };
    if command == "list" || command == "info" || command == "search" || command == "check-update" {
        if command == "list" {
            let mut text = String::from("Installed Packages\n");
            for name in proc.sys.disk.packages.keys() {
                if let Some(package) = repo::package(distro, name) {
                    text.push_str(&format!(
                        "{:<40} {:<28} @amazonlinux\n",
                        format!("{}.{}", package.name, package.arch),
                        package.version
                    ));
                }
            }
            proc.out(text);
        }
        return 0;
    }
    if !matches!(
        command,
        "install" | "remove" | "upgrade" | "makecache" | "clean"
    ) {
        proc.err(format!("No such command: {command}. Please use /usr/bin/dnf --help\nIt could be a DNF plugin command, try: \"dnf install 'dnf-command({command})'\"\n"));
        return 1;
    }
    if !proc.who.is_root() {
        proc.err("Error: This command has to be run with superuser privileges (under the root user on most systems).\n");
        return 1;
    }
    if command == "clean" {
        proc.out("17 files removed\n");
        proc.sys.disk.lists_updated = None;
        return 0;
    }
    dnf_metadata(proc);
    if command == "makecache" {
        proc.out("Metadata cache created.\n");
        return 0;
    }
    if command == "upgrade" {
        proc.out("Dependencies resolved.\nNothing to do.\nComplete!\n");
        return 0;
    }
    let plan = if command == "install" {
        let mut wanted = Vec::new();
        for name in names {
            if proc.sys.disk.packages.contains_key(name.as_str()) {
                if let Some(package) = repo::package(distro, name) {
                    proc.out(format!(
                        "Package {} is already installed.\n",
                        nevra(package)
                    ));
                }
                continue;
            }
            if repo::image_package(distro, name).is_some() {
                proc.out(format!("Package {name} is already installed.\n"));
                continue;
            }
            match repo::package(distro, name) {
                Some(package) => wanted.push(package),
                None => {
                    proc.out(format!("No match for argument: {name}\n"));
                    proc.err(format!("Error: Unable to find a match: {name}\n"));
                    return 1;
                }
            }
        }
        let new: Vec<&'static Package> = repo::closure(distro, &wanted)
            .into_iter()
            .filter(|package| !proc.sys.disk.packages.contains_key(package.name))
            .collect();
        if new.is_empty() {
            proc.out("Dependencies resolved.\nNothing to do.\nComplete!\n");
            return 0;
        }
        let ordered = install_order(&new, &wanted);
        let mut text = format!(
            "Dependencies resolved.\n{RULE} Package                Arch      Version                   Repository     Size\n{RULE}Installing:\n"
        );
        let row = |package: &Package| {
            format!(
                " {:<22} {:<9} {:<25} {:<11} {:>6}\n",
                package.name,
                package.arch,
                package.version,
                package.origin,
                dnf_size(package.download)
            )
        };
        for package in ordered
            .iter()
            .filter(|package| wanted.iter().any(|want| want.name == package.name))
        {
            text.push_str(&row(package));
        }
        let dependencies: Vec<&&Package> = ordered
            .iter()
            .filter(|package| !wanted.iter().any(|want| want.name == package.name))
            .collect();
        if !dependencies.is_empty() {
            text.push_str("Installing dependencies:\n");
            for package in dependencies {
                text.push_str(&row(package));
            }
        }
        let download: u64 = ordered.iter().map(|package| package.download).sum();
        let installed: u64 = ordered.iter().map(|package| package.installed).sum();
        text.push_str(&format!(
            "\nTransaction Summary\n{RULE}Install  {} Package{}\n\nTotal download size: {}\nInstalled size: {}\n",
            ordered.len(),
            if ordered.len() == 1 { "" } else { "s" },
            dnf_size(download),
            dnf_size(installed)
        ));
        proc.out(text);
        Plan {
            tool: Tool::Dnf,
            action: Action::Install,
            packages: ordered.iter().map(|package| package.name).collect(),
        }
    } else {
        let mut removing: Vec<&'static str> = Vec::new();
        for name in names {
            match repo::package(distro, name)
                .filter(|package| proc.sys.disk.packages.contains_key(package.name))
            {
                Some(package) => removing.push(package.name),
                None => proc.out(format!("No match for argument: {name}\n")),
            }
        }
        if removing.is_empty() {
            proc.err("No packages marked for removal.\n");
            proc.out("Dependencies resolved.\nNothing to do.\nComplete!\n");
            return 0;
        }
        let orphans: Vec<&'static str> = repo::orphans(distro, &proc.sys.disk.packages, &removing)
            .iter()
            .map(|p| p.name)
            .collect();
        let mut text = format!(
            "Dependencies resolved.\n{RULE} Package                Arch      Version                   Repository     Size\n{RULE}Removing:\n"
        );
        for name in removing.iter().chain(orphans.iter()) {
            if *name == orphans.first().copied().unwrap_or("") {
                text.push_str("Removing unused dependencies:\n");
            }
            if let Some(package) = repo::package(distro, name) {
                text.push_str(&format!(
                    " {:<22} {:<9} {:<25} {:<11} {:>6}\n",
                    package.name,
                    package.arch,
                    package.version,
                    "@amazonlinux",
                    dnf_size(package.installed)
                ));
            }
        }
        let count = removing.len() + orphans.len();
        text.push_str(&format!(
            "\nTransaction Summary\n{RULE}Remove  {count} Package{}\n\n",
            if count == 1 { "" } else { "s" }
        ));
        proc.out(text);
        removing.extend(orphans);
        Plan {
            tool: Tool::Dnf,
            action: Action::Remove { purge: false },
            packages: removing,
        }
    };
    if yes {
        return dnf_carry_out(proc, &plan);
    }
    ask(proc, "Is this ok [y/N]: ", plan)
}

fn dnf_carry_out(proc: &mut Proc<'_, '_>, plan: &Plan) -> i32 {
    let distro = proc.distro();
    let now = proc.sys.now();
    let packages: Vec<&'static Package> = plan
        .packages
        .iter()
        .filter_map(|name| repo::package(distro, name))
        .collect();
    let count = packages.len();
    let step = |verb: &str, nevra: &str, index: usize| {
        format!(
            "  {verb:<17}: {nevra:<52}{:>7}\n",
            format!("{index}/{count}")
        )
    };
    let mut text = String::new();
    match plan.action {
        Action::Install => {
            text.push_str("Downloading Packages:\n");
            for (index, package) in packages.iter().enumerate() {
                let version = package
                    .version
                    .split_once(':')
                    .map_or(package.version, |(_, rest)| rest);
                let file = format!(
                    "({}/{count}): {}-{version}.{}.rpm",
                    index + 1,
                    package.name,
                    package.arch
                );
                let short: String = file.chars().take(47).collect();
                text.push_str(&format!(
                    "{short:<47} {:>9} | {:>7}     00:00\n",
                    format!("{}B/s", dnf_size(package.download * 8)),
                    format!("{}B", dnf_size(package.download))
                ));
            }
            let total: u64 = packages.iter().map(|package| package.download).sum();
            text.push_str(&format!(
                "--------------------------------------------------------------------------------\nTotal                                           {:>9} | {:>7}     00:00\nRunning transaction check\nTransaction check succeeded.\nRunning transaction test\nTransaction test succeeded.\nRunning transaction\n  Preparing        :                                                        1/1\n",
                format!("{}B/s", dnf_size(total * 5)),
                format!("{}B", dnf_size(total))
            ));
            for (index, package) in packages.iter().enumerate() {
                let name = nevra(package);
                if package.name.starts_with("nginx") && package.name != "nginx-mimetypes" {
                    text.push_str(&step("Running scriptlet", &name, index + 1));
                }
                text.push_str(&step("Installing", &name, index + 1));
            }
            if let Some(last) = packages.last() {
                text.push_str(&step("Running scriptlet", &nevra(last), count));
            }
            for (index, package) in packages.iter().enumerate() {
                text.push_str(&step("Verifying", &nevra(package), index + 1));
            }
            text.push_str("\nInstalled:\n");
            let mut sorted: Vec<String> = packages.iter().map(|package| nevra(package)).collect();
            sorted.sort();
            for name in sorted {
                text.push_str(&format!("  {name}\n"));
            }
            text.push_str("\nComplete!\n");
            for package in &packages {
                proc.sys.disk.packages.insert(package.name.to_string(), now);
            }
        }
        _ => {
            text.push_str("Running transaction check\nTransaction check succeeded.\nRunning transaction test\nTransaction test succeeded.\nRunning transaction\n  Preparing        :                                                        1/1\n");
            for (index, package) in packages.iter().enumerate() {
                text.push_str(&step("Erasing", &nevra(package), index + 1));
            }
            for (index, package) in packages.iter().enumerate() {
                text.push_str(&step("Verifying", &nevra(package), index + 1));
            }
            text.push_str("\nRemoved:\n");
            for package in &packages {
                text.push_str(&format!("  {}\n", nevra(package)));
                proc.sys.disk.packages.remove(package.name);
                for unit in repo::units(distro)
                    .iter()
                    .filter(|unit| unit.package == Some(package.name))
                {
                    proc.sys.disk.services.remove(unit.name);
                }
            }
            text.push_str("\nComplete!\n");
        }
    }
    proc.out(text);
    proc.sys.refresh();
    0
}

#[cfg(test)]
mod tests {
    use super::super::Machine;
    use super::*;

    #[test]
    fn sizes_as_apt_and_dnf_print_them() {
        assert_eq!(apt_size(31_200), "31.2 kB");
        assert_eq!(apt_size(521_000), "521 kB");
        assert_eq!(apt_size(1_596_000), "1596 kB");
        assert_eq!(apt_size(9_800), "9800 B");
        assert_eq!(dnf_size(33_000), "32 k");
        assert_eq!(dnf_size(9_800), "9.6 k");
        assert_eq!(dnf_size(1_142_000), "1.1 M");
    }

    #[test]
    fn apt_needs_root_and_lists() {
        let mut machine = Machine::ubuntu();
        let outcome = machine.run("apt install nginx");
        assert_eq!(outcome.status, 100);
        assert_eq!(
            outcome.output,
            "E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)\nE: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), are you root?\n"
        );
        let update = machine.run("apt update");
        assert_eq!(update.status, 100);
        assert!(update.output.starts_with("Reading package lists... Done\nE: Could not open lock file /var/lib/apt/lists/lock - open (13: Permission denied)\n"));
        let outcome = machine.run("sudo apt install -y nginx");
        assert_eq!(outcome.status, 100);
        assert!(
            outcome
                .output
                .ends_with("E: Unable to locate package nginx\n")
        );
        let update = machine.out("sudo apt update");
        assert!(update.starts_with(
            "Get:1 http://ap-northeast-2.ec2.archive.ubuntu.com/ubuntu noble InRelease [256 kB]\n"
        ));
        assert!(update.contains(
            "Get:4 http://security.ubuntu.com/ubuntu noble-security InRelease [126 kB]\n"
        ));
        assert!(update.ends_with("Reading package lists... Done\nBuilding dependency tree... Done\nReading state information... Done\n12 packages can be upgraded. Run 'apt list --upgradable' to see them.\n"));
        let again = machine.out("sudo apt update");
        assert!(again.starts_with(
            "Hit:1 http://ap-northeast-2.ec2.archive.ubuntu.com/ubuntu noble InRelease\n"
        ));
        assert_eq!(
            machine.out("sudo apt install curl"),
            "Reading package lists... Done\nBuilding dependency tree... Done\nReading state information... Done\ncurl is already the newest version (8.5.0-2ubuntu10.4).\n0 upgraded, 0 newly installed, 0 to remove and 12 not upgraded.\n"
        );
    }

    #[test]
    fn apt_installs_nginx_as_ubuntu_prints_it() {
        let mut machine = Machine::ubuntu();
        machine.run("sudo apt update");
        let install = machine.out("sudo apt install -y nginx");
        let expected_start = "Reading package lists... Done\nBuilding dependency tree... Done\nReading state information... Done\nThe following additional packages will be installed:\n  nginx-common\nSuggested packages:\n  fcgiwrap nginx-doc ssl-cert\nThe following NEW packages will be installed:\n  nginx nginx-common\n0 upgraded, 2 newly installed, 0 to remove and 12 not upgraded.\nNeed to get 552 kB of archives.\nAfter this operation, 1596 kB of additional disk space will be used.\nGet:1 http://ap-northeast-2.ec2.archive.ubuntu.com/ubuntu noble-updates/main amd64 nginx-common all 1.24.0-2ubuntu7.1 [31.2 kB]\nGet:2 http://ap-northeast-2.ec2.archive.ubuntu.com/ubuntu noble-updates/main amd64 nginx amd64 1.24.0-2ubuntu7.1 [521 kB]\n";
        assert!(install.starts_with(expected_start), "{install}");
        assert!(install.contains("Selecting previously unselected package nginx-common.\n(Reading database ... 70633 files and directories currently installed.)\nPreparing to unpack .../nginx-common_1.24.0-2ubuntu7.1_all.deb ...\nUnpacking nginx-common (1.24.0-2ubuntu7.1) ...\n"));
        assert!(install.contains("Setting up nginx (1.24.0-2ubuntu7.1) ...\nCreated symlink /etc/systemd/system/multi-user.target.wants/nginx.service → /usr/lib/systemd/system/nginx.service.\n"));
        assert!(install.contains("Processing triggers for man-db (2.12.0-4build2) ...\n"));
        assert!(install.ends_with(
            "No VM guests are running outdated hypervisor (qemu) binaries on this host.\n"
        ));
        assert_eq!(machine.out("which nginx"), "/usr/sbin/nginx\n");
        assert!(
            machine
                .out("ls /var/www/html")
                .contains("index.nginx-debian.html")
        );
        assert!(
            machine
                .out("systemctl is-active nginx")
                .starts_with("active")
        );
    }

    #[test]
    fn apt_asks_and_the_next_line_answers() {
        let mut machine = Machine::ubuntu();
        machine.run("sudo apt update");
        let asked = machine.run("sudo apt install nginx && echo done");
        assert!(
            asked.output.ends_with(
                "After this operation, 1596 kB of additional disk space will be used.\n"
            )
        );
        assert_eq!(machine.prompt(), "Do you want to continue? [Y/n] ");
        let answered = machine.run("n");
        assert_eq!(answered.output, "Abort.\n");
        assert_eq!(answered.status, 1);
        assert_eq!(machine.prompt(), "ubuntu@ip-172-31-5-20:~$ ");
        machine.run("sudo apt install nginx && echo done");
        let answered = machine.run("");
        assert!(answered.output.starts_with("Get:1 "));
        assert!(answered.output.ends_with("host.\ndone\n"));
        // Without a terminal apt reads its answer from the pipe, or aborts.
        machine.run("sudo apt remove -y nginx && sudo apt autoremove -y");
        assert_eq!(
            machine.out("sudo apt list --installed 2>/dev/null | grep nginx"),
            ""
        );
        let piped = machine.out("echo y | sudo apt install nginx");
        assert!(
            piped.contains("Do you want to continue? [Y/n] Get:1 "),
            "{piped}"
        );
        machine.run("sudo apt purge -y nginx nginx-common");
        let scripted = machine.out("x=$(sudo apt install nginx); echo \"$x\" | tail -n 1");
        assert!(
            scripted.ends_with("\n\nDo you want to continue? [Y/n] Abort.\n"),
            "{scripted}"
        );
    }

    #[test]
    fn dnf_installs_without_starting() {
        let mut machine = Machine::amazon();
        assert_eq!(
            machine.out("dnf install -y nginx"),
            "Error: This command has to be run with superuser privileges (under the root user on most systems).\n"
        );
        let install = machine.out("sudo dnf install -y nginx");
        assert!(install.starts_with("Amazon Linux 2023 repository "));
        assert!(install.contains("Dependencies resolved.\n================================================================================\n Package "));
        assert!(install.contains("Installing:\n nginx "));
        assert!(install.contains("Install  7 Packages\n"));
        assert!(install.ends_with("\nComplete!\n"));
        assert!(
            machine
                .out("systemctl is-active nginx")
                .starts_with("inactive")
        );
        let again = machine.out("sudo yum install nginx");
        assert!(again.starts_with("Last metadata expiration check: 0:00:00 ago on Wed Oct 21 08:40:12 2026.\nPackage nginx-1:1.28.0-1.amzn2023.0.2.x86_64 is already installed.\n"));
        let unknown = machine.out("sudo dnf install -y nosuch");
        assert!(
            unknown.ends_with(
                "No match for argument: nosuch\nError: Unable to find a match: nosuch\n"
            )
        );
        machine.run("sudo dnf remove nginx");
        assert_eq!(machine.prompt(), "Is this ok [y/N]: ");
        assert_eq!(machine.out(""), "Operation aborted.\n");
    }
}
