//! The terminal as a full-screen program draws on it: its size, the alternate screen, and a
//! whole frame at a time. Programs build their rows as text and hand them here, so none of
//! them writes cursor sequences of its own. Every frame is drawn whole: the emulated terminal
//! has a few dozen rows, and a whole frame can never leave a stale row behind.

use std::collections::BTreeMap;

use super::terminal::display_width;

/// Entering and leaving the alternate screen, as curses programs do, so that the shell's
/// output is back when the program ends.
pub(crate) const ENTER: &str = "\x1b[?1049h\x1b[H\x1b[2J";
pub(crate) const LEAVE: &str = "\x1b[?1049l";

/// The terminal's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Screen {
    pub columns: usize,
    pub rows: usize,
}

impl Screen {
    /// The size bash knows (`COLUMNS`, `LINES`), or a VT100's 80×24.
    pub fn of(env: &BTreeMap<String, String>) -> Screen {
        let read = |name: &str, default: usize, least: usize| {
            env.get(name)
                .and_then(|value| value.parse::<usize>().ok())
                .unwrap_or(default)
                .clamp(least, 500)
        };
        Screen {
            columns: read("COLUMNS", 80, 20),
            rows: read("LINES", 24, 5),
        }
    }

    /// A frame: `rows` from the top (cut or padded to the screen), then the cursor at
    /// (`row`, `column`), both from 0.
    pub fn frame(&self, rows: &[String], cursor: (usize, usize)) -> String {
        let mut out = String::from("\x1b[?25l\x1b[H");
        for index in 0..self.rows {
            if index > 0 {
                out.push_str("\r\n");
            }
            if let Some(row) = rows.get(index) {
                out.push_str(row);
            }
            out.push_str("\x1b[0m\x1b[K");
        }
        let (row, column) = cursor;
        out.push_str(&format!(
            "\x1b[{};{}H\x1b[?25h",
            row.min(self.rows - 1) + 1,
            column.min(self.columns - 1) + 1
        ));
        out
    }
}

/// Text cut to `width` columns.
pub(crate) fn fit(text: &str, width: usize) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if display_width(&out) + display_width(c.encode_utf8(&mut [0; 4])) > width {
            break;
        }
        out.push(c);
    }
    out
}

/// Text cut or padded with spaces to exactly `width` columns.
pub(crate) fn pad(text: &str, width: usize) -> String {
    let mut out = fit(text, width);
    let used = display_width(&out);
    out.push_str(&" ".repeat(width.saturating_sub(used)));
    out
}

/// Text in reverse video, as title bars and key names are shown.
pub(crate) fn inverse(text: &str) -> String {
    format!("\x1b[7m{text}\x1b[0m")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_fill_the_screen_and_place_the_cursor() {
        let screen = Screen {
            columns: 20,
            rows: 3,
        };
        let frame = screen.frame(&["one".into()], (0, 2));
        assert_eq!(frame.matches("\x1b[K").count(), 3);
        assert!(frame.ends_with("\x1b[1;3H\x1b[?25h"), "{frame:?}");
        assert_eq!(pad("한글", 6), "한글  ");
        assert_eq!(fit("abcdef", 3), "abc");
    }
}
