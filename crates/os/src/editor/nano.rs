//! GNU nano 7.2, as Ubuntu 24.04 and Amazon Linux 2023 start it: the title bar, the text, a
//! status line and two lines of shortcuts; ^O writes after the "File Name to Write:" prompt,
//! ^X leaves, asking first when the buffer changed.

use super::{Buffer, Document, Saved, Step};
use crate::fs::Errno;
use crate::keys::Key;
use crate::screen::{Screen, fit, inverse, pad};

/// nano's version line in the title bar.
const VERSION: &str = "GNU nano 7.2";

/// The shortcut lines while editing.
const EDIT_HELP: [[(&str, &str); 6]; 2] = [
    [
        ("^G", "Help"),
        ("^O", "Write Out"),
        ("^W", "Where Is"),
        ("^K", "Cut"),
        ("^T", "Execute"),
        ("^C", "Location"),
    ],
    [
        ("^X", "Exit"),
        ("^R", "Read File"),
        ("^\\", "Replace"),
        ("^U", "Paste"),
        ("^J", "Justify"),
        ("^/", "Go To Line"),
    ],
];

/// The shortcut lines at the "File Name to Write:" prompt.
const WRITE_HELP: [[(&str, &str); 4]; 2] = [
    [
        ("^G", "Help"),
        ("M-D", "DOS Format"),
        ("M-A", "Append"),
        ("M-B", "Backup File"),
    ],
    [
        ("^C", "Cancel"),
        ("M-M", "Mac Format"),
        ("M-P", "Prepend"),
        ("^T", "Browse"),
    ],
];

/// What the bottom of the screen is doing.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Mode {
    Edit,
    /// "File Name to Write:" with the name typed so far; `exit` once written (after ^X, Y).
    WriteName {
        name: String,
        exit: bool,
    },
    /// "Save modified buffer?" after ^X.
    SaveBeforeExit,
}

/// One nano.
#[derive(Debug, Clone)]
pub(crate) struct Nano {
    buffer: Buffer,
    /// The file as named on the command line; `None` for a new buffer.
    name: Option<String>,
    mode: Mode,
    /// The message on the status line, until the next key.
    message: Option<String>,
    screen: Screen,
}

impl Nano {
    pub fn open(document: Document, screen: Screen) -> Nano {
        let message = match (&document.name, &document.opened) {
            (None, _) => None,
            (Some(_), Ok(None)) => Some("[ New File ]".to_string()),
            (Some(_), Ok(Some(text))) => {
                let lines = Buffer::from_text(text).line_count();
                Some(format!("[ Read {lines} line{} ]", plural(lines)))
            }
            (Some(name), Err(Errno::IsDir)) => Some(format!("[ \"{name}\" is a directory ]")),
            (Some(name), Err(errno)) => Some(format!("[ Error reading {name}: {errno} ]")),
        };
        let text = document.opened.ok().flatten().unwrap_or_default();
        Nano {
            buffer: Buffer::from_text(&text),
            name: document.name,
            mode: Mode::Edit,
            message,
            screen,
        }
    }

    /// Takes one key.
    pub fn key(&mut self, key: Key) -> Step {
        match self.mode.clone() {
            Mode::Edit => self.edit(key),
            Mode::WriteName { name, exit } => self.write_name(key, name, exit),
            Mode::SaveBeforeExit => match key {
                Key::Char('y' | 'Y') => {
                    self.mode = Mode::WriteName {
                        name: self.name.clone().unwrap_or_default(),
                        exit: true,
                    };
                    Step::Stay
                }
                Key::Char('n' | 'N') => Step::Exit,
                Key::Ctrl('c') => {
                    self.mode = Mode::Edit;
                    self.message = Some("[ Cancelled ]".into());
                    Step::Stay
                }
                _ => Step::Stay,
            },
        }
    }

