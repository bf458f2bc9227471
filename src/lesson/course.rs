//! A course: the set of lessons the shell offers, from the binary or an instructor's folder.
//!
//! Each file is read on its own, so one broken lesson never hides the others; then the rules
//! that span lessons are checked (unique ids, `requires` naming lessons that exist, no cycles).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::diagnostic::{Diagnostic, Severity};
use super::glossary::{self, Glossary};
use super::load::{Header, load};
use super::model::Lesson;
use super::source::Source;

/// The lessons that could be used, in course order, and every problem found on the way.
#[derive(Debug, Clone, Default)]
pub struct Course {
    pub lessons: Vec<Lesson>,
    pub diagnostics: Vec<Diagnostic>,
    /// The words the Korean texts use: the folder's `glossary.toml`, else the shipped one.
    pub glossary: Glossary,
    /// The files as read, for [`Course::with_word_check`].
    sources: Vec<Source>,
}

impl Course {
    /// The course built into the binary: always there, offline, and exactly as shipped.
    pub fn embedded() -> Course {
        Course::from_sources(super::embedded::sources())
    }

    /// Reads lesson files: each path is a `.toml` file or a folder whose `*.toml` files are
    /// all read (not recursively). A folder's `glossary.toml` is its glossary, not a lesson.
    pub fn from_paths(paths: &[PathBuf]) -> anyhow::Result<Course> {
        let mut sources = Vec::new();
        let mut own_glossary = None;
        let mut problems = Vec::new();
        for path in paths {
            for file in lesson_files(path)? {
                let name = file.display().to_string();
                let Some(text) = read_bounded(&file, &mut problems)? else {
                    continue;
                };
                if file.file_name().is_some_and(|name| name == glossary::FILE) {
                    own_glossary = Some((name, text));
                    continue;
                }
                sources.push(Source {
                    name,
                    text: Cow::Owned(text),
                });
            }
        }
        let Some((name, text)) = own_glossary else {
            return Ok(Course::with_glossary(
                sources,
                Glossary::embedded(),
                problems,
            ));
        };
        Ok(match Glossary::parse(&name, &text) {
            Ok(glossary) => Course::with_glossary(sources, glossary, problems),
            Err(more) => {
                problems.extend(more);
                Course::with_glossary(sources, Glossary::embedded(), problems)
            }
        })
    }

    /// Lessons checked against the shipped glossary.
    pub fn from_sources(sources: Vec<Source>) -> Course {
        Course::with_glossary(sources, Glossary::embedded(), Vec::new())
    }

    fn with_glossary(
        sources: Vec<Source>,
        glossary: Glossary,
        problems: Vec<Diagnostic>,
    ) -> Course {
        let mut course = Course {
            glossary,
            diagnostics: problems,
            ..Course::default()
        };
        let mut headers = Vec::new();
        for source in &sources {
            let loaded = load(&source.name, &source.text);
            course.diagnostics.extend(loaded.diagnostics);
            course.lessons.extend(loaded.lesson);
            headers.extend(loaded.header);
        }
        course.check_across(&headers);
        course.sources = sources;
        course.sort_diagnostics();
        course
            .lessons
            .sort_by(|a, b| (a.order, &a.id).cmp(&(b.order, &b.id)));
        course
    }

    /// The course with the glossary's warnings about its Korean words added, for `lesson lint`.
    /// Only warnings, and a third of the shell's start-up time: loading leaves them out.
    pub fn with_word_check(mut self) -> Course {
        for source in &self.sources {
            let words = self.glossary.check(&source.name, &source.text);
            self.diagnostics.extend(words);
        }
        self.sort_diagnostics();
        self
    }

    fn sort_diagnostics(&mut self) {
        self.diagnostics
            .sort_by(|a, b| (&a.file, a.line, a.col).cmp(&(&b.file, b.line, b.col)));
    }

