//! botocore's model of the structures CloudFront's calls take, as far as its validator looks
//! at them, and that validator's report.

use serde_json::Value;

use super::Failure;

/// A shape of the model.
#[derive(Debug)]
pub enum Shape {
    /// Text at least `min` characters long.
    String {
        min: usize,
    },
    Boolean,
    /// botocore's `integer` and `long` alike: a Python int.
    Integer,
    List {
        member: &'static Shape,
        min: usize,
    },
    Structure(&'static [Member]),
}

#[derive(Debug)]
pub struct Member {
    name: &'static str,
    shape: &'static Shape,
    required: bool,
}

const fn req(name: &'static str, shape: &'static Shape) -> Member {
    Member {
        name,
        shape,
        required: true,
    }
}

const fn opt(name: &'static str, shape: &'static Shape) -> Member {
    Member {
        name,
        shape,
        required: false,
    }
}

const fn list(member: &'static Shape) -> Shape {
    Shape::List { member, min: 0 }
}

const fn at_least(min: usize, member: &'static Shape) -> Shape {
    Shape::List { member, min }
}

/// CloudFront's lists: a `Quantity`, and `Items` of the given shape.
macro_rules! quantified {
    ($items:expr) => {
        Shape::Structure(&[QUANTITY, opt("Items", $items)])
    };
}

const STRING: Shape = Shape::String { min: 0 };
/// The model's names and ids that may not be empty.
const NAME: Shape = Shape::String { min: 1 };
const BOOLEAN: Shape = Shape::Boolean;
const INTEGER: Shape = Shape::Integer;
const STRINGS: Shape = list(&STRING);
const QUANTITY: Member = req("Quantity", &INTEGER);

/// Aliases, header and cookie names, query string keys, paths.
const TEXTS: Shape = quantified!(&STRINGS);
/// SSL protocols and methods, whose `Items` are required.
const REQUIRED_TEXTS: Shape = Shape::Structure(&[QUANTITY, req("Items", &STRINGS)]);
const TRUSTED: Shape =
    Shape::Structure(&[req("Enabled", &BOOLEAN), QUANTITY, opt("Items", &STRINGS)]);

pub const ORIGIN_ACCESS_CONTROL_CONFIG: Shape = Shape::Structure(&[
    req("Name", &STRING),
    opt("Description", &STRING),
    req("SigningProtocol", &STRING),
    req("SigningBehavior", &STRING),
    req("OriginAccessControlOriginType", &STRING),
]);

pub const INVALIDATION_BATCH: Shape =
    Shape::Structure(&[req("Paths", &TEXTS), req("CallerReference", &STRING)]);

const CUSTOM_HEADER: Shape =
    Shape::Structure(&[req("HeaderName", &STRING), req("HeaderValue", &STRING)]);

const S3_ORIGIN_CONFIG: Shape = Shape::Structure(&[
    req("OriginAccessIdentity", &STRING),
    opt("OriginReadTimeout", &INTEGER),
]);

const CUSTOM_ORIGIN_CONFIG: Shape = Shape::Structure(&[
    req("HTTPPort", &INTEGER),
    req("HTTPSPort", &INTEGER),
    req("OriginProtocolPolicy", &STRING),
    opt("OriginSslProtocols", &REQUIRED_TEXTS),
    opt("OriginReadTimeout", &INTEGER),
    opt("OriginKeepaliveTimeout", &INTEGER),
    opt("IpAddressType", &STRING),
    opt(
        "OriginMtlsConfig",
        &Shape::Structure(&[req("ClientCertificateArn", &STRING)]),
    ),
]);

const VPC_ORIGIN_CONFIG: Shape = Shape::Structure(&[
    req("VpcOriginId", &STRING),
    opt("OwnerAccountId", &STRING),
    opt("OriginReadTimeout", &INTEGER),
    opt("OriginKeepaliveTimeout", &INTEGER),
]);

const ORIGIN: Shape = Shape::Structure(&[
    req("Id", &STRING),
    req("DomainName", &STRING),
    opt("OriginPath", &STRING),
    opt("CustomHeaders", &quantified!(&list(&CUSTOM_HEADER))),
    opt("S3OriginConfig", &S3_ORIGIN_CONFIG),
    opt("CustomOriginConfig", &CUSTOM_ORIGIN_CONFIG),
    opt("VpcOriginConfig", &VPC_ORIGIN_CONFIG),
    opt("ConnectionAttempts", &INTEGER),
    opt("ConnectionTimeout", &INTEGER),
    opt("ResponseCompletionTimeout", &INTEGER),
    opt(
        "OriginShield",
        &Shape::Structure(&[req("Enabled", &BOOLEAN), opt("OriginShieldRegion", &NAME)]),
    ),
    opt("OriginAccessControlId", &STRING),
]);

const STATUS_CODES: Shape = Shape::Structure(&[QUANTITY, req("Items", &at_least(1, &INTEGER))]);

const ORIGIN_GROUP_MEMBER: Shape = Shape::Structure(&[req("OriginId", &STRING)]);
const ORIGIN_GROUP_MEMBERS: Shape =
    Shape::Structure(&[QUANTITY, req("Items", &at_least(2, &ORIGIN_GROUP_MEMBER))]);

const ORIGIN_GROUP: Shape = Shape::Structure(&[
    req("Id", &STRING),
    req(
        "FailoverCriteria",
        &Shape::Structure(&[req("StatusCodes", &STATUS_CODES)]),
    ),
    req("Members", &ORIGIN_GROUP_MEMBERS),
    opt("SelectionCriteria", &STRING),
]);

const ALLOWED_METHODS: Shape = Shape::Structure(&[
    QUANTITY,
    req("Items", &STRINGS),
    opt("CachedMethods", &REQUIRED_TEXTS),
]);

const LAMBDA_FUNCTION_ASSOCIATION: Shape = Shape::Structure(&[
    req("LambdaFunctionARN", &STRING),
    req("EventType", &STRING),
    opt("IncludeBody", &BOOLEAN),
]);

const LAMBDA_FUNCTION_ASSOCIATIONS: Shape = quantified!(&list(&LAMBDA_FUNCTION_ASSOCIATION));

const FUNCTION_ASSOCIATION: Shape =
    Shape::Structure(&[req("FunctionARN", &STRING), req("EventType", &STRING)]);
const FUNCTION_ASSOCIATIONS: Shape = quantified!(&list(&FUNCTION_ASSOCIATION));

const FORWARDED_VALUES: Shape = Shape::Structure(&[
    req("QueryString", &BOOLEAN),
    req(
        "Cookies",
        &Shape::Structure(&[req("Forward", &STRING), opt("WhitelistedNames", &TEXTS)]),
    ),
    opt("Headers", &TEXTS),
    opt("QueryStringCacheKeys", &TEXTS),
]);

/// What `DefaultCacheBehavior` and `CacheBehavior` share from `TargetOriginId` on.
macro_rules! behavior {
    ($($first:expr),*) => {
        Shape::Structure(&[
            $($first,)*
            req("TargetOriginId", &STRING),
            opt("TrustedSigners", &TRUSTED),
            opt("TrustedKeyGroups", &TRUSTED),
            req("ViewerProtocolPolicy", &STRING),
            opt("AllowedMethods", &ALLOWED_METHODS),
            opt("SmoothStreaming", &BOOLEAN),
            opt("Compress", &BOOLEAN),
            opt("LambdaFunctionAssociations", &LAMBDA_FUNCTION_ASSOCIATIONS),
            opt("FunctionAssociations", &FUNCTION_ASSOCIATIONS),
            opt("FieldLevelEncryptionId", &STRING),
            opt("RealtimeLogConfigArn", &STRING),
            opt("CachePolicyId", &STRING),
            opt("OriginRequestPolicyId", &STRING),
            opt("ResponseHeadersPolicyId", &STRING),
            opt("GrpcConfig", &Shape::Structure(&[req("Enabled", &BOOLEAN)])),
            opt("ForwardedValues", &FORWARDED_VALUES),
            opt("MinTTL", &INTEGER),
            opt("DefaultTTL", &INTEGER),
            opt("MaxTTL", &INTEGER),
        ])
    };
}

const DEFAULT_CACHE_BEHAVIOR: Shape = behavior!();
const CACHE_BEHAVIOR: Shape = behavior!(req("PathPattern", &STRING));

const CUSTOM_ERROR_RESPONSE: Shape = Shape::Structure(&[
    req("ErrorCode", &INTEGER),
    opt("ResponsePagePath", &STRING),
    opt("ResponseCode", &STRING),
    opt("ErrorCachingMinTTL", &INTEGER),
]);

const LOGGING: Shape = Shape::Structure(&[
    opt("Enabled", &BOOLEAN),
    opt("IncludeCookies", &BOOLEAN),
    opt("Bucket", &STRING),
    opt("Prefix", &STRING),
]);

const VIEWER_CERTIFICATE: Shape = Shape::Structure(&[
    opt("CloudFrontDefaultCertificate", &BOOLEAN),
    opt("IAMCertificateId", &STRING),
    opt("ACMCertificateArn", &STRING),
    opt("SSLSupportMethod", &STRING),
    opt("MinimumProtocolVersion", &STRING),
    opt("Certificate", &STRING),
    opt("CertificateSource", &STRING),
]);

const GEO_RESTRICTION: Shape = Shape::Structure(&[
    req("RestrictionType", &STRING),
    QUANTITY,
    opt("Items", &STRINGS),
]);

const STRING_SCHEMA: Shape = Shape::Structure(&[
    opt("Comment", &STRING),
    opt("DefaultValue", &NAME),
    req("Required", &BOOLEAN),
]);

const PARAMETER_DEFINITION: Shape = Shape::Structure(&[
    req("Name", &NAME),
    req(
        "Definition",
        &Shape::Structure(&[opt("StringSchema", &STRING_SCHEMA)]),
    ),
]);

const VIEWER_MTLS_CONFIG: Shape = Shape::Structure(&[
    opt("Mode", &STRING),
    opt(
        "TrustStoreConfig",
        &Shape::Structure(&[
            req("TrustStoreId", &STRING),
            opt("AdvertiseTrustStoreCaNames", &BOOLEAN),
            opt("IgnoreCertificateExpiry", &BOOLEAN),
        ]),
    ),
]);

pub const DISTRIBUTION_CONFIG: Shape = Shape::Structure(&[
    req("CallerReference", &STRING),
    opt("Aliases", &TEXTS),
    opt("DefaultRootObject", &STRING),
    req(
        "Origins",
        &Shape::Structure(&[QUANTITY, req("Items", &at_least(1, &ORIGIN))]),
    ),
    opt("OriginGroups", &quantified!(&list(&ORIGIN_GROUP))),
    req("DefaultCacheBehavior", &DEFAULT_CACHE_BEHAVIOR),
    opt("CacheBehaviors", &quantified!(&list(&CACHE_BEHAVIOR))),
    opt(
        "CustomErrorResponses",
        &quantified!(&list(&CUSTOM_ERROR_RESPONSE)),
    ),
    req("Comment", &STRING),
    opt("Logging", &LOGGING),
    opt("PriceClass", &STRING),
    req("Enabled", &BOOLEAN),
    opt("ViewerCertificate", &VIEWER_CERTIFICATE),
    opt(
        "Restrictions",
        &Shape::Structure(&[req("GeoRestriction", &GEO_RESTRICTION)]),
    ),
    opt("WebACLId", &STRING),
    opt("HttpVersion", &STRING),
    opt("IsIPV6Enabled", &BOOLEAN),
    opt("ContinuousDeploymentPolicyId", &STRING),
    opt("Staging", &BOOLEAN),
    opt("AnycastIpListId", &STRING),
    opt(
        "TenantConfig",
        &Shape::Structure(&[opt("ParameterDefinitions", &list(&PARAMETER_DEFINITION))]),
    ),
    opt("ConnectionMode", &STRING),
    opt("ViewerMtlsConfig", &VIEWER_MTLS_CONFIG),
    opt(
        "ConnectionFunctionAssociation",
        &Shape::Structure(&[req("Id", &NAME)]),
    ),
    opt(
        "CacheTagConfig",
        &Shape::Structure(&[req("HeaderName", &STRING)]),
    ),
]);

/// Checks `value` as botocore's validator does, reporting every problem in its words and
/// order: a structure's missing members, then its unknown ones, then each known one.
pub fn check(value: &Value, shape: &Shape, name: &str) -> Result<(), Failure> {
    let mut errors = Vec::new();
    visit(value, shape, name, &mut errors);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Failure::Client(format!(
            "Parameter validation failed:\n{}",
            errors.join("\n")
        )))
    }
}

