//! systemd as a learner meets it: `systemctl start|stop|restart|reload|status|enable|disable`,
//! `service`, `journalctl -u`, and the `nginx` binary's own switches.
//!
//! A service's state lives in the [`Disk`](crate::Disk); its running state
//! does not survive a reboot (then it runs exactly when enabled), see `Service::effective`.

use super::{Opts, Proc};
use crate::Distro;
use crate::disk::Service;
use crate::distro;
use crate::repo::{self, Unit};

/// `Wed 2026-10-21 08:40:12 UTC`.
fn timestamp(seconds: i64) -> String {
    let at = distro::at(seconds);
    format!("{} {} UTC", distro::weekday(at), distro::stamp(at, '-'))
}

/// `5s ago`, `1min 3s ago`, `2h 5min ago`, as systemd says how long ago.
fn ago(seconds: i64) -> String {
    let seconds = seconds.max(0);
    let (days, hours, minutes, rest) = (
        seconds / 86_400,
        seconds % 86_400 / 3600,
        seconds % 3600 / 60,
        seconds % 60,
    );
    if days > 0 {
        format!(
            "{days} day{} {hours}h ago",
            if days == 1 { "" } else { "s" }
        )
    } else if hours > 0 {
        format!("{hours}h {minutes}min ago")
    } else if minutes > 0 && rest > 0 {
        format!("{minutes}min {rest}s ago")
    } else if minutes > 0 {
        format!("{minutes}min ago")
    } else {
        format!("{rest}s ago")
    }
}

fn version(distro: Distro) -> &'static str {
    match distro {
        Distro::Ubuntu | Distro::Workstation => "nginx/1.24.0 (Ubuntu)",
        Distro::AmazonLinux => "nginx/1.28.0",
    }
}

/// A unit present on this instance, by the name typed.
fn find(proc: &Proc<'_, '_>, name: &str) -> Option<&'static Unit> {
    repo::unit(proc.distro(), name).filter(|unit| repo::unit_present(unit, proc.sys.disk))
}

fn unit_name(name: &str) -> String {
    if name.contains('.') {
        name.to_string()
    } else {
        format!("{name}.service")
    }
}

fn set_state(
    proc: &mut Proc<'_, '_>,
    unit: &Unit,
    change: impl FnOnce(&mut Service, i64, &mut dyn FnMut() -> u32),
) {
    let now = proc.sys.now();
    let mut state = repo::state(proc.facts(), proc.sys.disk, unit);
    let disk = &mut *proc.sys.disk;
    let mut pid = || disk.next_pid();
    change(&mut state, now, &mut pid);
    proc.sys.disk.services.insert(unit.name.to_string(), state);
}

fn start(proc: &mut Proc<'_, '_>, unit: &Unit, restart: bool) {
    set_state(proc, unit, |state, now, pid| {
        if !state.running || restart {
            state.running = true;
            state.since = now;
            state.pid = pid() + 3;
        }
    });
}

fn stop(proc: &mut Proc<'_, '_>, unit: &Unit) {
    set_state(proc, unit, |state, now, _| {
        if state.running {
            state.running = false;
            state.since = now;
        }
    });
}

/// The lines systemd prints when a unit is enabled or disabled.
fn enable(proc: &mut Proc<'_, '_>, unit: &Unit, on: bool) -> String {
    let state = repo::state(proc.facts(), proc.sys.disk, unit);
    let mut text = String::new();
    if proc.distro().is_ubuntu() && unit.package.is_some() {
        let verb = if on { "enable" } else { "disable" };
        text.push_str(&format!(
            "Synchronizing state of {name}.service with SysV service script with /usr/lib/systemd/systemd-sysv-install.\nExecuting: /usr/lib/systemd/systemd-sysv-install {verb} {name}\n",
            name = unit.name
        ));
    }
    let link = format!(
        "/etc/systemd/system/multi-user.target.wants/{}.service",
        unit.name
    );
    if on && !state.enabled {
        text.push_str(&format!("Created symlink {link} → {}.\n", unit.path));
    } else if !on && state.enabled {
        text.push_str(&format!("Removed \"{link}\".\n"));
    }
    set_state(proc, unit, |state, _, _| state.enabled = on);
    proc.sys.refresh();
    text
}