    /// Problems that make something wrong, as opposed to incomplete.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
    }

    pub fn find(&self, id: &str) -> Option<&Lesson> {
        self.lessons.iter().find(|lesson| lesson.id == id)
    }

    pub fn position(&self, id: &str) -> Option<usize> {
        self.lessons.iter().position(|lesson| lesson.id == id)
    }

    /// The rules across lessons, over every file that could be read (a lesson with errors
    /// still claims its id), in file order.
    fn check_across(&mut self, headers: &[Header]) {
        let error = |header: &Header, (line, col): (usize, usize), message: String| Diagnostic {
            file: header.file.clone(),
            line,
            col,
            severity: Severity::Error,
            message,
        };
        // A second lesson with an id already taken is dropped: progress is keyed by id, and
        // two lessons sharing one would overwrite each other's.
        let mut owner: HashMap<&str, &str> = HashMap::new();
        let mut dropped = HashSet::new();
        let mut found = Vec::new();
        for header in headers {
            match owner.get(header.id.as_str()) {
                Some(first) => {
                    dropped.insert(header.file.as_str());
                    let message = format!(
                        "duplicate lesson id `{}`, already used by {first}",
                        header.id
                    );
                    found.push(error(header, header.id_at, message));
                }
                None => {
                    owner.insert(&header.id, &header.file);
                }
            }
        }
        let requires: HashMap<&str, &[String]> = headers
            .iter()
            .filter(|header| !dropped.contains(header.file.as_str()))
            .map(|header| (header.id.as_str(), header.requires.as_slice()))
            .collect();
        for header in headers {
            for (nth, required) in header.requires.iter().enumerate() {
                let at = header.requires_at.get(nth).copied().unwrap_or(header.id_at);
                if !owner.contains_key(required.as_str()) {
                    let message =
                        format!("`requires` names `{required}`, but no lesson has that id");
                    found.push(error(header, at, message));
                }
            }
            if !dropped.contains(header.file.as_str()) && in_cycle(&header.id, &requires) {
                let message = format!("`requires` of `{}` leads back to itself", header.id);
                found.push(error(header, header.id_at, message));
            }
        }
        self.diagnostics.extend(found);
        self.lessons
            .retain(|lesson| !dropped.contains(lesson.file.as_str()));
    }
}

/// Whether following `requires` from `start` comes back to it.
fn in_cycle(start: &str, requires: &HashMap<&str, &[String]>) -> bool {
    let mut seen = HashSet::new();
    let mut stack: Vec<&str> = requires
        .get(start)
        .map_or_else(Vec::new, |r| r.iter().map(String::as_str).collect());
    while let Some(id) = stack.pop() {
        if id == start {
            return true;
        }
        if seen.insert(id) {
            stack.extend(
                requires
                    .get(id)
                    .into_iter()
                    .flat_map(|r| r.iter().map(String::as_str)),
            );
        }
    }
    false
}

fn lesson_files(path: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let meta = std::fs::metadata(path)
        .with_context(|| format!("cannot read lessons from {}", path.display()))?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(path)
        .with_context(|| format!("cannot list lessons in {}", path.display()))?
    {
        let file = entry
            .with_context(|| format!("cannot list lessons in {}", path.display()))?
            .path();
        if file.extension().is_some_and(|ext| ext == "toml") && file.is_file() {
            files.push(file);
        }
    }
    files.sort();
    Ok(files)
}

/// A lesson or glossary file's text, read no further than a lesson file may go: a file over
/// the limit, or not UTF-8, is a problem at its first line (in `problems`), not read whole.
fn read_bounded(file: &Path, problems: &mut Vec<Diagnostic>) -> anyhow::Result<Option<String>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(file)
        .and_then(|opened| {
            opened
                .take(super::bounds::MAX_FILE_BYTES + 1)
                .read_to_end(&mut bytes)
        })
        .with_context(|| format!("cannot read lesson file {}", file.display()))?;
    let problem = |message: String| Diagnostic {
        file: file.display().to_string(),
        line: 1,
        col: 1,
        severity: Severity::Error,
        message,
    };
    if let Some(message) = super::bounds::file_too_large(bytes.len() as u64) {
        problems.push(problem(message));
        return Ok(None);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Some(text)),
        Err(error) => {
            problems.push(problem(format!(
                "the file is not UTF-8 text (byte {} is not)",
                error.utf8_error().valid_up_to()
            )));
            Ok(None)
        }
    }
}
