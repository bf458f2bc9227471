//! A distribution's configuration: validated as CloudFront does, completed with CloudFront's
//! defaults, and read by the edge (which origin, which TTLs, whether it serves at all).

use crate::error::AwsError;
use crate::wire::element::Element;

/// The managed cache policy `Managed-CachingOptimized`: what the console picks for S3.
pub const CACHING_OPTIMIZED: &str = "658327ea-f89d-4fab-a63d-7e88639e58f6";
/// `Managed-CachingDisabled`.
pub const CACHING_DISABLED: &str = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";

/// Seconds an object stays cached, as a cache behaviour sets them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ttls {
    pub min: u64,
    pub default: u64,
    pub max: u64,
}

impl Ttls {
    /// How long to keep a response: the origin's `max-age` held within min and max, else the
    /// default, as CloudFront decides.
    pub fn for_response(self, max_age: Option<u64>) -> u64 {
        match max_age {
            Some(age) => age.clamp(self.min, self.max.max(self.min)),
            None => self.default.clamp(self.min, self.max.max(self.min)),
        }
    }
}

/// The origin a request goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub id: String,
    pub domain_name: String,
    /// The Origin Access Control signing requests to it, if any.
    pub access_control: Option<String>,
}

impl Origin {
    /// The S3 bucket behind `bucket.s3.amazonaws.com` or `bucket.s3.<region>.amazonaws.com`.
    pub fn bucket(&self) -> Option<&str> {
        let (bucket, rest) = self.domain_name.split_once(".s3")?;
        (rest.ends_with(".amazonaws.com") && !bucket.is_empty()).then_some(bucket)
    }
}

/// Checks a `DistributionConfig` as CloudFront does. `access_controls` are the account's OAC ids.
pub fn validate(config: &Element, access_controls: &[&str]) -> Result<(), AwsError> {
    if config.name != "DistributionConfig" {
        return Err(malformed(format!(
            "Unexpected element {}; expected DistributionConfig",
            config.name
        )));
    }
    for field in [
        "CallerReference",
        "Origins",
        "DefaultCacheBehavior",
        "Comment",
        "Enabled",
    ] {
        if config.child(field).is_none() {
            return Err(malformed(format!(
                "1 validation error detected: Value null at 'distributionConfig.{}' failed to satisfy constraint: Member must not be null",
                lower_first(field)
            )));
        }
    }
    if !matches!(config.text_at(&["Enabled"]), Some("true" | "false")) {
        return Err(malformed("Enabled must be true or false".into()));
    }
    if config
        .text_at(&["Comment"])
        .is_some_and(|comment| comment.chars().count() > 128)
    {
        return Err(invalid(
            "The parameter Comment is longer than 128 characters.",
        ));
    }
    if config
        .text_at(&["DefaultRootObject"])
        .is_some_and(|root| root.starts_with('/') || root.len() > 255)
    {
        return Err(AwsError::client(
            "InvalidDefaultRootObject",
            "The specified default root object is invalid.",
        ));
    }
    let origins = config
        .child("Origins")
        .map(quantified)
        .transpose()?
        .unwrap_or_default();
    if origins.is_empty() {
        return Err(invalid(
            "The parameter Origins must contain at least one origin.",
        ));
    }
    let mut ids = Vec::new();
    for origin in origins {
        let id = origin.text_at(&["Id"]).filter(|id| !id.is_empty());
        let domain = origin
            .text_at(&["DomainName"])
            .filter(|domain| !domain.is_empty());
        let (Some(id), Some(_)) = (id, domain) else {
            return Err(malformed(
                "Every Origin needs an Id and a DomainName".into(),
            ));
        };
        if ids.contains(&id) {
            return Err(invalid("The parameter Origin Id must be unique."));
        }
        ids.push(id);
        if let Some(control) = origin
            .text_at(&["OriginAccessControlId"])
            .filter(|c| !c.is_empty())
            && !access_controls.contains(&control)
        {
            return Err(AwsError::new(
                404,
                "NoSuchOriginAccessControl",
                "The origin access control does not exist.",
            ));
        }
    }
    let mut behaviors = vec![
        config
            .child("DefaultCacheBehavior")
            .ok_or_else(|| malformed("DefaultCacheBehavior is required".into()))?,
    ];
    if let Some(more) = config.child("CacheBehaviors") {
        behaviors.extend(quantified(more)?);
    }
    for behavior in behaviors {
        let target = behavior.text_at(&["TargetOriginId"]).unwrap_or_default();
        if !ids.contains(&target) {
            return Err(AwsError::new(
                404,
                "NoSuchOrigin",
                "One or more of your origins or origin groups do not exist.",
            ));
        }
        if !matches!(
            behavior.text_at(&["ViewerProtocolPolicy"]),
            Some("allow-all" | "https-only" | "redirect-to-https")
        ) {
            return Err(invalid("The parameter ViewerProtocolPolicy is invalid."));
        }
        let has_policy = behavior
            .text_at(&["CachePolicyId"])
            .is_some_and(|id| !id.is_empty());
        if !has_policy && behavior.child("ForwardedValues").is_none() {
            return Err(invalid("The parameter ForwardedValues is required."));
        }
    }
    Ok(())
}

