//! A lesson file as the course reads it: a name for diagnostics and the text.
//!
//! It has a file of its own because sources come from two places, the lessons built into the
//! binary and the files of an instructor's folder, and the course reads both alike: the place
//! that builds in the lessons then needs nothing of the course.

use std::borrow::Cow;

/// A lesson file's name and text.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub text: Cow<'static, str>,
}
