//! Expectations: comparing a queried value.
//!
//! [`ExpectOp`] is also what a lesson file writes in `expect`: it is defined here, where it is
//! compared, so that the lesson format builds on checks and checks know nothing of lessons.

use regex::Regex;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;

/// A comparison between the queried value and `value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum ExpectOp {
    /// Equal to `value` (numbers compare by value: `1` equals `1.0`).
    #[serde(rename = "==")]
    Eq,
    /// Not equal to `value`.
    #[serde(rename = "!=")]
    Ne,
    /// A number greater than `value`.
    #[serde(rename = ">")]
    Gt,
    /// A number greater than or equal to `value`.
    #[serde(rename = ">=")]
    Ge,
    /// A number less than `value`.
    #[serde(rename = "<")]
    Lt,
    /// A number less than or equal to `value`.
    #[serde(rename = "<=")]
    Le,
    /// A string containing `value`, or an array with an element equal to it.
    #[serde(rename = "contains")]
    Contains,
    /// A string matching the regular expression `value`.
    #[serde(rename = "matches")]
    Matches,
    /// Anything but null.
    #[serde(rename = "exists")]
    Exists,
    /// Null: the query found nothing.
    #[serde(rename = "absent")]
    Absent,
    /// An empty array, object or string, or null.
    #[serde(rename = "empty")]
    Empty,
    /// A non-empty array, object or string.
    #[serde(rename = "not-empty")]
    NotEmpty,
}

impl ExpectOp {
    /// Whether the operator compares with a `value`.
    pub fn takes_value(self) -> bool {
        !matches!(
            self,
            ExpectOp::Exists | ExpectOp::Absent | ExpectOp::Empty | ExpectOp::NotEmpty
        )
    }

    /// The operator as written in a lesson file.
    pub fn symbol(self) -> &'static str {
        match self {
            ExpectOp::Eq => "==",
            ExpectOp::Ne => "!=",
            ExpectOp::Gt => ">",
            ExpectOp::Ge => ">=",
            ExpectOp::Lt => "<",
            ExpectOp::Le => "<=",
            ExpectOp::Contains => "contains",
            ExpectOp::Matches => "matches",
            ExpectOp::Exists => "exists",
            ExpectOp::Absent => "absent",
            ExpectOp::Empty => "empty",
            ExpectOp::NotEmpty => "not-empty",
        }
    }
}

/// A validated comparison: the operator with the value it needs, a regular expression
/// compiled once.
#[derive(Debug, Clone)]
pub struct Expect {
    op: ExpectOp,
    value: Value,
    pattern: Option<Regex>,
}

impl std::fmt::Display for Expect {
    /// As a lesson writes it: `== "0400"`, `matches "/32$"`, `empty`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.op.takes_value() {
            write!(f, "{} {}", self.op.symbol(), self.value)
        } else {
            f.write_str(self.op.symbol())
        }
    }
}

/// `value` with the `{name}`s of its strings filled in, however deep.
fn fill_value(value: &Value, bindings: &super::Bindings) -> Value {
    match value {
        Value::String(text) if text.contains('{') => Value::from(super::fill(text, bindings)),
        Value::Array(items) => items
            .iter()
            .map(|item| fill_value(item, bindings))
            .collect(),
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(name, item)| (name.clone(), fill_value(item, bindings)))
                .collect(),
        ),
        other => other.clone(),
    }
}

impl Expect {
    /// The expectation with its value's `{name}`s filled in, if it names any: in a string,
    /// or in the strings of a list or an object (`[200, "{image_sha256}"]`).
    pub fn bound(&self, bindings: &super::Bindings) -> Option<Expect> {
        let filled = fill_value(&self.value, bindings);
        (filled != self.value)
            .then(|| Expect::new(self.op, Some(filled)).ok())
            .flatten()
    }

    /// Builds an expectation, or says why `op` and `value` don't go together.
    pub fn new(op: ExpectOp, value: Option<Value>) -> Result<Expect, String> {
        let value = match (op.takes_value(), value) {
            (true, Some(value)) => value,
            (true, None) => return Err(format!("`{}` needs a `value`", op.symbol())),
            (false, Some(_)) => return Err(format!("`{}` takes no `value`", op.symbol())),
            (false, None) => Value::Null,
        };
        let pattern = match op {
            ExpectOp::Matches => {
                let source = value
                    .as_str()
                    .ok_or("`matches` needs a string `value`: a regular expression")?;
                Some(Regex::new(source).map_err(|error| error.to_string())?)
            }
            ExpectOp::Gt | ExpectOp::Ge | ExpectOp::Lt | ExpectOp::Le if !value.is_number() => {
                return Err(format!("`{}` needs a number `value`", op.symbol()));
            }
            _ => None,
        };
        Ok(Expect { op, value, pattern })
    }

    pub fn op(&self) -> ExpectOp {
        self.op
    }

