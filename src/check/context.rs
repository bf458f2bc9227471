//! Where probes run. It is apart from [`super::probe`] because every kind of probe reads it,
//! and the probe that dispatches to them should not be what they import.

use std::path::PathBuf;

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
}

impl Context {
    pub fn new(cwd: PathBuf) -> Context {
        Context {
            cwd,
            home: directories::BaseDirs::new().map(|dirs| dirs.home_dir().to_path_buf()),
            target: None,
            bindings: super::Bindings::new(),
        }
    }

    pub fn with_target(mut self, target: Target) -> Context {
        self.target = Some(target);
        self
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
        };
        assert_eq!(
            context.resolve("~/key.pem"),
            PathBuf::from("/home/learner/key.pem")
        );
        assert_eq!(context.resolve("key.pem"), PathBuf::from("/work/key.pem"));
    }
}