/// `systemctl status UNIT` in systemd's form, and its exit status.
fn unit_status(proc: &Proc<'_, '_>, unit: &Unit) -> (String, i32) {
    let facts = proc.facts();
    let now = proc.sys.now();
    let state = repo::state(facts, proc.sys.disk, unit);
    let recorded = proc.sys.disk.services.contains_key(unit.name) || unit.package.is_none();
    let enabled = if state.enabled { "enabled" } else { "disabled" };
    let preset = if unit.preset { "enabled" } else { "disabled" };
    let dot = if state.running { '●' } else { '○' };
    let mut text = format!(
        "{dot} {}.service - {}\n     Loaded: loaded ({}; {enabled}; preset: {preset})\n",
        unit.name, unit.description, unit.path
    );
    let host = distro::short_hostname(facts);
    let stamp = distro::syslog_time(distro::at(state.since));
    let name = format!("{}.service", unit.name);
    if state.running {
        text.push_str(&format!(
            "     Active: active (running) since {}; {}\n",
            timestamp(state.since),
            ago(now - state.since)
        ));
        for doc in unit.docs.iter().take(1) {
            text.push_str(&format!("       Docs: {doc}\n"));
        }
        for doc in unit.docs.iter().skip(1) {
            text.push_str(&format!("             {doc}\n"));
        }
        let steps = unit.pre.len() as u32 + u32::from(unit.forking);
        let first = state.pid.saturating_sub(steps);
        for (index, line) in unit.pre.iter().enumerate() {
            text.push_str(&format!(
                "    Process: {} ExecStartPre={line} (code=exited, status=0/SUCCESS)\n",
                first + index as u32
            ));
        }
        if unit.forking {
            text.push_str(&format!(
                "    Process: {} ExecStart={} (code=exited, status=0/SUCCESS)\n",
                state.pid - 1,
                unit.exec
            ));
        }
        let program = unit
            .exec
            .split(' ')
            .next()
            .map_or("", |path| path.rsplit('/').next().unwrap_or(path));
        let limit = distro::mem_total_kib(facts) / 130 * 15 / 100;
        let tasks = unit.processes.len() as u32
            * if unit.name == "nginx" {
                facts.vcpus.max(1)
            } else {
                1
            };
        text.push_str(&format!(
            "   Main PID: {} ({program})\n      Tasks: {} (limit: {limit})\n     Memory: {}\n        CPU: {}ms\n     CGroup: /system.slice/{name}\n",
            state.pid,
            if unit.name == "nginx" { 1 + facts.vcpus.max(1) } else { tasks },
            unit.memory,
            12 + (now - state.since).clamp(0, 60) / 4
        ));
        let mut processes: Vec<String> = vec![unit.processes[0].to_string()];
        if let Some(worker) = unit.processes.get(1) {
            for _ in 0..facts.vcpus.clamp(1, 8) {
                processes.push(worker.to_string());
            }
        }
        let count = processes.len();
        for (index, process) in processes.iter().enumerate() {
            let branch = if index + 1 == count {
                "└─"
            } else {
                "├─"
            };
            text.push_str(&format!(
                "             {branch}{} \"{process}\"\n",
                state.pid + index as u32
            ));
        }
        if recorded {
            text.push_str(&format!(
                "\n{stamp} {host} systemd[1]: Starting {name} - {}...\n{stamp} {host} systemd[1]: Started {name} - {}.\n",
                unit.description, unit.description
            ));
        }
        (text, 0)
    } else {
        if recorded && proc.sys.disk.services.contains_key(unit.name) {
            text.push_str(&format!(
                "     Active: inactive (dead) since {}; {}\n",
                timestamp(state.since),
                ago(now - state.since)
            ));
        } else {
            text.push_str("     Active: inactive (dead)\n");
        }
        for doc in unit.docs.iter().take(1) {
            text.push_str(&format!("       Docs: {doc}\n"));
        }
        if proc.sys.disk.services.contains_key(unit.name) {
            text.push_str(&format!(
                "   Main PID: {} (code=exited, status=0/SUCCESS)\n        CPU: 25ms\n\n{stamp} {host} systemd[1]: Stopping {name} - {}...\n{stamp} {host} systemd[1]: {name}: Deactivated successfully.\n{stamp} {host} systemd[1]: Stopped {name} - {}.\n",
                state.pid, unit.description, unit.description
            ));
        }
        (text, 3)
    }
}

