//! The companion book: an mdBook generated from the lesson files by cloudlings' own
//! preprocessor ([`Chapters`]), so the book and the shell read the same lessons and cannot
//! drift. The book's frame (`book/` in the project: `book.toml`, `SUMMARY.md` and the pages
//! around the lessons, each in English and Korean) is built into the binary, so
//! `cloudlings book` works anywhere; the `mdbook` CLI builds the same folder with
//! `cloudlings book preprocess` as its preprocessor command.

mod cheatsheet;
mod glossary_page;
mod lesson_page;
mod overview;
mod pages;
mod placeholders;
mod preprocessor;
mod reference;
mod safe;

use std::path::{Path, PathBuf};

use anyhow::Context;

pub use preprocessor::Chapters;

use crate::lang::Lang;
use crate::lesson::Course;

macro_rules! picture {
    ($name:literal) => {
        (
            concat!("src/console/", $name, ".webp"),
            include_bytes!(concat!("../../book/src/console/", $name, ".webp")),
        )
    };
}

/// The book's frame, as in `book/`.
const FRAME: &[(&str, &str)] = &[
    ("book.toml", include_str!("../../book/book.toml")),
    ("src/SUMMARY.md", include_str!("../../book/src/SUMMARY.md")),
    ("src/index.md", include_str!("../../book/src/index.md")),
    ("src/lessons.md", include_str!("../../book/src/lessons.md")),
    (
        "src/overview.md",
        include_str!("../../book/src/overview.md"),
    ),
    (
        "src/glossary.md",
        include_str!("../../book/src/glossary.md"),
    ),
    (
        "src/cheatsheet.md",
        include_str!("../../book/src/cheatsheet.md"),
    ),
    ("cheatsheet.css", include_str!("../../book/cheatsheet.css")),
    (
        "src/learners.md",
        include_str!("../../book/src/learners.md"),
    ),
    (
        "src/instructors.md",
        include_str!("../../book/src/instructors.md"),
    ),
    (
        "src/real-aws.md",
        include_str!("../../book/src/real-aws.md"),
    ),
];

/// The console's pictures in the learners' chapter, by language: taken by the Chromium test
/// (`CLOUDLINGS_BOOK_SCREENSHOTS=book/src/console`), kept small as WebP.
const PICTURES: &[(&str, &[u8])] = &[
    picture!("signin-mfa-en"),
    picture!("signin-mfa-ko"),
    picture!("ec2-launch-en"),
    picture!("ec2-launch-ko"),
    picture!("ec2-connect-en"),
    picture!("ec2-connect-ko"),
    picture!("cloudfront-banner-en"),
    picture!("cloudfront-banner-ko"),
    picture!("billing-en"),
    picture!("billing-ko"),
];

/// Builds the book of `course` in each of `langs` into `out/<lang>/`; returns each build's
/// `index.html`.
pub fn build(course: &Course, out: &Path, langs: &[Lang]) -> anyhow::Result<Vec<PathBuf>> {
    let frame = tempfile::tempdir().context("cannot make a folder for the book's sources")?;
    for (path, text) in FRAME {
        let path = frame.path().join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    for (path, bytes) in PICTURES {
        let path = frame.path().join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let mut built = Vec::new();
    for lang in langs {
        let dir = out.join(lang.code());
        let mut book = mdbook_driver::MDBook::load(frame.path())
            .map_err(|error| anyhow::anyhow!("{error:#}"))
            .context("cannot load the book")?;
        book.config
            .set("book.language", lang.code())
            .and_then(|()| book.config.set("build.build-dir", &dir))
            .map_err(|error| anyhow::anyhow!("{error:#}"))?;
        // Replaces the `cloudlings book preprocess` command book.toml names for the mdbook CLI.
        book.with_preprocessor(Chapters::new(course.clone()));
        book.build()
            .map_err(|error| anyhow::anyhow!("{error:#}"))
            .with_context(|| format!("cannot build the {} book", lang.code()))?;
        built.push(dir.join("index.html"));
    }
    Ok(built)
}

/// `cloudlings book preprocess [supports RENDERER]`: the preprocessor protocol of the mdbook
/// CLI. It asks whether a renderer is supported, then hands the book over as JSON on stdin
/// and takes it back on stdout.
pub fn preprocess_stdio(course: Course, supports: Option<&str>) -> anyhow::Result<bool> {
    use mdbook_preprocessor::Preprocessor;
    let chapters = Chapters::new(course);
    if let Some(renderer) = supports {
        return Ok(chapters.supports_renderer(renderer).unwrap_or(false));
    }
    let (context, book) = mdbook_preprocessor::parse_input(std::io::stdin())
        .map_err(|error| anyhow::anyhow!("{error:#}"))?;
    let book = chapters
        .run(&context, book)
        .map_err(|error| anyhow::anyhow!("{error:#}"))?;
    serde_json::to_writer(std::io::stdout(), &book)?;
    Ok(true)
}

/// `text` as a cell of a Markdown table: a `|` would end the cell, a line break the row.
fn table_cell(text: &str) -> String {
    safe::markdown(text).replace('|', "\\|").replace('\n', " ")
}
