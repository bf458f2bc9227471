//! An operation's parameters as the aws CLI v1 reads them: `file://` values loaded from the
//! working folder, lists as words or JSON, structures in shorthand or JSON.

use serde_json::Value;

use super::args::{self, Args};
use super::failure::Failure;
use crate::workstation::Workstation;

/// The parameters, read: `file://` values loaded, shorthand and JSON parsed on demand.
#[derive(Debug)]
pub struct Params<'a> {
    pub args: &'a Args,
    /// Where `file://` values are read.
    pub files: &'a Workstation,
}

impl Params<'_> {
    /// The words of `--name`, `file://` ones replaced by the file's text.
    pub fn words(&self, name: &str) -> Result<Option<Vec<String>>, Failure> {
        let Some(words) = self.args.param(name) else {
            return Ok(None);
        };
        let mut read = Vec::new();
        for word in words {
            match word.strip_prefix("file://") {
                Some(file) => {
                    let text = self.files.read_to_string(file).map_err(|error| {
                        // Python's words for it: `[Errno 2] No such file or directory: 'x'`.
                        let reason = crate::strerror::strerror(&error);
                        let errno = crate::workstation::errno(&error);
                        Failure::Client(format!(
                            "Error parsing parameter '--{name}': Unable to load paramfile \
                             {word}: [Errno {errno}] {reason}: '{file}'"
                        ))
                    })?;
                    read.push(text);
                }
                None => read.push(word.clone()),
            }
        }
        Ok(Some(read))
    }

    /// A one-value parameter.
    pub fn one(&self, name: &str) -> Result<Option<String>, Failure> {
        match self.words(name)? {
            None => Ok(None),
            Some(words) if words.len() == 1 => Ok(words.into_iter().next()),
            Some(_) => Err(Failure::Usage(format!(
                "argument --{name}: expected one argument"
            ))),
        }
    }

    pub fn required(&self, name: &str) -> Result<String, Failure> {
        self.one(name)?.ok_or_else(|| {
            Failure::Usage(format!("the following arguments are required: --{name}"))
        })
    }

    /// The words of a list option the CLI adds to the model's with argparse's `nargs='+'`
    /// (`create-invalidation --paths`), which takes at least one. The model's own lists are
    /// `nargs='*'` in the CLI v1: `--instance-ids` alone is the same as no `--instance-ids`.
    pub fn at_least_one(&self, name: &str) -> Result<Option<Vec<String>>, Failure> {
        match self.words(name)? {
            Some(words) if words.is_empty() => Err(Failure::Usage(format!(
                "argument --{name}: expected at least one argument"
            ))),
            words => Ok(words),
        }
    }

    /// A list of strings: the words, or one JSON list.
    pub fn strings(&self, name: &str) -> Result<Option<Vec<String>>, Failure> {
        let Some(words) = self.words(name)? else {
            return Ok(None);
        };
        let mut list = Vec::new();
        for word in words {
            match serde_json::from_str::<Vec<String>>(word.trim()) {
                Ok(items) if word.trim().starts_with('[') => list.extend(items),
                _ => list.push(word),
            }
        }
        Ok(Some(list))
    }

    /// A list of structures, each word in shorthand or JSON.
    pub fn structures(&self, name: &str) -> Result<Option<Vec<Value>>, Failure> {
        let Some(words) = self.words(name)? else {
            return Ok(None);
        };
        let mut list = Vec::new();
        for word in words {
            match args::value(&word) {
                Ok(Value::Array(items)) => list.extend(items),
                Ok(item @ Value::Object(_)) => list.push(item),
                Ok(_) => {
                    return Err(Failure::Client(format!(
                        "Error parsing parameter '--{name}': Expected: '=', received: 'EOF' \
                         for input:\n{word}"
                    )));
                }
                Err(error) => {
                    return Err(Failure::Client(format!(
                        "Error parsing parameter '--{name}': {error}"
                    )));
                }
            }
        }
        Ok(Some(list))
    }

    pub fn flag(&self, name: &str) -> bool {
        self.args.param(name).is_some()
    }
}

/// A field as text (numbers as written).
pub fn text(item: &Value, key: &str) -> Option<String> {
    match item.get(key)? {
        Value::String(text) => Some(text.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// A field that is a list, or one item.
pub fn list(item: &Value, key: &str) -> Vec<Value> {
    match item.get(key) {
        Some(Value::Array(items)) => items.clone(),
        Some(Value::Null) | None => Vec::new(),
        Some(one) => vec![one.clone()],
    }
}

pub fn texts(item: &Value, key: &str) -> Vec<String> {
    list(item, key)
        .iter()
        .map(|value| match value {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        })
        .collect()
}