    fn edit(&mut self, key: Key) -> Step {
        self.message = None;
        match key {
            Key::Char(c) => self.buffer.insert(c),
            Key::Tab => self.buffer.insert('\t'),
            Key::Enter => self.buffer.newline(),
            Key::Backspace | Key::Ctrl('h') => self.buffer.backspace(),
            Key::Delete | Key::Ctrl('d') => self.buffer.delete(),
            Key::Left | Key::Ctrl('b') => self.buffer.left(),
            Key::Right | Key::Ctrl('f') => self.buffer.right(true),
            Key::Up | Key::Ctrl('p') => self.buffer.up(),
            Key::Down | Key::Ctrl('n') => self.buffer.down(),
            Key::Home | Key::Ctrl('a') => self.buffer.home(),
            Key::End | Key::Ctrl('e') => self.buffer.end(),
            Key::Ctrl('k') => self.buffer.delete_line(),
            Key::Ctrl('o') => {
                self.mode = Mode::WriteName {
                    name: self.name.clone().unwrap_or_default(),
                    exit: false,
                };
            }
            Key::Ctrl('x') => {
                if !self.buffer.modified {
                    return Step::Exit;
                }
                self.mode = Mode::SaveBeforeExit;
            }
            Key::Ctrl('c') => {
                let (line, lines) = (self.buffer.row + 1, self.buffer.lines().len());
                let col = self.buffer.col + 1;
                self.message = Some(format!("[ line {line}/{lines}, col {col} ]"));
            }
            Key::Ctrl('g') => {
                self.message = Some("[ Help is not available in this emulated nano ]".into());
            }
            _ => {}
        }
        Step::Stay
    }

    fn write_name(&mut self, key: Key, mut name: String, exit: bool) -> Step {
        match key {
            Key::Enter if name.is_empty() => return Step::Stay,
            Key::Enter => {
                self.mode = Mode::Edit;
                return Step::Write { name, exit };
            }
            Key::Ctrl('c') => {
                self.mode = Mode::Edit;
                self.message = Some("[ Cancelled ]".into());
                return Step::Stay;
            }
            Key::Backspace => {
                name.pop();
            }
            Key::Char(c) => name.push(c),
            _ => {}
        }
        self.mode = Mode::WriteName { name, exit };
        Step::Stay
    }

    /// How a write went, from the caller that did it.
    pub fn wrote(&mut self, name: &str, saved: Saved) {
        match saved {
            Ok(()) => {
                let lines = self.buffer.line_count();
                self.name = Some(name.to_string());
                self.buffer.modified = false;
                self.message = Some(format!("[ Wrote {lines} line{} ]", plural(lines)));
            }
            Err(reason) => {
                self.message = Some(format!("[ Error writing {name}: {reason} ]"));
            }
        }
    }

    pub fn text(&self) -> String {
        self.buffer.text()
    }

    /// The whole screen.
    pub fn draw(&mut self) -> String {
        let Screen { columns, rows } = self.screen;
        let height = rows.saturating_sub(4).max(1);
        self.buffer.scroll(height);
        let mut lines = vec![self.title()];
        for row in self.buffer.top..self.buffer.top + height {
            let line = if row < self.buffer.lines().len() {
                self.buffer.line(row).replace('\t', "        ")
            } else {
                String::new()
            };
            lines.push(fit(&line, columns));
        }
        let (status, help) = match &self.mode {
            Mode::Edit => (
                self.message
                    .as_deref()
                    .map(|message| centred(message, columns)),
                help(&EDIT_HELP, columns),
            ),
            Mode::WriteName { name, .. } => (
                Some(inverse(&pad(
                    &format!("File Name to Write: {name}"),
                    columns,
                ))),
                help(&WRITE_HELP, columns),
            ),
            Mode::SaveBeforeExit => (
                Some(inverse(&pad(
                    "Save modified buffer?  (Answering \"No\" will DISCARD changes.) ",
                    columns,
                ))),
                [
                    format!("{} Yes", inverse(" Y")),
                    format!("{} No           {} Cancel", inverse(" N"), inverse("^C")),
                ],
            ),
        };
        lines.push(status.unwrap_or_default());
        lines.extend(help);
        let cursor = match &self.mode {
            Mode::WriteName { name, .. } => (rows - 3, 21 + name.chars().count()),
            Mode::SaveBeforeExit => (rows - 3, 64),
            Mode::Edit => (
                1 + self.buffer.row - self.buffer.top,
                self.buffer.cursor_column(),
            ),
        };
        self.screen.frame(&lines, cursor)
    }