    /// The value compared with (null for operators that take none).
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// Whether `actual` satisfies the expectation.
    pub fn holds(&self, actual: &Value) -> bool {
        let number = || Some((actual.as_f64()?, self.value.as_f64()?));
        match self.op {
            ExpectOp::Eq => equal(actual, &self.value),
            ExpectOp::Ne => !equal(actual, &self.value),
            ExpectOp::Gt => number().is_some_and(|(a, b)| a > b),
            ExpectOp::Ge => number().is_some_and(|(a, b)| a >= b),
            ExpectOp::Lt => number().is_some_and(|(a, b)| a < b),
            ExpectOp::Le => number().is_some_and(|(a, b)| a <= b),
            ExpectOp::Contains => match actual {
                Value::String(text) => self.value.as_str().is_some_and(|part| text.contains(part)),
                Value::Array(items) => items.iter().any(|item| equal(item, &self.value)),
                _ => false,
            },
            ExpectOp::Matches => match (actual, &self.pattern) {
                (Value::String(text), Some(pattern)) => pattern.is_match(text),
                _ => false,
            },
            ExpectOp::Exists => !actual.is_null(),
            ExpectOp::Absent => actual.is_null(),
            ExpectOp::Empty => is_empty(actual),
            ExpectOp::NotEmpty => !actual.is_null() && !is_empty(actual),
        }
    }
}

/// JSON equality, except that numbers compare by value (`1` and `1.0` are equal), as JMESPath
/// compares them.
fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(xs), Value::Array(ys)) => {
            xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| equal(x, y))
        }
        (Value::Object(xs), Value::Object(ys)) => {
            xs.len() == ys.len()
                && xs
                    .iter()
                    .all(|(key, x)| ys.get(key).is_some_and(|y| equal(x, y)))
        }
        _ => a == b,
    }
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(text) => text.is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Object(fields) => fields.is_empty(),
        Value::Bool(_) | Value::Number(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_filled_in_lists_too() {
        let bindings: super::super::Bindings =
            [("image_sha256".to_string(), "ab12".to_string())].into();
        let expect = Expect::new(ExpectOp::Eq, Some(json!([200, "{image_sha256}"]))).expect("ok");
        let bound = expect.bound(&bindings).expect("it names a binding");
        assert!(bound.holds(&json!([200, "ab12"])));
        assert!(!bound.holds(&json!([200, "{image_sha256}"])));
        let plain = Expect::new(ExpectOp::Eq, Some(json!([200, "x"]))).expect("ok");
        assert!(plain.bound(&bindings).is_none(), "nothing to fill");
    }

    #[test]
    fn displays_as_a_lesson_writes_it() {
        let eq = Expect::new(ExpectOp::Eq, Some(Value::from("0400"))).expect("eq");
        assert_eq!(eq.to_string(), "== \"0400\"");
        let empty = Expect::new(ExpectOp::Empty, None).expect("empty");
        assert_eq!(empty.to_string(), "empty");
    }
    use serde_json::json;

    fn expect(op: ExpectOp, value: Value) -> Expect {
        Expect::new(op, Some(value)).expect("valid expectation")
    }

    fn bare(op: ExpectOp) -> Expect {
        Expect::new(op, None).expect("valid expectation")
    }

    #[test]
    fn equality_compares_numbers_by_value_and_nothing_else_loosely() {
        assert!(expect(ExpectOp::Eq, json!(1)).holds(&json!(1.0)));
        assert!(expect(ExpectOp::Eq, json!({"a": [1]})).holds(&json!({"a": [1.0]})));
        assert!(!expect(ExpectOp::Eq, json!("1")).holds(&json!(1)));
        assert!(!expect(ExpectOp::Eq, json!("0400")).holds(&Value::Null));
        assert!(expect(ExpectOp::Ne, json!("0644")).holds(&json!("0400")));
    }

    #[test]
    fn ordering_needs_numbers_on_both_sides() {
        assert!(expect(ExpectOp::Ge, json!(2)).holds(&json!(2)));
        assert!(expect(ExpectOp::Gt, json!(2)).holds(&json!(2.5)));
        assert!(!expect(ExpectOp::Lt, json!(2)).holds(&json!("1")));
        assert!(expect(ExpectOp::Le, json!(2)).holds(&json!(-1)));
        assert!(Expect::new(ExpectOp::Ge, Some(json!("2"))).is_err());
    }

    #[test]
    fn contains_looks_into_strings_and_arrays() {
        assert!(expect(ExpectOp::Contains, json!("22")).holds(&json!("tcp/22")));
        assert!(expect(ExpectOp::Contains, json!(22)).holds(&json!([80, 22.0])));
        assert!(!expect(ExpectOp::Contains, json!(22)).holds(&json!({"22": 1})));
    }

    #[test]
    fn matches_uses_a_regular_expression_compiled_once() {
        let cidr = expect(ExpectOp::Matches, json!(r"^\d+\.\d+\.\d+\.\d+/32$"));
        assert!(cidr.holds(&json!("203.0.113.7/32")));
        assert!(!cidr.holds(&json!("0.0.0.0/0")));
        assert!(!cidr.holds(&json!(32)));
        assert!(Expect::new(ExpectOp::Matches, Some(json!("("))).is_err());
    }

    #[test]
    fn presence_and_emptiness() {
        assert!(bare(ExpectOp::Exists).holds(&json!(false)));
        assert!(!bare(ExpectOp::Exists).holds(&Value::Null));
        assert!(bare(ExpectOp::Absent).holds(&Value::Null));
        assert!(bare(ExpectOp::Empty).holds(&json!([])));
        assert!(bare(ExpectOp::Empty).holds(&Value::Null));
        assert!(!bare(ExpectOp::Empty).holds(&json!([0])));
        assert!(bare(ExpectOp::NotEmpty).holds(&json!("x")));
        assert!(!bare(ExpectOp::NotEmpty).holds(&Value::Null));
    }

    #[test]
    fn operators_and_values_must_go_together() {
        assert!(Expect::new(ExpectOp::Eq, None).is_err());
        assert!(Expect::new(ExpectOp::Exists, Some(json!(true))).is_err());
    }
}
