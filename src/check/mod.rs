//! Deciding whether a task step is done.
//!
//! A check never looks at what the learner typed, only at the world: a [`Probe`] observes
//! something and renders it as JSON, a [`Query`] (JMESPath, the aws CLI's `--query` language)
//! picks a value out of it, and an [`Expect`] compares that value. Any tool the learner uses
//! to do the step therefore passes the same check, and a step cannot be passed by typing the
//! right words.

pub mod aws;
mod context;
mod emulator;
mod expect;
mod http;
pub mod page;
mod probe;
mod probe_error;
pub mod reach;

pub use aws::AwsProbe;
pub use context::Context;
pub use emulator::Route;
pub use expect::{Expect, ExpectOp};
pub use probe::Probe;
pub use probe_error::ProbeError;
pub use reach::{Bound, Reach};

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::Value;

use crate::aws_cli::Query;
use crate::lang::particle;
use crate::text::Text;

/// Values a lesson may name in braces, `{myip}`, in its texts, solutions and expected values:
/// what only the learner's own cloud knows.
pub type Bindings = BTreeMap<String, String>;

/// `text` with every `{name}` replaced: a binding's value, else a fact's
/// ([`crate::facts`]: prices and the free tier). Unknown names stay as written. A Korean
/// particle right after a name takes the form that agrees with its value ([`particle`]).
pub fn fill(text: &str, bindings: &Bindings) -> String {
    fill_with(text, |name| {
        bindings.get(name).cloned().or_else(|| fact(name, bindings))
    })
}

/// A fact whose arguments may be bindings: `{price:free_type}` is the price of the type the
/// account's plan makes free, whichever it is.
fn fact(name: &str, bindings: &Bindings) -> Option<String> {
    let (kind, arguments) = match name.split_once(':') {
        Some((kind, arguments)) => (kind, arguments),
        None => return crate::facts::value(name),
    };
    // An argument that names a binding or a fact of its own (`free_type`) stands for its value.
    let arguments: Vec<String> = arguments
        .split(':')
        .map(|part| {
            bindings
                .get(part)
                .cloned()
                .or_else(|| crate::facts::value(part))
                .unwrap_or_else(|| part.to_string())
        })
        .collect();
    crate::facts::value(&format!("{kind}:{}", arguments.join(":")))
}

/// A solution line filled as [`fill`] fills text, and also with the MFA codes it names from a
/// seed file on the learner's computer (`{totp_now:mfa-seed.txt}`), read when the line is
/// about to run.
pub fn fill_command(
    line: &str,
    bindings: &Bindings,
    files: &crate::workstation::Workstation,
) -> String {
    fill_with(line, |name| {
        bindings
            .get(name)
            .cloned()
            .or_else(|| fact(name, bindings))
            .or_else(|| crate::facts::code(name, files))
    })
}

/// Replaces each `{name}` that `value` knows, in one pass: a value is never read again for
/// names of its own.
fn fill_with(text: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut filled = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        filled.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let known = after
            .find(['}', '{'])
            .filter(|&close| after.as_bytes()[close] == b'}')
            .and_then(|close| Some((close, value(&after[..close])?)));
        match known {
            Some((close, found)) => {
                // A value comes from outside (an AWS answer, a file): a control character in
                // it is shown, not sent to the terminal.
                let found = crate::visible::visible(&found).into_owned();
                filled.push_str(&found);
                rest = &after[close + 1..];
                // A Korean particle after the value agrees with it: `{instance_id}가` reads
                // `i-0abc6이` or `i-0abc9가`, whatever the id turns out to be.
                if let Some((particle, agrees)) = particle::mismatch(&found, rest) {
                    filled.push_str(&rest[..particle.start]);
                    filled.push_str(agrees);
                    rest = &rest[particle.end..];
                }
            }
            None => {
                filled.push('{');
                rest = after;
            }
        }
    }
    filled.push_str(rest);
    filled
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
    /// Particular ways the condition can fail, each with its own reason, tried in order.
    pub cases: Vec<Case>,
}

/// A particular way a check can fail, with the reason that fits it.
#[derive(Debug, Clone)]
pub struct Case {
    /// What to look at; `None` is the check's own probe.
    pub probe: Option<Probe>,
    pub query: Option<Query>,
    pub expect: Expect,
    pub reason: Text,
}

/// A value a passed step remembers for later steps.
#[derive(Debug, Clone)]
pub struct Bind {
    pub name: String,
    pub probe: Probe,
    pub query: Query,
}

impl Bind {
    /// The value now, as text (`i-0abc…`, `3`), or `None` if there is none to take. A value
    /// that depends on a file's contents is [`Bound::local`], and bounded in size.
    pub fn value(&self, context: &Context) -> Option<Bound> {
        let observed = self.probe.observe(context).ok()?;
        let value = self.select(&observed, context)?;
        let local = matches!(self.probe, Probe::File(_)) && {
            // Whether the value changes when the contents are left out.
            let mut without = observed.clone();
            if let Some(fields) = without.as_object_mut() {
                fields.remove("text");
            }
            self.select(&without, context).as_ref() != Some(&value)
        };
        if local && value.len() > reach::MAX_BOUND_FROM_FILE {
            return None;
        }
        Some(Bound { value, local })
    }

