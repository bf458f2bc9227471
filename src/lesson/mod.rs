//! Lessons: the course's content and everything about reading it.
//!
//! [`format`](mod@format) is what authors write; [`load`] turns a file into the typed [`Lesson`] or into
//! located diagnostics; [`Course`] is a set of lessons with the rules across them. Lint is
//! nothing more than loading a course and printing every diagnostic.

mod answer;
mod course;
mod diagnostic;
mod embedded;
pub mod facts;
pub mod format;
mod load;
mod model;
mod text;

pub use answer::{Answer, Grade};
pub use course::{Course, Source};
pub use diagnostic::{Diagnostic, Severity};
pub use load::{Loaded, load};
pub use model::{Lesson, OnAws, Step, StepKind, Task};
pub use text::Text;