fn visit(value: &Value, shape: &Shape, name: &str, errors: &mut Vec<String>) {
    let fits = match shape {
        Shape::String { .. } => value.is_string(),
        Shape::Boolean => value.is_boolean(),
        // Python's bool is an int.
        Shape::Integer => value.is_i64() || value.is_u64() || value.is_boolean(),
        Shape::List { .. } => value.is_array(),
        Shape::Structure(_) => value.is_object(),
    };
    if !fits {
        errors.push(format!(
            "Invalid type for parameter {name}, value: {}, type: {}, valid types: {}",
            python::str(value),
            python::type_of(value),
            match shape {
                Shape::String { .. } => "<class 'str'>",
                Shape::Boolean => "<class 'bool'>",
                Shape::Integer => "<class 'int'>",
                Shape::List { .. } => "<class 'list'>, <class 'tuple'>",
                Shape::Structure(_) => "<class 'dict'>",
            }
        ));
        return;
    }
    match (shape, value) {
        (Shape::String { min }, Value::String(text)) => {
            short(name, text.chars().count(), *min, errors);
        }
        (Shape::List { member, min }, Value::Array(items)) => {
            short(name, items.len(), *min, errors);
            for (i, item) in items.iter().enumerate() {
                visit(item, member, &format!("{name}[{i}]"), errors);
            }
        }
        (Shape::Structure(members), Value::Object(fields)) => {
            for member in members.iter().filter(|m| m.required) {
                if !fields.contains_key(member.name) {
                    errors.push(format!(
                        "Missing required parameter in {name}: \"{}\"",
                        member.name
                    ));
                }
            }
            let find = |key: &str| members.iter().find(|m| m.name == key);
            for key in fields.keys().filter(|key| find(key).is_none()) {
                let names: Vec<&str> = members.iter().map(|m| m.name).collect();
                errors.push(format!(
                    "Unknown parameter in {name}: \"{key}\", must be one of: {}",
                    names.join(", ")
                ));
            }
            for (key, field) in fields {
                if let Some(member) = find(key) {
                    visit(field, member.shape, &format!("{name}.{key}"), errors);
                }
            }
        }
        _ => {}
    }
}

