//! What the instructor's page shows: every learner's last [`Report`], by learner, and a
//! signal that something changed, which the page's event stream waits on. Reports come from
//! the shells the server runs for browsers and from `cloudlings join` shells, which post them;
//! each is kept in the roster's database before it shows, so a restart shows the same table.

use std::collections::BTreeMap;
use std::sync::Mutex;

use serde_json::{Value, json};
use tokio::sync::watch;

use super::roster::Learner;
use crate::lesson::Course;
use crate::shell::Report;

/// The learners' reports, and who watches for changes.
#[derive(Debug)]
pub struct Dashboard {
    reports: Mutex<BTreeMap<i64, Report>>,
    changed: watch::Sender<u64>,
}

/// A learner as the table shows them.
#[derive(Debug, Clone, Copy)]
pub struct Presence {
    /// A page of theirs is open on the server's shell now.
    pub online: bool,
    /// Their shell runs on the server (a browser's), not on their own machine.
    pub in_browser: bool,
}

impl Dashboard {
    /// The table as the roster kept it.
    pub fn new(kept: impl IntoIterator<Item = (i64, Report)>) -> Dashboard {
        Dashboard {
            reports: Mutex::new(kept.into_iter().collect()),
            changed: watch::channel(0).0,
        }
    }

    /// Takes a learner's new report; whether it changed the table.
    pub fn update(&self, learner: i64, report: Report) -> bool {
        let mut reports = self
            .reports
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if reports.get(&learner) == Some(&report) {
            return false;
        }
        reports.insert(learner, report);
        drop(reports);
        self.touch();
        true
    }

    /// Tells the pages watching that the table changed (a join, a page opened or closed).
    pub fn touch(&self) {
        self.changed.send_modify(|version| *version += 1);
    }

    /// Wakes when the table changes.
    pub fn changes(&self) -> watch::Receiver<u64> {
        self.changed.subscribe()
    }

    /// The table: the course's lessons, and each learner with their report.
    pub fn table(
        &self,
        course: &Course,
        learners: &[Learner],
        presence: impl Fn(i64) -> Presence,
    ) -> Value {
        let reports = self
            .reports
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let lessons: Vec<Value> = course
            .lessons
            .iter()
            .map(|lesson| {
                json!({
                    "id": lesson.id,
                    "title": { "en": lesson.title.en, "ko": lesson.title.ko },
                    "steps": lesson.steps.len(),
                })
            })
            .collect();
        let learners: Vec<Value> = learners
            .iter()
            .map(|learner| {
                let presence = presence(learner.id);
                json!({
                    "id": learner.id,
                    "name": learner.name,
                    "lang": learner.lang,
                    "account": learner.account,
                    "online": presence.online,
                    "browser": presence.in_browser,
                    "report": reports.get(&learner.id),
                })
            })
            .collect();
        json!({
            "now": time::OffsetDateTime::now_utc().unix_timestamp(),
            "lessons": lessons,
            "learners": learners,
        })
    }

    /// The class's progress as CSV: a row per learner, a column per lesson (steps passed).
    pub fn csv(&self, course: &Course, learners: &[Learner]) -> String {
        let reports = self
            .reports
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut header = vec![
            "learner",
            "name",
            "account",
            "lesson",
            "step",
            "hints",
            "solutions",
        ]
        .into_iter()
        .map(str::to_string)
        .collect::<Vec<_>>();
        header.extend(course.lessons.iter().map(|lesson| lesson.id.clone()));
        let mut out = csv_row(&header);
        for learner in learners {
            let report = reports.get(&learner.id).cloned().unwrap_or_default();
            let mut row = vec![
                learner.id.to_string(),
                learner.name.clone(),
                learner.account.clone(),
                report.lesson.clone().unwrap_or_default(),
                report.step.clone().unwrap_or_default(),
                report.hints.to_string(),
                report.solutions.to_string(),
            ];
            row.extend(course.lessons.iter().map(|lesson| {
                let passed = report.passed.get(&lesson.id).copied().unwrap_or_default();
                format!("{passed}/{}", lesson.steps.len())
            }));
            out.push_str(&csv_row(&row));
        }
        out
    }
}

/// One CSV line (RFC 4180). A field a spreadsheet would read as a formula is quoted with a
/// leading `'`: a learner's name is not a command to the instructor's spreadsheet.
fn csv_row(fields: &[String]) -> String {
    let quoted: Vec<String> = fields
        .iter()
        .map(|field| {
            let field = if field.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                format!("'{field}")
            } else {
                field.clone()
            };
            if field.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", field.replace('"', "\"\""))
            } else {
                field
            }
        })
        .collect();
    format!("{}\r\n", quoted.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_never_formulas() {
        let row = csv_row(&[
            "김지민".to_string(),
            "a,b".to_string(),
            "say \"hi\"".to_string(),
            "=HYPERLINK(\"x\")".to_string(),
        ]);
        assert_eq!(
            row,
            "김지민,\"a,b\",\"say \"\"hi\"\"\",\"'=HYPERLINK(\"\"x\"\")\"\r\n"
        );
    }

    #[test]
    fn only_a_changed_report_wakes_the_pages() {
        let dashboard = Dashboard::new([]);
        let mut changes = dashboard.changes();
        let report = Report {
            lesson: Some("what-is-the-cloud".to_string()),
            ..Report::default()
        };
        assert!(dashboard.update(1, report.clone()));
        assert!(changes.has_changed().expect("open"));
        changes.borrow_and_update();
        assert!(!dashboard.update(1, report));
        assert!(!changes.has_changed().expect("open"));
    }
}
