//! Keystrokes as a full-screen program reads them from a PTY in raw mode: bytes become
//! [`Key`]s, whatever pieces they arrive in. Kept apart from the programs so that an editor's
//! logic is written, and tested, in keys rather than in escape sequences.

/// One key the learner pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Key {
    Char(char),
    /// A control key, `Ctrl('o')` for ^O; Ctrl-C is `Ctrl('c')`.
    Ctrl(char),
    Enter,
    Tab,
    Backspace,
    Delete,
    Esc,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    /// F10, htop's Quit.
    F10,
}

/// The longest escape sequence taken before it is dropped as noise.
const ESCAPE_MAX: usize = 16;

/// Turns a PTY's bytes into keys, keeping a sequence split across reads until it is whole.
#[derive(Debug, Clone, Default)]
pub(crate) struct KeyReader {
    pending: Vec<u8>,
    /// The last byte was CR, so a following LF belongs to the same Enter.
    after_cr: bool,
}

impl KeyReader {
    /// The keys in `bytes`, with what an earlier call left unfinished.
    ///
    /// A lone ESC at the end of the input is taken as the Esc key (as vi needs it), since a
    /// terminal sends a whole sequence in one write.
    pub fn read(&mut self, bytes: &[u8]) -> Vec<Key> {
        self.pending.extend_from_slice(bytes);
        let data = std::mem::take(&mut self.pending);
        let mut keys = Vec::new();
        let mut index = 0;
        while index < data.len() {
            match decode(&data[index..]) {
                Decoded::Key(key, used) => {
                    let lf_after_cr = key == Key::Enter && data[index] == b'\n' && self.after_cr;
                    self.after_cr = data[index] == b'\r';
                    if !lf_after_cr {
                        keys.push(key);
                    }
                    index += used;
                }
                Decoded::Skip(used) => {
                    self.after_cr = false;
                    index += used;
                }
                Decoded::Partial => {
                    self.pending = data[index..].to_vec();
                    break;
                }
            }
        }
        keys
    }
}

enum Decoded {
    Key(Key, usize),
    /// Bytes that are no key (an unknown sequence, a broken character).
    Skip(usize),
    /// The start of something not yet whole.
    Partial,
}

fn decode(data: &[u8]) -> Decoded {
    let byte = data[0];
    let key = match byte {
        0x1b => return escape(data),
        b'\r' | b'\n' => Key::Enter,
        b'\t' => Key::Tab,
        0x7f | 0x08 => Key::Backspace,
        0x00..=0x1f => Key::Ctrl(char::from(byte + b'`')),
        0x20..=0x7e => Key::Char(char::from(byte)),
        _ => return utf8(data),
    };
    Decoded::Key(key, 1)
}

fn utf8(data: &[u8]) -> Decoded {
    let needed = match data[0] {
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return Decoded::Skip(1),
    };
    if data.len() < needed {
        return if data[1..].iter().all(|b| b & 0xc0 == 0x80) {
            Decoded::Partial
        } else {
            Decoded::Skip(1)
        };
    }
    match std::str::from_utf8(&data[..needed])
        .ok()
        .and_then(|text| text.chars().next())
    {
        Some(c) => Decoded::Key(Key::Char(c), needed),
        None => Decoded::Skip(1),
    }
}

fn escape(data: &[u8]) -> Decoded {
    let Some(&kind) = data.get(1) else {
        return Decoded::Key(Key::Esc, 1);
    };
    match kind {
        b'[' => {}
        b'O' => {
            let Some(&last) = data.get(2) else {
                return Decoded::Partial;
            };
            return match final_key(&[], last) {
                Some(key) => Decoded::Key(key, 3),
                None => Decoded::Skip(3),
            };
        }
        // ESC then another key: Esc, and the key is read on its own.
        _ => return Decoded::Key(Key::Esc, 1),
    }
    let mut end = 2;
    while let Some(&byte) = data.get(end) {
        if (0x40..=0x7e).contains(&byte) {
            let params = &data[2..end];
            return match final_key(params, byte) {
                Some(key) => Decoded::Key(key, end + 1),
                None => Decoded::Skip(end + 1),
            };
        }
        end += 1;
        if end > ESCAPE_MAX {
            return Decoded::Skip(end);
        }
    }
    Decoded::Partial
}

fn final_key(params: &[u8], last: u8) -> Option<Key> {
    Some(match (params, last) {
        (b"1" | b"7", b'~') => Key::Home,
        (b"4" | b"8", b'~') => Key::End,
        (b"3", b'~') => Key::Delete,
        (b"5", b'~') => Key::PageUp,
        (b"6", b'~') => Key::PageDown,
        (b"21", b'~') => Key::F10,
        ([] | [b'1', b';', _], b'A') => Key::Up,
        ([] | [b'1', b';', _], b'B') => Key::Down,
        ([] | [b'1', b';', _], b'C') => Key::Right,
        ([] | [b'1', b';', _], b'D') => Key::Left,
        ([] | [b'1', b';', _], b'H') => Key::Home,
        ([] | [b'1', b';', _], b'F') => Key::End,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_become_keys_even_split() {
        let mut reader = KeyReader::default();
        assert_eq!(
            reader.read(b"a\x0f\r\n\x7f\x1b[A\x1bOD"),
            [
                Key::Char('a'),
                Key::Ctrl('o'),
                Key::Enter,
                Key::Backspace,
                Key::Up,
                Key::Left
            ]
        );
        assert_eq!(reader.read(b"\x1b["), []);
        assert_eq!(reader.read(b"3~"), [Key::Delete]);
        let bytes = "한".as_bytes();
        assert_eq!(reader.read(&bytes[..2]), []);
        assert_eq!(reader.read(&bytes[2..]), [Key::Char('한')]);
        assert_eq!(reader.read(b"\x1b"), [Key::Esc]);
        assert_eq!(reader.read(b"\x1b[15~x"), [Key::Char('x')]);
        assert_eq!(reader.read(b"\x03\x18"), [Key::Ctrl('c'), Key::Ctrl('x')]);
        assert_eq!(reader.read(b"\x1b[21~"), [Key::F10]);
    }
}
