//! The lessons' overviews in the book: the box on top of each lesson's page, and the table of
//! the whole course (`<!-- cloudlings: overview -->`) with its total time and cost, all priced
//! from the table the emulator bills with.

use crate::check::{self, Bindings};
use crate::lang::Lang;
use crate::lesson::overview::{cost_sentence, duration, short};
use crate::lesson::{Course, Lesson};
use crate::shell::messages::overview_labels;

/// The overview on top of a lesson's page, as a quote of three labelled lines.
pub fn lesson_box(lesson: &Lesson, lang: Lang) -> String {
    let overview = &lesson.overview;
    let [time, builds, cost] = overview_labels(lang);
    let what = super::safe::markdown(&check::fill(overview.builds.get(lang), &Bindings::new()));
    format!(
        "> **{time}:** {}<br>\n> **{builds}:** {what}<br>\n> **{cost}:** {}\n",
        overview.duration(lang),
        overview.cost(lang)
    )
}

/// Every lesson with its time, what it builds and its cost, then the whole course's.
pub fn table(course: &Course, lang: Lang) -> String {
    let [time, builds, cost] = overview_labels(lang);
    let (lesson_word, total_word) = match lang {
        Lang::En => ("Lesson", "Altogether"),
        Lang::Ko => ("수업", "합계"),
    };
    let mut page =
        format!("| # | {lesson_word} | {time} | {builds} | {cost} |\n|---:|---|---:|---|---:|\n");
    let none = Bindings::new();
    for lesson in &course.lessons {
        let overview = &lesson.overview;
        page.push_str(&format!(
            "| {} | [{}](lessons/{}.md) | {} | {} | {} |\n",
            lesson.order,
            super::safe::plain(lesson.title.get(lang)),
            lesson.id,
            overview.duration(lang),
            super::table_cell(&check::fill(overview.builds.get(lang), &none)),
            overview.cost_short()
        ));
    }
    let minutes: u32 = course.lessons.iter().map(|l| l.overview.minutes).sum();
    let dollars: f64 = course.lessons.iter().map(|l| l.overview.on_demand()).sum();
    let light = course
        .lessons
        .iter()
        .any(|l| l.overview.cost_short() != "$0");
    page.push_str(&format!(
        "| | **{total_word}** | **{}** | | **{}** |\n\n",
        duration(minutes, lang),
        short(dollars, light)
    ));
    let whole = match lang {
        Lang::En => "The whole course on a real AWS account",
        Lang::Ko => "실제 AWS 계정에서 강의 전체",
    };
    page.push_str(&format!(
        "**{whole}:** {}\n",
        cost_sentence(dollars, light, lang)
    ));
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_every_lesson_and_the_total() {
        let course = Course::embedded();
        let minutes: u32 = course.lessons.iter().map(|l| l.overview.minutes).sum();
        for lang in [Lang::En, Lang::Ko] {
            let table = table(&course, lang);
            for lesson in &course.lessons {
                assert!(table.contains(&format!("(lessons/{}.md)", lesson.id)));
            }
            assert!(
                table.contains(&format!("**{}**", duration(minutes, lang))),
                "{table}"
            );
            assert!(!table.contains("{free_type}"), "facts are filled");
        }
    }
}
