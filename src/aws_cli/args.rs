//! An `aws …` line read as the aws CLI v1 reads it: global options anywhere, then the service
//! and the operation, then `--parameter value…`; parameter values in the CLI's shorthand
//! syntax (`Name=instance-state-name,Values=running`) or as JSON.

use cloudlings_core::operation::Operation;
use serde_json::{Map, Value};

/// How the answer is printed (`--output`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Json,
    Text,
    Table,
}

/// What the learner asked for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Args {
    /// `ec2`, `sts`; empty for a bare `aws`.
    pub service: String,
    /// `describe-instances`; empty when only the service was named.
    pub operation: String,
    /// The operation's parameters, as typed: `--group-name` → its words.
    pub params: Vec<(String, Vec<String>)>,
    pub query: Option<String>,
    pub output: Format,
    /// `--region`, when it is not the target's.
    pub region: Option<String>,
    /// `help` was asked for.
    pub help: bool,
    /// `> file`: where the output goes instead of the screen.
    pub redirect: Option<String>,
    /// Words after the operation that are not options: `aws ec2 wait <waiter>`,
    /// `aws s3 ls s3://bucket/`.
    pub positional: Vec<String>,
}

/// A line the CLI itself would refuse before calling anything (its status 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Usage(pub String);

/// Global options that take a value, and those that take none.
const GLOBAL_WITH_VALUE: &[&str] = &[
    "--query",
    "--output",
    "--region",
    "--profile",
    "--endpoint-url",
    "--color",
    "--cli-read-timeout",
    "--cli-connect-timeout",
];
const GLOBAL_FLAGS: &[&str] = &[
    "--no-cli-pager",
    "--no-paginate",
    "--no-verify-ssl",
    "--no-sign-request",
    "--debug",
];

impl Args {
    /// The operation the line names, if the project knows it.
    pub fn op(&self) -> Option<Operation> {
        Operation::from_cli(&self.service, &self.operation)
    }

    /// Reads the words after `aws`.
    pub fn parse(words: &[String]) -> Result<Args, Usage> {
        let mut args = Args::default();
        let mut words = words.iter().peekable();
        while let Some(word) = words.next() {
            if word == ">" {
                let file = words
                    .next()
                    .ok_or_else(|| Usage("expected a file name after `>`".into()))?;
                args.redirect = Some(file.clone());
            } else if let Some(file) = word.strip_prefix('>').filter(|f| !f.is_empty()) {
                args.redirect = Some(file.to_string());
            } else if GLOBAL_FLAGS.contains(&word.as_str()) {
            } else if GLOBAL_WITH_VALUE.contains(&word.as_str()) {
                let value = words
                    .next()
                    .ok_or_else(|| Usage(format!("argument {word}: expected one argument")))?;
                match word.as_str() {
                    "--query" => args.query = Some(value.clone()),
                    "--region" => args.region = Some(value.clone()),
                    "--output" => {
                        args.output = match value.as_str() {
                            "json" => Format::Json,
                            "text" => Format::Text,
                            "table" => Format::Table,
                            _ => {
                                return Err(Usage(format!(
                                    "argument --output: Invalid choice, valid choices are:\n\n\
                                     json{:37}| text{:36}\ntable{:35}",
                                    "", "", ""
                                )));
                            }
                        }
                    }
                    _ => {}
                }
            } else if let Some(name) = word.strip_prefix("--") {
                if args.operation.is_empty() {
                    return Err(Usage(format!("Unknown options: {word}")));
                }
                let mut values = Vec::new();
                while let Some(next) = words.next_if(|next| !is_option(next) && *next != ">") {
                    values.push(next.clone());
                }
                args.params.push((name.to_string(), values));
            } else if word == "help" {
                args.help = true;
            } else if args.service.is_empty() {
                args.service = word.clone();
            } else if args.operation.is_empty() {
                args.operation = word.clone();
            } else if args.operation == "wait" || args.service == "s3" {
                args.positional.push(word.clone());
            } else {
                return Err(Usage(format!("Unknown options: {word}")));
            }
        }
        Ok(args)
    }

    /// The words given to `--name`, if it was given.
    pub fn param(&self, name: &str) -> Option<&[String]> {
        self.params
            .iter()
            .find(|(given, _)| given == name)
            .map(|(_, values)| values.as_slice())
    }
}

