//! The learner's progress: where they are and what they have done.
//!
//! Progress is keyed by the stable ids of lessons and steps, never by position, so an edited
//! lesson (a step inserted, steps reordered) keeps what the learner did. Whether a lesson is
//! complete is derived from its steps, not stored. The file is versioned and replaced
//! atomically after every change; a file that cannot be read is moved aside, never lost and
//! never a crash.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::{Deserialize, Serialize};

use crate::lang::Lang;
use crate::lesson::Lesson;

/// The version of the progress file this cloudlings writes.
pub const VERSION: u32 = 1;

const FILE_NAME: &str = "progress.json";

/// Everything saved about one learner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub version: u32,
    /// The language chosen with the shell's `lang` command, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<Lang>,
    /// Whether watch mode is on, as the shell's `watch on|off` last set it; unset is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub watch: Option<bool>,
    /// Where the learner was, to resume there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<Position>,
    /// Per lesson id, per step id.
    #[serde(default)]
    pub lessons: BTreeMap<String, BTreeMap<String, StepProgress>>,
    /// Values passed steps remembered for later ones (`instance_id` → `i-0abc…`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub bindings: BTreeMap<String, String>,
    /// The learner's answer about what a lesson file declares it reaches, by the file's
    /// SHA-256: a changed file is asked about again.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub reach: BTreeMap<String, bool>,
}

impl Default for Progress {
    fn default() -> Progress {
        Progress {
            version: VERSION,
            lang: None,
            watch: None,
            current: None,
            lessons: BTreeMap::new(),
            bindings: BTreeMap::new(),
            reach: BTreeMap::new(),
        }
    }
}

/// A place in the course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    pub lesson: String,
    pub step: String,
}

/// What the learner did at one step.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StepProgress {
    pub passed: bool,
    /// How many hints have been revealed.
    pub hints: usize,
    /// Failed checks and wrong answers.
    pub failures: u32,
    pub solution_shown: bool,
}

impl Progress {
    pub fn step(&self, lesson: &str, step: &str) -> StepProgress {
        self.lessons
            .get(lesson)
            .and_then(|steps| steps.get(step))
            .copied()
            .unwrap_or_default()
    }

    pub fn step_mut(&mut self, lesson: &str, step: &str) -> &mut StepProgress {
        self.lessons
            .entry(lesson.to_string())
            .or_default()
            .entry(step.to_string())
            .or_default()
    }

    /// How many of the lesson's current steps are passed (steps since removed don't count).
    pub fn passed(&self, lesson: &Lesson) -> usize {
        lesson
            .steps
            .iter()
            .filter(|step| self.step(&lesson.id, &step.id).passed)
            .count()
    }

    pub fn is_complete(&self, lesson: &Lesson) -> bool {
        self.passed(lesson) == lesson.steps.len()
    }

    /// The first step not yet passed, or the first step of a finished lesson.
    pub fn resume_index(&self, lesson: &Lesson) -> usize {
        lesson
            .steps
            .iter()
            .position(|step| !self.step(&lesson.id, &step.id).passed)
            .unwrap_or(0)
    }

    pub fn reset_step(&mut self, lesson: &str, step: &str) {
        if let Some(steps) = self.lessons.get_mut(lesson) {
            steps.remove(step);
        }
    }

    pub fn reset_lesson(&mut self, lesson: &str) {
        self.lessons.remove(lesson);
    }

    /// Whether the shell notices a finished task without `check`.
    pub fn watching(&self) -> bool {
        self.watch.unwrap_or(true)
    }

    /// Forgets everything but the chosen language and watch mode: settings, not progress.
    pub fn reset_all(&mut self) {
        *self = Progress {
            lang: self.lang,
            watch: self.watch,
            ..Progress::default()
        };
    }
}

/// Why a progress file was set aside, and where it went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recovery {
    pub reason: String,
    pub moved_to: PathBuf,
}

/// Progress bound to its file.
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    pub progress: Progress,
}

