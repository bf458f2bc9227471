//! The line discipline of an interactive SSH session: what a PTY and readline do between the
//! learner's keystrokes and the shell. It echoes, edits and recalls history, and hands the
//! shell whole lines, so the shell itself never sees a keystroke.
//!
//! Tab completes as bash's readline does: a single completion inline, the common part of
//! several, and on a second Tab the list of them; what completes a word comes from the
//! caller, which knows the instance's files.
//!
//! Bytes may arrive in any pieces (an escape sequence or a UTF-8 character split across two
//! reads), so the editor keeps its decoding state between calls. Escape sequences it does not
//! know are swallowed whole rather than echoed as garbage.

use super::LINE_LIMIT;

/// What the editor asks of the session after some input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Bytes to send back to the terminal, line ends already `\r\n`.
    Echo(Vec<u8>),
    /// A line was entered.
    Line(String),
    /// Ctrl-C: the line was dropped (and `^C` echoed).
    Interrupt,
    /// Ctrl-D on an empty line.
    Eof,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
enum Escape {
    #[default]
    None,
    /// After ESC.
    Esc,
    /// After `ESC [`, with the parameter bytes so far.
    Csi(Vec<u8>),
    /// After `ESC O`.
    Ss3,
}

/// The longest escape sequence taken before it is dropped as noise.
const ESCAPE_MAX: usize = 16;
/// Lines the editor recalls with the up arrow.
const HISTORY_MAX: usize = 1000;

/// A readline-like line editor for one PTY session.
#[derive(Debug, Clone, Default)]
pub struct LineEditor {
    buffer: Vec<char>,
    cursor: usize,
    history: Vec<String>,
    /// The history entry shown while browsing, and the line typed before browsing began.
    browsing: Option<usize>,
    stash: Vec<char>,
    prompt: String,
    escape: Escape,
    utf8: Vec<u8>,
    /// The last byte was CR, so a following LF belongs to the same Enter.
    after_cr: bool,
    /// The terminal's width, for completion lists (0 until told: 80 is used).
    columns: usize,
    /// Tab was pressed and waits for the completer.
    tab_pending: bool,
    /// Tabs pressed in a row: the second lists the choices.
    tabs: u32,
}

/// Columns a character takes on a terminal: two for East Asian wide ones (Hangul, CJK,
/// full-width forms), none for combining marks and controls.
fn char_width(c: char) -> usize {
    let code = c as u32;
    if code < 0x20
        || (0x7f..0xa0).contains(&code)
        || (0x300..0x370).contains(&code)
        || code == 0x200b
    {
        return 0;
    }
    let wide = (0x1100..=0x115f).contains(&code)
        || (0x2e80..=0x303e).contains(&code)
        || (0x3041..=0x33ff).contains(&code)
        || (0x3400..=0x4dbf).contains(&code)
        || (0x4e00..=0x9fff).contains(&code)
        || (0xa960..=0xa97f).contains(&code)
        || (0xac00..=0xd7a3).contains(&code)
        || (0xf900..=0xfaff).contains(&code)
        || (0xfe30..=0xfe4f).contains(&code)
        || (0xff00..=0xff60).contains(&code)
        || (0xffe0..=0xffe6).contains(&code)
        || (0x1f300..=0x1f64f).contains(&code)
        || (0x1f900..=0x1f9ff).contains(&code)
        || (0x20000..=0x3fffd).contains(&code);
    if wide { 2 } else { 1 }
}

/// Columns a text takes on a terminal.
pub(crate) fn display_width(text: &str) -> usize {
    text.chars().map(char_width).sum()
}

fn width(chars: &[char]) -> usize {
    chars.iter().copied().map(char_width).sum()
}

/// The longest start all the words share.
fn common_prefix(words: &[String]) -> String {
    let mut prefix: Vec<char> = words
        .first()
        .map(|word| word.chars().collect())
        .unwrap_or_default();
    for word in &words[1..] {
        let shared = prefix
            .iter()
            .zip(word.chars())
            .take_while(|(a, b)| **a == *b)
            .count();
        prefix.truncate(shared);
    }
    prefix.into_iter().collect()
}

/// A choice as the list shows it: its last path component (a directory keeps its `/`).
fn shown(choice: &str) -> String {
    let trimmed = choice.strip_suffix('/').unwrap_or(choice);
    let name = trimmed.rsplit('/').next().unwrap_or(trimmed);
    if choice.ends_with('/') {
        format!("{name}/")
    } else {
        name.to_string()
    }
}