/// `--name` is an option; `-1` (a negative number, as a port can be) is a value.
fn is_option(word: &str) -> bool {
    word.starts_with("--") && word.len() > 2
}

/// A parameter value as the CLI reads one: JSON when it is JSON, else shorthand
/// (`Key=a,Values=b,c`, `Tags=[{Key=Name,Value=web}]`), else the plain string.
pub fn value(text: &str) -> Result<Value, String> {
    let trimmed = text.trim();
    if (trimmed.starts_with('{') || trimmed.starts_with('['))
        && let Ok(json) = serde_json::from_str(trimmed)
    {
        return Ok(json);
    }
    if !trimmed.contains('=') {
        return Ok(Value::String(text.to_string()));
    }
    let mut parser = Shorthand {
        chars: trimmed.chars().collect(),
        at: 0,
    };
    let parsed = parser.structure(None)?;
    if parser.at < parser.chars.len() {
        return Err(parser.error("expected ','"));
    }
    Ok(parsed)
}

/// The shorthand syntax's reader.
struct Shorthand {
    chars: Vec<char>,
    at: usize,
}

impl Shorthand {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn error(&self, expected: &str) -> String {
        let text: String = self.chars.iter().collect();
        format!(
            "Expected: {expected}, received: ... for input:\n{text}\n{}^",
            { " ".repeat(self.at) }
        )
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    /// `key=value,key=value…`, up to `close` (or the end).
    fn structure(&mut self, close: Option<char>) -> Result<Value, String> {
        let mut fields = Map::new();
        loop {
            self.skip_spaces();
            if close.is_some() && self.peek() == close {
                break;
            }
            let key = self.key()?;
            let value = self.field_value(close)?;
            fields.insert(key, value);
            self.skip_spaces();
            match self.peek() {
                Some(',') => self.at += 1,
                None => break,
                Some(c) if Some(c) == close => break,
                Some(_) => return Err(self.error("','")),
            }
        }
        Ok(Value::Object(fields))
    }

    fn key(&mut self) -> Result<String, String> {
        let start = self.at;
        while let Some(c) = self.peek() {
            if c == '=' {
                let key: String = self.chars[start..self.at].iter().collect();
                self.at += 1;
                return Ok(key.trim().to_string());
            }
            if c == ',' || c == '[' || c == ']' || c == '{' || c == '}' {
                break;
            }
            self.at += 1;
        }
        Err(self.error("'='"))
    }

    /// A field's value: a list, a structure, or a scalar that more scalars may follow
    /// (`Values=a,b`) until the next `key=`.
    fn field_value(&mut self, close: Option<char>) -> Result<Value, String> {
        self.skip_spaces();
        match self.peek() {
            Some('[') => self.list(),
            Some('{') => {
                self.at += 1;
                let value = self.structure(Some('}'))?;
                self.expect('}')?;
                Ok(value)
            }
            _ => {
                let first = self.scalar(close)?;
                let mut more = Vec::new();
                while self.peek() == Some(',') && !self.key_follows() {
                    self.at += 1;
                    more.push(self.scalar(close)?);
                }
                if more.is_empty() {
                    Ok(first)
                } else {
                    more.insert(0, first);
                    Ok(Value::Array(more))
                }
            }
        }
    }

    /// Whether what follows the comma at the cursor is `key=`.
    fn key_follows(&self) -> bool {
        for &c in &self.chars[self.at + 1..] {
            match c {
                '=' => return true,
                ',' | '[' | ']' | '{' | '}' => return false,
                _ => {}
            }
        }
        false
    }

    fn list(&mut self) -> Result<Value, String> {
        self.expect('[')?;
        let mut items = Vec::new();
        loop {
            self.skip_spaces();
            match self.peek() {
                Some(']') => break,
                Some('{') => {
                    self.at += 1;
                    items.push(self.structure(Some('}'))?);
                    self.expect('}')?;
                }
                Some('[') => items.push(self.list()?),
                _ => items.push(self.scalar(Some(']'))?),
            }
            self.skip_spaces();
            match self.peek() {
                Some(',') => self.at += 1,
                Some(']') => break,
                _ => return Err(self.error("',' or ']'")),
            }
        }
        self.expect(']')?;
        Ok(Value::Array(items))
    }

