//! S3: buckets, "Create bucket" with Block Public Access on, a bucket's objects with an upload
//! form and each object's URL (which answers AccessDenied, as the lecture shows), and the
//! permissions tab with the bucket policy editor, whose errors are S3's own.

use bytes::Bytes;
use http::{Method, Response, StatusCode};
use http_body_util::Full;

use super::calls::{self, Refusal, S3Answer};
use super::html::Html;
use super::words::Word;
use super::{Page, layout, redirect};
use cloudlings_core::catalog::DEFAULT_REGION;

/// A path segment, percent-encoded as S3 expects it on the wire.
fn encoded(segment: &str) -> String {
    percent_encoding::utf8_percent_encode(segment, PATH).to_string()
}

/// Everything but the unreserved characters and `/`.
const PATH: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

fn call(
    page: &Page<'_>,
    method: Method,
    path: &str,
    query: &str,
    content_type: Option<&str>,
    body: Bytes,
) -> Result<S3Answer, Refusal> {
    calls::s3(
        &page.console.s3,
        page.world(),
        page.keys,
        method,
        path,
        query,
        content_type,
        body,
    )
}

/// The account's buckets: name, region, objects.
fn buckets(page: &Page<'_>) -> Vec<(String, String, usize)> {
    page.world()
        .lock()
        .s3
        .buckets
        .values()
        .filter(|bucket| bucket.owner == page.account())
        .map(|bucket| {
            (
                bucket.name.clone(),
                bucket.region.clone(),
                bucket.objects.len(),
            )
        })
        .collect()
}

pub fn list(page: &Page<'_>) -> Response<Full<Bytes>> {
    let lang = page.lang;
    let buckets = buckets(page);
    let mut body = Html::new();
    body.list_heading(
        lang,
        Word::Buckets,
        buckets.len(),
        "/s3/create",
        Word::CreateBucket,
    );
    if buckets.is_empty() {
        body.element("p", "empty", lang.word(Word::NoBuckets));
        return layout::page(page, lang.word(Word::Buckets), body);
    }
    body.raw("<table class=\"resources\">");
    body.header_row(lang, &[Word::Name, Word::Region, Word::Objects]);
    body.raw("<tbody>");
    for (name, region, objects) in &buckets {
        body.raw("<tr><td class=\"name\">");
        body.link(&format!("/s3/buckets/{name}"), name);
        body.raw("</td>");
        body.element("td", "", region);
        body.element("td", "number", &objects.to_string());
        body.raw("</tr>");
    }
    body.raw("</tbody></table>");
    layout::page(page, lang.word(Word::Buckets), body)
}

pub fn create_form(page: &Page<'_>, problem: Option<&Refusal>) -> Response<Full<Bytes>> {
    let lang = page.lang;
    let mut body = Html::new();
    body.raw("<section class=\"panel\">");
    body.element("h1", "", lang.word(Word::CreateBucket));
    body.refusal(problem);
    body.form("/s3/create", &page.session.csrf).field(
        lang,
        Word::BucketName,
        "name",
        "text",
        page.request.field("name"),
    );
    body.element(
        "p",
        "",
        &format!("{}: {DEFAULT_REGION}", lang.word(Word::Region)),
    );
    body.choice("checkbox", "block", "on", lang.word(Word::BlockAll), true);
    body.element("p", "help", lang.word(Word::BlockAllHelp));
    body.button(lang, Word::CreateBucket, "primary")
        .raw("</form></section>");
    layout::page(page, lang.word(Word::CreateBucket), body)
}

pub fn create(page: &Page<'_>) -> Response<Full<Bytes>> {
    let name = page.request.field("name").trim().to_string();
    let configuration = format!(
        "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>{DEFAULT_REGION}</LocationConstraint></CreateBucketConfiguration>"
    );
    let path = format!("/{}", encoded(&name));
    let made = call(
        page,
        Method::PUT,
        &path,
        "",
        Some("application/xml"),
        Bytes::from(configuration),
    )
    .and_then(|_| {
        if page.request.form.contains_key("block") {
            return Ok(());
        }
        call(
            page,
            Method::DELETE,
            &path,
            "publicAccessBlock",
            None,
            Bytes::new(),
        )
        .map(|_| ())
    });
    match made {
        Ok(()) => redirect(&format!("/s3/buckets/{name}")),
        Err(problem) => {
            let mut response = create_form(page, Some(&problem));
            *response.status_mut() = StatusCode::BAD_REQUEST;
            response
        }
    }
}

/// An object as the bucket's page lists it.
struct ObjectRow {
    key: String,
    size: u64,
    modified: String,
}

/// The bucket's objects, if the bucket is this account's.
fn objects(page: &Page<'_>, name: &str) -> Option<Vec<ObjectRow>> {
    let shared = page.world().lock();
    let bucket = shared.s3.buckets.get(name)?;
    if bucket.owner != page.account() {
        return None;
    }
    Some(
        bucket
            .objects
            .iter()
            .map(|(key, object)| ObjectRow {
                key: key.clone(),
                size: object.size,
                modified: super::html::when(object.last_modified),
            })
            .collect(),
    )
}

