//! The course's glossary (`lessons/glossary.toml`): each term in English, the Korean word the
//! course uses for it (the AWS Korean console's, where it has one), the variants to avoid, and
//! a one-line definition in both languages.
//!
//! It keeps the Korean of the lessons, the shell and the book to one word per idea: lint warns
//! where a lesson's Korean text uses a variant, at the variant's own line and column, and the
//! book prints the list. Korean glues particles to nouns, so a variant still matches with a
//! particle after it (`개인 키를`), but not inside a longer word (`코스` is not in `코스트`).

use std::collections::HashSet;

use schemars::JsonSchema;
use serde::Deserialize;
use toml::de::{DeTable, DeValue};

use super::diagnostic::{Diagnostic, Locator, Severity, line_col};
use crate::text::Text;

/// The glossary's file name, in a folder of lessons.
pub const FILE: &str = "glossary.toml";

/// The glossary format this cloudlings reads.
const FORMAT_VERSION: u32 = 1;

/// The shipped glossary, built into the binary with the lessons.
const EMBEDDED: &str = include_str!("../../lessons/glossary.toml");

/// The glossary file.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct GlossaryFile {
    format_version: u32,
    terms: Vec<Term>,
}

/// One term of the glossary.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// The English term, as the English texts write it.
    pub en: String,
    /// The Korean word to use.
    pub ko: String,
    /// Korean variants to avoid; lint names `ko` where a lesson uses one.
    #[serde(default)]
    pub avoid: Vec<String>,
    /// What the term means, in one line.
    pub means: Text,
    /// A usage note for the book, where a meaning needs a human's eye.
    #[serde(default)]
    pub note: Option<Text>,
    /// One of the terms a beginner meets first: printed on the cheat sheet.
    #[serde(default)]
    pub top: bool,
}

/// The terms, in the file's order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Glossary {
    pub terms: Vec<Term>,
}

impl Glossary {
    /// The glossary built into the binary. It is tested to read cleanly, so an empty glossary
    /// here would only come from a broken build.
    pub fn embedded() -> Glossary {
        Glossary::parse(&format!("lessons/{FILE}"), EMBEDDED).unwrap_or_default()
    }

    /// Reads a glossary file, or says where it is wrong.
    pub fn parse(file: &str, src: &str) -> Result<Glossary, Vec<Diagnostic>> {
        let locator = Locator::new(file, src, None);
        let parsed: GlossaryFile = toml::from_str(src).map_err(|error| {
            vec![locator.at_span(error.span(), Severity::Error, error.message())]
        })?;
        let mut problems = Vec::new();
        let at = |needle: &str| {
            // The last one: a duplicate or a variant comes after what it repeats.
            let offset = src.rfind(needle).unwrap_or(0);
            locator.at_span(Some(offset..offset), Severity::Error, "")
        };
        if parsed.format_version != FORMAT_VERSION {
            problems.push(Diagnostic {
                message: format!("this cloudlings reads glossary format {FORMAT_VERSION}"),
                ..at("format_version")
            });
        }
        let mut seen = HashSet::new();
        let preferred: Vec<&str> = parsed.terms.iter().map(|term| term.ko.as_str()).collect();
        for term in &parsed.terms {
            if !seen.insert(term.en.to_lowercase()) {
                problems.push(Diagnostic {
                    message: format!("`{}` is in the glossary twice", term.en),
                    ..at(&format!("en = {:?}", term.en))
                });
            }
            for variant in &term.avoid {
                // A variant inside a preferred word would be flagged wherever the word is used.
                if let Some(word) = preferred
                    .iter()
                    .find(|word| word.contains(variant.as_str()))
                {
                    problems.push(Diagnostic {
                        message: format!(
                            "the variant \"{variant}\" is part of the preferred \"{word}\""
                        ),
                        ..at(&format!("{variant:?}"))
                    });
                }
            }
        }
        if problems.is_empty() {
            Ok(Glossary {
                terms: parsed.terms,
            })
        } else {
            Err(problems)
        }
    }

    /// Warnings for every variant the Korean texts of a lesson file use, at the variant.
    pub fn check(&self, file: &str, src: &str) -> Vec<Diagnostic> {
        let Ok(root) = DeTable::parse(src) else {
            // Loading reports the syntax error.
            return Vec::new();
        };
        let mut spans = Vec::new();
        for (key, value) in root.get_ref().iter() {
            korean_spans(key.get_ref(), value, &mut spans);
        }
        let mut found = Vec::new();
        for span in spans {
            let Some(raw) = src.get(span.clone()) else {
                continue;
            };
            for term in &self.terms {
                for variant in &term.avoid {
                    for at in matches(raw, variant) {
                        let (line, col) = line_col(src, span.start + at);
                        found.push(Diagnostic {
                            file: file.to_string(),
                            line,
                            col,
                            severity: Severity::Warning,
                            message: format!(
                                "\"{variant}\" — the glossary's term is \"{}\"",
                                term.ko
                            ),
                        });
                    }
                }
            }
        }
        found.sort_by_key(|d| (d.line, d.col));
        found
    }
}