/// The items of a `Quantity`/`Items` list, which must agree.
fn quantified(list: &Element) -> Result<&[Element], AwsError> {
    let items = list.items();
    let quantity: usize = list
        .text_at(&["Quantity"])
        .and_then(|quantity| quantity.parse().ok())
        .ok_or_else(|| malformed(format!("{} needs a Quantity", list.name)))?;
    if quantity != items.len() {
        return Err(AwsError::client(
            "InconsistentQuantities",
            "The value of Quantity and the size of Items don't match.",
        ));
    }
    Ok(items)
}

/// Adds what CloudFront fills in when a request leaves it out, so that GetDistributionConfig
/// returns a complete document, as it does on AWS.
pub fn complete(config: &mut Element) {
    let empty = |name: &str| Element::node(name, vec![Element::leaf("Quantity", 0)]);
    config.ensure(empty("Aliases"));
    config.ensure(Element::leaf("DefaultRootObject", ""));
    config.ensure(empty("OriginGroups"));
    config.ensure(empty("CacheBehaviors"));
    config.ensure(empty("CustomErrorResponses"));
    config.ensure(Element::node(
        "Logging",
        vec![
            Element::leaf("Enabled", false),
            Element::leaf("IncludeCookies", false),
            Element::leaf("Bucket", ""),
            Element::leaf("Prefix", ""),
        ],
    ));
    config.ensure(Element::leaf("PriceClass", "PriceClass_All"));
    config.ensure(Element::node(
        "ViewerCertificate",
        vec![
            Element::leaf("CloudFrontDefaultCertificate", true),
            Element::leaf("SSLSupportMethod", "vip"),
            Element::leaf("MinimumProtocolVersion", "TLSv1"),
            Element::leaf("CertificateSource", "cloudfront"),
        ],
    ));
    config.ensure(Element::node(
        "Restrictions",
        vec![Element::node(
            "GeoRestriction",
            vec![
                Element::leaf("RestrictionType", "none"),
                Element::leaf("Quantity", 0),
            ],
        )],
    ));
    config.ensure(Element::leaf("WebACLId", ""));
    config.ensure(Element::leaf("HttpVersion", "http2"));
    config.ensure(Element::leaf("IsIPV6Enabled", true));
    config.ensure(Element::leaf("ContinuousDeploymentPolicyId", ""));
    config.ensure(Element::leaf("Staging", false));
    if let Some(origins) = config
        .child_mut("Origins")
        .and_then(|origins| origins.child_mut("Items"))
    {
        for origin in &mut origins.children {
            origin.ensure(Element::leaf("OriginPath", ""));
            origin.ensure(empty("CustomHeaders"));
            origin.ensure(Element::leaf("ConnectionAttempts", 3));
            origin.ensure(Element::leaf("ConnectionTimeout", 10));
            origin.ensure(Element::node(
                "OriginShield",
                vec![Element::leaf("Enabled", false)],
            ));
            origin.ensure(Element::leaf("OriginAccessControlId", ""));
        }
    }
}

pub fn enabled(config: &Element) -> bool {
    config.text_at(&["Enabled"]) == Some("true")
}

/// The cache behaviour for a path: the first `CacheBehaviors` pattern that matches, else the
/// default one.
pub fn behavior_for<'a>(config: &'a Element, path: &str) -> Option<&'a Element> {
    let more = config
        .child("CacheBehaviors")
        .map(Element::items)
        .unwrap_or_default();
    more.iter()
        .find(|behavior| {
            behavior
                .text_at(&["PathPattern"])
                .is_some_and(|pattern| path_matches(pattern, path))
        })
        .or_else(|| config.child("DefaultCacheBehavior"))
}

/// The origin a behaviour sends requests to.
pub fn origin_of(config: &Element, behavior: &Element) -> Option<Origin> {
    let target = behavior.text_at(&["TargetOriginId"])?;
    let origin = config
        .child("Origins")?
        .items()
        .iter()
        .find(|origin| origin.text_at(&["Id"]) == Some(target))?;
    Some(Origin {
        id: target.to_string(),
        domain_name: origin.text_at(&["DomainName"])?.to_string(),
        access_control: origin
            .text_at(&["OriginAccessControlId"])
            .filter(|id| !id.is_empty())
            .map(str::to_string),
    })
}