fn tabs(body: &mut Html, page: &Page<'_>, name: &str, objects_tab: bool) {
    let lang = page.lang;
    body.element("h1", "", name);
    body.raw("<nav class=\"tabs\">");
    for (current, href, word) in [
        (objects_tab, format!("/s3/buckets/{name}"), Word::Objects),
        (
            !objects_tab,
            format!("/s3/buckets/{name}/permissions"),
            Word::Permissions,
        ),
    ] {
        if current {
            body.element("span", "tab current", lang.word(word));
        } else {
            body.link(&href, lang.word(word));
        }
    }
    body.raw("</nav>");
}

pub fn bucket(page: &Page<'_>, name: &str, problem: Option<&Refusal>) -> Response<Full<Bytes>> {
    let lang = page.lang;
    let Some(objects) = objects(page, name) else {
        return page.refuse(StatusCode::NOT_FOUND, Word::NotFound);
    };
    let endpoint_port = page.world().net.endpoint().map_or(0, |addr| addr.port());
    let mut body = Html::new();
    tabs(&mut body, page, name, true);
    body.refusal(problem);
    body.raw("<section class=\"panel\">");
    body.element("h2", "", lang.word(Word::Upload));
    body.raw("<form method=\"post\" enctype=\"multipart/form-data\" action=\"");
    body.text(&format!("/s3/buckets/{name}/upload"));
    body.raw("\">");
    body.hidden("csrf", &page.session.csrf);
    body.raw("<label>");
    body.text(lang.word(Word::ChooseFile));
    body.raw("<input type=\"file\" name=\"file\" id=\"file\" multiple></label>");
    body.button(lang, Word::Upload, "primary")
        .raw("</form></section>");
    body.raw("<section class=\"panel\">");
    body.element(
        "h2",
        "",
        &format!("{} ({})", lang.word(Word::Objects), objects.len()),
    );
    if objects.is_empty() {
        body.element("p", "empty", lang.word(Word::NoObjects));
    } else {
        body.element("p", "help", lang.word(Word::ObjectUrlHelp));
        body.form(
            &format!("/s3/buckets/{name}/delete-objects"),
            &page.session.csrf,
        );
        body.raw("<table class=\"resources\">");
        body.header_row(
            lang,
            &[
                Word::Delete,
                Word::Key,
                Word::Size,
                Word::LastModified,
                Word::ObjectUrl,
            ],
        );
        body.raw("<tbody>");
        for object in &objects {
            body.raw("<tr><td>");
            body.choice("checkbox", "key", &object.key, "", false);
            body.raw("</td>");
            body.element("td", "name", &object.key);
            body.element("td", "number", &object.size.to_string());
            body.element("td", "", &object.modified);
            body.raw("<td>");
            let url = format!(
                "http://{name}.s3.localhost:{endpoint_port}/{}",
                encoded(&object.key)
            );
            body.link(
                &url,
                &format!(
                    "https://{name}.s3.{DEFAULT_REGION}.amazonaws.com/{}",
                    object.key
                ),
            );
            body.raw("</td></tr>");
        }
        body.raw("</tbody></table>");
        body.button(lang, Word::DeleteObjects, "link")
            .raw("</form>");
    }
    body.raw("</section><section class=\"panel\">");
    body.element("p", "help", lang.word(Word::DeleteBucketHelp));
    body.form(&format!("/s3/buckets/{name}/empty"), &page.session.csrf)
        .button(lang, Word::EmptyBucket, "link")
        .raw("</form>");
    body.form(&format!("/s3/buckets/{name}/delete"), &page.session.csrf)
        .button(lang, Word::DeleteBucket, "primary")
        .raw("</form></section>");
    layout::page(page, name, body)
}

/// Deletes the objects the form names (`key`, once per object), or every object.
pub fn delete_objects(page: &Page<'_>, name: &str, every: bool) -> Response<Full<Bytes>> {
    let Some(objects) = objects(page, name) else {
        return page.refuse(StatusCode::NOT_FOUND, Word::NotFound);
    };
    let keys: Vec<String> = if every {
        objects.into_iter().map(|object| object.key).collect()
    } else {
        page.request
            .all("key")
            .iter()
            .map(|key| key.to_string())
            .collect()
    };
    for key in &keys {
        let path = format!("/{}/{}", encoded(name), encoded(key));
        if let Err(problem) = call(page, Method::DELETE, &path, "", None, Bytes::new()) {
            let mut response = bucket(page, name, Some(&problem));
            *response.status_mut() = StatusCode::BAD_REQUEST;
            return response;
        }
    }
    redirect(&format!("/s3/buckets/{name}"))
}