impl Store {
    /// Opens the progress in `dir`. A missing file is a fresh start; an unreadable one
    /// (corrupt, or from a newer cloudlings) is moved aside and reported in the `Recovery`.
    pub fn open(dir: &Path) -> anyhow::Result<(Store, Option<Recovery>)> {
        let path = dir.join(FILE_NAME);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok((Store::fresh(path), None));
            }
            Err(error) => {
                return Err(error).with_context(|| format!("cannot read {}", path.display()));
            }
        };
        match parse(&bytes) {
            Ok(progress) => Ok((Store { path, progress }, None)),
            Err(reason) => {
                let moved_to = cloudlings_core::atomic::set_aside(&path)?;
                Ok((Store::fresh(path), Some(Recovery { reason, moved_to })))
            }
        }
    }

    fn fresh(path: PathBuf) -> Store {
        Store {
            path,
            progress: Progress::default(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes the progress atomically.
    pub fn save(&self) -> anyhow::Result<()> {
        let mut json = serde_json::to_vec_pretty(&self.progress)?;
        json.push(b'\n');
        cloudlings_core::atomic::write(&self.path, &json)
    }
}

fn parse(bytes: &[u8]) -> Result<Progress, String> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|error| format!("it is not valid JSON ({error})"))?;
    match value.get("version").and_then(serde_json::Value::as_u64) {
        Some(version) if version > u64::from(VERSION) => {
            return Err(format!(
                "it was written by a newer cloudlings (progress version {version}; this one reads {VERSION})"
            ));
        }
        Some(_) => {}
        None => return Err("it has no progress version".to_string()),
    }
    serde_json::from_value(value).map_err(|error| format!("it is not a progress file ({error})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (mut store, recovery) = Store::open(dir.path()).expect("open");
        assert!(recovery.is_none());
        store.progress.lang = Some(Lang::Ko);
        store.progress.step_mut("cloud", "intro").passed = true;
        store.progress.current = Some(Position {
            lesson: "cloud".into(),
            step: "quiz".into(),
        });
        store.save().expect("save");
        let (again, _) = Store::open(dir.path()).expect("reopen");
        assert_eq!(again.progress, store.progress);
    }

    #[test]
    fn a_corrupt_file_is_moved_aside_and_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, "{ not json").expect("write");
        let (store, recovery) = Store::open(dir.path()).expect("open");
        let recovery = recovery.expect("recovered");
        assert_eq!(store.progress, Progress::default());
        assert!(
            recovery.reason.contains("not valid JSON"),
            "{}",
            recovery.reason
        );
        assert_eq!(
            std::fs::read_to_string(&recovery.moved_to).expect("kept"),
            "{ not json"
        );
        assert!(!path.exists());

        std::fs::write(&path, "[]").expect("write again");
        let (_, second) = Store::open(dir.path()).expect("open again");
        let second = second.expect("recovered again");
        assert_ne!(
            second.moved_to, recovery.moved_to,
            "the first copy is not overwritten"
        );
    }

    #[test]
    fn a_newer_version_is_set_aside_not_misread() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join(FILE_NAME),
            r#"{"version": 7, "lessons": {}}"#,
        )
        .expect("write");
        let (_, recovery) = Store::open(dir.path()).expect("open");
        assert!(
            recovery
                .expect("recovered")
                .reason
                .contains("newer cloudlings")
        );
    }

    #[test]
    fn reset_all_keeps_the_settings() {
        let mut progress = Progress {
            lang: Some(Lang::Ko),
            watch: Some(false),
            ..Progress::default()
        };
        progress.step_mut("a", "b").hints = 2;
        progress.reset_all();
        assert_eq!(progress.lang, Some(Lang::Ko));
        assert!(!progress.watching());
        assert!(progress.lessons.is_empty());
    }

    #[test]
    fn watch_mode_is_on_unless_turned_off_and_old_files_still_load() {
        let dir = tempfile::tempdir().expect("tempdir");
        // A file from before watch mode: no `watch` field.
        std::fs::write(
            dir.path().join(FILE_NAME),
            r#"{"version": 1, "lang": "ko", "lessons": {"a": {"b": {"passed": true}}}}"#,
        )
        .expect("write");
        let (mut store, recovery) = Store::open(dir.path()).expect("open");
        assert!(recovery.is_none(), "an old file loads");
        assert!(store.progress.watching(), "on by default");
        assert!(store.progress.step("a", "b").passed);

        store.progress.watch = Some(false);
        store.save().expect("save");
        let (again, _) = Store::open(dir.path()).expect("reopen");
        assert!(!again.progress.watching(), "off survives a restart");
    }
}
