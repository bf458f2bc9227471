//! The part of the aws CLI v1 that the course uses: its command lines read as the CLI reads
//! them ([`args`]), the calls made through aws-sdk-rust, and the answers rendered as the CLI's
//! JSON ([`crate::cli_json`]) and printed as it prints them ([`output`]).
//!
//! It is used twice: by the shell's `aws` command, and by the checks' AWS probes, which name
//! the read-only calls as a learner types them (`s3api get-bucket-policy --bucket {bucket}`).
//! What `--query` finds in the shell, a check finds in the same place.

pub mod args;
mod cloudfront;
mod ec2;
pub mod failure;
mod iam;
pub mod output;
mod params;
mod query;
mod s3api;
mod sts;

use std::path::Path;

use aws_config::SdkConfig;
use serde_json::Value;

pub use self::args::{Args, Format, Usage};
pub use self::failure::Failure;
pub use self::params::Params;
pub use self::query::Query;

/// An operation the subset has: its parameters, those the CLI refuses to go without, and
/// whether it only looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    pub service: &'static str,
    pub name: &'static str,
    pub params: &'static [&'static str],
    pub required: &'static [&'static str],
    /// Changes nothing, so a check may make it.
    pub reads: bool,
}

impl Operation {
    /// An operation that only looks.
    pub const fn read(
        service: &'static str,
        name: &'static str,
        params: &'static [&'static str],
    ) -> Operation {
        Operation {
            service,
            name,
            params,
            required: &[],
            reads: true,
        }
    }

    /// An operation that changes something.
    pub const fn write(
        service: &'static str,
        name: &'static str,
        params: &'static [&'static str],
    ) -> Operation {
        Operation {
            reads: false,
            ..Operation::read(service, name, params)
        }
    }

    pub const fn requires(self, required: &'static [&'static str]) -> Operation {
        Operation { required, ..self }
    }

    /// `aws ec2 describe-instances`, as the learner types it.
    pub fn command(&self) -> String {
        format!("{} {}", self.service, self.name)
    }
}

/// Every operation of the subset, service by service.
pub fn operations() -> impl Iterator<Item = &'static Operation> {
    [
        sts::OPERATIONS,
        ec2::OPERATIONS,
        iam::OPERATIONS,
        S3_COMMANDS,
        s3api::OPERATIONS,
        cloudfront::OPERATIONS,
    ]
    .into_iter()
    .flatten()
}

/// `aws s3 …`: the CLI's high-level S3 commands, which print lines rather than JSON (the
/// shell runs them itself). `--recursive` and the filters are what the course's uploads use.
const S3_COMMANDS: &[Operation] = &[
    Operation::write("s3", "mb", &[]),
    Operation::read("s3", "ls", &["recursive", "human-readable", "summarize"]),
    Operation::write("s3", "rb", &["force"]),
    Operation::write(
        "s3",
        "cp",
        &[
            "recursive",
            "content-type",
            "cache-control",
            "exclude",
            "include",
            "dryrun",
            "quiet",
        ],
    ),
    Operation::write(
        "s3",
        "sync",
        &[
            "delete",
            "content-type",
            "cache-control",
            "exclude",
            "include",
            "dryrun",
            "quiet",
        ],
    ),
];

/// The operation `args` names, once its parameters are known and the required ones given.
pub fn validate(args: &Args) -> Result<&'static Operation, Failure> {
    let operation = operations()
        .find(|op| op.service == args.service && op.name == args.operation)
        .ok_or_else(|| Failure::Unsupported(format!("{} {}", args.service, args.operation)))?;
    // The CLI names each unknown option with the words after it, and stops there.
    let unknown: Vec<String> = args
        .params
        .iter()
        .filter(|(name, _)| !operation.params.contains(&name.as_str()))
        .flat_map(|(name, values)| std::iter::once(format!("--{name}")).chain(values.clone()))
        .collect();
    if !unknown.is_empty() {
        let reason = format!("Unknown options: {}", unknown.join(", "));
        return Err(Failure::Client(reason));
    }
    let missing: Vec<String> = operation
        .required
        .iter()
        .filter(|name| args.param(name).is_none())
        .map(|name| format!("--{name}"))
        .collect();
    if !missing.is_empty() {
        let reason = format!(
            "the following arguments are required: {}",
            missing.join(", ")
        );
        return Err(Failure::Usage(reason));
    }
    Ok(operation)
}

/// Makes the call `args` names (validated) and renders its answer as the CLI's JSON; `cwd` is
/// where `file://` values are read.
pub async fn call(args: &Args, config: &SdkConfig, cwd: &Path) -> Result<Value, Failure> {
    let p = Params { args, cwd };
    let op = args.operation.as_str();
    match args.service.as_str() {
        "sts" => sts::call(&p, op, config).await,
        "iam" => iam::call(&p, op, config).await,
        "ec2" => ec2::call(&p, op, config).await,
        "s3api" => s3api::call(&p, op, config).await,
        "cloudfront" => cloudfront::call(&p, op, config).await,
        _ => Err(Failure::Unsupported(format!("{} {op}", args.service))),
    }
}

/// What the CLI prints for an operation that answers nothing: nothing.
fn empty() -> Value {
    Value::Object(serde_json::Map::new())
}

/// The answer as the CLI would print it after `--query`: the selected part, with objects'
/// keys in the answer's order.
pub fn select(value: Value, query: Option<&str>) -> Result<Value, Failure> {
    let Some(query) = query else {
        return Ok(value);
    };
    match Query::compile(query).and_then(|compiled| compiled.search(&value)) {
        Ok(found) => Ok(output::in_order_of(found, &value)),
        Err(error) => Err(Failure::Client(format!(
            "Bad value for --query {query}: {error}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_is_listed_once() {
        let mut seen = std::collections::BTreeSet::new();
        for op in operations() {
            assert!(seen.insert(op.command()), "{} twice", op.command());
            for required in op.required {
                assert!(op.params.contains(required), "{}: {required}", op.command());
            }
        }
    }

    #[test]
    fn unknown_options_and_missing_ones_are_named() {
        let args = |line: &str| {
            Args::parse(&line.split(' ').map(String::from).collect::<Vec<_>>()).expect("parse")
        };
        assert!(matches!(
            validate(&args("ec2 describe-instances --nope 1")),
            Err(Failure::Client(reason)) if reason == "Unknown options: --nope, 1"
        ));
        assert!(matches!(
            validate(&args("ec2 create-key-pair")),
            Err(Failure::Usage(reason)) if reason.ends_with("--key-name")
        ));
        assert!(matches!(
            validate(&args("ec2 fly-away")),
            Err(Failure::Unsupported(_))
        ));
        assert!(validate(&args("ec2 describe-instances")).is_ok_and(|op| op.reads));
    }
}