fn short(name: &str, length: usize, min: usize, errors: &mut Vec<String>) {
    if length < min {
        errors.push(format!(
            "Invalid length for parameter {name}, value: {length}, valid min length: {min}"
        ));
    }
}

/// Shorthand gives only text: the CLI turns it into the model's numbers and flags (text
/// that is no number stops it, in Python's words), and a lone value where a list belongs
/// into a list of one.
pub fn from_shorthand(value: Value, shape: &Shape) -> Result<Value, Failure> {
    Ok(match (shape, value) {
        (Shape::Integer, Value::String(text)) => match text.trim().parse::<i64>() {
            Ok(number) => Value::from(number),
            Err(_) => {
                return Err(Failure::Client(format!(
                    "invalid literal for int() with base 10: {}",
                    python::quoted(&text)
                )));
            }
        },
        (Shape::Boolean, Value::String(text)) if text.eq_ignore_ascii_case("true") => {
            Value::Bool(true)
        }
        (Shape::Boolean, Value::String(text)) if text.eq_ignore_ascii_case("false") => {
            Value::Bool(false)
        }
        (Shape::List { member, .. }, Value::Array(items)) => Value::Array(
            items
                .into_iter()
                .map(|item| from_shorthand(item, member))
                .collect::<Result<_, _>>()?,
        ),
        (Shape::List { member, .. }, one) => Value::Array(vec![from_shorthand(one, member)?]),
        (Shape::Structure(members), Value::Object(fields)) => Value::Object(
            fields
                .into_iter()
                .map(|(key, field)| {
                    let field = match members.iter().find(|m| m.name == key) {
                        Some(member) => from_shorthand(field, member.shape)?,
                        None => field,
                    };
                    Ok((key, field))
                })
                .collect::<Result<_, Failure>>()?,
        ),
        (_, other) => other,
    })
}

