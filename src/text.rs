//! Bilingual text.
//!
//! Lessons are written in it and checks label their conditions with it, so it lives below
//! both, needing nothing but the learner's language.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// A piece of learner-facing text in English and Korean.
///
/// English is required. Korean may be missing while a lesson is being written: the shell then
/// shows the English text, and `cloudlings lesson lint` reports the gap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// The English text.
    pub en: String,
    /// The Korean text, written for Korean readers rather than translated word for word.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ko: Option<String>,
}

impl Text {
    /// The text in `lang`, or in English where no translation exists.
    pub fn get(&self, lang: Lang) -> &str {
        match (lang, self.ko.as_deref()) {
            (Lang::Ko, Some(ko)) if !ko.trim().is_empty() => ko,
            _ => &self.en,
        }
    }

    /// Whether the text exists in `lang` in its own right (not as an English fallback).
    pub fn has(&self, lang: Lang) -> bool {
        match lang {
            Lang::En => !self.en.trim().is_empty(),
            Lang::Ko => self.ko.as_deref().is_some_and(|ko| !ko.trim().is_empty()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn falls_back_to_english_where_korean_is_missing_or_blank() {
        let both = Text {
            en: "cloud".into(),
            ko: Some("클라우드".into()),
        };
        let english_only = Text {
            en: "cloud".into(),
            ko: Some("  ".into()),
        };
        assert_eq!(both.get(Lang::Ko), "클라우드");
        assert_eq!(both.get(Lang::En), "cloud");
        assert_eq!(english_only.get(Lang::Ko), "cloud");
        assert!(!english_only.has(Lang::Ko));
    }
}
