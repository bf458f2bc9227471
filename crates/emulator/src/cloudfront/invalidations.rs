//! Invalidations: paths the edge must fetch again from the origin. The edge drops cached
//! copies older than a matching invalidation at once; the invalidation reports Completed a
//! little later, as on AWS.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use super::{Answer, document, find_distribution, list_document, no_such_distribution};
use crate::context::Context;
use crate::error::AwsError;
use crate::ids;
use crate::wire::element::Element;
use crate::wire::timestamp::with_millis as timestamp;

/// How long an invalidation reports InProgress.
const PROGRESS: Duration = Duration::seconds(30);

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Invalidation {
    pub id: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created: OffsetDateTime,
    pub caller_reference: String,
    pub paths: Vec<String>,
}

impl Invalidation {
    pub fn status(&self, now: OffsetDateTime) -> &'static str {
        if now < self.created + PROGRESS {
            "InProgress"
        } else {
            "Completed"
        }
    }

    /// Whether this invalidation covers `path` (`/images/*` covers everything under it).
    pub fn covers(&self, path: &str) -> bool {
        self.paths
            .iter()
            .any(|pattern| match pattern.strip_suffix('*') {
                Some(prefix) => path.starts_with(prefix),
                None => pattern == path,
            })
    }

    fn document(&self, now: OffsetDateTime) -> Element {
        let paths = self
            .paths
            .iter()
            .map(|path| Element::leaf("Path", path))
            .collect();
        Element::node(
            "Invalidation",
            vec![
                Element::leaf("Id", &self.id),
                Element::leaf("Status", self.status(now)),
                Element::leaf("CreateTime", timestamp(self.created)),
                Element::node(
                    "InvalidationBatch",
                    vec![
                        Element::node(
                            "Paths",
                            vec![
                                Element::leaf("Quantity", self.paths.len()),
                                Element::node("Items", paths),
                            ],
                        ),
                        Element::leaf("CallerReference", &self.caller_reference),
                    ],
                ),
            ],
        )
    }
}

pub fn create(cx: &mut Context<'_>, distribution: &str, body: &[u8]) -> Result<Answer, AwsError> {
    let batch = document(body, "InvalidationBatch")?;
    let paths: Vec<String> = batch
        .child("Paths")
        .map(Element::items)
        .unwrap_or_default()
        .iter()
        .map(|path| path.text.clone())
        .collect();
    let quantity = batch
        .text_at(&["Paths", "Quantity"])
        .and_then(|q| q.parse::<usize>().ok());
    if quantity != Some(paths.len()) {
        return Err(AwsError::client(
            "InconsistentQuantities",
            "The value of Quantity and the size of Items don't match.",
        ));
    }
    if paths.is_empty() || paths.iter().any(|path| !path.starts_with('/')) {
        return Err(AwsError::client(
            "InvalidArgument",
            "Every invalidation path must start with a slash.",
        ));
    }
    let caller_reference = batch
        .text_at(&["CallerReference"])
        .unwrap_or_default()
        .to_string();
    let now = cx.now;
    let account = &mut *cx.account;
    let target = account
        .cloudfront
        .distributions
        .get_mut(distribution)
        .ok_or_else(no_such_distribution)?;
    let invalidation = Invalidation {
        id: ids::cloudfront_id('I'),
        created: now,
        caller_reference,
        paths,
    };
    let answer = Answer {
        status: 201,
        etag: None,
        location: Some(format!(
            "https://cloudfront.amazonaws.com/2020-05-31/distribution/{distribution}/invalidation/{}",
            invalidation.id
        )),
        document: Some(invalidation.document(now)),
    };
    target
        .invalidations
        .insert(invalidation.id.clone(), invalidation);
    cx.changed = true;
    Ok(answer)
}

pub fn get(cx: &mut Context<'_>, distribution: &str, id: &str) -> Result<Answer, AwsError> {
    let now = cx.now;
    let account = &mut *cx.account;
    let target = find_distribution(&account.cloudfront.distributions, distribution)?;
    let invalidation = target.invalidations.get(id).ok_or_else(|| {
        AwsError::new(
            404,
            "NoSuchInvalidation",
            "The specified invalidation does not exist.",
        )
    })?;
    Ok(Answer::ok(invalidation.document(now), None))
}

pub fn list(cx: &mut Context<'_>, distribution: &str) -> Result<Answer, AwsError> {
    let now = cx.now;
    let account = &mut *cx.account;
    let target = find_distribution(&account.cloudfront.distributions, distribution)?;
    let summaries = target
        .invalidations
        .values()
        .map(|invalidation| {
            Element::node(
                "InvalidationSummary",
                vec![
                    Element::leaf("Id", &invalidation.id),
                    Element::leaf("CreateTime", timestamp(invalidation.created)),
                    Element::leaf("Status", invalidation.status(now)),
                ],
            )
        })
        .collect();
    Ok(Answer::ok(
        list_document("InvalidationList", summaries),
        None,
    ))
}