/// The source ranges of every `ko` string under `value` (`text.ko`, `{ en = …, ko = … }`).
fn korean_spans(
    key: &str,
    value: &toml::Spanned<DeValue<'_>>,
    spans: &mut Vec<std::ops::Range<usize>>,
) {
    match value.get_ref() {
        DeValue::String(_) if key == "ko" => spans.push(value.span()),
        DeValue::Table(table) => {
            for (key, value) in table.iter() {
                korean_spans(key.get_ref(), value, spans);
            }
        }
        DeValue::Array(items) => {
            for item in items {
                korean_spans("", item, spans);
            }
        }
        _ => {}
    }
}

/// What may follow a noun in the same word: particles, the copula, and the endings that make
/// a verb of it (`정지하면`, `정지된`). A variant followed by anything else is part of a longer
/// word and is left alone.
const FOLLOWERS: &[&str] = &[
    "으로",
    "처럼",
    "보다",
    "부터",
    "까지",
    "마다",
    "입니다",
    "이에요",
    "예요",
    "이나",
    "이라",
    "이랑",
    "시키",
    "은",
    "는",
    "이",
    "가",
    "을",
    "를",
    "의",
    "에",
    "와",
    "과",
    "도",
    "만",
    "로",
    "께",
    "랑",
    "뿐",
    "들",
    "씩",
    "인",
    "일",
    "나",
    "라",
    "야",
    "하",
    "되",
    "된",
    "돼",
    "됩",
    "했",
    "한",
    "할",
    "해",
];

fn is_hangul(c: char) -> bool {
    matches!(c, '\u{AC00}'..='\u{D7A3}')
}

/// Byte offsets in `text` where `variant` stands as a word of its own, particles allowed after.
pub fn matches(text: &str, variant: &str) -> Vec<usize> {
    text.match_indices(variant)
        .filter(|(at, _)| {
            let before = text[..*at].chars().next_back();
            let after = &text[at + variant.len()..];
            let starts_word = !before.is_some_and(is_hangul);
            let ends_word = match after.chars().next() {
                Some(c) if is_hangul(c) => FOLLOWERS.iter().any(|tail| after.starts_with(tail)),
                _ => true,
            };
            starts_word && ends_word
        })
        .map(|(at, _)| at)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_glossary_reads_cleanly() {
        let glossary = Glossary::parse("glossary.toml", EMBEDDED).expect("clean");
        assert!(glossary.terms.len() >= 30);
        assert!(glossary.terms.iter().any(|term| term.top));
        assert_eq!(Glossary::embedded(), glossary);
    }

    #[test]
    fn a_variant_matches_with_a_particle_but_not_inside_a_longer_word() {
        assert_eq!(matches("개인 키를 지키세요", "개인 키"), vec![0]);
        assert_eq!(matches("2번 레슨에서", "레슨"), vec!["2번 ".len()]);
        assert_eq!(matches("코스트와 코스", "코스"), vec!["코스트와 ".len()]);
        assert!(matches("일시정지", "정지").is_empty());
        assert_eq!(matches("정지하면", "정지"), vec![0]);
        assert_eq!(matches("(레슨)", "레슨"), vec![1]);
    }

    #[test]
    fn korean_texts_are_checked_at_the_variant() {
        let glossary = Glossary::embedded();
        let src = "title.en = \"Lesson\"\ntitle.ko = \"첫 레슨\"\n\
                   [[steps]]\ntext = { en = \"a private key\", ko = \"\"\"\n\
                   이 개인 키를 지키세요\"\"\" }\nid = \"레슨\"\n";
        let found: Vec<String> = glossary
            .check("t.toml", src)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            found,
            [
                "t.toml:2:15: warning: \"레슨\" — the glossary's term is \"수업\"",
                "t.toml:5:3: warning: \"개인 키\" — the glossary's term is \"프라이빗 키\"",
            ]
        );
    }

    #[test]
    fn a_broken_glossary_says_where() {
        let twice = "format_version = 1\n[[terms]]\nen = \"x\"\nko = \"가\"\n\
                     means = { en = \"m\", ko = \"뜻\" }\n[[terms]]\nen = \"x\"\nko = \"나\"\n\
                     avoid = [\"가\"]\nmeans = { en = \"m\", ko = \"뜻\" }\n";
        let problems: Vec<String> = Glossary::parse("g.toml", twice)
            .expect_err("broken")
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("g.toml:7:1: error: `x` is in the glossary twice"));
        assert!(problems[1].contains("the variant \"가\" is part of the preferred \"가\""));
        let unknown = Glossary::parse("g.toml", "format_version = 1\nterms = []\nx = 1\n");
        assert!(
            unknown.expect_err("unknown")[0]
                .message
                .contains("unknown field")
        );
    }
}
