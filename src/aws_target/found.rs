//! A resource a session left on the account.
//!
//! `cleanup` finds and deletes them and the messages list what `quit` would leave behind;
//! the type has a file of its own so that the messages need nothing of the cleanup.

use cloudlings_core::operation::Resource;

/// A resource to delete.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub kind: Resource,
    pub id: String,
    pub region: String,
    /// What the learner knows it by, when that is not its id (a group's or an instance's name).
    pub label: Option<String>,
    /// What it costs per hour while it runs, when known.
    pub hourly: Option<f64>,
    /// An instance that is stopped costs nothing per hour (its disk aside).
    pub running: bool,
}

impl Found {
    /// `instance i-0abc (t2.micro)`.
    pub fn describe(&self) -> String {
        match &self.label {
            Some(label) => format!("{} {} ({label})", self.kind.noun(), self.id),
            None => format!("{} {}", self.kind.noun(), self.id),
        }
    }
}
