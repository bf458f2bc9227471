//! vim's basics, as a learner who half remembers them tries them: normal mode, `i` `a` `o`
//! into insert mode and Esc out, moving with the arrows or `hjkl`, `x` and `dd`, and the
//! command line's `:w`, `:q`, `:wq`, `:x`, `:q!` (and `ZZ`), with vim's messages, E37 first.

use super::{Buffer, Document, Saved, Step};
use crate::fs::Errno;
use crate::keys::Key;
use crate::screen::{Screen, fit};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Mode {
    Normal,
    Insert,
    /// The `:` command line, typed so far.
    Command(String),
}

/// One vim.
#[derive(Debug, Clone)]
pub(crate) struct Vi {
    buffer: Buffer,
    name: Option<String>,
    /// Whether the file existed when opened, for "[New]" on the first write.
    exists: bool,
    mode: Mode,
    /// The first key of a two-key command (`dd`, `ZZ`, `gg`).
    pending: Option<char>,
    message: String,
    screen: Screen,
    /// After a successful write, leave (`:wq`, `:x`, `ZZ`).
    exit_after_write: bool,
}

impl Vi {
    pub fn open(document: Document, screen: Screen) -> Vi {
        let quoted = document
            .name
            .as_deref()
            .map(|name| format!("\"{name}\""))
            .unwrap_or_default();
        let (message, exists) = match (&document.name, &document.opened) {
            (None, _) => (String::new(), false),
            (Some(_), Ok(None)) => (format!("{quoted} [New]"), false),
            (Some(_), Ok(Some(text))) => {
                let lines = Buffer::from_text(text).line_count();
                (format!("{quoted} {lines}L, {}B", text.len()), true)
            }
            (Some(_), Err(Errno::IsDir)) => (format!("{quoted} is a directory"), true),
            (Some(_), Err(_)) => (format!("{quoted} [Permission Denied]"), true),
        };
        let text = document.opened.ok().flatten().unwrap_or_default();
        Vi {
            buffer: Buffer::from_text(&text),
            name: document.name,
            exists,
            mode: Mode::Normal,
            pending: None,
            message,
            screen,
            exit_after_write: false,
        }
    }

    pub fn key(&mut self, key: Key) -> Step {
        match self.mode.clone() {
            Mode::Normal => self.normal(key),
            Mode::Insert => {
                self.insert(key);
                Step::Stay
            }
            Mode::Command(line) => self.command_line(key, line),
        }
    }

    fn normal(&mut self, key: Key) -> Step {
        if let Some(first) = self.pending.take() {
            match (first, key) {
                ('d', Key::Char('d')) => self.buffer.delete_line(),
                ('Z', Key::Char('Z')) => {
                    return self.run(if self.buffer.modified { "x" } else { "q" });
                }
                ('Z', Key::Char('Q')) => return self.run("q!"),
                ('g', Key::Char('g')) => {
                    self.buffer.row = 0;
                    self.buffer.col = 0;
                }
                _ => {}
            }
            return Step::Stay;
        }
        match key {
            Key::Char('i') => self.enter_insert(),
            Key::Char('a') => {
                self.buffer.right(true);
                self.enter_insert();
            }
            Key::Char('A') => {
                self.buffer.end();
                self.enter_insert();
            }
            Key::Char('I') => {
                self.buffer.home();
                self.enter_insert();
            }
            Key::Char('o') => {
                self.buffer.open_below();
                self.enter_insert();
            }
            Key::Char('O') => {
                self.buffer.home();
                self.buffer.newline();
                self.buffer.up();
                self.enter_insert();
            }
            Key::Char('x') | Key::Delete => {
                self.buffer.delete_in_line();
                self.normal_clamp();
            }
            Key::Char(c @ ('d' | 'Z' | 'g')) => self.pending = Some(c),
            Key::Char('h') | Key::Left | Key::Backspace => self.buffer.left(),
            Key::Char('l' | ' ') | Key::Right => self.buffer.right(false),
            Key::Char('k') | Key::Up => {
                self.buffer.up();
                self.normal_clamp();
            }
            Key::Char('j') | Key::Down | Key::Enter => {
                self.buffer.down();
                self.normal_clamp();
            }
            Key::Char('0') | Key::Home => self.buffer.home(),
            Key::Char('$') | Key::End => {
                self.buffer.end();
                self.normal_clamp();
            }
            Key::Char('G') => {
                self.buffer.row = self.buffer.lines().len() - 1;
                self.normal_clamp();
            }
            Key::Char(':') => {
                self.message.clear();
                self.mode = Mode::Command(String::new());
            }
            Key::Ctrl('c') => {
                self.message = "Type  :qa  and press <Enter> to exit Vim".into();
            }
            _ => {}
        }
        Step::Stay
    }

