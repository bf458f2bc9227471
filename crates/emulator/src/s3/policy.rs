//! S3 bucket policies: checked as PutBucketPolicy checks them, evaluated for one request, and
//! judged public or not as Block Public Access judges them.
//!
//! Learners paste policies from the console and from blog posts. A policy S3 would refuse is
//! refused here too, with S3's message, because that message is what they will meet on AWS.
//! Only the bucket policy's own decision is made here: combining it with the caller's identity,
//! object ownership and Block Public Access belongs to the S3 handlers.
//!
//! A request here carries no source IP, time or VPC. Conditions on those (`IpAddress`, `Date…`,
//! `Numeric…`, `BinaryEquals`) are accepted, since S3 accepts them, and evaluated as if their key
//! were absent. Policy variables such as `${aws:username}` are not substituted.

use std::collections::HashSet;
use std::fmt;

use serde_json::{Map, Value};

/// A parsed, validated bucket policy. Keeps the original text (`text()`) so GetBucketPolicy
/// returns it verbatim, as S3 does.
#[derive(Debug, Clone)]
pub struct Policy {
    text: String,
    statements: Vec<Statement>,
}

/// Why PutBucketPolicy refused a policy. `code` is always `MalformedPolicy`, S3's only code for
/// a policy it cannot accept; `message` is S3's wording where it is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    pub code: &'static str,
    pub message: String,
}

/// Who sends a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Principal<'a> {
    Anonymous,
    /// A signed IAM identity: its account id and ARN (`arn:aws:iam::123456789012:root` or
    /// `arn:aws:iam::123456789012:user/alice`).
    Aws {
        account: &'a str,
        arn: &'a str,
    },
    /// An AWS service acting for a resource, e.g. CloudFront with Origin Access Control:
    /// name `cloudfront.amazonaws.com`, source_arn
    /// `arn:aws:cloudfront::123456789012:distribution/E2ABC…`, source_account `123456789012`.
    Service {
        name: &'a str,
        source_arn: Option<&'a str>,
        source_account: Option<&'a str>,
    },
}

/// What a policy is asked about.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub principal: Principal<'a>,
    /// `s3:GetObject`.
    pub action: &'a str,
    /// `arn:aws:s3:::bucket/key` or `arn:aws:s3:::bucket`.
    pub resource: &'a str,
    pub secure_transport: bool,
}

/// A policy's verdict on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// An explicit deny, which nothing else can override.
    Deny,
    /// No statement applies: whether the request goes through is up to other policies.
    NotApplicable,
}

const MALFORMED: &str = "MalformedPolicy";
const S3_ARN: &str = "arn:aws:s3:::";
const INVALID_PRINCIPAL: &str = "Invalid principal in policy";
const INVALID_ACTION: &str = "Policy has invalid action";
const INVALID_RESOURCE: &str = "Policy has invalid resource";

const POLICY_FIELDS: &[&str] = &["Version", "Id", "Statement"];
const STATEMENT_FIELDS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

/// Actions whose resource is the bucket ARN. S3 refuses a statement naming one of these with
/// object ARNs only (and the reverse for `OBJECT_ACTIONS`); an action in neither table is never
/// refused, since a table that is short by one name must not turn away a valid policy.
const BUCKET_ACTIONS: &[&str] = &[
    "CreateBucket",
    "DeleteBucket",
    "DeleteBucketPolicy",
    "DeleteBucketWebsite",
    "GetAccelerateConfiguration",
    "GetBucketAcl",
    "GetBucketCORS",
    "GetBucketLocation",
    "GetBucketLogging",
    "GetBucketNotification",
    "GetBucketObjectLockConfiguration",
    "GetBucketOwnershipControls",
    "GetBucketPolicy",
    "GetBucketPolicyStatus",
    "GetBucketPublicAccessBlock",
    "GetBucketRequestPayment",
    "GetBucketTagging",
    "GetBucketVersioning",
    "GetBucketWebsite",
    "GetEncryptionConfiguration",
    "GetLifecycleConfiguration",
    "GetReplicationConfiguration",
    "ListBucket",
    "ListBucketMultipartUploads",
    "ListBucketVersions",
    "PutAccelerateConfiguration",
    "PutBucketAcl",
    "PutBucketCORS",
    "PutBucketLogging",
    "PutBucketNotification",
    "PutBucketObjectLockConfiguration",
    "PutBucketOwnershipControls",
    "PutBucketPolicy",
    "PutBucketPublicAccessBlock",
    "PutBucketRequestPayment",
    "PutBucketTagging",
    "PutBucketVersioning",
    "PutBucketWebsite",
    "PutEncryptionConfiguration",
    "PutLifecycleConfiguration",
    "PutReplicationConfiguration",
];

/// Actions whose resource is an object ARN (`arn:aws:s3:::bucket/key`).
const OBJECT_ACTIONS: &[&str] = &[
    "AbortMultipartUpload",
    "BypassGovernanceRetention",
    "DeleteObject",
    "DeleteObjectTagging",
    "DeleteObjectVersion",
    "DeleteObjectVersionTagging",
    "GetObject",
    "GetObjectAcl",
    "GetObjectAttributes",
    "GetObjectLegalHold",
    "GetObjectRetention",
    "GetObjectTagging",
    "GetObjectVersion",
    "GetObjectVersionAcl",
    "GetObjectVersionAttributes",
    "GetObjectVersionTagging",
    "ListMultipartUploadParts",
    "PutObject",
    "PutObjectAcl",
    "PutObjectLegalHold",
    "PutObjectRetention",
    "PutObjectTagging",
    "PutObjectVersionAcl",
    "PutObjectVersionTagging",
    "ReplicateDelete",
    "ReplicateObject",
    "ReplicateTags",
    "RestoreObject",
];

