//! How large a lesson file may be. Lesson files come from anyone, and the shell reads every
//! one of a course at start: a file too large, too deep or with a text too long is refused
//! with its place, before it can take the learner's memory or time. The limits are far above
//! what a lesson needs (the shipped ones are under 80 KiB, a step's text under 4 KiB).

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::diagnostic::{Diagnostic, Locator, Severity};

/// The most a lesson or glossary file may hold, in bytes.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;
/// The most a single string of a lesson may hold, in bytes.
pub const MAX_STRING_BYTES: usize = 64 * 1024;
/// The most tables and arrays a value may sit in.
pub const MAX_DEPTH: usize = 16;
/// The most items an array may hold (steps, checks, choices, solution lines…).
pub const MAX_ITEMS: usize = 500;

/// What is wrong with a file of (at least) `size` bytes.
pub fn file_too_large(size: u64) -> Option<String> {
    (size > MAX_FILE_BYTES).then(|| {
        format!("the file holds more than {MAX_FILE_BYTES} bytes (1 MiB), the most a lesson file may hold")
    })
}

/// Every string, table and array of `root` over its limit, each at its place.
pub fn check(locator: &Locator<'_>, root: &Spanned<DeTable<'_>>) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for (_, value) in root.get_ref() {
        walk(locator, value, 1, &mut found);
    }
    found
}

fn walk(
    locator: &Locator<'_>,
    value: &Spanned<DeValue<'_>>,
    depth: usize,
    found: &mut Vec<Diagnostic>,
) {
    let span: Range<usize> = value.span();
    let mut report = |message: String| {
        found.push(locator.at_span(Some(span.clone()), Severity::Error, message));
    };
    match value.get_ref() {
        DeValue::String(text) if text.len() > MAX_STRING_BYTES => report(format!(
            "this text holds {} bytes; a lesson's text may hold at most {MAX_STRING_BYTES}",
            text.len()
        )),
        DeValue::String(text) if let Some(control) = control_in(text) => report(format!(
            "this text holds the control character U+{:04X}, which a terminal would obey rather than show; write what it stands for instead",
            control as u32
        )),
        DeValue::Array(_) | DeValue::Table(_) if depth > MAX_DEPTH => report(format!(
            "this value is nested {depth} deep; a lesson nests at most {MAX_DEPTH} deep"
        )),
        DeValue::Array(items) => {
            if items.len() > MAX_ITEMS {
                report(format!(
                    "this list holds {} items; a lesson's list may hold at most {MAX_ITEMS}",
                    items.len()
                ));
            }
            for item in items {
                walk(locator, item, depth + 1, found);
            }
        }
        DeValue::Table(table) => {
            for (_, item) in table {
                walk(locator, item, depth + 1, found);
            }
        }
        _ => {}
    }
}

/// A control character a terminal would act on, if `text` holds one: anything but line
/// breaks (`\r\n` included) and tabs.
fn control_in(text: &str) -> Option<char> {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let line_break = c == '\n' || (c == '\r' && chars.peek() == Some(&'\n'));
        if c.is_control() && c != '\t' && !line_break {
            return Some(c);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::load::load;

    fn errors_of(src: &str) -> Vec<String> {
        load("x.toml", src)
            .diagnostics
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn what_is_too_large_is_refused_at_its_place() {
        let long = format!(
            "format_version = 1\nid = \"x\"\ntitle = \"{}\"\n",
            "a".repeat(70_000)
        );
        let errors = errors_of(&long);
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with("x.toml:3:9: error: this text holds 70000 bytes")),
            "{errors:?}"
        );

        let deep = format!(
            "format_version = 1\nx = {}1{}\n",
            "[".repeat(40),
            "]".repeat(40)
        );
        let errors = errors_of(&deep);
        assert!(
            errors.iter().any(|e| e.contains("nested 17 deep")),
            "{errors:?}"
        );

        let many = format!(
            "format_version = 1\nid = \"x\"\n{}",
            "[[steps]]\nid = \"s\"\n".repeat(600)
        );
        let errors = errors_of(&many);
        assert!(
            errors
                .iter()
                .any(|e| e.contains("this list holds 600 items")),
            "{errors:?}"
        );

        let escape = "format_version = 1\nid = \"x\"\ntitle = \"T\\u001b]0;owned\\u0007\"\n";
        let errors = errors_of(escape);
        assert!(
            errors.iter().any(|e| e
                .starts_with("x.toml:3:9: error: this text holds the control character U+001B")),
            "{errors:?}"
        );

        let huge = "#".repeat(2 * 1024 * 1024);
        let errors = errors_of(&huge);
        assert!(
            errors[0].starts_with("x.toml:1:1: error: the file holds more than"),
            "{errors:?}"
        );
    }

    /// xorshift64: enough for a reproducible stream of mutations.
    struct Gen(u64);

    impl Gen {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
    }

    #[test]
    fn mangled_lessons_are_refused_without_a_panic() {
        const PIECES: [&str; 12] = [
            "[",
            "]",
            "{",
            "}",
            "\"",
            "'''",
            "\n",
            "=",
            "[[steps]]\n",
            "\\u{0}",
            "é",
            "{{x}}",
        ];
        let sources = super::super::embedded::sources();
        let mut rng = Gen(0x5eed_1e55_0f00_d00d);
        for round in 0..400 {
            let source = &sources[rng.below(sources.len())];
            let mut text = source.text.to_string();
            for _ in 0..1 + rng.below(8) {
                let mut at = rng.below(text.len());
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                match rng.below(3) {
                    0 => text.insert_str(at, PIECES[rng.below(PIECES.len())]),
                    1 => {
                        let mut end = (at + 1 + rng.below(64)).min(text.len());
                        while !text.is_char_boundary(end) {
                            end -= 1;
                        }
                        text.replace_range(at..end, "");
                    }
                    _ => text.truncate(at),
                }
            }
            // Whatever comes back, it comes back: no panic, no hang.
            let loaded = load(&format!("round-{round}.toml"), &text);
            assert!(loaded.lesson.is_some() || !loaded.diagnostics.is_empty());
        }
    }
}
