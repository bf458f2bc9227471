//! `top` and `htop`: the instance's processes and memory, full-screen, redrawn every three
//! seconds (top's default delay) until `q` or Ctrl-C. Memory is the instance type's, so a
//! t2.micro shows its 1 GiB and a t3.small its 2; the processes are those `ps` lists.

use time::OffsetDateTime;

use super::Proc;
use super::system::{Memory, Process, memory, processes, up_text};
use crate::fs;
use crate::job::Job;
use crate::keys::{Key, KeyReader};
use crate::screen::{self, Screen, fit, inverse, pad};
use crate::sys::Sys;

/// Seconds between two refreshes, top's `-d 3.0`.
const DELAY_SECONDS: i64 = 3;

/// What the view shows, taken when it starts: the processes and memory stay as they were,
/// the clock, the uptime and the CPU times move.
#[derive(Debug, Clone)]
struct Row {
    pid: u32,
    user: String,
    virt: u32,
    res: u32,
    state: char,
    mem: String,
    command: String,
}

/// One top (or htop).
#[derive(Debug, Clone)]
pub(crate) struct Top {
    htop: bool,
    rows: Vec<Row>,
    memory_kib: [u64; 4],
    vcpus: u32,
    booted: OffsetDateTime,
    screen: Screen,
    next: OffsetDateTime,
    keys: KeyReader,
}

pub(crate) fn top(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let name = fs::basename(&argv[0]).to_string();
    if !proc.holds_terminal() {
        // top -b prints one frame as text; without a terminal that is what there is.
        if name == "top" && argv[1..].iter().any(|arg| arg.starts_with("-b")) {
            let view = Top::new(proc, false);
            let text = view.text_lines(proc.now()).join("\n");
            proc.out(format!("{text}\n"));
            return 0;
        }
        proc.err(format!("{name}: failed tty get\n"));
        return 1;
    }
    let mut view = Top::new(proc, name == "htop");
    let now = proc.now();
    proc.out(format!("{}{}", screen::ENTER, view.draw(now)));
    view.next = now + time::Duration::seconds(DELAY_SECONDS);
    proc.keep_terminal(view);
    0
}

impl Top {
    fn new(proc: &Proc<'_, '_>, htop: bool) -> Top {
        let Memory {
            total,
            free,
            used,
            cache,
            ..
        } = memory(proc);
        let rows = processes(proc)
            .into_iter()
            .filter(|process| !process.command.starts_with("ps"))
            .map(|process| row(&process))
            .collect();
        let facts = proc.facts();
        Top {
            htop,
            rows,
            memory_kib: [total, free, used, cache],
            vcpus: facts.vcpus,
            booted: facts.booted,
            screen: Screen::of(proc.env),
            next: proc.now(),
            keys: KeyReader::default(),
        }
    }

    /// top's summary and process table, as `top -b` prints one frame.
    fn text_lines(&self, now: OffsetDateTime) -> Vec<String> {
        let [total, free, used, cache] = self.memory_kib.map(|kib| kib as f64 / 1024.0);
        let up = (now - self.booted).whole_seconds().max(0);
        let tasks = self.rows.len();
        let mut lines = vec![
            format!(
                "top - {:02}:{:02}:{:02} {},  1 user,  load average: 0.00, 0.00, 0.00",
                now.hour(),
                now.minute(),
                now.second(),
                up_text(up)
            ),
            format!(
                "Tasks: {tasks:>3} total,   1 running, {:>3} sleeping,   0 stopped,   0 zombie",
                tasks - 1
            ),
            "%Cpu(s):  0.3 us,  0.0 sy,  0.0 ni, 99.7 id,  0.0 wa,  0.0 hi,  0.0 si,  0.0 st"
                .to_string(),
            format!(
                "MiB Mem : {total:>8.1} total, {free:>8.1} free, {used:>8.1} used, {cache:>8.1} buff/cache"
            ),
            format!(
                "MiB Swap: {:>8.1} total, {:>8.1} free, {:>8.1} used. {:>8.1} avail Mem",
                0.0,
                0.0,
                0.0,
                total - used
            ),
            String::new(),
            "    PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND"
                .to_string(),
        ];
        for row in &self.rows {
            lines.push(format!(
                "{:>7} {:<9} 20   0 {:>7} {:>6} {:>6} {}   0.0 {:>5}   0:00.{:02} {}",
                row.pid,
                fit(&row.user, 8),
                row.virt,
                row.res,
                row.res * 7 / 10,
                row.state,
                row.mem,
                row.pid % 97,
                fs::basename(row.command.split_whitespace().next().unwrap_or(""))
            ));
        }
        lines
    }

