//! The frame's pages: each holds its English and Korean text, marked `<!-- en -->` and
//! `<!-- ko -->`, with markers for what is generated (`<!-- cloudlings: commands -->`, the
//! shell's commands; `<!-- cloudlings: format -->`, the lesson format;
//! `<!-- cloudlings: overview -->`, the course's lessons with their time and cost;
//! `<!-- cloudlings: glossary -->` and `glossary-top`, the glossary; `costs`, the
//! cheat sheet's prices).

use crate::lang::Lang;
use crate::lesson::Course;
use crate::shell::messages::COMMANDS;

/// A page in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Its first `# heading`, the chapter's name in the table of contents.
    pub title: Option<String>,
    pub text: String,
}

impl Page {
    /// The part of `source` in `lang` (all of it when it is not marked), generated parts in.
    pub fn read(source: &str, lang: Lang, course: &Course) -> Page {
        let text = section(source, lang).unwrap_or(source);
        let text = text
            .replace("<!-- cloudlings: commands -->", &commands(lang))
            .replace(
                "<!-- cloudlings: format -->",
                &super::reference::format(lang),
            )
            .replace(
                "<!-- cloudlings: overview -->",
                &super::overview::table(course, lang),
            )
            .replace(
                "<!-- cloudlings: glossary -->",
                &super::glossary_page::table(&course.glossary, lang),
            )
            .replace(
                "<!-- cloudlings: glossary-top -->",
                &super::glossary_page::top(&course.glossary, lang),
            )
            .replace(
                "<!-- cloudlings: costs -->",
                &super::cheatsheet::costs(lang),
            );
        let title = text
            .lines()
            .find_map(|line| line.strip_prefix("# "))
            .map(|title| title.trim().to_string());
        Page {
            title,
            text: text.trim().to_string() + "\n",
        }
    }
}

/// The text between `<!-- lang -->` and the next language marker.
fn section(source: &str, lang: Lang) -> Option<&str> {
    let marker = format!("<!-- {} -->", lang.code());
    let start = source.find(&marker)? + marker.len();
    let rest = &source[start..];
    let end = [Lang::En, Lang::Ko]
        .iter()
        .filter_map(|other| rest.find(&format!("<!-- {} -->", other.code())))
        .min()
        .unwrap_or(rest.len());
    Some(&rest[..end])
}

/// The shell's commands as a table, from the same list as its `help`.
fn commands(lang: Lang) -> String {
    let (command, does) = match lang {
        Lang::En => ("command", "what it does"),
        Lang::Ko => ("명령어", "하는 일"),
    };
    let mut table = format!("| {command} | {does} |\n|---|---|\n");
    for help in COMMANDS {
        table.push_str(&format!(
            "| `{}` | {} |\n",
            help.usage.replace('|', "\\|"),
            help.describe(lang).replace('|', "\\|")
        ));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language_gets_its_part_and_its_title() {
        let source = "<!-- en -->\n# Welcome\nHello.\n<!-- ko -->\n# 환영합니다\n안녕하세요.\n";
        let en = Page::read(source, Lang::En, &Course::default());
        assert_eq!(en.title.as_deref(), Some("Welcome"));
        assert_eq!(en.text, "# Welcome\nHello.\n");
        let ko = Page::read(source, Lang::Ko, &Course::default());
        assert_eq!(ko.title.as_deref(), Some("환영합니다"));
        assert!(!ko.text.contains("Hello"));
        assert_eq!(
            Page::read("# Only\n", Lang::Ko, &Course::default())
                .title
                .as_deref(),
            Some("Only")
        );
    }

    #[test]
    fn the_commands_are_the_shells() {
        let page = Page::read(
            "<!-- cloudlings: commands -->",
            Lang::Ko,
            &Course::default(),
        );
        assert!(page.text.contains("| `totp [--qr] <seed file>` |"));
        assert!(page.text.contains("| 명령어 | 하는 일 |"));
    }
}