    fn select(&self, observed: &Value, context: &Context) -> Option<String> {
        match self
            .query
            .search_filled(observed, |source| fill(source, &context.bindings))
            .ok()?
        {
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
    Unavailable { error: Text },
}

impl Outcome {
    pub fn passed(&self) -> bool {
        matches!(self, Outcome::Passed)
    }
}

impl Check {
    /// Whether the check can look on `target` at all: what only the emulator records cannot be
    /// asked of AWS, and hosts cannot be reached on an endpoint that stands in for AWS's API.
    pub fn looks_on(&self, target: Option<&crate::target::Target>) -> bool {
        let Some(aws) = target.and_then(crate::target::Target::aws) else {
            return true;
        };
        match self.probe {
            Probe::Emulator(_) => false,
            Probe::Http(_) | Probe::Image(_) => aws.endpoint_url.is_none(),
            Probe::File(_) | Probe::Aws(_) => true,
        }
    }

    /// Probes, queries and compares.
    pub fn run(&self, context: &Context) -> Outcome {
        compare(&self.probe, self.query.as_ref(), &self.expect, context)
    }

    /// Why the check fails, from what is there now: the reason of the first of its cases that
    /// holds, else its own. In a case's reason, `{found}` is the value its query selected (a
    /// list of names or ids joined with spaces), so the advice can name the very instance or
    /// user that is in the way. Asked once the check failed; a case that cannot look is
    /// passed over.
    pub fn reason_now(&self, context: &Context) -> Cow<'_, Text> {
        self.case_reason(context)
            .unwrap_or(Cow::Borrowed(&self.reason))
    }

    /// The reason of the first case that holds, if one does: the failure is one the lesson
    /// foresaw, whose way out differs from the usual path.
    pub fn case_reason(&self, context: &Context) -> Option<Cow<'_, Text>> {
        for case in &self.cases {
            let probe = case.probe.as_ref().unwrap_or(&self.probe);
            let Ok(actual) = select(probe, case.query.as_ref(), context) else {
                continue;
            };
            let bound = case.expect.bound(&context.bindings);
            if !bound.as_ref().unwrap_or(&case.expect).holds(&actual) {
                continue;
            }
            return Some(match found(&actual) {
                Some(found) => {
                    let found = crate::visible::visible(&found);
                    Cow::Owned(Text {
                        en: case.reason.en.replace("{found}", &found),
                        ko: case
                            .reason
                            .ko
                            .as_ref()
                            .map(|ko| ko.replace("{found}", &found)),
                    })
                }
                None => Cow::Borrowed(&case.reason),
            });
        }
        None
    }
}

/// A selected value as a reason names it: text as it is, numbers written out, a list of them
/// joined with spaces (as `--instance-ids` takes them).
fn found(actual: &Value) -> Option<String> {
    match actual {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(value) => Some(value.to_string()),
        Value::Array(items) if !items.is_empty() => items
            .iter()
            .map(|item| match item {
                Value::Array(_) | Value::Object(_) | Value::Null => None,
                other => found(other),
            })
            .collect::<Option<Vec<_>>>()
            .map(|items| items.join(" ")),
        _ => None,
    }
}

/// Observes `probe` and selects with `query`.
fn select(probe: &Probe, query: Option<&Query>, context: &Context) -> Result<Value, ProbeError> {
    let observed = probe.observe(context)?;
    Ok(match query {
        // A query that cannot apply (`length()` of what is not there) means the world is
        // not in the shape the step asks for: the condition does not hold.
        Some(query) => query
            .search_filled(&observed, |source| fill(source, &context.bindings))
            .unwrap_or(Value::Null),
        None => observed,
    })
}