pub(crate) fn systemctl(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let opts = Opts::parse(&argv[1..], "");
    let now_too = opts.has_long("now");
    let Some((command, units)) = opts.operands.split_first() else {
        return list_units(proc);
    };
    let command = command.as_str();
    match command {
        "daemon-reload" => {
            if !proc.who.is_root() {
                proc.err("Failed to reload daemon: Interactive authentication required.\n");
                return 1;
            }
            return 0;
        }
        "list-units" | "list-unit-files" => return list_units(proc),
        "reboot" | "poweroff" => {
            let name = if command == "reboot" {
                "reboot"
            } else {
                "poweroff"
            };
            return super::system::power(proc, &[name.to_string()]);
        }
        _ => {}
    }
    let known = [
        "start",
        "stop",
        "restart",
        "reload",
        "status",
        "enable",
        "disable",
        "is-active",
        "is-enabled",
        "cat",
        "show",
        "try-restart",
        "reload-or-restart",
    ];
    if !known.contains(&command) {
        proc.err(format!("Unknown command verb '{command}'.\n"));
        return 1;
    }
    if units.is_empty() {
        proc.err("Too few arguments.\n");
        return 1;
    }
    let mut status = 0;
    for name in units {
        let unit = find(proc, name);
        let full = unit_name(name);
        let code = match command {
            "status" => match unit {
                Some(unit) => {
                    let (text, code) = unit_status(proc, unit);
                    proc.out(text);
                    code
                }
                None => {
                    proc.err(format!("Unit {full} could not be found.\n"));
                    4
                }
            },
            "is-active" => {
                let active =
                    unit.is_some_and(|unit| repo::state(proc.facts(), proc.sys.disk, unit).running);
                proc.out(if active { "active\n" } else { "inactive\n" });
                if active { 0 } else { 3 }
            }
            "is-enabled" => match unit {
                Some(unit) => {
                    let enabled = repo::state(proc.facts(), proc.sys.disk, unit).enabled;
                    proc.out(if enabled { "enabled\n" } else { "disabled\n" });
                    i32::from(!enabled)
                }
                None => {
                    proc.err(format!(
                        "Failed to get unit file state for {full}: No such file or directory\n"
                    ));
                    1
                }
            },
            "cat" => match unit {
                Some(unit) => {
                    let text = proc
                        .view()
                        .read(proc.cred(), "/", unit.path)
                        .unwrap_or_default();
                    proc.out(format!("# {}\n", unit.path));
                    proc.out(text);
                    0
                }
                None => {
                    proc.err(format!("No files found for {full}.\n"));
                    1
                }
            },
            "show" => match unit {
                Some(unit) => {
                    let state = repo::state(proc.facts(), proc.sys.disk, unit);
                    proc.out(format!(
                        "Id={}.service\nActiveState={}\nSubState={}\nUnitFileState={}\nMainPID={}\n",
                        unit.name,
                        if state.running { "active" } else { "inactive" },
                        if state.running { "running" } else { "dead" },
                        if state.enabled { "enabled" } else { "disabled" },
                        if state.running { state.pid } else { 0 }
                    ));
                    0
                }
                None => 0,
            },
            _ => change(proc, command, unit, &full, now_too),
        };
        if code != 0 {
            status = code;
        }
    }
    status
}

