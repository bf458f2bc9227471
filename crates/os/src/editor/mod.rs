//! The full-screen editors, `nano` and `vi`/`vim`, as programs that keep the terminal. Each
//! editor is plain logic over keys and a [`Buffer`]: it says what to write and where, and
//! this module does the reading and writing with the user's permissions, so `nano` on a file
//! of root's fails to write it unless started with `sudo`, as on Linux.

mod buffer;
mod nano;
mod vi;

use buffer::Buffer;
use nano::Nano;
use vi::Vi;

use super::commands::Proc;
use super::fs::{self, Errno};
use super::job::Job;
use super::keys::{Key, KeyReader};
use super::screen::{self, Screen};
use super::sys::{Identity, Sys};

/// A file as an editor opens it: the name it was given, and its text, or `None` when it does
/// not exist yet.
#[derive(Debug, Clone)]
pub(crate) struct Document {
    pub name: Option<String>,
    pub opened: Result<Option<String>, Errno>,
}

/// How writing a file went; the reason as `strerror` says it.
pub(crate) type Saved = Result<(), String>;

/// What a key did to an editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    Stay,
    /// Write the buffer to this file, then leave if `exit`.
    Write {
        name: String,
        exit: bool,
    },
    Exit,
}

#[derive(Debug, Clone)]
enum Kind {
    Nano(Box<Nano>),
    Vi(Box<Vi>),
}

/// An editor holding the terminal, as the user who started it.
#[derive(Debug, Clone)]
struct Editor {
    kind: Kind,
    who: Identity,
    cwd: String,
    keys: KeyReader,
}

/// `nano`, `vi`, `vim`: open the file named (or a new buffer) full-screen.
pub(crate) fn editor(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let program = fs::basename(&argv[0]).to_string();
    if !proc.holds_terminal() {
        let message = if program == "nano" {
            "Too many errors from stdin\n".to_string()
        } else {
            "Vim: Warning: Output is not to a terminal\n".to_string()
        };
        proc.err(message);
        return 1;
    }
    let name = argv[1..]
        .iter()
        .find(|arg| !arg.starts_with('-') && !arg.starts_with('+'))
        .cloned();
    let opened = match &name {
        None => Ok(None),
        Some(name) => match proc.view().read(proc.cred(), proc.cwd, name) {
            Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
            Err(Errno::NoEnt) => Ok(None),
            Err(errno) => Err(errno),
        },
    };
    let document = Document { name, opened };
    let screen = Screen::of(proc.env);
    let kind = if program == "nano" {
        Kind::Nano(Box::new(Nano::open(document, screen)))
    } else {
        Kind::Vi(Box::new(Vi::open(document, screen)))
    };
    let mut editor = Editor {
        kind,
        who: proc.who.clone(),
        cwd: proc.cwd.to_string(),
        keys: KeyReader::default(),
    };
    proc.out(format!("{}{}", screen::ENTER, editor.draw()));
    proc.keep_terminal(editor);
    0
}

impl Editor {
    fn draw(&mut self) -> String {
        match &mut self.kind {
            Kind::Nano(nano) => nano.draw(),
            Kind::Vi(vi) => vi.draw(),
        }
    }

    fn key(&mut self, key: Key) -> Step {
        match &mut self.kind {
            Kind::Nano(nano) => nano.key(key),
            Kind::Vi(vi) => vi.key(key),
        }
    }

    /// Writes the buffer as the editor's user, and tells the editor how it went.
    fn write(&mut self, sys: &mut Sys<'_>, name: &str) -> bool {
        let text = match &self.kind {
            Kind::Nano(nano) => nano.text(),
            Kind::Vi(vi) => vi.text(),
        };
        let saved = sys
            .fs()
            .write(&self.who.cred, &self.cwd, name, text.as_bytes(), false)
            .map(|_| ())
            .map_err(|errno| errno.to_string());
        let ok = saved.is_ok();
        match &mut self.kind {
            Kind::Nano(nano) => nano.wrote(name, saved),
            Kind::Vi(vi) => vi.wrote(name, saved),
        }
        ok
    }
}

impl Job for Editor {
    fn input(&mut self, keys: &[u8], sys: &mut Sys<'_>, out: &mut String) -> Option<i32> {
        for key in self.keys.read(keys) {
            match self.key(key) {
                Step::Stay => {}
                Step::Exit => {
                    out.push_str(screen::LEAVE);
                    return Some(0);
                }
                Step::Write { name, exit } => {
                    if self.write(sys, &name) && exit {
                        out.push_str(screen::LEAVE);
                        return Some(0);
                    }
                }
            }
        }
        out.push_str(&self.draw());
        None
    }

    fn tick(&mut self, _sys: &mut Sys<'_>, _out: &mut String) -> Option<i32> {
        None
    }

    fn due(&self) -> Option<time::OffsetDateTime> {
        None
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::Machine;

    #[test]
    fn nano_writes_a_file_as_its_user() {
        let mut machine = Machine::ubuntu();
        let opened = machine.run("nano notes.txt");
        assert!(opened.output.contains("GNU nano 7.2"), "{opened:?}");
        assert!(machine.session.busy());
        machine.keys(b"hello\rworld\x0f\r");
        let wrote = machine.keys(b"");
        assert!(wrote.output.contains("[ Wrote 2 lines ]"), "{wrote:?}");
        let left = machine.keys(b"\x18");
        assert!(!machine.session.busy());
        assert!(left.output.contains("\x1b[?1049l"));
        assert_eq!(machine.out("cat notes.txt"), "hello\nworld\n");
    }

    #[test]
    fn nano_needs_sudo_for_the_web_root() {
        let mut machine = Machine::ubuntu();
        machine.run("sudo apt update && sudo apt install -y nginx");
        machine.run("nano /var/www/html/index.html");
        let refused = machine.keys(b"<h1>Hi</h1>\x0f\r");
        assert!(
            refused
                .output
                .contains("[ Error writing /var/www/html/index.html: Permission denied ]"),
            "{refused:?}"
        );
        machine.keys(b"\x18n");
        assert!(!machine.session.busy());
        machine.run("sudo nano /var/www/html/index.html");
        machine.keys(b"\x0b<h1>Hi</h1>\x18y\r");
        assert!(!machine.session.busy());
        assert_eq!(machine.out("cat /var/www/html/index.html"), "<h1>Hi</h1>\n");
    }

    #[test]
    fn vi_writes_and_refuses_to_quit_a_changed_buffer() {
        let mut machine = Machine::ubuntu();
        machine.run("vi notes.txt");
        machine.keys(b"ihi\x1b");
        let refused = machine.keys(b":q\r");
        assert!(refused.output.contains("E37: No write since last change"));
        machine.keys(b":wq\r");
        assert!(!machine.session.busy());
        assert_eq!(machine.out("cat notes.txt"), "hi\n");
        let outcome = machine.run("echo hi | vi");
        assert_eq!(outcome.status, 1);
    }
}
