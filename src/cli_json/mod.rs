//! aws-sdk-rust's answers rendered as the aws CLI's JSON: the same field names and nesting as
//! `aws … --output json`, fields the service left out omitted as the CLI omits them. Checks
//! query this JSON with JMESPath, so what a learner learns for `--query` works in lessons too.

pub mod cloudfront;
pub mod ec2;
pub mod iam;
pub mod pricing;
pub mod s3;
pub mod sts;

use serde_json::{Map, Value};

/// A JSON object built field by field, leaving out what is absent.
#[derive(Debug, Default)]
pub struct Object(Map<String, Value>);

impl Object {
    pub fn new() -> Object {
        Object::default()
    }

    /// A field, if it has a value.
    pub fn opt(mut self, name: &str, value: Option<impl Into<Value>>) -> Object {
        if let Some(value) = value {
            self.0.insert(name.to_string(), value.into());
        }
        self
    }

    /// A field that is always there.
    pub fn set(mut self, name: &str, value: impl Into<Value>) -> Object {
        self.0.insert(name.to_string(), value.into());
        self
    }

    /// A list field, as the CLI prints one: present (maybe empty) whenever the service sent it.
    pub fn list<T>(mut self, name: &str, items: &[T], render: impl Fn(&T) -> Value) -> Object {
        self.0.insert(
            name.to_string(),
            Value::Array(items.iter().map(render).collect()),
        );
        self
    }

    /// A list field the service may leave out: present (maybe empty) only when it was sent.
    pub fn opt_list<T>(
        self,
        name: &str,
        items: Option<&[T]>,
        render: impl Fn(&T) -> Value,
    ) -> Object {
        match items {
            Some(items) => self.list(name, items, render),
            None => self,
        }
    }

    pub fn build(self) -> Value {
        Value::Object(self.0)
    }
}

/// How a service writes its timestamps, which the aws CLI v1 prints as they came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stamp {
    /// EC2 and S3: milliseconds, `2026-11-26T10:00:00.000Z`.
    Millis,
    /// IAM and STS: whole seconds, `2026-11-26T10:00:00Z`.
    Seconds,
}

/// A timestamp as the CLI prints it for a service.
pub fn time(at: Option<&aws_smithy_types::DateTime>, stamp: Stamp) -> Option<Value> {
    let at = at?;
    let utc = time::OffsetDateTime::from_unix_timestamp(at.secs()).ok()?;
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let whole = utc.format(&format).ok()?;
    Some(Value::from(match stamp {
        Stamp::Millis => format!("{whole}.{:03}Z", at.subsec_nanos() / 1_000_000),
        Stamp::Seconds => format!("{whole}Z"),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_fields_are_left_out_and_lists_stay() {
        let value = Object::new()
            .opt("A", Some("a"))
            .opt("B", None::<&str>)
            .list("C", &[1, 2], |n| Value::from(*n))
            .list("D", &[] as &[i32], |n| Value::from(*n))
            .build();
        assert_eq!(value, serde_json::json!({"A": "a", "C": [1, 2], "D": []}));
    }

    #[test]
    fn times_read_as_the_cli_prints_them() {
        let at = aws_smithy_types::DateTime::from_millis(1_795_000_000_123);
        assert_eq!(
            time(Some(&at), Stamp::Millis),
            Some(Value::from("2026-11-18T11:06:40.123Z"))
        );
        assert_eq!(
            time(Some(&at), Stamp::Seconds),
            Some(Value::from("2026-11-18T11:06:40Z"))
        );
    }
}
