//! The glossary as the book prints it (`<!-- cloudlings: glossary -->`): every term of
//! `lessons/glossary.toml`, the reader's language first, with the words the course avoids.

use crate::lang::Lang;
use crate::lesson::Glossary;

/// The whole glossary as a table.
pub fn table(glossary: &Glossary, lang: Lang) -> String {
    let mut page = match lang {
        Lang::En => "| English | Korean | not | meaning |\n|---|---|---|---|\n".to_string(),
        Lang::Ko => "| 한국어 | 영어 | 쓰지 않는 말 | 뜻 |\n|---|---|---|---|\n".to_string(),
    };
    for term in &glossary.terms {
        let avoid = term.avoid.join(", ");
        let mut means = term.means.get(lang).to_string();
        if let Some(note) = &term.note {
            means.push_str(&format!(" *{}*", note.get(lang)));
        }
        let (first, second) = match lang {
            Lang::En => (&term.en, &term.ko),
            Lang::Ko => (&term.ko, &term.en),
        };
        page.push_str(&format!(
            "| **{}** | {} | {} | {} |\n",
            super::table_cell(first),
            super::table_cell(second),
            super::table_cell(&avoid),
            super::table_cell(&means)
        ));
    }
    page
}

/// The terms a beginner meets first, for the cheat sheet: both languages and the meaning.
pub fn top(glossary: &Glossary, lang: Lang) -> String {
    let mut page = match lang {
        Lang::En => "| term | 한국어 | meaning |\n|---|---|---|\n".to_string(),
        Lang::Ko => "| 용어 | English | 뜻 |\n|---|---|---|\n".to_string(),
    };
    for term in glossary.terms.iter().filter(|term| term.top) {
        let (first, second) = match lang {
            Lang::En => (&term.en, &term.ko),
            Lang::Ko => (&term.ko, &term.en),
        };
        page.push_str(&format!(
            "| **{}** | {} | {} |\n",
            super::table_cell(first),
            super::table_cell(second),
            super::table_cell(term.means.get(lang))
        ));
    }
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_term_is_in_the_table_and_only_top_ones_on_the_sheet() {
        let glossary = Glossary::embedded();
        let ko = table(&glossary, Lang::Ko);
        assert!(
            ko.contains("| **프라이빗 키** | private key | 개인 키, 개인키, 비밀 키, 비밀키 |")
        );
        assert_eq!(ko.lines().count(), glossary.terms.len() + 2);
        let top = top(&glossary, Lang::En);
        assert!(top.contains("| **security group** | 보안 그룹 |"), "{top}");
        assert!(!top.contains("**waiter**"), "{top}");
    }
}
