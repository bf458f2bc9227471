//! The lessons of `lessons/`, compiled into the binary by `build.rs`.

use std::borrow::Cow;

use super::source::Source;

include!(concat!(env!("OUT_DIR"), "/lessons.rs"));

/// The shipped lesson files, named as they are in the repository.
pub fn sources() -> Vec<Source> {
    LESSONS
        .iter()
        .map(|(name, text)| Source {
            name: (*name).to_string(),
            text: Cow::Borrowed(text),
        })
        .collect()
}
