//! The shell's `aws`: the lecture's calls, typed as for the real aws CLI v1 and answered as it
//! answers, against the shell's target, so a learner can follow the lecture without installing
//! anything. The calls go through aws-sdk-rust and [`crate::cli_json`], the same rendering the
//! checks query, so what `--query` finds here a check finds too.
//!
//! Anything beyond the lecture's calls is left to the real CLI, pointed at the same target.

mod args;
mod output;
mod s3;

use std::future::Future;
use std::io::{self, Write};
use std::path::Path;

use aws_config::SdkConfig;
use aws_sdk_ec2::types::{
    Filter, IpPermission, IpRange, ResourceType, Tag, TagSpecification, UserIdGroupPair,
};
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use serde_json::Value;

use self::args::{Args, Format, Usage};
use super::messages as msg;
use crate::cli_json;
use crate::lang::Lang;
use crate::target::Target;

/// The CLI v1's exit statuses.
const USAGE: i32 = 252;
const SERVICE_ERROR: i32 = 254;
const CLIENT_ERROR: i32 = 255;

/// What `aws` needs from the session.
#[derive(Debug)]
pub struct Context<'a> {
    pub target: Option<&'a Target>,
    pub cwd: &'a Path,
    pub lang: Lang,
}

/// The calls the shell makes itself, with the parameters each takes.
pub const OPERATIONS: &[(&str, &str, &[&str])] = &[
    ("sts", "get-caller-identity", &[]),
    (
        "sts",
        "get-session-token",
        &["serial-number", "token-code", "duration-seconds"],
    ),
    ("ec2", "describe-instances", &["instance-ids", "filters"]),
    (
        "ec2",
        "describe-security-groups",
        &["group-ids", "group-names", "filters"],
    ),
    (
        "ec2",
        "describe-key-pairs",
        &["key-names", "key-pair-ids", "filters"],
    ),
    (
        "ec2",
        "describe-images",
        &["owners", "image-ids", "filters"],
    ),
    (
        "ec2",
        "create-security-group",
        &["group-name", "description", "vpc-id", "tag-specifications"],
    ),
    (
        "ec2",
        "authorize-security-group-ingress",
        INGRESS_PARAMETERS,
    ),
    ("ec2", "revoke-security-group-ingress", INGRESS_PARAMETERS),
    ("ec2", "delete-security-group", &["group-id", "group-name"]),
    (
        "ec2",
        "create-key-pair",
        &["key-name", "key-type", "key-format", "tag-specifications"],
    ),
    ("ec2", "delete-key-pair", &["key-name", "key-pair-id"]),
    (
        "ec2",
        "run-instances",
        &[
            "image-id",
            "instance-type",
            "key-name",
            "security-group-ids",
            "security-groups",
            "count",
            "tag-specifications",
            "subnet-id",
            "associate-public-ip-address",
            "no-associate-public-ip-address",
        ],
    ),
    ("ec2", "terminate-instances", &["instance-ids"]),
    ("ec2", "start-instances", &["instance-ids"]),
    ("ec2", "stop-instances", &["instance-ids"]),
    ("ec2", "wait", &["instance-ids", "filters"]),
    ("s3", "mb", &[]),
    ("s3", "ls", &[]),
    ("s3", "rb", &[]),
    ("iam", "list-users", &[]),
    ("iam", "get-account-summary", &[]),
    ("iam", "list-mfa-devices", &["user-name"]),
    ("iam", "list-virtual-mfa-devices", &[]),
];

/// `aws ec2 wait` waiters the shell runs: the instance states the lecture watches for.
const WAITERS: &[&str] = &[
    "instance-running",
    "instance-stopped",
    "instance-terminated",
];

/// How long a waiter polls before giving up, as the CLI's 40 polls 15 seconds apart.
const WAIT_LIMIT: std::time::Duration = std::time::Duration::from_secs(600);

/// The parameters the CLI refuses to go without, by operation.
const REQUIRED: &[(&str, &[&str])] = &[
    ("create-security-group", &["description", "group-name"]),
    ("create-key-pair", &["key-name"]),
    ("terminate-instances", &["instance-ids"]),
    ("start-instances", &["instance-ids"]),
    ("stop-instances", &["instance-ids"]),
];

const INGRESS_PARAMETERS: &[&str] = &[
    "group-id",
    "group-name",
    "protocol",
    "port",
    "cidr",
    "source-group",
    "ip-permissions",
];

