//! EC2's key pairs: the list, and "Create key pair", whose answer is the private key file
//! itself, downloaded once as on AWS (which keeps no copy, and neither does the emulator).

use bytes::Bytes;
use http::{HeaderValue, Response, StatusCode};
use http_body_util::Full;

use super::calls::{self, Api, Refusal};
use super::html::Html;
use super::words::Word;
use super::{Page, layout, redirect};
use cloudlings_core::catalog::DEFAULT_REGION;

pub fn list(page: &Page<'_>) -> Response<Full<Bytes>> {
    let lang = page.lang;
    let pairs: Vec<(String, String, String)> = page
        .world()
        .account(page.account())
        .and_then(|account| {
            let account = account.lock();
            let region = account.ec2.regions.get(DEFAULT_REGION)?;
            Some(
                region
                    .key_pairs
                    .values()
                    .map(|pair| {
                        (
                            pair.name.clone(),
                            pair.key_type.as_str().to_string(),
                            pair.fingerprint.clone(),
                        )
                    })
                    .collect(),
            )
        })
        .unwrap_or_default();
    let mut body = Html::new();
    body.list_heading(
        lang,
        Word::KeyPairs,
        pairs.len(),
        "/ec2/key-pairs/create",
        Word::CreateKeyPair,
    );
    if pairs.is_empty() {
        body.element("p", "empty", lang.word(Word::NoKeyPairs));
        return layout::page(page, lang.word(Word::KeyPairs), body);
    }
    body.raw("<table class=\"resources\">");
    body.header_row(
        lang,
        &[
            Word::Name,
            Word::KeyPairType,
            Word::Fingerprint,
            Word::Actions,
        ],
    );
    body.raw("<tbody>");
    for (name, kind, fingerprint) in &pairs {
        body.raw("<tr>");
        body.element("td", "name", name);
        body.element("td", "", kind);
        body.element("td", "id", fingerprint);
        body.raw("<td class=\"actions\">");
        // A key pair's name may hold any ASCII character: it goes in the path encoded.
        let segment =
            percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC);
        let action = format!("/ec2/key-pairs/{segment}/delete");
        body.form(&action, &page.session.csrf)
            .button(lang, Word::Delete, "link")
            .raw("</form></td></tr>");
    }
    body.raw("</tbody></table>");
    layout::page(page, lang.word(Word::KeyPairs), body)
}

pub fn create_form(page: &Page<'_>, problem: Option<&Refusal>) -> Response<Full<Bytes>> {
    let lang = page.lang;
    let mut body = Html::new();
    body.raw("<section class=\"panel\">");
    body.element("h1", "", lang.word(Word::CreateKeyPair));
    body.refusal(problem);
    body.element("p", "help", lang.word(Word::KeyPairHelp));
    body.form("/ec2/key-pairs/create", &page.session.csrf)
        .field(lang, Word::Name, "name", "text", page.request.field("name"));
    body.element("h3", "", lang.word(Word::KeyPairType));
    body.choice("radio", "type", "rsa", "RSA", true)
        .choice("radio", "type", "ed25519", "ED25519", false);
    body.element("h3", "", lang.word(Word::KeyFileFormat));
    body.choice("radio", "format", "pem", ".pem (OpenSSH)", true)
        .choice("radio", "format", "ppk", ".ppk (PuTTY)", false)
        .button(lang, Word::CreateKeyPair, "primary")
        .raw("</form><p>");
    body.link("/ec2/launch", lang.word(Word::LaunchInstance));
    body.text(" · ");
    body.link("/ec2/key-pairs", lang.word(Word::KeyPairs));
    body.raw("</p></section>");
    layout::page(page, lang.word(Word::CreateKeyPair), body)
}

/// Creates the key pair and answers its private key as a download named after it.
pub fn create(page: &Page<'_>) -> Response<Full<Bytes>> {
    let name = page.request.field("name").trim();
    let kind = if page.request.field("type") == "ed25519" {
        "ed25519"
    } else {
        "rsa"
    };
    let format = if page.request.field("format") == "ppk" {
        "ppk"
    } else {
        "pem"
    };
    let answer = page.call(
        Api::Ec2,
        "CreateKeyPair",
        &[("KeyName", name), ("KeyType", kind), ("KeyFormat", format)],
    );
    let material = answer.and_then(|xml| {
        calls::first(&xml, "keyMaterial").ok_or_else(|| Refusal {
            code: "InternalError".into(),
            message: "CreateKeyPair answered without a key.".into(),
        })
    });
    match material {
        Ok(material) => download(name, format, material),
        Err(problem) => {
            let mut response = create_form(page, Some(&problem));
            *response.status_mut() = StatusCode::BAD_REQUEST;
            response
        }
    }
}

fn download(name: &str, format: &str, material: String) -> Response<Full<Bytes>> {
    let mut response = super::secured(Response::new(Full::new(Bytes::from(material))));
    let headers = response.headers_mut();
    headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-pem-file"),
    );
    // Key names are ASCII without quotes or control characters (EC2 refuses others), but the
    // header is built to hold whatever it is given.
    let file: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{file}.{format}\"")) {
        headers.insert(http::header::CONTENT_DISPOSITION, value);
    }
    response
}

pub fn delete(page: &Page<'_>, name: &str) -> Response<Full<Bytes>> {
    let called = page.call(Api::Ec2, "DeleteKeyPair", &[("KeyName", name)]);
    match called {
        Ok(_) => redirect("/ec2/key-pairs"),
        Err(_) => page.refuse(StatusCode::NOT_FOUND, Word::NotFound),
    }
}
