//! The part of the aws CLI v1 that the course uses: its command lines read as the CLI reads
//! them ([`args`]), the calls made through aws-sdk-rust, and the answers rendered as the CLI's
//! JSON ([`crate::cli_json`]) and printed as it prints them ([`output`]).
//!
//! It is used twice: by the shell's `aws` command, and by the checks' AWS probes, which name
//! the read-only calls as a learner types them (`s3api get-bucket-policy --bucket {bucket}`).
//! What `--query` finds in the shell, a check finds in the same place.

pub mod args;
pub mod choices;
mod cloudfront;
mod ec2;
pub mod failure;
mod iam;
pub mod output;
mod params;
mod pricing;
mod query;
mod s3api;
mod sts;

use aws_config::SdkConfig;
use cloudlings_core::operation::{Operation, Service};
use serde_json::Value;

pub use self::args::{Args, Format, Usage};
pub use self::failure::Failure;
pub use self::params::Params;
pub use self::query::Query;

/// What the subset takes of an operation: its parameters, and those the CLI refuses to go
/// without. Everything else about the operation is declared once, in
/// [`cloudlings_core::operation`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Command {
    pub op: Operation,
    pub params: &'static [&'static str],
    pub required: &'static [&'static str],
}

impl Command {
    pub const fn new(op: Operation, params: &'static [&'static str]) -> Command {
        Command {
            op,
            params,
            required: &[],
        }
    }

    pub const fn requires(self, required: &'static [&'static str]) -> Command {
        Command { required, ..self }
    }

    /// `ec2`, as typed after `aws`.
    pub fn service(&self) -> &'static str {
        self.op.service().cli_name()
    }

    /// `describe-instances`.
    pub fn name(&self) -> &'static str {
        self.op.cli_name()
    }

    /// Changes nothing, so a check may make it.
    pub fn reads(&self) -> bool {
        !self.op.mutates()
    }

    /// `ec2 describe-instances`, as the learner types it after `aws`.
    pub fn command(&self) -> String {
        self.op.command()
    }
}

/// Every operation of the subset, service by service.
pub fn operations() -> impl Iterator<Item = &'static Command> {
    [
        sts::OPERATIONS,
        ec2::OPERATIONS,
        iam::OPERATIONS,
        S3_COMMANDS,
        s3api::OPERATIONS,
        cloudfront::OPERATIONS,
        pricing::OPERATIONS,
    ]
    .into_iter()
    .flatten()
}

/// `aws s3 …`: the CLI's high-level S3 commands, which print lines rather than JSON (the
/// shell runs them itself). `--recursive` and the filters are what the course's uploads use.
const S3_COMMANDS: &[Command] = &[
    Command::new(Operation::S3Mb, &[]),
    Command::new(
        Operation::S3Ls,
        &["recursive", "human-readable", "summarize"],
    ),
    Command::new(Operation::S3Rb, &["force"]),
    Command::new(
        Operation::S3Cp,
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
    Command::new(
        Operation::S3Sync,
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
pub fn validate(args: &Args) -> Result<&'static Command, Failure> {
    let operation = operations()
        .find(|op| op.service() == args.service && op.name() == args.operation)
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

/// Makes the call `args` names (validated) and renders its answer as the CLI's JSON; `files`
/// is where `file://` values are read and `--outfile`s written.
pub async fn call(
    args: &Args,
    config: &SdkConfig,
    files: &crate::workstation::Workstation,
) -> Result<Value, Failure> {
    let p = Params { args, files };
    let Some(op) = args.op() else {
        return Err(Failure::Unsupported(format!(
            "{} {}",
            args.service, args.operation
        )));
    };
    match op.service() {
        Service::Sts => sts::call(&p, op, config).await,
        Service::Iam => iam::call(&p, op, config).await,
        Service::Ec2 => ec2::call(&p, op, config).await,
        Service::S3Api => s3api::call(&p, op, config).await,
        Service::CloudFront => cloudfront::call(&p, op, config).await,
        Service::Pricing => pricing::call(&p, op, config).await,
        // The shell runs the high-level commands itself, from s3api's calls.
        Service::S3 => Err(Failure::Unsupported(op.command())),
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
        assert!(validate(&args("ec2 describe-instances")).is_ok_and(|op| op.reads()));
    }
}