/// Condition operators S3 accepts, without `IfExists` or a `ForAnyValue:`/`ForAllValues:`
/// prefix: what each compares, and whether it is negated (true when the key is absent).
const OPERATORS: &[(&str, Test, bool)] = &[
    ("StringEquals", Test::Equals, false),
    ("StringNotEquals", Test::Equals, true),
    ("StringEqualsIgnoreCase", Test::EqualsIgnoreCase, false),
    ("StringNotEqualsIgnoreCase", Test::EqualsIgnoreCase, true),
    ("StringLike", Test::Like, false),
    ("StringNotLike", Test::Like, true),
    ("ArnEquals", Test::Arn, false),
    ("ArnLike", Test::Arn, false),
    ("ArnNotEquals", Test::Arn, true),
    ("ArnNotLike", Test::Arn, true),
    ("Bool", Test::Bool, false),
    ("Null", Test::Null, false),
    ("IpAddress", Test::Ip, false),
    ("NotIpAddress", Test::Ip, true),
    ("NumericEquals", Test::Uncarried, false),
    ("NumericNotEquals", Test::Uncarried, true),
    ("NumericLessThan", Test::Uncarried, false),
    ("NumericLessThanEquals", Test::Uncarried, false),
    ("NumericGreaterThan", Test::Uncarried, false),
    ("NumericGreaterThanEquals", Test::Uncarried, false),
    ("DateEquals", Test::Uncarried, false),
    ("DateNotEquals", Test::Uncarried, true),
    ("DateLessThan", Test::Uncarried, false),
    ("DateLessThanEquals", Test::Uncarried, false),
    ("DateGreaterThan", Test::Uncarried, false),
    ("DateGreaterThanEquals", Test::Uncarried, false),
    ("BinaryEquals", Test::Uncarried, false),
];

/// Keys that, pinned to a fixed value, make an `Allow` to everyone non-public under Block
/// Public Access: they tie the grant to a known account, network or resource.
const LIMITING_KEYS: &[&str] = &[
    "aws:sourcearn",
    "aws:sourceaccount",
    "aws:sourceowner",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:userid",
    "aws:principalorgid",
    "aws:principalaccount",
    "s3:dataaccesspointarn",
    "s3:dataaccesspointaccount",
    "s3:x-amz-server-side-encryption-aws-kms-key-id",
];