    fn title(&self) -> String {
        let columns = self.screen.columns;
        let name = self.name.as_deref().unwrap_or("New Buffer");
        let right = if self.buffer.modified {
            "Modified  "
        } else {
            ""
        };
        let mut bar = format!("  {VERSION}");
        let start = (columns.saturating_sub(name.chars().count()) / 2).max(bar.len() + 1);
        bar.push_str(&" ".repeat(start - bar.len()));
        bar.push_str(name);
        let used = bar.chars().count();
        let gap = columns.saturating_sub(used + right.len());
        bar.push_str(&" ".repeat(gap));
        bar.push_str(right);
        inverse(&pad(&bar, columns))
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// A status message in reverse video, in the middle of its line, as nano shows it.
fn centred(message: &str, columns: usize) -> String {
    let text = fit(message, columns);
    let left = columns.saturating_sub(text.chars().count()) / 2;
    format!("{}{}", " ".repeat(left), inverse(&text))
}

/// Two lines of shortcuts, each in an equal share of the width.
fn help<const N: usize>(items: &[[(&str, &str); N]; 2], columns: usize) -> [String; 2] {
    let share = (columns / N).max(6);
    items.map(|row| {
        let mut line = String::new();
        for (keys, label) in row {
            let label = pad(&format!(" {label}"), share - keys.len());
            line.push_str(&inverse(keys));
            line.push_str(&label);
        }
        line
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nano(text: Option<&str>) -> Nano {
        let document = Document {
            name: Some("index.html".into()),
            opened: Ok(text.map(str::to_string)),
        };
        Nano::open(
            document,
            Screen {
                columns: 80,
                rows: 24,
            },
        )
    }

    fn type_text(nano: &mut Nano, text: &str) {
        for c in text.chars() {
            let key = if c == '\n' { Key::Enter } else { Key::Char(c) };
            assert_eq!(nano.key(key), Step::Stay);
        }
    }

    #[test]
    fn writes_after_the_file_name_prompt_and_exits() {
        let mut nano = nano(None);
        assert!(nano.draw().contains("[ New File ]"));
        type_text(&mut nano, "<h1>Hi</h1>\nbye");
        let screen = nano.draw();
        assert!(screen.contains("GNU nano 7.2"), "{screen:?}");
        assert!(screen.contains("index.html"));
        assert!(screen.contains("Modified"));
        assert!(screen.contains("Write Out") && screen.contains("Exit"));
        assert_eq!(nano.key(Key::Ctrl('o')), Step::Stay);
        assert!(nano.draw().contains("File Name to Write: index.html"));
        assert_eq!(
            nano.key(Key::Enter),
            Step::Write {
                name: "index.html".into(),
                exit: false
            }
        );
        nano.wrote("index.html", Ok(()));
        assert!(nano.draw().contains("[ Wrote 2 lines ]"));
        assert_eq!(nano.text(), "<h1>Hi</h1>\nbye\n");
        assert_eq!(nano.key(Key::Ctrl('x')), Step::Exit);
    }

    #[test]
    fn exit_asks_to_save_a_modified_buffer() {
        let mut nano = nano(Some("a\n"));
        assert!(nano.draw().contains("[ Read 1 line ]"));
        nano.key(Key::End);
        type_text(&mut nano, "b");
        nano.key(Key::Ctrl('x'));
        assert!(nano.draw().contains("Save modified buffer?"));
        nano.key(Key::Ctrl('c'));
        assert!(nano.draw().contains("[ Cancelled ]"));
        nano.key(Key::Ctrl('x'));
        nano.key(Key::Char('y'));
        assert_eq!(
            nano.key(Key::Enter),
            Step::Write {
                name: "index.html".into(),
                exit: true
            }
        );
        nano.wrote("index.html", Err("Permission denied".into()));
        assert!(
            nano.draw()
                .contains("[ Error writing index.html: Permission denied ]")
        );
        nano.key(Key::Ctrl('x'));
        assert_eq!(nano.key(Key::Char('n')), Step::Exit);
        assert_eq!(nano.text(), "ab\n");
    }
}
