//! Text from outside the shell (a value an AWS answer or a file gave, a lesson's words) shown
//! as it is and never obeyed: a control character or an escape sequence in it would move the
//! cursor, clear the screen or retitle the window of the learner's terminal. Each is shown
//! in caret notation instead (`^[` for ESC), as `cat -v` shows it.

use std::borrow::Cow;

/// `text` with its control characters made visible; line breaks and tabs stay.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            c if !hidden(c) => shown.push(c),
            '\u{7f}' => shown.push_str("^?"),
            c if (c as u32) < 0x20 => {
                shown.push('^');
                shown.push(char::from(b'@' + c as u8));
            }
            // C1 controls (`\u{9b}` is a one-character CSI to some terminals).
            c => shown.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    Cow::Owned(shown)
}

/// Whether a terminal would act on `c` rather than show it.
fn hidden(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_show_in_caret_notation_and_text_stays() {
        assert_eq!(visible("sg-0abc web"), "sg-0abc web");
        assert_eq!(visible("a\u{1b}[2Jb"), "a^[[2Jb");
        assert_eq!(visible("bell\u{7}\r\u{7f}"), "bell^G^M^?");
        assert_eq!(visible("csi\u{9b}31m"), "csi\\u{9b}31m");
        assert_eq!(visible("two\nlines\tand a tab"), "two\nlines\tand a tab");
        assert_eq!(visible("한국어 ✓"), "한국어 ✓");
    }
}