/// Why a call gave no answer, and the CLI's status for it.
#[derive(Debug)]
enum Failure {
    /// The line itself is wrong: usage, then the reason (252).
    Usage(String),
    /// A parameter's value cannot be read, or the call could not be made (255).
    Client(String),
    /// The endpoint could not be reached (255).
    Unreachable,
    /// The service said no (254).
    Service {
        code: String,
        message: String,
        operation: String,
    },
}

/// Runs `aws` with the words after it; returns its exit status.
pub fn run(words: &[String], context: &Context, out: &mut dyn Write) -> io::Result<i32> {
    let lang = context.lang;
    let args = match Args::parse(words) {
        Ok(args) => args,
        Err(Usage(reason)) => return failed(&Failure::Usage(reason), out),
    };
    // A shell opens the file of `>` before the command runs, so it is there even if it fails.
    if let Some(file) = &args.redirect
        && let Err(error) = write_file(&context.cwd.join(file), "")
    {
        writeln!(
            out,
            "{}",
            msg::aws_cannot_write(lang, file, &error.to_string())
        )?;
        return Ok(1);
    }
    if args.help || args.service.is_empty() || args.operation.is_empty() {
        return help(&args, lang, out);
    }
    let known = OPERATIONS
        .iter()
        .find(|(service, operation, _)| *service == args.service && *operation == args.operation);
    let Some((_, _, accepted)) = known else {
        let typed = format!("aws {}", words.join(" "));
        writeln!(out, "{}", msg::aws_unsupported(lang, &typed))?;
        return Ok(USAGE);
    };
    // The CLI names each unknown option with the words after it, and stops there.
    let unknown: Vec<String> = args
        .params
        .iter()
        .filter(|(name, _)| !accepted.contains(&name.as_str()))
        .flat_map(|(name, values)| std::iter::once(format!("--{name}")).chain(values.clone()))
        .collect();
    if !unknown.is_empty() {
        let reason = format!("Unknown options: {}", unknown.join(", "));
        return failed(&Failure::Client(reason), out);
    }
    let missing: Vec<String> = REQUIRED
        .iter()
        .filter(|(operation, _)| *operation == args.operation)
        .flat_map(|(_, names)| names.iter())
        .filter(|name| args.param(name).is_none())
        .map(|name| format!("--{name}"))
        .collect();
    if !missing.is_empty() {
        let reason = format!(
            "the following arguments are required: {}",
            missing.join(", ")
        );
        return failed(&Failure::Usage(reason), out);
    }
    let Some(target) = context.target else {
        writeln!(out, "{}", msg::aws_no_target(lang))?;
        return Ok(CLIENT_ERROR);
    };
    let mut config = target.sdk_config();
    if let Some(region) = &args.region {
        config = config
            .into_builder()
            .region(aws_config::Region::new(region.clone()))
            .build();
    }
    if args.operation == "wait" {
        return wait(&args, &config, context, out);
    }
    if args.service == "s3" {
        return s3::run(&args, &config, out);
    }
    let call = call(&args, &config, context.cwd);
    let answer = match crate::target::block_on(call) {
        Ok(answer) => answer,
        Err(error) => Err(Failure::Client(error)),
    };
    let value = match answer {
        Ok(value) => value,
        Err(Failure::Unreachable) => {
            let url = config
                .endpoint_url()
                .unwrap_or_default()
                .trim_end_matches('/');
            let reason = format!("Could not connect to the endpoint URL: \"{url}/\"");
            return failed(&Failure::Client(reason), out);
        }
        Err(failure) => return failed(&failure, out),
    };
    let value = match &args.query {
        Some(query) => {
            match crate::check::Query::compile(query).and_then(|compiled| compiled.search(&value)) {
                Ok(found) => output::in_order_of(found, &value),
                Err(error) => {
                    return failed(
                        &Failure::Client(format!("Bad value for --query {query}: {error}")),
                        out,
                    );
                }
            }
        }
        None => value,
    };
    let printed = match args.output {
        Format::Json => output::json(&value),
        Format::Text => output::text(&value),
        Format::Table => output::table(&operation_name(&args.operation), &value),
    };
    match &args.redirect {
        Some(file) => {
            let path = context.cwd.join(file);
            if let Err(error) = write_file(&path, &printed) {
                writeln!(
                    out,
                    "{}",
                    msg::aws_cannot_write(lang, file, &error.to_string())
                )?;
                return Ok(1);
            }
        }
        None => out.write_all(printed.as_bytes())?,
    }
    Ok(0)
}

