//! CloudFront's API (2020-05-31, REST-XML): Origin Access Control, distributions with their
//! ETag/If-Match discipline, and invalidations. What a deployed distribution serves is the
//! edge's business (`crate::edge`); this module only keeps the configuration.

pub mod access_controls;
pub mod config;
pub mod distributions;
pub mod invalidations;

use std::collections::BTreeMap;

use http::Method;
use serde::{Deserialize, Serialize};

use super::context::Context;
use super::error::AwsError;
use super::wire::element::Element;

pub use access_controls::AccessControl;
pub use distributions::Distribution;

/// The API version in every path.
const VERSION: &str = "/2020-05-31/";

/// One account's CloudFront resources.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CloudFront {
    #[serde(default)]
    pub distributions: BTreeMap<String, Distribution>,
    #[serde(default)]
    pub access_controls: BTreeMap<String, AccessControl>,
}

/// A handler's answer: status, the resource's new ETag, where it lives, and the document.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub etag: Option<String>,
    pub location: Option<String>,
    pub document: Option<Element>,
}

impl Answer {
    fn ok(document: Element, etag: Option<String>) -> Answer {
        Answer {
            status: 200,
            etag,
            location: None,
            document: Some(document),
        }
    }

    fn created(document: Element, etag: String, path: String) -> Answer {
        Answer {
            status: 201,
            etag: Some(etag),
            location: Some(format!("https://cloudfront.amazonaws.com{VERSION}{path}")),
            document: Some(document),
        }
    }

    fn no_content() -> Answer {
        Answer {
            status: 204,
            etag: None,
            location: None,
            document: None,
        }
    }
}

/// What a request brings besides the caller.
#[derive(Debug)]
pub struct Call<'a> {
    pub method: &'a Method,
    pub path: &'a str,
    pub query: &'a str,
    pub if_match: Option<&'a str>,
    pub body: &'a [u8],
}

/// Routes one CloudFront request.
pub fn handle(cx: &mut Context<'_>, call: &Call<'_>) -> Result<Answer, AwsError> {
    let route = call
        .path
        .strip_prefix(VERSION)
        .ok_or_else(|| not_found_route(call.path))?;
    let segments: Vec<&str> = route.trim_end_matches('/').split('/').collect();
    let method = call.method;
    match (method, segments.as_slice()) {
        (&Method::POST, ["origin-access-control"]) => access_controls::create(cx, call.body),
        (&Method::GET, ["origin-access-control"]) => access_controls::list(cx),
        (&Method::GET, ["origin-access-control", id]) => access_controls::get(cx, id, false),
        (&Method::GET, ["origin-access-control", id, "config"]) => {
            access_controls::get(cx, id, true)
        }
        (&Method::PUT, ["origin-access-control", id, "config"]) => {
            access_controls::update(cx, id, call.if_match, call.body)
        }
        (&Method::DELETE, ["origin-access-control", id]) => {
            access_controls::delete(cx, id, call.if_match)
        }
        (&Method::POST, ["distribution"]) => {
            let with_tags = call.query.split('&').any(|pair| pair == "WithTags");
            distributions::create(cx, call.body, with_tags)
        }
        (&Method::GET, ["distribution"]) => distributions::list(cx),
        (&Method::GET, ["distribution", id]) => distributions::get(cx, id),
        (&Method::GET, ["distribution", id, "config"]) => distributions::get_config(cx, id),
        (&Method::PUT, ["distribution", id, "config"]) => {
            distributions::update(cx, id, call.if_match, call.body)
        }
        (&Method::DELETE, ["distribution", id]) => distributions::delete(cx, id, call.if_match),
        (&Method::POST, ["distribution", id, "invalidation"]) => {
            invalidations::create(cx, id, call.body)
        }
        (&Method::GET, ["distribution", id, "invalidation"]) => invalidations::list(cx, id),
        (&Method::GET, ["distribution", id, "invalidation", invalidation]) => {
            invalidations::get(cx, id, invalidation)
        }
        _ => Err(AwsError::client(
            "UnsupportedOperation",
            format!(
                "The CloudFront operation {method} {} is not supported by the cloudlings emulator.",
                call.path
            ),
        )),
    }
}

fn not_found_route(path: &str) -> AwsError {
    AwsError::new(404, "NotFound", format!("No CloudFront API at {path}"))
}

/// Parses a request document whose root must be `root`.
fn document(body: &[u8], root: &str) -> Result<Element, AwsError> {
    let element = Element::parse(body).map_err(|error| {
        AwsError::client("MalformedInput", format!("Invalid XML document: {error}"))
    })?;
    if element.name != root {
        return Err(AwsError::client(
            "MalformedInput",
            format!("Unexpected element {}; expected {root}", element.name),
        ));
    }
    Ok(element)
}

/// If-Match as CloudFront checks it: present, and the resource's current ETag.
fn check_if_match(given: Option<&str>, current: &str) -> Result<(), AwsError> {
    match given.map(|etag| etag.trim().trim_matches('"')) {
        None | Some("") => Err(AwsError::client(
            "InvalidIfMatchVersion",
            "The If-Match version is missing or not valid for the resource.",
        )),
        Some(etag) if etag != current => Err(AwsError::new(
            412,
            "PreconditionFailed",
            "The precondition given in one or more of the request-header fields evaluated to false.",
        )),
        Some(_) => Ok(()),
    }
}

/// A CloudFront list document: `Marker`, `MaxItems`, `IsTruncated`, `Quantity`, `Items`.
fn list_document(name: &str, items: Vec<Element>) -> Element {
    let mut children = vec![
        Element::leaf("Marker", ""),
        Element::leaf("MaxItems", 100),
        Element::leaf("IsTruncated", false),
        Element::leaf("Quantity", items.len()),
    ];
    if !items.is_empty() {
        children.push(Element::node("Items", items));
    }
    Element::node(name, children)
}

/// The distribution `id` names, which invalidations and the distribution's own routes look up.
pub(super) fn find_distribution<'a>(
    distributions: &'a BTreeMap<String, Distribution>,
    id: &str,
) -> Result<&'a Distribution, AwsError> {
    distributions.get(id).ok_or_else(no_such_distribution)
}

pub(super) fn no_such_distribution() -> AwsError {
    AwsError::new(
        404,
        "NoSuchDistribution",
        "The specified distribution does not exist.",
    )
}
