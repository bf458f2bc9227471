//! Where probes run. It is apart from [`super::probe`] because every kind of probe reads it,
//! and the probe that dispatches to them should not be what they import.

use std::path::PathBuf;
use std::time::Duration;

use crate::target::Target;

/// Where probes run: the learner's working directory and home, against which lesson paths
/// are resolved, and the cloud AWS probes look at.
#[derive(Debug, Clone)]
pub struct Context {
    pub cwd: PathBuf,
    pub home: Option<PathBuf>,
    pub target: Option<Target>,
    /// What `{name}`s in expected values stand for.
    pub bindings: super::Bindings,
    /// How long a probe that waits on the network may wait, when shorter than its own
    /// patience: a check run unasked (watch mode) must not hold the prompt. A probe that runs
    /// out of it has not seen the answer yet ([`super::ProbeError::NotYet`]).
    pub patience: Option<Duration>,
}

impl Context {
    pub fn new(cwd: PathBuf) -> Context {
        Context {
            cwd,
            home: directories::BaseDirs::new().map(|dirs| dirs.home_dir().to_path_buf()),
            target: None,
            bindings: super::Bindings::new(),
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

    /// Resolves a path as a lesson writes it: relative to the working directory, `~/` to home.
    pub fn resolve(&self, path: &str) -> PathBuf {
        match (path.strip_prefix("~/"), &self.home) {
            (Some(rest), Some(home)) => home.join(rest),
            _ => self.cwd.join(path),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tilde_means_home() {
        let context = Context {
            cwd: PathBuf::from("/work"),
            home: Some(PathBuf::from("/home/learner")),
            target: None,
            bindings: Default::default(),
            patience: None,
        };
        assert_eq!(
            context.resolve("~/key.pem"),
            PathBuf::from("/home/learner/key.pem")
        );
        assert_eq!(context.resolve("key.pem"), PathBuf::from("/work/key.pem"));
    }
}