/// Moves the terminal's cursor left by `columns`.
fn back(columns: usize) -> Vec<u8> {
    if columns == 0 {
        Vec::new()
    } else {
        format!("\x1b[{columns}D").into_bytes()
    }
}

impl LineEditor {
    pub fn new() -> LineEditor {
        LineEditor::default()
    }

    /// The prompt on screen, which Ctrl-L redraws.
    pub fn set_prompt(&mut self, prompt: &str) {
        self.prompt = prompt.to_string();
    }

    /// The line typed so far.
    pub fn line(&self) -> String {
        self.buffer.iter().collect()
    }

    /// The prompt and the line typed so far, with the cursor where it was: for a fresh line
    /// after something else was printed over them.
    pub fn redraw(&self) -> Vec<u8> {
        let mut echo = self.prompt.as_bytes().to_vec();
        echo.extend_from_slice(self.line().as_bytes());
        echo.extend(back(width(&self.buffer[self.cursor..])));
        echo
    }

    /// Takes terminal input and returns what to echo and what was entered, in order. Tab
    /// has nothing to complete with here, and rings the bell.
    pub fn feed(&mut self, input: &[u8]) -> Vec<Event> {
        let mut events = Vec::new();
        let mut rest = input;
        while !rest.is_empty() {
            let (more, used) = self.feed_line(rest, &mut |_| Vec::new());
            events.extend(more);
            rest = &rest[used..];
        }
        events
    }

    /// Takes input up to the end of the first line entered (or Ctrl-C, Ctrl-D), and says
    /// how many bytes it took: the line runs before the rest is read, which may be keys for a
    /// program the line starts. Tab asks `complete` for the words that complete the line up
    /// to the cursor.
    pub fn feed_line(
        &mut self,
        input: &[u8],
        complete: &mut dyn FnMut(&str) -> Vec<String>,
    ) -> (Vec<Event>, usize) {
        let mut events = Vec::new();
        let mut echo = Vec::new();
        for (index, &byte) in input.iter().enumerate() {
            let cr = byte == b'\r';
            self.byte(byte, &mut echo, &mut events);
            self.after_cr = cr;
            if std::mem::take(&mut self.tab_pending) {
                self.tabs += 1;
                self.tab(complete, &mut echo);
            } else if self.escape == Escape::None && self.utf8.is_empty() {
                self.tabs = 0;
            }
            let ended = events.iter().any(|event| !matches!(event, Event::Echo(_)));
            if ended {
                flush(&mut echo, &mut events);
                return (events, index + 1);
            }
        }
        flush(&mut echo, &mut events);
        (events, input.len())
    }

    /// Completes the word before the cursor.
    fn tab(&mut self, complete: &mut dyn FnMut(&str) -> Vec<String>, echo: &mut Vec<u8>) {
        let before: String = self.buffer[..self.cursor].iter().collect();
        let start = crate::complete::word_start(&before);
        let word = &before[start..];
        let word_chars = word.chars().count();
        let found = complete(&before);
        let replacement = match found.as_slice() {
            [] => None,
            [only] if only.ends_with('/') => Some(only.clone()),
            [only] => Some(format!("{only} ")),
            many => Some(common_prefix(many)).filter(|common| common.chars().count() > word_chars),
        };
        if let Some(text) = replacement {
            // Readline types the rest of the word; only a word that changes (`~` spelled
            // out, say) is taken back and retyped.
            let rest = match text.strip_prefix(word) {
                Some(rest) => rest.to_string(),
                None => {
                    self.kill_before(echo, self.cursor - word_chars);
                    text
                }
            };
            for c in rest.chars() {
                self.insert(c, echo);
            }
            return;
        }
        if found.len() < 2 || self.tabs < 2 {
            echo.push(0x07);
            return;
        }
        // The second Tab: the choices in columns, then the prompt and the line again.
        let names: Vec<String> = found.iter().map(|choice| shown(choice)).collect();
        let cell = names
            .iter()
            .map(|name| display_width(name))
            .max()
            .unwrap_or(0)
            + 2;
        let columns = if self.columns == 0 { 80 } else { self.columns };
        let per_row = (columns / cell).max(1);
        echo.extend_from_slice(b"\r\n");
        for (index, name) in names.iter().enumerate() {
            let last = (index + 1) % per_row == 0 || index + 1 == names.len();
            if last {
                echo.extend_from_slice(name.as_bytes());
                echo.extend_from_slice(b"\r\n");
            } else {
                echo.extend_from_slice(name.as_bytes());
                echo.extend(std::iter::repeat_n(b' ', cell - display_width(name)));
            }
        }
        echo.extend_from_slice(self.prompt.as_bytes());
        echo.extend_from_slice(self.line().as_bytes());
        echo.extend(back(width(&self.buffer[self.cursor..])));
    }

