//! CloudFront: distributions, "Create distribution" from an S3 bucket with an origin access
//! control, the banner with the bucket policy to copy, deploying → deployed on the simulated
//! clock, invalidations, and the domain name as a link that opens the edge.

use std::fmt::Write as _;

use bytes::Bytes;
use http::{Method, Response, StatusCode};
use http_body_util::Full;

use super::calls::{self, Refusal};
use super::html::{Html, escape};
use super::words::Word;
use super::{Page, layout, redirect};
use crate::cloudfront::config;
use crate::ids;

fn call(
    page: &Page<'_>,
    method: Method,
    path: &str,
    body: &str,
) -> Result<(String, Option<String>), Refusal> {
    call_if(page, method, path, body, None)
}

/// A call that changes what it names only at the version (`ETag`) read before, as
/// CloudFront asks.
fn call_if(
    page: &Page<'_>,
    method: Method,
    path: &str,
    body: &str,
    if_match: Option<&str>,
) -> Result<(String, Option<String>), Refusal> {
    calls::cloudfront(
        page.world(),
        page.request.peer,
        page.keys,
        method,
        path,
        body,
        if_match,
    )
}

/// The current `ETag` of what `path` names.
fn etag(page: &Page<'_>, path: &str) -> Result<String, Refusal> {
    let (_, etag) = call(page, Method::GET, path, "")?;
    etag.ok_or_else(|| Refusal {
        code: "InternalError".into(),
        message: format!("{path} answered without an ETag."),
    })
}

/// A distribution as the pages show it.
struct Row {
    id: String,
    domain_name: String,
    arn: String,
    deployed: bool,
    enabled: bool,
    origin: String,
    access_control: bool,
    modified: String,
    invalidations: Vec<(String, String, bool)>,
}

fn rows(page: &Page<'_>) -> Vec<Row> {
    let world = page.world();
    let now = world.now_for(page.account());
    let Some(account) = world.account(page.account()) else {
        return Vec::new();
    };
    let account = account.lock();
    account
        .cloudfront
        .distributions
        .values()
        .map(|distribution| {
            let origin = ["Origins", "Items", "Origin"];
            let text = |path: &[&str]| {
                distribution
                    .config
                    .text_at(path)
                    .unwrap_or_default()
                    .to_string()
            };
            Row {
                id: distribution.id.clone(),
                domain_name: distribution.domain_name.clone(),
                arn: distribution.arn(&account.id),
                deployed: distribution.status(now) == "Deployed",
                enabled: config::enabled(&distribution.config),
                origin: text(&[origin[0], origin[1], origin[2], "DomainName"]),
                access_control: !text(&[origin[0], origin[1], origin[2], "OriginAccessControlId"])
                    .is_empty(),
                modified: super::html::when(distribution.last_modified),
                invalidations: distribution
                    .invalidations
                    .values()
                    .map(|invalidation| {
                        (
                            invalidation.id.clone(),
                            invalidation.paths.join(" "),
                            invalidation.status(now) == "Completed",
                        )
                    })
                    .collect(),
            }
        })
        .collect()
}

/// Where the distribution opens in a browser: the edge, on the port this console answers at.
fn edge_link(page: &Page<'_>, domain_name: &str) -> String {
    let port = page.world().net.edge().map_or(0, |addr| addr.port());
    crate::edge_url(domain_name, port)
}

pub fn list(page: &Page<'_>) -> Response<Full<Bytes>> {
    let lang = page.lang;
    let rows = rows(page);
    let mut body = Html::new();
    body.list_heading(
        lang,
        Word::Distributions,
        rows.len(),
        "/cloudfront/create",
        Word::CreateDistribution,
    );
    if rows.is_empty() {
        body.element("p", "empty", lang.word(Word::NoDistributions));
        return layout::page(page, lang.word(Word::Distributions), body);
    }
    body.raw("<table class=\"resources\">");
    body.header_row(
        lang,
        &[
            Word::DistributionId,
            Word::DomainName,
            Word::OriginDomain,
            Word::Status,
            Word::LastModifiedAt,
        ],
    );
    body.raw("<tbody>");
    for row in &rows {
        body.raw("<tr><td class=\"id\">");
        body.link(&format!("/cloudfront/{}", row.id), &row.id);
        body.raw("</td><td>");
        body.link(&edge_link(page, &row.domain_name), &row.domain_name);
        body.raw("</td>");
        body.element("td", "", &row.origin);
        status(&mut body, page, row.deployed);
        body.element("td", "", &row.modified);
        body.raw("</tr>");
    }
    body.raw("</tbody></table>");
    layout::page(page, lang.word(Word::Distributions), body)
}

