//! Problems found in lesson files, located as `file:line:col` like a compiler's.

use std::fmt;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Incomplete but usable: a missing translation. The shell uses the lesson; lint fails.
    Warning,
    /// Wrong: the lesson (or the part named) cannot be used as written.
    Error,
}

/// One problem in one lesson file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub col: usize,
    pub severity: Severity,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(
            f,
            "{}:{}:{}: {severity}: {}",
            self.file, self.line, self.col, self.message
        )
    }
}

/// A step on the way from a document's root to one of its values.
#[derive(Debug, Clone, Copy)]
pub enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// Finds where things are in one lesson file, so that every diagnostic, including those about
/// meaning rather than syntax, points at the exact key or value.
pub struct Locator<'a> {
    file: &'a str,
    src: &'a str,
    root: Option<Spanned<DeValue<'a>>>,
}

impl<'a> Locator<'a> {
    pub fn new(file: &'a str, src: &'a str, root: Option<Spanned<DeTable<'a>>>) -> Locator<'a> {
        let root = root.map(|table| {
            let span = table.span();
            Spanned::new(span, DeValue::Table(table.into_inner()))
        });
        Locator { file, src, root }
    }

    /// A diagnostic at a byte range of the source (the start counts).
    pub fn at_span(
        &self,
        span: Option<Range<usize>>,
        severity: Severity,
        message: impl Into<String>,
    ) -> Diagnostic {
        let (line, col) = line_col(self.src, span.map_or(0, |span| span.start));
        Diagnostic {
            file: self.file.to_string(),
            line,
            col,
            severity,
            message: message.into(),
        }
    }

    /// A diagnostic at the value found by following `path`, or at the nearest existing parent
    /// when the path ends early (a missing field is reported where it should have been).
    pub fn at(
        &self,
        path: &[Seg<'_>],
        severity: Severity,
        message: impl Into<String>,
    ) -> Diagnostic {
        self.at_span(Some(self.span(path, false)), severity, message)
    }

    /// Like [`Locator::at`], but at the key of the last path segment: for "this field does not
    /// belong here".
    pub fn at_key(
        &self,
        path: &[Seg<'_>],
        severity: Severity,
        message: impl Into<String>,
    ) -> Diagnostic {
        self.at_span(Some(self.span(path, true)), severity, message)
    }

    fn span(&self, path: &[Seg<'_>], want_key: bool) -> Range<usize> {
        let Some(mut node) = self.root.as_ref() else {
            return 0..0;
        };
        let mut key_span = None;
        for seg in path {
            let next = match (seg, node.get_ref()) {
                (Seg::Key(name), DeValue::Table(table)) => table
                    .iter()
                    .find(|(key, _)| key.get_ref().as_ref() == *name)
                    .map(|(key, value)| (Some(key.span()), value)),
                (Seg::Index(index), DeValue::Array(items)) => {
                    items.get(*index).map(|value| (None, value))
                }
                _ => None,
            };
            match next {
                Some((key, value)) => {
                    key_span = key;
                    node = value;
                }
                None => return node.span(),
            }
        }
        match (want_key, key_span) {
            (true, Some(span)) => span,
            _ => node.span(),
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let before = src.get(..offset).unwrap_or(src);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_are_one_based_and_count_characters() {
        let src = "a = 1\n제목 = 'x'\n";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 4), (1, 5));
        let at = src.find("'x'").expect("present");
        assert_eq!(line_col(src, at), (2, 6));
    }

    #[test]
    fn finds_values_and_keys_along_a_path() {
        let src = "id = 'x'\n[[steps]]\nid = 'a'\n\n[[steps]]\nid = 'b'\nhints = [{ en = '' }]\n";
        let root = DeTable::parse(src).expect("parse");
        let locator = Locator::new("f.toml", src, Some(root));
        let path = [
            Seg::Key("steps"),
            Seg::Index(1),
            Seg::Key("hints"),
            Seg::Index(0),
        ];
        let found = locator.at(&path, Severity::Error, "empty hint");
        assert_eq!((found.line, found.col), (7, 10));
        let key = locator.at_key(
            &[Seg::Key("steps"), Seg::Index(1), Seg::Key("hints")],
            Severity::Error,
            "",
        );
        assert_eq!((key.line, key.col), (7, 1));
        let missing = locator.at(
            &[Seg::Key("steps"), Seg::Index(0), Seg::Key("kind")],
            Severity::Error,
            "",
        );
        assert_eq!((missing.line, missing.col), (2, 1));
        assert_eq!(found.to_string(), "f.toml:7:10: error: empty hint");
    }
}