/// A state change: needs root, then the unit.
fn change(
    proc: &mut Proc<'_, '_>,
    command: &str,
    unit: Option<&'static Unit>,
    full: &str,
    now_too: bool,
) -> i32 {
    let verb = match command {
        "start" => "start",
        "stop" => "stop",
        "restart" | "try-restart" | "reload-or-restart" => "restart",
        "reload" => "reload",
        "enable" => "enable",
        _ => "disable",
    };
    let Some(unit) = unit else {
        if verb == "enable" || verb == "disable" {
            proc.err(format!(
                "Failed to {verb} unit: Unit file {full} does not exist.\n"
            ));
            return 1;
        }
        proc.err(format!("Failed to {verb} {full}: Unit {full} not found.\n"));
        return 5;
    };
    if !proc.who.is_root() {
        if verb == "enable" || verb == "disable" {
            proc.err(format!(
                "Failed to {verb} unit: Interactive authentication required.\n"
            ));
        } else {
            proc.err(format!(
                "Failed to {verb} {full}: Interactive authentication required.\nSee system logs and 'systemctl status {full}' for details.\n"
            ));
        }
        return 1;
    }
    match verb {
        "start" => start(proc, unit, false),
        "stop" => stop(proc, unit),
        "restart" => start(proc, unit, true),
        "reload" => {
            if !repo::state(proc.facts(), proc.sys.disk, unit).running {
                proc.err(format!(
                    "Job for {full} failed.\nSee \"systemctl status {full}\" and \"journalctl -xeu {full}\" for details.\n"
                ));
                return 1;
            }
        }
        "enable" => {
            let text = enable(proc, unit, true);
            proc.err(text);
            if now_too {
                start(proc, unit, false);
            }
        }
        _ => {
            let text = enable(proc, unit, false);
            proc.err(text);
            if now_too {
                stop(proc, unit);
            }
        }
    }
    0
}

fn list_units(proc: &mut Proc<'_, '_>) -> i32 {
    let mut text =
        String::from("  UNIT                               LOAD   ACTIVE SUB     DESCRIPTION\n");
    let mut count = 0;
    for unit in repo::units(proc.distro()) {
        if !repo::unit_present(unit, proc.sys.disk) {
            continue;
        }
        let state = repo::state(proc.facts(), proc.sys.disk, unit);
        if !state.running {
            continue;
        }
        count += 1;
        text.push_str(&format!(
            "  {:<34} loaded active running {}\n",
            format!("{}.service", unit.name),
            unit.description
        ));
    }
    text.push_str(&format!(
        "\nLegend: LOAD   → Reflects whether the unit definition was properly loaded.\n        ACTIVE → The high-level unit activation state, i.e. generalization of SUB.\n        SUB    → The low-level unit activation state, values depend on unit type.\n\n{count} loaded units listed.\n"
    ));
    proc.out(text);
    0
}

/// `service NAME start|stop|restart|reload|status`, `service --status-all`.
pub(crate) fn service(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    match argv.get(1).map(String::as_str) {
        Some("--status-all") => {
            let mut text = String::new();
            for unit in repo::units(proc.distro()) {
                if repo::unit_present(unit, proc.sys.disk) {
                    let running = repo::state(proc.facts(), proc.sys.disk, unit).running;
                    text.push_str(&format!(
                        " [ {} ]  {}\n",
                        if running { '+' } else { '-' },
                        unit.name
                    ));
                }
            }
            proc.out(text);
            0
        }
        Some(name) => {
            let Some(command) = argv.get(2) else {
                proc.err(format!("Usage: service < option > | --status-all | [ service_name [ command | --full-restart ] ]\n(for {name})\n"));
                return 1;
            };
            if proc.distro() == Distro::AmazonLinux {
                proc.err(format!(
                    "Redirecting to /bin/systemctl {command} {name}.service\n"
                ));
            }
            let args = vec!["systemctl".to_string(), command.clone(), name.to_string()];
            systemctl(proc, &args)
        }
        None => {
            proc.err("Usage: service < option > | --status-all | [ service_name [ command | --full-restart ] ]\n");
            1
        }
    }
}