    /// The terminal's width, for the columns of a completion list.
    pub fn set_columns(&mut self, columns: usize) {
        self.columns = columns;
    }

    fn byte(&mut self, byte: u8, echo: &mut Vec<u8>, events: &mut Vec<Event>) {
        match std::mem::take(&mut self.escape) {
            Escape::None => {}
            Escape::Esc => {
                match byte {
                    b'[' => self.escape = Escape::Csi(Vec::new()),
                    b'O' => self.escape = Escape::Ss3,
                    b'b' => self.word_left(echo),
                    b'f' => self.word_right(echo),
                    // Alt with anything else, or a lone ESC: swallowed.
                    _ => {}
                }
                return;
            }
            Escape::Csi(mut params) => {
                if (0x40..=0x7e).contains(&byte) {
                    self.csi(&params, byte, echo);
                } else {
                    // Past the bound the sequence's bytes are dropped, but it still ends
                    // at its final byte.
                    if params.len() < ESCAPE_MAX {
                        params.push(byte);
                    }
                    self.escape = Escape::Csi(params);
                }
                return;
            }
            Escape::Ss3 => {
                self.key(byte, echo);
                return;
            }
        }
        if !self.utf8.is_empty() || byte >= 0x80 {
            self.utf8_byte(byte, echo);
            return;
        }
        match byte {
            0x1b => self.escape = Escape::Esc,
            b'\r' => self.enter(echo, events),
            b'\n' if !self.after_cr => self.enter(echo, events),
            b'\n' => {}
            0x7f | 0x08 => self.backspace(echo),
            0x03 => {
                echo.extend_from_slice(b"^C\r\n");
                flush(echo, events);
                self.reset();
                events.push(Event::Interrupt);
            }
            0x04 => {
                if self.buffer.is_empty() {
                    flush(echo, events);
                    events.push(Event::Eof);
                } else {
                    self.delete(echo);
                }
            }
            0x01 => self.home(echo),
            0x05 => self.end(echo),
            0x02 => self.left(echo),
            0x06 => self.right(echo),
            0x10 => self.up(echo),
            0x0e => self.down(echo),
            0x0b => {
                self.buffer.truncate(self.cursor);
                echo.extend_from_slice(b"\x1b[K");
            }
            0x15 => self.kill_before(echo, 0),
            0x17 => {
                let start = self.word_start();
                self.kill_before(echo, start);
            }
            0x0c => {
                echo.extend_from_slice(b"\x1b[H\x1b[2J");
                echo.extend(self.redraw());
            }
            0x09 => self.tab_pending = true,
            0x20..=0x7e => self.insert(byte as char, echo),
            _ => {}
        }
    }

    fn utf8_byte(&mut self, byte: u8, echo: &mut Vec<u8>) {
        if self.utf8.is_empty() && !(0xc2..=0xf4).contains(&byte) {
            return;
        }
        if !self.utf8.is_empty() && byte & 0xc0 != 0x80 {
            // A broken sequence: drop it and take this byte afresh.
            self.utf8.clear();
            if byte < 0x80 {
                let mut events = Vec::new();
                self.byte(byte, echo, &mut events);
            } else {
                self.utf8_byte(byte, echo);
            }
            return;
        }
        self.utf8.push(byte);
        let needed = match self.utf8[0] {
            0xc2..=0xdf => 2,
            0xe0..=0xef => 3,
            _ => 4,
        };
        if self.utf8.len() == needed {
            let bytes = std::mem::take(&mut self.utf8);
            if let Some(c) = std::str::from_utf8(&bytes)
                .ok()
                .and_then(|text| text.chars().next())
            {
                self.insert(c, echo);
            }
        }
    }

    fn csi(&mut self, params: &[u8], last: u8, echo: &mut Vec<u8>) {
        match (params, last) {
            (_, b'~') => match params {
                b"1" | b"7" => self.home(echo),
                b"4" | b"8" => self.end(echo),
                b"3" => self.delete(echo),
                _ => {}
            },
            ([], key) | ([b'1', b';', _], key) => self.key(key, echo),
            _ => {}
        }
    }

