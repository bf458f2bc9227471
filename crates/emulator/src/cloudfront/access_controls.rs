//! Origin Access Control: how a distribution signs its requests to a private S3 bucket.

use serde::{Deserialize, Serialize};

use super::{Answer, check_if_match, document, list_document};
use crate::context::Context;
use crate::error::AwsError;
use crate::ids;
use crate::wire::element::Element;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessControl {
    pub id: String,
    pub etag: String,
    /// The `OriginAccessControlConfig` document, completed.
    pub config: Element,
}

impl AccessControl {
    /// Whether CloudFront signs requests with it (`always`, or `no-override` when the viewer
    /// sent no Authorization header, which the edge's viewers never do).
    pub fn signs(&self) -> bool {
        matches!(
            self.config.text_at(&["SigningBehavior"]),
            Some("always" | "no-override")
        )
    }

    fn document(&self) -> Element {
        Element::node(
            "OriginAccessControl",
            vec![Element::leaf("Id", &self.id), self.config.clone()],
        )
    }
}

pub fn create(cx: &mut Context<'_>, body: &[u8]) -> Result<Answer, AwsError> {
    let config = checked(body)?;
    let name = config.text_at(&["Name"]).unwrap_or_default().to_string();
    let account = &mut *cx.account;
    let taken = account
        .cloudfront
        .access_controls
        .values()
        .any(|existing| existing.config.text_at(&["Name"]) == Some(name.as_str()));
    if taken {
        return Err(AwsError::new(
            409,
            "OriginAccessControlAlreadyExists",
            format!("An origin access control with the name {name} already exists."),
        ));
    }
    let control = AccessControl {
        id: ids::cloudfront_id('E'),
        etag: ids::cloudfront_id('E'),
        config,
    };
    let answer = Answer::created(
        control.document(),
        control.etag.clone(),
        format!("origin-access-control/{}", control.id),
    );
    account
        .cloudfront
        .access_controls
        .insert(control.id.clone(), control);
    cx.changed = true;
    Ok(answer)
}

pub fn get(cx: &mut Context<'_>, id: &str, config_only: bool) -> Result<Answer, AwsError> {
    let account = &mut *cx.account;
    let control = find(&account.cloudfront.access_controls, id)?;
    let document = if config_only {
        control.config.clone()
    } else {
        control.document()
    };
    Ok(Answer::ok(document, Some(control.etag.clone())))
}

pub fn list(cx: &mut Context<'_>) -> Result<Answer, AwsError> {
    let account = &mut *cx.account;
    let summaries = account
        .cloudfront
        .access_controls
        .values()
        .map(|control| {
            let field = |name: &str| {
                Element::leaf(name, control.config.text_at(&[name]).unwrap_or_default())
            };
            Element::node(
                "OriginAccessControlSummary",
                vec![
                    Element::leaf("Id", &control.id),
                    field("Description"),
                    field("Name"),
                    field("SigningProtocol"),
                    field("SigningBehavior"),
                    field("OriginAccessControlOriginType"),
                ],
            )
        })
        .collect();
    Ok(Answer::ok(
        list_document("OriginAccessControlList", summaries),
        None,
    ))
}

pub fn update(
    cx: &mut Context<'_>,
    id: &str,
    if_match: Option<&str>,
    body: &[u8],
) -> Result<Answer, AwsError> {
    let config = checked(body)?;
    let account = &mut *cx.account;
    let control = account
        .cloudfront
        .access_controls
        .get_mut(id)
        .ok_or_else(|| no_such(id))?;
    check_if_match(if_match, &control.etag)?;
    control.config = config;
    control.etag = ids::cloudfront_id('E');
    let answer = Answer::ok(control.document(), Some(control.etag.clone()));
    cx.changed = true;
    Ok(answer)
}

pub fn delete(cx: &mut Context<'_>, id: &str, if_match: Option<&str>) -> Result<Answer, AwsError> {
    let account = &mut *cx.account;
    let control = find(&account.cloudfront.access_controls, id)?;
    check_if_match(if_match, &control.etag)?;
    let in_use = account
        .cloudfront
        .distributions
        .values()
        .any(|distribution| {
            distribution
                .config
                .child("Origins")
                .map(Element::items)
                .unwrap_or_default()
                .iter()
                .any(|origin| origin.text_at(&["OriginAccessControlId"]) == Some(id))
        });
    if in_use {
        return Err(AwsError::new(
            409,
            "OriginAccessControlInUse",
            "Cannot delete, this origin access control is in use.",
        ));
    }
    account.cloudfront.access_controls.remove(id);
    cx.changed = true;
    Ok(Answer::no_content())
}

fn find<'a>(
    controls: &'a std::collections::BTreeMap<String, AccessControl>,
    id: &str,
) -> Result<&'a AccessControl, AwsError> {
    controls.get(id).ok_or_else(|| no_such(id))
}

fn no_such(_id: &str) -> AwsError {
    AwsError::new(
        404,
        "NoSuchOriginAccessControl",
        "The origin access control does not exist.",
    )
}

/// An `OriginAccessControlConfig` checked field by field.
fn checked(body: &[u8]) -> Result<Element, AwsError> {
    let mut config = document(body, "OriginAccessControlConfig")?;
    let invalid = |message: &str| AwsError::client("InvalidArgument", message.to_string());
    let name = config.text_at(&["Name"]).unwrap_or_default();
    if name.is_empty() || name.chars().count() > 64 {
        return Err(invalid("The parameter Name must be 1 to 64 characters."));
    }
    if config.text_at(&["SigningProtocol"]) != Some("sigv4") {
        return Err(invalid("The parameter SigningProtocol must be sigv4."));
    }
    if !matches!(
        config.text_at(&["SigningBehavior"]),
        Some("never" | "always" | "no-override")
    ) {
        return Err(invalid(
            "The parameter SigningBehavior must be never, always or no-override.",
        ));
    }
    if !matches!(
        config.text_at(&["OriginAccessControlOriginType"]),
        Some("s3" | "mediastore" | "mediapackagev2" | "lambda")
    ) {
        return Err(invalid(
            "The parameter OriginAccessControlOriginType is invalid.",
        ));
    }
    config.ensure(Element::leaf("Description", ""));
    Ok(config)
}