/// The `nginx` binary: `-v`, `-V`, `-t`, `-s signal`, or starting it by hand.
pub(crate) fn nginx(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let distro = proc.distro();
    let opts = Opts::parse(&argv[1..], "scgp");
    let Some(unit) = repo::unit(distro, "nginx") else {
        return 1;
    };
    let running = repo::state(proc.facts(), proc.sys.disk, unit).running;
    let stamp = distro::stamp(proc.now(), '/');
    if opts.has('v') {
        proc.err(format!("nginx version: {}\n", version(distro)));
        return 0;
    }
    if opts.has('V') {
        proc.err(format!(
            "nginx version: {}\nbuilt with OpenSSL 3.0.13 30 Jan 2024\nTLS SNI support enabled\nconfigure arguments: --prefix=/usr/share/nginx --conf-path=/etc/nginx/nginx.conf --http-log-path=/var/log/nginx/access.log --error-log-path=stderr --lock-path=/var/lock/nginx.lock --pid-path=/run/nginx.pid\n",
            version(distro)
        ));
        return 0;
    }
    let pid = proc.sys.disk.last_pid + 1;
    if opts.has('t') || opts.has('T') {
        if !proc.who.is_root() {
            proc.err(format!(
                "{stamp} [warn] {pid}#{pid}: the \"user\" directive makes sense only if the master process runs with super-user privileges, ignored in /etc/nginx/nginx.conf:1\nnginx: the configuration file /etc/nginx/nginx.conf syntax is ok\n{stamp} [emerg] {pid}#{pid}: open() \"/run/nginx.pid\" failed (13: Permission denied)\nnginx: configuration file /etc/nginx/nginx.conf test failed\n"
            ));
            return 1;
        }
        proc.err("nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful\n");
        return 0;
    }
    if !proc.who.is_root() {
        proc.err(format!(
            "nginx: [alert] could not open error log file: open() \"/var/log/nginx/error.log\" failed (13: Permission denied)\n{stamp} [emerg] {pid}#{pid}: open() \"/var/log/nginx/error.log\" failed (13: Permission denied)\n"
        ));
        return 1;
    }
    if let Some(signal) = opts.value('s') {
        if !running {
            proc.err(format!("{stamp} [notice] {pid}#{pid}: signal process started\n{stamp} [error] {pid}#{pid}: invalid PID number \"\" in \"/run/nginx.pid\"\n"));
            return 1;
        }
        proc.err(format!(
            "{stamp} [notice] {pid}#{pid}: signal process started\n"
        ));
        if signal == "stop" || signal == "quit" {
            stop(proc, unit);
        }
        return 0;
    }
    if running {
        let line = "nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)\nnginx: [emerg] bind() to [::]:80 failed (98: Address already in use)\n";
        proc.err(format!(
            "{}nginx: [emerg] still could not bind()\n",
            line.repeat(5)
        ));
        return 1;
    }
    start(proc, unit, false);
    0
}

/// `journalctl -u UNIT`: what the unit's state tells of its log.
pub(crate) fn journalctl(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let opts = Opts::parse(&argv[1..], "un");
    let facts = proc.facts();
    let host = distro::short_hostname(facts);
    let Some(name) = opts.value('u') else {
        let boot = distro::syslog_time(facts.booted);
        proc.out(format!(
            "{boot} {host} kernel: Linux version {} (buildd) {}\n{boot} {host} systemd[1]: Reached target multi-user.target - Multi-User System.\n",
            facts.distro.kernel(),
            facts.distro.kernel_build()
        ));
        return 0;
    };
    let Some(unit) = find(proc, name) else {
        proc.out("-- No entries --\n");
        return 0;
    };
    let state = repo::state(facts, proc.sys.disk, unit);
    let stamp = distro::syslog_time(distro::at(state.since));
    let full = format!("{}.service", unit.name);
    let text = if state.running {
        format!(
            "{stamp} {host} systemd[1]: Starting {full} - {}...\n{stamp} {host} systemd[1]: Started {full} - {}.\n",
            unit.description, unit.description
        )
    } else if proc.sys.disk.services.contains_key(unit.name) {
        format!(
            "{stamp} {host} systemd[1]: Stopping {full} - {}...\n{stamp} {host} systemd[1]: {full}: Deactivated successfully.\n{stamp} {host} systemd[1]: Stopped {full} - {}.\n",
            unit.description, unit.description
        )
    } else {
        "-- No entries --\n".to_string()
    };
    proc.out(text);
    0
}

#[cfg(test)]
mod tests {
    use super::super::Machine;
    use super::*;

    fn with_nginx(machine: &mut Machine) {
        let install = match machine.facts.distro {
            Distro::Ubuntu | Distro::Workstation => "sudo apt update && sudo apt install -y nginx",
            Distro::AmazonLinux => "sudo dnf install -y nginx",
        };
        assert_eq!(machine.run(install).status, 0);
    }

