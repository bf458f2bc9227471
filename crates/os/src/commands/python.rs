//! `python3`: the instance has no Python interpreter, only what learners start it for most,
//! `python3 -m http.server`, which serves the current folder on the instance's network until
//! Ctrl-C. Anything else says plainly what does run here.

use time::OffsetDateTime;

use super::{Opts, Proc};
use crate::job::Job;
use crate::notes;
use crate::sys::Sys;
use crate::{Distro, Listener, fs, web};

/// http.server's default port.
const DEFAULT_PORT: u16 = 8000;
/// How often the server's log is fetched and its listener renewed.
const POLL_MS: i64 = 500;

pub(crate) fn python3(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let args: Vec<&str> = argv[1..].iter().map(String::as_str).collect();
    match args.as_slice() {
        ["-m", "http.server", rest @ ..] => serve(proc, rest),
        ["--version" | "-V"] => {
            let version = match proc.distro() {
                Distro::Ubuntu | Distro::Workstation => "3.12.3",
                Distro::AmazonLinux => "3.9.23",
            };
            proc.out(format!("Python {version}\n"));
            0
        }
        _ => {
            proc.err(notes::no_python(proc.sys.notes));
            1
        }
    }
}

/// `python3 -m http.server [PORT] [-b ADDRESS] [-d DIRECTORY]`.
fn serve(proc: &mut Proc<'_, '_>, args: &[&str]) -> i32 {
    let args: Vec<String> = args.iter().map(|arg| arg.to_string()).collect();
    let opts = Opts::parse_long(&args, "bd", &["bind", "directory"]);
    let port = match opts.operands.first() {
        None => DEFAULT_PORT,
        Some(text) => match text.parse::<u16>() {
            Ok(port) if port > 0 => port,
            _ => {
                proc.err(format!(
                    "usage: python3 -m http.server [-h] [--cgi] [-b ADDRESS] [-d DIRECTORY] [-p VERSION] [port]\npython3 -m http.server: error: argument port: invalid int value: '{text}'\n"
                ));
                return 2;
            }
        },
    };
    let directory = opts
        .value('d')
        .map(str::to_string)
        .or_else(|| long_value(&opts, "directory"))
        .map_or_else(|| proc.cwd.to_string(), |dir| fs::lexical(proc.cwd, &dir));
    if !proc.holds_terminal() {
        proc.err(
            "python3: http.server serves only at the prompt here, until Ctrl-C; run it there\n",
        );
        return 1;
    }
    let traceback = |error: &str| {
        format!(
            "Traceback (most recent call last):\n  File \"<frozen runpy>\", line 198, in _run_module_as_main\n  ...\n{error}\n"
        )
    };
    if port < 1024 && !proc.who.is_root() {
        proc.err(traceback("PermissionError: [Errno 13] Permission denied"));
        return 1;
    }
    let listener = Listener {
        port,
        root: directory,
        uid: proc.who.cred.uid,
        gid: proc.who.cred.gid,
        groups: proc.who.cred.groups.clone(),
    };
    let nginx = port == 80 && web(proc.facts(), proc.sys.disk, &probe()).is_some();
    if nginx || proc.sys.net.listen(&listener).is_err() {
        proc.err(traceback("OSError: [Errno 98] Address already in use"));
        return 1;
    }
    proc.out(format!(
        "Serving HTTP on 0.0.0.0 port {port} (http://0.0.0.0:{port}/) ...\n"
    ));
    let next = proc.now() + time::Duration::milliseconds(POLL_MS);
    proc.keep_terminal(Server { listener, next });
    0
}

fn long_value(opts: &Opts, name: &str) -> Option<String> {
    opts.long
        .iter()
        .find_map(|long| long.strip_prefix(&format!("{name}=")).map(str::to_string))
}

/// A request that asks only whether nginx holds port 80.
fn probe() -> crate::HttpRequest {
    crate::HttpRequest {
        method: "HEAD".into(),
        host: "localhost".into(),
        port: 80,
        path: "/".into(),
        ..Default::default()
    }
}

/// The server while it holds the terminal.
#[derive(Debug, Clone)]
struct Server {
    listener: Listener,
    next: OffsetDateTime,
}

impl Job for Server {
    fn input(&mut self, keys: &[u8], sys: &mut Sys<'_>, out: &mut String) -> Option<i32> {
        if !keys.contains(&0x03) {
            return None;
        }
        sys.net.unlisten(self.listener.port);
        out.push_str("^C\r\nKeyboard interrupt received, exiting.\r\n");
        Some(0)
    }

    fn tick(&mut self, sys: &mut Sys<'_>, out: &mut String) -> Option<i32> {
        let _ = sys.net.listen(&self.listener);
        for line in sys.net.served(self.listener.port) {
            out.push_str(&line);
            out.push_str("\r\n");
        }
        self.next = sys.facts.now + time::Duration::milliseconds(POLL_MS);
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
    fn http_server_holds_the_terminal_and_anything_else_says_what_runs() {
        let mut machine = Machine::ubuntu();
        let note = machine.run("python3");
        assert_eq!(note.status, 1);
        assert!(note.output.contains("python3 -m http.server"), "{note:?}");
        assert_eq!(machine.out("python3 --version"), "Python 3.12.3\n");
        let started = machine.run("python3 -m http.server");
        assert_eq!(
            started.output,
            "Serving HTTP on 0.0.0.0 port 8000 (http://0.0.0.0:8000/) ...\n"
        );
        assert!(machine.session.busy());
        let stopped = machine.keys(b"\x03");
        assert_eq!(
            stopped.output,
            "^C\r\nKeyboard interrupt received, exiting.\r\n"
        );
        assert!(!machine.session.busy());
        let low = machine.run("python3 -m http.server 80");
        assert!(
            low.output
                .ends_with("PermissionError: [Errno 13] Permission denied\n")
        );
        assert_eq!(
            machine.run("python3 -m http.server 80 > /tmp/log").status,
            1
        );
    }
}