pub fn delete_bucket(page: &Page<'_>, name: &str) -> Response<Full<Bytes>> {
    if objects(page, name).is_none() {
        return page.refuse(StatusCode::NOT_FOUND, Word::NotFound);
    }
    let path = format!("/{}", encoded(name));
    match call(page, Method::DELETE, &path, "", None, Bytes::new()) {
        Ok(_) => redirect("/s3"),
        Err(problem) => {
            let mut response = bucket(page, name, Some(&problem));
            *response.status_mut() = StatusCode::BAD_REQUEST;
            response
        }
    }
}

pub fn upload(page: &Page<'_>, name: &str) -> Response<Full<Bytes>> {
    if objects(page, name).is_none() {
        return page.refuse(StatusCode::NOT_FOUND, Word::NotFound);
    }
    for file in &page.request.files {
        // A browser names a file by its own name; a path it might add is not the key's.
        let key = file
            .file_name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or_default();
        if key.is_empty() {
            continue;
        }
        let path = format!("/{}/{}", encoded(name), encoded(key));
        let put = call(
            page,
            Method::PUT,
            &path,
            "",
            Some(
                file.content_type
                    .as_deref()
                    .unwrap_or("binary/octet-stream"),
            ),
            file.bytes.clone(),
        );
        if let Err(problem) = put {
            let mut response = bucket(page, name, Some(&problem));
            *response.status_mut() = StatusCode::BAD_REQUEST;
            return response;
        }
    }
    redirect(&format!("/s3/buckets/{name}"))
}

pub fn permissions(
    page: &Page<'_>,
    name: &str,
    problem: Option<&Refusal>,
) -> Response<Full<Bytes>> {
    let lang = page.lang;
    let held = {
        let shared = page.world().lock();
        shared
            .s3
            .buckets
            .get(name)
            .filter(|bucket| bucket.owner == page.account())
            .map(|bucket| {
                let blocks = bucket.blocks();
                let all = blocks.block_public_acls
                    && blocks.ignore_public_acls
                    && blocks.block_public_policy
                    && blocks.restrict_public_buckets;
                (all, bucket.policy_text().map(str::to_string))
            })
    };
    let Some((blocked, policy)) = held else {
        return page.refuse(StatusCode::NOT_FOUND, Word::NotFound);
    };
    let mut body = Html::new();
    tabs(&mut body, page, name, false);
    body.raw("<section class=\"panel\">");
    body.element("h2", "", lang.word(Word::BlockPublicAccess));
    body.element(
        "p",
        "",
        &format!(
            "{}: {}",
            lang.word(Word::BlockAll),
            lang.word(if blocked { Word::On } else { Word::Off })
        ),
    );
    body.raw("</section><section class=\"panel\">");
    body.element("h2", "", lang.word(Word::BucketPolicy));
    body.refusal(problem);
    // What the learner typed stays in the box after S3 refused it.
    let text = if problem.is_some() {
        page.request.field("policy").to_string()
    } else {
        policy.clone().unwrap_or_default()
    };
    if policy.is_none() {
        body.element("p", "empty", lang.word(Word::NoPolicy));
    }
    body.form(&format!("/s3/buckets/{name}/policy"), &page.session.csrf);
    body.raw("<textarea name=\"policy\" id=\"policy\" spellcheck=\"false\">");
    body.text(&text);
    body.raw("</textarea>");
    body.button(lang, Word::SavePolicy, "primary")
        .raw("</form>");
    if policy.is_some() {
        body.form(
            &format!("/s3/buckets/{name}/policy/delete"),
            &page.session.csrf,
        )
        .button(lang, Word::DeletePolicy, "link")
        .raw("</form>");
    }
    body.raw("</section>");
    layout::page(page, name, body)
}

pub fn put_policy(page: &Page<'_>, name: &str) -> Response<Full<Bytes>> {
    if objects(page, name).is_none() {
        return page.refuse(StatusCode::NOT_FOUND, Word::NotFound);
    }
    let policy = page.request.field("policy").to_string();
    let path = format!("/{}", encoded(name));
    match call(
        page,
        Method::PUT,
        &path,
        "policy",
        Some("application/json"),
        Bytes::from(policy),
    ) {
        Ok(_) => redirect(&format!("/s3/buckets/{name}/permissions")),
        Err(problem) => {
            let mut response = permissions(page, name, Some(&problem));
            *response.status_mut() = StatusCode::BAD_REQUEST;
            response
        }
    }
}

pub fn delete_policy(page: &Page<'_>, name: &str) -> Response<Full<Bytes>> {
    if objects(page, name).is_none() {
        return page.refuse(StatusCode::NOT_FOUND, Word::NotFound);
    }
    let path = format!("/{}", encoded(name));
    match call(page, Method::DELETE, &path, "policy", None, Bytes::new()) {
        Ok(_) => redirect(&format!("/s3/buckets/{name}/permissions")),
        Err(problem) => permissions(page, name, Some(&problem)),
    }
}