    #[test]
    fn status_in_systemds_form() {
        let mut machine = Machine::ubuntu();
        with_nginx(&mut machine);
        machine.wait(63);
        let outcome = machine.run("systemctl status nginx");
        assert_eq!(outcome.status, 0);
        let text = outcome.output;
        assert!(text.starts_with("● nginx.service - A high performance web server and a reverse proxy server\n     Loaded: loaded (/usr/lib/systemd/system/nginx.service; enabled; preset: enabled)\n     Active: active (running) since Wed 2026-10-21 08:40:12 UTC; 1min 3s ago\n       Docs: man:nginx(8)\n"), "{text}");
        assert!(text.contains("ExecStartPre=/usr/sbin/nginx -t -q -g daemon on; master_process on; (code=exited, status=0/SUCCESS)\n"));
        assert!(text.contains("     CGroup: /system.slice/nginx.service\n             ├─"));
        assert!(text.contains(
            " \"nginx: master process /usr/sbin/nginx -g daemon on; master_process on;\"\n"
        ));
        assert!(text.contains("             └─"));
        assert!(text.contains("Oct 21 08:40:12 ip-172-31-5-20 systemd[1]: Started nginx.service - A high performance web server and a reverse proxy server.\n"));
        let stopped = machine.run("sudo systemctl stop nginx; systemctl status nginx");
        assert_eq!(stopped.status, 3);
        assert!(stopped.output.starts_with("○ nginx.service"));
        assert!(
            stopped.output.contains(
                "     Active: inactive (dead) since Wed 2026-10-21 08:41:15 UTC; 0s ago\n"
            )
        );
    }

    #[test]
    fn changes_need_root_and_known_units() {
        let mut machine = Machine::ubuntu();
        assert_eq!(
            machine.out("sudo systemctl start foo"),
            "Failed to start foo.service: Unit foo.service not found.\n"
        );
        assert_eq!(
            machine.out("systemctl status foo"),
            "Unit foo.service could not be found.\n"
        );
        with_nginx(&mut machine);
        let outcome = machine.run("systemctl stop nginx");
        assert_eq!(outcome.status, 1);
        assert_eq!(
            outcome.output,
            "Failed to stop nginx.service: Interactive authentication required.\nSee system logs and 'systemctl status nginx.service' for details.\n"
        );
        assert_eq!(
            machine.out("sudo service nginx stop && systemctl is-active nginx"),
            "inactive\n"
        );
        assert_eq!(
            machine.out("sudo service nginx start && systemctl is-active nginx"),
            "active\n"
        );
        assert_eq!(
            machine.out("nginx -v"),
            "nginx version: nginx/1.24.0 (Ubuntu)\n"
        );
        assert_eq!(
            machine.out("sudo nginx -t"),
            "nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful\n"
        );
    }

    #[test]
    fn amazon_linux_enables_by_hand_and_reboots_follow_it() {
        let mut machine = Machine::amazon();
        with_nginx(&mut machine);
        let status = machine.out("systemctl status nginx");
        assert_eq!(
            status,
            "○ nginx.service - The nginx HTTP and reverse proxy server\n     Loaded: loaded (/usr/lib/systemd/system/nginx.service; disabled; preset: disabled)\n     Active: inactive (dead)\n"
        );
        assert_eq!(
            machine.out("sudo systemctl start nginx && systemctl is-active nginx"),
            "active\n"
        );
        // A reboot stops what is not enabled.
        machine.reboot();
        assert_eq!(machine.out("systemctl is-active nginx"), "inactive\n");
        assert_eq!(
            machine.out("sudo systemctl enable --now nginx"),
            "Created symlink /etc/systemd/system/multi-user.target.wants/nginx.service → /usr/lib/systemd/system/nginx.service.\n"
        );
        machine.reboot();
        assert_eq!(machine.out("systemctl is-active nginx"), "active\n");
        assert_eq!(ago(63), "1min 3s ago");
        assert_eq!(ago(7_500), "2h 5min ago");
    }
}