    /// htop's meters and process table.
    fn htop_lines(&self, now: OffsetDateTime) -> Vec<String> {
        let columns = self.screen.columns;
        let [total, _, used, _] = self.memory_kib;
        let up = (now - self.booted).whole_seconds().max(0);
        let bar = |label: &str, filled: f64, text: &str| {
            let width = (columns / 2).saturating_sub(label.len() + 3).max(10);
            let room = width.saturating_sub(text.len());
            let bars = ((filled.clamp(0.0, 1.0) * room as f64) as usize).min(room);
            format!(
                "{label}[{}{}{text}]",
                "|".repeat(bars),
                " ".repeat(room - bars)
            )
        };
        let mut lines = Vec::new();
        for cpu in 0..self.vcpus.min(8) {
            lines.push(format!("  {}", bar(&cpu.to_string(), 0.007, "0.7%")));
        }
        let mem = format!("{}M/{}M", used / 1024, total / 1024);
        lines.push(format!(
            "  {}",
            bar("Mem", used as f64 / total.max(1) as f64, &mem)
        ));
        lines.push(format!("  {}", bar("Swp", 0.0, "0K/0K")));
        lines.push(format!(
            "  Tasks: {}, 0 thr; 1 running   Load average: 0.00 0.00 0.00   Uptime: {:02}:{:02}:{:02}",
            self.rows.len(),
            up / 3600,
            up % 3600 / 60,
            up % 60
        ));
        lines.push(String::new());
        lines.push(inverse(&pad(
            "    PID USER       PRI  NI  VIRT   RES   SHR S  CPU% MEM%   TIME+  Command",
            columns,
        )));
        for row in &self.rows {
            lines.push(format!(
                "{:>7} {:<9}   20   0 {:>5}M {:>4}M {:>4}M {}  0.0 {:>4}  0:00.{:02} {}",
                row.pid,
                fit(&row.user, 9),
                row.virt / 1024,
                row.res / 1024,
                row.res * 7 / 10 / 1024,
                row.state,
                row.mem,
                row.pid % 97,
                row.command
            ));
        }
        lines
    }

    fn draw(&self, now: OffsetDateTime) -> String {
        let rows = self.screen.rows;
        let mut lines = if self.htop {
            self.htop_lines(now)
        } else {
            self.text_lines(now)
        };
        lines.truncate(if self.htop { rows - 1 } else { rows });
        let mut lines: Vec<String> = lines
            .iter()
            .map(|line| {
                if line.contains('\x1b') {
                    line.clone()
                } else {
                    fit(line, self.screen.columns)
                }
            })
            .collect();
        if self.htop {
            lines.resize(rows - 1, String::new());
            let keys = [
                ("F1", "Help  "),
                ("F2", "Setup "),
                ("F3", "Search"),
                ("F4", "Filter"),
                ("F5", "Tree  "),
                ("F6", "SortBy"),
                ("F7", "Nice -"),
                ("F8", "Nice +"),
                ("F9", "Kill  "),
                ("F10", "Quit  "),
            ];
            let footer: String = keys
                .iter()
                .map(|(key, label)| format!("{key}{}", inverse(label)))
                .collect();
            lines.push(footer);
        } else if lines.len() > 6 {
            // top shows its column header in reverse video.
            lines[6] = inverse(&pad(&lines[6], self.screen.columns));
        }
        self.screen
            .frame(&lines, (if self.htop { 0 } else { 5 }, 0))
    }
}

fn row(process: &Process) -> Row {
    Row {
        pid: process.pid,
        user: process.user.clone(),
        virt: process.vsz,
        res: process.rss,
        state: process.stat.chars().next().unwrap_or('S'),
        mem: process.mem.to_string(),
        command: process.command.clone(),
    }
}

impl Job for Top {
    fn input(&mut self, keys: &[u8], _sys: &mut Sys<'_>, out: &mut String) -> Option<i32> {
        for key in self.keys.read(keys) {
            if matches!(key, Key::Char('q') | Key::Ctrl('c'))
                || (self.htop && matches!(key, Key::Char('Q') | Key::F10))
            {
                out.push_str(screen::LEAVE);
                return Some(0);
            }
        }
        None
    }

    fn tick(&mut self, sys: &mut Sys<'_>, out: &mut String) -> Option<i32> {
        let now = sys.facts.now;
        if now >= self.next {
            out.push_str(&self.draw(now));
            self.next = now + time::Duration::seconds(DELAY_SECONDS);
        }
        None
    }

    fn due(&self) -> Option<OffsetDateTime> {
        Some(self.next)
    }
}

#[cfg(test)]
mod tests {
    use crate::commands::Machine;

    #[test]
    fn top_shows_the_instance_types_memory_and_refreshes_until_q() {
        let mut machine = Machine::ubuntu();
        let first = machine.run("top");
        assert!(machine.session.busy());
        assert!(
            first.output.contains("top - 08:40:12 up 10 min,  1 user"),
            "{first:?}"
        );
        assert!(first.output.contains("MiB Mem :    957."), "{first:?}");
        assert!(first.output.contains("/sbin/init") || first.output.contains(" init"));
        assert_eq!(machine.tick(1_000).output, "");
        let again = machine.tick(2_000);
        assert!(again.output.contains("top - 08:40:15"), "{again:?}");
        let quit = machine.keys(b"q");
        assert!(quit.output.contains("\x1b[?1049l"));
        assert!(!machine.session.busy());
        machine.facts.memory_mib = 2048;
        machine.facts.instance_type = "t3.small".into();
        machine.run("htop");
        let htop = machine.tick(3_000);
        assert!(htop.output.contains("Mem["), "{htop:?}");
        assert!(htop.output.contains("M/1924M]"), "{htop:?}");
        machine.keys(b"\x1b[21~");
        assert!(!machine.session.busy(), "F10 quits htop");
        assert_eq!(machine.run("top > /tmp/top.txt").status, 1);
        assert!(machine.out("top -b -n 1 | head -1").starts_with("top - "));
    }
}
