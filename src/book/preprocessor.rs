//! The preprocessor: gives each page of the frame in the book's language, fills in what is
//! generated (the shell's commands, the lesson format), and adds a chapter per lesson under
//! "The lessons".

use mdbook_preprocessor::book::{Book, BookItem, Chapter, SectionNumber};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

use super::{lesson_page, pages};
use crate::lang::Lang;
use crate::lesson::Course;

/// The page the lessons hang under.
const LESSONS_PAGE: &str = "lessons.md";

/// The sidebar's part titles as `SUMMARY.md` writes them, with their Korean: the pages carry
/// their own translations, the summary's headings cannot.
const PART_TITLES: &[(&str, &str)] = &[("Course", "강의"), ("Reference", "참고 자료")];

/// A part title in the book's language.
fn part_title(title: &str, lang: Lang) -> Option<&'static str> {
    let (_, ko) = PART_TITLES.iter().find(|(en, _)| *en == title)?;
    (lang == Lang::Ko).then_some(*ko)
}

/// cloudlings' preprocessor, for one course.
#[derive(Debug)]
pub struct Chapters {
    course: Course,
}

impl Chapters {
    pub fn new(course: Course) -> Chapters {
        Chapters { course }
    }
}

impl Preprocessor for Chapters {
    fn name(&self) -> &str {
        "cloudlings"
    }

    fn run(
        &self,
        context: &PreprocessorContext,
        mut book: Book,
    ) -> mdbook_preprocessor::errors::Result<Book> {
        let lang = context
            .config
            .book
            .language
            .as_deref()
            .and_then(Lang::parse)
            .unwrap_or_default();
        book.for_each_mut(|item| {
            if let BookItem::PartTitle(title) = item
                && let Some(translated) = part_title(title, lang)
            {
                *title = translated.to_string();
            }
            let BookItem::Chapter(chapter) = item else {
                return;
            };
            let page = pages::Page::read(&chapter.content, lang, &self.course);
            if let Some(title) = &page.title {
                chapter.name = title.clone();
            }
            chapter.content = page.text;
            if chapter.path.as_deref() == Some(std::path::Path::new(LESSONS_PAGE)) {
                chapter.sub_items = self.lesson_chapters(chapter, lang);
            }
        });
        Ok(book)
    }

    fn supports_renderer(&self, renderer: &str) -> mdbook_preprocessor::errors::Result<bool> {
        Ok(matches!(renderer, "html" | "markdown"))
    }
}

impl Chapters {
    /// A chapter for each lesson, in the course's order, numbered under `parent`.
    fn lesson_chapters(&self, parent: &Chapter, lang: Lang) -> Vec<BookItem> {
        let mut parents = parent.parent_names.clone();
        parents.push(parent.name.clone());
        self.course
            .lessons
            .iter()
            .enumerate()
            .map(|(index, lesson)| {
                let mut chapter = Chapter::new(
                    &super::safe::name(lesson.title.get(lang)),
                    lesson_page::render(lesson, lang),
                    format!("lessons/{}.md", lesson.id),
                    parents.clone(),
                );
                // Generated, not read from a file of its own.
                chapter.source_path = None;
                chapter.number = parent.number.as_ref().map(|number| {
                    let mut number: Vec<u32> = number.iter().copied().collect();
                    number.push(index as u32 + 1);
                    SectionNumber::new(number)
                });
                BookItem::Chapter(chapter)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_part_title_of_the_summary_has_its_korean() {
        let summary = include_str!("../../book/src/SUMMARY.md");
        let parts: Vec<&str> = summary
            .lines()
            .filter_map(|line| line.strip_prefix("# "))
            .filter(|title| *title != "Summary")
            .collect();
        assert!(!parts.is_empty());
        for part in parts {
            assert!(
                part_title(part, Lang::Ko).is_some(),
                "no Korean for {part:?}"
            );
            assert_eq!(part_title(part, Lang::En), None);
        }
    }
}