/// `aws ec2 wait instance-running …`: polls as the CLI does, with a spinner on a terminal, and
/// prints nothing once the instances are there, as the CLI does.
fn wait(
    args: &Args,
    config: &SdkConfig,
    context: &Context,
    out: &mut dyn Write,
) -> io::Result<i32> {
    let waiter = args.positional.first().map(String::as_str);
    let Some(waiter) = waiter.filter(|w| WAITERS.contains(w) && args.positional.len() == 1) else {
        let reason = format!(
            "argument wait: Invalid choice, valid choices are: {}",
            WAITERS.join(" | ")
        );
        return failed(&Failure::Usage(reason), out);
    };
    let p = Params {
        args,
        cwd: context.cwd,
    };
    let (ids, filters) = match (p.strings("instance-ids"), p.filters()) {
        (Ok(ids), Ok(filters)) => (ids, filters),
        (Err(failure), _) | (_, Err(failure)) => return failed(&failure, out),
    };
    let spinner = indicatif::ProgressBar::new_spinner();
    spinner.set_message(msg::aws_waiting(context.lang, waiter));
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    let ec2 = aws_sdk_ec2::Client::new(config);
    let waited = crate::target::block_on(async {
        use aws_sdk_ec2::client::Waiters;
        match waiter {
            "instance-running" => ec2
                .wait_until_instance_running()
                .set_instance_ids(ids)
                .set_filters(filters)
                .wait(WAIT_LIMIT)
                .await
                .map(|_| ())
                .map_err(|error| error.to_string()),
            "instance-stopped" => ec2
                .wait_until_instance_stopped()
                .set_instance_ids(ids)
                .set_filters(filters)
                .wait(WAIT_LIMIT)
                .await
                .map(|_| ())
                .map_err(|error| error.to_string()),
            _ => ec2
                .wait_until_instance_terminated()
                .set_instance_ids(ids)
                .set_filters(filters)
                .wait(WAIT_LIMIT)
                .await
                .map(|_| ())
                .map_err(|error| error.to_string()),
        }
    });
    spinner.finish_and_clear();
    match waited {
        Ok(Ok(())) => Ok(0),
        Ok(Err(_)) | Err(_) => {
            let name = operation_name(waiter);
            let reason = format!("Waiter {name} failed: Max attempts exceeded");
            failed(&Failure::Client(reason), out)
        }
    }
}

/// IAM's calls: who is there, and whether they (and the root user) have MFA.
async fn iam(p: &Params<'_>, op: &str, config: &SdkConfig) -> Result<Value, Failure> {
    let iam = aws_sdk_iam::Client::new(config);
    match op {
        "list-users" => {
            let mut users = Vec::new();
            let mut pages = iam.list_users().into_paginator().send();
            while let Some(page) = pages.next().await {
                let page = page.map_err(|error| sdk_failure(op, error))?;
                users.extend(page.users().iter().cloned());
            }
            Ok(cli_json::iam::list_users(&users))
        }
        "get-account-summary" => {
            let summary = send(op, iam.get_account_summary().send()).await?;
            Ok(cli_json::iam::get_account_summary(
                summary.summary_map().unwrap_or(&Default::default()),
            ))
        }
        "list-mfa-devices" => {
            let request = iam
                .list_mfa_devices()
                .set_user_name(p.one("user-name")?)
                .send();
            let devices = send(op, request).await?;
            Ok(cli_json::iam::list_mfa_devices(devices.mfa_devices()))
        }
        _ => {
            let devices = send(op, iam.list_virtual_mfa_devices().send()).await?;
            Ok(cli_json::iam::list_virtual_mfa_devices(
                devices.virtual_mfa_devices(),
            ))
        }
    }
}

/// Writes a redirected answer as a shell would: created with mode 0644 (its umask 022), or
/// truncated if it was there.
fn write_file(path: &Path, text: &str) -> io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o644);
    }
    options.open(path)?.write_all(text.as_bytes())
}