    /// The final letter of an arrow, Home or End key.
    fn key(&mut self, key: u8, echo: &mut Vec<u8>) {
        match key {
            b'A' => self.up(echo),
            b'B' => self.down(echo),
            b'C' => self.right(echo),
            b'D' => self.left(echo),
            b'H' => self.home(echo),
            b'F' => self.end(echo),
            _ => {}
        }
    }

    fn insert(&mut self, c: char, echo: &mut Vec<u8>) {
        if self.buffer.len() >= LINE_LIMIT {
            echo.push(0x07);
            return;
        }
        self.buffer.insert(self.cursor, c);
        self.cursor += 1;
        let mut text = [0u8; 4];
        echo.extend_from_slice(c.encode_utf8(&mut text).as_bytes());
        self.redraw_tail(echo);
    }

    /// Rewrites what follows the cursor and puts the cursor back.
    fn redraw_tail(&self, echo: &mut Vec<u8>) {
        let tail = &self.buffer[self.cursor..];
        if tail.is_empty() {
            return;
        }
        let text: String = tail.iter().collect();
        echo.extend_from_slice(text.as_bytes());
        echo.extend(back(width(tail)));
    }

    fn backspace(&mut self, echo: &mut Vec<u8>) {
        if self.cursor == 0 {
            return;
        }
        self.cursor -= 1;
        let removed = self.buffer.remove(self.cursor);
        echo.extend(back(char_width(removed)));
        self.rewrite_tail(echo);
    }

    /// Rewrites from the cursor after a deletion: the tail, then a clear to the line's end.
    fn rewrite_tail(&self, echo: &mut Vec<u8>) {
        let tail = &self.buffer[self.cursor..];
        let text: String = tail.iter().collect();
        echo.extend_from_slice(text.as_bytes());
        echo.extend_from_slice(b"\x1b[K");
        echo.extend(back(width(tail)));
    }

    fn delete(&mut self, echo: &mut Vec<u8>) {
        if self.cursor < self.buffer.len() {
            self.buffer.remove(self.cursor);
            self.rewrite_tail(echo);
        }
    }

    fn kill_before(&mut self, echo: &mut Vec<u8>, start: usize) {
        if self.cursor == start {
            return;
        }
        echo.extend(back(width(&self.buffer[start..self.cursor])));
        self.buffer.drain(start..self.cursor);
        self.cursor = start;
        self.rewrite_tail(echo);
    }

    fn word_start(&self) -> usize {
        let mut index = self.cursor;
        while index > 0 && self.buffer[index - 1] == ' ' {
            index -= 1;
        }
        while index > 0 && self.buffer[index - 1] != ' ' {
            index -= 1;
        }
        index
    }

    fn word_left(&mut self, echo: &mut Vec<u8>) {
        let start = self.word_start();
        echo.extend(back(width(&self.buffer[start..self.cursor])));
        self.cursor = start;
    }

    fn word_right(&mut self, echo: &mut Vec<u8>) {
        let mut index = self.cursor;
        while index < self.buffer.len() && self.buffer[index] == ' ' {
            index += 1;
        }
        while index < self.buffer.len() && self.buffer[index] != ' ' {
            index += 1;
        }
        let text: String = self.buffer[self.cursor..index].iter().collect();
        echo.extend_from_slice(text.as_bytes());
        self.cursor = index;
    }

    fn left(&mut self, echo: &mut Vec<u8>) {
        if self.cursor > 0 {
            self.cursor -= 1;
            echo.extend(back(char_width(self.buffer[self.cursor])));
        }
    }

    fn right(&mut self, echo: &mut Vec<u8>) {
        if self.cursor < self.buffer.len() {
            let mut text = [0u8; 4];
            echo.extend_from_slice(self.buffer[self.cursor].encode_utf8(&mut text).as_bytes());
            self.cursor += 1;
        }
    }

    fn home(&mut self, echo: &mut Vec<u8>) {
        echo.extend(back(width(&self.buffer[..self.cursor])));
        self.cursor = 0;
    }

    fn end(&mut self, echo: &mut Vec<u8>) {
        let text: String = self.buffer[self.cursor..].iter().collect();
        echo.extend_from_slice(text.as_bytes());
        self.cursor = self.buffer.len();
    }

    /// Shows another line in place of the current one.
    fn replace(&mut self, line: Vec<char>, echo: &mut Vec<u8>) {
        echo.extend(back(width(&self.buffer[..self.cursor])));
        let text: String = line.iter().collect();
        echo.extend_from_slice(text.as_bytes());
        echo.extend_from_slice(b"\x1b[K");
        self.cursor = line.len();
        self.buffer = line;
    }

