//! Distributions: created InProgress, Deployed after a while of simulated time, updated and
//! deleted under If-Match, as on AWS.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use super::invalidations::Invalidation;
use super::{
    Answer, check_if_match, config, document, find_distribution, list_document,
    no_such_distribution,
};
use crate::context::Context;
use crate::error::AwsError;
use crate::ids;
use crate::wire::element::Element;
use crate::wire::timestamp::with_millis as timestamp;

/// How long a change takes to reach the edge: a few minutes on AWS, two here (`clock advance`
/// skips it).
pub const DEPLOYMENT: Duration = Duration::minutes(2);

/// The parts of a configuration DistributionSummary repeats.
const SUMMARY_FIELDS: &[&str] = &[
    "Aliases",
    "Origins",
    "OriginGroups",
    "DefaultCacheBehavior",
    "CacheBehaviors",
    "CustomErrorResponses",
    "Comment",
    "PriceClass",
    "Enabled",
    "ViewerCertificate",
    "Restrictions",
    "WebACLId",
    "HttpVersion",
    "IsIPV6Enabled",
    "Staging",
];

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Distribution {
    pub id: String,
    /// `d111111abcdef8.cloudfront.net`.
    pub domain_name: String,
    pub etag: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub last_modified: OffsetDateTime,
    /// Until then the last change is still spreading to the edge.
    #[serde(with = "time::serde::rfc3339")]
    pub deployed_at: OffsetDateTime,
    /// The `DistributionConfig` document, completed with CloudFront's defaults.
    pub config: Element,
    #[serde(default)]
    pub tags: Vec<(String, String)>,
    #[serde(default)]
    pub invalidations: BTreeMap<String, Invalidation>,
}

impl Distribution {
    pub fn arn(&self, account: &str) -> String {
        format!("arn:aws:cloudfront::{account}:distribution/{}", self.id)
    }

    /// `InProgress` while a change deploys, then `Deployed`.
    pub fn status(&self, now: OffsetDateTime) -> &'static str {
        if now < self.deployed_at {
            "InProgress"
        } else {
            "Deployed"
        }
    }

    fn document(&self, account: &str, now: OffsetDateTime) -> Element {
        let pending = self
            .invalidations
            .values()
            .filter(|invalidation| invalidation.status(now) == "InProgress")
            .count();
        let trusted = |name: &str| {
            Element::node(
                name,
                vec![
                    Element::leaf("Enabled", false),
                    Element::leaf("Quantity", 0),
                ],
            )
        };
        Element::node(
            "Distribution",
            vec![
                Element::leaf("Id", &self.id),
                Element::leaf("ARN", self.arn(account)),
                Element::leaf("Status", self.status(now)),
                Element::leaf("LastModifiedTime", timestamp(self.last_modified)),
                Element::leaf("InProgressInvalidationBatches", pending),
                Element::leaf("DomainName", &self.domain_name),
                trusted("ActiveTrustedSigners"),
                trusted("ActiveTrustedKeyGroups"),
                self.config.clone(),
            ],
        )
    }

    fn summary(&self, account: &str, now: OffsetDateTime) -> Element {
        let mut children = vec![
            Element::leaf("Id", &self.id),
            Element::leaf("ARN", self.arn(account)),
            Element::leaf("Status", self.status(now)),
            Element::leaf("LastModifiedTime", timestamp(self.last_modified)),
            Element::leaf("DomainName", &self.domain_name),
        ];
        children.extend(
            SUMMARY_FIELDS
                .iter()
                .filter_map(|name| self.config.child(name).cloned()),
        );
        Element::node("DistributionSummary", children)
    }
}

