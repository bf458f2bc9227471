//! Quiz answers and how a learner's reply is graded.

use std::sync::LazyLock;

use regex::Regex;

use crate::lang::Lang;
use crate::text::Text;

/// The right answer to a quiz.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// Pick one of `choices`; `correct` counts from 0.
    Choice { choices: Vec<Text>, correct: usize },
    /// A number, right within `tolerance`.
    Number {
        value: f64,
        tolerance: f64,
        unit: Option<Text>,
    },
    /// A short text, any of `accept`, compared ignoring case and runs of spaces.
    Text { accept: Vec<String> },
}

/// How a reply fared.
#[derive(Debug, Clone, PartialEq)]
pub enum Grade {
    Right,
    Wrong,
    /// The reply is not a choice between 1 and `count`.
    NotAChoice {
        count: usize,
    },
    /// The reply holds no number.
    NotANumber,
}

impl Answer {
    pub fn grade(&self, reply: &str) -> Grade {
        let reply = reply.trim();
        match self {
            Answer::Choice { choices, correct } => match choice_index(reply, choices) {
                Some(index) if index == *correct => Grade::Right,
                Some(_) => Grade::Wrong,
                None => Grade::NotAChoice {
                    count: choices.len(),
                },
            },
            Answer::Number {
                value, tolerance, ..
            } => match parse_number(reply) {
                // The epsilon absorbs binary rounding, so "0.1 + 0.2" style answers at the
                // edge of the tolerance are not refused for a representation error.
                Some(given) if (given - value).abs() <= tolerance + 1e-9 => Grade::Right,
                Some(_) => Grade::Wrong,
                None => Grade::NotANumber,
            },
            Answer::Text { accept } => {
                let reply = normalize(reply);
                if accept.iter().any(|accepted| normalize(accepted) == reply) {
                    Grade::Right
                } else {
                    Grade::Wrong
                }
            }
        }
    }

    /// The right answer, as the learner would type it.
    pub fn display(&self, lang: Lang) -> String {
        match self {
            Answer::Choice { choices, correct } => choices
                .get(*correct)
                .map(|choice| format!("{}) {}", correct + 1, choice.get(lang)))
                .unwrap_or_default(),
            Answer::Number { value, unit, .. } => match unit {
                Some(unit) => format!("{value} {}", unit.get(lang)),
                None => value.to_string(),
            },
            Answer::Text { accept } => accept.first().cloned().unwrap_or_default(),
        }
    }
}

/// A choice by its number (`2`, `2)`, `(2)`, `2번`) or by its text in either language.
fn choice_index(reply: &str, choices: &[Text]) -> Option<usize> {
    let digits = reply
        .trim_start_matches('(')
        .trim_end_matches([')', '.', '번']);
    if let Ok(number) = digits.trim().parse::<usize>() {
        return (1..=choices.len()).contains(&number).then(|| number - 1);
    }
    let reply = normalize(reply);
    choices.iter().position(|choice| {
        Lang::ALL
            .iter()
            .any(|&lang| choice.has(lang) && normalize(choice.get(lang)) == reply)
    })
}

/// The number in a reply such as `84.68`, `$84.68`, `1,000,000`, `12 hours` or `30 달러`:
/// currency signs before it and a unit after it are allowed, other digits are not.
fn parse_number(reply: &str) -> Option<f64> {
    static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:US\$|\$|₩|USD|KRW)?\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*([^\d]*)$")
            .expect("the number pattern is valid")
    });
    let compact: String = reply.chars().filter(|c| *c != ',' && *c != '_').collect();
    let captures = NUMBER.captures(compact.trim())?;
    captures.get(1)?.as_str().parse().ok()
}

fn normalize(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(en: &str, ko: &str) -> Text {
        Text {
            en: en.into(),
            ko: Some(ko.into()),
        }
    }

    fn rent_or_buy() -> Answer {
        Answer::Choice {
            choices: vec![text("Buy", "구매"), text("Rent", "임대")],
            correct: 1,
        }
    }

    #[test]
    fn choices_by_number_or_by_text_in_either_language() {
        let quiz = rent_or_buy();
        for reply in ["2", " 2) ", "(2)", "2번", "rent", "  RENT ", "임대"] {
            assert_eq!(quiz.grade(reply), Grade::Right, "{reply:?}");
        }
        assert_eq!(quiz.grade("1"), Grade::Wrong);
        assert_eq!(quiz.grade("구매"), Grade::Wrong);
        assert_eq!(quiz.grade("3"), Grade::NotAChoice { count: 2 });
        assert_eq!(quiz.grade("lease"), Grade::NotAChoice { count: 2 });
    }

    #[test]
    fn numbers_within_tolerance_with_currency_and_units() {
        let cost = Answer::Number {
            value: 10.512,
            tolerance: 0.01,
            unit: None,
        };
        for reply in ["10.51", "$10.52", "10.512 USD", "US$ 10.51", "10.51달러"] {
            assert_eq!(cost.grade(reply), Grade::Right, "{reply:?}");
        }
        assert_eq!(cost.grade("10.53"), Grade::Wrong);
        assert_eq!(cost.grade("ten"), Grade::NotANumber);
        assert_eq!(cost.grade("10.5 or 11"), Grade::NotANumber);
        let users = Answer::Number {
            value: 1_000_000.0,
            tolerance: 0.0,
            unit: None,
        };
        assert_eq!(users.grade("1,000,000"), Grade::Right);
        assert_eq!(users.grade("1e6"), Grade::Right);
    }

    #[test]
    fn exact_tolerance_edges_count() {
        let edge = Answer::Number {
            value: 0.3,
            tolerance: 0.1,
            unit: None,
        };
        assert_eq!(edge.grade("0.2"), Grade::Right);
        assert_eq!(edge.grade("0.4"), Grade::Right);
        assert_eq!(edge.grade("0.41"), Grade::Wrong);
    }

    #[test]
    fn text_ignores_case_and_spacing() {
        let service = Answer::Text {
            accept: vec!["EC2".into(), "Elastic Compute Cloud".into()],
        };
        assert_eq!(service.grade("ec2"), Grade::Right);
        assert_eq!(service.grade("elastic   compute cloud"), Grade::Right);
        assert_eq!(service.grade("S3"), Grade::Wrong);
    }

    #[test]
    fn displays_the_right_answer() {
        assert_eq!(rent_or_buy().display(Lang::Ko), "2) 임대");
        let cost = Answer::Number {
            value: 8.47,
            tolerance: 0.01,
            unit: Some(text("USD", "달러")),
        };
        assert_eq!(cost.display(Lang::En), "8.47 USD");
    }
}