fn status(body: &mut Html, page: &Page<'_>, deployed: bool) {
    body.raw("<td>");
    if deployed {
        body.element("span", "state running", page.lang.word(Word::Deployed));
    } else {
        body.element("span", "state changing", page.lang.word(Word::Deploying));
    }
    body.raw("</td>");
}

/// The account's buckets, as origin domains: `photos.s3.ap-northeast-2.amazonaws.com`.
fn origins(page: &Page<'_>) -> Vec<String> {
    page.world()
        .lock()
        .s3
        .buckets
        .values()
        .filter(|bucket| bucket.owner == page.account())
        .map(|bucket| format!("{}.s3.{}.amazonaws.com", bucket.name, bucket.region))
        .collect()
}

pub fn create_form(page: &Page<'_>, problem: Option<&Refusal>) -> Response<Full<Bytes>> {
    let lang = page.lang;
    let origins = origins(page);
    let mut body = Html::new();
    body.raw("<section class=\"panel\">");
    body.element("h1", "", lang.word(Word::CreateDistribution));
    body.refusal(problem);
    if origins.is_empty() {
        body.element("p", "alert warning", lang.word(Word::NoBucketForOrigin));
        body.link("/s3/create", lang.word(Word::CreateBucket));
        body.raw("</section>");
        return layout::page(page, lang.word(Word::CreateDistribution), body);
    }
    let chosen = page.request.field("origin");
    let options: Vec<(String, String, bool)> = origins
        .iter()
        .map(|origin| (origin.clone(), origin.clone(), origin == chosen))
        .collect();
    body.form("/cloudfront/create", &page.session.csrf).select(
        lang.word(Word::OriginDomain),
        "origin",
        &options,
    );
    body.element("h3", "", lang.word(Word::OriginAccess));
    let public = page.request.field("access") == "public";
    body.choice(
        "radio",
        "access",
        "oac",
        lang.word(Word::OacRecommended),
        !public,
    )
    .choice(
        "radio",
        "access",
        "public",
        lang.word(Word::PublicOrigin),
        public,
    )
    .field(
        lang,
        Word::OacName,
        "oac_name",
        "text",
        page.request.field("oac_name"),
    )
    .field(
        lang,
        Word::DefaultRootObject,
        "root",
        "text",
        page.request.field("root"),
    )
    .button(lang, Word::CreateDistribution, "primary")
    .raw("</form></section>");
    layout::page(page, lang.word(Word::CreateDistribution), body)
}

pub fn create(page: &Page<'_>) -> Response<Full<Bytes>> {
    match create_with(page) {
        Ok(id) => redirect(&format!("/cloudfront/{id}?created=1")),
        Err(problem) => {
            let mut response = create_form(page, Some(&problem));
            *response.status_mut() = StatusCode::BAD_REQUEST;
            response
        }
    }
}

