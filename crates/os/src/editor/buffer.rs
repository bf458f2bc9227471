//! The text an editor holds: lines of characters and a cursor, with the edits both editors
//! share. It knows nothing of keys or screens.

use crate::terminal::display_width;

/// Lines of text and a cursor in them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Buffer {
    lines: Vec<Vec<char>>,
    pub row: usize,
    pub col: usize,
    /// The first line on screen.
    pub top: usize,
    pub modified: bool,
}

impl Buffer {
    /// A buffer of a file's text; a final newline ends the last line rather than starting one.
    pub fn from_text(text: &str) -> Buffer {
        let body = text.strip_suffix('\n').unwrap_or(text);
        let lines = if text.is_empty() {
            vec![Vec::new()]
        } else {
            body.split('\n')
                .map(|line| line.chars().collect())
                .collect()
        };
        Buffer {
            lines,
            row: 0,
            col: 0,
            top: 0,
            modified: false,
        }
    }

    /// The text as saved: each line ends with a newline, as both nano and vim write it.
    pub fn text(&self) -> String {
        if self.is_empty() {
            return String::new();
        }
        let mut out = String::new();
        for line in &self.lines {
            out.extend(line.iter());
            out.push('\n');
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.lines.len() == 1 && self.lines[0].is_empty()
    }

    /// Lines a save writes.
    pub fn line_count(&self) -> usize {
        if self.is_empty() { 0 } else { self.lines.len() }
    }

    pub fn lines(&self) -> &[Vec<char>] {
        &self.lines
    }

    pub fn line(&self, row: usize) -> String {
        self.lines
            .get(row)
            .map(|line| line.iter().collect())
            .unwrap_or_default()
    }

    fn current(&mut self) -> &mut Vec<char> {
        &mut self.lines[self.row]
    }

    pub fn insert(&mut self, c: char) {
        let col = self.col;
        self.current().insert(col, c);
        self.col += 1;
        self.modified = true;
    }

    /// Splits the line at the cursor.
    pub fn newline(&mut self) {
        let col = self.col;
        let rest = self.current().split_off(col);
        self.lines.insert(self.row + 1, rest);
        self.row += 1;
        self.col = 0;
        self.modified = true;
    }

    /// A new empty line below the cursor's, with the cursor on it (vi's `o`).
    pub fn open_below(&mut self) {
        self.lines.insert(self.row + 1, Vec::new());
        self.row += 1;
        self.col = 0;
        self.modified = true;
    }

    /// Deletes before the cursor, joining lines at a line's start.
    pub fn backspace(&mut self) {
        if self.col > 0 {
            self.col -= 1;
            let col = self.col;
            self.current().remove(col);
            self.modified = true;
        } else if self.row > 0 {
            let line = self.lines.remove(self.row);
            self.row -= 1;
            self.col = self.lines[self.row].len();
            self.current().extend(line);
            self.modified = true;
        }
    }

    /// Deletes under the cursor, joining the next line at a line's end.
    pub fn delete(&mut self) {
        let col = self.col;
        if col < self.lines[self.row].len() {
            self.current().remove(col);
            self.modified = true;
        } else if self.row + 1 < self.lines.len() {
            let next = self.lines.remove(self.row + 1);
            self.current().extend(next);
            self.modified = true;
        }
    }

    /// Deletes under the cursor within its line (vi's `x`).
    pub fn delete_in_line(&mut self) {
        let col = self.col;
        if col < self.lines[self.row].len() {
            self.current().remove(col);
            self.modified = true;
        }
    }

    /// Removes the cursor's line (vi's `dd`), keeping at least one.
    pub fn delete_line(&mut self) {
        if self.lines.len() == 1 {
            if !self.lines[0].is_empty() {
                self.lines[0].clear();
                self.modified = true;
            }
        } else {
            self.lines.remove(self.row);
            self.modified = true;
        }
        self.row = self.row.min(self.lines.len() - 1);
        self.col = 0;
    }

    pub fn left(&mut self) {
        if self.col > 0 {
            self.col -= 1;
        }
    }

    /// Right; `past_end` lets the cursor sit after the last character (nano, vi's insert
    /// mode), where vi's normal mode stops on it.
    pub fn right(&mut self, past_end: bool) {
        let len = self.lines[self.row].len();
        let last = if past_end { len } else { len.saturating_sub(1) };
        if self.col < last {
            self.col += 1;
        }
    }

    pub fn up(&mut self) {
        if self.row > 0 {
            self.row -= 1;
            self.clamp();
        }
    }

    pub fn down(&mut self) {
        if self.row + 1 < self.lines.len() {
            self.row += 1;
            self.clamp();
        }
    }

    pub fn home(&mut self) {
        self.col = 0;
    }

    pub fn end(&mut self) {
        self.col = self.lines[self.row].len();
    }

    /// Keeps the cursor within its line.
    pub fn clamp(&mut self) {
        self.col = self.col.min(self.lines[self.row].len());
    }

    /// Scrolls so the cursor's line is among `height` lines on screen.
    pub fn scroll(&mut self, height: usize) {
        let height = height.max(1);
        if self.row < self.top {
            self.top = self.row;
        } else if self.row >= self.top + height {
            self.top = self.row + 1 - height;
        }
    }

    /// The screen column of the cursor.
    pub fn cursor_column(&self) -> usize {
        let before: String = self.lines[self.row][..self.col].iter().collect();
        display_width(&before)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_join_and_split_lines() {
        let mut buffer = Buffer::from_text("ab\ncd\n");
        assert_eq!(buffer.line_count(), 2);
        buffer.end();
        buffer.newline();
        buffer.insert('x');
        assert_eq!(buffer.text(), "ab\nx\ncd\n");
        buffer.home();
        buffer.backspace();
        assert_eq!(buffer.text(), "abx\ncd\n");
        buffer.delete_line();
        assert_eq!(buffer.text(), "cd\n");
        buffer.delete_line();
        assert_eq!(buffer.text(), "");
        assert!(buffer.modified);
        assert_eq!(Buffer::from_text("no end").text(), "no end\n");
    }
}