    fn up(&mut self, echo: &mut Vec<u8>) {
        let next = match self.browsing {
            None if !self.history.is_empty() => {
                self.stash = self.buffer.clone();
                self.history.len() - 1
            }
            Some(index) if index > 0 => index - 1,
            _ => return,
        };
        self.browsing = Some(next);
        let line = self.history[next].chars().collect();
        self.replace(line, echo);
    }

    fn down(&mut self, echo: &mut Vec<u8>) {
        let Some(index) = self.browsing else {
            return;
        };
        if index + 1 < self.history.len() {
            self.browsing = Some(index + 1);
            let line = self.history[index + 1].chars().collect();
            self.replace(line, echo);
        } else {
            self.browsing = None;
            let line = std::mem::take(&mut self.stash);
            self.replace(line, echo);
        }
    }

    fn enter(&mut self, echo: &mut Vec<u8>, events: &mut Vec<Event>) {
        echo.extend_from_slice(b"\r\n");
        flush(echo, events);
        let line: String = self.buffer.iter().collect();
        if !line.trim().is_empty() && self.history.last() != Some(&line) {
            if self.history.len() >= HISTORY_MAX {
                self.history.remove(0);
            }
            self.history.push(line.clone());
        }
        self.reset();
        events.push(Event::Line(line));
    }

    fn reset(&mut self) {
        self.buffer.clear();
        self.cursor = 0;
        self.browsing = None;
        self.stash.clear();
        self.utf8.clear();
    }
}

fn flush(echo: &mut Vec<u8>, events: &mut Vec<Event>) {
    if !echo.is_empty() {
        events.push(Event::Echo(std::mem::take(echo)));
    }
}