/// A behaviour's TTLs: a managed cache policy's, or the legacy MinTTL/DefaultTTL/MaxTTL.
pub fn ttls(behavior: &Element) -> Ttls {
    match behavior
        .text_at(&["CachePolicyId"])
        .filter(|id| !id.is_empty())
    {
        Some(CACHING_DISABLED) => Ttls {
            min: 0,
            default: 0,
            max: 0,
        },
        // CachingOptimized and any other policy: one day by default, up to a year.
        Some(_) => Ttls {
            min: 1,
            default: 86_400,
            max: 31_536_000,
        },
        None => {
            let number = |name: &str, fallback: u64| {
                behavior
                    .text_at(&[name])
                    .and_then(|value| value.parse().ok())
                    .unwrap_or(fallback)
            };
            Ttls {
                min: number("MinTTL", 0),
                default: number("DefaultTTL", 86_400),
                max: number("MaxTTL", 31_536_000),
            }
        }
    }
}

/// CloudFront path patterns: `*` any characters, `?` one; `/images/*.jpg`.
pub fn path_matches(pattern: &str, path: &str) -> bool {
    let pattern = pattern.strip_prefix('/').unwrap_or(pattern);
    let path = path.strip_prefix('/').unwrap_or(path);
    wildcard(pattern.as_bytes(), path.as_bytes())
}

fn wildcard(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) => (0..=text.len()).any(|skip| wildcard(rest, &text[skip..])),
        Some((b'?', rest)) => !text.is_empty() && wildcard(rest, &text[1..]),
        Some((byte, rest)) => text.first() == Some(byte) && wildcard(rest, &text[1..]),
    }
}

fn malformed(message: String) -> AwsError {
    AwsError::client("MalformedInput", message)
}

fn invalid(message: &str) -> AwsError {
    AwsError::client("InvalidArgument", message)
}

fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|first| first.to_ascii_lowercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const S3_CONFIG: &[u8] =
        br#"<DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">
      <CallerReference>ref-1</CallerReference><Comment>images</Comment><Enabled>true</Enabled>
      <DefaultRootObject>index.html</DefaultRootObject>
      <Origins><Quantity>1</Quantity><Items><Origin><Id>s3</Id>
        <DomainName>photos.s3.ap-northeast-2.amazonaws.com</DomainName>
        <S3OriginConfig><OriginAccessIdentity></OriginAccessIdentity></S3OriginConfig>
        <OriginAccessControlId>E2OAC</OriginAccessControlId></Origin></Items></Origins>
      <DefaultCacheBehavior><TargetOriginId>s3</TargetOriginId>
        <ViewerProtocolPolicy>redirect-to-https</ViewerProtocolPolicy>
        <CachePolicyId>658327ea-f89d-4fab-a63d-7e88639e58f6</CachePolicyId></DefaultCacheBehavior>
    </DistributionConfig>"#;

    #[test]
    fn a_console_style_s3_distribution_is_valid_and_completed() {
        let mut config = Element::parse(S3_CONFIG).expect("parse");
        validate(&config, &["E2OAC"]).expect("valid");
        complete(&mut config);
        assert_eq!(config.text_at(&["PriceClass"]), Some("PriceClass_All"));
        assert_eq!(config.text_at(&["Aliases", "Quantity"]), Some("0"));
        let behavior = behavior_for(&config, "/cat.png").expect("behavior");
        let origin = origin_of(&config, behavior).expect("origin");
        assert_eq!(origin.bucket(), Some("photos"));
        assert_eq!(origin.access_control.as_deref(), Some("E2OAC"));
        assert_eq!(ttls(behavior).default, 86_400);
    }

    #[test]
    fn mistakes_get_cloudfronts_errors() {
        let config = Element::parse(S3_CONFIG).expect("parse");
        assert_eq!(
            validate(&config, &[]).expect_err("oac").code,
            "NoSuchOriginAccessControl"
        );
        let text = std::str::from_utf8(S3_CONFIG).expect("utf8");
        for (from, to, code) in [
            (
                "<TargetOriginId>s3</TargetOriginId>",
                "<TargetOriginId>web</TargetOriginId>",
                "NoSuchOrigin",
            ),
            (
                "<Quantity>1</Quantity>",
                "<Quantity>2</Quantity>",
                "InconsistentQuantities",
            ),
            ("<Enabled>true</Enabled>", "", "MalformedInput"),
            ("index.html", "/index.html", "InvalidDefaultRootObject"),
            (
                "<CachePolicyId>658327ea-f89d-4fab-a63d-7e88639e58f6</CachePolicyId>",
                "",
                "InvalidArgument",
            ),
        ] {
            let broken = Element::parse(text.replace(from, to).as_bytes()).expect("parse");
            assert_eq!(validate(&broken, &["E2OAC"]).expect_err(code).code, code);
        }
    }

    #[test]
    fn ttls_and_patterns_follow_cloudfront() {
        let legacy = Ttls {
            min: 10,
            default: 60,
            max: 120,
        };
        assert_eq!(legacy.for_response(None), 60);
        assert_eq!(legacy.for_response(Some(5)), 10);
        assert_eq!(legacy.for_response(Some(500)), 120);
        assert!(path_matches("/images/*.jpg", "/images/a/b.jpg"));
        assert!(!path_matches("images/*.jpg", "/images/b.png"));
        assert!(path_matches("*", "/anything"));
    }
}