fn create_with(page: &Page<'_>) -> Result<String, Refusal> {
    let origin = page.request.field("origin").to_string();
    if !origins(page).contains(&origin) {
        return Err(Refusal {
            code: "NoSuchOrigin".into(),
            message: "Choose one of this account's buckets as the origin.".into(),
        });
    }
    let access_control = if page.request.field("access") == "public" {
        String::new()
    } else {
        // Unless named, the control is named after the origin, as AWS's console names it; a
        // control of that name already made is the one used.
        let typed = page.request.field("oac_name").trim();
        let name: String = if typed.is_empty() {
            origin.chars().take(64).collect()
        } else {
            typed.to_string()
        };
        match existing_control(page, &name) {
            Some(id) => id,
            None => create_control(page, &name)?,
        }
    };
    let mut config = String::new();
    let _ = write!(
        config,
        "<DistributionConfig xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\">\
         <CallerReference>{}</CallerReference><Comment></Comment><Enabled>true</Enabled>\
         <DefaultRootObject>{}</DefaultRootObject>\
         <Origins><Quantity>1</Quantity><Items><Origin><Id>{origin}</Id><DomainName>{origin}</DomainName>\
         <OriginAccessControlId>{access_control}</OriginAccessControlId>\
         <S3OriginConfig><OriginAccessIdentity></OriginAccessIdentity></S3OriginConfig>\
         </Origin></Items></Origins>\
         <DefaultCacheBehavior><TargetOriginId>{origin}</TargetOriginId>\
         <ViewerProtocolPolicy>redirect-to-https</ViewerProtocolPolicy>\
         <CachePolicyId>658327ea-f89d-4fab-a63d-7e88639e58f6</CachePolicyId>\
         <Compress>true</Compress></DefaultCacheBehavior></DistributionConfig>",
        ids::web_token(),
        escape(page.request.field("root").trim()),
        origin = escape(&origin),
        access_control = escape(&access_control),
    );
    let (answer, _) = call(page, Method::POST, "distribution", &config)?;
    calls::first(&answer, "Id").ok_or_else(|| Refusal {
        code: "InternalError".into(),
        message: "CreateDistribution answered without an id.".into(),
    })
}

/// Makes an origin access control for S3 that always signs, as the lecture's: its id.
fn create_control(page: &Page<'_>, name: &str) -> Result<String, Refusal> {
    let config = format!(
        "<OriginAccessControlConfig xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\"><Name>{}</Name><Description></Description><SigningProtocol>sigv4</SigningProtocol><SigningBehavior>always</SigningBehavior><OriginAccessControlOriginType>s3</OriginAccessControlOriginType></OriginAccessControlConfig>",
        escape(name)
    );
    let (answer, _) = call(page, Method::POST, "origin-access-control", &config)?;
    calls::first(&answer, "Id").ok_or_else(|| Refusal {
        code: "InternalError".into(),
        message: "CreateOriginAccessControl answered without an id.".into(),
    })
}

pub fn create_access_control(page: &Page<'_>) -> Response<Full<Bytes>> {
    match create_control(page, page.request.field("name").trim()) {
        Ok(_) => redirect("/cloudfront/origin-access"),
        Err(problem) => {
            let mut response = access_controls(page, Some(&problem));
            *response.status_mut() = StatusCode::BAD_REQUEST;
            response
        }
    }
}

/// The account's origin access control of this name, if it made one before.
fn existing_control(page: &Page<'_>, name: &str) -> Option<String> {
    let account = page.world().account(page.account())?;
    let account = account.lock();
    account
        .cloudfront
        .access_controls
        .values()
        .find(|control| control.config.text_at(&["Name"]) == Some(name))
        .map(|control| control.id.clone())
}

/// The policy the console offers to copy: CloudFront's service principal may read the
/// bucket's objects, for this distribution only.
fn bucket_policy(bucket: &str, arn: &str) -> String {
    format!(
        "{{\n  \"Version\": \"2008-10-17\",\n  \"Id\": \"PolicyForCloudFrontPrivateContent\",\n  \"Statement\": [\n    {{\n      \"Sid\": \"AllowCloudFrontServicePrincipal\",\n      \"Effect\": \"Allow\",\n      \"Principal\": {{\n        \"Service\": \"cloudfront.amazonaws.com\"\n      }},\n      \"Action\": \"s3:GetObject\",\n      \"Resource\": \"arn:aws:s3:::{bucket}/*\",\n      \"Condition\": {{\n        \"StringEquals\": {{\n          \"AWS:SourceArn\": \"{arn}\"\n        }}\n      }}\n    }}\n  ]\n}}"
    )
}

