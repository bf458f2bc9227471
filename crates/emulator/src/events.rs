//! What happened on the account's instances: SSH logins and the command lines run in them.
//! AWS keeps no such record, but a teaching cloud needs one: a lesson checks that the learner
//! really logged in and ran `free -h`, which no API call can tell.
//!
//! The log is bounded (the newest [`KEPT`] events) and saved with the account.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Events kept per account; older ones are forgotten first.
pub const KEPT: usize = 500;
/// Longest command line kept, in characters.
const LINE_LIMIT: usize = 1024;

/// One thing that happened on an instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    #[serde(with = "time::serde::rfc3339")]
    pub time: OffsetDateTime,
    pub region: String,
    pub instance: String,
    /// Who: the login user, or whom `sudo -i` made them.
    pub user: String,
    pub what: What,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum What {
    /// An SSH login, from the address the connection came from.
    Login { source: String },
    /// A command line, as typed, and the status it left in `$?`.
    Command { line: String, status: i32 },
}

/// An account's events, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Events(VecDeque<Event>);

impl Events {
    pub fn record(&mut self, mut event: Event) {
        if let What::Command { line, .. } = &mut event.what
            && let Some((cut, _)) = line.char_indices().nth(LINE_LIMIT)
        {
            line.truncate(cut);
        }
        if self.0.len() == KEPT {
            self.0.pop_front();
        }
        self.0.push_back(event);
    }

    pub fn iter(&self) -> impl Iterator<Item = &Event> {
        self.0.iter()
    }

    /// The events as the emulator's `events` route answers: field names in the style of the
    /// AWS APIs, so a lesson queries `Events[?Type=='command'].Command` as it queries them.
    pub fn to_json(&self) -> Value {
        let events: Vec<Value> = self
            .0
            .iter()
            .map(|event| {
                let mut fields = json!({
                    "Time": event.time.format(&Rfc3339).unwrap_or_default(),
                    "Region": event.region,
                    "InstanceId": event.instance,
                    "User": event.user,
                });
                match &event.what {
                    What::Login { source } => {
                        fields["Type"] = "login".into();
                        fields["Source"] = source.clone().into();
                    }
                    What::Command { line, status } => {
                        fields["Type"] = "command".into();
                        fields["Command"] = line.clone().into();
                        fields["ExitStatus"] = (*status).into();
                    }
                }
                fields
            })
            .collect();
        json!({ "Events": events })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn command(line: &str) -> Event {
        Event {
            time: OffsetDateTime::UNIX_EPOCH,
            region: "ap-northeast-2".into(),
            instance: "i-1".into(),
            user: "ubuntu".into(),
            what: What::Command {
                line: line.into(),
                status: 0,
            },
        }
    }

    #[test]
    fn the_oldest_go_first_and_long_lines_are_cut() {
        let mut events = Events::default();
        for n in 0..KEPT + 3 {
            events.record(command(&n.to_string()));
        }
        let first = events.to_json()["Events"][0]["Command"].clone();
        assert_eq!(first, "3");
        assert_eq!(events.iter().count(), KEPT);
        events.record(command(&"é".repeat(5000)));
        let last = events.iter().last().expect("last");
        assert!(
            matches!(&last.what, What::Command { line, .. } if line.chars().count() == LINE_LIMIT)
        );
    }

    #[test]
    fn events_read_as_an_api_answers() {
        let mut events = Events::default();
        events.record(Event {
            what: What::Login {
                source: "203.0.113.9".into(),
            },
            ..command("")
        });
        events.record(command("free -h"));
        let json = events.to_json();
        assert_eq!(json["Events"][0]["Type"], "login");
        assert_eq!(json["Events"][0]["Source"], "203.0.113.9");
        assert_eq!(json["Events"][1]["Command"], "free -h");
        assert_eq!(json["Events"][1]["ExitStatus"], 0);
        let saved = serde_json::to_string(&events).expect("save");
        assert_eq!(
            serde_json::from_str::<Events>(&saved).expect("load"),
            events
        );
    }
}