/// Prints a failure as the CLI does and returns its status.
fn failed(failure: &Failure, out: &mut dyn Write) -> io::Result<i32> {
    match failure {
        Failure::Usage(reason) => {
            writeln!(
                out,
                "usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\n\
                 To see help text, you can run:\n\n  aws help\n  aws <command> help\n  \
                 aws <command> <subcommand> help\naws: error: {reason}"
            )?;
            Ok(USAGE)
        }
        Failure::Unreachable => {
            writeln!(out, "\nCould not connect to the endpoint URL")?;
            Ok(CLIENT_ERROR)
        }
        Failure::Client(reason) => {
            writeln!(out, "\n{reason}")?;
            Ok(CLIENT_ERROR)
        }
        Failure::Service {
            code,
            message,
            operation,
        } => {
            writeln!(
                out,
                "\nAn error occurred ({code}) when calling the {operation} operation: {message}"
            )?;
            Ok(SERVICE_ERROR)
        }
    }
}

/// `aws help`, `aws ec2 help`: what the shell can call.
fn help(args: &Args, lang: Lang, out: &mut dyn Write) -> io::Result<i32> {
    writeln!(out, "{}", msg::aws_help(lang))?;
    for (service, operation, _) in OPERATIONS {
        if args.service.is_empty() || args.service == *service {
            writeln!(out, "  aws {service} {operation}")?;
        }
    }
    writeln!(out, "{}", msg::aws_elsewhere(lang))?;
    Ok(0)
}

/// `describe-security-groups` → `DescribeSecurityGroups`, as the CLI names the operation in
/// its errors.
fn operation_name(operation: &str) -> String {
    operation
        .split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or(String::new(), |first| {
                first.to_uppercase().chain(chars).collect()
            })
        })
        .collect()
}

/// An SDK error as the CLI reports it.
fn sdk_failure<E, R>(operation: &str, error: SdkError<E, R>) -> Failure
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    match &error {
        SdkError::ServiceError(service) => Failure::Service {
            code: service.err().code().unwrap_or("Unknown").to_string(),
            message: service.err().message().unwrap_or_default().to_string(),
            operation: operation_name(operation),
        },
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => Failure::Unreachable,
        _ => {
            let mut text = error.to_string();
            let mut source = std::error::Error::source(&error);
            while let Some(cause) = source {
                text = format!("{text}: {cause}");
                source = cause.source();
            }
            Failure::Client(format!(
                "Could not complete {}: {text}",
                operation_name(operation)
            ))
        }
    }
}

/// The parameters, read: `file://` values loaded, shorthand and JSON parsed on demand.
struct Params<'a> {
    args: &'a Args,
    cwd: &'a Path,
}