pub fn details(page: &Page<'_>, id: &str, problem: Option<&Refusal>) -> Response<Full<Bytes>> {
    let lang = page.lang;
    let Some(row) = rows(page).into_iter().find(|row| row.id == id) else {
        return page.refuse(StatusCode::NOT_FOUND, Word::NotFound);
    };
    let bucket = row
        .origin
        .split(".s3.")
        .next()
        .unwrap_or_default()
        .to_string();
    let mut body = Html::new();
    body.element("h1", "", &row.id);
    body.refusal(problem);
    // The policy is offered until the bucket's policy names the distribution.
    let let_in = page
        .world()
        .lock()
        .s3
        .buckets
        .get(&bucket)
        .filter(|held| held.owner == page.account())
        .is_some_and(|held| {
            held.policy_text()
                .is_none_or(|policy| !policy.contains(&row.arn))
        });
    if row.access_control && let_in {
        body.raw("<section class=\"panel\">");
        body.element("p", "alert warning", lang.word(Word::PolicyBanner));
        body.raw("<textarea readonly id=\"policy\">");
        body.text(&bucket_policy(&bucket, &row.arn));
        body.raw("</textarea><p>");
        body.link(
            &format!("/s3/buckets/{bucket}/permissions"),
            lang.word(Word::GoToBucketPermissions),
        );
        body.raw("</p></section>");
    }
    body.raw("<section class=\"panel\"><dl class=\"details\">");
    body.element("dt", "", lang.word(Word::DomainName));
    body.raw("<dd>");
    body.link(&edge_link(page, &row.domain_name), &row.domain_name);
    body.raw("</dd>");
    body.element("dt", "", "ARN");
    body.element("dd", "id", &row.arn);
    body.element("dt", "", lang.word(Word::Status));
    body.element(
        "dd",
        "",
        lang.word(if row.deployed {
            Word::Deployed
        } else {
            Word::Deploying
        }),
    );
    body.element("dt", "", lang.word(Word::OriginDomain));
    body.element("dd", "", &row.origin);
    body.element("dt", "", lang.word(Word::LastModifiedAt));
    body.element("dd", "", &row.modified);
    body.raw("</dl></section><section class=\"panel\">");
    body.element("h2", "", lang.word(Word::Invalidations));
    if row.invalidations.is_empty() {
        body.element("p", "empty", lang.word(Word::NoInvalidations));
    }
    for (id, paths, done) in &row.invalidations {
        let state = lang.word(if *done { Word::Done } else { Word::Deploying });
        body.element("p", "id", &format!("{id} · {paths} · {state}"));
    }
    body.form(
        &format!("/cloudfront/{}/invalidate", row.id),
        &page.session.csrf,
    );
    body.raw("<label>");
    body.text(lang.word(Word::ObjectPaths));
    body.raw("<textarea name=\"paths\" id=\"paths\">/*</textarea></label>");
    body.button(lang, Word::CreateInvalidation, "primary")
        .raw("</form></section><section class=\"panel\">");
    body.element("p", "help", lang.word(Word::DeleteDistributionHelp));
    let (action, word) = if row.enabled {
        ("disable", Word::Disable)
    } else {
        ("enable", Word::Enable)
    };
    body.form(
        &format!("/cloudfront/{}/{action}", row.id),
        &page.session.csrf,
    )
    .button(lang, word, "link")
    .raw("</form>");
    body.form(
        &format!("/cloudfront/{}/delete", row.id),
        &page.session.csrf,
    )
    .button(lang, Word::DeleteDistribution, "primary")
    .raw("</form></section>");
    layout::page(page, &row.id, body)
}

/// Turns a distribution off (or on again): its configuration read, `Enabled` changed, and
/// written back at the version read.
pub fn set_enabled(page: &Page<'_>, id: &str, enabled: bool) -> Response<Full<Bytes>> {
    if !rows(page).iter().any(|row| row.id == id) {
        return page.refuse(StatusCode::NOT_FOUND, Word::NotFound);
    }
    let path = format!("distribution/{id}/config");
    let changed = call(page, Method::GET, &path, "").and_then(|(config, etag)| {
        let (from, to) = if enabled {
            ("<Enabled>false</Enabled>", "<Enabled>true</Enabled>")
        } else {
            ("<Enabled>true</Enabled>", "<Enabled>false</Enabled>")
        };
        let config = config.replacen(from, to, 1);
        call_if(page, Method::PUT, &path, &config, etag.as_deref())
    });
    match changed {
        Ok(_) => redirect(&format!("/cloudfront/{id}")),
        Err(problem) => refused(page, id, &problem),
    }
}