/// How Python prints the values botocore reports: `str()` of the value, `repr()` inside
/// lists and dicts, which the CLI's JSON reader makes `OrderedDict`s.
mod python {
    use serde_json::Value;

    pub fn str(value: &Value) -> String {
        match value {
            Value::String(text) => text.clone(),
            other => repr(other),
        }
    }

    pub fn type_of(value: &Value) -> &'static str {
        match value {
            Value::Null => "<class 'NoneType'>",
            Value::Bool(_) => "<class 'bool'>",
            Value::Number(n) if n.is_f64() => "<class 'float'>",
            Value::Number(_) => "<class 'int'>",
            Value::String(_) => "<class 'str'>",
            Value::Array(_) => "<class 'list'>",
            Value::Object(_) => "<class 'collections.OrderedDict'>",
        }
    }

    fn repr(value: &Value) -> String {
        match value {
            Value::Null => "None".into(),
            Value::Bool(true) => "True".into(),
            Value::Bool(false) => "False".into(),
            Value::Number(n) => n.to_string(),
            Value::String(text) => quoted(text),
            Value::Array(items) => {
                let items: Vec<String> = items.iter().map(repr).collect();
                format!("[{}]", items.join(", "))
            }
            Value::Object(fields) => {
                let pairs: Vec<String> = fields
                    .iter()
                    .map(|(key, field)| format!("({}, {})", quoted(key), repr(field)))
                    .collect();
                format!("OrderedDict([{}])", pairs.join(", "))
            }
        }
    }

    /// Python's quotes: single, unless the text has one and no double quote.
    pub fn quoted(text: &str) -> String {
        let quote = if text.contains('\'') && !text.contains('"') {
            '"'
        } else {
            '\''
        };
        let mut out = String::from(quote);
        for c in text.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if c == quote => {
                    out.push('\\');
                    out.push(c);
                }
                c => out.push(c),
            }
        }
        out.push(quote);
        out
    }
}
