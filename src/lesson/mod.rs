//! Lessons: the course's content and everything about reading it.
//!
//! [`format`](mod@format) is what authors write; [`load`] turns a file into the typed [`Lesson`] or into
//! located diagnostics; [`Course`] is a set of lessons with the rules across them. Lint is
//! nothing more than loading a course and printing every diagnostic.
//!
//! A lesson holds its checks, so this module builds on [`crate::check`] and never the other
//! way round: what both need, the bilingual [`Text`] and the facts texts name
//! ([`crate::facts`]), lives below both. [`Text`] is re-exported here because every part of a
//! lesson is written in it.

mod answer;
mod bounds;
mod course;
mod diagnostic;
mod embedded;
pub mod format;
pub mod glossary;
mod load;
mod model;
pub mod overview;
mod source;

pub use crate::text::Text;
pub use crate::workstation::Platform;
pub use answer::{Answer, Grade};
pub use course::Course;
pub use diagnostic::{Diagnostic, Severity};
pub use glossary::Glossary;
pub use load::{Loaded, load};
pub use model::{Lesson, Mistake, OnAws, OnWindows, Step, StepKind, Task};
pub use overview::Overview;
pub use source::Source;