    fn enter_insert(&mut self) {
        self.mode = Mode::Insert;
        self.message = "-- INSERT --".into();
    }

    /// In normal mode the cursor sits on a character, never after the last.
    fn normal_clamp(&mut self) {
        self.buffer.clamp();
        let len = self.buffer.lines()[self.buffer.row].len();
        if self.buffer.col >= len {
            self.buffer.col = len.saturating_sub(1);
        }
    }

    fn insert(&mut self, key: Key) {
        match key {
            Key::Esc | Key::Ctrl('c' | '[') => {
                self.mode = Mode::Normal;
                self.message.clear();
                self.buffer.left();
            }
            Key::Char(c) => self.buffer.insert(c),
            Key::Tab => self.buffer.insert('\t'),
            Key::Enter => self.buffer.newline(),
            Key::Backspace => self.buffer.backspace(),
            Key::Delete => self.buffer.delete(),
            Key::Left => self.buffer.left(),
            Key::Right => self.buffer.right(true),
            Key::Up => self.buffer.up(),
            Key::Down => self.buffer.down(),
            Key::Home => self.buffer.home(),
            Key::End => self.buffer.end(),
            _ => {}
        }
    }

    fn command_line(&mut self, key: Key, mut line: String) -> Step {
        match key {
            Key::Enter => {
                self.mode = Mode::Normal;
                return self.run(line.trim());
            }
            Key::Esc | Key::Ctrl('c') => {
                self.mode = Mode::Normal;
                return Step::Stay;
            }
            Key::Backspace if line.is_empty() => {
                self.mode = Mode::Normal;
                return Step::Stay;
            }
            Key::Backspace => {
                line.pop();
            }
            Key::Char(c) => line.push(c),
            _ => {}
        }
        self.mode = Mode::Command(line);
        Step::Stay
    }

    /// Runs an ex command.
    fn run(&mut self, command: &str) -> Step {
        let (verb, argument) = match command.split_once(' ') {
            Some((verb, rest)) => (verb, Some(rest.trim()).filter(|rest| !rest.is_empty())),
            None => (command, None),
        };
        match verb {
            "q" | "quit" | "qa" => {
                if self.buffer.modified {
                    self.message = "E37: No write since last change (add ! to override)".into();
                    return Step::Stay;
                }
                Step::Exit
            }
            "q!" | "quit!" | "qa!" | "cq" => Step::Exit,
            "w" | "w!" | "write" | "wq" | "wq!" | "x" | "x!" | "xit" | "exit" => {
                let leaving = !verb.starts_with('w') || verb.starts_with("wq");
                if verb.starts_with('x') && !self.buffer.modified && argument.is_none() {
                    return Step::Exit;
                }
                let Some(name) = argument.map(str::to_string).or_else(|| self.name.clone()) else {
                    self.message = "E32: No file name".into();
                    return Step::Stay;
                };
                self.exit_after_write = leaving;
                Step::Write {
                    name,
                    exit: leaving,
                }
            }
            "" => Step::Stay,
            number if number.parse::<usize>().is_ok() => {
                let line = number.parse::<usize>().unwrap_or(1).max(1);
                self.buffer.row = (line - 1).min(self.buffer.lines().len() - 1);
                self.buffer.col = 0;
                Step::Stay
            }
            _ => {
                self.message = format!("E492: Not an editor command: {command}");
                Step::Stay
            }
        }
    }

