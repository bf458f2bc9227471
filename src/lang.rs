//! The learner's language.
//!
//! Every learner-facing string exists in English and Korean. The language is chosen once at
//! start (`--lang`, then a choice saved with the shell's `lang` command, then the locale) and
//! can be switched at any time in the shell. A Korean message that shows a name, a number or
//! code takes the particle after it from [`particle`], so that it agrees with what it follows.

pub mod particle;

pub use particle::{Ending, Particle};

use serde::{Deserialize, Serialize};

/// A language the course is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Ko,
}

impl Lang {
    /// Both languages, English first: English is the one every text must have.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ko];

    /// The ISO 639-1 code, as typed after `lang` and `--lang`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ko => "ko",
        }
    }

    /// Parses a code as the learner types it (`en`, `ko`, `english`, `한국어`, ...).
    pub fn parse(word: &str) -> Option<Lang> {
        match word.trim().to_lowercase().as_str() {
            "en" | "eng" | "english" | "영어" => Some(Lang::En),
            "ko" | "kr" | "kor" | "korean" | "한국어" | "한글" => Some(Lang::Ko),
            _ => None,
        }
    }

    /// The language a POSIX locale asks for, read in POSIX order of precedence
    /// (`LC_ALL`, then `LC_MESSAGES`, then `LANG`); `None` when it names neither language.
    pub fn from_locale(var: impl Fn(&str) -> Option<String>) -> Option<Lang> {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .filter_map(var)
            .find(|value| !value.is_empty())?;
        let language = locale.split(['_', '.', '@']).next().unwrap_or_default();
        match language.to_lowercase().as_str() {
            "ko" => Some(Lang::Ko),
            "en" | "c" | "posix" => Some(Lang::En),
            _ => None,
        }
    }
}

/// The message in the learner's language; both are required, and `format!` arguments are
/// captured from the surrounding scope. It lives beside [`Lang`] so that every layer that speaks
/// to the learner (the shell, the AWS target) writes its messages the same way.
macro_rules! tr {
    ($lang:expr, $en:literal, $ko:literal $(,)?) => {
        match $lang {
            $crate::lang::Lang::En => format!($en),
            $crate::lang::Lang::Ko => format!($ko),
        }
    };
}
pub(crate) use tr;

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// An environment of `pairs` alone, for what reads the locale.
    pub(crate) fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.to_string())
        }
    }

    #[test]
    fn korean_locales_choose_korean() {
        assert_eq!(
            Lang::from_locale(env(&[("LANG", "ko_KR.UTF-8")])),
            Some(Lang::Ko)
        );
        assert_eq!(
            Lang::from_locale(env(&[("LC_ALL", "ko_KR")])),
            Some(Lang::Ko)
        );
    }

    #[test]
    fn lc_all_wins_over_lang_and_empty_values_are_skipped() {
        let vars = [("LC_ALL", "en_US.UTF-8"), ("LANG", "ko_KR.UTF-8")];
        assert_eq!(Lang::from_locale(env(&vars)), Some(Lang::En));
        let vars = [("LC_ALL", ""), ("LANG", "ko_KR.UTF-8")];
        assert_eq!(Lang::from_locale(env(&vars)), Some(Lang::Ko));
    }

    #[test]
    fn other_locales_say_nothing() {
        assert_eq!(Lang::from_locale(env(&[("LANG", "fr_FR.UTF-8")])), None);
        assert_eq!(Lang::from_locale(env(&[])), None);
    }

    #[test]
    fn parses_what_learners_type() {
        assert_eq!(Lang::parse(" KO "), Some(Lang::Ko));
        assert_eq!(Lang::parse("한국어"), Some(Lang::Ko));
        assert_eq!(Lang::parse("english"), Some(Lang::En));
        assert_eq!(Lang::parse("de"), None);
    }
}