/// Observes `probe`, selects with `query` and compares with `expect`.
fn compare(probe: &Probe, query: Option<&Query>, expect: &Expect, context: &Context) -> Outcome {
    let actual = match select(probe, query, context) {
        Ok(actual) => actual,
        Err(error) => {
            return Outcome::Unavailable {
                error: error.text(),
            };
        }
    };
    let bound = expect.bound(&context.bindings);
    if bound.as_ref().unwrap_or(expect).holds(&actual) {
        Outcome::Passed
    } else {
        Outcome::Failed { actual }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_with_control_characters_is_filled_in_visibly() {
        let mut bindings = Bindings::new();
        bindings.insert("name".into(), "web\u{1b}]0;owned\u{7}".into());
        assert_eq!(fill("group {name}", &bindings), "group web^[]0;owned^G");
    }

    #[test]
    fn a_query_names_bindings_in_its_strings() {
        let query = Query::compile("Rules[?CidrIp=='{myip}/32'].Port").expect("query");
        let data = serde_json::json!({"Rules": [
            {"CidrIp": "203.0.113.7/32", "Port": 22},
            {"CidrIp": "0.0.0.0/0", "Port": 80},
        ]});
        let mut bindings = Bindings::new();
        assert_eq!(
            query.search_filled(&data, |source| fill(source, &bindings)),
            Ok(serde_json::json!([]))
        );
        bindings.insert("myip".into(), "203.0.113.7".into());
        assert_eq!(
            query.search_filled(&data, |source| fill(source, &bindings)),
            Ok(serde_json::json!([22]))
        );
    }

    #[test]
    fn bindings_then_facts_fill_text_and_the_rest_stays() {
        let mut bindings = Bindings::new();
        bindings.insert("myip".into(), "203.0.113.7".into());
        bindings.insert("odd".into(), "{myip}".into());
        assert_eq!(
            fill(
                "ssh from {myip}/32 at USD {price:t2.micro} an hour",
                &bindings
            ),
            "ssh from 203.0.113.7/32 at USD 0.0144 an hour"
        );
        assert_eq!(
            fill("{unknown} {myip {odd} {{myip}} {", &bindings),
            "{unknown} {myip {myip} {203.0.113.7} {"
        );
        assert_eq!(fill("no braces", &bindings), "no braces");
        bindings.insert("free_type".into(), "t3.micro".into());
        assert_eq!(
            fill("{free_type} at USD {price:free_type}", &Bindings::new()),
            "t2.micro at USD 0.0144",
            "the lecture's type where the session has not said"
        );
        assert_eq!(
            fill("{free_type} at USD {price:free_type}", &bindings),
            format!(
                "t3.micro at USD {}",
                crate::facts::value("price:t3.micro").expect("fact")
            )
        );
    }

    #[test]
    fn a_korean_particle_after_a_name_agrees_with_its_value() {
        let mut bindings = Bindings::new();
        let text =
            "{id}가 실행 중입니다. `aws ec2 terminate-instances --instance-ids {id}`를 실행하세요.";
        bindings.insert("id".into(), "i-0abc6".into());
        assert_eq!(
            fill(text, &bindings),
            "i-0abc6이 실행 중입니다. `aws ec2 terminate-instances --instance-ids i-0abc6`을 실행하세요."
        );
        bindings.insert("id".into(), "i-0abc9".into());
        assert_eq!(
            fill(text, &bindings),
            "i-0abc9가 실행 중입니다. `aws ec2 terminate-instances --instance-ids i-0abc9`를 실행하세요."
        );
        assert_eq!(
            fill("{id}이고", &bindings),
            "i-0abc9이고",
            "the copula stays"
        );
    }

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
            cases: Vec::new(),
        }
    }

    #[test]
    fn a_mode_check_fails_until_the_file_is_private() {
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
        cloudlings_core::access::set_mode(&path, 0o644).expect("chmod");
        assert_eq!(
            check.run(&context),
            Outcome::Failed {
                actual: Value::from("0644")
            }
        );
        cloudlings_core::access::set_mode(&path, 0o400).expect("chmod");
        assert_eq!(check.run(&context), Outcome::Passed);
    }

    #[test]
    fn the_reason_shown_fits_what_is_there() {
        let dir = tempfile::tempdir().expect("tempdir");
        let context = Context::new(dir.path().to_path_buf());
        let case =
            |probe: Option<&str>, query: &str, op, value: Option<Value>, reason: &str| Case {
                probe: probe.map(|path| Probe::File(path.into())),
                query: Some(Query::compile(query).expect("query")),
                expect: Expect::new(op, value).expect("expect"),
                reason: text(reason),
            };
        let check = Check {
            cases: vec![
                case(
                    Some("lab/key.pem"),
                    "exists",
                    ExpectOp::Eq,
                    Some(Value::Bool(true)),
                    "it is in lab: `!mv lab/key.pem key.pem`",
                ),
                case(
                    None,
                    "mode",
                    ExpectOp::Exists,
                    None,
                    "key.pem has mode {found}",
                ),
            ],
            ..mode_check("key.pem", "0400")
        };
        assert_eq!(check.reason_now(&context).en, "chmod it");

        std::fs::create_dir(dir.path().join("lab")).expect("mkdir");
        std::fs::write(dir.path().join("lab/key.pem"), "secret").expect("write");
        assert_eq!(
            check.reason_now(&context).en,
            "it is in lab: `!mv lab/key.pem key.pem`"
        );

        std::fs::rename(dir.path().join("lab/key.pem"), dir.path().join("key.pem")).expect("mv");
        cloudlings_core::access::set_mode(&dir.path().join("key.pem"), 0o644).expect("chmod");
        assert_eq!(check.reason_now(&context).en, "key.pem has mode 0644");
    }

    #[test]
    fn a_list_found_is_named_as_the_cli_takes_it() {
        assert_eq!(
            found(&serde_json::json!(["i-1", "i-2"])).as_deref(),
            Some("i-1 i-2")
        );
        assert_eq!(found(&serde_json::json!([])), None);
        assert_eq!(found(&serde_json::json!([{"a": 1}])), None);
        assert_eq!(found(&serde_json::json!(3)).as_deref(), Some("3"));
    }
}