    /// How a write went.
    pub fn wrote(&mut self, name: &str, saved: Saved) {
        match saved {
            Ok(()) => {
                let text = self.buffer.text();
                let new = if self.exists && self.name.as_deref() == Some(name) {
                    ""
                } else {
                    " [New]"
                };
                self.message = format!(
                    "\"{name}\"{new} {}L, {}B written",
                    self.buffer.line_count(),
                    text.len()
                );
                if self.name.is_none() {
                    self.name = Some(name.to_string());
                }
                if self.name.as_deref() == Some(name) {
                    self.exists = true;
                    self.buffer.modified = false;
                }
            }
            Err(_) => {
                self.message = format!("\"{name}\" E212: Can't open file for writing");
            }
        }
    }

    pub fn text(&self) -> String {
        self.buffer.text()
    }

    pub fn draw(&mut self) -> String {
        let Screen { columns, rows } = self.screen;
        let height = rows.saturating_sub(1).max(1);
        self.buffer.scroll(height);
        let mut lines = Vec::new();
        for row in self.buffer.top..self.buffer.top + height {
            if row < self.buffer.lines().len() {
                lines.push(fit(
                    &self.buffer.line(row).replace('\t', "        "),
                    columns,
                ));
            } else {
                lines.push("\x1b[94m~\x1b[0m".to_string());
            }
        }
        let bottom = match &self.mode {
            Mode::Command(line) => format!(":{line}"),
            _ if self.message.starts_with('E') => format!("\x1b[97;41m{}\x1b[0m", self.message),
            Mode::Insert => format!("\x1b[1m{}\x1b[0m", self.message),
            Mode::Normal => self.message.clone(),
        };
        lines.push(bottom);
        let cursor = match &self.mode {
            Mode::Command(line) => (rows - 1, 1 + line.chars().count()),
            _ => (
                self.buffer.row - self.buffer.top,
                self.buffer.cursor_column(),
            ),
        };
        self.screen.frame(&lines, cursor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vi(text: Option<&str>) -> Vi {
        Vi::open(
            Document {
                name: Some("notes.txt".into()),
                opened: Ok(text.map(str::to_string)),
            },
            Screen {
                columns: 80,
                rows: 24,
            },
        )
    }

    fn keys(vi: &mut Vi, text: &str) -> Step {
        let mut step = Step::Stay;
        for c in text.chars() {
            let key = match c {
                '\n' => Key::Enter,
                '\u{1b}' => Key::Esc,
                c => Key::Char(c),
            };
            step = vi.key(key);
        }
        step
    }

    #[test]
    fn insert_escape_and_write_quit() {
        let mut vi = vi(None);
        assert!(vi.draw().contains("\"notes.txt\" [New]"));
        keys(&mut vi, "ihello\nworld\u{1b}");
        assert_eq!(vi.text(), "hello\nworld\n");
        assert_eq!(
            keys(&mut vi, ":q\n"),
            Step::Stay,
            "quitting a changed buffer is refused"
        );
        assert!(
            vi.draw()
                .contains("E37: No write since last change (add ! to override)")
        );
        assert_eq!(
            keys(&mut vi, ":wq\n"),
            Step::Write {
                name: "notes.txt".into(),
                exit: true
            }
        );
        vi.wrote("notes.txt", Ok(()));
        assert!(vi.draw().contains("\"notes.txt\" [New] 2L, 12B written"));
    }

    #[test]
    fn normal_mode_edits() {
        let mut vi = vi(Some("one\ntwo\nthree\n"));
        assert!(vi.draw().contains("\"notes.txt\" 3L, 14B"));
        keys(&mut vi, "jdd");
        assert_eq!(vi.text(), "one\nthree\n");
        keys(&mut vi, "xx");
        assert_eq!(vi.text(), "one\nree\n");
        keys(&mut vi, "kA!\u{1b}oend\u{1b}");
        assert_eq!(vi.text(), "one!\nend\nree\n");
        vi.key(Key::Up);
        keys(&mut vi, "0ax\u{1b}");
        assert_eq!(vi.text(), "oxne!\nend\nree\n");
        assert_eq!(keys(&mut vi, ":q!\n"), Step::Exit);
        assert_eq!(keys(&mut vi, ":nonsense\n"), Step::Stay);
        assert!(vi.draw().contains("E492: Not an editor command: nonsense"));
        assert!(matches!(
            keys(&mut vi, "ZZ"),
            Step::Write { exit: true, .. }
        ));
    }
}