/// Output for a PTY: `\n` becomes `\r\n` (a `\r\n` already there stays as it is).
pub fn crlf(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut previous = '\0';
    for c in text.chars() {
        if c == '\n' && previous != '\r' {
            out.push('\r');
        }
        out.push(c);
        previous = c;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn echoes(events: &[Event]) -> Vec<u8> {
        events
            .iter()
            .filter_map(|event| match event {
                Event::Echo(bytes) => Some(bytes.clone()),
                _ => None,
            })
            .flatten()
            .collect()
    }

    fn lines(events: &[Event]) -> Vec<String> {
        events
            .iter()
            .filter_map(|event| match event {
                Event::Line(line) => Some(line.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn typing_echoes_and_enter_gives_the_line() {
        let mut editor = LineEditor::new();
        let events = editor.feed(b"ls -l\r");
        assert_eq!(
            events,
            vec![
                Event::Echo(b"ls -l\r\n".to_vec()),
                Event::Line("ls -l".into())
            ]
        );
        // CR LF is one Enter; a bare LF is one too.
        let events = editor.feed(b"pwd\r\nwhoami\n");
        assert_eq!(lines(&events), ["pwd", "whoami"]);
    }

    #[test]
    fn backspace_is_utf8_and_width_aware() {
        let mut editor = LineEditor::new();
        let events = editor.feed("ab한".as_bytes());
        assert_eq!(echoes(&events), "ab한".as_bytes());
        let events = editor.feed(b"\x7f");
        assert_eq!(echoes(&events), b"\x1b[2D\x1b[K");
        let events = editor.feed(b"\x08");
        assert_eq!(echoes(&events), b"\x1b[1D\x1b[K");
        assert_eq!(editor.line(), "a");
        // A character split across two reads still arrives whole.
        let bytes = "é".as_bytes();
        editor.feed(&bytes[..1]);
        let events = editor.feed(&bytes[1..]);
        assert_eq!(echoes(&events), bytes);
        assert_eq!(editor.line(), "aé");
    }

    #[test]
    fn control_keys() {
        let mut editor = LineEditor::new();
        editor.feed(b"sudo rm");
        assert_eq!(
            editor.feed(b"\x03"),
            vec![Event::Echo(b"^C\r\n".to_vec()), Event::Interrupt]
        );
        assert_eq!(editor.line(), "");
        assert_eq!(editor.feed(b"\x04"), vec![Event::Eof]);
        editor.feed(b"abc\x01");
        // Ctrl-D on a non-empty line deletes under the cursor.
        editor.feed(b"\x04");
        assert_eq!(editor.line(), "bc");
        editor.feed(b"\x05 d\x15");
        assert_eq!(editor.line(), "");
        editor.set_prompt("$ ");
        editor.feed(b"x");
        let events = editor.feed(b"\x0c");
        assert_eq!(echoes(&events), b"\x1b[H\x1b[2J$ x");
        let events = editor.feed(b"\t");
        assert_eq!(echoes(&events), b"\x07");
    }

    #[test]
    fn arrows_edit_in_the_middle() {
        let mut editor = LineEditor::new();
        editor.feed(b"ac");
        let events = editor.feed(b"\x1b[D");
        assert_eq!(echoes(&events), b"\x1b[1D");
        let events = editor.feed(b"b");
        assert_eq!(echoes(&events), b"bc\x1b[1D");
        editor.feed(b"\x1b[H");
        editor.feed(b"\x1b[3~");
        assert_eq!(editor.line(), "bc");
        editor.feed(b"\x1b[F!");
        assert_eq!(editor.line(), "bc!");
        editor.feed(b"\x1bOH>");
        assert_eq!(editor.line(), ">bc!");
    }

    #[test]
    fn history_up_and_down() {
        let mut editor = LineEditor::new();
        editor.feed(b"one\rtwo\r");
        editor.feed(b"thr");
        let events = editor.feed(b"\x1b[A");
        assert_eq!(echoes(&events), b"\x1b[3Dtwo\x1b[K");
        editor.feed(b"\x1b[A");
        assert_eq!(editor.line(), "one");
        editor.feed(b"\x1b[A");
        assert_eq!(editor.line(), "one");
        editor.feed(b"\x1b[B\x1b[B");
        assert_eq!(editor.line(), "thr");
        let events = editor.feed(b"\x1b[A\r");
        assert_eq!(lines(&events), ["two"]);
    }

    #[test]
    fn unknown_escapes_are_swallowed_even_split() {
        let mut editor = LineEditor::new();
        assert!(editor.feed(b"\x1b[15~").is_empty());
        assert!(editor.feed(b"\x1b[").is_empty());
        assert!(editor.feed(b"1;5P").is_empty());
        assert!(editor.feed(b"\x1bx").is_empty());
        // Bracketed paste markers vanish; the text stays.
        let events = editor.feed(b"\x1b[200~echo hi\x1b[201~\r");
        assert_eq!(lines(&events), ["echo hi"]);
        assert_eq!(editor.line(), "");
        // A runaway sequence is dropped once too long.
        let mut noise = b"\x1b[".to_vec();
        noise.extend(std::iter::repeat_n(b'1', 40));
        noise.extend_from_slice(b"Z");
        assert!(editor.feed(&noise).is_empty());
        assert_eq!(editor.feed(b"k"), vec![Event::Echo(b"k".to_vec())]);
    }

    #[test]
    fn tab_completes_inline_then_lists_on_the_second() {
        let mut editor = LineEditor::new();
        editor.set_prompt("$ ");
        let mut complete = |before: &str| -> Vec<String> {
            match before {
                "cat no" => vec!["notes.txt".into()],
                "ls s" | "ls /var/www/s" => vec!["site/".into(), "src/".into()],
                "cd /var/www/h" => vec!["/var/www/html/".into()],
                _ => Vec::new(),
            }
        };
        let (events, used) = editor.feed_line(b"cat no\tx", &mut complete);
        assert_eq!((used, editor.line().as_str()), (8, "cat notes.txt x"));
        assert_eq!(echoes(&events), b"cat notes.txt x");
        editor.feed(b"\x15");
        editor.feed_line(b"cd /var/www/h\t", &mut complete);
        assert_eq!(editor.line(), "cd /var/www/html/");
        editor.feed(b"\x15");
        let (first, _) = editor.feed_line(b"ls s\t", &mut complete);
        assert_eq!(echoes(&first), b"ls s\x07");
        let (second, _) = editor.feed_line(b"\t", &mut complete);
        assert_eq!(echoes(&second), b"\r\nsite/  src/\r\n$ ls s");
        // Input stops after a line, so the caller can run it before the rest.
        let (events, used) = editor.feed_line(b"\rnano\r", &mut complete);
        assert_eq!((lines(&events), used), (vec!["ls s".to_string()], 1));
    }

    #[test]
    fn crlf_converts_lone_newlines() {
        assert_eq!(crlf("a\nb\r\nc\n"), "a\r\nb\r\nc\r\n");
        assert_eq!(display_width("한글 ok"), 7);
    }
}