    fn scalar(&mut self, close: Option<char>) -> Result<Value, String> {
        self.skip_spaces();
        if let Some(quote @ ('"' | '\'')) = self.peek() {
            self.at += 1;
            let start = self.at;
            while self.peek().is_some_and(|c| c != quote) {
                self.at += 1;
            }
            let text: String = self.chars[start..self.at].iter().collect();
            self.expect(quote)?;
            return Ok(Value::String(text));
        }
        let start = self.at;
        while let Some(c) = self.peek() {
            if c == ',' || Some(c) == close || c == ']' || c == '}' {
                break;
            }
            self.at += 1;
        }
        let text: String = self.chars[start..self.at].iter().collect();
        Ok(Value::String(text.trim().to_string()))
    }

    fn expect(&mut self, wanted: char) -> Result<(), String> {
        if self.peek() == Some(wanted) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.error(&format!("'{wanted}'")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn global_options_go_anywhere() {
        let args = Args::parse(&words(
            "--region ap-northeast-2 ec2 describe-instances --query Reservations[].Instances[] \
             --output text --no-cli-pager --instance-ids i-1 i-2",
        ))
        .expect("parse");
        assert_eq!(args.service, "ec2");
        assert_eq!(args.operation, "describe-instances");
        assert_eq!(args.query.as_deref(), Some("Reservations[].Instances[]"));
        assert_eq!(args.output, Format::Text);
        assert_eq!(args.region.as_deref(), Some("ap-northeast-2"));
        assert_eq!(
            args.param("instance-ids"),
            Some(&["i-1".to_string(), "i-2".to_string()][..])
        );
    }

    #[test]
    fn output_can_go_to_a_file() {
        let args = Args::parse(&words(
            "ec2 create-key-pair --key-name k --query KeyMaterial --output text > key.pem",
        ))
        .expect("parse");
        assert_eq!(args.redirect.as_deref(), Some("key.pem"));
        assert_eq!(args.param("key-name"), Some(&["k".to_string()][..]));
        let joined = Args::parse(&words("sts get-caller-identity >id.json")).expect("parse");
        assert_eq!(joined.redirect.as_deref(), Some("id.json"));
    }

    #[test]
    fn usage_errors_are_caught_before_any_call() {
        assert_eq!(
            Args::parse(&words("sts get-caller-identity --output yaml")),
            Err(Usage(
                "argument --output: Invalid choice, valid choices are:\n\n\
                 json                                     | text                                    \n\
                 table                                   "
                    .to_string()
            ))
        );
        assert!(Args::parse(&words("ec2 describe-instances --output yaml2")).is_err());
        assert!(Args::parse(&words("ec2 describe-instances --query")).is_err());
        assert!(Args::parse(&words("--group-id sg-1")).is_err());
        assert!(Args::parse(&words("ec2 help")).expect("parse").help);
    }

    #[test]
    fn shorthand_reads_as_the_cli_reads_it() {
        assert_eq!(
            value("Name=instance-state-name,Values=running,stopped").expect("filter"),
            json!({"Name": "instance-state-name", "Values": ["running", "stopped"]})
        );
        assert_eq!(
            value("ResourceType=instance,Tags=[{Key=Name,Value=web}]").expect("tags"),
            json!({"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "web"}]})
        );
        assert_eq!(
            value("IpProtocol=tcp,FromPort=22,ToPort=22,IpRanges=[{CidrIp=1.2.3.4/32}]")
                .expect("permission"),
            json!({"IpProtocol": "tcp", "FromPort": "22", "ToPort": "22",
                   "IpRanges": [{"CidrIp": "1.2.3.4/32"}]})
        );
        assert_eq!(
            value("Name=tag:Name,Values=[a,b]").expect("list"),
            json!({"Name": "tag:Name", "Values": ["a", "b"]})
        );
        assert_eq!(value("plain").expect("plain"), json!("plain"));
    }

    #[test]
    fn json_values_are_json() {
        assert_eq!(
            value(r#"[{"IpProtocol": "tcp", "FromPort": 22}]"#).expect("json"),
            json!([{"IpProtocol": "tcp", "FromPort": 22}])
        );
        assert!(value("Tags=[{Key=Name").is_err());
    }
}
