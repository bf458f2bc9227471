//! Deciding whether a task step is done.
//!
//! A check never looks at what the learner typed, only at the world: a [`Probe`] observes
//! something and renders it as JSON, a [`Query`] (JMESPath, the aws CLI's `--query` language)
//! picks a value out of it, and an [`Expect`] compares that value. Any tool the learner uses
//! to do the step therefore passes the same check, and a step cannot be passed by typing the
//! right words.

pub mod aws;
mod emulator;
mod expect;
mod http;
mod probe;
mod query;

pub use aws::AwsProbe;
pub use emulator::Route;
pub use expect::Expect;
pub use probe::{Context, Probe, ProbeError};
pub use query::Query;

use std::collections::BTreeMap;

use serde_json::Value;

use crate::lesson::Text;

/// Values a lesson may name in braces, `{myip}`, in its texts, solutions and expected values:
/// what only the learner's own cloud knows.
pub type Bindings = BTreeMap<String, String>;

/// `text` with every `{name}` of a known binding replaced by its value; unknown names stay.
pub fn fill(text: &str, bindings: &Bindings) -> String {
    if !text.contains('{') {
        return text.to_string();
    }
    bindings
        .iter()
        .fold(text.to_string(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

/// One labelled condition of a task step.
#[derive(Debug, Clone)]
pub struct Check {
    /// The condition as the learner reads it in the checklist.
    pub label: Text,
    /// Why it does not hold, shown when it fails.
    pub reason: Text,
    pub probe: Probe,
    pub query: Option<Query>,
    pub expect: Expect,
    /// Why the condition may already hold before the learner did the step (it guards
    /// against a wrong way of doing it, and other checks of the step fail before); `lesson
    /// test` then does not require it to fail first.
    pub holds_before: Option<Text>,
}

/// A value a passed step remembers for later steps.
#[derive(Debug, Clone)]
pub struct Bind {
    pub name: String,
    pub probe: Probe,
    pub query: Query,
}

impl Bind {
    /// The value now, as text (`i-0abc…`, `3`), or `None` if there is none to take.
    pub fn value(&self, context: &Context) -> Option<String> {
        let observed = self.probe.observe(context).ok()?;
        match self.query.search(&observed).ok()? {
            Value::Null => None,
            Value::String(text) => Some(text),
            other => Some(other.to_string()),
        }
    }
}

/// What became of one check.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The condition holds.
    Passed,
    /// The condition does not hold; `actual` is the value the query selected.
    Failed { actual: Value },
    /// The probe could not look (the target is unreachable, a file cannot be read): the
    /// learner's work may be fine, so this is reported apart from a failure.
    Unavailable { error: String },
}

impl Outcome {
    pub fn passed(&self) -> bool {
        matches!(self, Outcome::Passed)
    }
}

impl Check {
    /// Probes, queries and compares.
    pub fn run(&self, context: &Context) -> Outcome {
        let observed = match self.probe.observe(context) {
            Ok(observed) => observed,
            Err(error) => {
                return Outcome::Unavailable {
                    error: error.to_string(),
                };
            }
        };
        let actual = match &self.query {
            // A query that cannot apply (`length()` of what is not there) means the world is
            // not in the shape the step asks for: the condition does not hold.
            Some(query) => query.search(&observed).unwrap_or(Value::Null),
            None => observed,
        };
        let bound = self.expect.bound(&context.bindings);
        if bound.as_ref().unwrap_or(&self.expect).holds(&actual) {
            Outcome::Passed
        } else {
            Outcome::Failed { actual }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::format::ExpectOp;

    fn text(en: &str) -> Text {
        Text {
            en: en.into(),
            ko: None,
        }
    }

    fn mode_check(path: &str, mode: &str) -> Check {
        Check {
            label: text("private"),
            reason: text("chmod it"),
            probe: Probe::File(path.into()),
            query: Some(Query::compile("mode").expect("query")),
            expect: Expect::new(ExpectOp::Eq, Some(Value::from(mode))).expect("expect"),
            holds_before: None,
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_mode_check_fails_until_the_file_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let context = Context::new(dir.path().to_path_buf());
        let check = mode_check("key.pem", "0400");

        assert_eq!(
            check.run(&context),
            Outcome::Failed {
                actual: Value::Null
            }
        );
        let path = dir.path().join("key.pem");
        std::fs::write(&path, "secret").expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        assert_eq!(
            check.run(&context),
            Outcome::Failed {
                actual: Value::from("0644")
            }
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).expect("chmod");
        assert_eq!(check.run(&context), Outcome::Passed);
    }
}