pub fn create(cx: &mut Context<'_>, body: &[u8], with_tags: bool) -> Result<Answer, AwsError> {
    let (mut config, tags) = if with_tags {
        let wrapper = document(body, "DistributionConfigWithTags")?;
        let config = wrapper
            .child("DistributionConfig")
            .cloned()
            .ok_or_else(|| AwsError::client("MalformedInput", "DistributionConfig is required"))?;
        let tags = wrapper
            .child("Tags")
            .map(Element::items)
            .unwrap_or_default()
            .iter()
            .map(|tag| {
                (
                    tag.text_at(&["Key"]).unwrap_or_default().to_string(),
                    tag.text_at(&["Value"]).unwrap_or_default().to_string(),
                )
            })
            .collect();
        (config, tags)
    } else {
        (document(body, "DistributionConfig")?, Vec::new())
    };
    let now = cx.now;
    let caller_account = cx.caller.account.clone();
    let account = &mut *cx.account;
    let controls: Vec<&str> = account
        .cloudfront
        .access_controls
        .keys()
        .map(String::as_str)
        .collect();
    config::validate(&config, &controls)?;
    config::complete(&mut config);
    let reference = config.text_at(&["CallerReference"]).unwrap_or_default();
    let reused = account
        .cloudfront
        .distributions
        .values()
        .any(|existing| existing.config.text_at(&["CallerReference"]) == Some(reference));
    if reused {
        return Err(AwsError::new(
            409,
            "DistributionAlreadyExists",
            "The caller reference that you are using to create a distribution is associated with another distribution.",
        ));
    }
    let distribution = Distribution {
        id: ids::cloudfront_id('E'),
        domain_name: ids::cloudfront_domain(),
        etag: ids::cloudfront_id('E'),
        created: now,
        last_modified: now,
        deployed_at: now + DEPLOYMENT,
        config,
        tags,
        invalidations: BTreeMap::new(),
    };
    let answer = Answer::created(
        distribution.document(&caller_account, now),
        distribution.etag.clone(),
        format!("distribution/{}", distribution.id),
    );
    account
        .cloudfront
        .distributions
        .insert(distribution.id.clone(), distribution);
    cx.changed = true;
    Ok(answer)
}

pub fn get(cx: &mut Context<'_>, id: &str) -> Result<Answer, AwsError> {
    let (now, caller) = (cx.now, cx.caller.account.clone());
    let account = &mut *cx.account;
    let distribution = find_distribution(&account.cloudfront.distributions, id)?;
    Ok(Answer::ok(
        distribution.document(&caller, now),
        Some(distribution.etag.clone()),
    ))
}

pub fn get_config(cx: &mut Context<'_>, id: &str) -> Result<Answer, AwsError> {
    let account = &mut *cx.account;
    let distribution = find_distribution(&account.cloudfront.distributions, id)?;
    Ok(Answer::ok(
        distribution.config.clone(),
        Some(distribution.etag.clone()),
    ))
}

pub fn list(cx: &mut Context<'_>) -> Result<Answer, AwsError> {
    let (now, caller) = (cx.now, cx.caller.account.clone());
    let account = &mut *cx.account;
    let summaries = account
        .cloudfront
        .distributions
        .values()
        .map(|distribution| distribution.summary(&caller, now))
        .collect();
    Ok(Answer::ok(
        list_document("DistributionList", summaries),
        None,
    ))
}

pub fn update(
    cx: &mut Context<'_>,
    id: &str,
    if_match: Option<&str>,
    body: &[u8],
) -> Result<Answer, AwsError> {
    let mut config = document(body, "DistributionConfig")?;
    let (now, caller) = (cx.now, cx.caller.account.clone());
    let account = &mut *cx.account;
    let controls: Vec<String> = account.cloudfront.access_controls.keys().cloned().collect();
    let distribution = account
        .cloudfront
        .distributions
        .get_mut(id)
        .ok_or_else(no_such_distribution)?;
    check_if_match(if_match, &distribution.etag)?;
    let controls: Vec<&str> = controls.iter().map(String::as_str).collect();
    config::validate(&config, &controls)?;
    if config.text_at(&["CallerReference"]) != distribution.config.text_at(&["CallerReference"]) {
        return Err(AwsError::client(
            "IllegalUpdate",
            "The update contains modifications that are not allowed: CallerReference cannot change.",
        ));
    }
    config::complete(&mut config);
    distribution.config = config;
    distribution.etag = ids::cloudfront_id('E');
    distribution.last_modified = now;
    distribution.deployed_at = now + DEPLOYMENT;
    let answer = Answer::ok(
        distribution.document(&caller, now),
        Some(distribution.etag.clone()),
    );
    cx.changed = true;
    Ok(answer)
}

pub fn delete(cx: &mut Context<'_>, id: &str, if_match: Option<&str>) -> Result<Answer, AwsError> {
    let now = cx.now;
    let account = &mut *cx.account;
    let distribution = find_distribution(&account.cloudfront.distributions, id)?;
    check_if_match(if_match, &distribution.etag)?;
    // Only a distribution that is disabled, with that change deployed, may go.
    if config::enabled(&distribution.config) || distribution.status(now) != "Deployed" {
        return Err(AwsError::new(
            409,
            "DistributionNotDisabled",
            "The distribution you are trying to delete has not been disabled.",
        ));
    }
    account.cloudfront.distributions.remove(id);
    cx.changed = true;
    Ok(Answer::no_content())
}