#[derive(Debug, Clone)]
struct Statement {
    sid: Option<String>,
    effect: Effect,
    principals: Clause<PrincipalPattern>,
    /// Lowercase, since action names match case-insensitively.
    actions: Clause<String>,
    resources: Clause<String>,
    conditions: Vec<Condition>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Effect {
    Allow,
    Deny,
}

/// The list from `X` or from `NotX`: a `NotX` statement applies to what its list does not match.
#[derive(Debug, Clone)]
struct Clause<T> {
    items: Vec<T>,
    negated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum PrincipalPattern {
    Everyone,
    /// Every identity of the account. AWS reads `arn:aws:iam::<id>:root` the same way, so both
    /// spellings become this.
    Account(String),
    Arn(String),
    Service(String),
}

#[derive(Debug, Clone)]
struct Condition {
    test: Test,
    negated: bool,
    if_exists: bool,
    set: Option<SetQualifier>,
    /// Lowercase, since condition keys match case-insensitively.
    key: String,
    values: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Test {
    Equals,
    EqualsIgnoreCase,
    Like,
    Arn,
    Bool,
    Null,
    /// Kept apart from `Uncarried` only because a fixed `aws:SourceIp` makes a policy non-public.
    Ip,
    /// Numbers, dates and binary values: no request here carries one.
    Uncarried,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SetQualifier {
    ForAnyValue,
    ForAllValues,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Bucket,
    Object,
}

impl Policy {
    /// Validates as S3's PutBucketPolicy does, for the bucket `bucket`.
    pub fn parse(text: &str, bucket: &str) -> Result<Policy, PolicyError> {
        let Ok(Value::Object(document)) = serde_json::from_str::<Value>(text) else {
            return Err(malformed(
                "Policies must be valid JSON and the first byte must be '{'",
            ));
        };
        check_fields(&document, POLICY_FIELDS)?;
        match document.get("Version") {
            None => {}
            Some(Value::String(v)) if v == "2012-10-17" || v == "2008-10-17" => {}
            Some(_) => {
                return Err(malformed("The policy must contain a valid version string"));
            }
        }
        if document.get("Id").is_some_and(|id| !id.is_string()) {
            return Err(malformed("Id must be a string"));
        }
        let statements: Vec<&Map<String, Value>> = match document.get("Statement") {
            None => return Err(missing("Statement")),
            Some(Value::Object(one)) => vec![one],
            Some(Value::Array(many)) if !many.is_empty() => many
                .iter()
                .map(|s| s.as_object().ok_or_else(statement_shape))
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(statement_shape()),
        };
        let mut sids = HashSet::new();
        let mut parsed = Vec::with_capacity(statements.len());
        for statement in statements {
            let statement = Statement::parse(statement, bucket)?;
            // An empty Sid names nothing, so two of them do not clash.
            if let Some(sid) = statement.sid.as_deref().filter(|sid| !sid.is_empty())
                && !sids.insert(sid.to_string())
            {
                return Err(malformed(
                    "Statement IDs (SID) in a single policy must be unique",
                ));
            }
            parsed.push(statement);
        }
        Ok(Policy {
            text: text.to_string(),
            statements: parsed,
        })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The decision of this policy alone for one request.
    pub fn evaluate(&self, request: &Request<'_>) -> Decision {
        let mut decision = Decision::NotApplicable;
        for statement in self.statements.iter().filter(|s| s.applies(request)) {
            match statement.effect {
                Effect::Deny => return Decision::Deny,
                Effect::Allow => decision = Decision::Allow,
            }
        }
        decision
    }

    /// Whether S3 would call this policy "public" (Block Public Access's definition): some
    /// `Allow` reaches everyone and no condition pins it to a fixed account, source or network.
    pub fn is_public(&self) -> bool {
        self.statements.iter().any(|s| {
            s.effect == Effect::Allow
                && s.reaches_everyone()
                && !s.conditions.iter().any(Condition::limits_who)
        })
    }
}

impl Statement {
    fn parse(statement: &Map<String, Value>, bucket: &str) -> Result<Statement, PolicyError> {
        check_fields(statement, STATEMENT_FIELDS)?;
        let sid = match statement.get("Sid") {
            None => None,
            Some(Value::String(sid)) => Some(sid.clone()),
            Some(_) => return Err(malformed("Sid must be a string")),
        };
        let effect = match statement.get("Effect") {
            None => return Err(missing("Effect")),
            Some(Value::String(e)) if e == "Allow" => Effect::Allow,
            Some(Value::String(e)) if e == "Deny" => Effect::Deny,
            Some(Value::String(e)) => return Err(malformed(format!("Invalid effect: {e}"))),
            Some(other) => return Err(malformed(format!("Invalid effect: {other}"))),
        };
        let principals = clause(statement, "Principal", "NotPrincipal", parse_principals)?;
        let actions = clause(statement, "Action", "NotAction", parse_actions)?;
        let resources = clause(statement, "Resource", "NotResource", |v| {
            parse_resources(v, bucket)
        })?;
        let conditions = match statement.get("Condition") {
            None => Vec::new(),
            Some(value) => parse_conditions(value)?,
        };
        check_levels(&actions, &resources)?;
        Ok(Statement {
            sid,
            effect,
            principals,
            actions,
            resources,
            conditions,
        })
    }

    fn applies(&self, request: &Request<'_>) -> bool {
        let action = request.action.to_ascii_lowercase();
        self.principals.matches(|p| p.matches(&request.principal))
            && self.actions.matches(|a| wildcard_match(a, &action))
            && self
                .resources
                .matches(|r| wildcard_match(r, request.resource))
            && self.conditions.iter().all(|c| c.holds(request))
    }

    /// `NotPrincipal` counts as everyone: it names the few it leaves out.
    fn reaches_everyone(&self) -> bool {
        self.principals.negated || self.principals.items.contains(&PrincipalPattern::Everyone)
    }
}

impl<T> Clause<T> {
    fn matches(&self, test: impl FnMut(&T) -> bool) -> bool {
        self.items.iter().any(test) != self.negated
    }
}

impl PrincipalPattern {
    fn matches(&self, principal: &Principal<'_>) -> bool {
        match (self, principal) {
            (PrincipalPattern::Everyone, _) => true,
            (PrincipalPattern::Account(id), Principal::Aws { account, .. }) => id == account,
            (PrincipalPattern::Arn(pattern), Principal::Aws { arn, .. }) => pattern == arn,
            (PrincipalPattern::Service(service), Principal::Service { name, .. }) => {
                service.eq_ignore_ascii_case(name)
            }
            _ => false,
        }
    }
}

impl Condition {
    fn holds(&self, request: &Request<'_>) -> bool {
        let actual = match self.test {
            Test::Ip | Test::Uncarried => None,
            _ => request.context_value(&self.key),
        };
        let is = |wanted: &str| self.values.iter().any(|v| v.eq_ignore_ascii_case(wanted));
        match (self.test, actual) {
            // `Null: true` asks for the key to be absent, `Null: false` for it to be present.
            (Test::Null, None) => is("true"),
            (Test::Null, Some(_)) => is("false"),
            (_, None) if self.if_exists => true,
            (_, None) => match self.set {
                // With no values, "all values match" holds vacuously and "any value" does not.
                Some(SetQualifier::ForAllValues) => true,
                Some(SetQualifier::ForAnyValue) => false,
                None => self.negated,
            },
            (test, Some(actual)) => {
                self.values.iter().any(|v| test.matches(v, actual)) != self.negated
            }
        }
    }

    /// Whether this condition pins a Block Public Access key to fixed values: no wildcard and
    /// no policy variable, since either lets anyone in again. `IfExists` and negated operators
    /// do not pin anything, as a request without the key, or with any other value, passes.
    fn limits_who(&self) -> bool {
        if self.if_exists || self.negated || self.set.is_some() {
            return false;
        }
        let fixed = |v: &String| !v.contains(['*', '?']) && !v.contains("${");
        let pins = match self.test {
            Test::Equals | Test::EqualsIgnoreCase | Test::Like | Test::Arn => {
                LIMITING_KEYS.contains(&self.key.as_str())
            }
            // A /0 block is the whole internet, however fixed its spelling.
            Test::Ip => {
                self.key == "aws:sourceip" && !self.values.iter().any(|v| v.ends_with("/0"))
            }
            Test::Bool | Test::Null | Test::Uncarried => false,
        };
        pins && self.values.iter().all(fixed)
    }
}

impl Test {
    fn matches(self, expected: &str, actual: &str) -> bool {
        match self {
            Test::Equals => expected == actual,
            Test::EqualsIgnoreCase => expected.to_lowercase() == actual.to_lowercase(),
            Test::Like => wildcard_match(expected, actual),
            Test::Arn => arn_match(expected, actual),
            Test::Bool => expected.eq_ignore_ascii_case(actual),
            Test::Null | Test::Ip | Test::Uncarried => false,
        }
    }
}

impl<'a> Request<'a> {
    /// The value of a (lowercase) condition key, or `None` when the request does not carry it.
    fn context_value(&self, key: &str) -> Option<&'a str> {
        match (key, self.principal) {
            ("aws:securetransport", _) => Some(if self.secure_transport {
                "true"
            } else {
                "false"
            }),
            ("aws:sourcearn", Principal::Service { source_arn, .. }) => source_arn,
            ("aws:sourceaccount", Principal::Service { source_account, .. }) => source_account,
            ("aws:principalservicename", Principal::Service { name, .. }) => Some(name),
            ("aws:principalisawsservice", Principal::Service { .. }) => Some("true"),
            ("aws:principalisawsservice", Principal::Aws { .. }) => Some("false"),
            ("aws:principalaccount", Principal::Aws { account, .. }) => Some(account),
            ("aws:principalarn", Principal::Aws { arn, .. }) => Some(arn),
            ("aws:principaltype", Principal::Anonymous) => Some("Anonymous"),
            ("aws:principaltype", Principal::Aws { arn, .. }) => Some(if arn.ends_with(":root") {
                "Account"
            } else if arn.contains(":assumed-role/") {
                "AssumedRole"
            } else {
                "User"
            }),
            _ => None,
        }
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for PolicyError {}

fn malformed(message: impl Into<String>) -> PolicyError {
    PolicyError {
        code: MALFORMED,
        message: message.into(),
    }
}

fn missing(field: &str) -> PolicyError {
    malformed(format!("Missing required field {field}"))
}

fn statement_shape() -> PolicyError {
    malformed("Statement must be an object or a non-empty array of objects")
}

fn condition_shape() -> PolicyError {
    malformed("Condition must map each operator to an object of keys and values")
}

fn check_fields(object: &Map<String, Value>, known: &[&str]) -> Result<(), PolicyError> {
    match object.keys().find(|k| !known.contains(&k.as_str())) {
        Some(unknown) => Err(malformed(format!("Unknown field {unknown}"))),
        None => Ok(()),
    }
}

/// Reads `name` or `not_name`, whichever the statement has: exactly one is required.
fn clause<T>(
    statement: &Map<String, Value>,
    name: &str,
    not_name: &str,
    parse: impl FnOnce(&Value) -> Result<Vec<T>, PolicyError>,
) -> Result<Clause<T>, PolicyError> {
    let (value, negated) = match (statement.get(name), statement.get(not_name)) {
        (Some(value), None) => (value, false),
        (None, Some(value)) => (value, true),
        (None, None) => return Err(missing(name)),
        (Some(_), Some(_)) => {
            return Err(malformed(format!(
                "Statement cannot contain both {name} and {not_name}"
            )));
        }
    };
    Ok(Clause {
        items: parse(value)?,
        negated,
    })
}

/// A string or a non-empty array of strings, the shape of every list in a policy.
fn strings<'v>(value: &'v Value, invalid: &'static str) -> Result<Vec<&'v str>, PolicyError> {
    match value {
        Value::String(one) => Ok(vec![one]),
        Value::Array(many) if !many.is_empty() => many
            .iter()
            .map(|v| v.as_str().ok_or_else(|| malformed(invalid)))
            .collect(),
        _ => Err(malformed(invalid)),
    }
}

fn parse_principals(value: &Value) -> Result<Vec<PrincipalPattern>, PolicyError> {
    let kinds = match value {
        Value::String(s) if s == "*" => return Ok(vec![PrincipalPattern::Everyone]),
        Value::Object(kinds) if !kinds.is_empty() => kinds,
        _ => return Err(malformed(INVALID_PRINCIPAL)),
    };
    let mut principals = Vec::new();
    for (kind, names) in kinds {
        for name in strings(names, INVALID_PRINCIPAL)? {
            principals.push(match kind.as_str() {
                "AWS" => aws_principal(name)?,
                "Service" => service_principal(name)?,
                // CanonicalUser and Federated name identities this emulator never has.
                _ => return Err(malformed(INVALID_PRINCIPAL)),
            });
        }
    }
    Ok(principals)
}

fn aws_principal(name: &str) -> Result<PrincipalPattern, PolicyError> {
    if name == "*" {
        return Ok(PrincipalPattern::Everyone);
    }
    if is_account_id(name) {
        return Ok(PrincipalPattern::Account(name.to_string()));
    }
    let (account, identity) = name
        .strip_prefix("arn:aws:iam::")
        .and_then(|rest| rest.split_once(':'))
        .ok_or_else(|| malformed(INVALID_PRINCIPAL))?;
    if !is_account_id(account) {
        return Err(malformed(INVALID_PRINCIPAL));
    }
    if identity == "root" {
        return Ok(PrincipalPattern::Account(account.to_string()));
    }
    // AWS resolves principals to unique ids when the policy is saved, so a wildcard cannot
    // name anyone.
    let named = identity
        .strip_prefix("user/")
        .or_else(|| identity.strip_prefix("role/"))
        .is_some_and(|rest| !rest.is_empty() && !rest.contains(['*', '?']));
    if named {
        Ok(PrincipalPattern::Arn(name.to_string()))
    } else {
        Err(malformed(INVALID_PRINCIPAL))
    }
}

fn service_principal(name: &str) -> Result<PrincipalPattern, PolicyError> {
    let valid = name.strip_suffix(".amazonaws.com").is_some_and(|service| {
        !service.is_empty()
            && service
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
    });
    if valid {
        Ok(PrincipalPattern::Service(name.to_string()))
    } else {
        Err(malformed(INVALID_PRINCIPAL))
    }
}

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

fn parse_actions(value: &Value) -> Result<Vec<String>, PolicyError> {
    strings(value, INVALID_ACTION)?
        .into_iter()
        .map(|action| {
            let action = action.to_ascii_lowercase();
            // A bare `*` is every action, which S3 accepts as readily as `s3:*`.
            let valid = action == "*"
                || action.strip_prefix("s3:").is_some_and(|name| {
                    !name.is_empty()
                        && name
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '*' || c == '?')
                });
            if valid {
                Ok(action)
            } else {
                Err(malformed(INVALID_ACTION))
            }
        })
        .collect()
}

fn parse_resources(value: &Value, bucket: &str) -> Result<Vec<String>, PolicyError> {
    strings(value, INVALID_RESOURCE)?
        .into_iter()
        .map(|resource| {
            // A bucket policy may only speak of its own bucket, though a pattern for the bucket
            // name that happens to match it is fine.
            let valid = resource.strip_prefix(S3_ARN).is_some_and(|path| {
                let name = path.split_once('/').map_or(path, |(name, _)| name);
                !name.is_empty() && wildcard_match(name, bucket)
            });
            if valid {
                Ok(resource.to_string())
            } else {
                Err(malformed(INVALID_RESOURCE))
            }
        })
        .collect()
}

fn parse_conditions(value: &Value) -> Result<Vec<Condition>, PolicyError> {
    let Value::Object(operators) = value else {
        return Err(condition_shape());
    };
    let mut conditions = Vec::new();
    for (operator, keys) in operators {
        let invalid = || malformed(format!("Invalid Condition type : {operator}"));
        let (set, rest) = match operator.split_once(':') {
            None => (None, operator.as_str()),
            Some(("ForAnyValue", rest)) => (Some(SetQualifier::ForAnyValue), rest),
            Some(("ForAllValues", rest)) => (Some(SetQualifier::ForAllValues), rest),
            Some(_) => return Err(invalid()),
        };
        let (base, if_exists) = match rest.strip_suffix("IfExists") {
            Some(base) => (base, true),
            None => (rest, false),
        };
        let &(_, test, negated) = OPERATORS
            .iter()
            .find(|(name, ..)| *name == base)
            .ok_or_else(invalid)?;
        // Null asks about presence itself, so "if it exists" and value sets make no sense.
        if test == Test::Null && (if_exists || set.is_some()) {
            return Err(invalid());
        }
        let Value::Object(keys) = keys else {
            return Err(condition_shape());
        };
        for (key, values) in keys {
            conditions.push(Condition {
                test,
                negated,
                if_exists,
                set,
                key: key.to_ascii_lowercase(),
                values: condition_values(values)?,
            });
        }
    }
    Ok(conditions)
}

/// Condition values may be written as JSON booleans or numbers (`"aws:SecureTransport": false`);
/// AWS compares them as the strings they spell.
fn condition_values(value: &Value) -> Result<Vec<String>, PolicyError> {
    let scalar = |v: &Value| match v {
        Value::String(s) => Ok(s.clone()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Number(n) => Ok(n.to_string()),
        _ => Err(condition_shape()),
    };
    match value {
        Value::Array(many) if !many.is_empty() => many.iter().map(scalar).collect(),
        Value::Array(_) => Err(condition_shape()),
        one => Ok(vec![scalar(one)?]),
    }
}

/// S3 refuses a statement in which some action applies to none of its resources: `GetObject`
/// on a bucket ARN grants nothing and is almost always a mistake for `bucket/*`.
fn check_levels(actions: &Clause<String>, resources: &Clause<String>) -> Result<(), PolicyError> {
    if actions.negated || resources.negated {
        return Ok(());
    }
    let covers = |level| resources.items.iter().any(|r| resource_covers(r, level));
    let stranded = actions
        .items
        .iter()
        .filter_map(|a| action_level(a))
        .any(|level| !covers(level));
    if stranded {
        Err(malformed(
            "Action does not apply to any resource(s) in statement",
        ))
    } else {
        Ok(())
    }
}

/// `None` for wildcards and for actions outside the tables: either may apply to both levels.
fn action_level(action: &str) -> Option<Level> {
    let name = action.strip_prefix("s3:")?;
    let known = |table: &[&str]| table.iter().any(|t| t.eq_ignore_ascii_case(name));
    if known(BUCKET_ACTIONS) {
        Some(Level::Bucket)
    } else if known(OBJECT_ACTIONS) {
        Some(Level::Object)
    } else {
        None
    }
}

/// A `*` in the bucket part can stretch over `/`, so `arn:aws:s3:::my-*` covers objects too.
fn resource_covers(resource: &str, level: Level) -> bool {
    let path = resource.strip_prefix(S3_ARN).unwrap_or(resource);
    match level {
        Level::Bucket => !path.contains('/'),
        Level::Object => path.contains('/') || path.contains('*'),
    }
}

/// IAM wildcards: `*` matches any run of characters, `/` and `:` included, `?` exactly one.
fn wildcard_match(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    let (mut p, mut t) = (0, 0);
    // Where to resume after the last `*`: the pattern after it, and the text it has eaten up to.
    let mut backtrack: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some('*') => {
                p += 1;
                backtrack = Some((p, t));
            }
            Some(&c) if c == '?' || c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match backtrack {
                Some((after_star, eaten)) => {
                    p = after_star;
                    t = eaten + 1;
                    backtrack = Some((after_star, eaten + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

/// `ArnLike` compares the six colon-separated parts one by one, so a `*` never crosses a `:`.
fn arn_match(pattern: &str, arn: &str) -> bool {
    let patterns: Vec<&str> = pattern.splitn(6, ':').collect();
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    patterns.len() == 6
        && parts.len() == 6
        && patterns
            .iter()
            .zip(&parts)
            .all(|(pattern, part)| wildcard_match(pattern, part))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUCKET: &str = "my-images";
    const DISTRIBUTION: &str = "arn:aws:cloudfront::111122223333:distribution/EDFDVBD6EXAMPLE";
    const OBJECT: &str = "arn:aws:s3:::my-images/cat.png";
    const BUCKET_ARN: &str = "arn:aws:s3:::my-images";

    /// The policy the CloudFront console offers to copy for Origin Access Control.
    const OAC: &str = r#"{"Version":"2012-10-17","Statement":{"Sid":"AllowCloudFrontServicePrincipal","Effect":"Allow","Principal":{"Service":"cloudfront.amazonaws.com"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::my-images/*","Condition":{"StringEquals":{"AWS:SourceArn":"arn:aws:cloudfront::111122223333:distribution/EDFDVBD6EXAMPLE"}}}}"#;

    const PUBLIC_READ: &str = r#"{
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "PublicReadGetObject",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::my-images/*"
        }]
    }"#;

    fn parse(text: &str) -> Policy {
        Policy::parse(text, BUCKET).expect("policy should be accepted")
    }

    fn refusal(text: &str) -> String {
        let error = Policy::parse(text, BUCKET).expect_err("policy should be refused");
        assert_eq!(error.code, "MalformedPolicy");
        error.message
    }

    /// A one-statement policy: the public-read statement with `fields` replacing its own.
    fn statement(fields: &str) -> String {
        let mut statement: Map<String, Value> = serde_json::from_str(
            r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::my-images/*"}"#,
        )
        .expect("base statement");
        let fields: Map<String, Value> =
            serde_json::from_str(&format!("{{{fields}}}")).expect("fields");
        for (name, value) in fields {
            if value.is_null() {
                statement.remove(&name);
            } else {
                statement.insert(name, value);
            }
        }
        serde_json::json!({"Version": "2012-10-17", "Statement": [statement]}).to_string()
    }

    fn request<'a>(principal: Principal<'a>, action: &'a str, resource: &'a str) -> Request<'a> {
        Request {
            principal,
            action,
            resource,
            secure_transport: true,
        }
    }

    fn cloudfront(source_arn: &str) -> Principal<'_> {
        Principal::Service {
            name: "cloudfront.amazonaws.com",
            source_arn: Some(source_arn),
            source_account: Some("111122223333"),
        }
    }

    fn alice() -> Principal<'static> {
        Principal::Aws {
            account: "111122223333",
            arn: "arn:aws:iam::111122223333:user/alice",
        }
    }

    fn mallory() -> Principal<'static> {
        Principal::Aws {
            account: "444455556666",
            arn: "arn:aws:iam::444455556666:user/mallory",
        }
    }

    #[test]
    fn oac_policy_lets_only_its_distribution_read() {
        let policy = parse(OAC);
        assert!(!policy.is_public());
        let get = |principal| policy.evaluate(&request(principal, "s3:GetObject", OBJECT));
        assert_eq!(get(cloudfront(DISTRIBUTION)), Decision::Allow);
        assert_eq!(
            get(cloudfront(
                "arn:aws:cloudfront::111122223333:distribution/EOTHER"
            )),
            Decision::NotApplicable
        );
        assert_eq!(get(Principal::Anonymous), Decision::NotApplicable);
        assert_eq!(get(alice()), Decision::NotApplicable);
        let put = request(cloudfront(DISTRIBUTION), "s3:PutObject", OBJECT);
        assert_eq!(policy.evaluate(&put), Decision::NotApplicable);
    }

    #[test]
    fn oac_policy_needs_the_source_arn_to_be_present() {
        let policy = parse(OAC);
        let without_source = Principal::Service {
            name: "cloudfront.amazonaws.com",
            source_arn: None,
            source_account: None,
        };
        let get = request(without_source, "s3:GetObject", OBJECT);
        assert_eq!(policy.evaluate(&get), Decision::NotApplicable);
    }

    #[test]
    fn public_read_policy_lets_anyone_get_objects_but_not_list() {
        let policy = parse(PUBLIC_READ);
        assert!(policy.is_public());
        let get = request(Principal::Anonymous, "s3:GetObject", OBJECT);
        assert_eq!(policy.evaluate(&get), Decision::Allow);
        assert_eq!(
            policy.evaluate(&request(alice(), "s3:GetObject", OBJECT)),
            Decision::Allow
        );
        let list = request(Principal::Anonymous, "s3:ListBucket", BUCKET_ARN);
        assert_eq!(policy.evaluate(&list), Decision::NotApplicable);
        let elsewhere = request(
            Principal::Anonymous,
            "s3:GetObject",
            "arn:aws:s3:::my-images-backup/cat.png",
        );
        assert_eq!(policy.evaluate(&elsewhere), Decision::NotApplicable);
    }

    #[test]
    fn text_is_kept_verbatim() {
        assert_eq!(parse(PUBLIC_READ).text(), PUBLIC_READ);
    }

    #[test]
    fn explicit_deny_overrides_allow() {
        let policy = parse(
            r#"{"Version":"2012-10-17","Statement":[
                {"Sid":"Read","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::my-images/*"},
                {"Sid":"Private","Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::my-images/private/*"}
            ]}"#,
        );
        let get =
            |resource| policy.evaluate(&request(Principal::Anonymous, "s3:GetObject", resource));
        assert_eq!(
            get("arn:aws:s3:::my-images/private/diary.txt"),
            Decision::Deny
        );
        assert_eq!(
            get("arn:aws:s3:::my-images/public/cat.png"),
            Decision::Allow
        );
    }

    #[test]
    fn account_principal_covers_every_identity_of_that_account_only() {
        for spelling in ["111122223333", "arn:aws:iam::111122223333:root"] {
            let policy = parse(&statement(&format!(
                r#""Principal":{{"AWS":"{spelling}"}}"#
            )));
            let get = |principal| policy.evaluate(&request(principal, "s3:GetObject", OBJECT));
            assert_eq!(get(alice()), Decision::Allow, "{spelling}");
            let root = Principal::Aws {
                account: "111122223333",
                arn: "arn:aws:iam::111122223333:root",
            };
            assert_eq!(get(root), Decision::Allow, "{spelling}");
            assert_eq!(get(mallory()), Decision::NotApplicable, "{spelling}");
            assert_eq!(get(Principal::Anonymous), Decision::NotApplicable);
            assert!(!policy.is_public());
        }
    }

    #[test]
    fn user_principal_covers_that_user_only() {
        let policy = parse(&statement(
            r#""Principal":{"AWS":["arn:aws:iam::111122223333:user/alice"]}"#,
        ));
        let get = |principal| policy.evaluate(&request(principal, "s3:GetObject", OBJECT));
        assert_eq!(get(alice()), Decision::Allow);
        let bob = Principal::Aws {
            account: "111122223333",
            arn: "arn:aws:iam::111122223333:user/bob",
        };
        assert_eq!(get(bob), Decision::NotApplicable);
    }

    #[test]
    fn arn_like_wildcards_stay_within_one_arn_part() {
        let policy = parse(&statement(
            r#""Principal":{"Service":"cloudfront.amazonaws.com"},
               "Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:cloudfront::111122223333:distribution/*"}}"#,
        ));
        let get = |arn| policy.evaluate(&request(cloudfront(arn), "s3:GetObject", OBJECT));
        assert_eq!(get(DISTRIBUTION), Decision::Allow);
        assert_eq!(
            get("arn:aws:cloudfront::444455556666:distribution/EDFDVBD6EXAMPLE"),
            Decision::NotApplicable
        );
        assert!(arn_match(
            "arn:aws:cloudfront::*:distribution/E?",
            "arn:aws:cloudfront::1:distribution/E2"
        ));
        assert!(
            !arn_match("arn:aws:*", DISTRIBUTION),
            "a * must not span the parts"
        );
        assert!(!arn_match("arn:aws:cloudfront::*:*", "not-an-arn"));
        // The same pattern as a plain string would let every CloudFront distribution in.
        let decide = |operator: &str| {
            let condition =
                format!(r#""Condition":{{"{operator}":{{"aws:SourceArn":"arn:aws:*"}}}}"#);
            parse(&statement(&condition)).evaluate(&request(
                cloudfront(DISTRIBUTION),
                "s3:GetObject",
                OBJECT,
            ))
        };
        assert_eq!(decide("StringLike"), Decision::Allow);
        assert_eq!(decide("ArnLike"), Decision::NotApplicable);
    }

    #[test]
    fn insecure_transport_is_denied() {
        let policy = parse(
            r#"{"Version":"2012-10-17","Statement":[
                {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::my-images/*"},
                {"Sid":"HttpsOnly","Effect":"Deny","Principal":"*","Action":"s3:*",
                 "Resource":["arn:aws:s3:::my-images","arn:aws:s3:::my-images/*"],
                 "Condition":{"Bool":{"aws:SecureTransport":false}}}
            ]}"#,
        );
        let mut get = request(Principal::Anonymous, "s3:GetObject", OBJECT);
        assert_eq!(policy.evaluate(&get), Decision::Allow);
        get.secure_transport = false;
        assert_eq!(policy.evaluate(&get), Decision::Deny);
        let list = Request {
            secure_transport: false,
            ..request(alice(), "s3:ListBucket", BUCKET_ARN)
        };
        assert_eq!(policy.evaluate(&list), Decision::Deny);
    }

    #[test]
    fn absent_keys_fail_positive_operators_and_pass_negated_or_if_exists() {
        let decide = |condition: &str| {
            let policy = parse(&statement(&format!(r#""Condition":{condition}"#)));
            policy.evaluate(&request(Principal::Anonymous, "s3:GetObject", OBJECT))
        };
        let account = r#""aws:SourceAccount":"111122223333""#;
        assert_eq!(
            decide(&format!("{{\"StringEquals\":{{{account}}}}}")),
            Decision::NotApplicable
        );
        assert_eq!(
            decide(&format!("{{\"StringNotEquals\":{{{account}}}}}")),
            Decision::Allow
        );
        assert_eq!(
            decide(&format!("{{\"StringEqualsIfExists\":{{{account}}}}}")),
            Decision::Allow
        );
        assert_eq!(
            decide(&format!("{{\"ForAnyValue:StringEquals\":{{{account}}}}}")),
            Decision::NotApplicable
        );
        assert_eq!(
            decide(&format!("{{\"ForAllValues:StringEquals\":{{{account}}}}}")),
            Decision::Allow
        );
        assert_eq!(
            decide(r#"{"Null":{"aws:SourceArn":"true"}}"#),
            Decision::Allow
        );
        assert_eq!(
            decide(r#"{"Null":{"aws:SourceArn":"false"}}"#),
            Decision::NotApplicable
        );
        assert_eq!(
            decide(r#"{"Null":{"aws:SecureTransport":"false"}}"#),
            Decision::Allow
        );
        // The request carries no source IP, so an IP allow-list never matches.
        assert_eq!(
            decide(r#"{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#),
            Decision::NotApplicable
        );
        assert_eq!(
            decide(r#"{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#),
            Decision::Allow
        );
    }

    #[test]
    fn values_of_a_key_are_ored_and_keys_are_anded() {
        let policy = parse(&statement(
            r#""Principal":{"AWS":"*"},
               "Condition":{
                 "StringEquals":{"aws:PrincipalAccount":["444455556666","111122223333"]},
                 "StringLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/a*"}}"#,
        ));
        let get = |principal| policy.evaluate(&request(principal, "s3:GetObject", OBJECT));
        assert_eq!(get(alice()), Decision::Allow);
        assert_eq!(
            get(mallory()),
            Decision::NotApplicable,
            "arn does not match a*"
        );
        let outsider = Principal::Aws {
            account: "777788889999",
            arn: "arn:aws:iam::777788889999:user/anna",
        };
        assert_eq!(get(outsider), Decision::NotApplicable, "account not listed");
        assert!(
            !policy.is_public(),
            "a fixed aws:PrincipalAccount limits who"
        );
    }

    #[test]
    fn condition_keys_ignore_case_and_values_do_not() {
        let policy = parse(&statement(
            r#""Principal":{"Service":"cloudfront.amazonaws.com"},
               "Condition":{"StringEquals":{"AWS:SOURCEACCOUNT":"111122223333"},
                            "StringEqualsIgnoreCase":{"aws:principalservicename":"CloudFront.AmazonAWS.com"}}"#,
        ));
        let get = request(cloudfront(DISTRIBUTION), "s3:GetObject", OBJECT);
        assert_eq!(policy.evaluate(&get), Decision::Allow);
        let policy = parse(&statement(
            r#""Condition":{"StringEquals":{"aws:PrincipalType":"anonymous"}}"#,
        ));
        let anonymous = request(Principal::Anonymous, "s3:GetObject", OBJECT);
        assert_eq!(policy.evaluate(&anonymous), Decision::NotApplicable);
    }

    #[test]
    fn not_elements_invert_the_match() {
        let policy = parse(&statement(
            r#""Effect":"Deny","Principal":null,"NotPrincipal":{"AWS":"111122223333"},
               "Action":null,"NotAction":"s3:GetObject",
               "Resource":null,"NotResource":"arn:aws:s3:::my-images/public/*""#,
        ));
        let decide =
            |principal, action, resource| policy.evaluate(&request(principal, action, resource));
        assert_eq!(decide(mallory(), "s3:PutObject", OBJECT), Decision::Deny);
        assert_eq!(
            decide(alice(), "s3:PutObject", OBJECT),
            Decision::NotApplicable
        );
        assert_eq!(
            decide(mallory(), "s3:GetObject", OBJECT),
            Decision::NotApplicable
        );
        assert_eq!(
            decide(mallory(), "s3:PutObject", "arn:aws:s3:::my-images/public/x"),
            Decision::NotApplicable
        );
    }

    #[test]
    fn actions_match_without_case_and_resources_with_it() {
        let policy = parse(&statement(
            r#""Action":["s3:get*","S3:List?ucket"],
               "Resource":["arn:aws:s3:::my-images","arn:aws:s3:::my-images/Photos/*"]"#,
        ));
        let decide =
            |action, resource| policy.evaluate(&request(Principal::Anonymous, action, resource));
        assert_eq!(
            decide("s3:GetObject", "arn:aws:s3:::my-images/Photos/a/b.png"),
            Decision::Allow
        );
        assert_eq!(decide("s3:ListBucket", BUCKET_ARN), Decision::Allow);
        assert_eq!(
            decide("s3:GetObject", "arn:aws:s3:::my-images/photos/b.png"),
            Decision::NotApplicable
        );
        assert_eq!(
            decide("s3:PutObject", "arn:aws:s3:::my-images/Photos/b.png"),
            Decision::NotApplicable
        );
    }

    #[test]
    fn wildcard_matching() {
        assert!(wildcard_match("*", ""));
        assert!(wildcard_match("a*c", "abbbc"));
        assert!(wildcard_match("a*b*c", "a/x/b/y/c"));
        assert!(wildcard_match("a?c", "abc"));
        assert!(!wildcard_match("a?c", "ac"));
        assert!(!wildcard_match("a*c", "abcd"));
        assert!(wildcard_match("ü?", "üß"));
    }

    #[test]
    fn public_means_everyone_without_a_fixed_limiting_condition() {
        let public = |fields: &str| parse(&statement(fields)).is_public();
        assert!(public(r#""Principal":{"AWS":"*"}"#));
        assert!(public(r#""Principal":{"AWS":["111122223333","*"]}"#));
        assert!(public(
            r#""Principal":null,"NotPrincipal":{"AWS":"111122223333"}"#
        ));
        assert!(!public(r#""Effect":"Deny""#));
        assert!(!public(
            r#""Principal":{"Service":"cloudfront.amazonaws.com"}"#
        ));
        assert!(!public(
            r#""Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"}"#
        ));
        assert!(!public(
            r#""Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}"#
        ));
        assert!(!public(
            r#""Condition":{"StringLike":{"aws:SourceVpce":"vpce-1a2b3c4d"}}"#
        ));
        assert!(!public(
            r#""Condition":{"IpAddress":{"aws:SourceIp":["203.0.113.0/24"]}}"#
        ));
        assert!(public(
            r#""Condition":{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}"#
        ));
        assert!(public(
            r#""Condition":{"StringLike":{"aws:SourceAccount":"1111*"}}"#
        ));
        assert!(public(
            r#""Condition":{"StringEqualsIfExists":{"aws:SourceAccount":"111122223333"}}"#
        ));
        assert!(public(
            r#""Condition":{"StringNotEquals":{"aws:SourceAccount":"111122223333"}}"#
        ));
        assert!(public(
            r#""Condition":{"StringEquals":{"aws:userid":"${aws:userid}"}}"#
        ));
        assert!(public(
            r#""Condition":{"Bool":{"aws:SecureTransport":"true"}}"#
        ));
    }

    #[test]
    fn accepted_shapes() {
        parse(&statement(
            r#""Action":"*","Resource":"arn:aws:s3:::my-images""#,
        ));
        parse(&statement(
            r#""Action":"s3:*","Resource":"arn:aws:s3:::my-images""#,
        ));
        parse(&statement(
            r#""Action":"s3:ListBucket","Resource":"arn:aws:s3:::my-*""#,
        ));
        parse(&statement(
            r#""Action":"s3:GetObject","Resource":"arn:aws:s3:::my-*""#,
        ));
        parse(&statement(
            r#""Action":"s3:ListBucket","Resource":"arn:aws:s3:::my-images""#,
        ));
        parse(&statement(
            r#""Action":["s3:ListBucket","s3:GetObject"],
                           "Resource":["arn:aws:s3:::my-images","arn:aws:s3:::my-images/*"]"#,
        ));
        parse(&statement(
            r#""Resource":null,"NotResource":"arn:aws:s3:::my-images""#,
        ));
        parse(&statement(
            r#""Sid":"","Principal":{"AWS":"arn:aws:iam::111122223333:role/Reader"}"#,
        ));
        parse(
            r#"{"Version":"2008-10-17","Id":"p1","Statement":[{"Sid":"","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::my-images/*"},{"Sid":"","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::my-images/*"}]}"#,
        );
        parse(
            r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::my-images/*"}}"#,
        );
    }

    #[test]
    fn malformed_documents_are_refused_with_s3s_messages() {
        let not_json = "Policies must be valid JSON and the first byte must be '{'";
        assert_eq!(refusal("not json"), not_json);
        assert_eq!(refusal("[]"), not_json);
        assert_eq!(refusal(r#"{"Version":"2012-10-17","#), not_json);
        assert_eq!(
            refusal(r#"{"Version":"2012-10-18","Statement":[]}"#),
            "The policy must contain a valid version string"
        );
        assert_eq!(
            refusal(r#"{"Version":"2012-10-17"}"#),
            "Missing required field Statement"
        );
        assert_eq!(
            refusal(r#"{"Version":"2012-10-17","Statement":[]}"#),
            "Statement must be an object or a non-empty array of objects"
        );
        assert_eq!(
            refusal(r#"{"Version":"2012-10-17","Statment":[]}"#),
            "Unknown field Statment"
        );
    }

    #[test]
    fn malformed_statements_are_refused_with_s3s_messages() {
        let cases = [
            (r#""Effect":null"#, "Missing required field Effect"),
            (r#""Effect":"allow""#, "Invalid effect: allow"),
            (r#""Principal":null"#, "Missing required field Principal"),
            (r#""Action":null"#, "Missing required field Action"),
            (r#""Resource":null"#, "Missing required field Resource"),
            (r#""Principle":"*""#, "Unknown field Principle"),
            (
                r#""NotPrincipal":"*""#,
                "Statement cannot contain both Principal and NotPrincipal",
            ),
            (r#""Action":"s4:GetObject""#, "Policy has invalid action"),
            (r#""Action":"GetObject""#, "Policy has invalid action"),
            (r#""Action":"iam:PassRole""#, "Policy has invalid action"),
            (r#""Action":[]"#, "Policy has invalid action"),
            (
                r#""Resource":"arn:aws:s3:::someone-elses-bucket/*""#,
                "Policy has invalid resource",
            ),
            (r#""Resource":"my-images/*""#, "Policy has invalid resource"),
            (
                r#""Resource":"arn:aws:s3:::other-*""#,
                "Policy has invalid resource",
            ),
            (
                r#""Resource":"arn:aws:s3:::my-images""#,
                "Action does not apply to any resource(s) in statement",
            ),
            (
                r#""Action":"s3:ListBucket""#,
                "Action does not apply to any resource(s) in statement",
            ),
            (
                r#""Action":["s3:GetObject","s3:ListBucket"]"#,
                "Action does not apply to any resource(s) in statement",
            ),
            (r#""Principal":"alice""#, "Invalid principal in policy"),
            (
                r#""Principal":{"AWS":"11112222333"}"#,
                "Invalid principal in policy",
            ),
            (r#""Principal":{"AWS":[]}"#, "Invalid principal in policy"),
            (
                r#""Principal":{"AWS":"arn:aws:iam::111122223333:user/*"}"#,
                "Invalid principal in policy",
            ),
            (
                r#""Principal":{"AWS":"arn:aws:s3:::my-images"}"#,
                "Invalid principal in policy",
            ),
            (
                r#""Principal":{"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}"#,
                "Invalid principal in policy",
            ),
            (
                r#""Principal":{"Service":"cloudfront"}"#,
                "Invalid principal in policy",
            ),
            (
                r#""Condition":{"StringEqualz":{"aws:SourceArn":"x"}}"#,
                "Invalid Condition type : StringEqualz",
            ),
            (
                r#""Condition":{"NullIfExists":{"aws:SourceArn":"true"}}"#,
                "Invalid Condition type : NullIfExists",
            ),
            (
                r#""Condition":{"StringEquals":"aws:SourceArn"}"#,
                "Condition must map each operator to an object of keys and values",
            ),
        ];
        for (fields, message) in cases {
            assert_eq!(refusal(&statement(fields)), message, "{fields}");
        }
    }

    #[test]
    fn duplicate_sids_are_refused() {
        let message = refusal(
            r#"{"Version":"2012-10-17","Statement":[
                {"Sid":"Read","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::my-images/*"},
                {"Sid":"Read","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::my-images/*"}
            ]}"#,
        );
        assert_eq!(
            message,
            "Statement IDs (SID) in a single policy must be unique"
        );
    }

    #[test]
    fn error_displays_code_and_message() {
        let error = Policy::parse("[]", BUCKET).expect_err("refused");
        assert_eq!(
            error.to_string(),
            "MalformedPolicy: Policies must be valid JSON and the first byte must be '{'"
        );
    }
}