impl Params<'_> {
    /// The words of `--name`, `file://` ones replaced by the file's text.
    fn words(&self, name: &str) -> Result<Option<Vec<String>>, Failure> {
        let Some(words) = self.args.param(name) else {
            return Ok(None);
        };
        let mut read = Vec::new();
        for word in words {
            match word.strip_prefix("file://") {
                Some(file) => {
                    let text = std::fs::read_to_string(self.cwd.join(file)).map_err(|error| {
                        // Python's words for it: `[Errno 2] No such file or directory: 'x'`.
                        let reason = error.to_string();
                        let reason = reason.split(" (os error").next().unwrap_or_default();
                        let errno = error.raw_os_error().unwrap_or_default();
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
    fn one(&self, name: &str) -> Result<Option<String>, Failure> {
        match self.words(name)? {
            None => Ok(None),
            Some(words) if words.len() == 1 => Ok(words.into_iter().next()),
            Some(_) => Err(Failure::Usage(format!(
                "argument --{name}: expected one argument"
            ))),
        }
    }

    fn required(&self, name: &str) -> Result<String, Failure> {
        self.one(name)?.ok_or_else(|| {
            Failure::Usage(format!("the following arguments are required: --{name}"))
        })
    }

    /// A list of strings: the words, or one JSON list.
    fn strings(&self, name: &str) -> Result<Option<Vec<String>>, Failure> {
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
    fn structures(&self, name: &str) -> Result<Option<Vec<Value>>, Failure> {
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

    fn flag(&self, name: &str) -> bool {
        self.args.param(name).is_some()
    }

    fn filters(&self) -> Result<Option<Vec<Filter>>, Failure> {
        let Some(items) = self.structures("filters")? else {
            return Ok(None);
        };
        Ok(Some(
            items
                .iter()
                .map(|item| {
                    Filter::builder()
                        .set_name(text(item, "Name"))
                        .set_values(Some(texts(item, "Values")))
                        .build()
                })
                .collect(),
        ))
    }

    fn tag_specifications(&self) -> Result<Option<Vec<TagSpecification>>, Failure> {
        let Some(items) = self.structures("tag-specifications")? else {
            return Ok(None);
        };
        Ok(Some(
            items
                .iter()
                .map(|item| {
                    TagSpecification::builder()
                        .set_resource_type(
                            text(item, "ResourceType").map(|t| ResourceType::from(t.as_str())),
                        )
                        .set_tags(Some(
                            list(item, "Tags")
                                .iter()
                                .map(|tag| {
                                    Tag::builder()
                                        .set_key(text(tag, "Key"))
                                        .set_value(text(tag, "Value"))
                                        .build()
                                })
                                .collect(),
                        ))
                        .build()
                })
                .collect(),
        ))
    }

    /// The rules of an ingress call: `--ip-permissions`, else `--protocol --port --cidr`.
    fn permissions(&self) -> Result<Option<Vec<IpPermission>>, Failure> {
        if let Some(items) = self.structures("ip-permissions")? {
            return items
                .iter()
                .map(permission)
                .collect::<Result<_, _>>()
                .map(Some);
        }
        let Some(protocol) = self.one("protocol")? else {
            return Ok(None);
        };
        let (from, to) = match self.one("port")? {
            Some(port) => ports(&port)?,
            None => (None, None),
        };
        let mut rule = IpPermission::builder()
            .ip_protocol(protocol)
            .set_from_port(from)
            .set_to_port(to);
        if let Some(cidr) = self.one("cidr")? {
            rule = rule.ip_ranges(IpRange::builder().cidr_ip(cidr).build());
        }
        if let Some(group) = self.one("source-group")? {
            let pair = UserIdGroupPair::builder();
            rule = rule.user_id_group_pairs(if group.starts_with("sg-") {
                pair.group_id(group).build()
            } else {
                pair.group_name(group).build()
            });
        }
        Ok(Some(vec![rule.build()]))
    }
}

/// `22` or `8000-8080` (`-1` for all).
fn ports(port: &str) -> Result<(Option<i32>, Option<i32>), Failure> {
    let bad = || {
        Failure::Client(
            "port parameter should be of the form <from[-to]> (e.g., 22 or 22-25)".to_string(),
        )
    };
    let number = |text: &str| text.trim().parse::<i32>().map_err(|_| bad());
    if port == "-1" || port == "all" {
        return Ok((Some(-1), Some(-1)));
    }
    match port.split_once('-') {
        Some((from, to)) => Ok((Some(number(from)?), Some(number(to)?))),
        None => {
            let only = number(port)?;
            Ok((Some(only), Some(only)))
        }
    }
}

fn permission(item: &Value) -> Result<IpPermission, Failure> {
    let port = |key: &str| -> Result<Option<i32>, Failure> {
        match item.get(key) {
            None => Ok(None),
            Some(Value::Number(n)) => Ok(n.as_i64().and_then(|n| i32::try_from(n).ok())),
            Some(other) => {
                let text = other.as_str().unwrap_or_default();
                text.trim().parse().map(Some).map_err(|_| {
                    Failure::Client(format!(
                        "Error parsing parameter '--ip-permissions': invalid literal for \
                         int() with base 10: '{text}'"
                    ))
                })
            }
        }
    };
    Ok(IpPermission::builder()
        .set_ip_protocol(text(item, "IpProtocol"))
        .set_from_port(port("FromPort")?)
        .set_to_port(port("ToPort")?)
        .set_ip_ranges(item.get("IpRanges").map(|_| {
            list(item, "IpRanges")
                .iter()
                .map(|range| {
                    IpRange::builder()
                        .set_cidr_ip(text(range, "CidrIp"))
                        .set_description(text(range, "Description"))
                        .build()
                })
                .collect()
        }))
        .set_user_id_group_pairs(item.get("UserIdGroupPairs").map(|_| {
            list(item, "UserIdGroupPairs")
                .iter()
                .map(|pair| {
                    UserIdGroupPair::builder()
                        .set_group_id(text(pair, "GroupId"))
                        .set_group_name(text(pair, "GroupName"))
                        .set_description(text(pair, "Description"))
                        .build()
                })
                .collect()
        }))
        .build())
}

/// A field as text (numbers as written).
fn text(item: &Value, key: &str) -> Option<String> {
    match item.get(key)? {
        Value::String(text) => Some(text.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// A field that is a list, or one item.
fn list(item: &Value, key: &str) -> Vec<Value> {
    match item.get(key) {
        Some(Value::Array(items)) => items.clone(),
        Some(Value::Null) | None => Vec::new(),
        Some(one) => vec![one.clone()],
    }
}

fn texts(item: &Value, key: &str) -> Vec<String> {
    list(item, key)
        .iter()
        .map(|value| match value {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        })
        .collect()
}

/// Sends one request, mapping its error as the CLI reports it.
async fn send<T, E, R>(
    operation: &str,
    request: impl Future<Output = Result<T, SdkError<E, R>>>,
) -> Result<T, Failure>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    request.await.map_err(|error| sdk_failure(operation, error))
}

/// Makes the call `args` names and renders its answer as the CLI's JSON.
async fn call(args: &Args, config: &SdkConfig, cwd: &Path) -> Result<Value, Failure> {
    let p = Params { args, cwd };
    let op = args.operation.as_str();
    if args.service == "sts" {
        let sts = aws_sdk_sts::Client::new(config);
        if op == "get-session-token" {
            let duration = match p.one("duration-seconds")? {
                Some(text) => Some(text.parse::<i32>().map_err(|_| {
                    Failure::Usage(format!(
                        "argument --duration-seconds: invalid integer value: '{text}'"
                    ))
                })?),
                None => None,
            };
            let request = sts
                .get_session_token()
                .set_serial_number(p.one("serial-number")?)
                .set_token_code(p.one("token-code")?)
                .set_duration_seconds(duration)
                .send();
            return Ok(cli_json::sts::get_session_token(&send(op, request).await?));
        }
        let identity = send(op, sts.get_caller_identity().send()).await?;
        return Ok(cli_json::sts::get_caller_identity(&identity));
    }
    if args.service == "iam" {
        return iam(&p, op, config).await;
    }
    let ec2 = aws_sdk_ec2::Client::new(config);
    match op {
        "describe-instances" => {
            let mut reservations = Vec::new();
            let mut pages = ec2
                .describe_instances()
                .set_instance_ids(p.strings("instance-ids")?)
                .set_filters(p.filters()?)
                .into_paginator()
                .send();
            while let Some(page) = pages.next().await {
                let page = page.map_err(|error| sdk_failure(op, error))?;
                reservations.extend(page.reservations().iter().cloned());
            }
            Ok(cli_json::ec2::describe_instances(&reservations))
        }
        "describe-security-groups" => {
            let mut groups = Vec::new();
            let mut pages = ec2
                .describe_security_groups()
                .set_group_ids(p.strings("group-ids")?)
                .set_group_names(p.strings("group-names")?)
                .set_filters(p.filters()?)
                .into_paginator()
                .send();
            while let Some(page) = pages.next().await {
                let page = page.map_err(|error| sdk_failure(op, error))?;
                groups.extend(page.security_groups().iter().cloned());
            }
            Ok(cli_json::ec2::describe_security_groups(&groups))
        }
        "describe-key-pairs" => {
            let request = ec2
                .describe_key_pairs()
                .set_key_names(p.strings("key-names")?)
                .set_key_pair_ids(p.strings("key-pair-ids")?)
                .set_filters(p.filters()?)
                .send();
            let pairs = send(op, request).await?;
            Ok(cli_json::ec2::describe_key_pairs(pairs.key_pairs()))
        }
        "describe-images" => {
            let request = ec2
                .describe_images()
                .set_owners(p.strings("owners")?)
                .set_image_ids(p.strings("image-ids")?)
                .set_filters(p.filters()?)
                .send();
            let images = send(op, request).await?;
            Ok(cli_json::ec2::describe_images(images.images()))
        }
        "create-security-group" => {
            let request = ec2
                .create_security_group()
                .group_name(p.required("group-name")?)
                .description(p.required("description")?)
                .set_vpc_id(p.one("vpc-id")?)
                .set_tag_specifications(p.tag_specifications()?)
                .send();
            Ok(cli_json::ec2::create_security_group(
                &send(op, request).await?,
            ))
        }
        "authorize-security-group-ingress" => {
            let request = ec2
                .authorize_security_group_ingress()
                .set_group_id(p.one("group-id")?)
                .set_group_name(p.one("group-name")?)
                .set_ip_permissions(p.permissions()?)
                .send();
            Ok(cli_json::ec2::authorize_ingress(&send(op, request).await?))
        }
        "revoke-security-group-ingress" => {
            let request = ec2
                .revoke_security_group_ingress()
                .set_group_id(p.one("group-id")?)
                .set_group_name(p.one("group-name")?)
                .set_ip_permissions(p.permissions()?)
                .send();
            Ok(cli_json::ec2::revoke_ingress(&send(op, request).await?))
        }
        "delete-security-group" => {
            let request = ec2
                .delete_security_group()
                .set_group_id(p.one("group-id")?)
                .set_group_name(p.one("group-name")?)
                .send();
            let deleted = send(op, request).await?;
            Ok(cli_json::Object::new()
                .opt("Return", deleted.r#return())
                .opt("GroupId", deleted.group_id())
                .build())
        }
        "create-key-pair" => {
            let request = ec2
                .create_key_pair()
                .key_name(p.required("key-name")?)
                .set_key_type(p.one("key-type")?.map(|t| t.as_str().into()))
                .set_key_format(p.one("key-format")?.map(|f| f.as_str().into()))
                .set_tag_specifications(p.tag_specifications()?)
                .send();
            Ok(cli_json::ec2::create_key_pair(&send(op, request).await?))
        }
        "delete-key-pair" => {
            let request = ec2
                .delete_key_pair()
                .set_key_name(p.one("key-name")?)
                .set_key_pair_id(p.one("key-pair-id")?)
                .send();
            let deleted = send(op, request).await?;
            Ok(cli_json::Object::new()
                .opt("Return", deleted.r#return())
                .opt("KeyPairId", deleted.key_pair_id())
                .build())
        }
        "run-instances" => {
            let (min, max) = match p.one("count")? {
                None => (1, 1),
                Some(count) => count_range(&count)?,
            };
            let public = if p.flag("associate-public-ip-address") {
                Some(true)
            } else if p.flag("no-associate-public-ip-address") {
                Some(false)
            } else {
                None
            };
            let mut request = ec2
                .run_instances()
                .set_image_id(p.one("image-id")?)
                .set_instance_type(p.one("instance-type")?.map(|t| t.as_str().into()))
                .set_key_name(p.one("key-name")?)
                .set_tag_specifications(p.tag_specifications()?)
                .min_count(min)
                .max_count(max);
            // The CLI puts the groups and the public address on a network interface when it
            // is asked for the address, as the API wants them there.
            match public {
                Some(public) => {
                    let interface =
                        aws_sdk_ec2::types::InstanceNetworkInterfaceSpecification::builder()
                            .device_index(0)
                            .associate_public_ip_address(public)
                            .set_groups(p.strings("security-group-ids")?)
                            .set_subnet_id(p.one("subnet-id")?)
                            .build();
                    request = request.network_interfaces(interface);
                }
                None => {
                    request = request
                        .set_security_group_ids(p.strings("security-group-ids")?)
                        .set_security_groups(p.strings("security-groups")?)
                        .set_subnet_id(p.one("subnet-id")?);
                }
            }
            Ok(cli_json::ec2::run_instances(
                &send(op, request.send()).await?,
            ))
        }
        "terminate-instances" => {
            let request = ec2
                .terminate_instances()
                .set_instance_ids(Some(required_list(&p, "instance-ids")?))
                .send();
            let changes = send(op, request).await?;
            Ok(cli_json::ec2::state_changes(
                "TerminatingInstances",
                changes.terminating_instances(),
            ))
        }
        "start-instances" => {
            let request = ec2
                .start_instances()
                .set_instance_ids(Some(required_list(&p, "instance-ids")?))
                .send();
            let changes = send(op, request).await?;
            Ok(cli_json::ec2::state_changes(
                "StartingInstances",
                changes.starting_instances(),
            ))
        }
        "stop-instances" => {
            let request = ec2
                .stop_instances()
                .set_instance_ids(Some(required_list(&p, "instance-ids")?))
                .send();
            let changes = send(op, request).await?;
            Ok(cli_json::ec2::state_changes(
                "StoppingInstances",
                changes.stopping_instances(),
            ))
        }
        other => Err(Failure::Usage(format!(
            "argument operation: Invalid choice: '{other}'"
        ))),
    }
}

fn required_list(p: &Params, name: &str) -> Result<Vec<String>, Failure> {
    p.strings(name)?
        .filter(|list| !list.is_empty())
        .ok_or_else(|| Failure::Usage(format!("the following arguments are required: --{name}")))
}

/// `--count 2` or `--count 1:3`.
fn count_range(count: &str) -> Result<(i32, i32), Failure> {
    let bad = || {
        Failure::Client(format!(
            "count parameter should be of form min[:max] (e.g. 1 or 1:10), got {count}"
        ))
    };
    let number = |text: &str| text.trim().parse::<i32>().map_err(|_| bad());
    match count.split_once(':') {
        Some((min, max)) => Ok((number(min)?, number(max)?)),
        None => {
            let n = number(count)?;
            Ok((n, n))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_are_named_as_in_the_api() {
        assert_eq!(
            operation_name("create-security-group"),
            "CreateSecurityGroup"
        );
        assert_eq!(operation_name("get-caller-identity"), "GetCallerIdentity");
    }

    #[test]
    fn ports_and_counts_read_as_the_cli_reads_them() {
        assert_eq!(ports("22").ok(), Some((Some(22), Some(22))));
        assert_eq!(ports("8000-8080").ok(), Some((Some(8000), Some(8080))));
        assert_eq!(ports("-1").ok(), Some((Some(-1), Some(-1))));
        assert!(ports("ssh").is_err());
        assert_eq!(count_range("2").ok(), Some((2, 2)));
        assert_eq!(count_range("1:3").ok(), Some((1, 3)));
    }

    #[test]
    fn file_values_are_read_from_the_working_folder() {
        let dir = tempfile::tempdir().expect("dir");
        std::fs::write(
            dir.path().join("rules.json"),
            r#"[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
                 "IpRanges": [{"CidrIp": "1.2.3.4/32"}]}]"#,
        )
        .expect("write");
        let words: Vec<String> = [
            "ec2",
            "authorize-security-group-ingress",
            "--ip-permissions",
        ]
        .iter()
        .map(|w| w.to_string())
        .chain(["file://rules.json".to_string()])
        .collect();
        let args = Args::parse(&words).expect("parse");
        let params = Params {
            args: &args,
            cwd: dir.path(),
        };
        let rules = params.permissions().ok().flatten().expect("rules");
        assert_eq!(rules[0].from_port(), Some(22));
        assert_eq!(rules[0].ip_ranges()[0].cidr_ip(), Some("1.2.3.4/32"));
        let missing = Args::parse(&[
            "ec2".into(),
            "describe-instances".into(),
            "--filters".into(),
            "file://nope.json".into(),
        ])
        .expect("parse");
        let params = Params {
            args: &missing,
            cwd: dir.path(),
        };
        assert!(matches!(params.filters(), Err(Failure::Client(_))));
    }

    #[test]
    fn shorthand_rules_become_the_sdk_s() {
        let words: Vec<String> = [
            "ec2",
            "authorize-security-group-ingress",
            "--group-id",
            "sg-1",
            "--ip-permissions",
            "IpProtocol=tcp,FromPort=22,ToPort=22,IpRanges=[{CidrIp=1.2.3.4/32}]",
        ]
        .map(String::from)
        .to_vec();
        let args = Args::parse(&words).expect("parse");
        let params = Params {
            args: &args,
            cwd: Path::new("."),
        };
        let rules = params.permissions().ok().flatten().expect("rules");
        assert_eq!(rules[0].ip_protocol(), Some("tcp"));
        assert_eq!(rules[0].to_port(), Some(22));
        let words = [
            "ec2",
            "authorize-security-group-ingress",
            "--protocol",
            "tcp",
            "--port",
            "22",
            "--cidr",
            "1.2.3.4/32",
        ]
        .map(String::from)
        .to_vec();
        let args = Args::parse(&words).expect("parse");
        let params = Params {
            args: &args,
            cwd: Path::new("."),
        };
        let rules = params.permissions().ok().flatten().expect("rules");
        assert_eq!(rules[0].from_port(), Some(22));
        assert_eq!(rules[0].ip_ranges()[0].cidr_ip(), Some("1.2.3.4/32"));
    }
}