pub fn delete(page: &Page<'_>, id: &str) -> Response<Full<Bytes>> {
    if !rows(page).iter().any(|row| row.id == id) {
        return page.refuse(StatusCode::NOT_FOUND, Word::NotFound);
    }
    let path = format!("distribution/{id}");
    let deleted =
        etag(page, &path).and_then(|etag| call_if(page, Method::DELETE, &path, "", Some(&etag)));
    match deleted {
        Ok(_) => redirect("/cloudfront"),
        Err(problem) => refused(page, id, &problem),
    }
}

fn refused(page: &Page<'_>, id: &str, problem: &Refusal) -> Response<Full<Bytes>> {
    let mut response = details(page, id, Some(problem));
    *response.status_mut() = StatusCode::BAD_REQUEST;
    response
}

/// The account's origin access controls, each with its delete button.
pub fn access_controls(page: &Page<'_>, problem: Option<&Refusal>) -> Response<Full<Bytes>> {
    let lang = page.lang;
    let controls: Vec<(String, String)> = page
        .world()
        .account(page.account())
        .map(|account| {
            account
                .lock()
                .cloudfront
                .access_controls
                .values()
                .map(|control| {
                    let name = control.config.text_at(&["Name"]).unwrap_or_default();
                    (control.id.clone(), name.to_string())
                })
                .collect()
        })
        .unwrap_or_default();
    let mut body = Html::new();
    body.element("h1", "", lang.word(Word::OriginAccessControls));
    body.refusal(problem);
    body.raw("<section class=\"panel\">");
    body.element("h2", "", lang.word(Word::CreateOriginAccessControl));
    body.element("p", "help", lang.word(Word::OriginAccessControlHelp));
    body.form("/cloudfront/origin-access", &page.session.csrf)
        .field(lang, Word::Name, "name", "text", page.request.field("name"))
        .button(lang, Word::CreateOriginAccessControl, "primary")
        .raw("</form></section>");
    if controls.is_empty() {
        body.element("p", "empty", lang.word(Word::NoOriginAccessControls));
    } else {
        body.raw("<table class=\"resources\">");
        body.header_row(lang, &[Word::Name, Word::DistributionId, Word::Actions]);
        body.raw("<tbody>");
        for (id, name) in &controls {
            body.raw("<tr>");
            body.element("td", "name", name);
            body.element("td", "id", id);
            body.raw("<td class=\"actions\">");
            body.form(
                &format!("/cloudfront/origin-access/{id}/delete"),
                &page.session.csrf,
            )
            .button(lang, Word::Delete, "link")
            .raw("</form></td></tr>");
        }
        body.raw("</tbody></table>");
    }
    layout::page(page, lang.word(Word::OriginAccessControls), body)
}

pub fn delete_access_control(page: &Page<'_>, id: &str) -> Response<Full<Bytes>> {
    let path = format!("origin-access-control/{id}");
    let deleted =
        etag(page, &path).and_then(|etag| call_if(page, Method::DELETE, &path, "", Some(&etag)));
    match deleted {
        Ok(_) => redirect("/cloudfront/origin-access"),
        Err(problem) => {
            let mut response = access_controls(page, Some(&problem));
            *response.status_mut() = StatusCode::BAD_REQUEST;
            response
        }
    }
}

pub fn invalidate(page: &Page<'_>, id: &str) -> Response<Full<Bytes>> {
    if !rows(page).iter().any(|row| row.id == id) {
        return page.refuse(StatusCode::NOT_FOUND, Word::NotFound);
    }
    let paths: Vec<String> = page
        .request
        .field("paths")
        .lines()
        .map(str::trim)
        .filter(|path| !path.is_empty())
        .map(|path| format!("<Path>{}</Path>", escape(path)))
        .collect();
    let batch = format!(
        "<InvalidationBatch xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\"><Paths><Quantity>{}</Quantity><Items>{}</Items></Paths><CallerReference>{}</CallerReference></InvalidationBatch>",
        paths.len(),
        paths.concat(),
        ids::web_token()
    );
    let path = format!("distribution/{id}/invalidation");
    match call(page, Method::POST, &path, &batch) {
        Ok(_) => redirect(&format!("/cloudfront/{id}")),
        Err(problem) => {
            let mut response = details(page, id, Some(&problem));
            *response.status_mut() = StatusCode::BAD_REQUEST;
            response
        }
    }
}
