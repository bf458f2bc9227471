//! Where probes run. It is apart from [`super::probe`] because every kind of probe reads it,
//! and the probe that dispatches to them should not be what they import.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

use crate::target::Target;

/// Where probes run: the learner's working directory and home, against which lesson paths
/// are resolved, and the cloud AWS probes look at.
#[derive(Debug, Clone)]
pub struct Context {
    pub cwd: PathBuf,
    /// The learner's own computer, whose folder `cwd` is on this machine.
    pub files: crate::workstation::Workstation,
    pub home: Option<PathBuf>,
    pub target: Option<Target>,
    /// What `{name}`s in expected values stand for.
    pub bindings: super::Bindings,
    /// The names of `bindings` read from a file's contents, which no address may name.
    pub local: BTreeSet<String>,
    /// What the lessons declare they reach beyond the course folder and the cloud.
    pub reach: super::Reach,
    /// How long a probe that waits on the network may wait, when shorter than its own
    /// patience: a check run unasked (watch mode) must not hold the prompt. A probe that runs
    /// out of it has not seen the answer yet ([`super::ProbeError::NotYet`]).
    pub patience: Option<Duration>,
}

impl Context {
    pub fn new(cwd: PathBuf) -> Context {
        Context {
            files: crate::workstation::Workstation::host(cwd.clone()),
            cwd,
            home: directories::BaseDirs::new().map(|dirs| dirs.home_dir().to_path_buf()),
            target: None,
            bindings: super::Bindings::new(),
            local: BTreeSet::new(),
            reach: super::Reach::default(),
            patience: None,
        }
    }

    pub fn with_target(mut self, target: Target) -> Context {
        self.target = Some(target);
        self
    }

    /// The same context with probes limited to `patience`.
    pub fn with_patience(mut self, patience: Duration) -> Context {
        self.patience = Some(patience);
        self
    }

    /// How long a probe whose own patience is `own` may wait here.
    pub fn patience(&self, own: Duration) -> Duration {
        self.patience.map_or(own, |limit| limit.min(own))
    }

    /// The path a lesson's path means, relative to the working directory (the course
    /// folder), if the lesson may look there ([`super::reach::file`]).
    pub fn resolve(&self, path: &str) -> Result<PathBuf, super::ProbeError> {
        super::reach::file(path, &self.cwd, self.home.as_deref(), &self.reach)
    }

    /// Remembers a value a step bound, as a name later texts and checks may use.
    pub fn keep(&mut self, name: &str, bound: super::Bound) {
        if bound.local {
            self.local.insert(name.to_string());
        } else {
            self.local.remove(name);
        }
        self.bindings.insert(name.to_string(), bound.value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_the_course_folders_and_tilde_means_home_when_declared() {
        let mut context = Context::new(PathBuf::from("/work"));
        context.home = Some(PathBuf::from("/home/learner"));
        assert_eq!(
            context.resolve("key.pem").expect("inside"),
            PathBuf::from("/work/key.pem")
        );
        assert!(context.resolve("~/key.pem").is_err());
        context.reach.files.push("~/key.pem".into());
        assert_eq!(
            context.resolve("~/key.pem").expect("declared"),
            PathBuf::from("/home/learner/key.pem")
        );
    }
}
